package cfonb120

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
)

// TestReadReferenceExample: the example of CFONB120.md §11, as the shared
// file has it, gives exactly the statement written out field by field in
// exampleStatement; the balances add up.
func TestReadReferenceExample(t *testing.T) {
	data := referenceExample(t)
	if !bytes.Equal(data, lf(exampleLines...)) {
		t.Fatalf("the shared example differs from exampleLines")
	}
	sts, errs := readAll(data)
	if len(errs) > 0 {
		t.Fatalf("problems: %q", errs)
	}
	want := []statement.Statement{exampleStatement()}
	if !reflect.DeepEqual(sts, want) {
		t.Fatalf("statements\n got %+v\nwant %+v", sts, want)
	}
	if err := sts[0].Check(); err != nil {
		t.Fatal(err)
	}
}

// TestReadLayouts: the same records on CRLF lines, back to back, with
// their trailing blanks trimmed, with a stray blank line or blanks after
// column 120, give the same statement.
func TestReadLayouts(t *testing.T) {
	trimmed := make([]string, len(exampleLines))
	padded := make([]string, len(exampleLines))
	for i, l := range exampleLines {
		trimmed[i] = strings.TrimRight(l, " ")
		padded[i] = l + "   "
	}
	tests := map[string][]byte{
		"crlf":                 crlf(exampleLines...),
		"no separator":         []byte(strings.Join(exampleLines, "")),
		"no separator, lf end": []byte(strings.Join(exampleLines, "") + "\n"),
		"one line per two records, then lf": []byte(strings.Join(exampleLines[:2], "") + "\n" +
			strings.Join(exampleLines[2:], "")),
		"trimmed":             lf(trimmed...),
		"trimmed, crlf":       crlf(trimmed...),
		"no final line break": []byte(strings.Join(exampleLines, "\n")),
		"empty lines":         []byte("\n" + strings.Join(exampleLines, "\n\n") + "\n\n"),
		"mixed separators":    []byte(strings.Join(exampleLines[:5], "\r\n") + "\n" + strings.Join(exampleLines[5:], "\n")),
		"blanks after 120":    lf(padded...),
	}
	want := withoutLines([]statement.Statement{exampleStatement()})
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			sts, errs := readAll(data)
			if len(errs) > 0 {
				t.Fatalf("problems: %q", errs)
			}
			if !reflect.DeepEqual(withoutLines(sts), want) {
				t.Fatalf("statements\n got %+v\nwant %+v", sts, want)
			}
		})
	}
}

// TestReadBanksDeviations: what banks send beside the brochure is taken:
// lower case and Latin-1 accents, the same in UTF-8, currency and decimals
// left blank in the balances (LCL).
func TestReadBanksDeviations(t *testing.T) {
	lines := append([]string(nil), exampleLines...)
	lines[0] = lines[0][:16] + "    " + lines[0][20:]    // 01 without currency and decimals
	lines[16] = lines[16][:16] + "    " + lines[16][20:] // 07 too
	lines[10] = lines[10][:48] + "Sté Exemple à Noël" + lines[10][48+len("Sté Exemple à Noël"):]
	latin1 := []byte(strings.Join(lines, "\n") + "\n")
	// Latin-1: one byte per accented letter.
	latin1 = bytes.ReplaceAll(latin1, []byte("é"), []byte{0xE9})
	latin1 = bytes.ReplaceAll(latin1, []byte("à"), []byte{0xE0})
	latin1 = bytes.ReplaceAll(latin1, []byte("ë"), []byte{0xEB})
	utf8 := []byte(strings.Join(lines, "\n") + "\n")
	want := exampleStatement()
	want.Entries[2].Details[0].Debtor.Name = "Sté Exemple à Noël"
	for name, data := range map[string][]byte{"latin-1": latin1, "utf-8": utf8} {
		sts, errs := readAll(data)
		if len(errs) > 0 {
			t.Fatalf("%s: problems: %q", name, errs)
		}
		if !reflect.DeepEqual(sts, []statement.Statement{want}) {
			t.Fatalf("%s: statements\n got %+v\nwant %+v", name, sts, want)
		}
	}
}

