package accounting

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

// A payment remittance: per payment, each document on the supplier's
// account (a credit note credited), its discount on 765, then the bank
// line; the supplier lines lettered P and the payable's id. Its return
// undoes the lines and books the fee.
func TestDisbursement(t *testing.T) {
	o, _ := Options{}.Normalize()
	r := remit.Remittance{ID: 5, Ref: "005", CreatedAt: time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)}
	d := NewDisbursement(o, r, "bq2", "512200")
	p := SupplierPayment{ID: 3, Date: time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), EndToEndID: "E2E-3", Payee: "401ACME",
		Name: "Acme", Amount: 98000, Documents: []PaidDocument{
			{Payable: 11, Document: "FA-1", Supplier: "401ACME", Amount: 100000, Discount: 1000},
			{Payable: 12, Document: "AV-1", Supplier: "401ACME", Amount: -1000},
		}}
	h, lines := d.Lines(nil, &p, 0)
	e := Ecriture{Header: h, Lines: lines}
	want := `BQ2 BQ2 2026-12-10 remittance 5
.1 payment 401000 401ACME (512200) 0/0/0 FA-1 2026-12-14 "FA-1 Acme" D 100000
.2 payment 765000 () 0/0/0 FA-1 2026-12-14 "Escompte FA-1" C 1000
.3 payment 401000 401ACME (512200) 0/0/0 AV-1 2026-12-14 "AV-1 Acme" C 1000
.4 payment 512200 () 0/0/0 E2E-3 2026-12-14 "Paiement E2E-3 Acme" C 98000
`
	if got := dump(e); got != want {
		t.Errorf("payment:\n%s\nwant:\n%s", got, want)
	}
	if err := e.Check(); err != nil {
		t.Error(err)
	}
	for i, want := range []string{"P11 2026-12-10 11 3 Fournisseurs", "  0 3 Escomptes obtenus", "P12 2026-12-10 12 3 Fournisseurs",
		"  0 3 Banques"} {
		l := e.Lines[i]
		if got := strings.Join([]string{l.Lettering.Code, l.Lettering.On, itoa(l.Payable), itoa(l.Payment), l.AccountLabel}, " "); got != want {
			t.Errorf("line %d: %q, want %q", i+1, got, want)
		}
	}
	// Entries dated by collection: the payment's own date; a second
	// payment continues the écriture's numbering.
	byDate, _ := Options{Date: DateCollection, Direct: true}.Normalize()
	d = NewDisbursement(byDate, r, "BQ2", "")
	if h, lines = d.Lines(nil, &p, 4); h.Date != "2026-12-14" || lines[0].Seq != 5 || lines[0].Account != "401ACME" ||
		lines[3].Account != "512000" {
		t.Errorf("by date: %+v %+v", h, lines)
	}

	ret, fee, retOK, feeOK := PaymentReturn(o, PaymentReturnInput{Remittance: 5, Date: "2026-12-16", EndToEndID: "E2E-3", Payee: "401ACME",
		Name: "Acme", Reason: "AC04", Fee: 300, Booked: e.Lines,
		BookedJournals: [][2]string{{"BQ2", "BQ2"}, {"BQ2", "BQ2"}, {"BQ2", "BQ2"}, {"BQ2", "BQ2"}}})
	if !retOK || !feeOK {
		t.Fatal("nothing booked")
	}
	want = `BQ2 BQ2 2026-12-16 remittance 5
.1 return 401000 401ACME (512200) 0/0/0 FA-1 2026-12-16 "Rejet E2E-3 AC04" C 100000
.2 return 765000 () 0/0/0 FA-1 2026-12-16 "Rejet E2E-3 AC04" D 1000
.3 return 401000 401ACME (512200) 0/0/0 AV-1 2026-12-16 "Rejet E2E-3 AC04" D 1000
.4 return 512200 () 0/0/0 E2E-3 2026-12-16 "Rejet E2E-3 AC04" D 98000
BQ2 BQ2 2026-12-16 remittance 5
.1 fee 627000 (512200) 0/0/0 E2E-3 2026-12-16 "Frais rejet E2E-3" D 300
.2 fee 512200 () 0/0/0 E2E-3 2026-12-16 "Frais rejet E2E-3" C 300
`
	if got := dump(ret) + dump(fee); got != want {
		t.Errorf("return:\n%s\nwant:\n%s", got, want)
	}
	if ret.Lines[0].Lettering != (Lettering{}) || ret.Lines[0].Payable != 11 || fee.Lines[0].Payment != 3 {
		t.Errorf("return lines %+v, fee %+v", ret.Lines[0], fee.Lines[0])
	}
	if _, _, retOK, _ := PaymentReturn(o, PaymentReturnInput{Fee: 300}); retOK {
		t.Error("a payment not booked returned")
	}
}

func TestLetterPayable(t *testing.T) {
	if got := LetterPayable(11, 1000, 1000, "2026-12-10"); got != (Lettering{"P11", "2026-12-10"}) {
		t.Errorf("settled: %+v", got)
	}
	if got := LetterPayable(11, 1000, 0, "2026-12-16"); got != (Lettering{"p11", "2026-12-16"}) {
		t.Errorf("returned: %+v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
