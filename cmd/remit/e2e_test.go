package main

// End-to-end tests: they build the real binary once per test process and run
// it with os/exec on databases in temporary folders, with a fixed clock
// (REMIT_NOW), the way cron runs it. The helpers here are shared by
// crash_test.go, concurrency_test.go and hostile_test.go.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// e2eNow is the clock of every process the tests start: a Monday morning.
const e2eNow = "2026-11-23T08:00:00Z"

var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	if args := os.Getenv(rssRunnerEnv); args != "" {
		os.Exit(rssRunner(args))
	}
	code := m.Run()
	for _, dir := range []string{build.dir, crashFixture.dir, payFixture.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// remitBinary builds ./cmd/remit once per test process and returns its path.
func remitBinary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "remit-e2e-bin-")
		if build.err != nil {
			return
		}
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if p, err := exec.LookPath("go"); err == nil {
			gobin = p
		}
		build.bin = filepath.Join(build.dir, "remit")
		out, err := exec.Command(gobin, "build", "-o", build.bin, ".").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.bin
}

// workspace is a folder with a database (remit.db, or a PostgreSQL
// database of the tests' private cluster) and an out/ folder.
type workspace struct {
	t   testing.TB
	dir string
	db  string // the SQLite file, or the PostgreSQL database's URL
	pg  bool
	out string
	// creditors are the codes of the creditors, when there are several.
	creditors []string
	env       []string // extra environment, on top of the clean base
}

func newWorkspace(t testing.TB) *workspace {
	t.Helper()
	dir := t.TempDir()
	return &workspace{t: t, dir: dir, db: filepath.Join(dir, "remit.db"), out: filepath.Join(dir, "out")}
}

// newPGWorkspace is a workspace whose database is an empty PostgreSQL
// database (pgtest: skipped without PostgreSQL, failed under CI=true).
func newPGWorkspace(t testing.TB) *workspace {
	t.Helper()
	w := newWorkspace(t)
	w.db, w.pg = pgtest.DSN(t), true
	return w
}

// baseEnv is the process environment without any REMIT_* variable (a
// developer's own configuration must not change what the tests see), with
// the fixed clock.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REMIT_") {
			env = append(env, kv)
		}
	}
	return append(env, "REMIT_NOW="+e2eNow)
}

type result struct {
	args   []string
	stdout string
	stderr string
	code   int  // exit status; -1 when killed by a signal
	killed bool // ended by SIGKILL
	took   time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("remit %s: exit %d (killed %v)\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.killed,
		clip(r.stdout), clip(r.stderr))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:2000] + "\n[…]\n" + s[len(s)-2000:]
	}
	return s
}

// command prepares `remit --db … --out … args…` in the workspace folder.
func (w *workspace) command(ctx context.Context, extraEnv []string, args ...string) *exec.Cmd {
	full := append([]string{"--db", w.db, "--out", w.out}, args...)
	cmd := exec.CommandContext(ctx, remitBinary(w.t), full...)
	cmd.Dir = w.dir
	cmd.Env = append(append(baseEnv(), w.env...), extraEnv...)
	return cmd
}

// run runs remit to completion (at most two minutes) and returns what it did.
func (w *workspace) run(args ...string) result { return w.runEnv(nil, args...) }

func (w *workspace) runEnv(extraEnv []string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := w.command(ctx, extraEnv, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	r.code, r.killed = exitStatus(w.t, cmd, err)
	return r
}

func exitStatus(t testing.TB, cmd *exec.Cmd, err error) (code int, killed bool) {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, false
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -1, ws.Signal() == syscall.SIGKILL
		}
		return ee.ExitCode(), false
	}
	t.Fatalf("%s: %v", cmd, err)
	return 0, false
}

// must runs remit and fails the test unless it exits with one of codes (default 0).
func (w *workspace) must(args ...string) result {
	w.t.Helper()
	r := w.run(args...)
	if r.code != 0 {
		w.t.Fatalf("%s", r)
	}
	return r
}

// creditorArgs set up the creditor of every test database.
var creditorArgs = []string{"creditor", "set", "--name", "ACME OUTILLAGE SARL", "--ics", "FR72ZZZ123456",
	"--iban", "FR7630004008280001012345691", "--bic", "BNPAFRPP", "--nne", "123456", "--siren", "123456782",
	"--bank-name", "BNP PARIBAS PARIS OPERA", "--street", "Rue de la Paix", "--building", "12", "--postcode", "75002",
	"--town", "Paris", "--country", "FR"}

// initDB creates the workspace's database with the creditor.
func (w *workspace) initDB() {
	w.t.Helper()
	w.must("init")
	w.must(creditorArgs...)
}

