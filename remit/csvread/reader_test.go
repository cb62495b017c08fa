package csvread

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/remit-dev/remit/remit"
)

var testFormat = Format{Columns: []string{"document", "name", "amount", "town", "pointed"}, Required: 2, Command: "remit test"}

func messages(les []*remit.LineError) string {
	var b strings.Builder
	for _, le := range les {
		b.WriteString(le.Error() + "\n")
	}
	return b.String()
}

// records reads every record of a file: "line: fields", or the problem.
func records(t *testing.T, rd *Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			fmt.Fprintf(&b, "stop: %v\n", err)
			return b.String()
		}
		if rec.Malformed != nil {
			fmt.Fprintf(&b, "%d: %v\n", rec.Line, rec.Malformed)
			continue
		}
		fmt.Fprintf(&b, "%d: %q\n", rec.Line, rec.Fields)
	}
}

func TestOpenSeparatorBOMAndBlankLines(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"commas", "document,name\nF1,A\n", `2: ["F1" "A"]` + "\n"},
		{"semicolons, a BOM, CRLF and blank lines", "\ufeffDocument;Name\r\n\r\nF1;\"A; B\"\r\n\r\nF2;\"x\ny\"\r\nF3;C\r\n",
			`3: ["F1" "A; B"]` + "\n" + `5: ["F2" "x\ny"]` + "\n" + `7: ["F3" "C"]` + "\n"},
		{"more commas than semicolons in the header", "document,name,town;x\nF1,A;B\n", `2: ["F1" "A;B"]` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(tc.in), testFormat, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := records(t, rd); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestOpenEncodings(t *testing.T) {
	text := "document;name;town\nF1;SOCIÉTÉ GÉNÉRALE;Besançon\n"
	for _, enc := range []struct {
		name string
		cm   *charmap.Charmap
	}{{"windows-1252", charmap.Windows1252}, {"CP1252", charmap.Windows1252}, {"iso-8859-15", charmap.ISO8859_15}, {"latin1", charmap.ISO8859_1}} {
		data, err := enc.cm.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := Open(strings.NewReader(data), testFormat, enc.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := records(t, rd); got != `2: ["F1" "SOCIÉTÉ GÉNÉRALE" "Besançon"]`+"\n" {
			t.Errorf("%s: %s", enc.name, got)
		}
		// Read as UTF-8, the accented letters are refused with the advice.
		rd, _ = Open(strings.NewReader(data), testFormat, "")
		rec, _ := rd.Read()
		v, shown, err := rd.Text(rec.Fields[1])
		if v != "" || shown != "SOCI?T? G?N?RALE" || err == nil || err.Error() != "not valid UTF-8: save the file as UTF-8, or give its encoding "+
			"(remit test --encoding windows-1252 for a spreadsheet saved by Excel)" {
			t.Errorf("%s as UTF-8: %q %q %v", enc.name, v, shown, err)
		}
	}
	if _, err := Open(strings.NewReader(text), testFormat, "ebcdic"); err == nil ||
		err.Error() != `encoding "ebcdic": want utf-8, windows-1252, iso-8859-15 or iso-8859-1` {
		t.Fatal(err)
	}
}

func TestOpenRefusals(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "line 1: empty file: the first line must name the columns"},
		{"blank first line", "\n\ndocument,name\n", "line 1: empty file: the first line must name the columns"},
		{"header too long", strings.Repeat("x", MaxLine+1) + "\n", "line 1: too long: a line longer than 65536 bytes (is it a CSV export?)"},
		{"header malformed", "document,\"name\n", "line 1: cannot read the header: parse error on line 1, column 16: extraneous or missing \" in quoted-field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(strings.NewReader(tc.in), testFormat, "")
			var le *remit.LineError
			if !errors.As(err, &le) || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
			if tooLong := strings.Contains(tc.want, "too long"); errors.Is(err, ErrTooLong) != tooLong {
				t.Errorf("errors.Is(ErrTooLong) = %v", !tooLong)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		readable bool
		problems string
		columns  string
	}{
		{"names in any case, empty columns after the last named one ignored", "Document;NAME;;;\n", true, "", "Document,NAME"},
		{"every wrong column once, and the missing required one",
			"document,nom,,NOM,Document,town,nom\n", false,
			`line 1, column nom "nom": unknown column (known: document, name, amount, town, pointed)` + "\n" +
				"line 1: column 3 has no name: name it, or delete the column\n" +
				`line 1, column Document "Document": column appears twice` + "\n" +
				`line 1, column name "": required column missing` + "\n",
			"document,nom,,NOM,Document,town,nom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(tc.in), testFormat, "")
			if err != nil {
				t.Fatal(err)
			}
			if rd.Readable() != tc.readable || messages(rd.HeaderProblems()) != tc.problems || strings.Join(rd.Header.Columns(), ",") != tc.columns {
				t.Fatalf("readable %v, columns %q, problems\n%s", rd.Readable(), rd.Header.Columns(), messages(rd.HeaderProblems()))
			}
			if tc.readable != (rd.HeaderError() == nil) {
				t.Errorf("HeaderError: %v", rd.HeaderError())
			}
		})
	}
	// A header of many wrong columns gets a screenful.
	var cols []string
	for i := 0; i < 30; i++ {
		cols = append(cols, fmt.Sprintf("x%d", i))
	}
	rd, _ := Open(strings.NewReader("document,name,"+strings.Join(cols, ",")+"\n"), testFormat, "")
	if p := rd.HeaderProblems(); len(p) != 21 || p[20].Error() != "line 1: and 10 more wrong columns" {
		t.Fatal(messages(p))
	}
	if err := rd.HeaderError(); err != nil {
		t.Fatal(err)
	}
	rd, _ = Open(strings.NewReader("document\nF1\n"), testFormat, "")
	if err := rd.HeaderError(); !errors.Is(err, remit.ErrImportInvalid) || err.Error() != "1 problem(s) in the header: invalid lines: nothing imported" {
		t.Fatal(err)
	}
	if got := records(t, rd); got != "" {
		t.Errorf("an unreadable header's lines were read: %s", got)
	}
}

func TestLimits(t *testing.T) {
	const header = "document,name\n"
	for _, tc := range []struct{ name, in, want string }{
		{"a line too long stops the reading", header + "F1,A\n" + strings.Repeat("x", MaxLine+1) + "\nF3,C\n",
			`2: ["F1" "A"]` + "\nstop: line 3: too long: a line longer than 65536 bytes (is it a CSV export?)\n"},
		{"a record too long (a quote left open) stops it too", header + "F1,\"" + strings.Repeat("x\n", 140000) + "\"\n",
			"stop: line 135161: too long: a record longer than 262144 bytes (a quote left open?)\n"},
		{"a line at the limit is read", header + "F1," + strings.Repeat("x", MaxLine-3) + "\n", `2: ["F1" "` + strings.Repeat("x", MaxLine-3) + `"]` + "\n"},
		{"a malformed record is reported, and the reading goes on", header + "F1,A\"B\nF2,B\n",
			"2: line 2: malformed CSV: bare \" in non-quoted-field\n" + `3: ["F2" "B"]` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(tc.in), testFormat, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := records(t, rd); got != tc.want {
				if len(got) > 300 {
					got = got[:300]
				}
				t.Fatalf("got\n%s\nwant\n%.300s", got, tc.want)
			}
		})
	}
}

