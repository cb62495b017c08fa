package cfonb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// put returns line with s written at 1-based position pos.
func put(line string, pos int, s string) string {
	return line[:pos-1] + s + line[pos-1+len(s):]
}

var exampleLCRLines = []string{exLCRHeader, exLCRBill1, exLCRBill2, exLCRBill3, exLCRTotal}

func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// lcrWith returns the example LCR file with line i (1-based) replaced.
func lcrWith(i int, line string) string {
	lines := append([]string(nil), exampleLCRLines...)
	lines[i-1] = line
	return crlf(lines...)
}

// Every problem the Reader finds, with its exact message.
func TestReaderErrors(t *testing.T) {
	debitLines := []string{exDebHeader, exDebit1, exDebit2, exDebTotal}
	tests := []struct {
		name string
		file string
		want []string
		is   error
	}{
		{"non-digit in the amount", lcrWith(4, put(exLCRBill3, 103, "00001234567X")),
			[]string{`line 4, record 06, zone montant (103-114) "00001234567X": not a number`}, ErrNotNumber},
		{"short record", lcrWith(3, exLCRBill2[:159]),
			[]string{`line 3, record 06: wrong record length: 159 characters, want 160`}, ErrLength},
		{"long record", lcrWith(3, exLCRBill2+" "),
			[]string{`line 3, record 06: wrong record length: 161 characters, want 160`}, ErrLength},
		// One record of a wrong length does not switch off the total check (issue 15, item 17).
		{"short record and a wrong total", crlf(exLCRHeader, exLCRBill1, exLCRBill2[:159], exLCRBill3, put(exLCRTotal, 103, "000000182447")),
			[]string{`line 3, record 06: wrong record length: 159 characters, want 160`,
				`line 5, record 08, zone montant total (103-114) "000000182447": total does not match the details: their sum is 182446 (with the amount of the record of a wrong length at line 3 read at its place)`}, ErrLength},
		{"long record and a wrong total", crlf(exLCRHeader, exLCRBill1, exLCRBill2+"X", exLCRBill3, put(exLCRTotal, 103, "000000182445")),
			[]string{`line 3, record 06: wrong record length: 161 characters, want 160`,
				`line 5, record 08, zone montant total (103-114) "000000182445": total does not match the details: their sum is 182446 (with the amount of the record of a wrong length at line 3 read at its place)`}, ErrLength},
		{"cut record and a total too small", crlf(exLCRHeader, exLCRBill1, exLCRBill2[:100], exLCRBill3, put(exLCRTotal, 103, "000000132446")),
			[]string{`line 3, record 06: wrong record length: 100 characters, want 160`,
				`line 5, record 08, zone montant total (103-114) "000000132446": total does not match the details: the details read add up to 132446 and 1 more could not be read`}, ErrLength},
		{"cut record, total possible", crlf(exLCRHeader, exLCRBill1, exLCRBill2[:100], exLCRBill3, exLCRTotal),
			[]string{`line 3, record 06: wrong record length: 100 characters, want 160`}, ErrLength},
		{"short debit and a wrong total", crlf(exDebHeader, exDebit1, strings.TrimRight(exDebit2, " "), put(exDebTotal, 103, "0000000000016591")),
			[]string{`line 3, record 06: wrong record length: 154 characters, want 160`,
				`line 4, record 08, zone montant total (103-118) "0000000000016591": total does not match the details: their sum is 16590 (with the amount of the record of a wrong length at line 3 read at its place)`}, ErrLength},
		{"long first record", lcrWith(1, exLCRHeader+strings.Repeat(" ", 40)),
			[]string{`line 1, record 03: wrong record length: 200 characters, want 160`}, ErrLength},
		{"blank line", crlf(exLCRHeader, exLCRBill1, "", exLCRBill2, exLCRBill3, exLCRTotal),
			[]string{`line 3: wrong record length: 0 characters, want 160`,
				`line 4, record 06, zone numéro d'enregistrement (5-12) "00000003": wrong record number: want 00000004`}, ErrLength},
		{"LF in a CRLF file", strings.Replace(crlf(exampleLCRLines...), exLCRBill2+"\r\n", exLCRBill2+"\n", 1),
			[]string{`line 3: mixed record separators: LF after this record, CRLF after the first one`}, ErrSeparator},
		{"CRLF in an LF file", strings.Join(exampleLCRLines[:3], "\n") + "\r\n" + strings.Join(exampleLCRLines[3:], "\n"),
			[]string{`line 3: mixed record separators: CRLF after this record, LF after the first one`}, ErrSeparator},
		{"line break in a file without separators", strings.Join(exampleLCRLines[:2], "") + "\r\n" + strings.Join(exampleLCRLines[2:], ""),
			[]string{`line 3: mixed record separators: line break at position 1 in a file without separators`}, ErrSeparator},
		{"CR alone", strings.Join(exampleLCRLines, "\r"),
			[]string{`line 1: mixed record separators: a carriage return alone (CR) is not a record separator`}, ErrSeparator},
		{"cut short without separators", strings.Join(exampleLCRLines, "")[:700],
			[]string{`line 5: wrong record length: 60 characters at the end of the file, want 160`}, ErrLength},
		{"no separator after the last record", strings.TrimSuffix(crlf(exampleLCRLines...), "\r\n"), nil, nil},
		{"detail before the header", crlf(exampleLCRLines[1:]...),
			[]string{`line 1, record 06: record out of order: record 06 before any header 03`,
				`line 2, record 06: record out of order: record 06 before any header 03`,
				`line 3, record 06: record out of order: record 06 before any header 03`,
				`line 4, record 08: record out of order: record 08 before any header 03`}, ErrOrder},
		{"header inside a remise", crlf(exLCRHeader, exLCRBill1, exLCRHeader, exLCRBill1, put(exLCRTotal, 5, "00000003")),
			[]string{`line 3, record 03: record out of order: header 03 before the total 08 of the remise started at line 1`,
				`line 5, record 08, zone montant total (103-114) "000000182446": total does not match the details: their sum is 123456`}, ErrOrder},
		{"missing total", crlf(exampleLCRLines[:4]...),
			[]string{`line 5: end of file before the total record 08 of the remise started at line 1`}, ErrMissingTotal},
		{"missing bill", crlf(exLCRHeader, exLCRBill1, exLCRBill3, exLCRTotal),
			[]string{`line 3, record 06, zone numéro d'enregistrement (5-12) "00000004": wrong record number: want 00000003`,
				`line 4, record 08, zone montant total (103-114) "000000182446": total does not match the details: their sum is 132446`}, ErrNumbering},
		{"header not numbered 1", lcrWith(1, put(exLCRHeader, 5, "00000000")),
			[]string{`line 1, record 03, zone numéro d'enregistrement (5-12) "00000000": wrong record number: want 00000001`,
				`line 2, record 06, zone numéro d'enregistrement (5-12) "00000002": wrong record number: want 00000001`}, ErrNumbering},
		{"wrong total", lcrWith(5, put(exLCRTotal, 103, "000000182447")),
			[]string{`line 5, record 08, zone montant total (103-114) "000000182447": total does not match the details: their sum is 182446`}, ErrTotal},
		{"unknown record code", lcrWith(3, put(exLCRBill2, 1, "09")),
			[]string{`line 3, record 09, zone code enregistrement (1-2) "09": unknown code`}, ErrCode},
		{"unknown operation code in the header", lcrWith(1, put(exLCRHeader, 3, "61")),
			[]string{`line 1, record 03, zone code opération (3-4) "61": unknown code`}, ErrCode},
		{"other operation code in a detail", lcrWith(2, put(exLCRBill1, 3, "08")),
			[]string{`line 2, record 06, zone code opération (3-4) "08": differs from the header: the remise's operation is 60`}, ErrMismatch},
		{"unknown operation code in a detail", lcrWith(2, put(exLCRBill1, 3, "6X")),
			[]string{`line 2, record 06, zone code opération (3-4) "6X": unknown code`}, ErrCode},
		{"record 07 in an LCR remise", lcrWith(3, put(exLCRBill2, 1, "07")),
			[]string{`line 3, record 07: unknown code: LCR remises have no record 07`}, ErrCode},
		{"bad date", lcrWith(2, put(exLCRBill1, 119, "300225")),
			[]string{`line 2, record 06, zone date d'échéance (119-124) "300225": bad date`}, ErrDate},
		{"creation after due date", lcrWith(2, put(exLCRBill1, 125, "010325")),
			[]string{`line 2, record 06, zone date de création (125-130) "010325": bad date: after the date d'échéance 2025-02-28`}, ErrDate},
		{"zero amount", lcrWith(2, put(exLCRBill1, 103, "000000000000")),
			[]string{`line 2, record 06, zone montant (103-114) "000000000000": must be positive`,
				`line 5, record 08, zone montant total (103-114) "000000182446": total does not match the details: their sum is 58990`}, ErrNotPositive},
		{"lower case", lcrWith(2, put(exLCRBill1, 31, "Dupont")),
			[]string{`line 2, record 06, zone nom du tiré (31-54) "Dupont MATERIAUX        ": character outside the CFONB set`}, ErrCharset},
		{"UTF-8 accent", lcrWith(2, put(exLCRBill1, 31, "DUPONT MATÉRIAU")),
			[]string{`line 2, record 06, zone nom du tiré (31-54) "DUPONT MATÉRIAU        ": character outside the CFONB set`}, ErrCharset},
		{"not left-aligned", lcrWith(2, put(exLCRBill1, 31, " DUPONT")),
			[]string{`line 2, record 06, zone nom du tiré (31-54) " DUPONTMATERIAUX        ": not left-aligned`}, ErrAlignment},
		{"reserved zone", lcrWith(5, put(exLCRTotal, 115, "0000")),
			[]string{`line 5, record 08, zone réservée (115-160) "0000                                          ": must be blank`}, ErrNotBlank},
		{"missing name", lcrWith(2, put(exLCRBill1, 31, strings.Repeat(" ", 24))),
			[]string{`line 2, record 06, zone nom du tiré (31-54) "                        ": required`}, ErrRequired},
		{"bad RIB zones", lcrWith(2, put(exLCRBill1, 82, "2004A0100 0500013m026")),
			[]string{`line 2, record 06, zone code banque (82-86) "2004A": wrong format: want 5 digits`,
				`line 2, record 06, zone code guichet (87-91) "0100 ": wrong format: want 5 digits`,
				`line 2, record 06, zone numéro de compte (92-102) "0500013m026": wrong format: want 11 digits or upper-case letters`}, ErrFormat},
		{"bad SIREN", lcrWith(3, put(exLCRBill2, 142, "100000008")),
			[]string{`line 3, record 06, zone SIREN du tiré (142-150) "100000008": SIREN 100000008: bad check digits`}, nil},
		{"currency", lcrWith(1, put(exLCRHeader, 81, "F")),
			[]string{`line 1, record 03, zone code monnaie (81) "F": unknown code: want E (euro)`}, ErrCode},
		{"code entrée", lcrWith(1, put(exLCRHeader, 79, "5")),
			[]string{`line 1, record 03, zone code entrée (79) "5": unknown code: want 1, 2, 3 or 4`}, ErrCode},
		{"escompte without value date", lcrWith(1, put(exLCRHeader, 79, "1")),
			[]string{`line 1, record 03, zone date de valeur (119-124) "      ": required for an escompte (code entrée 1)`}, ErrRequired},
		{"acceptance", lcrWith(2, put(exLCRBill1, 79, "3")),
			[]string{`line 2, record 06, zone code acceptation (79) "3": unknown code: want 0, 1 or 2`}, ErrCode},
		{"emitter not a number", lcrWith(1, put(exLCRHeader, 13, "00000A")),
			[]string{`line 1, record 03, zone numéro d'émetteur (13-18) "00000A": not a number`}, ErrNotNumber},
		{"debit emitter differs", crlf(exDebHeader, put(exDebit1, 13, "123457"), exDebit2, exDebTotal),
			[]string{`line 2, record 06, zone numéro d'émetteur (13-18) "123457": differs from the header: want "123456"`}, ErrMismatch},
		{"debit without NNE", crlf(put(exDebHeader, 13, "      "), exDebit1, exDebit2, exDebTotal),
			[]string{`line 1, record 03, zone numéro d'émetteur (13-18) "      ": required: the numéro national d'émetteur (NNE) of the creditor`,
				`line 2, record 06, zone numéro d'émetteur (13-18) "123456": differs from the header: want ""`,
				`line 3, record 06, zone numéro d'émetteur (13-18) "123456": differs from the header: want ""`,
				`line 4, record 08, zone numéro d'émetteur (13-18) "123456": differs from the header: want ""`}, ErrRequired},
		{"debit date", crlf(put(exDebHeader, 26, "30025"), debitLines[1], debitLines[2], debitLines[3]),
			[]string{`line 1, record 03, zone date (26-30) "30025": bad date`}, ErrDate},
		{"debit date not right-aligned", crlf(put(exDebHeader, 25, "05025 "), debitLines[1], debitLines[2], debitLines[3]),
			[]string{`line 1, record 03, zone réservée (20-25) "     0": must be blank`, `line 1, record 03, zone date (26-30) "5025 ": bad date`}, ErrNotBlank},
		{"debit with a record 07", crlf(exDebHeader, exDebit1, put(exDebit2, 1, "07"), exDebTotal),
			[]string{`line 3, record 07: unknown code: prélèvement remises have no record 07`}, ErrCode},
		{"debit header reserved CCD", crlf(put(exDebHeader, 19, "6"), debitLines[1], debitLines[2], debitLines[3]),
			[]string{`line 1, record 03, zone code CCD (19) "6": must be blank`}, ErrNotBlank},
		{"transfer 07 after the header", exTrfHeader + put(exTransfer1, 1, "07") + exTransfer2 + exTrfTotal,
			[]string{`line 2, record 07, zone montant (103-118) "0000000000075000": wrong format: a record 07 carries zeros`,
				`line 2, record 07: record out of order: record 07 after a record 03, want it after a 06`,
				`line 4, record 08, zone montant total (103-118) "0000000000106250": total does not match the details: their sum is 31250`}, ErrFormat},
		{"transfer with a record 07", exTrfHeader + exTransfer1 + put(put(exTransfer1, 1, "07"), 103, "0000000000000000") + exTransfer2 + exTrfTotal, nil, nil},
		{"empty file", "", []string{`cfonb: empty file: no records`}, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := verify(strings.NewReader(tt.file), pivot)
			if got := messages(errs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.is != nil && (len(errs) == 0 || !errors.Is(errs[0], tt.is)) {
				t.Errorf("errors.Is(first error, %v) = false", tt.is)
			}
		})
	}
}

