package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// The treasury écritures: a credit to the suspense account, its
// allocation to receivables, a transfer paying receivables, a write-off.
// Amounts and accounts come from package treasury's rules; here they are
// laid out as lines, with the configured customer account and labels.

// Labels and journal of the treasury écritures.
const (
	suspenseLabel   = "Attente {label}"
	allocationLabel = "Affectation {doc} {name}"
	paymentLabel    = "Règlement {doc} {name}"
	writeOffLabel   = "Abandon de créance {doc}"
	// JournalOD is the journal of the write-offs (opérations diverses,
	// seed 000: "Opérations diverses de gestion … Abandon de créance").
	JournalOD      = "OD"
	journalODLabel = "Opérations diverses"
)

// suspensePiece is the piece of a suspense line's écritures: its number.
func suspensePiece(line int64) string { return fmt.Sprintf("ATT%d", line) }

// bankJournal is the journal and label of a bank's écritures: its code.
func (o EntryOptions) bankJournal(code string) (string, string) {
	j := strings.ToUpper(code)
	return j, o.journalLabel(j)
}

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

// customerLine is the line crediting a receivable's customer.
func (o EntryOptions) customerLine(kind, journal, journalLabel, day, piece string, c customerOf, label string, amount int64) entryLine {
	account, accountLabel, aux, auxLabel := o.customerAccount(c.code, c.name)
	return entryLine{kind: kind, receivableID: c.receivable, journal: journal, journalLabel: journalLabel, date: day, account: account,
		accountLabel: accountLabel, aux: aux, auxLabel: auxLabel, piece: piece, pieceDate: day, label: label, credit: amount}
}

// plainLine is a line on a general ledger account.
func (o EntryOptions) plainLine(kind, journal, journalLabel, day, piece, account, label string, debit, credit int64) entryLine {
	return entryLine{kind: kind, journal: journal, journalLabel: journalLabel, date: day, account: account,
		accountLabel: o.accountLabel(account), piece: piece, pieceDate: day, label: label, debit: debit, credit: credit}
}

// write records an écriture and reletters its receivables.
func (t *treasuryTx) write(ctx context.Context, creditorID int64, lines []entryLine) error {
	if t.o.Disabled || len(lines) == 0 {
		return nil
	}
	if _, err := writeEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.now)), lines); err != nil {
		return err
	}
	var ids []int64
	for _, l := range lines {
		if l.receivableID != 0 {
			ids = append(ids, l.receivableID)
		}
	}
	return reletter(ctx, t.q, ids...)
}

// ToSuspense books a line's credit to the suspense account.
func (t *treasuryTx) ToSuspense(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time, amount int64, label string) error {
	j, jl := t.o.bankJournal(bank.Code)
	day, piece := remit.FormatDate(remit.Day(on)), suspensePiece(line)
	text := strings.TrimSpace(strings.ReplaceAll(suspenseLabel, "{label}", label))
	return t.write(ctx, cr.ID, []entryLine{
		t.o.plainLine(EntrySuspense, j, jl, day, piece, bank.Account, text, amount, 0),
		t.o.plainLine(EntrySuspense, j, jl, day, piece, treasury.DefaultAccounts.Suspense, text, 0, amount),
	})
}

// PayReceivables records receivables paid by a line.
func (t *treasuryTx) PayReceivables(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time,
	targets []treasury.Target) error {
	j, jl := t.o.bankJournal(bank.Code)
	day := remit.FormatDate(remit.Day(on))
	var lines []entryLine
	for _, tg := range targets {
		c, err := t.customerOf(ctx, cr.ID, tg.Document)
		if err != nil {
			return err
		}
		if _, err := t.q.ExecContext(ctx, `UPDATE receivables SET status = 'paid', refusal = '', refused_at = '', refusal_todo = '' WHERE id = ?`,
			c.receivable); err != nil {
			return err
		}
		label := expandLabel(paymentLabel, labelFields{date: remit.Day(on), doc: tg.Document, customer: c.code, name: c.name, journal: j})
		lines = append(lines, t.o.plainLine(EntryPayment, j, jl, day, tg.Document, bank.Account, label, tg.Amount, 0),
			t.o.customerLine(EntryPayment, j, jl, day, tg.Document, c, label, tg.Amount))
	}
	return t.write(ctx, cr.ID, lines)
}

