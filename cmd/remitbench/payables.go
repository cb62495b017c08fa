package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/remit-dev/remit/remit/ident"
)

// The supplier side: n pointed transfer payables (two per supplier,
// grouped into one payment by the automatic rule) paid by `remit sct`
// into one pain.001.001.09, with the same rule as pain.008: peak RSS
// flat in n.

// payables measures, for each size, the import of the pointed payables and
// the run that pays them, and the cat of the pain.001 it wrote.
func (b *bench) payables(sizes []int) {
	b.section = "payables"
	for _, n := range sizes {
		dir := b.path("payables", fmt.Sprint(n))
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		if err := writePayables(filepath.Join(dir, "payables.csv"), n); err != nil {
			fail(err)
		}
		fresh := func() {
			b.fresh(dir)()
			b.run(dir, "grouping", "set", "vir", "--within-days", "30")
		}
		fresh()
		snapshot(dir, "empty.db")
		b.measure("payables import (pointed)", n, dir, restore(dir, "empty.db"), "payables", "import", "payables.csv")
		snapshot(dir, "pointed.db")
		sct := b.measure("sct → pain.001.001.09", n, dir, restore(dir, "pointed.db"), "sct", "--no-bordereau", "--no-advices")
		cat, size, files := b.catFloor(dir, "out/PAIEMENT.*.xml")
		b.record(result{stage: "baseline: cat of the same pain.001", n: n, wall: cat,
			note: fmt.Sprintf("%s in %d file(s); sct stage = %.1f× the cat", mb(size), files, sct.wall.Seconds()/cat.Seconds())})
		if n <= 100000 {
			// A PDF page per payment: the paper is for a human-sized run.
			b.measure("sct with slip and avis de paiement", n, dir, restore(dir, "pointed.db"), "sct")
		}
	}
}

// writePayables writes n pointed transfer payables, two per supplier, due
// within December 2026, valid French IBANs, structured addresses.
func writePayables(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "document,supplier,name,amount,due_date,method,iban,bic,street,building,postcode,town,country,priority,label,pointed")
	for i := 0; i < n; i++ {
		s := i / 2
		amount := 1000 + (i*7919)%899000
		fmt.Fprintf(w, "FA%08d,401S%07d,Fournisseur %d SARL,%d.%02d,2026-12-%02d,vir,%s,BNPAFRPP,Rue de la République,%d,69002,Lyon,FR,%d,Facture %d,yes\n",
			i, s, s, amount/100, amount%100, 1+i%28, supplierIBAN(s), 1+s%200, s%10, i)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// supplierIBAN is supplier s's account: a valid French IBAN.
func supplierIBAN(s int) string {
	acct := fmt.Sprintf("%011d", 20000000+s)
	key, _ := ident.RIBKey("30066", "10021", acct)
	return ident.RIB{Bank: "30066", Branch: "10021", Account: acct, Key: key}.IBAN()
}
