package payables

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

// Incoming is a payable as one import line gives it.
type Incoming struct {
	Payable
	Line  int       // 1-based line in the file
	Given ColumnSet // the columns the line fills: an empty payee detail or state keeps what is stored
}

// Stored is a payable as the store holds it.
type Stored struct {
	Payable
	Payment string // the reference of the payment that holds it, when remitted or paid
	// Line is set when the payable was read from an earlier line of the
	// same file: the same document with other values is then a conflict.
	Line int
}

// Action is what an import does with a line.
type Action string

// Actions of Compare.
const (
	ActionInsert    Action = "new"
	ActionUpdate    Action = "updated"
	ActionUnchanged Action = "unchanged"
	ActionRefuse    Action = "refused" // Problems say why
)

// Change is one column a line changes.
type Change struct {
	Column, Was, Now string
}

// Outcome is Compare's verdict on an import line.
type Outcome struct {
	Action   Action
	Payable  Payable  // what the store keeps (Insert, Update)
	Changes  []Change // Update: the columns that change
	Kept     []string // columns a remitted or paid payable's line gives otherwise, not applied (payee details, states)
	Notes    []string // consequences the import reports: approval withdrawn, unpointed, IBAN changed
	Problems []*remit.LineError
}

// The columns that describe the payee and repeat on every line of an
// ERP export: an empty one keeps what is stored.
var payeeColumns = []string{"street", "building", "postcode", "town", "country", "iban", "bic"}

// The states remit itself changes (remit payables approve, contest, point):
// an empty one keeps what is stored.
var stateColumns = []string{"approved", "contested", "pointed"}

// approvalColumns are what a bon à payer approves: a change to one of
// them withdraws the approval, unless the line approves again.
var approvalColumns = []string{"supplier", "amount", "currency", "method", "iban"}

// ErrRemitted is the reason a line cannot change a remitted or paid payable.
var ErrRemitted = errors.New("a payable in a payment cannot change")

// Compare decides what importing in does, given what the store holds
// (stored nil: a new document), with the creditor's approval setting. It
// is the import's rule, the same for the SQLite and PostgreSQL stores:
//
//   - an identical line (the empty payee details and states aside) is
//     unchanged: importing a file twice changes nothing;
//   - the same document on an earlier line of the same file with other
//     values is a conflict (Stored.Line);
//   - a payable not yet in a payment takes the new values. A change of
//     what a bon à payer approved (supplier, amount, currency, method,
//     IBAN) withdraws the approval unless the line approves it again; a
//     pointed payable whose payment columns change is unpointed, to be
//     prepared again, unless the line points it again; a changed IBAN is
//     noted (the first sign of a bank-detail fraud);
//   - a remitted or paid payable cannot change what was paid: each such
//     column is a problem naming the paid value. Its payee details and
//     states given otherwise are kept as paid and listed (Kept); a line
//     that contests it is a problem (it is paid: settle by a credit note);
//   - a line that points a contested payable, or an unapproved one when
//     approval is required, is a problem.
func Compare(stored *Stored, in Incoming, approvalRequired bool) Outcome {
	lineErr := func(col, val string, err error) *remit.LineError {
		return &remit.LineError{Line: in.Line, Column: col, Value: val, Err: err}
	}
	merged := in.Payable
	if stored != nil {
		merged = mergeKept(stored.Payable, in)
	}
	if stored == nil {
		out := Outcome{Action: ActionInsert, Payable: merged}
		if merged.status() == StatusPointed {
			if r, ok := Blocked(merged, approvalRequired); ok {
				out.Action = ActionRefuse
				out.Problems = append(out.Problems, lineErr("pointed", "yes", pointBlocked(r)))
			}
		}
		return out
	}
	changes := diff(stored.Payable, merged)
	if len(changes) == 0 {
		return Outcome{Action: ActionUnchanged, Payable: stored.Payable}
	}
	if stored.Line != 0 {
		return Outcome{Action: ActionRefuse, Problems: []*remit.LineError{lineErr("document", in.Document,
			fmt.Errorf("appears on line %d of this file with other values (%s)", stored.Line, changedColumns(changes)))}}
	}
	if s := stored.status(); s == StatusRemitted || s == StatusPaid {
		return comparePaid(stored, in, changes)
	}
	return compareOpen(stored, in, merged, changes, approvalRequired)
}

// mergeKept fills the payee details and states in's line leaves empty
// from what is stored.
func mergeKept(old Payable, in Incoming) Payable {
	p := in.Payable
	if !in.Given.Has("street") {
		p.Address.Street = old.Address.Street
	}
	if !in.Given.Has("building") {
		p.Address.Building = old.Address.Building
	}
	if !in.Given.Has("postcode") {
		p.Address.Postcode = old.Address.Postcode
	}
	if !in.Given.Has("town") {
		p.Address.Town = old.Address.Town
	}
	if !in.Given.Has("country") {
		p.Address.Country = old.Address.Country
	}
	if !in.Given.Has("iban") {
		p.IBAN = old.IBAN
		if !in.Given.Has("bic") {
			p.BIC = old.BIC
		}
	}
	if !in.Given.Has("approved") {
		p.Approved = old.Approved
	}
	if !in.Given.Has("contested") {
		p.Contested, p.ContestReason = old.Contested, old.ContestReason
	}
	switch s := old.status(); {
	case s == StatusRemitted || s == StatusPaid:
		p.Status = s
	case !in.Given.Has("pointed"):
		p.Status = s
	}
	return p
}

