package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
)

const (
	ibanSun = "FR7630004008280001012345691"
	minimal = "document,supplier,name,amount,due_date\n"
)

func day(s string) time.Time {
	t, _ := time.Parse(remit.DateLayout, s)
	return t
}

func problems(res *Result) string {
	if res == nil {
		return "(no result)"
	}
	var b strings.Builder
	for _, p := range res.Problems {
		b.WriteString(p.Error() + "\n")
	}
	return b.String()
}

func TestReadAllValues(t *testing.T) {
	in := "\ufeffDocument;Supplier;Name;Amount;Due_Date;method;currency;issue_date;journal;iban;bic;street;building;postcode;town;country;" +
		"priority;label;discount_rate;discount_until;parent;approved;contested;pointed;;\n" +
		"FA-2026-118;401SUN;SUN CHEMICAL;1200,00;31/12/2026;VIR;eur;2026-11-30;BQ2;fr76 3000 4008 2800 0101 2345 691;bnpafrpp;" +
		"Rue de la Paix;12;75002;Paris;fr;5;fournitures;2 %;15/12/2026;401CENTRALE;oui;non;oui;;\n" +
		"\n" + // blank lines are skipped
		"AV-2026-007;401SUN;SUN CHEMICAL;-150.00;2026-12-10;vir;;;;" + ibanSun + ";;;;;;;;;;;;;litige qualité;;;\n" +
		"FA-2026-200;401DURAND;\"DURAND; FILS\";10;2026-12-10;chq;;;;;;;;;;;99;;1,5;2026-12-05;;yes;no;no;;\n"
	ps, res, err := ReadAll(strings.NewReader(in), Options{}, false)
	if err != nil {
		t.Fatal(err, problems(res))
	}
	if res.Lines != 3 || res.Accepted != 3 || len(ps) != 3 {
		t.Fatalf("%+v, %d payables", res, len(ps))
	}
	want := payables.Payable{Document: "FA-2026-118", Supplier: "401SUN", Name: "SUN CHEMICAL", Amount: 120000, Currency: "EUR",
		Issue: day("2026-11-30"), Due: day("2026-12-31"), Method: payables.MethodTransfer, IBAN: ibanSun, BIC: "BNPAFRPP",
		Journal: "BQ2", Priority: 5, Label: "fournitures", Discount: payables.Discount{Rate: 200, Until: day("2026-12-15")},
		Parent: "401CENTRALE", Approved: true, Status: payables.StatusPointed,
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}}
	if ps[0].Payable != want || ps[0].Line != 2 {
		t.Fatalf("got  %+v\nwant %+v", ps[0].Payable, want)
	}
	if !ps[0].Given.Has("iban") || !ps[0].Given.Has("contested") || ps[1].Given.Has("approved") {
		t.Errorf("given: %b %b", ps[0].Given, ps[1].Given)
	}
	if p := ps[1]; p.Amount != -15000 || !p.Contested || p.ContestReason != "litige qualité" || p.Line != 4 || p.Status != "" {
		t.Errorf("%+v", p)
	}
	if p := ps[2]; p.Name != "DURAND; FILS" || p.Method != payables.MethodCheque || p.Priority != 99 || p.Discount.Rate != 150 || !p.Approved {
		t.Errorf("%+v", p)
	}
}

