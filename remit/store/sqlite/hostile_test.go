package sqlite

// Hostile input at the store level: text that tries to break out of an XML
// element or shift CFONB columns, references that try to leave --out, paths
// SQLite reads as URIs, and broken CSV files. Each must be refused with a
// clear message or neutralised, never written into a malformed file.

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/pain008"
)

// hostileTexts go into names, labels, addresses and document numbers.
var hostileTexts = []string{
	`</Nm><InstdAmt Ccy="EUR">999999999.99</InstdAmt><Nm>`,
	`<![CDATA[x]]> &amp; &lt; &#0; &#x1F600; <?xml version="1.0"?>`,
	"tab\there\tand\ttab",
	"line\nbreak\r\nand\rCR",
	"Ünïcödé façade Œuvre straße",
	"emoji 🎉💶🇫🇷 fin",
	"e\u0301te\u0301 combining acute",
	"\u202eRTL override\u202c \u200f\u200e marks",
	"zero\u200bwidth\ufeffBOM\u00a0nbsp",
	`quote " and ' and ; and , and \`,
	"汉字 ひらがな العربية Ελληνικά",
	"0123456789012345678901234567890123456789012345678901234567890123456789",
	strings.Repeat("Très long nom ", 60),
	"\x01\x02\x1b[31mANSI\x1b[0m\x7f",
}

// hostileDocuments are document numbers: they become EndToEndIds, CFONB
// references and PDF text, never file names.
var hostileDocuments = []string{
	"../../../etc/passwd",
	`..\..\windows\win.ini`,
	"/abs/olute",
	"F<1>&\"2\"",
	"F 2026 0001",
	"Fé-2026-ß",
	"F🎉",
	".",
	"..",
	"//double//slash//",
}

func csvLine(fields ...string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return b.String()
}

// TestHostileTextNeverBreaksAFile imports SDD and LCR receivables whose every
// free-text field is hostile, remits them in every format, and checks each
// file: pain.008 against the official XSD (both versions), CFONB records
// 160 bytes and read back clean, the national file too; every receivable
// is remitted or refused with a reason; nothing is written outside --out.
func TestHostileTextNeverBreaksAFile(t *testing.T) {
	st, cr := newTestStore(t)
	ctx := context.Background()
	header := "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,acceptance,street,building,postcode,town,country,bank_name,label,pointed\n"
	var b strings.Builder
	b.WriteString(header)
	n := 0
	add := func(doc, name, label, street, town, bank string) {
		n++
		cust := fmt.Sprintf("411H%03d", n)
		b.WriteString(csvLine(doc, cust, name, "12.34", "2026-12-15", "sdd", "FR7630004008280001012345691", "BNPAFRPP",
			fmt.Sprintf("RUM-H-%03d", n), "2025-01-15", "", street, "1", "75002", town, "FR", bank, label, "yes"))
		n++
		cust = fmt.Sprintf("411H%03d", n)
		b.WriteString(csvLine(doc+"-L", cust, name, "56.78", "2026-12-15", "lcr", "FR7630004008280001012345691", "", "", "",
			"accepted", street, "1", "75002", town, "FR", bank, label, "yes"))
	}
	for i, s := range hostileTexts {
		add(fmt.Sprintf("H-%02d", i), s, s, s, s, s)
	}
	for i, d := range hostileDocuments {
		add(d, fmt.Sprintf("Client %d", i), "Facture "+d, "Rue", "Paris", "")
	}
	res, err := importString(t, st, cr, b.String(), remit.ImportOptions{})
	if err != nil {
		for _, p := range res.Problems {
			t.Log(p)
		}
		t.Fatalf("import: %v", err)
	}
	pointed := count(t, st, `SELECT count(*) FROM receivables WHERE status = 'pointed'`)
	if pointed != n {
		t.Fatalf("%d pointed, want %d", pointed, n)
	}

	root := t.TempDir()
	out := filepath.Join(root, "out")
	var remitted []remit.Remittance
	var refused []remit.Refusal
	for i, o := range []sdd.Options{{Version: pain008.V08, CFONB: true, Scheme: "CORE"}, {Version: pain008.V02}} {
		o.OutDir, o.LeadDays = out, 1
		if i > 0 {
			// Cancel the first run, so that the second writes the same receivables
			// in the other version.
			for _, r := range remitted {
				if _, err := collect.Cancel(ctx, st, cr.ID, r.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		res, err := collect.Run(ctx, st, cr, sdd.Job(o))
		if err != nil {
			t.Fatalf("RemitSDD %s: %v", o.Version, err)
		}
		remitted = append(remitted, res.Remittances...)
		refused = append(refused, res.Refused...)
	}
	lres, err := collect.Run(ctx, st, cr, lcr.Job(lcr.Options{Common: collect.Common{OutDir: out}}))
	if err != nil {
		t.Fatalf("RemitLCR: %v", err)
	}
	remitted = append(remitted, lres.Remittances...)
	refused = append(refused, lres.Refused...)

	files := 0
	for _, r := range remitted {
		for _, f := range r.Files {
			files++
			if filepath.Dir(f.Path) != out {
				t.Errorf("%s written outside --out", f.Path)
			}
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.HasPrefix(f.Format, "pain.008"):
				if !utf8.Valid(data) {
					t.Errorf("%s is not UTF-8", f.Name)
				}
				if ok, msg := testtool.XMLLint(t, f.Format+".xsd", f.Path); !ok {
					t.Errorf("%s does not validate:\n%s", f.Name, msg)
				}
				if bytes.Contains(data, []byte(`<InstdAmt Ccy="EUR">999999999.99<`)) {
					t.Errorf("%s: markup from a name became an amount", f.Name)
				}
			case strings.HasPrefix(f.Format, "cfonb"):
				checkRecords160(t, f.Name, data)
			}
		}
	}
	if files == 0 {
		t.Fatal("no file written")
	}
	for _, r := range refused {
		if len(r.Reasons) == 0 || r.Reasons[0] == "" {
			t.Errorf("%s refused without a reason", r.Document)
		}
	}
	// Every receivable was remitted or refused with its reason.
	if left := count(t, st, `SELECT count(*) FROM receivables WHERE status = 'pointed' AND refusal = ''`); left != 0 {
		t.Errorf("%d receivables left pointed without a reason", left)
	}
	// Nothing but out/ appeared beside it (no ../ escape).
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("files outside --out: %v", entries)
	}
	if bad, _ := filepath.Glob(filepath.Join(out, "*", "*")); len(bad) > 0 {
		t.Errorf("sub-folders written in --out: %v", bad)
	}
}

// checkRecords160 asserts that a CFONB file is records of exactly 160
// bytes, CRLF-separated, in the CFONB character set, and verifies clean.
func checkRecords160(t *testing.T, name string, data []byte) {
	t.Helper()
	for i, rec := range bytes.Split(bytes.TrimSuffix(data, []byte("\r\n")), []byte("\r\n")) {
		if len(rec) != 160 {
			t.Errorf("%s: record %d is %d bytes: %q", name, i+1, len(rec), rec)
			return
		}
		for _, c := range rec {
			if c < 0x20 || c >= 0x7f {
				t.Errorf("%s: record %d holds byte %#x", name, i+1, c)
				return
			}
		}
	}
	if _, errs := cfonb.Verify(bytes.NewReader(data)); len(errs) > 0 {
		t.Errorf("%s does not verify: %v", name, errors.Join(errs...))
	}
}

// TestHostileTemplateRefusedBeforeRun: the options check refuses a bad
// files.template before the run touches anything.
func TestHostileTemplateRefusedBeforeRun(t *testing.T) {
	st, cr := newTestStore(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := collect.Run(context.Background(), st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: out, NameTemplate: "../{ref}"}})); err == nil {
		t.Error("RemitSDD accepted the template ../{ref}")
	}
	if _, err := collect.Run(context.Background(), st, cr, lcr.Job(lcr.Options{Common: collect.Common{OutDir: out, NameTemplate: "../{ref}"}})); err == nil {
		t.Error("RemitLCR accepted the template ../{ref}")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run created --out")
	}
}

// TestHostileCreditorCodes: a creditor code is written into file names
// ({creditor}) and the MsgId, which is cut to 35 bytes: only letters, digits,
// - and _ may be saved, as the message says.
func TestHostileCreditorCodes(t *testing.T) {
	st, _ := newTestStore(t)
	base := remit.Creditor{Name: "X", ICS: "FR72ZZZ123456", IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP",
		Address: remit.Address{Town: "Paris", Country: "FR"}}
	for _, code := range []string{"..", ".", "../x", `a\b`, "a b", "A\nB", "A\tB", "<A>", "ÉCOLE", "A\x00", "A;B", ""} {
		c := base
		c.Code = code
		if _, err := st.SaveCreditor(context.Background(), c); err == nil {
			t.Errorf("creditor code %q saved", code)
		}
	}
	for _, code := range []string{"ACME", "acme-2", "SOC_01"} {
		c := base
		c.Code = code
		if _, err := st.SaveCreditor(context.Background(), c); err != nil {
			t.Errorf("creditor code %q: %v", code, err)
		}
	}
}

// TestHostileMessageIDCut: a long creditor code is cut to fit the 35
// characters of the MsgId; what remains is still valid UTF-8 and the file
// still validates (regression: the cut was by bytes, whatever the code).
func TestHostileMessageIDCut(t *testing.T) {
	for _, code := range []string{strings.Repeat("A", 40), "ACME_GROUP_HOLDING_INTERNATIONAL_SA"} {
		id := remit.MessageID(code, 123, testNow)
		if len(id) > 35 || !utf8.ValidString(id) || strings.ContainsAny(id, "_ ") {
			t.Errorf("remit.MessageID(%q) = %q", code, id)
		}
	}
}

// TestHostileDatabasePath: SQLite reads "file:" names as URIs, where %, ? and
// # are not literal; a database in a folder named so must be that very file
// (regression: "100%" failed to open, "#" opened a file cut at the #).
func TestHostileDatabasePath(t *testing.T) {
	for _, name := range []string{"100% sûr", "a#b", "what?x=1", "sp ace", "%41"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "remit.db")
		if _, _, err := Init(path, Options{}); err != nil {
			t.Errorf("Init(%q): %v", path, err)
			continue
		}
		st, err := Open(path, Options{})
		if err != nil {
			t.Errorf("Open(%q): %v", path, err)
			continue
		}
		if _, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "A", Name: "A"}); err != nil {
			t.Errorf("%q: %v", path, err)
		}
		st.Close()
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) == 0 || names[0] != "remit.db" {
			t.Errorf("database %q: the folder holds %v", path, names)
		}
		parent, _ := os.ReadDir(filepath.Dir(dir))
		if len(parent) != 1 {
			t.Errorf("database %q: files created beside its folder: %v", path, parent)
		}
	}
}

// TestHostileCSV: broken files are refused with the line and reason, and
// leave the database exactly as it was; harmless oddities are neutralised.
func TestHostileCSV(t *testing.T) {
	const header = "document,customer,name,amount,due_date\n"
	good := "F1,411A,Client A,10.00,2026-12-01\n"
	huge := strings.Repeat("x", 10<<20)
	tests := []struct {
		name  string
		input string
		want  string // in the error or a problem; "" means accepted
		lines int    // when accepted
	}{
		{"empty", "", "empty file", 0},
		{"blank lines only", "\n\n\r\n", "empty file", 0},
		{"header only", header, "", 0},
		{"header only without newline", strings.TrimSuffix(header, "\n"), "", 0},
		{"one column", "document\nF1\n", "required column missing", 0},
		{"one column, no header match", "x\n1\n", "unknown column", 0},
		{"unknown column", "document,customer,name,amount,due_date,evil\nF1,411A,A,1.00,2026-12-01,x\n", "unknown column", 0},
		{"column twice", "document,document,customer,name,amount,due_date\n", "column appears twice", 0},
		{"open quote", header + good + "F2,411A,\"Client A,10.00,2026-12-01\nF3,411A,Client A,10.00,2026-12-01\n", "malformed CSV", 0},
		{"stray quote", header + "F2,411A,Cli\"ent,10.00,2026-12-01\n", "malformed CSV", 0},
		{"NUL byte", header + "F2,411A,Cli\x00ent,10.00,2026-12-01\n", "NUL byte", 0},
		{"invalid UTF-8", header + "F2,411A,Cli\xff\xfeent,10.00,2026-12-01\n", "not valid UTF-8", 0},
		{"Latin-1 export", header + "F2,411A,Soci\xe9t\xe9,10.00,2026-12-01\n", "not valid UTF-8", 0},
		{"BOM in the middle: two files concatenated", header + good + "\ufeff" + header + "F2,411A,B,1.00,2026-12-01\n", "line 3", 0},
		{"2 KB field", header + "F2,411A," + huge[:2048] + ",10.00,2026-12-01\n", "at most 1024", 0},
		{"10 MB field", header + "F2,411A," + huge + ",10.00,2026-12-01\n", "line 2: too long: a line longer than 65536 bytes", 0},
		{"10 MB header", huge + "\n" + good, "line 1: too long: a line longer than 65536 bytes", 0},
		{"10 MB quoted over short lines", header + "F2,411A,\"" + strings.Repeat("x\n", 5<<20), "too long: a record longer than", 0},
		{"a line of 30,000 commas", header + strings.Repeat(",", 30_000) + "\n", "fields, the header has 5", 0},
		{"a line of a million commas", header + strings.Repeat(",", 1<<20) + "\n", "line 2: too long", 0},
		{"too few fields", header + "F2,411A\n", "2 fields, the header names 5 columns", 0},
		{"too many fields", header + "F2,411A,A,1.00,2026-12-01,x\n", "6 fields, the header has 5", 0},
		{"amount with markup", header + "F2,411A,A,<b>1</b>,2026-12-01\n", "amount", 0},
		{"document too long", header + strings.Repeat("D", 65) + ",411A,A,1.00,2026-12-01\n", "longer than 64", 0},
		// Identifiers with invisible characters would be other receivables
		// (or customers) than the ones they look like: refused.
		{"BOM on a data line", header + good + "\ufeffF1,411A,Client A,10.00,2026-12-01\n", "U+FEFF", 0},
		{"zero-width space in a document", header + "F\u200b1,411A,A,10.00,2026-12-01\n", "invisible", 0},
		{"direction mark in a customer", header + "F1,\u200f411A,A,10.00,2026-12-01\n", "U+200F", 0},
		{"tab and newline in a document", header + "\"F\t1\nX\",411A,A,10.00,2026-12-01\n", "U+0009", 0},
		{"BOM at the start", "\ufeff" + header + good, "", 1},
		{"CRLF", strings.ReplaceAll(header+good, "\n", "\r\n"), "", 1},
		{"semicolons and quotes", "document;customer;name;amount;due_date\nF1;411A;\"Client; \"\"A\"\"\";10,00;01/12/2026\n", "", 1},
		{"multi-line quoted name", header + "F1,411A,\"Client\nA\r\nB\",10.00,2026-12-01\n", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, cr := newTestStore(t)
			before := dbSnapshot(t, st)
			res, err := importString(t, st, cr, tt.input, remit.ImportOptions{})
			msgs := importMessages(res, err)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %s", msgs)
				}
				if res.Lines != tt.lines {
					t.Errorf("%d lines, want %d", res.Lines, tt.lines)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted (%d lines), want an error with %q", res.Lines, tt.want)
			}
			if !strings.Contains(msgs, tt.want) {
				t.Errorf("error %q, want it to say %q", clipMsg(msgs), tt.want)
			}
			if !strings.Contains(msgs, "line ") {
				t.Errorf("error %q does not say which line", clipMsg(msgs))
			}
			if len(msgs) > 20000 {
				t.Errorf("error is %d bytes: a 10 MB value must not be echoed", len(msgs))
			}
			if after := dbSnapshot(t, st); after != before {
				t.Errorf("a refused import changed the database:\n%s\nvs\n%s", before, after)
			}
		})
	}
}

func importMessages(res *remit.ImportResult, err error) string {
	var b strings.Builder
	if err != nil {
		b.WriteString(err.Error())
	}
	if res != nil {
		for _, p := range res.Problems {
			b.WriteString("\n" + p.Error())
		}
	}
	return b.String()
}

func clipMsg(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// dbSnapshot summarises every table an import may write.
func dbSnapshot(t testing.TB, st *Store) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"customers", "mandates", "mandate_history", "receivables", "imports"} {
		var n int
		var sum string
		if err := st.db.QueryRow(`SELECT count(*), COALESCE(group_concat(rowid, '|'), '') FROM `+table).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %s\n", table, n, sum)
	}
	rows, err := st.db.Query(`SELECT document, customer_id, due_date, amount, status, line_hash FROM receivables ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc, due, status, hash string
		var cust, amount int64
		rows.Scan(&doc, &cust, &due, &amount, &status, &hash)
		fmt.Fprintf(&b, "%s %d %s %d %s %s\n", doc, cust, due, amount, status, hash)
	}
	return b.String()
}

