package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite"
)

// sqliteDB is an SQLite file, opened by the SQLite store (so that its
// version, hard links and folder are checked as for any command).
type sqliteDB struct {
	st   *sqlite.Store
	path string
}

func openSQLite(path string, target bool, wait time.Duration) (*sqliteDB, error) {
	o := sqlite.Options{BusyTimeout: wait}
	st, err := sqlite.Open(path, o)
	if target && errors.Is(err, sqlite.ErrNoDatabase) {
		// A new file, or one without tables: given the schema first.
		if _, _, err := sqlite.Init(path, o); err != nil {
			return nil, err
		}
		st, err = sqlite.Open(path, o)
	}
	if err != nil {
		return nil, err
	}
	return &sqliteDB{st: st, path: path}, nil
}

func (d *sqliteDB) name() string { return d.path }
func (d *sqliteDB) close()       { d.st.Close() }

func (d *sqliteDB) tableNames(ctx context.Context) ([]string, error) {
	rows, err := d.st.SQL().QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func (d *sqliteDB) columns(ctx context.Context, table string) ([]column, error) {
	rows, err := d.st.SQL().QueryContext(ctx, `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		cols = append(cols, column{name: name, integer: strings.EqualFold(typ, "INTEGER")})
	}
	return cols, rows.Err()
}

func sqliteQuote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// sqliteTx is a transaction: a deferred, read-only one for the source (its
// snapshot is taken at the first read), BEGIN IMMEDIATE for the target.
type sqliteTx struct {
	tx *sql.Tx
}

func (d *sqliteDB) readTx(ctx context.Context) (reader, error) {
	tx, err := d.st.SQL().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &sqliteTx{tx: tx}, nil
}

func (d *sqliteDB) writeTx(ctx context.Context, _ []string) (writer, error) {
	tx, err := d.st.SQL().BeginTx(ctx, nil) // BEGIN IMMEDIATE: no other writer until the end
	if err != nil {
		return nil, err
	}
	// A table may reference its own later rows (a bank's substitute): its
	// foreign keys are checked at the commit, as PostgreSQL checks them at
	// the end of a COPY.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		tx.Rollback()
		return nil, err
	}
	return &sqliteTx{tx: tx}, nil
}

func (t *sqliteTx) end()      { t.tx.Rollback() }
func (t *sqliteTx) rollback() { t.tx.Rollback() }

func (t *sqliteTx) commit(context.Context) error { return t.tx.Commit() }

// finish has nothing to do: SQLite gives a row inserted without an id the
// largest id plus one.
func (t *sqliteTx) finish(context.Context) error { return nil }

func (t *sqliteTx) rows(ctx context.Context, tb table, cols []column) (rowIter, error) {
	rows, err := t.tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`,
		columnList(cols, sqliteQuote), sqliteQuote(tb.name), orderBy(tb, cols, sqliteQuote)))
	if err != nil {
		return nil, err
	}
	return &sqlRows{rows: rows, n: len(cols)}, nil
}

func (t *sqliteTx) nonEmpty(ctx context.Context, tables []string) ([]string, error) {
	var full []string
	for _, tb := range tables {
		var any bool
		if err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+sqliteQuote(tb)+`)`).Scan(&any); err != nil {
			return nil, err
		}
		if any {
			full = append(full, tb)
		}
	}
	return full, nil
}

func (t *sqliteTx) write(ctx context.Context, tb table, cols []column, s *stream) (int64, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	stmt, err := t.tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`,
		sqliteQuote(tb.name), columnList(cols, sqliteQuote), marks))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var n int64
	for s.Next() {
		row, _ := s.Values()
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return n, err
		}
		n++
	}
	return n, s.Err()
}

// sqlRows reads database/sql rows as values.
type sqlRows struct {
	rows *sql.Rows
	n    int
}

func (r *sqlRows) Next() bool { return r.rows.Next() }
func (r *sqlRows) Err() error { return r.rows.Err() }
func (r *sqlRows) Close()     { r.rows.Close() }

func (r *sqlRows) Values() ([]any, error) {
	vals := make([]any, r.n)
	ptrs := make([]any, r.n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	return vals, nil
}
