package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/storetest"
)

// collectionLines are pointed direct debits on CORE mandates, each
// "document customer due-date".
func collectionLines(lines ...string) []byte {
	ibans := map[string]string{"411A": "FR7630004008280001012345691", "411B": "FR7630006000011234567890189",
		"411C": "FR1420041010050500013M02606", "411D": "DE89370400440532013000"}
	var b strings.Builder
	b.WriteString("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,scheme,town,country,pointed\n")
	for _, l := range lines {
		f := strings.Fields(l)
		fmt.Fprintf(&b, "%s,%s,Client %s,10.00,%s,sdd,%s,RUM-%s,2025-01-15,CORE,Lyon,FR,yes\n", f[0], f[1], f[1], f[2], ibans[f[1]], f[1])
	}
	return []byte(b.String())
}

// Both stores keep the same collection summaries through runs, rejects,
// returns and a cancel; and PostgreSQL's migration that made the table
// fills it from the items of a database of the version before as it was kept.
func TestMigrationFillsCollectionSummary(t *testing.T) {
	tw := newTwins(t)
	ctx := context.Background()
	run := func(o sdd.Options) [2]int64 {
		t.Helper()
		var ids [2]int64
		for i, st := range tw.stores() {
			o.OutDir, o.LeadDays = t.TempDir(), 1
			res, err := collect.Run(ctx, st, tw.cr[i], sdd.Job(o))
			if err != nil || len(res.Remittances) != 1 {
				t.Fatalf("sdd (store %d): %+v, %v", i, res, err)
			}
			ids[i] = res.Remittances[0].ID
		}
		return ids
	}
	returned := func(doc string, settled bool) {
		t.Helper()
		for i, st := range tw.stores() {
			b, _ := remit.ManualReject{Document: doc, Reason: "AM04", Date: twinNow.AddDate(0, 0, 3), AfterSettlement: settled}.Batch()
			if out, err := st.ApplyReturns(ctx, tw.cr[i], b); err != nil || out.Outcomes[0].Status != remit.ReturnApplied {
				t.Fatalf("reject %s (store %d): %+v, %v", doc, i, out, err)
			}
		}
	}
	tw.importBoth(t, "1.csv", collectionLines("F1 411A 2026-12-10", "F2 411B 2026-12-10", "F4 411D 2026-12-10", "F5 411D 2026-12-21"), false)
	run(sdd.Options{})
	returned("F1", false)
	returned("F2", true)
	returned("F4", false)
	tw.importBoth(t, "2.csv", collectionLines("F6 411D 2026-12-28", "F7 411C 2026-12-28"), false)
	run(sdd.Options{RCUROnly: new(true)})
	tw.importBoth(t, "3.csv", collectionLines("F8 411C 2027-01-04"), false)
	ids := run(sdd.Options{})
	for i, st := range tw.stores() {
		if _, err := collect.Cancel(ctx, st, tw.cr[i].ID, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	q := []string{`SELECT mandate_id, last_on, last_iban, first_on, rejected_first, debtor_id FROM mandate_collections ORDER BY mandate_id`}
	tw.same(t, "kept", q)
	_, want := tw.tables(t, q)
	if n := strings.Count(want, "\n"); n != 5 {
		t.Fatalf("%d mandates summed up, want 4:\n%s", n-1, want)
	}
	v, made := postgres.SchemaVersion(), migrationVersion(t, "_mandate_collections.sql") // made: the version that made mandate_collections
	// Back to the version before, without the columns later ones added elsewhere.
	downgrade := append([]string{`DROP TABLE mandate_collections`, `ALTER TABLE remittances DROP COLUMN longest_customer`},
		append(undoCollectionReversals(t), itemsMandateIndexV14...)...)
	for _, s := range append(downgrade, fmt.Sprintf(`UPDATE schema_version SET version = %d`, made-1)) {
		if _, err := tw.pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if from, to, err := postgres.Init(tw.dsn, postgres.Options{}); err != nil || from != made-1 || to != v {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	if _, got := tw.tables(t, q); got != want {
		t.Errorf("migrated\n%s\nwant\n%s", got, want)
	}

	// From the version before, with these collections in it: the mandate's
	// index of the items goes; remit mandates says what SQLite says.
	before := migrationVersion(t, "_items_mandate_by_remittance.sql") - 1
	for _, s := range append(append(undoCollectionReversals(t), itemsMandateIndexV14...),
		fmt.Sprintf(`UPDATE schema_version SET version = %d`, before)) {
		if _, err := tw.pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if from, to, err := postgres.Init(tw.dsn, postgres.Options{}); err != nil || from != before || to != v {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	tw.same(t, "migrated from the version before", q)
	var indexes string
	if err := tw.pool.QueryRow(ctx, `SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
		WHERE tablename = 'remittance_items' AND indexname LIKE '%mandate%'`).Scan(&indexes); err != nil || indexes != "remittance_items_remittance_mandate" {
		t.Errorf("migrated from the version before: indexes %q, %v", indexes, err)
	}
	if listed := tw.mandates(t); listed[0] != listed[1] || !strings.Contains(listed[1], "2026-12-28") {
		t.Errorf("remit mandates after the migration:\nSQLite     %s\nPostgreSQL %s", listed[0], listed[1])
	}
}

// mandates is remit mandates on each store, SQLite's first.
func (tw *twins) mandates(t *testing.T) (listed [2]string) {
	t.Helper()
	for i, st := range tw.stores() {
		ms, err := storetest.MandateList(context.Background(), st, tw.cr[i].ID, remit.MandateFilter{})
		if err != nil {
			t.Fatal(err)
		}
		listed[i] = fmt.Sprint(ms)
	}
	return listed
}

// itemsMandateIndexV14 puts back the index of a mandate's items of schema
// versions 13 to 16, which version 17 replaced.
var itemsMandateIndexV14 = []string{`DROP INDEX remittance_items_remittance_mandate`,
	`CREATE INDEX remittance_items_mandate ON remittance_items(mandate_id, status, collection_date, sequence_type, debtor_id)`}

// migrationVersion is the version of the migration whose file name ends with suffix.
func migrationVersion(t *testing.T, suffix string) int {
	t.Helper()
	names, err := filepath.Glob("migrations/*" + suffix)
	if err != nil || len(names) != 1 {
		t.Fatalf("the migration *%s: %v, %v", suffix, names, err)
	}
	var v int
	fmt.Sscanf(filepath.Base(names[0]), "%d_", &v)
	return v
}

// Both stores write a debtor's snapshot only when it changed: the second
// run takes A's and D's from the first and writes B's anew (its name
// changed), and the summary rows name each mandate's latest; the first
// run's items keep theirs.
func TestDebtorSnapshotsOnlyWhenChanged(t *testing.T) {
	tw := newTwins(t)
	ctx := context.Background()
	run := func() {
		t.Helper()
		for i, st := range tw.stores() {
			res, err := collect.Run(ctx, st, tw.cr[i], sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir()}, LeadDays: 1}))
			if err != nil || len(res.Remittances) != 1 {
				t.Fatalf("sdd (store %d): %+v, %v", i, res, err)
			}
		}
	}
	tw.importBoth(t, "1.csv", collectionLines("F1 411A 2026-12-10", "F2 411B 2026-12-10", "F4 411D 2026-12-10"), false)
	run()
	renamed := strings.Replace(string(collectionLines("F5 411A 2027-01-04", "F6 411B 2027-01-04", "F7 411D 2027-01-04")),
		"Client 411B", "Client B renamed", 1)
	tw.importBoth(t, "2.csv", []byte(renamed), false)
	run()
	q := []string{`SELECT id, customer, name, iban, rum FROM debtor_snapshots ORDER BY id`,
		`SELECT document, debtor_id FROM remittance_items ORDER BY document`,
		`SELECT mandate_id, debtor_id FROM mandate_collections ORDER BY mandate_id`}
	tw.same(t, "snapshots", q)
	want := `[1 411A Client 411A FR7630004008280001012345691 RUM-411A]
[2 411B Client 411B FR7630006000011234567890189 RUM-411B]
[3 411D Client 411D DE89370400440532013000 RUM-411D]
[4 411B Client B renamed FR7630006000011234567890189 RUM-411B]
--
[F1 1]
[F2 2]
[F4 3]
[F5 1]
[F6 4]
[F7 3]
--
[1 1]
[2 4]
[3 3]
--
`
	if sq, _ := tw.tables(t, q); sq != want {
		t.Errorf("snapshots, items, summary rows:\n%s\nwant\n%s", sq, want)
	}
}
