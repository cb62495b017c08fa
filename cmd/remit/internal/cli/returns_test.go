package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
)

func TestRejectCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", entriesCSV))
	c.must("sdd")
	want := `STATUS   DOCUMENT         CUSTOMER           AMOUNT REASON                               DATE       EFFECT
applied  F2026-0042       411DUPONT        1 234,56 AM04 Provision insuffisante          2026-12-08 next collection FRST again; fee 5,50
1 applied
`
	if out := c.must("reject", "F2026-0042", "--reason", "AM04", "--date", "2026-12-08", "--fee", "5.50"); out != want {
		t.Errorf("reject:\n%s\nwant:\n%s", out, want)
	}
	want = `STATUS   DOCUMENT         CUSTOMER           AMOUNT REASON                               DATE       EFFECT
already  F2026-0042       411DUPONT        1 234,56 AM04 Provision insuffisante          2026-12-08 already recorded (manual, 2026-12-08)
1 already recorded
`
	if out := c.must("reject", "F2026-0042", "--reason", "am04", "--date", "08/12/2026", "--fee", "5.50"); out != want {
		t.Errorf("reject again:\n%s\nwant:\n%s", out, want)
	}
	out, errs, code := c.run("", "reject", "F2026-0099", "--reason", "AM04")
	want = `STATUS   DOCUMENT         CUSTOMER           AMOUNT REASON                               DATE       EFFECT
unknown  F2026-0099                                 AM04 Provision insuffisante          2026-11-22 no receivable F2026-0099
1 unknown
`
	if code != ExitRefused || out != want || errs != "" {
		t.Errorf("unknown document: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	// An LCR-style unpaid code is kept as given; MD01 blocks the mandate.
	out = c.must("reject", "F2026-0045", "--reason", "MD01", "--json")
	var res struct {
		Items      []struct{ Status, Reason, ReasonLabel, MandateEffect string }
		Status     string
		ExitStatus *int `json:"exit_status"`
	}
	json.Unmarshal([]byte(out), &res)
	if len(res.Items) != 1 || res.Items[0].Status != "applied" || res.Status != "done" || res.ExitStatus == nil || *res.ExitStatus != 0 || !strings.Contains(out, `"reason_label": "Pas de mandat valide (no valid mandate)"`) ||
		!strings.Contains(out, `"mandate_effect": "mandate RUM-DUR-1 blocked"`) {
		t.Errorf("json:\n%s", out)
	}
	if out := c.must("mandates", "unblock", "RUM-DUR-1"); out != "mandate RUM-DUR-1 (411DURAND) active again\n" {
		t.Errorf("unblock: %q", out)
	}
	// The entries show the reject and the fee, lettering partial.
	csv := c.must("entries", "--format", "csv", "--from", "2026-12-08")
	wantCSV := `journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance
BQ,Banque,2,1,2026-12-08,411000,Clients,411DUPONT,Dupont Matériaux,F2026-0042,2026-12-08,Rejet F2026-0042 AM04,1234.56,0.00,aaa,2026-12-08,2026-11-22,return,001
BQ,Banque,2,2,2026-12-08,512000,Banques,,,F2026-0042,2026-12-08,Rejet F2026-0042 AM04,0.00,1234.56,,,2026-11-22,return,001
BQ,Banque,2,3,2026-12-08,627000,Services bancaires et assimilés,,,F2026-0042,2026-12-08,Frais rejet F2026-0042,5.50,0.00,,,2026-11-22,fee,001
BQ,Banque,2,4,2026-12-08,512000,Banques,,,F2026-0042,2026-12-08,Frais rejet F2026-0042,0.00,5.50,,,2026-11-22,fee,001
`
	if csv != wantCSV {
		t.Errorf("entries after reject:\n%s\nwant\n%s", csv, wantCSV)
	}
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"reject", "F2026-0042"}, "--reason is required"},
		{[]string{"reject", "F2026-0042", "--reason", "AM-04"}, "2 to 4 letters or digits"},
		{[]string{"reject", "F2026-0042", "--reason", "AM04", "--fee", "-1"}, "--fee"},
		{[]string{"reject", "F2026-0042", "--reason", "AM04", "--date", "2026-13-01"}, "--date"},
	} {
		if _, errs, code := c.run("", tt.args...); code != ExitUsage || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %v: exit %d, stderr %q", tt.args, code, errs)
		}
	}
}

const bankCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;mandate_last_collected;town;country;pointed
F1;411A;Client A;10,00;2026-12-01;sdd;FR7630004008280001012345691;RUM-A;2025-01-15;;Lyon;FR;yes
F2;411B;Client B;20,00;2026-12-01;sdd;FR7630006000011234567890189;RUM-B;2025-01-15;2026-10-01;Lyon;FR;yes
F3;411C;Client C;30,00;2026-12-01;sdd;FR1420041010050500013M02606;RUM-C;2025-01-15;;Lyon;FR;yes
F4;411D;Client D;40,00;2026-12-15;sdd;DE89370400440532013000;RUM-D;2025-01-15;2026-10-01;Berlin;DE;yes
`

// bankFile copies a fixture of remit/testdata/returns, naming this test's remittance 001.
func (c *cliEnv) bankFile(name, msgID string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(testtool.RepoRoot(), "remit", "testdata", "returns", name))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.file(name, strings.ReplaceAll(string(b), "ACME-001-20261122100000", msgID))
}

func TestReturnsCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", bankCSV))
	c.must("sdd")
	var rem struct {
		MsgID string `json:"msg_id"`
	}
	json.Unmarshal([]byte(c.must("show", "1", "--json")), &rem)
	pain := c.bankFile("pain.002.001.03.rejects.xml", rem.MsgID)
	out, errs, code := c.run("", "returns", pain)
	want := pain + `: pain.002.001.03 BANK-STS-20261128-0001
STATUS   DOCUMENT         CUSTOMER           AMOUNT REASON                               DATE       EFFECT
applied  F1               411A                10,00 AM04 Provision insuffisante          2026-11-28 next collection FRST again
unknown  F9                                         AC01 Numéro de compte (IBAN) incorr… 2026-11-28 line 36: no collection with EndToEndId F9 in message ` + rem.MsgID + `
applied  F3               411C                30,00 MD01 Pas de mandat valide            2026-11-28 mandate RUM-C blocked
applied  F2               411B                20,00 MS03 Motif non précisé par la banque 2026-11-28
3 applied, 1 unknown
`
	if code != ExitPartial || out != want || errs != "" {
		t.Errorf("pain.002: exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errs, out, want)
	}
	// The same file again changes nothing; its unknown item is still refused: exit 3.
	out, _, code = c.run("", "returns", pain)
	if code != ExitPartial || strings.Count(out, "\nalready  ") != 3 || !strings.HasSuffix(out, "3 already recorded, 1 unknown\n") {
		t.Errorf("pain.002 again: exit %d\n%s", code, out)
	}
	camt := c.bankFile("camt.054.001.02.returns.xml", rem.MsgID)
	out, _, code = c.run("", "returns", camt, "--fee", "2.50")
	want = camt + `: camt.054.001.02 BANK-C54-20261217-0001
STATUS   DOCUMENT         CUSTOMER           AMOUNT REASON                               DATE       EFFECT
applied  F4               411D                40,00 MD06 Remboursement demandé par le d… 2026-12-17 fee 2,50
unknown                                             MS02 Refus du débiteur, motif non p… 2026-12-17 line 31: no EndToEndId
1 applied, 1 unknown
`
	if code != ExitPartial || out != want {
		t.Errorf("camt.054: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	// The next run: F1 is FRST again, F3's mandate is blocked, F2 and F4 remain RCUR.
	c.must("point", "--status", "rejected", "--due-from", "2026-12-01", "--due-to", "2026-12-31")
	out, _, code = c.run("", "sdd")
	want = `remittance 002  SDD CORE pain.008.001.08  bank BQ  PAIEMENT.002.xml, BORDEREAU.002.pdf
  FRST  2026-12-01        1            10,00
  RCUR  2026-12-01        1            20,00
  RCUR  2026-12-15        1            40,00
  total                   3            70,00
refused 1 receivable (left pointed; remit list --refused lists it):
  F3 411C 30,00: mandate RUM-C is blocked (a bank return said the mandate or the account is not valid): fix it, then reactivate it
    to do: correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; or leave it out: remit unpoint --document F3
`
	if code != ExitPartial || out != want {
		t.Errorf("next sdd: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	// Two files at once in JSON; a file that is not a bank report stops before anything changes.
	out, _, code = c.run("", "returns", "--json", pain, camt)
	// One object: the files, then the outcome (issue 17, item 3).
	if code != ExitPartial || !strings.HasPrefix(out, "{\n  \"files\": [\n    {\n      \"source\": \"pain.002\",\n      \"version\": \"pain.002.001.03\",") ||
		strings.Count(out, `"status": "already"`) != 4 || strings.Count(out, `"status": "unknown"`) != 2 ||
		!strings.HasSuffix(out, "  ],\n  \"status\": \"partial\",\n  \"exit_status\": 3\n}\n") {
		t.Errorf("json: exit %d\n%s", code, out)
	}
	_, errs, code = c.run("", "returns", c.file("bad.xml", "<Document/>"))
	if code != ExitFailed || !strings.Contains(errs, "bad.xml: sepa: returns:") {
		t.Errorf("bad file: exit %d, %s", code, errs)
	}
}
