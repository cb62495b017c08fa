package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// build builds a command of this module into a temporary folder.
func build(t *testing.T, pkg, name string) string {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gobin = p
	}
	bin := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command(gobin, "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// readCSV returns the lines of a generated file as maps column → value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	head := strings.Split(sc.Text(), ",")
	var lines []map[string]string
	for sc.Scan() {
		vals := strings.Split(sc.Text(), ",")
		if len(vals) != len(head) {
			t.Fatalf("%s: %d values for %d columns: %s", path, len(vals), len(head), sc.Text())
		}
		ln := map[string]string{}
		for i, h := range head {
			ln[h] = vals[i]
		}
		lines = append(lines, ln)
	}
	return lines
}

func TestShapes(t *testing.T) {
	for _, tc := range []struct {
		shape             string
		n                 int
		customers         int
		firstDue, lastDue string
	}{
		{"ten", 1000, 100, "2026-12-01", "2027-05-28"},
		{"one", 1000, 1000, "2026-12-01", "2026-12-28"},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			s, ok := shapeByName(tc.shape)
			if !ok {
				t.Fatal("no shape", tc.shape)
			}
			dir := t.TempDir()
			if err := s.data(tc.n).writeFiles(dir); err != nil {
				t.Fatal(err)
			}
			lines := readCSV(t, filepath.Join(dir, "sdd.csv"))
			if len(lines) != tc.n {
				t.Fatalf("%d lines, want %d", len(lines), tc.n)
			}
			customers, mandates, collected, b2b := map[string]bool{}, map[string]string{}, map[string]bool{}, map[string]bool{}
			minDue, maxDue := "9999", ""
			for _, ln := range lines {
				customers[ln["customer"]] = true
				if c, ok := mandates[ln["mandate"]]; ok && c != ln["customer"] {
					t.Fatalf("mandate %s of two customers", ln["mandate"])
				}
				mandates[ln["mandate"]] = ln["customer"]
				if ln["mandate_last_collected"] != "" {
					collected[ln["mandate"]] = true
				}
				if ln["scheme"] == "B2B" {
					b2b[ln["mandate"]] = true
				}
				minDue, maxDue = min(minDue, ln["due_date"]), max(maxDue, ln["due_date"])
			}
			if len(customers) != tc.customers || len(mandates) != tc.customers {
				t.Errorf("%d customers and %d mandates, want %d of each", len(customers), len(mandates), tc.customers)
			}
			if len(collected)*10 != len(mandates)*9 {
				t.Errorf("%d of %d mandates collected before, want 90 %%", len(collected), len(mandates))
			}
			if len(b2b)*10 != len(mandates) {
				t.Errorf("%d of %d mandates B2B, want one in ten", len(b2b), len(mandates))
			}
			if minDue != tc.firstDue || maxDue != tc.lastDue {
				t.Errorf("due from %s to %s, want %s to %s", minDue, maxDue, tc.firstDue, tc.lastDue)
			}
		})
	}
}

// The history's months: the same customers and mandates, new documents,
// due in the month after REMIT_NOW, every mandate CORE.
func TestHistoryMonths(t *testing.T) {
	dir := t.TempDir()
	var customers []string
	for m, due := range map[int]string{1: "2026-12", 2: "2027-01", 13: "2027-12"} {
		d := dataset{n: 50, perCustomer: 1, months: 1, first: 2026*12 + 11 + (m - 1), core: true, prefix: fmt.Sprintf("M%02d-", m)}
		path := filepath.Join(dir, fmt.Sprint(m))
		if err := d.write(path, "sdd", "yes"); err != nil {
			t.Fatal(err)
		}
		var cs []string
		for i, ln := range readCSV(t, path) {
			if want := fmt.Sprintf("M%02d-%08d", m, i); ln["document"] != want {
				t.Fatalf("month %d: document %s, want %s", m, ln["document"], want)
			}
			if !strings.HasPrefix(ln["due_date"], due) || ln["scheme"] != "CORE" || ln["pointed"] != "yes" {
				t.Fatalf("month %d: %v", m, ln)
			}
			cs = append(cs, ln["customer"]+" "+ln["mandate"]+" "+ln["iban"])
		}
		if customers != nil && strings.Join(cs, ",") != strings.Join(customers, ",") {
			t.Fatalf("month %d: other customers", m)
		}
		customers = cs
	}
	for m, want := range map[int]string{1: "2026-11-23T09:00:00Z", 2: "2026-12-23T09:00:00Z", 13: "2027-11-23T09:00:00Z"} {
		if got := monthNow(m); got != want {
			t.Errorf("monthNow(%d) = %s, want %s", m, got, want)
		}
	}
}

