package payables

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// BankOptions are the inputs of the bank choice (seed 002, step 3,
// "Émission des règlements"). The banks are remit.Bank values: Code (the
// treasury journal), Limit (the limite de décaissement, the lowest balance
// allowed, in cents: 0 allows no overdraft), Substitute and Default (the
// creditor's default bank). Bank accounts are in euros.
type BankOptions struct {
	Banks []remit.Bank
	// SupplierDefault returns a supplier's default bank ("Le code de
	// banque par défaut est indiqué sur la fiche des différents
	// fournisseurs"), "" none; may be nil.
	SupplierDefault func(account string) string
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
	FromCreditor = "creditor" // the creditor's default bank (remit.Bank.Default)
)

// bankCurrency is the currency of every bank account.
const bankCurrency = DefaultCurrency

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
	banks    map[string]remit.Bank          // by upper-case code: codes compare whatever their case
	deflt    string                         // the creditor's default bank
	assigned map[string]map[time.Time]int64 // bank → execution date → amount assigned
}

// ErrBank means the bank options cannot be used; the message says why.
var ErrBank = errors.New("bank choice")

// NewAssigner checks the options: codes unique (whatever their case), at
// most one default bank, every substitute and the override one of the
// banks, Balance given. Every problem is returned at once. A chain of
// substitutes may loop (BQ1 → BQ2 → BQ1): the choice stops at a bank it
// has already tried.
func NewAssigner(o BankOptions) (*Assigner, error) {
	a := &Assigner{o: o, banks: map[string]remit.Bank{}, assigned: map[string]map[time.Time]int64{}}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrBank}, args...)...))
	}
	for _, b := range o.Banks {
		if _, dup := a.banks[strings.ToUpper(b.Code)]; dup || b.Code == "" {
			bad("bank %q given twice or without a code", b.Code)
		}
		a.banks[strings.ToUpper(b.Code)] = b
		if b.Default && a.deflt != "" {
			bad("two default banks, %s and %s", a.deflt, b.Code)
		} else if b.Default {
			a.deflt = b.Code
		}
	}
	for _, b := range o.Banks {
		if strings.EqualFold(b.Substitute, b.Code) && b.Code != "" {
			bad("bank %s is its own substitute", b.Code)
		} else if _, ok := a.bank(b.Substitute); b.Substitute != "" && !ok {
			bad("bank %s: substitute %s is not a bank", b.Code, b.Substitute)
		}
	}
	if _, ok := a.bank(o.Override); o.Override != "" && !ok {
		bad("--bank %s is not a bank", o.Override)
	}
	if o.Balance == nil {
		bad("no projected balances")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return a, nil
}

func (a *Assigner) bank(code string) (remit.Bank, bool) {
	b, ok := a.banks[strings.ToUpper(code)]
	return b, ok
}