// TestReadSeveralStatements: two days of one account and a day of
// another, overdrawn and without movement, in one file written by the
// Writer, read back as they were written.
func TestReadSeveralStatements(t *testing.T) {
	day1 := exampleStatement()
	day2 := statement.Statement{
		Format: "cfonb120", Account: day1.Account, Currency: "EUR",
		Opening: statement.Balance{Date: date(2025, 3, 3), Amount: 1223206},
		Closing: statement.Balance{Date: date(2025, 3, 4), Amount: 1223206 - 4590 + 100},
		Entries: []statement.Entry{
			{Amount: -4590, Status: "BOOK", BookingDate: date(2025, 3, 4), ValueDate: date(2025, 3, 4), Number: "1234567",
				Code: statement.Code{Proprietary: "01", Issuer: "CFONB", Internal: "CHQP"}, Label: "CHEQUE 1234567"},
			{Amount: 100, Status: "BOOK", BookingDate: date(2025, 3, 4), ValueDate: date(2025, 3, 5),
				Code: statement.Code{Proprietary: "63", Issuer: "CFONB"}, Label: "INTERETS",
				Extra: []statement.Complement{{Qualifier: "XYZ", Text: "BANK SPECIFIC"}, {Qualifier: "NPY"}}},
		},
	}
	other := statement.Statement{
		Format:   "cfonb120",
		Account:  statement.Account{IBAN: "FR1420041010050500013M02606", Bank: "20041", Branch: "01005", Number: "0500013M026"},
		Currency: "EUR",
		Opening:  statement.Balance{Date: date(2025, 3, 3), Amount: -231075},
		Closing:  statement.Balance{Date: date(2025, 3, 4), Amount: -231075},
	}
	data := write(t, cfonb.CRLF, day1, day2, other)
	sts, errs := readAll(data)
	if len(errs) > 0 {
		t.Fatalf("problems: %q", errs)
	}
	if len(sts) != 3 || sts[0].Line != 1 || sts[1].Line != 18 || sts[2].Line != 24 {
		t.Fatalf("statements at lines %v", lines(sts))
	}
	want := withoutLines([]statement.Statement{day1, day2, other})
	for i := range want {
		if got := withoutLines(sts[i : i+1])[0]; !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("statement %d\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}

func lines(sts []statement.Statement) []int {
	var out []int
	for _, s := range sts {
		out = append(out, s.Line)
	}
	return out
}

// TestReadProblems: a file with problems gives every one of them, each
// naming its line, record and zone; a statement with a problem is left
// out, the others are kept.
func TestReadProblems(t *testing.T) {
	ex := exampleLines
	other := []string{
		"0120041    01005EUR2 0500013M026  030325                                                  0000000023107N                ",
		"0720041    01005EUR2 0500013M026  040325                                                  0000000023107N                ",
	}
	replace := func(i int, line string) []string {
		out := append([]string(nil), ex...)
		out[i] = line
		return out
	}
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		lines []string
		kept  int // statements without problems
		want  []string
	}{
		{"unbalanced", replace(16, strings.Replace(ex[16], "0000000122320F", "0000000122330F", 1)), 0,
			[]string{`line 17, record 07, zone montant du nouveau solde (91-104) "0000000122330F": balances do not add up: opening balance 10234.56 + movements 1997.50 = 12232.06, but the closing balance is 12233.06 (difference 1.00)`}},
		{"unbalanced, then a good statement", join(replace(1, strings.Replace(ex[1], "0000000012500{", "0000000012500}", 1)), other), 1,
			[]string{`line 17, record 07, zone montant du nouveau solde (91-104) "0000000122320F": balances do not add up: opening balance 10234.56 + movements -502.50 = 9732.06, but the closing balance is 12232.06 (difference 2500.00)`}},
		{"another account's movement", replace(9, strings.Replace(ex[9], "00100EUR2 00012345678", "00200EUR2 00012345679", 1)), 0,
			[]string{
				`line 10, record 04, zone code guichet (12-16) "00200": differs from the header: the statement's ancien solde (line 1) has "00100"`,
				`line 10, record 04, zone numéro de compte (22-32) "00012345679": differs from the header: the statement's ancien solde (line 1) has "00012345678"`,
			}},
		{"another currency and decimals", replace(2, strings.Replace(ex[2], "EUR2", "USD3", 1)), 0,
			[]string{
				`line 3, record 05, zone code devise (17-19) "USD": differs from the header: the statement's ancien solde (line 1) has "EUR"`,
				`line 3, record 05, zone nombre de décimales (20) "3": differs from the header: the statement's ancien solde (line 1) has "2"`,
			}},
		{"bad amount: no balance check", replace(4, strings.Replace(ex[4], "0000000000800}", "00000000008O0}", 1)), 0,
			[]string{`line 5, record 04, zone montant du mouvement (91-104) "00000000008O0}": not a number: want 13 digits and a sign character`}},
		{"movement before any ancien solde", join(ex[1:2], ex), 1,
			[]string{`line 1, record 04: record out of order: record 04 outside a statement: no ancien solde 01 before it`}},
		{"complement after the ancien solde", join(ex[:1], ex[2:3], ex[1:]), 0,
			[]string{`line 2, record 05: record out of order: complement 05 without a movement 04 before it`}},
		{"no nouveau solde, then another statement", join(ex[:16], other), 1,
			[]string{`line 17, record 01: no nouveau solde (record 07): a new ancien solde 01 before the nouveau solde 07 of the statement started at line 1`}},
		{"no nouveau solde at the end", ex[:16], 0,
			[]string{`line 17: no nouveau solde (record 07): end of file in the statement started at line 1`}},
		{"nouveau solde alone", join(other[1:], ex), 1,
			[]string{`line 1, record 07: record out of order: record 07 outside a statement: no ancien solde 01 before it`}},
		{"unknown record, bad length", join(ex[:3], []string{strings.Replace(ex[3], "05", "06", 1), ex[4] + "X"}, ex[5:]), 0,
			[]string{
				`line 4, record 06, zone code enregistrement (1-2) "06": unknown code: want 01, 04, 05 or 07`,
				`line 5, record 04: wrong record length: 121 characters, want 120`,
			}},
		{"every problem of a record", replace(1, "0412345RPRL0O100EUR2 00012345678  300225  0303A5REMISE PRLV SEPA CORE            0000042  0000000012500{RPRL0303250001  "), 0,
			[]string{
				`line 2, record 04, zone code guichet (12-16) "0O100": wrong format: want 5 digits`,
				`line 2, record 04, zone code opération interbancaire (33-34) "  ": required`,
				`line 2, record 04, zone date de comptabilisation (35-40) "300225": bad date: no such day`,
				`line 2, record 04, zone date de valeur (43-48) "0303A5": bad date: want JJMMAA`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts, errs := readAll(lf(tt.lines...))
			if !reflect.DeepEqual(errs, tt.want) {
				t.Fatalf("problems\n got %q\nwant %q", errs, tt.want)
			}
			if len(sts) != tt.kept {
				t.Fatalf("%d statements kept, want %d", len(sts), tt.kept)
			}
		})
	}
}

// TestReadErrorsAreTyped: problems wrap the sentinel reasons.
func TestReadErrorsAreTyped(t *testing.T) {
	bad := append([]string(nil), exampleLines...)
	bad[16] = strings.Replace(bad[16], "0000000122320F", "0000000122330F", 1)
	_, err := ReadAll(bytes.NewReader(lf(bad...)))
	if !errors.Is(err, statement.ErrUnbalanced) {
		t.Fatalf("%v: not ErrUnbalanced", err)
	}
	var fe *cfonb.FieldError
	if !errors.As(err, &fe) || fe.Line != 17 || fe.Record != "07" || fe.From != 91 || fe.To != 104 {
		t.Fatalf("%#v: want line 17, record 07, zone 91-104", fe)
	}
	_, err = ReadAll(bytes.NewReader(nil))
	if !errors.Is(err, cfonb.ErrEmpty) || err.Error() != "cfonb120: empty file: no records" {
		t.Fatalf("empty file: %v", err)
	}
}

// TestReadNext: Next gives a statement with its problems, then goes on.
func TestReadNext(t *testing.T) {
	bad := append([]string(nil), exampleLines...)
	bad[5] = strings.Replace(bad[5], "NPY", "NPY\x01", 1)[:120]
	r := NewReader(bytes.NewReader(lf(append(bad, exampleLines...)...)))
	st, err := r.Next()
	if st == nil || err == nil || !strings.Contains(err.Error(), "line 6, record 05, zone informations complémentaires (49-118)") {
		t.Fatalf("first statement: %v, %v", st, err)
	}
	st, err = r.Next()
	if err != nil || st.Line != 18 {
		t.Fatalf("second statement: %v, %v", st, err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last: %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after io.EOF: %v", err)
	}
}

// TestReadWarnings: what does not make a statement wrong is noted on it.
func TestReadWarnings(t *testing.T) {
	lines := append([]string(nil), exampleLines...)
	lines[1] = strings.Replace(lines[1], "A1030325  030325", "A1280225  030325", 1)   // booked on the 01's date
	lines[13] = strings.Replace(lines[13], "35030325  050325", "35040325  050325", 1) // after the 07's date
	lines[14] = strings.Replace(lines[14], "35030325", "35040325", 1)
	lines[2] = strings.Replace(lines[2], "A1030325", "A2030325", 1)
	second := append([]string(nil), exampleLines...) // the same day again: its ancien solde is not the first one's nouveau solde
	sts, errs := readAll(lf(append(lines, second...)...))
	if len(errs) > 0 {
		t.Fatalf("problems: %q", errs)
	}
	got := sts[0].Warnings
	want := []string{
		"line 2, record 04: booked on 28/02/2025, not after the ancien solde's date 28/02/2025",
		`line 3, record 05: code opération "A2", its movement's is "A1"`,
		"line 3, record 05: dated 03/03/2025, its movement 04 28/02/2025",
		"line 4, record 05: dated 03/03/2025, its movement 04 28/02/2025",
		"line 14, record 04: booked on 04/03/2025, after the nouveau solde's date 03/03/2025",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("warnings\n got %q\nwant %q", got, want)
	}
	want = []string{"line 18, record 01: ancien solde 10234.56, the nouveau solde of the account's previous statement (line 1) was 12232.06"}
	if !reflect.DeepEqual(sts[1].Warnings, want) {
		t.Fatalf("warnings of the second statement\n got %q\nwant %q", sts[1].Warnings, want)
	}
}
