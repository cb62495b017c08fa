package postgres_test

import (
	"context"
	"testing"
)

// Rows inserted without an id are numbered 1, 2, 3… in both stores. The
// differences the README states: PostgreSQL's sequence skips the number of
// a failed insert (SQLite takes the largest id plus one), and an id given
// by hand does not move it.
func TestIDsGivenByTheDatabase(t *testing.T) {
	sdb, _ := newSQLite(t)
	pool, _ := newPostgres(t)
	ctx := context.Background()
	run := func(sql string) (serr, perr error) {
		_, serr = sdb.Exec(sql)
		_, perr = pool.Exec(ctx, sql)
		return
	}
	ids := func(table string) (s, p []any) {
		_, sr := sqliteRows(t, sdb, `SELECT id FROM `+table+` ORDER BY id`)
		_, pr := pgRows(t, pool, `SELECT id FROM `+table+` ORDER BY id`)
		for _, r := range sr {
			s = append(s, r[0])
		}
		for _, r := range pr {
			p = append(p, r[0])
		}
		return s, p
	}
	for _, sql := range []string{
		`INSERT INTO creditors (code, name, created_at, updated_at) VALUES ('ACME', 'ACME', '2026-12-02T09:00:00', '2026-12-02T09:00:00')`,
		`INSERT INTO customers (creditor_id, account, name) VALUES (1, '411A', 'A')`,
		`INSERT INTO customers (creditor_id, account, name) VALUES (1, '411B', 'B')`,
		`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount) VALUES (1, 'F-1', 1, '2026-12-20', 100)`,
		`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount) VALUES (1, 'F-2', 2, '2026-12-20', 200)`,
	} {
		if serr, perr := run(sql); serr != nil || perr != nil {
			t.Fatalf("%s: sqlite %v, postgres %v", sql, serr, perr)
		}
	}
	if s, p := ids("receivables"); len(s) != 2 || s[0] != int64(1) || s[1] != int64(2) || len(p) != 2 || p[0] != s[0] || p[1] != s[1] {
		t.Errorf("receivables' ids: sqlite %v, postgres %v; want [1 2] in both", s, p)
	}

	// A refused row: PostgreSQL has used its number.
	if serr, perr := run(`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount) VALUES (1, 'F-1', 1, '2026-12-20', 100)`); errKind(serr) != "unique" || errKind(perr) != "unique" {
		t.Fatalf("duplicate document: sqlite %v, postgres %v", serr, perr)
	}
	run(`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount) VALUES (1, 'F-3', 1, '2026-12-20', 300)`)
	if s, p := ids("receivables"); s[2] != int64(3) || p[2] != int64(4) {
		t.Errorf("after a refused insert: sqlite %v (want 1 2 3), postgres %v (want 1 2 4)", s, p)
	}

	// An id given by hand: SQLite goes on after it, PostgreSQL's sequence
	// does not know it, so its next number may collide.
	run(`INSERT INTO customers (id, creditor_id, account, name) VALUES (3, 1, '411C', 'C')`)
	serr, perr := run(`INSERT INTO customers (creditor_id, account, name) VALUES (1, '411D', 'D')`)
	if serr != nil || errKind(perr) != "unique" {
		t.Errorf("after an id given by hand: sqlite %v (want none), postgres %v (want unique)", serr, perr)
	}
}
