package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newTestStore(t testing.TB) (*Store, remit.Creditor) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := Init(path, Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cr, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	return st, cr
}

func TestOpenRefusesMissingAndOldDatabases(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "none.db"), Options{}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(dir, "old.db")
	db, err := openDB(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("empty schema: %v", err)
	}
	// Another program's tables: Open and Init leave the file alone.
	db, _ = openDB(path, Options{})
	db.Exec("CREATE TABLE x (a)")
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNotRemitDB) {
		t.Errorf("another program's database: %v", err)
	}
	if _, _, err := Init(path, Options{}); !errors.Is(err, ErrNotRemitDB) {
		t.Errorf("Init of another program's database: %v", err)
	}
	os.Remove(path)
	// A database one version behind is refused by Open and upgraded by Init.
	db, _ = openDB(path, Options{})
	db.Exec(migrations()[0].sql)
	db.Exec("PRAGMA user_version = 0")
	db.Close()
	os.Remove(path)
	if from, to, err := Init(path, Options{}); err != nil || from != 0 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	db, _ = openDB(path, Options{})
	db.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrSchemaNew) {
		t.Errorf("newer schema: %v", err)
	}
	if _, _, err := Init(path, Options{}); !errors.Is(err, ErrSchemaNew) {
		t.Errorf("Init of newer schema: %v", err)
	}
	db, _ = openDB(path, Options{})
	db.Exec("PRAGMA user_version = 0")
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("version 0: %v", err)
	}
}

const csvHeader = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,town,country\n"

func importString(t *testing.T, st *Store, cr remit.Creditor, csv string, o remit.ImportOptions) (*remit.ImportResult, error) {
	t.Helper()
	o.Creditor = cr
	if o.File == "" {
		o.File = filepath.Join(t.TempDir(), "in.csv")
	}
	return importcsv.Import(context.Background(), st, strings.NewReader(csv), o)
}

