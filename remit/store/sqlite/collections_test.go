package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// checkCollections fails unless every mandate's row of mandate_collections
// is what refreshCollections computes from its items: what the run, a
// reject, a return and a cancel kept is what the rule says.
func (e *sddEnv) checkCollections(step string) {
	e.t.Helper()
	ctx := context.Background()
	tx, err := e.st.db.BeginTx(ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer tx.Rollback()
	kept := e.rows(`SELECT mandate_id, last_on || '|' || last_iban, first_on, rejected_first FROM mandate_collections ORDER BY 1`)
	if err := refreshCollections(ctx, tx, `SELECT mandate_id FROM remittance_items`); err != nil {
		e.t.Fatal(err)
	}
	rows, err := tx.Query(`SELECT mandate_id, last_on || '|' || last_iban, first_on, rejected_first FROM mandate_collections ORDER BY 1`)
	if err != nil {
		e.t.Fatal(err)
	}
	if want := scanRows(e.t, rows); kept != want {
		e.t.Errorf("%s: mandate_collections\n kept     %s\n computed %s", step, kept, want)
	}
}

func (e *sddEnv) returned(doc string, settled bool) {
	e.t.Helper()
	res, err := reject(context.Background(), e.st, e.cr, remit.ManualReject{Document: doc, Reason: "AM04",
		Date: testNow.AddDate(0, 0, 3), AfterSettlement: settled})
	if err != nil || len(res.Outcomes) != 1 || res.Outcomes[0].Status != remit.ReturnApplied {
		e.t.Fatalf("reject %s: %+v, %v", doc, res, err)
	}
}

func (e *sddEnv) wantRun(step string, o sdd.Options, want string) *collect.Result {
	e.t.Helper()
	res := e.run(o)
	if got := seqs(res, e.st); got != want {
		e.t.Errorf("%s: got  %s\nwant %s", step, got, want)
	}
	e.checkCollections(step)
	return res
}

// The summary a run reads of each mandate is kept by the run and by every
// change of an item's status, to the rule of countedCollection: a FRST
// rejected before settlement makes the next collection FRST again, an RCUR
// sent after it (RCUR-only policy) does not count, a return after
// settlement counts, a cancel takes its collections back.
func TestCollectionSummaryKeptByEveryChange(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F4", "411D", "40.00", "2026-12-01", "RUM-D", "")+
		sddLine("F5", "411D", "50.00", "2026-12-15", "RUM-D", ""))
	e.wantRun("first run", sdd.Options{}, "F1:FRST:2026-12-01 F2:FRST:2026-12-01 F4:FRST:2026-12-01 F5:RCUR:2026-12-15")
	e.returned("F1", false)
	e.checkCollections("F1's FRST rejected")
	e.returned("F2", true)
	e.checkCollections("F2's FRST returned after settlement")
	e.returned("F4", false)
	e.checkCollections("F4's FRST rejected, F5's RCUR pending")

	e.point("F1")
	e.wantRun("F1 again", sdd.Options{}, "F1:FRST:2026-12-01")
	importString(t, e.st, e.cr, sddHeader+sddLine("F6", "411D", "60.00", "2026-12-20", "RUM-D", ""), remit.ImportOptions{})
	e.wantRun("RCUR-only after the rejected FRST", sdd.Options{RCUROnly: new(true)}, "F6:RCUR:2026-12-21")

	// D's RCURs followed its rejected FRST: none counts, FRST again; B's
	// return after settlement counts: RCUR.
	importString(t, e.st, e.cr, sddHeader+sddLine("F7", "411D", "70.00", "2027-01-04", "RUM-D", "")+
		sddLine("F9", "411B", "90.00", "2027-01-04", "RUM-B", ""), remit.ImportOptions{})
	res := e.wantRun("after them", sdd.Options{}, "F7:FRST:2027-01-04 F9:RCUR:2027-01-04")
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.checkCollections("cancelled")
	e.wantRun("after the cancel", sdd.Options{}, "F7:FRST:2027-01-04 F9:RCUR:2027-01-04")
	importString(t, e.st, e.cr, sddHeader+sddLine("F10", "411D", "10.00", "2027-01-05", "RUM-D", ""), remit.ImportOptions{})
	e.wantRun("after the new FRST", sdd.Options{}, "F10:RCUR:2027-01-05")

	// Two remittances on one mandate: the newer's cancel puts its row back
	// as it was before it, the older's computes it again.
	importString(t, e.st, e.cr, sddHeader+sddLine("F11", "411C", "10.00", "2027-02-01", "RUM-C", ""), remit.ImportOptions{})
	older := e.wantRun("older", sdd.Options{}, "F11:FRST:2027-02-01")
	importString(t, e.st, e.cr, sddHeader+sddLine("F12", "411C", "10.00", "2027-03-01", "RUM-C", ""), remit.ImportOptions{})
	newer := e.wantRun("newer", sdd.Options{}, "F12:RCUR:2027-03-01")
	for _, r := range []*collect.Result{newer, older} {
		if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, r.Remittances[0].ID); err != nil {
			t.Fatal(err)
		}
		e.checkCollections("cancelled " + r.Remittances[0].Ref)
	}
	e.wantRun("both again", sdd.Options{}, "F11:FRST:2027-02-01 F12:RCUR:2027-03-01")

	// The older cancelled first: the newer's row is computed again then,
	// and again at the newer's cancel (it no longer holds what was before).
	importString(t, e.st, e.cr, sddHeader+sddLine("F13", "411C", "10.00", "2027-04-01", "RUM-C", ""), remit.ImportOptions{})
	older = e.wantRun("older again", sdd.Options{}, "F13:RCUR:2027-04-01")
	importString(t, e.st, e.cr, sddHeader+sddLine("F14", "411C", "10.00", "2027-05-03", "RUM-C", ""), remit.ImportOptions{})
	newer = e.wantRun("newer again", sdd.Options{}, "F14:RCUR:2027-05-03")
	for _, r := range []*collect.Result{older, newer} {
		if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, r.Remittances[0].ID); err != nil {
			t.Fatal(err)
		}
		e.checkCollections("cancelled " + r.Remittances[0].Ref + ", older first")
	}
}

