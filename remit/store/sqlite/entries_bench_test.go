package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
)

// benchCollection is a store holding one SDD remittance of n items whose
// entries are not written yet.
type benchCollection struct {
	st *Store
	r  remit.Remittance
}

func newBenchCollection(tb testing.TB, n int) *benchCollection {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "remit.db")
	if _, _, err := Init(path, Options{}); err != nil {
		tb.Fatal(err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		tb.Fatal(err)
	}
	ibans := []string{"FR7630004008280001012345691", "FR7630006000011234567890189", "FR1420041010050500013M02606"}
	var b strings.Builder
	b.WriteString(sddHeader)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "F%06d,411C%05d,Client %d SARL,%d.%02d,2026-12-%02d,sdd,%s,,RUM-%06d,2025-01-15,CORE,,,Rue des Écoles,3,69002,Lyon,FR,EUR,yes,Facture %d\n",
			i, i, i, 10+i%5000, i%100, 1+i%28, ibans[i%len(ibans)], i, i)
	}
	if res, err := importcsv.Import(ctx, st, strings.NewReader(b.String()), remit.ImportOptions{Creditor: cr, File: filepath.Join(tb.TempDir(), "in.csv")}); err != nil {
		tb.Fatalf("import: %v %v", err, res.Problems)
	}
	if err := st.SetEntryOptions(accounting.Options{Disabled: true}); err != nil {
		tb.Fatal(err)
	}
	res, err := collect.Run(ctx, st, cr, sdd.Job(sdd.Options{LeadDays: 1, Common: collect.Common{OutDir: tb.TempDir()}}))
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Remittances) != 1 || res.Remittances[0].Count != n {
		tb.Fatalf("%d remittances", len(res.Remittances))
	}
	return &benchCollection{st: st, r: res.Remittances[0]}
}

// write writes the remittance's collection entries in a transaction it
// rolls back, and returns the number of lines written.
func (c *benchCollection) write(tb testing.TB, o accounting.Options) int {
	ctx := context.Background()
	o, err := o.Normalize()
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := c.st.db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	if err := writeCollectionEntries(ctx, tx, o, testNow, c.r); err != nil {
		tb.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkCollectionEntries measures the remittance hook that writes the
// accounting entries of a 10,000-item SDD remittance, in ns per item.
func BenchmarkCollectionEntries(b *testing.B) {
	const items = 10000
	c := newBenchCollection(b, items)
	for _, bc := range []struct {
		name string
		o    accounting.Options
	}{
		{"per-payment", accounting.Options{}},
		{"centralised", accounting.Options{Centralize: true}},
		{"masked-by-date", accounting.Options{Counterpart: "09AAMM00", Date: accounting.DateCollection}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if n := c.write(b, bc.o); n < items {
					b.Fatalf("%d lines", n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*items), "ns/item")
		})
	}
}
