package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// remit db copy: SQLite to PostgreSQL and back, every table read back with
// its count and sha256; the copy's remittances regenerate byte for byte.
func TestDBCopy(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", smallCSV))
	c.must("point", "--due-to", "2026-12-31", "--method", "sdd")
	c.must("point", "--due-to", "2026-12-31", "--method", "lcr")
	c.run("", "sdd")
	c.must("lcr")
	dsn := pgtest.DSN(t)

	out := c.must("db", "copy", "--to", dsn)
	db := filepath.Join(c.dir, "remit.db")
	if first, _, _ := strings.Cut(out, "\n"); first != "copied "+db+" to "+dsn+": 22 rows in 27 tables, each read back with the same count and sha256" {
		t.Errorf("first line: %q", first)
	}
	if !strings.Contains(out, "\n  receivables                    3  ") || strings.Count(out, "\n  ") != 27 {
		t.Errorf("tables:\n%s", out)
	}

	// Into a database that is not empty: nothing done, exit 2.
	stdout, stderr, code := c.run("", "db", "copy", "--to", dsn)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "the target database is not empty (creditors, banks, customers,") {
		t.Errorf("second copy: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, _, code = c.run("", "db", "copy", "--to", dsn, "--json")
	var failed map[string]any
	if code != ExitUsage || json.Unmarshal([]byte(stdout), &failed) != nil || failed["status"] != "usage" {
		t.Errorf("second copy --json: exit %d: %s", code, stdout)
	}
	if _, stderr, code := c.run("", "db", "copy"); code != ExitUsage || !strings.Contains(stderr, "--to is required") {
		t.Errorf("without --to: exit %d: %s", code, stderr)
	}

	// Back into a new SQLite file, as JSON.
	back := filepath.Join(c.dir, "back.db")
	var sum struct {
		From, To   string
		Tables     []struct{ Table, SHA256 string }
		Rows       int
		Status     string
		ExitStatus int `json:"exit_status"`
	}
	if err := json.Unmarshal([]byte(c.must("db", "copy", "--from", dsn, "--to", back, "--format", "json")), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.From != dsn || sum.To != back || sum.Rows != 22 || len(sum.Tables) != 27 || sum.Status != "done" || sum.ExitStatus != 0 {
		t.Errorf("summary: %+v", sum)
	}
	if !strings.Contains(out, sum.Tables[6].SHA256) {
		t.Errorf("receivables' sha256 %s differs from the first copy's:\n%s", sum.Tables[6].SHA256, out)
	}

	// The copy's remittances give the same files.
	for _, f := range []string{"PAIEMENT.001.xml", "PAIEMENT.002", "BORDEREAU.002.pdf"} {
		orig, err := os.ReadFile(filepath.Join(c.dir, "out", f))
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(c.dir, "out", f))
		ref := strings.Split(f, ".")[1]
		if out := c.must("regenerate", ref, "--db", back); !strings.Contains(out, "identical to the original") {
			t.Errorf("regenerate %s from the copy: %s", ref, out)
		}
		if again, _ := os.ReadFile(filepath.Join(c.dir, "out", f)); !bytes.Equal(orig, again) {
			t.Errorf("%s regenerated from the copy differs", f)
		}
	}
}