func count(t *testing.T, st *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportReportsEveryProblemAndWritesNothing(t *testing.T) {
	st, cr := newTestStore(t)
	in := csvHeader +
		"F1,411A,Alpha,100.00,2026-12-01,sdd,FR7630004008280001012345691,BNPAFRPP,RUM-1,2026-01-01,CORE,Paris,FR\n" +
		"F2,411B,Beta,12.345,2026-02-30,xyz,FR7630004008280001012345692,BNPA,RUM_2,,CORP,Lyon,ZZ\n" +
		",,,,,,,,,,,,\n"
	res, err := importString(t, st, cr, in, remit.ImportOptions{})
	if !errors.Is(err, remit.ErrImportInvalid) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`line 3, column amount "12.345": more than 2 decimals`,
		`line 3, column due_date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)`,
		`line 3, column method "xyz": want sdd, lcr, chq, vir, esp, cb or empty`,
		`line 3, column iban "FR7630004008280001012345692": bad check digits`,
		`line 3, column bic "BNPA": wrong length: 4 characters, want 8 or 11`,
		`line 3, column mandate "RUM_2": invalid characters at position 4`,
		`line 3, column scheme "CORP": want CORE or B2B`,
		`line 3, column country "ZZ": not an ISO 3166 country code such as FR`,
		`line 4, column document "": required`,
		`line 4, column customer "": required`,
		`line 4, column name "": required`,
		`line 4, column amount "": required`,
		`line 4, column due_date "": required`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := count(t, st, "SELECT count(*) FROM receivables"); n != 0 {
		t.Errorf("%d receivables written", n)
	}
	if n := count(t, st, "SELECT count(*) FROM customers"); n != 0 {
		t.Errorf("%d customers written", n)
	}
}

func TestImportHeader(t *testing.T) {
	st, cr := newTestStore(t)
	res, err := importString(t, st, cr, "Document;Customer;Name;Amount;Due_Date;Colour\n", remit.ImportOptions{})
	if err == nil || !strings.Contains(importMessages(res, err), `line 1, column Colour "Colour": unknown column`) {
		t.Errorf("unknown column: %v", importMessages(res, err))
	}
	res, err = importString(t, st, cr, "document,customer,name,amount\n", remit.ImportOptions{})
	if err == nil || !strings.Contains(importMessages(res, err), `line 1, column due_date "": required column missing`) {
		t.Errorf("missing column: %v", importMessages(res, err))
	}
	res, err = importString(t, st, cr, "document,customer,name,amount,due_date,Amount\n", remit.ImportOptions{})
	if err == nil || !strings.Contains(importMessages(res, err), "column appears twice") {
		t.Errorf("duplicate column: %v", importMessages(res, err))
	}
	if _, err = importString(t, st, cr, "", remit.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("empty file: %v", err)
	}
}

func TestImportSemicolonBOMQuotingAndDates(t *testing.T) {
	st, cr := newTestStore(t)
	in := "\ufeffDOCUMENT;Customer;NAME;amount;due_date;label\r\n" +
		"F1;411A;\"Dupont; Fils & Cie\";1234,56;01/12/2026;\"ligne \"\"citée\"\"\"\r\n" +
		"\r\n" +
		"F2;411A;\"Dupont; Fils & Cie\";7;2026-12-31;\r\n"
	res, err := importString(t, st, cr, in, remit.ImportOptions{})
	if err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	if res.Inserted != 2 || res.Lines != 2 {
		t.Errorf("result %+v", res)
	}
	var name, label, due string
	var amount int64
	st.db.QueryRow(`SELECT c.name, r.label, r.due_date, r.amount FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE document = 'F1'`).
		Scan(&name, &label, &due, &amount)
	if name != "Dupont; Fils & Cie" || label != `ligne "citée"` || due != "2026-12-01" || amount != 123456 {
		t.Errorf("got %q %q %s %d", name, label, due, amount)
	}
}

func TestImportRefusesBadBytes(t *testing.T) {
	st, cr := newTestStore(t)
	in := "document,customer,name,amount,due_date\n" +
		"F1,411A,Al\x00pha,1.00,2026-12-01\n" +
		"F2,411A,Be\xfftta,1.00,2026-12-01\n" +
		"F3,411A," + strings.Repeat("x", 2000) + ",1.00,2026-12-01\n" +
		"F4,411A,Gamma,1.00\n"
	res, err := importString(t, st, cr, in, remit.ImportOptions{})
	if !errors.Is(err, remit.ErrImportInvalid) || len(res.Problems) != 4 {
		t.Fatalf("err %v, problems %v", err, res.Problems)
	}
	for i, want := range []string{"contains a NUL byte", "not valid UTF-8", "2000 bytes, at most 1024", "4 fields, the header names 5 columns"} {
		if !strings.Contains(res.Problems[i].Error(), want) {
			t.Errorf("problem %d = %v, want %q", i, res.Problems[i], want)
		}
	}
}

func TestImportSkipInvalid(t *testing.T) {
	st, cr := newTestStore(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "in.csv")
	in := csvHeader +
		"F1,411A,Alpha,100.00,2026-12-01,,,,,,,Paris,FR\n" +
		"F2,411B,Beta,-1,2026-12-01,,,,,,,Paris,FR\n" +
		"F3,411C,Gamma,3.00,2026-12-01,,,,,,,Paris,FR\n"
	res, err := importString(t, st, cr, in, remit.ImportOptions{File: file, SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 2 || res.Rejected != 1 || res.RejectFile != filepath.Join(dir, "in.rejected.csv") {
		t.Errorf("result %+v", res)
	}
	b, err := os.ReadFile(res.RejectFile)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(csvHeader, "\n") + ",reason\nF2,411B,Beta,-1,2026-12-01,,,,,,,Paris,FR,\"column amount \"\"-1\"\": must be greater than 0\"\n"
	if string(b) != want {
		t.Errorf("rejects file:\n%s\nwant:\n%s", b, want)
	}
	if n := count(t, st, "SELECT count(*) FROM customers"); n != 2 {
		t.Errorf("%d customers: the rejected line left a trace", n)
	}
}

func TestReimportAndChanges(t *testing.T) {
	st, cr := newTestStore(t)
	line := "F1,411A,Alpha,100.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM-1,2026-01-01,CORE,Paris,FR\n"
	if _, err := importString(t, st, cr, csvHeader+line, remit.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := importString(t, st, cr, csvHeader+line, remit.ImportOptions{})
	if err != nil || res.Unchanged != 1 || res.Updated != 0 {
		t.Fatalf("identical re-import: %+v %v", res, err)
	}
	// Same mandate, new account: the mandate is kept and remembers the old IBAN.
	changed := strings.Replace(line, "FR7630004008280001012345691", "FR7630006000011234567890189", 1)
	changed = strings.Replace(changed, "100.00", "150.00", 1)
	res, err = importString(t, st, cr, csvHeader+changed, remit.ImportOptions{})
	if err != nil || res.Updated != 1 {
		t.Fatalf("changed line: %+v %v", res, err)
	}
	var iban, prev string
	var amount int64
	st.db.QueryRow("SELECT iban, previous_iban FROM mandates WHERE rum = 'RUM-1'").Scan(&iban, &prev)
	st.db.QueryRow("SELECT amount FROM receivables WHERE document = 'F1'").Scan(&amount)
	if iban != "FR7630006000011234567890189" || prev != "FR7630004008280001012345691" || amount != 15000 {
		t.Errorf("mandate %s (was %s), amount %d", iban, prev, amount)
	}
	if n := count(t, st, "SELECT count(*) FROM mandates"); n != 1 {
		t.Errorf("%d mandates", n)
	}
	// The same document twice in one file with other values is an error.
	_, err = importString(t, st, cr, csvHeader+line+changed, remit.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "problem") {
		t.Fatalf("duplicate document: %v", err)
	}
	// A mandate cannot change scheme or move to another customer.
	res, _ = importString(t, st, cr, csvHeader+strings.Replace(changed, "CORE", "B2B", 1), remit.ImportOptions{})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "mandate RUM-1 is CORE: a mandate cannot change scheme") {
		t.Errorf("scheme change: %v", res.Problems)
	}
	res, _ = importString(t, st, cr, csvHeader+strings.Replace(strings.Replace(changed, "411A", "411B", 1), "F1", "F9", 1), remit.ImportOptions{})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), `column mandate "RUM-1": belongs to customer 411A`) {
		t.Errorf("mandate of another customer: %v", res.Problems)
	}
	// A remitted receivable cannot change.
	st.db.Exec("UPDATE receivables SET status = 'remitted' WHERE document = 'F1'")
	res, _ = importString(t, st, cr, csvHeader+line, remit.ImportOptions{})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), `column amount "100.00": F1 was remitted with "150.00": a remitted receivable cannot change`) {
		t.Errorf("remitted change: %v", res.Problems)
	}
}

