package importcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
)

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

// scanned is what reading and checking an import file finds.
type scanned struct {
	names    []string
	problems []string // the header's, then each line's, in order
	lines    []*Line
	stopped  string // why the reading stopped early, or the last malformed record
}

// scanImport reads and checks data as Import does before the store.
func scanImport(data []byte) (sc scanned, err error) {
	f, err := Open(bytes.NewReader(data), "")
	if err != nil {
		return sc, err
	}
	sc.names = f.Header().Names
	for _, p := range f.HeaderProblems() {
		sc.problems = append(sc.problems, p.Error())
	}
	for {
		ln, err := f.Read()
		if err == io.EOF {
			return sc, nil
		}
		if err != nil {
			sc.stopped = err.Error()
			return sc, nil
		}
		if ln.Malformed {
			sc.stopped = ln.Problems[0].Error()
			continue
		}
		for _, e := range ln.Problems {
			sc.problems = append(sc.problems, e.Error())
		}
		sc.lines = append(sc.lines, ln)
	}
}

// FuzzImport: reading and checking an import file (everything Import does
// before the store) never panics, gives the same result every time,
// reports each problem at a line of the file, and reads an accepted line
// written back as CSV to the same values (read → write → read).
//
// The database is left out on purpose: the fuzzer's coverage includes
// SQLite's, which varies from run to run with the state of the database
// (its journal, its row ids, its free pages); the fuzzer took each variation
// for new behaviour and spent a minute minimizing it, so that it seemed to
// stall after the seeds. TestImportCorpus runs the store's properties on
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
			if ln.Num < 2 || ln.Num > physical {
				t.Fatalf("line %d reported in a file of %d lines", ln.Num, physical)
			}
			for _, e := range ln.Problems {
				if e.Line != ln.Num {
					t.Fatalf("line %d's problem names line %d: %v", ln.Num, e.Line, e)
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
			w.Write(ln.Raw)
		}
		w.Flush()
		c, err := scanImport(buf.Bytes())
		if err != nil || len(c.problems) > 0 || c.stopped != "" || len(c.lines) != len(a.lines) {
			t.Fatalf("written back, the file reads otherwise: %v %q %s\n%q", err, c.problems, c.stopped, buf.String())
		}
		for i, ln := range a.lines {
			x, y := *ln, *c.lines[i]
			x.Num, y.Num = 0, 0
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("line %d written back reads otherwise:\n%+v\n%+v", ln.Num, x, y)
			}
		}
	})
}
