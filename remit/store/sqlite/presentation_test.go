package sqlite

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// The lifecycle of collections across runs and bank returns (issue 15,
// items 2 to 5): what remit announces after a reject, how a receivable is
// presented again, how often a one-off mandate is collected.

func (e *sddEnv) reject(doc, reason string, day time.Time) remit.ReturnOutcome {
	e.t.Helper()
	res, err := reject(context.Background(), e.st, e.cr, remit.ManualReject{Document: doc, Reason: reason, Date: day})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(res.Outcomes) != 1 || res.Outcomes[0].Status != remit.ReturnApplied {
		e.t.Fatalf("reject %s: %+v", doc, res.Outcomes)
	}
	return res.Outcomes[0]
}

// itemsOf returns "remittance:SEQ:e2e" for every item of a document, oldest first.
func (e *sddEnv) itemsOf(doc string) string {
	e.t.Helper()
	rows, err := e.st.db.Query(`SELECT remittance_id, sequence_type, end_to_end_id, status FROM remittance_items WHERE document = ? ORDER BY id`, doc)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var rem int64
		var seq, e2e, status string
		rows.Scan(&rem, &seq, &e2e, &status)
		out = append(out, remit.Ref(rem)+":"+seq+":"+e2e+":"+status)
	}
	return strings.Join(out, " ")
}

// Regression (issue 15, item 4): F1 (FRST) and F2 (RCUR, later) of a new
// mandate go in one file; F1 is rejected before settlement. remit said
// "next collection FRST again", then presented F1 again as RCUR: F2, still
// pending, counted as the mandate's collection. What remit says is what it writes.
func TestRejectedFirstCollectionPresentedAgainAsFRST(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411A", "20.00", "2026-12-15", "RUM-A", ""))
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01 F2:RCUR:2026-12-15" {
		t.Fatalf("first run: %s", got)
	}
	out := e.reject("F1", "AM04", testNow.AddDate(0, 0, 3))
	if out.MandateEffect != "next collection FRST again" {
		t.Errorf("reject F1 says %q", out.MandateEffect)
	}
	e.point("F1")
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01" {
		t.Errorf("F1 presented again as %s, want FRST (as remit said)", got)
	}
	// Once the first collection is made again, the next one is RCUR.
	importString(t, e.st, e.cr, sddHeader+sddLine("F3", "411A", "30.00", "2027-01-04", "RUM-A", ""), remit.ImportOptions{})
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F3:RCUR:2027-01-04" {
		t.Errorf("after the new FRST: %s", got)
	}
	// A rejected RCUR of a mandate whose first collection holds says nothing about FRST.
	if out := e.reject("F3", "AM04", testNow.AddDate(0, 0, 4)); out.MandateEffect != "" {
		t.Errorf("reject F3 says %q", out.MandateEffect)
	}
}

// Regression (issue 15, item 2): after an OOFF collection, a new receivable
// on the same RUM went out as OOFF again, and two receivables on a fresh
// one-off RUM both went out. A one-off mandate gets exactly one collection;
// later ones are refused with the reason, and the mandate shows as used.
func TestOneOffMandateCollectedOnce(t *testing.T) {
	oneOff := func(doc, amount, due string) string {
		l := sddLine(doc, "411A", amount, due, "RUM-OOFF", "")
		return strings.Replace(l, ",CORE,,,", ",CORE,oneoff,,", 1)
	}
	e := newSDDEnv(t, oneOff("F1", "10.00", "2026-12-01")+oneOff("F2", "20.00", "2026-12-02"))
	res := e.run(sdd.Options{})
	if got := seqs(res, e.st); got != "F1:OOFF:2026-12-01" {
		t.Errorf("first run: %s", got)
	}
	want := "one-off mandate RUM-OOFF is collected by F1 in this run: a one-off mandate allows a single collection (collect this one on a new mandate)"
	if len(res.Refused) != 1 || res.Refused[0].Document != "F2" || strings.Join(res.Refused[0].Reasons, "; ") != want {
		t.Errorf("refused: %+v", res.Refused)
	}
	ms, err := mandateList(context.Background(), e.st, e.cr.ID, remit.MandateFilter{RUM: "RUM-OOFF"})
	if err != nil || len(ms) != 1 || !ms[0].Used || ms[0].Status != remit.MandateActive {
		t.Errorf("mandate after its collection: %+v %v", ms, err)
	}
	// The next run refuses F2, and a new receivable on the RUM, for the same reason.
	importString(t, e.st, e.cr, sddHeader+oneOff("F3", "30.00", "2027-01-04"), remit.ImportOptions{})
	res = e.run(sdd.Options{})
	if len(res.Remittances) != 0 || len(res.Refused) != 2 {
		t.Fatalf("second run: %d remittances, refused %+v", len(res.Remittances), res.Refused)
	}
	for _, r := range res.Refused {
		want := "one-off mandate RUM-OOFF was already collected on 2026-12-01: a one-off mandate allows a single collection (collect this one on a new mandate)"
		if strings.Join(r.Reasons, "; ") != want {
			t.Errorf("%s refused for %q", r.Document, r.Reasons)
		}
	}
	// A collection rejected before settlement was not made: the mandate is unused again.
	e.exec("UPDATE receivables SET status = 'open' WHERE document IN ('F2', 'F3')")
	e.reject("F1", "AM04", testNow.AddDate(0, 0, 3))
	e.point("F1")
	if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:OOFF:2026-12-01" {
		t.Errorf("after the reject: %s", got)
	}
}

