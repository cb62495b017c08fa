package payables

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
)

// Code names why a payable is not pointed or a group not paid, for
// programs (JSON) and tests; Reason.Text says it for people.
type Code string

// Why a selected payable is left out (seed 002: "Les effets contestés ou
// n'ayant pas été signés apparaissent en anomalie. La cause de l'anomalie
// apparait dans l'infobulle de la ligne").
const (
	CodeContested   Code = "contested"    // in dispute (litige)
	CodeNotApproved Code = "not-approved" // the creditor requires a bon à payer, not signed
	CodeNoMethod    Code = "no-method"    // no payment method: no payment run takes it
	CodeCurrency    Code = "currency"     // its method does not pay in its currency
	CodeNotOpen     Code = "not-open"     // already pointed, remitted or paid
	CodeInvalid     Code = "invalid"      // its data breaks a rule (Validate)
	CodeNotPositive Code = "not-positive" // its group's credit notes and discounts leave nothing to pay
	CodeTarget      Code = "target"       // does not fit under the amount to reach
	CodeTargetCcy   Code = "target-currency"

	// Why the bank choice assigns a payment to no bank (Assignment.Reason).
	CodeNoBank      Code = "no-bank"      // no bank named, no default
	CodeUnknownBank Code = "unknown-bank" // the bank named is not one of the company's
	CodeLimit       Code = "limit"        // every bank of the chain would fall below its limit
)

// Reason is why a payable is left out, and what to do about it.
type Reason struct {
	Code Code   `json:"code"`
	Text string `json:"text"`
	Hint string `json:"hint,omitempty"`
}

func (r Reason) String() string {
	if r.Hint == "" {
		return r.Text
	}
	return r.Text + ": " + r.Hint
}

// Blocked says why p can never be pointed as it stands, whatever the run:
// contested, or not approved when the creditor requires approval (seed
// 002's anomalies). The store keeps both states; Prepare and the import
// call this one rule.
func Blocked(p Payable, approvalRequired bool) (Reason, bool) {
	doc := remit.ShellQuote(p.Document)
	if p.Contested {
		text := "contested"
		if p.ContestReason != "" {
			text += " (" + p.ContestReason + ")"
		}
		return Reason{Code: CodeContested, Text: text + ": never paid while in dispute",
			Hint: "remit payables resolve " + doc + " once settled"}, true
	}
	if approvalRequired && !p.Approved {
		return Reason{Code: CodeNotApproved, Text: "not approved: the creditor requires a bon à payer",
			Hint: "remit payables approve " + doc}, true
	}
	return Reason{}, false
}

// Payability says why a payment run cannot pay p, pointed or open, as it
// stands: Blocked (contested, unapproved when approval is required), then
// no method, a method that does not pay its currency, invalid data, or a
// status other than open or pointed.
func Payability(p Payable, approvalRequired bool) (Reason, bool) {
	if r, ok := Blocked(p, approvalRequired); ok {
		return r, true
	}
	if p.status() == StatusPointed {
		p.Status = StatusOpen
	}
	return payability(p)
}

// payability says why a payment run cannot take p at all, beyond Blocked:
// no method, a method that does not pay in its currency, a status other
// than open, or invalid data.
func payability(p Payable) (Reason, bool) {
	doc := remit.ShellQuote(p.Document)
	if s := p.status(); s != StatusOpen {
		return Reason{Code: CodeNotOpen, Text: "already " + string(s)}, true
	}
	if p.Method == MethodNone {
		return Reason{Code: CodeNoMethod, Text: "without a payment method: no payment run takes it",
			Hint: "import it again with method vir or chq"}, true
	}
	if !p.Method.pays(p.Currency) {
		r := methodRules[p.Method]
		return Reason{Code: CodeCurrency, Text: fmt.Sprintf("in %s: a %s pays in %s only", p.Currency, r.name, r.currencies),
			Hint: "pay it otherwise, and leave it out of the selection"}, true
	}
	if errs := p.Validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = strings.TrimPrefix(e.Error(), "payable "+p.Document+": ")
		}
		return Reason{Code: CodeInvalid, Text: "invalid: " + strings.Join(msgs, "; "),
			Hint: "correct it in the ERP's export and import it again (" + doc + ")"}, true
	}
	return Reason{}, false
}

// amountText writes an amount for a reason: "1 234,56 EUR".
func amountText(cents int64, ccy string) string {
	return remit.FormatAmountFR(cents) + " " + ccy
}
