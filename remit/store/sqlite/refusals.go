package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// refusalBook records a run's refusals on the receivables.
type refusalBook struct {
	stmt *sql.Stmt
	now  string // the run's time, as refused_at holds it
}

func newRefusalBook(ctx context.Context, tx *sql.Tx, now time.Time) (*refusalBook, error) {
	stmt, err := tx.PrepareContext(ctx, `UPDATE receivables SET refusal = ?, refused_at = ?, refusal_todo = ? WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	return &refusalBook{stmt: stmt, now: now.Format(remit.TimestampLayout)}, nil
}

func (b *refusalBook) close() { b.stmt.Close() }

// record refuses receivable id. prev and prevAt are its refusal and
// refused_at before the run: the same refusal keeps its first report.
// (A run that plans twice records twice: refused_at is then this run's,
// and the refusal stays new.)
func (b *refusalBook) record(ctx context.Context, id int64, prev, prevAt string, r *remit.Refusal, why remit.Reasons) error {
	texts, todo := why.Texts(), why.Todo()
	text := strings.Join(texts, "; ")
	since := b.now
	if prev == text && prevAt != "" {
		since = prevAt
	}
	r.Reasons, r.Todo, r.Advice = texts, todo, todo.Advice(r.Document)
	r.New = since == b.now
	r.Since = strings.Replace(since, "T", " ", 1)
	_, err := b.stmt.ExecContext(ctx, text, since, string(todo), id)
	return err
}