// Assign chooses the bank that pays g (settled: its Net and Date set) and
// records the payment there. The bank planned is, in order, the user's
// override, the bank g's payables name, the payee's default bank, the
// creditor's default (none: the payment is not assigned, the seed's
// « Non affecté », and waits for --bank); a journal or a supplier's
// default that is no bank passes to the next, with a note (a portfolio
// journal, as treasury.BankFor does). If paying g there would take the
// bank's projected balance below its limit on the execution date, or on
// any later date a payment already assigned there is executed, the
// payment moves to the bank's substitute (seed 002: "Si le solde du
// compte descend sous la limite de décaissement après exécution du
// règlement, celui-ci est affecté au compte de substitution"), and on
// along the substitutes' chain, each bank tried once; when none can take
// it, it is not assigned, and the reason names each bank and its balance.
// An override is never moved. A payment in another currency than euros is
// not checked against a limit (the note says so).
func (a *Assigner) Assign(g Group) Assignment {
	as, b, ok := a.planned(g)
	if !ok {
		return as
	}
	var refusals []string
	tried := map[string]bool{}
	for ok && !tried[b.Code] {
		tried[b.Code] = true
		low, day, fits := a.fits(b, g)
		if fits || as.From == FromOverride {
			as.Bank = b.Code
			switch {
			case !fits:
				as.BelowLimit = true
				as.Note = joinNotes(as.Note, fmt.Sprintf("%s falls to %s on %s, below its limit %s: paid there as asked (--bank)",
					b.Code, amountText(low, g.Currency), day.Format(remit.DateLayout), amountText(b.Limit, g.Currency)))
			case len(as.Moved) > 0:
				as.Note = joinNotes(as.Note, fmt.Sprintf("moved to %s: %s", b.Code, strings.Join(refusals, "; ")))
			case g.Currency != bankCurrency:
				as.Note = joinNotes(as.Note, fmt.Sprintf("in %s: not checked against the limit of %s, kept in %s", g.Currency, b.Code, bankCurrency))
			}
			a.record(b.Code, g)
			return as
		}
		as.Moved = append(as.Moved, b.Code)
		refusals = append(refusals, fmt.Sprintf("%s would fall to %s on %s, below its limit %s", b.Code,
			amountText(low, g.Currency), day.Format(remit.DateLayout), amountText(b.Limit, g.Currency)))
		b, ok = a.bank(b.Substitute)
	}
	as.Reason = Reason{Code: CodeLimit, Text: strings.Join(refusals, "; ") + "; no substitute can take it",
		Hint: "pay it from another bank with --bank, or later"}
	return as
}

// planned returns the bank the rules name first for g.
func (a *Assigner) planned(g Group) (as Assignment, b remit.Bank, ok bool) {
	if a.o.Override != "" {
		b, _ = a.bank(a.o.Override)
		return Assignment{Planned: b.Code, From: FromOverride}, b, true
	}
	var notes []string
	candidates := []struct{ code, from string }{{g.Journal, FromPayable}}
	if a.o.SupplierDefault != nil {
		candidates = append(candidates, struct{ code, from string }{a.o.SupplierDefault(g.Payee), FromSupplier})
	}
	for _, c := range append(candidates, struct{ code, from string }{a.deflt, FromCreditor}) {
		if c.code == "" {
			continue
		}
		if b, ok := a.bank(c.code); ok {
			return Assignment{Planned: b.Code, From: c.from, Note: strings.Join(notes, "; ")}, b, true
		}
		notes = append(notes, fmt.Sprintf("%s %s is no bank", map[string]string{FromPayable: "journal",
			FromSupplier: "the supplier's default bank"}[c.from], c.code))
	}
	text := "no bank: its payables name none, and neither the supplier nor the creditor has a default bank"
	code := CodeNoBank
	if len(notes) > 0 {
		text, code = strings.Join(notes, "; ")+", and the creditor has no default bank", CodeUnknownBank
	}
	return Assignment{Reason: Reason{Code: code, Text: text, Hint: "name one with --bank, or set a default bank (remit bank add … --default)"}},
		remit.Bank{}, false
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// fits reports whether paying g from b keeps b at or above its limit on
// g's date and on every later date a payment is already assigned to b;
// when not, the lowest balance and its day.
func (a *Assigner) fits(b remit.Bank, g Group) (low int64, day time.Time, ok bool) {
	if g.Currency != bankCurrency {
		return 0, time.Time{}, true
	}
	date := remit.Day(g.Date)
	assigned := a.assigned[strings.ToUpper(b.Code)]
	days := []time.Time{date}
	for d := range assigned {
		if d.After(date) {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, func(x, y time.Time) int { return x.Compare(y) })
	ok = true
	for _, x := range days {
		bal := a.o.Balance(b.Code, x) - g.Net
		for d, amount := range assigned {
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

// record counts g's payment against its bank's balance (only in euros:
// amounts of two currencies are never added).
func (a *Assigner) record(code string, g Group) {
	if g.Currency != bankCurrency {
		return
	}
	key := strings.ToUpper(code)
	m := a.assigned[key]
	if m == nil {
		m = map[time.Time]int64{}
		a.assigned[key] = m
	}
	m[remit.Day(g.Date)] += g.Net
}
