package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store/internal/returns"
)

// The returns of supplier payments (see returns.Apply): returnTx's SQL
// for them.

const paymentCandidateSelect = `SELECT ` + returns.PaymentColumns + `
	FROM payments p JOIN remittances rem ON rem.id = p.remittance_id WHERE rem.creditor_id = ?`

func (t *returnTx) Payments(ctx context.Context, f returns.Find) ([]returns.Payment, error) {
	var cond string
	var args []any
	switch {
	case f.EndToEndID != "" && f.MsgID != "":
		cond, args = `p.end_to_end_id = ? AND rem.msg_id = ?`, []any{t.cr, f.EndToEndID, f.MsgID}
	case f.EndToEndID != "":
		cond, args = `p.end_to_end_id = ?`, []any{t.cr, f.EndToEndID}
	case f.Block > 0:
		cond, args = `p.remittance_id = ? AND p.block = ?`, []any{t.cr, f.Remittance, f.Block}
	default:
		cond, args = `p.remittance_id = ?`, []any{t.cr, f.Remittance}
	}
	rows, err := t.tx.QueryContext(ctx, paymentCandidateSelect+" AND "+cond+" ORDER BY p.block, p.position", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return returns.ReadPayments(rows)
}

func (t *returnTx) MarkPayment(ctx context.Context, p *returns.Payment, status, reason, day, why string) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE payments SET status = ?, return_reason = ?, returned_on = ? WHERE id = ?`,
		status, reason, day, p.ID); err != nil {
		return err
	}
	return repoint(ctx, t.tx, p.ID, t.now, why)
}

// repoint puts a payment's payables back to pointed as it paid them (a
// group again when it paid several), with why, and ends its lines.
func repoint(ctx context.Context, tx querier, paymentID int64, now time.Time, why string) error {
	var creditorID int64
	var method string
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT p.creditor_id, p.method, count(*) FROM payments p JOIN payment_lines l ON l.payment_id = p.id
		WHERE p.id = ?`, paymentID).Scan(&creditorID, &method, &n); err != nil {
		return err
	}
	var group sql.NullInt64
	if n > 1 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO payable_groups (creditor_id, method, manual, created_at) VALUES (?, ?, 0, ?) RETURNING id`,
			creditorID, method, now.Format(remit.TimestampLayout)).Scan(&group); err != nil {
			return err
		}
	}
	todo, stamp := "", ""
	if why != "" {
		todo, stamp = string(remit.TodoCorrect), now.Format(remit.TimestampLayout)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE payables SET status = 'pointed', group_id = ?, prepared = 1, refusal = ?, refused_at = ?,
		refusal_todo = ? WHERE id IN (SELECT payable_id FROM payment_lines WHERE payment_id = ?)`, group, why, stamp, todo, paymentID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE payment_lines SET active = 0 WHERE payment_id = ?`, paymentID)
	return err
}

func (t *returnTx) PaymentBooked(ctx context.Context, payment int64) ([]accounting.Line, [][2]string, error) {
	rows, err := t.tx.tx.QueryContext(ctx, `SELECT `+returns.BookedColumns+`
		FROM entry_lines WHERE payment_id = ? AND kind = 'payment' ORDER BY journal, number, line`, payment)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	return returns.ReadBooked(rows, payment)
}

func (t *returnTx) RecordPaymentReturn(ctx context.Context, on string, p *returns.Payment, es []*accounting.Ecriture) error {
	for _, e := range es {
		if _, err := writeEcriture(ctx, t.tx.tx, t.cr, on, e); err != nil {
			return err
		}
	}
	if err := reletterPayables(ctx, t.tx.tx, `p.id IN (SELECT payable_id FROM payment_lines WHERE payment_id = ?)`, p.ID); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, t.tx, p.Remittance)
}