// A date de valeur on an encaissement (code entrée 3 or 4), as Dolibarr and
// OpenFire write it, is a warning when read and an error when written
// (issue 15, item 17).
func TestReaderValueDateOnEncaissement(t *testing.T) {
	for _, entry := range []string{"3", "4"} {
		header := put(put(exLCRHeader, 79, entry), 119, "200125")
		s, errs := verify(strings.NewReader(crlf(header, exLCRBill1, exLCRBill2, exLCRBill3, exLCRTotal)), pivot)
		if len(errs) != 0 {
			t.Errorf("code entrée %s: errors %v", entry, errs)
		}
		want := []string{`line 1, record 03, zone date de valeur (119-124) "200125": must be blank for an encaissement (code entrée ` + entry + `); banks accept it`}
		if got := messages(s.Warnings); !reflect.DeepEqual(got, want) || !errors.Is(s.Warnings[0], ErrNotBlank) {
			t.Errorf("code entrée %s: warnings\n got %s\nwant %s", entry, strings.Join(got, "\n"), want[0])
		}
		rd := NewReader(strings.NewReader(crlf(header, exLCRBill1)))
		rec, err := rd.Next()
		if err != nil || len(rd.Warnings()) != 1 {
			t.Errorf("Next: %v, warnings %v", err, rd.Warnings())
		}
		if _, err := rd.Next(); err != nil || len(rd.Warnings()) != 0 {
			t.Errorf("second Next: %v, warnings %v", err, rd.Warnings())
		}
		if err := rec.Validate(); !errors.Is(err, ErrNotBlank) {
			t.Errorf("Validate of the record read: %v, want ErrNotBlank (a writer refuses it)", err)
		}
	}
	if s, _ := verify(strings.NewReader(crlf(exampleLCRLines...)), pivot); len(s.Warnings) != 0 {
		t.Errorf("warnings on the example: %v", s.Warnings)
	}
}

