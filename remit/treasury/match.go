package treasury

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// matcher holds the candidates of one bank, indexed by what statements
// name them by.
type matcher struct {
	st   *statement.Statement
	bank remit.Bank
	win  Window

	lots     []*Lot
	byPmtInf map[string][]*Lot
	byMsg    map[string][]*Lot
	byE2E    map[string][]itemRef // SDD items by EndToEndId
	byDoc    map[string][]itemRef // LCR items by document and by the référence tireur their file carried, upper case
	byCheque map[string][]itemRef // cheques by number, leading zeros removed

	// lots' expected amounts and items credited on their own, once each
	// (a statement of a line per collection asks for them per line).
	exp      map[*Lot]int64
	credited map[*Lot]string

	pendingByE2E map[string][]*PendingReturn
	pendingByDoc map[string][]*PendingReturn
	receivables  map[string][]*Receivable // by document, upper case
}

// itemRef is an item and its lot.
type itemRef struct {
	lot  *Lot
	item *Item
	idx  int // the item's index in its lot
}

// expected is what the bank credits for lot l (Lot.expected), and
// itemCredited the document of an item of it credited on its own.
func (m *matcher) expected(l *Lot) int64      { return m.exp[l] }
func (m *matcher) itemCredited(l *Lot) string { return m.credited[l] }

func (r itemRef) key() string { return r.lot.key() + "#" + fmt.Sprint(r.idx) }

// claim is a candidate a line was matched to, and in what role: two lines
// claiming the same are both unmatched.
type claim struct {
	id   string // role and candidate
	what string // the candidate, for the reason
}

func newMatcher(st *statement.Statement, b remit.Bank, c Candidates, w Window) *matcher {
	m := &matcher{st: st, bank: b, win: w, byPmtInf: map[string][]*Lot{}, byMsg: map[string][]*Lot{},
		byE2E: map[string][]itemRef{}, byDoc: map[string][]itemRef{}, byCheque: map[string][]itemRef{},
		pendingByE2E: map[string][]*PendingReturn{}, pendingByDoc: map[string][]*PendingReturn{}, receivables: map[string][]*Receivable{}}
	for i := range c.Lots {
		if l := &c.Lots[i]; l.Bank == "" || strings.EqualFold(l.Bank, b.Code) {
			m.lots = append(m.lots, l)
		}
	}
	slices.SortStableFunc(m.lots, compareLots)
	m.exp, m.credited = make(map[*Lot]int64, len(m.lots)), make(map[*Lot]string, len(m.lots))
	for _, l := range m.lots {
		m.exp[l], m.credited[l] = l.expected(), l.itemCredited()
		if l.PmtInfID != "" {
			m.byPmtInf[l.PmtInfID] = append(m.byPmtInf[l.PmtInfID], l)
		}
		if l.MsgID != "" {
			m.byMsg[l.MsgID] = append(m.byMsg[l.MsgID], l)
		}
		for j := range l.Items {
			m.indexItem(itemRef{lot: l, item: &l.Items[j], idx: j})
		}
	}
	for i := range c.Returns {
		r := &c.Returns[i]
		if r.EndToEndID != "" {
			m.pendingByE2E[r.EndToEndID] = append(m.pendingByE2E[r.EndToEndID], r)
		}
		if r.Document != "" {
			m.pendingByDoc[r.Document] = append(m.pendingByDoc[r.Document], r)
		}
	}
	for i := range c.Receivables {
		r := &c.Receivables[i]
		if d := strings.ToUpper(strings.TrimSpace(r.Document)); d != "" {
			m.receivables[d] = append(m.receivables[d], r)
		}
	}
	return m
}

