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
	"github.com/remit-dev/remit/remit/testtool/pgtest"
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
	// A session sends its counters to the shared statistics as it ends
	// (remit's commands are processes of their own), or within a second
	// once idle: wait until they show the import.
	st.Pool.Reset()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var changed int64
		if err := pool.QueryRow(ctx, `SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'receivables'`).Scan(&changed); err != nil {
			t.Fatal(err)
		}
		if changed >= 2000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import's changes not counted after 30 s: %d", changed)
		}
	}
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

// A database copied from another (CREATE DATABASE … TEMPLATE, as a
// restore does) starts with its change counters at zero, whatever its
// statistics say: a run on it gathers them first. Here the copy's
// statistics say every receivable is open when all are pointed; planned
// on them, a run of a million debits once took 503 s instead of 24 s.
func TestRunGathersStatisticsOfACopiedDatabase(t *testing.T) {
	ctx := context.Background()
	pool, dsn := newPostgres(t)
	now := func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) }
	st, err := postgres.Open(dsn, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	csv.WriteString("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed\n")
	for i := range 2000 {
		fmt.Fprintf(&csv, "F%d,411C%d,Client %d,1.00,2026-12-10,sdd,FR7630004008280001012345691,RUM%d,2025-01-01\n", i, i, i, i)
	}
	if _, err := importcsv.Import(ctx, st, &csv, remit.ImportOptions{Creditor: cr, File: "big.csv"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ANALYZE`, `UPDATE receivables SET status = 'pointed'`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	pool.Close()
	copied := pgtest.Clone(t, dsn)
	cp, err := postgres.Open(copied, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var analyzed, live int
	if err := cp.Pool.QueryRow(ctx, `SELECT count(last_analyze), sum(n_live_tup + n_mod_since_analyze) FROM pg_stat_user_tables
		WHERE relname = 'receivables'`).Scan(&analyzed, &live); err != nil {
		t.Fatal(err)
	}
	if analyzed != 0 || live != 0 {
		t.Fatalf("the copy's counters: analyzed %d, live and changed %d; want them at zero", analyzed, live)
	}
	err = cp.Run(ctx, func(tx store.RunTx) error {
		c, err := tx.PointedDebits(ctx, cr.ID)
		if err != nil {
			return err
		}
		return c.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Pool.QueryRow(ctx, `SELECT count(last_analyze) FROM pg_stat_user_tables WHERE relname = 'receivables'`).Scan(&analyzed); err != nil {
		t.Fatal(err)
	}
	if analyzed != 1 {
		t.Error("the run did not gather the statistics of the copy's receivables")
	}
}
