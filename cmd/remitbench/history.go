package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The history: months of remittances on the same customers, made by remit
// itself month after month (REMIT_NOW moved), then the last month's run
// timed against the first's, remit cancel of the last remittance, the run
// after the cancel, and how the database grows.
type historyConfig struct {
	n, months int
}

// monthNow is REMIT_NOW for month m (1-based): the 23rd of the month
// before its receivables fall due (month 1: due in December 2026).
func monthNow(m int) string {
	due := 2026*12 + 11 + (m - 1)
	prev := due - 1
	return fmt.Sprintf("%04d-%02d-23T09:00:00Z", prev/12, prev%12+1)
}

func (b *bench) runHistory() {
	b.section = "history"
	h := b.history
	dir := b.path("history")
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	env := b.env
	defer func() { b.env = env }()
	b.fresh(dir)()
	n := h.n

	var imports, runs []time.Duration
	var first, last struct{ imp, sdd *result }
	var afterFirst tables
	var sizeFirst int64
	month := func(m int) []string { return append(append([]string(nil), env...), "REMIT_NOW="+monthNow(m)) }
	for m := 1; m <= h.months; m++ {
		b.env = month(m)
		d := dataset{n: n, perCustomer: 1, months: 1, first: 2026*12 + 11 + (m - 1), core: true, prefix: fmt.Sprintf("M%02d-", m)}
		csvName := fmt.Sprintf("month%02d.csv", m)
		if err := d.write(filepath.Join(dir, csvName), "sdd", "yes"); err != nil {
			fail(err)
		}
		switch m {
		case 1:
			// Kept, with its CSV, to be measured beside the last month.
			snapshot(dir, "month01-import.db")
			w, _ := b.run(dir, "import", csvName)
			imports = append(imports, w)
			snapshot(dir, "month01-sdd.db")
			w, _ = b.run(dir, "sdd", "--no-bordereau")
			runs = append(runs, w)
		case h.months:
			// The last month's import and run, each measured b.reps times
			// from the state before it, interleaved with month 1's from its
			// own: the machine's drift falls on both alike.
			label := fmt.Sprintf("month %d (%d earlier remittance%s)", m, m-1, map[bool]string{true: "s"}[m > 2])
			snapshot(dir, "before-import.db")
			first.imp, last.imp = b.measurePair(n, dir,
				pairRun{"import, month 1 (no history)", month(1), "month01-import.db", []string{"import", "month01.csv"}, nil},
				pairRun{"import, " + label, b.env, "before-import.db", []string{"import", csvName}, nil})
			snapshot(dir, "before-sdd.db")
			first.sdd, last.sdd = b.measurePair(n, dir,
				pairRun{"sdd --no-bordereau, month 1 (no history)", month(1), "month01-sdd.db", []string{"sdd", "--no-bordereau"}, []string{"out/*"}},
				pairRun{"sdd --no-bordereau, " + label, b.env, "before-sdd.db", []string{"sdd", "--no-bordereau"}, []string{"out/*"}})
			imports[0], runs[0] = first.imp.wall, first.sdd.wall
			imports, runs = append(imports, last.imp.wall), append(runs, last.sdd.wall)
			os.Remove(filepath.Join(dir, "month01.csv"))
		default:
			w, _ := b.run(dir, "import", csvName)
			imports = append(imports, w)
			w, _ = b.run(dir, "sdd", "--no-bordereau")
			runs = append(runs, w)
		}
		if m > 1 {
			os.Remove(filepath.Join(dir, csvName))
		}
		refs := b.createdRemittances(dir)
		if len(refs) != 1 || refs[0].count != n {
			fail(fmt.Errorf("history month %d: want one remittance of %d debits not yet sent, have %v", m, n, refs))
		}
		if m == 1 {
			afterFirst, sizeFirst = readTables(filepath.Join(dir, "remit.db")), fileSize(filepath.Join(dir, "remit.db"))
		}
		if m < h.months {
			// Sent to the bank, as every month before the last.
			b.run(dir, "mark-sent", refs[0].ref)
			continue
		}
		afterLast, sizeLast := readTables(filepath.Join(dir, "remit.db")), fileSize(filepath.Join(dir, "remit.db"))

		snapshot(dir, "ran.db")
		var walls, cpus, rss []time.Duration
		for i := 0; i < b.reps; i++ {
			restore(dir, "ran.db")() // synced (copyDB)
			u := b.runUsage(dir, b.env, "cancel", refs[0].ref, "--yes")
			walls, cpus, rss = append(walls, u.wall), append(cpus, u.cpu), append(rss, time.Duration(u.rssKB))
		}
		b.record(result{stage: fmt.Sprintf("remit cancel of month %d's remittance", m), n: n, wall: medianDur(walls), rssKB: int64(medianDur(rss)),
			note: fmt.Sprintf("remittance %s, %d debits, not yet sent; its receivables back to pointed, its entries reversed; CPU %.2f s",
				refs[0].ref, n, medianDur(cpus).Seconds())})
		snapshot(dir, "cancelled.db")
		// Alternately with month 1's run, as the last month's.
		_, again := b.alternate(n, dir,
			pairRun{"sdd --no-bordereau, month 1 (no history)", month(1), "month01-sdd.db", []string{"sdd", "--no-bordereau"}, nil},
			pairRun{fmt.Sprintf("sdd --no-bordereau, month %d again after the cancel", m), b.env, "cancelled.db", []string{"sdd", "--no-bordereau"}, []string{"out/*"}})
		b.record(again)
		// The entries of the cancelled remittance (its collection, its
		// reversal) and of the one that collects its receivables again, with
		// their lettering, for the outputs' digests (untimed).
		again2 := b.createdRemittances(dir)
		if len(again2) != 1 {
			fail(fmt.Errorf("history: want one remittance after the cancel, have %v", again2))
		}
		b.output(dir, "entries", refs[0].ref, again2[0].ref, "--format", "fec", "-o", "cancel-and-again.fec")
		b.untimed = append(b.untimed, &result{section: "history", stage: fmt.Sprintf("entries → FEC of remittances %s (cancelled) and %s", refs[0].ref, again2[0].ref),
			n: n, globs: []string{"cancel-and-again.fec"}, outputs: []digest{b.outputs(dir, []string{"cancel-and-again.fec"})}})
		b.notes["history"] = append(b.notes["history"],
			monthSeries("import", imports), monthSeries("sdd --no-bordereau", runs),
			growth(afterFirst, afterLast, sizeFirst, sizeLast, int64(h.months-1)*int64(n), h.months))
	}
}

