package payables

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Group is one payment: a transfer or a cheque that settles one or more
// payables of one payee, its credit notes netted (seed 002: "plutôt que
// d'envoyer deux chèques au fournisseur SUN Chemical, pourquoi ne pas
// regrouper les montants et lui envoyer qu'un seul chèque"). A group of
// one payable is a plain payment.
type Group struct {
	Method   Method
	Currency string
	// Payee is the account paid: the supplier, or the parent account
	// (centrale) when the group spans several suppliers.
	Payee   string
	Name    string
	Address remit.Address
	IBAN    string // the one account a transfer credits; "" for a cheque
	BIC     string
	Journal string // the bank the payables name, "" when they name none or several
	Manual  bool   // made by remit payables group, not by the automatic rule
	Members []Payable

	// Set by Settle, for the payment's execution date.
	Due       time.Time // the earliest due date of the members
	Date      time.Time // execution date (transfer) or date of the cheque
	Discounts []Taken   // the discounts taken at Date
	Total     int64     // Σ of the members' amounts: invoices less credit notes
	Discount  int64     // Σ of the discounts taken
	Net       int64     // Total − Discount: the amount paid
}

// Documents lists the members' document numbers.
func (g Group) Documents() []string {
	out := make([]string, len(g.Members))
	for i, p := range g.Members {
		out[i] = p.Document
	}
	return out
}

// PayeeLookup returns the name and address of an account, for a group that
// pays a parent account (centrale) on behalf of several suppliers; ok is
// false when the account is not known.
type PayeeLookup func(account string) (name string, addr remit.Address, ok bool)

// ErrGroup means payables cannot form one payment; the message says why.
var ErrGroup = errors.New("cannot be grouped")

// newGroup makes the group of members, which share a method, a currency,
// a payee and (transfer) an IBAN: the payee's details are those of its
// most recent document, or, for a parent account paid for several
// suppliers, the lookup's, else those of the parent's own payables.
func newGroup(members []Payable, manual bool, lookup PayeeLookup) (Group, error) {
	first := members[0]
	g := Group{Method: first.Method, Currency: first.Currency, Payee: first.Supplier, Manual: manual,
		Members: slices.Clone(members)}
	slices.SortStableFunc(g.Members, func(a, b Payable) int { return strings.Compare(a.Document, b.Document) })
	newest := g.Members[0]
	journals := map[string]bool{}
	several := false
	for _, p := range g.Members {
		several = several || p.Supplier != first.Supplier
		if p.Journal != "" {
			journals[p.Journal] = true
		}
		if newer(p, newest) {
			newest = p
		}
	}
	if len(journals) == 1 {
		for j := range journals {
			g.Journal = j
		}
	}
	g.Name, g.Address = newest.Name, newest.Address
	if methodRules[g.Method].account {
		g.IBAN, g.BIC = newest.IBAN, newest.BIC
	}
	if !several {
		return g, nil
	}
	// Several suppliers: the parent is paid, under its own name.
	g.Payee = payeeKey(first, SameParent)
	if lookup != nil {
		if name, addr, ok := lookup(g.Payee); ok {
			g.Name, g.Address = name, addr
			return g, nil
		}
	}
	for _, p := range g.Members {
		if p.Supplier == g.Payee {
			g.Name, g.Address = p.Name, p.Address
			return g, nil
		}
	}
	return g, fmt.Errorf("%w: the parent account %s is paid for several suppliers, but its name is not known "+
		"(import a payable of %s, or record it as a supplier)", ErrGroup, g.Payee, g.Payee)
}

// NewGroup makes the group of payables already known to form one payment
// (a group pointing or remit payables group formed, read back from the
// store): the payee's details are those of the most recent document, or
// the parent's for a group of several suppliers. It checks nothing else
// (CheckGroup does); an error says the parent cannot be named.
func NewGroup(members []Payable, manual bool, lookup PayeeLookup) (Group, error) {
	if len(members) == 0 {
		return Group{}, fmt.Errorf("%w: no payable", ErrGroup)
	}
	return newGroup(members, manual, lookup)
}

// newer reports whether a is a more recent document than b: issued later,
// else due later, else a later document number.
func newer(a, b Payable) bool {
	if !a.Issue.Equal(b.Issue) {
		return a.Issue.After(b.Issue)
	}
	if !a.Due.Equal(b.Due) {
		return a.Due.After(b.Due)
	}
	return a.Document > b.Document
}

// payeeKey is the account a payable's payment may go to under party: its
// supplier, or its parent when the rule groups by parent.
func payeeKey(p Payable, party Party) string {
	if party == SameParent && p.Parent != "" {
		return p.Parent
	}
	return p.Supplier
}

