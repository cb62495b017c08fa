package sepa

import (
	"testing"
	"time"
)

func TestXMLAmountFormat(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{1, "0.01"}, {10, "0.10"}, {99, "0.99"}, {100, "1.00"}, {101, "1.01"}, {12345, "123.45"},
		{36050, "360.50"}, {99999999999, "999999999.99"}, {-5, "-0.05"}, {0, "0.00"},
	}
	for _, tt := range tests {
		if got := formatCents(tt.cents); got != tt.want {
			t.Errorf("formatCents(%d) = %s, want %s", tt.cents, got, tt.want)
		}
	}
}

func TestXMLDateFormat(t *testing.T) {
	tm := time.Date(987, 3, 4, 5, 6, 7, 800, time.UTC)
	if got := string(appendISODateTime(nil, tm)); got != "0987-03-04T05:06:07" {
		t.Errorf("appendISODateTime = %s", got)
	}
	tm = time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.FixedZone("CET", 3600))
	if got := string(appendISODateTime(nil, tm)); got != "2026-12-31T23:59:59" {
		t.Errorf("appendISODateTime = %s", got)
	}
	if got := string(appendISODate(nil, tm)); got != "2026-12-31" {
		t.Errorf("appendISODate = %s", got)
	}
}
