package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// The register of cheques printed (lettres-chèques), as the SQLite store
// keeps it (its cheque_register.go): each number of a bank's cheque book
// once, a spoiled one void and its payment reissued under another.

var (
	_ store.ChequeRegister = (*runTx)(nil)
	_ store.ChequeStore    = (*Store)(nil)
	_ store.ChequeTx       = (*chequeTx)(nil)
)

func lastCheque(ctx context.Context, q querier, creditorID int64, bank string) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COALESCE(max(number), 0) FROM issued_cheques WHERE creditor_id = $1 AND bank = $2`, creditorID, bank).Scan(&n)
	return n, err
}

func chequesUsed(ctx context.Context, q querier, creditorID int64, bank string, from, to int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT number FROM issued_cheques WHERE creditor_id = $1 AND bank = $2 AND number BETWEEN $3 AND $4
		ORDER BY number`, creditorID, bank, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// recordCheques numbers a remittance's payments in file order.
func recordCheques(ctx context.Context, q querier, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error {
	if _, err := q.Exec(ctx, `INSERT INTO issued_cheques (creditor_id, bank, number, payment_id, printed_at, file)
		SELECT $1, $2, $3 - 1 + row_number() OVER (ORDER BY block, position), id, $4, $5 FROM payments WHERE remittance_id = $6`,
		creditorID, bank, first, at.Format(remit.TimestampLayout), file, remittanceID); err != nil {
		return err
	}
	_, err := q.Exec(ctx, `UPDATE payments SET cheque_number = c.number::text FROM issued_cheques AS c
		WHERE c.payment_id = payments.id AND c.status = 'issued' AND payments.remittance_id = $1`, remittanceID)
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

// issuedChequeCols are what scanIssuedCheque reads, c the register and p
// the payment.
const issuedChequeCols = `c.bank, c.number, c.status, c.printed_at, c.file, c.voided_at, c.void_reason, p.id, p.end_to_end_id, p.payee,
	p.name, p.amount, COALESCE(p.remittance_id, 0)`

func scanIssuedCheque(row pgx.Row) (store.Cheque, error) {
	var c store.Cheque
	var rem int64
	err := row.Scan(&c.Bank, &c.Number, &c.Status, &c.PrintedAt, &c.File, &c.VoidedAt, &c.Reason, &c.Payment, &c.Reference, &c.Payee,
		&c.Name, &c.Amount, &rem)
	if rem != 0 {
		c.Remittance = remit.Ref(rem)
	}
	return c, err
}

func collectCheques(rows pgx.Rows) ([]store.Cheque, error) {
	defer rows.Close()
	var out []store.Cheque
	for rows.Next() {
		c, err := scanIssuedCheque(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Cheques lists a creditor's cheques, by bank and number.
func (s *Store) Cheques(ctx context.Context, creditorID int64) ([]store.Cheque, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+issuedChequeCols+` FROM issued_cheques c JOIN payments p ON p.id = c.payment_id
		WHERE c.creditor_id = $1 ORDER BY c.bank, c.number`, creditorID)
	if err != nil {
		return nil, err
	}
	return collectCheques(rows)
}

// chequeTx is a write transaction on the register (store.ChequeTx); it
// holds the lock of the creditor whose register it first reads.
type chequeTx struct {
	q        pgx.Tx
	creditor int64
}

// UpdateCheques runs fn in a write transaction.
func (s *Store) UpdateCheques(ctx context.Context, fn func(store.ChequeTx) error) error {
	return s.inTx(ctx, func(q pgx.Tx) error { return fn(&chequeTx{q: q}) })
}

// lock takes the creditor's lock once.
func (t *chequeTx) lock(ctx context.Context, creditorID int64) error {
	if t.creditor == creditorID {
		return nil
	}
	if t.creditor != 0 {
		return fmt.Errorf("a cheque register transaction is one creditor's: %d, not %d", t.creditor, creditorID)
	}
	if err := lockCreditor(ctx, t.q, creditorID); err != nil {
		return err
	}
	t.creditor = creditorID
	return nil
}

func (t *chequeTx) LastCheque(ctx context.Context, creditorID int64, bank string) (int64, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return 0, err
	}
	return lastCheque(ctx, t.q, creditorID, bank)
}

func (t *chequeTx) ChequesUsed(ctx context.Context, creditorID int64, bank string, from, to int64) ([]int64, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	return chequesUsed(ctx, t.q, creditorID, bank, from, to)
}

func (t *chequeTx) RecordCheques(ctx context.Context, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error {
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	return recordCheques(ctx, t.q, remittanceID, creditorID, bank, first, file, at)
}

// Cheque is the cheque of that number; on any bank when bank is "" (an
// error names the banks when several have it).
func (t *chequeTx) Cheque(ctx context.Context, creditorID int64, bank string, number int64) (store.Cheque, bool, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return store.Cheque{}, false, err
	}
	rows, err := t.q.Query(ctx, `SELECT `+issuedChequeCols+` FROM issued_cheques c JOIN payments p ON p.id = c.payment_id
		WHERE c.creditor_id = $1 AND c.number = $2 AND ($3 = '' OR c.bank = $3) ORDER BY c.bank`, creditorID, number, bank)
	if err != nil {
		return store.Cheque{}, false, err
	}
	found, err := collectCheques(rows)
	if err != nil {
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
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	tag, err := t.q.Exec(ctx, `UPDATE issued_cheques SET status = 'void', voided_at = $1, void_reason = $2
		WHERE creditor_id = $3 AND bank = $4 AND number = $5 AND status = 'issued'`, at.Format(remit.TimestampLayout), reason, creditorID,
		bank, number)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errors.New("no issued cheque of that number")
	}
	return nil
}

func (t *chequeTx) Reissue(ctx context.Context, creditorID int64, bank string, number, paymentID int64, file string, at time.Time) error {
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	if _, err := t.q.Exec(ctx, `INSERT INTO issued_cheques (creditor_id, bank, number, payment_id, printed_at, file)
		VALUES ($1, $2, $3, $4, $5, $6)`, creditorID, bank, number, paymentID, at.Format(remit.TimestampLayout), file); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE payments SET cheque_number = $1 WHERE id = $2`, strconv.FormatInt(number, 10), paymentID)
	return err
}

func (t *chequeTx) Payment(ctx context.Context, paymentID int64) (store.PaymentRow, error) {
	var rem *int64
	if err := t.q.QueryRow(ctx, `SELECT remittance_id FROM payments WHERE id = $1`, paymentID).Scan(&rem); err != nil {
		return store.PaymentRow{}, err
	}
	var out store.PaymentRow
	found := false
	if rem != nil {
		if err := readPayments(ctx, t.q, *rem, func(p *store.PaymentRow) error {
			if p.ID == paymentID {
				out, found = *p, true
			}
			return nil
		}); err != nil {
			return out, err
		}
	}
	if !found {
		return out, fmt.Errorf("payment %d: not found", paymentID)
	}
	return out, nil
}
