package postgres_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// A cancel numbers the lines of each reversal from 1 in the order of the
// lines it reverses, even when those are not numbered 1 to n (remit
// writes none so; a reversal then takes a second, ordered pass).
func TestCancelRenumbersAReversal(t *testing.T) {
	ctx, now := context.Background(), time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(dsn, postgres.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME", ICS: "FR72ZZZ123456", IBAN: "FR7630004008280001012345691",
		BIC: "BNPAFRPP", NNE: "123456", Address: remit.Address{Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fixtures.Dated("receivables.csv", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importcsv.Import(ctx, st, bytes.NewReader(data), remit.ImportOptions{Creditor: cr, File: "receivables.csv",
		RejectPath: filepath.Join(t.TempDir(), "rejects.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Point(ctx, cr.ID, remit.Filter{DueTo: now.AddDate(0, 0, 60)}, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryOptions(accounting.Options{Date: accounting.DateCollection}); err != nil {
		t.Fatal(err)
	}
	res, err := collect.Run(ctx, st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir()}, LeadDays: 1}))
	if err != nil || len(res.Remittances) == 0 {
		t.Fatalf("sdd: %+v, %v", res, err)
	}
	rem := res.Remittances[len(res.Remittances)-1]
	run(t, dsn, "UPDATE entry_lines SET line = line + 100")
	if _, err := collect.Cancel(ctx, st, cr.ID, rem.ID); err != nil {
		t.Fatal(err)
	}
	type key struct {
		journal string
		number  int64
	}
	next, n := map[key]int{}, 0
	if err := st.Entries(ctx, cr.ID, accounting.EntryFilter{Remittances: []int64{rem.ID}}, func(en accounting.Entry) error {
		if en.Kind == accounting.KindReversal {
			k := key{en.Journal, en.Number}
			if next[k]++; en.Line != next[k] {
				t.Errorf("reversal %s/%d: line %d, want %d", en.Journal, en.Number, en.Line, next[k])
			}
			n++
		}
		return nil
	}); err != nil || n == 0 {
		t.Fatalf("%d reversal lines, %v", n, err)
	}
}
