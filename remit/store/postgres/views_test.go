package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/remit/store/dbcopy"
	"github.com/remit-dev/remit/remit/store/internal/storetest"
)

// The views give the same rows, column by column and typed alike (integers
// as integers, texts as texts), from the same data: inserted by the same
// statements in both stores, or copied from SQLite by dbcopy.
func TestViewsSameRows(t *testing.T) {
	sdb, spath := newSQLite(t)
	for _, q := range storetest.Dataset() {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatalf("sqlite: %v\n%s", err, q)
		}
	}

	t.Run("same statements", func(t *testing.T) {
		pool, _ := newPostgres(t)
		for _, q := range storetest.Dataset() {
			if _, err := pool.Exec(context.Background(), q); err != nil {
				t.Fatalf("postgres: %v\n%s", err, q)
			}
		}
		sameContents(t, sdb, pool)
	})
	t.Run("copied", func(t *testing.T) {
		pool, dsn := newPostgres(t)
		if _, err := dbcopy.Copy(context.Background(), spath, dsn, dbcopy.Options{}); err != nil {
			t.Fatal(err)
		}
		sameContents(t, sdb, pool)
	})
}

// sameContents compares every table and both views row by row.
func sameContents(t *testing.T, sdb *sql.DB, pool *pgxpool.Pool) {
	t.Helper()
	for _, q := range []struct{ name, order string }{
		{"entries", "id, creditor_id, journal, number, line"},
		{"remittance_lines", "id"},
		{"creditors", "id"}, {"customers", "id"}, {"mandates", "id"}, {"mandate_history", "1, 2, 3, 4"},
		{"receivables", "id"}, {"imports", "id"}, {"remittances", "id"}, {"remittance_files", "1, 2"},
		{"debtor_snapshots", "id"}, {"remittance_items", "id"}, {"returns", "id"}, {"entry_lines", "id"},
		{"collection_ecritures", "remittance_id"},
	} {
		query := `SELECT * FROM ` + q.name + ` ORDER BY ` + q.order
		sc, sr := sqliteRows(t, sdb, query)
		pc, pr := pgRows(t, pool, query)
		sameRows(t, q.name, sc, pc, sr, pr)
		if len(sr) == 0 {
			t.Errorf("%s: no rows", q.name)
		}
		t.Logf("%s: %d rows alike", q.name, len(sr))
	}
}
