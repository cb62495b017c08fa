package disburse

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// RefundOptions are remit refund's request.
type RefundOptions struct {
	Customer string // the customer's account, 411…
	Amount   int64  // cents, > 0
	// Source says what the customer is owed from, for the label and the
	// record: "suspense 17", "avoir AV-2026-007".
	Source  string
	Journal string // the bank to pay from; "" the defaults
	Label   string
	Now     time.Time
}

// ErrNoCustomer means the account is not one of the creditor's customers.
var ErrNoCustomer = errors.New("no such customer")

// Refund turns a customer's overpayment into a transfer payable
// (payables.Refund), pointed and approved: the next remit sct pays it to
// the customer's account, and its entry debits the customer's account. The
// customer's name, address and IBAN are remit's. The amount is never more
// than the customer is owed and not yet refunded (store.PayablesTx
// Refundable: what is left in suspense of the lines allocated to its
// receivables, its open credit notes, less its earlier refunds): beyond
// it, the refund is refused (payables.ErrRefundTooLarge,
// ErrNothingToRefund) with what is available and where it comes from, and
// nothing is recorded. The refund's document is REMB-<date>-<n>, the next
// free of the day.
func Refund(ctx context.Context, ps store.PayableStore, cr remit.Creditor, o RefundOptions) (payables.Payable, error) {
	var out payables.Payable
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		c, ok, err := tx.Customer(ctx, cr.ID, o.Customer)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w %s (remit list shows the customers' receivables)", ErrNoCustomer, o.Customer)
		}
		owed, refunded, err := tx.Refundable(ctx, cr.ID, c.Account)
		if err != nil {
			return err
		}
		available := owed - refunded
		if o.Amount >= 0 && o.Amount > available {
			why := payables.ErrRefundTooLarge
			if available <= 0 {
				why = payables.ErrNothingToRefund
			}
			return fmt.Errorf("%s: refund of %s EUR refused: %w: %s EUR available (%s EUR it paid too much, left in the suspense account "+
				"on statement lines allocated to its receivables, or its open credit notes; less %s EUR refunded already); "+
				"allocate its payment first (remit suspense allocate LINE --document …), or refund at most what is available",
				c.Account, remit.FormatAmountFR(o.Amount), why, remit.FormatAmountFR(max(available, 0)), remit.FormatAmountFR(owed),
				remit.FormatAmountFR(refunded))
		}
		prefix := "REMB-" + o.Now.Format("20060102") + "-"
		taken, err := tx.DocumentsLike(ctx, cr.ID, prefix)
		if err != nil {
			return err
		}
		n := 1
		for _, d := range taken {
			var k int
			if _, err := fmt.Sscanf(strings.TrimPrefix(d, prefix), "%d", &k); err == nil && k >= n {
				n = k + 1
			}
		}
		p, err := payables.Refund(payables.Overpayment{Customer: c.Account, Name: c.Name, Address: c.Address, IBAN: c.IBAN, BIC: c.BIC,
			Available: available, Source: o.Source}, payables.RefundRequest{Amount: o.Amount, Document: fmt.Sprintf("%s%d", prefix, n),
			Now: o.Now, Journal: o.Journal, Label: o.Label})
		if err != nil {
			return err
		}
		if _, err := tx.InsertPayable(ctx, cr.ID, p, "refund", 0, 0); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}
