package disburse_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/storetest"
)

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func newStore(t *testing.T, k storetest.Kind, approval bool) (storetest.PayStore, remit.Creditor) {
	t.Helper()
	st := k.Open(t, func() time.Time { return now })
	cr, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "ACME", Name: "ACME SAS", IBAN: "FR7630004008280001012345691",
		BIC: "BNPAFRPP", Address: remit.Address{Town: "Paris", Country: "FR"}, ApprovalRequired: approval})
	if err != nil {
		t.Fatal(err)
	}
	return st, cr
}

const header = "document;supplier;name;amount;due_date;method;iban;bic;town;country;priority;discount_rate;discount_until;parent;approved;contested\n"

const sun = "FR7630006000011234567890189"
const martin = "FR1420041010050500013M02606"

var file = header +
	"FA-118;401SUN;SUN CHEMICAL SAS;1200.00;2026-12-15;vir;" + sun + ";AGRIFRPP;Lyon;FR;1;2;2026-12-08;;yes;\n" +
	"FA-119;401SUN;SUN CHEMICAL SAS;800.00;2026-12-20;vir;" + sun + ";AGRIFRPP;Lyon;FR;1;;;;yes;\n" +
	"AV-007;401SUN;SUN CHEMICAL SAS;-150.00;2026-12-10;vir;" + sun + ";AGRIFRPP;Lyon;FR;1;;;;yes;\n" +
	"FA-120;401MARTIN;MARTIN ET FILS;560.40;2026-12-18;vir;" + martin + ";;Paris;FR;5;;;;yes;litige qualité\n" +
	"FA-121;401DUPOND;DUPOND SARL;3000.00;2026-12-28;chq;;;Bordeaux;FR;0;;;;no;\n"

func importString(t *testing.T, ps store.PayableStore, cr remit.Creditor, content string, o disburse.ImportOptions) (*disburse.ImportResult, error) {
	t.Helper()
	o.Now = now
	if o.File == "" {
		o.File = filepath.Join(t.TempDir(), "payables.csv")
	}
	return disburse.Import(context.Background(), ps, cr, strings.NewReader(content), o)
}

func list(t *testing.T, ps store.PayableStore, cr remit.Creditor, f store.PayableFilter) map[string]store.PayableRow {
	t.Helper()
	out := map[string]store.PayableRow{}
	err := ps.Payables(context.Background(), cr.ID, f, func(r store.PayableRow) error {
		out[r.Document] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportIsIdempotentAndAllOrNothing(t *testing.T) {
	storetest.Each(t, testImportIsIdempotentAndAllOrNothing)
}

func testImportIsIdempotentAndAllOrNothing(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, false)
	res, err := importString(t, st, cr, file, disburse.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 5 || res.Inserted != 5 {
		t.Fatalf("first import: %+v", res.ImportResult)
	}
	res, err = importString(t, st, cr, file, disburse.ImportOptions{})
	if err != nil || res.Unchanged != 5 || res.Inserted+res.Updated != 0 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	got := list(t, st, cr, store.PayableFilter{})
	if p := got["AV-007"]; p.Amount != -15000 || !p.Approved {
		t.Errorf("AV-007: %+v", p)
	}
	if p := got["FA-118"]; p.Discount.Rate != 200 || remit.FormatDate(p.Discount.Until) != "2026-12-08" {
		t.Errorf("FA-118 discount: %+v", p.Discount)
	}
	if p := got["FA-120"]; !p.Contested || p.ContestReason != "litige qualité" {
		t.Errorf("FA-120: %+v", p)
	}

	// One bad line voids the whole file: the good line before it is not imported.
	bad := header + "FA-200;401NEW;NEW SA;10.00;2026-12-30;vir;" + sun + ";;;;;;;;;\n" +
		"FA-201;401NEW;NEW SA;abc;2026-12-30;vir;" + sun + ";;;;;;;;;\n"
	res, err = importString(t, st, cr, bad, disburse.ImportOptions{})
	if !errors.Is(err, remit.ErrImportInvalid) || len(res.Problems) != 1 || res.Problems[0].Line != 3 || res.Problems[0].Column != "amount" {
		t.Fatalf("bad file: %v %+v", err, res)
	}
	if _, ok := list(t, st, cr, store.PayableFilter{})["FA-200"]; ok {
		t.Error("FA-200 imported although its file had an invalid line")
	}
	// --skip-invalid: the good line in, the bad one to the rejects file.
	path := filepath.Join(t.TempDir(), "bad.csv")
	res, err = importString(t, st, cr, bad, disburse.ImportOptions{File: path, SkipInvalid: true})
	if err != nil || res.Inserted != 1 || res.Rejected != 1 || res.RejectFile == "" {
		t.Fatalf("skip-invalid: %v %+v", err, res)
	}
	rej, _ := os.ReadFile(res.RejectFile)
	if !strings.Contains(string(rej), "FA-201") || strings.Contains(string(rej), "FA-200") {
		t.Errorf("rejects file:\n%s", rej)
	}
}

func TestReimportWithdrawsApprovalAndUnpoints(t *testing.T) {
	storetest.Each(t, testReimportWithdrawsApprovalAndUnpoints)
}

func testReimportWithdrawsApprovalAndUnpoints(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, true)
	ctx := context.Background()
	if _, err := importString(t, st, cr, file, disburse.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Active: true, Within: payables.AnyDays}); err != nil {
		t.Fatal(err)
	}
	if _, err := disburse.Point(ctx, st, cr, store.PayableFilter{Filter: payables.Filter{Method: "vir"}}, disburse.PointOptions{Now: now}); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(file, "FA-119;401SUN;SUN CHEMICAL SAS;800.00", "FA-119;401SUN;SUN CHEMICAL SAS;850.00", 1)
	changed = strings.Replace(changed, ";yes;\nAV-007", ";;\nAV-007", 1) // the line no longer says approved
	res, err := importString(t, st, cr, changed, disburse.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "approval withdrawn") }) {
		t.Fatalf("re-import: %+v", res)
	}
	got := list(t, st, cr, store.PayableFilter{})
	if p := got["FA-119"]; p.Approved || p.Status != payables.StatusOpen || p.Group != 0 {
		t.Errorf("FA-119 after its amount changed: approved %v status %s group %d", p.Approved, p.Status, p.Group)
	}
	if p := got["FA-118"]; p.Status != payables.StatusPointed || p.Group == 0 {
		t.Errorf("FA-118 left its group: %+v", p)
	}
}

