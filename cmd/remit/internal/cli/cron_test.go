package cli

// What a cron job relies on: exit statuses, settings checked before a
// command starts, and a JSON summary whatever happens (issue 17, items 1-3).

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store/sqlite"
)

// Usage and configuration mistakes exit 2, before anything is opened.
func TestExitUsageForMistakes(t *testing.T) {
	c := newCLI(t)
	c.setup()
	notSQLite := c.file("notes.txt", strings.Repeat("not a database\n", 100))
	other := filepath.Join(c.dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE contacts (name TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"nosuchcommand"}, `unknown command "nosuchcommand" for "remit"`},
		{[]string{"creditor", "nosuch"}, `unknown command "nosuch" for "remit creditor"`},
		{[]string{"traites", "3", "--per-page", "4"}, `--per-page "4": want 1 to 3`},
		{[]string{"traites", "--pointed", "--model", "foo"}, `--model "foo": want standard or preimprime`},
		{[]string{"list", "--creditor", "NOPE"}, `no creditor with code "NOPE": the database has ACME`},
		{[]string{"list", "--db", notSQLite}, "not a remit database: it is not an SQLite file"},
		{[]string{"list", "--db", other}, "not a remit database: it is another program's SQLite database (tables contacts)"},
		{[]string{"sdd", "--split", "bogus"}, `--split "bogus": want none, sequence or pmtinf`},
		{[]string{"list", "--json", "--format", "csv"}, "--json and --format csv: choose one"},
	} {
		out, errs, code := c.run("", tt.args...)
		if code != ExitUsage || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %s: exit %d, stderr %q; want 2 and %q (stdout %q)", strings.Join(tt.args, " "), code, errs, tt.err, out)
		}
	}
}

// A run that refused every receivable did nothing: it says "refused" and
// exits 5, not 3 ("partly done").
func TestEverythingRefusedIsNotPartial(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.must("unpoint", "--document", "F2026-0042", "--document", "F2026-0043")
	// Only F2026-0044 is pointed: an LCR on a Dutch account, refused.
	out, _, code := c.run("", "lcr")
	if code != ExitRefused || !strings.Contains(out, "refused 1 receivable") {
		t.Errorf("lcr: exit %d\n%s", code, out)
	}
	out, _, code = c.run("", "lcr", "--format", "json")
	var res collect.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitRefused || len(res.Refused) != 1 {
		t.Errorf("lcr --format json: exit %d, %v\n%s", code, err, out)
	}
	out, _, code = c.run("", "run", "--json")
	var sum RunSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != ExitRefused || sum.Status != "refused" || sum.ExitStatus != ExitRefused {
		t.Errorf("run: exit %d, %v\n%s", code, err, out)
	}
	// With something done beside it, it is partial.
	c.must("point", "--document", "F2026-0043")
	if _, _, code := c.run("", "lcr"); code != ExitPartial {
		t.Errorf("lcr with one remitted, one refused: exit %d", code)
	}
}

