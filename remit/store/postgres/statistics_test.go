package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/postgres"
)

// A run on tables an import just filled gathers their statistics first:
// planned on the statistics of the empty tables, a run of a million debits
// once took minutes instead of seconds. (Only an explicit ANALYZE sets
// last_analyze; autovacuum's sets last_autoanalyze.)
func TestRunGathersStaleStatistics(t *testing.T) {
	ctx := context.Background()
	pool, dsn := newPostgres(t)
	st, err := postgres.Open(dsn, postgres.Options{Now: func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	csv.WriteString("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,pointed\n")
	for i := range 2000 {
		fmt.Fprintf(&csv, "F%d,411C%d,Client %d,1.00,2026-12-10,sdd,FR7630004008280001012345691,RUM%d,2025-01-01,yes\n", i, i, i, i)
	}
	if _, err := importcsv.Import(ctx, st, &csv, remit.ImportOptions{Creditor: cr, File: "big.csv"}); err != nil {
		t.Fatal(err)
	}
	analyzed := func() (n int) {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('receivables', 'customers', 'mandates')
			AND last_analyze IS NOT NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// An idle session sends its counters to the shared statistics within
	// a second; remit's commands are processes of their own, which send
	// theirs as they exit.
	st.Pool.Reset()
	time.Sleep(1500 * time.Millisecond)
	if n := analyzed(); n != 0 {
		t.Fatalf("%d tables analyzed before the run", n)
	}
	err = st.Run(ctx, func(tx store.RunTx) error {
		c, err := tx.PointedDebits(ctx, cr.ID)
		if err != nil {
			return err
		}
		defer c.Close()
		n := 0
		for c.Next() {
			n++
		}
		if n != 2000 {
			t.Errorf("%d pointed debits, want 2000", n)
		}
		return c.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := analyzed(); n != 3 {
		t.Errorf("%d of receivables, customers and mandates analyzed by the run, want 3", n)
	}
}
