package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// A shape is how the generated receivables fall on customers and mandates.
type shape struct {
	name        string
	perCustomer int // receivables per customer, and per mandate
	months      int // the due dates spread over this many months from December 2026
	title       string
	describe    string
}

var shapes = []shape{
	{name: "ten", perCustomer: 10, months: 6,
		title: "Shape “ten”: ten receivables per customer",
		describe: "Ten receivables per customer (invoices), one mandate per customer, due over six months from " +
			"December 2026, 90 % of mandates already collected (`mandate_last_collected` in the CSV), " +
			"one customer in ten on B2B."},
	{name: "one", perCustomer: 1, months: 1,
		title: "Shape “one”: one receivable per customer and per mandate",
		describe: "One receivable per customer and per mandate, as utilities, subscriptions and associations collect " +
			"each month: as many customers and mandates as receivables, all due in December 2026, 90 % of " +
			"mandates already collected (`mandate_last_collected` in the CSV), one customer in ten on B2B."},
}

func shapeByName(name string) (shape, bool) {
	for _, s := range shapes {
		if s.name == name {
			return s, true
		}
	}
	return shape{}, false
}

func shapeNames() string {
	var names []string
	for _, s := range shapes {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

const creditorArgs = `creditor set --name "ACME OUTILLAGE SARL" --ics FR72ZZZ123456 --iban FR7630004008280001012345691 --bic BNPAFRPP --nne 123456 --siren 123456782 --bank-name "BNP PARIBAS PARIS OPERA" --street "Rue de la Paix" --building 12 --postcode 75002 --town Paris --country FR`

// fresh returns a prepare function that leaves in dir a new database with
// its creditor and no receivable.
func (b *bench) fresh(dir string) func() {
	return func() {
		os.RemoveAll(filepath.Join(dir, "out"))
		for _, f := range []string{"remit.db", "remit.db-wal", "remit.db-shm"} {
			os.Remove(filepath.Join(dir, f))
		}
		b.run(dir, "init")
		sh(dir, b.bin+" "+creditorArgs+" >/dev/null")
	}
}

func (b *bench) shapeDir(s shape, n int) string {
	return b.path(s.name, fmt.Sprint(n))
}

// shapeSize measures every stage on n receivables of shape s, each floor
// beside the stage it bounds.
func (b *bench) shapeSize(s shape, n int) {
	b.section = s.name
	dir := b.shapeDir(s, n)
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	d := s.data(n)
	if err := d.writeFiles(dir); err != nil {
		fail(err)
	}
	fresh := b.fresh(dir)
	fresh()
	snapshot(dir, "empty.db")

	imp := b.measure("import (SDD CSV)", n, dir, fresh, "import", "sdd.csv")
	snapshot(dir, "imported.db")
	b.importFloor(n, dir, "empty.db", "sdd.csv", "imported.db", imp)
	b.measure("point (--method sdd)", n, dir, restore(dir, "imported.db"), "point", "--method", "sdd", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot(dir, "pointed.db")
	b.pointed[dir] = true
	sdd := b.measureOut("sdd → pain.008.001.08", n, dir, restore(dir, "pointed.db"), []string{"out/*"}, "sdd", "--no-bordereau")
	// The floors: writing the same bytes (every pain.008 file of the stage:
	// one per scheme) with cat, measured now on the same disk; the least
	// SQLite work of the run.
	cat, size, files := b.catFloor(dir, "out/PAIEMENT.*.xml")
	b.record(result{stage: "baseline: cat of the same pain.008", n: n, wall: cat,
		note: fmt.Sprintf("%s in %d files; pain.008 stage = %.1f× the cat", mb(size), files, sdd.wall.Seconds()/cat.Seconds())})
	b.floor(n, dir, "pointed.db", "sdd", cat, sdd)
	b.measureOut("sdd --cfonb (national + XML)", n, dir, restore(dir, "pointed.db"), []string{"out/*"}, "sdd", "--cfonb", "--no-bordereau")

	// LCR: its own database.
	fresh()
	b.run(dir, "import", "lcr.csv")
	b.run(dir, "point", "--method", "lcr", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot(dir, "lcr.db")
	lcr := b.measureOut("lcr → CFONB 160", n, dir, restore(dir, "lcr.db"), []string{"out/*"}, "lcr", "--no-bordereau")
	lcrCat, size, _ := b.catFloor(dir, "out/PAIEMENT.[0-9][0-9][0-9]")
	b.record(result{stage: "baseline: cat of the same CFONB file", n: n, wall: lcrCat,
		note: fmt.Sprintf("%s; lcr stage = %.1f× the cat", mb(size), lcr.wall.Seconds()/lcrCat.Seconds())})
	b.floor(n, dir, "lcr.db", "lcr", lcrCat, lcr)
	// The slip of the LCR remittance (made without one): every item, then
	// the summary of remit's default past 2,500 items (a line per block)
	// with its detail as CSV.
	detail := b.measureOut("bordereau (PDF slip)", n, dir, nil, []string{"slip.pdf"}, "bordereau", "1", "--slip", "detail", "-o", "slip.pdf")
	detail.note = "every item: " + mb(fileSize(filepath.Join(dir, "slip.pdf")))
	summary := b.measureOut("bordereau --slip summary (PDF + CSV)", n, dir, nil, []string{"summary.*"}, "bordereau", "1", "--slip", "summary", "-o", "summary.pdf")
	summary.note = fmt.Sprintf("a line per block: %s, its detail summary.csv %s", mb(fileSize(filepath.Join(dir, "summary.pdf"))), mb(fileSize(filepath.Join(dir, "summary.csv"))))
	b.measureOut("entries → FEC export", n, dir, nil, []string{"ecritures.fec"}, "entries", "1", "--format", "fec", "-o", "ecritures.fec")

	// The nightly job end to end: import, then run, as cron runs it (with
	// the PDF slips), and without the slips.
	b.endToEnd(n, dir, fresh, "end to end: import → run", "pointed on import; SDD CORE+B2B, files, slips (--slip auto: past 2,500 items a summary and its CSV) and entries")
	b.endToEnd(n, dir, fresh, "end to end, --no-bordereau", "the same without the PDF slips", "--no-bordereau")
}

// preparePointed leaves in shapeDir(s, n), untimed, the database the sdd
// stage starts from (pointed.db), as shapeSize does.
func (b *bench) preparePointed(s shape, n int) {
	dir := b.shapeDir(s, n)
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	if err := s.data(n).writeFiles(dir); err != nil {
		fail(err)
	}
	b.fresh(dir)()
	b.run(dir, "import", "sdd.csv")
	b.run(dir, "point", "--method", "sdd", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot(dir, "pointed.db")
	b.pointed[dir] = true
}

// endToEnd measures import then run from a fresh database, b.reps times.
func (b *bench) endToEnd(n int, dir string, fresh func(), stage, note string, runArgs ...string) {
	var walls []time.Duration
	var rss []int64
	var outs []digest
	globs := []string{"out/*"}
	for i := 0; i < b.reps; i++ {
		fresh()
		w1, r1 := b.run(dir, "import", "sdd-pointed.csv")
		w2, r2 := b.run(dir, append([]string{"run"}, runArgs...)...)
		walls, rss = append(walls, w1+w2), append(rss, max(r1, r2))
		outs = append(outs, b.outputs(dir, globs))
	}
	b.record(result{stage: stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss), note: note, globs: globs, outputs: outs})
}

// dataset describes generated receivables.
type dataset struct {
	n           int
	perCustomer int    // receivables per customer (and per mandate)
	months      int    // due dates spread over this many months from the first
	first       int    // the first due month, as year*12 + month-1
	core        bool   // every mandate CORE (else one customer in ten on B2B)
	prefix      string // of the document numbers
}

func (s shape) data(n int) dataset {
	return dataset{n: n, perCustomer: s.perCustomer, months: s.months, first: 2026*12 + 11, prefix: "F"}
}

func (d dataset) customers() int {
	return (d.n + d.perCustomer - 1) / d.perCustomer
}

// writeFiles writes into dir sdd.csv, sdd-pointed.csv (the same lines,
// pointed on import) and lcr.csv.
func (d dataset) writeFiles(dir string) error {
	if err := d.write(filepath.Join(dir, "sdd.csv"), "sdd", "no"); err != nil {
		return err
	}
	if err := d.write(filepath.Join(dir, "sdd-pointed.csv"), "sdd", "yes"); err != nil {
		return err
	}
	return d.write(filepath.Join(dir, "lcr.csv"), "lcr", "no")
}

// write writes d.n receivables of one method: receivable i is customer
// i mod customers' (one mandate per customer, B2B for one customer in ten
// unless d.core), 90 % of mandates already collected (RCUR), structured
// addresses, valid French IBANs, due on day 1 to 28.
func (d dataset) write(path, method, pointed string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_last_collected,acceptance,street,building,postcode,town,country,bank_name,label,pointed")
	customers := d.customers()
	accept := []string{"accepted", "not_accepted", "bor"}
	for i := 0; i < d.n; i++ {
		c := i % customers
		day := 1 + i%28
		m := d.first + (i/28)%d.months
		year, month := m/12, m%12+1
		// 10 € to 9 000 €: a million LCR bills still fit in one remise (12-digit total).
		amount := 1000 + (i*7919)%899000
		scheme, last, rum, signed, acc := "", "", "", "", ""
		if method == "sdd" {
			scheme, rum, signed = "CORE", fmt.Sprintf("RUM-%07d", c), "2024-01-15"
			if c%10 == 0 && !d.core {
				scheme = "B2B"
			}
			if c%10 != 9 {
				last = "2026-10-05"
			}
		} else {
			acc = accept[i%3]
		}
		fmt.Fprintf(w, "%s%08d,411C%06d,Client %d SARL,%d.%02d,%04d-%02d-%02d,%s,%s,BNPAFRPP,%s,%s,%s,%s,%s,Rue de la République,%d,69002,Lyon,FR,BNP PARIBAS LYON,Facture %d,%s\n",
			d.prefix, i, c, c, amount/100, amount%100, year, month, day, method, iban(c), rum, signed, scheme, last, acc, 1+c%200, i, pointed)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// iban is customer c's account: a valid French IBAN.
func iban(c int) string {
	acct := fmt.Sprintf("%011d", 10000000+c)
	key, _ := ident.RIBKey("30004", "00828", acct)
	return ident.RIB{Bank: "30004", Branch: "00828", Account: acct, Key: key}.IBAN()
}