// AutoGroup forms the automatic groups of payables being pointed (seed
// 002: "Le regroupement automatique est effectué par le programme lorsqu'un
// effet passe de l'étape 1 « Effets à payer » à l'étape 2 « Règlements
// préparés »"). Payables governed by the same active automatic rule, with
// the same method, currency, payee under the rule's party, IBAN (transfer)
// and, if the rule says so, bank, are grouped; the due-date limit then cuts
// them, by due date, into runs: a run starts at its earliest due date and
// takes each next payable due at most Within days after it. Every other
// payable is a group of its own. Groups come out in a stable order (payee,
// earliest due date, first document); a group whose payee cannot be named
// is returned in problems, its payables each paid alone instead.
func AutoGroup(ps []Payable, rules Rules, lookup PayeeLookup) (groups []Group, problems []error) {
	type bucket struct {
		rule    Rule
		members []Payable
	}
	buckets := map[string]*bucket{}
	var order []string
	for i, p := range ps {
		rule, ok := rules.For(false, p)
		key := fmt.Sprintf("single\x00%d", i)
		if ok && rule.Active {
			key = strings.Join([]string{rule.key(), string(p.Method), p.Currency, payeeKey(p, rule.party())}, "\x00")
			if methodRules[p.Method].account {
				key += "\x00" + p.IBAN
			}
			if rule.SameBank {
				key += "\x00" + p.Journal
			}
		}
		b := buckets[key]
		if b == nil {
			b = &bucket{rule: rule}
			buckets[key] = b
			order = append(order, key)
		}
		b.members = append(b.members, p)
	}
	for _, key := range order {
		b := buckets[key]
		for _, run := range dueRuns(b.members, b.rule.Within) {
			g, err := newGroup(run, false, lookup)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", strings.Join(g.Documents(), ", "), err))
				for _, p := range run {
					single, _ := newGroup([]Payable{p}, false, lookup)
					groups = append(groups, single)
				}
				continue
			}
			groups = append(groups, g)
		}
	}
	slices.SortStableFunc(groups, func(a, b Group) int {
		if c := strings.Compare(a.Payee, b.Payee); c != 0 {
			return c
		}
		if c := earliestDue(a).Compare(earliestDue(b)); c != 0 {
			return c
		}
		return strings.Compare(a.Members[0].Document, b.Members[0].Document)
	})
	return groups, problems
}

// dueRuns cuts payables into runs whose due dates are at most within days
// apart, from the earliest: sorted by due date (then document), a run
// takes each next payable due at most within days after its first.
func dueRuns(ps []Payable, within int) [][]Payable {
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b Payable) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.Document, b.Document)
	})
	if within < 0 {
		return [][]Payable{ps}
	}
	var runs [][]Payable
	start := 0
	for i := 1; i <= len(ps); i++ {
		if i == len(ps) || daysBetween(ps[start].Due, ps[i].Due) > within {
			runs = append(runs, ps[start:i])
			start = i
		}
	}
	return runs
}

// earliestDue is the due date of g's payment: the earliest of its
// invoices' (a credit note's due date says when it may be netted, not
// when anything is owed); of all its payables when it has no invoice.
func earliestDue(g Group) time.Time {
	var d, any time.Time
	for _, p := range g.Members {
		if any.IsZero() || p.Due.Before(any) {
			any = p.Due
		}
		if p.Amount > 0 && (d.IsZero() || p.Due.Before(d)) {
			d = p.Due
		}
	}
	if d.IsZero() {
		return any
	}
	return d
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b time.Time) int {
	return int(remit.Day(b).Sub(remit.Day(a)).Hours() / 24)
}

