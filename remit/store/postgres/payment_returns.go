package postgres

import (
	"context"

	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store/internal/returns"
)

// The returns of supplier payments (see returns.Apply): returnTx's SQL
// for them.

// paymentCandidateSelect reads the candidates; its $1 is the creditor.
const paymentCandidateSelect = `SELECT ` + returns.PaymentColumns + `
	FROM payments p JOIN remittances rem ON rem.id = p.remittance_id WHERE rem.creditor_id = $1`

func (t *returnTx) Payments(ctx context.Context, f returns.Find) ([]returns.Payment, error) {
	var cond string
	var args []any
	switch {
	case f.EndToEndID != "" && f.MsgID != "":
		cond, args = `p.end_to_end_id = $2 AND rem.msg_id = $3`, []any{t.cr, f.EndToEndID, f.MsgID}
	case f.EndToEndID != "":
		cond, args = `p.end_to_end_id = $2`, []any{t.cr, f.EndToEndID}
	case f.Block > 0:
		cond, args = `p.remittance_id = $2 AND p.block = $3`, []any{t.cr, f.Remittance, f.Block}
	default:
		cond, args = `p.remittance_id = $2`, []any{t.cr, f.Remittance}
	}
	rows, err := t.tx.Query(ctx, paymentCandidateSelect+" AND "+cond+" ORDER BY p.block, p.position", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return returns.ReadPayments(rows)
}

func (t *returnTx) MarkPayment(ctx context.Context, p *returns.Payment, status, reason, day, why string) error {
	if _, err := t.tx.Exec(ctx, `UPDATE payments SET status = $1, return_reason = $2, returned_on = $3 WHERE id = $4`,
		status, reason, day, p.ID); err != nil {
		return err
	}
	return repoint(ctx, t.tx, p.ID, t.now, why)
}

func (t *returnTx) PaymentBooked(ctx context.Context, payment int64) ([]accounting.Line, [][2]string, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+returns.BookedColumns+`
		FROM entry_lines WHERE payment_id = $1 AND kind = 'payment' ORDER BY journal, number, line`, payment)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	return returns.ReadBooked(rows, payment)
}

func (t *returnTx) RecordPaymentReturn(ctx context.Context, on string, p *returns.Payment, es []*accounting.Ecriture) error {
	for _, e := range es {
		if _, err := t.s.writeEcriture(ctx, t.tx, t.cr, on, e); err != nil {
			return err
		}
	}
	if err := reletterPayables(ctx, t.tx, `p.id IN (SELECT payable_id FROM payment_lines WHERE payment_id = $1)`, p.ID); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, t.tx, p.Remittance)
}
