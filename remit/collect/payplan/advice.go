package payplan

import (
	"context"
	"errors"
	"io"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// WriteAdvices writes the avis de paiement of a payment remittance: one
// per payment (a supplier's), with the documents it settles, the credit
// notes netted, the discounts taken, the amount, the date, the method and
// the supplier's account masked, from the creditor's letterhead and its
// bank. They are dated by the remittance's creation, so that a regenerated
// file is the same bytes.
func WriteAdvices(ctx context.Context, items store.ItemReader, rem remit.Remittance, cr remit.Creditor, bank remit.Bank, method string,
	w io.Writer) error {
	pr, ok := items.(store.PaymentReader)
	if !ok {
		return errors.New("this store cannot read payments")
	}
	var iterErr error
	seq := func(yield func(bordereau.Payment) bool) {
		iterErr = pr.Payments(ctx, rem.ID, func(pay *store.PaymentRow) error {
			if !yield(AdvicePayment(pay, method)) {
				return errStop
			}
			return nil
		})
	}
	_, err := bordereau.WritePaymentAdvices(w, bordereau.PaymentAdvices{Payer: remit.BordereauParty(cr.Name, cr.Address),
		Bank: BankLabel(bank)}, seq, bordereau.AdviceOptions{Now: rem.CreatedAt, NoZone: true})
	if iterErr != nil && iterErr != errStop {
		return iterErr
	}
	return err
}

var errStop = errors.New("stop")

// AdvicePayment is a recorded payment as a letter or an advice prints it.
func AdvicePayment(pay *store.PaymentRow, method string) bordereau.Payment {
	b := bordereau.Payment{Reference: pay.EndToEndID, Supplier: pay.Payee, Payee: remit.BordereauParty(pay.Name, pay.Address),
		IBAN: pay.IBAN, Method: method, Date: pay.Date, Amount: pay.Amount}
	for _, l := range pay.Lines {
		b.Documents = append(b.Documents, bordereau.PaidDocument{Document: l.Document, Label: l.Label, Issued: l.Issue, Due: l.Due,
			Amount: l.Amount, Discount: l.Discount})
	}
	return b
}

// BankLabel names a bank on paper: its name, and its journal.
func BankLabel(b remit.Bank) string {
	if b.Name == "" {
		return b.Code
	}
	return b.Name + " (" + b.Code + ")"
}