// CheckGroup says whether payables may form one payment by hand (seed
// 002: "Regrouper les effets pointés"), or by merging groups (regroupement
// de regroupements: the union of their payables forms one flat group),
// and returns the group or every reason it cannot be. The payables must
// each be payable (open or pointed, with a method that pays their
// currency, valid, neither contested nor, when required, unapproved), and
// together one payment: at least two, one method, one currency, one payee
// (one supplier, or the suppliers of one parent account), one IBAN for a
// transfer, and a positive total. Each payable's manual rule must accept
// the group: active, its party, its bank and due-date criteria; where
// there is no manual rule, only the one-payment constraints hold (seed
// 002: "Lorsque aucune règle de regroupement n'est définie, n'importe quel
// regroupement manuel peut être fait sans restriction").
func CheckGroup(ps []Payable, rules Rules, approvalRequired bool, lookup PayeeLookup) (Group, []error) {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrGroup}, args...)...))
	}
	if len(ps) < 2 {
		bad("a group needs at least two payables (a group of one is a plain payment)")
		if len(ps) == 0 {
			return Group{}, errs
		}
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Document] {
			bad("%s is named twice", p.Document)
		}
		seen[p.Document] = true
		if r, ok := Blocked(p, approvalRequired); ok {
			bad("%s is %s", p.Document, r.Text)
		}
		if p.status() == StatusPointed {
			p.Status = StatusOpen // a pointed payable may be regrouped
		}
		if r, ok := payability(p); ok {
			bad("%s is %s", p.Document, r.Text)
		}
	}
	first := ps[0]
	differ := func(what string, get func(Payable) string) {
		vals := map[string][]string{}
		var order []string
		for _, p := range ps {
			v := get(p)
			if vals[v] == nil {
				order = append(order, v)
			}
			vals[v] = append(vals[v], p.Document)
		}
		if len(order) < 2 {
			return
		}
		parts := make([]string, len(order))
		for i, v := range order {
			if v == "" {
				v = "none"
			}
			parts[i] = fmt.Sprintf("%s for %s", v, strings.Join(vals[v], ", "))
		}
		bad("several %s: %s", what, strings.Join(parts, "; "))
	}
	differ("methods", func(p Payable) string { return string(p.Method) })
	differ("currencies", func(p Payable) string { return p.Currency })
	if methodRules[first.Method].account {
		differ("IBANs (a transfer credits one account)", func(p Payable) string { return p.IBAN })
	}
	differ("payees (a payment has one payee: one supplier, or the suppliers of one parent account)",
		func(p Payable) string { return payeeKey(p, SameParent) })
	var total int64
	for _, p := range ps {
		total += p.Amount
	}
	if total <= 0 {
		bad("the payables net to %s: nothing to pay", amountText(total, first.Currency))
	}
	errs = append(errs, checkManualRules(ps, rules)...)
	if len(errs) > 0 {
		return Group{}, errs
	}
	g, err := newGroup(ps, true, lookup)
	if err != nil {
		return Group{}, []error{err}
	}
	return g, nil
}

// checkManualRules applies each payable's manual rule to the whole group.
func checkManualRules(ps []Payable, rules Rules) []error {
	var errs []error
	done := map[string]bool{}
	for _, p := range ps {
		rule, ok := rules.For(true, p)
		if !ok || done[rule.key()] {
			continue
		}
		done[rule.key()] = true
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("%w: the manual rule (%s) %s", ErrGroup, rule, fmt.Sprintf(format, args...)))
		}
		if !rule.Active {
			fail("allows no manual group")
			continue
		}
		if rule.party() == SameSupplier {
			for _, q := range ps {
				if q.Supplier != p.Supplier {
					fail("wants one supplier: %s is %s's, %s is %s's", p.Document, p.Supplier, q.Document, q.Supplier)
					break
				}
			}
		}
		if rule.SameBank {
			for _, q := range ps {
				if q.Journal != p.Journal {
					fail("wants one bank: %s names %q, %s names %q", p.Document, p.Journal, q.Document, q.Journal)
					break
				}
			}
		}
		if rule.Within >= 0 {
			lo, hi := ps[0], ps[0]
			for _, q := range ps {
				if q.Due.Before(lo.Due) {
					lo = q
				}
				if q.Due.After(hi.Due) {
					hi = q
				}
			}
			if n := daysBetween(lo.Due, hi.Due); n > rule.Within {
				fail("wants due dates at most %d days apart: %s is due %s, %s %s (%d days)", rule.Within,
					lo.Document, lo.Due.Format(remit.DateLayout), hi.Document, hi.Due.Format(remit.DateLayout), n)
			}
		}
	}
	return errs
}

// Ungroup takes documents out of a group (seed 002, "Dissociation
// partielle d'un regroupement"); with no documents it dissolves the group
// ("Dissocier les effets regroupés"). What is taken out (out) becomes
// plain prepared payments; rest is what stays grouped, to form again with
// CheckGroup (a part of a valid group is valid, but its payee may change:
// one supplier left is paid directly). When fewer than two payables stay,
// the group dissolves by itself ("un regroupement contenant une seule
// ligne n'a pas de sens"): rest is nil and every payable is in out. A
// document not in the group is an error.
func Ungroup(g Group, documents ...string) (rest, out []Payable, err error) {
	remove := map[string]bool{}
	for _, d := range documents {
		remove[d] = true
	}
	for _, p := range g.Members {
		if remove[p.Document] {
			out = append(out, p)
			delete(remove, p.Document)
		} else {
			rest = append(rest, p)
		}
	}
	if len(remove) > 0 {
		var missing []string
		for d := range remove {
			missing = append(missing, d)
		}
		slices.Sort(missing)
		return nil, nil, fmt.Errorf("not in the group: %s", strings.Join(missing, ", "))
	}
	if len(documents) == 0 || len(rest) < 2 {
		return nil, slices.Clone(g.Members), nil
	}
	return rest, out, nil
}