// SuspenseLine is a line booked to the suspense account.
func (t *treasuryTx) SuspenseLine(ctx context.Context, creditorID, line int64) (store.SuspenseLine, error) {
	ls, err := suspenseLines(ctx, t.q, creditorID, true, line)
	if err != nil {
		return store.SuspenseLine{}, err
	}
	if len(ls) == 0 {
		return store.SuspenseLine{}, fmt.Errorf("line %d: %w", line, store.ErrNoSuspenseLine)
	}
	return ls[0], nil
}

// SuspenseLines are the lines booked to the suspense account.
func (s *Store) SuspenseLines(ctx context.Context, creditorID int64, all bool) ([]store.SuspenseLine, error) {
	return suspenseLines(ctx, s.db, creditorID, all, 0)
}

func suspenseLines(ctx context.Context, q querier, creditorID int64, all bool, only int64) ([]store.SuspenseLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, b.code, l.statement_id, l.booked_on, l.amount,
			l.amount - COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id), 0) AS left, l.label, l.details, l.reason
		FROM statement_lines l JOIN statements s ON s.id = l.statement_id JOIN banks b ON b.id = s.bank_id
		WHERE s.creditor_id = ? AND l.suspense = 1 AND (? OR left > 0) AND (? = 0 OR l.id = ?) ORDER BY l.id`, creditorID, all, only, only)
	if err != nil {
		return nil, err
	}
	var out []store.SuspenseLine
	for rows.Next() {
		var l store.SuspenseLine
		var booked string
		if err := rows.Scan(&l.ID, &l.Bank, &l.Statement, &booked, &l.Amount, &l.Left, &l.Label, &l.Details, &l.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		l.Booked = remit.StoredDate(booked)
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		rows, err := q.QueryContext(ctx, `SELECT r.document, a.amount, a.allocated_on FROM allocations a
			JOIN receivables r ON r.id = a.receivable_id WHERE a.line_id = ? ORDER BY a.id`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a store.Allocated
			var on string
			if err := rows.Scan(&a.Document, &a.Amount, &on); err != nil {
				rows.Close()
				return nil, err
			}
			a.On = remit.StoredDate(on)
			out[i].Allocated = append(out[i].Allocated, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Allocate records an allocation of a suspense line.
func (t *treasuryTx) Allocate(ctx context.Context, cr remit.Creditor, line store.SuspenseLine, a treasury.Allocation, on time.Time) error {
	j, jl := t.o.bankJournal(line.Bank)
	day, piece := remit.FormatDate(remit.Day(on)), suspensePiece(line.ID)
	created := t.now.Format(remit.TimestampLayout)
	var lines []entryLine
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
		label := expandLabel(allocationLabel, labelFields{date: remit.Day(on), doc: p.Document, customer: c.code, name: c.name, journal: j})
		lines = append(lines, t.o.customerLine(EntryAllocation, j, jl, day, piece, c, label, p.Amount))
	}
	debit := t.o.plainLine(EntryAllocation, j, jl, day, piece, a.SuspenseAccount, "Vidage compte d'attente "+piece, a.Allocated, 0)
	return t.write(ctx, cr.ID, append([]entryLine{debit}, lines...))
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
	label := expandLabel(writeOffLabel, labelFields{date: w.Date, doc: w.Document, customer: c.code, name: c.name, journal: JournalOD})
	label = strings.TrimSpace(label + " " + w.Reason)
	lines := []entryLine{t.o.plainLine(EntryWriteOff, JournalOD, t.o.odLabel(), day, w.Document, w.LossAccount, label, w.Loss, 0)}
	if w.VAT > 0 {
		lines = append(lines, t.o.plainLine(EntryWriteOff, JournalOD, t.o.odLabel(), day, w.Document, w.VATAccount, label, w.VAT, 0))
	}
	lines = append(lines, t.o.customerLine(EntryWriteOff, JournalOD, t.o.odLabel(), day, w.Document, c, label, w.Amount))
	return t.write(ctx, cr.ID, lines)
}

// odLabel is the label of the journal of write-offs.
func (o EntryOptions) odLabel() string {
	if j := o.Journals[JournalOD]; j.Label != "" {
		return j.Label
	}
	return journalODLabel
}
