package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/camt053"
)

// bqIBAN is the default bank's account in the tests (the creditor's).
const bqIBAN = "FR7630004008280001012345691"

func day(y int, m time.Month, d int) time.Time { return statement.Date(y, m, d) }

// relevé makes a statement of account iban: its opening balance on from,
// its entries, its closing balance on to (computed).
func releve(iban string, from, to time.Time, opening int64, entries ...statement.Entry) statement.Statement {
	s := statement.Statement{Account: statement.Account{IBAN: iban}, Currency: "EUR",
		Opening: statement.Balance{Date: from, Amount: opening}, Closing: statement.Balance{Date: to, Amount: opening}, Entries: entries}
	for i := range s.Entries {
		if s.Entries[i].Status == "" {
			s.Entries[i].Status = statement.StatusBook
		}
		s.Closing.Amount += s.Entries[i].Amount
	}
	return s
}

// writeCFONB writes statements as a CFONB 120 file in the test folder.
func (c *cliEnv) writeCFONB(name string, sts ...statement.Statement) string {
	c.t.Helper()
	var buf bytes.Buffer
	w := cfonb120.NewWriter(&buf, cfonb120.WriterOptions{EOL: cfonb.CRLF})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			c.t.Fatalf("cfonb120: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		c.t.Fatal(err)
	}
	return c.file(name, buf.String())
}

