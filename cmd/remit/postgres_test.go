package main

// The command line on PostgreSQL: a day of remit gives the same output and
// the very same files as on SQLite; a run killed at any point, or eight runs
// at once on one database, leave every receivable in at most one
// remittance, none lost, and files that regenerate byte for byte.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// runID is a run's id, random.
var runID = regexp.MustCompile(`\d{8}T\d{6}Z-[0-9a-f]{6}`)

// sameDayNow is the clock of TestPostgresDaySameAsSQLite, the fixtures' today.
var sameDayNow = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// dayStep is one command of the day, with the environment it needs.
type dayStep struct {
	env  []string
	args []string
}

// TestPostgresDaySameAsSQLite runs a day of remit on an SQLite database
// and on a PostgreSQL one: import (and an import that changes IBANs),
// point, SDD with centralised entries, LCR, mark sent, a reject by hand
// with its fee, a bank's pain.002, a cancel, an LCR remittance again with
// other entry settings, the lists, the entries as CSV and FEC, and
// regenerate; a second bank, a remise de chèques, the banks and the
// forecast. Every command says the same on both, and every file is the
// same, byte for byte.
func TestPostgresDaySameAsSQLite(t *testing.T) {
	sq, pg := newWorkspace(t), newPGWorkspace(t)
	now := []string{"REMIT_NOW=" + sameDayNow.Format(time.RFC3339)}
	for _, w := range []*workspace{sq, pg} {
		w.env = now
		for _, n := range fixtures.Names {
			data, err := fixtures.Dated(n, sameDayNow)
			if err != nil {
				t.Fatal(err)
			}
			w.writeFile(n, data)
		}
	}
	steps := []dayStep{
		{nil, []string{"init"}},
		{nil, creditorArgs},
		{nil, []string{"import", "receivables.csv"}},
		{nil, []string{"import", "iban-change.csv"}},
		{nil, []string{"import", "receivables.csv"}},
		{nil, []string{"point", "--method", "sdd", "--due-from", "2026-11-01", "--due-to", "2026-12-20"}},
		{nil, []string{"list", "--status", "pointed"}},
		{[]string{"REMIT_ENTRIES_CENTRALIZE=true"}, []string{"sdd"}},
		{nil, []string{"point", "--method", "lcr", "--due-from", "2026-11-01", "--due-to", "2027-02-01"}},
		{nil, []string{"lcr"}},
		{nil, []string{"mark-sent", "002"}},
		{nil, []string{"reject", "F2026-0052", "--reason", "AM04", "--fee", "5.50", "--date", "2026-12-08"}},
		{nil, []string{"returns", "pain002.xml"}},
		{nil, []string{"cancel", "003", "--yes"}},
		{nil, []string{"point", "--document", "F2026-0052"}},
		{[]string{"REMIT_ENTRIES_AUXILIARY=false", "REMIT_ENTRIES_CUSTOMER_LABEL={name} - {doc}"}, []string{"run"}},
		{nil, []string{"bank", "add", "BQ2", "--iban", "FR7610096000502468013579016", "--bic", "CMCIFRPP", "--name", "CIC LYON",
			"--account", "512200", "--nne", "654321", "--value-days", "sdd=1,lcr=2,chq=1", "--limit", "-5000.00"}},
		{nil, []string{"bank", "balance", "BQ2", "--amount", "-1520.00", "--date", "2026-12-01"}},
		{nil, []string{"import", "cheques.csv"}},
		{nil, []string{"point", "--method", "chq", "--due-from", "2026-11-01", "--due-to", "2026-12-02"}},
		{nil, []string{"cheques"}},
		{nil, []string{"banks"}},
		{nil, []string{"forecast", "--to", "2027-01-31"}},
		{nil, []string{"forecast", "--to", "2027-01-31", "--format", "pdf", "-o", "PREVISION.pdf"}},
		{nil, []string{"list", "--status", "all"}},
		{nil, []string{"list", "--refused"}},
		{nil, []string{"mandates"}},
		{nil, []string{"remittances"}},
		{nil, []string{"show", "001"}},
		{nil, []string{"show", "002", "--json"}},
		{nil, []string{"show", "004"}},
		{nil, []string{"entries", "--format", "csv"}},
		{nil, []string{"entries", "-o", "fec.txt"}},
		{nil, []string{"traites", "005"}},
		{nil, []string{"regenerate", "001"}},
		{nil, []string{"regenerate", "004"}},
	}
	for _, step := range steps {
		if step.args[0] == "returns" {
			for _, w := range []*workspace{sq, pg} {
				w.writeFile("pain002.xml", []byte(pain002For(t, w)))
			}
		}
		var outs [2]string
		for i, w := range []*workspace{sq, pg} {
			r := w.runEnv(step.env, step.args...)
			out := fmt.Sprintf("exit %d\n%s\n--- stderr\n%s", r.code, r.stdout, r.stderr)
			out = strings.ReplaceAll(out, w.db, "DATABASE")
			out = runID.ReplaceAllString(out, "RUN-ID")
			outs[i] = strings.ReplaceAll(out, w.dir, "WORKSPACE")
		}
		if outs[0] != outs[1] {
			t.Fatalf("remit %s: SQLite and PostgreSQL differ:\n=== SQLite\n%s\n=== PostgreSQL\n%s", strings.Join(step.args, " "), outs[0], outs[1])
		}
		t.Logf("remit %s: %s", strings.Join(step.args, " "), strings.SplitN(outs[0], "\n", 2)[0])
		if strings.HasPrefix(outs[0], "exit 2") {
			t.Errorf("remit %s: a usage error:\n%s", strings.Join(step.args, " "), outs[0])
		}
	}
	files := func(w *workspace) map[string]string {
		m := map[string]string{}
		filepath.WalkDir(w.dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "remit.db") {
				sum, _ := sha256File(t, path)
				rel, _ := filepath.Rel(w.dir, path)
				m[rel] = sum
			}
			return nil
		})
		return m
	}
	a, b := files(sq), files(pg)
	if len(a) < 10 {
		t.Errorf("the day wrote %d files", len(a))
	}
	for _, name := range sortedNames(a) {
		if a[name] != b[name] {
			t.Errorf("%s: sha256 %s on SQLite, %q on PostgreSQL", name, a[name], b[name])
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s: written on PostgreSQL only", name)
		}
	}
}

