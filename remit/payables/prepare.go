package payables

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Pointing orders for a target amount (seed 002, "Ordre d'affectation"):
// the same names as the receivables' remit point --order.
const (
	OrderPriorityDue = remit.OrderPriorityDue // "Par priorité et date d'échéance": most urgent (0) first, then earliest due date
	OrderDuePriority = remit.OrderDuePriority // "Par date d'échéance et priorité"
)

// PrepareOptions control Prepare.
type PrepareOptions struct {
	Dates            DateOptions // Dates.Now is the run's clock
	ApprovalRequired bool        // the creditor's setting: payables need a bon à payer
	Rules            Rules
	Lookup           PayeeLookup // the name of a parent account paid for several suppliers; may be nil
	// SkipDiscounts turns the automatic discounts off (seed 002's
	// "Escomptes automatiques", on by default).
	SkipDiscounts   bool
	DiscountAccount string // "" is DiscountAccount (765)

	// Target is the amount to reach (montant à pointer), in cents of
	// TargetCurrency (EUR when empty); 0 points every payable that can be
	// paid.
	Target         int64
	TargetCurrency string
	Order          string // OrderPriorityDue (default) or OrderDuePriority
}

// Prepared is what Prepare points: the payments, in pointing order, and
// the payables it leaves out with the reason.
type Prepared struct {
	Groups   []Group
	Left     []Left
	Totals   []remit.CurrencyTotal // per currency: the number of payments and what they pay
	Target   int64
	Problems []error // groups the automatic rule could not form (their payables are paid one by one)
}

// Left is a payable Prepare does not point, and why.
type Left struct {
	Document string
	Supplier string
	Amount   int64
	Currency string
	Due      time.Time
	Reason   Reason
}

func leftOf(p Payable, r Reason) Left {
	return Left{Document: p.Document, Supplier: p.Supplier, Amount: p.Amount, Currency: p.Currency, Due: p.Due, Reason: r}
}

// Prepare points payables for payment (seed 002, step 2, "Préparation
// des règlements"): of the payables given (a selection, see Filter), it
// leaves out those no payment can take (not open, contested, unapproved
// when approval is required, without a method, in a currency their method
// does not pay, invalid), forms the automatic groups (AutoGroup), dates
// each payment (ExecutionDate) and takes its discounts at that date. A
// group that pays nothing (credit notes and discounts at least its
// invoices) is not pointed, and says why.
//
// With a target (seed 002, "Montant à pointer"), the groups are taken in
// the order asked for, by their most urgent priority and earliest due
// date, until the target is reached, never exceeding it: a group takes
// its credit notes and, in the same order, each of its invoices that keeps
// the total at most the target; if what it would then pay is not
// positive, it is left out.
func Prepare(ps []Payable, o PrepareOptions) (*Prepared, error) {
	less, err := pointingOrder(o.Order)
	if err != nil {
		return nil, err
	}
	if o.Target < 0 {
		return nil, fmt.Errorf("target %s: must be positive", remit.FormatAmount(o.Target))
	}
	res := &Prepared{Target: o.Target}
	var eligible []Payable
	for _, p := range ps {
		if r, ok := payability(p); ok {
			res.Left = append(res.Left, leftOf(p, r))
		} else if r, ok := Blocked(p, o.ApprovalRequired); ok {
			res.Left = append(res.Left, leftOf(p, r))
		} else {
			eligible = append(eligible, p)
		}
	}
	groups, problems := AutoGroup(eligible, o.Rules, o.Lookup)
	res.Problems = problems
	for i := range groups {
		if err := settleGroup(&groups[i], o); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(groups, func(a, b Group) int { return compareGroups(a, b, less) })
	ccy := cmp.Or(o.TargetCurrency, DefaultCurrency)
	room := o.Target
	for _, g := range groups {
		switch {
		case o.Target > 0 && g.Currency != ccy:
			res.leave(g.Members, Reason{Code: CodeTargetCcy, Text: "in " + g.Currency + ": the target is an amount in " + ccy,
				Hint: "point them without a target"})
			continue
		case g.Net <= 0:
			res.leave(g.Members, notPositive(g))
			continue
		case o.Target == 0:
			res.take(g)
			continue
		}
		sub, out := fitTarget(g, room, less)
		if sub == nil {
			res.leave(g.Members, targetReason(g, room, o.Target))
			continue
		}
		sub.Journal = commonJournal(sub.Members)
		Settle(sub, g.Date, o.DiscountAccount, !o.SkipDiscounts)
		room -= sub.Net
		res.take(*sub)
		res.leave(out, targetReason(g, room, o.Target))
	}
	return res, nil
}

func (res *Prepared) take(g Group) {
	res.Groups = append(res.Groups, g)
	res.Totals = remit.AddTotal(res.Totals, g.Currency, g.Net)
}

func (res *Prepared) leave(ps []Payable, r Reason) {
	for _, p := range ps {
		res.Left = append(res.Left, leftOf(p, r))
	}
}

func notPositive(g Group) Reason {
	return Reason{Code: CodeNotPositive,
		Text: fmt.Sprintf("its payment (%s) nets to %s: nothing to pay", strings.Join(g.Documents(), ", "), amountText(g.Net, g.Currency)),
		Hint: "the credit notes wait for the supplier's next invoices"}
}

func targetReason(g Group, room, target int64) Reason {
	if room == 0 {
		return Reason{Code: CodeTarget, Text: "the target " + amountText(target, g.Currency) + " is reached"}
	}
	return Reason{Code: CodeTarget, Text: fmt.Sprintf("does not fit: %s left of the target %s",
		amountText(room, g.Currency), amountText(target, g.Currency))}
}

// fitTarget takes what fits of g under room: all its credit notes, and
// each invoice, in pointing order, that keeps the net at most room. It
// returns the group to pay (nil when what fits pays nothing) and the
// payables left out. Every invoice's discount is as g takes it at its
// date, so what the part pays is known before it is formed.
func fitTarget(g Group, room int64, less func(a, b Payable) int) (*Group, []Payable) {
	discount := map[string]int64{}
	for _, t := range g.Discounts {
		discount[t.Document] = t.Amount
	}
	members := slices.Clone(g.Members)
	slices.SortStableFunc(members, less)
	var net int64
	var chosen, out []Payable
	for _, p := range members {
		if p.Amount < 0 {
			net += p.Amount
			chosen = append(chosen, p)
		}
	}
	for _, p := range members {
		if p.Amount < 0 {
			continue
		}
		if n := p.Amount - discount[p.Document]; net+n <= room {
			net += n
			chosen = append(chosen, p)
		} else {
			out = append(out, p)
		}
	}
	if net <= 0 {
		return nil, nil
	}
	sub := g
	sub.Members = chosen
	slices.SortStableFunc(sub.Members, func(a, b Payable) int { return strings.Compare(a.Document, b.Document) })
	return &sub, out
}

// pointingOrder returns how payables compare in a pointing order.
func pointingOrder(order string) (func(a, b Payable) int, error) {
	switch order {
	case "", OrderPriorityDue:
		return func(a, b Payable) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.Due.Compare(b.Due), strings.Compare(a.Document, b.Document))
		}, nil
	case OrderDuePriority:
		return func(a, b Payable) int {
			return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Priority, b.Priority), strings.Compare(a.Document, b.Document))
		}, nil
	}
	return nil, fmt.Errorf("order %q: want %s or %s", order, OrderPriorityDue, OrderDuePriority)
}

