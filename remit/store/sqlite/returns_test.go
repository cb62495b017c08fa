package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/sepa"
)

func day(s string) time.Time {
	d, err := time.Parse(remit.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

// outcomes summarises a result: "status doc reason effect|message" per item.
func outcomes(res *remit.ReturnsResult) string {
	var out []string
	for _, o := range res.Outcomes {
		s := o.Status + " " + o.Document
		if o.Document == "" {
			s += o.EndToEndID
		}
		s += " " + o.Reason
		if o.MandateEffect != "" {
			s += " [" + o.MandateEffect + "]"
		}
		if o.Message != "" {
			s += " (" + o.Message + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func (e *sddEnv) one(q string, args ...any) string {
	e.t.Helper()
	var s string
	if err := e.st.db.QueryRow(q, args...).Scan(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

func TestManualRejectWithFeeThenFRSTAgain(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
	e.run(sdd.Options{})
	res, err := reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "am04", Date: day("2026-12-08"), Fee: 550})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "applied F1 AM04 [next collection FRST again]" {
		t.Errorf("outcome %q", got)
	}
	o := res.Outcomes[0]
	if o.Customer != "411A" || o.AmountText != "10.00" || o.FeeText != "5.50" || o.Date != "2026-12-08" || o.Remittance != "001" {
		t.Errorf("outcome %+v", o)
	}
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 aaa 2026-12-08
BQ#1.3 2026-11-22 512000 F2 "Recettes au 22/11/26" D 20.00
BQ#1.4 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-22
BQ#2.1 2026-12-08 411000 411A F1 "Rejet F1 AM04" D 10.00 aaa 2026-12-08
BQ#2.2 2026-12-08 512000 F1 "Rejet F1 AM04" C 10.00
BQ#2.3 2026-12-08 627000 F1 "Frais rejet F1" D 5.50
BQ#2.4 2026-12-08 512000 F1 "Frais rejet F1" C 5.50
`)
	if got := e.one(`SELECT status || ' ' || return_reason || ' ' || returned_on || ' ' || settled_before_return FROM remittance_items WHERE document = 'F1'`); got != "rejected AM04 2026-12-08 0" {
		t.Errorf("item %s", got)
	}
	if got := e.one(`SELECT status || ' / ' || refusal FROM receivables WHERE document = 'F1'`); !strings.HasPrefix(got, "rejected / rejected AM04 on 2026-12-08") {
		t.Errorf("receivable %s", got)
	}
	if got := e.one(`SELECT status FROM remittances`); got != "sent" {
		t.Errorf("remittance status %s: the bank had it", got)
	}
	if got := e.one(`SELECT source || ' ' || fee || ' ' || mandate_effect FROM returns`); got != "manual 550 next collection FRST again" {
		t.Errorf("returns row %s", got)
	}
	// The same reject again: nothing changes.
	before := entryDump(t, e.st, 0)
	res, err = reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "AM04", Date: day("2026-12-08"), Fee: 550})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "already F1 AM04 (already recorded (manual, 2026-12-08))" {
		t.Errorf("second reject: %q", got)
	}
	if entryDump(t, e.st, 0) != before {
		t.Error("second reject changed the entries")
	}
	// Pointed again, the first collection rejected before settlement: FRST again,
	// in a pain.008 that validates (run checks it with xmllint).
	e.point("F1")
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01" {
		t.Errorf("next collection %s", got)
	}
	// Collected again: all of F1's lines are lettered complete.
	if n := count(t, e.st, `SELECT count(*) FROM entries WHERE receivable_id = 1 AND lettering = 'AAA'`); n != 3 {
		t.Errorf("%d lines lettered AAA, want 3\n%s", n, entryDump(t, e.st, 0))
	}
	assertBalanced(t, e.st)
}

func TestManualRejectErrors(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	if _, err := reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "AM-4"}); !errors.Is(err, remit.ErrReasonCode) {
		t.Errorf("bad reason: %v", err)
	}
	for _, tt := range []struct {
		m    remit.ManualReject
		want string
	}{
		{remit.ManualReject{Document: "NOPE", Reason: "AM04"}, "unknown NOPE AM04 (no receivable NOPE)"},
		{remit.ManualReject{Document: "F1", Reason: "AM04", Date: day("2026-11-20")},
			"refused F1 AM04 (remittance 001 was created on 2026-11-22, after the return date 2026-11-20)"},
	} {
		res, err := reject(ctx, e.st, e.cr, tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomes(res); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
	// A second reject with another reason is refused, not stacked.
	reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "AM04", Date: day("2026-12-08")})
	res, _ := reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "MS03", Date: day("2026-12-09")})
	if got := outcomes(res); got != "refused F1 MS03 (already rejected on 2026-12-08 with reason AM04)" {
		t.Errorf("other reason: %s", got)
	}
}

func TestReturnAfterSettlementKeepsRCUR(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	res, err := e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourceCamt054, Settled: true, MsgID: "C54-1",
		Items: []remit.ReturnInput{{EndToEndID: "F1", MandateID: "RUM-A", Amount: 1000, Reason: "MD06", Date: day("2026-12-05")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "applied F1 MD06" {
		t.Errorf("outcome %s", got)
	}
	if got := e.one(`SELECT status || ' ' || settled_before_return FROM remittance_items`); got != "returned 1" {
		t.Errorf("item %s", got)
	}
	importString(t, e.st, e.cr, sddHeader+sddLine("F2", "411A", "20.00", "2027-01-04", "RUM-A", ""), remit.ImportOptions{})
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F2:RCUR:2027-01-04" {
		t.Errorf("after a return after settlement: %s", got)
	}
}

func TestBlockingReasonsBlockTheMandate(t *testing.T) {
	ctx := context.Background()
	for _, reason := range []string{"MD01", "AC04"} {
		t.Run(reason, func(t *testing.T) {
			e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
				sddLine("F2", "411A", "20.00", "2026-12-15", "RUM-A", ""))
			e.exec("UPDATE receivables SET status = 'open' WHERE document = 'F2'")
			e.run(sdd.Options{})
			res, err := e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "STS-1",
				Items: []remit.ReturnInput{{EndToEndID: "F1", OriginalMsgID: e.one(`SELECT msg_id FROM remittances`), Reason: reason, Date: day("2026-11-28")}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := outcomes(res); got != "applied F1 "+reason+" [mandate RUM-A blocked]" {
				t.Errorf("outcome %s", got)
			}
			if got := e.one(`SELECT status || ' ' || status_reason FROM mandates`); !strings.HasPrefix(got, "blocked "+reason+" on 2026-11-28 (F1)") {
				t.Errorf("mandate %s", got)
			}
			// The next SDD run refuses the mandate's receivables, saying why.
			e.point("F1", "F2")
			next := e.run(sdd.Options{})
			if len(next.Remittances) != 0 || len(next.Refused) != 2 ||
				!strings.Contains(next.Refused[0].Reasons[0], "mandate RUM-A is blocked") {
				t.Fatalf("next run: %+v", next)
			}
			// A new IBAN lifts an account reason, not a mandate reason.
			var id int64
			e.st.db.QueryRow(`SELECT id FROM mandates`).Scan(&id)
			lifted, err := unblockForNewIBAN(ctx, e.st.db, id)
			if err != nil || lifted != (reason == "AC04") {
				t.Errorf("unblockForNewIBAN = %v, %v", lifted, err)
			}
			if !lifted {
				if _, err := e.st.UnblockMandate(ctx, e.cr.ID, "RUM-A"); err != nil {
					t.Fatal(err)
				}
			}
			if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01 F2:RCUR:2026-12-15" {
				t.Errorf("after unblocking: %s", got)
			}
		})
	}
}

func TestReturnFileMatching(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F3", "411C", "30.00", "2026-12-01", "RUM-C", ""))
	e.run(sdd.Options{})
	msg := e.one(`SELECT msg_id FROM remittances`)
	batch := remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "STS-1", CreatedAt: day("2026-11-28"), Fee: 300, Items: []remit.ReturnInput{
		{Line: 10, EndToEndID: "F1", OriginalMsgID: msg, Reason: "AM04"},
		{Line: 20, EndToEndID: "F2", OriginalMsgID: msg, Amount: 2100, Reason: "MS03"},
		{Line: 30, EndToEndID: "F9", OriginalMsgID: msg, Reason: "AC01"},
		{Line: 40, EndToEndID: "F3", OriginalMsgID: "OTHER-MSG", Reason: "AC01"},
		{Line: 50, EndToEndID: "F3", Reason: ""},
	}}
	res, err := e.st.ApplyReturns(ctx, e.cr, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := `applied F1 AM04 [next collection FRST again]
refused F2 MS03 (the bank's amount 21,00 differs from the collection's 20,00)
unknown F9 AC01 (no collection with EndToEndId F9 in message ` + msg + `)
unknown F3 AC01 (no collection with EndToEndId F3 in message OTHER-MSG)
refused F3  (no reason code)`
	if got := outcomes(res); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := e.one(`SELECT returned_on FROM returns`); got != "2026-11-28" {
		t.Errorf("a return without its own date takes the file's: %s", got)
	}
	// The same file again: nothing changes.
	before := entryDump(t, e.st, 0)
	res, _ = e.st.ApplyReturns(ctx, e.cr, batch)
	if res.Count(remit.ReturnApplied) != 0 || res.Count(remit.ReturnAlready) != 1 || entryDump(t, e.st, 0) != before {
		t.Errorf("second import:\n%s", outcomes(res))
	}
	// F1 collected again in a new remittance; the old file once more still changes nothing,
	// and a reject of the new collection applies to it.
	e.point("F1")
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 7) }
	e.run(sdd.Options{})
	res, _ = e.st.ApplyReturns(ctx, e.cr, batch)
	if res.Count(remit.ReturnApplied) != 0 || res.Count(remit.ReturnAlready) != 1 {
		t.Errorf("old file after a new collection:\n%s", outcomes(res))
	}
	// The new collection has its own EndToEndId (issue 15, item 5): a return
	// naming the first one never lands on it.
	res, _ = e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourceCamt054, Settled: true, MsgID: "C54-1",
		Items: []remit.ReturnInput{{EndToEndID: "F1", Reason: "AM04", Date: day("2026-12-09")}}})
	if res.Count(remit.ReturnApplied) != 0 || res.Outcomes[0].Remittance != "001" {
		t.Errorf("return naming the first collection: %s (remittance %s)", outcomes(res), res.Outcomes[0].Remittance)
	}
	res, _ = e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourceCamt054, Settled: true, MsgID: "C54-2",
		Items: []remit.ReturnInput{{EndToEndID: "F1/P2", Reason: "AM04", Date: day("2026-12-10")}}})
	if got := outcomes(res); got != "applied F1 AM04" || res.Outcomes[0].Remittance != "002" {
		t.Errorf("new reject: %s (remittance %s)", got, res.Outcomes[0].Remittance)
	}
	assertBalanced(t, e.st)
}

func TestGroupLevelReject(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-15", "RUM-B", ""))
	e.exec(`INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-01', iban FROM mandates WHERE rum = 'RUM-B'`)
	e.run(sdd.Options{})
	msg := e.one(`SELECT msg_id FROM remittances`)
	// Block 2 is F2's RCUR block.
	res, err := e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "STS-G", CreatedAt: day("2026-11-23"),
		Items: []remit.ReturnInput{{GroupLevel: true, OriginalMsgID: msg, OriginalPmtInfID: remit.PaymentInfoID(msg, 2), Reason: "FF01"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "applied F2 FF01" {
		t.Errorf("payment block: %s", got)
	}
	res, _ = e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "STS-H", CreatedAt: day("2026-11-23"),
		Items: []remit.ReturnInput{{GroupLevel: true, OriginalMsgID: msg, Reason: "FF01"}, {GroupLevel: true, OriginalMsgID: "NOPE", Reason: "FF01"}}})
	want := `applied F1 FF01 [next collection FRST again]
already F2 FF01 (already recorded (pain.002, 2026-11-23))
unknown  FF01 (no remittance with message id NOPE)`
	if got := outcomes(res); got != want {
		t.Errorf("whole message:\n%s\nwant\n%s", got, want)
	}
}

func TestNormalizeReason(t *testing.T) {
	for in, ok := range map[string]bool{"am04": true, "MD01": true, "01": true, "A": false, "AM045": false, "AM-4": false, "": false} {
		if _, err := remit.NormalizeReason(in); (err == nil) != ok {
			t.Errorf("NormalizeReason(%q): %v", in, err)
		}
	}
}

func readReturnFixture(t *testing.T, name string, fee int64) remit.ReturnBatch {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "returns", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rf, err := sepa.ReadReturns(f)
	if err != nil {
		t.Fatal(err)
	}
	return remit.ReturnBatchFromFile(rf, name, "", fee)
}

// bankEnv is remittance 001 (ACME-001-20261122100000): block 1 FRST F1 F3,
// block 2 RCUR F2, block 3 RCUR F4, as the fixtures under remit/testdata/returns expect.
func bankEnv(t *testing.T) *sddEnv {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F3", "411C", "30.00", "2026-12-01", "RUM-C", "")+
		"F4,411D,Client D,40.00,2026-12-15,sdd,DE89370400440532013000,,RUM-D,2025-01-15,CORE,,2026-10-01,Hauptstr,1,10115,Berlin,DE,EUR,yes,\n")
	e.exec(`INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-01', iban FROM mandates WHERE rum = 'RUM-B'`)
	res := e.run(sdd.Options{})
	if got := seqs(res, e.st); got != "F1:FRST:2026-12-01 F3:FRST:2026-12-01 F2:RCUR:2026-12-01 F4:RCUR:2026-12-15" ||
		res.Remittances[0].MsgID != "ACME-001-20261122100000" {
		t.Fatalf("bank env: %s %s", got, res.Remittances[0].MsgID)
	}
	return e
}

func TestReturnFilesFromBank(t *testing.T) {
	ctx := context.Background()
	e := bankEnv(t)
	b := readReturnFixture(t, "pain.002.001.03.rejects.xml", 0)
	res, err := e.st.ApplyReturns(ctx, e.cr, b)
	if err != nil {
		t.Fatal(err)
	}
	want := `applied F1 AM04 [next collection FRST again]
unknown F9 AC01 (no collection with EndToEndId F9 in message ACME-001-20261122100000)
applied F3 MD01 [mandate RUM-C blocked]
applied F2 MS03`
	if got := outcomes(res); got != want {
		t.Errorf("pain.002:\n%s\nwant\n%s", got, want)
	}
	if res.Outcomes[0].ReasonLabel != "Provision insuffisante (insufficient funds)" || res.Outcomes[1].Line != 36 {
		t.Errorf("outcome %+v", res.Outcomes[0])
	}
	// Twice: nothing changes.
	before := entryDump(t, e.st, 0)
	res, _ = e.st.ApplyReturns(ctx, e.cr, b)
	if res.Count(remit.ReturnApplied) != 0 || res.Count(remit.ReturnAlready) != 3 || res.Count(remit.ReturnUnknown) != 1 || entryDump(t, e.st, 0) != before {
		t.Errorf("second import:\n%s", outcomes(res))
	}
	c := readReturnFixture(t, "camt.054.001.02.returns.xml", 250)
	res, err = e.st.ApplyReturns(ctx, e.cr, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "applied F4 MD06\nunknown  MS02 (no EndToEndId)" {
		t.Errorf("camt.054:\n%s", got)
	}
	if got := e.one(`SELECT group_concat(document || ':' || status || ':' || return_reason || ':' || settled_before_return, ' ') FROM remittance_items`); got != "F1:rejected:AM04:0 F3:rejected:MD01:0 F2:rejected:MS03:0 F4:returned:MD06:1" {
		t.Errorf("items %s", got)
	}
	checkDump(t, entryDump(t, e.st, 0)[strings.Index(entryDump(t, e.st, 0), "BQ#5.1"):], `
BQ#5.1 2026-12-17 411000 411D F4 "Rejet F4 MD06" D 40.00 aad 2026-12-17
BQ#5.2 2026-12-17 512000 F4 "Rejet F4 MD06" C 40.00
BQ#5.3 2026-12-17 627000 F4 "Frais rejet F4" D 2.50
BQ#5.4 2026-12-17 512000 F4 "Frais rejet F4" C 2.50
`)
	res, _ = e.st.ApplyReturns(ctx, e.cr, c)
	if res.Count(remit.ReturnApplied) != 0 || res.Count(remit.ReturnAlready) != 1 {
		t.Errorf("camt.054 twice:\n%s", outcomes(res))
	}
	assertBalanced(t, e.st)
	// Next run: F1 is a first collection again, F3's mandate is blocked, F2 and F4 stay RCUR.
	e.point("F1", "F2", "F3", "F4")
	next := e.run(sdd.Options{})
	if got := seqs(next, e.st); got != "F1:FRST:2026-12-01 F2:RCUR:2026-12-01 F4:RCUR:2026-12-15" {
		t.Errorf("next run: %s", got)
	}
	if len(next.Refused) != 1 || next.Refused[0].Document != "F3" ||
		!strings.HasPrefix(next.Refused[0].Reasons[0], "mandate RUM-C is blocked") {
		t.Errorf("refused %+v", next.Refused)
	}
}

// TestReturnByEndToEndIdOtherThanTheDocument: a document that is not a
// valid EPC identifier goes out under a derived EndToEndId, which the
// index keeps; a return quoting it finds the item, as one quoting a plain
// document does through its receivable.
func TestReturnByEndToEndIdOtherThanTheDocument(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F 1/é", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
	e.run(sdd.Options{})
	e2e := remit.EndToEndID("F 1/é")
	if e2e == "F 1/é" || e.one(`SELECT end_to_end_id FROM remittance_items WHERE document = 'F 1/é'`) != e2e {
		t.Fatalf("EndToEndId %q not recorded", e2e)
	}
	msg := e.one(`SELECT msg_id FROM remittances`)
	res, err := e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "P2-1", Items: []remit.ReturnInput{
		{Line: 1, EndToEndID: e2e, OriginalMsgID: msg, Reason: "AM04", Date: day("2026-11-28")},
		{Line: 2, EndToEndID: "F2", Reason: "AC01", Date: day("2026-11-28")},
		{Line: 3, EndToEndID: "F 1/é", Reason: "AC01", Date: day("2026-11-28")}, // the document is not its EndToEndId
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(res)
	for _, want := range []string{"applied F 1/é AM04", "applied F2 AC01", "unknown"} {
		if !strings.Contains(got, want) {
			t.Errorf("outcomes %q, want %q among them", got, want)
		}
	}
}

// TestReturnLookupIsIndexed: finding the collection of a returned
// EndToEndId is a search in an index, whatever the database holds (an OR
// of the two ways made SQLite scan every item of the creditor for each
// return: a file of unknown ids cost its length times the database).
func TestReturnLookupIsIndexed(t *testing.T) {
	st, _ := newTestStore(t)
	for _, cond := range []string{e2eCond, e2eCond + ` AND rem.msg_id = ?`} {
		all := strings.Join(queryPlan(t, st.db, candidateSelect+" AND "+cond+" ORDER BY i.id DESC", 1, 1, "X", "X", "X", "M"), "\n")
		for _, want := range []string{"remittance_items_e2e (end_to_end_id=?)", "remittance_items_receivable (receivable_id=?)",
			"SEARCH i USING INTEGER PRIMARY KEY"} {
			if !strings.Contains(all, want) {
				t.Errorf("the plan does not search %s:\n%s", want, all)
			}
		}
		if strings.Contains(all, "remittances_creditor") || strings.Contains(all, "SCAN") {
			t.Errorf("the plan walks the creditor's remittances:\n%s", all)
		}
	}
}
