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
// customer's name, address and IBAN are remit's; the amount is the one the
// user says the customer is owed (remit keeps no suspense lines or customer
// credit notes yet to check it against). The refund's document is
// REMB-<date>-<n>, the next free of the day.
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
			Available: o.Amount, Source: o.Source}, payables.RefundRequest{Amount: o.Amount, Document: fmt.Sprintf("%s%d", prefix, n),
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