// Verify reports every problem of the file in one pass, and what it holds.
func TestVerifyCollectsAll(t *testing.T) {
	file := crlf(put(exLCRHeader, 81, "F"), put(exLCRBill1, 119, "310225"), exLCRBill2, put(exLCRBill3, 103, "00000000899X"), exLCRTotal)
	s, errs := verify(strings.NewReader(file), pivot)
	want := []string{
		`line 1, record 03, zone code monnaie (81) "F": unknown code: want E (euro)`,
		`line 2, record 06, zone date d'échéance (119-124) "310225": bad date`,
		`line 4, record 06, zone montant (103-114) "00000000899X": not a number`,
	}
	if got := messages(errs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var fe *FieldError
	if !errors.As(errs[2], &fe) || fe.Line != 4 || fe.Record != "06" || fe.Zone != "montant" || fe.From != 103 || fe.To != 114 || fe.Value != "00000000899X" || fe.Err != ErrNotNumber {
		t.Errorf("FieldError = %#v", fe)
	}
	if s.Records != 5 || s.Details != 3 || s.Kind != KindLCR || s.Operation != OpLCR {
		t.Errorf("summary = %+v", s)
	}
}

// Several remises may follow each other in one file.
func TestReaderSeveralRemises(t *testing.T) {
	file := crlf(append(append([]string(nil), exampleLCRLines...), exDebHeader, exDebit1, exDebit2, exDebTotal)...)
	s, errs := verify(strings.NewReader(file), pivot)
	if len(errs) > 0 {
		t.Fatal(messages(errs))
	}
	want := Summary{Kind: KindLCR, Operation: OpLCR, EOL: CRLF, Records: 9, Details: 5, Total: 182446 + 16590, Remises: []RemiseSummary{
		{Line: 1, Kind: KindLCR, Operation: OpLCR, Details: 3, Total: 182446},
		{Line: 6, Kind: KindDebit, Operation: OpDebit, Details: 2, Total: 16590},
	}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("summary:\n got %+v\nwant %+v", s, want)
	}
}

// Next returns the records with their line, and keeps reading after a
// record with problems.
func TestReaderNext(t *testing.T) {
	r := NewReader(strings.NewReader(lcrWith(3, put(exLCRBill2, 119, "999999"))))
	var lines []int
	var codes []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if r.Line() == 3 {
			if err == nil || rec == nil {
				t.Fatalf("line 3: rec %v, err %v", rec, err)
			}
		} else if err != nil {
			t.Fatalf("line %d: %v", r.Line(), err)
		}
		lines = append(lines, r.Line())
		codes = append(codes, rec.Code())
	}
	if fmt.Sprint(lines, codes) != "[1 2 3 4 5] [03 06 06 06 08]" {
		t.Errorf("lines %v codes %v", lines, codes)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after EOF = %v", err)
	}
}

