package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite/floor"
)

// floorMain is the floor process: remitbench -floor DB -floor-method M.
// It prints each step's seconds on one line ("read=0.98 mark=…"): see
// floor.Bookkeeping.
func floorMain(path, method string, want int) error {
	steps, err := floor.Bookkeeping(path, method, want)
	if err != nil {
		return err
	}
	var out []string
	for _, s := range steps {
		out = append(out, fmt.Sprintf("%s=%.4f", s.Name, s.Took.Seconds()))
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
	for _, s := range floor.BookkeepingSteps {
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