// writeCamt writes statements as a camt.053 message in the test folder,
// checked against the official XSD of its version.
func (c *cliEnv) writeCamt(name, version string, sts ...statement.Statement) string {
	c.t.Helper()
	var buf bytes.Buffer
	w := camt053.NewWriter(&buf, camt053.WriterOptions{Version: version, MsgID: "RLV-" + name, Created: testNow})
	for i := range sts {
		if sts[i].ID == "" {
			sts[i].ID = fmt.Sprintf("STMT-%s-%d", sts[i].Closing.Date.Format("20060102"), i+1)
		}
		if err := w.Write(&sts[i]); err != nil {
			c.t.Fatalf("camt053: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		c.t.Fatal(err)
	}
	p := c.file(name, buf.String())
	testtool.Schema(c.t, version+".xsd")
	if ok, out := testtool.XMLLint(c.t, version+".xsd", p); !ok {
		c.t.Fatalf("%s is not valid against %s.xsd:\n%s", name, version, out)
	}
	return p
}

// statementCSV: two direct debits and two LCRs to the default bank BQ,
// two receivables paid by transfer.
const statementCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country
F2026-0042;411DUPONT;Dupont Matériaux;1234,56;01/12/2026;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR
F2026-0045;411LEROY;Leroy SARL;80,00;01/12/2026;sdd;FR7610096000502468013579016;RUM-LER-1;2025-03-01;Lyon;FR
F2026-0043;411MARTIN;Martin & Fils;500;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR
F2026-0046;411MARTIN;Martin & Fils;300;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR
F2026-0044;411MARTIN;Martin & Fils;99.90;2026-11-30;vir;;;;Lille;FR
F2026-0047;411LEROY;Leroy SARL;150,00;2026-11-30;vir;;;;Lyon;FR
`

// remitted: the statement CSV imported, the debits and LCRs remitted
// (SDD 001, LCR 002).
func remitted(t *testing.T, pg bool) *cliEnv {
	c := newCLIOn(t, pg)
	c.setup()
	c.must("import", c.file("in.csv", statementCSV))
	c.must("point", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "sdd")
	c.must("point", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "lcr")
	c.must("sdd")
	c.must("lcr")
	c.now = stmtNow // the statements come in December
	return c
}

// stmtNow is the clock once the statements of December are there.
var stmtNow = time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC)

const pmtInf001 = "ACME-001-20261122100000-1" // the PmtInfId of SDD 001's block

// statements are four days of the default bank BQ: the SDD remittance
// credited in one line and a transfer paying F2026-0044 and another
// nothing explains (CFONB 120); a collection returned (camt.053.001.08);
// the LCRs credited (camt.053.001.02); one unpaid (CFONB 120).
func statements() []statement.Statement {
	d1 := day(2026, 12, 1)
	s1 := releve(bqIBAN, day(2026, 11, 30), d1, 100000,
		statement.Entry{Amount: 131456, BookingDate: d1, ValueDate: d1, Label: "REMISE PRLV SEPA CORE", Number: "0000001",
			Code: statement.Code{Proprietary: "A1"}, Details: []statement.Detail{{PmtInfID: pmtInf001}}},
		statement.Entry{Amount: 9990, BookingDate: d1, ValueDate: d1, Label: "VIR SEPA MARTIN ET FILS", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"FACTURE F2026-0044"}, Debtor: statement.Party{Name: "MARTIN ET FILS"}}}},
		statement.Entry{Amount: 40000, BookingDate: d1, ValueDate: d1, Label: "VIR SEPA LEROY SARL", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"ACOMPTE"}, Debtor: statement.Party{Name: "LEROY SARL"}}}},
		statement.Entry{Amount: -500, BookingDate: d1, ValueDate: d1, Label: "COMMISSION REMISE PRLV", Code: statement.Code{Proprietary: "62"}},
	)
	d3 := day(2026, 12, 3)
	s2 := releve(bqIBAN, d3, d3, s1.Closing.Amount,
		statement.Entry{Amount: -8000, BookingDate: d3, ValueDate: d3, Label: "IMPAYE PRLV SEPA LEROY", BankRef: "BQ-20261203-1",
			Code: statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "UPDD"},
			Details: []statement.Detail{{EndToEndID: "F2026-0045", MandateID: "RUM-LER-1", ReturnReason: "AM04", Amount: -8000,
				Debtor: statement.Party{Name: "LEROY SARL"}}}},
	)
	d15 := day(2026, 12, 15)
	s3 := releve(bqIBAN, d15, d15, s2.Closing.Amount,
		statement.Entry{Amount: 80000, BookingDate: d15, ValueDate: d15, Label: "REMISE LCR ENCAISSEMENT", BankRef: "BQ-20261215-1",
			Code: statement.Code{Domain: "PMNT", Family: "DRFT", SubFamily: "STAM"}},
	)
	d17 := day(2026, 12, 17)
	s4 := releve(bqIBAN, d15, d17, s3.Closing.Amount,
		statement.Entry{Amount: -30000, BookingDate: d17, ValueDate: d17, Label: "LCR IMPAYEE F2026-0046", ReturnReason: "01",
			Code: statement.Code{Proprietary: "33"}},
	)
	return []statement.Statement{s1, s2, s3, s4}
}

// TestStatementImport: four statements in both formats, imported in one
// command, each line matched and applied; the same statements again,
// whatever their format, change nothing.
func TestStatementImport(t *testing.T) { onBothStores(t, testStatementImport) }

func testStatementImport(t *testing.T, pg bool) {
	c := remitted(t, pg)
	sts := statements()
	files := []string{
		c.writeCFONB("releve-0112.txt", sts[0]),
		c.writeCamt("releve-0312.xml", statement.Camt053V08, sts[1]),
		c.writeCamt("releve-1512.xml", statement.Camt053V02, sts[2]),
		c.writeCFONB("releve-1712.txt", sts[3]),
	}
	out := c.must(append([]string{"statement", "import"}, files...)...)
	want := `releve-0112.txt, line 1: CFONB 120 of BQ (FR7630004008280001012345691), 01/12/2026 to 01/12/2026: imported
  opening balance 1 000,00, closing balance 2 809,46: the validated balance of BQ on 01/12/2026
   LINE    AT BOOKED            AMOUNT CODE           OUTCOME    MATCHED
      1     2 01/12/2026      1 314,56 A1             credited   remittance 001 block 1 of 01/12/2026
      2     4 01/12/2026         99,90 05             paid       F2026-0044
      3     7 01/12/2026        400,00 05             suspense   VIR SEPA LEROY SARL: no remittance, cheque deposit or open receivable of remit's explains it
      4    10 01/12/2026         -5,00 62             fee        COMMISSION REMISE PRLV
  4 lines: 1 credited, 1 paid, 1 suspense, 1 fee

releve-0312.xml, line 8: camt.053.001.08 of BQ (FR7630004008280001012345691), 03/12/2026 to 03/12/2026: imported
  opening balance 2 809,46, closing balance 2 729,46: the validated balance of BQ on 03/12/2026
   LINE    AT BOOKED            AMOUNT CODE           OUTCOME    MATCHED
      5    40 03/12/2026        -80,00 PMNT/IDDT/UPDD returned   F2026-0045 (remittance 001) motif AM04
  1 line: 1 returned

releve-1512.xml, line 8: camt.053.001.02 of BQ (FR7630004008280001012345691), 15/12/2026 to 15/12/2026: imported
  opening balance 2 729,46, closing balance 3 529,46: the validated balance of BQ on 15/12/2026
   LINE    AT BOOKED            AMOUNT CODE           OUTCOME    MATCHED
      6    41 15/12/2026        800,00 PMNT/DRFT/STAM credited   remittance 002 of 15/12/2026
  1 line: 1 credited

releve-1712.txt, line 1: CFONB 120 of BQ (FR7630004008280001012345691), 16/12/2026 to 17/12/2026: imported
  opening balance 3 529,46, closing balance 3 229,46: the validated balance of BQ on 17/12/2026
   LINE    AT BOOKED            AMOUNT CODE           OUTCOME    MATCHED
      7     2 17/12/2026       -300,00 33             returned   F2026-0046 (remittance 002) motif 01
  1 line: 1 returned
`
	if out != want {
		t.Errorf("statement import:\n%s\nwant\n%s", out, want)
	}
	// What each line did.
	list := c.must("list", "--status", "all", "--due-from", "2026-11-01", "--due-to", "2026-12-31")
	for _, s := range []string{
		"F2026-0047     411LEROY     Leroy SARL                 2026-11-30 vir            open             150,00",
		"F2026-0044     411MARTIN    Martin & Fils              2026-11-30 vir            paid              99,90",
		"F2026-0042     411DUPONT    Dupont Matériaux           2026-12-01 sdd            paid           1 234,56 EUR 001",
		"F2026-0045     411LEROY     Leroy SARL                 2026-12-01 sdd            rejected          80,00 EUR 001",
		"refused: returned AM04 on 2026-12-03 (Provision insuffisante (insufficient funds))",
		"F2026-0043     411MARTIN    Martin & Fils              2026-12-15 lcr            paid             500,00 EUR 002",
		"F2026-0046     411MARTIN    Martin & Fils              2026-12-15 lcr            rejected         300,00 EUR 002",
		"refused: returned 01 on 2026-12-17",
	} {
		if !strings.Contains(list, s) {
			t.Errorf("list lacks %q:\n%s", s, list)
		}
	}
	// The dates de constatation: of each item, and of the remittance once
	// all its items are credited.
	if got := c.query(`SELECT group_concat(x, ', ') FROM (SELECT remittance_id || ' ' || document || ' ' || credited_on AS x
		FROM remittance_items ORDER BY id) AS t`); got != "1 F2026-0042 2026-12-01, 1 F2026-0045 2026-12-01, 2 F2026-0043 2026-12-15, 2 F2026-0046 2026-12-15" {
		t.Errorf("items credited: %s", got)
	}
	if got := c.query(`SELECT group_concat(x, ', ') FROM (SELECT id || ' ' || credited_on AS x FROM remittances ORDER BY id) AS t`); got != "1 2026-12-01, 2 2026-12-15" {
		t.Errorf("remittances credited: %s", got)
	}
	if r := c.must("remittances"); strings.Count(r, " sent\n") != 2 {
		t.Errorf("remittances credited are sent, no longer cancellable:\n%s", r)
	}
	if _, errs, code := c.run("", "cancel", "001", "--yes"); code == 0 {
		t.Errorf("a remittance credited was cancelled: %s", errs)
	}
	if b := c.must("banks"); !strings.Contains(b, "BQ *      BNP PARIBAS PARIS OPERA  FR7630004008280001012345691 512000          3 229,46 17/12/2026") {
		t.Errorf("banks: the last closing balance is the validated balance:\n%s", b)
	}
	entries := c.must("entries", "--format", "csv")
	for _, s := range []string{
		"BQ,Banque,3,1,2026-12-01,512000,Banques,,,F2026-0044,2026-12-01,Règlement F2026-0044 Martin & Fils,99.90,0.00,,,2026-12-18,payment,\n",
		"BQ,Banque,3,2,2026-12-01,411000,Clients,411MARTIN,Martin & Fils,F2026-0044,2026-12-01,Règlement F2026-0044 Martin & Fils,0.00,99.90,AAE,2026-12-01,2026-12-18,payment,\n",
		"BQ,Banque,4,1,2026-12-01,512000,Banques,,,ATT3,2026-12-01,Attente VIR SEPA LEROY SARL,400.00,0.00,,,2026-12-18,suspense,\n",
		"BQ,Banque,4,2,2026-12-01,471000,Compte d'attente,,,ATT3,2026-12-01,Attente VIR SEPA LEROY SARL,0.00,400.00,,,2026-12-18,suspense,\n",
		"BQ,Banque,5,1,2026-12-03,411000,Clients,411LEROY,Leroy SARL,F2026-0045,2026-12-03,Rejet F2026-0045 AM04,80.00,0.00,aab,2026-12-03,2026-12-18,return,001\n",
		"BQ,Banque,5,2,2026-12-03,512000,Banques,,,F2026-0045,2026-12-03,Rejet F2026-0045 AM04,0.00,80.00,,,2026-12-18,return,001\n",
		"BQ,Banque,6,1,2026-12-17,411000,Clients,411MARTIN,Martin & Fils,F2026-0046,2026-12-17,Rejet F2026-0046 01,300.00,0.00,aad,2026-12-17,2026-12-18,return,002\n",
	} {
		if !strings.Contains(entries, s) {
			t.Errorf("entries lack %q:\n%s", s, entries)
		}
	}
	if n := strings.Count(entries, "\n"); n != 17 {
		t.Errorf("%d lines of entries, want 16 and the header:\n%s", n, entries)
	}
	listed := c.must("statement", "list", "--bank", "bq")
	if !strings.HasPrefix(listed, "statement 1: BQ CFONB 120, releve-0112.txt, 01/12/2026 to 01/12/2026, imported 2026-12-18 09:00:00\n"+
		"  opening balance 1 000,00, closing balance 2 809,46 (made the validated balance)\n") || strings.Count(listed, "statement ") != 4 ||
		!strings.Contains(listed, "      7     2 17/12/2026       -300,00 33             returned   F2026-0046 (remittance 002) motif 01\n") {
		t.Errorf("statement list:\n%s", listed)
	}

	// The same statements again, the first one as camt.053 this time:
	// already imported, nothing changes.
	before := c.must("entries", "--format", "csv") + c.must("banks") + c.must("suspense") + c.must("statement", "list")
	asCamt := statements()[0]
	asCamt.Entries[0].Number = "" // CFONB 120's numéro d'écriture, which camt.053 has not
	again := []string{c.writeCamt("releve-0112.xml", statement.Camt053V08, asCamt), files[1], files[2], files[3]}
	out = c.must(append([]string{"statement", "import"}, again...)...)
	if want := "releve-0112.xml, line 8: camt.053.001.08 of BQ (FR7630004008280001012345691), 01/12/2026 to 01/12/2026: already imported, nothing changed\n"; !strings.HasPrefix(out, want) ||
		strings.Count(out, "already imported, nothing changed") != 4 {
		t.Errorf("statements again:\n%s", out)
	}
	if after := c.must("entries", "--format", "csv") + c.must("banks") + c.must("suspense") + c.must("statement", "list"); after != before {
		t.Errorf("importing again changed something:\n%s\nbefore\n%s", after, before)
	}
}

// TestStatementRefused: a statement of an account no bank has, one whose
// balances do not add up (in either format), one before the bank's
// validated date and a file that is no statement are refused with the
// reason, and nothing of them is recorded; the others are imported (exit
// 3), or none is (exit 5).
func TestStatementRefused(t *testing.T) { onBothStores(t, testStatementRefused) }

func testStatementRefused(t *testing.T, pg bool) {
	c := remitted(t, pg)
	good := statements()[0]
	unknown := releve("FR7610096000502468013579016", day(2026, 11, 30), day(2026, 12, 1), 0,
		statement.Entry{Amount: 1000, BookingDate: day(2026, 12, 1), ValueDate: day(2026, 12, 1), Label: "VIR", Code: statement.Code{Proprietary: "05"}})
	pUnknown := c.writeCFONB("releve-autre.txt", unknown)
	cfonbFile := c.writeCFONB("releve-faux.txt", good)
	b, _ := os.ReadFile(cfonbFile)
	// The nouveau solde one cent off: 2 809,47.
	bad := strings.Replace(string(b), "0000000028094F", "0000000028094G", 1)
	if bad == string(b) {
		t.Fatal("the nouveau solde was not found")
	}
	pBad := c.file("releve-faux.txt", bad)
	camtFile := c.writeCamt("releve-faux.xml", statement.Camt053V08, statements()[1])
	b, _ = os.ReadFile(camtFile)
	pBadCamt := c.file("releve-faux.xml", strings.Replace(string(b), "<Amt Ccy=\"EUR\">2729.46</Amt>", "<Amt Ccy=\"EUR\">2729.64</Amt>", 1))
	if ok, out := testtool.XMLLint(t, statement.Camt053V08+".xsd", pBadCamt); !ok { // wrong, but valid: the balances are remit's to check
		t.Fatalf("%s:\n%s", pBadCamt, out)
	}
	pJunk := c.file("notes.txt", "not a statement\n")

	out, _, code := c.run("", "statement", "import", pUnknown, pBad, pBadCamt, pJunk)
	want := `releve-autre.txt, line 1: CFONB 120 of FR7610096000502468013579016, 01/12/2026 to 01/12/2026: refused, nothing recorded
  statement for account FR7610096000502468013579016: no bank has this account (add it with remit bank add)

releve-faux.txt, line 1: CFONB 120: refused, nothing recorded
  line 11, record 07, zone montant du nouveau solde (91-104) "0000000028094G": balances do not add up: opening balance 1000.00 + movements 1809.46 = 2809.46, but the closing balance is 2809.47 (difference 0.01)

releve-faux.xml, line 8: camt.053.001.08: refused, nothing recorded
  line 28, /Document/BkToCstmrStmt/Stmt/Bal: balances do not add up: opening balance 2809.46 + movements -80.00 = 2729.46, but the closing balance is 2729.64 (difference 0.18)

notes.txt: CFONB 120: refused, nothing recorded
  line 1, record no, zone code enregistrement (1-2) "no": unknown code: want 01, 04, 05 or 07
`
	if code != ExitRefused || out != want {
		t.Errorf("exit %d:\n%s\nwant\n%s", code, out, want)
	}
	if l := c.must("statement", "list"); l != "no statement imported\n" {
		t.Errorf("refused statements recorded:\n%s", l)
	}
	// One good among them: partly done.
	out, _, code = c.run("", "statement", "import", "--json", pUnknown, c.writeCFONB("releve-0112.txt", good))
	if code != ExitPartial || !strings.Contains(out, `"status": "refused",`) || !strings.Contains(out, `"status": "imported",`) ||
		!strings.HasSuffix(out, "  \"status\": \"partial\",\n  \"exit_status\": 3\n}\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// Before the validated date: no reconciliation before it (seed 003).
	early := releve(bqIBAN, day(2026, 11, 27), day(2026, 11, 28), 100000)
	out, _, code = c.run("", "statement", "import", c.writeCFONB("releve-2811.txt", early))
	if code != ExitRefused || !strings.Contains(out, "statement at line 1: closing balance of 2026-11-28: before the validated date: "+
		"no reconciliation before it (seed 003) (bank BQ validated on 2026-12-01)\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// imported: the four statements of statements() imported.
func imported(t *testing.T, pg bool) *cliEnv {
	c := remitted(t, pg)
	c.importStatements()
	return c
}

// importStatements imports the four statements of statements(), in the
// formats their banks send.
func (c *cliEnv) importStatements() {
	c.t.Helper()
	sts := statements()
	c.must("statement", "import", c.writeCFONB("releve-0112.txt", sts[0]), c.writeCamt("releve-0312.xml", statement.Camt053V08, sts[1]),
		c.writeCamt("releve-1512.xml", statement.Camt053V02, sts[2]), c.writeCFONB("releve-1712.txt", sts[3]))
}

func TestSuspenseAllocate(t *testing.T) { onBothStores(t, testSuspenseAllocate) }

func testSuspenseAllocate(t *testing.T, pg bool) {
	c := imported(t, pg)
	if out := c.must("suspense"); out != ` LINE BANK     BOOKED            AMOUNT          LEFT LABEL
    3 BQ       01/12/2026        400,00        400,00 VIR SEPA LEROY SARL (LEROY SARL; ACOMPTE)
1 line, 400,00 in the suspense account (471000)
` {
		t.Errorf("suspense:\n%s", out)
	}
	out := c.must("suspense", "allocate", "3", "--document", "F2026-0047", "--date", "2026-12-18")
	if want := `line 3 (BQ, 400,00 credited on 01/12/2026): 150,00 allocated on 18/12/2026
  F2026-0047       411LEROY            150,00 paid
left in the suspense account: 250,00
`; out != want {
		t.Errorf("allocate:\n%s\nwant\n%s", out, want)
	}
	// Refused, every reason at once, nothing recorded.
	_, errs, code := c.run("", "suspense", "allocate", "3", "--document", "F9999", "--document", "F2026-0044", "--document", "F2026-0046",
		"--document", "F2026-0046", "--document", "F2026-0047")
	want := `remit: refused, nothing recorded:
  suspense line 3, F9999: unknown document
  suspense line 3, F2026-0044: receivable not open: paid already
  suspense line 3, F2026-0046: given twice
  suspense line 3, F2026-0047: receivable not open: paid already
  suspense line 3: 300.00 asked, 250.00 in it: more than the suspense line holds
`
	if code != ExitRefused || errs != want {
		t.Errorf("exit %d:\n%s\nwant\n%s", code, errs, want)
	}
	_, errs, code = c.run("", "suspense", "allocate", "3", "--document", "F2026-0046")
	if code != ExitRefused || errs != "remit: refused, nothing recorded:\n  suspense line 3: 300.00 asked, 250.00 in it: more than the suspense line holds\n" {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, errs, code = c.run("", "suspense", "allocate", "99", "--document", "F2026-0046"); code != ExitRefused ||
		errs != "remit: refused, nothing recorded:\n  line 99: no such line in the suspense account (remit suspense lists them)\n" {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, errs, code = c.run("", "suspense", "allocate", "3"); code != ExitUsage {
		t.Errorf("no --document: exit %d: %s", code, errs)
	}
	// The returned collection is paid from what is left.
	out = c.must("suspense", "allocate", "3", "--document", "F2026-0045", "--date", "2026-12-18", "--json")
	for _, s := range []string{`"line": 3,`, `"allocated": "80.00",`, `"left": "170.00",`, `"document": "F2026-0045",`, `"paid": true`,
		`"status": "done",`} {
		if !strings.Contains(out, s) {
			t.Errorf("allocate --json lacks %s:\n%s", s, out)
		}
	}
	if out := c.must("suspense", "--all"); out != ` LINE BANK     BOOKED            AMOUNT          LEFT LABEL
    3 BQ       01/12/2026        400,00        170,00 VIR SEPA LEROY SARL (LEROY SARL; ACOMPTE)
                  allocated to F2026-0047 on 18/12/2026: 150,00
                  allocated to F2026-0045 on 18/12/2026: 80,00
1 line, 170,00 in the suspense account (471000)
` {
		t.Errorf("suspense --all:\n%s", out)
	}
	list := c.must("list", "--status", "all", "--document", "F2026-0045", "--document", "F2026-0047")
	if strings.Count(list, " paid ") != 2 {
		t.Errorf("allocated receivables are paid:\n%s", list)
	}
	entries := c.must("entries", "--format", "csv", "--from", "2026-12-18")
	want = `journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance
BQ,Banque,7,1,2026-12-18,471000,Compte d'attente,,,ATT3,2026-12-18,Vidage compte d'attente ATT3,150.00,0.00,,,2026-12-18,allocation,
BQ,Banque,7,2,2026-12-18,411000,Clients,411LEROY,Leroy SARL,ATT3,2026-12-18,Affectation F2026-0047 Leroy SARL,0.00,150.00,AAF,2026-12-18,2026-12-18,allocation,
BQ,Banque,8,1,2026-12-18,471000,Compte d'attente,,,ATT3,2026-12-18,Vidage compte d'attente ATT3,80.00,0.00,,,2026-12-18,allocation,
BQ,Banque,8,2,2026-12-18,411000,Clients,411LEROY,Leroy SARL,ATT3,2026-12-18,Affectation F2026-0045 Leroy SARL,0.00,80.00,AAB,2026-12-18,2026-12-18,allocation,
`
	if entries != want {
		t.Errorf("entries:\n%s\nwant\n%s", entries, want)
	}
}

func TestWriteOff(t *testing.T) { onBothStores(t, testWriteOff) }

func testWriteOff(t *testing.T, pg bool) {
	c := imported(t, pg)
	out := c.must("writeoff", "F2026-0046", "--reason", "liquidation judiciaire", "--vat", "50.00")
	if want := `F2026-0046 (411MARTIN) written off on 18/12/2026: 300,00, liquidation judiciaire
  654000       debit         250,00
  445710       debit          50,00
  411MARTIN    credit        300,00
`; out != want {
		t.Errorf("writeoff:\n%s\nwant\n%s", out, want)
	}
	entries := c.must("entries", "--format", "csv", "--from", "2026-12-18")
	want := `journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance
OD,Opérations diverses,1,1,2026-12-18,654000,Pertes sur créances irrécouvrables,,,F2026-0046,2026-12-18,Abandon de créance F2026-0046 liquidation judiciaire,250.00,0.00,,,2026-12-18,writeoff,
OD,Opérations diverses,1,2,2026-12-18,445710,TVA collectée,,,F2026-0046,2026-12-18,Abandon de créance F2026-0046 liquidation judiciaire,50.00,0.00,,,2026-12-18,writeoff,
OD,Opérations diverses,1,3,2026-12-18,411000,Clients,411MARTIN,Martin & Fils,F2026-0046,2026-12-18,Abandon de créance F2026-0046 liquidation judiciaire,0.00,300.00,AAD,2026-12-18,2026-12-18,writeoff,
`
	if entries != want {
		t.Errorf("entries:\n%s\nwant\n%s", entries, want)
	}
	if l := c.must("list", "--status", "written_off", "--due-from", "2026-12-01", "--due-to", "2026-12-31"); !strings.Contains(l,
		"F2026-0046     411MARTIN    Martin & Fils              2026-12-15 lcr            written_off      300,00 EUR 002") {
		t.Errorf("list --status written_off:\n%s", l)
	}
	// Never collected again: point leaves it and says why, lcr has nothing
	// to do, an import cannot point it.
	if out := c.must("point", "--document", "F2026-0046"); out != "pointed 0 receivables\n"+
		"not pointed: 1 receivable written off (remit writeoff) (never collected again)\n" {
		t.Errorf("point --document:\n%s", out)
	}
	if _, errs, code := c.run("", "point", "--document", "F2026-0046", "--status", "written_off"); code != ExitFailed ||
		errs != "remit: status written_off: only open or rejected receivables can be pointed\n" {
		t.Errorf("point --status written_off: exit %d %s", code, errs)
	}
	if out := c.must("lcr"); out != "nothing to remit: no pointed LCR receivable\n" {
		t.Errorf("lcr: %s", out)
	}
	again := c.file("again.csv", "document;customer;name;amount;due_date;method;iban;town;country;pointed\n"+
		"F2026-0046;411MARTIN;Martin & Fils;300;2026-12-15;lcr;FR1420041010050500013M02606;Lille;FR;1\n")
	c.must("import", again)
	if l := c.must("list", "--status", "all", "--document", "F2026-0046"); !strings.Contains(l, " written_off ") {
		t.Errorf("an import pointed a receivable written off:\n%s", l)
	}
	// Refused: written off already, paid, unknown, still in a remittance
	// the bank did not credit; no reason is a usage error.
	for _, tt := range []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"writeoff", "F2026-0046", "--reason", "again"}, ExitRefused,
			"remit: refused, nothing recorded:\n  write-off of F2026-0046: written off: never collected again\n"},
		{[]string{"writeoff", "F2026-0042", "--reason", "x"}, ExitRefused,
			"remit: refused, nothing recorded:\n  write-off of F2026-0042: receivable not open: paid already\n"},
		{[]string{"writeoff", "F2026-0099", "--reason", "x"}, ExitRefused,
			"remit: refused, nothing recorded:\n  receivable F2026-0099: unknown document\n"},
		{[]string{"writeoff", "F2026-0047"}, ExitUsage,
			"remit: --reason is required: why the receivable is lost (liquidation judiciaire, …)\n"},
	} {
		if _, errs, code := c.run("", tt.args...); code != tt.code || errs != tt.errs {
			t.Errorf("%v: exit %d %q, want %d %q", tt.args, code, errs, tt.code, tt.errs)
		}
	}
	// A receivable in a remittance the bank has not credited: its
	// collection or return comes first.
	c2 := remitted(t, pg)
	if _, errs, code := c2.run("", "writeoff", "F2026-0042", "--reason", "x"); code != ExitRefused || errs != "remit: refused, nothing recorded:\n"+
		"  write-off of F2026-0042: receivable not open: in a remittance not yet collected\n" {
		t.Errorf("remitted: exit %d %s", code, errs)
	}
}

// TestStatementConfirmsReturn: a return recorded before the statement (by
// hand after settlement, or from a camt.054) is confirmed by the
// statement's debit, not recorded twice.
func TestStatementConfirmsReturn(t *testing.T) { onBothStores(t, testStatementConfirmsReturn) }

func testStatementConfirmsReturn(t *testing.T, pg bool) {
	c := remitted(t, pg)
	sts := statements()
	c.must("statement", "import", c.writeCFONB("releve-0112.txt", sts[0]))
	c.must("reject", "F2026-0045", "--reason", "AM04", "--date", "2026-12-02", "--after-settlement")
	before := c.must("entries", "--format", "csv")
	out := c.must("statement", "import", c.writeCamt("releve-0312.xml", statement.Camt053V08, sts[1]))
	if !strings.Contains(out, "      5    40 03/12/2026        -80,00 PMNT/IDDT/UPDD returned   F2026-0045 (remittance 001): confirms return 1 motif AM04\n") {
		t.Errorf("import:\n%s", out)
	}
	if after := c.must("entries", "--format", "csv"); after != before {
		t.Errorf("the return was recorded twice:\n%s\nbefore\n%s", after, before)
	}
	if l := c.must("statement", "list"); !strings.Contains(l, "F2026-0045 (remittance 001): confirms return 1 motif AM04\n") {
		t.Errorf("list:\n%s", l)
	}
}

// TestStatementItemsCredited: remitted without batch booking, the bank
// credits each collection on its own line, named by its EndToEndId; the
// remittance is credited when the last is.
func TestStatementItemsCredited(t *testing.T) { onBothStores(t, testStatementItemsCredited) }

func testStatementItemsCredited(t *testing.T, pg bool) {
	c := newCLIOn(t, pg)
	c.setup()
	c.must("import", c.file("in.csv", statementCSV))
	c.must("point", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "sdd")
	c.must("sdd", "--batch-booking=false")
	c.now = stmtNow
	d1 := day(2026, 12, 1)
	s := releve(bqIBAN, day(2026, 11, 30), d1, 0,
		statement.Entry{Amount: 123456, BookingDate: d1, ValueDate: d1, Label: "PRLV SEPA DUPONT", BankRef: "BQ-1",
			Code:    statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "ESDD"},
			Details: []statement.Detail{{EndToEndID: "F2026-0042", MandateID: "RUM-DUP-1", Amount: 123456}}},
		statement.Entry{Amount: 8000, BookingDate: d1, ValueDate: d1, Label: "PRLV SEPA LEROY", BankRef: "BQ-2",
			Code:    statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "ESDD"},
			Details: []statement.Detail{{EndToEndID: "F2026-0045", MandateID: "RUM-LER-1", Amount: 8000}}},
	)
	out := c.must("statement", "import", c.writeCamt("releve.xml", statement.Camt053V02, s))
	for _, want := range []string{
		"      1    41 01/12/2026      1 234,56 PMNT/IDDT/ESDD credited   F2026-0042 (remittance 001)\n",
		"      2    76 01/12/2026         80,00 PMNT/IDDT/ESDD credited   F2026-0045 (remittance 001)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
	if l := c.must("list", "--status", "paid", "--method", "sdd", "--due-from", "2026-12-01", "--due-to", "2026-12-01"); strings.Count(l, " paid ") != 2 {
		t.Errorf("list:\n%s", l)
	}
	if got := c.query(`SELECT credited_on FROM remittances`); got != "2026-12-01" {
		t.Errorf("remittance credited on %q", got)
	}
}

// TestStatementRemittanceCreditedWhenLastItemIs: a remittance whose items
// the bank credits on two days is credited on the second, and a
// statement of the second day still finds it.
func TestStatementRemittanceCreditedWhenLastItemIs(t *testing.T) {
	onBothStores(t, testStatementRemittanceCreditedWhenLastItemIs)
}

func testStatementRemittanceCreditedWhenLastItemIs(t *testing.T, pg bool) {
	c := newCLIOn(t, pg)
	c.setup()
	c.must("import", c.file("in.csv", statementCSV))
	c.must("point", "--due-from", "2026-11-01", "--due-to", "2026-12-31", "--method", "sdd")
	c.must("sdd", "--batch-booking=false")
	c.now = stmtNow
	d1, d2 := day(2026, 12, 1), day(2026, 12, 2)
	esdd := statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "ESDD"}
	s1 := releve(bqIBAN, d1, d1, 0, statement.Entry{Amount: 123456, BookingDate: d1, ValueDate: d1, Label: "PRLV SEPA DUPONT", Code: esdd,
		Details: []statement.Detail{{EndToEndID: "F2026-0042", Amount: 123456}}})
	s2 := releve(bqIBAN, d2, d2, s1.Closing.Amount, statement.Entry{Amount: 8000, BookingDate: d2, ValueDate: d2, Label: "PRLV SEPA LEROY",
		Code: esdd, Details: []statement.Detail{{EndToEndID: "F2026-0045", Amount: 8000}}})
	c.must("statement", "import", c.writeCamt("r1.xml", statement.Camt053V08, s1))
	if got := c.query(`SELECT status || ' ' || credited_on FROM remittances`); got != "sent " {
		t.Errorf("after the first: %q", got)
	}
	out := c.must("statement", "import", c.writeCamt("r2.xml", statement.Camt053V08, s2))
	if !strings.Contains(out, " credited   F2026-0045 (remittance 001)\n") {
		t.Errorf("second:\n%s", out)
	}
	if got := c.query(`SELECT status || ' ' || credited_on FROM remittances`); got != "sent 2026-12-02" {
		t.Errorf("after the second: %q", got)
	}
}

// TestStatementUnpaidByReference: an LCR whose document is longer than the
// 10 characters of its file's référence tireur is named by the unpaid
// line as the file carried it (its last 10 characters).
func TestStatementUnpaidByReference(t *testing.T) { onBothStores(t, testStatementUnpaidByReference) }

func testStatementUnpaidByReference(t *testing.T, pg bool) {
	c := newCLIOn(t, pg)
	c.setup()
	c.must("import", c.file("in.csv", `document;customer;name;amount;due_date;method;iban;town;country
FB-2026-000123;411MARTIN;Martin & Fils;250,00;2026-12-15;lcr;FR1420041010050500013M02606;Lille;FR
FB-2026-000124;411MARTIN;Martin & Fils;100,00;2026-12-15;lcr;FR1420041010050500013M02606;Lille;FR
`))
	c.must("point", "--due-from", "2026-12-01", "--due-to", "2026-12-31")
	c.must("lcr")
	c.now = stmtNow
	d15, d17 := day(2026, 12, 15), day(2026, 12, 17)
	s := releve(bqIBAN, day(2026, 12, 14), d17, 0,
		statement.Entry{Amount: 35000, BookingDate: d15, ValueDate: d15, Label: "REMISE LCR", Code: statement.Code{Proprietary: "35"}},
		statement.Entry{Amount: -25000, BookingDate: d17, ValueDate: d17, Label: "LCR IMPAYEE REF 026-000123", Code: statement.Code{Proprietary: "33"}},
	)
	out := c.must("statement", "import", c.writeCFONB("releve.txt", s))
	for _, want := range []string{
		"      1     2 15/12/2026        350,00 35             credited   remittance 001 of 15/12/2026\n",
		"      2     3 17/12/2026       -250,00 33             returned   FB-2026-000123 (remittance 001); no reason code on the statement: recorded as MS03\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
}

// query reads one text value from the test database, as other software would.
func (c *cliEnv) query(q string) string {
	c.t.Helper()
	db, q := c.sqlDB(q)
	defer db.Close()
	var s string
	if err := db.QueryRow(q).Scan(&s); err != nil {
		c.t.Fatalf("%s: %v", q, err)
	}
	return s
}

// exec changes the test database as other software would.
func (c *cliEnv) exec(q string) {
	c.t.Helper()
	db, q := c.sqlDB(q)
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		c.t.Fatalf("%s: %v", q, err)
	}
}

// TestStatementChequeDeposit: a remise de chèques credited in one line
// moves from 511 to the bank's account (the cheque kind's écriture, once),
// and an unpaid cheque debited back by its number is a return.
func TestStatementChequeDeposit(t *testing.T) { onBothStores(t, testStatementChequeDeposit) }

func testStatementChequeDeposit(t *testing.T, pg bool) {
	c := newCLIOn(t, pg)
	c.setup()
	c.must("import", c.file("in.csv", `document;customer;name;amount;due_date;method;town;country
F2026-0050;411DUPONT;Dupont Matériaux;120,00;2026-11-20;chq;Bordeaux;FR
F2026-0051;411LEROY;Leroy SARL;80,00;2026-11-20;chq;Lyon;FR
`))
	c.exec(`UPDATE receivables SET cheque_number = '1234567', drawer_bank = 'CIC LYON' WHERE document = 'F2026-0050'`)
	c.exec(`UPDATE receivables SET cheque_number = '0000042', drawer_bank = 'LA POSTE' WHERE document = 'F2026-0051'`)
	c.must("point", "--due-from", "2026-11-01", "--due-to", "2026-11-30", "--method", "chq")
	c.must("cheques")
	c.now = stmtNow
	d24, d27 := day(2026, 11, 24), day(2026, 11, 27)
	s1 := releve(bqIBAN, day(2026, 11, 23), d24, 0,
		statement.Entry{Amount: 20000, BookingDate: d24, ValueDate: d24, Label: "REMISE CHEQUES", Code: statement.Code{Proprietary: "02"}})
	s2 := releve(bqIBAN, d27, d27, s1.Closing.Amount,
		statement.Entry{Amount: -8000, BookingDate: d27, ValueDate: d27, Label: "CHEQUE IMPAYE 0000042", Number: "0000042",
			Code: statement.Code{Proprietary: "03"}})
	out := c.must("statement", "import", c.writeCFONB("r1.txt", s1), c.writeCFONB("r2.txt", s2))
	for _, want := range []string{
		"      1     2 24/11/2026        200,00 02             credited   remittance 001 of 22/11/2026\n",
		"      2     2 27/11/2026        -80,00 03             returned   F2026-0051 (remittance 001); no reason code on the statement: recorded as MS03\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
	entries := c.must("entries", "--format", "csv", "--from", "2026-11-24")
	for _, want := range []string{
		",2026-11-24,512000,Banques,,,Remise 001,2026-11-24,Recettes au 24/11/26,200.00,0.00,,,2026-12-18,collection,001\n",
		",2026-11-24,511200,",
		"Rejet F2026-0051 MS03,80.00,0.00,",
	} {
		if !strings.Contains(entries, want) {
			t.Errorf("entries lack %q:\n%s", want, entries)
		}
	}
	if l := c.must("list", "--status", "all", "--method", "chq", "--due-from", "2026-11-01", "--due-to", "2026-11-30"); !strings.Contains(l, " paid ") ||
		!strings.Contains(l, " rejected ") {
		t.Errorf("list:\n%s", l)
	}
}

func TestTreasuryAccountsSet(t *testing.T) { onBothStores(t, testTreasuryAccountsSet) }

// testTreasuryAccountsSet: the suspense, loss and VAT accounts come from
// entries.suspense_account, entries.loss_account and entries.vat_account;
// an allocation debits the account its line's credit was booked to, even
// once the setting has changed; a masked or malformed account is refused
// before anything is done.
func testTreasuryAccountsSet(t *testing.T, pg bool) {
	c := remitted(t, pg)
	t.Setenv("REMIT_ENTRIES_SUSPENSE_ACCOUNT", "4711")
	c.importStatements()
	if out := c.must("suspense"); !strings.HasSuffix(out, "\n1 line, 400,00 in the suspense account (4711)\n") {
		t.Errorf("suspense:\n%s", out)
	}
	if out := c.must("suspense", "--json"); !strings.Contains(out, `"account": "4711",`) {
		t.Errorf("suspense --json:\n%s", out)
	}
	// The setting changes: the line's credit stays on 4711, and its
	// allocation clears it there.
	t.Setenv("REMIT_ENTRIES_SUSPENSE_ACCOUNT", "471900")
	c.must("suspense", "allocate", "3", "--document", "F2026-0047", "--date", "2026-12-18")
	t.Setenv("REMIT_ENTRIES_LOSS_ACCOUNT", "6541")
	t.Setenv("REMIT_ENTRIES_VAT_ACCOUNT", "4457120")
	if out := c.must("writeoff", "F2026-0046", "--reason", "liquidation judiciaire", "--vat", "50.00"); out !=
		"F2026-0046 (411MARTIN) written off on 18/12/2026: 300,00, liquidation judiciaire\n"+
			"  6541         debit         250,00\n  4457120      debit          50,00\n  411MARTIN    credit        300,00\n" {
		t.Errorf("writeoff:\n%s", out)
	}
	entries := c.must("entries", "--format", "csv")
	for _, s := range []string{
		",4711,Compte d'attente,,,ATT3,2026-12-01,Attente VIR SEPA LEROY SARL,0.00,400.00,",
		",4711,Compte d'attente,,,ATT3,2026-12-18,Vidage compte d'attente ATT3,150.00,0.00,",
		",6541,Pertes sur créances irrécouvrables,,,F2026-0046,2026-12-18,Abandon de créance F2026-0046 liquidation judiciaire,250.00,0.00,",
		",4457120,TVA collectée,,,F2026-0046,2026-12-18,Abandon de créance F2026-0046 liquidation judiciaire,50.00,0.00,",
	} {
		if !strings.Contains(entries, s) {
			t.Errorf("entries lack %s:\n%s", s, entries)
		}
	}
	if strings.Contains(entries, "471900") || strings.Contains(entries, ",471000,") || strings.Contains(entries, ",654000,") {
		t.Errorf("entries on an account not set, or no longer set, for them:\n%s", entries)
	}
	t.Setenv("REMIT_ENTRIES_LOSS_ACCOUNT", "654AA")
	t.Setenv("REMIT_ENTRIES_VAT_ACCOUNT", "4457 1")
	if _, errs, code := c.run("", "writeoff", "F2026-0045", "--reason", "x"); code != ExitUsage ||
		!strings.Contains(errs, `VAT account "4457 1": letters, digits, - _ or . only`) ||
		!strings.Contains(errs, "only counterpart accounts may carry the masks AA and MM") {
		t.Errorf("bad accounts: exit %d: %s", code, errs)
	}
}