// Verify keeps MaxVerifyErrors problems and counts the others.
func TestVerifyErrorCap(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(exLCRHeader + "\n")
	for range MaxVerifyErrors + 10 {
		b.WriteString("x\n")
	}
	_, errs := Verify(&b)
	if len(errs) != MaxVerifyErrors+1 {
		t.Fatalf("%d errors", len(errs))
	}
	if got := errs[MaxVerifyErrors].Error(); got != "cfonb: 11 more problems not listed" {
		t.Errorf("last error = %q", got)
	}
}

// A record longer than the Reader's buffer is reported, not kept.
func TestReaderHugeLine(t *testing.T) {
	file := crlf(exLCRHeader, exLCRBill1+strings.Repeat("X", 200_000), put(exLCRTotal, 5, "00000003"))
	_, errs := verify(strings.NewReader(file), pivot)
	want := []string{`line 2, record 06: wrong record length: 200160 characters, want 160`}
	if got := messages(errs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// JJMMA years are placed in the ten years around the pivot.
func TestDecadeYear(t *testing.T) {
	p := date(2026, 6, 1)
	for a, want := range []int{2030, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029} {
		if got := decadeYear(p, a); got != want {
			t.Errorf("decadeYear(2026, %d) = %d, want %d", a, got, want)
		}
	}
}
