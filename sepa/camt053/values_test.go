package camt053

import "testing"

func TestParseCents(t *testing.T) {
	for s, want := range map[string]int64{
		"0": 0, "1250": 125000, "1250.5": 125050, "1250.50": 125050, "1250.500": 125050, ".5": 50, "5.": 500,
		"0012.30": 1230, "9999999999999999.99": 999999999999999999,
	} {
		if got, ok := parseCents(s); !ok || got != want {
			t.Errorf("parseCents(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", ".", "-1", "+1", "1,50", "1.505", "1e3", " 1", "12345678901234567", "1.2.3", "NaN"} {
		if got, ok := parseCents(s); ok {
			t.Errorf("parseCents(%q) = %d, want a refusal", s, got)
		}
	}
}

func TestParseDates(t *testing.T) {
	for s, ok := range map[string]bool{
		"2025-03-03": true, "2025-03-03Z": true, "2025-03-03+01:00": true, "2024-02-29": true,
		"2025-02-29": false, "2025-3-3": false, "2025-03-03+15:00": false, "2025-03-03T00:00:00": false, "": false,
	} {
		if _, got := parseDate(s); got != ok {
			t.Errorf("parseDate(%q): %v, want %v", s, got, ok)
		}
	}
	d, _ := parseDateTime("2026-12-01T23:59:59-05:00")
	if got := dayOf(d); !got.Equal(day(2026, 12, 1)) {
		t.Errorf("the day of a date and time is the one written: %v", got)
	}
}
