package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// The register of cheques printed: each number of a bank's cheque book
// once, a spoiled one void and its payment reissued under another.

var (
	_ store.ChequeRegister = (*runTx)(nil)
	_ store.ChequeStore    = (*Store)(nil)
	_ store.ChequeTx       = (*chequeTx)(nil)
)

func lastCheque(ctx context.Context, q querier, creditorID int64, bank string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(max(number), 0) FROM issued_cheques WHERE creditor_id = ? AND bank = ?`, creditorID, bank).Scan(&n)
	return n, err
}

func chequesUsed(ctx context.Context, q querier, creditorID int64, bank string, from, to int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT number FROM issued_cheques WHERE creditor_id = ? AND bank = ? AND number BETWEEN ? AND ? ORDER BY number`,
		creditorID, bank, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// recordCheques numbers a remittance's payments in file order.
func recordCheques(ctx context.Context, q querier, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO issued_cheques (creditor_id, bank, number, payment_id, printed_at, file)
		SELECT ?, ?, ? - 1 + row_number() OVER (ORDER BY block, position), id, ?, ? FROM payments WHERE remittance_id = ?`,
		creditorID, bank, first, at.Format(remit.TimestampLayout), file, remittanceID); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `UPDATE payments SET cheque_number = c.number FROM issued_cheques AS c
		WHERE c.payment_id = payments.id AND c.status = 'issued' AND payments.remittance_id = ?`, remittanceID)
	return err
}

func (t *runTx) LastCheque(ctx context.Context, creditorID int64, bank string) (int64, error) {
	return lastCheque(ctx, t.q, creditorID, bank)
}

func (t *runTx) ChequesUsed(ctx context.Context, creditorID int64, bank string, from, to int64) ([]int64, error) {
	return chequesUsed(ctx, t.q, creditorID, bank, from, to)
}

func (t *runTx) RecordCheques(ctx context.Context, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error {
	return recordCheques(ctx, t.q, remittanceID, creditorID, bank, first, file, at)
}

const chequeCols = `c.bank, c.number, c.status, c.printed_at, c.file, c.voided_at, c.void_reason, p.id, p.end_to_end_id, p.payee,
	p.name, p.amount, COALESCE(printf('%03d', p.remittance_id), '')`

func scanCheque(row interface{ Scan(...any) error }) (store.Cheque, error) {
	var c store.Cheque
	err := row.Scan(&c.Bank, &c.Number, &c.Status, &c.PrintedAt, &c.File, &c.VoidedAt, &c.Reason, &c.Payment, &c.Reference, &c.Payee,
		&c.Name, &c.Amount, &c.Remittance)
	return c, err
}

// Cheques lists a creditor's cheques, by bank and number.
func (s *Store) Cheques(ctx context.Context, creditorID int64) ([]store.Cheque, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+chequeCols+` FROM issued_cheques c JOIN payments p ON p.id = c.payment_id
		WHERE c.creditor_id = ? ORDER BY c.bank, c.number`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Cheque
	for rows.Next() {
		c, err := scanCheque(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// chequeTx is a write transaction on the register (store.ChequeTx).
type chequeTx struct{ q *sql.Tx }

// UpdateCheques runs fn in a write transaction.
func (s *Store) UpdateCheques(ctx context.Context, fn func(store.ChequeTx) error) error {
	return s.inTx(ctx, func(q *sql.Tx) error { return fn(&chequeTx{q: q}) })
}

func (t *chequeTx) LastCheque(ctx context.Context, creditorID int64, bank string) (int64, error) {
	return lastCheque(ctx, t.q, creditorID, bank)
}

func (t *chequeTx) ChequesUsed(ctx context.Context, creditorID int64, bank string, from, to int64) ([]int64, error) {
	return chequesUsed(ctx, t.q, creditorID, bank, from, to)
}

func (t *chequeTx) RecordCheques(ctx context.Context, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error {
	return recordCheques(ctx, t.q, remittanceID, creditorID, bank, first, file, at)
}

// Cheque is the cheque of that number; on any bank when bank is "" (an
// error names the banks when several have it).
func (t *chequeTx) Cheque(ctx context.Context, creditorID int64, bank string, number int64) (store.Cheque, bool, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+chequeCols+` FROM issued_cheques c JOIN payments p ON p.id = c.payment_id
		WHERE c.creditor_id = ? AND c.number = ? AND (? = '' OR c.bank = ?) ORDER BY c.bank`, creditorID, number, bank, bank)
	if err != nil {
		return store.Cheque{}, false, err
	}
	defer rows.Close()
	var found []store.Cheque
	for rows.Next() {
		c, err := scanCheque(rows)
		if err != nil {
			return c, false, err
		}
		found = append(found, c)
	}
	if err := rows.Err(); err != nil {
		return store.Cheque{}, false, err
	}
	switch len(found) {
	case 0:
		return store.Cheque{}, false, nil
	case 1:
		return found[0], true, nil
	}
	return store.Cheque{}, false, fmt.Errorf("cheque %d: drawn on %s and %s: name the bank (--bank)", number, found[0].Bank, found[1].Bank)
}

func (t *chequeTx) Void(ctx context.Context, creditorID int64, bank string, number int64, reason string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE issued_cheques SET status = 'void', voided_at = ?, void_reason = ?
		WHERE creditor_id = ? AND bank = ? AND number = ? AND status = 'issued'`, at.Format(remit.TimestampLayout), reason, creditorID, bank, number)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errors.New("no issued cheque of that number")
	}
	return nil
}

func (t *chequeTx) Reissue(ctx context.Context, creditorID int64, bank string, number, paymentID int64, file string, at time.Time) error {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO issued_cheques (creditor_id, bank, number, payment_id, printed_at, file) VALUES (?, ?, ?, ?, ?, ?)`,
		creditorID, bank, number, paymentID, at.Format(remit.TimestampLayout), file); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `UPDATE payments SET cheque_number = ? WHERE id = ?`, fmt.Sprint(number), paymentID)
	return err
}

func (t *chequeTx) Payment(ctx context.Context, paymentID int64) (store.PaymentRow, error) {
	var rem sql.NullInt64
	if err := t.q.QueryRowContext(ctx, `SELECT remittance_id FROM payments WHERE id = ?`, paymentID).Scan(&rem); err != nil {
		return store.PaymentRow{}, err
	}
	var out store.PaymentRow
	found := false
	err := readPayments(ctx, t.q, rem.Int64, func(p *store.PaymentRow) error {
		if p.ID == paymentID {
			out, found = *p, true
		}
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("payment %d: not found", paymentID)
	}
	return out, err
}
