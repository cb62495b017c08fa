package importcsv_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store/sqlite"
)

// corpusStore is a new SQLite store with its creditor, and a connection of
// the test's own to read what imports write.
func corpusStore(t *testing.T) (*sqlite.Store, *sql.DB, remit.Creditor) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := sqlite.Init(path, sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	st, err := sqlite.Open(path, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cr, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	return st, db, cr
}

// fuzzTables are the tables an import writes, in the order they are reset.
var fuzzTables = []string{"mandate_history", "receivables", "mandates", "customers", "imports"}

// importState summarises what an import may have written: every column of
// every row it may have touched, except the bookkeeping of which import last
// wrote a receivable (import_id), and with imports when withImports.
func importState(t testing.TB, db *sql.DB, withImports bool) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT account, name, street, building, postcode, town, country, priority, iban, bic, bank_name, siren FROM customers ORDER BY id`,
		`SELECT rum, customer_id, signed_on, scheme, kind, status, iban, bic, previous_iban, original_rum, original_ics FROM mandates ORDER BY id`,
		`SELECT mandate_id, collected_on, iban, sequence_type FROM mandate_history ORDER BY rowid`,
		`SELECT document, customer_id, issue_date, due_date, amount, currency, method, journal, COALESCE(mandate_id, 0), acceptance,
			label, status, refusal, line_hash FROM receivables ORDER BY id`,
		`SELECT file, sha256, lines, inserted, updated, unchanged, rejected FROM imports ORDER BY id`,
	} {
		if !withImports && strings.Contains(q, "FROM imports") {
			continue
		}
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// importExisting is in the database before each input of TestImportCorpus,
// so that inputs can update it.
const importExisting = "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n" +
	"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"

// TestImportCorpus: on every input of FuzzImport's seeds and corpus
// (testdata/fuzz/FuzzImport), Import into the SQLite store never fails but for the input; what it
// accepts, a second import of the same bytes reports as all unchanged and
// leaves as it is; what it refuses leaves the database as it was. The same
// holds with --skip-invalid, where the refused lines are the rejects.
func TestImportCorpus(t *testing.T) {
	inputs := importcsv.ImportSeeds()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzImport", "*"))
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
	st, db, cr := corpusStore(t)
	ctx := context.Background()
	for i, data := range inputs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			for _, table := range fuzzTables {
				if _, err := db.Exec("DELETE FROM " + table); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := importcsv.Import(ctx, st, strings.NewReader(importExisting), remit.ImportOptions{Creditor: cr, File: "existing.csv"}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, skip := range []bool{false, true} {
				o := remit.ImportOptions{Creditor: cr, File: "fuzz.csv", SkipInvalid: skip, RejectPath: filepath.Join(dir, "rejects.csv")}
				before := importState(t, db, true)
				res, err := importcsv.Import(ctx, st, bytes.NewReader(data), o)
				if err != nil {
					var le *remit.LineError
					if !errors.Is(err, remit.ErrImportInvalid) && !errors.As(err, &le) {
						t.Fatalf("skip %v: an error that is not about the input: %v", skip, err)
					}
					// With --skip-invalid only the whole file is refused: a
					// problem in its header, or a line over the limits.
					if res != nil && skip && !slices.ContainsFunc(res.Problems, func(p *remit.LineError) bool {
						return p.Line == 1 || errors.Is(p, csvread.ErrTooLong)
					}) {
						t.Fatalf("skip %v: refused with a result, and no problem in the header: %v", skip, err)
					}
					if after := importState(t, db, true); after != before {
						t.Fatalf("skip %v: refused (%v), but the database changed:\n%s\nvs\n%s", skip, err, before, after)
					}
					continue
				}
				if res.Inserted+res.Updated+res.Unchanged+res.Rejected != res.Lines {
					t.Fatalf("skip %v: %d lines but %d new, %d updated, %d unchanged, %d rejected",
						skip, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected)
				}
				if res.Rejected > 0 && !skip {
					t.Fatalf("rejected %d lines without --skip-invalid", res.Rejected)
				}
				first := importState(t, db, false)
				again, err := importcsv.Import(ctx, st, bytes.NewReader(data), o)
				if err != nil {
					t.Fatalf("skip %v: accepted once, refused the second time: %v", skip, err)
				}
				if again.Lines != res.Lines || again.Inserted != 0 || again.Updated != 0 || again.Rejected != res.Rejected ||
					again.Unchanged != res.Lines-res.Rejected {
					t.Fatalf("skip %v: second import of the same bytes: %d lines, %d new, %d updated, %d unchanged, %d rejected; first: %d lines, %d rejected",
						skip, again.Lines, again.Inserted, again.Updated, again.Unchanged, again.Rejected, res.Lines, res.Rejected)
				}
				if second := importState(t, db, false); second != first {
					t.Fatalf("skip %v: the second import changed the database:\n%s\nvs\n%s", skip, first, second)
				}
			}
		})
	}
}
