package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// The statements that read a mandate's collections made before remit (the
// run's mandate walk, either way it finds the pointed mandates, and remit
// mandates) find each mandate's in the index alone (schema 19): one seek,
// no row of the table (issue 22).
func TestMandateHistoryReadFromItsIndexAlone(t *testing.T) {
	st, cr := newTestStore(t)
	for _, q := range []struct {
		name, sql string
	}{
		{"the mandate walk", walkQuery("")},
		{"the mandate walk, receivables scanned", walkQuery("NOT INDEXED")},
		{"remit mandates", mandateSelect + ` WHERE m.creditor_id = ?`},
	} {
		plan := historyPlan(t, st.db, q.sql, cr.ID)
		if len(plan) == 0 {
			t.Fatalf("%s: no step of the plan reads mandate_history", q.name)
		}
		for _, step := range plan {
			if !strings.Contains(step, "USING COVERING INDEX mandate_history_mandate (mandate_id=?)") {
				t.Errorf("%s: mandate_history read by %q, want a covering index", q.name, step)
			}
		}
	}
}

// historyPlan is the steps of q's query plan that read mandate_history (h).
func historyPlan(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	var steps []string
	for _, detail := range queryPlan(t, db, q, args...) {
		if strings.HasPrefix(detail, "SEARCH h ") || strings.HasPrefix(detail, "SCAN h") {
			steps = append(steps, detail)
		}
	}
	return steps
}

// queryPlan is the steps of q's query plan (EXPLAIN QUERY PLAN), as db or
// a transaction (which sees its temporary tables) plans it.
func queryPlan(t *testing.T, db interface {
	Query(string, ...any) (*sql.Rows, error)
}, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// A database of schema version 18 with collections made before remit and
// by remit: the migration makes the index of mandate_history hold their
// dates and IBANs, and remit mandates and the run's mandate walk say the
// same after as before.
func TestMigrationCoversMandateHistory(t *testing.T) {
	e := collectionsScenario(t)
	for _, h := range []string{"A 2026-10-05 FR7630004008280001012345691", "A 2027-02-01 DE89370400440532013000",
		"A 2027-02-01 FR7630004008280001012345691", "B 2026-09-05 FR7630006000011234567890189", "D 2027-03-01 DE89370400440532013000"} {
		f := strings.Fields(h)
		e.exec(`INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, ?, ? FROM mandates WHERE rum = ?`, f[1], f[2], "RUM-"+f[0])
	}
	e.exec(`UPDATE receivables SET status = 'pointed'`) // the walk reads the pointed ones' mandates
	mandates := func() string {
		ms, err := mandateList(context.Background(), e.st, e.cr.ID, remit.MandateFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(ms)
	}
	wantMandates, wantWalk := mandates(), e.mandateLast()
	if !strings.Contains(wantWalk, "2027-02-01FR7630004008280001012345691") || !strings.Contains(wantMandates, "2027-03-01") {
		t.Fatalf("the walk or remit mandates miss the history:\n%s\n%s", wantWalk, wantMandates)
	}
	v := migrationVersion(t, "_mandate_history_covering.sql")
	for _, q := range []string{`DROP INDEX mandate_history_mandate`, `CREATE INDEX mandate_history_mandate ON mandate_history(mandate_id)`,
		fmt.Sprintf(`PRAGMA user_version = %d`, v-1)} {
		e.exec(q)
	}
	if got := indexColumns(t, e.st.db, "mandate_history_mandate"); got != "mandate_id" {
		t.Fatalf("before: mandate_history_mandate on %s", got)
	}
	e.reopen()
	if got := indexColumns(t, e.st.db, "mandate_history_mandate"); got != "mandate_id collected_on iban" {
		t.Errorf("migrated: mandate_history_mandate on %s", got)
	}
	if got := mandates(); got != wantMandates {
		t.Errorf("migrated: remit mandates\n%s\nwant\n%s", got, wantMandates)
	}
	if got := e.mandateLast(); got != wantWalk {
		t.Errorf("migrated: the mandate walk\n%s\nwant\n%s", got, wantWalk)
	}
}

// indexColumns lists the columns of index name.
func indexColumns(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var cols string
	if err := db.QueryRow(`SELECT COALESCE(group_concat(name, ' '), '') FROM (SELECT name FROM pragma_index_info(?) ORDER BY seqno)`,
		name).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols
}
