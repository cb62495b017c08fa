// Command remitbench measures remit end to end on generated data, as a user
// runs it (the real binary, one process per stage), and writes
// BENCHMARKS.md: wall time and peak RSS (medians of -reps runs), throughput,
// and the pain.008 stage against a floor measured in the same run (cat of
// the same bytes). `make bench` runs it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

type result struct {
	stage string
	n     int
	wall  time.Duration
	rssKB int64
	note  string
}

type bench struct {
	bin, work string
	reps      int
	results   []result
	env       []string
}

func main() {
	bin := flag.String("bin", "bin/remit", "the remit binary")
	work := flag.String("work", "bench/work", "scratch folder")
	sizes := flag.String("sizes", "10000,100000,1000000", "receivable counts")
	reps := flag.Int("reps", 3, "repetitions per measurement (the median is reported)")
	out := flag.String("out", "BENCHMARKS.md", "report file")
	micro := flag.String("micro", "", "go test -bench output to include in the report")
	floorDB := flag.String("floor", "", "internal: measure the storage floor on this database")
	floorMethod := flag.String("floor-method", "sdd", "internal: the floor's payment method")
	floorN := flag.Int("floor-n", 0, "internal: how many pointed receivables the floor's database holds")
	flag.Parse()
	if *floorDB != "" {
		if err := floorMain(*floorDB, *floorMethod, *floorN); err != nil {
			fail(err)
		}
		return
	}
	abs, _ := filepath.Abs(*bin)
	b := &bench{bin: abs, work: *work, reps: *reps, env: append(os.Environ(), "REMIT_NOW=2026-11-23T09:00:00Z")}
	if err := os.MkdirAll(b.work, 0o755); err != nil {
		fail(err)
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		b.size(n)
	}
	if err := b.report(*out, *sizes, *micro); err != nil {
		fail(err)
	}
	fmt.Println("wrote", *out)
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
	cmd := exec.Command(b.bin, args...)
	cmd.Dir = dir
	cmd.Env = b.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 0 {
			fail(fmt.Errorf("remit %s: %v\n%s", strings.Join(args, " "), err, stderr.String()))
		}
	}
	return wall, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
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

// measure repeats a stage: prepare restores its starting state (untimed).
func (b *bench) measure(stage string, n int, dir string, prepare func(), args ...string) result {
	var walls []time.Duration
	var rss []int64
	for i := 0; i < b.reps; i++ {
		if prepare != nil {
			prepare()
		}
		w, r := b.run(dir, args...)
		walls, rss = append(walls, w), append(rss, r)
	}
	res := result{stage: stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss)}
	b.results = append(b.results, res)
	fmt.Printf("%-28s %9d  %8.2f s  %7.1f MB\n", stage, n, res.wall.Seconds(), float64(res.rssKB)/1024)
	return res
}

