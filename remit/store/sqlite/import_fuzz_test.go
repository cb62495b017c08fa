package sqlite

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
)

// fuzzTables are the tables an import writes, in the order they are reset.
var fuzzTables = []string{"mandate_history", "receivables", "mandates", "customers", "imports"}

// importState summarises what an import may have written: every column of
// every row it may have touched, except the bookkeeping of which import last
// wrote a receivable (import_id), and with imports when withImports.
func importState(t testing.TB, st *Store, withImports bool) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT account, name, street, building, postcode, town, country, priority, iban, bic, bank_name, siren FROM customers ORDER BY id`,
		`SELECT rum, customer_id, signed_on, scheme, kind, status, iban, bic, previous_iban, original_rum, original_ics FROM mandates ORDER BY id`,
		`SELECT mandate_id, collected_on, iban, sequence_type FROM mandate_history ORDER BY rowid`,
		`SELECT document, customer_id, issue_date, due_date, amount, currency, method, journal, COALESCE(mandate_id, 0), acceptance,
			label, status, refusal, line_hash FROM receivables ORDER BY id`,
		`SELECT file, sha256, lines, inserted, updated, unchanged, rejected FROM imports ORDER BY id`,
	} {
		if !withImports && strings.Contains(q, "FROM imports") {
			continue
		}
		rows, err := st.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// importSeeds are the first inputs of FuzzImport and TestImportCorpus: the
// fixtures' header and first lines (a whole fixture is some 10 KB, and the
// fuzzer minimizes every new input byte by byte), and a few cases.
func importSeeds() [][]byte {
	var seeds [][]byte
	for _, name := range fixtures.Names {
		if data, err := fixtures.Dated(name, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err == nil {
			lines := bytes.SplitAfter(data, []byte("\n"))
			seeds = append(seeds, bytes.Join(lines[:min(len(lines), 6)], nil))
		}
	}
	return append(seeds,
		[]byte("document,customer,name,amount,due_date\nF1,411A,A,1.00,2026-12-01\nF1,411A,A,1.00,2026-12-01\n"),
		[]byte("document;customer;name;amount;due_date;pointed\nF1;411A;\"A;B\";1,00;01/12/2026;oui\nF2;411A;A;2;2026-12-02;non\n"),
		// F1 is in the database (see importExisting) with these values: the same
		// document again with others is a conflict, whichever line comes first.
		[]byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n"+
			"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"+
			"F1,411A,A,2.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"),
		[]byte("document,customer,name,amount,due_date\nF2,411B,B,1.00,2026-12-01\n\"F3,411B,B,1.00,2026-12-01\nF4,411B,B,1.00,2026-12-01\n"))
}

// scanned is what reading and checking an import file finds, without the
// database.
type scanned struct {
	names    []string
	problems []string // the header's, then each line's, in order
	lines    []*importLine
	stopped  string // why the reading stopped early
}

// scanImport reads and checks data as Import does before the database.
func scanImport(data []byte) (sc scanned, err error) {
	f, _, err := openImport(bytes.NewReader(data), nil)
	if err != nil {
		return sc, err
	}
	sc.names = f.names
	for _, p := range f.headerProblems {
		sc.problems = append(sc.problems, p.Error())
	}
	for {
		p, ok := f.next()
		if !ok {
			return sc, nil
		}
		if p.err != nil {
			sc.stopped = p.err.Error()
			var pe *csv.ParseError
			if !errors.As(p.err, &pe) {
				return sc, nil
			}
			continue
		}
		for _, e := range p.line.errs {
			sc.problems = append(sc.problems, e.Error())
		}
		sc.lines = append(sc.lines, p.line)
	}
}

// FuzzImport: reading and checking an import file (everything Import does
// before the database) never panics, gives the same result every time,
// reports each problem at a line of the file, and reads an accepted line
// written back as CSV to the same values (read → write → read).
//
// The database is left out on purpose: the fuzzer's coverage includes
// SQLite's, which varies from run to run with the state of the database
// (its journal, its row ids, its free pages); the fuzzer took each variation
// for new behaviour and spent a minute minimizing it, so that it seemed to
// stall after the seeds. TestImportCorpus runs the database's properties on
// every input of the corpus.
func FuzzImport(f *testing.F) {
	for _, seed := range importSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, errA := scanImport(data)
		b, errB := scanImport(data)
		if fmt.Sprint(errA) != fmt.Sprint(errB) || !reflect.DeepEqual(a, b) {
			t.Fatalf("two readings differ:\n%v %+v\n%v %+v", errA, a, errB, b)
		}
		if errA != nil {
			var le *remit.LineError
			if !errors.As(errA, &le) && !errors.Is(errA, remit.ErrImportInvalid) {
				t.Fatalf("an error that is not about the input: %v", errA)
			}
			return
		}
		physical := bytes.Count(data, []byte{'\n'}) + 1
		for _, ln := range a.lines {
			if ln.num < 2 || ln.num > physical {
				t.Fatalf("line %d reported in a file of %d lines", ln.num, physical)
			}
			for _, e := range ln.errs {
				if e.Line != ln.num {
					t.Fatalf("line %d's problem names line %d: %v", ln.num, e.Line, e)
				}
			}
		}
		if len(a.problems) > 0 || a.stopped != "" {
			return
		}
		// Every line accepted: written back as CSV, each reads the same.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(a.names)
		for _, ln := range a.lines {
			w.Write(ln.raw)
		}
		w.Flush()
		c, err := scanImport(buf.Bytes())
		if err != nil || len(c.problems) > 0 || c.stopped != "" || len(c.lines) != len(a.lines) {
			t.Fatalf("written back, the file reads otherwise: %v %q %s\n%q", err, c.problems, c.stopped, buf.String())
		}
		for i, ln := range a.lines {
			x, y := *ln, *c.lines[i]
			x.num, y.num = 0, 0
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("line %d written back reads otherwise:\n%+v\n%+v", ln.num, x, y)
			}
		}
	})
}

// importExisting is in the database before each input of TestImportCorpus,
// so that inputs can update it.
const importExisting = "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n" +
	"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"

// TestImportCorpus: on every input of FuzzImport's seeds and corpus
// (testdata/fuzz/FuzzImport), Import never fails but for the input; what it
// accepts, a second import of the same bytes reports as all unchanged and
// leaves as it is; what it refuses leaves the database as it was. The same
// holds with --skip-invalid, where the refused lines are the rejects.
func TestImportCorpus(t *testing.T) {
	inputs := importSeeds()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzImport", "*"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, lit, ok := strings.Cut(string(b), "[]byte(")
		data, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lit), ")")))
		if !ok || err != nil {
			t.Fatalf("%s: not a corpus file: %v", file, err)
		}
		inputs = append(inputs, []byte(data))
	}
	st, cr := newTestStore(t)
	ctx := context.Background()
	for i, data := range inputs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			for _, table := range fuzzTables {
				if _, err := st.db.Exec("DELETE FROM " + table); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Import(ctx, strings.NewReader(importExisting), remit.ImportOptions{Creditor: cr, File: "existing.csv"}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, skip := range []bool{false, true} {
				o := remit.ImportOptions{Creditor: cr, File: "fuzz.csv", SkipInvalid: skip, RejectPath: filepath.Join(dir, "rejects.csv")}
				before := importState(t, st, true)
				res, err := st.Import(ctx, bytes.NewReader(data), o)
				if err != nil {
					var le *remit.LineError
					if !errors.Is(err, remit.ErrImportInvalid) && !errors.As(err, &le) {
						t.Fatalf("skip %v: an error that is not about the input: %v", skip, err)
					}
					// With --skip-invalid only the whole file is refused: a
					// problem in its header, or a line over the limits.
					if res != nil && skip && !slices.ContainsFunc(res.Problems, func(p *remit.LineError) bool {
						return p.Line == 1 || errors.Is(p, remit.ErrTooLong)
					}) {
						t.Fatalf("skip %v: refused with a result, and no problem in the header: %v", skip, err)
					}
					if after := importState(t, st, true); after != before {
						t.Fatalf("skip %v: refused (%v), but the database changed:\n%s\nvs\n%s", skip, err, before, after)
					}
					continue
				}
				if res.Inserted+res.Updated+res.Unchanged+res.Rejected != res.Lines {
					t.Fatalf("skip %v: %d lines but %d new, %d updated, %d unchanged, %d rejected",
						skip, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected)
				}
				if res.Rejected > 0 && !skip {
					t.Fatalf("rejected %d lines without --skip-invalid", res.Rejected)
				}
				first := importState(t, st, false)
				again, err := st.Import(ctx, bytes.NewReader(data), o)
				if err != nil {
					t.Fatalf("skip %v: accepted once, refused the second time: %v", skip, err)
				}
				if again.Lines != res.Lines || again.Inserted != 0 || again.Updated != 0 || again.Rejected != res.Rejected ||
					again.Unchanged != res.Lines-res.Rejected {
					t.Fatalf("skip %v: second import of the same bytes: %d lines, %d new, %d updated, %d unchanged, %d rejected; first: %d lines, %d rejected",
						skip, again.Lines, again.Inserted, again.Updated, again.Unchanged, again.Rejected, res.Lines, res.Rejected)
				}
				if second := importState(t, st, false); second != first {
					t.Fatalf("skip %v: the second import changed the database:\n%s\nvs\n%s", skip, first, second)
				}
			}
		})
	}
}