// A database of the version before the summary rows kept their values
// before a run (migration *_collections_undo.sql), with a remittance not
// yet sent: after the migration, its cancel computes the rows again.
func TestMigrationKeepsNoUndoValues(t *testing.T) {
	st, cr := newTestStore(t)
	e := &sddEnv{t: t, st: st, cr: cr, out: t.TempDir()}
	importString(t, st, cr, sddHeader+sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""), remit.ImportOptions{})
	e.run(sdd.Options{})
	importString(t, st, cr, sddHeader+sddLine("F3", "411A", "30.00", "2027-01-04", "RUM-A", "")+
		sddLine("F4", "411C", "40.00", "2027-01-04", "RUM-C", ""), remit.ImportOptions{})
	res := e.run(sdd.Options{})
	made := 0 // the version whose migration added the undo columns
	for _, m := range migrations() {
		if strings.HasSuffix(m.name, "_collections_undo.sql") {
			made = m.version
		}
	}
	// The table as the version before had it, its rows as its run kept
	// them, and the items' index of that version.
	downgrade := append([]string{`ALTER TABLE mandate_collections DROP COLUMN undo_remittance`,
		`ALTER TABLE mandate_collections DROP COLUMN undo_last_on`, `ALTER TABLE mandate_collections DROP COLUMN undo_last_iban`,
		`ALTER TABLE mandate_collections DROP COLUMN undo_first_on`, `ALTER TABLE mandate_collections DROP COLUMN debtor_id`,
		`ALTER TABLE remittances DROP COLUMN longest_customer`}, append(undoCollectionReversals(t), itemsMandateIndexV14...)...)
	for _, q := range append(downgrade, fmt.Sprintf(`PRAGMA user_version = %d`, made-1)) {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if from, to, err := Init(st.Path, Options{}); err != nil || from != made-1 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(st.Path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e.st = st
	if n := e.rows(`SELECT count(*), 0, 0, 0 FROM mandate_collections WHERE undo_remittance IS NULL`); n != "3:0:0:0" {
		t.Fatalf("%s rows without undo values, want 3", n)
	}
	if _, err := collect.Cancel(context.Background(), st, cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.checkCollections("cancelled after the migration")
	if got := e.rows(`SELECT mandate_id, last_on, first_on, rejected_first FROM mandate_collections`); got != "1:2026-12-01:2026-12-01:0 2:2026-12-01:2026-12-01:0 3:::0" {
		t.Errorf("after the cancel: %s", got)
	}
}

// The migration that made mandate_collections fills it from the items of a
// database of the version before: the rows are those the runs, rejects, returns and cancels of
// TestCollectionSummaryKeptByEveryChange kept.
func TestMigrationFillsCollectionSummary(t *testing.T) {
	e := collectionsScenario(t)
	st := e.st
	// the columns the migration fills (not what a cancel would put back)
	const summary = `(SELECT mandate_id, last_on, last_iban, first_on, rejected_first FROM mandate_collections)`
	want := tableRows(t, st.db, summary)
	if n := e.rows(`SELECT count(*), 0, 0, 0 FROM mandate_collections`); n != "4:0:0:0" {
		t.Fatalf("%s mandates summed up, want 4", n)
	}
	made := migrationVersion(t, "_mandate_collections.sql") // the version that made mandate_collections
	// Back to the version before, without the columns and the index later ones changed elsewhere.
	downgrade := append([]string{`DROP TABLE mandate_collections`, `ALTER TABLE remittances DROP COLUMN longest_customer`},
		append(undoCollectionReversals(t), itemsMandateIndexV14...)...)
	for _, q := range append(downgrade, fmt.Sprintf(`PRAGMA user_version = %d`, made-1)) {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st = e.reopen()
	if got := tableRows(t, st.db, summary); got != want {
		t.Errorf("migrated\n%s\nwant\n%s", got, want)
	}
	// The remittances made before keep the longest customer of the range of
	// their snapshots' ids, what their slips printed.
	if got := e.rows(`SELECT r.id, r.longest_customer, (SELECT d.customer FROM debtor_snapshots d
			WHERE d.id BETWEEN (SELECT min(debtor_id) FROM remittance_items WHERE remittance_id = r.id)
				AND (SELECT max(debtor_id) FROM remittance_items WHERE remittance_id = r.id)
			ORDER BY length(d.customer) DESC, d.customer LIMIT 1), 0 FROM remittances r ORDER BY r.id`); got !=
		"1:411A:411A:0 2:411C:411C:0 3:411C:411C:0" {
		t.Errorf("longest customers migrated: %s", got)
	}
}

// collectionsScenario runs, rejects, returns and cancels collections on
// four mandates, as TestCollectionSummaryKeptByEveryChange.
func collectionsScenario(t *testing.T) *sddEnv {
	st, cr := newTestStore(t)
	e := &sddEnv{t: t, st: st, cr: cr, out: t.TempDir()}
	importString(t, st, cr, sddHeader+sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F4", "411D", "40.00", "2026-12-01", "RUM-D", "")+
		sddLine("F5", "411D", "50.00", "2026-12-15", "RUM-D", ""), remit.ImportOptions{})
	e.run(sdd.Options{})
	e.returned("F1", false)
	e.returned("F2", true)
	e.returned("F4", false)
	importString(t, st, cr, sddHeader+sddLine("F6", "411D", "60.00", "2026-12-20", "RUM-D", "")+
		sddLine("F7", "411C", "70.00", "2026-12-20", "RUM-C", ""), remit.ImportOptions{})
	e.run(sdd.Options{RCUROnly: new(true)})
	importString(t, st, cr, sddHeader+sddLine("F8", "411C", "80.00", "2027-01-04", "RUM-C", ""), remit.ImportOptions{})
	res := e.run(sdd.Options{})
	if _, err := collect.Cancel(context.Background(), st, cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// reopen closes the store, migrates its database and opens it again.
func (e *sddEnv) reopen() *Store {
	e.t.Helper()
	e.st.Close()
	if _, _, err := Init(e.st.Path, Options{}); err != nil {
		e.t.Fatal(err)
	}
	st, err := Open(e.st.Path, Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	e.st = st
	return st
}

// No index of the items begins with the mandate: a run's items would land
// all over it, so that its upkeep grew with the history (issue 22).
func TestItemsHaveNoMandateFirstIndex(t *testing.T) {
	st, _ := newTestStore(t)
	if got := mandateFirstIndexes(t, st); got != "" {
		t.Errorf("indexes of remittance_items beginning with mandate_id: %s", got)
	}
}

func mandateFirstIndexes(t *testing.T, st *Store) string {
	t.Helper()
	var names string
	err := st.db.QueryRow(`SELECT COALESCE(group_concat(l.name, ' '), '') FROM pragma_index_list('remittance_items') l
		WHERE (SELECT name FROM pragma_index_info(l.name) WHERE seqno = 0) = 'mandate_id'`).Scan(&names)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// A database of schema version 16, with collections in it, loses the
// mandate's index of the items; remit mandates, the summary rows and their
// computing again say the same after as before, and a run and its cancel
// that follow keep them as the rule says.
func TestMigrationDropsItemsMandateIndex(t *testing.T) {
	e := collectionsScenario(t)
	mandates := func() string {
		ms, err := mandateList(context.Background(), e.st, e.cr.ID, remit.MandateFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(ms)
	}
	wantMandates, wantRows := mandates(), tableRows(t, e.st.db, "mandate_collections")
	v := migrationVersion(t, "_items_mandate_by_remittance.sql")
	for _, q := range append(append(undoCollectionReversals(t), itemsMandateIndexV14...), fmt.Sprintf(`PRAGMA user_version = %d`, v-1)) {
		if _, err := e.st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if got := mandateFirstIndexes(t, e.st); got != "remittance_items_mandate" {
		t.Fatalf("before: %q", got)
	}
	e.reopen()
	if got := mandateFirstIndexes(t, e.st); got != "" {
		t.Errorf("migrated: indexes of remittance_items beginning with mandate_id: %s", got)
	}
	if got := mandates(); got != wantMandates {
		t.Errorf("migrated: remit mandates\n%s\nwant\n%s", got, wantMandates)
	}
	if got := tableRows(t, e.st.db, "mandate_collections"); got != wantRows {
		t.Errorf("migrated: mandate_collections\n%s\nwant\n%s", got, wantRows)
	}
	e.checkCollections("migrated")
	importString(t, e.st, e.cr, sddHeader+sddLine("F9", "411C", "90.00", "2027-01-04", "RUM-C", ""), remit.ImportOptions{})
	res := e.wantRun("after the migration", sdd.Options{}, "F8:RCUR:2027-01-04 F9:RCUR:2027-01-04")
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.checkCollections("cancelled after the migration")
	if got := mandates(); got != wantMandates {
		t.Errorf("cancelled after the migration: remit mandates\n%s\nwant\n%s", got, wantMandates)
	}
}

// itemsMandateIndexV14 puts back the index of a mandate's items of schema
// versions 13 to 16, which version 17 replaced.
var itemsMandateIndexV14 = []string{`DROP INDEX remittance_items_remittance_mandate`,
	`CREATE INDEX remittance_items_mandate ON remittance_items(mandate_id, status, collection_date, sequence_type, debtor_id)`}

// migrationVersion is the version of the migration whose file name ends with suffix.
func migrationVersion(t *testing.T, suffix string) int {
	t.Helper()
	for _, m := range migrations() {
		if strings.HasSuffix(m.name, suffix) {
			return m.version
		}
	}
	t.Fatalf("no migration *%s", suffix)
	return 0
}
