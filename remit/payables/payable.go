package payables

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/text"
)

// Method is how a payable is paid (mode de règlement).
type Method string

// The payment methods of supplier payments. MethodNone is a payable no
// payment run takes until a method is set (seed 002: the circuit associates
// each prepared payment with its mode de règlement).
const (
	MethodNone     Method = ""
	MethodTransfer Method = "vir" // SEPA credit transfer (pain.001)
	MethodCheque   Method = "chq" // lettre-chèque
)

// methodRule is what a payment method asks of a payable and of a payment;
// the one place a method's rules live.
type methodRule struct {
	name       string // for people: "transfer"
	account    bool   // paid to a bank account: an IBAN of a SEPA country is required, and one payment credits one account
	currencies string // the currencies it pays in, space-separated; "" any
}

var methodRules = map[Method]methodRule{
	MethodTransfer: {name: "transfer", account: true, currencies: "EUR"},
	MethodCheque:   {name: "cheque"},
}

// ParseMethod reads vir, chq or an empty method, in any case.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := methodRules[m]; ok || m == MethodNone {
		return m, nil
	}
	return "", ErrMethod
}

// pays reports whether the method pays in currency ccy.
func (m Method) pays(ccy string) bool {
	r, ok := methodRules[m]
	return ok && (r.currencies == "" || strings.Contains(r.currencies, ccy))
}

// Status is where a payable stands. A payable is paid once: remitted and
// paid payables are never pointed again (a rejected transfer goes back to
// pointed, not to open).
type Status string

// Statuses of a payable, as for receivables.
const (
	StatusOpen     Status = "open"     // to pay, not pointed
	StatusPointed  Status = "pointed"  // prepared: chosen for the next payment run (règlement préparé)
	StatusRemitted Status = "remitted" // in a payment file or a cheque run (émis)
	StatusPaid     Status = "paid"     // the bank confirmed it
)

// Payable is one effet à payer: a supplier's invoice to pay, or a credit
// note (avoir, a negative amount) to net against the supplier's invoices.
// Dates are calendar dates at midnight UTC (remit.Day); a zero date is
// absent.
type Payable struct {
	Document string        // the supplier's document number (pièce), unique per creditor
	Supplier string        // supplier account (compte tiers), 401…; 411… for a refund to a customer
	Name     string        // the supplier's name
	Address  remit.Address // structured postal address; Country an ISO 3166 code
	Amount   int64         // cents; negative for a credit note (avoir); never 0
	Currency string        // ISO 4217; EUR when the import leaves it empty
	Issue    time.Time     // document date, optional
	Due      time.Time     // échéance
	Method   Method
	IBAN     string // the supplier's account, electronic form; required for a transfer
	BIC      string // optional
	Journal  string // the bank (treasury journal) to pay from; "" the supplier's or the creditor's default
	Priority int    // 0 (most urgent) to 99 (least): seed 002, "0 est le plus prioritaire et 99 le moins"
	Label    string // libellé, free text
	Discount Discount
	Parent   string // the parent account (centrale) that may be paid for a group of suppliers
	Approved bool   // bon à payer signed
	// Contested holds a dispute (litige): a contested payable is never
	// pointed until the contest is resolved.
	Contested     bool
	ContestReason string
	Status        Status // "" is StatusOpen
}

// IsCredit reports whether p is a credit note (avoir).
func (p Payable) IsCredit() bool { return p.Amount < 0 }

// Limits of a payable's text fields, in bytes, as for receivables.
const (
	MaxDocument      = 64
	MaxAccount       = 35
	MaxJournal       = 8
	MaxText          = 140 // name, label, address elements, contest reason
	MaxPriority      = 99
	DefaultCurrency  = "EUR"
	maxContestReason = MaxText
)

// Reasons a payable is refused; every FieldError wraps one of them, or an
// ident sentinel for IBAN, BIC and country.
var (
	ErrRequired        = errors.New("required")
	ErrTooLong         = errors.New("too long")
	ErrInvisible       = errors.New("contains an invisible or control character")
	ErrFormula         = remit.ErrFormula
	ErrZeroAmount      = errors.New("zero: a payable has an amount (negative for a credit note)")
	ErrAmountTooLarge  = errors.New("larger than 999999999.99")
	ErrCurrency        = errors.New("want an ISO 4217 code such as EUR")
	ErrMethod          = errors.New("want vir, chq or empty")
	ErrIssueAfterDue   = errors.New("after the due date")
	ErrPriority        = errors.New("want a whole number from 0 to 99")
	ErrNeedsIBAN       = errors.New("a transfer needs the supplier's IBAN")
	ErrDiscountRate    = errors.New("want a rate above 0 % and below 100 %, at most 2 decimals (2 or 1.5 or 1,25 %)")
	ErrDiscountDate    = errors.New("a discount needs both its rate (discount_rate) and its last date (discount_until)")
	ErrDiscountCredit  = errors.New("a credit note takes no discount: give the rate on the invoices it reduces")
	ErrContestReason   = errors.New("a reason is only for a contested payable")
	ErrSelfParent      = errors.New("is the supplier itself: a parent account (centrale) is another account")
	ErrUnknownStatus   = errors.New("want open, pointed, remitted or paid")
	ErrPointedBlocked  = errors.New("a contested payable is never pointed: resolve the contest first")
	ErrPointedApproval = errors.New("a payable is pointed only once approved (bon à payer)")
)

