package payables_test

import (
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
)

func date(s string) time.Time {
	t, _ := time.Parse(remit.DateLayout, s)
	return t
}

// Two invoices and a credit note of one supplier become one transfer, the
// discount taken by paying early; a contested invoice waits; the bank
// named is too low for the payment, which moves to its substitute.
func ExamplePrepare() {
	sun := payables.Payable{Supplier: "401SUN", Name: "SUN CHEMICAL", Currency: "EUR", Method: payables.MethodTransfer,
		IBAN: "FR7630004008280001012345691", Journal: "BQ2", Approved: true}
	fa118, fa119, av7, fa120 := sun, sun, sun, sun
	fa118.Document, fa118.Amount, fa118.Due = "FA-2026-118", 120000, date("2026-12-31")
	fa118.Discount = payables.Discount{Rate: 200, Until: date("2026-12-15")}
	fa119.Document, fa119.Amount, fa119.Due = "FA-2026-119", 30000, date("2026-12-20")
	av7.Document, av7.Amount, av7.Due = "AV-2026-007", -15000, date("2026-12-10")
	fa120.Document, fa120.Amount, fa120.Due = "FA-2026-120", 50000, date("2026-12-20")
	fa120.Contested, fa120.ContestReason = true, "litige qualité"

	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	prep, err := payables.Prepare([]payables.Payable{fa118, fa119, av7, fa120}, payables.PrepareOptions{
		Dates:            payables.DateOptions{Now: now},
		ApprovalRequired: true,
		Rules:            payables.Rules{{Method: payables.MethodTransfer, Active: true, Party: payables.SameSupplier, Within: 30}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	banks, err := payables.NewAssigner(payables.BankOptions{
		Banks: []remit.Bank{
			{Code: "BQ1", Limit: -500000, Default: true},
			{Code: "BQ2", Limit: 0, Substitute: "BQ1"},
		},
		Balance: func(bank string, day time.Time) int64 {
			return map[string]int64{"BQ1": 2500000, "BQ2": 100000}[bank]
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range prep.Groups {
		a := banks.Assign(g)
		fmt.Printf("%s %s on %s: %s EUR from %s\n", g.Method, g.Name, g.Date.Format(remit.DateLayout), remit.FormatAmountFR(g.Net), a.Bank)
		fmt.Println(" ", a.Note)
		for _, d := range g.Discounts {
			fmt.Printf("  %s: %s EUR to %s\n", d.Label, remit.FormatAmountFR(d.Amount), d.Account)
		}
		fmt.Printf("  %q\n", payables.RemittanceInfo(g, "ACME-P-000118"))
	}
	for _, l := range prep.Left {
		fmt.Printf("%s left: %s\n", l.Document, l.Reason)
	}
	// Output:
	// vir SUN CHEMICAL on 2026-12-15: 1 326,00 EUR from BQ1
	//   moved to BQ1: BQ2 would fall to -326,00 EUR on 2026-12-15, below its limit 0,00 EUR
	//   Escompte 2 % FA-2026-118: 24,00 EUR to 765
	//   "AV-2026-007 -150,00 FA-2026-118 1200,00 FA-2026-119 300,00 ESCOMPTE -24,00"
	// FA-2026-120 left: contested (litige qualité): never paid while in dispute: remit payables resolve FA-2026-120 once settled
}
