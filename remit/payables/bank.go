package payables

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Bank is one of the company's bank accounts as the bank choice needs it
// (the banks issue keeps the rest: IBAN, NNE, value days).
type Bank struct {
	Code     string // the treasury journal code, e.g. BQ1
	Currency string // the account's currency; "" is EUR
	// Limit is the limite de décaissement: the lowest projected balance a
	// payment may leave on the account, in cents; negative when an
	// overdraft is allowed. HasLimit false: no limit.
	Limit    int64
	HasLimit bool
	// Substitute is the compte de substitution: where a payment goes when
	// it would take this account below its limit; "" none.
	Substitute string
}

// BankOptions are the inputs of the bank choice (seed 002, step 3,
// "Émission des règlements").
type BankOptions struct {
	Banks           []Bank
	CreditorDefault string                      // the creditor's default bank
	SupplierDefault func(account string) string // a supplier's default bank ("Le code de banque par défaut est indiqué sur la fiche des différents fournisseurs"), "" none; may be nil
	// Balance is the projected balance of a bank at the end of a day,
	// before the payments being assigned (the treasury forecast), in cents.
	Balance func(bank string, day time.Time) int64
	// Override is the bank the user named (remit sct --bank): every
	// payment goes there, whatever its limit ("L'utilisateur a toujours le
	// dernier mot").
	Override string
}

// Where the bank a payment is planned on came from.
const (
	FromOverride = "override" // the user's --bank
	FromPayable  = "payable"  // the journal its payables name
	FromSupplier = "supplier" // the supplier's default bank
	FromCreditor = "creditor" // the creditor's default bank
)

// Assignment is the bank chosen for one payment.
type Assignment struct {
	Bank    string   // the bank that pays; "" when none can (Reason says why)
	Planned string   // the bank the rules named first
	From    string   // where Planned came from (FromPayable…)
	Moved   []string // the banks the payment left for their limit, in order (Planned first)
	Note    string   // in words, when the bank is not the planned one, or an override goes below the limit
	// BelowLimit: an override takes the bank below its limit, as asked.
	BelowLimit bool
	Reason     Reason // when Bank is ""
}

// Assigner chooses the bank of each payment in turn, and remembers what
// it assigned, so that each payment sees the balances the earlier ones
// leave.
type Assigner struct {
	o        BankOptions
	banks    map[string]Bank
	assigned map[string]map[time.Time]int64 // bank → execution date → amount assigned
}

// ErrBank means the bank options cannot be used; the message says why.
var ErrBank = errors.New("bank choice")