func TestReadEncodings(t *testing.T) {
	text := minimal[:len(minimal)-1] + ",town\nFA-1,401SUN,SOCIÉTÉ GÉNÉRALE D'ÉQUIPEMENT,1.00,2026-12-10,Besançon\n"
	for _, enc := range []struct {
		name string
		cm   *charmap.Charmap
	}{{"windows-1252", charmap.Windows1252}, {"iso-8859-15", charmap.ISO8859_15}, {"latin1", charmap.ISO8859_1}} {
		data, err := enc.cm.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		ps, res, err := ReadAll(strings.NewReader(data), Options{Encoding: enc.name}, false)
		if err != nil || ps[0].Name != "SOCIÉTÉ GÉNÉRALE D'ÉQUIPEMENT" || ps[0].Address.Town != "Besançon" {
			t.Fatalf("%s: %v %s %+v", enc.name, err, problems(res), ps)
		}
		// Read as UTF-8, the accented letters are refused with the advice.
		_, res, err = ReadAll(strings.NewReader(data), Options{}, false)
		if !errors.Is(err, remit.ErrImportInvalid) || !strings.Contains(problems(res),
			"line 2, column name \"SOCI?T? G?N?RALE D'?QUIPEMENT\": not valid UTF-8: save the file as UTF-8, or give its encoding "+
				"(remit payables import --encoding windows-1252") {
			t.Fatalf("%s as UTF-8: %v\n%s", enc.name, err, problems(res))
		}
	}
	if _, err := NewReader(strings.NewReader(text), Options{Encoding: "ebcdic"}); err == nil || !strings.Contains(err.Error(), `encoding "ebcdic"`) {
		t.Fatal(err)
	}
}

func TestReadProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want string
	}{
		{"empty file", "", "line 1: empty file: the first line must name the columns\n"},
		{"blank first line", "\n\nFA-1", "line 1: empty file: the first line must name the columns\n"},
		{"header problems, all of them, and the lines still checked",
			"document,supplier,montant,name,amount,NAME,,due_date,foo\nFA-1,401A,1,A,0,A,,2026-12-01,x\n",
			`line 1, column montant "montant": unknown column (known: document, supplier, name, amount, due_date, method, currency, ` +
				`issue_date, journal, iban, bic, street, building, postcode, town, country, priority, label, discount_rate, discount_until, ` +
				`parent, approved, contested, pointed)` + "\n" +
				`line 1, column NAME "NAME": column appears twice` + "\n" +
				"line 1: column 7 has no name: name it, or delete the column\n" +
				`line 1, column foo "foo": unknown column` + "\n" +
				`line 2, column amount "0": zero: a payable has an amount (negative for a credit note)` + "\n"},
		{"a required column missing: the lines cannot be read", "document,supplier,name,amount\nFA-1,401A,A,1\n",
			"line 1, column due_date \"\": required column missing\n"},
		{"every problem of every line",
			minimal[:len(minimal)-1] + ",method,iban,bic,currency,priority,discount_rate,discount_until,approved,contested,pointed,country,issue_date\n" +
				"FA-1,401A,A,12.345,2026-02-30,lcr,,XX,euro,100,2,,peut-être,,,ZZ,2026-13-01\n" +
				",,,,,vir,FR7630004008280001012345692,,,,,,,yes,yes,,\n" +
				"=FA-3,+401A,A,-,2026-12-01,chq,TR330006100519786457841326,,,,,2026-12-01,,,,,2026-12-02\n",
			`line 2, column amount "12.345": more than 2 decimals` + "\n" +
				`line 2, column due_date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)` + "\n" +
				`line 2, column issue_date "2026-13-01": not a date (write YYYY-MM-DD or DD/MM/YYYY)` + "\n" +
				`line 2, column method "lcr": want vir, chq or empty` + "\n" +
				`line 2, column priority "100": want a whole number from 0 to 99` + "\n" +
				`line 2, column approved "peut-être": want yes or no` + "\n" +
				`line 2, column currency "euro": want an ISO 4217 code such as EUR` + "\n" +
				`line 2, column bic "XX": wrong length: 2 characters, want 8 or 11` + "\n" +
				`line 2, column country "ZZ": unknown country code: not an ISO 3166 country code such as FR` + "\n" +
				`line 2, column discount_until "": a discount needs both its rate (discount_rate) and its last date (discount_until)` + "\n" +
				"line 3, column document \"\": required\n" +
				"line 3, column supplier \"\": required\n" +
				"line 3, column name \"\": required\n" +
				"line 3, column amount \"\": zero: a payable has an amount (negative for a credit note)\n" +
				"line 3, column due_date \"\": required\n" +
				`line 3, column iban "FR7630004008280001012345692": bad check digits` + "\n" +
				`line 3, column pointed "yes": a contested payable is never pointed: resolve the contest first` + "\n" +
				`line 4, column amount "-": not an amount (write 1234.56 or 1234,56, no thousands separator)` + "\n" +
				`line 4, column document "=FA-3": starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so` + "\n" +
				`line 4, column supplier "+401A": starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so` + "\n" +
				`line 4, column issue_date "2026-12-02": after the due date 2026-12-01` + "\n" +
				`line 4, column discount_rate "": a discount needs both its rate (discount_rate) and its last date (discount_until)` + "\n"},
		{"fields outside the named columns", minimal[:len(minimal)-1] + ",,\nFA-1,401A,A,1,2026-12-01,,x\nFA-2,401A,A,1,2026-12-01,,,,\n",
			`line 2: field 7 "x" is in a column the header does not name` + "\n" + "line 3: 9 fields, the header has 7\n"},
		{"too few fields", minimal + "FA-1,401A,A,1\n", "line 2: 4 fields, the header names 5 columns\n"},
		{"a NUL byte", minimal + "FA-1,401A,A\x00B,1,2026-12-01\n", `line 2, column name "A\\0B": contains a NUL byte` + "\n"},
		{"a field too long", minimal + "FA-1,401A," + strings.Repeat("A", 1025) + ",1,2026-12-01\n",
			`line 2, column name "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": 1025 bytes, at most 1024` + "\n"},
		{"a credit note with a discount", minimal[:len(minimal)-1] + ",discount_rate,discount_until\nAV-1,401A,A,-10,2026-12-01,2,2026-11-30\n",
			`line 2, column discount_rate "2": a credit note takes no discount: give the rate on the invoices it reduces` + "\n"},
		{"malformed CSV stops the reading", minimal + "FA-1,401A,\"A,1,2026-12-01\nFA-2,401A,A,1,2026-12-40\n",
			"line 2: malformed CSV: extraneous or missing \" in quoted-field\n"},
		{"a line too long", minimal + "FA-1,401A,A,1,2026-12-40\n" + strings.Repeat("x", 70000) + "\n",
			`line 2, column due_date "2026-12-40": not a date (write YYYY-MM-DD or DD/MM/YYYY)` + "\n" +
				"line 3: too long: a line longer than 65536 bytes (is it a CSV export?)\n"},
		{"a record too long", minimal + "FA-1,401A,\"" + strings.Repeat("x\n", 140000) + "\",1,2026-12-01\n",
			// The line where the reading stopped (as for receivables).
			"line 135145: too long: a record longer than 262144 bytes (a quote left open?)\n"},
		{"same document twice, other values", minimal + "FA-1,401A,A,1,2026-12-01\nFA-1,401A,A,2,2026-12-01\n",
			`line 3, column document "FA-1": appears on line 2 of this file with other values (amount)` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, res, err := ReadAll(strings.NewReader(tc.in), Options{}, false)
			if !errors.Is(err, remit.ErrImportInvalid) || ps != nil {
				t.Fatalf("err %v, %d payables", err, len(ps))
			}
			if got := problems(res); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestReadAllDuplicates(t *testing.T) {
	// The same line twice (an export repeating a line): once.
	ps, res, err := ReadAll(strings.NewReader(minimal+"FA-1,401A,A,1,2026-12-01\nFA-1,401A,A,1.00,01/12/2026\n"), Options{}, false)
	if err != nil || len(ps) != 1 || res.Lines != 2 || res.Accepted != 2 {
		t.Fatalf("%v %d %+v", err, len(ps), res)
	}
}

func TestScanSkipInvalid(t *testing.T) {
	in := "document;supplier;name;amount;due_date;iban;method\n" +
		"FA-1;401A;A;1,00;2026-12-01;" + ibanSun + ";vir\n" +
		"FA-2;401A;A;0;2026-12-01;;vir\n" +
		"FA-3;401A;A\"B;1;2026-12-01;;\n" + // a bare quote: this record cannot be read
		"FA-4;401A;A;4;2026-12-01;;chq\n"
	var rejects bytes.Buffer
	var applied []string
	res, err := Scan(strings.NewReader(in), Options{SkipInvalid: true, Rejects: &rejects}, func(in payables.Incoming) error {
		applied = append(applied, in.Document)
		if in.Document == "FA-4" {
			// The store's own verdict (Compare) is a line problem too.
			return errors.Join(&remit.LineError{Line: in.Line, Column: "amount", Value: "4", Err: errors.New("FA-4 was paid")})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err, problems(res))
	}
	if res.Lines != 4 || res.Accepted != 1 || res.Rejected != 3 || strings.Join(applied, ",") != "FA-1,FA-4" {
		t.Fatalf("%+v applied %v\n%s", res, applied, problems(res))
	}
	want := "document,supplier,name,amount,due_date,iban,method,reason\n" +
		"FA-2,401A,A,0,2026-12-01,,vir,\"column amount \"\"0\"\": zero: a payable has an amount (negative for a credit note); " +
		"column iban \"\"\"\": a transfer needs the supplier's IBAN\"\n" +
		",,,,,,,\"malformed CSV: bare \"\" in non-quoted-field\"\n" +
		"FA-4,401A,A,4,2026-12-01,,chq,\"column amount \"\"4\"\": FA-4 was paid\"\n"
	if got := rejects.String(); got != want {
		t.Fatalf("rejects\n%s\nwant\n%s", got, want)
	}
	if got := problems(res); !strings.Contains(got, "line 4: malformed CSV") {
		t.Fatalf("%s", got)
	}
	// Without it, the same file is void, and nothing after the first
	// problem is applied.
	applied = nil
	_, err = Scan(strings.NewReader(in), Options{}, func(in payables.Incoming) error { applied = append(applied, in.Document); return nil })
	if !errors.Is(err, remit.ErrImportInvalid) || strings.Join(applied, ",") != "FA-1" {
		t.Fatalf("%v %v", err, applied)
	}
	// A minimal problem voids it even with SkipInvalid, and nothing is applied.
	applied = nil
	res, err = Scan(strings.NewReader("document;supplier;name;amount;due_date;colour\nFA-1;401A;A;1;2026-12-01;red\n"),
		Options{SkipInvalid: true}, func(in payables.Incoming) error { applied = append(applied, in.Document); return nil })
	if !errors.Is(err, remit.ErrImportInvalid) || len(applied) != 0 || res.Lines != 1 {
		t.Fatalf("%v %v %+v", err, applied, res)
	}
	// So does a line too long.
	_, err = Scan(strings.NewReader(minimal+strings.Repeat("x", 70000)), Options{SkipInvalid: true}, func(payables.Incoming) error { return nil })
	if !errors.Is(err, remit.ErrImportInvalid) {
		t.Fatal(err)
	}
	// An error that is not about a line stops Scan as it is.
	boom := errors.New("disk full")
	if _, err := Scan(strings.NewReader(minimal+"FA-1,401A,A,1,2026-12-01\n"), Options{}, func(payables.Incoming) error { return boom }); err != boom {
		t.Fatal(err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestScanReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(minimal+"FA-1,401A,A,1,2026-12-01\n"), failingReader{})
	if _, err := Scan(r, Options{}, func(payables.Incoming) error { return nil }); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatal(err)
	}
}

func TestHeaderManyWrongColumns(t *testing.T) {
	var cols []string
	for i := 0; i < 30; i++ {
		cols = append(cols, fmt.Sprintf("x%d", i))
	}
	_, res, _ := ReadAll(strings.NewReader(minimal[:len(minimal)-1]+","+strings.Join(cols, ",")+"\n"), Options{}, false)
	if len(res.Problems) != 21 || res.Problems[20].Error() != "line 1: and 10 more wrong columns" {
		t.Fatal(problems(res))
	}
}

// TestScanMalformedStop: without SkipInvalid, a malformed record stops
// the reading and counts as a line read, as the payables import always
// counted it (the receivables import does not).
func TestScanMalformedStop(t *testing.T) {
	res, err := Scan(strings.NewReader(minimal+"FA-1,401A,A,1,2026-12-01\nFA-2,401A,\"A,1,2026-12-01\nFA-3,401A,A,1,2026-12-01\n"),
		Options{}, func(payables.Incoming) error { return nil })
	if !errors.Is(err, remit.ErrImportInvalid) || res.Lines != 2 || res.Accepted != 1 || len(res.Problems) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
}
