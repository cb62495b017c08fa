package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/testtool"
)

// Remises de chèques (issue 19, part 3).

const chequeHeader = "document,customer,name,amount,due_date,method,journal,bank_name,town,country,pointed\n"

// newChequeEnv imports received cheques, pointed, and gives them their
// numbers and drawers' banks; the creditor has two banks.
func newChequeEnv(t *testing.T) *sddEnv {
	t.Helper()
	st, cr := newTestStore(t)
	csv := chequeHeader +
		"C1,411A,Alpha SA,100.00,2026-11-20,chq,,CREDIT AGRICOLE,Lyon,FR,yes\n" +
		"C2,411B,Beta SARL,250.50,2026-11-21,chq,BQ2,,Lyon,FR,yes\n" +
		"C3,411C,Gamma & Fils,1300.00,2026-11-22,chq,bq2,CIC NANTES,Nantes,FR,yes\n" +
		"C4,411D,Delta,40.00,2026-11-22,chq,,,Lyon,FR,yes\n" +
		"C5,411E,Epsilon,60.00,2026-11-22,chq,,,Lyon,FR,yes\n"
	if res, err := importString(t, st, cr, csv, remit.ImportOptions{}); err != nil {
		t.Fatalf("import: %v %v", err, res.Problems)
	}
	e := &sddEnv{t: t, st: st, cr: cr, out: t.TempDir()}
	e.twoBanks()
	e.exec(`UPDATE receivables SET cheque_number = '0000042' WHERE document = 'C1'`)
	e.exec(`UPDATE receivables SET cheque_number = '1234567', drawer_bank = 'LCL LYON' WHERE document = 'C2'`)
	e.exec(`UPDATE receivables SET cheque_number = '8812345' WHERE document = 'C3'`)
	e.exec(`UPDATE receivables SET cheque_number = '12345678' WHERE document = 'C5'`)
	return e
}

func (e *sddEnv) cheques(o cheque.Options) *collect.Result {
	e.t.Helper()
	o.OutDir = e.out
	res, err := collect.Run(context.Background(), e.st, e.cr, cheque.Job(o))
	if err != nil {
		e.t.Fatalf("cheques: %v", err)
	}
	return res
}

