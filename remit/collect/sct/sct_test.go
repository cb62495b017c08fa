package sct_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/collect/sct"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/storetest"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/remit/treasury"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain001"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// twoBanks is a company with two banks: BQ1, the default, with 10 000,00
// on its account and an overdraft of 1 000,00 allowed, whose substitute is
// BQ2, without limit.
type twoBanks struct{}

func (twoBanks) Banks(context.Context, remit.Creditor) ([]remit.Bank, error) {
	return []remit.Bank{
		{Code: "BQ1", Name: "BNP PARIBAS PARIS OPERA", IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", Account: "512100",
			Limit: -100000, Substitute: "BQ2", Default: true},
		{Code: "BQ2", Name: "CAISSE D'EPARGNE ILE-DE-FRANCE", IBAN: "FR7617515900000812345678938", BIC: "CEPAFRPP", Account: "512200",
			Limit: payplan.NoLimit},
	}, nil
}

func (twoBanks) Balance(bank string, _ time.Time) int64 {
	if bank == "BQ1" {
		return 1000000
	}
	return 0
}

func newStore(t *testing.T, k storetest.Kind) (storetest.PayStore, remit.Creditor) {
	t.Helper()
	st := k.Open(t, func() time.Time { return now })
	cr, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL",
		IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", BankName: "BNP PARIBAS PARIS OPERA",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	// The company's two banks, as remit bank add records them.
	banks, _ := twoBanks{}.Banks(context.Background(), cr)
	banks[0].Balance, banks[0].BalanceDate = 1000000, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	banks[1].Limit = 0
	if _, err := st.UpdateBanks(context.Background(), cr.ID, func([]remit.Bank) ([]remit.Bank, error) { return banks, nil }); err != nil {
		t.Fatal(err)
	}
	return st, cr
}

// pointAll imports testdata/payables.csv, every line pointed, and sets the
// automatic rule (same supplier, due dates within 30 days).
func pointAll(t *testing.T, st storetest.PayStore, cr remit.Creditor) {
	t.Helper()
	ctx := context.Background()
	b, err := os.ReadFile("testdata/payables.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := range lines {
		lines[i] += map[bool]string{true: ";pointed", false: ";yes"}[i == 0]
	}
	if _, err := disburse.Import(ctx, st, cr, strings.NewReader(strings.Join(lines, "\n")), disburse.ImportOptions{File: "payables.csv",
		Now: now}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Active: true, Within: 30}); err != nil {
		t.Fatal(err)
	}
}

// The golden files of pain.001.001.09 and .03: a supplier's invoices and
// credit note in one transfer with an early-payment discount, a group of
// eight documents too long to list in 140 characters, a name longer than
// 70, a street too long for StrtNm (a hybrid address), a German supplier,
// two banks (a payment moved to the substitute for the limit), several
// execution dates; a transfer in dollars refused.
func TestGoldenFiles(t *testing.T) { storetest.Each(t, testGoldenFiles) }

func testGoldenFiles(t *testing.T, k storetest.Kind) {
	for _, v := range []pain001.Version{pain001.V09, pain001.V03} {
		t.Run(string(v), func(t *testing.T) {
			st, cr := newStore(t, k)
			pointAll(t, st, cr)
			dir := t.TempDir()
			res, err := collect.Run(context.Background(), st, cr, sct.Job(sct.Options{Version: v,
				Common: collect.Common{OutDir: dir}}))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Remittances) != 2 || len(res.Refused) != 1 || res.Refused[0].Document != "US-2026-3" ||
				!strings.Contains(res.Refused[0].Reasons[0], "a transfer pays in EUR only") {
				t.Fatalf("run: %d remittances, refused %+v", len(res.Remittances), res.Refused)
			}
			if !slices.ContainsFunc(res.Notes, func(n string) bool {
				return strings.Contains(n, "401GROSSE") && strings.Contains(n, "moved to BQ2: BQ1 would fall to")
			}) {
				t.Errorf("notes: %q", res.Notes)
			}
			for _, name := range []string{"PAIEMENT.001.xml", "PAIEMENT.002.xml"} {
				path := filepath.Join(dir, name)
				if ok, out := testtool.XMLLint(t, v.XSD(), path); !ok {
					t.Errorf("%s: not valid against %s:\n%s", name, v.XSD(), out)
				}
				golden(t, path, filepath.Join("testdata", "golden", strings.TrimPrefix(string(v), "pain.001.001."), name))
			}
			// Regenerated, byte for byte.
			for _, r := range res.Remittances {
				id, _ := remit.ParseRef(r.Ref)
				if _, notes, err := collect.Regenerate(context.Background(), st, collect.NewRegistry(sct.Kind), cr.ID, id, dir); err != nil || len(notes) != 0 {
					t.Errorf("regenerate %s: %v %v", r.Ref, err, notes)
				}
			}
		})
	}
}

