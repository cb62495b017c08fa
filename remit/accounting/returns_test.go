package accounting

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// dump writes an écriture's lines one per row: line, kind, account [aux]
// (counterpart), item/receivable/return, piece, date, label, side, amount.
func dump(e Ecriture) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s remittance %d\n", e.Journal, e.JournalLabel, e.Date, e.Remittance)
	for _, l := range e.Lines {
		side, amount := "D", l.Debit
		if l.Credit > 0 {
			side, amount = "C", l.Credit
		}
		account := l.Account
		if l.Aux != "" {
			account += " " + l.Aux
		}
		fmt.Fprintf(&b, ".%d %s %s (%s) %d/%d/%d %s %s %q %s %d\n", l.Seq, l.Kind, account, l.Counterpart, l.Item, l.Receivable,
			l.Return, l.Piece, l.PieceDate, l.Label, side, amount)
	}
	return b.String()
}

func TestReturn(t *testing.T) {
	booked := &Booked{Journal: "RT", JournalLabel: "Remises", Account: "411000", AccountLabel: "Clients", Aux: "411A", AuxLabel: "Alpha",
		Counterpart: "09261200"}
	in := ReturnInput{Remittance: 3, Item: 30, Receivable: 7, Return: 1, Date: "2026-12-08", Document: "F7", Customer: "411A",
		Name: "Alpha", Reason: "AM04", Due: "2026-12-05", Amount: 12000, Journal: "bq2"}
	withFee := in
	withFee.Booked, withFee.Fee = booked, 250
	notBooked := in
	notBooked.Fee = 250
	for _, tc := range []struct {
		name string
		o    Options
		in   ReturnInput
		want string
	}{
		{"booked, no fee", Options{}, ReturnInput{Remittance: 3, Item: 30, Receivable: 7, Return: 1, Date: "2026-12-08", Document: "F7",
			Reason: "AM04", Amount: 12000, Booked: booked}, `
RT Remises 2026-12-08 remittance 3
.1 return 411000 411A (09261200) 30/7/1 F7 2026-12-08 "Rejet F7 AM04" D 12000
.2 return 09261200 () 30/0/1 F7 2026-12-08 "Rejet F7 AM04" C 12000
`},
		{"booked, a fee taken from another account", Options{FeeCounterpart: "512900", Labels: map[Kind]string{KindReturn: "Impayé {doc} {name} {ref}",
			KindFee: "Frais {doc} {journal} {JJ}/{MM}"}}, withFee, `
RT Remises 2026-12-08 remittance 3
.1 return 411000 411A (09261200) 30/7/1 F7 2026-12-08 "Impayé F7 Alpha 003" D 12000
.2 return 09261200 () 30/0/1 F7 2026-12-08 "Impayé F7 Alpha 003" C 12000
.3 fee 627000 (512900) 30/0/1 F7 2026-12-08 "Frais F7 RT 08/12" D 250
.4 fee 512900 () 30/0/1 F7 2026-12-08 "Frais F7 RT 08/12" C 250
`},
		// Entries disabled when the collection was remitted: the fee goes
		// to the receivable's journal and its counterpart, masks filled
		// from the due date.
		{"not booked, a fee", Options{Journals: map[string]JournalOptions{"BQ2": {Counterpart: "512AAMM"}}}, notBooked, `
BQ2 BQ2 2026-12-08 remittance 3
.1 fee 627000 (5122612) 30/0/1 F7 2026-12-08 "Frais rejet F7" D 250
.2 fee 5122612 () 30/0/1 F7 2026-12-08 "Frais rejet F7" C 250
`},
		// Entries disabled since: the collection booked is still undone,
		// no fee is booked.
		{"booked, entries disabled since", Options{Disabled: true}, withFee, `
RT Remises 2026-12-08 remittance 3
.1 return 411000 411A (09261200) 30/7/1 F7 2026-12-08 "Rejet F7 AM04" D 12000
.2 return 09261200 () 30/0/1 F7 2026-12-08 "Rejet F7 AM04" C 12000
`},
	} {
		o, _ := tc.o.Normalize()
		e, ok := Return(o, tc.in)
		if !ok {
			t.Fatalf("%s: nothing to book", tc.name)
		}
		if got, want := dump(e), strings.TrimLeft(tc.want, "\n"); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, want)
		}
		if err := e.Check(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// Nothing booked and nothing to book.
	o, _ := Options{}.Normalize()
	if _, ok := Return(o, in); ok {
		t.Error("a return of a collection not booked, without fee, booked")
	}
	o.Disabled = true
	if _, ok := Return(o, notBooked); ok {
		t.Error("a fee booked with entries disabled")
	}
}

func TestEcritureCheck(t *testing.T) {
	e := Ecriture{Header: Header{Journal: "BQ", Date: "2026-12-08"}, Lines: []Line{
		{Kind: KindFee, Seq: 1, Account: "627000", Piece: "F1", Debit: 250},
		{Kind: KindFee, Seq: 2, Account: "512000", Piece: "F1", Credit: 200},
	}}
	if err := e.Check(); !errors.Is(err, ErrUnbalanced) || err.Error() != "journal BQ, 2026-12-08: debit 2.50, credit 2.00: entries do not balance" {
		t.Errorf("unbalanced: %v", err)
	}
	e.Lines[1].Debit = 50
	if err := e.Check(); err == nil || err.Error() != "line 2 (512000 F1): debit 0.50, credit 2.00: exactly one must be positive" {
		t.Errorf("both sides: %v", err)
	}
	e.Lines[1].Debit, e.Lines[1].Credit, e.Lines[1].Seq = 0, 250, 3
	if err := e.Check(); err == nil || err.Error() != "line 2 (512000 F1) is numbered 3: an écriture's lines are numbered 1, 2, … in order" {
		t.Errorf("numbered out of order: %v", err)
	}
	e.Lines[1].Seq = 2
	if err := e.Check(); err != nil {
		t.Errorf("a fee: %v", err)
	}
}
