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