func golden(t *testing.T, got, want string) {
	t.Helper()
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		os.MkdirAll(filepath.Dir(want), 0o755)
		if err := os.WriteFile(want, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(b, w) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", got, want, b)
	}
}

// A payable is paid once: a second run finds nothing, and the payables
// are remitted, each in one standing payment.
func TestRunTwicePaysOnce(t *testing.T) { storetest.Each(t, testRunTwicePaysOnce) }

func testRunTwicePaysOnce(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	pointAll(t, st, cr)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: dir}})); err != nil {
		t.Fatal(err)
	}
	res, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: dir}}))
	if err != nil || len(res.Remittances) != 0 || len(res.Refused) != 1 {
		t.Fatalf("second run: %v %+v", err, res)
	}
	n := 0
	st.Payables(ctx, cr.ID, store.PayableFilter{Filter: payables.Filter{Status: payables.StatusRemitted}}, func(r store.PayableRow) error {
		if r.Payment == "" {
			t.Errorf("%s remitted without its remittance", r.Document)
		}
		n++
		return nil
	})
	if n != 14 {
		t.Errorf("%d payables remitted, want 14", n)
	}
}

// --bank overrides the choice, limit or not; a dry run records nothing.
func TestBankOverrideAndDryRun(t *testing.T) { storetest.Each(t, testBankOverrideAndDryRun) }

func testBankOverrideAndDryRun(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	pointAll(t, st, cr)
	ctx := context.Background()
	dir := t.TempDir()
	res, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Bank: "bq1", Common: collect.Common{OutDir: dir, DryRun: true}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 5 {
		t.Fatalf("dry run with --bank BQ1: %+v", res.Remittances)
	}
	p, _ := sct.ParamsOf(res.Remittances[0])
	if p.Bank.Code != "BQ1" || !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "paid there as asked (--bank)") }) {
		t.Errorf("bank %s, notes %q", p.Bank.Code, res.Notes)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a dry run wrote %d files", len(entries))
	}
	pointed := 0
	st.Payables(ctx, cr.ID, store.PayableFilter{Filter: payables.Filter{Status: payables.StatusPointed}}, func(store.PayableRow) error {
		pointed++
		return nil
	})
	if pointed != 15 {
		t.Errorf("after a dry run, %d payables pointed, want 15", pointed)
	}
	_, err = collect.Run(ctx, st, cr, sct.Job(sct.Options{Bank: "BQ9", Common: collect.Common{OutDir: dir}}))
	if err == nil || !strings.Contains(err.Error(), "--bank BQ9 is not a bank") {
		t.Errorf("--bank BQ9: %v", err)
	}
}

// A payment's écriture debits the supplier per document (a credit note is
// credited), credits the discount to 765 and what is paid to the bank's
// account; the supplier lines are lettered with their payable's code.
// Cancelled, the écriture is reversed, the lettering becomes partial and
// the payables are pointed again, each group as it was paid.
func TestEntriesAndCancel(t *testing.T) { storetest.Each(t, testEntriesAndCancel) }