// clone copies the workspace (database, its WAL, out/) into a new folder.
func (w *workspace) clone(t testing.TB) *workspace {
	t.Helper()
	c := newWorkspace(t)
	c.env, c.creditors = w.env, w.creditors
	if w.pg {
		c.db, c.pg = pgtest.Clone(t, w.db), true
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if !w.pg {
			copyFile(t, w.db+suffix, c.db+suffix)
		}
	}
	if entries, err := os.ReadDir(w.out); err == nil {
		os.MkdirAll(c.out, 0o700)
		for _, e := range entries {
			copyFile(t, filepath.Join(w.out, e.Name()), filepath.Join(c.out, e.Name()))
		}
	}
	return c
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeFile writes a file in the workspace folder and returns its path.
func (w *workspace) writeFile(name string, data []byte) string {
	w.t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// sqlDB opens the workspace's database directly for the checks the command
// line does not show (remittance_items). Not read-only: after a kill, the
// first connection must recover the WAL.
func (w *workspace) sqlDB() *sql.DB {
	w.t.Helper()
	if w.pg {
		db, err := sql.Open("pgx", w.db)
		if err != nil {
			w.t.Fatal(err)
		}
		w.t.Cleanup(func() { db.Close() })
		return db
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: w.db}).EscapedPath()+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { db.Close() })
	return db
}

func (w *workspace) queryInt(q string, args ...any) int {
	w.t.Helper()
	db := w.sqlDB()
	defer db.Close()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// ---- the receivables file ----

// ledger describes a generated CSV: its bytes and what it holds.
type ledger struct {
	csv   []byte
	docs  []string
	sdd   int
	lcr   int
	total int64 // cents
}

const csvHeader = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_last_collected," +
	"acceptance,street,building,postcode,town,country,bank_name,siren,label,pointed\n"

// frenchIBAN builds a valid French IBAN (RIB key and check digits computed).
func frenchIBAN(t testing.TB, bank, branch int, account int64) string {
	t.Helper()
	r := ident.RIB{Bank: fmt.Sprintf("%05d", bank), Branch: fmt.Sprintf("%05d", branch), Account: fmt.Sprintf("%011d", account)}
	key, err := ident.RIBKey(r.Bank, r.Branch, r.Account)
	if err != nil {
		t.Fatal(err)
	}
	r.Key = key
	iban := r.IBAN()
	if err := ident.ValidateIBAN(iban); err != nil {
		t.Fatalf("generated IBAN %s: %v", iban, err)
	}
	return iban
}

// genLedger makes n receivables, all pointed: about five in six SEPA direct
// debits (one customer in eight B2B, one in three with an earlier
// collection, so FRST, RCUR and one pending FRST per mandate all occur),
// the rest LCR; five receivables per customer. prefix keeps documents of
// several files apart.
func genLedger(t testing.TB, prefix string, n int) ledger {
	t.Helper()
	var b strings.Builder
	b.WriteString(csvHeader)
	l := ledger{}
	towns := []string{"Paris", "Lyon", "Saint-Étienne", "Besançon", "Aix-en-Provence"}
	for i := 0; i < n; i++ {
		cust := i / 5
		doc := fmt.Sprintf("%s-%06d", prefix, i)
		amount := int64(1000 + (i*7919)%250000)
		due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*13)%60).Format("2006-01-02")
		iban := frenchIBAN(t, 30000+cust%7, 10000+cust%100, int64(cust)*7919+int64(len(prefix)))
		name := fmt.Sprintf("Société Dupont & Fils n°%d", cust)
		town := towns[cust%len(towns)]
		label := fmt.Sprintf("Facture %s échéance %d/5", doc, i%5+1)
		var method, mandate, signed, scheme, last, acceptance string
		if cust%6 != 5 {
			method = "sdd"
			mandate = fmt.Sprintf("RUM-%s-%05d", prefix, cust)
			signed = "2025-03-14"
			scheme = "CORE"
			if cust%8 == 3 {
				scheme = "B2B"
			}
			if cust%3 == 1 {
				last = "2026-10-05"
			}
			l.sdd++
		} else {
			method = "lcr"
			acceptance = []string{"accepted", "not_accepted", "bor"}[cust%3]
			l.lcr++
		}
		fmt.Fprintf(&b, "%s,%s,%q,%d.%02d,%s,%s,%s,BNPAFRPP,%s,%s,%s,%s,%s,%q,%d,750%02d,%s,FR,BNP %s,,%q,yes\n",
			doc, fmt.Sprintf("411C%s%05d", prefix, cust), name, amount/100, amount%100, due, method, iban, mandate, signed, scheme,
			last, acceptance, "Rue de la République", cust%200+1, cust%20+1, town, strings.ToUpper(town), label)
		l.docs = append(l.docs, doc)
		l.total += amount
	}
	l.csv = []byte(b.String())
	return l
}

