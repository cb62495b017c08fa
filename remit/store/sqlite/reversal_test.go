package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store/internal/lettering"
)

// reversalDebits are three debits of two customers, due in December.
var reversalDebits = sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "") + sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "") +
	sddLine("F3", "411A", "30.00", "2026-12-03", "RUM-A", "")

// cancelFirst runs the pointed debits and cancels the remittance made, the
// next day; it returns the remittance's id.
func (e *sddEnv) cancelFirst() int64 {
	e.t.Helper()
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 1 {
		e.t.Fatalf("%d remittances", len(res.Remittances))
	}
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 1) }
	id := res.Remittances[0].ID
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// checkLettered fails the test unless each of the three receivables has
// lines customer lines, all lettered as accounting.Letter says from all
// of them.
func (e *sddEnv) checkLettered(lines int64) {
	e.t.Helper()
	rows, err := e.st.db.Query(`SELECT e.receivable_id, r.amount, sum(e.credit) - sum(e.debit), max(e.date),
			min(e.lettering), max(e.lettering), min(e.lettered_on), max(e.lettered_on), count(*)
		FROM entries e JOIN receivables r ON r.id = e.receivable_id GROUP BY e.receivable_id ORDER BY e.receivable_id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	wrong, n, err := lettering.Mislettered(rows, lines)
	if err != nil || n != 3 || len(wrong) > 0 {
		e.t.Fatalf("%d receivables read (%v), want 3; %v\n%s", n, err, wrong, entryDump(e.t, e.st, 0))
	}
}

// count is the one integer query q returns.
func (e *sddEnv) count(q string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.st.db.QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Cancelling a remittance whose collection écriture is kept as one row
// stores one collection_reversals row, and no line but the reversal of a
// centralised line; the entries view shows line k of the reversal as line
// k of the collection, debit and credit swapped, lettered alike, under the
// next number, with ids of its own.
func TestCancelReversesKeptCollectionByOneRow(t *testing.T) {
	for name, o := range map[string]accounting.Options{
		"defaults":    {},
		"centralised": {Centralize: true, Labels: map[accounting.Kind]string{accounting.KindReversal: " {doc} x {doc}{customer} "}},
		"masked":      {Counterpart: "413AAMM", Direct: true, Labels: map[accounting.Kind]string{accounting.KindReversal: "{name} {doc}"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newSDDEnv(t, reversalDebits)
			e.st.SetEntryOptions(o)
			id := e.cancelFirst()
			stored := int64(0)
			if o.Centralize {
				stored = 1
			}
			if n := e.count(`SELECT count(*) FROM collection_reversals WHERE remittance_id = ?`, id); n != 1 {
				t.Errorf("%d reversal rows, want 1", n)
			}
			if n := e.count(`SELECT count(*) FROM entry_lines WHERE kind = 'reversal'`); n != stored {
				t.Errorf("%d stored reversal lines, want %d", n, stored)
			}
			lines := e.count(`SELECT count(*) FROM entries WHERE kind = 'collection' AND remittance_id = ?`, id)
			if n := e.count(`SELECT count(*) FROM entries WHERE kind = 'reversal' AND remittance_id = ?`, id); n != lines || n == 0 {
				t.Errorf("%d reversal lines, %d collection lines", n, lines)
			}
			if n := e.count(`SELECT count(*) FROM entries c JOIN entries r ON r.remittance_id = c.remittance_id AND r.kind = 'reversal'
				AND r.line = c.line AND r.journal = c.journal AND r.reverses = c.number AND r.number = c.number + 1
				AND r.debit = c.credit AND r.credit = c.debit AND r.account = c.account AND r.account_label = c.account_label
				AND r.aux_account = c.aux_account AND r.aux_label = c.aux_label AND r.counterpart = c.counterpart
				AND r.piece_ref = c.piece_ref AND r.lettering = c.lettering AND r.lettered_on = c.lettered_on
				AND r.item_id IS c.item_id AND r.receivable_id IS c.receivable_id AND r.id > c.id
				WHERE c.kind = 'collection' AND c.remittance_id = ?`, id); n != lines {
				t.Errorf("%d of %d reversal lines are their collection line swapped", n, lines)
			}
			if n := e.count(`SELECT count(*) - count(DISTINCT id) FROM entries`); n != 0 {
				t.Errorf("%d entry ids taken twice", n)
			}
			// Collected again: numbered and identified after the reversal.
			e.exec(`UPDATE receivables SET status = 'pointed'`)
			e.run(sdd.Options{})
			if n := e.count(`SELECT count(*) - count(DISTINCT id) FROM entries`); n != 0 {
				t.Errorf("after the next run, %d entry ids taken twice", n)
			}
			if n := e.count(`SELECT count(DISTINCT number) FROM entries`); n != 3 {
				t.Errorf("%d écritures, want 3", n)
			}
		})
	}
}

// undoCollectionReversals are the statements that take a database back to
// the version before kept reversals: their lines stored, as that version
// wrote them, and the entries view as it was.
func undoCollectionReversals(t *testing.T) []string {
	t.Helper()
	view := ""
	for _, m := range migrations() {
		if strings.HasSuffix(m.name, "_collection_ecritures.sql") { // the view before
			i := strings.Index(m.sql, "CREATE VIEW entries AS")
			view = m.sql[i : i+strings.Index(m.sql[i:], ";")]
		}
	}
	if view == "" {
		t.Fatal("no migration makes the collection écritures")
	}
	cols := `id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses, journal, journal_label, date,
		account, account_label, aux_account, aux_label, counterpart, piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on`
	return []string{`INSERT INTO entry_lines (` + cols + `) SELECT ` + cols + ` FROM entries WHERE kind = 'reversal'
			AND remittance_id IN (SELECT remittance_id FROM collection_reversals) AND id NOT IN (SELECT id FROM entry_lines)`,
		`DROP VIEW entries`, `DROP TABLE collection_reversals`, view}
}

// A database of the version before, holding a reversal stored line by
// line: the migration keeps its lines, the entries read the same, and the
// next cancel, reversing by one row, shows beside them.
func TestMigrationKeepsStoredReversals(t *testing.T) {
	e := newSDDEnv(t, reversalDebits)
	e.st.SetEntryOptions(accounting.Options{})
	e.cancelFirst()
	made := migrationVersion(t, "_collection_reversals.sql")
	for _, q := range append(undoCollectionReversals(t), fmt.Sprintf(`PRAGMA user_version = %d`, made-1)) {
		e.exec(q)
	}
	before := entriesRows(t, e.st.db)
	if n := e.count(`SELECT count(*) FROM entry_lines WHERE kind = 'reversal'`); n != 6 {
		t.Fatalf("%d stored reversal lines, want 6", n)
	}
	e.st.Close()
	if from, to, err := Init(e.st.Path, Options{}); err != nil || from != made-1 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(e.st.Path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e.st = st
	if after := entriesRows(t, st.db); after != before {
		t.Fatalf("the entries changed with the migration:\n%s\nwant\n%s", after, before)
	}
	e.exec(`UPDATE receivables SET status = 'pointed'`)
	e.cancelFirst()
	if n := e.count(`SELECT count(*) FROM collection_reversals`); n != 1 {
		t.Errorf("%d reversal rows, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM entries WHERE kind = 'reversal'`); n != 12 {
		t.Errorf("%d reversal lines, want 12", n)
	}
	if n := e.count(`SELECT count(*) - count(DISTINCT id) FROM entries`); n != 0 {
		t.Errorf("%d entry ids taken twice", n)
	}
}

