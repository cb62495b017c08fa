package csvread

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// parseTest reads a line of testFormat: the document and the name are
// required, the amount must be digits.
func parseTest(rd *Reader) Parser[string] {
	return func(ln *Line[string]) {
		bad := func(column, value string, err error) {
			ln.Problems = append(ln.Problems, &remit.LineError{Line: ln.Num, Column: column, Value: value, Err: err})
		}
		if !rd.Header.CheckWidth(ln.Raw, bad) {
			return
		}
		get := func(c string) string {
			if i := rd.Header.Index(c); i != 0 {
				v, shown, err := rd.Text(ln.Raw[i-1])
				if err != nil {
					bad(c, shown, err)
				}
				return v
			}
			return ""
		}
		for _, c := range []string{"document", "name"} {
			if get(c) == "" {
				bad(c, "", errors.New("required"))
			}
		}
		if a := get("amount"); strings.Trim(a, "0123456789") != "" {
			bad("amount", a, errors.New("not digits"))
		}
		ln.Value = get("document")
	}
}

// applied records what a test Applier was given; it refuses the documents
// in refuse (a line problem) and fails on fail.
type applied struct {
	docs   []string
	refuse map[string]bool
	fail   string
}

func (a *applied) Apply(ln *Line[string]) error {
	if ln.Value == a.fail {
		return errors.New("disk full")
	}
	if a.refuse[ln.Value] {
		return errors.Join(&remit.LineError{Line: ln.Num, Column: "document", Value: ln.Value, Err: errors.New("paid already")},
			&remit.LineError{Line: ln.Num, Err: errors.New("and more")})
	}
	a.docs = append(a.docs, ln.Value)
	return nil
}

func (a *applied) Flush() error { return nil }

type scanCase struct {
	name      string
	in        string
	skip      bool
	countStop bool
	refuse    string
	err       string // "" when the import goes through
	applied   string
	counts    string // lines accepted rejected
	problems  string
	rejects   string
}

