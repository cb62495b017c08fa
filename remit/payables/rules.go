package payables

import (
	"errors"
	"fmt"
)

// Party says which payables a rule lets share one payment (seed 002, "Par
// tiers: Tiers identiques, Tiers différents, mais centrale identique").
type Party string

// Parties a rule may ask for. The seed's third choice, "indifférents", has
// no place here: a payment (one transfer, one cheque) has one payee, so
// payables of unrelated suppliers are never grouped.
const (
	SameSupplier Party = "supplier" // tiers identiques
	SameParent   Party = "parent"   // tiers différents, mais centrale identique (or the centrale's own payables)
)

// AnyDays is Rule.Within for no limit on the due dates.
const AnyDays = -1

// Rule is a règle de regroupement: when payables prepared for one payment
// method may (manual) or must (automatic) become one payment. A rule is set
// for a method and optionally for one account, a supplier or a parent
// (seed 002: "Il est possible d'individualiser les règles pour un tiers
// bien précis"); the most precise rule governs a payable: its supplier's,
// else its parent's, else the method's.
//
// Besides the rule's criteria, a group is always one payment: one method,
// one currency, one payee and, for a transfer, one IBAN credited. The
// seed's "Par devises" and "Par coordonnées bancaires" choices are
// therefore always "Identique": a transfer of two currencies, or to two
// accounts, does not exist.
type Rule struct {
	Method Method
	// Account is "" for every payable of the method, or the supplier or
	// parent account the rule is individualised for.
	Account string
	// Manual is false for the automatic rule (applied when payables are
	// pointed), true for the manual one (what remit payables group accepts).
	Manual bool
	// Active: seed 002, "Vous indiquez ici si le regroupement automatique
	// ou manuel est actif ou non". An inactive automatic rule groups
	// nothing; an inactive manual rule refuses every manual group.
	Active   bool
	Party    Party // "" is SameSupplier
	SameBank bool  // "Par banque prévue: Identique": the payables name the same bank, or none
	// Within is the most days between the earliest and the latest due
	// date of a group ("les dates d'échéance des effets à regrouper ne
	// peuvent être éloignées de plus de xxx jours"); AnyDays: no limit.
	Within int
}

func (r Rule) party() Party {
	if r.Party == "" {
		return SameSupplier
	}
	return r.Party
}

// key identifies the rule within Rules: one per method, account and mode.
func (r Rule) key() string {
	mode := "auto"
	if r.Manual {
		mode = "manual"
	}
	return string(r.Method) + "\x00" + r.Account + "\x00" + mode
}

// Rules are the creditor's grouping rules.
type Rules []Rule

// ErrRule means a grouping rule cannot be used.
var ErrRule = errors.New("invalid grouping rule")

// Validate returns every problem of the rules: a method other than vir or
// chq, an unknown party, a negative day count, two rules for the same
// method, account and mode.
func (rs Rules) Validate() []error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range rs {
		what := fmt.Sprintf("rule %d (%s)", i+1, r)
		if _, ok := methodRules[r.Method]; !ok {
			errs = append(errs, fmt.Errorf("%s: %w: method %q: want vir or chq", what, ErrRule, r.Method))
		}
		switch r.Party {
		case "", SameSupplier, SameParent:
		default:
			errs = append(errs, fmt.Errorf("%s: %w: party %q: want supplier or parent", what, ErrRule, r.Party))
		}
		if r.Within < AnyDays {
			errs = append(errs, fmt.Errorf("%s: %w: within %d days: want 0 or more, or no limit", what, ErrRule, r.Within))
		}
		if seen[r.key()] {
			errs = append(errs, fmt.Errorf("%s: %w: a second rule for the same method, account and mode", what, ErrRule))
		}
		seen[r.key()] = true
	}
	return errs
}

// String describes the rule the way remit grouping show would.
func (r Rule) String() string {
	mode := "auto"
	if r.Manual {
		mode = "manual"
	}
	s := string(r.Method) + " " + mode
	if r.Account != "" {
		s += " for " + r.Account
	}
	if !r.Active {
		return s + ": off"
	}
	s += ": same " + string(r.party())
	if r.SameBank {
		s += ", same bank"
	}
	if r.Within >= 0 {
		s += fmt.Sprintf(", due dates within %d days", r.Within)
	}
	return s
}

// For returns the rule that governs p in the given mode (manual or
// automatic): the one for p's supplier, else for its parent, else the
// method's. ok is false when there is none.
func (rs Rules) For(manual bool, p Payable) (Rule, bool) {
	var parent, method *Rule
	for i := range rs {
		r := &rs[i]
		if r.Manual != manual || r.Method != p.Method {
			continue
		}
		switch r.Account {
		case p.Supplier:
			return *r, true
		case "":
			method = r
		}
		if p.Parent != "" && r.Account == p.Parent {
			parent = r
		}
	}
	if parent != nil {
		return *parent, true
	}
	if method != nil {
		return *method, true
	}
	return Rule{}, false
}
