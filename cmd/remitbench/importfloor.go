package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite/floor"
)

// importFloorMain is the import floor process: remitbench -import-floor DB
// -import-floor-csv FILE. It prints each step's seconds on one line
// ("read=0.91 customers=…"), "total" the whole transaction's: see
// floor.Import.
func importFloorMain(path, csvPath string) error {
	steps, total, err := floor.Import(path, csvPath, now[:19])
	if err != nil {
		return err
	}
	var out []string
	for _, s := range steps {
		out = append(out, fmt.Sprintf("%s=%.4f", s.Name, s.Took.Seconds()))
	}
	fmt.Println(strings.Join(out, " "), fmt.Sprintf("total=%.4f", total.Seconds()))
	return nil
}

// importFloor measures the import floor b.reps times, each on a copy of
// empty (in dir) in a process of its own, checks that it wrote the rows
// remit's import wrote (imported), and sets the stage's ratio to it.
func (b *bench) importFloor(n int, dir, empty, csvName, imported string, stage *result) {
	steps := map[string][]time.Duration{}
	var totals []time.Duration
	for i := 0; i < b.reps; i++ {
		copyDB(dir, empty, "floor.db")
		out, _ := self("-import-floor", filepath.Join(dir, "floor.db"), "-import-floor-csv", filepath.Join(dir, csvName))
		for _, kv := range strings.Fields(out) {
			k, v, _ := strings.Cut(kv, "=")
			s, err := strconv.ParseFloat(v, 64)
			if err != nil {
				fail(fmt.Errorf("import floor: %q: %v", out, err))
			}
			d := time.Duration(s * float64(time.Second))
			if k == "total" {
				totals = append(totals, d)
			} else {
				steps[k] = append(steps[k], d)
			}
		}
	}
	theirs, ours := readTables(filepath.Join(dir, imported)), readTables(filepath.Join(dir, "floor.db"))
	sh(dir, "rm -f floor.db floor.db-wal floor.db-shm")
	var counts []string
	for _, t := range []string{"customers", "mandates", "mandate_history", "receivables"} {
		if theirs[t].rows != ours[t].rows {
			fail(fmt.Errorf("import floor: %d rows in %s, remit's import wrote %d", ours[t].rows, t, theirs[t].rows))
		}
		counts = append(counts, fmt.Sprintf("%d %s", ours[t].rows, strings.ReplaceAll(t, "_", " ")))
	}
	total := medianDur(totals)
	var parts []string
	for _, s := range floor.ImportSteps {
		parts = append(parts, fmt.Sprintf("%s %.2f", s, medianDur(steps[s]).Seconds()))
	}
	stage.ratio = stage.wall.Seconds() / total.Seconds()
	b.record(result{stage: "floor: import in SQLite, no checks", n: n, wall: total,
		note: fmt.Sprintf("no remit code, batched INSERTs, one transaction: %s s (reading beside the inserts, on the other core); "+
			"the same rows (%s): database %s, remit's %s",
			strings.Join(parts, ", "), strings.Join(counts, ", "), mb(ours.bytes()), mb(theirs.bytes()))})
}