func testEntriesAndCancel(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	pointAll(t, st, cr)
	ctx := context.Background()
	dir := t.TempDir()
	res, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: dir}}))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := remit.ParseRef(res.Remittances[0].Ref) // BQ1: SUN, KRAUS, CIFIT
	var lines []accounting.Entry
	st.Entries(ctx, cr.ID, accounting.EntryFilter{Remittances: []int64{id}}, func(e accounting.Entry) error {
		lines = append(lines, e)
		return nil
	})
	var debit, credit int64
	byAccount := map[string]int64{}
	for _, e := range lines {
		debit, credit = debit+e.Debit, credit+e.Credit
		byAccount[e.Account] += e.Debit - e.Credit
		if e.Journal != "BQ1" || e.Kind != "payment" {
			t.Errorf("line %+v", e)
		}
		if e.Account == "401000" && (len(e.Lettering) < 2 || e.Lettering[0] != 'P') {
			t.Errorf("supplier line not lettered: %+v", e)
		}
	}
	// SUN 1826,00 (2000 - 150 - 24 escompte), KRAUS 3920,30 (3980 - 59,70),
	// CIFIT 5020,65 (five invoices, less a credit note).
	if debit != credit || byAccount["512100"] != -(182600+392030+502065) || byAccount["765000"] != -(2400+5970) {
		t.Errorf("debit %d credit %d by account %v", debit, credit, byAccount)
	}
	if _, err := collect.Cancel(ctx, st, cr.ID, id); err != nil {
		t.Fatal(err)
	}
	paid := len(lines)
	lines = nil
	st.Entries(ctx, cr.ID, accounting.EntryFilter{Remittances: []int64{id}}, func(e accounting.Entry) error {
		if e.Account == "401000" && (len(e.Lettering) < 2 || e.Lettering[0] != 'p') {
			t.Errorf("after cancel, supplier line %s %s lettered %q", e.Kind, e.Piece, e.Lettering)
		}
		lines = append(lines, e)
		return nil
	})
	if len(lines) != 2*paid {
		t.Errorf("%d lines after cancel", len(lines))
	}
	groups := map[int64][]string{}
	st.Payables(ctx, cr.ID, store.PayableFilter{Filter: payables.Filter{Status: payables.StatusPointed}}, func(r store.PayableRow) error {
		groups[r.Group] = append(groups[r.Group], r.Document)
		return nil
	})
	sizes := []int{}
	for g, docs := range groups {
		if g != 0 {
			sizes = append(sizes, len(docs))
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{3, 8}) { // SUN's 3, CIFIT's 8; KRAUS alone; US-2026-3 never paid
		t.Errorf("groups after cancel: %v", groups)
	}
}

// A pain.002 that rejects a transfer, and a camt.054 that reports another
// returned (a credit with return information): each payment's payables go
// back to pointed with the bank's reason, its écriture is reversed, the
// fee booked; the same files applied again change nothing.
func TestReturnsOfTransfers(t *testing.T) { storetest.Each(t, testReturnsOfTransfers) }

