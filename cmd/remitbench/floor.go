package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// The storage floor: the least any remittance run that keeps remit's books
// asks of SQLite, measured on a copy of the stage's starting database. Read
// every pointed receivable once, mark each remitted, store one row per item
// naming its receivable, payment block and sequence type (the issue's
// bookkeeping: items and their sequence type are kept, receivables are
// marked), commit. No remit code runs, and every statement takes its
// cheapest form: a table scan, the partial index dropped before the
// update, one INSERT … SELECT of narrow rows. Whatever remit does besides
// (mandate history, EPC checks, debtor snapshots, the indexes returns need,
// entries, formatting the file) comes on top.
var floorSteps = []string{"read", "mark", "items", "commit"}

// floorMain is the floor process: remitbench -floor DB -floor-method M.
// It prints each step's seconds on one line ("read=0.98 mark=…").
func floorMain(path, method string, want int) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	read := func() error {
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
	var out []string
	for i, step := range steps {
		start := time.Now()
		if err := step(); err != nil {
			return fmt.Errorf("floor %s: %w", floorSteps[i], err)
		}
		out = append(out, fmt.Sprintf("%s=%.4f", floorSteps[i], time.Since(start).Seconds()))
	}
	fmt.Println(strings.Join(out, " "))
	return nil
}

// floor measures the storage floor b.reps times on copies of db (in dir),
// each in its own process so that this one's memory stays out of the
// figures, records it with the file floor (cat) beside it, and sets the
// stage's ratio to it.
func (b *bench) floor(n int, dir, db, method string, cat time.Duration, stage *result) {
	steps := map[string][]time.Duration{}
	var totals []time.Duration
	for i := 0; i < b.reps; i++ {
		copyDB(dir, db, "floor.db")
		out, _ := self("-floor", filepath.Join(dir, "floor.db"), "-floor-method", method, "-floor-n", fmt.Sprint(n))
		var total time.Duration
		for _, kv := range strings.Fields(out) {
			k, v, _ := strings.Cut(kv, "=")
			var s float64
			fmt.Sscan(v, &s)
			d := time.Duration(s * float64(time.Second))
			steps[k] = append(steps[k], d)
			total += d
		}
		totals = append(totals, total)
	}
	sh(dir, "rm -f floor.db floor.db-wal floor.db-shm")
	total := medianDur(totals)
	var parts []string
	for _, s := range floorSteps {
		parts = append(parts, fmt.Sprintf("%s %.2f", s, medianDur(steps[s]).Seconds()))
	}
	stage.ratio = stage.wall.Seconds() / total.Seconds()
	b.record(result{stage: "floor: " + method + " bookkeeping in SQLite", n: n, wall: total,
		note: fmt.Sprintf("SQLite only, no remit code: %s s; with the file's cat: %.2f s (stage = %.1f× that)",
			strings.Join(parts, ", "), (total + cat).Seconds(), stage.wall.Seconds()/(total+cat).Seconds())})
}

// catFloor is the median time to copy the files matching glob (in dir) with
// cat and sync the copy, and their total size.
func (b *bench) catFloor(dir, glob string) (time.Duration, int64, int) {
	files, _ := filepath.Glob(filepath.Join(dir, glob))
	if len(files) == 0 {
		fail(fmt.Errorf("no file %s in %s", glob, dir))
	}
	// Concatenated by cat, not read into this process: a child started by
	// vfork is charged this process's peak RSS, which would skew every
	// later stage's figure.
	sh(dir, "cat "+glob+" > premade.bin")
	fi, err := os.Stat(filepath.Join(dir, "premade.bin"))
	if err != nil {
		fail(err)
	}
	var cats []time.Duration
	for i := 0; i < b.reps; i++ {
		cats = append(cats, sh(dir, "cat premade.bin > copy.bin && sync copy.bin && rm copy.bin"))
	}
	os.Remove(filepath.Join(dir, "premade.bin"))
	return medianDur(cats), fi.Size(), len(files)
}
