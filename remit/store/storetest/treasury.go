package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/remit/treasury"
	"github.com/remit-dev/remit/sepa/camt053"
)

// The banks' side (store.Treasury): statements matched to what remit sent
// the bank and applied, the suspense account, allocations and write-offs,
// through the use cases of remit/collect, with the same answers from every
// store.

// treasuryKinds are the kinds of remittance a statement is matched to.
var treasuryKinds = collect.NewRegistry(sdd.Kind, lcr.Kind, cheque.Kind)

// treasuryCSV: direct debits, LCRs and cheques to the default bank, and
// receivables paid by transfer.
const treasuryCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country;cheque_number;drawer_bank
T-0042;411DUPONT;Dupont Matériaux;1234,56;2026-12-07;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR;;
T-0045;411LEROY;Leroy SARL;80,00;2026-12-07;sdd;FR7610096000502468013579016;RUM-LER-1;2025-03-01;Lyon;FR;;
T-0043;411MARTIN;Martin & Fils;500;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR;;
T-0046;411MARTIN;Martin & Fils;300;2026-12-15;lcr;FR1420041010050500013M02606;;;Lille;FR;;
T-0044;411MARTIN;Martin & Fils;99.90;2026-11-30;vir;;;;Lille;FR;;
T-0047;411LEROY;Leroy SARL;150,00;2026-11-30;vir;;;;Lyon;FR;;
T-0050;411DUPONT;Dupont Matériaux;120,00;2026-11-30;chq;;;;Bordeaux;FR;1234567;CIC LYON
T-0051;411LEROY;Leroy SARL;80,00;2026-11-30;chq;;;;Lyon;FR;0000042;LA POSTE
`

// releve makes a statement of the creditor's account: its opening balance
// on from, its entries (booked on their date), its closing balance on to.
func releve(from, to time.Time, opening int64, entries ...statement.Entry) statement.Statement {
	s := statement.Statement{Account: statement.Account{IBAN: acme.IBAN}, Currency: "EUR",
		Opening: statement.Balance{Date: from, Amount: opening}, Closing: statement.Balance{Date: to, Amount: opening}, Entries: entries}
	for i := range s.Entries {
		s.Entries[i].Status = statement.StatusBook
		s.Entries[i].ValueDate = s.Entries[i].BookingDate
		s.Closing.Amount += s.Entries[i].Amount
	}
	return s
}

func cfonbFile(t *testing.T, name string, sts ...statement.Statement) collect.StatementFile {
	t.Helper()
	var buf bytes.Buffer
	w := cfonb120.NewWriter(&buf, cfonb120.WriterOptions{EOL: cfonb.CRLF})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return collect.StatementFile{Name: name, Data: buf.Bytes()}
}

func camtFile(t *testing.T, name string, sts ...statement.Statement) collect.StatementFile {
	t.Helper()
	var buf bytes.Buffer
	w := camt053.NewWriter(&buf, camt053.WriterOptions{Version: statement.Camt053V08, MsgID: "RLV-" + name, Created: Now})
	for i := range sts {
		sts[i].ID = fmt.Sprintf("STMT-%d", i+1)
		if err := w.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return collect.StatementFile{Name: name, Data: buf.Bytes()}
}

// treasuryRemittances: the receivables of treasuryCSV remitted to the
// default bank: an SDD, an LCR and a remise de chèques.
func (e *env) treasuryRemittances() (sddRem, lcrRem, chqRem remit.Remittance) {
	t := e.t
	t.Helper()
	e.creditor()
	if res, err := e.importCSV([]byte(treasuryCSV), false); err != nil || res.Inserted != 8 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	if _, err := e.st.Point(e.ctx, e.cr.ID, remit.Filter{DueTo: day(30)}, 0, ""); err != nil {
		t.Fatal(err)
	}
	one := func(kind string, res *collect.Result, err error) remit.Remittance {
		t.Helper()
		if err != nil || len(res.Remittances) != 1 {
			t.Fatalf("%s: %+v, %v", kind, res, err)
		}
		return res.Remittances[0]
	}
	sddRem = one("sdd", e.runSDD(sdd.Options{}), nil)
	lcrRem = one("lcr", e.runLCR(), nil)
	res, err := collect.Run(e.ctx, e.st, e.cr, cheque.Job(cheque.Options{Common: collect.Common{OutDir: e.out}}))
	chqRem = one("cheques", res, err)
	return sddRem, lcrRem, chqRem
}

// treasuryStatements are five days of the default bank: the SDD credited
// in one line, a transfer paying T-0044, another nothing explains, a fee
// (CFONB 120); the remise de chèques credited, a direct debit returned
// (camt.053); the LCRs credited, one unpaid named by its document, a
// cheque unpaid named by its number (CFONB 120).
func treasuryStatements(sddRem remit.Remittance) []statement.Statement {
	d7 := statement.Date(2026, 12, 7)
	s1 := releve(statement.Date(2026, 12, 6), d7, 100000,
		statement.Entry{Amount: 131456, BookingDate: d7, Label: "REMISE PRLV SEPA CORE", Number: "0000001",
			Code: statement.Code{Proprietary: "A1"}, Details: []statement.Detail{{PmtInfID: remit.PaymentInfoID(sddRem.MsgID, 1)}}},
		statement.Entry{Amount: 9990, BookingDate: d7, Label: "VIR SEPA MARTIN ET FILS", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"FACTURE T-0044"}, Debtor: statement.Party{Name: "MARTIN ET FILS"}}}},
		statement.Entry{Amount: 40000, BookingDate: d7, Label: "VIR SEPA LEROY SARL", Code: statement.Code{Proprietary: "05"},
			Details: []statement.Detail{{Remittance: []string{"ACOMPTE"}, Debtor: statement.Party{Name: "LEROY SARL"}}}},
		statement.Entry{Amount: -500, BookingDate: d7, Label: "COMMISSION REMISE PRLV", Code: statement.Code{Proprietary: "62"}},
	)
	d8, d9 := statement.Date(2026, 12, 8), statement.Date(2026, 12, 9)
	s2 := releve(d8, d9, s1.Closing.Amount,
		statement.Entry{Amount: 20000, BookingDate: d8, Label: "REMISE CHEQUES", BankRef: "BQ-20261208-1",
			Code: statement.Code{Domain: "PMNT", Family: "RCHQ", SubFamily: "CCHQ"}},
		statement.Entry{Amount: -8000, BookingDate: d9, Label: "IMPAYE PRLV SEPA LEROY", BankRef: "BQ-20261209-1",
			Code: statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "UPDD"},
			Details: []statement.Detail{{EndToEndID: "T-0045", MandateID: "RUM-LER-1", ReturnReason: "AM04", Amount: -8000,
				Debtor: statement.Party{Name: "LEROY SARL"}}}},
	)
	d15, d17 := statement.Date(2026, 12, 15), statement.Date(2026, 12, 17)
	s3 := releve(d15, d17, s2.Closing.Amount,
		statement.Entry{Amount: 80000, BookingDate: d15, Label: "REMISE LCR ENCAISSEMENT", Code: statement.Code{Proprietary: "35"}},
		statement.Entry{Amount: -30000, BookingDate: d17, Label: "LCR IMPAYEE T-0046", ReturnReason: "01", Code: statement.Code{Proprietary: "33"}},
		statement.Entry{Amount: -8000, BookingDate: d17, Label: "CHEQUE IMPAYE 0000042", Number: "0000042", Code: statement.Code{Proprietary: "03"}},
	)
	return []statement.Statement{s1, s2, s3}
}

// lineSummary says what a statement's lines were matched to, one line
// each: outcome, then each target.
func lineSummary(lines []store.StatementLineRecord) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%d %s %s %d", l.FileLine, remit.FormatDate(l.Booked), l.Outcome, l.Amount)
		if l.Suspense {
			fmt.Fprintf(&b, " suspense, left %d", l.Left)
		}
		for _, tg := range l.Targets {
			fmt.Fprintf(&b, " [%s %d %s %s %d", tg.Remittance, tg.Block, remit.FormatDate(tg.LotDate), tg.Document, tg.Amount)
			if tg.Return != 0 {
				fmt.Fprintf(&b, " return, confirmed %v", tg.Confirmed)
			}
			b.WriteString("]")
		}
		if l.ReturnReason != "" {
			b.WriteString(" motif " + l.ReturnReason)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func testStatements(t *testing.T, e *env) {
	sddRem, lcrRem, chqRem := e.treasuryRemittances()
	sts := treasuryStatements(sddRem)
	files := []collect.StatementFile{cfonbFile(t, "r1.txt", sts[0]), camtFile(t, "r2.xml", sts[1]), cfonbFile(t, "r3.txt", sts[2])}
	e.later(16 * 24 * time.Hour)
	res, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d statements, want 3: %+v", len(res), res)
	}
	for _, r := range res {
		if r.Status != collect.StatementImported || r.Bank != "BQ" || !r.BalanceSet {
			t.Errorf("%s: %s %s %v", r.File, r.Status, r.Problems, r.BalanceSet)
		}
	}
	// What each line was matched to, as recorded.
	recs, err := e.statements("")
	if err != nil || len(recs) != 3 {
		t.Fatalf("statements: %d, %v", len(recs), err)
	}
	lcrDate := "2026-12-15"
	want := []string{
		"2 2026-12-07 lot-credited 131456 [" + sddRem.Ref + " 1 " + remit.FormatDate(sddRem.Blocks[0].CollectionDate) + "  131456]\n" +
			"4 2026-12-07 paid 9990 [ 0  T-0044 9990]\n" +
			"7 2026-12-07 unmatched 40000 suspense, left 40000\n" +
			"10 2026-12-07 fee -500\n",
		"", // the camt.053's file lines are the writer's: checked below
		"2 2026-12-15 lot-credited 80000 [" + lcrRem.Ref + " 0 " + lcrDate + "  80000]\n" +
			"3 2026-12-17 returned -30000 [" + lcrRem.Ref + " 0  T-0046 30000 return, confirmed false] motif 01\n" +
			"4 2026-12-17 returned -8000 [" + chqRem.Ref + " 0  T-0051 8000 return, confirmed false]\n",
	}
	for i, r := range recs {
		if r.Bank != "BQ" || r.Account != acme.IBAN || !r.BalanceSet || r.Opening != sts[i].Opening.Amount || r.Closing != sts[i].Closing.Amount ||
			r.ImportedAt != "2026-12-18T09:00:00" || remit.FormatDate(r.To) != remit.FormatDate(sts[i].Closing.Date) {
			t.Errorf("statement %d: %+v", i+1, r)
		}
		if got := lineSummary(r.Lines); want[i] != "" && got != want[i] {
			t.Errorf("statement %d (%s):\n%s\nwant\n%s", i+1, r.Format, got, want[i])
		}
	}
	if got := lineSummary(recs[1].Lines); !strings.Contains(got, " lot-credited 20000 ["+chqRem.Ref+" ") ||
		!strings.Contains(got, " 2026-12-09 returned -8000 ["+sddRem.Ref+" 1  T-0045 8000 return, confirmed false] motif AM04\n") {
		t.Errorf("statement 2 (camt.053):\n%s", got)
	}
	if recs[0].Format != "cfonb120" || recs[1].Format != statement.Camt053V08 || recs[1].Ref != "STMT-1" {
		t.Errorf("formats: %s %s %q", recs[0].Format, recs[1].Format, recs[1].Ref)
	}
	if only, err := e.statements("NOPE"); err != nil || len(only) != 0 {
		t.Errorf("statements of bank NOPE: %+v, %v", only, err)
	}
	// Each line did what it says.
	for doc, status := range map[string]string{"T-0042": remit.StatusPaid, "T-0045": remit.StatusRejected, "T-0043": remit.StatusPaid,
		"T-0046": remit.StatusRejected, "T-0044": remit.StatusPaid, "T-0047": remit.StatusOpen, "T-0050": remit.StatusPaid,
		"T-0051": remit.StatusRejected} {
		if r := e.receivable(doc); r.Status != status {
			t.Errorf("%s: %s, want %s", doc, r.Status, status)
		}
	}
	for _, ref := range []remit.Remittance{sddRem, lcrRem, chqRem} {
		if rem, err := e.st.Remittance(e.ctx, e.cr.ID, ref.ID); err != nil || rem.Status != remit.RemittanceSent {
			t.Errorf("remittance %s credited: %+v, %v", ref.Ref, rem.Status, err)
		}
	}
	if _, err := collect.Cancel(e.ctx, e.st, e.cr.ID, sddRem.ID); err == nil {
		t.Error("a remittance the bank credited was cancelled")
	}
	banks, err := e.st.Banks(e.ctx, e.cr.ID)
	if err != nil || len(banks) != 1 || banks[0].Balance != sts[2].Closing.Amount || remit.FormatDate(banks[0].BalanceDate) != "2026-12-17" {
		t.Errorf("the validated balance: %+v, %v", banks, err)
	}
	e.checkEntries()

	// The same statements again change nothing.
	before := e.treasuryState()
	res, err = collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, files)
	if err != nil || len(res) != 3 {
		t.Fatalf("again: %+v, %v", res, err)
	}
	for _, r := range res {
		if r.Status != collect.StatementAlready {
			t.Errorf("%s again: %s %v", r.File, r.Status, r.Problems)
		}
	}
	// Refused: an account no bank has, balances that do not add up.
	other := releve(statement.Date(2026, 12, 17), statement.Date(2026, 12, 18), 0,
		statement.Entry{Amount: 1000, BookingDate: statement.Date(2026, 12, 18), Label: "VIR", Code: statement.Code{Proprietary: "05"}})
	other.Account.IBAN = "FR7610096000502468013579016"
	bad := releve(statement.Date(2026, 12, 18), statement.Date(2026, 12, 18), sts[2].Closing.Amount,
		statement.Entry{Amount: 1000, BookingDate: statement.Date(2026, 12, 18), Label: "VIR", Code: statement.Code{Proprietary: "05"}})
	badFile := camtFile(t, "faux.xml", bad)
	closing := fmt.Sprintf(`<Amt Ccy="EUR">%s</Amt>`, remit.FormatAmount(bad.Closing.Amount))
	if i := bytes.LastIndex(badFile.Data, []byte(closing)); i < 0 {
		t.Fatalf("no closing balance %s in\n%s", closing, badFile.Data)
	} else { // one cent more
		badFile.Data = slices.Concat(badFile.Data[:i], []byte(fmt.Sprintf(`<Amt Ccy="EUR">%s</Amt>`, remit.FormatAmount(bad.Closing.Amount+1))),
			badFile.Data[i+len(closing):])
	}
	res, err = collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{cfonbFile(t, "autre.txt", other), badFile})
	if err != nil || len(res) != 2 || res[0].Status != collect.StatementRefused || res[1].Status != collect.StatementRefused ||
		!strings.Contains(strings.Join(res[0].Problems, "\n"), "no bank has this account") ||
		!strings.Contains(strings.Join(res[1].Problems, "\n"), "balances do not add up") {
		t.Errorf("refused: %+v, %v", res, err)
	}
	if after := e.treasuryState(); after != before {
		t.Errorf("importing again or refused changed something:\n%s\nbefore\n%s", after, before)
	}
}

// treasuryState is what the treasury reads show, for comparisons.
func (e *env) treasuryState() string {
	e.t.Helper()
	recs, err := e.statements("")
	if err != nil {
		e.t.Fatal(err)
	}
	lines, err := e.suspenseLines(true)
	if err != nil {
		e.t.Fatal(err)
	}
	banks, err := e.st.Banks(e.ctx, e.cr.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	if err := e.st.Entries(e.ctx, e.cr.ID, accounting.EntryFilter{}, func(accounting.Entry) error { n++; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return fmt.Sprintf("%+v\n%+v\n%+v\n%d entries", recs, lines, banks, n)
}

func testSuspenseAndWriteOff(t *testing.T, e *env) {
	sddRem, _, _ := e.treasuryRemittances()
	sts := treasuryStatements(sddRem)
	e.later(16 * 24 * time.Hour)
	if _, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{cfonbFile(t, "r1.txt", sts[0]),
		camtFile(t, "r2.xml", sts[1]), cfonbFile(t, "r3.txt", sts[2])}); err != nil {
		t.Fatal(err)
	}
	lines, err := e.suspenseLines(false)
	if err != nil || len(lines) != 1 || lines[0].Amount != 40000 || lines[0].Left != 40000 || lines[0].Bank != "BQ" ||
		lines[0].Label != "VIR SEPA LEROY SARL" || remit.FormatDate(lines[0].Booked) != "2026-12-07" || len(lines[0].Allocated) != 0 ||
		lines[0].Account != "471000" {
		t.Fatalf("suspense: %+v, %v", lines, err)
	}
	id := lines[0].ID
	on := statement.Date(2026, 12, 18)
	a, err := collect.AllocateSuspense(e.ctx, e.st, e.cr, id, []string{"T-0047"}, on)
	if err != nil || a.Allocated != 15000 || len(a.Parts) != 1 || !a.Parts[0].Paid || a.Line.Left != 40000 {
		t.Fatalf("allocate to T-0047: %+v, %v", a, err)
	}
	// Refused, every reason at once, nothing recorded.
	before := e.treasuryState()
	_, err = collect.AllocateSuspense(e.ctx, e.st, e.cr, id, []string{"T-9999", "T-0044", "T-0046", "T-0046", "T-0047"}, on)
	if !errors.Is(err, collect.ErrRefused) || !errors.Is(err, treasury.ErrUnknown) || strings.Count(err.Error(), "\n") < 4 {
		t.Errorf("a refused allocation: %v", err)
	}
	if _, err := collect.AllocateSuspense(e.ctx, e.st, e.cr, 999, []string{"T-0045"}, on); !errors.Is(err, store.ErrNoSuspenseLine) ||
		err.Error() != "line 999: no such line in the suspense account (remit suspense lists them)" {
		t.Errorf("line 999: %v", err)
	}
	if after := e.treasuryState(); after != before {
		t.Errorf("a refused allocation changed something:\n%s\nbefore\n%s", after, before)
	}
	// The returned direct debit is paid from what is left.
	if _, err := collect.AllocateSuspense(e.ctx, e.st, e.cr, id, []string{"T-0045"}, on); err != nil {
		t.Fatal(err)
	}
	if lines, err := e.suspenseLines(false); err != nil || len(lines) != 1 || lines[0].Left != 17000 ||
		fmt.Sprint(lines[0].Allocated) != "[{T-0047 15000 2026-12-18 00:00:00 +0000 UTC} {T-0045 8000 2026-12-18 00:00:00 +0000 UTC}]" {
		t.Errorf("suspense after two allocations: %+v, %v", lines, err)
	}
	for _, doc := range []string{"T-0045", "T-0047"} {
		if r := e.receivable(doc); r.Status != remit.StatusPaid {
			t.Errorf("%s allocated: %s", doc, r.Status)
		}
	}
	// The rest to T-0046? More than the line holds: refused.
	if _, err := collect.AllocateSuspense(e.ctx, e.st, e.cr, id, []string{"T-0046"}, on); !errors.Is(err, collect.ErrRefused) ||
		!strings.Contains(err.Error(), "300.00 asked, 170.00 in it") {
		t.Errorf("more than the line holds: %v", err)
	}

	// T-0046, unpaid, is written off.
	w, err := collect.WriteOff(e.ctx, e.st, e.cr, treasury.WriteOffRequest{Document: "T-0046", Reason: "liquidation judiciaire", VAT: 5000,
		Date: on})
	if err != nil || w.Amount != 30000 || w.VAT != 5000 {
		t.Fatalf("write-off: %+v, %v", w, err)
	}
	if r := e.receivable("T-0046"); r.Status != remit.StatusWrittenOff {
		t.Errorf("T-0046 written off: %s", r.Status)
	}
	for doc, why := range map[string]string{"T-0046": "written off", "T-0042": "paid already", "T-9999": "unknown document"} {
		if _, err := collect.WriteOff(e.ctx, e.st, e.cr, treasury.WriteOffRequest{Document: doc, Reason: "x", Date: on}); !errors.Is(err, collect.ErrRefused) ||
			!strings.Contains(err.Error(), why) {
			t.Errorf("write-off of %s: %v, want %q", doc, err, why)
		}
	}
	if all, err := e.suspenseLines(true); err != nil || len(all) != 1 {
		t.Errorf("all suspense lines: %+v, %v", all, err)
	}
	// The books: every écriture balances; 471 holds what is left of the
	// line; the loss and the VAT.
	e.checkEntries()
	sums := map[string]int64{}
	if err := e.st.Entries(e.ctx, e.cr.ID, accounting.EntryFilter{}, func(en accounting.Entry) error {
		sums[en.Account+" "+string(en.Kind)] += en.Debit - en.Credit
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if sums["471000 suspense"] != -40000 || sums["471000 allocation"] != 23000 || sums["654000 writeoff"] != 25000 ||
		sums["445710 writeoff"] != 5000 || sums["512000 payment"] != 9990 {
		t.Errorf("entries by account and kind: %v", sums)
	}
}

// testItemsCredited: a statement crediting a remittance's collections
// each on a line of its own (items credited), over two days: every item
// gets the day of its line, its receivable is paid, the remittance is
// credited on the last day; the same statement again changes nothing.
func testItemsCredited(t *testing.T, e *env) {
	const n = 300
	e.creditor()
	var b strings.Builder
	b.WriteString("document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country\n")
	for i := range n {
		fmt.Fprintf(&b, "S-%04d;411C%04d;Client %d;%d,00;2026-12-07;sdd;FR7630006000011234567890189;RUM-%04d;2025-01-10;Bordeaux;FR\n",
			i, i, i, 10+i%50, i)
	}
	if res, err := e.importCSV([]byte(b.String()), false); err != nil || res.Inserted != n {
		t.Fatalf("import: %+v, %v", res, err)
	}
	e.pointAll()
	res := e.runSDD(sdd.Options{})
	if len(res.Remittances) != 1 {
		t.Fatalf("%d remittances", len(res.Remittances))
	}
	rem := res.Remittances[0]
	d7, d8 := statement.Date(2026, 12, 7), statement.Date(2026, 12, 8)
	var entries []statement.Entry
	for i := range n {
		on := d7
		if i >= n/2 {
			on = d8
		}
		entries = append(entries, statement.Entry{Amount: int64(10+i%50) * 100, BookingDate: on, Label: "PRLV SEPA",
			Code: statement.Code{Proprietary: "A1"}, Details: []statement.Detail{{EndToEndID: fmt.Sprintf("S-%04d", i)}}})
	}
	f := cfonbFile(t, "releve.txt", releve(statement.Date(2026, 12, 6), d8, 0, entries...))
	e.later(7 * 24 * time.Hour)
	out, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{f})
	if err != nil || len(out) != 1 || out[0].Status != collect.StatementImported || len(out[0].Lines) != n {
		t.Fatalf("import: %+v, %v", out, err)
	}
	recs, err := e.statements("BQ")
	if err != nil || len(recs) != 1 {
		t.Fatalf("statements: %+v, %v", recs, err)
	}
	for i, l := range recs[0].Lines {
		doc := fmt.Sprintf("S-%04d", i)
		if l.Outcome != treasury.ItemsCredited || len(l.Targets) != 1 || l.Targets[0].Document != doc || l.Targets[0].Remittance != rem.Ref {
			t.Fatalf("line %d: %+v", i+1, l)
		}
	}
	if got := e.docs(remit.Filter{Status: remit.StatusPaid, DueTo: day(30)}); len(got) != n {
		t.Errorf("%d receivables paid, want %d", len(got), n)
	}
	got, err := e.st.Remittance(e.ctx, e.cr.ID, rem.ID)
	if err != nil || got.Status != remit.RemittanceSent {
		t.Errorf("remittance %s: %+v, %v", rem.Ref, got.Status, err)
	}
	// Credited on the last day: no longer a candidate for a credit.
	again := releve(d8, statement.Date(2026, 12, 9), out[0].Closing, statement.Entry{Amount: 1000,
		BookingDate: statement.Date(2026, 12, 9), Label: "PRLV SEPA", Code: statement.Code{Proprietary: "A1"},
		Details: []statement.Detail{{EndToEndID: "S-0000"}}})
	out, err = collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{cfonbFile(t, "r2.txt", again)})
	if err != nil || len(out) != 1 || out[0].Lines[0].Outcome == treasury.ItemsCredited {
		t.Errorf("an item credited twice: %+v, %v", out, err)
	}
	before := e.treasuryState()
	if out, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{f}); err != nil ||
		out[0].Status != collect.StatementAlready {
		t.Errorf("again: %+v, %v", out, err)
	}
	if after := e.treasuryState(); after != before {
		t.Error("the same statement again changed something")
	}
}

// testStatementsAtOnce imports the same statements from three importers
// at the same time: the store lets one record them, the others find them
// imported (nothing twice: one suspense line, one return).
func testStatementsAtOnce(t *testing.T, e *env) {
	sddRem, _, _ := e.treasuryRemittances()
	sts := treasuryStatements(sddRem)
	files := []collect.StatementFile{cfonbFile(t, "r1.txt", sts[0]), camtFile(t, "r2.xml", sts[1]), cfonbFile(t, "r3.txt", sts[2])}
	e.later(16 * 24 * time.Hour)
	var wg sync.WaitGroup
	results := make([][]collect.StatementResult, 3)
	errs := make([]error, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, files)
		}()
	}
	wg.Wait()
	imported := map[string]int{}
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("importer %d: %v", i, errs[i])
		}
		for _, r := range res {
			switch r.Status {
			case collect.StatementImported:
				imported[r.File]++
			case collect.StatementAlready:
			default:
				t.Errorf("importer %d, %s: %s %v", i, r.File, r.Status, r.Problems)
			}
		}
	}
	if imported["r1.txt"] != 1 || imported["r2.xml"] != 1 || imported["r3.txt"] != 1 {
		t.Errorf("each statement imported once: %v", imported)
	}
	recs, err := e.statements("")
	if err != nil || len(recs) != 3 {
		t.Errorf("statements: %d, %v", len(recs), err)
	}
	if lines, err := e.suspenseLines(true); err != nil || len(lines) != 1 {
		t.Errorf("suspense: %+v, %v", lines, err)
	}
	e.checkEntries()
}

// suspenseLines collects what the store's SuspenseLines streams.
func (e *env) suspenseLines(all bool) ([]store.SuspenseLine, error) {
	return testtool.Collect(func(fn func(*store.SuspenseLine) error) error { return e.st.SuspenseLines(e.ctx, e.cr.ID, all, fn) })
}

// testSuspenseStream checks that the store streams the suspense lines:
// when fn sees the first one, the heap holds no list of all of them (remit
// suspense over a million lines once took 600 MB).
func testSuspenseStream(t *testing.T, e *env) {
	e.creditor()
	d := statement.Date(2026, 12, 7)
	entries := make([]statement.Entry, streamedMandates)
	for i := range entries {
		entries[i] = statement.Entry{Amount: int64(1000 + i), BookingDate: d, Label: fmt.Sprintf("VIR SEPA CLIENT %d", i),
			Code: statement.Code{Proprietary: "05"}}
	}
	if _, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr,
		[]collect.StatementFile{cfonbFile(t, "r1.txt", releve(statement.Date(2026, 12, 6), d, 0, entries...))}); err != nil {
		t.Fatal(err)
	}
	heapAtFirst(t, "SuspenseLines", streamedMandates, func(fn func() error) error {
		return e.st.SuspenseLines(e.ctx, e.cr.ID, false, func(*store.SuspenseLine) error { return fn() })
	})
}

// statements collects what the store's Statements streams.
func (e *env) statements(bank string) ([]store.StatementRecord, error) {
	return testtool.Collect(func(fn func(*store.StatementRecord) error) error { return e.st.Statements(e.ctx, e.cr.ID, bank, fn) })
}

// testStatementsStream checks that the store streams the statements: when
// fn sees the first one, the heap holds its lines, not those of all (remit
// statement list over a million lines once took 500 MB).
func testStatementsStream(t *testing.T, e *env) {
	e.creditor()
	const statements, lines = 40, streamedMandates / 40
	sts := make([]statement.Statement, statements)
	for s := range sts {
		d := statement.Date(2026, 10, 1).AddDate(0, 0, s)
		entries := make([]statement.Entry, lines)
		for i := range entries {
			entries[i] = statement.Entry{Amount: int64(1000 + i), BookingDate: d, Label: fmt.Sprintf("VIR SEPA CLIENT %d-%d", s, i),
				Code: statement.Code{Proprietary: "05"}}
		}
		sts[s] = releve(d, d, 0, entries...)
	}
	if _, err := collect.ImportStatements(e.ctx, e.st, treasuryKinds, e.cr, []collect.StatementFile{cfonbFile(t, "r.txt", sts...)}); err != nil {
		t.Fatal(err)
	}
	heapAtFirst(t, "Statements", statements, func(fn func() error) error {
		return e.st.Statements(e.ctx, e.cr.ID, "", func(s *store.StatementRecord) error {
			if len(s.Lines) != lines {
				return fmt.Errorf("statement %d: %d lines, want %d", s.ID, len(s.Lines), lines)
			}
			return fn()
		})
	})
}