// compareGroups orders groups by their first member in the pointing order
// (the most urgent, or the earliest due), then by payee.
func compareGroups(a, b Group, less func(a, b Payable) int) int {
	return cmp.Or(less(slices.MinFunc(a.Members, less), slices.MinFunc(b.Members, less)), strings.Compare(a.Payee, b.Payee))
}

func commonJournal(ps []Payable) string {
	j := ""
	for _, p := range ps {
		switch {
		case p.Journal == "" || p.Journal == j:
		case j == "":
			j = p.Journal
		default:
			return ""
		}
	}
	return j
}

// settleGroup dates g's payment and takes its discounts at that date.
func settleGroup(g *Group, o PrepareOptions) error {
	date, _, err := PaymentDate(*g, o.Dates, !o.SkipDiscounts)
	if err != nil {
		return err
	}
	Settle(g, date, o.DiscountAccount, !o.SkipDiscounts)
	return nil
}

// PaymentDate is the execution date of g's payment (ExecutionDate): from
// the earliest due date of its invoices, or, with discounts, the earliest
// last date of its discounts not yet past when it comes first, so that
// they are taken; note says why the date is not the due date.
func PaymentDate(g Group, o DateOptions, discounts bool) (date time.Time, note string, err error) {
	var until time.Time
	if discounts {
		today := remit.Day(o.Now)
		for _, p := range g.Members {
			if u := p.Discount.Until; p.Discount.Rate > 0 && p.Amount > 0 && !u.Before(today) && (until.IsZero() || u.Before(until)) {
				until = u
			}
		}
	}
	return ExecutionDate(earliestDue(g), until, o)
}

// Unpaid says why a settled group is not paid: what it pays is not
// positive (its credit notes and discounts at least its invoices).
func Unpaid(g Group) (Reason, bool) {
	if g.Net <= 0 {
		return notPositive(g), true
	}
	return Reason{}, false
}

// Settle sets g's date, discounts and amounts for a payment executed on
// date: Total the members' amounts, Discounts those DiscountOn takes at
// that date (credited to account; "" is DiscountAccount) unless
// discounts is false, Net what is paid, Due the earliest due date.
func Settle(g *Group, date time.Time, account string, discounts bool) {
	g.Date, g.Due = remit.Day(date), earliestDue(*g)
	g.Discounts, g.Total, g.Discount = nil, 0, 0
	for _, p := range g.Members {
		g.Total += p.Amount
		if !discounts {
			continue
		}
		if t, ok, _ := DiscountOn(p, date, account); ok {
			g.Discounts = append(g.Discounts, t)
			g.Discount += t.Amount
		}
	}
	g.Net = g.Total - g.Discount
}
