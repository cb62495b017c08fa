package accounting

import (
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/treasury"
)

// The treasury écritures, as the statement import, the allocation of the
// suspense account and a write-off book them: no remittance, the bank's
// code as journal (OD for a write-off), each receivable's customer
// credited.
func TestTreasuryEcritures(t *testing.T) {
	o, _ := Options{}.Normalize()
	direct, _ := Options{Direct: true, Journals: map[string]JournalOptions{"OD": {Label: "Divers"}}}.Normalize()
	on := time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC)
	alpha := Settled{Customer: Customer{Receivable: 7, Code: "411A", Name: "Alpha"}, Document: "F7", Amount: 12000}
	bravo := Settled{Customer: Customer{Receivable: 9, Code: "411B", Name: "Bravo"}, Document: "F9", Amount: 3050}
	w := treasury.WriteOff{Document: "F9", Reason: "liquidation", Date: on, Amount: 12000, VAT: 2000, Loss: 10000,
		LossAccount: "654000", VATAccount: "445710"}
	for _, tc := range []struct {
		name string
		e    Ecriture
		want string
	}{
		{"a credit to the suspense account", first(Suspense(o, SuspenseInput{Bank: "bq2", BankAccount: "512200", Line: 42, On: on,
			Amount: 5000, Label: " VIR DUPONT "})), `
BQ2 BQ2 2026-12-10 remittance 0
.1 suspense 512200 () 0/0/0 ATT42 2026-12-10 "Attente  VIR DUPONT" D 5000
.2 suspense 471000 () 0/0/0 ATT42 2026-12-10 "Attente  VIR DUPONT" C 5000
`},
		{"a transfer paying two receivables", first(Payment(o, PaymentInput{Bank: "BQ", BankAccount: "512000", On: on,
			Paid: []Settled{alpha, bravo}})), `
BQ Banque 2026-12-10 remittance 0
.1 payment 512000 () 0/0/0 F7 2026-12-10 "Règlement F7 Alpha" D 12000
.2 payment 411000 411A () 0/7/0 F7 2026-12-10 "Règlement F7 Alpha" C 12000
.3 payment 512000 () 0/0/0 F9 2026-12-10 "Règlement F9 Bravo" D 3050
.4 payment 411000 411B () 0/9/0 F9 2026-12-10 "Règlement F9 Bravo" C 3050
`},
		{"a suspense line allocated", first(Allocation(direct, AllocationInput{Bank: "BQ", Line: 42, On: on, SuspenseAccount: "471000",
			Allocated: 15050, Parts: []Settled{alpha, bravo}})), `
BQ Banque 2026-12-10 remittance 0
.1 allocation 471000 () 0/0/0 ATT42 2026-12-10 "Vidage compte d'attente ATT42" D 15050
.2 allocation 411A () 0/7/0 ATT42 2026-12-10 "Affectation F7 Alpha" C 12000
.3 allocation 411B () 0/9/0 ATT42 2026-12-10 "Affectation F9 Bravo" C 3050
`},
		{"a write-off with its VAT", first(WriteOff(direct, w, bravo.Customer)), `
OD Divers 2026-12-10 remittance 0
.1 writeoff 654000 () 0/0/0 F9 2026-12-10 "Abandon de créance F9 liquidation" D 10000
.2 writeoff 445710 () 0/0/0 F9 2026-12-10 "Abandon de créance F9 liquidation" D 2000
.3 writeoff 411B () 0/9/0 F9 2026-12-10 "Abandon de créance F9 liquidation" C 12000
`},
	} {
		if got, want := dump(tc.e), strings.TrimLeft(tc.want, "\n"); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, want)
		}
		if err := tc.e.Check(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// Entries off: nothing to book.
	o.Disabled = true
	if _, ok := Suspense(o, SuspenseInput{Amount: 1}); ok {
		t.Error("a suspense écriture with entries off")
	}
	if _, ok := WriteOff(o, w, bravo.Customer); ok {
		t.Error("a write-off's écriture with entries off")
	}
	o.Disabled = false
	if _, ok := Payment(o, PaymentInput{}); ok {
		t.Error("a payment of nothing")
	}
	w.VAT, w.Loss = 0, 12000
	if e, _ := WriteOff(o, w, bravo.Customer); len(e.Lines) != 2 || e.JournalLabel != "Opérations diverses" {
		t.Errorf("a write-off without VAT: %s", dump(e))
	}
}

func first(e Ecriture, ok bool) Ecriture {
	if !ok {
		return Ecriture{}
	}
	return e
}
