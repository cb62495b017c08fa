package payables

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

// payment is a settled group paying cents on date from the bank its
// payable names (journal, "" none).
func payment(doc, supplier string, cents int64, date, journal string) Group {
	p := inv(doc, supplier, cents, date)
	p.Journal = journal
	g, _ := newGroup([]Payable{p}, false, nil)
	Settle(&g, day(date), "", true)
	return g
}

// balances are projected balances that change on given days: the
// balance of a day is the last one set on or before it.
type balances map[string][]struct {
	from  string
	cents int64
}

func (b balances) at(bank string, d time.Time) int64 {
	var v int64
	for _, s := range b[bank] {
		if !day(s.from).After(d) {
			v = s.cents
		}
	}
	return v
}

func TestAssign(t *testing.T) {
	banks := []remit.Bank{
		{Code: "BQ1", Limit: -500000, Default: true},            // overdraft of 5 000,00 allowed; the creditor's default
		{Code: "BQ2", Limit: 0, Substitute: "bq1"},              // no overdraft, then BQ1 (codes compare whatever their case)
		{Code: "BQ3", Limit: -1_000_000_000, Substitute: "BQ2"}, // a large overdraft
		{Code: "BQ4", Limit: 0, Substitute: "BQ2"},              // a chain BQ4 → BQ2 → BQ1
		{Code: "BQ5", Limit: 0, Substitute: "BQ6"},              // a loop BQ5 → BQ6 → BQ5
		{Code: "BQ6", Limit: 0, Substitute: "BQ5"},
	}
	bal := balances{
		"BQ1": {{"2026-12-01", 1000000}},
		"BQ2": {{"2026-12-01", 300000}, {"2026-12-20", 900000}}, // a collection lands on the 20th
		"BQ4": {{"2026-12-01", 0}},
		"BQ5": {{"2026-12-01", 100}},
		"BQ6": {{"2026-12-01", 100}},
	}
	type step struct {
		g     Group
		bank  string
		from  string
		moved string
		note  string // a piece of the note, or of the reason when bank is ""
		below bool
	}
	for _, tc := range []struct {
		name  string
		o     func(*BankOptions)
		steps []step
	}{
		{"the payable's bank", nil, []step{{g: payment("FA-1", "401SUN", 100000, "2026-12-15", "BQ2"), bank: "BQ2", from: FromPayable}}},
		{"the supplier's default", nil, []step{{g: payment("FA-1", "401SUN", 100000, "2026-12-15", ""), bank: "BQ3", from: FromSupplier}}},
		{"the creditor's default", nil, []step{{g: payment("FA-1", "401DURAND", 100000, "2026-12-15", ""), bank: "BQ1", from: FromCreditor}}},
		{"down to the limit exactly stays", nil, []step{{g: payment("FA-1", "401X", 300000, "2026-12-15", "BQ2"), bank: "BQ2", from: FromPayable}}},
		{"one cent below moves to the substitute", nil, []step{{g: payment("FA-1", "401X", 300001, "2026-12-15", "BQ2"), bank: "BQ1",
			from: FromPayable, moved: "BQ2", note: "moved to BQ1: BQ2 would fall to -0,01 EUR on 2026-12-15, below its limit 0,00 EUR"}}},
		{"the payments already assigned count", nil, []step{
			{g: payment("FA-1", "401X", 200000, "2026-12-15", "BQ2"), bank: "BQ2", from: FromPayable},
			{g: payment("FA-2", "401X", 100000, "2026-12-16", "BQ2"), bank: "BQ2", from: FromPayable},
			{g: payment("FA-3", "401X", 1, "2026-12-17", "BQ2"), bank: "BQ1", from: FromPayable, moved: "BQ2"}}},
		{"an earlier payment does not see a later one's day, but is checked against it", nil, []step{
			// 9 000 on the 21st fits (balance 9 000 from the 20th).
			{g: payment("FA-1", "401X", 900000, "2026-12-21", "BQ2"), bank: "BQ2", from: FromPayable},
			// 1 000 on the 15th fits that day (3 000), but would leave -1 000 on the 21st.
			{g: payment("FA-2", "401X", 100000, "2026-12-15", "BQ2"), bank: "BQ1", from: FromPayable, moved: "BQ2",
				note: "BQ2 would fall to -1 000,00 EUR on 2026-12-21"}}},
		{"a later balance helps a later payment", nil, []step{
			{g: payment("FA-1", "401X", 300000, "2026-12-15", "BQ2"), bank: "BQ2", from: FromPayable},
			{g: payment("FA-2", "401X", 600000, "2026-12-21", "BQ2"), bank: "BQ2", from: FromPayable}}},
		{"along the chain of substitutes", nil, []step{{g: payment("FA-1", "401X", 400000, "2026-12-15", "BQ4"), bank: "BQ1",
			from: FromPayable, moved: "BQ4,BQ2", note: "moved to BQ1: BQ4 would fall to -4 000,00 EUR on 2026-12-15, below its limit 0,00 EUR; BQ2 would fall to -1 000,00 EUR"}}},
		{"no bank can: not assigned", nil, []step{{g: payment("FA-1", "401X", 2000000, "2026-12-15", "BQ4"), bank: "",
			from: FromPayable, moved: "BQ4,BQ2,BQ1", note: "BQ1 would fall to -10 000,00 EUR on 2026-12-15, below its limit -5 000,00 EUR; no substitute can take it"}}},
		{"a loop of substitutes ends", nil, []step{{g: payment("FA-1", "401X", 1000, "2026-12-15", "BQ5"), bank: "",
			from: FromPayable, moved: "BQ5,BQ6"}}},
		{"the user has the last word", func(o *BankOptions) { o.Override = "BQ2" }, []step{{g: payment("FA-1", "401X", 400000, "2026-12-15", "BQ1"),
			bank: "BQ2", from: FromOverride, below: true, note: "BQ2 falls to -1 000,00 EUR on 2026-12-15, below its limit 0,00 EUR: paid there as asked (--bank)"}}},
		{"no default anywhere", func(o *BankOptions) { o.Banks = o.Banks[4:6] }, []step{{g: payment("FA-1", "401DURAND", 1, "2026-12-15", ""),
			bank: "", note: "no bank: its payables name none, and neither the supplier nor the creditor has a default bank: name one with --bank"}}},
		{"a journal that is no bank: the defaults, with a note", nil, []step{{g: payment("FA-1", "401X", 1, "2026-12-15", "RT"), bank: "BQ1",
			from: FromCreditor, note: "journal RT is no bank"}}},
		{"a journal in another case", nil, []step{{g: payment("FA-1", "401X", 1, "2026-12-15", "bq2"), bank: "BQ2", from: FromPayable}}},
		{"nothing is a bank", func(o *BankOptions) { o.Banks = o.Banks[4:6] }, []step{{g: payment("FA-1", "401SUN", 1, "2026-12-15", "RT"),
			bank: "", note: "journal RT is no bank; the supplier's default bank BQ3 is no bank, and the creditor has no default bank"}}},
		{"another currency is not checked against the limit", nil, []step{{g: func() Group {
			g := payment("FA-1", "401X", 9000000, "2026-12-15", "BQ2")
			g.Currency = "USD"
			return g
		}(), bank: "BQ2", from: FromPayable, note: "in USD: not checked against the limit of BQ2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := BankOptions{Banks: banks, Balance: bal.at,
				SupplierDefault: func(s string) string { return map[string]string{"401SUN": "BQ3"}[s] }}
			if tc.o != nil {
				tc.o(&o)
			}
			a, err := NewAssigner(o)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tc.steps {
				got := a.Assign(s.g)
				text := got.Note
				if got.Bank == "" {
					text = got.Reason.String()
				}
				if got.Bank != s.bank || got.From != s.from || strings.Join(got.Moved, ",") != s.moved || got.BelowLimit != s.below ||
					!strings.Contains(text, s.note) {
					t.Fatalf("step %d: got %+v\nwant bank %q from %q moved %q note %q", i, got, s.bank, s.from, s.moved, s.note)
				}
			}
		})
	}
}

func TestNewAssignerProblems(t *testing.T) {
	_, err := NewAssigner(BankOptions{Banks: []remit.Bank{{Code: "BQ1", Substitute: "bq1", Default: true}, {Code: "BQ2", Substitute: "BQ9"},
		{Code: "bq2", Default: true}}, Override: "BQ8"})
	if !errors.Is(err, ErrBank) {
		t.Fatal(err)
	}
	for _, want := range []string{"BQ1 is its own substitute", "substitute BQ9 is not a bank", `bank "bq2" given twice`,
		"two default banks, BQ1 and bq2", "--bank BQ8 is not a bank", "no projected balances"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\ndoes not say %q", err, want)
		}
	}
}
