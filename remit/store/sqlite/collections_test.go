package sqlite

import (
	"context"
	"fmt"
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
}

// The migration that made mandate_collections fills it from the items of a
// database of the version before: the rows are those the runs, rejects, returns and cancels of
// TestCollectionSummaryKeptByEveryChange kept.
func TestMigrationFillsCollectionSummary(t *testing.T) {
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
	want := tableRows(t, st.db, "mandate_collections")
	if n := e.rows(`SELECT count(*), 0, 0, 0 FROM mandate_collections`); n != "4:0:0:0" {
		t.Fatalf("%s mandates summed up, want 4", n)
	}
	for _, q := range []string{`DROP TABLE mandate_collections`, fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion()-1)} {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if _, _, err := Init(st.Path, Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(st.Path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := tableRows(t, st.db, "mandate_collections"); got != want {
		t.Errorf("migrated\n%s\nwant\n%s", got, want)
	}
}