// Settings are checked before any command starts, wherever they come from,
// and every problem names the key and its place.
func TestSettingsChecked(t *testing.T) {
	c := newCLI(t)
	c.setup()
	check := func(name string, env map[string]string, yaml string, args []string, want ...string) {
		t.Helper()
		for k, v := range env {
			t.Setenv(k, v)
		}
		if yaml != "" {
			args = append(args, "--config", c.file("remit.yaml", yaml))
		}
		out, errs, code := c.run("", args...)
		for k := range env {
			os.Unsetenv(k)
		}
		if code != ExitUsage || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2", name, code, out, errs)
		}
		var lines []string
		for _, w := range want {
			lines = append(lines, "remit: "+w+"\n")
		}
		if errs != strings.Join(lines, "") {
			t.Errorf("%s: stderr\n%s\nwant\n%s", name, errs, strings.Join(lines, ""))
		}
	}
	cfg := filepath.Join(c.dir, "remit.yaml")
	check("env int", map[string]string{"REMIT_SDD_LEAD_DAYS": "abc"}, "", []string{"list"},
		`REMIT_SDD_LEAD_DAYS="abc": want a whole number (sdd.lead_days)`)
	check("env duration", map[string]string{"REMIT_WAIT": "abc"}, "", []string{"sdd"},
		`REMIT_WAIT="abc": want a duration such as 30s, 2m or 1h (wait)`)
	// A file-name template that would overwrite a document was refused only
	// when a run reached its files, exit 1 (issue 16, item 3; issue 17, item 2).
	check("env template", map[string]string{"REMIT_FILES_TEMPLATE": "TRAITES.{ref}.pdf"}, "", []string{"sdd"},
		`REMIT_FILES_TEMPLATE="TRAITES.{ref}.pdf": file name template "TRAITES.{ref}.pdf" gives "TRAITES.001.pdf": names ending in .pdf `+
			`are remit's documents (BORDEREAU.<ref>.pdf, TRAITES.<ref>.pdf, ECHEANCES.<date>.pdf), which would overwrite the bank file `+
			`or be overwritten by it (files.template)`)
	check("file template", nil, "files:\n  template: PAIEMENT\n", []string{"list"},
		cfg+`:2: files.template "PAIEMENT": file name template "PAIEMENT": must contain {ref}, so that every remittance gets its own file`)
	check("env choice", map[string]string{"REMIT_SDD_SPLIT": "bogus"}, "", []string{"run"},
		`REMIT_SDD_SPLIT="bogus": want none, sequence or pmtinf (sdd.split)`)
	check("env unknown", map[string]string{"REMIT_SDD_LEAD_DAYZ": "7"}, "", []string{"list"},
		`REMIT_SDD_LEAD_DAYZ: unknown setting (did you mean REMIT_SDD_LEAD_DAYS?)`)
	check("file value", nil, "db: x.db\nsdd:\n  lead_days: abc\n", []string{"list"},
		cfg+`:3: sdd.lead_days "abc": want a whole number`)
	check("file unknown key", nil, "sdd:\n  lead_dayz: 7\n", []string{"list"},
		cfg+`:2: sdd.lead_dayz: unknown setting (did you mean sdd.lead_days?)`)
	check("everything at once, in the file's order", map[string]string{"REMIT_WAIT": "abc"},
		"lcr:\n  eol: cr\nwait: 30\nentries:\n  date: today\n  journals: BQ\nsdd: 3\n", []string{"list"},
		`REMIT_WAIT="abc": want a duration such as 30s, 2m or 1h (wait)`,
		cfg+`:2: lcr.eol "cr": want crlf, lf or none`,
		cfg+`:3: wait "30": want a duration such as 30s, 2m or 1h`,
		cfg+`:5: entries.date "today": want remittance or collection`,
		cfg+`:6: entries.journals: want a section of keys and values`,
		cfg+`:7: sdd is a section: want its keys below it (bank: …)`)
	check("flag", nil, "", []string{"sdd", "--cutoff", "4pm", "--collection-date", "2026-02-30"},
		`--collection-date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)`,
		`--cutoff "4pm": want a time of day HH:MM`)

	// Good values apply to every command's flags: the file's list.format, the environment's status.
	c.must("import", c.file("in.csv", smallCSV))
	t.Setenv("REMIT_LIST_STATUS", "OPEN")
	out := c.must("list", "--config", c.file("remit.yaml", "list:\n  format: json\n  document: [F2026-0043]\n"))
	if !strings.HasPrefix(out, "{\n  \"receivables\": [\n    {\"document\":\"F2026-0043\"") || strings.Count(out, "document") != 1 {
		t.Errorf("list from the file's settings:\n%s", out)
	}
	// The flag still wins.
	if out := c.must("list", "--config", cfg, "--format", "csv"); !strings.HasPrefix(out, "document,customer") {
		t.Errorf("list --format csv over the file:\n%s", out)
	}
}

