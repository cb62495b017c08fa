package remit

import "testing"

func TestMandateExpiry(t *testing.T) {
	limit := MandateExpiryLimit(ruleNow)
	if limit != "2023-11-22" {
		t.Fatalf("36 months before 2026-11-22: %s", limit)
	}
	for _, tc := range []struct {
		name                 string
		status, last, signed string
		expired              bool
		since                string
	}{
		{"collected within 36 months", MandateActive, "2023-11-22", "2020-01-15", false, "2023-11-22"},
		{"last collected a day too early", MandateActive, "2023-11-21", "2020-01-15", true, "2023-11-21"},
		{"never used, signed within 36 months", MandateActive, "", "2023-11-22", false, "2023-11-22"},
		{"never used, signed before", MandateActive, "", "2023-11-21", true, "2023-11-21"},
		{"no date at all: nothing to count from", MandateActive, "", "", false, ""},
		{"blocked: its status says so already", MandateBlocked, "2020-01-01", "2019-01-01", false, "2020-01-01"},
		{"revoked", MandateRevoked, "2020-01-01", "2019-01-01", false, "2020-01-01"},
		{"already expired", MandateExpired, "2020-01-01", "2019-01-01", false, "2020-01-01"},
	} {
		expired, since := MandateExpiry(tc.status, tc.last, tc.signed, limit)
		if expired != tc.expired || since != tc.since {
			t.Errorf("%s: %v %s, want %v %s", tc.name, expired, since, tc.expired, tc.since)
		}
	}
}

func TestAmendments(t *testing.T) {
	const iban, ics = "FR7630004008280001012345691", "FR72ZZZ123456"
	for _, tc := range []struct {
		name string
		h    MandateHistory
		want Amendment
	}{
		{"nothing changed", MandateHistory{RUM: "R1", LastIBAN: iban}, Amendment{}},
		{"never collected: no account to compare", MandateHistory{RUM: "R1"}, Amendment{}},
		{"new account since the last collection", MandateHistory{RUM: "R1", LastIBAN: "FR1420041010050500013M02606"}, Amendment{Account: "SMNDA"}},
		{"new RUM", MandateHistory{RUM: "R2", OriginalRUM: "R1"}, Amendment{RUM: "R1"}},
		{"RUM changed back", MandateHistory{RUM: "R1", OriginalRUM: "R1"}, Amendment{}},
		{"new creditor identifier", MandateHistory{RUM: "R1", OriginalICS: "DE98ZZZ09999999999"}, Amendment{ICS: "DE98ZZZ09999999999"}},
		{"creditor identifier changed back", MandateHistory{RUM: "R1", OriginalICS: ics}, Amendment{}},
		{"all three", MandateHistory{RUM: "R2", OriginalRUM: "R1", OriginalICS: "DE98ZZZ09999999999", LastIBAN: "BE68539007547034"},
			Amendment{Account: "SMNDA", RUM: "R1", ICS: "DE98ZZZ09999999999"}},
	} {
		got := Amendments(tc.h, iban, ics)
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
		if got.Any() != (tc.want != Amendment{}) {
			t.Errorf("%s: Any %v", tc.name, got.Any())
		}
	}
	// Once per mandate and run.
	var run MandateRun
	h := MandateHistory{RUM: "R2", OriginalRUM: "R1"}
	if a := run.Announce(h, iban, ics); a.RUM != "R1" {
		t.Fatalf("first: %+v", a)
	}
	run.Amended = true
	if a := run.Announce(h, iban, ics); a.Any() {
		t.Errorf("announced twice in a run: %+v", a)
	}
}

func TestNextAfterReturn(t *testing.T) {
	for _, tc := range []struct {
		name             string
		settled, counted bool
		seq              string
		rcurOnly         bool
		want             string
	}{
		{"a FRST rejected before settlement, nothing else counted", false, false, SeqFirst, false, "next collection FRST again"},
		{"the same under the RCUR-only policy", false, false, SeqFirst, true, "next collection is a first one again (sent as RCUR: RCUR-only policy)"},
		{"an RCUR rejected, other collections counted", false, true, SeqRecurrent, false, ""},
		{"returned after settlement: it counted", true, false, SeqFirst, false, ""},
		{"a one-off mandate", false, false, SeqOneOff, false, ""},
	} {
		if got := NextAfterReturn(tc.settled, tc.seq, tc.counted, tc.rcurOnly); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
