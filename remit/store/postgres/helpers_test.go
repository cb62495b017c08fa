package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// newSQLite returns a new SQLite database at this build's schema, opened
// as the store opens it (foreign keys checked).
func newSQLite(t *testing.T) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := sqlite.Init(path, sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db, path
}

// newPostgres returns a new PostgreSQL database at this build's schema.
func newPostgres(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool, dsn
}

// errKind names the kind of a failed statement the same way for both
// stores: "" (no error), unique, check, notnull, foreignkey, type, or the
// error itself.
func errKind(err error) string {
	if err == nil {
		return ""
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return "unique"
		case "23514":
			return "check"
		case "23502":
			return "notnull"
		case "23503":
			return "foreignkey"
		case "22P02", "22003":
			return "type"
		}
		return "pg " + pe.Code + ": " + pe.Message
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() {
		case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
			return "unique"
		case 275: // SQLITE_CONSTRAINT_CHECK
			return "check"
		case 1299: // SQLITE_CONSTRAINT_NOTNULL
			return "notnull"
		case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
			return "foreignkey"
		case 20: // SQLITE_MISMATCH
			return "type"
		}
		return fmt.Sprintf("sqlite %d: %v", coded.Code(), err)
	}
	return err.Error()
}

// canon turns a value read from either database into nil, int64 or string.
func canon(t *testing.T, v any) any {
	switch x := v.(type) {
	case nil, int64, string:
		return x
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case []byte:
		return string(x)
	}
	t.Fatalf("unexpected value %#v (%T)", v, v)
	return nil
}

// sqliteRows reads a query's rows from SQLite as canonical values.
func sqliteRows(t *testing.T, db *sql.DB, query string) (cols []string, rows [][]any) {
	t.Helper()
	rs, err := db.Query(query)
	if err != nil {
		t.Fatalf("sqlite: %s: %v", query, err)
	}
	defer rs.Close()
	cols, _ = rs.Columns()
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i := range vals {
			vals[i] = canon(t, vals[i])
		}
		rows = append(rows, vals)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, rows
}

// pgRows reads a query's rows from PostgreSQL as canonical values.
func pgRows(t *testing.T, pool *pgxpool.Pool, query string) (cols []string, rows [][]any) {
	t.Helper()
	rs, err := pool.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("postgres: %s: %v", query, err)
	}
	defer rs.Close()
	for _, f := range rs.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	for rs.Next() {
		vals, err := rs.Values()
		if err != nil {
			t.Fatal(err)
		}
		for i := range vals {
			vals[i] = canon(t, vals[i])
		}
		rows = append(rows, vals)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, rows
}

// sameRows fails the test at the first row or column that differs.
func sameRows(t *testing.T, what string, sc, pc []string, sr, pr [][]any) {
	t.Helper()
	if fmt.Sprint(sc) != fmt.Sprint(pc) {
		t.Fatalf("%s: columns differ:\nsqlite   %v\npostgres %v", what, sc, pc)
	}
	for i := 0; i < len(sr) && i < len(pr); i++ {
		for j := range sc {
			if sr[i][j] != pr[i][j] {
				t.Fatalf("%s: row %d, column %s: sqlite %#v, postgres %#v\nsqlite   %v\npostgres %v", what, i+1, sc[j],
					sr[i][j], pr[i][j], sr[i], pr[i])
			}
		}
	}
	if len(sr) != len(pr) {
		t.Fatalf("%s: %d rows in sqlite, %d in postgres", what, len(sr), len(pr))
	}
}

var _ = pgx.Identifier{}
