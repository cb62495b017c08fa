package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
)

// CleanOut does what a remittance run does first to dir (see cleanOut), for
// `remit run` to do it even when nothing is pointed.
func (s *Store) CleanOut(ctx context.Context, dir string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return outdir.Clean(dir, recordedIn(ctx, tx)) })
}

// RecordedFile says which remittance records a file of the out folder named
// name, and as what; ok is false when none does.
func (s *Store) RecordedFile(ctx context.Context, name string) (ref, format string, ok bool, err error) {
	return recordedFile(ctx, s.DB, name, 0)
}

// recordedFile is RecordedFile for any remittance but except.
func recordedFile(ctx context.Context, q querier, name string, except int64) (ref, format string, ok bool, err error) {
	var id int64
	err = q.QueryRowContext(ctx, `SELECT remittance_id, format FROM remittance_files WHERE name = ? AND remittance_id != ? LIMIT 1`,
		name, except).Scan(&id, &format)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return remit.Ref(id), format, true, nil
}

// recordedIn says whether a remittance records a file of the out folder
// (for outdir.Clean and Pending.Abandon).
func recordedIn(ctx context.Context, q querier) func(name string) (bool, error) {
	return func(name string) (bool, error) {
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM remittance_files WHERE name = ?`, name).Scan(&n)
		return n > 0, err
	}
}
