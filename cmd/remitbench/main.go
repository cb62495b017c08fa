// Command remitbench measures remit end to end on generated data, as a user
// runs it (the real binary, one process per stage), and writes
// BENCHMARKS.md: wall time and peak RSS (medians of -reps runs), throughput,
// and each stage against floors measured in the same run.
//
// Four parts, each a section of the report:
//   - one per data shape (-shapes): "ten" receivables per customer, or
//     "one" receivable per customer and per mandate; every stage, with the
//     import floor, the storage floors of sdd and lcr and the cat baselines
//     beside the stages they bound;
//   - history (-history-n, -history-months): month after month of
//     remittances on the same customers, the last run against the first
//     (measured alternately with it),
//     remit cancel, and how the database grows per remitted item;
//   - the peer (-peer-sepaxml, -peer-sizes): python-sepaxml writing the same
//     number of pain.008 transactions, interleaved with remit's sdd runs;
//   - the supplier side (-pay-sizes): pointed payables imported, then paid
//     by remit sct into a pain.001, beside the cat of that file;
//   - PostgreSQL (-pg, -pg-sizes, -pg-shape): a shape's stages with --db
//     naming a PostgreSQL database, beside SQLite's; -pg auto starts a
//     private cluster (remit/testtool/pgtest.Start) and stops it after;
//   - the Go micro-benchmarks (-micro);
//   - the outputs: the sha256 of what each stage wrote (its files' sha256sum
//     listing), the same at each of its runs, so that two runs of the bench,
//     two commits, can be compared byte for byte.
//
// `make bench` runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type result struct {
	section string // a shape's name, "history" or "peer"
	stage   string
	n       int
	wall    time.Duration
	rssKB   int64
	ratio   float64 // the section's ratio (remit ÷ floor, ÷ month 1, remit ÷ peer); 0: none
	note    string
	globs   []string // the files the stage writes, in its folder
	outputs []digest // what each run wrote there
}

type bench struct {
	bin, work string
	reps      int
	section   string // where measure records its results
	results   []*result
	untimed   []*result           // outputs digested outside a timed stage (the report's Outputs only)
	notes     map[string][]string // per section: paragraphs printed under its table
	env       []string
	shapes    []string // the shapes measured, in order
	sizes     []int
	history   historyConfig
	peer      peerConfig
	paySizes  []int
	pg        pgConfig
	pointed   map[string]bool // the folders whose pointed.db this run made
}

// now is the clock every remit process sees (REMIT_NOW), except in the
// history, which moves it month by month.
const now = "2026-11-23T09:00:00Z"