func medianDur(v []time.Duration) time.Duration {
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

func medianInt(v []int64) int64 {
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

const creditorArgs = `creditor set --name "ACME OUTILLAGE SARL" --ics FR72ZZZ123456 --iban FR7630004008280001012345691 --bic BNPAFRPP --nne 123456 --siren 123456782 --bank-name "BNP PARIBAS PARIS OPERA" --street "Rue de la Paix" --building 12 --postcode 75002 --town Paris --country FR`

func (b *bench) size(n int) {
	dir := b.path(fmt.Sprint(n))
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	sddCSV, lcrCSV := filepath.Join(dir, "sdd.csv"), filepath.Join(dir, "lcr.csv")
	if err := generate(sddCSV, n, "sdd"); err != nil {
		fail(err)
	}
	if err := generate(lcrCSV, n, "lcr"); err != nil {
		fail(err)
	}
	fresh := func() {
		os.RemoveAll(filepath.Join(dir, "out"))
		for _, f := range []string{"remit.db", "remit.db-wal", "remit.db-shm"} {
			os.Remove(filepath.Join(dir, f))
		}
		b.run(dir, "init")
		sh(dir, b.bin+" "+creditorArgs+" >/dev/null")
	}
	snapshot := func(name string) {
		sh(dir, "sqlite3 remit.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1; rm -f "+name+"* && cp remit.db "+name+" && for s in -wal -shm; do [ -f remit.db$s ] && cp remit.db$s "+name+"$s; done; true")
	}
	restore := func(name string) func() {
		return func() {
			os.RemoveAll(filepath.Join(dir, "out"))
			copyDB(dir, name, "remit.db")
		}
	}

	b.measure("import (SDD CSV)", n, dir, fresh, "import", "sdd.csv")
	snapshot("imported.db")
	b.measure("point (--method sdd)", n, dir, restore("imported.db"), "point", "--method", "sdd", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot("pointed.db")
	sdd := b.measure("sdd → pain.008.001.08", n, dir, restore("pointed.db"), "sdd", "--no-bordereau")
	// The floor: writing the same bytes (every pain.008 file of the stage: one
	// per scheme) with cat, measured now on the same disk.
	floor, size, files := b.catFloor(dir, "out/PAIEMENT.*.xml")
	b.results = append(b.results, result{stage: "baseline: cat of the same pain.008", n: n, wall: floor,
		note: fmt.Sprintf("%.0f MB in %d files; pain.008 stage = %.1f× the floor", float64(size)/1e6, files, sdd.wall.Seconds()/floor.Seconds())})
	fmt.Printf("%-28s %9d  %8.2f s  (ratio %.1f)\n", "baseline cat", n, floor.Seconds(), sdd.wall.Seconds()/floor.Seconds())
	b.floor(n, dir, "pointed.db", "sdd", floor, target(n, "5 s"))
	b.measure("sdd --cfonb (national + XML)", n, dir, restore("pointed.db"), "sdd", "--cfonb", "--no-bordereau")

	// LCR: its own database.
	fresh()
	b.run(dir, "import", "lcr.csv")
	b.run(dir, "point", "--method", "lcr", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot("lcr.db")
	lcr := b.measure("lcr → CFONB 160", n, dir, restore("lcr.db"), "lcr", "--no-bordereau")
	lcrCat, size, _ := b.catFloor(dir, "out/PAIEMENT.[0-9][0-9][0-9]")
	b.results = append(b.results, result{stage: "baseline: cat of the same CFONB file", n: n, wall: lcrCat,
		note: fmt.Sprintf("%.0f MB; lcr stage = %.1f× the floor", float64(size)/1e6, lcr.wall.Seconds()/lcrCat.Seconds())})
	b.floor(n, dir, "lcr.db", "lcr", lcrCat, target(n, "3 s"))
	snapshot("lcrdone.db")
	b.measure("bordereau (PDF slip)", n, dir, nil, "bordereau", "1", "-o", "slip.pdf")
	b.measure("entries → FEC export", n, dir, nil, "entries", "1", "--format", "fec", "-o", "ecritures.fec")

	// The nightly job end to end: import, then run, as cron runs it (with
	// the PDF slips), and without the slips.
	b.endToEnd(n, dir, fresh, "end to end: import → run", "pointed on import; SDD CORE+B2B, files, slips and entries")
	b.endToEnd(n, dir, fresh, "end to end, --no-bordereau", "the same without the PDF slips", "--no-bordereau")
}

// copyDB replaces database to (in dir) with a copy of from, its WAL included.
func copyDB(dir, from, to string) {
	sh(dir, "rm -f "+to+" "+to+"-wal "+to+"-shm && cp "+from+" "+to+" && for s in -wal -shm; do [ -f "+from+"$s ] && cp "+from+"$s "+to+"$s; done; true")
}

// target is the target for n receivables: they are set at a million.
func target(n int, t string) string {
	if n == 1_000_000 {
		return t
	}
	return ""
}

// endToEnd measures import then run from a fresh database, b.reps times.
func (b *bench) endToEnd(n int, dir string, fresh func(), stage, note string, runArgs ...string) {
	var walls []time.Duration
	var rss []int64
	for i := 0; i < b.reps; i++ {
		fresh()
		w1, r1 := b.run(dir, "import", "sdd-pointed.csv")
		w2, r2 := b.run(dir, append([]string{"run"}, runArgs...)...)
		walls, rss = append(walls, w1+w2), append(rss, max(r1, r2))
	}
	res := result{stage: stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss), note: note}
	b.results = append(b.results, res)
	fmt.Printf("%-28s %9d  %8.2f s  %7.1f MB\n", res.stage, n, res.wall.Seconds(), float64(res.rssKB)/1024)
}

// generate writes n receivables of one method: 10 per customer, one mandate
// per customer (B2B for one customer in ten), 90 % of mandates already
// collected (RCUR), structured addresses, valid French IBANs. For SDD it also
// writes sdd-pointed.csv, the same lines pointed on import.
func generate(path string, n int, method string) error {
	write := func(path string, pointed string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		fmt.Fprintln(w, "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_last_collected,acceptance,street,building,postcode,town,country,bank_name,label,pointed")
		customers := (n + 9) / 10
		ibans := make([]string, customers)
		for c := 0; c < customers; c++ {
			acct := fmt.Sprintf("%011d", 10000000+c)
			key, _ := ident.RIBKey("30004", "00828", acct)
			ibans[c] = ident.RIB{Bank: "30004", Branch: "00828", Account: acct, Key: key}.IBAN()
		}
		accept := []string{"accepted", "not_accepted", "bor"}
		for i := 0; i < n; i++ {
			c := i % customers
			day := 1 + i%28
			month := 12 + (i/28)%6
			year := 2026 + (month-1)/12
			month = (month-1)%12 + 1
			// 10 € to 9 000 €: a million LCR bills still fit in one remise (12-digit total).
			amount := 1000 + (i*7919)%899000
			scheme, last, rum, signed, acc := "", "", "", "", ""
			if method == "sdd" {
				scheme, rum, signed = "CORE", fmt.Sprintf("RUM-%07d", c), "2024-01-15"
				if c%10 == 0 {
					scheme = "B2B"
				}
				if c%10 != 9 {
					last = "2026-10-05"
				}
			} else {
				acc = accept[i%3]
			}
			fmt.Fprintf(w, "F%08d,411C%06d,Client %d SARL,%d.%02d,%04d-%02d-%02d,%s,%s,BNPAFRPP,%s,%s,%s,%s,%s,Rue de la République,%d,69002,Lyon,FR,BNP PARIBAS LYON,Facture %d,%s\n",
				i, c, c, amount/100, amount%100, year, month, day, method, ibans[c], rum, signed, scheme, last, acc, 1+c%200, i, pointed)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Close()
	}
	if err := write(path, "no"); err != nil {
		return err
	}
	if method == "sdd" {
		return write(filepath.Join(filepath.Dir(path), "sdd-pointed.csv"), "yes")
	}
	return nil
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				model = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if len(f) >= 2 {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/1024/1024)
		}
	}
	return fmt.Sprintf("%d cores (%s)%s, %s %s/%s", runtime.NumCPU(), model, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func (b *bench) report(path, sizes, micro string) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# remit benchmarks\n\nMeasured by `make bench` (`go run ./cmd/remitbench`) on %s, %s.\n\n", time.Now().UTC().Format("2006-01-02"), machine())
	fmt.Fprintf(&sb, "Each stage runs the real `remit` binary as a user would, on generated data (sizes %s; 10 receivables\n"+
		"per customer, one mandate per customer, 90 %% of mandates already collected, one customer in ten on B2B),\n"+
		"from a copy of the database the previous stage left. Wall time and peak RSS (from rusage) are the\n"+
		"**median of %d runs**. Throughput is receivables per second.\n\n"+
		"Two kinds of row are floors, not remit: a *baseline* copies a stage's output with `cat` and syncs it\n"+
		"(writing the bytes, nothing else); a *floor* runs, on a copy of the stage's database and with no remit\n"+
		"code, the least SQLite work any run that keeps the books must do: read each pointed receivable once,\n"+
		"mark it remitted, store one narrow row per item with its payment block and sequence type, commit\n"+
		"(cheapest forms: a table scan, the partial index dropped, one INSERT … SELECT).\n\n", sizes, b.reps)
	sb.WriteString("| stage | receivables | wall (median) | peak RSS | throughput | note |\n|---|---:|---:|---:|---:|---|\n")
	for _, r := range b.results {
		rss := "–"
		if r.rssKB > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(r.rssKB)/1024)
		}
		fmt.Fprintf(&sb, "| %s | %d | %.2f s | %s | %.0f/s | %s |\n", r.stage, r.n, r.wall.Seconds(), rss, float64(r.n)/r.wall.Seconds(), r.note)
	}
	if micro != "" {
		if m, err := os.ReadFile(micro); err == nil {
			sb.WriteString("\n## Go micro-benchmarks\n\n`go test -run '^$' -bench . -benchmem ./...`, one run each:\n\n```\n")
			for _, l := range strings.Split(string(m), "\n") {
				if strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "pkg:") {
					sb.WriteString(l + "\n")
				}
			}
			sb.WriteString("```\n")
		}
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}
