package cli

// One output flag everywhere (issue 17, item 10): every command that
// prints a result takes --format with json among its formats, and --json.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit/store/sqlite"
)

// Regression: init, creditor set, mandates revoke and unblock, version,
// remit --version and entries had no --json.
func TestEveryCommandTakesFormatJSON(t *testing.T) {
	root := NewRootCmd(&Env{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		switch c.Name() {
		case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return // they print help or a shell script
		}
		if c.Runnable() && !(c.HasParent() && c.HasSubCommands() && c.Flags().Lookup("format") == nil) { // a group prints its help
			format, asJSON := c.Flags().Lookup("format"), c.Flags().Lookup("json")
			switch {
			case format == nil || asJSON == nil:
				t.Errorf("%s: no --format or no --json", c.CommandPath())
			case !slices.Contains(format.Annotations[annChoices], "json") || asJSON.Value.Type() != "bool":
				t.Errorf("%s: --format takes %v, --json is a %s", c.CommandPath(), format.Annotations[annChoices], asJSON.Value.Type())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestInitVersionJSON(t *testing.T) {
	c := newCLI(t)
	db := filepath.Join(c.dir, "remit.db")
	v := sqlite.SchemaVersion()
	out, errs, code := c.run("", "init", "--json")
	want := fmt.Sprintf(`{
  "db": %q,
  "action": "created",
  "schema_from": 0,
  "schema_version": %d,
  "notes": [],
  "status": "done",
  "exit_status": 0
}
`, db, v)
	if code != 0 || out != want || errs != "" {
		t.Errorf("init --json: exit %d\n%s%s\nwant:\n%s", code, out, errs, want)
	}
	if out := c.must("init", "--format", "json"); !strings.Contains(out, `"action": "up to date",`) {
		t.Errorf("init --format json again:\n%s", out)
	}
	want = fmt.Sprintf("{\n  \"version\": \"dev\",\n  \"schema\": %d,\n  \"go\": %q\n}\n", v, runtime.Version())
	if out := c.must("version", "--json"); out != want {
		t.Errorf("version --json:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("--version", "--format", "json"); out != want {
		t.Errorf("--version --format json:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("--version", "--format", "table"); out != c.must("version") {
		t.Errorf("--version --format table: %q", out)
	}
	// A conflict, and JSON asked of remit alone, are usage errors that answer in JSON.
	for _, args := range [][]string{{"--version", "--json", "--format", "table"}, {"--json"}, {"version", "--json", "--format", "table"}} {
		out, errs, code := c.run("", args...)
		var o Outcome
		if err := json.Unmarshal([]byte(out), &o); err != nil || code != ExitUsage || o.ExitStatus != ExitUsage || o.Status != "usage" ||
			!strings.HasPrefix(errs, "remit: ") {
			t.Errorf("remit %v: exit %d, %q, %q", args, code, out, errs)
		}
	}
	if out, _, code := c.run("", "--db", filepath.Join(c.dir, "none", "remit.db"), "init", "--json"); code != ExitUsage ||
		!strings.HasPrefix(out, `{"status":"usage","exit_status":2,"error":`) {
		t.Errorf("init --json in a missing folder: exit %d, %q", code, out)
	}
}

func TestCreditorSetJSON(t *testing.T) {
	c := newCLI(t)
	c.must("init")
	out, errs, code := c.run("", "creditor", "set", "--code", "ACME", "--name", "ACME OUTILLAGE SARL", "--ics", "FR72ZZZ123456",
		"--iban", "FR7630004008280001012345691", "--bic", "BNPAFRPP", "--town", "Paris", "--country", "FR", "--json")
	want := `{
  "code": "ACME",
  "name": "ACME OUTILLAGE SARL",
  "ics": "FR72ZZZ123456",
  "iban": "FR7630004008280001012345691",
  "bic": "BNPAFRPP",
  "address": {
    "town": "Paris",
    "country": "FR"
  }
}
`
	if code != 0 || out != want || errs != "" {
		t.Errorf("creditor set --json: exit %d\n%s%s\nwant:\n%s", code, out, errs, want)
	}
	// As creditor show --json prints it.
	if show := c.must("creditor", "show", "--json"); show != "[\n  "+strings.ReplaceAll(strings.TrimSuffix(want, "\n"), "\n", "\n  ")+"\n]\n" {
		t.Errorf("creditor show --json:\n%s", show)
	}
	// Wrong details: every problem in the JSON object, and on stderr as before.
	out, errs, code = c.run("", "creditor", "set", "--ics", "XX", "--iban", "TR330006100519786457841326", "--json")
	var o Outcome
	if err := json.Unmarshal([]byte(out), &o); err != nil || code != ExitUsage || o.Status != "usage" || o.ExitStatus != ExitUsage ||
		o.Error != "creditor ACME: wrong details, nothing saved" || len(o.Problems) != 2 ||
		!strings.HasPrefix(o.Problems[1], "creditor ACME: iban: IBAN TR330006100519786457841326: outside SEPA") {
		t.Errorf("creditor set --json, wrong details: exit %d, %q (%+v)", code, out, o)
	}
	if strings.Count(errs, "remit: creditor ACME: ") != 2 || strings.Contains(errs, "reported") {
		t.Errorf("creditor set --json, wrong details, stderr: %q", errs)
	}
	if _, errs, code := c.run("", "creditor", "set", "--ics", "XX"); code != ExitUsage ||
		errs != "remit: creditor ACME: ics: creditor identifier XX: wrong length\n" {
		t.Errorf("creditor set, wrong details: exit %d, %q", code, errs)
	}
}

func TestMandateRevokeUnblockJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.must("sdd", "--no-bordereau")
	c.must("reject", "F2026-0042", "--reason", "AC04", "--date", "2026-11-23") // blocks RUM-DUP-1
	c.now = testNow.AddDate(0, 0, 1)
	want := `{
  "rum": "RUM-DUP-1",
  "customer": "411DUPONT",
  "name": "Dupont Matériaux",
  "scheme": "CORE",
  "kind": "recurrent",
  "status": "active",
  "signed": "2025-01-10",
  "iban": "FR76…0189"
}
`
	if out := c.must("mandates", "unblock", "RUM-DUP-1", "--json"); out != want {
		t.Errorf("unblock --json:\n%s\nwant:\n%s", out, want)
	}
	out, _, code := c.run("", "mandates", "unblock", "RUM-DUP-1", "--json")
	if code != ExitFailed || out != `{"status":"failed","exit_status":1,"error":"mandate RUM-DUP-1 is active, not blocked: mandate status does not allow it"}`+"\n" {
		t.Errorf("unblock --json an active mandate: exit %d, %q", code, out)
	}
	want = strings.Replace(want, `"status": "active",`, `"status": "revoked",
  "status_reason": "revoked on 2026-11-30",`, 1)
	if out := c.must("mandates", "revoke", "RUM-DUP-1", "--date", "2026-11-30", "--format", "json"); out != want {
		t.Errorf("revoke --format json:\n%s\nwant:\n%s", out, want)
	}
	if out, _, code := c.run("", "mandates", "revoke", "RUM-NONE", "--json"); code != ExitFailed || !strings.HasPrefix(out, `{"status":"failed","exit_status":1,"error":"`) {
		t.Errorf("revoke --json an unknown mandate: exit %d, %q", code, out)
	}
}

// entries --format json (--json) gives the lines of the CSV export, with
// their count and totals.
func TestEntriesJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau")
	c.must("reject", "F2026-0042", "--reason", "AM04", "--fee", "5.50")
	rows, err := csv.NewReader(strings.NewReader(c.must("entries", "--format", "csv"))).ReadAll()
	if err != nil || len(rows) < 5 {
		t.Fatalf("entries --format csv: %v, %d rows", err, len(rows))
	}
	out := c.must("entries", "--json")
	var got struct {
		Entries       []map[string]any
		Count         int
		Debit, Credit string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("entries --json: %v\n%s", err, out)
	}
	if got.Count != len(rows)-1 || len(got.Entries) != got.Count || got.Debit != got.Credit || got.Debit != "2974.62" {
		t.Errorf("entries --json: %d lines (CSV %d), debit %s, credit %s", got.Count, len(rows)-1, got.Debit, got.Credit)
	}
	for i, e := range got.Entries {
		for j, col := range rows[0] {
			if v := fmt.Sprint(e[col]); v != rows[i+1][j] {
				t.Errorf("line %d, %s: JSON %q, CSV %q", i+1, col, v, rows[i+1][j])
			}
		}
	}
	if out := c.must("entries", "--json", "--from", "2027-01-01"); out != "{\n  \"entries\": [],\n  \"count\": 0,\n  \"debit\": \"0.00\",\n  \"credit\": \"0.00\"\n}\n" {
		t.Errorf("entries --json, none: %q", out)
	}
	if _, _, code := c.run("", "entries", "--json", "--format", "csv"); code != ExitUsage {
		t.Errorf("entries --json --format csv: exit %d", code)
	}
}
