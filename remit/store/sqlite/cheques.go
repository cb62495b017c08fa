package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
)

// Remises de chèques (migration 0009): the pointed received cheques a
// remise deposits, its items with their numbers and drawers' banks, and
// the écriture of its credit.

// chequeCursor streams the pointed cheques of a run (PointedCheques).
type chequeCursor struct {
	rows *sql.Rows
	row  store.ChequeRow
	err  error
}

// PointedCheques streams the creditor's pointed received cheques by due
// date, with their drawers.
func (t *runTx) PointedCheques(ctx context.Context, creditorID int64) (store.Cursor[store.ChequeRow], error) {
	rows, err := t.q.QueryContext(ctx, `SELECT r.id, r.document, r.journal, r.amount, r.currency, r.due_date, r.cheque_number,
			r.refusal, r.refused_at, c.id, c.account, c.name, c.bank_name
		FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'chq' ORDER BY r.due_date, r.id`, creditorID)
	if err != nil {
		return nil, err
	}
	return &chequeCursor{rows: rows}, nil
}

func (c *chequeCursor) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	r, d := &c.row, &c.row.Drawer
	c.err = c.rows.Scan(&r.ID, &r.Document, &r.Journal, &r.Amount, &r.Currency, &r.Due, &r.ChequeNumber, &r.Refusal, &r.RefusedAt,
		&r.Customer, &d.Account, &d.Name, &d.BankName)
	return c.err == nil
}

func (c *chequeCursor) Row() *store.ChequeRow { return &c.row }

func (c *chequeCursor) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

func (c *chequeCursor) Close() error { return c.rows.Close() }

// chequeItemsInsert writes a remise de chèques' staged items, one block,
// deposited on the day given (arguments: the remittance, that day).
const chequeItemsInsert = `INSERT INTO remittance_items (remittance_id, block, receivable_id, position, debtor_id, amount, due_date,
		collection_date, end_to_end_id, document, label, issue_date, journal, cheque_number, drawer_bank)
	SELECT ?, 1, r.id, s.position, s.debtor_id, r.amount, r.due_date, ?, r.document, r.document, r.label, r.issue_date, r.journal,
		r.cheque_number, r.drawer_bank
	FROM temp.item_stage s CROSS JOIN receivables r ON r.id = s.receivable_id
	ORDER BY s.position`

// chequeItems streams a remise de chèques' items (store.ItemsCheque): a
// cheque drawn on no bank the receivable named is drawn on its customer's
// (as the debtor snapshot of the remise keeps it).
func chequeItems(ctx context.Context, q querier, remittanceID int64, fn func(*remit.Item) error) error {
	rows, err := q.QueryContext(ctx, `SELECT l.document, l.customer, l.name, l.amount, i.cheque_number,
			CASE WHEN i.drawer_bank = '' THEN l.bank_name ELSE i.drawer_bank END, l.collection_date, l.due_date
		FROM remittance_lines l JOIN remittance_items i ON i.id = l.id WHERE l.remittance_id = ? ORDER BY l.block, l.position`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it remit.Item
	for rows.Next() {
		if err := rows.Scan(&it.Document, &it.Customer, &it.Name, &it.Amount, &it.ChequeNumber, &it.DrawerBank, &it.Collection, &it.Due); err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// bookedOn is the account a remittance's parameters say its collection is
// booked on instead of its bank's ("entry_account": a remise de chèques
// books its cheques on 511… until the bank credits them), or "".
func bookedOn(rem remit.Remittance) string {
	var p struct {
		EntryAccount string `json:"entry_account"`
	}
	if len(rem.Params) == 0 || json.Unmarshal(rem.Params, &p) != nil {
		return ""
	}
	return p.EntryAccount
}

// ErrNotDeposit is returned by CreditDeposit for a remittance booked on its
// bank's account from the start.
var ErrNotDeposit = errors.New("booked on its bank's account already: no credit to book")

// CreditDeposit records a remise de chèques credited by its bank on that
// day (store.Tx), as accounting.Deposit books it: the bank's account
// debited with what the remise still holds (its items not rejected), the
// account its cheques were booked on credited. A second call books
// nothing and returns false, as does a store whose entries are off.
func (t *tx) CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error) {
	o, err := t.s.entryOptions()
	if err != nil || o.Disabled {
		return false, err
	}
	in := accounting.DepositInput{Remittance: rem, BookedOn: bookedOn(rem), On: on}
	if in.BookedOn == "" {
		return false, fmt.Errorf("remittance %s: %w", rem.Ref, ErrNotDeposit)
	}
	var creditorID int64
	err = t.q.QueryRowContext(ctx, `SELECT r.creditor_id, b.code, b.account FROM remittances r JOIN banks b ON b.id = r.bank_id
		WHERE r.id = ?`, rem.ID).Scan(&creditorID, &in.Journal, &in.BankAccount)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("remittance %s: no bank: nothing to credit", rem.Ref)
	}
	if err != nil {
		return false, err
	}
	var done int
	if err := t.q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM entries WHERE remittance_id = ?1 AND account = ?2 AND debit > 0),
			(SELECT COALESCE(sum(amount), 0) FROM remittance_items WHERE remittance_id = ?1 AND status = 'remitted')`,
		rem.ID, in.BankAccount).Scan(&done, &in.Total); err != nil {
		return false, err
	}
	e, ok := accounting.Deposit(o, in)
	if done > 0 || !ok {
		return false, nil
	}
	if _, err := writeEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.s.now())), &e); err != nil {
		return false, fmt.Errorf("remittance %s: credit: %w", rem.Ref, err)
	}
	return true, checkRemittanceBalanced(ctx, t.q, rem.ID)
}
