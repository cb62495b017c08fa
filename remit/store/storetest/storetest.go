// Package storetest is the test suite every remit store passes: the same
// use cases (import, list, point, mandates, SDD and LCR runs, returns,
// cancel, mark sent, entries, documents) through the interfaces of
// remit/store, with the same expected answers, whatever the database
// behind them. remit/store/sqlite and remit/store/postgres run it:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store { ... a new, empty store ... })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store"
)

// Opener makes a new, empty database at this build's schema and opens it
// with the given clock; the store is closed when t ends.
type Opener func(t *testing.T, now func() time.Time) store.Store

// Now is the clock of the suite: the fixtures are dated from it.
var Now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// Run runs the suite, each test on a new store.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"Creditors", testCreditors},
		{"ImportAndList", testImportAndList},
		{"PointAndUnpoint", testPointAndUnpoint},
		{"Mandates", testMandates},
		{"MandatesStream", testMandatesStream},
		{"ForecastStream", testForecastStream},
		{"Runs", testRuns},
		{"FilesFromThePlan", testFilesFromThePlan},
		{"FilesBesideItems", testFilesBesideItems},
		{"ReturnsCancelEntries", testReturnsCancelEntries},
		{"CancelReversal", testCancelReversal},
		{"SequencesOverHistory", testSequencesOverHistory},
		{"DebtorSnapshots", testDebtorSnapshots},
		{"RunsOfOneCreditorAtOnce", testRunsAtOnce},
		{"Statements", testStatements},
		{"SuspenseAndWriteOff", testSuspenseAndWriteOff},
		{"SuspenseStream", testSuspenseStream},
		{"StatementsStream", testStatementsStream},
		{"ItemsCredited", testItemsCredited},
		{"StatementsAtOnce", testStatementsAtOnce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{t: t, ctx: context.Background(), out: t.TempDir(), now: Now}
			e.st = open(t, func() time.Time {
				e.mu.Lock()
				defer e.mu.Unlock()
				return e.now
			})
			tc.fn(t, e)
		})
	}
}

// env is one test's store and its creditor.
type env struct {
	t   *testing.T
	st  store.Store
	ctx context.Context
	cr  remit.Creditor
	out string
	mu  sync.Mutex
	now time.Time // the store's clock
}

// later moves the store's clock forward.
func (e *env) later(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// acme is the creditor of the suite.
var acme = remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456", IBAN: "FR7630004008280001012345691",
	BIC: "BNPAFRPP", NNE: "123456", SIREN: "123456782", BankName: "BNP PARIBAS",
	Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}}

func (e *env) creditor() remit.Creditor {
	e.t.Helper()
	cr, err := e.st.SaveCreditor(e.ctx, acme)
	if err != nil {
		e.t.Fatal(err)
	}
	e.cr = cr
	return cr
}

// load saves the creditor and imports the fixtures' receivables.
func (e *env) load() {
	e.t.Helper()
	e.creditor()
	data, err := fixtures.Dated("receivables.csv", Now)
	if err != nil {
		e.t.Fatal(err)
	}
	if res, err := e.importCSV(data, false); err != nil || res.Inserted != 40 {
		e.t.Fatalf("import: %+v, %v", res, err)
	}
}

func (e *env) importCSV(data []byte, skip bool) (*remit.ImportResult, error) {
	e.t.Helper()
	return importcsv.Import(e.ctx, e.st, bytes.NewReader(data), remit.ImportOptions{Creditor: e.cr, File: "receivables.csv",
		SkipInvalid: skip, RejectPath: filepath.Join(e.t.TempDir(), "rejects.csv")})
}