// comparePaid is Compare for a payable in a payment.
func comparePaid(stored *Stored, in Incoming, changes []Change) Outcome {
	out := Outcome{Action: ActionUnchanged, Payable: stored.Payable}
	what := in.Document + " was " + string(stored.status())
	if stored.Payment != "" {
		what += " (payment " + stored.Payment + ")"
	}
	for _, c := range changes {
		switch {
		case c.Column == "contested" && in.Contested:
			out.Problems = append(out.Problems, &remit.LineError{Line: in.Line, Column: c.Column, Value: c.Now,
				Err: fmt.Errorf("%s: it cannot be contested now; settle the dispute with the supplier (a credit note)", what)})
		case isOneOf(c.Column, payeeColumns) || isOneOf(c.Column, stateColumns) || c.Column == "name":
			out.Kept = append(out.Kept, c.Column)
		default:
			was := "without one"
			if c.Was != "" {
				was = "with " + strconv.Quote(c.Was)
			}
			out.Problems = append(out.Problems, &remit.LineError{Line: in.Line, Column: c.Column, Value: c.Now,
				Err: fmt.Errorf("%s %s: %w; import the change under a new document (a credit note, or a new invoice)", what, was, ErrRemitted)})
		}
	}
	if len(out.Problems) > 0 {
		out.Action, out.Kept = ActionRefuse, nil
	}
	return out
}

// compareOpen is Compare for a payable not yet in a payment.
func compareOpen(stored *Stored, in Incoming, p Payable, changes []Change, approvalRequired bool) Outcome {
	out := Outcome{Action: ActionUpdate}
	changed := func(cols ...string) []string {
		var hit []string
		for _, c := range changes {
			if isOneOf(c.Column, cols) {
				hit = append(hit, c.Column)
			}
		}
		return hit
	}
	if cols := changed(approvalColumns...); stored.Approved && len(cols) > 0 && !(in.Given.Has("approved") && in.Approved) {
		p.Approved = false
		out.Notes = append(out.Notes, fmt.Sprintf("%s: approval withdrawn: the bon à payer was signed before its %s changed; "+
			"approve it again (remit payables approve %s)", in.Document, joinAnd(cols), remit.ShellQuote(in.Document)))
	}
	if stored.IBAN != "" && p.IBAN != stored.IBAN {
		out.Notes = append(out.Notes, fmt.Sprintf("%s: the supplier's IBAN changes from %s to %s: check it with the supplier "+
			"by a known channel before paying", in.Document, ident.MaskIBAN(stored.IBAN), ident.MaskIBAN(p.IBAN)))
	}
	payment := []string{"supplier", "amount", "currency", "method", "iban", "bic", "journal", "due_date", "parent",
		"discount_rate", "discount_until"}
	if stored.status() == StatusPointed && p.status() == StatusPointed {
		r, blocked := Blocked(p, approvalRequired)
		switch {
		case blocked && in.Given.Has("pointed"):
			out.Action = ActionRefuse
			out.Problems = append(out.Problems, &remit.LineError{Line: in.Line, Column: "pointed", Value: "yes", Err: pointBlocked(r)})
			return out
		case blocked:
			p.Status = StatusOpen
			out.Notes = append(out.Notes, fmt.Sprintf("%s: unpointed: %s", in.Document, r.Text))
		case !in.Given.Has("pointed") && len(changed(payment...)) > 0:
			p.Status = StatusOpen
			out.Notes = append(out.Notes, fmt.Sprintf("%s: unpointed: its %s changed; point it again to prepare its payment",
				in.Document, joinAnd(changed(payment...))))
		}
	} else if p.status() == StatusPointed {
		if r, ok := Blocked(p, approvalRequired); ok {
			out.Action = ActionRefuse
			out.Problems = append(out.Problems, &remit.LineError{Line: in.Line, Column: "pointed", Value: "yes", Err: pointBlocked(r)})
			return out
		}
	}
	out.Payable, out.Changes = p, diff(stored.Payable, p)
	return out
}

// diff lists the columns whose values differ from a to b.
func diff(a, b Payable) []Change {
	var changes []Change
	for _, c := range Columns {
		if was, now := a.Column(c), b.Column(c); was != now {
			changes = append(changes, Change{Column: c, Was: was, Now: now})
		}
	}
	return changes
}

func pointBlocked(r Reason) error {
	if r.Code == CodeContested {
		return fmt.Errorf("%w (%s)", ErrPointedBlocked, r.Text)
	}
	return fmt.Errorf("%w: %s", ErrPointedApproval, r.Hint)
}

func changedColumns(cs []Change) string {
	cols := make([]string, len(cs))
	for i, c := range cs {
		cols[i] = c.Column
	}
	return joinAnd(cols)
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, v := range s[1 : len(s)-1] {
		out += ", " + v
	}
	return out + " and " + s[len(s)-1]
}

func isOneOf(s string, set []string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}
