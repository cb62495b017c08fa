package remit

import (
	"strings"
	"testing"
)

// ChooseReturn's rules on plain values: the same message or the same
// reason on the same day is already recorded; only a remittance made by
// the return's date qualifies; the bank's amount and mandate must be the
// collection's; a collection rejected, returned or cancelled is refused,
// saying why.
func TestChooseReturn(t *testing.T) {
	remitted := ReturnCandidate{Remittance: 2, RemittanceCreated: "2026-12-01T09:00:00", Status: "remitted", Amount: 12500, RUM: "RUM-1"}
	older := ReturnCandidate{Remittance: 1, RemittanceCreated: "2026-11-01T09:00:00", Status: "rejected", Amount: 12500, RUM: "RUM-1",
		Source: SourcePain002, Reason: "AM04", Date: "2026-11-05", MsgID: "BANK-0"}
	cancelled := ReturnCandidate{Remittance: 3, RemittanceCreated: "2026-11-20T09:00:00", Status: "cancelled", Amount: 12500}
	for _, tc := range []struct {
		name          string
		in            ReturnInput
		day, msgID    string
		cands         []ReturnCandidate
		want          int
		status, words string
	}{
		{"applied", ReturnInput{Reason: "AC04"}, "2026-12-05", "BANK-1", []ReturnCandidate{remitted, older}, 0, ReturnApplied, ""},
		{"the same message again", ReturnInput{Reason: "AM04"}, "2026-12-05", "BANK-0", []ReturnCandidate{remitted, older}, 1, ReturnAlready,
			"already recorded (pain.002, 2026-11-05)"},
		{"the same reason the same day", ReturnInput{Reason: "AM04"}, "2026-11-05", "", []ReturnCandidate{older}, 0, ReturnAlready, "already recorded"},
		{"made after the return", ReturnInput{Reason: "AM04"}, "2026-11-30", "", []ReturnCandidate{remitted}, 0, ReturnRefused,
			"remittance 002 was created on 2026-12-01, after the return date 2026-11-30"},
		{"the older one qualifies", ReturnInput{Reason: "MD01"}, "2026-11-30", "", []ReturnCandidate{remitted, older}, 1, ReturnRefused,
			"already rejected on 2026-11-05 with reason AM04"},
		{"another amount", ReturnInput{Reason: "AM04", Amount: 100}, "2026-12-05", "", []ReturnCandidate{remitted}, 0, ReturnRefused,
			"the bank's amount 1,00 differs from the collection's 125,00"},
		{"another mandate", ReturnInput{Reason: "AM04", MandateID: "RUM-9"}, "2026-12-05", "", []ReturnCandidate{remitted}, 0, ReturnRefused,
			"the bank's mandate RUM-9 differs from the collection's RUM-1"},
		{"cancelled", ReturnInput{Reason: "AM04"}, "2026-12-05", "", []ReturnCandidate{cancelled}, 0, ReturnRefused, "remittance 003 was cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, status, msg := ChooseReturn(tc.in, tc.day, tc.msgID, tc.cands)
			if i != tc.want || status != tc.status || (tc.words != "" && !strings.Contains(msg, tc.words)) {
				t.Errorf("ChooseReturn = %d, %s, %q; want %d, %s, %q", i, status, msg, tc.want, tc.status, tc.words)
			}
		})
	}
}
