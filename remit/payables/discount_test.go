package payables

import (
	"errors"
	"testing"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"2", 200, true}, {"2 %", 200, true}, {"2%", 200, true}, {"1.5", 150, true}, {"1,25", 125, true},
		{"0.01", 1, true}, {"99.99", 9999, true}, {"0,5 %", 50, true},
		{"0", 0, false}, {"100", 0, false}, {"1.234", 0, false}, {"-2", 0, false}, {"+2", 0, false},
		{"2e1", 0, false}, {"1,5.0", 0, false}, {"", 0, false}, {"%", 0, false}, {"deux", 0, false}, {"1 5", 0, false},
	} {
		got, err := ParseRate(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrDiscountRate) {
			t.Errorf("ParseRate(%q): %v is not ErrDiscountRate", tc.in, err)
		}
	}
}

func TestRateString(t *testing.T) {
	for r, want := range map[Rate][2]string{200: {"2 %", "2"}, 150: {"1,5 %", "1.5"}, 125: {"1,25 %", "1.25"},
		105: {"1,05 %", "1.05"}, 10: {"0,1 %", "0.1"}, 1000: {"10 %", "10"}, 1: {"0,01 %", "0.01"}} {
		if r.String() != want[0] || r.Decimal() != want[1] {
			t.Errorf("%d: %q %q, want %q", r, r.String(), r.Decimal(), want)
		}
		if back, err := ParseRate(r.Decimal()); err != nil || back != r {
			t.Errorf("%d: Decimal %q reads back as %d %v", r, r.Decimal(), back, err)
		}
	}
}

func TestDiscountOn(t *testing.T) {
	withDiscount := func(cents int64, bp Rate, until string) Payable {
		p := inv("FA-1", "401SUN", cents, "2026-12-31")
		p.Discount = Discount{Rate: bp, Until: day(until)}
		return p
	}
	for _, tc := range []struct {
		name   string
		p      Payable
		paid   string
		amount int64
		taken  bool
		lost   bool
	}{
		{"2 % of 1200.00", withDiscount(120000, 200, "2026-12-10"), "2026-12-09", 2400, true, false},
		{"on the last date itself", withDiscount(120000, 200, "2026-12-10"), "2026-12-10", 2400, true, false},
		{"the day after: lost", withDiscount(120000, 200, "2026-12-10"), "2026-12-11", 0, false, true},
		{"half a cent goes up: 0.25 × 2 % = 0.5 c", withDiscount(25, 200, "2026-12-10"), "2026-12-01", 1, true, false},
		{"below half a cent goes down: 0.24 × 2 % = 0.48 c", withDiscount(24, 200, "2026-12-10"), "2026-12-01", 0, false, false},
		{"1.5 % of 333.33 = 4.99995 → 5.00", withDiscount(33333, 150, "2026-12-10"), "2026-12-01", 500, true, false},
		{"1.25 % of 1234.56 = 15.432 → 15.43", withDiscount(123456, 125, "2026-12-10"), "2026-12-01", 1543, true, false},
		{"largest amount does not overflow", withDiscount(99_999_999_999, 9999, "2026-12-10"), "2026-12-01", 99_989_999_999, true, false},
		{"no discount", inv("FA-1", "401SUN", 120000, "2026-12-31"), "2026-12-01", 0, false, false},
		{"credit note never", func() Payable { p := withDiscount(120000, 200, "2026-12-10"); p.Amount = -120000; return p }(), "2026-12-01", 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := DiscountOn(tc.p, day(tc.paid), "")
			if ok != tc.taken || got.Amount != tc.amount {
				t.Fatalf("got %+v %v, want %d taken %v", got, ok, tc.amount, tc.taken)
			}
			if errors.Is(err, ErrDiscountLost) != tc.lost {
				t.Fatalf("err %v, lost %v", err, tc.lost)
			}
			if ok && (got.Account != DiscountAccount || got.Label != "Escompte "+tc.p.Discount.Rate.String()+" FA-1" || got.Base != tc.p.Amount) {
				t.Fatalf("got %+v", got)
			}
		})
	}
	if got, _, _ := DiscountOn(withDiscount(100000, 200, "2026-12-10"), day("2026-12-01"), "765100"); got.Account != "765100" {
		t.Errorf("account %q", got.Account)
	}
}