// dump is every row of a table, in rowid order, as text, without the
// columns named in skip.
func dump(t *testing.T, path, table string, skip ...string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var fields []string
	col:
		for i, c := range cols {
			for _, s := range skip {
				if c == s {
					continue col
				}
			}
			fields = append(fields, fmt.Sprintf("%s=%v", c, vals[i]))
		}
		out = append(out, strings.Join(fields, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The import floor writes, value for value, the rows remit's import writes
// (the hashes aside), on both shapes.
func TestImportFloorWritesRemitsRows(t *testing.T) {
	remitBin, benchBin := build(t, "../remit", "remit"), build(t, ".", "remitbench")
	for _, name := range []string{"ten", "one"} {
		t.Run(name, func(t *testing.T) {
			s, _ := shapeByName(name)
			dir := t.TempDir()
			if err := s.data(300).writeFiles(dir); err != nil {
				t.Fatal(err)
			}
			remit := func(args ...string) {
				cmd := exec.Command(remitBin, args...)
				cmd.Dir, cmd.Env = dir, append(os.Environ(), "REMIT_NOW="+now)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("remit %s: %v\n%s", args, err, out)
				}
			}
			remit("init")
			sh(dir, remitBin+" "+creditorArgs)
			sh(dir, "cp remit.db empty.db")
			remit("import", "sdd.csv")
			out, err := exec.Command(benchBin, "-import-floor", filepath.Join(dir, "empty.db"), "-import-floor-csv", filepath.Join(dir, "sdd.csv")).CombinedOutput()
			if err != nil {
				t.Fatalf("import floor: %v\n%s", err, out)
			}
			if !regexp.MustCompile(`^read=\S+ customers=\S+ mandates=\S+ history=\S+ receivables=\S+ commit=\S+ total=\S+\n$`).Match(out) {
				t.Errorf("import floor printed %q", out)
			}
			for _, table := range []string{"customers", "mandates", "mandate_history", "receivables", "imports"} {
				remits, floors := dump(t, filepath.Join(dir, "remit.db"), table, "line_hash", "sha256"), dump(t, filepath.Join(dir, "empty.db"), table, "line_hash", "sha256")
				if len(remits) == 0 || strings.Join(remits, "\n") != strings.Join(floors, "\n") {
					t.Errorf("%s: remit wrote %d rows, the floor %d; first: %q and %q", table, len(remits), len(floors), first(remits), first(floors))
				}
			}
		})
	}
}

func first(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return rows[0]
}

// A whole run at a tiny size writes every section, with each stage's
// ratio to its floor beside it, and says why the peer was not measured.
func TestReport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage (-short)")
	}
	remitBin, benchBin := build(t, "../remit", "remit"), build(t, ".", "remitbench")
	work := t.TempDir()
	report := filepath.Join(work, "report.md")
	cmd := exec.Command(benchBin, "-bin", remitBin, "-work", filepath.Join(work, "w"), "-sizes", "60", "-reps", "1",
		"-history-n", "30", "-history-months", "2", "-peer-sizes", "40", "-pay-sizes", "40", "-peer-sepaxml", filepath.Join(work, "nowhere"), "-out", report)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("remitbench: %v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		"## Shape “ten”", "## Shape “one”", "## History: 2 monthly remittances of 30 debits", "## Peer: python-sepaxml 2.7.0",
		"| floor: import in SQLite, no checks | 60 |", "| remit cancel of month 2's remittance | 30 |",
		"| history | entries → FEC of remittances 002 (cancelled) and 003 | 30 | `cancel-and-again.fec` | 1 |", "| history | sdd --no-bordereau, month 2 again after the cancel | 30 | `out/*` | 1 |",
		"bytes per remitted item", "not measured: " + filepath.Join(work, "nowhere") + " is not a python-sepaxml checkout",
		"## Supplier payments: pointed payables → pain.001", "| sct → pain.001.001.09 | 40 |", "| payables import (pointed) | 40 |",
		"| bordereau (PDF slip) | 60 |", "| bordereau --slip summary (PDF + CSV) | 60 |", "a line per block: ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	// Every stage that has a floor shows its ratio, in both shapes.
	for _, stage := range []string{"import \\(SDD CSV\\)", "sdd → pain.008.001.08", "lcr → CFONB 160"} {
		re := regexp.MustCompile(`\| ` + stage + ` \| 60 \| [0-9.]+ s \| [0-9]+ MB \| [0-9]+/s \| [0-9.]+× \|`)
		if got := len(re.FindAllString(text, -1)); got != 2 {
			t.Errorf("%d rows %s with a ratio, want 2 (one per shape)", got, stage)
		}
	}
	// Every stage that writes files has their digest, the same at each run,
	// in both shapes.
	for _, stage := range []string{"sdd → pain.008.001.08 \\| 60 \\| `out/\\*` \\| 2", "sdd --cfonb \\(national \\+ XML\\) \\| 60 \\| `out/\\*` \\| [0-9]+",
		"lcr → CFONB 160 \\| 60 \\| `out/\\*` \\| 1", "bordereau \\(PDF slip\\) \\| 60 \\| `slip.pdf` \\| 1",
		"bordereau --slip summary \\(PDF \\+ CSV\\) \\| 60 \\| `summary.\\*` \\| 2", "entries → FEC export \\| 60 \\| `ecritures.fec` \\| 1",
		"end to end: import → run \\| 60 \\| `out/\\*` \\| [0-9]+", "end to end, --no-bordereau \\| 60 \\| `out/\\*` \\| [0-9]+"} {
		re := regexp.MustCompile(`\| (ten|one) \| ` + stage + ` \| ` + "`[0-9a-f]{64}`" + ` \|`)
		if got := len(re.FindAllString(text, -1)); got != 2 {
			t.Errorf("%d digests of %s, want 2 (one per shape)", got, stage)
		}
	}
	for _, stage := range []string{"import, month 2 \\(1 earlier remittance\\)", "sdd --no-bordereau, month 2 \\(1 earlier remittance\\)"} {
		if !regexp.MustCompile(`\| ` + stage + ` \| 30 \| .* \| [0-9.]+× \|`).MatchString(text) {
			t.Errorf("no ratio to month 1 on %s", stage)
		}
	}
}

// The peer's driver writes the debits it is asked for, with a checkout of
// python-sepaxml 2.7.0 named by REMITBENCH_SEPAXML (it is not ours: no
// checkout, no test).
func TestSepaxmlDriver(t *testing.T) {
	dir := os.Getenv("REMITBENCH_SEPAXML")
	if dir == "" {
		t.Skip("REMITBENCH_SEPAXML (a checkout of python-sepaxml 2.7.0) not set")
	}
	p := peerConfig{dir: dir, python: defaultPython()}
	if why := p.check(); why != "" {
		t.Fatal(why)
	}
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "sepaxml_driver.py"), []byte(sepaxmlDriver), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(p.python, "sepaxml_driver.py", dir, "100", "peer")
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !regexp.MustCompile(`^transactions=100 bytes=[0-9]+\n$`).Match(out) {
		t.Errorf("the driver printed %q", out)
	}
	for scheme, want := range map[string]int{"CORE": 90, "B2B": 10} {
		b, err := os.ReadFile(filepath.Join(work, "peer."+scheme+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(b), "<DrctDbtTxInf>"); got != want {
			t.Errorf("%s: %d transactions, want %d", scheme, got, want)
		}
		if strings.Contains(string(b), "é") {
			t.Errorf("%s: an address is not folded to the EPC character set", scheme)
		}
	}
}

// Without a usable checkout the peer says why and how to get one.
func TestPeerCheck(t *testing.T) {
	if why := (peerConfig{}).check(); !strings.Contains(why, "no python-sepaxml checkout given") {
		t.Errorf("no dir: %q", why)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sepaxml"), 0o755)
	os.WriteFile(filepath.Join(dir, "sepaxml", "__init__.py"), []byte("version = '2.6.2'\n"), 0o644)
	if why := (peerConfig{dir: dir, python: defaultPython()}).check(); !strings.Contains(why, "is not python-sepaxml 2.7.0 (check out its tag 2.7.0)") {
		t.Errorf("2.6.2: %q", why)
	}
}
