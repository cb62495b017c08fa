package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/testtool"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type cliEnv struct {
	t   *testing.T
	dir string
	now time.Time // the clock; testNow when zero
	pg  string    // the database is this PostgreSQL one (a DSN), not remit.db in dir
}

func newCLI(t *testing.T) *cliEnv {
	t.Helper()
	c := &cliEnv{t: t, dir: t.TempDir()}
	// Hermetic: no REMIT_* from the machine running the tests.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "REMIT_") {
			k := strings.SplitN(kv, "=", 2)[0]
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	return c
}

// run executes remit in-process with --db and --out inside the test folder.
func (c *cliEnv) run(stdin string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	var out, errb bytes.Buffer
	now := testNow
	if !c.now.IsZero() {
		now = c.now
	}
	env := &Env{IO: IO{In: strings.NewReader(stdin), Out: &out, Err: &errb}, Now: func() time.Time { return now }}
	full := append([]string{}, args...)
	if !hasFlag(args, "--db") {
		full = append(full, "--db", c.db())
	}
	if !hasFlag(args, "--out") && len(args) > 0 && args[0] != "version" && args[0] != "completion" {
		full = append(full, "--out", filepath.Join(c.dir, "out"))
	}
	code = Main(full, env)
	return out.String(), errb.String(), code
}

// db is the test database: a PostgreSQL DSN, or remit.db in the test folder.
func (c *cliEnv) db() string {
	if c.pg != "" {
		return c.pg
	}
	return filepath.Join(c.dir, "remit.db")
}

func hasFlag(args []string, f string) bool {
	for _, a := range args {
		if a == f || strings.HasPrefix(a, f+"=") {
			return true
		}
	}
	return false
}