// pain002For is a bank's pain.002 rejecting two collections of remittance
// 001 (read from the workspace): one for a closed account (its mandate
// blocked), one for insufficient funds.
func pain002For(t *testing.T, w *workspace) string {
	t.Helper()
	var rem struct {
		MsgID string `json:"msg_id"`
	}
	r := w.must("show", "001", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rem); err != nil || rem.MsgID == "" {
		t.Fatalf("show 001 --json: %v\n%s", err, r.stdout)
	}
	xml, err := os.ReadFile(filepath.Join(w.out, "PAIEMENT.001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var e2e []string
	for _, part := range strings.Split(string(xml), "<EndToEndId>")[1:] {
		e2e = append(e2e, part[:strings.Index(part, "<")])
	}
	if len(e2e) < 2 {
		t.Fatalf("remittance 001 has %d collections, want 2 or more", len(e2e))
	}
	tx := func(id, reason string) string {
		return `<TxInfAndSts><OrgnlEndToEndId>` + id + `</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>` + reason +
			`</Cd></Rsn></StsRsnInf></TxInfAndSts>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-PSR-1</MsgId><CreDtTm>2026-12-04T07:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>` + rem.MsgID + `</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>` + tx(e2e[0], "AC04") + tx(e2e[1], "AM04") + `</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`
}

// shapes are the live remittances as a run made them: their kind, scheme,
// count and total in the order they were made (their numbers aside, which
// PostgreSQL's sequences may skip after a killed run).
func (w *workspace) shapes() []string {
	w.t.Helper()
	var out []string
	for _, r := range w.remittances() {
		if r.Status != "cancelled" {
			out = append(out, fmt.Sprintf("%s %s %d %s", r.Kind, r.Scheme, r.Count, r.Total))
		}
	}
	sort.Strings(out)
	return out
}

// TestPostgresCrashRun kills `remit run` on PostgreSQL at each step of a
// remittance (REMIT_CRASH_AT) and after delays spread over a run: the next
// run ends where an uninterrupted one ends (the same remittances, their
// numbers aside), every receivable in exactly one live remittance, and every
// file regenerates byte for byte.
func TestPostgresCrashRun(t *testing.T) {
	tmpl := newPGWorkspace(t)
	tmpl.initDB()
	l := genLedger(t, "A", crashSize())
	tmpl.must("import", tmpl.writeFile("receivables.csv", l.csv))
	args := []string{"run"}
	base := tmpl.clone(t)
	r := base.must(args...)
	c := base.checkConsistent(l.docs, false)
	if c.remitted != len(l.docs) {
		t.Fatalf("uninterrupted run: %d of %d remitted\n%s", c.remitted, len(l.docs), r)
	}
	base.checkFiles()
	base.checkRegenerate()
	want := base.shapes()
	finish := func(t *testing.T, w *workspace) {
		t.Helper()
		w.checkConsistent(l.docs, true)
		if r := w.run(args...); r.code != 0 {
			t.Fatalf("run after the kill: %s", r)
		}
		c := w.checkConsistent(l.docs, false)
		if c.remitted != len(l.docs) || c.pointed != 0 {
			t.Errorf("after the kill and a new run: %d remitted, %d pointed, want %d and 0", c.remitted, c.pointed, len(l.docs))
		}
		if got := w.queryInt(`SELECT sum(total) FROM remittances WHERE status != 'cancelled'`); int64(got) != l.total {
			t.Errorf("remitted %d cents in all, the receivables are %d", got, l.total)
		}
		if got := w.shapes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("remittances after the kill:\n%s\nan uninterrupted run makes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		w.checkRegenerate()
	}
	for _, at := range []string{"before-rename:1", "after-file:1", "after-file:2", "before-commit:1", "after-commit:1",
		"before-rename:3", "before-commit:2", "after-commit:2"} {
		t.Run(strings.ReplaceAll(at, ":", "-"), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			if r := w.runEnv([]string{"REMIT_CRASH_AT=" + at}, args...); !r.killed {
				t.Fatalf("REMIT_CRASH_AT=%s did not stop the run: %s", at, r)
			}
			finish(t, w)
		})
	}
	kills := 4
	for i := range kills {
		frac := (float64(i) + 0.5) / float64(kills)
		t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			cmd := w.command(t.Context(), nil, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(frac * float64(r.took)))
			cmd.Process.Signal(syscall.SIGKILL)
			_, killed := exitStatus(t, cmd, cmd.Wait())
			t.Logf("killed %v after %v: %s", killed, time.Duration(frac*float64(r.took)), crashState(w))
			finish(t, w)
		})
	}
}

// TestPostgresCrashImport kills `remit import` on PostgreSQL just before
// its commit and midway: the database holds nothing of the file, and
// importing it again completes it.
func TestPostgresCrashImport(t *testing.T) {
	w := newPGWorkspace(t)
	w.initDB()
	big := genLedger(t, "B", 6000)
	path := w.writeFile("big.csv", big.csv)
	if r := w.runEnv([]string{"REMIT_CRASH_AT=before-commit"}, "import", path); !r.killed {
		t.Fatalf("REMIT_CRASH_AT=before-commit did not stop the import: %s", r)
	}
	if got := w.queryInt(`SELECT count(*) FROM receivables`); got != 0 {
		t.Fatalf("killed before its commit, the import left %d rows", got)
	}
	cmd := w.command(t.Context(), nil, "import", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if got := w.queryInt(`SELECT count(*) FROM receivables`); got != 0 && got != len(big.docs) {
		t.Fatalf("after the kill: %d of %d rows", got, len(big.docs))
	}
	w.must("import", path)
	w.checkConsistent(big.docs, false)
	if r := w.must("import", path); !strings.Contains(r.stdout, fmt.Sprintf("0 new, 0 updated, %d unchanged", len(big.docs))) {
		t.Errorf("the same file again: %s", r.stdout)
	}
}

// TestPostgresConcurrentRuns starts eight `remit run` at once on one
// PostgreSQL database of three creditors, some for one creditor, some for
// all, with imports and points of new receivables among them: every
// receivable ends in at most one live remittance, none is lost, the runs of
// different creditors go side by side, and every file regenerates byte for
// byte.
func TestPostgresConcurrentRuns(t *testing.T) {
	w := newPGWorkspace(t)
	w.must("init")
	var docs []string
	w.creditors = []string{"ACME", "BETA", "GAMMA"}
	for i, code := range w.creditors {
		args := append([]string{}, creditorArgs...)
		args = append(args, "--creditor", code, "--name", "Société "+code)
		w.must(args...)
		l := genLedger(t, string(rune('A'+i)), 1500)
		w.must("--creditor", code, "import", w.writeFile(code+".csv", l.csv))
		docs = append(docs, l.docs...)
	}
	more := genLedger(t, "Z", 1000)
	docs = append(docs, more.docs...)
	procs := [][]string{
		{"run"}, {"run", "--no-bordereau"}, {"run", "--json", "--log-format", "json"}, {"run"},
		{"--creditor", "ACME", "run"}, {"--creditor", "BETA", "run"}, {"--creditor", "GAMMA", "run", "--no-bordereau"},
		{"--creditor", "ACME", "run"},
		{"--creditor", "BETA", "import", w.writeFile("more.csv", more.csv)},
		append([]string{"--creditor", "GAMMA", "point", "--method", "sdd"}, everything...),
		{"remittances", "--json", "--creditor", "ACME"},
	}
	results := make([]result, len(procs))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, args := range procs {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			results[i] = w.run(append(args, "--wait", "60s")...)
		}()
	}
	start.Done()
	done.Wait()
	for _, r := range results {
		t.Logf("remit %s: exit %d in %v", strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond))
		if r.code != 0 {
			t.Errorf("%s", r)
		}
		for _, leak := range []string{"deadlock", "could not serialize", "SQLSTATE", "lock timeout"} {
			if strings.Contains(r.stdout+r.stderr, leak) {
				t.Errorf("%q reached the user:\n%s", leak, r)
			}
		}
	}
	w.checkConsistent(docs, false)
	w.must(append([]string{"--creditor", "BETA", "point"}, everything...)...)
	w.must("run")
	c := w.checkConsistent(docs, false)
	if c.remitted != len(docs) {
		t.Errorf("%d remitted, want %d (%d pointed, %d open)", c.remitted, len(docs), c.pointed, c.open)
	}
	w.checkFiles()
	w.checkRegenerate()
}

