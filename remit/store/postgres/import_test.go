package postgres_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/testtool"
)

var twinNow = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// twins are an SQLite store and a PostgreSQL store given the same
// creditor, with connections of the test's own to read their tables.
type twins struct {
	sq   *sqlite.Store
	sqdb *sql.DB
	pg   *postgres.Store
	pool *pgxpool.Pool
	dsn  string
	cr   [2]remit.Creditor
}

func newTwins(t *testing.T) *twins {
	t.Helper()
	now := func() time.Time { return twinNow }
	tw := &twins{}
	sdb, path := newSQLite(t)
	tw.sqdb = sdb
	var err error
	if tw.sq, err = sqlite.Open(path, sqlite.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.sq.Close() })
	pool, dsn := newPostgres(t)
	tw.pool, tw.dsn = pool, dsn
	if tw.pg, err = postgres.Open(dsn, postgres.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.pg.Close() })
	c := remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}}
	for i, st := range tw.stores() {
		if tw.cr[i], err = st.SaveCreditor(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return tw
}

func (tw *twins) stores() []store.Store { return []store.Store{tw.sq, tw.pg} }

// importTables are what an import writes: every column but the bookkeeping
// of which import last wrote a receivable, in an order both stores give.
var importTables = []string{
	`SELECT id, account, name, street, building, postcode, town, country, priority, iban, bic, bank_name, siren FROM customers ORDER BY id`,
	`SELECT id, rum, customer_id, signed_on, scheme, kind, status, status_reason, iban, bic, previous_iban, original_rum, original_ics
		FROM mandates ORDER BY id`,
	`SELECT mandate_id, collected_on, iban, sequence_type FROM mandate_history ORDER BY mandate_id, collected_on, iban`,
	`SELECT id, document, customer_id, issue_date, due_date, amount, currency, method, journal, COALESCE(mandate_id, 0), acceptance,
		label, status, refusal, line_hash, cheque_number, drawer_bank FROM receivables ORDER BY id`,
	// (an import that failed took an id of PostgreSQL's sequence: ids may skip)
	`SELECT file, sha256, lines, inserted, updated, unchanged, rejected FROM imports ORDER BY id`,
}

// tables prints the rows of queries in both stores.
func (tw *twins) tables(t *testing.T, queries []string) (sq, pg string) {
	t.Helper()
	var a, b strings.Builder
	for _, q := range queries {
		rows, err := tw.sqdb.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&a, "%v\n", vals)
		}
		rows.Close()
		a.WriteString("--\n")
		prows, err := tw.pool.Query(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for prows.Next() {
			v, err := prows.Values()
			if err != nil {
				t.Fatal(err)
			}
			for i := range v {
				if n, ok := v[i].(int32); ok {
					v[i] = int64(n)
				}
			}
			fmt.Fprintf(&b, "%v\n", v)
		}
		prows.Close()
		b.WriteString("--\n")
	}
	return a.String(), b.String()
}

// same fails the test when the two stores' tables differ.
func (tw *twins) same(t *testing.T, what string, queries []string) {
	t.Helper()
	if sq, pg := tw.tables(t, queries); sq != pg {
		t.Fatalf("%s: the stores differ:\nSQLite:\n%s\nPostgreSQL:\n%s", what, sq, pg)
	}
}

// importOutcome is what an import says, as the user reads it.
func importOutcome(t *testing.T, res *remit.ImportResult, err error) string {
	t.Helper()
	if res != nil && res.RejectFile != "" {
		data, rerr := os.ReadFile(res.RejectFile)
		if rerr != nil {
			t.Fatal(rerr)
		}
		res.RejectFile = filepath.Base(res.RejectFile) + ":\n" + string(data)
	}
	b, jerr := json.MarshalIndent(res, "", " ")
	if jerr != nil {
		t.Fatal(jerr)
	}
	msg := "<nil>"
	if err != nil {
		msg = err.Error()
	}
	if res != nil {
		for _, p := range res.Problems {
			msg += "\n" + p.Error()
		}
	}
	return string(b) + "\nerror: " + msg
}

