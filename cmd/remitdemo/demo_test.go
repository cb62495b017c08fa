package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// remitBin builds ./cmd/remit into a temporary folder.
func remitBin(t *testing.T) string {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gobin = p
	}
	bin := filepath.Join(t.TempDir(), "remit")
	if out, err := exec.Command(gobin, "build", "-o", bin, "../remit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestDemo runs the whole demo, as `make demo` does, with the clock moved to
// days that broke fixed-date demo data: today, a weekend, the days before
// TARGET2 holidays (Christmas, New Year, Good Friday, 1 May), late in the
// evening and in another time zone. Every step must exit 0 and every file
// verify sound (issue 15, item 18).
func TestDemo(t *testing.T) {
	bin := remitBin(t)
	// A user's own configuration must not reach the demo.
	elsewhere := filepath.Join(t.TempDir(), "mine.db")
	t.Setenv("REMIT_DB", elsewhere)
	t.Setenv("REMIT_OUT", filepath.Join(t.TempDir(), "myout"))
	days := []string{
		time.Now().UTC().Format(time.RFC3339),
		"2026-12-02T09:00:00Z",      // a Wednesday
		"2026-12-05T10:00:00Z",      // a Saturday
		"2026-12-24T16:00:00Z",      // Thursday before Christmas (Friday) and 26 December
		"2026-12-31T23:30:00+01:00", // New Year's Eve, late, in Paris; 1 January is a Friday
		"2027-03-25T09:00:00Z",      // Thursday before Good Friday and Easter Monday
		"2028-04-28T09:00:00Z",      // Friday before 1 May, a Monday
		"2028-12-22T09:00:00Z",      // Friday before Christmas Monday and Tuesday
		"2028-12-29T18:00:00Z",      // Friday after the cut-off, before 1 January, a Monday
	}
	if testing.Short() {
		days = days[:2]
	}
	for _, day := range days {
		t.Run(day, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, day)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			d := demo{bin: bin, dir: filepath.Join(t.TempDir(), "demo"), now: now, out: &out, errOut: &out}
			if err := d.run(); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			s := out.String()
			for _, step := range []string{"init", "creditor set", "import receivables.csv", "import iban-change.csv", "point --method sdd",
				"point --method lcr", "list --status pointed", "sdd", "lcr", "point --method chq", "cheques", "remittances", "banks",
				"forecast --bank BQ2", "forecast --to", "import cheques.csv", "traites 003", "show 001", "mandates",
				"verify out/PAIEMENT.001.xml out/PAIEMENT.002.xml out/PAIEMENT.003", "entries --format fec"} {
				if !strings.Contains(s, "$ remit "+step) {
					t.Errorf("step %q not run", step)
				}
			}
			// Every receivable the demo points is remitted: nothing refused.
			if !strings.Contains(s, "pointed 18 receivables") || !strings.Contains(s, "pointed 14 receivables") ||
				!strings.Contains(s, "pointed 4 receivables") || !strings.Contains(s, "Remise de chèques  bank BQ2") ||
				!strings.Contains(s, "3 of 3 files sound") || strings.Contains(s, "refused") {
				t.Errorf("demo output:\n%s", s)
			}
			today := now.Format(time.DateOnly)
			if m := regexp.MustCompile(`(?m)^ +(RCUR|FRST) +(\d{4}-\d\d-\d\d)`).FindAllStringSubmatch(s, -1); len(m) == 0 {
				t.Errorf("no collection dates in:\n%s", s)
			} else {
				for _, c := range m {
					if c[2] <= today {
						t.Errorf("collection on %s, not after today %s", c[2], today)
					}
				}
			}
			for _, f := range []string{"out/ECRITURES.fec", "out/TRAITES.003.pdf", "out/BORDEREAU.003.pdf", "out/BORDEREAU.004.pdf",
				"out/BORDEREAU.005.pdf", "out/PREVISION.pdf", "remit.db"} {
				if fi, err := os.Stat(filepath.Join(d.dir, f)); err != nil || fi.Size() == 0 {
					t.Errorf("%s: %v", f, err)
				}
			}
			if day != days[0] {
				return
			}
			// Run again in the same folder: the demo starts afresh.
			out.Reset()
			if err := d.run(); err != nil || !strings.Contains(out.String(), "40 new") || !strings.Contains(out.String(), "4 new") {
				t.Errorf("second run: %v\n%s", err, out.String())
			}
		})
	}
	if _, err := os.Stat(elsewhere); err == nil {
		t.Errorf("the demo used REMIT_DB %s", elsewhere)
	}
}

// TestDemoLeavesAUsersDatabase: the demo never replaces a remit.db it did
// not make.
func TestDemoLeavesAUsersDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "remit.db")
	os.WriteFile(db, []byte("the user's receivables"), 0o644)
	var out bytes.Buffer
	d := demo{bin: "remit-not-needed", dir: dir, now: time.Now(), out: &out, errOut: &out}
	err := d.run()
	if err == nil || !strings.Contains(err.Error(), "holds a remit.db the demo did not make: it is left alone") {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(db); string(b) != "the user's receivables" {
		t.Errorf("remit.db changed: %q", b)
	}
}