func testReturnsOfTransfers(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	pointAll(t, st, cr)
	ctx := context.Background()
	dir := t.TempDir()
	res, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: dir}}))
	if err != nil {
		t.Fatal(err)
	}
	msg := res.Remittances[0].MsgID // BQ1: P-000002 (CIFIT), P-000004 (KRAUS), P-000005 (SUN)
	pain002 := `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>BNP-STS-1</MsgId><CreDtTm>2026-12-08T07:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>` + msg + `</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>` + msg + `-1</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>P-000005</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>`
	camt054 := `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>BNP-C54-9</MsgId><CreDtTm>2026-12-17T05:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>N1</Id>
      <Acct><Id><IBAN>FR7630004008280001012345691</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">3920.30</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-16</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>P-000004</EndToEndId></Refs>
          <Amt Ccy="EUR">3920.30</Amt>
          <RtrInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>IBAN inconnu</AddtlInf></RtrInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`
	for round := 0; round < 2; round++ {
		for _, f := range []string{pain002, camt054} {
			rf, err := sepa.ReadReturns(strings.NewReader(f))
			if err != nil {
				t.Fatal(err)
			}
			out, err := st.ApplyReturns(ctx, cr, remit.ReturnBatchFromFile(rf, "bank.xml", "", 250))
			if err != nil {
				t.Fatal(err)
			}
			want := remit.ReturnApplied
			if round == 1 {
				want = remit.ReturnAlready
			}
			if len(out.Outcomes) != 1 || out.Outcomes[0].Status != want {
				t.Fatalf("round %d: %+v", round, out.Outcomes)
			}
		}
	}
	got := map[string]store.PayableRow{}
	st.Payables(ctx, cr.ID, store.PayableFilter{}, func(r store.PayableRow) error { got[r.Document] = r; return nil })
	for doc, reason := range map[string]string{"FA-2026-118": "P-000005 rejected by the bank on 2026-12-08: AC04",
		"AV-2026-007": "AC04", "RE-2026-55": "P-000004 returned by the bank on 2026-12-16: AC01"} {
		if p := got[doc]; p.Status != payables.StatusPointed || !strings.Contains(p.Refusal, reason) || p.Payment != "" {
			t.Errorf("%s: %s %q payment %q", doc, p.Status, p.Refusal, p.Payment)
		}
	}
	if got["FA-2026-118"].Group == 0 || got["FA-2026-118"].Group != got["AV-2026-007"].Group {
		t.Errorf("SUN's payables are not grouped again as paid")
	}
	id, _ := remit.ParseRef(res.Remittances[0].Ref)
	var debit, credit, fees int64
	st.Entries(ctx, cr.ID, accounting.EntryFilter{Remittances: []int64{id}}, func(e accounting.Entry) error {
		debit, credit = debit+e.Debit, credit+e.Credit
		if e.Kind == "fee" {
			fees += e.Debit
		}
		if e.Account == "401000" && (e.Piece == "FA-2026-118" || e.Piece == "RE-2026-55") && e.Lettering[0] != 'p' {
			t.Errorf("%s %s lettered %q after its return", e.Kind, e.Piece, e.Lettering)
		}
		return nil
	})
	if debit != credit || fees != 500 {
		t.Errorf("entries: debit %d credit %d fees %d", debit, credit, fees)
	}
	// Paid again by the next run, under new references.
	res, err = collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: dir}}))
	if err != nil || len(res.Remittances) != 1 || res.Remittances[0].Count != 2 {
		t.Fatalf("next run: %v %+v", err, res)
	}
}

// A forecast counts the transfers still to leave their banks: those
// executed after the bank's validated balance, none once cancelled.
func TestPaymentsDue(t *testing.T) { storetest.Each(t, testPaymentsDue) }