func TestContestedAndUnapprovedAreNeverPointed(t *testing.T) {
	storetest.Each(t, testContestedAndUnapprovedAreNeverPointed)
}

func testContestedAndUnapprovedAreNeverPointed(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, true)
	ctx := context.Background()
	if _, err := importString(t, st, cr, file, disburse.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := disburse.Point(ctx, st, cr, store.PayableFilter{}, disburse.PointOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]payables.Code{}
	for _, l := range res.Left {
		left[l.Document] = l.Reason.Code
	}
	// No grouping rule: each payable is a payment of its own, and the
	// credit note alone pays nothing: not pointed, said why.
	if left["FA-120"] != payables.CodeContested || left["FA-121"] != payables.CodeNotApproved ||
		left["AV-007"] != payables.CodeNotPositive || len(left) != 3 {
		t.Fatalf("left: %v", left)
	}
	if len(res.Payments) != 2 {
		t.Fatalf("payments: %d", len(res.Payments))
	}
	res2, err := disburse.Point(ctx, st, cr, store.PayableFilter{}, disburse.PointOptions{Now: now})
	if err != nil || len(res2.Payments) != 0 {
		t.Fatalf("second point: %v %+v", err, res2)
	}

	// Approve FA-121, resolve FA-120: both pointed now.
	if _, err := disburse.Approve(ctx, st, cr, []string{"FA-121"}, false, now); err != nil {
		t.Fatal(err)
	}
	if _, err := disburse.Resolve(ctx, st, cr, []string{"FA-120"}); err != nil {
		t.Fatal(err)
	}
	res, err = disburse.Point(ctx, st, cr, store.PayableFilter{Filter: payables.Filter{Documents: []string{"FA-120", "FA-121"}}},
		disburse.PointOptions{Now: now})
	if err != nil || len(res.Payments) != 2 {
		t.Fatalf("after approve and resolve: %v %+v", err, res)
	}
	// Contesting a pointed payable unpoints it.
	changed, err := disburse.Contest(ctx, st, cr, []string{"FA-121"}, "facture en double")
	if err != nil || changed[0].Status != "open" {
		t.Fatalf("contest: %v %+v", err, changed)
	}
	if p := list(t, st, cr, store.PayableFilter{})["FA-121"]; p.Status != payables.StatusOpen || !p.Contested {
		t.Errorf("FA-121 contested: %+v", p)
	}
	// Unknown documents are named, all at once.
	if _, err := disburse.Approve(ctx, st, cr, []string{"NOPE-1", "FA-118", "NOPE-2"}, false, now); !errors.Is(err, disburse.ErrNotFound) ||
		!strings.Contains(err.Error(), "NOPE-1, NOPE-2") {
		t.Errorf("unknown documents: %v", err)
	}
}