func (m *matcher) indexItem(r itemRef) {
	it := r.item
	switch r.lot.Op {
	case remit.OpSDD:
		if it.EndToEndID != "" {
			m.byE2E[it.EndToEndID] = append(m.byE2E[it.EndToEndID], r)
		}
	case remit.OpLCR:
		doc := strings.ToUpper(strings.TrimSpace(it.Document))
		if doc != "" {
			m.byDoc[doc] = append(m.byDoc[doc], r)
		}
		if ref := strings.ToUpper(strings.TrimSpace(it.Reference)); ref != "" && ref != doc {
			m.byDoc[ref] = append(m.byDoc[ref], r)
		}
	case remit.OpCheque:
		if n := trimZeros(it.ChequeNumber); n != "" {
			m.byCheque[n] = append(m.byCheque[n], r)
		}
	}
}

func compareLots(a, b *Lot) int {
	return cmp.Or(strings.Compare(a.Remittance, b.Remittance), cmp.Compare(a.Block, b.Block), a.Date.Compare(b.Date),
		strings.Compare(string(a.Op), string(b.Op)), cmp.Compare(a.Total, b.Total))
}

func sortLots(lots []Lot) {
	slices.SortStableFunc(lots, func(a, b Lot) int { return compareLots(&a, &b) })
}

// entry decides what entry i is.
func (m *matcher) entry(i int) (Match, []claim) {
	e := &m.st.Entries[i]
	mt := Match{Index: i, Line: e.Line, Amount: e.Amount, Booked: bookedOn(m.st, e), ValueDate: day(e.ValueDate)}
	switch {
	case !e.Booked():
		mt.Outcome, mt.Reason = NotBooked, fmt.Sprintf("status %s: not booked, not reconciled", e.Status)
		return mt, nil
	case !m.bank.BalanceDate.IsZero() && mt.Booked.Before(day(m.bank.BalanceDate)):
		mt.Outcome, mt.Reason = Unmatched, fmt.Sprintf("booked on %s, before the validated date %s: no reconciliation before it (seed 003)",
			formatDay(mt.Booked), formatDay(m.bank.BalanceDate))
		return mt, nil
	case e.Amount == 0:
		mt.Outcome, mt.Reason = Unmatched, "no amount"
		return mt, nil
	}
	cls := classify(m.st, e)
	if len(cls.ops) == 1 {
		mt.Op = cls.ops[0]
	}
	var claims []claim
	if e.Amount > 0 {
		claims = m.credit(e, cls, &mt)
		mt.Suspense = mt.Outcome == Unmatched
	} else {
		claims = m.debit(e, cls, &mt)
	}
	return mt, claims
}

// unmatched makes mt an unmatched line for the reason given.
func unmatched(mt *Match, format string, args ...any) []claim {
	mt.Outcome, mt.Targets, mt.Reason = Unmatched, nil, fmt.Sprintf(format, args...)
	return nil
}

// entryRefs are the references an entry gives.
type entryRefs struct {
	pmtInf, msg, e2e []string
	number           string // CFONB 120 numéro d'écriture without its leading zeros
}

func refsOf(e *statement.Entry) entryRefs {
	pmt, msg, e2e := set{}, set{}, set{}
	pmt.add(e.Batch.PmtInfID)
	msg.add(e.Batch.MsgID)
	for _, d := range e.Details {
		pmt.add(d.PmtInfID)
		msg.add(d.MsgID)
		if !strings.EqualFold(d.EndToEndID, "NOTPROVIDED") {
			e2e.add(d.EndToEndID)
		}
	}
	return entryRefs{pmtInf: pmt.sorted(), msg: msg.sorted(), e2e: e2e.sorted(), number: trimZeros(e.Number)}
}

// set is a set of non-blank strings.
type set map[string]bool

func (s set) add(v string) {
	if v = strings.TrimSpace(v); v != "" {
		s[v] = true
	}
}

func (s set) sorted() []string { return slices.Sorted(maps.Keys(s)) }

// tokens are the words of every text of an entry, in upper case: what a
// payer writes (remittance information, references) and what the bank
// writes (label, complements), split on anything but letters, digits and
// - / _ . (trimmed from their ends).
func tokens(e *statement.Entry) []string {
	s := set{}
	add := func(text string) {
		for f := range strings.FieldsFuncSeq(strings.ToUpper(text), func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/' || r == '_' || r == '.' || r > 0x7f)
		}) {
			s.add(strings.Trim(f, "-/_."))
		}
	}
	add(e.Label)
	add(e.Ref)
	for _, t := range e.Info {
		add(t)
	}
	for _, c := range e.Extra {
		add(c.Text)
	}
	for _, d := range e.Details {
		for _, t := range append([]string{d.EndToEndID, d.InstrID, d.CreditorRef, d.Purpose, d.ChequeNumber}, d.Remittance...) {
			add(t)
		}
	}
	return s.sorted()
}

