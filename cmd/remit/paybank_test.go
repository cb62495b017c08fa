package main

// The bank choice of supplier payments (issue 20, part 4) the way a user
// runs it: the limit is judged on the bank's projected balance at the
// execution date, as remit forecast projects it.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/statement"
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

// TestRefundOnlyWhatIsOwed: remit refund pays a customer back at most what
// it paid too much (issue 20, part 8): Moreau's transfer of 400,00 for an
// invoice of 250,00 is allocated to it, 150,00 stays in suspense. A refund
// of 200,00 is refused (exit 5), naming what is available; 150,00 is paid
// back; then nothing is left to refund.
// The same on SQLite and on PostgreSQL.
func TestRefundOnlyWhatIsOwed(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { refundOnlyWhatIsOwed(t, newWorkspace(t)) })
	t.Run("postgres", func(t *testing.T) { refundOnlyWhatIsOwed(t, newPGWorkspace(t)) })
}

func refundOnlyWhatIsOwed(t *testing.T, w *workspace) {
	w.initDB()
	w.must("import", w.writeFile("in.csv", []byte("document;customer;name;amount;due_date;method;iban;town;country\n"+
		"F-301;411MOREAU;Moreau SARL;250,00;2026-12-20;vir;FR7630006000011234567890189;Tours;FR\n")))
	d1 := day(2026, 12, 1)
	bq := releve(bqIBAN, day(2026, 11, 30), d1, 100000,
		statement.Entry{Amount: 40000, BookingDate: d1, ValueDate: d1, Label: "VIR SEPA MOREAU SARL", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"ACOMPTE"}, Debtor: statement.Party{Name: "MOREAU SARL"}}}})
	w.env = []string{"REMIT_NOW=2026-12-02T08:00:00Z"}
	if r := w.must("statement", "import", writeCFONB120(t, w, "releve.txt", bq)); !strings.Contains(r.stdout, "suspense") {
		t.Fatalf("the transfer is not in suspense:\n%s", r)
	}
	// Nothing allocated to Moreau yet: nothing is its to refund.
	if r := w.run("refund", "411MOREAU", "--amount", "100.00"); r.code != 5 || !strings.Contains(r.stderr, "nothing to refund: 0,00 EUR available") {
		t.Errorf("refund before the allocation: want exit 5 and nothing to refund\n%s", r)
	}
	var lines []struct {
		Line int64 `json:"line"`
	}
	if err := json.Unmarshal([]byte(w.must("suspense", "--json").stdout), &lines); err != nil || len(lines) != 1 {
		t.Fatalf("suspense: %+v %v", lines, err)
	}
	w.must("suspense", "allocate", fmt.Sprint(lines[0].Line), "--document", "F-301")
	r := w.run("refund", "411MOREAU", "--amount", "200.00")
	want := "remit: refused, nothing recorded: 411MOREAU: refund of 200,00 EUR refused: more than the customer is owed: 150,00 EUR available " +
		"(150,00 EUR it paid too much, left in the suspense account on statement lines allocated to its receivables, or its open credit notes; " +
		"less 0,00 EUR refunded already); allocate its payment first (remit suspense allocate LINE --document …), or refund at most what is available\n"
	if r.code != 5 || r.stdout != "" || r.stderr != want {
		t.Errorf("refund beyond what is owed: want exit 5 and\n%s\n%s", want, r)
	}
	if n := w.queryInt(`SELECT count(*) FROM payables`); n != 0 {
		t.Errorf("%d payables recorded by a refused refund", n)
	}
	if r := w.must("refund", "411MOREAU", "--amount", "150.00"); !strings.Contains(r.stdout, "150,00 EUR to") {
		t.Errorf("refund of what is owed:\n%s", r)
	}
	if r := w.run("refund", "411MOREAU", "--amount", "0.01"); r.code != 5 || !strings.Contains(r.stderr, "0,00 EUR available (150,00 EUR it paid too much") ||
		!strings.Contains(r.stderr, "less 150,00 EUR refunded already") {
		t.Errorf("a second refund: want exit 5\n%s", r)
	}
}