func (c *cliEnv) must(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("remit %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (c *cliEnv) file(name, content string) string {
	p := filepath.Join(c.dir, name)
	os.WriteFile(p, []byte(content), 0o644)
	return p
}

func (c *cliEnv) setup() {
	c.t.Helper()
	c.must("init")
	c.must("creditor", "set", "--name", "ACME OUTILLAGE SARL", "--ics", "FR72ZZZ123456", "--iban", "FR7630004008280001012345691",
		"--bic", "BNPAFRPP", "--nne", "123456", "--siren", "123456782", "--bank-name", "BNP PARIBAS PARIS OPERA",
		"--street", "Rue de la Paix", "--building", "12", "--postcode", "75002", "--town", "Paris", "--country", "FR")
}

const smallCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country;journal
F2026-0042;411DUPONT;Dupont Matériaux;1234,56;01/12/2026;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR;BQ1
F2026-0043;411MARTIN;Martin & Fils;500;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR;LCR
F2026-0044;411MARTIN;Martin & Fils;99.90;2026-11-30;;;;;Lille;FR;
`

func TestInitTwiceAndVersion(t *testing.T) {
	c := newCLI(t)
	db := filepath.Join(c.dir, "remit.db")
	v := fmt.Sprint(sqlite.SchemaVersion())
	if out := c.must("init"); out != "created "+db+" (schema version "+v+")\n" {
		t.Errorf("first init: %q", out)
	}
	if out := c.must("init"); out != db+" is up to date (schema version "+v+")\n" {
		t.Errorf("second init: %q", out)
	}
	if out := c.must("version"); !strings.HasPrefix(out, "remit dev (schema "+v+", go") {
		t.Errorf("version: %q", out)
	}
}

func TestImportListPoint(t *testing.T) {
	c := newCLI(t)
	c.setup()
	in := c.file("in.csv", smallCSV)
	if out := c.must("import", in); out != in+": 3 lines read: 3 new, 0 updated, 0 unchanged\n" {
		t.Errorf("import: %q", out)
	}
	out := c.must("list", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "sdd", "--format", "json")
	want := `{
  "receivables": [
    {"document":"F2026-0042","customer":"411DUPONT","name":"Dupont Matériaux","amount":"1234.56","currency":"EUR","due_date":"2026-12-01","method":"sdd","journal":"BQ1","status":"open","remittance":null}
  ],
  "totals": [{"currency":"EUR","count":1,"total":"1234.56"}]
}
`
	if out != want {
		t.Errorf("list json:\n%s\nwant:\n%s", out, want)
	}
	out = c.must("list")
	want = `DOCUMENT       CUSTOMER     NAME                       DUE        METHOD JOURNAL STATUS           AMOUNT CUR REMIT
F2026-0044     411MARTIN    Martin & Fils              2026-11-30 -              open              99,90 EUR 
1 receivable, total 99,90 EUR
`
	if out != want {
		t.Errorf("list (current month):\n%s\nwant:\n%s", out, want)
	}
	out = c.must("list", "--format", "csv", "--document", "F2026-0043")
	if out != "document,customer,name,amount,currency,due_date,method,journal,status,remittance,refusal,refused_since,todo\nF2026-0043,411MARTIN,Martin & Fils,500.00,EUR,2026-12-15,lcr,LCR,open,,,,\n" {
		t.Errorf("list csv: %q", out)
	}
	out = c.must("point", "--method", "lcr", "--customer-from", "411A", "--customer-to", "411M", "--due-to", "2026-12-31")
	want = "F2026-0043     411MARTIN    Martin & Fils              2026-12-15         500,00 EUR\npointed 1 receivable, total 500,00 EUR\n"
	if out != want {
		t.Errorf("point:\n%q\nwant:\n%q", out, want)
	}
	if out = c.must("unpoint", "--document", "F2026-0043"); !strings.HasSuffix(out, "unpointed 1 receivable, total 500,00 EUR\n") {
		t.Errorf("unpoint: %q", out)
	}
}

func TestImportErrorsExitOneWithEveryProblem(t *testing.T) {
	c := newCLI(t)
	c.setup()
	in := c.file("bad.csv", "document,customer,name,amount,due_date\nF1,411A,Alpha,12.345,2026-02-30\nF2,411B,,7,2026-12-01\n")
	out, errs, code := c.run("", "import", in)
	want := in + `: line 2, column amount "12.345": more than 2 decimals
` + in + `: line 2, column due_date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)
` + in + `: line 3, column name "": required
remit: ` + in + `: 3 problems, nothing imported
`
	if code != ExitFailed || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
	if out := c.must("list", "--due-from", "2026-01-01", "--due-to", "2027-12-31"); out != "no receivable matches\n" {
		t.Errorf("something was imported: %q", out)
	}
}

func TestExitCodes(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"list"}, ExitUsage, "run `remit init` to create it"},
		{[]string{"nosuchcommand"}, ExitUsage, "unknown command"},
		{[]string{"list", "--bogus"}, ExitUsage, "unknown flag: --bogus"},
		{[]string{"show"}, ExitUsage, "accepts 1 arg(s), received 0"},
	}
	for _, tt := range tests {
		_, errs, code := c.run("", tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %v: exit %d, stderr %q; want %d and %q", tt.args, code, errs, tt.code, tt.err)
		}
	}
	c.setup()
	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"list", "--method", "cash"}, ExitUsage, `method "cash"`},
		{[]string{"list", "--due-from", "31/02/2026"}, ExitUsage, "--due-from"},
		{[]string{"point", "--target", "1,234.00"}, ExitUsage, "--target"},
		{[]string{"show", "abc"}, ExitUsage, "not a remittance reference"},
		{[]string{"show", "9"}, ExitFailed, "remittance 009: no such remittance"},
		{[]string{"sdd", "--pain", "09"}, ExitUsage, "--pain"},
		{[]string{"sdd", "--split", "weekly"}, ExitUsage, "split"},
		{[]string{"creditor", "set", "--ics", "FR00ZZZ123456"}, ExitUsage, "bad check digits"},
	} {
		_, errs, code := c.run("", tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %v: exit %d, stderr %q; want %d and %q", tt.args, code, errs, tt.code, tt.err)
		}
	}
	// Nothing to do is success.
	if out, _, code := c.run("", "sdd"); code != 0 || out != "nothing to remit: no pointed SDD receivable\n" {
		t.Errorf("empty sdd: %d %q", code, out)
	}
}

func TestConfigPrecedence(t *testing.T) {
	c := newCLI(t)
	c.setup()
	dbFile := filepath.Join(c.dir, "remit.db")
	cfg := c.file("remit.yaml", "db: "+filepath.Join(c.dir, "fromfile.db")+"\nsdd:\n  lead_days: 5\n")
	// The file's db is used when nothing else says otherwise…
	_, errs, code := c.run("", "list", "--config", cfg, "--db", dbFile)
	if code != 0 {
		t.Fatalf("flag over file: %d %s", code, errs)
	}
	// …but the flag wins over the file (above), the environment over the file:
	t.Setenv("REMIT_DB", dbFile)
	var out, eb bytes.Buffer
	env := &Env{IO: IO{In: strings.NewReader(""), Out: &out, Err: &eb}, Now: func() time.Time { return testNow }}
	if code := Main([]string{"list", "--config", cfg}, env); code != 0 {
		t.Errorf("env over file: exit %d %s", code, eb.String())
	}
	// and the file over the default: without REMIT_DB the file's (absent) database is used.
	os.Unsetenv("REMIT_DB")
	out.Reset()
	eb.Reset()
	if code := Main([]string{"list", "--config", cfg}, env); code != ExitUsage || !strings.Contains(eb.String(), "fromfile.db") {
		t.Errorf("file over default: exit %d %s", code, eb.String())
	}
	// A nested key: sdd.lead_days from the file, overridden by the environment, then the flag.
	in := c.file("in.csv", smallCSV)
	c.must("import", in)
	c.must("point", "--document", "F2026-0042")
	check := func(wantDate string, extra ...string) {
		t.Helper()
		out, errs, code := c.run("", append([]string{"sdd", "--dry-run", "--config", cfg}, extra...)...)
		if code != 0 || !strings.Contains(out, wantDate) {
			t.Errorf("sdd %v: exit %d, want collection date %s:\n%s%s", extra, code, wantDate, out, errs)
		}
	}
	// Due 1 Dec; on Sunday 22 Nov with 5 lead days the earliest is Mon 30 Nov, so 1 Dec stays;
	// with 8 lead days (env) it is Wed 2 Dec; with 1 (flag) 1 Dec.
	check("2026-12-01")
	t.Setenv("REMIT_SDD_LEAD_DAYS", "8")
	check("2026-12-03")
	check("2026-12-01", "--lead-days", "1")
}

// The creditor's RCUR-only setting applies unless the run says otherwise,
// either way, by flag or environment.
func TestRCUROnlyOverride(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", smallCSV))
	c.must("point", "--document", "F2026-0042")
	c.must("creditor", "set", "--rcur-only")
	const note = "RCUR-only policy applied: 1 first collection sent as RCUR"
	check := func(want bool, args ...string) {
		t.Helper()
		out := c.must(append([]string{"sdd", "--dry-run"}, args...)...)
		if strings.Contains(out, note) != want {
			t.Errorf("sdd %v: note shown %v, want %v:\n%s", args, !want, want, out)
		}
	}
	check(true)
	check(false, "--rcur-only=false")
	t.Setenv("REMIT_SDD_RCUR_ONLY", "false")
	check(false)
	check(true, "--rcur-only")
}

func TestSDDCommandPartialAndShow(t *testing.T) {
	c := newCLI(t)
	c.setup()
	in := c.file("in.csv", smallCSV+"F2026-0045;411NOMAND;Sans Mandat;10;2026-12-01;sdd;FR7630006000011234567890189;;;Paris;FR;BQ1\n")
	c.must("import", in)
	c.must("point", "--method", "sdd", "--due-to", "2026-12-31")
	out, errs, code := c.run("", "sdd")
	want := `remittance 001  SDD CORE pain.008.001.08  bank BQ  PAIEMENT.001.xml, BORDEREAU.001.pdf
  FRST  2026-12-01        1         1 234,56
  total                   1         1 234,56