// TestPostgresBusy: a run of a creditor waits for another run of the same
// creditor (--wait) and exits 4 when the wait is over, saying so, while a
// run of another creditor goes on; a remittance (remit sdd) waits likewise
// for another writer of its creditor (its row lock) and exits 4.
func TestPostgresBusy(t *testing.T) {
	w := newPGWorkspace(t)
	w.must("init")
	w.creditors = []string{"ACME", "BETA"}
	for i, code := range w.creditors {
		args := append(append([]string{}, creditorArgs...), "--creditor", code)
		w.must(args...)
		l := genLedger(t, string(rune('A'+i)), 300)
		w.must("--creditor", code, "import", w.writeFile(code+".csv", l.csv))
	}
	acme := int64(w.queryInt(`SELECT id FROM creditors WHERE code = 'ACME'`))
	lock, err := postgres.AcquireRunLock(w.db, acme, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := w.run("--creditor", "ACME", "run", "--wait", "300ms")
	if r.code != 4 || !strings.Contains(r.stderr, "busy") || !strings.Contains(r.stderr, "waited 300ms") {
		t.Errorf("a run of ACME while another holds ACME: want exit 4 saying busy after waiting:\n%s", r)
	}
	if r := w.run("--creditor", "BETA", "run", "--wait", "0s"); r.code != 0 {
		t.Errorf("a run of BETA while another holds ACME: %s", r)
	}
	lock.Release()

	// Another writer of ACME (an import, say) in its transaction.
	db := w.sqlDB()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SELECT id FROM creditors WHERE id = $1 FOR NO KEY UPDATE`, acme); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"sdd"}, append([]string{"unpoint"}, everything...)} {
		r := w.run(append([]string{"--creditor", "ACME", "--wait", "300ms"}, args...)...)
		if r.code != 4 || !strings.Contains(r.stderr, "busy") || !strings.Contains(r.stderr, "--wait (300ms)") || strings.Contains(r.stderr, "SQLSTATE") {
			t.Errorf("remit %s while another writer holds ACME: want exit 4 saying busy:\n%s", strings.Join(args, " "), r)
		}
	}
	tx.Rollback()
	w.must("--creditor", "ACME", "run")
	c := w.checkConsistent(nil, false)
	if c.pointed != 0 || c.remitted != 600 {
		t.Errorf("after the waits: %d remitted, %d pointed", c.remitted, c.pointed)
	}
}

// TestPostgresDemoCopyRegenerate runs the demo (make demo) on SQLite,
// copies its database into PostgreSQL (remit db copy), and regenerates
// every remittance from PostgreSQL: each file, slips and traites
// included, comes back byte for byte; the entries exported from
// PostgreSQL are the demo's FEC, byte for byte.
func TestPostgresDemoCopyRegenerate(t *testing.T) {
	w := newPGWorkspace(t)
	dsn := w.db
	demo := filepath.Join(w.dir, "demo")
	bin := filepath.Join(t.TempDir(), "remitdemo")
	if out, err := exec.Command("go", "build", "-o", bin, "../remitdemo").CombinedOutput(); err != nil {
		t.Fatalf("go build remitdemo: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-bin", remitBinary(t), "-dir", demo)
	cmd.Env = baseEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("remitdemo: %v\n%s", err, out)
	}
	w.db, w.out = filepath.Join(demo, "remit.db"), filepath.Join(demo, "out")
	if r := w.must("db", "copy", "--to", dsn); !strings.Contains(r.stdout, "copied") {
		t.Errorf("db copy: %s", r)
	}
	sqliteList := w.must("remittances").stdout
	w.db = dsn
	if got := w.must("remittances").stdout; got != sqliteList {
		t.Errorf("remittances on PostgreSQL:\n%s\non SQLite:\n%s", got, sqliteList)
	}
	if n := len(w.remittances()); n < 4 {
		t.Fatalf("the demo made %d remittances", n)
	}
	w.checkRegenerate()
	w.must("entries", "--format", "fec", "-o", filepath.Join(w.dir, "pg.fec"))
	want, err := os.ReadFile(filepath.Join(w.out, "ECRITURES.fec"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(w.dir, "pg.fec")); err != nil || !bytes.Equal(got, want) {
		t.Errorf("the entries exported from PostgreSQL differ from the demo's FEC (%v)", err)
	}
}

// TestPostgresNamedByEnvAndConfig: REMIT_DB and db: in remit.yaml name a
// PostgreSQL database as --db does (no remit.db is made); --db given as a
// path still means an SQLite file, whatever they say.
func TestPostgresNamedByEnvAndConfig(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	remit := func(env []string, args ...string) result {
		t.Helper()
		cmd := exec.Command(remitBinary(t), args...)
		cmd.Dir = dir
		cmd.Env = append(baseEnv(), env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		r := result{args: args, stdout: stdout.String(), stderr: stderr.String()}
		r.code, r.killed = exitStatus(t, cmd, err)
		return r
	}
	if r := remit([]string{"REMIT_DB=" + dsn}, "init"); r.code != 0 || !strings.Contains(r.stdout, "postgres://") {
		t.Fatalf("REMIT_DB: %s", r)
	}
	if r := remit([]string{"REMIT_DB=" + dsn}, creditorArgs...); r.code != 0 {
		t.Fatalf("REMIT_DB: %s", r)
	}
	if err := os.WriteFile(filepath.Join(dir, "remit.yaml"), []byte("db: "+dsn+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := remit(nil, "creditor", "show"); r.code != 0 || !strings.Contains(r.stdout, "ACME OUTILLAGE SARL") {
		t.Errorf("db: in remit.yaml: %s", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "remit.db")); !os.IsNotExist(err) {
		t.Errorf("remit.db made beside a PostgreSQL configuration: %v", err)
	}
	if r := remit([]string{"REMIT_DB=" + dsn}, "--db", "local.db", "init"); r.code != 0 || !strings.Contains(r.stdout, "local.db") {
		t.Errorf("--db local.db: %s", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "local.db")); err != nil {
		t.Errorf("--db local.db made no SQLite file: %v", err)
	}
}
