package payables

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Filter selects payables, as the selection screen of seed 002's step 1
// does ("une fourchette de fournisseurs, une fourchette de dates d'émission
// ou de dates d'échéances… les effets dont le montant ne dépasse pas 5000
// EUR"), with the receivables' conventions: inclusive bounds, a zero bound
// is none, and the upper supplier bound also matches as a prefix (401M
// takes 401MARTIN).
type Filter struct {
	DueFrom, DueTo           time.Time
	IssueFrom, IssueTo       time.Time
	SupplierFrom, SupplierTo string
	Method                   string // "" or "any": every method; "none": no method; else vir or chq
	Journal                  string // "" or "any"; "none": no bank named; else one journal code
	Documents                []string
	AmountTo                 int64  // cents; 0: no bound. Credit notes always pass it
	Status                   Status // "": every status
	// Anomalies: "" shows every payable; "hide" leaves out the contested
	// ones and, when approval is required, the unapproved ones (seed 002:
	// "l'affichage ou non des effets contestés ou non signés"); "only"
	// shows only those.
	Anomalies string
}

// Validate checks the filter's enumerations and ranges.
func (f Filter) Validate() error {
	switch f.Method {
	case "", "any", "none":
	default:
		if _, err := ParseMethod(f.Method); err != nil || f.Method != strings.ToLower(f.Method) {
			return fmt.Errorf("method %q: want none, any, vir or chq", f.Method)
		}
	}
	switch f.Status {
	case "", StatusOpen, StatusPointed, StatusRemitted, StatusPaid:
	default:
		return fmt.Errorf("status %q: %w", f.Status, ErrUnknownStatus)
	}
	switch f.Anomalies {
	case "", "hide", "only":
	default:
		return fmt.Errorf("anomalies %q: want hide or only", f.Anomalies)
	}
	for _, r := range []struct {
		what     string
		from, to time.Time
	}{{"due date", f.DueFrom, f.DueTo}, {"issue date", f.IssueFrom, f.IssueTo}} {
		if !r.from.IsZero() && !r.to.IsZero() && r.to.Before(r.from) {
			return fmt.Errorf("%s range: %s is after %s", r.what, r.from.Format(remit.DateLayout), r.to.Format(remit.DateLayout))
		}
	}
	if f.SupplierFrom != "" && f.SupplierTo != "" && f.SupplierTo < f.SupplierFrom && !strings.HasPrefix(f.SupplierFrom, f.SupplierTo) {
		return fmt.Errorf("supplier range: %s is after %s", f.SupplierFrom, f.SupplierTo)
	}
	if f.AmountTo < 0 {
		return fmt.Errorf("amount bound %s: must be positive", remit.FormatAmount(f.AmountTo))
	}
	return nil
}

// Match reports whether the filter selects p. approvalRequired is the
// creditor's setting: it makes an unapproved payable an anomaly.
func (f Filter) Match(p Payable, approvalRequired bool) bool {
	within := func(d, from, to time.Time) bool {
		return (from.IsZero() || !d.Before(from)) && (to.IsZero() || (!d.IsZero() && !d.After(to)))
	}
	if !within(p.Due, f.DueFrom, f.DueTo) {
		return false
	}
	if (!f.IssueFrom.IsZero() || !f.IssueTo.IsZero()) && (p.Issue.IsZero() || !within(p.Issue, f.IssueFrom, f.IssueTo)) {
		return false
	}
	if !SupplierInRange(p.Supplier, f.SupplierFrom, f.SupplierTo) {
		return false
	}
	switch f.Method {
	case "", "any":
	case "none":
		if p.Method != MethodNone {
			return false
		}
	default:
		if string(p.Method) != f.Method {
			return false
		}
	}
	switch f.Journal {
	case "", "any":
	case "none":
		if p.Journal != "" {
			return false
		}
	default:
		if p.Journal != f.Journal {
			return false
		}
	}
	if len(f.Documents) > 0 && !slices.Contains(f.Documents, p.Document) {
		return false
	}
	if f.AmountTo > 0 && p.Amount > f.AmountTo {
		return false
	}
	if f.Status != "" && p.status() != f.Status {
		return false
	}
	switch _, blocked := Blocked(p, approvalRequired); f.Anomalies {
	case "hide":
		return !blocked
	case "only":
		return blocked
	}
	return true
}

// SupplierInRange applies a supplier account range: from and to are
// inclusive, either may be empty, and to also matches as a prefix, so that
// 401M takes 401MARTIN (as remit list --customer-to does).
func SupplierInRange(account, from, to string) bool {
	if from != "" && account < from {
		return false
	}
	return to == "" || account <= to || strings.HasPrefix(account, to)
}

func (p Payable) status() Status {
	if p.Status == "" {
		return StatusOpen
	}
	return p.Status
}