// trimZeros removes the leading zeros of a number; "" for zeros or blanks.
func trimZeros(s string) string { return strings.TrimLeft(strings.TrimSpace(s), "0") }

// lineDate is the date a line is compared with a lot's: its value date,
// else its date de constatation.
func lineDate(mt *Match) time.Time {
	if !mt.ValueDate.IsZero() {
		return mt.ValueDate
	}
	return mt.Booked
}

// inWindow reports whether a line of date d may credit lot l, and if not
// why.
func (m *matcher) inWindow(l *Lot, d time.Time) (string, bool) {
	expected := ExpectedValueDate(m.bank, l.Op, l.Date)
	lo, hi := day(l.Date).AddDate(0, 0, -m.win.Before), expected.AddDate(0, 0, m.win.After)
	if d.Before(lo) || d.After(hi) {
		return fmt.Sprintf("%s is expected on %s (%d value days), credited from %s to %s, not on %s",
			l.name(), formatDay(expected), m.bank.ValueDays.Of(l.Op), formatDay(lo), formatDay(hi), formatDay(d)), false
	}
	return "", true
}

// lotClaims are the claims of a line crediting lot l as a whole.
func lotClaims(l *Lot) []claim {
	c := []claim{{id: "credit:" + l.key(), what: l.name()}}
	for j := range l.Items {
		r := itemRef{lot: l, item: &l.Items[j], idx: j}
		c = append(c, claim{id: "credit:" + r.key(), what: l.name()})
	}
	return c
}

func (m *matcher) lotTarget(l *Lot) Target {
	return Target{Remittance: l.Remittance, Block: l.Block, Date: day(l.Date), Amount: m.expected(l)}
}

func itemTarget(r itemRef) Target {
	return Target{Remittance: r.lot.Remittance, Block: r.lot.Block, Date: day(r.lot.Date), Document: r.item.Document,
		EndToEndID: r.item.EndToEndID, Amount: r.item.Amount}
}

func (r itemRef) name() string {
	id := r.item.Document
	if r.item.EndToEndID != "" && r.item.EndToEndID != id {
		id += " (" + r.item.EndToEndID + ")"
	}
	return id + " of " + r.lot.name()
}

func names(lots []*Lot) string {
	s := make([]string, len(lots))
	for i, l := range lots {
		s[i] = l.name()
	}
	return strings.Join(s, ", ")
}

// resolveConflicts unmatches the lines that claim a candidate another
// line claims too: which of them is right is not remit's to guess.
func resolveConflicts(ms []Match, claims [][]claim) {
	owners := map[string][]int{}
	what := map[string]string{}
	for i, cs := range claims {
		for _, c := range cs {
			if o := owners[c.id]; len(o) == 0 || o[len(o)-1] != i {
				owners[c.id] = append(o, i)
			}
			what[c.id] = c.what
		}
	}
	reasons := map[int]string{}
	for _, id := range slices.Sorted(maps.Keys(owners)) {
		o := owners[id]
		if len(o) < 2 {
			continue
		}
		lines := make([]string, len(o))
		for k, i := range o {
			lines[k] = fmt.Sprint(ms[i].Line)
		}
		text := strings.Join(lines[:len(lines)-1], ", ") + " and " + lines[len(lines)-1]
		for _, i := range o {
			if _, done := reasons[i]; !done {
				reasons[i] = fmt.Sprintf("lines %s fit the same %s: which one is not for remit to guess", text, what[id])
			}
		}
	}
	for i, r := range reasons {
		unmatched(&ms[i], "%s", r)
		ms[i].Suspense = ms[i].Amount > 0
	}
}