func TestImportDemoFixtures(t *testing.T) {
	st, cr := newTestStore(t)
	for _, name := range fixtures.Names {
		data, err := fixtures.Dated(name, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res, err := importcsv.Import(context.Background(), st, bytes.NewReader(data), remit.ImportOptions{Creditor: cr, File: name})
		if err != nil {
			t.Fatalf("%s: %v %v", name, err, res.Problems)
		}
	}
	if n := count(t, st, "SELECT count(*) FROM receivables"); n < 40 {
		t.Errorf("%d receivables in the demo, want at least 40", n)
	}
	if n := count(t, st, "SELECT count(*) FROM customers"); n < 12 {
		t.Errorf("%d customers in the demo, want at least 12", n)
	}
	for _, q := range []string{
		"SELECT count(*) FROM mandates WHERE scheme = 'B2B'",
		"SELECT count(*) FROM mandates WHERE scheme = 'CORE'",
		"SELECT count(*) FROM mandate_history",
		"SELECT count(*) FROM mandates m WHERE NOT EXISTS (SELECT 1 FROM mandate_history h WHERE h.mandate_id = m.id)",
		"SELECT count(*) FROM mandates WHERE previous_iban != ''",
		"SELECT count(*) FROM receivables WHERE acceptance = 'accepted' AND method = 'lcr'",
		"SELECT count(*) FROM receivables WHERE acceptance = 'not_accepted' AND method = 'lcr'",
		"SELECT count(*) FROM receivables WHERE acceptance = 'bor' AND method = 'lcr'",
		"SELECT count(*) FROM receivables WHERE method = ''",
		"SELECT count(*) FROM receivables WHERE currency != 'EUR'",
		"SELECT count(*) FROM customers WHERE name LIKE '%&%'",
		"SELECT count(*) FROM customers WHERE name LIKE '%''%'",
	} {
		if count(t, st, q) == 0 {
			t.Errorf("demo data lacks: %s", q)
		}
	}
}

// TestImportAcrossBatches: the importer writes receivables many lines per
// statement; known documents, a changed one and repeats inside one batch
// or across batches are each counted and checked the same as line by line.
func TestImportAcrossBatches(t *testing.T) {
	st, cr := newTestStore(t)
	lines := func(from, to int, change map[int]string) string {
		var b strings.Builder
		b.WriteString(csvHeader)
		for i := from; i < to; i++ {
			amount := "10.00"
			if a, ok := change[i]; ok {
				amount = a
			}
			fmt.Fprintf(&b, "F%04d,411C%03d,Client %d,%s,2026-12-01,,,,,,,Paris,FR\n", i, i%37, i%37, amount)
		}
		return b.String()
	}
	res, err := importString(t, st, cr, lines(0, 300, nil), remit.ImportOptions{})
	if err != nil || res.Inserted != 300 {
		t.Fatalf("first import: %+v %v", res, err)
	}
	// 300 known (one changed) then 400 new: batches mix both.
	res, err = importString(t, st, cr, lines(0, 700, map[int]string{150: "11.00"}), remit.ImportOptions{})
	if err != nil || res.Inserted != 400 || res.Updated != 1 || res.Unchanged != 299 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	// A document repeated identically, in the same batch and 500 lines later.
	in := lines(700, 1300, nil) + "F0701,411C035,Client 35,10.00,2026-12-01,,,,,,,Paris,FR\n" +
		"F1250,411C029,Client 29,10.00,2026-12-01,,,,,,,Paris,FR\n"
	res, err = importString(t, st, cr, in, remit.ImportOptions{})
	if err != nil || res.Inserted != 600 || res.Unchanged != 2 {
		t.Fatalf("repeated identical lines: %+v %v", res, err)
	}
	// Repeated with other values: an error naming the later line, and nothing written.
	in = lines(1300, 1600, nil) + "F1310,411C015,Client 15,99.00,2026-12-01,,,,,,,Paris,FR\n" +
		"F0005,411C005,Client 5,10.00,2026-12-01,,,,,,,Paris,FR\n" + // known, unchanged
		"F0005,411C005,Client 5,12.00,2026-12-01,,,,,,,Paris,FR\n"
	res, err = importString(t, st, cr, in, remit.ImportOptions{})
	if !errors.Is(err, remit.ErrImportInvalid) || len(res.Problems) != 2 {
		t.Fatalf("conflicting repeats: %+v %v", res, err)
	}
	for i, want := range []string{`line 302, column document "F1310": appears on an earlier line of this file with other values`,
		`line 304, column document "F0005": appears on an earlier line of this file with other values`} {
		if got := res.Problems[i].Error(); got != want {
			t.Errorf("problem %d = %q, want %q", i, got, want)
		}
	}
	if n := count(t, st, "SELECT count(*) FROM receivables"); n != 1300 {
		t.Errorf("%d receivables after the refused import, want 1300", n)
	}
}

// TestMigrationKeepsWhatRemittancesSaid: a version-2 database, whose items
// carried the debtor's details, upgraded by Init: each item keeps what its
// file said (remittance_lines), and the next run reads the mandate's
// history from it (RCUR, and the IBAN change announced).
func TestMigrationKeepsWhatRemittancesSaid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db := oldDatabase(t, path, 2)
	for _, q := range []string{
		`INSERT INTO remittance_items (id, remittance_id, receivable_id, position, block, amount, due_date, collection_date,
				end_to_end_id, document, customer, name, town, country, iban, bic, mandate_id, rum, mandate_signed, sequence_type)
			VALUES (7, 1, 1, 1, 1, 10000, '2026-10-05', '2026-10-05', 'F1', 'F1', '411A', 'ALPHA (OLD NAME)', 'Lyon', 'FR',
				'FR7630004008280001012345691', 'BNPAFRPP', 1, 'RUM-1', '2026-01-15', 'FRST')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if from, to, err := Init(path, Options{}); err != nil || from != 2 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var line string
	if err := st.db.QueryRow(`SELECT id || ' ' || debtor_id || ' ' || customer || ' ' || name || ' ' || iban || ' ' || bic || ' ' || rum || ' ' ||
			mandate_signed || ' ' || sequence_type FROM remittance_lines`).Scan(&line); err != nil {
		t.Fatal(err)
	}
	if want := "7 7 411A ALPHA (OLD NAME) FR7630004008280001012345691 BNPAFRPP RUM-1 2026-01-15 FRST"; line != want {
		t.Errorf("remittance_lines after the upgrade:\n%s\nwant\n%s", line, want)
	}
	cr, err := st.Creditor(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount, method, mandate_id, status)
		VALUES (1, 'F2', 1, '2026-12-07', 5000, 'sdd', 1, 'pointed')`); err != nil {
		t.Fatal(err)
	}
	res, err := collect.Run(context.Background(), st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir(), NoBordereau: true}}))
	if err != nil || len(res.Remittances) != 1 {
		t.Fatalf("RemitSDD: %+v %v", res, err)
	}
	if err := st.db.QueryRow(`SELECT sequence_type || ' ' || amend_iban || ' ' || iban || ' ' || name FROM remittance_lines
		WHERE document = 'F2'`).Scan(&line); err != nil {
		t.Fatal(err)
	}
	if want := "RCUR SMNDA FR7630006000011234567890189 Alpha SA"; line != want {
		t.Errorf("next collection: %s, want %s", line, want)
	}
}

