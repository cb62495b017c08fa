package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Issue 17, items 6, 7 and 8: what an accountant meets importing, re-importing
// and finding refused receivables.

// encode writes s in a single-byte character set, as a spreadsheet saves it.
func encode(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	b, err := cm.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A CSV saved by Excel on a French Windows: Windows-1252, semicolons, and
// the empty columns a spreadsheet keeps after the last named one.
const excelCSV = "document;customer;name;amount;due_date;label;;;\r\n" +
	"F2026-0301;411SOGE;Société Générale Œuvres;1 234,56;15/12/2026;Réf. « 12 »;;;\r\n" +
	"F2026-0302;411CAFE;Café de l’Étoile;78,00;2026-12-20;;;;\r\n"

func TestImportEncodings(t *testing.T) {
	c := newCLI(t)
	c.setup()
	excel := strings.ReplaceAll(excelCSV, "1 234,56", "1234,56")
	f := c.file("excel.csv", encode(t, charmap.Windows1252, excel))

	// Read as UTF-8, the accents are not text: the message says what to do,
	// and the summary how many problems.
	out, errs, code := c.run("", "import", f)
	if code != ExitFailed || out != "" ||
		!strings.Contains(errs, f+`: line 2, column name "Soci?t? G?n?rale ?uvres": not valid UTF-8: save the file as UTF-8, or give its encoding (remit import --encoding windows-1252 for a spreadsheet saved by Excel)`) ||
		!strings.HasSuffix(errs, "remit: "+f+": 3 problems, nothing imported\n") {
		t.Errorf("import as UTF-8: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = c.run("", "import", "--encoding", "windows-1252", f)
	if code != 0 || errs != "" || out != f+": 2 lines read: 2 new, 0 updated, 0 unchanged\n" {
		t.Fatalf("import --encoding windows-1252: exit %d\n%s%s", code, out, errs)
	}
	if out := c.must("list", "--due-from", "2026-12-01", "--due-to", "2026-12-31", "--format", "csv"); !strings.Contains(out,
		"F2026-0301,411SOGE,Société Générale Œuvres,1234.56,") || !strings.Contains(out, "F2026-0302,411CAFE,Café de l’Étoile,78.00") {
		t.Errorf("list after the import:\n%s", out)
	}
	// The same file again: nothing changes, whatever the encoding it was read in.
	if out := c.must("import", "--encoding", "cp1252", f); out != f+": 2 lines read: 0 new, 0 updated, 2 unchanged\n" {
		t.Errorf("again: %q", out)
	}

	// ISO-8859-15 (Latin-9) has Œ and € where Windows-1252 has others.
	latin9 := c.file("latin9.csv", encode(t, charmap.ISO8859_15,
		"document;customer;name;amount;due_date;label\nF2026-0303;411OENO;Œnologie & Cie;10,00;2026-12-21;Acompte 10 €\n"))
	if out := c.must("import", "--encoding", "iso-8859-15", latin9); !strings.Contains(out, "1 new") {
		t.Errorf("latin-9: %q", out)
	}
	if out := c.must("list", "--document", "F2026-0303", "--format", "csv"); !strings.Contains(out, "411OENO,Œnologie & Cie,") {
		t.Errorf("latin-9 name: %s", out)
	}

	// Settings are checked before anything: a wrong encoding is a usage error.
	if _, errs, code := c.run("", "import", "--encoding", "ebcdic", f); code != ExitUsage ||
		!strings.Contains(errs, `--encoding "ebcdic": want utf-8, windows-1252, iso-8859-15 or iso-8859-1`) {
		t.Errorf("--encoding ebcdic: exit %d, %s", code, errs)
	}
}

func TestImportHeaderProblemsAndTrailingColumns(t *testing.T) {
	c := newCLI(t)
	c.setup()
	// An unknown column and a bad line: both reported at once, and counted.
	f := c.file("bad.csv", "document;customer;name;amount;due_date;colour;;\n"+
		"F1;411A;A;10,00;2026-13-01;red;;\n"+
		"F2;411A;A;10,00;2026-12-01;blue;;x\n")
	out, errs, code := c.run("", "import", f)
	want := f + `: line 1, column colour "colour": unknown column (known: ` + "document, customer, name, amount, due_date, method, issue_date, " +
		"currency, journal, iban, bic, mandate, mandate_signed, scheme, mandate_type, mandate_last_collected, acceptance, street, " +
		"building, postcode, town, country, bank_name, siren, priority, label, pointed, cheque_number, drawer_bank)\n" +
		f + `: line 2, column due_date "2026-13-01": not a date (write YYYY-MM-DD or DD/MM/YYYY)` + "\n" +
		f + `: line 3: field 8 "x" is in a column the header does not name` + "\n" +
		"remit: " + f + ": 3 problems, nothing imported\n"
	if code != ExitFailed || out != "" || errs != want {
		t.Errorf("exit %d\n%s\nstderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
	// A missing required column: the lines cannot be read.
	f = c.file("missing.csv", "document;customer;name;amount;;\nF1;411A;A;10,00;;\n")
	_, errs, code = c.run("", "import", f)
	if code != ExitFailed || errs != f+`: line 1, column due_date "": required column missing`+"\nremit: "+f+": 1 problem, nothing imported\n" {
		t.Errorf("missing column: exit %d\n%s", code, errs)
	}
	// A column without a name in the middle.
	f = c.file("unnamed.csv", "document;customer;;name;amount;due_date\nF1;411A;;A;10,00;2026-12-01\n")
	_, errs, code = c.run("", "import", f)
	if code != ExitFailed || !strings.Contains(errs, f+": line 1: column 3 has no name: name it, or delete the column\n") {
		t.Errorf("unnamed column: exit %d\n%s", code, errs)
	}
	// Lines shorter than the header's empty columns are fine too.
	f = c.file("short.csv", "document;customer;name;amount;due_date;;;\nF1;411A;A;10,00;2026-12-01\nF2;411A;A;10,00;2026-12-01;;\n")
	if out := c.must("import", f); out != f+": 2 lines read: 2 new, 0 updated, 0 unchanged\n" {
		t.Errorf("short lines: %q", out)
	}
}

// The ERP's export after a customer's IBAN changed: the remitted receivable
// comes back with the new IBAN, which is for the next collection and must not
// block the file; a change of the receivable itself is named (issue 17, item 7).
func TestReimportAfterIBANChange(t *testing.T) {
	c := newCLI(t)
	c.setup()
	const head = "document;customer;name;amount;due_date;method;iban;bic;mandate;mandate_signed;town;country\n"
	const oldAccount = "FR7630006000011234567890189;AGRIFRPP"
	const newAccount = "FR7630004028370001234567873;BNPAFRPP"
	line := func(doc, amount, due, account string) string {
		return doc + ";411DUPONT;Dupont Matériaux;" + amount + ";" + due + ";sdd;" + account + ";RUM-DUP-1;2025-01-10;Bordeaux;FR\n"
	}
	c.must("import", c.file("v1.csv", head+line("F2026-0401", "100,00", "2026-12-01", oldAccount)))
	c.must("point", "--document", "F2026-0401")
	c.must("sdd")

	// The export of the next day: the new account on every line, a new invoice.
	v2 := c.file("v2.csv", head+line("F2026-0401", "100,00", "2026-12-01", newAccount)+line("F2026-0402", "50,00", "2026-12-15", newAccount))
	out, errs, code := c.run("", "import", v2)
	want := v2 + ": 2 lines read: 1 new, 0 updated, 1 unchanged\n" +
		v2 + ": F2026-0401 (line 2, remittance 001): remitted with other customer details (iban, bic): kept as remitted; " +
		"the new ones apply from the customer's next collection\n"
	if code != 0 || errs != "" || out != want {
		t.Fatalf("re-import with the new IBAN: exit %d\n%s\nwant:\n%s\nstderr: %s", code, out, want, errs)
	}
	if out := c.must("import", v2); out != v2+": 2 lines read: 0 new, 0 updated, 2 unchanged\n" {
		t.Errorf("the same export again: %q", out)
	}
	// The next collection goes to the new account and announces it (SMNDA).
	c.must("point", "--document", "F2026-0402")
	c.must("sdd")
	xml, _ := os.ReadFile(filepath.Join(c.dir, "out", "PAIEMENT.002.xml"))
	if !strings.Contains(string(xml), "<AmdmntInd>true</AmdmntInd>") || !strings.Contains(string(xml), "SMNDA") ||
		!strings.Contains(string(xml), "FR7630004028370001234567873") {
		t.Errorf("the next collection does not announce the new account:\n%s", xml)
	}

	// A change of the remitted receivable itself is named, column by column,
	// with what was remitted; it blocks the file, unless --skip-invalid.
	v3 := c.file("v3.csv", head+line("F2026-0401", "120,00", "2026-12-02", newAccount)+line("F2026-0403", "70,00", "2026-12-20", newAccount))
	out, errs, code = c.run("", "import", v3)
	wantErr := v3 + `: line 2, column amount "120.00": F2026-0401 was remitted (remittance 001) with "100.00": a remitted receivable cannot change; ` +
		"reject it or cancel its remittance first, or import the change under a new document\n" +
		v3 + `: line 2, column due_date "2026-12-02": F2026-0401 was remitted (remittance 001) with "2026-12-01": a remitted receivable cannot change; ` +
		"reject it or cancel its remittance first, or import the change under a new document\n" +
		"remit: " + v3 + ": 2 problems, nothing imported\n"
	if code != ExitFailed || out != "" || errs != wantErr {
		t.Errorf("changed amount: exit %d\n%s\nstderr:\n%s\nwant:\n%s", code, out, errs, wantErr)
	}
	out, _, code = c.run("", "import", "--skip-invalid", v3)
	if code != ExitPartial || !strings.HasPrefix(out, v3+": 2 lines read: 1 new, 0 updated, 0 unchanged, 1 rejected") {
		t.Errorf("--skip-invalid: exit %d, %s", code, out)
	}
}

// After remit lcr refuses a bill whose due date has passed, the accountant
// finds it whatever the month, reads what to do, and the nightly run says
// it is still refused without failing every night; a new refusal still
// fails the night it appears (issue 17, item 6).
func TestRefusalsYouCanFind(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("lcr.csv", `document;customer;name;amount;due_date;method;iban;town;country;bank_name
F2026-0079;411DUPONT;Dupont Matériaux SARL;560,00;2026-11-20;lcr;FR1420041010050500013M02606;Lille;FR;LBP LILLE
F2026-0080;411DUPONT;Dupont Matériaux SARL;100,00;2026-12-15;lcr;FR1420041010050500013M02606;Lille;FR;LBP LILLE
`))
	c.must("point", "--method", "lcr", "--due-from", "2026-11-01", "--due-to", "2026-12-31")
	advice := "it cannot be collected this way: remit unpoint --document F2026-0079, and collect it otherwise; " +
		"or, if its data is wrong, correct it and import it again"
	out, _, code := c.run("", "lcr")
	if code != ExitPartial || !strings.HasSuffix(out, "refused 1 receivable (left pointed; remit list --refused lists it):\n"+
		"  F2026-0079 411DUPONT 560,00: due date 2026-11-20 has passed\n    to do: "+advice+"\n") {
		t.Fatalf("lcr: exit %d\n%s", code, out)
	}

	// December: the list of the month does not show November's refusal, but says where it is.
	c.now = time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	if out := c.must("list", "--status", "pointed"); out != "no receivable matches\nnote: 1 refused receivable is outside these due dates: remit list --refused\n" {
		t.Errorf("list --status pointed:\n%s", out)
	}
	want := `DOCUMENT       CUSTOMER     NAME                       DUE        METHOD JOURNAL STATUS           AMOUNT CUR REMIT
F2026-0079     411DUPONT    Dupont Matériaux SARL      2026-11-20 lcr            pointed          560,00 EUR 
               refused (since 2026-11-22 10:00:00): due date 2026-11-20 has passed
               to do: ` + advice + `
1 receivable, total 560,00 EUR
`
	if out := c.must("list", "--refused"); out != want {
		t.Errorf("list --refused:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("list", "--refused", "--format", "csv"); !strings.HasSuffix(out,
		",pointed,,due date 2026-11-20 has passed,2026-11-22 10:00:00,unpoint\n") {
		t.Errorf("list --refused --format csv:\n%s", out)
	}
	if _, errs, code := c.run("", "list", "--refused", "--status", "open"); code != ExitUsage || !strings.Contains(errs, "refused receivables are pointed ones") {
		t.Errorf("--refused --status open: exit %d %s", code, errs)
	}

	// The nightly run meets the refusal already reported: it says so, and succeeds.
	c.now = time.Date(2026, 12, 3, 2, 15, 0, 0, time.UTC)
	out, _, code = c.run("", "run")
	if code != 0 || !strings.Contains(out, ": nothing to do\n") ||
		!strings.Contains(out, "  note: 1 receivable still refused, already reported (the first on 2026-11-22 10:00:00): remit list --refused\n") ||
		!strings.Contains(out, "  refused ACME LCR F2026-0079 560,00 (already reported on 2026-11-22 10:00:00): due date 2026-11-20 has passed\n") {
		t.Errorf("run with an old refusal: exit %d\n%s", code, out)
	}
	var sum struct {
		Refused []struct {
			Document, Todo, Since string
			New                   bool
		}
		RefusedNew int `json:"refused_new"`
		ExitStatus int `json:"exit_status"`
		Status     string
	}
	out, _, code = c.run("", "run", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.ExitStatus != 0 || sum.RefusedNew != 0 ||
		len(sum.Refused) != 1 || sum.Refused[0].New || sum.Refused[0].Todo != "unpoint" || sum.Refused[0].Since != "2026-11-22 10:00:00" {
		t.Errorf("run --json: exit %d, %+v, %v\n%s", code, sum, err, out)
	}
	if _, _, code := c.run("", "run", "--fail-on-old-refusals"); code != ExitRefused {
		t.Errorf("run --fail-on-old-refusals: exit %d, want %d", code, ExitRefused)
	}

	// A new refusal fails the night it appears, then no more.
	c.must("import", c.file("de.csv", "document;customer;name;amount;due_date;method;iban;town;country;pointed\n"+
		"F2026-0081;411MULLER;Müller GmbH;90,00;2026-12-20;lcr;DE89370400440532013000;Köln;DE;yes\n"))
	c.now = time.Date(2026, 12, 4, 2, 15, 0, 0, time.UTC)
	out, _, code = c.run("", "run", "--json")
	sum.Refused = nil
	json.Unmarshal([]byte(out), &sum)
	if code != ExitRefused || sum.RefusedNew != 1 || sum.Status != "refused" || len(sum.Refused) != 2 {
		t.Errorf("run with a new refusal: exit %d, %+v\n%s", code, sum, out)
	}
	c.now = time.Date(2026, 12, 5, 2, 15, 0, 0, time.UTC)
	if _, _, code := c.run("", "run"); code != 0 {
		t.Errorf("the night after: exit %d", code)
	}
	// Pointed again, a receivable is a new decision: its refusal is new.
	c.must("unpoint", "--document", "F2026-0079")
	c.must("point", "--document", "F2026-0079")
	if out, _, code := c.run("", "run"); code != ExitRefused || !strings.Contains(out, "  refused ACME LCR F2026-0079 560,00: due date") {
		t.Errorf("pointed again: exit %d\n%s", code, out)
	}
}