// FieldError says which field of which payable is wrong. Field is the
// import column's name (amount, due_date, iban…), so that an import turns
// it into a line error as it is.
type FieldError struct {
	Document string
	Field    string
	Value    string
	Err      error
}

func (e *FieldError) Error() string {
	doc := e.Document
	if doc == "" {
		doc = "(no document)"
	}
	if e.Value == "" {
		return fmt.Sprintf("payable %s: %s: %v", doc, e.Field, e.Err)
	}
	return fmt.Sprintf("payable %s: %s %q: %v", doc, e.Field, e.Value, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// Validate returns every problem of p at once, in the order of the import
// columns. An IBAN is required for a transfer, and must then be of a
// country of the SEPA schemes; a BIC, when given, is checked.
func (p Payable) Validate() []*FieldError {
	var errs []*FieldError
	bad := func(field, value string, err error) {
		errs = append(errs, &FieldError{Document: p.Document, Field: field, Value: value, Err: err})
	}
	code := func(field, v string, max int) {
		switch {
		case v == "":
			bad(field, v, ErrRequired)
		case len(v) > max:
			bad(field, v, fmt.Errorf("%w: longer than %d characters", ErrTooLong, max))
		case hasInvisible(v):
			bad(field, v, ErrInvisible)
		case remit.IsFormula(v):
			bad(field, v, ErrFormula)
		}
	}
	text := func(field, v string) {
		if len(v) > MaxText {
			bad(field, v, fmt.Errorf("%w: longer than %d characters", ErrTooLong, MaxText))
		}
	}
	code("document", p.Document, MaxDocument)
	code("supplier", p.Supplier, MaxAccount)
	if strings.TrimSpace(p.Name) == "" {
		bad("name", p.Name, ErrRequired)
	}
	text("name", p.Name)
	switch {
	case p.Amount == 0:
		bad("amount", "0.00", ErrZeroAmount)
	case p.Amount > remit.MaxAmount || p.Amount < -remit.MaxAmount:
		bad("amount", remit.FormatAmount(p.Amount), ErrAmountTooLarge)
	}
	if !validCurrency(p.Currency) {
		bad("currency", p.Currency, ErrCurrency)
	}
	if p.Due.IsZero() {
		bad("due_date", "", ErrRequired)
	} else if !p.Issue.IsZero() && p.Issue.After(p.Due) {
		bad("issue_date", p.Issue.Format(remit.DateLayout), fmt.Errorf("%w %s", ErrIssueAfterDue, p.Due.Format(remit.DateLayout)))
	}
	rule, known := methodRules[p.Method]
	if !known && p.Method != MethodNone {
		bad("method", string(p.Method), ErrMethod)
	}
	if p.Journal != "" {
		code("journal", p.Journal, MaxJournal)
	}
	switch {
	case p.IBAN == "" && rule.account:
		bad("iban", "", ErrNeedsIBAN)
	case p.IBAN != "" && rule.account:
		if err := ident.ValidateSEPAIBAN(p.IBAN); err != nil {
			bad("iban", p.IBAN, ident.Reason(err, p.IBAN))
		}
	case p.IBAN != "":
		if err := ident.ValidateIBAN(p.IBAN); err != nil {
			bad("iban", p.IBAN, ident.Reason(err, p.IBAN))
		}
	}
	if p.BIC != "" {
		if err := ident.ValidateBIC(p.BIC); err != nil {
			bad("bic", p.BIC, ident.Reason(err, p.BIC))
		}
	}
	for _, f := range []struct{ name, v string }{{"street", p.Address.Street}, {"building", p.Address.Building},
		{"postcode", p.Address.Postcode}, {"town", p.Address.Town}} {
		text(f.name, f.v)
	}
	if p.Address.Country != "" && !ident.ValidCountry(p.Address.Country) {
		bad("country", p.Address.Country, fmt.Errorf("%w: not an ISO 3166 country code such as FR", ident.ErrCountry))
	}
	if p.Priority < 0 || p.Priority > MaxPriority {
		bad("priority", fmt.Sprint(p.Priority), ErrPriority)
	}
	text("label", p.Label)
	errs = append(errs, p.Discount.validate(p)...)
	if p.Parent != "" {
		code("parent", p.Parent, MaxAccount)
		if p.Parent == p.Supplier {
			bad("parent", p.Parent, ErrSelfParent)
		}
	}
	if !p.Contested && p.ContestReason != "" {
		bad("contested", p.ContestReason, ErrContestReason)
	}
	if len(p.ContestReason) > maxContestReason {
		bad("contested", p.ContestReason, fmt.Errorf("%w: longer than %d characters", ErrTooLong, maxContestReason))
	}
	switch p.Status {
	case "", StatusOpen, StatusPointed, StatusRemitted, StatusPaid:
	default:
		bad("pointed", string(p.Status), ErrUnknownStatus)
	}
	if p.Status == StatusPointed && p.Contested {
		bad("pointed", "yes", ErrPointedBlocked)
	}
	return errs
}

// validCurrency reports whether c looks like an ISO 4217 code.
func validCurrency(c string) bool {
	return len(c) == 3 && strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// hasInvisible reports whether a code holds a control or format character:
// "F1" and "F1" with an invisible mark would be two payables for one invoice.
func hasInvisible(s string) bool {
	_, ok := text.Invisible(s)
	return ok
}
