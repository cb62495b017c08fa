package payables

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Overpayment is what a customer has paid too much and may be paid back:
// a suspense line allocated to the customer, or a credit note not yet
// netted (issue 20, part 8).
type Overpayment struct {
	Customer  string // the customer's account, 411…
	Name      string
	Address   remit.Address
	IBAN      string
	BIC       string
	Available int64  // cents the customer is owed, not yet refunded
	Currency  string // "" is EUR
	Source    string // what it comes from, for the label: "suspense 17", "avoir AV-2026-007"
}

// RefundRequest is remit refund's request.
type RefundRequest struct {
	Amount   int64     // cents; 0 refunds all that is available
	Document string    // the refund's document number, unique among payables (the caller numbers refunds)
	Now      time.Time // the day the refund is decided: its issue and due date
	Journal  string    // the bank to pay from; "" the defaults
	Label    string    // "" is "Remboursement trop-perçu" and the source
}

// Reasons a refund is refused.
var (
	ErrNothingToRefund  = errors.New("nothing to refund")
	ErrRefundTooLarge   = errors.New("more than the customer is owed")
	ErrRefundAmount     = errors.New("a refund is a positive amount")
	ErrTransferCurrency = errors.New("a SEPA transfer pays in euros only")
)

// Refund turns a customer's overpayment into a payable (remit refund
// 411DUPONT --amount 120.00): a transfer to the customer's account, for
// the amount asked (all that is available when none), never more than the
// customer is owed. The customer's account is the payable's account, so
// that the payment's entry debits 411 and lettering closes the
// overpayment. The refund is approved (the user's command is the bon à
// payer) and pointed: the next remit sct pays it. Every problem is
// returned at once; a missing or non-SEPA IBAN is one.
func Refund(o Overpayment, r RefundRequest) (Payable, error) {
	var errs []error
	ccy := cmp.Or(o.Currency, DefaultCurrency)
	amount := r.Amount
	switch {
	case o.Available <= 0:
		errs = append(errs, fmt.Errorf("%s: %w: the customer is owed %s", o.Customer, ErrNothingToRefund, amountText(o.Available, ccy)))
	case amount < 0:
		errs = append(errs, fmt.Errorf("%s: amount %s: %w", o.Customer, remit.FormatAmount(amount), ErrRefundAmount))
	case amount == 0:
		amount = o.Available
	case amount > o.Available:
		errs = append(errs, fmt.Errorf("%s: amount %s: %w (%s)", o.Customer, remit.FormatAmount(amount), ErrRefundTooLarge,
			amountText(o.Available, ccy)))
	}
	label := r.Label
	if label == "" {
		label = "Remboursement trop-perçu"
		if o.Source != "" {
			label += " " + o.Source
		}
	}
	today := remit.Day(r.Now)
	p := Payable{Document: r.Document, Supplier: o.Customer, Name: o.Name, Address: o.Address, Amount: amount,
		Currency: ccy, Issue: today, Due: today, Method: MethodTransfer, IBAN: o.IBAN, BIC: o.BIC, Journal: r.Journal,
		Label: label, Approved: true, Status: StatusPointed}
	if amount <= 0 {
		p.Amount = 1 // the amount's problem is reported above; check the rest
	}
	for _, e := range p.Validate() {
		errs = append(errs, e)
	}
	if !MethodTransfer.pays(ccy) {
		errs = append(errs, fmt.Errorf("%s: in %s: %w", o.Customer, ccy, ErrTransferCurrency))
	}
	if len(errs) > 0 {
		return Payable{}, errors.Join(errs...)
	}
	return p, nil
}