func TestChequeDepositPerBank(t *testing.T) {
	e := newChequeEnv(t)
	res := e.cheques(cheque.Options{})
	if len(res.Remittances) != 2 || res.Remittances[0].Bank != "BQ" || res.Remittances[1].Bank != "BQ2" ||
		res.Remittances[0].Count != 1 || res.Remittances[1].Count != 2 || res.Remittances[1].Total != 155050 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	var refused []string
	for _, r := range res.Refused {
		refused = append(refused, r.Document+": "+strings.Join(r.Reasons, "; "))
	}
	if got, want := strings.Join(refused, "\n"), "C4: no cheque number: the slip lists each cheque by its number (import it in the cheque_number column)\n"+
		`C5: cheque number "12345678": want 1 to 7 digits, as on the cheque's bottom line`; got != want {
		t.Errorf("refused:\n%s\nwant\n%s", got, want)
	}
	// Each item keeps its cheque: number, and the bank it is drawn on.
	var items []string
	rows, _ := e.st.db.Query(`SELECT document, cheque_number, drawer_bank, collection_date, status FROM remittance_items ORDER BY id`)
	for rows.Next() {
		var d, n, b, c, s string
		rows.Scan(&d, &n, &b, &c, &s)
		items = append(items, strings.Join([]string{d, n, b, c, s}, " "))
	}
	rows.Close()
	if got := strings.Join(items, "\n"); got != "C1 0000042  2026-11-22 remitted\nC2 1234567 LCL LYON 2026-11-22 remitted\nC3 8812345  2026-11-22 remitted" {
		t.Errorf("items:\n%s", got)
	}
	// The cheques are booked on 511200 until the bank credits them.
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 511200 C1 "Recettes au 22/11/26" D 100.00
BQ#1.2 2026-11-22 411000 411A C1 "C1 Alpha SA" C 100.00 AAA 2026-11-22
BQ2#1.1 2026-11-22 511200 C2 "Recettes au 22/11/26" D 250.50
BQ2#1.2 2026-11-22 411000 411B C2 "C2 Beta SARL" C 250.50 AAB 2026-11-22
BQ2#1.3 2026-11-22 511200 C3 "Recettes au 22/11/26" D 1300.00
BQ2#1.4 2026-11-22 411000 411C C3 "C3 Gamma & Fils" C 1300.00 AAC 2026-11-22
`)
	// The slip: BQ2's account, each cheque and its drawer's bank (the
	// customer's when the receivable named none).
	slip := res.Remittances[1].Files[0]
	if slip.Name != "BORDEREAU.002.pdf" || len(res.Remittances[1].Files) != 1 {
		t.Fatalf("files %+v", res.Remittances[1].Files)
	}
	b, _ := os.ReadFile(slip.Path)
	sum := sha256.Sum256(b)
	golden(t, writeTemp(t, hex.EncodeToString(sum[:])+"\n"), "cheque_deposit.sha256")
	text := pdfText(t, b)
	for _, want := range []string{"REMISE DE CHÈQUES", "CIC LYON · journal BQ2", "FR76 1009 6000 5024 6801 3579 016", "1 1234567 Beta SARL LCL LYON 250,50 €",
		"2 8812345 Gamma & Fils CIC NANTES 1 300,00 €", "TOTAL DE LA REMISE — 2 chèques 1 550,50 €", "Fait à Paris, le 22/11/2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("slip lacks %q:\n%s", want, text)
		}
	}
	// Regenerated, byte for byte.
	os.Remove(slip.Path)
	if _, notes, err := collect.Regenerate(context.Background(), e.st, testKinds, e.cr.ID, res.Remittances[1].ID, e.out); err != nil || len(notes) > 0 {
		t.Fatalf("regenerate: %v %v", notes, err)
	}
	if again, _ := os.ReadFile(slip.Path); !bytes.Equal(again, b) {
		t.Error("the regenerated slip differs")
	}
}

// TestCreditDeposit: the bank's credit of a remise books it from 511200 to
// the bank's account, once.
func TestCreditDeposit(t *testing.T) {
	e := newChequeEnv(t)
	res := e.cheques(cheque.Options{Bank: "BQ2"})
	if len(res.Remittances) != 1 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	ctx, id := context.Background(), res.Remittances[0].ID
	on := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if ok, err := collect.CreditDeposit(ctx, e.st, e.cr.ID, id, on); !ok || err != nil {
		t.Fatalf("credit: %v %v", ok, err)
	}
	if ok, err := collect.CreditDeposit(ctx, e.st, e.cr.ID, id, on.AddDate(0, 0, 1)); ok || err != nil {
		t.Errorf("a second credit: %v %v", ok, err)
	}
	dump := entryDump(t, e.st, id)
	if !strings.HasSuffix(dump, "BQ2#2.1 2026-11-24 512200 Remise 001 \"Recettes au 24/11/26\" D 1550.50\n"+
		"BQ2#2.2 2026-11-24 511200 Remise 001 \"Recettes au 24/11/26\" C 1550.50\n") {
		t.Errorf("entries:\n%s", dump)
	}
	// A remittance booked on its bank's account has no credit to book.
	sddE := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	r := sddE.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
	if _, err := collect.CreditDeposit(ctx, sddE.st, sddE.cr.ID, r.Remittances[0].ID, on); !errors.Is(err, ErrNotDeposit) {
		t.Errorf("credit of an SDD remittance: %v", err)
	}
}

// TestChequeDepositCancelled: a remise cancelled before it went to the
// bank gives its cheques back to pointed and reverses its entries.
func TestChequeDepositCancelled(t *testing.T) {
	e := newChequeEnv(t)
	res := e.cheques(cheque.Options{Bank: "BQ"})
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.st, `SELECT count(*) FROM receivables WHERE document = 'C1' AND status = 'pointed'`); n != 1 {
		t.Error("C1 not pointed again")
	}
	if again := e.cheques(cheque.Options{Bank: "BQ"}); len(again.Remittances) != 1 || again.Remittances[0].Count != 1 {
		t.Errorf("deposited again: %+v", again.Remittances)
	}
	if _, err := collect.Run(context.Background(), e.st, e.cr, cheque.Job(cheque.Options{Common: collect.Common{NoBordereau: true, OutDir: e.out}})); err == nil ||
		!strings.Contains(err.Error(), "a remise de chèques is its slip") {
		t.Errorf("--no-bordereau: %v", err)
	}
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText is the text of a PDF as pdftotext reads it, runs of blanks
// squashed to one.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	cmd := exec.Command(testtool.Tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\n", " ⏎ ")), " ")
}

// The import reads a cheque's number and drawer's bank; a number that is
// not 1 to 7 digits is a problem of its line.
func TestImportChequeColumns(t *testing.T) {
	st, cr := newTestStore(t)
	head := "document,customer,name,amount,due_date,method,cheque_number,drawer_bank\n"
	if res, err := importString(t, st, cr, head+"C1,411A,Alpha,10.00,2026-12-01,chq,00 42,LCL LYON\n", remit.ImportOptions{}); err != nil {
		t.Fatalf("import: %v %+v", err, res)
	}
	var n, b string
	st.db.QueryRow(`SELECT cheque_number, drawer_bank FROM receivables WHERE document = 'C1'`).Scan(&n, &b)
	if n != "0042" || b != "LCL LYON" {
		t.Errorf("C1: %q %q", n, b)
	}
	res, err := importString(t, st, cr, head+"C2,411A,Alpha,10.00,2026-12-01,chq,12345678,\n", remit.ImportOptions{})
	if err == nil || len(res.Problems) != 1 || res.Problems[0].Error() != `line 2, column cheque_number "12345678": want 1 to 7 digits, as on the cheque's bottom line` {
		t.Errorf("8 digits: %v %v", err, res.Problems)
	}
}
