package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// Regression: remit reject took any code of 2 to 4 characters for a SEPA
// direct debit (XX01, a typing error, went into the books and the
// reporting); an LCR unpaid code remit does not know went by unsaid.
func TestRejectReasonByKind(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau") // 001 SDD F2026-0042, 002 LCR F2026-0043; F2026-0044 refused

	codes := "AC01, AC04, AC06, AC13, AG01, AG02, AM04, AM05, BE05, CNOR, CUST, DNOR, DUPL, ED05, FF01, FOCR, FRAD, " +
		"MD01, MD02, MD06, MD07, MS02, MS03, NARR, RC01, RR01, RR02, RR03, RR04, SL01, TECH"
	refusal := "--reason XX01 for F2026-0042, a SEPA direct debit: not a reason code of SEPA direct debits; " +
		"use one of the ISO 20022 codes of the EPC R-transactions: " + codes
	out, errs, code := c.run("", "reject", "F2026-0042", "--reason", "xx01")
	if code != ExitUsage || out != "" || errs != "remit: "+refusal+"\n" {
		t.Errorf("reject an SDD with XX01: exit %d, %q, %q", code, out, errs)
	}
	out, _, code = c.run("", "reject", "F2026-0042", "--reason", "AM4", "--json")
	var o Outcome
	if err := json.Unmarshal([]byte(out), &o); err != nil || code != ExitUsage || o.Status != "usage" ||
		!strings.HasPrefix(o.Error, "--reason AM4 for F2026-0042, a SEPA direct debit: not a reason code") {
		t.Errorf("reject --json an SDD with AM4: exit %d, %q", code, out)
	}
	// Nothing was recorded.
	if out := c.must("list", "--document", "F2026-0042", "--format", "csv"); !strings.Contains(out, ",remitted,") {
		t.Errorf("after the refused rejects:\n%s", out)
	}
	if out, errs, code := c.run("", "reject", "F2026-0042", "--reason", "ms03"); code != 0 || errs != "" || !strings.Contains(out, "\n1 applied\n") {
		t.Errorf("reject an SDD with MS03: exit %d, %q, %q", code, out, errs)
	}

	// An LCR unpaid: any code, said when remit does not know it.
	note := "LCR unpaid code 31 is not a code remit knows (it knows the ISO 20022 codes of SEPA direct debits, " +
		"not the CFONB list of unpaid codes): recorded as given; check it against the bank's unpaid notice (avis d'impayé)"
	out, errs, code = c.run("", "reject", "F2026-0043", "--reason", "31", "--json")
	var res struct {
		Items  []struct{ Status, Reason string }
		Notes  []string
		Status string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res.Items) != 1 || res.Items[0].Status != "applied" ||
		res.Items[0].Reason != "31" || len(res.Notes) != 1 || res.Notes[0] != note || res.Status != "done" {
		t.Errorf("reject an LCR with 31: exit %d, %s", code, out)
	}
	if errs != "remit: warning: F2026-0043: "+note+"\n" {
		t.Errorf("reject an LCR with 31, stderr: %q", errs)
	}
	// A code remit knows, and --quiet, say nothing.
	if _, errs, code := c.run("", "reject", "F2026-0043", "--reason", "AM04", "--date", "2026-11-23"); code != ExitRefused || strings.Contains(errs, "warning") {
		t.Errorf("reject an LCR again with AM04: exit %d, %q", code, errs)
	}
	if _, errs, _ := c.run("", "reject", "F2026-0043", "--reason", "31", "--quiet"); errs != "" {
		t.Errorf("reject --quiet: %q", errs)
	}
}