// pairRun is one side of measurePair: a stage, its environment, the
// snapshot it starts from and its arguments.
type pairRun struct {
	stage    string
	env      []string
	snapshot string
	args     []string
	globs    []string // the files it writes, digested after each run (untimed)
}

// measurePair measures a and b b.reps times each, alternately (a, b, a, b,
// …; b last, so that dir is left as b's run left it), and records both:
// b with its ratio to a, in wall time, and in a note the same ratio in CPU
// time (user + system), which a busy machine disturbs less.
func (b *bench) measurePair(n int, dir string, x, y pairRun) (*result, *result) {
	rx, ry := b.alternate(n, dir, x, y)
	return b.record(rx), b.record(ry)
}

// alternate is measurePair's measuring: the medians of x and y, y with
// its ratios to x, neither recorded.
func (b *bench) alternate(n int, dir string, x, y pairRun) (result, result) {
	var walls, cpus, rss [2][]time.Duration
	var outs [2][]digest
	for i := 0; i < b.reps; i++ {
		for k, p := range []pairRun{x, y} {
			restore(dir, p.snapshot)() // synced (copyDB)
			u := b.runUsage(dir, p.env, p.args...)
			walls[k], cpus[k] = append(walls[k], u.wall), append(cpus[k], u.cpu)
			rss[k] = append(rss[k], time.Duration(u.rssKB))
			if p.globs != nil {
				outs[k] = append(outs[k], b.outputs(dir, p.globs))
			}
		}
	}
	median := func(v []time.Duration) time.Duration { return medianDur(v) }
	rx := result{stage: x.stage, n: n, wall: median(walls[0]), rssKB: int64(median(rss[0])),
		note: fmt.Sprintf("CPU %.2f s", median(cpus[0]).Seconds()), globs: x.globs, outputs: outs[0]}
	ry := result{stage: y.stage, n: n, wall: median(walls[1]), rssKB: int64(median(rss[1])), globs: y.globs, outputs: outs[1]}
	ry.ratio = ry.wall.Seconds() / rx.wall.Seconds()
	ry.note = fmt.Sprintf("CPU %.2f s, %.2f× month 1's; measured alternately with month 1", median(cpus[1]).Seconds(),
		median(cpus[1]).Seconds()/median(cpus[0]).Seconds())
	return rx, ry
}