func TestScan(t *testing.T) {
	const header = "document,name,amount\n"
	for _, tc := range []scanCase{
		{name: "all valid", in: header + "F1,A,1\n\nF2,B,2\n", applied: "F1,F2", counts: "2 2 0"},
		{name: "the first problem voids the import; the lines after it are checked, not applied",
			in: header + "F1,A,1\nF2,,x\nF3,C,3\nF4,D,y\n", err: "3 problem(s): invalid lines: nothing imported", applied: "F1", counts: "4 1 0",
			problems: "line 3, column name \"\": required\nline 3, column amount \"x\": not digits\nline 5, column amount \"y\": not digits\n"},
		{name: "a malformed record stops the reading", in: header + "F1,A,1\nF2,\"B,2\nF3,C,x\n",
			err: "1 problem(s): invalid lines: nothing imported", applied: "F1", counts: "1 1 0",
			problems: "line 3: malformed CSV: extraneous or missing \" in quoted-field\n"},
		{name: "a malformed record stops the reading, counted with CountStop", countStop: true, in: header + "F1,A,1\nF2,\"B,2\nF3,C,x\n",
			err: "1 problem(s): invalid lines: nothing imported", applied: "F1", counts: "2 1 0",
			problems: "line 3: malformed CSV: extraneous or missing \" in quoted-field\n"},
		{name: "the store's refusal is a problem of the line", in: header + "F1,A,1\nF2,B,2\nF3,C,3\n", refuse: "F2",
			err: "2 problem(s): invalid lines: nothing imported", applied: "F1", counts: "3 1 0",
			problems: "line 3, column document \"F2\": paid already\nline 3: and more\n"},
		{name: "skip-invalid: rejected lines, with their reasons; the reading goes on after a malformed record", skip: true,
			in: header + "F1,A,1\nF2,,x\nF3,\"B\"x,3\nF4,D,4\nF5,E,5,6\n", refuse: "F4", applied: "F1", counts: "5 1 4",
			problems: "line 3, column name \"\": required\nline 3, column amount \"x\": not digits\n" +
				"line 4: malformed CSV: extraneous or missing \" in quoted-field\n" +
				"line 5, column document \"F4\": paid already\nline 5: and more\nline 6: 4 fields, the header has 3\n",
			rejects: "document,name,amount,reason\n" +
				"F2,,x,\"column name \"\"\"\": required; column amount \"\"x\"\": not digits\"\n" +
				",,,\"malformed CSV: extraneous or missing \"\" in quoted-field\"\n" +
				"F4,D,4,\"column document \"\"F4\"\": paid already; and more\"\n" +
				"F5,E,5,\"4 fields, the header has 3\"\n"},
		{name: "skip-invalid, nothing rejected: no rejects at all", skip: true, in: header + "F1,A,1\n", applied: "F1", counts: "1 1 0"},
		{name: "a header problem voids the import, even with skip-invalid", skip: true, in: "document,name,colour\nF1,A,red\nF2,,blue\n",
			err: "2 problem(s): invalid lines: nothing imported", counts: "2 0 1",
			problems: `line 1, column colour "colour": unknown column (known: document, name, amount, town, pointed)` + "\n" +
				"line 3, column name \"\": required\n",
			rejects: "document,name,colour,reason\nF2,,blue,\"column name \"\"\"\": required\"\n"},
		{name: "a line too long voids the import, even with skip-invalid", skip: true, in: header + "F1,A,1\n" + strings.Repeat("x", MaxLine+1),
			err: "1 problem(s): invalid lines: nothing imported", applied: "F1", counts: "1 1 0",
			problems: "line 3: too long: a line longer than 65536 bytes (is it a CSV export?)\n"},
		{name: "a missing required column: nothing read", in: "document,amount\nF1,1\n",
			err: "1 problem(s) in the header: invalid lines: nothing imported", counts: "0 0 0",
			problems: "line 1, column name \"\": required column missing\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { testScan(t, tc) })
	}
}

func testScan(t *testing.T, tc scanCase) {
	t.Helper()
	rd, err := Open(strings.NewReader(tc.in), testFormat, "")
	if err != nil {
		t.Fatal(err)
	}
	a := &applied{refuse: map[string]bool{tc.refuse: true}}
	var rejects bytes.Buffer
	res, err := Scan(rd, parseTest(rd), ScanOptions{SkipInvalid: tc.skip, Rejects: &rejects, CountStop: tc.countStop}, a)
	if fmt.Sprint(err) != map[bool]string{true: "<nil>", false: tc.err}[tc.err == ""] {
		t.Fatalf("err %v, want %s", err, tc.err)
	}
	if tc.err != "" && !errors.Is(err, remit.ErrImportInvalid) {
		t.Errorf("%v does not wrap ErrImportInvalid", err)
	}
	if got := strings.Join(a.docs, ","); got != tc.applied {
		t.Errorf("applied %s, want %s", got, tc.applied)
	}
	if got := fmt.Sprintf("%d %d %d", res.Lines, res.Accepted, res.Rejected); got != tc.counts {
		t.Errorf("lines accepted rejected: %s, want %s", got, tc.counts)
	}
	if got := messages(res.Problems); got != tc.problems {
		t.Errorf("problems\n%s\nwant\n%s", got, tc.problems)
	}
	if got := rejects.String(); got != tc.rejects {
		t.Errorf("rejects\n%s\nwant\n%s", got, tc.rejects)
	}
}

func TestScanErrorsThatAreNotTheInput(t *testing.T) {
	const in = "document,name\nF1,A\nF2,B\n"
	rd, _ := Open(strings.NewReader(in), testFormat, "")
	if res, err := Scan(rd, parseTest(rd), ScanOptions{}, &applied{fail: "F2"}); res != nil || err == nil || err.Error() != "disk full" {
		t.Fatalf("%v %v", res, err)
	}
	// The file fails after its header (which Open reads ahead).
	rd, err := Open(io.MultiReader(strings.NewReader(in+strings.Repeat("F3,C\n", 1000)), failingReader{}), testFormat, "")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := Scan(rd, parseTest(rd), ScanOptions{}, &applied{}); res != nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%v %v", res, err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// batched holds every line back until Flush, which refuses F2.
type batched struct{ held []*Line[string] }

func (b *batched) Apply(ln *Line[string]) error { b.held = append(b.held, ln); return nil }

func (b *batched) Flush() error {
	var errs []error
	for _, ln := range b.held {
		if ln.Value == "F2" {
			errs = append(errs, &remit.LineError{Line: ln.Num, Column: "document", Value: "F2", Err: errors.New("appears twice")})
		}
	}
	return errors.Join(errs...)
}

func TestScanFlushProblems(t *testing.T) {
	rd, _ := Open(strings.NewReader("document,name\nF1,A\nF2,B\nF3,C\n"), testFormat, "")
	res, err := Scan(rd, parseTest(rd), ScanOptions{}, &batched{})
	if !errors.Is(err, remit.ErrImportInvalid) || messages(res.Problems) != "line 3, column document \"F2\": appears twice\n" {
		t.Fatalf("%v\n%s", err, messages(res.Problems))
	}
}

func TestScanReasonOption(t *testing.T) {
	rd, _ := Open(strings.NewReader("document,name\nF1,\nF2,\"B\"x\n"), testFormat, "")
	var rejects bytes.Buffer
	o := ScanOptions{SkipInvalid: true, Rejects: &rejects, Reason: func(p []*remit.LineError) string { return fmt.Sprintf("%d problem(s)", len(p)) }}
	if _, err := Scan(rd, parseTest(rd), o, &applied{}); err != nil {
		t.Fatal(err)
	}
	// The malformed record's reason is what is broken, whatever Reason says.
	if want := "document,name,reason\nF1,,1 problem(s)\n,,\"malformed CSV: extraneous or missing \"\" in quoted-field\"\n"; rejects.String() != want {
		t.Fatalf("%s\nwant\n%s", rejects.String(), want)
	}
}

func TestAsProblems(t *testing.T) {
	le := func(n int) *remit.LineError { return &remit.LineError{Line: n, Err: errors.New("x")} }
	for _, tc := range []struct {
		err   error
		lines []int
		ok    bool
	}{
		{le(2), []int{2}, true},
		{fmt.Errorf("wrapped: %w", le(3)), []int{3}, true},
		{errors.Join(le(2), errors.Join(le(3), le(4))), []int{2, 3, 4}, true},
		{errors.Join(le(2), errors.New("disk full")), nil, false},
		{errors.New("disk full"), nil, false},
	} {
		les, ok := AsProblems(tc.err)
		var lines []int
		for _, l := range les {
			lines = append(lines, l.Line)
		}
		if ok != tc.ok || fmt.Sprint(lines) != fmt.Sprint(tc.lines) {
			t.Errorf("%v: %v %v", tc.err, lines, ok)
		}
	}
}

func TestRejectFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.rejected.csv")
	rf := &RejectFile{Path: path}
	if err := rf.Commit(); err != nil || rf.Written() {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("nothing written, but %v", entries)
	}
	fmt.Fprintf(rf, "document,reason\n")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("in place before Commit: %v", err)
	}
	if err := rf.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "document,reason\n" {
		t.Fatalf("%q %v", b, err)
	}
	rf = &RejectFile{Path: filepath.Join(dir, "other.csv")}
	fmt.Fprintf(rf, "x\n")
	rf.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("Abort left %v", entries)
	}
}
