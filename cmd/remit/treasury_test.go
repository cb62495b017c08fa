package main

// The company's banks end to end (issue 19), the way a user runs them with
// the binary: two banks, direct debits and LCRs to each, a statement per
// bank crediting them with one return, the suspense line allocated, the
// forecast checked figure by figure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/camt053"
)

// treasuryCSV: direct debits and LCRs to BQ (the creditor's account, the
// default bank) and to BQ2, picked by their journal; transfers expected.
const treasuryCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country;journal
F-101;411DUPONT;Dupont Matériaux;1000,00;2026-12-01;sdd;FR7630006000011234567890189;RUM-101;2025-01-10;Bordeaux;FR;BQ
F-102;411MARTIN;Martin & Fils;500,00;2026-12-01;sdd;FR1420041010050500013M02606;RUM-102;2025-02-10;Lille;FR;BQ
F-201;411LEROY;Leroy SARL;300,00;2026-12-01;sdd;FR7610096000502468013579016;RUM-201;2025-03-10;Lyon;FR;BQ2
F-202;411PETIT;Petit SA;200,00;2026-12-01;sdd;FR7630001007941234567890185;RUM-202;2025-04-10;Nantes;FR;BQ2
F-111;411BERNARD;Bernard SAS;800,00;2026-12-10;lcr;FR7630006000011234567890189;;;Rennes;FR;BQ
F-112;411BERNARD;Bernard SAS;450,00;2027-01-08;lcr;FR7630006000011234567890189;;;Rennes;FR;BQ
F-211;411DURAND;Durand et Cie;400,00;2026-12-10;lcr;FR1420041010050500013M02606;;;Dijon;FR;BQ2
F-212;411DURAND;Durand et Cie;600,00;2026-12-10;lcr;FR1420041010050500013M02606;;;Dijon;FR;BQ2
F-301;411MOREAU;Moreau SARL;250,00;2026-11-30;vir;;;;Tours;FR;
F-302;411MOREAU;Moreau SARL;700,00;2026-12-20;vir;;;;Tours;FR;BQ2
`

const (
	bqIBAN  = "FR7630004008280001012345691" // the creditor's, bank BQ
	bq2Acct = "FR7610096000502468013579016"
)

func day(y int, m time.Month, d int) time.Time { return statement.Date(y, m, d) }

// relevé makes a statement: opening balance on from, the entries, the
// closing balance on to, computed.
func releve(iban string, from, to time.Time, opening int64, entries ...statement.Entry) statement.Statement {
	s := statement.Statement{Account: statement.Account{IBAN: iban}, Currency: "EUR",
		Opening: statement.Balance{Date: from, Amount: opening}, Closing: statement.Balance{Date: to, Amount: opening}, Entries: entries}
	for i := range s.Entries {
		s.Entries[i].Status = statement.StatusBook
		s.Closing.Amount += s.Entries[i].Amount
	}
	return s
}

type remittanceRef struct {
	Ref   string `json:"ref"`
	Kind  string `json:"kind"`
	Bank  string `json:"bank"`
	MsgID string `json:"msg_id"`
	Total string `json:"total"`
}

// treasuryRemittances are the remittances of the end-to-end test, by
// kind and bank.
type treasuryRemittances struct{ sddBQ, sddBQ2, lcrBQ, lcrBQ2 remittanceRef }

// remitToTwoBanks makes the database of the end-to-end test: BQ (the
// creditor's account) and BQ2, the receivables of treasuryCSV, their
// direct debits and LCRs remitted, one remittance per bank and kind.
func remitToTwoBanks(t *testing.T, w *workspace) treasuryRemittances {
	w.initDB()
	w.must("bank", "add", "BQ2", "--iban", bq2Acct, "--bic", "CMCIFRPP", "--name", "CIC LYON", "--account", "512200", "--nne", "654321",
		"--value-days", "sdd=1,lcr=2", "--limit", "-5000.00")
	w.must("import", w.writeFile("in.csv", []byte(treasuryCSV)))
	w.must("point", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "sdd")
	w.must("point", "--due-from", "2026-11-01", "--due-to", "2027-01-31", "--method", "lcr")
	w.must("sdd")
	w.must("lcr")
	var rems []remittanceRef
	if err := json.Unmarshal([]byte(w.must("remittances", "--json").stdout), &rems); err != nil {
		t.Fatal(err)
	}
	byBank := map[string]remittanceRef{}
	for _, r := range rems {
		byBank[r.Kind+" "+r.Bank] = r
	}
	tr := treasuryRemittances{byBank["sdd BQ"], byBank["sdd BQ2"], byBank["lcr BQ"], byBank["lcr BQ2"]}
	if len(rems) != 4 || tr.sddBQ.Total != "1500.00" || tr.sddBQ2.Total != "500.00" || tr.lcrBQ.Total != "1250.00" || tr.lcrBQ2.Total != "1000.00" {
		t.Fatalf("one remittance per bank and kind:\n%s", w.must("remittances").stdout)
	}
	return tr
}

// treasuryStatements are the relevés of the two banks.
func treasuryStatements(tr treasuryRemittances) (bq, bq2 statement.Statement) {
	// BQ's relevé (CFONB 120): its direct debits in one line named by
	// their payment block, its LCR by its amount on its due date, and a
	// transfer naming nothing.
	d1, d3, d10 := day(2026, 12, 1), day(2026, 12, 3), day(2026, 12, 10)
	bq = releve(bqIBAN, day(2026, 11, 30), d10, 1000000,
		statement.Entry{Amount: 150000, BookingDate: d1, ValueDate: d1, Label: "REMISE PRLV SEPA CORE", Code: statement.Code{Proprietary: "A1"},
			Details: []statement.Detail{{PmtInfID: tr.sddBQ.MsgID + "-1"}}},
		statement.Entry{Amount: 25000, BookingDate: d3, ValueDate: d3, Label: "VIR SEPA MOREAU SARL", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"ACOMPTE"}, Debtor: statement.Party{Name: "MOREAU SARL"}}}},
		statement.Entry{Amount: 80000, BookingDate: d10, ValueDate: d10, Label: "REMISE LCR ENCAISSEMENT", Code: statement.Code{Proprietary: "35"}},
	)
	// BQ2's (camt.053.001.08): its direct debits a value day later, one
	// returned, its LCRs two value days after their due date.
	d2, d4, d14 := day(2026, 12, 2), day(2026, 12, 4), day(2026, 12, 14)
	bq2 = releve(bq2Acct, day(2026, 12, 1), d14, -100000,
		statement.Entry{Amount: 50000, BookingDate: d2, ValueDate: d2, Label: "REMISE PRLV SEPA", BankRef: "CIC-1",
			Code:  statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "ESDD"},
			Batch: statement.Batch{PmtInfID: tr.sddBQ2.MsgID + "-1", Count: 2, Total: 50000}},
		statement.Entry{Amount: -20000, BookingDate: d4, ValueDate: d4, Label: "RETOUR PRLV SEPA PETIT", BankRef: "CIC-2",
			Code:    statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "UPDD"},
			Details: []statement.Detail{{EndToEndID: "F-202", MandateID: "RUM-202", ReturnReason: "AM04", Amount: -20000}}},
		statement.Entry{Amount: 100000, BookingDate: d14, ValueDate: d14, Label: "REMISE LCR", BankRef: "CIC-3",
			Code: statement.Code{Domain: "PMNT", Family: "DRFT", SubFamily: "STAM"}},
	)
	bq2.ID = "CIC-20261214"
	return bq, bq2
}

// TestTreasuryEndToEnd runs the treasury day on SQLite and on PostgreSQL:
// each checked on its own, then every listing of the day the same on both.
func TestTreasuryEndToEnd(t *testing.T) {
	var sq, pg string
	t.Run("sqlite", func(t *testing.T) { sq = treasuryEndToEnd(t, newWorkspace(t)) })
	t.Run("postgres", func(t *testing.T) { pg = treasuryEndToEnd(t, newPGWorkspace(t)) })
	if sq != "" && pg != "" && sq != pg {
		sl, pl := strings.Split(sq, "\n"), strings.Split(pg, "\n")
		for i := range min(len(sl), len(pl)) {
			if sl[i] != pl[i] {
				t.Fatalf("PostgreSQL differs from SQLite from line %d:\nsqlite:   %s\npostgres: %s", i+1, sl[i], pl[i])
			}
		}
		t.Fatalf("PostgreSQL differs from SQLite: %d lines, %d", len(pl), len(sl))
	}
}

// treasuryEndToEnd: two banks, SDD and LCR to each, a CFONB 120 statement
// for one and a camt.053 for the other with one return, the suspense line
// allocated, the forecast checked figure by figure, a receivable written
// off. It returns what the listings say at the end, for comparisons.
func treasuryEndToEnd(t *testing.T, w *workspace) string {
	tr := remitToTwoBanks(t, w)
	sddBQ, sddBQ2, lcrBQ, lcrBQ2 := tr.sddBQ, tr.sddBQ2, tr.lcrBQ, tr.lcrBQ2
	bq, bq2 := treasuryStatements(tr)
	cfonbFile := writeCFONB120(t, w, "releve-bq.txt", bq)
	camtFile := writeCamt053(t, w, "releve-bq2.xml", bq2)

	w.env = []string{"REMIT_NOW=2026-12-15T08:00:00Z"}
	r := w.must("statement", "import", cfonbFile, camtFile)
	for _, want := range []string{
		"releve-bq.txt, line 1: CFONB 120 of BQ (" + bqIBAN + "), 01/12/2026 to 10/12/2026: imported\n",
		"  opening balance 10 000,00, closing balance 12 550,00: the validated balance of BQ on 10/12/2026\n",
		" 01/12/2026      1 500,00 A1             credited   remittance " + sddBQ.Ref + " block 1 of 01/12/2026\n",
		" 03/12/2026        250,00 05             suspense   VIR SEPA MOREAU SARL: no remittance, cheque deposit or open receivable of remit's explains it\n",
		" 10/12/2026        800,00 35             credited   remittance " + lcrBQ.Ref + " of 10/12/2026\n",
		"releve-bq2.xml, line 8: camt.053.001.08 of BQ2 (" + bq2Acct + "), 02/12/2026 to 14/12/2026: imported\n",
		"  opening balance -1 000,00, closing balance 300,00: the validated balance of BQ2 on 14/12/2026\n",
		" 02/12/2026        500,00 PMNT/IDDT/ESDD credited   remittance " + sddBQ2.Ref + " block 1 of 01/12/2026\n",
		" 04/12/2026       -200,00 PMNT/IDDT/UPDD returned   F-202 (remittance " + sddBQ2.Ref + ") motif AM04\n",
		" 14/12/2026      1 000,00 PMNT/DRFT/STAM credited   remittance " + lcrBQ2.Ref + " of 10/12/2026\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("statement import lacks %q:\n%s", want, r.stdout)
		}
	}
	// The same relevés again change nothing.
	if r := w.must("statement", "import", cfonbFile, camtFile); strings.Count(r.stdout, "already imported, nothing changed") != 2 {
		t.Errorf("again:\n%s", r.stdout)
	}

	// The suspense line goes to the transfer the customer meant.
	var lines []struct {
		Line int64  `json:"line"`
		Bank string `json:"bank"`
		Left string `json:"left"`
	}
	if err := json.Unmarshal([]byte(w.must("suspense", "--json").stdout), &lines); err != nil || len(lines) != 1 ||
		lines[0].Bank != "BQ" || lines[0].Left != "250.00" {
		t.Fatalf("suspense: %+v %v", lines, err)
	}
	r = w.must("suspense", "allocate", fmt.Sprint(lines[0].Line), "--document", "F-301")
	if !strings.Contains(r.stdout, "  F-301            411MOREAU           250,00 paid\nleft in the suspense account: 0,00\n") {
		t.Errorf("allocate:\n%s", r.stdout)
	}
	if r := w.must("suspense"); r.stdout != "the suspense account is empty\n" {
		t.Errorf("suspense after:\n%s", r.stdout)
	}

	checkTreasuryBooks(t, w)
	checkTreasuryForecast(t, w, lcrBQ.Ref)

	// F-302 is lost: written off, its VAT recovered.
	r = w.must("writeoff", "F-302", "--reason", "liquidation judiciaire", "--vat", "100.00")
	if want := "F-302 (411MOREAU) written off on 15/12/2026: 700,00, liquidation judiciaire\n" +
		"  654000       debit         600,00\n  445710       debit         100,00\n  411MOREAU    credit        700,00\n"; r.stdout != want {
		t.Errorf("writeoff:\n%s\nwant\n%s", r.stdout, want)
	}
	if r := w.run("writeoff", "F-302", "--reason", "again"); r.code != 5 || r.stderr != "remit: refused, nothing recorded:\n"+
		"  write-off of F-302: written off: never collected again\n" {
		t.Errorf("a second write-off: %s", r)
	}
	var all strings.Builder
	for _, args := range [][]string{{"statement", "list"}, {"statement", "list", "--bank", "BQ2", "--json"}, {"suspense", "--all"},
		{"entries", "--format", "csv"}, {"banks"}, {"forecast", "--to", "2027-01-31"}, {"list", "--status", "all"}, {"remittances"}} {
		fmt.Fprintf(&all, "$ remit %s\n%s", strings.Join(args, " "), w.must(args...).stdout)
	}
	return all.String()
}

// checkTreasuryBooks: every receivable where the statements put it, and
// the books: the suspense account back to zero, each bank's account
// holding what remit booked (its remittances when made, the suspense line,
// the return).
func checkTreasuryBooks(t *testing.T, w *workspace) {
	// Every receivable where the statements put it.
	list := w.must("list", "--status", "all", "--due-from", "2026-11-01", "--due-to", "2026-12-31").stdout
	for doc, status := range map[string]string{"F-101": "paid", "F-102": "paid", "F-201": "paid", "F-202": "rejected", "F-111": "paid",
		"F-211": "paid", "F-212": "paid", "F-301": "paid", "F-302": "open"} {
		found := false
		for _, l := range strings.Split(list, "\n") {
			if strings.HasPrefix(l, doc+" ") && strings.Contains(l, " "+status+" ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not %s:\n%s", doc, status, list)
		}
	}
	// Every écriture balances, the suspense account is back to zero, each
	// bank's account holds what remit booked.
	var entries struct {
		Entries []struct {
			Account string `json:"account"`
			Debit   string `json:"debit"`
			Credit  string `json:"credit"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(w.must("entries", "--format", "json").stdout), &entries); err != nil {
		t.Fatal(err)
	}
	sums := map[string]int64{}
	for _, e := range entries.Entries {
		sums[e.Account] += cents(t, e.Debit) - cents(t, e.Credit)
	}
	if sums["471000"] != 0 || sums["512000"] != 150000+125000+25000 || sums["512200"] != 50000+100000-20000 {
		t.Errorf("balances by account: %v", sums)
	}
}