// ---- what the command line says ----

type fileJSON struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

type remittanceJSON struct {
	Creditor string     `json:"creditor"`
	Ref      string     `json:"ref"`
	Kind     string     `json:"kind"`
	Scheme   string     `json:"scheme"`
	Bank     string     `json:"bank"`
	Status   string     `json:"status"`
	Count    int        `json:"count"`
	Total    string     `json:"total"`
	Files    []fileJSON `json:"files"`
}

// remittances lists the remittances of every creditor (w.creditors, or
// the only one).
func (w *workspace) remittances() []remittanceJSON {
	w.t.Helper()
	var all []remittanceJSON
	for _, code := range append(w.creditors, "")[:max(1, len(w.creditors))] {
		r := w.must("--creditor", code, "remittances", "--json")
		var some []remittanceJSON
		if err := json.Unmarshal([]byte(r.stdout), &some); err != nil {
			w.t.Fatalf("remittances --json: %v\n%s", err, r.stdout)
		}
		all = append(all, some...)
	}
	return all
}

func (w *workspace) show(ref string) remittanceJSON {
	w.t.Helper()
	r := w.must("show", ref, "--json")
	var rem remittanceJSON
	if err := json.Unmarshal([]byte(r.stdout), &rem); err != nil {
		w.t.Fatalf("show --json: %v\n%s", err, r.stdout)
	}
	return rem
}

func sha256File(t testing.TB, path string) (string, int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), int64(len(data))
}

// ---- the invariants ----

// consistency is what checkConsistent found, for comparisons between runs.
type consistency struct {
	remitted int
	pointed  int
	open     int
	files    map[string]string // name → sha256 of every recorded file of a live remittance
}