refused 1 receivable (left pointed; remit list --refused lists it):
  F2026-0045 411NOMAND 10,00: no mandate: a SEPA direct debit needs the customer's signed mandate (import its RUM in the mandate column)
    to do: correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; or leave it out: remit unpoint --document F2026-0045
`
	if code != ExitPartial || out != want || errs != "" {
		t.Errorf("exit %d\n%s\nwant:\n%s\nstderr %s", code, out, want, errs)
	}
	out = c.must("list", "--status", "pointed", "--due-to", "2026-12-31")
	if !strings.Contains(out, "refused (since 2026-11-22 10:00:00): no mandate") {
		t.Errorf("refusal not listed:\n%s", out)
	}
	out = c.must("remittances")
	want = `REF   KIND                         BANK     CREATED            COUNT            TOTAL STATUS
001   SDD CORE pain.008.001.08     BQ       2026-11-22 10:00       1         1 234,56 created
`
	if out != want {
		t.Errorf("remittances:\n%s\nwant:\n%s", out, want)
	}
	out = c.must("show", "1")
	if !strings.Contains(out, "message id ACME-001-20261122100000") || !strings.Contains(out, "PAIEMENT.001.xml  pain.008.001.08") {
		t.Errorf("show:\n%s", out)
	}
	xml := filepath.Join(c.dir, "out", "PAIEMENT.001.xml")
	orig, _ := os.ReadFile(xml)
	os.Remove(xml)
	if out := c.must("regenerate", "001"); !strings.Contains(out, "identical to the original") {
		t.Errorf("regenerate: %s", out)
	}
	if again, _ := os.ReadFile(xml); !bytes.Equal(orig, again) {
		t.Error("regenerated file differs")
	}
	want = "remittance 001 cancelled: 1 receivable back to pointed; its files moved to " + filepath.Join(c.dir, "out", "cancelled") +
		"/ (CANCELLED.PAIEMENT.001.xml, CANCELLED.BORDEREAU.001.pdf): do not send them\n"
	if out := c.must("cancel", "1"); out != want {
		t.Errorf("cancel: %q", out)
	}
}

func TestPDFCommands(t *testing.T) {
	pdftotext := testtool.Tool(t, "pdftotext")
	c := newCLI(t)
	c.setup()
	in := c.file("in.csv", smallCSV)
	c.must("import", in)
	c.must("point", "--method", "sdd", "--due-to", "2026-12-31")
	c.must("sdd")
	out := c.must("bordereau", "1", "--copies", "2")
	// The reprint in place is what the database records now.
	var show struct {
		Files []struct{ Name, SHA256 string }
	}
	json.Unmarshal([]byte(c.must("show", "1", "--json")), &show)
	pdf, _ := os.ReadFile(filepath.Join(c.dir, "out", "BORDEREAU.001.pdf"))
	sum := sha256.Sum256(pdf)
	found := false
	for _, f := range show.Files {
		if f.Name == "BORDEREAU.001.pdf" {
			found = true
			if f.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("recorded sha256 %s, file %x", f.SHA256, sum)
			}
		}
	}
	if !found {
		t.Errorf("no bordereau recorded: %+v", show.Files)
	}
	path := filepath.Join(c.dir, "out", "BORDEREAU.001.pdf")
	if out != path+"\n" {
		t.Errorf("bordereau printed %q", out)
	}
	text, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ACME OUTILLAGE SARL", "12 Rue de la Paix", "Prélèvement SEPA CORE", "PAIEMENT.001.xml",
		"Dupont Matériaux", "1 234,56", "Exemplaire 2/2"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("bordereau lacks %q", want)
		}
	}
	c.must("point", "--document", "F2026-0043")
	out = c.must("traites", "--pointed", "-o", filepath.Join(c.dir, "t.pdf"))
	if out != filepath.Join(c.dir, "t.pdf")+"\n1 traite printed on 1 page\n" {
		t.Errorf("traites: %q", out)
	}
	out = c.must("list", "--format", "pdf", "--status", "open", "--due-from", "2026-11-01", "--due-to", "2026-12-31")
	if out != filepath.Join(c.dir, "out", "ECHEANCES.20261122.pdf")+"\n" {
		t.Errorf("list pdf: %q", out)
	}
	if _, errs, code := c.run("", "traites", "1"); code != ExitUsage || !strings.Contains(errs, "traites are for LCR") {
		t.Errorf("traites of an SDD remittance: %d %s", code, errs)
	}
}
