package treasury

import (
	"fmt"
	"slices"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// credit decides what a credit is: a lot named by its PmtInfId or MsgId,
// items named by their EndToEndIds, receivables named by their documents,
// or, when its code says it credits remittances of a type, the one lot of
// that type its amount and date fit.
func (m *matcher) credit(e *statement.Entry, cls class, mt *Match) []claim {
	refs := refsOf(e)
	collection := cls.role == roleCredit && cls.has(remit.OpSDD)
	if found := m.lotsNamed(refs.pmtInf, m.byPmtInf); len(found) > 0 || (collection && len(refs.pmtInf) > 0) {
		return m.creditLots(mt, found, "payment block "+strings.Join(refs.pmtInf, ", "))
	}
	if found := m.lotsNamed(refs.msg, m.byMsg); len(found) > 0 {
		return m.creditMessage(mt, found, refs.msg)
	}
	if len(refs.e2e) > 0 {
		if claims, done := m.creditItems(mt, refs.e2e); done {
			return claims
		}
	}
	if cls.role != roleCredit || cls.has(remit.OpTransfer) || cls.has(remit.OpCash) || cls.has(remit.OpCard) {
		if claims, done := m.payReceivables(e, mt); done {
			return claims
		}
	}
	if cls.role == roleCredit && (cls.has(remit.OpSDD) || cls.has(remit.OpLCR) || cls.has(remit.OpCheque)) {
		return m.creditByAmount(cls, mt, refs.number)
	}
	if cls.note != "" {
		return unmatched(mt, "%s; nothing else explains it", cls.note)
	}
	return unmatched(mt, "no remittance, cheque deposit or open receivable of remit's explains it")
}

// lotsNamed returns the lots indexed under any of refs.
func (m *matcher) lotsNamed(refs []string, index map[string][]*Lot) []*Lot {
	var out []*Lot
	for _, r := range refs {
		out = append(out, index[r]...)
	}
	return out
}

// creditLots matches a credit to the lots found by reference: all of them
// open, their expected amounts adding up to the line, its date in each
// one's window.
func (m *matcher) creditLots(mt *Match, found []*Lot, what string) []claim {
	if len(found) == 0 {
		return unmatched(mt, "%s: none of remit's remittances to bank %s", what, m.bank.Code)
	}
	var sum int64
	for _, l := range found {
		if l.Credited {
			return unmatched(mt, "%s: credited already, on an earlier statement", l.name())
		}
		if doc := m.itemCredited(l); doc != "" {
			return unmatched(mt, "%s: %s of it was credited on its own already", l.name(), doc)
		}
		sum += m.expected(l)
	}
	if sum != mt.Amount {
		return unmatched(mt, "%s: remit expects %s, the line credits %s", names(found), statement.Format(sum), statement.Format(mt.Amount))
	}
	var claims []claim
	for _, l := range found {
		if why, ok := m.inWindow(l, lineDate(mt)); !ok {
			return unmatched(mt, "%s", why)
		}
		mt.Targets = append(mt.Targets, m.lotTarget(l))
		claims = append(claims, lotClaims(l)...)
	}
	mt.Outcome = LotCredited
	return claims
}

// creditMessage matches a credit naming pain.008 messages but no block:
// the one open block of theirs its amount fits, or all of their open
// blocks together.
func (m *matcher) creditMessage(mt *Match, found []*Lot, msgs []string) []claim {
	var fit, open []*Lot
	var sum int64
	for _, l := range found {
		if l.Credited {
			continue
		}
		open = append(open, l)
		sum += m.expected(l)
		if m.expected(l) == mt.Amount {
			fit = append(fit, l)
		}
	}
	switch {
	case len(fit) == 1:
		return m.creditLots(mt, fit, "")
	case len(fit) > 1:
		return unmatched(mt, "message %s: %s all credit %s", strings.Join(msgs, ", "), names(fit), statement.Format(mt.Amount))
	case len(open) > 0 && sum == mt.Amount:
		return m.creditLots(mt, open, "")
	}
	return unmatched(mt, "message %s: no open block of it, nor all of them, credits %s", strings.Join(msgs, ", "), statement.Format(mt.Amount))
}

// creditItems matches a credit naming EndToEndIds to those SDD items: each
// named once among remit's, none credited or rejected yet, their amounts
// adding up to the line. done is false when none of them is remit's (a
// transfer whose EndToEndId the payer chose).
func (m *matcher) creditItems(mt *Match, e2es []string) (claims []claim, done bool) {
	var refs []itemRef
	var missing []string
	for _, id := range e2es {
		switch found := m.byE2E[id]; len(found) {
		case 0:
			missing = append(missing, id)
		case 1:
			refs = append(refs, found[0])
		default:
			return unmatched(mt, "EndToEndId %s is that of %d collections of remit's", id, len(found)), true
		}
	}
	if len(refs) == 0 {
		return nil, false
	}
	if len(missing) > 0 {
		return unmatched(mt, "EndToEndIds %s are not remit's, %s is", strings.Join(missing, ", "), refs[0].item.EndToEndID), true
	}
	var sum int64
	lots := map[*Lot]int{}
	for _, r := range refs {
		switch {
		case r.lot.Credited || r.item.Credited:
			return unmatched(mt, "%s: credited already, on an earlier statement", r.name()), true
		case r.item.Rejected:
			return unmatched(mt, "%s: rejected before settlement, the bank did not collect it", r.name()), true
		}
		if why, ok := m.inWindow(r.lot, lineDate(mt)); !ok {
			return unmatched(mt, "%s", why), true
		}
		sum += r.item.Amount
		lots[r.lot]++
	}
	if sum != mt.Amount {
		return unmatched(mt, "collections %s: %s in all, the line credits %s", strings.Join(e2es, ", "), statement.Format(sum), statement.Format(mt.Amount)), true
	}
	if len(lots) == 1 && m.expected(refs[0].lot) == sum {
		mt.Outcome, mt.Targets = LotCredited, []Target{m.lotTarget(refs[0].lot)} // every item of its lot: the lot, detailed
		return lotClaims(refs[0].lot), true
	}
	mt.Outcome = ItemsCredited
	for _, r := range refs {
		mt.Targets = append(mt.Targets, itemTarget(r))
		claims = append(claims, claim{id: "credit:" + r.key(), what: r.name()})
	}
	return claims, true
}

// payReceivables matches a credit naming documents of open receivables
// whose open amounts add up to it. done is false when it names none.
func (m *matcher) payReceivables(e *statement.Entry, mt *Match) (claims []claim, done bool) {
	var named []*Receivable
	for _, t := range tokens(e) {
		named = append(named, m.receivables[t]...)
	}
	if len(named) == 0 {
		return nil, false
	}
	var sum int64
	var list []string
	for _, r := range named {
		switch r.Status {
		case remit.StatusOpen, remit.StatusPointed, remit.StatusRejected:
		default:
			return unmatched(mt, "names %s, which is %s: a second payment? allocate it by hand from the suspense account", r.Document, statusText(r.Status)), true
		}
		sum += r.Open
		list = append(list, fmt.Sprintf("%s (open %s)", r.Document, statement.Format(r.Open)))
	}
	if sum != mt.Amount {
		return unmatched(mt, "names %s, %s in all, but credits %s: allocate it from the suspense account",
			strings.Join(list, ", "), statement.Format(sum), statement.Format(mt.Amount)), true
	}
	mt.Outcome = ReceivablesPaid
	for _, r := range named {
		mt.Targets = append(mt.Targets, Target{Document: r.Document, Amount: r.Open})
		claims = append(claims, claim{id: "paid:" + strings.ToUpper(r.Document), what: "receivable " + r.Document})
	}
	return claims, true
}

func statusText(s string) string {
	switch s {
	case remit.StatusRemitted:
		return "in a remittance not yet collected"
	case remit.StatusPaid:
		return "paid already"
	case StatusWrittenOff:
		return "written off"
	}
	return s
}

// creditByAmount matches a credit whose code says what it credits, but
// not which, to the one open lot of such a type booked in one line whose
// amount it is and whose window holds its date. Among several, the one
// whose number is the line's numéro d'écriture.
func (m *matcher) creditByAmount(cls class, mt *Match, number string) []claim {
	var fit []*Lot
	for _, l := range m.lots {
		if !cls.has(l.Op) || l.Credited || !l.BatchBooking || m.expected(l) != mt.Amount || m.itemCredited(l) != "" {
			continue
		}
		if _, ok := m.inWindow(l, lineDate(mt)); ok {
			fit = append(fit, l)
		}
	}
	if len(fit) > 1 && number != "" {
		if n := slices.DeleteFunc(slices.Clone(fit), func(l *Lot) bool { return !l.numbered(number) }); len(n) == 1 {
			fit = n
		}
	}
	switch len(fit) {
	case 0:
		return unmatched(mt, "code %s: no %s remittance of remit's to bank %s of %s around %s", cls.code, opsText(cls.ops),
			m.bank.Code, statement.Format(mt.Amount), formatDay(lineDate(mt)))
	case 1:
		return m.creditLots(mt, fit, "")
	}
	return unmatched(mt, "%s all credit %s: which one is not for remit to guess", names(fit), statement.Format(mt.Amount))
}

// numbered reports whether a numéro d'écriture (without leading zeros)
// names the lot: its remise number, or the last 7 characters of its
// PmtInfId when they are digits (CFONB120.md §6).
func (l *Lot) numbered(number string) bool {
	if trimZeros(l.Number) == number {
		return true
	}
	p := l.PmtInfID
	if len(p) < 7 {
		return false
	}
	tail := p[len(p)-7:]
	return strings.Trim(tail, "0123456789") == "" && trimZeros(tail) == number
}

func opsText(ops []remit.BankOperation) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, " or ")
}