// docs lists the documents the filter selects, in the store's order.
func (e *env) docs(f remit.Filter) []string {
	e.t.Helper()
	var out []string
	if err := e.st.Receivables(e.ctx, e.cr.ID, f, func(r remit.Receivable) error {
		out = append(out, r.Document)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) receivable(doc string) remit.Receivable {
	e.t.Helper()
	var got remit.Receivable
	if err := e.st.Receivables(e.ctx, e.cr.ID, remit.Filter{Documents: []string{doc}}, func(r remit.Receivable) error {
		got = r
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return got
}

func day(offset int) time.Time { return remit.Day(Now).AddDate(0, 0, offset) }

func wantDocs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}

func testCreditors(t *testing.T, e *env) {
	if _, err := e.st.Creditor(e.ctx, ""); !errors.Is(err, remit.ErrNoCreditor) {
		t.Errorf("no creditor yet: %v", err)
	}
	cr := e.creditor()
	if got, err := e.st.Creditor(e.ctx, ""); err != nil || got != cr {
		t.Errorf("the only creditor: %+v, %v; saved %+v", got, err, cr)
	}
	other := acme
	other.Code, other.Name, other.RCUROnly = "BETA", "Bêta & Cie", true
	if _, err := e.st.SaveCreditor(e.ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Creditor(e.ctx, ""); !errors.Is(err, remit.ErrCreditorChoice) || !strings.Contains(err.Error(), "ACME, BETA") {
		t.Errorf("two creditors: %v", err)
	}
	if _, err := e.st.Creditor(e.ctx, "NOPE"); !errors.Is(err, remit.ErrUnknownCreditor) || !strings.Contains(err.Error(), "ACME, BETA") {
		t.Errorf("an unknown code: %v", err)
	}
	beta, err := e.st.Creditor(e.ctx, "BETA")
	if err != nil || !beta.RCUROnly || beta.Name != "Bêta & Cie" {
		t.Errorf("BETA: %+v, %v", beta, err)
	}
	cr.Name, cr.Address.Town = "ACME SA", "Lyon"
	if got, err := e.st.SaveCreditor(e.ctx, cr); err != nil || got.Name != "ACME SA" || got.ID != cr.ID || got.Address.Town != "Lyon" {
		t.Errorf("update: %+v, %v", got, err)
	}
	if err := e.st.SetTraiteOffset(e.ctx, cr.ID, remit.Offset{X: -15, Y: 20}); err != nil {
		t.Fatal(err)
	}
	all, err := e.st.Creditors(e.ctx)
	if err != nil || len(all) != 2 || all[0].Code != "ACME" || all[0].TraiteOffset != (remit.Offset{X: -15, Y: 20}) {
		t.Errorf("creditors: %+v, %v", all, err)
	}
	bad := acme
	bad.Code, bad.IBAN = "BAD", "FR76 1234"
	if _, err := e.st.SaveCreditor(e.ctx, bad); err == nil {
		t.Error("a creditor with a wrong IBAN was saved")
	}
}

func testImportAndList(t *testing.T, e *env) {
	e.load()
	all := e.docs(remit.Filter{})
	if len(all) != 40 {
		t.Fatalf("%d receivables listed, want 40", len(all))
	}
	// By due date, customer and document: the first ones fall due first.
	wantDocs(t, "due by tomorrow", e.docs(remit.Filter{DueTo: day(1)}), "F2026-0080", "F2026-0052", "F2026-0043")
	wantDocs(t, "customers 411BOULANG to 411BOULANG", e.docs(remit.Filter{CustomerFrom: "411BOULANG", CustomerTo: "411BOULANG"}),
		"F2026-0080", "F2026-0043", "F2026-0044", "F2026-0045")
	wantDocs(t, "customers up to 411B (a prefix too)", e.docs(remit.Filter{CustomerTo: "411B"}),
		"F2026-0080", "F2026-0043", "F2026-0041", "F2026-0074", "F2026-0044", "F2026-0042", "F2026-0045")
	if got := e.docs(remit.Filter{Method: "none"}); len(got) == 0 || len(got) == 40 {
		t.Errorf("without a method: %v", got)
	}
	if got := e.docs(remit.Filter{Method: "lcr", Journal: "BQ1"}); len(got) != 0 {
		t.Errorf("LCR of journal BQ1: %v", got)
	}
	wantDocs(t, "two documents", e.docs(remit.Filter{Documents: []string{"F2026-0041", "F2026-0050"}}), "F2026-0050", "F2026-0041")
	byCustomer := e.docs(remit.Filter{ByCustomer: true})
	if slices.Equal(byCustomer, all) || len(byCustomer) != 40 {
		t.Errorf("by customer: %v", byCustomer)
	}
	r := e.receivable("F2026-0048")
	if r.Customer != "411VDV" || r.Name != "Van der Velde BV" || r.Amount != 320000 || r.Currency != "EUR" || r.Method != "sdd" ||
		r.Journal != "BQ1" || r.Status != remit.StatusOpen || remit.FormatDate(r.DueDate) != remit.FormatDate(day(2)) {
		t.Errorf("F2026-0048: %+v", r)
	}
	// The same file again changes nothing; an update is one.
	data, _ := fixtures.Dated("receivables.csv", Now)
	if res, err := e.importCSV(data, false); err != nil || res.Unchanged != 40 || res.Inserted+res.Updated != 0 {
		t.Errorf("the same file again: %+v, %v", res, err)
	}
	change, _ := fixtures.Dated("iban-change.csv", Now)
	if res, err := e.importCSV(change, false); err != nil || res.Updated != 2 {
		t.Errorf("iban-change.csv: %+v, %v", res, err)
	}
	// A file with a problem imports nothing; with skip-invalid, the rest.
	const h = "document,customer,name,amount,due_date,method\n"
	bad := []byte(h + "N1,411NEW,New,10.00,2026-12-10,sdd\nN2,411NEW,New,-1,2026-12-10,sdd\n")
	if res, err := e.importCSV(bad, false); !errors.Is(err, remit.ErrImportInvalid) || len(res.Problems) != 1 || res.Problems[0].Line != 3 {
		t.Errorf("a bad line: %+v, %v", res, err)
	}
	if got := e.docs(remit.Filter{Documents: []string{"N1"}}); len(got) != 0 {
		t.Errorf("a refused file imported %v", got)
	}
	if res, err := e.importCSV(bad, true); err != nil || res.Inserted != 1 || res.Rejected != 1 {
		t.Errorf("skip-invalid: %+v, %v", res, err)
	}
	if docs, err := e.st.Documents(e.ctx, e.cr.ID, "F2026-004", 3); err != nil || strings.Join(docs, " ") != "F2026-0041 F2026-0042 F2026-0043" {
		t.Errorf("documents F2026-004…: %v, %v", docs, err)
	}
	// The completion stops at the first document past the prefix.
	if docs, err := e.st.Documents(e.ctx, e.cr.ID, "F2026-0049", 5); err != nil || strings.Join(docs, " ") != "F2026-0049" {
		t.Errorf("documents F2026-0049…: %v, %v", docs, err)
	}
}

func testPointAndUnpoint(t *testing.T, e *env) {
	e.load()
	res, err := e.st.Point(e.ctx, e.cr.ID, remit.Filter{DueTo: day(10)}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Count == 0 || len(res.Skipped) == 0 || len(res.Totals) != 1 || res.Totals[0].Currency != "EUR" {
		t.Errorf("point up to day 10: %+v", res)
	}
	// What Point left alone is said with its count: "it" for one.
	for _, sk := range res.Skipped {
		if them := strings.Contains(sk.Hint, " them "); them != (sk.Count > 1) {
			t.Errorf("point up to day 10 left %d alone: %q (%s)", sk.Count, sk.Reason, sk.Hint)
		}
	}
	counts, err := e.st.PointedByMethod(e.ctx, e.cr.ID)
	if err != nil || counts["sdd"]+counts["lcr"] != res.Count {
		t.Errorf("pointed by method %v, %v; pointed %d", counts, err, res.Count)
	}
	un, err := e.st.Unpoint(e.ctx, e.cr.ID, remit.Filter{Method: "lcr"})
	if err != nil || un.Count != counts["lcr"] {
		t.Errorf("unpoint LCR: %+v, %v", un, err)
	}
	if got := e.docs(remit.Filter{Status: remit.StatusPointed, Method: "lcr"}); len(got) != 0 {
		t.Errorf("LCR still pointed: %v", got)
	}
	// A target: the most urgent customers first, never more than the target.
	if _, err := e.st.Unpoint(e.ctx, e.cr.ID, remit.Filter{}); err != nil {
		t.Fatal(err)
	}
	res, err = e.st.Point(e.ctx, e.cr.ID, remit.Filter{Method: "sdd"}, 500000, remit.OrderPriorityDue)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, r := range res.Items {
		total += r.Amount
	}
	if res.Count == 0 || total > 500000 || res.Totals[0].Total != total {
		t.Errorf("target 5 000 €: %d pointed for %d cents: %+v", res.Count, total, res)
	}
	if _, err := e.st.Point(e.ctx, e.cr.ID, remit.Filter{}, 100, "sideways"); err == nil {
		t.Error("an unknown order was taken")
	}
	if n, err := e.st.RefusedOutside(e.ctx, e.cr.ID, remit.Filter{DueFrom: day(100)}); err != nil || n != 0 {
		t.Errorf("refused outside: %d, %v", n, err)
	}
}

func testMandates(t *testing.T, e *env) {
	e.load()
	all, err := MandateList(e.ctx, e.st, e.cr.ID, remit.MandateFilter{})
	if err != nil || len(all) < 5 {
		t.Fatalf("mandates: %d, %v", len(all), err)
	}
	m := all[0]
	if m.RUM == "" || m.Customer == "" || m.Status != remit.MandateActive {
		t.Errorf("first mandate: %+v", m)
	}
	rev, err := e.st.RevokeMandate(e.ctx, e.cr.ID, m.RUM, day(0))
	if err != nil || rev.Status != remit.MandateRevoked || !strings.Contains(rev.StatusReason, remit.FormatDate(day(0))) {
		t.Errorf("revoke: %+v, %v", rev, err)
	}
	if _, err := e.st.RevokeMandate(e.ctx, e.cr.ID, m.RUM, day(0)); !errors.Is(err, remit.ErrMandateState) {
		t.Errorf("revoked twice: %v", err)
	}
	if _, err := e.st.UnblockMandate(e.ctx, e.cr.ID, m.RUM); !errors.Is(err, remit.ErrMandateState) {
		t.Errorf("unblock a revoked mandate: %v", err)
	}
	if _, err := e.st.RevokeMandate(e.ctx, e.cr.ID, "NO-SUCH-RUM", day(0)); !errors.Is(err, remit.ErrNoMandate) {
		t.Errorf("an unknown mandate: %v", err)
	}
	if got, err := MandateList(e.ctx, e.st, e.cr.ID, remit.MandateFilter{Status: remit.MandateRevoked}); err != nil || len(got) != 1 {
		t.Errorf("revoked mandates: %+v, %v", got, err)
	}
	if _, err := ExpiredList(e.ctx, e.st, e.cr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := MandateList(e.ctx, e.st, e.cr.ID, remit.MandateFilter{Status: "lost"}); err == nil {
		t.Error("an unknown status was taken")
	}
}

// kinds are the kinds of remittance the suite runs.
var kinds = collect.NewRegistry(sdd.Kind, lcr.Kind)

func (e *env) runSDD(o sdd.Options) *collect.Result {
	e.t.Helper()
	o.OutDir, o.LeadDays = e.out, 1
	res, err := collect.Run(e.ctx, e.st, e.cr, sdd.Job(o))
	if err != nil {
		e.t.Fatalf("sdd: %v", err)
	}
	return res
}

func (e *env) runLCR() *collect.Result {
	e.t.Helper()
	res, err := collect.Run(e.ctx, e.st, e.cr, lcr.Job(lcr.Options{Common: collect.Common{OutDir: e.out}}))
	if err != nil {
		e.t.Fatalf("lcr: %v", err)
	}
	return res
}

// pointAll points every receivable a remittance collects, due within two months.
func (e *env) pointAll() {
	e.t.Helper()
	if _, err := e.st.Point(e.ctx, e.cr.ID, remit.Filter{DueTo: day(60)}, 0, ""); err != nil {
		e.t.Fatal(err)
	}
}

func testRuns(t *testing.T, e *env) {
	e.load()
	// A revoked mandate: its receivables are refused.
	if _, err := e.st.RevokeMandate(e.ctx, e.cr.ID, "RUM-BOUL-2024-007", day(-1)); err != nil {
		t.Fatal(err)
	}
	e.pointAll()
	res := e.runSDD(sdd.Options{})
	if len(res.Remittances) != 2 || len(res.Refused) == 0 {
		t.Fatalf("sdd: %d remittances, %d refused", len(res.Remittances), len(res.Refused))
	}
	for _, rf := range res.Refused {
		r := e.receivable(rf.Document)
		if r.Status != remit.StatusPointed || r.Refusal == "" || r.RefusedAt == "" || r.Todo == "" {
			t.Errorf("refused %s: %+v", rf.Document, r)
		}
	}
	if got := e.docs(remit.Filter{Refused: true}); len(got) != len(res.Refused) {
		t.Errorf("refused in the list: %v, the run refused %d", got, len(res.Refused))
	}
	for _, rem := range res.Remittances {
		e.checkRemittance(rem)
	}
	// An hour later, nothing more to do: the same refusals, not new.
	e.later(time.Hour)
	again := e.runSDD(sdd.Options{})
	if len(again.Remittances) != 0 || len(again.Refused) != len(res.Refused) || again.Refused[0].New {
		t.Errorf("sdd again: %d remittances, refused %+v", len(again.Remittances), again.Refused)
	}
	bills := e.runLCR()
	if len(bills.Remittances) != 1 {
		t.Fatalf("lcr: %d remittances", len(bills.Remittances))
	}
	rem := bills.Remittances[0]
	e.checkRemittance(rem)
	var traites []string
	if err := e.st.Traites(e.ctx, e.cr, remit.TraiteSource{RemittanceID: rem.ID}, func(it *remit.Item) error {
		traites = append(traites, it.Document)
		return nil
	}); err != nil || len(traites) != rem.Count {
		t.Errorf("traites of %s: %v, %v", rem.Ref, traites, err)
	}
	all, err := e.st.Remittances(e.ctx, e.cr.ID)
	if err != nil || len(all) != 3 || all[0].ID != rem.ID {
		t.Errorf("remittances: %d, %v", len(all), err)
	}
	if _, err := e.st.Remittance(e.ctx, e.cr.ID, 999); !errors.Is(err, remit.ErrNoRemittance) {
		t.Errorf("remittance 999: %v", err)
	}
}

// testFilesFromThePlan: a run writes its files and its slip from its plan,
// `remit regenerate` from the items recorded: both give the same bytes, for
// the pain.008, the national file, the LCR file, the detailed slip and the
// summary with its CSV, over several files and blocks, FRST and RCUR, with
// refused receivables among the accepted.
func testFilesFromThePlan(t *testing.T, e *env) {
	e.load()
	if _, err := e.st.RevokeMandate(e.ctx, e.cr.ID, "RUM-BOUL-2024-007", day(-1)); err != nil {
		t.Fatal(err)
	}
	e.pointAll()
	// A summary slip past 3 items: the files of 4 get one, the others the detail.
	res := e.runSDD(sdd.Options{CFONB: true, MaxTx: 4, Common: collect.Common{Slip: collect.SlipLayout{Mode: collect.SlipAuto, SummaryAbove: 3}}})
	seqs := map[string]bool{}
	blocks, summaries := 0, 0
	for _, rem := range res.Remittances {
		for _, b := range rem.Blocks {
			seqs[b.SequenceType] = true
		}
		blocks = max(blocks, len(rem.Blocks))
		if rem.Count > 3 {
			summaries++
		}
	}
	if len(res.Remittances) < 3 || len(res.Refused) == 0 || !seqs[remit.SeqFirst] || !seqs[remit.SeqRecurrent] || blocks < 2 ||
		summaries == 0 || summaries == len(res.Remittances) {
		t.Fatalf("sdd: %d remittances (%d blocks at most, sequences %v, %d summary slips), %d refused: the fixtures no longer test "+
			"what they should", len(res.Remittances), blocks, seqs, summaries, len(res.Refused))
	}
	bills := e.runLCR()
	if len(bills.Remittances) != 1 || bills.Remittances[0].Count < 2 {
		t.Fatalf("lcr: %+v", bills.Remittances)
	}
	e.regeneratedSame(append(res.Remittances, bills.Remittances...)...)
}

// regeneratedSame fails unless each remittance's files, regenerated from
// its items recorded, are those its run wrote.
func (e *env) regeneratedSame(rems ...remit.Remittance) {
	t := e.t
	t.Helper()
	for _, rem := range rems {
		dir := t.TempDir()
		// A slip that differs is left alone, with a note.
		if _, notes, err := collect.Regenerate(e.ctx, e.st, kinds, e.cr.ID, rem.ID, dir); err != nil || len(notes) > 0 {
			t.Fatalf("regenerate %s: %v %q", rem.Ref, err, notes)
		}
		for _, f := range rem.Files {
			made, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			again, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(made, again) || len(made) == 0 {
				t.Errorf("remittance %s, %s (%s): %d bytes written by the run, %d regenerated from the items recorded",
					rem.Ref, f.Name, f.Format, len(made), len(again))
			}
		}
	}
}

// testDebtorSnapshots: a run names each debtor as it is now, whether it
// takes the debtor's snapshot from an earlier run (nothing changed) or
// writes a new one (its name changed); the earlier remittance still says
// what its files said; both regenerate their bytes; and the slip sizes its
// Client column by the remittance's own debtors, not by the snapshots
// between theirs (the long code of a debtor of the first run only).
func testDebtorSnapshots(t *testing.T, e *env) {
	e.creditor()
	long := "411LONGCUSTOMER01"
	if _, err := e.importCSV(historyCSV("F1 411A 2026-12-10", "F2 "+long+" 2026-12-10", "F3 411B 2026-12-10", "F4 411D 2026-12-10"),
		false); err != nil {
		t.Fatal(err)
	}
	first := e.runSDD(sdd.Options{})
	if _, err := e.importCSV(historyCSV("F5 411A 2027-01-04", "F6 411B 2027-01-04 Client B renamed", "F7 411D 2027-01-04"),
		false); err != nil {
		t.Fatal(err)
	}
	second := e.runSDD(sdd.Options{})
	if len(first.Remittances) != 1 || len(second.Remittances) != 1 {
		t.Fatalf("%d and %d remittances, want 1 and 1", len(first.Remittances), len(second.Remittances))
	}
	names := func(rem remit.Remittance) string {
		var out []string
		if err := e.st.Items(e.ctx, rem.ID, store.ItemsAll, func(it *remit.Item) error {
			out = append(out, it.Document+":"+it.Customer+":"+it.Name+":"+it.IBAN+":"+it.RUM)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	want := [2]string{"F1:411A:Client 411A:FR7630004008280001012345691:RUM-411A F2:" + long + ":Client " + long +
		":FR1420041010050500013M02606:RUM-" + long + " F3:411B:Client 411B:FR7630006000011234567890189:RUM-411B " +
		"F4:411D:Client 411D:DE89370400440532013000:RUM-411D",
		"F5:411A:Client 411A:FR7630004008280001012345691:RUM-411A F6:411B:Client B renamed:FR7630006000011234567890189:RUM-411B " +
			"F7:411D:Client 411D:DE89370400440532013000:RUM-411D"}
	for i, rem := range []remit.Remittance{first.Remittances[0], second.Remittances[0]} {
		if got := names(rem); got != want[i] {
			t.Errorf("remittance %s names\n %s\nwant\n %s", rem.Ref, got, want[i])
		}
	}
	for i, longest := range []string{long, "411A"} {
		if f, err := e.st.SlipFacts(e.ctx, []remit.Remittance{first.Remittances[0], second.Remittances[0]}[i].ID); err != nil ||
			f.LongestCustomer != longest {
			t.Errorf("run %d: slip facts %+v, %v; want the longest customer %s", i+1, f, err, longest)
		}
	}
	e.regeneratedSame(first.Remittances[0], second.Remittances[0])
}

// checkRemittance checks what the store gives back of a new remittance.
func (e *env) checkRemittance(made remit.Remittance) {
	t := e.t
	t.Helper()
	rem, err := e.st.Remittance(e.ctx, e.cr.ID, made.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rem.Count != made.Count || rem.Total != made.Total || rem.Status != remit.RemittanceCreated || len(rem.Blocks) == 0 || rem.Ref != made.Ref {
		t.Errorf("remittance %s: %+v", made.Ref, rem)
	}
	var blocks, total int64
	for _, b := range rem.Blocks {
		blocks += int64(b.Count)
		total += b.Total
	}
	if blocks != int64(rem.Count) || total != rem.Total {
		t.Errorf("remittance %s: blocks of %d items for %d, the remittance %d for %d", rem.Ref, blocks, total, rem.Count, rem.Total)
	}
	for _, set := range []store.ItemSet{store.ItemsAll, store.ItemsSEPA, store.ItemsSlip} {
		var n int
		var sum int64
		last := ""
		if err := e.st.Items(e.ctx, rem.ID, set, func(it *remit.Item) error {
			n++
			sum += it.Amount
			if it.Document == "" || (set != store.ItemsSlip && it.Block == 0) {
				return fmt.Errorf("item %d: %+v", n, it)
			}
			key := fmt.Sprintf("%04d", it.Block)
			if key < last && set != store.ItemsSlip {
				return fmt.Errorf("item %d out of file order", n)
			}
			last = key
			return nil
		}); err != nil || n != rem.Count || sum != rem.Total {
			t.Errorf("remittance %s, items %d: %d for %d, %v", rem.Ref, set, n, sum, err)
		}
	}
	f, err := e.st.SlipFacts(e.ctx, rem.ID)
	if err != nil || f.DueFrom == "" || f.DueFrom > f.DueTo || f.LongestCustomer == "" {
		t.Errorf("remittance %s: slip facts %+v, %v", rem.Ref, f, err)
	}
	if len(rem.Files) < 2 || rem.Files[len(rem.Files)-1].Format != remit.FormatBordereau {
		t.Errorf("remittance %s: files %+v", rem.Ref, rem.Files)
	}
	for _, file := range rem.Files {
		ref, format, ok, err := e.st.RecordedFile(e.ctx, file.Name)
		if err != nil || !ok || ref != rem.Ref || format != file.Format {
			t.Errorf("%s: recorded by %q as %q (%v, %v)", file.Name, ref, format, ok, err)
		}
	}
	for _, r := range e.docs(remit.Filter{Status: remit.StatusRemitted}) {
		if e.receivable(r).Remittance == "" {
			t.Errorf("remitted %s: no remittance", r)
		}
	}
}

func testReturnsCancelEntries(t *testing.T, e *env) {
	e.load()
	e.pointAll()
	res := e.runSDD(sdd.Options{})
	core := res.Remittances[1]
	var doc, e2e, other string
	if err := e.st.Items(e.ctx, core.ID, store.ItemsAll, func(it *remit.Item) error {
		if doc == "" {
			doc, e2e = it.Document, it.EndToEndID
		} else if other == "" {
			other = it.EndToEndID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A credit with return information is a transfer of ours come back:
	// it never matches a collection, even one of the same EndToEndId.
	credit := remit.ReturnBatch{Source: remit.SourceCamt054, MsgID: "BANK-0", CreatedAt: day(2),
		Items: []remit.ReturnInput{{EndToEndID: other, Reason: "AC04", Credit: true}}}
	out, err := e.st.ApplyReturns(e.ctx, e.cr, credit)
	if err != nil || len(out.Outcomes) != 1 || out.Outcomes[0].Status != remit.ReturnUnknown {
		t.Fatalf("a returned transfer with a collection's EndToEndId %s: %+v, %v", other, out, err)
	}
	batch, err := remit.ManualReject{Document: doc, Reason: "AC04", Date: day(2), Fee: 550}.Batch()
	if err != nil {
		t.Fatal(err)
	}
	out, err = e.st.ApplyReturns(e.ctx, e.cr, batch)
	if err != nil || len(out.Outcomes) != 1 || out.Outcomes[0].Status != remit.ReturnApplied || !strings.Contains(out.Outcomes[0].MandateEffect, "blocked") {
		t.Fatalf("reject %s: %+v, %v", doc, out, err)
	}
	if r := e.receivable(doc); r.Status != remit.StatusRejected {
		t.Errorf("rejected %s: %+v", doc, r)
	}
	out, err = e.st.ApplyReturns(e.ctx, e.cr, batch)
	if err != nil || out.Outcomes[0].Status != remit.ReturnAlready {
		t.Errorf("the same reject again: %+v, %v", out, err)
	}
	bank := remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "BANK-1", CreatedAt: day(3),
		Items: []remit.ReturnInput{{EndToEndID: e2e, Reason: "AM04"}, {EndToEndID: "NO-SUCH-E2E", Reason: "AM04"}}}
	out, err = e.st.ApplyReturns(e.ctx, e.cr, bank)
	if err != nil || len(out.Outcomes) != 2 || out.Outcomes[0].Status != remit.ReturnRefused || out.Outcomes[1].Status != remit.ReturnUnknown {
		t.Errorf("a pain.002 on a collection rejected already, and an unknown one: %+v, %v", out, err)
	}
	rem, err := e.st.Remittance(e.ctx, e.cr.ID, core.ID)
	if err != nil || rem.Status != remit.RemittanceSent {
		t.Errorf("a remittance with a reject is sent: %+v, %v", rem, err)
	}
	// Entries: each écriture balances, the reject is lettered partially.
	e.checkEntries(remit.Ref(core.ID))
	// Cancel the B2B one, mark nothing: its receivables are pointed again,
	// its écritures reversed.
	b2b := res.Remittances[0]
	cancelled, err := collect.Cancel(e.ctx, e.st, e.cr.ID, b2b.ID)
	if err != nil || cancelled.Status != remit.RemittanceCancelled {
		t.Fatalf("cancel %s: %+v, %v", b2b.Ref, cancelled, err)
	}
	reversed := 0
	if err := e.st.Entries(e.ctx, e.cr.ID, accounting.EntryFilter{Remittances: []int64{b2b.ID}}, func(en accounting.Entry) error {
		if en.Kind == "reversal" {
			reversed++
		}
		return nil
	}); err != nil || reversed == 0 {
		t.Errorf("cancel %s: %d reversal lines, %v", b2b.Ref, reversed, err)
	}
	e.checkEntries(b2b.Ref)
	if _, err := collect.MarkSent(e.ctx, e.st, e.cr.ID, b2b.ID); err == nil {
		t.Error("a cancelled remittance was marked sent")
	}
	again := e.runSDD(sdd.Options{})
	if len(again.Remittances) != 1 || again.Remittances[0].Count != b2b.Count {
		t.Errorf("the cancelled receivables again: %+v", again.Remittances)
	}
	e.checkEntries()
	if err := e.st.CheckRemittancesExist(e.ctx, e.cr.ID, []int64{core.ID, 998, 999}); err == nil ||
		!strings.Contains(err.Error(), "998") || !strings.Contains(err.Error(), "999") {
		t.Errorf("remittances 998 and 999: %v", err)
	}
}

// checkEntries checks that the entries of the remittances (all when none)
// balance écriture by écriture, dated, in a journal.
func (e *env) checkEntries(refs ...string) {
	t := e.t
	t.Helper()
	var ids []int64
	for _, r := range refs {
		var id int64
		fmt.Sscan(r, &id)
		ids = append(ids, id)
	}
	type key struct {
		journal string
		number  int64
	}
	sums := map[key]int64{}
	n := 0
	if err := e.st.Entries(e.ctx, e.cr.ID, accounting.EntryFilter{Remittances: ids}, func(en accounting.Entry) error {
		n++
		if en.Journal == "" || en.Date == "" || en.Account == "" || (en.Debit == 0) == (en.Credit == 0) {
			return fmt.Errorf("entry %+v", en)
		}
		sums[key{en.Journal, en.Number}] += en.Debit - en.Credit
		return nil
	}); err != nil || n == 0 {
		t.Fatalf("entries of %v: %d, %v", refs, n, err)
	}
	for k, s := range sums {
		if s != 0 {
			t.Errorf("écriture %s %d: off by %d cents", k.journal, k.number, s)
		}
	}
}

// testRunsAtOnce runs two SDD runs of the creditor at the same time: the
// store lets one decide at a time, so that no receivable is in two
// remittances.
func testRunsAtOnce(t *testing.T, e *env) {
	e.load()
	e.pointAll()
	var wg sync.WaitGroup
	results := make([]*collect.Result, 3)
	errs := make([]error, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := sdd.Options{Common: collect.Common{OutDir: filepath.Join(e.out, fmt.Sprint(i))}, LeadDays: 1}
			results[i], errs[i] = collect.Run(e.ctx, e.st, e.cr, sdd.Job(o))
		}()
	}
	wg.Wait()
	seen := map[string]string{}
	made := 0
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		for _, rem := range res.Remittances {
			made++
			if err := e.st.Items(e.ctx, rem.ID, store.ItemsSlip, func(it *remit.Item) error {
				if other, ok := seen[it.Document]; ok {
					return fmt.Errorf("%s in remittances %s and %s", it.Document, other, rem.Ref)
				}
				seen[it.Document] = rem.Ref
				return nil
			}); err != nil {
				t.Error(err)
			}
		}
	}
	if made != 2 {
		t.Errorf("three runs at once made %d remittances, one run makes 2", made)
	}
}

// historyCSV is pointed direct debits on CORE mandates, one a mandate's
// customer, each line "document customer due-date [name]".
func historyCSV(lines ...string) []byte {
	ibans := map[string]string{"411A": "FR7630004008280001012345691", "411B": "FR7630006000011234567890189", "411D": "DE89370400440532013000",
		"411LONGCUSTOMER01": "FR1420041010050500013M02606"}
	var b strings.Builder
	b.WriteString("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,scheme,town,country,pointed\n")
	for _, l := range lines {
		f := strings.Fields(l) // document, customer, due date, and the name if not "Client <customer>"
		name := "Client " + f[1]
		if len(f) > 3 {
			name = strings.Join(f[3:], " ")
		}
		fmt.Fprintf(&b, "%s,%s,%s,10.00,%s,sdd,%s,RUM-%s,2025-01-15,CORE,Lyon,FR,yes\n", f[0], f[1], name, f[2], ibans[f[1]], f[1])
	}
	return []byte(b.String())
}

// sequences runs the pointed direct debits and lists document:sequence:collection date.
func (e *env) sequences(o sdd.Options) (string, *collect.Result) {
	e.t.Helper()
	res := e.runSDD(o)
	var out []string
	for _, r := range res.Remittances {
		if err := e.st.Items(e.ctx, r.ID, store.ItemsAll, func(it *remit.Item) error {
			out = append(out, it.Document+":"+it.Sequence+":"+it.Collection)
			return nil
		}); err != nil {
			e.t.Fatal(err)
		}
	}
	slices.Sort(out)
	return strings.Join(out, " "), res
}

func (e *env) returnOf(doc string, settled bool) {
	e.t.Helper()
	b, err := remit.ManualReject{Document: doc, Reason: "AM04", Date: day(3), AfterSettlement: settled}.Batch()
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := e.st.ApplyReturns(e.ctx, e.cr, b)
	if err != nil || len(out.Outcomes) != 1 || out.Outcomes[0].Status != remit.ReturnApplied {
		e.t.Fatalf("reject %s: %+v, %v", doc, out, err)
	}
}

// A mandate's history as a run reads it, kept by the runs, rejects,
// returns and cancels: a FRST rejected before settlement makes the next
// FRST again, and an RCUR sent after it (RCUR-only policy) does not count;
// a return after settlement counts; a cancel takes its collections back.
func testSequencesOverHistory(t *testing.T, e *env) {
	e.creditor()
	steps := []struct {
		name   string
		lines  []string
		before func()
		o      sdd.Options
		want   string
	}{
		{"first run", []string{"F1 411A 2026-12-10", "F2 411B 2026-12-10", "F4 411D 2026-12-10", "F5 411D 2026-12-21"}, nil, sdd.Options{},
			"F1:FRST:2026-12-10 F2:FRST:2026-12-10 F4:FRST:2026-12-10 F5:RCUR:2026-12-21"},
		{"F1 again after its reject", nil, func() {
			e.returnOf("F1", false)
			e.returnOf("F2", true)
			e.returnOf("F4", false)
			if _, err := e.st.Point(e.ctx, e.cr.ID, remit.Filter{Documents: []string{"F1"}}, 0, ""); err != nil {
				t.Fatal(err)
			}
		}, sdd.Options{}, "F1:FRST:2026-12-10"},
		{"RCUR-only after a rejected FRST", []string{"F6 411D 2026-12-28"}, nil, sdd.Options{RCUROnly: new(true)}, "F6:RCUR:2026-12-28"},
		{"after them", []string{"F7 411D 2027-01-04", "F9 411B 2027-01-04"}, nil, sdd.Options{}, "F7:FRST:2027-01-04 F9:RCUR:2027-01-04"},
	}
	var last *collect.Result
	for _, s := range steps {
		if len(s.lines) > 0 {
			if _, err := e.importCSV(historyCSV(s.lines...), false); err != nil {
				t.Fatal(err)
			}
		}
		if s.before != nil {
			s.before()
		}
		got, res := e.sequences(s.o)
		if got != s.want {
			t.Errorf("%s: got  %s\nwant %s", s.name, got, s.want)
		}
		last = res
	}
	if _, err := collect.Cancel(e.ctx, e.st, e.cr.ID, last.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.sequences(sdd.Options{}); got != "F7:FRST:2027-01-04 F9:RCUR:2027-01-04" {
		t.Errorf("after the cancel: %s", got)
	}
	if _, err := e.importCSV(historyCSV("F10 411D 2027-01-05"), false); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.sequences(sdd.Options{}); got != "F10:RCUR:2027-01-05" {
		t.Errorf("after the new FRST: %s", got)
	}
}
