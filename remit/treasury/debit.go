package treasury

import (
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// debit decides what a debit is: bank charges, collections returned
// (named by their EndToEndIds), an unpaid LCR (naming its document) or
// cheque (its number); else a debit remit did not make, listed unmatched.
func (m *matcher) debit(e *statement.Entry, cls class, mt *Match) []claim {
	if cls.role == roleFee {
		mt.Outcome = BankFee
		return nil
	}
	returned := cls.role == roleReturned
	if refs := refsOf(e); len(refs.e2e) > 0 && (returned || cls.role == roleUnknown) {
		if claims, done := m.returnItems(e, mt, refs.e2e); done {
			return claims
		}
	}
	switch {
	case returned && cls.has(remit.OpLCR):
		return m.returnNamed(e, mt, "an unpaid LCR", m.byDoc, tokens(e))
	case returned && cls.has(remit.OpCheque):
		return m.returnNamed(e, mt, "an unpaid cheque", m.byCheque, chequeNumbers(e))
	case returned && cls.has(remit.OpSDD):
		return unmatched(mt, "a returned direct debit that names no collection of remit's (no known EndToEndId): record it with remit returns")
	case cls.note != "":
		return unmatched(mt, "%s; a debit remit did not make", cls.note)
	}
	return unmatched(mt, "a debit remit did not make")
}

// returnItems matches a debit naming EndToEndIds to those collections
// returned. done is false when none of them is remit's.
func (m *matcher) returnItems(e *statement.Entry, mt *Match, e2es []string) (claims []claim, done bool) {
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
	for _, r := range refs {
		sum += r.item.Amount
	}
	if sum != -mt.Amount {
		return unmatched(mt, "collections %s: %s in all, the line debits %s", strings.Join(e2es, ", "), statement.Format(sum), statement.Format(-mt.Amount)), true
	}
	return m.returned(e, mt, refs, func(r itemRef) []*PendingReturn { return m.pendingByE2E[r.item.EndToEndID] }), true
}

// returnNamed matches a debit to the one item of index whose key is among
// keys and whose amount it debits.
func (m *matcher) returnNamed(e *statement.Entry, mt *Match, what string, index map[string][]itemRef, keys []string) []claim {
	var found []itemRef
	seen := map[*Item]bool{}
	for _, k := range keys {
		for _, r := range index[k] {
			if r.item.Amount == -mt.Amount && !seen[r.item] {
				seen[r.item] = true
				found = append(found, r)
			}
		}
	}
	switch len(found) {
	case 0:
		return unmatched(mt, "%s of %s that names none of remit's of that amount to bank %s", what, statement.Format(-mt.Amount), m.bank.Code)
	case 1:
		return m.returned(e, mt, found, func(r itemRef) []*PendingReturn { return m.pendingByDoc[r.item.Document] })
	}
	list := make([]string, len(found))
	for i, r := range found {
		list[i] = r.name()
	}
	return unmatched(mt, "%s that fits %s: which one is not for remit to guess", what, strings.Join(list, " and "))
}

// returned makes mt the return of refs, each confirming the return
// recorded for it if there is one.
func (m *matcher) returned(e *statement.Entry, mt *Match, refs []itemRef, pending func(itemRef) []*PendingReturn) []claim {
	var claims []claim
	var targets []Target
	for _, r := range refs {
		t := itemTarget(r)
		var fit []*PendingReturn
		for _, p := range pending(r) {
			if p.Amount == r.item.Amount && (p.Remittance == "" || p.Remittance == r.lot.Remittance) {
				fit = append(fit, p)
			}
		}
		switch {
		case len(fit) > 1:
			return unmatched(mt, "%s: %d returns of it recorded and not yet seen on a statement", r.name(), len(fit))
		case len(fit) == 1:
			t.Return = fit[0].Ref
		case r.item.Returned:
			return unmatched(mt, "%s: its return was recorded and seen on a statement already", r.name())
		case r.item.Rejected:
			return unmatched(mt, "%s: rejected before settlement, yet debited: ask the bank", r.name())
		}
		targets = append(targets, t)
		claims = append(claims, claim{id: "return:" + r.key(), what: r.name()})
	}
	mt.Outcome, mt.Targets, mt.ReturnReason = Returned, targets, returnReason(e)
	return claims
}

// returnReason is a return's reason code: the first camt.053 RtrInf
// reason of the entry's details, else the CFONB 120 code motif de rejet.
func returnReason(e *statement.Entry) string {
	for _, d := range e.Details {
		if r := strings.TrimSpace(d.ReturnReason); r != "" {
			return r
		}
	}
	return strings.TrimSpace(e.ReturnReason)
}

// chequeNumbers are the numbers an entry may give its cheque by, leading
// zeros removed: the numéro d'écriture, camt.053's ChqNb, the numbers of
// its texts.
func chequeNumbers(e *statement.Entry) []string {
	s := set{}
	s.add(trimZeros(e.Number))
	for _, d := range e.Details {
		s.add(trimZeros(d.ChequeNumber))
	}
	for _, t := range tokens(e) {
		if strings.Trim(t, "0123456789") == "" {
			s.add(trimZeros(t))
		}
	}
	return s.sorted()
}
