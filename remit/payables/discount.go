package payables

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/remit-dev/remit/remit"
)

// Rate is a discount rate in basis points: 1 % is 100, 1.25 % is 125.
// Rates are written with at most two decimals of a percent, which is how
// suppliers state them; an exact integer, never a float.
type Rate int64

// MaxRate is just below 100 %: a discount of the whole amount is no discount.
const MaxRate Rate = 9999

// ParseRate reads a percentage, "2", "1.5", "1,25" or "2 %", into basis
// points. The decimal library reads the text exactly; from here on a rate
// is an integer.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" || strings.Count(s, ",")+strings.Count(s, ".") > 1 || strings.ContainsAny(s, " _'eE+-") {
		return 0, ErrDiscountRate
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil || d.Exponent() < -2 {
		return 0, ErrDiscountRate
	}
	bp := d.Shift(2)
	if bp.Sign() <= 0 || bp.GreaterThan(decimal.NewFromInt(int64(MaxRate))) {
		return 0, ErrDiscountRate
	}
	return Rate(bp.IntPart()), nil
}

// String writes the rate as a percentage the French way: "2 %", "1,25 %".
func (r Rate) String() string {
	s := fmt.Sprintf("%d,%02d", r/100, r%100)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), ",0")
	return strings.TrimSuffix(s, ",") + " %"
}

// Decimal writes the rate for files and programs: "2", "1.25".
func (r Rate) Decimal() string {
	s := fmt.Sprintf("%d.%02d", r/100, r%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Discount is an early-payment discount (escompte) a supplier grants on an
// invoice: Rate off the amount when the payment is executed on or before
// Until (seed 002: "Limite d'obtention d'escompte : Date limite de
// règlement pour bénéficier de l'escompte calculée"). The zero value is no
// discount.
type Discount struct {
	Rate  Rate
	Until time.Time
}

// IsZero reports whether there is no discount.
func (d Discount) IsZero() bool { return d.Rate == 0 && d.Until.IsZero() }

func (d Discount) validate(p Payable) []*FieldError {
	var errs []*FieldError
	bad := func(field, value string, err error) {
		errs = append(errs, &FieldError{Document: p.Document, Field: field, Value: value, Err: err})
	}
	if d.IsZero() {
		return nil
	}
	switch {
	case d.Rate == 0:
		bad("discount_rate", "", ErrDiscountDate)
	case d.Rate < 0 || d.Rate > MaxRate:
		bad("discount_rate", d.Rate.Decimal(), ErrDiscountRate)
	case d.Until.IsZero():
		bad("discount_until", "", ErrDiscountDate)
	}
	if p.Amount < 0 {
		bad("discount_rate", d.Rate.Decimal(), ErrDiscountCredit)
	}
	return errs
}

// DiscountAccount is the account discounts obtained are credited to (765,
// escomptes obtenus, in the French chart of accounts).
const DiscountAccount = "765"

// Taken is a discount taken on one payable: what the accounting entries
// credit to the discount account, and what the payment does not pay.
type Taken struct {
	Document string
	Rate     Rate
	Base     int64  // the payable's amount, cents
	Amount   int64  // the discount, cents: round(Base × Rate / 10 000), half up
	Account  string // DiscountAccount unless the caller chose another
	Label    string // e.g. "Escompte 2 % FA-2026-118"
}

// ErrDiscountLost means a payable is paid too late for its discount.
var ErrDiscountLost = errors.New("paid after the discount's last date")

// DiscountOn returns the discount taken on p when it is paid (executed) on
// date: the payable must be an invoice with a discount whose last date is
// date or later (the last date itself still gets it). The amount is
// Amount × Rate / 10 000 rounded to the cent, half up (0.5 cent goes up:
// the commercial rounding of French invoices), computed in integers:
// (Amount × Rate + 5 000) / 10 000. ok is false when no discount is taken;
// err then says why when p has a discount it loses.
func DiscountOn(p Payable, date time.Time, account string) (t Taken, ok bool, err error) {
	d := p.Discount
	if d.Rate <= 0 || d.Until.IsZero() || p.Amount <= 0 {
		return Taken{}, false, nil
	}
	if remit.Day(date).After(remit.Day(d.Until)) {
		return Taken{}, false, fmt.Errorf("%s: %w %s (paid on %s)", p.Document, ErrDiscountLost,
			d.Until.Format(remit.DateLayout), date.Format(remit.DateLayout))
	}
	if account == "" {
		account = DiscountAccount
	}
	amount := (p.Amount*int64(d.Rate) + 5000) / 10000
	return Taken{Document: p.Document, Rate: d.Rate, Base: p.Amount, Amount: amount, Account: account,
		Label: "Escompte " + d.Rate.String() + " " + p.Document}, amount > 0, nil
}