// importBoth imports data into both stores and fails the test unless they
// say the same and write the same. A file refused without --skip-invalid
// may list other problems in each store (each stops checking the lines
// against the database at another point: SQLite at the first conflict of
// a mandate, PostgreSQL at the end of a batch of lines): those are returned,
// each store's, for the caller to check against the full list that
// --skip-invalid gives.
func (tw *twins) importBoth(t *testing.T, name string, data []byte, skip bool) (refused [2][]string) {
	t.Helper()
	var outcomes [2]string
	for i, st := range tw.stores() {
		dir := filepath.Join(t.TempDir(), strconv.Itoa(i))
		os.MkdirAll(dir, 0o700)
		o := remit.ImportOptions{Creditor: tw.cr[i], File: name, SkipInvalid: skip, RejectPath: filepath.Join(dir, "rejects.csv")}
		res, err := importcsv.Import(context.Background(), st, bytes.NewReader(data), o)
		var le *remit.LineError
		if err != nil && !errors.Is(err, remit.ErrImportInvalid) && !errors.As(err, &le) {
			t.Fatalf("%s (store %d): an error that is not about the input: %v", name, i, err)
		}
		if err != nil && !skip && res != nil {
			for _, p := range res.Problems {
				refused[i] = append(refused[i], p.Error())
			}
			outcomes[i] = "refused"
			continue
		}
		outcomes[i] = importOutcome(t, res, err)
	}
	if outcomes[0] != outcomes[1] {
		t.Fatalf("%s, skip %v: the stores say different things:\nSQLite:\n%s\nPostgreSQL:\n%s", name, skip, outcomes[0], outcomes[1])
	}
	tw.same(t, fmt.Sprintf("%s, skip %v", name, skip), importTables)
	return refused
}

// importInputs are FuzzImport's corpus, the fixtures, and files that go
// through every rule of a re-import.
func importInputs(t *testing.T) [][]byte {
	t.Helper()
	var inputs [][]byte
	for _, name := range fixtures.Names {
		data, err := fixtures.Dated(name, twinNow)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	files, _ := filepath.Glob(filepath.Join(testtool.RepoRoot(), "remit", "importcsv", "testdata", "fuzz", "FuzzImport", "*"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, lit, ok := strings.Cut(string(b), "[]byte(")
		data, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lit), ")")))
		if !ok || err != nil {
			t.Fatalf("%s: not a corpus file: %v", file, err)
		}
		inputs = append(inputs, []byte(data))
	}
	const h = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_type,mandate_last_collected," +
		"street,postcode,town,pointed\n"
	return append(inputs,
		[]byte("document,customer,name,amount,due_date\nF1,411A,A,1.00,2026-12-01\nF1,411A,A,1.00,2026-12-01\n"),
		[]byte("document;customer;name;amount;due_date;pointed\nF1;411A;\"A;B\";1,00;01/12/2026;oui\nF2;411A;A;2;2026-12-02;non\n"),
		[]byte(h+"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM1,2025-01-01,,,,,,,\n"+
			"F1,411A,A,2.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM1,2025-01-01,,,,,,,\n"),
		// a mandate of another customer, another scheme; a new IBAN; the
		// details a line leaves empty; a collection before remit, twice
		[]byte(h+"F2,411B,B,3.00,2026-12-05,sdd,FR7630006000011234567890189,AGRIFRPP,RUM1,2025-01-01,,,,,,,yes\n"+
			"F3,411A,A Bis,4.00,2026-12-06,sdd,FR7630006000011234567890189,AGRIFRPP,RUM1,,B2B,,,,,,\n"+
			"F4,411A,A Ter,5.00,2026-12-07,sdd,FR1420041010050500013M02606,,RUM1,2025-02-01,,oneoff,2026-10-05,3 rue X,75001,Paris,yes\n"+
			"F5,411A,,6.00,2026-12-08,sdd,,,RUM1,,,,2026-10-05,,,,no\n"+
			"F6,411C,C,7.00,2026-12-09,sdd,DE89370400440532013000,,RUM3,2024-05-05,B2B,,2026-11-05,,,,yes\n"+
			"F7,411C,C,8.00,2026-12-10,sdd,DE89370400440532013000,,RUM3,2024-05-05,B2B,,2026-11-05,,,,\n"),
		// every line of a file changed again: updated, then the same again
		[]byte(h+"F1,411A,A,9.99,2026-12-31,sdd,FR7630004008280001012345691,,RUM1,2025-01-01,,,,,,,yes\n"),
		// a cheque, then its number and bank corrected
		[]byte("document,customer,name,amount,due_date,method,cheque_number,drawer_bank\nC1,411A,A,1.00,2026-12-01,chq,1234567,BNP\n"),
		[]byte("document,customer,name,amount,due_date,method,cheque_number,drawer_bank\nC1,411A,A,1.00,2026-12-01,chq,7654321,CIC\n"),
	)
}