// Collected again two days after the first run (cancelled the day
// between), each receivable's three customer lines are lettered as
// accounting.Letter says from all of them: complete, dated the latest.
// The new items store no lettering, for the view shows exactly that
// without it; the cancelled items store theirs where it changed: dated
// the day of the new écriture (by default), not when every écriture is
// dated the collection date.
func TestCollectedAgainAfterCancelLetteredFromAllLines(t *testing.T) {
	for name, c := range map[string]struct {
		o      accounting.Options
		stored int64
	}{
		"defaults":        {accounting.Options{}, 3},
		"collection date": {accounting.Options{Date: accounting.DateCollection}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			e := newSDDEnv(t, reversalDebits)
			e.st.SetEntryOptions(c.o)
			first := e.cancelFirst()
			e.st.now = func() time.Time { return testNow.AddDate(0, 0, 2) }
			again := e.run(sdd.Options{}).Remittances[0].ID
			e.checkLettered(3)
			if stored := e.count(`SELECT count(*) FROM remittance_items WHERE remittance_id = ? AND lettering IS NOT NULL`, again); stored != 0 {
				t.Errorf("%d items collected again store a lettering the view shows without it", stored)
			}
			if stored := e.count(`SELECT count(*) FROM remittance_items WHERE remittance_id = ? AND lettering IS NOT NULL`, first); stored != c.stored {
				t.Errorf("%d cancelled items store their lettering, want %d\n%s", stored, c.stored, entryDump(t, e.st, 0))
			}
		})
	}
}

// Cancelled, each receivable's two customer lines (its collection and
// the reversal) are lettered as accounting.Letter says: partial, in lower
// case, dated the reversal. The cancelled items store no lettering: the
// view shows exactly that once their écriture is reversed, so a cancel
// rewrites none of them. Collected again and cancelled again, the four
// lines of each are lettered from all of them, dated the second reversal:
// the first cancelled items store that, the second ones nothing.
func TestCancelledItemsShowTheirLettering(t *testing.T) {
	e := newSDDEnv(t, reversalDebits)
	check := func(lines int64, cancelled ...int64) {
		t.Helper()
		e.checkLettered(lines)
		for k, id := range cancelled {
			want := map[bool]int64{true: 3}[k < len(cancelled)-1]
			if stored := e.count(`SELECT count(*) FROM remittance_items WHERE remittance_id = ?
				AND (lettering IS NOT NULL OR lettered_on IS NOT NULL)`, id); stored != want {
				t.Errorf("%d items of the cancelled remittance %d store a lettering, want %d\n%s", stored, id, want, entryDump(t, e.st, 0))
			}
		}
	}
	first := e.cancelFirst()
	check(2, first)
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 2) }
	again := e.run(sdd.Options{}).Remittances[0].ID
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 3) }
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, again); err != nil {
		t.Fatal(err)
	}
	check(4, first, again)
}