// Regression (issue 15, item 3): a change of RUM or creditor identifier was
// cleared when the remittance was written, and only cancel restored it.
// After a reject before settlement, by hand or by pain.002, the next
// collection announces it again, as it does a change of IBAN.
func TestAmendmentAnnouncedAgainAfterReject(t *testing.T) {
	for _, by := range []string{"remit reject", "pain.002"} {
		t.Run(by, func(t *testing.T) {
			e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-NEW", ""))
			e.exec("UPDATE mandates SET original_rum = 'RUM-OLD', original_ics = 'DE98ZZZ09999999999'")
			e.exec("INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-01', iban FROM mandates")
			res := e.run(sdd.Options{})
			day := testNow.AddDate(0, 0, 3)
			if by == "remit reject" {
				e.reject("F1", "AM04", day)
			} else {
				r, err := e.st.ApplyReturns(context.Background(), e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "BANK-1",
					Items: []remit.ReturnInput{{EndToEndID: "F1", OriginalMsgID: res.Remittances[0].MsgID, Reason: "AM04", Date: day}}})
				if err != nil || r.Count(remit.ReturnApplied) != 1 {
					t.Fatalf("pain.002: %+v %v", r, err)
				}
			}
			e.point("F1")
			res = e.run(sdd.Options{})
			b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
			for _, want := range []string{"<AmdmntInd>true</AmdmntInd>", "<OrgnlMndtId>RUM-OLD</OrgnlMndtId>", "<Id>DE98ZZZ09999999999</Id>"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("the collection after the reject does not announce the change again: no %s", want)
				}
			}
		})
	}
}

// Regression (issue 15, item 5): a receivable presented again reused its
// EndToEndId, so a late return of the first presentation was applied to
// the second. Each presentation has its own, stable across regenerations.
func TestEachPresentationHasItsOwnEndToEndID(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F7/P2", "411B", "70.00", "2026-12-01", "RUM-B", "")+
		sddLine("F7", "411B", "70.00", "2026-12-01", "RUM-B", ""))
	e.run(sdd.Options{})
	e.reject("F1", "AM04", testNow.AddDate(0, 0, 3))
	e.reject("F7", "AM04", testNow.AddDate(0, 0, 3))
	e.point("F1", "F7")
	second := e.run(sdd.Options{})
	if got := e.itemsOf("F1"); got != "001:FRST:F1:rejected 002:FRST:F1/P2:remitted" {
		t.Errorf("F1: %s", got)
	}
	// F7's second presentation cannot be "F7/P2": that is another receivable's.
	got := e.itemsOf("F7")
	if !strings.HasPrefix(got, "001:RCUR:F7:rejected 002:") || strings.Contains(got, ":F7/P2:") {
		t.Errorf("F7: %s", got)
	}
	if _, _, err := collect.Regenerate(ctx, e.st, testKinds, e.cr.ID, second.Remittances[0].ID, t.TempDir()); err != nil {
		t.Errorf("regenerate: %v", err)
	}
	// A report on the first presentation that does not name its message,
	// sent again on a later day, finds the first presentation, already
	// rejected: the second is untouched.
	r, err := e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourcePain002, MsgID: "BANK-2",
		Items: []remit.ReturnInput{{EndToEndID: "F1", Reason: "AM04", Date: testNow.AddDate(0, 0, 5)}}})
	if err != nil || r.Outcomes[0].Status == remit.ReturnApplied || r.Outcomes[0].Remittance != "001" {
		t.Errorf("late report on the first presentation: %+v %v", r.Outcomes, err)
	}
	// A return of the second presentation names it.
	r, err = e.st.ApplyReturns(ctx, e.cr, remit.ReturnBatch{Source: remit.SourceCamt054, Settled: true, MsgID: "BANK-3",
		Items: []remit.ReturnInput{{EndToEndID: "F1/P2", Reason: "MD06", Date: testNow.AddDate(0, 0, 20)}}})
	if err != nil || r.Outcomes[0].Status != remit.ReturnApplied || r.Outcomes[0].Remittance != "002" {
		t.Errorf("return of the second presentation: %+v %v", r.Outcomes, err)
	}
	// The third presentation: F1/P3.
	e.point("F1")
	e.run(sdd.Options{})
	if got := e.itemsOf("F1"); !strings.HasSuffix(got, " 003:RCUR:F1/P3:remitted") {
		t.Errorf("third presentation: %s", got)
	}
}
