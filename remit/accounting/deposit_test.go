package accounting

import (
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

// A remise de chèques booked on 511 is credited by its bank: the bank's
// account debited, 511 credited, in the bank's journal on that day.
func TestDeposit(t *testing.T) {
	o, _ := Options{Journals: map[string]JournalOptions{"BQ2": {Label: "Crédit Lyonnais"}}}.Normalize()
	r := remit.Remittance{ID: 7, Ref: "007"}
	in := DepositInput{Remittance: r, Journal: "BQ2", BankAccount: "512200", BookedOn: "511200",
		On: time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC), Total: 123456}
	e, ok := Deposit(o, in)
	if !ok {
		t.Fatal("nothing to book")
	}
	want := `BQ2 Crédit Lyonnais 2026-12-04 remittance 7
.1 collection 512200 () 0/0/0 Remise 007 2026-12-04 "Recettes au 04/12/26" D 123456
.2 collection 511200 () 0/0/0 Remise 007 2026-12-04 "Recettes au 04/12/26" C 123456
`
	if got := dump(e); got != want {
		t.Errorf("deposit:\n%s\nwant:\n%s", got, want)
	}
	if err := e.Check(); err != nil {
		t.Error(err)
	}
	if e.Lines[0].AccountLabel != "Banques" || !strings.HasPrefix(e.Lines[1].AccountLabel, "Valeurs à l'encaissement") {
		t.Errorf("account labels %q, %q", e.Lines[0].AccountLabel, e.Lines[1].AccountLabel)
	}
	in.Total = 0
	if _, ok := Deposit(o, in); ok {
		t.Error("a remise left with nothing booked")
	}
	in.Total = 1
	o.Disabled = true
	if _, ok := Deposit(o, in); ok {
		t.Error("booked with entries disabled")
	}
}
