package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// pgDB is a PostgreSQL database, opened by the PostgreSQL store.
type pgDB struct {
	st *postgres.Store
}

func openPostgres(dsn string, target bool, wait time.Duration) (*pgDB, error) {
	o := postgres.Options{BusyTimeout: wait}
	st, err := postgres.Open(dsn, o)
	if target && errors.Is(err, postgres.ErrNoDatabase) {
		// A database the server does not have, or one without tables:
		// given the schema first.
		if _, _, err := postgres.Init(dsn, o); err != nil {
			return nil, err
		}
		st, err = postgres.Open(dsn, o)
	}
	if err != nil {
		return nil, err
	}
	return &pgDB{st: st}, nil
}

func (d *pgDB) name() string { return d.st.Name }
func (d *pgDB) close()       { d.st.Close() }

func (d *pgDB) tableNames(ctx context.Context) ([]string, error) {
	rows, err := d.st.Pool.Query(ctx, `SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_version' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (d *pgDB) columns(ctx context.Context, table string) ([]column, error) {
	rows, err := d.st.Pool.Query(ctx, `SELECT column_name::text, data_type::text IN ('bigint', 'integer', 'smallint')
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (column, error) {
		var c column
		err := r.Scan(&c.name, &c.integer)
		return c, err
	})
}

func pgQuote(name string) string { return pgx.Identifier{name}.Sanitize() }

// pgTx is a transaction: REPEATABLE READ, READ ONLY for the source (one
// snapshot for every table), the target's with its tables locked.
type pgTx struct {
	tx pgx.Tx
}

func (d *pgDB) readTx(ctx context.Context) (reader, error) {
	tx, err := d.st.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return &pgTx{tx: tx}, nil
}

func (d *pgDB) writeTx(ctx context.Context, tables []string) (writer, error) {
	tx, err := d.st.Pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	q := make([]string, len(tables))
	for i, t := range tables {
		q[i] = pgQuote(t)
	}
	// Nobody else writes until the copy commits (readers may read).
	if _, err := tx.Exec(ctx, `LOCK TABLE `+strings.Join(q, ", ")+` IN EXCLUSIVE MODE`); err != nil {
		tx.Rollback(ctx)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available: lock_timeout passed
			return nil, fmt.Errorf("%w: another session is writing its tables", postgres.ErrBusy)
		}
		return nil, err
	}
	return &pgTx{tx: tx}, nil
}

func (t *pgTx) end()                             { t.tx.Rollback(context.Background()) }
func (t *pgTx) rollback()                        { t.tx.Rollback(context.Background()) }
func (t *pgTx) commit(ctx context.Context) error { return t.tx.Commit(ctx) }

func (t *pgTx) rows(ctx context.Context, tb table, cols []column) (rowIter, error) {
	rows, err := t.tx.Query(ctx, fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`,
		columnList(cols, pgQuote), pgQuote(tb.name), orderBy(tb, cols, pgQuote)))
	if err != nil {
		return nil, err
	}
	return pgRows{rows}, nil
}

// pgRows reads pgx rows as values.
type pgRows struct{ pgx.Rows }

func (t *pgTx) nonEmpty(ctx context.Context, tables []string) ([]string, error) {
	var full []string
	for _, tb := range tables {
		var any bool
		if err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgQuote(tb)+`)`).Scan(&any); err != nil {
			return nil, err
		}
		if any {
			full = append(full, tb)
		}
	}
	return full, nil
}

func (t *pgTx) write(ctx context.Context, tb table, cols []column, s *stream) (int64, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return t.tx.CopyFrom(ctx, pgx.Identifier{tb.name}, names, s)
}

// finish sets each identity sequence past the largest id copied (and the
// ids reserved elsewhere), so that the next row inserted without an id gets
// a new one. Sequences are not transactional: a copy rolled back after this
// leaves them ahead, which only skips numbers.
func (t *pgTx) finish(ctx context.Context) error {
	rows, err := t.tx.Query(ctx, `SELECT table_name::text, column_name::text FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1`)
	if err != nil {
		return err
	}
	type ident struct{ table, column string }
	idents, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ident, error) {
		var id ident
		err := r.Scan(&id.table, &id.column)
		return id, err
	})
	if err != nil {
		return err
	}
	for _, id := range idents {
		var last int64
		if err := t.tx.QueryRow(ctx, fmt.Sprintf(`SELECT COALESCE(max(%s), 0) FROM %s`, pgQuote(id.column), pgQuote(id.table))).Scan(&last); err != nil {
			return err
		}
		if q := reservedIDs[id.table]; q != "" {
			var reserved int64
			if err := t.tx.QueryRow(ctx, q).Scan(&reserved); err != nil {
				return err
			}
			last = max(last, reserved)
		}
		seq := `pg_get_serial_sequence($1, $2)`
		var err error
		if last > 0 {
			_, err = t.tx.Exec(ctx, `SELECT setval(`+seq+`, $3)`, pgQuote(id.table), id.column, last)
		} else {
			_, err = t.tx.Exec(ctx, `SELECT setval(`+seq+`, 1, false)`, pgQuote(id.table), id.column)
		}
		if err != nil {
			return fmt.Errorf("setting the sequence of %s.%s: %w", id.table, id.column, err)
		}
	}
	return analyzeAll(ctx, t.tx)
}

// analyzeAll gathers the planner's statistics on every table of the
// schema, inside the copy's transaction (they count once it commits): a
// copied database would otherwise be planned as if empty until autovacuum
// comes by, and the first run on a million receivables, planned for none,
// takes minutes instead of seconds.
func analyzeAll(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := tx.Exec(ctx, `ANALYZE `+pgQuote(name)); err != nil {
			return fmt.Errorf("gathering the statistics of %s: %w", name, err)
		}
	}
	return nil
}
