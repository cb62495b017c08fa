package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/statements"
	"github.com/remit-dev/remit/remit/treasury"
)

// The treasury écritures (a credit to the suspense account, its
// allocation to receivables, a transfer paying receivables, a write-off)
// are remit/accounting's rules; here they are recorded, with what they
// change of the receivables.

// customer is a receivable's customer and identity, for its lines.
type customerOf struct {
	receivable  int64
	code, name  string
	status, due string
	amount      int64
}

func (t *treasuryTx) customerOf(ctx context.Context, creditorID int64, document string) (customerOf, error) {
	var c customerOf
	err := t.q.QueryRowContext(ctx, `SELECT r.id, cu.account, cu.name, r.status, r.due_date, r.amount FROM receivables r
		JOIN customers cu ON cu.id = r.customer_id WHERE r.creditor_id = ? AND r.document = ?`, creditorID, document).
		Scan(&c.receivable, &c.code, &c.name, &c.status, &c.due, &c.amount)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("receivable %s: %w", document, treasury.ErrUnknown)
	}
	return c, err
}

// customer is the receivable and customer its lines credit.
func (c customerOf) customer() accounting.Customer {
	return accounting.Customer{Receivable: c.receivable, Code: c.code, Name: c.name}
}

// write records an écriture a rule gave and letters again its
// receivables (recordEcriture); ok false (entries off) records nothing.
func (t *treasuryTx) write(ctx context.Context, creditorID int64, e accounting.Ecriture, ok bool) error {
	if !ok || len(e.Lines) == 0 {
		return nil
	}
	_, err := recordEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.now)), &e)
	return err
}

// ToSuspense books a line's credit to the suspense account.
func (t *treasuryTx) ToSuspense(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time, amount int64, label string) error {
	e, ok := accounting.Suspense(t.o, accounting.SuspenseInput{Bank: bank.Code, BankAccount: bank.Account, Line: line, On: on,
		Amount: amount, Label: label})
	return t.write(ctx, cr.ID, e, ok)
}

// PayReceivables records receivables paid by a line.
func (t *treasuryTx) PayReceivables(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time,
	targets []treasury.Target) error {
	in := accounting.PaymentInput{Bank: bank.Code, BankAccount: bank.Account, On: on}
	for _, tg := range targets {
		c, err := t.customerOf(ctx, cr.ID, tg.Document)
		if err != nil {
			return err
		}
		if _, err := t.q.ExecContext(ctx, `UPDATE receivables SET status = 'paid', refusal = '', refused_at = '', refusal_todo = '' WHERE id = ?`,
			c.receivable); err != nil {
			return err
		}
		in.Paid = append(in.Paid, accounting.Settled{Customer: c.customer(), Document: tg.Document, Amount: tg.Amount})
	}
	e, ok := accounting.Payment(t.o, in)
	return t.write(ctx, cr.ID, e, ok)
}

// Accounts are the accounts of the suspense and write-off écritures.
func (t *treasuryTx) Accounts() treasury.Accounts { return t.o.TreasuryAccounts() }

// SuspenseLine is a line booked to the suspense account.
func (t *treasuryTx) SuspenseLine(ctx context.Context, creditorID, line int64) (store.SuspenseLine, error) {
	return statements.SuspenseLine(line, func(fn func(*store.SuspenseLine) error) error {
		return suspenseLines(ctx, t.q, creditorID, true, line, fn)
	})
}

// SuspenseLines streams the lines booked to the suspense account to fn.
func (s *Store) SuspenseLines(ctx context.Context, creditorID int64, all bool, fn func(*store.SuspenseLine) error) error {
	return suspenseLines(ctx, s.db, creditorID, all, 0, fn)
}

// suspenseLines streams to fn the suspense lines (all, or those with
// something left; only one when only is not 0), each with its
// allocations, in one query: a row per allocation.
func suspenseLines(ctx context.Context, q querier, creditorID int64, all bool, only int64, fn func(*store.SuspenseLine) error) error {
	rows, err := q.QueryContext(ctx, `SELECT x.id, x.code, x.statement_id, x.booked_on, x.amount, x.left_cents, x.label, x.details, x.reason,
			x.account, r.document, a.amount, a.allocated_on
		FROM (SELECT l.id, b.code, l.statement_id, l.booked_on, l.amount,
				l.amount - COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id), 0) AS left_cents, l.label, l.details, l.reason,
				`+statements.BookedSuspenseSQL+` AS account
			FROM statement_lines l JOIN statements s ON s.id = l.statement_id JOIN banks b ON b.id = s.bank_id
			WHERE s.creditor_id = ? AND l.suspense = 1 AND (? OR left_cents > 0) AND (? = 0 OR l.id = ?)) x
		LEFT JOIN (allocations a JOIN receivables r ON r.id = a.receivable_id) ON a.line_id = x.id
		ORDER BY x.id, a.id`, creditorID, all, only, only)
	if err != nil {
		return err
	}
	defer rows.Close()
	return statements.WalkSuspense(rows, fn)
}

// Allocate records an allocation of a suspense line.
func (t *treasuryTx) Allocate(ctx context.Context, cr remit.Creditor, line store.SuspenseLine, a treasury.Allocation, on time.Time) error {
	day := remit.FormatDate(remit.Day(on))
	created := t.now.Format(remit.TimestampLayout)
	in := accounting.AllocationInput{Bank: line.Bank, Line: line.ID, On: on, SuspenseAccount: a.SuspenseAccount, Allocated: a.Allocated}
	for _, p := range a.Parts {
		c, err := t.customerOf(ctx, cr.ID, p.Document)
		if err != nil {
			return err
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO allocations (creditor_id, line_id, receivable_id, amount, allocated_on, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, cr.ID, line.ID, c.receivable, p.Amount, day, created); err != nil {
			return err
		}
		if p.Paid {
			if _, err := t.q.ExecContext(ctx, `UPDATE receivables SET status = 'paid', refusal = '', refused_at = '', refusal_todo = ''
				WHERE id = ?`, c.receivable); err != nil {
				return err
			}
		}
		in.Parts = append(in.Parts, accounting.Settled{Customer: c.customer(), Document: p.Document, Amount: p.Amount})
	}
	e, ok := accounting.Allocation(t.o, in)
	return t.write(ctx, cr.ID, e, ok)
}

// WriteOff records a write-off.
func (t *treasuryTx) WriteOff(ctx context.Context, cr remit.Creditor, w treasury.WriteOff) error {
	c, err := t.customerOf(ctx, cr.ID, w.Document)
	if err != nil {
		return err
	}
	day := remit.FormatDate(w.Date)
	if _, err := t.q.ExecContext(ctx, `INSERT INTO writeoffs (creditor_id, receivable_id, amount, vat, reason, written_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, cr.ID, c.receivable, w.Amount, w.VAT, w.Reason, day, t.now.Format(remit.TimestampLayout)); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE receivables SET status = 'written_off', refusal = '', refused_at = '', refusal_todo = ''
		WHERE id = ?`, c.receivable); err != nil {
		return err
	}
	e, ok := accounting.WriteOff(t.o, w, c.customer())
	return t.write(ctx, cr.ID, e, ok)
}
