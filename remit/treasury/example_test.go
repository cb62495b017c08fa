package treasury_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/treasury"
)

func ExampleReconcile() {
	file := strings.Join([]string{
		"0112345    00100EUR2 00012345678  280225                                                  0000000102345F                ",
		"0412345RPRL00100EUR2 00012345678A1030325  030325REMISE PRLV SEPA CORE            0000042  0000000012500{RPRL0303250001  ",
		"0512345RPRL00100EUR2 00012345678A1030325     REFREMIT-2025-0000042                                                      ",
		"0412345IPRL00100EUR2 00012345678B303032564030325IMPAYE PRLV SEPA DUPONT JEAN     0000000  0000000000800}                ",
		"0512345IPRL00100EUR2 00012345678B3030325     RCNREMIT-2025-0000042-002                                                  ",
		"0412345VIRR00100EUR2 0001234567805030325  030325VIR SEPA RECU SARL EXEMPLE       0000000  0000000000099I                ",
		"0712345    00100EUR2 00012345678  030325                                                  0000000114145E                ",
	}, "\n")
	sts, err := cfonb120.ReadAll(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	bank := remit.Bank{Code: "BQ1", Name: "BANQUE EXEMPLE", IBAN: "FR7612345001000001234567857", Account: "512100", Default: true}
	candidates := treasury.Candidates{Lots: []treasury.Lot{{
		Bank: "BQ1", Remittance: "R000042", Block: 1, Op: remit.OpSDD, PmtInfID: "REMIT-2025-0000042",
		Date: statement.Date(2025, 3, 3), Total: 125000, BatchBooking: true,
		Items: []treasury.Item{
			{Document: "F2025-0101", EndToEndID: "REMIT-2025-0000042-001", Amount: 65000},
			{Document: "F2025-0102", EndToEndID: "REMIT-2025-0000042-002", Amount: 8000},
			{Document: "F2025-0103", EndToEndID: "REMIT-2025-0000042-003", Amount: 52000},
		},
	}}}
	plan, err := treasury.Reconcile(&sts[0], bank, candidates, treasury.ReconcileOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range plan.Matches {
		fmt.Printf("line %d %8s %s", m.Line, statement.Format(m.Amount), m.Outcome)
		for _, t := range m.Targets {
			fmt.Printf(" %s/%d", t.Remittance, t.Block)
			if t.Document != "" {
				fmt.Printf(" %s", t.Document)
			}
		}
		if m.ReturnReason != "" {
			fmt.Printf(" motif %s", m.ReturnReason)
		}
		if m.Suspense {
			fmt.Printf(" → suspense: %s", m.Reason)
		}
		fmt.Println()
	}
	fmt.Println("validated balance", statement.Format(plan.Balance), "on", plan.BalanceDate.Format("02/01/2006"))
	// Output:
	// line 2  1250.00 lot-credited R000042/1
	// line 4   -80.00 returned R000042/1 F2025-0102 motif 64
	// line 6     9.99 unmatched → suspense: no remittance, cheque deposit or open receivable of remit's explains it
	// validated balance 11414.55 on 03/03/2025
}

func ExampleForecast() {
	bank := remit.Bank{Code: "BQ2", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", Account: "512200",
		ValueDays: remit.ValueDays{remit.OpLCR: 2}, Limit: -500000, Balance: 100000, BalanceDate: statement.Date(2026, 11, 30), Default: true}
	ps, err := treasury.Forecast(treasury.ForecastInput{
		Banks: []remit.Bank{bank},
		To:    statement.Date(2026, 12, 31),
		Lots: []treasury.Lot{
			{Bank: "BQ2", Remittance: "L1", Op: remit.OpLCR, Date: statement.Date(2026, 12, 10), Total: 54000},
			{Bank: "BQ2", Remittance: "R7", Op: remit.OpSDD, Date: statement.Date(2026, 11, 25), Total: 25000}, // not yet reconciled
		},
		Payables: []treasury.Payable{{Ref: "FA-118", Method: "vir", Date: statement.Date(2026, 12, 11), Amount: 700000}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ps[0].Days {
		fmt.Printf("%s %9s %9s %9s %v\n", d.Date.Format("02/01"), statement.Format(d.In), statement.Format(d.Out), statement.Format(d.Balance), d.BelowLimit)
	}
	// Output:
	// 01/12    250.00      0.00   1250.00 false
	// 11/12      0.00   7000.00  -5750.00 true
	// 14/12    540.00      0.00  -5210.00 true
}

func ExampleExpectedValueDate() {
	bank := remit.Bank{ValueDays: remit.ValueDays{remit.OpCheque: 1}}
	saturday := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	fmt.Println(treasury.ExpectedValueDate(bank, remit.OpCheque, saturday).Format("Monday 2 January"))
	// Output: Tuesday 8 December
}

func ExampleAllocate() {
	receivables := []treasury.Receivable{
		{Document: "F2026-0042", Customer: "411DUPONT", Status: remit.StatusOpen, Open: 12000},
		{Document: "F2026-0043", Customer: "411DUPONT", Status: remit.StatusPointed, Open: 8000},
	}
	a, err := treasury.Allocate(treasury.SuspenseLine{ID: "17", Amount: 25000}, receivables,
		[]treasury.AllocationRequest{{Document: "F2026-0042"}, {Document: "F2026-0043", Amount: 5000}}, treasury.DefaultAccounts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range a.Parts {
		fmt.Printf("%s %s: %s allocated, %s still open, paid %v\n", p.Document, p.Customer, statement.Format(p.Amount), statement.Format(p.Remaining), p.Paid)
	}
	fmt.Println("in suspense:", statement.Format(a.Remaining))
	// Output:
	// F2026-0042 411DUPONT: 120.00 allocated, 0.00 still open, paid true
	// F2026-0043 411DUPONT: 50.00 allocated, 30.00 still open, paid false
	// in suspense: 80.00
}