// NewAssigner checks the options: every bank named (substitutes, defaults,
// override) must be one of Banks, and Balance must be given. Every problem
// is returned at once. A chain of substitutes may loop (BQ1 → BQ2 → BQ1):
// the choice stops at a bank it has already tried.
func NewAssigner(o BankOptions) (*Assigner, error) {
	a := &Assigner{o: o, banks: map[string]Bank{}, assigned: map[string]map[time.Time]int64{}}
	var errs []error
	for _, b := range o.Banks {
		if _, dup := a.banks[b.Code]; dup || b.Code == "" {
			errs = append(errs, fmt.Errorf("%w: bank %q given twice or without a code", ErrBank, b.Code))
		}
		a.banks[b.Code] = b
	}
	for _, b := range o.Banks {
		if b.Substitute == b.Code && b.Code != "" {
			errs = append(errs, fmt.Errorf("%w: bank %s is its own substitute", ErrBank, b.Code))
		} else if _, ok := a.banks[b.Substitute]; b.Substitute != "" && !ok {
			errs = append(errs, fmt.Errorf("%w: bank %s: substitute %s is not a bank", ErrBank, b.Code, b.Substitute))
		}
	}
	for _, n := range []struct{ what, code string }{{"the creditor's default bank", o.CreditorDefault}, {"--bank", o.Override}} {
		if _, ok := a.banks[n.code]; n.code != "" && !ok {
			errs = append(errs, fmt.Errorf("%w: %s %s is not a bank", ErrBank, n.what, n.code))
		}
	}
	if o.Balance == nil {
		errs = append(errs, fmt.Errorf("%w: no projected balances", ErrBank))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return a, nil
}

// Assign chooses the bank that pays g (settled: its Net and Date set) and
// records the payment there. The bank planned is, in order, the user's
// override, the bank g's payables name, the payee's default bank, the
// creditor's default (none: the payment is not assigned, the seed's
// « Non affecté », and waits for --bank). If paying g there would take the
// bank's projected balance below its limit on the execution date, or on
// any later date a payment already assigned there is executed, the payment
// moves to the bank's substitute (seed 002: "Si le solde du compte descend
// sous la limite de décaissement après exécution du règlement, celui-ci
// est affecté au compte de substitution"), and on along the substitutes'
// chain, each bank tried once; when none can take it, it is not assigned,
// and the reason names each bank and its balance. An override is never
// moved. A payment in another currency than the bank's is not checked
// against its limit (the note says so).
func (a *Assigner) Assign(g Group) Assignment {
	var as Assignment
	switch {
	case a.o.Override != "":
		as.Planned, as.From = a.o.Override, FromOverride
	case g.Journal != "":
		as.Planned, as.From = g.Journal, FromPayable
	case a.o.SupplierDefault != nil && a.o.SupplierDefault(g.Payee) != "":
		as.Planned, as.From = a.o.SupplierDefault(g.Payee), FromSupplier
	case a.o.CreditorDefault != "":
		as.Planned, as.From = a.o.CreditorDefault, FromCreditor
	default:
		as.Reason = Reason{Code: CodeNoBank, Text: "no bank: its payables name none, and neither the supplier nor the creditor has a default bank",
			Hint: "name one with --bank, or set a default bank"}
		return as
	}
	if _, ok := a.banks[as.Planned]; !ok {
		as.Reason = Reason{Code: CodeUnknownBank, Text: fmt.Sprintf("bank %s (%s) is not one of the company's banks", as.Planned, as.From),
			Hint: "add it (remit bank add), or name another with --bank"}
		return as
	}
	var refusals []string
	tried := map[string]bool{}
	for code := as.Planned; code != "" && !tried[code]; code = a.banks[code].Substitute {
		tried[code] = true
		b := a.banks[code]
		low, day, ok := a.fits(b, g)
		if ok || as.From == FromOverride {
			as.Bank = code
			if !ok {
				as.BelowLimit = true
				as.Note = fmt.Sprintf("%s falls to %s on %s, below its limit %s: paid there as asked (--bank)",
					code, amountText(low, g.Currency), day.Format(remit.DateLayout), amountText(b.Limit, g.Currency))
			}
			if b.HasLimit && cmp.Or(b.Currency, DefaultCurrency) != g.Currency {
				as.Note = fmt.Sprintf("in %s: not checked against the limit of %s, kept in %s", g.Currency, code, cmp.Or(b.Currency, DefaultCurrency))
			}
			if len(as.Moved) > 0 {
				as.Note = fmt.Sprintf("moved to %s: %s", code, strings.Join(refusals, "; "))
			}
			a.record(code, g)
			return as
		}
		as.Moved = append(as.Moved, code)
		refusals = append(refusals, fmt.Sprintf("%s would fall to %s on %s, below its limit %s", code,
			amountText(low, g.Currency), day.Format(remit.DateLayout), amountText(b.Limit, g.Currency)))
	}
	as.Reason = Reason{Code: CodeLimit, Text: strings.Join(refusals, "; ") + "; no substitute can take it",
		Hint: "pay it from another bank with --bank, or later"}
	return as
}

// fits reports whether paying g from b keeps b at or above its limit on
// g's date and on every later date a payment is already assigned to b;
// when not, the lowest balance and its day.
func (a *Assigner) fits(b Bank, g Group) (low int64, day time.Time, ok bool) {
	if !b.HasLimit || cmp.Or(b.Currency, DefaultCurrency) != g.Currency {
		return 0, time.Time{}, true
	}
	date := remit.Day(g.Date)
	days := []time.Time{date}
	for d := range a.assigned[b.Code] {
		if d.After(date) {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, func(x, y time.Time) int { return x.Compare(y) })
	ok = true
	for _, x := range days {
		bal := a.o.Balance(b.Code, x) - g.Net
		for d, amount := range a.assigned[b.Code] {
			if !d.After(x) {
				bal -= amount
			}
		}
		if bal < b.Limit && (ok || bal < low) {
			low, day, ok = bal, x, false
		}
	}
	return low, day, ok
}

// record counts g's payment against its bank's balance (only in the
// bank's currency: amounts of two currencies are never added).
func (a *Assigner) record(code string, g Group) {
	if cmp.Or(a.banks[code].Currency, DefaultCurrency) != g.Currency {
		return
	}
	m := a.assigned[code]
	if m == nil {
		m = map[time.Time]int64{}
		a.assigned[code] = m
	}
	m[remit.Day(g.Date)] += g.Net
}