func TestPointGroupsByRuleAndReachesTarget(t *testing.T) {
	storetest.Each(t, testPointGroupsByRuleAndReachesTarget)
}

func testPointGroupsByRuleAndReachesTarget(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, false)
	ctx := context.Background()
	if _, err := importString(t, st, cr, file, disburse.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Active: true, Within: 30}); err != nil {
		t.Fatal(err)
	}
	// Target 1 000,00: the group of SUN takes its credit note and what
	// fits of its invoices (FA-119, 800 - 150 = 650); the rest waits.
	res, err := disburse.Point(ctx, st, cr, store.PayableFilter{Filter: payables.Filter{Method: "vir"}},
		disburse.PointOptions{Now: now, Target: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Payments) != 1 || res.Payments[0].Net > 100000 || res.Payments[0].ID == 0 {
		t.Fatalf("payments: %+v", res.Payments)
	}
	docs := res.Payments[0].Documents()
	if !slices.Equal(docs, []string{"AV-007", "FA-119"}) {
		t.Errorf("group: %v", docs)
	}
	got := list(t, st, cr, store.PayableFilter{})
	if got["FA-118"].Status != payables.StatusOpen || got["FA-119"].Group != got["AV-007"].Group || got["FA-119"].Group == 0 {
		t.Errorf("stored: FA-118 %s, groups %d %d", got["FA-118"].Status, got["FA-119"].Group, got["AV-007"].Group)
	}

	// By hand: FA-118 joins the group (naming one member brings the group).
	g, err := disburse.Group(ctx, st, cr, []string{"FA-118", "FA-119"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.Documents(), []string{"AV-007", "FA-118", "FA-119"}) || g.Net != 185000-2400 {
		t.Errorf("manual group: %v net %d", g.Documents(), g.Net)
	}
	got = list(t, st, cr, store.PayableFilter{})
	if !got["FA-118"].Manual || got["FA-118"].Group != got["AV-007"].Group {
		t.Errorf("after group: %+v", got["FA-118"])
	}
	// Another supplier cannot join: every reason at once.
	_, err = disburse.Group(ctx, st, cr, []string{"FA-118", "FA-121"}, now)
	if !errors.Is(err, payables.ErrGroup) || !strings.Contains(err.Error(), "several methods") || !strings.Contains(err.Error(), "several payees") {
		t.Errorf("group across suppliers: %v", err)
	}
	// Taking two out leaves a group of one: it dissolves.
	changed, err := disburse.Ungroup(ctx, st, cr, []string{"FA-118", "FA-119"}, false)
	if err != nil {
		t.Fatal(err)
	}
	got = list(t, st, cr, store.PayableFilter{})
	for _, d := range []string{"FA-118", "FA-119", "AV-007"} {
		if got[d].Group != 0 || got[d].Status != payables.StatusPointed || !got[d].Prepared {
			t.Errorf("%s after ungroup: group %d status %s prepared %v (%+v)", d, got[d].Group, got[d].Status, got[d].Prepared, changed)
		}
	}
	if _, err := disburse.Ungroup(ctx, st, cr, []string{"FA-118"}, false); err == nil || !strings.Contains(err.Error(), "in no group") {
		t.Errorf("ungroup a payable in no group: %v", err)
	}
}

func TestManualRuleRefusesGroup(t *testing.T) { storetest.Each(t, testManualRuleRefusesGroup) }

func testManualRuleRefusesGroup(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, false)
	ctx := context.Background()
	if _, err := importString(t, st, cr, file, disburse.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Manual: true, Active: true, Within: 3}); err != nil {
		t.Fatal(err)
	}
	_, err := disburse.Group(ctx, st, cr, []string{"FA-118", "FA-119"}, now)
	if !errors.Is(err, payables.ErrGroup) || !strings.Contains(err.Error(), "at most 3 days apart") {
		t.Fatalf("manual rule: %v", err)
	}
	// Two rules for one method, account and mode: the second replaces the first.
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodTransfer, Manual: true, Active: true, Within: 10}); err != nil {
		t.Fatal(err)
	}
	rules, err := st.GroupingRules(ctx, cr.ID)
	if err != nil || len(rules) != 1 || rules[0].Within != 10 {
		t.Fatalf("rules: %v %v", rules, err)
	}
	if _, err := disburse.Group(ctx, st, cr, []string{"FA-118", "FA-119"}, now); err != nil {
		t.Errorf("within 10 days: %v", err)
	}
}

