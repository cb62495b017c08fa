package main

// The bank choice of supplier payments (issue 20, part 4) the way a user
// runs it: the limit is judged on the bank's projected balance at the
// execution date, as remit forecast projects it.

import (
	"fmt"
	"strings"
	"testing"
)

// TestSCTLimitOnProjectedBalance: BQ (the default bank, limit 0,00,
// substitute BQ2) has a validated balance of 1 000,00. A transfer of
// 700,00 already issued from it leaves on 07/12; a second of 500,00 on
// 10/12 would take it to -200,00: it moves to BQ2, and the run says why,
// though the validated balance alone (1 000,00) would have paid both.
func TestSCTLimitOnProjectedBalance(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must("bank", "add", "BQ2", "--iban", bq2IBAN, "--bic", "CMCIFRPP", "--name", "CIC LYON", "--account", "512200")
	w.must("bank", "set", "BQ", "--limit", "0", "--substitute", "BQ2")
	w.must("bank", "balance", "BQ", "--amount", "1000.00", "--date", "2026-11-20")
	payable := func(doc, amount, due string) []byte {
		return []byte(payHeader + fmt.Sprintf("%s,401DUVAL,DUVAL SA,%s,%s,vir,%s,,Rue du Port,1,75001,Paris,FR,0,yes\n",
			doc, amount, due, frenchIBAN(t, 30006, 1, 1000001)))
	}
	w.must("payables", "import", w.writeFile("p1.csv", payable("FA-1", "700.00", "2026-12-07")))
	if r := w.must("sct"); strings.Contains(r.stdout+r.stderr, "moved to") {
		t.Fatalf("first transfer moved:\n%s", r)
	}
	if r := w.must("forecast", "--bank", "BQ", "--to", "2026-12-31"); !strings.Contains(r.stdout, "07/12/2026           0,00         700,00          300,00") {
		t.Fatalf("the forecast does not count the transfer issued:\n%s", r)
	}
	w.must("payables", "import", w.writeFile("p2.csv", payable("FA-2", "500.00", "2026-12-10")))
	r := w.must("sct")
	why := "moved to BQ2: BQ would fall to -200,00 EUR on 2026-12-10, below its limit 0,00 EUR"
	if !strings.Contains(r.stdout+r.stderr, why) {
		t.Errorf("sct does not say %q:\n%s", why, r)
	}
	if n := w.queryInt(`SELECT count(*) FROM payments WHERE bank = 'BQ2' AND amount = 50000`); n != 1 {
		t.Errorf("%d payments of 500,00 from BQ2, want 1:\n%s", n, r)
	}
}
