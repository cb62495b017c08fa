package bordereau_test

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/remit-dev/remit/bordereau"
)

func ExampleWriteSlip() {
	due := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	coll := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // the next TARGET2 business day
	items := []bordereau.SlipItem{
		{Block: "FRST · CORE · 01/12/2026", Document: "F2026-0001", Customer: "411DUPONT", Name: "Dupont SARL",
			Account: "FR7630004008280001012345691", Due: due, Collection: coll, Detail: "FRST", Amount: 123456},
		{Block: "RCUR · CORE · 01/12/2026", Document: "F2026-0002", Customer: "411MARTIN", Name: "Martin & Fils",
			Account: "FR7610278073000002047120185", Due: due, Collection: coll, Detail: "RCUR", Amount: 98000},
	}
	s := bordereau.Slip{
		Creditor:  bordereau.Party{Name: "Société Exemple", Address: bordereau.Address{Street: "1 rue de la Paix", Postcode: "75002", Town: "Paris"}},
		ICS:       "FR12ZZZ123456",
		IBAN:      "FR7630004008280001012345691",
		BIC:       "BNPAFRPPXXX",
		Bank:      "BNP Paribas",
		Reference: "REM-2026-0042",
		Kind:      "Prélèvement SEPA CORE",
		Files:     []bordereau.File{{Name: "REM-2026-0042.xml", SHA256: "…"}},
		DueFrom:   due,
		DueTo:     due,
		Dates:     []time.Time{coll},
		Count:     2,
		Total:     123456 + 98000,

		DatesLabel:      "Dates de prélèvement",
		CollectionDates: true,
		DetailTitle:     "Séquence",
	}
	now := time.Date(2026, 11, 24, 9, 41, 0, 0, time.UTC)
	pages, err := bordereau.WriteSlip(io.Discard, s, slices.Values(items), bordereau.SlipOptions{Copies: 2, Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pages, "pages")

	// A total that does not match the items is refused.
	s.Total++
	_, err = bordereau.WriteSlip(io.Discard, s, slices.Values(items), bordereau.SlipOptions{Now: now})
	fmt.Println(err)
	// Output:
	// 2 pages
	// items sum to 2 214,56 €, header says 2 214,57 €: sum of the items differs from the header total
}

func ExampleAmountInWords() {
	for _, cents := range []int64{123456, 8000000, 7100, 20000000000, 101} {
		fmt.Println(bordereau.AmountInWords(cents))
	}
	// Output:
	// mille deux cent trente-quatre euros et cinquante-six centimes
	// quatre-vingt mille euros
	// soixante et onze euros
	// deux cents millions d'euros
	// un euro et un centime
}

func ExampleWriteChequeLetters() {
	supplier := bordereau.Party{Name: "Imprimerie Leblanc & Cie",
		Address: bordereau.Address{Street: "4, quai de la Fosse", Postcode: "44000", Town: "Nantes"}}
	paid := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	payments := []bordereau.Payment{
		{Reference: "PAY-2026-0001", Supplier: "401LEBLANC", Payee: supplier, Date: paid, Amount: 123456,
			Documents: []bordereau.PaidDocument{{Document: "FA-2026-118", Amount: 123456}}},
		{Reference: "PAY-2026-0002", Supplier: "401LEBLANC", Payee: supplier, Date: paid, Amount: 78000,
			Documents: []bordereau.PaidDocument{
				{Document: "FA-2026-131", Amount: 100000, Discount: 2000},
				{Document: "AV-2026-007", Amount: -20000}, // a credit note netted in the group
			}},
	}
	l := bordereau.ChequeLetters{
		Drawer:      bordereau.Party{Name: "Société Exemple", Address: bordereau.Address{Postcode: "69002", Town: "Lyon"}},
		Bank:        "CIC Lyon Part-Dieu",
		FirstNumber: 4500121,
	}
	now := time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)
	cnt, err := bordereau.WriteChequeLetters(io.Discard, l, slices.Values(payments), bordereau.ChequeOptions{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cheques, n° %07d to %07d, %d pages\n", cnt.Printed, cnt.First, cnt.Last, cnt.Pages)
	// Output:
	// 2 cheques, n° 4500121 to 4500122, 2 pages
}
