package treasury

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// summary writes a decision in one line, for tables.
func summary(m Match) string {
	var s string
	switch m.Outcome {
	case LotCredited:
		var l []string
		for _, t := range m.Targets {
			l = append(l, fmt.Sprintf("%s/%d %s %s", t.Remittance, t.Block, formatDay(t.Date), statement.Format(t.Amount)))
		}
		s = "lot " + strings.Join(l, " + ")
	case ItemsCredited, Returned, ReceivablesPaid:
		var l []string
		for _, t := range m.Targets {
			d := t.Document
			if t.Return != "" {
				d += " confirms " + t.Return
			}
			l = append(l, d)
		}
		s = string(m.Outcome) + " " + strings.Join(l, ", ")
		if m.ReturnReason != "" {
			s += " [" + m.ReturnReason + "]"
		}
	case Unmatched:
		s = "unmatched: " + m.Reason
	default:
		s = string(m.Outcome)
	}
	if m.Suspense {
		s += " → suspense"
	}
	return s
}

func summaries(p *Plan) []string {
	out := make([]string, len(p.Matches))
	for i, m := range p.Matches {
		out[i] = summary(m)
	}
	return out
}

// TestReconcileReferenceExamples: the reference statements of CFONB120.md
// §11 and camt053.md §10 against what remit would expect of that day.
func TestReconcileReferenceExamples(t *testing.T) {
	lot := "lot R000042/1 2025-03-03 1250.00"
	ret := "returned F2025-0102"
	for _, tt := range []struct {
		name string
		st   statement.Statement
		want []string
	}{
		{"CFONB 120", readCFONB(t, example(t, "cfonb", "releve_cfonb120.txt")),
			[]string{lot, ret + " [64]", "paid F2025-0117", "lot R000043/0 2025-03-03 540.00", "fee"}},
		{"camt.053.001.02", readCamt(t, example(t, "sepa", "camt.053.001.02.statement.example.xml")),
			[]string{lot, ret + " [AM04]", "paid F2025-0117", "fee"}},
		{"camt.053.001.08", readCamt(t, example(t, "sepa", "camt.053.001.08.statement.example.xml")),
			[]string{lot, ret + " [AM04]", "paid F2025-0117", "fee"}},
	} {
		p, err := Reconcile(&tt.st, bq1(), referenceCandidates(), ReconcileOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := summaries(p); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if p.Bank != "BQ1" || !p.UpdateBalance || p.Balance != tt.st.Closing.Amount || !p.BalanceDate.Equal(date(2025, 3, 3)) || len(p.Suspense()) != 0 {
			t.Errorf("%s: plan %+v", tt.name, p)
		}
		if m := p.Matches[0]; m.Op != remit.OpSDD || !m.Booked.Equal(date(2025, 3, 3)) || m.Targets[0].Amount != 125000 {
			t.Errorf("%s: %+v", tt.name, m)
		}
	}
}

// The synthetic day: BQ2's account on 1 December 2026, validated on 30
// November.

func bq2Validated() remit.Bank {
	b := bq2()
	b.Balance, b.BalanceDate = 100000, date(2026, 11, 30)
	return b
}

func synthCandidates() Candidates {
	d := date(2026, 12, 1)
	return Candidates{
		Lots: []Lot{
			{Bank: "BQ2", Remittance: "R1", Block: 1, Op: remit.OpSDD, MsgID: "MSG1", PmtInfID: "MSG1-1", Date: d, Total: 25000, BatchBooking: true,
				Items: []Item{{Document: "F1", EndToEndID: "F1", Amount: 10000}, {Document: "F2", EndToEndID: "F2", Amount: 15000}}},
			{Bank: "BQ2", Remittance: "R1", Block: 2, Op: remit.OpSDD, MsgID: "MSG1", PmtInfID: "MSG1-2", Date: d, Total: 5000, BatchBooking: true,
				Items: []Item{{Document: "F3", EndToEndID: "F3", Amount: 5000}}},
			{Bank: "BQ2", Remittance: "R2", Block: 1, Op: remit.OpSDD, MsgID: "MSG2", PmtInfID: "MSG2-1", Date: d, Total: 10000,
				Items: []Item{{Document: "F4", EndToEndID: "F4", Amount: 7000}, {Document: "F5", EndToEndID: "F5", Amount: 3000}}},
			{Bank: "BQ2", Remittance: "L1", Op: remit.OpLCR, Date: date(2026, 11, 30), Total: 20000, BatchBooking: true,
				Items: []Item{{Document: "LCR-2026-00017", Reference: "2026-00017", Amount: 20000}}},
			{Bank: "BQ2", Remittance: "C1", Op: remit.OpCheque, Number: "123", Date: date(2026, 11, 30), Total: 12000, BatchBooking: true,
				Items: []Item{{Document: "F6", ChequeNumber: "1234567", Amount: 8000}, {Document: "F7", ChequeNumber: "0007654", Amount: 4000}}},
			{Bank: "BQ1", Remittance: "R9", Block: 1, Op: remit.OpSDD, PmtInfID: "MSG9-1", Date: d, Total: 25000, BatchBooking: true},
		},
		Receivables: []Receivable{
			{Document: "F9", Customer: "411A", Status: remit.StatusOpen, Open: 30000},
			{Document: "f10", Customer: "411B", Status: remit.StatusPointed, Open: 4500},
			{Document: "F11", Customer: "411C", Status: remit.StatusRemitted, Open: 6000},
		},
	}
}

// line is an entry of the synthetic day.
type line struct {
	amount int64
	code   string // CFONB operation code
	mod    func(*statement.Entry)
}

// synthStatement makes BQ2's statement of 1 December 2026 of the lines.
func synthStatement(lines ...line) statement.Statement {
	d := date(2026, 12, 1)
	st := statement.Statement{Format: statement.CFONB120, Line: 1, Account: statement.Account{IBAN: "FR7610096000502468013579016"}, Currency: "EUR",
		Opening: statement.Balance{Date: date(2026, 11, 30), Amount: 100000}, Closing: statement.Balance{Date: d}}
	sum := st.Opening.Amount
	for i, l := range lines {
		e := statement.Entry{Line: i + 2, Amount: l.amount, Status: statement.StatusBook, BookingDate: d, ValueDate: d,
			Code: statement.Code{Proprietary: l.code, Issuer: statement.IssuerCFONB}}
		if l.mod != nil {
			l.mod(&e)
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

func pmtInf(id string) func(*statement.Entry) {
	return func(e *statement.Entry) { e.Batch.PmtInfID = id }
}

func e2e(ids ...string) func(*statement.Entry) {
	return func(e *statement.Entry) {
		for _, id := range ids {
			e.Details = append(e.Details, statement.Detail{EndToEndID: id})
		}
	}
}

func remittanceInfo(text string) func(*statement.Entry) {
	return func(e *statement.Entry) { e.Details = append(e.Details, statement.Detail{Remittance: []string{text}}) }
}

func returned(id, reason string) func(*statement.Entry) {
	return func(e *statement.Entry) {
		e.Details = append(e.Details, statement.Detail{EndToEndID: id, ReturnReason: reason})
	}
}

func all(mods ...func(*statement.Entry)) func(*statement.Entry) {
	return func(e *statement.Entry) {
		for _, m := range mods {
			m(e)
		}
	}
}

const lot11 = "lot R1/1 2026-12-01 250.00"

// lineCases are statements of the synthetic day, the candidates changed
// or not, and what each line must be found to be.
var lineCases = []struct {
	name  string
	lines []line
	cands func(*Candidates)
	want  []string
}{
	{"batch by PmtInfId", []line{{25000, "A2", pmtInf("MSG1-1")}}, nil, []string{lot11}},
	{"batch by amount: the code says SDD", []line{{25000, "A2", nil}}, nil, []string{lot11}},
	{"block 2 by amount", []line{{5000, "A1", nil}}, nil, []string{"lot R1/2 2026-12-01 50.00"}},
	{"blocks of a message together", []line{{30000, "A1", func(e *statement.Entry) { e.Batch.MsgID = "MSG1" }}}, nil,
		[]string{"lot R1/1 2026-12-01 250.00 + R1/2 2026-12-01 50.00"}},
	{"one block of a message", []line{{5000, "A1", func(e *statement.Entry) { e.Batch.MsgID = "MSG1" }}}, nil, []string{"lot R1/2 2026-12-01 50.00"}},
	{"a message whose blocks do not fit", []line{{10000, "A1", func(e *statement.Entry) { e.Batch.MsgID = "MSG1" }}}, nil,
		[]string{"unmatched: message MSG1: no open block of it, nor all of them, credits 100.00 → suspense"}},
	{"an item credited on its own", []line{{7000, "A1", e2e("F4")}}, nil, []string{"items-credited F4"}},
	{"two items of a lot credited one by one", []line{{7000, "A1", e2e("F4")}, {3000, "A1", e2e("F5")}}, nil,
		[]string{"items-credited F4", "items-credited F5"}},
	{"every item of a lot in one line: the lot", []line{{10000, "A1", e2e("F4", "F5")}}, nil, []string{"lot R2/1 2026-12-01 100.00"}},
	{"a batch detailed without its PmtInfId", []line{{25000, "A1", e2e("F1", "F2")}}, nil, []string{lot11}},
	{"an item of a batch", []line{{10000, "A1", e2e("F1")}}, nil, []string{"items-credited F1"}},
	{"an item for another amount", []line{{9900, "A1", e2e("F1")}}, nil,
		[]string{"unmatched: collections F1: 100.00 in all, the line credits 99.00 → suspense"}},
	{"an EndToEndId of remit's and one not", []line{{10000, "A1", e2e("F1", "X9")}}, nil,
		[]string{"unmatched: EndToEndIds X9 are not remit's, F1 is → suspense"}},
	{"a block remit does not know", []line{{25000, "A1", pmtInf("OTHER-1")}}, nil,
		[]string{"unmatched: payment block OTHER-1: none of remit's remittances to bank BQ2 → suspense"}},
	{"a block of another bank", []line{{25000, "A1", pmtInf("MSG9-1")}}, nil,
		[]string{"unmatched: payment block MSG9-1: none of remit's remittances to bank BQ2 → suspense"}},
	{"a block for another amount", []line{{24000, "A1", pmtInf("MSG1-1")}}, nil,
		[]string{"unmatched: remittance R1 block 1 of 2026-12-01: remit expects 250.00, the line credits 240.00 → suspense"}},
	{"credited too late", []line{{25000, "A1", all(pmtInf("MSG1-1"), func(e *statement.Entry) { e.BookingDate, e.ValueDate = date(2026, 12, 14), date(2026, 12, 14) })}}, nil,
		[]string{"unmatched: remittance R1 block 1 of 2026-12-01 is expected on 2026-12-02 (1 value days), credited from 2026-11-28 to 2026-12-12, not on 2026-12-14 → suspense"}},
	{"credited already", []line{{25000, "A1", pmtInf("MSG1-1")}}, func(c *Candidates) { c.Lots[0].Credited = true },
		[]string{"unmatched: remittance R1 block 1 of 2026-12-01: credited already, on an earlier statement → suspense"}},
	{"an item credited on its own before", []line{{25000, "A1", pmtInf("MSG1-1")}, {25000, "A2", nil}}, func(c *Candidates) { c.Lots[0].Items[1].Credited = true },
		[]string{"unmatched: remittance R1 block 1 of 2026-12-01: F2 of it was credited on its own already → suspense",
			"unmatched: code A2: no sdd remittance of remit's to bank BQ2 of 250.00 around 2026-12-01 → suspense"}},
	{"an item rejected before settlement is not credited", []line{{10000, "A1", pmtInf("MSG1-1")}}, func(c *Candidates) { c.Lots[0].Items[1].Rejected = true },
		[]string{"lot R1/1 2026-12-01 100.00"}},
	{"a lot not booked in one line is not found by its amount", []line{{10000, "A1", nil}}, nil,
		[]string{"unmatched: code A1: no sdd remittance of remit's to bank BQ2 of 100.00 around 2026-12-01 → suspense"}},
	{"no code: references only", []line{{25000, "", pmtInf("MSG1-1")}, {5000, "", nil}}, nil,
		[]string{lot11, "unmatched: no remittance, cheque deposit or open receivable of remit's explains it → suspense"}},
	{"LCRs due on Monday credited two business days later", []line{{20000, "35", func(e *statement.Entry) { e.ValueDate = date(2026, 12, 2) }}}, nil,
		[]string{"lot L1/0 2026-11-30 200.00"}},
	{"two LCR remises of the same amount", []line{{20000, "35", nil}},
		func(c *Candidates) {
			c.Lots = append(c.Lots, Lot{Bank: "BQ2", Remittance: "L2", Op: remit.OpLCR, Date: date(2026, 12, 1), Total: 20000, BatchBooking: true})
		},
		[]string{"unmatched: remittance L1 of 2026-11-30, remittance L2 of 2026-12-01 all credit 200.00: which one is not for remit to guess → suspense"}},
	{"a remise de chèques", []line{{12000, "02", nil}}, nil, []string{"lot C1/0 2026-11-30 120.00"}},
	{"two remises de chèques, the numéro d'écriture says which", []line{{12000, "15", func(e *statement.Entry) { e.Number = "0000123" }}},
		func(c *Candidates) {
			c.Lots = append(c.Lots, Lot{Bank: "BQ2", Remittance: "C0", Op: remit.OpCheque, Number: "122", Date: date(2026, 11, 30), Total: 12000, BatchBooking: true})
		},
		[]string{"lot C1/0 2026-11-30 120.00"}},
	{"a transfer naming its invoice", []line{{30000, "05", remittanceInfo("FACTURE F9 DU 15/11/2026")}}, nil, []string{"paid F9"}},
	{"a transfer naming two invoices", []line{{34500, "05", remittanceInfo("REGLT F9,F10")}}, nil, []string{"paid f10, F9"}},
	{"a transfer whose EndToEndId is the invoice", []line{{4500, "05", e2e("F10")}}, nil, []string{"paid f10"}},
	{"a transfer short of its invoice", []line{{20000, "05", remittanceInfo("F9")}}, nil,
		[]string{"unmatched: names F9 (open 300.00), 300.00 in all, but credits 200.00: allocate it from the suspense account → suspense"}},
	{"a transfer paying a receivable being collected", []line{{6000, "05", remittanceInfo("F11")}}, nil,
		[]string{"unmatched: names F11, which is in a remittance not yet collected: a second payment? allocate it by hand from the suspense account → suspense"}},
	{"a transfer naming nothing", []line{{1234, "05", remittanceInfo("MERCI")}}, nil,
		[]string{"unmatched: no remittance, cheque deposit or open receivable of remit's explains it → suspense"}},
	{"a collection returned", []line{{-10000, "B4", returned("F1", "AM04")}}, nil, []string{"returned F1 [AM04]"}},
	{"a return recorded from camt.054 seen", []line{{-10000, "B4", returned("F1", "AM04")}},
		func(c *Candidates) {
			c.Lots[0].Items[0].Returned = true
			c.Returns = []PendingReturn{{Ref: "RET-7", Remittance: "R1", Document: "F1", EndToEndID: "F1", Amount: 10000}}
		},
		[]string{"returned F1 confirms RET-7 [AM04]"}},
	{"a return seen twice", []line{{-10000, "B4", returned("F1", "AM04")}}, func(c *Candidates) { c.Lots[0].Items[0].Returned = true },
		[]string{"unmatched: F1 of remittance R1 block 1 of 2026-12-01: its return was recorded and seen on a statement already"}},
	{"a return of another amount", []line{{-9900, "B4", returned("F1", "")}}, nil,
		[]string{"unmatched: collections F1: 100.00 in all, the line debits 99.00"}},
	{"the CFONB code motif de rejet", []line{{-10000, "B3", all(e2e("F1"), func(e *statement.Entry) { e.ReturnReason = "64" })}}, nil,
		[]string{"returned F1 [64]"}},
	{"a return naming no EndToEndId", []line{{-10000, "B3", nil}}, nil,
		[]string{"unmatched: a returned direct debit that names no collection of remit's (no known EndToEndId): record it with remit returns"}},
	{"a debit naming a collection, code unknown", []line{{-10000, "", returned("F1", "MD06")}}, nil, []string{"returned F1 [MD06]"}},
	{"an unpaid LCR", []line{{-20000, "33", func(e *statement.Entry) { e.Label = "IMPAYE LCR-2026-00017 ECH 30/11" }}}, nil,
		[]string{"returned LCR-2026-00017"}},
	{"an unpaid LCR by its référence tireur", []line{{-20000, "33", func(e *statement.Entry) { e.Label = "IMPAYE 2026-00017 DUPONT" }}}, nil,
		[]string{"returned LCR-2026-00017"}},
	{"an unpaid LCR by neither", []line{{-20000, "33", func(e *statement.Entry) { e.Label = "IMPAYE LCR-2026-0 DUPONT" }}}, nil,
		[]string{"unmatched: an unpaid LCR of 200.00 that names none of remit's of that amount to bank BQ2"}},
	{"an unpaid LCR of another amount", []line{{-19000, "33", func(e *statement.Entry) { e.Label = "IMPAYE LCR-2026-00017" }}}, nil,
		[]string{"unmatched: an unpaid LCR of 190.00 that names none of remit's of that amount to bank BQ2"}},
	{"an unpaid cheque", []line{{-8000, "03", func(e *statement.Entry) { e.Number = "1234567" }}}, nil, []string{"returned F6"}},
	{"an unpaid cheque named in the label", []line{{-4000, "03", func(e *statement.Entry) { e.Label = "CHQ IMPAYE 7654" }}}, nil, []string{"returned F7"}},
	{"bank charges", []line{{-450, "62", nil}}, nil, []string{"fee"}},
	{"a credit under a debit code", []line{{500, "62", nil}}, nil,
		[]string{"unmatched: code 62 is usually a debit, not this entry; nothing else explains it → suspense"}},
	{"a transfer issued", []line{{-1000, "06", nil}}, nil, []string{"unmatched: a debit remit did not make"}},
	{"a pending entry", []line{{25000, "A1", func(e *statement.Entry) { e.Status = "PDNG" }}}, nil, []string{"not-booked"}},
	{"booked before the validated date", []line{{25000, "A1", func(e *statement.Entry) { e.BookingDate = date(2026, 11, 29) }}}, nil,
		[]string{"unmatched: booked on 2026-11-29, before the validated date 2026-11-30: no reconciliation before it (seed 003)"}},
	{"no amount", []line{{0, "A1", nil}}, nil, []string{"unmatched: no amount"}},
	{"two lines, one lot", []line{{25000, "A2", nil}, {25000, "A2", pmtInf("MSG1-1")}}, nil,
		[]string{"unmatched: lines 2 and 3 fit the same remittance R1 block 1 of 2026-12-01: which one is not for remit to guess → suspense",
			"unmatched: lines 2 and 3 fit the same remittance R1 block 1 of 2026-12-01: which one is not for remit to guess → suspense"}},
	{"a lot and one of its items", []line{{25000, "A2", nil}, {10000, "A2", e2e("F1")}}, nil,
		[]string{"unmatched: lines 2 and 3 fit the same F1 of remittance R1 block 1 of 2026-12-01: which one is not for remit to guess → suspense",
			"unmatched: lines 2 and 3 fit the same F1 of remittance R1 block 1 of 2026-12-01: which one is not for remit to guess → suspense"}},
	{"a lot credited and an item returned the same day", []line{{25000, "A2", nil}, {-10000, "B4", returned("F1", "AM04")}}, nil,
		[]string{lot11, "returned F1 [AM04]"}},
	{"one transfer, one invoice, twice", []line{{30000, "05", remittanceInfo("F9")}, {30000, "05", remittanceInfo("F9")}}, nil,
		[]string{"unmatched: lines 2 and 3 fit the same receivable F9: which one is not for remit to guess → suspense",
			"unmatched: lines 2 and 3 fit the same receivable F9: which one is not for remit to guess → suspense"}},
}

func TestReconcileLines(t *testing.T) {
	for _, tt := range lineCases {
		c := synthCandidates()
		if tt.cands != nil {
			tt.cands(&c)
		}
		st := synthStatement(tt.lines...)
		p, err := Reconcile(&st, bq2Validated(), c, ReconcileOptions{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := summaries(p); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestReconcileRefusals(t *testing.T) {
	good := func() statement.Statement { return synthStatement(line{25000, "A2", nil}) }
	key := KeyOf(ptr(good()))
	for _, tt := range []struct {
		name   string
		st     func(*statement.Statement)
		bank   func(*remit.Bank)
		opts   ReconcileOptions
		is     error
		errMsg string
	}{
		{name: "unbalanced", st: func(s *statement.Statement) { s.Closing.Amount++ }, is: statement.ErrUnbalanced},
		{name: "currency", st: func(s *statement.Statement) { s.Currency = "CHF" }, is: ErrCurrency,
			errMsg: "statement at line 1: currency CHF: not in euro"},
		{name: "another account", st: func(s *statement.Statement) { s.Account.IBAN = refIBAN }, is: ErrWrongBank,
			errMsg: "statement at line 1: account " + refIBAN + ": statement of another account than bank BQ2's (FR7610096000502468013579016)"},
		{name: "before the validated date", bank: func(b *remit.Bank) { b.BalanceDate = date(2026, 12, 2) }, is: ErrBeforeValidated,
			errMsg: "statement at line 1: closing balance of 2026-12-01: before the validated date: no reconciliation before it (seed 003) (bank BQ2 validated on 2026-12-02)"},
		{name: "imported", opts: ReconcileOptions{Imported: []Key{key}}, is: ErrImported},
		// Imported, then a later statement validated the bank: the same
		// statement again is still only that, not one before the date.
		{name: "imported before the validated date", opts: ReconcileOptions{Imported: []Key{key}},
			bank: func(b *remit.Bank) { b.BalanceDate = date(2026, 12, 17) }, is: ErrImported},
		{name: "overlap", opts: ReconcileOptions{Imported: []Key{{Account: key.Account, From: date(2026, 11, 25), Date: date(2026, 12, 1)}}}, is: ErrOverlap,
			errMsg: "statement of FR7610096000502468013579016 from 2026-12-01 to 2026-12-01: statement overlaps one already imported, from 2026-11-25 to 2026-12-01 (FR7610096000502468013579016/2026-12-01/"},
		{name: "overlap allowed", opts: ReconcileOptions{AllowOverlap: true, Imported: []Key{{Account: key.Account, From: date(2026, 11, 25), Date: date(2026, 12, 1)}}}},
		{name: "the day before imported", opts: ReconcileOptions{Imported: []Key{{Account: key.Account, From: date(2026, 11, 30), Date: date(2026, 11, 30)}}}},
		{name: "everything at once", st: func(s *statement.Statement) { s.Currency, s.Account.IBAN = "USD", refIBAN },
			bank: func(b *remit.Bank) { b.BalanceDate = date(2026, 12, 2) }, is: ErrBeforeValidated},
	} {
		st := good()
		if tt.st != nil {
			tt.st(&st)
		}
		b := bq2Validated()
		if tt.bank != nil {
			tt.bank(&b)
		}
		p, err := Reconcile(&st, b, synthCandidates(), tt.opts)
		switch {
		case tt.is == nil && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.is != nil && (!errors.Is(err, tt.is) || p != nil):
			t.Errorf("%s: %v, %+v", tt.name, err, p)
		case tt.errMsg != "" && !strings.HasPrefix(err.Error(), tt.errMsg):
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.errMsg)
		}
	}
	st := good()
	st.Currency, st.Account.IBAN = "USD", refIBAN
	_, err := Reconcile(&st, bq2Validated(), Candidates{}, ReconcileOptions{})
	if !errors.Is(err, ErrCurrency) || !errors.Is(err, ErrWrongBank) {
		t.Errorf("every problem at once: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestReconcileBalance(t *testing.T) {
	st := synthStatement(line{25000, "A2", nil}) // 1 000.00 + 250.00 on 1 December
	for _, tt := range []struct {
		name     string
		bank     func(*remit.Bank)
		update   bool
		warnings []string
	}{
		{"the day after the validated one", nil, true, nil},
		{"no validated balance yet", func(b *remit.Bank) { b.Balance, b.BalanceDate = 0, time.Time{} }, true, nil},
		{"validated by hand the same day, another amount", func(b *remit.Bank) { b.Balance, b.BalanceDate = 120000, date(2026, 12, 1) }, true,
			[]string{"closing balance 1250.00 of 2026-12-01 differs from the validated balance 1200.00 of that day: the statement's replaces it"}},
		{"a statement missing", func(b *remit.Bank) { b.Balance = 90000 }, true,
			[]string{"opening balance 1000.00 differs from the validated balance 900.00 of 2026-11-30: a statement missing in between, or a balance set by hand?"}},
	} {
		b := bq2Validated()
		if tt.bank != nil {
			tt.bank(&b)
		}
		p, err := Reconcile(&st, b, synthCandidates(), ReconcileOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if p.UpdateBalance != tt.update || p.Balance != 125000 || !p.BalanceDate.Equal(date(2026, 12, 1)) || !slices.Equal(p.Warnings, tt.warnings) {
			t.Errorf("%s: update %v balance %d on %s warnings %q", tt.name, p.UpdateBalance, p.Balance, p.BalanceDate, p.Warnings)
		}
	}
}

// TestReconcileCandidateOrder: the plan does not depend on the order in
// which the store gives the candidates.
func TestReconcileCandidateOrder(t *testing.T) {
	st := synthStatement(line{25000, "A2", nil}, line{7000, "A1", e2e("F4")}, line{20000, "35", nil}, line{30000, "05", remittanceInfo("F9")},
		line{-10000, "B4", returned("F1", "AM04")}, line{12000, "02", nil}, line{20000, "37", nil})
	c := synthCandidates()
	c.Lots = append(c.Lots, Lot{Bank: "BQ2", Remittance: "L2", Op: remit.OpLCR, Date: date(2026, 12, 1), Total: 20000, BatchBooking: true})
	c.Returns = []PendingReturn{{Ref: "RET-1", EndToEndID: "F1", Amount: 10000}}
	want, err := Reconcile(&st, bq2Validated(), c, ReconcileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := synthCandidates()
	r.Lots = append(r.Lots, Lot{Bank: "BQ2", Remittance: "L2", Op: remit.OpLCR, Date: date(2026, 12, 1), Total: 20000, BatchBooking: true})
	r.Returns = []PendingReturn{{Ref: "RET-1", EndToEndID: "F1", Amount: 10000}}
	slices.Reverse(r.Lots)
	slices.Reverse(r.Receivables)
	got, err := Reconcile(&st, bq2Validated(), r, ReconcileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("candidates reversed:\n%q\n%q", summaries(got), summaries(want))
	}
}

// TestReconcileWrittenFiles: the synthetic day written as a CFONB 120 file
// and as camt.053 messages, read back, is reconciled the same way.
func TestReconcileWrittenFiles(t *testing.T) {
	c := Candidates{
		Lots: []Lot{{Bank: "BQ2", Remittance: "R000002", Block: 1, Op: remit.OpSDD, MsgID: "REMIT-MSG-20261128-02", PmtInfID: "REMIT-2026-0000002",
			Date: date(2026, 12, 1), Total: 25000, BatchBooking: true,
			Items: []Item{{Document: "F2026-0051", EndToEndID: "F2026-0051", Amount: 10000}, {Document: "F2026-0052", EndToEndID: "F2026-0052", Amount: 15000}}}},
		Receivables: []Receivable{{Document: "F2026-0077", Customer: "411LEBLANC", Status: remit.StatusOpen, Open: 30000}},
	}
	want := []string{"lot R000002/1 2026-12-01 250.00", "returned F2026-0051", "paid F2026-0077", "fee"}
	camt := dayStatement()
	camt.ID, camt.Opening.Date = "BQ2-20261201", date(2026, 12, 1)
	for _, tt := range []struct {
		name string
		st   statement.Statement
	}{
		{"CFONB 120", readCFONB(t, writeCFONB(t, dayStatement()))},
		{"camt.053.001.02", readCamt(t, writeCamt(t, statement.Camt053V02, camt))},
		{"camt.053.001.08", readCamt(t, writeCamt(t, statement.Camt053V08, camt))},
	} {
		p, err := Reconcile(&tt.st, bq2Validated(), c, ReconcileOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := summaries(p); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, want)
		}
		// The same statement again, from either file, changes nothing.
		if _, err := Reconcile(&tt.st, bq2Validated(), c, ReconcileOptions{Imported: []Key{KeyOf(ptr(dayStatement()))}}); !errors.Is(err, ErrImported) {
			t.Errorf("%s imported again: %v", tt.name, err)
		}
	}
}

func TestLotsByDate(t *testing.T) {
	base := Lot{Bank: "BQ1", Remittance: "L9", Op: remit.OpLCR, BatchBooking: true, Total: 999, Items: []Item{{Document: "X"}}}
	items := []Item{{Document: "A", Amount: 100}, {Document: "B", Amount: 200}, {Document: "C", Amount: 400}, {Document: "D", Amount: 800}}
	dates := []time.Time{date(2026, 12, 31), date(2026, 12, 10), time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC), date(2026, 12, 10)}
	lots := LotsByDate(base, items, dates)
	if len(lots) != 2 {
		t.Fatalf("%+v", lots)
	}
	for i, want := range []struct {
		date  time.Time
		total int64
		docs  string
	}{{date(2026, 12, 10), 1000, "B D"}, {date(2026, 12, 31), 500, "A C"}} {
		l := lots[i]
		var docs []string
		for _, it := range l.Items {
			docs = append(docs, it.Document)
		}
		if !l.Date.Equal(want.date) || l.Total != want.total || strings.Join(docs, " ") != want.docs || l.Bank != "BQ1" || l.Remittance != "L9" ||
			l.Op != remit.OpLCR || !l.BatchBooking {
			t.Errorf("lot %d: %+v", i, l)
		}
	}
	if len(base.Items) != 1 || base.Total != 999 {
		t.Error("base changed")
	}
	if LotsByDate(base, nil, nil) != nil {
		t.Error("no items, lots")
	}
}