// The same document twice in one file: identical, the second line is
// unchanged; with other values, a problem naming the first line.
func TestImportSameDocumentTwice(t *testing.T) { storetest.Each(t, testImportSameDocumentTwice) }

func testImportSameDocumentTwice(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, false)
	line := "FA-300;401NEW;NEW SA;10.00;2026-12-30;vir;" + sun + ";;;;;;;;;\n"
	res, err := importString(t, st, cr, header+line+line, disburse.ImportOptions{})
	if err != nil || res.Inserted != 1 || res.Unchanged != 1 {
		t.Fatalf("identical lines: %v %+v", err, res)
	}
	other := strings.Replace(line, "10.00", "11.00", 1)
	res, err = importString(t, st, cr, header+line+other, disburse.ImportOptions{})
	if !errors.Is(err, remit.ErrImportInvalid) || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "appears on line 2 of this file") {
		t.Fatalf("conflicting lines: %v %+v", err, res.Problems)
	}
}

// A refund is a pointed, approved transfer payable to the customer's
// account, numbered REMB-<date>-<n>; an unknown customer is refused.
func TestRefund(t *testing.T) { storetest.Each(t, testRefund) }

func testRefund(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, true)
	ctx := context.Background()
	res, err := importcsv.Import(ctx, st, strings.NewReader("document;customer;name;amount;due_date;iban;town;country\n"+
		"F1;411DUPONT;Dupont Matériaux;100;2026-12-20;"+sun+";Bordeaux;FR\n"), remit.ImportOptions{Creditor: cr, File: "r.csv"})
	if err != nil || res.Inserted != 1 {
		t.Fatal(err, res)
	}
	// Nothing is owed yet: a refund is refused, and nothing recorded.
	if _, err := disburse.Refund(ctx, st, cr, disburse.RefundOptions{Customer: "411DUPONT", Amount: 1, Now: now}); !errors.Is(err, payables.ErrNothingToRefund) ||
		!strings.Contains(err.Error(), "0,00 EUR available") {
		t.Fatalf("nothing owed: %v", err)
	}
	// Dupont paid 341,00 for F1 (100,00): the line is allocated to F1,
	// 241,00 stays in suspense, Dupont's.
	for _, q := range []string{
		`INSERT INTO statements (id, creditor_id, bank_id, statement_key, format, account, currency, from_date, to_date, opening, opening_date, closing, booked, digest, balance_set, imported_at)
			SELECT 1, creditor_id, id, 'k', 'cfonb120', iban, 'EUR', '2026-12-01', '2026-12-01', 0, '2026-11-30', 34100, 1, 'd', 0, '' FROM banks LIMIT 1`,
		`INSERT INTO statement_lines (id, statement_id, position, file_line, booked_on, amount, outcome, suspense) VALUES (1, 1, 1, 2, '2026-12-01', 34100, 'unmatched', 1)`,
		`INSERT INTO allocations (creditor_id, line_id, receivable_id, amount, allocated_on, created_at) SELECT creditor_id, 1, id, 10000, '2026-12-01', '' FROM receivables`,
	} {
		k.Exec(t, st, q)
	}
	for i, want := range []string{"REMB-20261202-1", "REMB-20261202-2"} {
		p, err := disburse.Refund(ctx, st, cr, disburse.RefundOptions{Customer: "411DUPONT", Amount: 12000 + int64(i), Source: "avoir AV-7", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if p.Document != want || p.Status != payables.StatusPointed || !p.Approved || p.IBAN != sun || p.Label != "Remboursement trop-perçu avoir AV-7" {
			t.Errorf("refund %d: %+v", i, p)
		}
	}
	if r := list(t, st, cr, store.PayableFilter{})["REMB-20261202-2"]; r.Source != "refund" || r.Amount != 12001 {
		t.Errorf("stored: %+v", r)
	}
	// 241,00 owed, 240,01 refunded: 0,99 left.
	if _, err := disburse.Refund(ctx, st, cr, disburse.RefundOptions{Customer: "411DUPONT", Amount: 100, Now: now}); !errors.Is(err, payables.ErrRefundTooLarge) ||
		!strings.Contains(err.Error(), "0,99 EUR available (241,00 EUR it paid too much") {
		t.Errorf("beyond what is owed: %v", err)
	}
	if _, err := disburse.Refund(ctx, st, cr, disburse.RefundOptions{Customer: "411NOPE", Amount: 1, Now: now}); !errors.Is(err, disburse.ErrNoCustomer) {
		t.Errorf("unknown customer: %v", err)
	}
}
