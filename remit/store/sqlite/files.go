package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/remit-dev/remit/remit"
)

// RecordedFile says which remittance records a file of the out folder named
// name, and as what; ok is false when none does.
func (s *Store) RecordedFile(ctx context.Context, name string) (ref, format string, ok bool, err error) {
	return recordedFile(ctx, s.db, name, 0)
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

// fileRecorded reports whether a remittance records a file of the out
// folder named name.
func fileRecorded(ctx context.Context, q querier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM remittance_files WHERE name = ?`, name).Scan(&n)
	return n > 0, err
}
