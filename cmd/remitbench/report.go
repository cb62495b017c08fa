package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

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

// mb formats a size in megabytes (10^6 bytes), with a decimal under 10.
func mb(bytes int64) string {
	if bytes < 10e6 {
		return fmt.Sprintf("%.1f MB", float64(bytes)/1e6)
	}
	return fmt.Sprintf("%.0f MB", float64(bytes)/1e6)
}

func joinInts(v []int) string {
	var s []string
	for _, n := range v {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ",")
}

// report writes the report: a section per shape, then the history, the
// peer and the micro-benchmarks.
func (b *bench) report(path, micro string, took time.Duration) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# remit benchmarks\n\nMeasured by `make bench` (`go run ./cmd/remitbench`) on %s, %s, in %.0f minutes "+
		"(`-shapes %s -sizes %s -reps %d -history-n %d -history-months %d -peer-sizes %s -pay-sizes %s`).\n\n",
		time.Now().UTC().Format("2006-01-02"), machine(), took.Minutes(),
		strings.Join(b.shapes, ","), joinInts(b.sizes), b.reps, b.history.n, b.history.months, joinInts(b.peer.sizes), joinInts(b.paySizes))
	fmt.Fprintf(&sb, "Each stage runs the real `remit` binary as a user would, on generated data, from a copy of the database\n"+
		"the previous stage left. Wall time and peak RSS (from rusage) are the **median of %d runs**. Throughput is\n"+
		"receivables per second. Each timed run starts after a `sync`: a run is not charged for the kernel writing\n"+
		"back the copy of the database made just before it.\n\n"+
		"Rows named *baseline* or *floor* are not remit; each is measured in the same run, on the same disk, beside\n"+
		"the stage it bounds, and the **remit ÷ floor** column divides the stage's wall time by it:\n"+
		"- a *baseline* copies a stage's output with `cat` and syncs it (writing the bytes, nothing else);\n"+
		"- a *bookkeeping floor* runs, on a copy of the stage's database and with no remit code, the least SQLite\n"+
		"  work any run that keeps the books must do: read each pointed receivable once, mark it remitted, store\n"+
		"  one narrow row per item with its payment block and sequence type, commit (cheapest forms: a table scan,\n"+
		"  the partial index dropped, one INSERT … SELECT);\n"+
		"- the *import floor* inserts, on a copy of the empty database the import starts from (same schema and\n"+
		"  indexes), the rows remit's import writes (its record, customers, mandates, their earlier collections,\n"+
		"  receivables: the counts are checked equal), with no check at all: the CSV read by `encoding/csv` on one\n"+
		"  core, plain multi-row INSERTs in one transaction on the other, FNV hashes where remit keeps SHA-256 ones.\n\n"+
		"Issue 22's targets, on both shapes at 1M: sdd and lcr within 2× their bookkeeping floor, import within 2×\n"+
		"its floor, peak RSS under 100 MB and flat from 100k to 1M.\n", b.reps)
	for _, name := range b.shapes {
		s, _ := shapeByName(name)
		fmt.Fprintf(&sb, "\n## %s\n\n%s Sizes %s.\n\n", s.title, s.describe, joinInts(b.sizes))
		b.table(&sb, name, "remit ÷ floor")
	}
	if b.history.n > 0 {
		fmt.Fprintf(&sb, "\n## History: %d monthly remittances of %d debits on the same customers\n\n", b.history.months, b.history.n)
		fmt.Fprintf(&sb, "One database, made by remit itself month after month (`REMIT_NOW` moved to the 23rd of the month before\n"+
			"the due dates): each month imports %d receivables (shape “one”, every mandate CORE so that a month is one\n"+
			"remittance; new documents, the same customers and mandates, pointed on import), runs `remit sdd\n"+
			"--no-bordereau` and marks the remittance sent, as its files went to the bank. Month 1's database and CSV\n"+
			"are kept: the first and last months' import and run are then measured alternately (month 1, last month,\n"+
			"month 1, …), each from a copy of the state before it, so that the machine's drift falls on both alike;\n"+
			"then `remit cancel` of the last remittance (not yet sent), and the run that remits its receivables again,\n"+
			"measured alternately with month 1's run as well (its own month 1 medians, not shown, beside it).\n"+
			"The ratio is against month 1, in wall time; the note gives it in CPU time (user + system) too (issue 22:\n"+
			"the last run within 10 %% of the first, cancel under 2 s).\n\n", b.history.n)
		b.table(&sb, "history", "÷ month 1")
		for _, note := range b.notes["history"] {
			sb.WriteString("\n" + note + "\n")
		}
	}
	if len(b.peer.sizes) > 0 {
		fmt.Fprintf(&sb, "\n## Peer: python-sepaxml %s\n\n", peerVersion)
		fmt.Fprintf(&sb, "[python-sepaxml](https://github.com/raphaelm/python-sepaxml) %s (its tag, run by Debian's Python with\n"+
			"`python3-text-unidecode`) writes the same number of pain.008.001.08 transactions as remit's `sdd --no-bordereau`\n"+
			"on shape “one”: the same debtors, amounts, mandates, sequence types and dates, one file per scheme, built in\n"+
			"memory by a small driver (cmd/remitbench/sepaxml_driver.py) with no database and no CSV, exported without\n"+
			"its XSD validation. The two run interleaved (remit, peer, remit, peer…), %d times each; the ratio is\n"+
			"remit's wall time ÷ the peer's.\n\n", peerVersion, b.reps)
		if rows := b.sectionResults("peer"); len(rows) > 0 {
			b.table(&sb, "peer", "remit ÷ peer")
		}
		for _, note := range b.notes["peer"] {
			sb.WriteString("\n" + note + "\n")
		}
	}
	if len(b.paySizes) > 0 {
		fmt.Fprintf(&sb, "\n## Supplier payments: pointed payables → pain.001\n\n"+
			"Pointed transfer payables, two per supplier (one payment each: the automatic grouping rule, due dates within 30\n"+
			"days), imported with `remit payables import`, then paid by `remit sct --no-bordereau --no-advices` into one\n"+
			"pain.001.001.09 (the creditor's account as the only bank), its entries written; and, up to 100k, the same with\n"+
			"the slip and the avis de paiement (a page per payment). The rule of pain.008 holds: peak RSS flat from the\n"+
			"smallest size to the largest. Sizes %s payables (half as many transfers).\n\n", joinInts(b.paySizes))
		b.table(&sb, "payables", "")
	}
	b.postgresReport(&sb)
	b.outputsTable(&sb)
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

func (b *bench) sectionResults(section string) []*result {
	var rows []*result
	for _, r := range b.results {
		if r.section == section {
			rows = append(rows, r)
		}
	}
	return rows
}

// table writes a section's results as a Markdown table.
func (b *bench) table(sb *strings.Builder, section, ratioHead string) {
	fmt.Fprintf(sb, "| stage | receivables | wall (median) | peak RSS | throughput | %s | note |\n|---|---:|---:|---:|---:|---:|---|\n", ratioHead)
	for _, r := range b.sectionResults(section) {
		rss := "–"
		if r.rssKB > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(r.rssKB)/1024)
		}
		ratio := ""
		if r.ratio > 0 {
			ratio = fmt.Sprintf("%.2f×", r.ratio)
		}
		fmt.Fprintf(sb, "| %s | %d | %.2f s | %s | %.0f/s | %s | %s |\n", r.stage, r.n, r.wall.Seconds(), rss, float64(r.n)/r.wall.Seconds(), ratio, r.note)
	}
}