// With --json, every outcome prints its JSON object on stdout; with
// --log-format json, stderr is JSON lines.
func TestJSONWhateverHappens(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))

	lock, err := sqlite.AcquireRunLock(filepath.Join(c.dir, "remit.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := c.run("", "run", "--json", "--wait", "0s", "--log-format", "json")
	lock.Release()
	var sum RunSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != ExitBusy || sum.Status != "busy" || sum.ExitStatus != ExitBusy ||
		sum.RunID == "" || !strings.Contains(sum.Error, "busy") || strings.Count(out, "\n") != 1 {
		t.Errorf("busy run: exit %d, %v, stdout %q", code, err, out)
	}
	checkJSONLines(t, "busy run", errs, 1)

	t.Setenv("REMIT_SDD_SPLIT", "bogus")
	out, errs, code = c.run("", "run", "--json", "--log-format", "json")
	os.Unsetenv("REMIT_SDD_SPLIT")
	var o Outcome
	if err := json.Unmarshal([]byte(out), &o); err != nil || code != ExitUsage || o.Status != "usage" || o.ExitStatus != ExitUsage ||
		len(o.Problems) != 1 || !strings.Contains(o.Problems[0], "REMIT_SDD_SPLIT") {
		t.Errorf("bad settings: exit %d, %v, stdout %q", code, err, out)
	}
	checkJSONLines(t, "bad settings", errs, 1)

	for _, args := range [][]string{
		{"sdd", "--json", "--db", filepath.Join(c.dir, "none.db")},
		{"show", "7", "--format", "json"},
		{"list", "--json", "--bogus"},
	} {
		out, errs, code = c.run("", append(args, "--log-format", "json")...)
		o = Outcome{}
		if err := json.Unmarshal([]byte(out), &o); err != nil || code == 0 || o.ExitStatus != code || o.Error == "" {
			t.Errorf("remit %v: exit %d, %v, stdout %q", args, code, err, out)
		}
		checkJSONLines(t, strings.Join(args, " "), errs, 1)
	}

	// Problems of an import, a creditor: JSON lines on stderr too.
	bad := c.file("bad.csv", "document,customer,name,amount,due_date\nF1,411A,Alpha,12.345,2026-02-30\n")
	out, errs, code = c.run("", "import", bad, "--log-format", "json", "--json")
	if code != ExitFailed || !strings.Contains(out, `"status": "failed"`) {
		t.Errorf("import of a bad file: exit %d, stdout %q", code, out)
	}
	checkJSONLines(t, "import of a bad file", errs, 3)
	_, errs, code = c.run("", "creditor", "set", "--ics", "FR00ZZZ123456", "--log-format", "json")
	if code != ExitUsage {
		t.Errorf("creditor set --ics bad: exit %d", code)
	}
	checkJSONLines(t, "creditor set", errs, 1)

	// Every file entry has its path.
	out, _, _ = c.run("", "run", "--json")
	sum = RunSummary{}
	json.Unmarshal([]byte(out), &sum)
	for _, r := range sum.Remittances {
		for _, f := range r.Files {
			if f.Path != filepath.Join(c.dir, "out", f.Name) {
				t.Errorf("run: file %s has path %q", f.Name, f.Path)
			}
		}
	}
	var show remit.Remittance
	json.Unmarshal([]byte(c.must("show", "1", "--json")), &show)
	var list []remit.Remittance
	json.Unmarshal([]byte(c.must("remittances", "--format", "json")), &list)
	if len(show.Files) == 0 || len(list) == 0 {
		t.Fatalf("show %+v, remittances %+v", show, list)
	}
	for _, f := range append(show.Files, list[0].Files...) {
		if f.Path != filepath.Join(c.dir, "out", f.Name) {
			t.Errorf("show/remittances: file %s has path %q", f.Name, f.Path)
		}
	}
}

func checkJSONLines(t *testing.T, what, s string, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) < n {
		t.Errorf("%s: %d lines on stderr, want at least %d: %q", what, len(lines), n, s)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("%s: stderr line is not JSON: %q", what, l)
		}
	}
}

// The configuration the README shows passes the checks.
func TestREADMEConfigurationIsValid(t *testing.T) {
	b, err := os.ReadFile("../../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "\n## Configuration\n")
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	yaml, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("no yaml block in the README's Configuration section")
	}
	c := newCLI(t)
	c.setup()
	// The README's db and out are the operator's; the test's flags win.
	if _, errs, code := c.run("", "list", "--config", c.file("remit.yaml", yaml)); code != 0 {
		t.Errorf("README configuration: exit %d\n%s", code, errs)
	}
}

// Every key the commands read from the configuration is a setting the
// checks know: a key read but unknown would be refused in remit.yaml.
func TestEveryKeyReadIsASetting(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	read := regexp.MustCompile(`(?:Config|\bv)\.(?:Get\w*|IsSet)\("([a-z_.]+)"`)
	known := settings(NewRootCmd(&Env{Config: viper.New()}))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range read.FindAllStringSubmatch(string(b), -1) {
			if key := m[1]; !strings.HasSuffix(key, ".") && known[key] == nil {
				t.Errorf("%s reads %q, which is not a setting: add a flag, or the key to fileSettings", f, key)
			}
		}
	}
}