// Upgrading to version 20 changes what a reversed collection's items that
// store no lettering show: those of a database made before store what they
// showed (the upper-case code dated the collection), so that every line
// of the entries view reads the same after the upgrade.
func TestReversedLetteringMigrationKeepsLines(t *testing.T) {
	e := newSDDEnv(t, reversalDebits)
	e.cancelFirst()
	var v18, v20 string
	for _, m := range migrations() {
		switch m.version {
		case 18:
			v18 = m.sql[strings.Index(m.sql, "DROP VIEW entries;"):]
		case 20:
			v20 = m.sql
		}
	}
	if v18 == "" || v20 == "" {
		t.Fatal("no migration 18 or 20")
	}
	// Version 19's view, and items of the reversed collection as a cancel
	// of then could leave them: one storing nothing, one only a lettering.
	for _, q := range []string{v18, `UPDATE remittance_items SET lettering = NULL, lettered_on = NULL WHERE id = 1`,
		`UPDATE remittance_items SET lettering = 'aab', lettered_on = NULL WHERE id = 2`} {
		if _, err := e.st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	before := tableRows(t, e.st.db, "entries")
	if !strings.Contains(before, "|AAA|2026-11-22|2026-11-23") || !strings.Contains(before, "|aab|2026-11-22|2026-11-23") {
		t.Fatalf("no line lettered as a collection not reversed:\n%s", before)
	}
	if _, err := e.st.db.Exec(v20); err != nil {
		t.Fatal(err)
	}
	if after := tableRows(t, e.st.db, "entries"); after != before {
		t.Errorf("the entries view changed:\n%s\nwas:\n%s", after, before)
	}
}

// priorEntries finds the same receivables whether it walks the items no
// longer remitted (few of them) or looks one up for each of the
// remittance's items (as many as the remittance holds, after a cancel).
func TestPriorEntriesEitherWay(t *testing.T) {
	e := newSDDEnv(t, reversalDebits+sddLine("F4", "411C", "40.00", "2026-12-01", "RUM-C", ""))
	e.cancelFirst()
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 2) }
	again := e.run(sdd.Options{}).Remittances[0].ID
	tx, err := e.st.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ctx := context.Background()
	walked, err := priorEntries(ctx, tx, again, 1<<40) // fewer left than half
	if err != nil {
		t.Fatal(err)
	}
	looked, err := priorEntries(ctx, tx, again, 0) // more
	if err != nil {
		t.Fatal(err)
	}
	want := e.count(`SELECT count(*) FROM remittance_items WHERE remittance_id = ?`, again)
	if got := fmt.Sprint(sortedIDs(walked)); got != fmt.Sprint(sortedIDs(looked)) || int64(len(walked)) != want {
		t.Errorf("walked %v, looked up %v, want the %d receivables collected again", sortedIDs(walked), sortedIDs(looked), want)
	}
}

// Lettering again walks the receivables it letters and seeks their lines:
// no statement scans a table that grows with the history (entry_lines,
// remittance_items, receivables), for either condition remit uses, with
// the temporary tables empty (the planner then knows nothing of their
// size). A month of 100k receivables cancelled after twelve others took
// 2.7 times as long as after one, when the items were scanned.
func TestReletterPlansSeek(t *testing.T) {
	st, _ := newTestStore(t)
	for _, c := range []struct {
		cond string
		arg  any
	}{
		{`r.id IN (SELECT value FROM json_each(?))`, "[1,2]"},
		{reversedToLetter, 1},
	} {
		tx, err := st.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range reletterStatements(c.cond, c.arg) {
			if strings.HasPrefix(q.sql, "DROP TABLE temp") {
				continue
			}
			if strings.HasPrefix(q.sql, "DROP") || strings.HasPrefix(q.sql, "CREATE") {
				if _, err := tx.Exec(q.sql); err != nil {
					t.Fatal(err)
				}
				continue
			}
			for _, detail := range queryPlan(t, tx, q.sql, q.args...) {
				name, _, _ := strings.Cut(strings.TrimPrefix(detail, "SCAN "), " ")
				if strings.HasPrefix(detail, "SCAN ") && name != "t" && name != "json_each" && !strings.HasPrefix(name, "(") {
					t.Errorf("%s\nscans %s: %s", q.sql, name, detail)
				}
			}
		}
		tx.Rollback()
	}
}