type remittanceRow struct {
	ref   string
	count int
}

// createdRemittances lists the remittances not yet sent (remit remittances --format csv).
func (b *bench) createdRemittances(dir string) []remittanceRow {
	recs, err := csv.NewReader(strings.NewReader(b.output(dir, "remittances", "--format", "csv"))).ReadAll()
	if err != nil || len(recs) == 0 {
		fail(fmt.Errorf("remit remittances --format csv: %v", err))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var rows []remittanceRow
	for _, r := range recs[1:] {
		if r[col["status"]] != "created" {
			continue
		}
		var count int
		fmt.Sscan(r[col["count"]], &count)
		rows = append(rows, remittanceRow{ref: r[col["ref"]], count: count})
	}
	return rows
}

// monthSeries is one line of the month-by-month figures (one run each,
// except the first and last months: their medians).
func monthSeries(what string, walls []time.Duration) string {
	var s []string
	for _, w := range walls {
		s = append(s, fmt.Sprintf("%.2f", w.Seconds()))
	}
	return fmt.Sprintf("%s, month by month (s; one run each, the first and last the medians above): %s.", what, strings.Join(s, ", "))
}

// growth says how the database grew from month 1 to the last month, per
// remitted item: in all, and for each table and index that grew most.
func growth(before, after tables, sizeBefore, sizeAfter, items int64, months int) string {
	perItem := func(b int64) float64 { return float64(b) / float64(items) }
	var sb strings.Builder
	fmt.Fprintf(&sb, "Database: %s after month 1, %s after month %d (file with its WAL); pages in use %s → %s. "+
		"Months 2 to %d added **%.0f bytes per remitted item** (file), %.0f in pages in use: each month imports its receivables, "+
		"remits them and books their entries. Per item, by table and index (growth over those months):",
		mb(sizeBefore), mb(sizeAfter), months, mb(before.bytes()), mb(after.bytes()),
		months, perItem(sizeAfter-sizeBefore), perItem(after.bytes()-before.bytes()))
	type grown struct {
		name  string
		bytes int64
	}
	var gs []grown
	for name, t := range after {
		if g := t.bytes - before[name].bytes; g > 0 {
			gs = append(gs, grown{name, g})
		}
	}
	sort.Slice(gs, func(i, j int) bool {
		if gs[i].bytes != gs[j].bytes {
			return gs[i].bytes > gs[j].bytes
		}
		return gs[i].name < gs[j].name
	})
	var parts []string
	var rest int64
	for i, g := range gs {
		if i >= 10 || perItem(g.bytes) < 0.5 {
			rest += g.bytes
			continue
		}
		kind := "table"
		if after[g.name].index {
			kind = "index"
		}
		parts = append(parts, fmt.Sprintf("%s (%s) %.0f", g.name, kind, perItem(g.bytes)))
	}
	if perItem(rest) >= 0.5 {
		parts = append(parts, fmt.Sprintf("the others %.0f", perItem(rest)))
	}
	sb.WriteString(" " + strings.Join(parts, ", ") + ".")
	return sb.String()
}