func main() {
	bin := flag.String("bin", "bin/remit", "the remit binary")
	work := flag.String("work", "bench/work", "scratch folder")
	sizes := flag.String("sizes", "10000,100000,1000000", "receivable counts, for every shape")
	shapes := flag.String("shapes", "ten,one", "data shapes, comma-separated (empty: none): "+shapeNames())
	reps := flag.Int("reps", 3, "repetitions per measurement (the median is reported)")
	out := flag.String("out", "BENCHMARKS.md", "report file")
	micro := flag.String("micro", "", "go test -bench output to include in the report")
	historyN := flag.Int("history-n", 100000, "debits per month in the history part (0: skip it)")
	historyMonths := flag.Int("history-months", 13, "monthly runs in the history part: the last one is timed against the first")
	peerDir := flag.String("peer-sepaxml", "", "a checkout of python-sepaxml 2.7.0 (the peer part is skipped, with a note, without it)")
	peerSizes := flag.String("peer-sizes", "200000,1000000", "transaction counts of the peer part")
	paySizes := flag.String("pay-sizes", "100000,1000000", "pointed payables counts of the supplier part (empty: skip it)")
	peerPython := flag.String("peer-python", defaultPython(), "the Python 3 that runs the peer (Debian's, with python3-text-unidecode)")
	floorDB := flag.String("floor", "", "internal: measure the storage floor on this database")
	floorMethod := flag.String("floor-method", "sdd", "internal: the floor's payment method")
	floorN := flag.Int("floor-n", 0, "internal: how many pointed receivables the floor's database holds")
	importFloorDB := flag.String("import-floor", "", "internal: measure the import floor on this (empty) database")
	importFloorCSV := flag.String("import-floor-csv", "", "internal: the CSV file the import floor inserts")
	tablesDB := flag.String("tables", "", "internal: print the rows and bytes of each table and index of this database")
	pgURL := flag.String("pg", "", "a PostgreSQL server (postgres://user@host:port/postgres) for the PostgreSQL part, or auto: a private "+
		"cluster started for the bench as the tests start theirs (skipped, with a note, when PostgreSQL is not installed); empty: "+
		"no PostgreSQL part. It makes and drops databases named remitbench_*")
	pgSizes := flag.String("pg-sizes", "100000", "receivable counts of the PostgreSQL part")
	pgShape := flag.String("pg-shape", "ten", "the data shape of the PostgreSQL part")
	flag.Parse()
	switch {
	case *floorDB != "":
		if err := floorMain(*floorDB, *floorMethod, *floorN); err != nil {
			fail(err)
		}
		return
	case *importFloorDB != "":
		if err := importFloorMain(*importFloorDB, *importFloorCSV); err != nil {
			fail(err)
		}
		return
	case *tablesDB != "":
		if err := tablesMain(*tablesDB); err != nil {
			fail(err)
		}
		return
	}
	abs, err := filepath.Abs(*bin)
	if err != nil {
		fail(err)
	}
	b := &bench{bin: abs, work: *work, reps: *reps, notes: map[string][]string{}, pointed: map[string]bool{},
		env:     append(os.Environ(), "REMIT_NOW="+now),
		history: historyConfig{n: *historyN, months: *historyMonths},
		peer:    peerConfig{dir: *peerDir, python: *peerPython},
		pg:      pgConfig{url: *pgURL, shape: *pgShape}}
	if b.sizes, err = parseSizes(*sizes); err != nil {
		fail(fmt.Errorf("-sizes: %w", err))
	}
	if b.peer.sizes, err = parseSizes(*peerSizes); err != nil {
		fail(fmt.Errorf("-peer-sizes: %w", err))
	}
	if b.paySizes, err = parseSizes(*paySizes); err != nil {
		fail(fmt.Errorf("-pay-sizes: %w", err))
	}
	if b.pg.sizes, err = parseSizes(*pgSizes); err != nil {
		fail(fmt.Errorf("-pg-sizes: %w", err))
	}
	if _, ok := shapeByName(b.pg.shape); !ok {
		fail(fmt.Errorf("-pg-shape: unknown shape %q (want %s)", b.pg.shape, shapeNames()))
	}
	for _, s := range strings.Split(*shapes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if _, ok := shapeByName(s); !ok {
			fail(fmt.Errorf("-shapes: unknown shape %q (want %s)", s, shapeNames()))
		}
		b.shapes = append(b.shapes, s)
	}
	if b.reps < 1 {
		fail(fmt.Errorf("-reps %d: want at least 1", b.reps))
	}
	if b.history.n > 0 && b.history.months < 2 {
		fail(fmt.Errorf("-history-months %d: want at least 2 (the last run is timed against the first)", b.history.months))
	}
	if err := os.MkdirAll(b.work, 0o755); err != nil {
		fail(err)
	}
	start := time.Now()
	for _, name := range b.shapes {
		s, _ := shapeByName(name)
		for _, n := range b.sizes {
			b.shapeSize(s, n)
		}
	}
	if b.history.n > 0 {
		b.runHistory()
	}
	b.runPeer()
	if len(b.paySizes) > 0 {
		b.payables(b.paySizes)
	}
	stop := b.startPostgres()
	b.runPostgres()
	stop()
	if err := b.report(*out, *micro, time.Since(start)); err != nil {
		fail(err)
	}
	fmt.Println("wrote", *out)
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 10 {
			return nil, fmt.Errorf("%q: want a whole number of at least 10", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "remitbench:", err)
	os.Exit(1)
}

func (b *bench) path(parts ...string) string {
	return filepath.Join(append([]string{b.work}, parts...)...)
}

// run executes the binary once and returns wall time and peak RSS.
func (b *bench) run(dir string, args ...string) (time.Duration, int64) {
	return b.runEnv(dir, b.env, args...)
}

// runEnv is run with its own environment (the history moves REMIT_NOW).
func (b *bench) runEnv(dir string, env []string, args ...string) (time.Duration, int64) {
	u := b.runUsage(dir, env, args...)
	return u.wall, u.rssKB
}

// usage is what one run of the binary took.
type usage struct {
	wall, cpu time.Duration // cpu: user + system
	rssKB     int64
}

// runUsage runs the binary in dir with env and returns its wall time, CPU
// time and peak RSS.
func (b *bench) runUsage(dir string, env []string, args ...string) usage {
	cmd := exec.Command(b.bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		fail(fmt.Errorf("remit %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr.String()))
	}
	ps := cmd.ProcessState
	return usage{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), rssKB: ps.SysUsage().(*syscall.Rusage).Maxrss}
}

// output runs the binary and returns its standard output (untimed).
func (b *bench) output(dir string, args ...string) string {
	cmd := exec.Command(b.bin, args...)
	cmd.Dir = dir
	cmd.Env = b.env
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		fail(fmt.Errorf("remit %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr))
	}
	return string(out)
}

func sh(dir, script string) time.Duration {
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		fail(fmt.Errorf("%s: %v\n%s", script, err, out))
	}
	return time.Since(start)
}

// self runs this program in one of its internal modes and returns what it
// printed and its peak RSS: floors run in a process of their own, so that
// this one's memory stays out of every figure.
func self(args ...string) (string, int64) {
	exe, err := os.Executable()
	if err != nil {
		fail(err)
	}
	cmd := exec.Command(exe, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fail(fmt.Errorf("remitbench %s: %v\n%s", strings.Join(args, " "), err, out))
	}
	return string(out), cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}

// measure repeats a stage: prepare restores its starting state (untimed).
func (b *bench) measure(stage string, n int, dir string, prepare func(), args ...string) *result {
	return b.measureOut(stage, n, dir, prepare, nil, args...)
}

// measureOut is measure for a stage that writes files: globs name them in
// dir, digested after each run (untimed).
func (b *bench) measureOut(stage string, n int, dir string, prepare func(), globs []string, args ...string) *result {
	var walls []time.Duration
	var rss []int64
	var outs []digest
	for i := 0; i < b.reps; i++ {
		if prepare != nil {
			prepare()
		}
		settle()
		w, r := b.run(dir, args...)
		walls, rss = append(walls, w), append(rss, r)
		if globs != nil {
			outs = append(outs, b.outputs(dir, globs))
		}
	}
	return b.record(result{stage: stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss), globs: globs, outputs: outs})
}

// outputs digests the files globs name in dir; a stage that wrote none of
// them failed.
func (b *bench) outputs(dir string, globs []string) digest {
	d, err := outputsOf(dir, globs)
	if err == nil && d.files == 0 {
		err = fmt.Errorf("no file %s in %s", strings.Join(globs, " "), dir)
	}
	if err != nil {
		fail(err)
	}
	return d
}

// record adds a result to the current section and prints it.
func (b *bench) record(r result) *result {
	r.section = b.section
	b.results = append(b.results, &r)
	rss := ""
	if r.rssKB > 0 {
		rss = fmt.Sprintf("%7.1f MB", float64(r.rssKB)/1024)
	}
	ratio := ""
	if r.ratio > 0 {
		ratio = fmt.Sprintf("  %.2f×", r.ratio)
	}
	fmt.Printf("%-8s %-40s %9d  %8.2f s  %10s%s  %s\n", r.section, r.stage, r.n, r.wall.Seconds(), rss, ratio, r.note)
	return &r
}

func medianDur(v []time.Duration) time.Duration {
	v = append([]time.Duration(nil), v...)
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

func medianInt(v []int64) int64 {
	v = append([]int64(nil), v...)
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

// copyDB replaces database to (in dir) with a copy of from, its WAL included.
func copyDB(dir, from, to string) {
	sh(dir, "rm -f "+to+" "+to+"-wal "+to+"-shm && cp "+from+" "+to+" && for s in -wal -shm; do [ -f "+from+"$s ] && cp "+from+"$s "+to+"$s; done; true")
	settle()
}

// settle writes every dirty page to disk (sync) before a timed run: a copy
// of a database left in the page cache is written back by the kernel while
// the next run works, and at its commit's fsync, so a stage would be charged
// for the copy made before it, in proportion to the database's size (a
// month-13 database of the history is nine times month 1's).
func settle() {
	if err := exec.Command("sync").Run(); err != nil {
		fail(fmt.Errorf("sync: %v", err))
	}
}

// snapshot copies dir's remit.db to name, its WAL folded in first.
func snapshot(dir, name string) {
	sh(dir, "sqlite3 remit.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1; rm -f "+name+"* && cp remit.db "+name+" && for s in -wal -shm; do [ -f remit.db$s ] && cp remit.db$s "+name+"$s; done; true")
	settle()
}

// restore returns a prepare function that puts snapshot name back as
// remit.db and empties the output folder.
func restore(dir, name string) func() {
	return func() {
		os.RemoveAll(filepath.Join(dir, "out"))
		copyDB(dir, name, "remit.db")
	}
}

// fileSize is the size of a database with its WAL.
func fileSize(path string) int64 {
	var total int64
	for _, s := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + s); err == nil {
			total += fi.Size()
		}
	}
	return total
}
