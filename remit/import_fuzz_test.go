package remit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
)

// fuzzTables are the tables an import writes, in the order they are reset.
var fuzzTables = []string{"mandate_history", "receivables", "mandates", "customers", "imports"}

// importState summarises what an import may have written: every column of
// every row it may have touched, except the bookkeeping of which import last
// wrote a receivable (import_id), and with imports when withImports.
func importState(t testing.TB, st *Store, withImports bool) string {
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
		rows, err := st.DB.Query(q)
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

// FuzzImport: Import never panics and never fails but for the input; what
// it accepts, a second import of the same bytes reports as all unchanged
// and leaves as it is; what it refuses leaves the database as it was. The
// same holds with --skip-invalid, where the refused lines are the rejects.
func FuzzImport(f *testing.F) {
	for _, name := range fixtures.Names {
		if data, err := fixtures.Dated(name, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("document,customer,name,amount,due_date\nF1,411A,A,1.00,2026-12-01\nF1,411A,A,1.00,2026-12-01\n"))
	f.Add([]byte("document;customer;name;amount;due_date;pointed\nF1;411A;\"A;B\";1,00;01/12/2026;oui\nF2;411A;A;2;2026-12-02;non\n"))
	// F1 is in the database (see existing below) with these values: the same
	// document again with others is a conflict, whichever line comes first.
	f.Add([]byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n" +
		"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n" +
		"F1,411A,A,2.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"))
	f.Add([]byte("document,customer,name,amount,due_date\nF2,411B,B,1.00,2026-12-01\n\"F3,411B,B,1.00,2026-12-01\nF4,411B,B,1.00,2026-12-01\n"))

	st, cr := newTestStore(f)
	ctx := context.Background()
	// A receivable already in the database, so that inputs can update it.
	const existing = "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n" +
		"F1,411A,A,1.00,2026-12-01,sdd,FR7630004008280001012345691,RUM1,2025-01-01\n"

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, table := range fuzzTables {
			if _, err := st.DB.Exec("DELETE FROM " + table); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Import(ctx, strings.NewReader(existing), ImportOptions{Creditor: cr, File: "existing.csv"}); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, skip := range []bool{false, true} {
			o := ImportOptions{Creditor: cr, File: "fuzz.csv", SkipInvalid: skip, RejectPath: filepath.Join(dir, "rejects.csv")}
			before := importState(t, st, true)
			res, err := st.Import(ctx, bytes.NewReader(data), o)
			if err != nil {
				var le *LineError
				if !errors.Is(err, ErrImportInvalid) && !errors.As(err, &le) {
					t.Fatalf("skip %v: an error that is not about the input: %v", skip, err)
				}
				if res != nil && skip && !slices.ContainsFunc(res.Problems, func(p *LineError) bool { return p.Line == 1 }) {
					t.Fatalf("skip %v: refused with a result, and no problem in the header: %v", skip, err)
				}
				if after := importState(t, st, true); after != before {
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
			first := importState(t, st, false)
			again, err := st.Import(ctx, bytes.NewReader(data), o)
			if err != nil {
				t.Fatalf("skip %v: accepted once, refused the second time: %v", skip, err)
			}
			if again.Lines != res.Lines || again.Inserted != 0 || again.Updated != 0 || again.Rejected != res.Rejected ||
				again.Unchanged != res.Lines-res.Rejected {
				t.Fatalf("skip %v: second import of the same bytes: %d lines, %d new, %d updated, %d unchanged, %d rejected; first: %d lines, %d rejected",
					skip, again.Lines, again.Inserted, again.Updated, again.Unchanged, again.Rejected, res.Lines, res.Rejected)
			}
			if second := importState(t, st, false); second != first {
				t.Fatalf("skip %v: the second import changed the database:\n%s\nvs\n%s", skip, first, second)
			}
		}
	})
}