// checkConsistent asserts what must hold after any crash, or any mix of
// concurrent processes: every receivable of docs is open, pointed or remitted, each
// remitted one in exactly one live remittance (no receivable twice), every
// recorded file is in out/ with its sha256. Once remit has run again
// (crashed false), out/ must also hold no temporary file and no file that no
// remittance records; right after a kill those may be there, for the next
// run to remove or overwrite.
func (w *workspace) checkConsistent(docs []string, crashed bool) consistency {
	w.t.Helper()
	t := w.t
	db := w.sqlDB()
	c := consistency{files: map[string]string{}}

	var dup int
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT receivable_id FROM remittance_items WHERE status != 'cancelled'
		GROUP BY receivable_id HAVING count(*) > 1) AS twice`).Scan(&dup); err != nil {
		t.Fatal(err)
	}
	if dup > 0 {
		t.Errorf("%d receivables are in more than one live remittance", dup)
	}
	// Status and live items agree, for every receivable of the files.
	rows, err := db.Query(`SELECT r.document, r.status, (SELECT count(*) FROM remittance_items i
			JOIN remittances m ON m.id = i.remittance_id
			WHERE i.receivable_id = r.id AND i.status != 'cancelled' AND m.status != 'cancelled')
		FROM receivables r`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	bad := 0
	for rows.Next() {
		var doc, status string
		var live int
		if err := rows.Scan(&doc, &status, &live); err != nil {
			t.Fatal(err)
		}
		seen[doc] = true
		ok := (status == "pointed" || status == "open") && live == 0 || status == "remitted" && live == 1
		if !ok && bad < 10 {
			t.Errorf("receivable %s: status %s with %d live remittance item(s)", doc, status, live)
		}
		if !ok {
			bad++
		}
		switch status {
		case "remitted":
			c.remitted++
		case "pointed":
			c.pointed++
		case "open":
			c.open++
		}
	}
	rows.Close()
	lost := 0
	for _, d := range docs {
		if !seen[d] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d receivables lost (not in the database)", lost)
	}
	// Items and remittance headers agree.
	var mismatched int
	if err := db.QueryRow(`SELECT count(*) FROM remittances m WHERE m.item_count != (SELECT count(*) FROM remittance_items i WHERE i.remittance_id = m.id)
		OR m.total != (SELECT COALESCE(sum(amount), 0) FROM remittance_items i WHERE i.remittance_id = m.id)`).Scan(&mismatched); err != nil {
		t.Fatal(err)
	}
	if mismatched > 0 {
		t.Errorf("%d remittances whose count or total differ from their items", mismatched)
	}

	recorded := map[string]bool{}
	for _, rem := range w.remittances() {
		if len(rem.Files) == 0 {
			t.Errorf("remittance %s has no file", rem.Ref)
		}
		for _, f := range rem.Files {
			recorded[f.Name] = true
			if rem.Status == "cancelled" {
				continue
			}
			sum, size := sha256File(t, filepath.Join(w.out, f.Name))
			if sum != f.SHA256 || size != f.Size {
				t.Errorf("remittance %s: %s is %d bytes sha256 %s, recorded %d bytes %s", rem.Ref, f.Name, size, sum, f.Size, f.SHA256)
			}
			c.files[f.Name] = f.SHA256
		}
	}
	entries, _ := os.ReadDir(w.out)
	for _, e := range entries {
		if crashed {
			break
		}
		switch {
		case strings.Contains(e.Name(), ".remit-tmp-"):
			t.Errorf("temporary file left in out/: %s", e.Name())
		case strings.HasPrefix(e.Name(), "ECHEANCES.") || strings.HasPrefix(e.Name(), "TRAITES."):
			// documents, not bank files
		case !recorded[e.Name()]:
			t.Errorf("out/%s is recorded by no remittance (a bank file nobody knows about)", e.Name())
		}
	}
	return c
}

// checkRegenerate runs `remit regenerate` on every live remittance and
// asserts that every recorded file, slips included, comes back byte for
// byte.
func (w *workspace) checkRegenerate() {
	w.t.Helper()
	for _, rem := range w.remittances() {
		if rem.Status == "cancelled" {
			continue
		}
		before := map[string][]byte{}
		for _, f := range rem.Files {
			data, err := os.ReadFile(filepath.Join(w.out, f.Name))
			if err != nil {
				w.t.Fatal(err)
			}
			before[f.Name] = data
			os.Remove(filepath.Join(w.out, f.Name)) // regenerate must write it again, slips included, not find it
		}
		w.must("--creditor", rem.Creditor, "regenerate", rem.Ref)
		for name, want := range before {
			got, err := os.ReadFile(filepath.Join(w.out, name))
			if err != nil {
				w.t.Errorf("remittance %s: after regenerate: %v", rem.Ref, err)
				continue
			}
			if !bytes.Equal(got, want) {
				w.t.Errorf("remittance %s: regenerated %s differs from the original", rem.Ref, name)
			}
		}
	}
}

// canXMLLint reports whether xmllint and the official schemas are here. When
// they are not, the files are not validated but the test goes on (the crash
// and concurrency checks do not need them), except under CI=true, where
// testtool.XMLLint fails the test.
func canXMLLint() bool {
	if os.Getenv("CI") == "true" {
		return true
	}
	dir := os.Getenv("REMIT_XSD_DIR")
	if dir == "" {
		dir = filepath.Join(testtool.RepoRoot(), "..", "shared", "xsd")
	}
	_, errTool := exec.LookPath("xmllint")
	_, errXSD := os.Stat(filepath.Join(dir, "pain.008.001.08.xsd"))
	return errTool == nil && errXSD == nil
}

// checkFiles validates every live bank file: pain.008 against the official
// schema with xmllint, CFONB files read back with cfonb.Verify.
func (w *workspace) checkFiles() {
	w.t.Helper()
	lint := canXMLLint()
	if !lint {
		w.t.Log("xmllint or the ISO 20022 schemas missing (make tools): pain.008 files not validated")
	}
	for _, rem := range w.remittances() {
		if rem.Status == "cancelled" {
			continue
		}
		for _, f := range rem.Files {
			path := filepath.Join(w.out, f.Name)
			switch {
			case strings.HasPrefix(f.Format, "pain.008") && lint:
				if ok, out := testtool.XMLLint(w.t, f.Format+".xsd", path); !ok {
					w.t.Errorf("remittance %s: %s is not valid %s:\n%s", rem.Ref, f.Name, f.Format, clip(out))
				}
			case strings.HasPrefix(f.Format, "cfonb"):
				checkCFONB(w.t, path)
			}
		}
	}
}

func checkCFONB(t testing.TB, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\r\n")), []byte("\r\n")) {
		if len(line) != 160 {
			t.Errorf("%s: record %d is %d bytes, want 160", filepath.Base(path), i+1, len(line))
			break
		}
	}
	if _, errs := cfonb.Verify(bytes.NewReader(data)); len(errs) > 0 {
		t.Errorf("%s: cfonb.Verify: %v", filepath.Base(path), errors.Join(errs...))
	}
}

func sortedNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
