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
	for m := 1; m <= h.months; m++ {
		b.env = append(append([]string(nil), env...), "REMIT_NOW="+monthNow(m))
		d := dataset{n: n, perCustomer: 1, months: 1, first: 2026*12 + 11 + (m - 1), core: true, prefix: fmt.Sprintf("M%02d-", m)}
		csvName := fmt.Sprintf("month%02d.csv", m)
		if err := d.write(filepath.Join(dir, csvName), "sdd", "yes"); err != nil {
			fail(err)
		}
		timed := m == 1 || m == h.months
		if timed {
			// The month's import and run, each b.reps times from the state before it.
			which := &first
			label := "month 1 (no history)"
			if m == h.months {
				which = &last
				label = fmt.Sprintf("month %d (%d earlier remittance%s)", m, m-1, map[bool]string{true: "s"}[m > 2])
			}
			snapshot(dir, "before-import.db")
			which.imp = b.measure("import, "+label, n, dir, restore(dir, "before-import.db"), "import", csvName)
			snapshot(dir, "before-sdd.db")
			which.sdd = b.measure("sdd --no-bordereau, "+label, n, dir, restore(dir, "before-sdd.db"), "sdd", "--no-bordereau")
			imports, runs = append(imports, which.imp.wall), append(runs, which.sdd.wall)
		} else {
			w, _ := b.run(dir, "import", csvName)
			imports = append(imports, w)
			w, _ = b.run(dir, "sdd", "--no-bordereau")
			runs = append(runs, w)
		}
		os.Remove(filepath.Join(dir, csvName))
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
		last.imp.ratio = last.imp.wall.Seconds() / first.imp.wall.Seconds()
		last.sdd.ratio = last.sdd.wall.Seconds() / first.sdd.wall.Seconds()

		snapshot(dir, "ran.db")
		cancel := b.measure(fmt.Sprintf("remit cancel of month %d's remittance", m), n, dir, restore(dir, "ran.db"), "cancel", refs[0].ref, "--yes")
		cancel.note = fmt.Sprintf("remittance %s, %d debits, not yet sent; its receivables back to pointed, its entries reversed", refs[0].ref, n)
		snapshot(dir, "cancelled.db")
		again := b.measure(fmt.Sprintf("sdd --no-bordereau, month %d again after the cancel", m), n, dir, restore(dir, "cancelled.db"), "sdd", "--no-bordereau")
		again.ratio = again.wall.Seconds() / first.sdd.wall.Seconds()
		b.notes["history"] = append(b.notes["history"],
			monthSeries("import", imports), monthSeries("sdd --no-bordereau", runs),
			growth(afterFirst, afterLast, sizeFirst, sizeLast, int64(h.months-1)*int64(n), h.months))
	}
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