// TestImportConflictAfterUnchangedLine: a document on two lines of one file
// with different values is a conflict even when the first line matches what
// the database holds (regression: the second line silently updated the
// receivable, and the same file was refused when imported again).
func TestImportConflictAfterUnchangedLine(t *testing.T) {
	st, cr := newTestStore(t)
	const header = "document,customer,name,amount,due_date\n"
	if _, err := importString(t, st, cr, header+"F1,411A,A,1.00,2026-12-01\n", remit.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	file := header + "F1,411A,A,1.00,2026-12-01\nF1,411A,A,2.00,2026-12-01\n"
	for i := 0; i < 2; i++ {
		res, err := importString(t, st, cr, file, remit.ImportOptions{})
		if !errors.Is(err, remit.ErrImportInvalid) || !strings.Contains(importMessages(res, err), "line 3, column document") {
			t.Fatalf("import %d: %v", i+1, importMessages(res, err))
		}
	}
	if n := count(t, st, `SELECT amount FROM receivables WHERE document = 'F1'`); n != 100 {
		t.Errorf("F1 amount %d, want 100", n)
	}
}

// TestSkipInvalidCountsMalformedLines: with --skip-invalid, a line the CSV
// reader cannot parse is read and rejected, so that lines read = new +
// updated + unchanged + rejected (regression: it was rejected but not read).
func TestSkipInvalidCountsMalformedLines(t *testing.T) {
	st, cr := newTestStore(t)
	file := "document,customer,name,amount,due_date\nF1,411A,A\"B,1.00,2026-12-01\nF2,411A,A,1.00,2026-12-01\n"
	res, err := importString(t, st, cr, file, remit.ImportOptions{SkipInvalid: true, RejectPath: filepath.Join(t.TempDir(), "r.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 2 || res.Inserted != 1 || res.Rejected != 1 {
		t.Errorf("%d lines, %d new, %d rejected; want 2, 1, 1", res.Lines, res.Inserted, res.Rejected)
	}
}

// TestRegenerateMismatchKeepsTheOriginal: when the tables remittance files
// are regenerated from were changed behind remit's back (they are read-only
// for other software), regenerate refuses, and the file on disk is still
// the original, byte for byte (regression: it was overwritten first, then
// found different).
func TestRegenerateMismatchKeepsTheOriginal(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-15", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-15", "RUM-B", ""))
	res := e.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 {
		t.Fatalf("%d remittances", len(res.Remittances))
	}
	rem := res.Remittances[0]
	f := rem.Files[0]
	original, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE debtor_snapshots SET name = 'SOMEONE ELSE' WHERE id = (SELECT debtor_id FROM remittance_items WHERE document = 'F1')`)
	if _, _, err := collect.Regenerate(context.Background(), e.st, testKinds, e.cr.ID, rem.ID, e.out); !errors.Is(err, collect.ErrRegenerateMismatch) {
		t.Fatalf("Regenerate: %v, want %v", err, collect.ErrRegenerateMismatch)
	}
	if now, _ := os.ReadFile(f.Path); !bytes.Equal(now, original) {
		t.Error("the original file was overwritten by the mismatching one")
	}
	entries, _ := os.ReadDir(e.out)
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), ".") {
			t.Errorf("left in out/: %s", en.Name())
		}
	}
}
