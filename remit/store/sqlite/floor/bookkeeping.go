package floor

import (
	"database/sql"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// A Step is one step of a floor and the time it took.
type Step struct {
	Name string
	Took time.Duration
}

// BookkeepingSteps are the steps of Bookkeeping, in order.
var BookkeepingSteps = []string{"read", "mark", "items", "commit"}

// Bookkeeping measures the storage floor of a remittance run on the
// database at path (a copy: it is changed): the least any run that keeps
// remit's books asks of SQLite. Read every pointed receivable of method
// once (want of them), mark each remitted, store one row per item naming
// its receivable, payment block and sequence type (items and their
// sequence type are kept, receivables are marked), commit. Every statement
// takes its cheapest form: a table scan, the partial index dropped before
// the update, one INSERT … SELECT of narrow rows. Whatever remit does
// besides (mandate history, EPC checks, debtor snapshots, the indexes
// returns need, entries, formatting the file) comes on top.
func Bookkeeping(path, method string, want int) ([]Step, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	read := func() error { return readPointed(tx, method, want) }
	exec := func(qs ...string) func() error {
		return func() error {
			for _, q := range qs {
				if _, err := tx.Exec(q, method); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			return nil
		}
	}
	steps := []func() error{
		read,
		exec(`DROP INDEX receivables_pointed`,
			`UPDATE receivables SET status = 'remitted' WHERE status = 'pointed' AND method = ?`),
		exec(`CREATE TABLE floor_items (id INTEGER PRIMARY KEY, remittance INTEGER NOT NULL, receivable INTEGER NOT NULL,
				block INTEGER NOT NULL, sequence_type TEXT NOT NULL) STRICT`,
			`INSERT INTO floor_items (remittance, receivable, block, sequence_type)
				SELECT 1, id, 1, 'RCUR' FROM receivables WHERE status = 'remitted' AND method = ?`),
		tx.Commit,
	}
	var out []Step
	for i, step := range steps {
		start := time.Now()
		if err := step(); err != nil {
			return nil, fmt.Errorf("floor %s: %w", BookkeepingSteps[i], err)
		}
		out = append(out, Step{BookkeepingSteps[i], time.Since(start)})
	}
	return out, nil
}

// readPointed reads every pointed receivable of method once, checking
// there are want of them.
func readPointed(tx *sql.Tx, method string, want int) error {
	rows, err := tx.Query(`SELECT id, document, amount, due_date, customer_id, mandate_id, label
		FROM receivables NOT INDEXED WHERE status = 'pointed' AND method = ?`, method)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, amount, customer int64
		var mandate sql.NullInt64
		var doc, due, label string
		if err := rows.Scan(&id, &doc, &amount, &due, &customer, &mandate, &label); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("read %d pointed receivables, want %d", n, want)
	}
	return nil
}
