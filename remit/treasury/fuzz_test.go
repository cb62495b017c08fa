package treasury

import (
	"reflect"
	"slices"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// fuzzBytes hands out choices from the fuzzer's bytes, zeros once spent.
type fuzzBytes struct{ b []byte }

func (f *fuzzBytes) next() int {
	if len(f.b) == 0 {
		return 0
	}
	v := int(f.b[0])
	f.b = f.b[1:]
	return v
}

func (f *fuzzBytes) pick(choices []string) string { return choices[f.next()%len(choices)] }

var (
	fuzzCodes   = []string{"A1", "A2", "B3", "B4", "35", "37", "33", "02", "03", "05", "62", "06", "32", "", "C2"}
	fuzzRefs    = []string{"", "MSG1-1", "MSG1-2", "MSG2-1", "OTHER", "MSG1"}
	fuzzE2E     = []string{"", "F1", "F2", "F3", "F4", "F9", "X"}
	fuzzTexts   = []string{"", "F9", "F10 F9", "LCR-2026-00017", "2026-00017", "1234567", "IMPAYE", "f10", "F11"}
	fuzzAmounts = []int64{0, 25000, 5000, 10000, 7000, 3000, 20000, 12000, 30000, 4500, 8000, 1, -1, -10000, -20000, -8000, -450, -7000}
)

// fuzzStatement makes a balanced statement of BQ2's account from the
// fuzzer's bytes.
func fuzzStatement(f *fuzzBytes) statement.Statement {
	st := statement.Statement{Format: statement.CFONB120, Account: statement.Account{IBAN: "FR7610096000502468013579016"}, Currency: "EUR",
		Opening: statement.Balance{Date: date(2026, 11, 30), Amount: int64(f.next()) * 1000}}
	if f.next()%2 == 0 {
		st.Format = statement.Camt053V08
	}
	sum := st.Opening.Amount
	st.Closing.Date = date(2026, 12, 1)
	for i, n := 0, f.next()%9; i < n; i++ {
		e := statement.Entry{Line: i + 2, Status: statement.StatusBook, Amount: fuzzAmounts[f.next()%len(fuzzAmounts)],
			BookingDate: date(2026, 11, 28+f.next()%20), Code: statement.Code{Proprietary: f.pick(fuzzCodes), Issuer: statement.IssuerCFONB}}
		if f.next()%3 == 0 {
			e.ValueDate = e.BookingDate.AddDate(0, 0, f.next()%5)
		}
		if f.next()%5 == 0 {
			e.Status = "PDNG"
		}
		if f.next()%4 == 0 {
			e.Code = statement.Code{Domain: "PMNT", Family: f.pick([]string{"IDDT", "RCDT", "DRFT", "RCHQ", "MDOP"}), SubFamily: f.pick([]string{"ESDD", "UPDD", "ESCT", "STAM", "UDFT", "FEES"})}
		}
		e.Batch.PmtInfID, e.Batch.MsgID = f.pick(fuzzRefs), f.pick(fuzzRefs)
		e.Label, e.Number, e.ReturnReason = f.pick(fuzzTexts), f.pick([]string{"", "0000123", "1234567", "0000000"}), f.pick([]string{"", "64", "AM04"})
		for j, m := 0, f.next()%3; j < m; j++ {
			e.Details = append(e.Details, statement.Detail{EndToEndID: f.pick(fuzzE2E), PmtInfID: f.pick(fuzzRefs), Remittance: []string{f.pick(fuzzTexts)},
				ReturnReason: f.pick([]string{"", "MD06"}), ChequeNumber: f.pick([]string{"", "7654"})})
		}
		if e.Booked() {
			sum += e.Amount
		}
		if e.BookingDate.After(st.Closing.Date) {
			st.Closing.Date = e.BookingDate
		}
		st.Entries = append(st.Entries, e)
	}
	st.Closing.Amount = sum
	return st
}

// fuzzCandidates changes the synthetic candidates as the bytes say.
func fuzzCandidates(f *fuzzBytes) Candidates {
	c := synthCandidates()
	for i := range c.Lots {
		l := &c.Lots[i]
		l.Credited = f.next()%4 == 0
		l.BatchBooking = l.BatchBooking != (f.next()%5 == 0)
		for j := range l.Items {
			it := &l.Items[j]
			it.Credited, it.Rejected, it.Returned = f.next()%6 == 0, f.next()%7 == 0, f.next()%6 == 0
		}
	}
	if f.next()%2 == 0 {
		c.Lots = append(c.Lots, c.Lots[f.next()%len(c.Lots)]) // a candidate twice
	}
	for i, n := 0, f.next()%3; i < n; i++ {
		c.Returns = append(c.Returns, PendingReturn{Ref: "RET", EndToEndID: f.pick(fuzzE2E), Document: f.pick(fuzzE2E), Amount: fuzzAmounts[f.next()%len(fuzzAmounts)]})
	}
	for i := range c.Receivables {
		c.Receivables[i].Status = f.pick([]string{remit.StatusOpen, remit.StatusPointed, remit.StatusRemitted, StatusWrittenOff})
	}
	return c
}

// FuzzReconcile: whatever the statement and the candidates, Reconcile does
// not panic, decides the same twice, does not depend on the order of the
// candidates, gives one decision per entry, and sends to suspense only
// unmatched credits; a statement's key does not depend on the order of
// its entries.
func FuzzReconcile(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{10, 0, 3, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0})
	f.Add([]byte{200, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33})
	f.Add([]byte{5, 1, 4, 2, 0, 4, 1, 1, 1, 1, 1, 1, 2, 1, 1, 3, 0, 0, 0, 0, 4, 1, 0, 0, 2, 3, 5, 7, 11, 13, 17, 19, 23})
	f.Fuzz(func(t *testing.T, data []byte) {
		fb := &fuzzBytes{b: data}
		st := fuzzStatement(fb)
		c := fuzzCandidates(fb)
		b := bq2Validated()
		b.BalanceDate = date(2026, 11, 27+fb.next()%5)
		p1, err1 := Reconcile(&st, b, c, ReconcileOptions{})
		p2, err2 := Reconcile(&st, b, c, ReconcileOptions{})
		if !reflect.DeepEqual(p1, p2) || (err1 == nil) != (err2 == nil) {
			t.Fatalf("two runs differ:\n%q\n%q", summaries(p1), summaries(p2))
		}
		r := Candidates{Lots: slices.Clone(c.Lots), Returns: slices.Clone(c.Returns), Receivables: slices.Clone(c.Receivables)}
		slices.Reverse(r.Lots)
		slices.Reverse(r.Returns)
		slices.Reverse(r.Receivables)
		p3, _ := Reconcile(&st, b, r, ReconcileOptions{})
		if !reflect.DeepEqual(p1, p3) {
			t.Fatalf("candidates reversed:\n%q\n%q", summaries(p1), summaries(p3))
		}
		if err1 == nil {
			if len(p1.Matches) != len(st.Entries) {
				t.Fatalf("%d decisions for %d entries", len(p1.Matches), len(st.Entries))
			}
			for i, m := range p1.Matches {
				if m.Index != i || (m.Suspense && (m.Outcome != Unmatched || m.Amount <= 0)) || (m.Outcome == Unmatched && m.Reason == "") ||
					(m.Outcome != Unmatched && m.Outcome != NotBooked && m.Outcome != BankFee && len(m.Targets) == 0) {
					t.Fatalf("entry %d: %+v", i, m)
				}
			}
		}
		rev := st
		rev.Entries = slices.Clone(st.Entries)
		slices.Reverse(rev.Entries)
		if KeyOf(&st).ID() != KeyOf(&rev).ID() {
			t.Fatal("the key depends on the order of the entries")
		}
	})
}