// TestImportSameAsSQLite: every input, imported with and without
// --skip-invalid and then imported again, is reported the same and writes
// the same rows (ids included) in both stores.
func TestImportSameAsSQLite(t *testing.T) {
	tw := newTwins(t)
	const existing = "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n" +
		"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"
	for i, data := range importInputs(t) {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			tw.resetImports(t)
			tw.importBoth(t, "existing.csv", []byte(existing), false)
			refused := tw.importBoth(t, "input.csv", data, false)
			tw.importBoth(t, "input.csv", data, false)
			// --skip-invalid checks every line against the database: its
			// problems are all the file's.
			all := map[string]bool{}
			res, _ := importcsv.Import(context.Background(), tw.sq, bytes.NewReader(data), remit.ImportOptions{Creditor: tw.cr[0],
				File: "probe.csv", SkipInvalid: true, RejectPath: filepath.Join(t.TempDir(), "r.csv")})
			if res != nil {
				for _, p := range res.Problems {
					all[p.Error()] = true
				}
			}
			// The probe wrote into SQLite alone: both start again alike.
			tw.resetImports(t)
			tw.importBoth(t, "existing.csv", []byte(existing), false)
			for i, problems := range refused {
				if len(problems) == 0 && len(refused[1-i]) > 0 {
					t.Fatalf("store %d refused the file without a problem", i)
				}
				for _, p := range problems {
					if !all[p] {
						t.Errorf("store %d: %q is not a problem --skip-invalid finds (%v)", i, p, all)
					}
				}
			}
			tw.importBoth(t, "input.csv", data, true)
			tw.importBoth(t, "input.csv", data, true)
		})
	}
}

// resetImports empties what imports write, in both stores.
func (tw *twins) resetImports(t *testing.T) {
	t.Helper()
	for _, db := range []func(string) error{
		func(q string) error { _, err := tw.sqdb.Exec(q); return err },
		func(q string) error { _, err := tw.pool.Exec(context.Background(), q); return err },
	} {
		for _, table := range []string{"mandate_history", "receivables", "mandates", "customers", "imports"} {
			if err := db("DELETE FROM " + table); err != nil {
				t.Fatal(err)
			}
		}
	}
	tw.syncSequences(t)
}

// syncSequences starts PostgreSQL's identity sequences again at 1, as
// SQLite gives the next rowid of an empty table.
func (tw *twins) syncSequences(t *testing.T) {
	t.Helper()
	for _, table := range []string{"customers", "mandates", "receivables", "imports"} {
		if _, err := tw.pool.Exec(context.Background(), `SELECT setval(pg_get_serial_sequence($1, 'id'), 1, false)`, table); err != nil {
			t.Fatal(err)
		}
	}
}