func TestCheckWidthAndText(t *testing.T) {
	rd, err := Open(strings.NewReader("document,name,,\n"), testFormat, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rec  []string
		ok   bool
		want string
	}{
		{[]string{"F1", "A", "", ""}, true, ""},
		{[]string{"F1", "A"}, true, ""},
		{[]string{"F1"}, false, "1 fields, the header names 2 columns\n"},
		{[]string{"F1", "A", "", "", ""}, false, "5 fields, the header has 4\n"},
		{[]string{"F1", "A", " x ", "y"}, true, `field 3 "x" is in a column the header does not name` + "\n" + `field 4 "y" is in a column the header does not name` + "\n"},
	} {
		var got strings.Builder
		ok := rd.Header.CheckWidth(tc.rec, func(column, value string, err error) { got.WriteString(err.Error() + "\n") })
		if ok != tc.ok || got.String() != tc.want {
			t.Errorf("%q: %v %s", tc.rec, ok, got.String())
		}
	}
	for _, tc := range []struct{ raw, text, shown, err string }{
		{"  Café  ", "Café", "", ""},
		{"A\x00B", "", `A\0B`, "contains a NUL byte"},
		{strings.Repeat("é", 513), "", strings.Repeat("é", 20), "1026 bytes, at most 1024"},
	} {
		text, shown, err := rd.Text(tc.raw)
		if text != tc.text || shown != tc.shown || fmt.Sprint(err) != map[bool]string{true: "<nil>", false: tc.err}[tc.err == ""] {
			t.Errorf("%.20q: %q %q %v", tc.raw, text, shown, err)
		}
	}
}

func TestYesNoAndRejectPath(t *testing.T) {
	for v, want := range map[string][2]bool{"yes": {true, true}, "OUI": {true, true}, "o": {true, true}, "1": {true, true}, "True": {true, true},
		"no": {false, true}, "Non": {false, true}, "n": {false, true}, "0": {false, true}, "false": {false, true}, "peut-être": {false, false}, "": {false, false}} {
		if yes, known := YesNo(v); [2]bool{yes, known} != want {
			t.Errorf("%q: %v %v", v, yes, known)
		}
	}
	for file, want := range map[string]string{"in.csv": "in.rejected.csv", "/data/export.2026.txt": "/data/export.2026.rejected.csv",
		"noext": "noext.rejected.csv", "-": "rejected.csv", "": "rejected.csv"} {
		if got := RejectPath(file); got != want {
			t.Errorf("%q: %q, want %q", file, got, want)
		}
	}
}
