package remit

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Statuses of a receivable.
const (
	StatusOpen     = "open"     // to collect, not pointed
	StatusPointed  = "pointed"  // chosen for the next remittance
	StatusRemitted = "remitted" // in a remittance
	StatusRejected = "rejected" // came back unpaid; can be pointed again
	StatusPaid     = "paid"
	// StatusWrittenOff: written off (abandon de créance, passage en
	// pertes): never pointed, remitted or collected again.
	StatusWrittenOff = "written_off"
)

// Filter selects receivables, as in seed 001's selection screen: due date
// range, customer account range, payment method, treasury journal,
// documents and status.
type Filter struct {
	DueFrom, DueTo           time.Time // zero: unbounded
	CustomerFrom, CustomerTo string    // account codes; a bound is inclusive and To also matches as a prefix
	Method                   string    // "" or "any": every method; "none": no method; else one method
	Journal                  string    // "" or "any"; "none": no journal; else one code
	Documents                []string
	Status                   string // "" or "all", or one status
	Refused                  bool   // only pointed receivables a run refused (Status "", "all" or pointed)
	ByCustomer               bool   // order by customer, then due date (for lists grouped by customer)
}

// Validate checks the filter's enumerations.
func (f Filter) Validate() error {
	if _, ok := PaymentMethods[f.Method]; !ok && f.Method != "any" && f.Method != "none" {
		return fmt.Errorf("method %q: want none, any, sdd, lcr, chq, vir, esp or cb", f.Method)
	}
	switch f.Status {
	case "", "all", StatusOpen, StatusPointed, StatusRemitted, StatusRejected, StatusPaid, StatusWrittenOff:
	default:
		return fmt.Errorf("status %q: want open, pointed, remitted, rejected, paid, written_off or all", f.Status)
	}
	if f.Refused && f.Status != "" && f.Status != "all" && f.Status != StatusPointed {
		return fmt.Errorf("refused receivables are pointed ones: not with status %s", f.Status)
	}
	if !f.DueFrom.IsZero() && !f.DueTo.IsZero() && f.DueTo.Before(f.DueFrom) {
		return fmt.Errorf("due date range: %s is after %s", FormatDate(f.DueFrom), FormatDate(f.DueTo))
	}
	return nil
}

// Receivable is one échéance as listed.
type Receivable struct {
	ID         int64
	Document   string
	Customer   string // account code
	Name       string
	Amount     int64
	Currency   string
	IssueDate  time.Time
	DueDate    time.Time
	Method     string
	Journal    string
	Status     string
	Remittance string // reference of the remittance holding it, if any
	Refusal    string // why the last run left it pointed (or, rejected, why the bank returned it)
	RefusedAt  string // pointed and refused: when a run first gave this refusal, "YYYY-MM-DD HH:MM:SS"
	Todo       Todo   // pointed and refused: what to do about it
	Priority   int
	Label      string
}

// Point orders. Priority is the customer's, 0 to 99: 0 is the most urgent
// and 99 the least (seed 002: "0 est le plus prioritaire et 99 le moins").
const (
	OrderPriorityDue = "priority-due" // most urgent priority first (0), then earliest due date
	OrderDuePriority = "due-priority" // earliest due date first, then most urgent priority
)

// RemittedMethods are the payment methods a remittance command collects, each
// with the one currency it collects them in: a receivable of another method
// or currency waits for no remittance, so pointing it would do nothing.
var RemittedMethods = map[string]string{"sdd": "EUR", "lcr": "EUR", "chq": "EUR"}

// CurrencyTotal is a count and a total in one currency: amounts of different
// currencies are never added.
type CurrencyTotal struct {
	Currency string `json:"currency"`
	Count    int    `json:"count"`
	Total    int64  `json:"-"`
}

// AddTotal adds an amount to its currency's line of totals, kept sorted by currency.
func AddTotal(totals []CurrencyTotal, currency string, amount int64) []CurrencyTotal {
	i, found := slices.BinarySearchFunc(totals, currency, func(t CurrencyTotal, c string) int { return strings.Compare(t.Currency, c) })
	if !found {
		totals = slices.Insert(totals, i, CurrencyTotal{Currency: currency})
	}
	totals[i].Count++
	totals[i].Total += amount
	return totals
}

// PointResult is what Point or Unpoint changed.
type PointResult struct {
	Count   int
	Totals  []CurrencyTotal // per currency, by currency code
	Items   []Receivable    // the first MaxPointItems changed receivables, for display
	Target  int64           // the target amount (euros), 0 if none
	Skipped []Skipped       // what the filters selected but Point left alone, and why
}

// Skipped counts receivables the filters selected that Point did not point,
// for one reason. Its texts agree with the count: "1 receivable by card
// (cb): no remittance collects it", "2 receivables …: collects them".
type Skipped struct {
	Count  int
	Reason string // e.g. "by cheque (chq): no remittance collects them"
	Hint   string // how to point them anyway
}

// MaxPointItems bounds the receivables PointResult lists.
const MaxPointItems = 500

// ErrNotPointable is returned when the filter's status cannot be pointed.
var ErrNotPointable = errors.New("only open or rejected receivables can be pointed")

// them is the pronoun for n receivables.
func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// SkippedUncollectable counts n receivables of this method and currency
// that no remittance collects (UncollectableReason).
func SkippedUncollectable(n int, method, currency string) Skipped {
	return Skipped{Count: n, Reason: uncollectableReason(method, currency, them(n)),
		Hint: "name " + them(n) + " with --document to point " + them(n) + " anyway"}
}

// SkippedNotEuro counts n receivables left out of a target in euros.
func SkippedNotEuro(n int) Skipped {
	return Skipped{Count: n, Reason: "not in euros: the target is an amount in euros", Hint: "point " + them(n) + " without --target"}
}

// SkippedRejected counts n rejected receivables the filters did not ask for.
func SkippedRejected(n int) Skipped {
	they := "they"
	if n == 1 {
		they = "it"
	}
	return Skipped{Count: n, Reason: "rejected (" + they + " came back unpaid): pointed again only when asked for",
		Hint: "point " + them(n) + " with --status rejected or --document"}
}

// UncollectableReason says why no remittance collects receivables of this
// method and currency; receivables of the same reason go together.
func UncollectableReason(method, currency string) string {
	return uncollectableReason(method, currency, "them")
}

func uncollectableReason(method, currency, them string) string {
	if want, ok := RemittedMethods[method]; ok {
		return fmt.Sprintf("in %s: %s remittances are in %s only", currency, strings.ToUpper(method), want)
	}
	switch method {
	case "":
		return "without a payment method: no remittance collects " + them
	case "vir":
		return "by transfer (vir): no remittance collects " + them
	case "esp":
		return "in cash (esp): no remittance collects " + them
	case "cb":
		return "by card (cb): no remittance collects " + them
	}
	return "by " + method + ": no remittance collects " + them
}

// PaymentMethods are the payment methods a receivable may have, by the
// name an import gives.
var PaymentMethods = map[string]string{"": "", "sdd": "sdd", "lcr": "lcr", "chq": "chq", "vir": "vir", "esp": "esp", "cb": "cb"}
