package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// mandateLastByLines is how a run read its mandates' history before the
// mandate index held the items' dates: every counted item of the mandate,
// with its snapshot, through remittance_lines. The summary rows
// (refreshCollections) read by the mandate walk must give the same.
const mandateLastByLines = `SELECT mandate_id, max(k), substr(max(k), 11), max(frst) FROM (
		SELECT i.mandate_id, i.collection_date || i.iban AS k,
			CASE WHEN i.sequence_type = 'FRST' AND i.status = 'remitted' THEN i.collection_date ELSE '' END AS frst
		FROM remittance_lines i WHERE i.mandate_id IN (SELECT mandate_id FROM receivables WHERE status = 'pointed' AND method = 'sdd')
			AND ` + `%s` + `
		UNION ALL
		SELECT h.mandate_id, h.collected_on || h.iban, '' FROM mandate_history h)
	GROUP BY mandate_id ORDER BY mandate_id`

func TestMandateHistoryReadFromTheIndex(t *testing.T) {
	// Four mandates (one collected before remit), each with items in every
	// state, sequence type and date, some on one date with two snapshots of
	// different IBANs: what a run reads of each mandate is the same as
	// reading all its items.
	var csv strings.Builder
	for i, c := range []string{"411A", "411B", "411C", "411D"} {
		for j := range 6 {
			csv.WriteString(sddLine(fmt.Sprintf("F%d%d", i, j), c, "10.00", fmt.Sprintf("2026-12-%02d", 1+j*3), "RUM-"+c, ""))
		}
	}
	e := newSDDEnv(t, csv.String())
	e.exec(`INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-05', 'FR7630004008280001012345691' FROM mandates WHERE rum = 'RUM-411D'`)
	e.run(sdd.Options{})
	// Twice as many items, on other snapshots of the same debtors.
	e.copyRows("debtor_snapshots", map[string]string{"id": "id + 1000", "iban": "'FR7630006000011234567890189'"})
	e.copyRows("remittance_items", map[string]string{"id": "NULL", "debtor_id": "debtor_id + 1000"})
	ids := e.ints(`SELECT id FROM remittance_items ORDER BY id`)
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 22))
		for _, id := range ids {
			status := []string{"remitted", "remitted", "returned", "rejected", "cancelled"}[rng.IntN(5)]
			seq := []string{"FRST", "RCUR", "RCUR", "OOFF"}[rng.IntN(4)]
			e.exec(`UPDATE remittance_items SET status = ?, sequence_type = ?, collection_date = ? WHERE id = ?`,
				status, seq, fmt.Sprintf("2026-12-%02d", 1+rng.IntN(4)*7), id)
		}
		e.exec(`UPDATE receivables SET status = 'pointed' WHERE document LIKE 'F_0'`)
		want := e.rows(fmt.Sprintf(mandateLastByLines, countedCollection("i", "remittance_items")))
		// The mandates' items gathered by seeks through the remittances,
		// then in one pass over the items.
		for _, seeks := range []int64{1 << 40, 0} {
			seeksPerScannedItem = seeks
			if got := e.mandateLast(); got != want {
				t.Fatalf("seed %d, %d seeks an item: mandate_last\n got %s\nwant %s", seed, seeks, got, want)
			}
			e.sameLastCollections(seed)
		}
		seeksPerScannedItem = 8
	}
}

// sameLastCollections fails unless remit mandates says of each mandate the
// latest collection its items and history hold (countedCollection), after
// the summary rows are computed again from the items.
func (e *sddEnv) sameLastCollections(seed uint64) {
	e.t.Helper()
	if err := refreshCollections(context.Background(), e.st.db, `SELECT mandate_id FROM remittance_items`); err != nil {
		e.t.Fatal(err)
	}
	want := e.rows(`SELECT m.id, COALESCE((SELECT max(d) FROM (
			SELECT i.collection_date AS d FROM remittance_items i WHERE i.mandate_id = m.id AND ` + countedCollection("i", "remittance_items") + `
			UNION ALL SELECT h.collected_on FROM mandate_history h WHERE h.mandate_id = m.id)), ''), '', '' FROM mandates m ORDER BY m.id`)
	ms, err := mandateList(context.Background(), e.st, e.cr.ID, remit.MandateFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.SortFunc(ms, func(a, b remit.Mandate) int { return cmp.Compare(a.ID, b.ID) })
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%d:%s::", m.ID, m.LastCollection))
	}
	if strings.Join(got, " ") != want {
		e.t.Fatalf("seed %d: remit mandates\n got %s\nwant %s", seed, strings.Join(got, " "), want)
	}
}

// mandateLast is what a run reads of each pointed mandate's history, as
// mandateLastByLines writes it, after its summary rows are computed again
// from the items (the test changed them behind the store's back).
func (e *sddEnv) mandateLast() string {
	e.t.Helper()
	ctx := context.Background()
	tx, err := e.st.db.BeginTx(ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer tx.Rollback()
	if err := refreshCollections(ctx, tx, `SELECT mandate_id FROM remittance_items`); err != nil {
		e.t.Fatal(err)
	}
	return e.walkHistory(ctx, tx)
}

// walkHistory is each pointed mandate's history as the run's mandate walk
// reads it, in mandateLastByLines's form.
func (e *sddEnv) walkHistory(ctx context.Context, tx *sql.Tx) string {
	e.t.Helper()
	w, err := openMandateWalk(ctx, tx, e.cr.ID, "")
	if err != nil {
		e.t.Fatal(err)
	}
	defer w.rows.Close()
	var out []string
	for w.rows.Next() {
		if err := w.scan(); err != nil {
			e.t.Fatal(err)
		}
		if m := w.m; m.LastCollection != "" {
			out = append(out, fmt.Sprintf("%d:%s:%s:%s", w.id, m.LastCollection+m.LastIBAN, m.LastIBAN, m.PendingFirst))
		}
	}
	if err := w.rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func (e *sddEnv) rows(q string) string {
	e.t.Helper()
	rows, err := e.st.db.Query(q)
	if err != nil {
		e.t.Fatal(err)
	}
	return scanRows(e.t, rows)
}

func scanRows(t *testing.T, rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) string {
	t.Helper()
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var k, iban, frst *string
		if err := rows.Scan(&id, &k, &iban, &frst); err != nil {
			t.Fatal(err)
		}
		s := func(p *string) string {
			if p == nil {
				return "NULL"
			}
			return *p
		}
		out = append(out, fmt.Sprintf("%d:%s:%s:%s", id, s(k), s(iban), s(frst)))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

// copyRows inserts a copy of every row of table, the columns of with
// taking their expression.
func (e *sddEnv) copyRows(table string, with map[string]string) {
	e.t.Helper()
	rows, err := e.st.db.Query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		e.t.Fatal(err)
	}
	var cols, values []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		v, ok := with[c]
		if !ok {
			v = c
		}
		cols, values = append(cols, c), append(values, v)
	}
	rows.Close()
	e.exec(`INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) SELECT ` + strings.Join(values, ", ") + ` FROM ` + table)
}

func (e *sddEnv) ints(q string) []int64 {
	e.t.Helper()
	rows, err := e.st.db.Query(q)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}
