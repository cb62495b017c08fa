package payables

import (
	"testing"
	"time"
)

func TestSupplierInRange(t *testing.T) {
	for _, tc := range []struct {
		account, from, to string
		want              bool
	}{
		{"401MARTIN", "", "401M", true}, // the upper bound is also a prefix
		{"401MARTIN", "401A", "401M", true},
		{"401N", "401A", "401M", false},
		{"401A", "401A", "", true},
		{"4019", "401A", "", false},
		{"401", "", "", true},
		{"401DURAND", "401E", "401M", false},
	} {
		if got := SupplierInRange(tc.account, tc.from, tc.to); got != tc.want {
			t.Errorf("%s in [%s, %s]: %v", tc.account, tc.from, tc.to, got)
		}
	}
}

func TestFilterMatch(t *testing.T) {
	p := inv("FA-1", "401MARTIN", 500000, "2026-12-15")
	p.Issue, p.Journal = day("2026-11-15"), "BQ1"
	for _, tc := range []struct {
		name     string
		f        Filter
		edit     func(*Payable)
		approval bool
		want     bool
	}{
		{"no filter", Filter{}, nil, false, true},
		{"due range in", Filter{DueFrom: day("2026-12-01"), DueTo: day("2026-12-15")}, nil, false, true},
		{"due range out", Filter{DueTo: day("2026-12-14")}, nil, false, false},
		{"issue range in", Filter{IssueFrom: day("2026-11-01"), IssueTo: day("2026-11-30")}, nil, false, true},
		{"issue range, no issue date", Filter{IssueFrom: day("2026-11-01")}, func(p *Payable) { p.Issue = time.Time{} }, false, false},
		{"supplier prefix", Filter{SupplierFrom: "401A", SupplierTo: "401M"}, nil, false, true},
		{"method none", Filter{Method: "none"}, nil, false, false},
		{"method none matches none", Filter{Method: "none"}, func(p *Payable) { p.Method = MethodNone }, false, true},
		{"method any", Filter{Method: "any"}, nil, false, true},
		{"method one", Filter{Method: "chq"}, nil, false, false},
		{"journal none", Filter{Journal: "none"}, nil, false, false},
		{"journal one", Filter{Journal: "BQ1"}, nil, false, true},
		{"documents", Filter{Documents: []string{"FA-2", "FA-1"}}, nil, false, true},
		{"documents out", Filter{Documents: []string{"FA-2"}}, nil, false, false},
		{"amount at most 5000.00", Filter{AmountTo: 500000}, nil, false, true},
		{"amount over", Filter{AmountTo: 499999}, nil, false, false},
		{"credit notes pass the amount bound", Filter{AmountTo: 100}, func(p *Payable) { p.Amount = -900000 }, false, true},
		{"status open", Filter{Status: StatusOpen}, nil, false, true},
		{"status pointed", Filter{Status: StatusPointed}, nil, false, false},
		{"hide anomalies: contested", Filter{Anomalies: "hide"}, func(p *Payable) { p.Contested = true }, false, false},
		{"hide anomalies: unapproved when required", Filter{Anomalies: "hide"}, nil, true, false},
		{"hide anomalies: unapproved when not required", Filter{Anomalies: "hide"}, nil, false, true},
		{"only anomalies", Filter{Anomalies: "only"}, nil, true, true},
	} {
		q := p
		if tc.edit != nil {
			tc.edit(&q)
		}
		if err := tc.f.Validate(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if got := tc.f.Match(q, tc.approval); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestFilterValidate(t *testing.T) {
	for _, f := range []Filter{
		{Method: "sdd"}, {Method: "VIR"}, {Status: "rejected"}, {Anomalies: "show"},
		{DueFrom: day("2026-12-02"), DueTo: day("2026-12-01")}, {IssueFrom: day("2026-12-02"), IssueTo: day("2026-12-01")},
		{SupplierFrom: "401M", SupplierTo: "401A"}, {AmountTo: -1},
	} {
		if err := f.Validate(); err == nil {
			t.Errorf("%+v: no error", f)
		}
	}
	if err := (Filter{SupplierFrom: "401MARTIN", SupplierTo: "401M"}).Validate(); err != nil {
		t.Errorf("a prefix upper bound below its lower one is a range of one prefix: %v", err)
	}
}