func testPaymentsDue(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	pointAll(t, st, cr)
	ctx := context.Background()
	res, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: t.TempDir()}}))
	if err != nil {
		t.Fatal(err)
	}
	to := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	due, err := paymentsDue(st, cr, to)
	if err != nil {
		t.Fatal(err)
	}
	byBank := map[string]int64{}
	for _, p := range due {
		if p.Method != "vir" || p.Date.Before(now.Truncate(24*time.Hour)) || p.Amount <= 0 || p.Ref == "" {
			t.Errorf("payment due %+v", p)
		}
		byBank[p.Bank] += p.Amount
	}
	want := map[string]int64{}
	for _, r := range res.Remittances {
		want[r.Bank] += r.Total
	}
	if len(due) == 0 || !maps.Equal(byBank, want) {
		t.Errorf("due by bank %v, remitted %v", byBank, want)
	}
	ps, err := collect.Forecast(ctx, st, collect.NewRegistry(sct.Kind), cr, collect.ForecastOptions{Only: []string{"BQ1"}, To: to, Payables: st.PaymentsDue})
	if err != nil || len(ps) != 1 || ps[0].Final != 1000000-want["BQ1"] {
		t.Errorf("forecast of BQ1: %+v %v", ps, err)
	}
	// A day before its validated balance, a payment is in the balance.
	if due, _ := paymentsDue(st, cr, now.AddDate(0, 0, -2)); len(due) != 0 {
		t.Errorf("due before it is executed: %+v", due)
	}
	// A statement validates BQ1's balance on 10 December: what left BQ1
	// before is in it.
	if _, err := st.UpdateBanks(ctx, cr.ID, func(bs []remit.Bank) ([]remit.Bank, error) {
		for i := range bs {
			if bs[i].Code == "BQ1" {
				bs[i].BalanceDate = time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
			}
		}
		return bs, nil
	}); err != nil {
		t.Fatal(err)
	}
	all := len(due)
	due, _ = paymentsDue(st, cr, to)
	for _, p := range due {
		if p.Bank == "BQ1" && !p.Date.After(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("due though in BQ1's validated balance: %+v", p)
		}
	}
	if len(due) != all-1 { // BQ1's of 8 December left out
		t.Errorf("due after BQ1's balance: %+v", due)
	}
	for _, r := range res.Remittances {
		id, _ := remit.ParseRef(r.Ref)
		if _, err := collect.Cancel(ctx, st, cr.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if due, err := paymentsDue(st, cr, to); len(due) != 0 || err != nil {
		t.Errorf("after cancel: %+v %v", due, err)
	}
}

// paymentsDue collects what st.PaymentsDue streams, for tests.
func paymentsDue(st storetest.PayStore, cr remit.Creditor, to time.Time) ([]treasury.Payable, error) {
	var out []treasury.Payable
	err := st.PaymentsDue(context.Background(), cr.ID, to, func(p treasury.Payable) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// streamedPayments is how many transfers TestPaymentsDueStream makes: as
// a slice they would take about 400 KB of heap.
const streamedPayments = 3000

// The store streams the payments due: when the first reaches fn, the
// heap holds no list of all of them (a forecast over 1M payables once held
// them all).
func TestPaymentsDueStream(t *testing.T) { storetest.Each(t, testPaymentsDueStream) }

func testPaymentsDueStream(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k)
	ctx := context.Background()
	var csv strings.Builder
	csv.WriteString("document;supplier;name;amount;due_date;method;currency;journal;iban;bic;street;building;postcode;town;country;priority;label;discount_rate;discount_until;parent;approved;pointed\n")
	for i := range streamedPayments {
		fmt.Fprintf(&csv, "FA-%06d;401S%06d;SUPPLIER %d;10.00;2026-12-15;vir;;;FR7630006000011234567890189;AGRIFRPP;Rue;4;69007;Lyon;FR;1;Achat;;;;yes;yes\n", i, i, i)
	}
	if _, err := disburse.Import(ctx, st, cr, strings.NewReader(csv.String()), disburse.ImportOptions{File: "payables.csv", Now: now}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Active: true, Within: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := collect.Run(ctx, st, cr, sct.Job(sct.Options{Common: collect.Common{OutDir: t.TempDir()}})); err != nil {
		t.Fatal(err)
	}
	var before, first runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seen := 0
	err := st.PaymentsDue(ctx, cr.ID, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), func(treasury.Payable) error {
		if seen++; seen == 1 {
			runtime.GC()
			runtime.ReadMemStats(&first)
		}
		return nil
	})
	if grown := int64(first.HeapAlloc) - int64(before.HeapAlloc); err != nil || seen != streamedPayments || grown > 256<<10 {
		t.Errorf("PaymentsDue: %d of %d, %v; the heap grew by %d KiB before the first reached fn: they are not streamed",
			seen, streamedPayments, err, grown>>10)
	}
}
