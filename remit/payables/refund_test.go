package payables

import (
	"errors"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

func TestRefund(t *testing.T) {
	dupont := Overpayment{Customer: "411DUPONT", Name: "DUPONT SA", IBAN: ibanDurnd, Available: 15000, Source: "suspense 17",
		Address: remit.Address{Town: "Lyon", Country: "FR"}}
	p, err := Refund(dupont, RefundRequest{Amount: 12000, Document: "RB-000001", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := Payable{Document: "RB-000001", Supplier: "411DUPONT", Name: "DUPONT SA", Address: dupont.Address, Amount: 12000,
		Currency: "EUR", Issue: day("2026-12-02"), Due: day("2026-12-02"), Method: MethodTransfer, IBAN: ibanDurnd,
		Label: "Remboursement trop-perçu suspense 17", Approved: true, Status: StatusPointed}
	if p != want {
		t.Fatalf("got  %+v\nwant %+v", p, want)
	}
	// It is paid by the next run like any pointed transfer: approved, so
	// even a creditor requiring approval takes it.
	if _, blocked := Blocked(p, true); blocked {
		t.Fatal("a refund is approved")
	}
	if p, err := Refund(dupont, RefundRequest{Document: "RB-2", Now: now}); err != nil || p.Amount != 15000 {
		t.Fatalf("no amount refunds all: %d %v", p.Amount, err)
	}
	for _, tc := range []struct {
		name string
		o    func(*Overpayment)
		r    RefundRequest
		is   []error
		says string
	}{
		{"more than owed", nil, RefundRequest{Amount: 15001, Document: "RB-3", Now: now}, []error{ErrRefundTooLarge},
			"411DUPONT: amount 150.01: more than the customer is owed (150,00 EUR)"},
		{"nothing owed", func(o *Overpayment) { o.Available = 0 }, RefundRequest{Amount: 100, Document: "RB-3", Now: now},
			[]error{ErrNothingToRefund}, "nothing to refund: the customer is owed 0,00 EUR"},
		{"negative", nil, RefundRequest{Amount: -1, Document: "RB-3", Now: now}, []error{ErrRefundAmount}, ""},
		{"no IBAN and no document: both said", func(o *Overpayment) { o.IBAN = "" }, RefundRequest{Amount: 100, Now: now},
			[]error{ErrRequired, ErrNeedsIBAN}, ""},
		{"an IBAN outside SEPA", func(o *Overpayment) { o.IBAN = ibanTR }, RefundRequest{Amount: 100, Document: "RB-3", Now: now},
			[]error{ident.ErrNotSEPA}, ""},
		{"not in euros", func(o *Overpayment) { o.Currency = "CHF" }, RefundRequest{Amount: 100, Document: "RB-3", Now: now},
			[]error{ErrTransferCurrency}, "411DUPONT: in CHF: a SEPA transfer pays in euros only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := dupont
			if tc.o != nil {
				tc.o(&o)
			}
			_, err := Refund(o, tc.r)
			for _, is := range tc.is {
				if !errors.Is(err, is) {
					t.Errorf("%v is not %v", err, is)
				}
			}
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%v does not say %q", err, tc.says)
			}
		})
	}
}
