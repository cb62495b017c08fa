package accounting_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// A reject of a collection booked on journal BQ, with the bank's fee,
// written in the FEC layout once the store has numbered it (écriture 12).
func ExampleReturn() {
	o, err := accounting.Options{}.Normalize()
	if err != nil {
		panic(err)
	}
	e, ok := accounting.Return(o, accounting.ReturnInput{Remittance: 3, Item: 30, Receivable: 7, Return: 1, Date: "2026-12-08",
		Document: "F2026-0042", Customer: "411BERNARD", Name: "Jean-François Bernard", Reason: "AM04", Amount: 8990, Fee: 550,
		Booked: &accounting.Booked{Journal: "BQ", JournalLabel: "Banque", Account: "411000", AccountLabel: "Clients",
			Aux: "411BERNARD", AuxLabel: "Jean-François Bernard", Counterpart: "512000"}})
	if !ok || e.Check() != nil {
		panic("nothing to book")
	}
	w := accounting.NewEntryCSVWriter(os.Stdout)
	for _, l := range e.Lines {
		w.Write(accounting.Entry{Journal: e.Journal, JournalLabel: e.JournalLabel, Number: 12, Line: int(l.Seq), Kind: l.Kind,
			Remittance: remit.Ref(e.Remittance), Date: e.Date, Account: l.Account, AccountLabel: l.AccountLabel, Aux: l.Aux,
			AuxLabel: l.AuxLabel, Piece: l.Piece, PieceDate: l.PieceDate, Label: l.Label, Debit: l.Debit, Credit: l.Credit,
			ValidDate: "2026-12-08"})
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance
	// BQ,Banque,12,1,2026-12-08,411000,Clients,411BERNARD,Jean-François Bernard,F2026-0042,2026-12-08,Rejet F2026-0042 AM04,89.90,0.00,,,2026-12-08,return,003
	// BQ,Banque,12,2,2026-12-08,512000,Banques,,,F2026-0042,2026-12-08,Rejet F2026-0042 AM04,0.00,89.90,,,2026-12-08,return,003
	// BQ,Banque,12,3,2026-12-08,627000,Services bancaires et assimilés,,,F2026-0042,2026-12-08,Frais rejet F2026-0042,5.50,0.00,,,2026-12-08,fee,003
	// BQ,Banque,12,4,2026-12-08,512000,Banques,,,F2026-0042,2026-12-08,Frais rejet F2026-0042,0.00,5.50,,,2026-12-08,fee,003
}

// A remittance of three items over two journals: the store counts its
// items by journal, the rule plans one écriture per journal, then gives
// each item's lines as the store reads them.
func ExampleNewCollection() {
	o, _ := accounting.Options{Journals: map[string]accounting.JournalOptions{"RT": {Counterpart: "5112", Label: "Remises"}}}.Normalize()
	r := remit.Remittance{ID: 2, Ref: "002", CreatedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	items := []accounting.CollectionItem{
		{ID: 10, Receivable: 1, Amount: 1000, Due: "2026-12-01", Document: "F1", Customer: "411A", Name: "Alpha"},
		{ID: 11, Receivable: 2, Amount: 2050, Due: "2026-12-01", Document: "F2", Customer: "411B", Name: "Bravo", Journal: "RT"},
		{ID: 12, Receivable: 3, Amount: 3000, Due: "2026-12-01", Document: "F3", Customer: "411A", Name: "Alpha"},
	}
	c, err := accounting.NewCollection(o, r, accounting.Banking{}, []accounting.ItemGroup{{Journal: "", Count: 2, Total: 4000},
		{Journal: "RT", Count: 1, Total: 2050}})
	if err != nil {
		panic(err)
	}
	for _, e := range c.Ecritures() {
		fmt.Printf("écriture %d: %s %s, %d lines, %s\n", e.Index, e.Journal, e.Date, e.Lines(), remit.FormatAmount(e.Total))
	}
	var lines []accounting.Line
	for i := range items {
		var e *accounting.CollectionEcriture
		e, lines = c.Lines(lines[:0], &items[i])
		for _, l := range lines {
			fmt.Println(strings.TrimSpace(fmt.Sprintf("%s.%d %s %s %q D %s C %s %s %s", e.Journal, l.Seq, l.Account, l.Aux, l.Label,
				remit.FormatAmount(l.Debit), remit.FormatAmount(l.Credit), l.Lettering.Code, l.Lettering.On)))
		}
	}
	fmt.Println(c.Err())
	// Output:
	// écriture 0: BQ 2026-11-22, 4 lines, 40.00
	// écriture 1: RT 2026-11-22, 2 lines, 20.50
	// BQ.1 512000  "Recettes au 22/11/26" D 10.00 C 0.00
	// BQ.2 411000 411A "F1 Alpha" D 0.00 C 10.00 AAA 2026-11-22
	// RT.1 5112  "Recettes au 22/11/26" D 20.50 C 0.00
	// RT.2 411000 411B "F2 Bravo" D 0.00 C 20.50 AAB 2026-11-22
	// BQ.3 512000  "Recettes au 22/11/26" D 30.00 C 0.00
	// BQ.4 411000 411A "F3 Alpha" D 0.00 C 30.00 AAC 2026-11-22
	// <nil>
}
