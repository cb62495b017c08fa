package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestVerifyCollectionDateCome: a pain.008 sound on the day it was written
// is reported once its collection date has come, by the clock (REMIT_NOW).
func TestVerifyCollectionDateCome(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	xml := filepath.Join(c.dir, "out", "PAIEMENT.001.xml")
	c.must("verify", xml)
	b, _ := os.ReadFile(xml)
	m := regexp.MustCompile(`<ReqdColltnDt>(.*)</ReqdColltnDt>`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no ReqdColltnDt in\n%s", b)
	}
	date, _ := time.Parse(time.DateOnly, string(m[1]))
	c.now = date.Add(8 * time.Hour)
	out, _, code := c.run("", "verify", xml)
	want := "/ReqdColltnDt: collection date " + string(m[1]) + ": not after today (" + string(m[1]) + "): the bank needs the file before the collection date"
	if code != ExitFailed || !strings.Contains(out, want) || !strings.HasSuffix(out, ": 1 problem\n") {
		t.Errorf("exit %d, output:\n%s\nwant %q", code, out, want)
	}
}

// TestVerifyByteOrderMarkCommand: a pain.008 saved with a UTF-8 BOM is sound,
// with a warning.
func TestVerifyByteOrderMarkCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	b, _ := os.ReadFile(filepath.Join(c.dir, "out", "PAIEMENT.001.xml"))
	bom := c.file("bom.xml", "\ufeff"+string(b))
	out, errs, code := c.run("", "verify", bom)
	want := bom + ": warning: line 1, the file starts with a UTF-8 byte order mark (BOM): XML allows it and remit reads it, but a few bank portals refuse it\n" +
		bom + ": pain.008.001.08, 1 transaction, total 1 234,56 €: sound\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n%s%s\nwant:\n%s", code, out, errs, want)
	}
}

// TestVerifyCFONBTolerance: a date de valeur on an LCR encaissement (as
// Dolibarr and OpenFire write it) is a warning; a record of a wrong length
// does not hide a wrong total.
func TestVerifyCFONBTolerance(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	l, _ := os.ReadFile(filepath.Join(c.dir, "out", "PAIEMENT.002"))
	lines := strings.Split(string(l), "\r\n")
	if len(lines) != 4 || lines[0][78] != '3' || strings.TrimSpace(lines[0][118:124]) != "" {
		t.Fatalf("unexpected LCR file:\n%s", l)
	}
	withValueDate := lines[0][:118] + "221126" + lines[0][124:]
	f := c.file("dolibarr.lcr", strings.Join([]string{withValueDate, lines[1], lines[2], ""}, "\r\n"))
	out, _, code := c.run("", "verify", f)
	want := f + `: warning: line 1, record 03, zone date de valeur (119-124) "221126": must be blank for an encaissement (code entrée 3); banks accept it` + "\n" +
		f + ": CFONB 160 LCR (operation 60), 1 detail record in 1 remise, total 500,00 €: sound\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n%s\nwant:\n%s", code, out, want)
	}

	total := lines[2][:102] + "000000050001" + lines[2][114:]
	f = c.file("short.lcr", strings.Join([]string{lines[0], lines[1][:159], total, ""}, "\r\n"))
	out, _, code = c.run("", "verify", f)
	for _, w := range []string{": wrong record length: ", `line 3, record 08, zone montant total (103-114) "000000050001": total does not match the details: their sum is 50000`} {
		if code != ExitFailed || !strings.Contains(out, w) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, w, out)
		}
	}
}
