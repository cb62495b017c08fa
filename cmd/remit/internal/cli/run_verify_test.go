package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite"
)

const runCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country;acceptance;pointed
F2026-0042;411DUPONT;Dupont Matériaux;1234,56;01/12/2026;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR;;yes
F2026-0043;411MARTIN;Martin & Fils;500;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR;accepted;yes
F2026-0044;411VDV;Van der Velde;75;2026-12-15;lcr;NL91ABNA0417164300;;;Amsterdam;NL;;yes
`

func TestRunTwiceAndJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	out, errs, code := c.run("", "run", "--json", "--log-format", "json", "--no-bordereau")
	if code != ExitPartial {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	var sum RunSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("summary is not one JSON line: %v\n%s", err, out)
	}
	if sum.Status != "partial" || sum.ExitStatus != 3 || len(sum.Remittances) != 2 || len(sum.Refused) != 1 {
		t.Errorf("summary %+v", sum)
	}
	got := []string{}
	for _, r := range sum.Remittances {
		got = append(got, r.Ref+" "+r.Kind+" "+r.Scheme+" "+r.Total+" "+r.Files[0].Name)
		if len(r.Files[0].SHA256) != 64 {
			t.Errorf("file without sha256: %+v", r.Files[0])
		}
	}
	if strings.Join(got, "|") != "001 sdd CORE 1234.56 PAIEMENT.001.xml|002 lcr  500.00 PAIEMENT.002" {
		t.Errorf("remittances %q", got)
	}
	if r := sum.Refused[0]; r.Document != "F2026-0044" || !strings.Contains(r.Reasons[0], "is not French") {
		t.Errorf("refused %+v", r)
	}
	// Logs are JSON lines on stderr, with the IBAN masked.
	for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("log line not JSON: %q", line)
		}
	}
	if strings.Contains(errs, "NL91ABNA0417164300") || !strings.Contains(errs, "NL91**********4300") {
		t.Errorf("IBAN not masked in the logs:\n%s", errs)
	}
	// The second run does nothing (the refused one is still pointed and refused again).
	out, _, code = c.run("", "run", "--json", "--no-bordereau")
	// Nothing done, everything refused: status refused, exit 5.
	if err := json.Unmarshal([]byte(out), &sum); err != nil || len(sum.Remittances) != 0 || code != ExitRefused || sum.Status != "refused" {
		t.Errorf("second run: exit %d %s", code, out)
	}
	c.must("unpoint", "--document", "F2026-0044")
	if out, _, code = c.run("", "run"); code != 0 || !strings.Contains(out, ": nothing to do\n") {
		t.Errorf("third run: exit %d %q", code, out)
	}
}

func TestRunBusy(t *testing.T) {
	c := newCLI(t)
	c.setup()
	lock, err := sqlite.AcquireRunLock(filepath.Join(c.dir, "remit.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	_, errs, code := c.run("", "run", "--wait", "0s")
	if code != ExitBusy || !strings.Contains(errs, "busy: another remit run holds the database") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestVerifyCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	out := filepath.Join(c.dir, "out")
	xml, lcr := filepath.Join(out, "PAIEMENT.001.xml"), filepath.Join(out, "PAIEMENT.002")
	got := c.must("verify", xml, lcr)
	want := xml + ": pain.008.001.08, 1 transaction, total 1 234,56 €: sound\n" +
		lcr + ": CFONB 160 LCR (operation 60), 1 detail record in 1 remise, total 500,00 €: sound\n" +
		"2 of 2 files sound\n"
	if got != want {
		t.Errorf("verify:\n%s\nwant:\n%s", got, want)
	}
	// Broken copies: a wrong control sum, a 159-byte record.
	b, _ := os.ReadFile(xml)
	badXML := c.file("bad.xml", strings.Replace(string(b), "<CtrlSum>1234.56</CtrlSum>", "<CtrlSum>1234.57</CtrlSum>", 1))
	l, _ := os.ReadFile(lcr)
	badLCR := c.file("bad.lcr", strings.Replace(string(l), "REMISE 002 \r\n", "REMISE 002\r\n", 1))
	stdout, _, code := c.run("", "verify", badXML, badLCR)
	if code != ExitFailed {
		t.Errorf("exit %d", code)
	}
	for _, w := range []string{badXML + ": line 8, /Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum: CtrlSum is 1234.57 but the transactions of the file add up to 1234.56",
		badLCR + ": line 1, record 03: wrong record length: 159 characters, want 160", "0 of 2 files sound"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("verify output lacks %q:\n%s", w, stdout)
		}
	}
}

// verify takes --format json (issue 17, item 10): one object with each
// file's verdict, counts, total, problems and warnings, and the exit status.
func TestVerifyJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	out := filepath.Join(c.dir, "out")
	xml, lcr := filepath.Join(out, "PAIEMENT.001.xml"), filepath.Join(out, "PAIEMENT.002")
	b, _ := os.ReadFile(xml)
	badXML := c.file("bad.xml", strings.Replace(string(b), "<CtrlSum>1234.56</CtrlSum>", "<CtrlSum>1234.57</CtrlSum>", 1))
	stdout, _, code := c.run("", "verify", "--json", xml, lcr, badXML, filepath.Join(c.dir, "nosuch"))
	want := `{
  "files": [
    {
      "path": "` + xml + `",
      "kind": "pain.008.001.08",
      "sound": true,
      "transactions": 1,
      "total": "1234.56",
      "problems": [],
      "warnings": []
    },
    {
      "path": "` + lcr + `",
      "kind": "CFONB 160 LCR (operation 60)",
      "sound": true,
      "details": 1,
      "remises": 1,
      "total": "500.00",
      "problems": [],
      "warnings": []
    },
    {
      "path": "` + badXML + `",
      "kind": "pain.008.001.08",
      "sound": false,
      "transactions": 1,
      "total": "1234.56",
      "problems": [
        "line 8, /Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum: CtrlSum is 1234.57 but the transactions of the file add up to 1234.56"
      ],
      "warnings": []
    },
    {
      "path": "` + filepath.Join(c.dir, "nosuch") + `",
      "sound": false,
      "problems": [],
      "warnings": [],
      "error": "open ` + filepath.Join(c.dir, "nosuch") + `: no such file or directory"
    }
  ],
  "sound": 2,
  "count": 4,
  "status": "failed",
  "exit_status": 1
}
`
	if code != ExitFailed || stdout != want {
		t.Errorf("verify --json: exit %d\n%s\nwant:\n%s", code, stdout, want)
	}
	if stdout, _, code := c.run("", "verify", "--format", "json", xml); code != 0 || !strings.Contains(stdout, `"status": "done",`) {
		t.Errorf("verify --format json of a sound file: exit %d\n%s", code, stdout)
	}
}
