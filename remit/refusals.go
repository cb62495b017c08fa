package remit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// A run that cannot take a pointed receivable leaves it pointed, with its
// reasons (receivables.refusal), when the refusal was first reported
// (refused_at) and what to do about it (refusal_todo). The same refusal
// met again by a later run is not new: a nightly job reports it once, and
// lists it every night.

// Todo is what the accountant does about a refused receivable.
type Todo string

// What to do, from the least to the most.
const (
	TodoLater   Todo = "later"   // nothing: a later run takes it
	TodoCorrect Todo = "correct" // correct its data (the ERP's export, import) and the next run takes it
	TodoUnpoint Todo = "unpoint" // it cannot be collected this way: unpoint it and collect it otherwise
)

func (t Todo) rank() int {
	switch t {
	case TodoCorrect:
		return 1
	case TodoUnpoint:
		return 2
	}
	return 0
}

// Advice says what to do about the refused document, in a sentence.
func (t Todo) Advice(document string) string {
	unpoint := "remit unpoint --document " + shellQuote(document)
	switch t {
	case TodoCorrect:
		return "correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; " +
			"or leave it out: " + unpoint
	case TodoUnpoint:
		return "it cannot be collected this way: " + unpoint + ", and collect it otherwise; or, if its data is wrong, " +
			"correct it and import it again"
	case TodoLater:
		return "nothing to do: it stays pointed and a later run takes it"
	}
	return ""
}

// shellQuote quotes a document for a command line when it needs it.
func shellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:+=@%", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// reasons collects why a receivable is refused and the most a person must
// do about it.
type reasons struct {
	list []string
	todo Todo
}

func (r *reasons) add(todo Todo, format string, args ...any) {
	r.addText(todo, fmt.Sprintf(format, args...))
}

func (r *reasons) addText(todo Todo, why string) {
	r.list = append(r.list, why)
	if todo.rank() > r.todo.rank() || r.todo == "" {
		r.todo = todo
	}
}

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
	return &refusalBook{stmt: stmt, now: now.Format(timestampLayout)}, nil
}

func (b *refusalBook) close() { b.stmt.Close() }

// record refuses receivable id. prev and prevAt are its refusal and
// refused_at before the run: the same refusal keeps its first report.
// (A run that plans twice records twice: refused_at is then this run's,
// and the refusal stays new.)
func (b *refusalBook) record(ctx context.Context, id int64, prev, prevAt string, r *Refusal, why reasons) error {
	text := strings.Join(why.list, "; ")
	since := b.now
	if prev == text && prevAt != "" {
		since = prevAt
	}
	r.Reasons, r.Todo, r.Advice = why.list, why.todo, why.todo.Advice(r.Document)
	r.New = since == b.now
	r.Since = strings.Replace(since, "T", " ", 1)
	_, err := b.stmt.ExecContext(ctx, text, since, string(why.todo), id)
	return err
}