// TestImportRulesSameAsSQLite: the rules of a re-import, step by step,
// give the same rows and say the same in both stores: a customer's new
// IBAN and BIC, the details a line leaves empty; a mandate's new account
// (remembered, the mandate unblocked when it was blocked for its account,
// not for a revocation); its signature date, kind and BIC; a remitted or
// paid or written-off receivable whose own columns change (refused) or whose customer's
// do (kept, said).
func TestImportRulesSameAsSQLite(t *testing.T) {
	tw := newTwins(t)
	const h = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_type,mandate_last_collected," +
		"street,building,postcode,town,country,bank_name,siren,priority,pointed\n"
	sql := func(q string) {
		t.Helper()
		if _, err := tw.sqdb.Exec(q); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.pool.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	steps := []string{
		h + "F1,411A,Alpha,1.00,2026-12-01,sdd,FR7630004008280001012345691,BNPAFRPP,RUM1,2025-01-01,,,,1 rue A,B1,75001,Paris,FR,BNP,123456782,5,yes\n" +
			"F2,411B,Beta,2.00,2026-12-02,sdd,FR7630006000011234567890189,AGRIFRPP,RUM2,2025-01-02,B2B,,2026-10-05,2 rue B,,69001,Lyon,FR,CA,,0,\n" +
			"F3,411C,Gamma,3.00,2026-12-03,sdd,FR1420041010050500013M02606,,RUM3,2025-01-03,,oneoff,,,,,,,,,,yes\n" +
			"F4,411D,Delta,4.00,2026-12-04,lcr,DE89370400440532013000,,,,,,,,,,,,,,,no\n" +
			"F9,411D,Delta,9.00,2026-12-04,lcr,DE89370400440532013000,,,,,,,,,,,,,,,no\n",
		// empty details keep what the customer has; a new IBAN brings its BIC
		h + "F1,411A,Alpha SA,1.00,2026-12-01,sdd,,,RUM1,2025-01-01,,,,,,,,,,,7,\n" +
			"F5,411B,Beta,5.00,2026-12-05,sdd,FR7630004008280001012345691,BNPAFRPP,RUM2,,,,2026-11-05,,,,,,,,,yes\n" +
			"F6,411C,Gamma,6.00,2026-12-06,sdd,,CMCIFRPP,RUM3,2025-02-03,,recurrent,,,,,,,,,,\n",
	}
	for i, csv := range steps {
		tw.importBoth(t, fmt.Sprintf("step%d.csv", i), []byte(csv), false)
	}
	// A mandate blocked for a closed account, another revoked; a receivable
	// remitted, another paid.
	sql(`UPDATE mandates SET status = 'blocked', status_reason = 'AC04 on 2026-11-30 (F1): closed account' WHERE rum = 'RUM1'`)
	sql(`UPDATE mandates SET status = 'blocked', status_reason = 'MD07 on 2026-11-30 (F2): debtor deceased' WHERE rum = 'RUM2'`)
	sql(`UPDATE receivables SET status = 'remitted' WHERE document IN ('F3', 'F5')`)
	sql(`UPDATE receivables SET status = 'paid' WHERE document = 'F4'`)
	sql(`UPDATE receivables SET status = 'written_off' WHERE document = 'F9'`)
	for i, csv := range []string{
		h + "F7,411A,Alpha SA,7.00,2026-12-07,sdd,FR7630006000011234567890189,AGRIFRPP,RUM1,,,,,,,,,,,,7,yes\n" +
			"F8,411B,Beta,8.00,2026-12-08,sdd,FR1420041010050500013M02606,,RUM2,,,,,,,,,,,,0,yes\n",
		// remitted and paid: their own columns cannot change, their customers' can
		h + "F3,411C,Gamma,3.50,2026-12-03,sdd,FR1420041010050500013M02606,,RUM3,2025-01-03,,oneoff,,,,,,,,,,yes\n" +
			"F4,411D,Delta,4.00,2026-12-09,lcr,DE89370400440532013000,,,,,,,,,,,,,,,no\n",
		// written off: never collected again, its columns cannot change
		h + "F9,411D,Delta,9.50,2026-12-04,lcr,DE89370400440532013000,,,,,,,,,,,,,,,yes\n",
		h + "F5,411B,Beta Nouveau,5.00,2026-12-05,sdd,FR7630004008280001012345691,BNPAFRPP,RUM2,,,,2026-11-05,9 rue Z,,,,,,,,yes\n",
	} {
		for _, skip := range []bool{false, true} {
			tw.importBoth(t, fmt.Sprintf("later%d.csv", i), []byte(csv), skip)
		}
	}
}