// oldDatabase is a database at schema version v holding a creditor, a
// customer with a mandate, and receivable F1 collected by remittance 1:
// the caller adds that remittance's items as that version kept them.
func oldDatabase(t *testing.T, path string, v int) *sql.DB {
	t.Helper()
	db, err := openDB(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations()[:v] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
		// and its Go step, as Init did when it made that version
		if step := migrationSteps[m.version]; step != nil {
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if err := step(context.Background(), tx, Options{}); err != nil {
				t.Fatalf("%s: %v", m.name, err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		fmt.Sprintf("PRAGMA user_version = %d", v),
		`INSERT INTO creditors (id, code, name, ics, iban, bic, town, country, created_at, updated_at)
			VALUES (1, 'ACME', 'ACME OUTILLAGE SARL', 'FR72ZZZ123456', 'FR7630004008280001012345691', 'BNPAFRPP', 'Paris', 'FR', '', '')`,
		`INSERT INTO customers (id, creditor_id, account, name, town, country, iban)
			VALUES (1, 1, '411A', 'Alpha SA', 'Lyon', 'FR', 'FR7630006000011234567890189')`,
		`INSERT INTO mandates (id, creditor_id, customer_id, rum, signed_on, iban, bic)
			VALUES (1, 1, 1, 'RUM-1', '2026-01-15', 'FR7630006000011234567890189', 'AGRIFRPP')`,
		`INSERT INTO receivables (id, creditor_id, document, customer_id, due_date, amount, method, mandate_id, status)
			VALUES (1, 1, 'F1', 1, '2026-10-05', 10000, 'sdd', 1, 'remitted')`,
		`INSERT INTO remittances (id, creditor_id, kind, scheme, msg_id, created_at, item_count, total)
			VALUES (1, 1, 'sdd', 'CORE', 'ACME-001', '2026-10-01T10:00:00', 1, 10000)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

// A file naming customers and mandates the database has (the next month's,
// say) looks them up first and writes only what changes them; the rows are
// as if each line had been written over them, in any order of new and
// known ones, and a known mandate's earlier collection is recorded once.
func TestReimportKnownCustomersAndMandates(t *testing.T) {
	st, cr := newTestStore(t)
	const head = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,mandate_last_collected,street,town,country,bank_name,priority\n"
	first := head +
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,BNPAFRPP,RUM-A,2026-01-01,2026-10-05,1 rue A,Paris,FR,Banque A,1\n" +
		"F2,411B,Beta,20.00,2026-12-01,sdd,FR7630006000011234567890189,CMCIFRPP,RUM-B,2026-01-01,,2 rue B,Lyon,FR,Banque B,2\n"
	if _, err := importString(t, st, cr, first, remit.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	second := head +
		// Known and unchanged: nothing written, no second history row.
		"G1,411A,Alpha,10.00,2027-01-01,sdd,FR7630004008280001012345691,BNPAFRPP,RUM-A,2026-01-01,2026-10-05,1 rue A,Paris,FR,Banque A,1\n" +
		// Known, changed: a new name, town and priority; the street, IBAN and BIC left out are kept.
		"G2,411B,Beta SA,20.00,2027-01-01,sdd,,,RUM-B,2026-01-01,,,Lille,FR,,5\n" +
		// New after known ones.
		"G3,411C,Gamma,30.00,2027-01-01,sdd,FR7610096000502468013579016,,RUM-C,2026-02-01,,,Nice,FR,,0\n" +
		// Known after a new one, on a new account without a BIC (the old BIC goes with the old IBAN), collected since.
		"G4,411A,Alpha,11.00,2027-01-02,sdd,FR7610278060760001234560136,,RUM-A,2026-01-01,2026-11-05,1 rue A,Paris,FR,Banque A,1\n" +
		// The same line again for 411B, then a new one.
		"G5,411B,Beta SA,21.00,2027-01-02,sdd,,,RUM-B,2026-01-01,,,Lille,FR,,5\n" +
		"G6,411D,Delta,40.00,2027-01-01,sdd,FR7630003036200002001234517,,RUM-D,2026-03-01,2026-09-01,,Metz,FR,,0\n" +
		// 411B's own IBAN given without a BIC: the BIC goes.
		"G7,411B,Beta SA,22.00,2027-01-03,sdd,FR7630006000011234567890189,,RUM-B,2026-01-01,,,Lille,FR,,5\n"
	res, err := importString(t, st, cr, second, remit.ImportOptions{})
	if err != nil || res.Inserted != 7 {
		t.Fatalf("second file: %+v %v", res, err)
	}
	rows, err := st.db.Query(`SELECT account, name, street, town, country, priority, iban, bic, bank_name FROM customers ORDER BY account`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var account, name, street, town, country, iban, bic, bank string
		var priority int
		if err := rows.Scan(&account, &name, &street, &town, &country, &priority, &iban, &bic, &bank); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s|%d|%s|%s|%s", account, name, street, town, country, priority, iban, bic, bank))
	}
	want := []string{
		"411A|Alpha|1 rue A|Paris|FR|1|FR7610278060760001234560136||Banque A",
		"411B|Beta SA|2 rue B|Lille|FR|5|FR7630006000011234567890189||Banque B",
		"411C|Gamma||Nice|FR|0|FR7610096000502468013579016||",
		"411D|Delta||Metz|FR|0|FR7630003036200002001234517||",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("customers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var history []string
	hr, err := st.db.Query(`SELECT m.rum, h.collected_on, h.iban FROM mandate_history h JOIN mandates m ON m.id = h.mandate_id ORDER BY m.rum, h.collected_on`)
	if err != nil {
		t.Fatal(err)
	}
	for hr.Next() {
		var rum, on, iban string
		hr.Scan(&rum, &on, &iban)
		history = append(history, rum+" "+on+" "+iban)
	}
	wantHistory := []string{
		"RUM-A 2026-10-05 FR7630004008280001012345691",
		"RUM-A 2026-11-05 FR7610278060760001234560136",
		"RUM-D 2026-09-01 FR7630003036200002001234517",
	}
	if strings.Join(history, "\n") != strings.Join(wantHistory, "\n") {
		t.Errorf("mandate history:\n%s\nwant:\n%s", strings.Join(history, "\n"), strings.Join(wantHistory, "\n"))
	}
	var iban, prev string
	st.db.QueryRow("SELECT iban, previous_iban FROM mandates WHERE rum = 'RUM-A'").Scan(&iban, &prev)
	if iban != "FR7610278060760001234560136" || prev != "FR7630004008280001012345691" {
		t.Errorf("RUM-A on %s (was %s)", iban, prev)
	}
	if n := count(t, st, "SELECT count(*) FROM mandates"); n != 4 {
		t.Errorf("%d mandates", n)
	}
}