// checkTreasuryForecast: the forecast from the statements' validated
// balances, figure by figure. BQ: 12 550,00 on 10/12 (10 000,00 + 1 500,00
// + 250,00 + 800,00), then the LCR of 08/01 not yet credited (its lot of
// 10/12 was: the forecast leaves it out), 450,00 on its due date (BQ has no
// value days): 13 000,00. BQ2: 300,00 on 14/12 (-1 000,00 + 500,00 - 200,00
// + 1 000,00); F-202, returned and so expected again on its due date 01/12
// plus a value day, 02/12, before the validated date: counted the day after
// it, 15/12 (seed 003), 500,00; F-302, a transfer due Sunday 20/12, on
// Monday 21/12: 1 200,00.
func checkTreasuryForecast(t *testing.T, w *workspace, lcrRef string) {
	t.Helper()
	want := `{
  "to": "2027-01-31",
  "banks": [
    {
      "bank": "BQ",
      "name": "BNP PARIBAS PARIS OPERA",
      "iban": "FR7630004008280001012345691",
      "balance": "12550.00",
      "balance_date": "2026-12-10",
      "limit": "0.00",
      "to": "2027-01-31",
      "final": "13000.00",
      "lowest": "12550.00",
      "lowest_date": "2026-12-10",
      "days": [
        {
          "date": "2027-01-08",
          "in": "450.00",
          "out": "0.00",
          "balance": "13000.00",
          "below_limit": false
        }
      ],
      "operations": [
        {
          "source": "remittance",
          "ref": "` + lcrRef + `",
          "op": "lcr",
          "date": "2027-01-08",
          "expected": "2027-01-08",
          "on": "2027-01-08",
          "amount": "450.00"
        }
      ]
    },
    {
      "bank": "BQ2",
      "name": "CIC LYON",
      "iban": "FR7610096000502468013579016",
      "balance": "300.00",
      "balance_date": "2026-12-14",
      "limit": "-5000.00",
      "to": "2027-01-31",
      "final": "1200.00",
      "lowest": "300.00",
      "lowest_date": "2026-12-14",
      "days": [
        {
          "date": "2026-12-15",
          "in": "200.00",
          "out": "0.00",
          "balance": "500.00",
          "below_limit": false
        },
        {
          "date": "2026-12-21",
          "in": "700.00",
          "out": "0.00",
          "balance": "1200.00",
          "below_limit": false
        }
      ],
      "operations": [
        {
          "source": "receivable",
          "ref": "F-202",
          "op": "sdd",
          "date": "2026-12-01",
          "expected": "2026-12-02",
          "on": "2026-12-15",
          "moved": true,
          "amount": "200.00"
        },
        {
          "source": "receivable",
          "ref": "F-302",
          "op": "vir",
          "date": "2026-12-20",
          "expected": "2026-12-21",
          "on": "2026-12-21",
          "amount": "700.00"
        }
      ],
      "notes": [
        "1 operation expected by 2026-12-14 and not yet reconciled is counted on 2026-12-15 (seed 003)"
      ]
    }
  ]
}
`
	if got := w.must("forecast", "--to", "2027-01-31", "--json").stdout; got != want {
		t.Errorf("forecast --json:\n%s\nwant\n%s", got, want)
	}
	banks := w.must("banks").stdout
	for _, l := range []string{
		"BQ *      BNP PARIBAS PARIS OPERA  " + bqIBAN + " 512000         12 550,00 10/12/2026       13 000,00\n",
		"BQ2       CIC LYON                 " + bq2Acct + " 512200            300,00 14/12/2026        1 200,00     -5 000,00\n",
	} {
		if !strings.Contains(banks, l) {
			t.Errorf("banks lack %q:\n%s", l, banks)
		}
	}
}

