package importcsv

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

// readAll reads every line of a file, and every problem.
func readAll(t *testing.T, in string) ([]*Line, string) {
	t.Helper()
	f, err := Open(strings.NewReader(in), "")
	if err != nil {
		t.Fatal(err)
	}
	var lines []*Line
	var problems strings.Builder
	for _, p := range f.HeaderProblems() {
		problems.WriteString(p.Error() + "\n")
	}
	for {
		ln, err := f.Read()
		if err == io.EOF {
			return lines, problems.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ln.Problems {
			problems.WriteString(p.Error() + "\n")
		}
		lines = append(lines, ln)
	}
}

func TestReadValues(t *testing.T) {
	in := "Document;Customer;Name;Amount;Due_Date;method;issue_date;currency;journal;iban;bic;mandate;mandate_signed;scheme;" +
		"mandate_type;mandate_last_collected;acceptance;street;building;postcode;town;country;bank_name;siren;priority;label;pointed;;\n" +
		" F1 ;411A;Dupont & Fils;1234,5;31/12/2026;SDD;2026-11-30;eur;BQ1;fr76 3000 4008 2800 0101 2345 691;bnpafrpp;RUM-1;2025-01-10;b2b;" +
		"OneOff;2026-10-05;;Rue de la Paix;12;75002;Paris;fr;BNP PARIBAS;552 081 317;5;Facture 1;Oui;;\n" +
		"F2;411B;Martin;7;2026-12-01;lcr;;;;;;;;;;;BOR;;;;;;;;;;non;;\n" +
		"F3;411C;Roux;1.00;2026-12-01;;;;;;;;;CORE;recurrent;;;;;;;;;;;;;;\n"
	lines, problems := readAll(t, in)
	if problems != "" || len(lines) != 3 {
		t.Fatalf("%d lines\n%s", len(lines), problems)
	}
	want := Receivable{Document: "F1", Amount: 123450, Currency: "EUR", Issue: "2026-11-30", Due: "2026-12-31", Method: "sdd", Journal: "BQ1",
		Acceptance: "not_accepted", Label: "Facture 1", Pointed: PointedYes,
		Customer: Customer{Code: "411A", Name: "Dupont & Fils", IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", BankName: "BNP PARIBAS",
			SIREN: "552081317", Priority: 5, Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}},
		Mandate: Mandate{RUM: "RUM-1", Signed: "2025-01-10", Scheme: "B2B", Kind: "oneoff", LastCollected: "2026-10-05"}}
	got := lines[0].Value
	if len(got.Hash) != 32 {
		t.Errorf("hash %q", got.Hash)
	}
	got.Hash = ""
	if !reflect.DeepEqual(got, want) || lines[0].Num != 2 {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if r := lines[1].Value; r.Method != "lcr" || r.Acceptance != "bor" || r.Pointed != PointedNo || r.Status() != remit.StatusOpen || r.Currency != "EUR" {
		t.Errorf("%+v", r)
	}
	// Without a mandate, a scheme and a type are left out (and warned of).
	if r := lines[2].Value; r.Mandate != (Mandate{}) || r.unused != "scheme and mandate_type" || r.Pointed != PointedNotGiven {
		t.Errorf("%+v", r)
	}
	if lines[0].Value.Status() != remit.StatusPointed {
		t.Error("a line pointed yes starts pointed")
	}
}

// TestLineHash: the hash is of the columns' trimmed text, named, whatever
// their order in the file, and whatever the separator.
func TestLineHash(t *testing.T) {
	a, _ := readAll(t, "document,customer,name,amount,due_date\nF1,411A,A,1.00,2026-12-01\n")
	b, _ := readAll(t, "due_date;amount;name;customer;document\n2026-12-01; 1.00 ;A;411A;F1\n")
	c, _ := readAll(t, "document,customer,name,amount,due_date\nF1,411A,A,1,2026-12-01\n")
	if a[0].Value.Hash != b[0].Value.Hash || a[0].Value.Hash == c[0].Value.Hash {
		t.Fatalf("%s %s %s", a[0].Value.Hash, b[0].Value.Hash, c[0].Value.Hash)
	}
}

func TestReadProblems(t *testing.T) {
	const header = "document,customer,name,amount,due_date,method,issue_date,currency,journal,iban,bic,mandate,mandate_signed,scheme,mandate_type," +
		"mandate_last_collected,acceptance,country,siren,priority,pointed\n"
	in := header +
		"F2,411B,Beta,12.345,2026-02-30,xyz,,euro,BANQUE001,FR7630004008280001012345692,BNPA,RUM_2,,CORP,weekly,,maybe,ZZ,123,100,peut-être\n" +
		",,,,,,,,,,,,,,,,,,,,\n" +
		"=F3,+411C,C,-1,2026-12-01,,2026-12-02,,=SUM,,,,2026-01-01,,,2026-01-01,,,,x,\n" +
		strings.Repeat("D", 65) + ",\u200f411D,D,1,2026-12-01,,,,,,,,,,,,,,,,\n" +
		"\"F\t5\",411E\u200b,E,1,2026-12-01,,,,,,,,,,,,,,,,\n" +
		"F6,411F,F\x00G,1,2026-12-01,,,,,,,,,,,,,,,,\n" +
		"F7,411G,G,1\n" +
		"F8,411H,H,1,2026-12-01,,,,,,,,,,,,,,,,,x\n"
	_, got := readAll(t, in)
	want := `line 2, column amount "12.345": more than 2 decimals` + "\n" +
		`line 2, column due_date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)` + "\n" +
		`line 2, column method "xyz": want sdd, lcr, chq, vir, esp, cb or empty` + "\n" +
		`line 2, column currency "EURO": want an ISO 4217 code such as EUR` + "\n" +
		`line 2, column journal "BANQUE001": longer than 8 characters` + "\n" +
		`line 2, column iban "FR7630004008280001012345692": bad check digits` + "\n" +
		`line 2, column bic "BNPA": wrong length: 4 characters, want 8 or 11` + "\n" +
		`line 2, column mandate "RUM_2": invalid characters at position 4` + "\n" +
		`line 2, column scheme "CORP": want CORE or B2B` + "\n" +
		`line 2, column mandate_type "weekly": want recurrent or oneoff` + "\n" +
		`line 2, column acceptance "maybe": want accepted, not_accepted or bor` + "\n" +
		`line 2, column country "ZZ": not an ISO 3166 country code such as FR` + "\n" +
		`line 2, column siren "123": wrong format: want 9 digits` + "\n" +
		`line 2, column priority "100": want a whole number from 0 to 99` + "\n" +
		`line 2, column pointed "peut-être": want yes or no` + "\n" +
		`line 3, column document "": required` + "\n" +
		`line 3, column customer "": required` + "\n" +
		`line 3, column name "": required` + "\n" +
		`line 3, column amount "": required` + "\n" +
		`line 3, column due_date "": required` + "\n" +
		`line 4, column document "=F3": starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so` + "\n" +
		`line 4, column customer "+411C": starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so` + "\n" +
		`line 4, column amount "-1": must be greater than 0` + "\n" +
		`line 4, column issue_date "2026-12-02": after the due date 2026-12-01` + "\n" +
		`line 4, column journal "=SUM": starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so` + "\n" +
		`line 4, column mandate_signed "2026-01-01": given without a mandate` + "\n" +
		`line 4, column mandate_last_collected "2026-01-01": given without a mandate` + "\n" +
		`line 4, column priority "x": want a whole number from 0 to 99` + "\n" +
		`line 5, column document "` + strings.Repeat("D", 57) + `...": longer than 64 characters` + "\n" +
		`line 5, column customer "\u200f411D": contains the invisible or control character U+200F` + "\n" +
		`line 6, column document "F\t5": contains the invisible or control character U+0009` + "\n" +
		`line 6, column customer "411E\u200b": contains the invisible or control character U+200B` + "\n" +
		`line 7, column name "F\\0G": contains a NUL byte` + "\n" +
		"line 8: 4 fields, the header names 21 columns\n" +
		"line 9: 22 fields, the header has 21\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// A refused value is not reported again as missing, and ident's
	// sentinels stay reachable.
	lines, got := readAll(t, "document,customer,name,amount,due_date,iban\nF1,411A,\xff,1,2026-12-01,FR7630004008280001012345692\n")
	if strings.Count(got, "column name") != 1 || !strings.Contains(got, "(remit import --encoding windows-1252 for a spreadsheet saved by Excel)") {
		t.Fatal(got)
	}
	if !errors.Is(lines[0].Problems[1], ident.ErrCheckDigits) {
		t.Errorf("%v does not wrap ident.ErrCheckDigits", lines[0].Problems[1])
	}
}

func TestUnusedColumnsWarnings(t *testing.T) {
	lines, problems := readAll(t, "document,customer,name,amount,due_date,scheme,mandate_type,mandate\n"+
		"F1,411A,A,1,2026-12-01,CORE,recurrent,\nF2,411A,A,1,2026-12-01,CORE,,\nF3,411B,B,1,2026-12-01,CORE,oneoff,\n"+
		"F4,411B,B,1,2026-12-01,,oneoff,\nF5,411B,B,x,2026-12-01,,oneoff,\nF6,411B,B,1,2026-12-01,B2B,,RUM-6\n")
	var u unusedColumns
	for _, ln := range lines {
		u.add(ln)
	}
	want := []string{
		"2 lines (the first: line 2) give columns scheme and mandate_type without a mandate: ignored, a mandate's scheme and type come with its RUM " +
			"(column mandate); remit sdd refuses a direct debit without a mandate",
		"line 3 gives column scheme without a mandate: ignored, a mandate's scheme and type come with its RUM " +
			"(column mandate); remit sdd refuses a direct debit without a mandate",
		"line 5 gives column mandate_type without a mandate: ignored, a mandate's scheme and type come with its RUM " +
			"(column mandate); remit sdd refuses a direct debit without a mandate",
	}
	if got := u.warnings(); !reflect.DeepEqual(got, want) || problems == "" {
		t.Fatalf("%q\n%s", got, problems)
	}
}

// TestRejectReason: the reason column of the receivables' rejects file
// drops "line N, " from a column's problem and keeps "line N: " on a
// problem of the whole line, as it always has.
func TestRejectReason(t *testing.T) {
	got := rejectReason([]*remit.LineError{{Line: 5, Column: "amount", Value: "-1", Err: errors.New("must be greater than 0")},
		{Line: 5, Err: errors.New("7 fields, the header has 5")}})
	if want := `column amount "-1": must be greater than 0; line 5: 7 fields, the header has 5`; got != want {
		t.Fatalf("%s\nwant %s", got, want)
	}
}

// TestReadCheque: a cheque's number is read without its blanks, one of
// more than remit.MaxChequeNumber digits is a problem of its line.
func TestReadCheque(t *testing.T) {
	lines, problems := readAll(t, "document,customer,name,amount,due_date,method,cheque_number,drawer_bank\n"+
		"F1,411A,A,1,2026-12-01,chq,12 345 67,CIC Lyon\nF2,411A,A,1,2026-12-01,chq,12345678,\nF3,411A,A,1,2026-12-01,chq,12a,\n")
	if r := lines[0].Value; r.Cheque != "1234567" || r.DrawerBank != "CIC Lyon" || len(lines[0].Problems) != 0 {
		t.Errorf("%+v %v", r, lines[0].Problems)
	}
	want := `line 3, column cheque_number "12345678": want 1 to 7 digits, as on the cheque's bottom line` + "\n" +
		`line 4, column cheque_number "12a": want 1 to 7 digits, as on the cheque's bottom line` + "\n"
	if problems != want {
		t.Fatalf("got\n%s\nwant\n%s", problems, want)
	}
}

// A line's customer written over a stored one: the name and priority
// always, each other detail when given, the BIC with the line's IBAN.
func TestCustomerOver(t *testing.T) {
	stored := Customer{Code: "411A", Name: "Alpha", Address: remit.Address{Street: "1 rue A", Town: "Paris", Country: "FR"},
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", BankName: "Banque A", SIREN: "123456789", Priority: 3}
	for _, tc := range []struct {
		name string
		line Customer
		want func(c *Customer)
	}{
		{"the same details", stored, func(c *Customer) {}},
		{"details left out are kept, name and priority always written", Customer{Code: "411A", Name: "Alpha SA"},
			func(c *Customer) { c.Name, c.Priority = "Alpha SA", 0 }},
		{"a new town", Customer{Code: "411A", Name: "Alpha", Address: remit.Address{Town: "Lille"}, Priority: 3},
			func(c *Customer) { c.Address.Town = "Lille" }},
		{"an IBAN without a BIC clears the BIC", Customer{Code: "411A", Name: "Alpha", IBAN: "FR7610278060760001234560136", Priority: 3},
			func(c *Customer) { c.IBAN, c.BIC = "FR7610278060760001234560136", "" }},
		{"a BIC alone replaces the BIC", Customer{Code: "411A", Name: "Alpha", BIC: "CMCIFRPP", Priority: 3},
			func(c *Customer) { c.BIC = "CMCIFRPP" }},
	} {
		want := stored
		tc.want(&want)
		if got := tc.line.Over(stored); got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, want)
		}
	}
}
