package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what the reads need of a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a write transaction (READ COMMITTED: each statement sees
// what others committed before it), committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return s.wrap(err)
	}
	return s.wrap(tx.Commit(ctx))
}

// lockCreditor makes the transaction the creditor's only writer until it
// ends, as SQLite's BEGIN IMMEDIATE makes a transaction the database's only
// writer: whatever changes a creditor's receivables, mandates, remittances
// or écritures takes it first (a run, point, unpoint, import, returns,
// cancel), so that two of them never decide on the same rows, and each
// sees, statement by statement, what the one before it committed. Other
// creditors' writers go on meanwhile.
//
// The lock is the creditor's row, FOR NO KEY UPDATE: it does not hold up
// the foreign-key checks of rows that reference the creditor, and waits at
// most lock_timeout (--wait) for another writer, then fails with ErrBusy.
func lockCreditor(ctx context.Context, q querier, creditorID int64) error {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM creditors WHERE id = $1 FOR NO KEY UPDATE`, creditorID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("creditor %d: not in the database", creditorID)
	}
	return err
}

// lockCreditorOf is lockCreditor for the creditor of a remittance.
func lockCreditorOf(ctx context.Context, q querier, remittanceID int64) error {
	var id int64
	err := q.QueryRow(ctx, `SELECT c.id FROM creditors c JOIN remittances r ON r.creditor_id = c.id WHERE r.id = $1
		FOR NO KEY UPDATE OF c`, remittanceID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // no such remittance: the caller says so
	}
	return err
}

// busyError is ErrBusy with its own words: what was waited for, and
// what to do.
type busyError struct{ msg string }

func (e *busyError) Error() string        { return e.msg }
func (e *busyError) Is(target error) bool { return target == ErrBusy }

// wrap gives the errors a user can act on their meaning: a lock another
// session held past lock_timeout (--wait) is ErrBusy (exit 4), a deadlock
// or a serialization failure too (run it again); the server's own words
// (SQLSTATE …) are left out.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !errors.Is(err, ErrBusy) {
		switch pe.Code {
		case "55P03": // lock_not_available: lock_timeout
			return &busyError{fmt.Sprintf("%s: busy: another remit is changing the same creditor's receivables (a run, an import, "+
				"a pointing) and did not finish within --wait (%s); try again later or raise --wait", s.Name, s.wait)}
		case "40P01", "40001": // deadlock_detected, serialization_failure
			return &busyError{fmt.Sprintf("%s: busy: another remit changed the same rows at the same time; nothing was kept: "+
				"run the command again", s.Name)}
		}
	}
	return err
}

// runTables are the tables a run, a cancel or a batch of returns plans its
// big statements on.
var runTables = []string{"receivables", "customers", "mandates", "mandate_history", "mandate_collections", "remittance_items", "debtor_snapshots", "returns",
	"entry_lines", "collection_ecritures", "collection_reversals"}

// analyzeIfStale gathers the planner's statistics again, on a connection
// of its own (so that the lock ANALYZE takes ends with it), for the tables
// that changed much since they were last analyzed and that autovacuum has
// not caught up with yet: an import or a pointing of a million rows just
// before a run would otherwise have the run planned for the table as it
// was (no receivable pointed: nested loops over a million rows, minutes
// instead of seconds). A table holding rows whose counters say nothing
// (never analyzed, nothing changed: the counters are the server's, per
// database, and start from zero in a database made by CREATE DATABASE …
// TEMPLATE or restored from a dump, and after a crash of the server) may
// hold anything since its statistics were gathered, if ever: it is
// analyzed too, once.
func (s *Store) analyzeIfStale(ctx context.Context, tables ...string) error {
	rows, err := s.Pool.Query(ctx, `SELECT relname::text FROM pg_stat_user_tables
		WHERE schemaname = current_schema() AND relname = ANY($1::text[])
			AND (n_mod_since_analyze > 500 + 0.1 * greatest(n_live_tup, 0)
				OR (last_analyze IS NULL AND last_autoanalyze IS NULL AND n_mod_since_analyze = 0
					AND pg_relation_size(relid) > 0))`, tables)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, t := range stale {
		if _, err := s.Pool.Exec(ctx, `ANALYZE `+pgx.Identifier{t}.Sanitize()); err != nil && !isCode(err, "55P03") {
			return err
		}
	}
	return nil
}