func cents(t *testing.T, s string) int64 {
	t.Helper()
	var units, frac int64
	neg := strings.HasPrefix(s, "-")
	if _, err := fmt.Sscanf(strings.TrimPrefix(s, "-"), "%d.%d", &units, &frac); err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	c := units*100 + frac
	if neg {
		c = -c
	}
	return c
}

func writeCFONB120(t *testing.T, w *workspace, name string, sts ...statement.Statement) string {
	t.Helper()
	var buf bytes.Buffer
	cw := cfonb120.NewWriter(&buf, cfonb120.WriterOptions{EOL: cfonb.CRLF})
	for i := range sts {
		if err := cw.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	return w.writeFile(name, buf.Bytes())
}

// writeCamt053 writes a camt.053.001.08 message, valid against the
// official XSD (checked).
func writeCamt053(t *testing.T, w *workspace, name string, sts ...statement.Statement) string {
	t.Helper()
	var buf bytes.Buffer
	cw := camt053.NewWriter(&buf, camt053.WriterOptions{Version: statement.Camt053V08, MsgID: "CIC-" + name,
		Created: time.Date(2026, 12, 15, 6, 0, 0, 0, time.UTC)})
	for i := range sts {
		if err := cw.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	p := w.writeFile(name, buf.Bytes())
	testtool.Schema(t, statement.Camt053V08+".xsd")
	if ok, out := testtool.XMLLint(t, statement.Camt053V08+".xsd", p); !ok {
		t.Fatalf("%s is not valid against the XSD:\n%s", name, out)
	}
	return p
}
