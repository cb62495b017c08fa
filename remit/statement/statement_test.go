package statement

import (
	"errors"
	"math"
	"testing"
)

func TestCheck(t *testing.T) {
	s := Statement{
		Opening: Balance{Amount: 1023456},
		Closing: Balance{Amount: 1169206},
		Entries: []Entry{
			{Amount: 125000, Status: StatusBook},
			{Amount: -8000, Status: StatusBook},
			{Amount: 30000, Status: StatusBook},
			{Amount: 999999, Status: "PDNG"}, // not booked: does not count
			{Amount: -1250, Status: StatusBook},
		},
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.Closing.Amount = -1
	err := s.Check()
	want := "balances do not add up: opening balance 10234.56 + movements 1457.50 = 11692.06, but the closing balance is -0.01 (difference -11692.07)"
	if !errors.Is(err, ErrUnbalanced) || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	s.Entries = []Entry{{Line: 7, Amount: math.MaxInt64, Status: StatusBook}, {Line: 9, Amount: 1, Status: StatusBook}}
	if err := s.Check(); !errors.Is(err, ErrOverflow) || err.Error() != "entry at line 9: amounts too large to add up" {
		t.Fatalf("overflow: %v", err)
	}
}

func TestFormat(t *testing.T) {
	for cents, want := range map[int64]string{
		0: "0.00", 5: "0.05", -5: "-0.05", 100: "1.00", 1023456: "10234.56", -8000: "-80.00",
		math.MinInt64: "-92233720368547758.08", math.MaxInt64: "92233720368547758.07",
	} {
		if got := Format(cents); got != want {
			t.Errorf("Format(%d) = %s, want %s", cents, got, want)
		}
	}
}

func TestAdd(t *testing.T) {
	for _, tt := range []struct {
		a, b int64
		ok   bool
	}{{1, 2, true}, {math.MaxInt64, 1, false}, {math.MinInt64, -1, false}, {math.MaxInt64, math.MinInt64, true}, {-5, 5, true}} {
		if c, ok := Add(tt.a, tt.b); ok != tt.ok || ok && c != tt.a+tt.b {
			t.Errorf("Add(%d, %d) = %d, %v", tt.a, tt.b, c, ok)
		}
	}
}

func TestCounterparty(t *testing.T) {
	debtor, creditor := Party{Name: "DEBITEUR"}, Party{Name: "CREANCIER"}
	for _, tt := range []struct {
		d    Detail
		want Party
	}{
		{Detail{Amount: 100, Debtor: debtor, Creditor: creditor}, debtor},    // a credit comes from the debtor
		{Detail{Amount: -100, Debtor: debtor, Creditor: creditor}, creditor}, // a debit goes to the creditor
		{Detail{Amount: -100, Debtor: debtor}, debtor},                       // a returned collection names only the debtor
		{Detail{Amount: 100, Creditor: creditor}, creditor},
		{Detail{}, Party{}},
	} {
		if got := tt.d.Counterparty(); got != tt.want {
			t.Errorf("%+v: %+v, want %+v", tt.d, got, tt.want)
		}
	}
}
