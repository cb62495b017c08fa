package sdd

import (
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa/pain008"
)

// TestItemTransactionAmendment pins what the planner's checks and the
// writer share (itemTransaction): a run's amendment of the debtor's account
// is SMNDA (remit.Amendments), written as such, with no original IBAN that
// the writer could refuse when the planner did not check it; only an older
// remit's items, written again by regenerate, carry the original IBAN.
func TestItemTransactionAmendment(t *testing.T) {
	const iban, older = "FR7630006000011234567890189", "FR1420041010050500013M02606"
	run := remit.Amendments(remit.MandateHistory{RUM: "R2", OriginalRUM: "R1", LastIBAN: older}, iban, "FR72ZZZ123456")
	for _, tc := range []struct {
		name string
		a    remit.Amendment
		want *pain008.Amendment
	}{
		{"none", remit.Amendment{}, nil},
		{"a run's", run, &pain008.Amendment{NewDebtorAccount: true, OriginalMandateID: "R1"}},
		{"an older remit's", remit.Amendment{Account: older}, &pain008.Amendment{OriginalDebtorIBAN: older}},
	} {
		it := remit.Item{EndToEndID: "E1", Amount: 1, RUM: "R2", MandateSigned: "2025-01-15", IBAN: iban, Name: "N", Amendment: tc.a}
		got := itemTransaction(&it).Amendment
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%s: amendment %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// The planner checks the amendment the writer writes: the same IBAN as
	// the debtor's is refused by both.
	it := remit.Item{EndToEndID: "E1", Amount: 1, RUM: "R2", MandateSigned: "2025-01-15", IBAN: iban, Name: "N",
		Amendment: remit.Amendment{Account: iban}}
	pi := issuerBlock(remit.Creditor{Name: "C", IBAN: older, ICS: "FR72ZZZ123456", Address: remit.Address{Town: "Paris", Country: "FR"}},
		"CORE", "RCUR", remit.StoredDate("2026-12-10"))
	if errs := pain008.CheckTransaction(itemTransaction(&it), pi, pain008.GroupHeader{}); len(errs) != 1 {
		t.Errorf("original IBAN same as the debtor's: %v, want one error", errs)
	}
}
