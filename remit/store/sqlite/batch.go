package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// batchInsert writes rows into a table many at a time: with the pure-Go
// SQLite, one statement per row costs more than the row itself.
type batchInsert struct {
	tx    *sql.Tx
	table string
	cols  int
	rows  int
	args  []any
	full  *sql.Stmt
}

// batchRows is how many rows one statement inserts (well under SQLite's
// 32766 variables for the tables remit batches).
const batchRows = 256

func newBatchInsert(tx *sql.Tx, table string, cols int) *batchInsert {
	return &batchInsert{tx: tx, table: table, cols: cols, args: make([]any, 0, cols*batchRows)}
}

func (b *batchInsert) sql(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.cols), ", ") + ")"
	return "INSERT INTO " + b.table + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// add queues one row (exactly cols values), writing a full batch.
func (b *batchInsert) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	if b.full == nil {
		st, err := b.tx.PrepareContext(ctx, b.sql(batchRows))
		if err != nil {
			return err
		}
		b.full = st
	}
	if _, err := b.full.ExecContext(ctx, b.args...); err != nil {
		return err
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}

// flush writes the rows still queued.
func (b *batchInsert) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.sql(b.rows), b.args...)
	b.args, b.rows = b.args[:0], 0
	return err
}

func (b *batchInsert) close() {
	if b.full != nil {
		b.full.Close()
	}
}
