package sepa

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// Reasons a header, payment block or transaction breaks the EPC rules,
// shared by pain.008 and pain.001 (each package adds the reasons only its
// message has). Every error from the rule checks and the writers wraps one
// of them (test with errors.Is); rule errors are *RuleError values, which
// also wrap the ident error behind them when there is one.
var (
	ErrIdentifier = errors.New("invalid identifier")
	ErrAmount     = errors.New("invalid amount")
	ErrIBAN       = errors.New("invalid IBAN")
	ErrBIC        = errors.New("invalid BIC")
	ErrName       = errors.New("invalid name")
	ErrAddress    = errors.New("invalid address")
	ErrDate       = errors.New("invalid date")
	ErrCode       = errors.New("invalid code")
	ErrRemittance = errors.New("invalid remittance information")
	ErrCount      = errors.New("number of transactions or control sum mismatch")
)

// MaxAmount is the largest amount of one payment, in cents
// (999 999 999.99 EUR, the EPC limit).
const MaxAmount int64 = 99999999999

// StructuredAddressesFrom is the first settlement date on which an address
// made only of address lines is refused (2025 SDD and SCT rulebooks v1.1):
// see StrictAddresses.
var StructuredAddressesFrom = time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)

// RuleError is one broken rule: where it is (Block and Ref), which field,
// the offending value, and why. Its message is meant for the person who
// fixes the data, e.g.
//
//	transaction "INV-2026-0042": debtor IBAN: IBAN FR7630004008280001012345692: bad check digits
type RuleError struct {
	Block  string // "group header", "payment info" or "transaction"
	Ref    string // MsgId, PmtInfId or EndToEndId of the block, when known
	Field  string // e.g. "debtor IBAN", "creditor address town name"
	Value  string
	Reason string // used when Cause is nil
	Err    error  // the sentinel: ErrIBAN, ErrAddress, …
	Cause  error  // the underlying error (from package ident), or nil
}

func (e *RuleError) Error() string {
	var b strings.Builder
	b.WriteString(e.Block)
	if e.Ref != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Ref))
	}
	b.WriteString(": ")
	b.WriteString(e.Field)
	if e.Cause != nil {
		b.WriteString(": ")
		b.WriteString(e.Cause.Error())
		return b.String()
	}
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the sentinel and the cause, so that errors.Is matches both
// ErrIBAN and ident.ErrCheckDigits.
func (e *RuleError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// ruleCheck collects the errors of one block.
type ruleCheck struct {
	block, ref string
	errs       []error
}

func (c *ruleCheck) fail(sentinel error, field, value, reason string) {
	c.errs = append(c.errs, &RuleError{Block: c.block, Ref: c.ref, Field: field, Value: value, Reason: reason, Err: sentinel})
}

func (c *ruleCheck) failCause(sentinel error, field, value string, cause error) {
	c.errs = append(c.errs, &RuleError{Block: c.block, Ref: c.ref, Field: field, Value: value, Err: sentinel, Cause: cause})
}

func (c *ruleCheck) identifier(field, v string, required bool) {
	if v == "" {
		if required {
			c.fail(ErrIdentifier, field, "", "missing")
		}
		return
	}
	if reason := checkEPCIdentifier(v); reason != "" {
		c.fail(ErrIdentifier, field, v, reason)
	}
}

// checkEPCIdentifier returns why v is not a valid EPC identifier, or "":
// 1 to 35 characters of the basic set, no space or '/' at either end, no
// "//" (EPC rules for references that travel end to end).
func checkEPCIdentifier(v string) string {
	if len(v) > MaxIdentifier {
		return "at most 35 characters, has " + strconv.Itoa(len(v))
	}
	for i := 0; i < len(v); i++ {
		if !isEPCBasicByte(v[i]) {
			return "character " + strconv.QuoteToASCII(string(rune(v[i]))) + " at position " + strconv.Itoa(i+1) +
				" is outside the EPC set a-z A-Z 0-9 / - ? : ( ) . , ' + space"
		}
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return "must not start or end with a space"
	}
	if v[0] == '/' || v[len(v)-1] == '/' || strings.Contains(v, "//") {
		return "must not start or end with '/' nor contain '//'"
	}
	return ""
}

func (c *ruleCheck) declaredTotals(n int, sum int64) {
	if n < 1 {
		c.fail(ErrCount, "number of transactions (NbOfTxs)", strconv.Itoa(n), "must be at least 1")
		return
	}
	// CtrlSum is an XSD DecimalNumber: at most 18 digits, here with 2 decimals.
	const maxCtrlSum = 999999999999999999
	if sum < int64(n) || sum > maxCtrlSum || int64(n) <= maxCtrlSum/MaxAmount && sum > int64(n)*MaxAmount {
		c.fail(ErrCount, "control sum (CtrlSum)", formatCents(sum),
			"impossible for "+strconv.Itoa(n)+" transactions of 0.01 to 999999999.99")
	}
}

// iban checks an account of the payment: a valid IBAN of a country of the
// SEPA schemes (EPC409-09).
func (c *ruleCheck) iban(field, v string) {
	if err := ident.ValidateSEPAIBAN(v); err != nil {
		c.failCause(ErrIBAN, field, v, err)
	}
}

func (c *ruleCheck) bic(field, v string) {
	if v == "" {
		return // optional: written as NOTPROVIDED
	}
	if err := ident.ValidateBIC(v); err != nil {
		c.failCause(ErrBIC, field, v, err)
	}
}

// strictAddresses reports whether a collection settling on d falls under
// the rule refusing addresses made only of address lines.
func strictAddresses(d time.Time) bool {
	return d.IsZero() || !DateAfter(StructuredAddressesFrom, d)
}

// needsDebtorAddress: the debtor's address is required when the debtor's or
// the creditor's bank is in a SEPA country outside the EEA (told by the
// IBAN's country code).
func needsDebtorAddress(debtorIBAN, creditorIBAN string) bool {
	return debtorAddressRule(debtorIBAN, creditorIBAN) != ""
}

// debtorAddressRule says why the debtor's address is required, naming the
// bank outside the EEA ("the debtor's bank is in MC, a SEPA country outside
// the EEA"), or "" when it is not.
func debtorAddressRule(debtorIBAN, creditorIBAN string) string {
	for _, b := range [...]struct{ whose, iban string }{{"debtor", debtorIBAN}, {"creditor", creditorIBAN}} {
		if len(b.iban) >= 2 && ident.OutsideEEA(b.iban[:2]) {
			return "the " + b.whose + "'s bank is in " + b.iban[:2] + ", a SEPA country outside the EEA"
		}
	}
	return ""
}

// party checks a name, an address (required when needAddress, for the
// reason why when it names one; structured or hybrid only when strict) and
// an identification.
func (c *ruleCheck) party(role string, p Party, needName, needAddress bool, why string, strict bool) {
	if needName && !hasEPCText(p.Name) {
		if p.Name == "" {
			c.fail(ErrName, role+" name", "", "missing")
		} else {
			c.fail(ErrName, role+" name", p.Name, "nothing left after conversion to the EPC character set")
		}
	}
	c.address(role+" address", p.Address, needAddress, why, strict)
	if p.ID.ID != "" || p.ID.SchemeCode != "" || p.ID.SchemeProprietary != "" || p.ID.Issuer != "" {
		c.partyID(role+" identification", p.ID)
	}
}

func (c *ruleCheck) address(field string, a Address, required bool, why string, strict bool) {
	if a.IsZero() {
		if required && why != "" {
			c.fail(ErrAddress, field, "", "missing: "+why+", so the town name and country are required")
		} else if required {
			c.fail(ErrAddress, field, "", "missing: town name and country are required")
		}
		return
	}
	// These elements are identifiers of a place: cut, "75008-CEDEX-12345"
	// would name another postcode. Too long is refused, never cut.
	for _, f := range [...]struct {
		name, value string
		max         int
		hint        string
	}{
		{"postcode (PstCd)", a.PostCode, MaxPostCode, "write CEDEX and its number after the town"},
		{"building number (BldgNb)", a.BuildingNumber, MaxPostCode, "put the rest in the street name"},
		{"town name (TwnNm)", a.TownName, MaxTownName, "abbreviate it (ST for SAINT, STE for SAINTE)"},
	} {
		if n := TextLen(f.value); n > f.max {
			c.fail(ErrAddress, field+" "+f.name, f.value, strconv.Itoa(n)+" characters in the EPC set, at most "+strconv.Itoa(f.max)+
				": it would be cut; "+f.hint)
		}
	}
	lines := 0
	for _, l := range a.Lines {
		if hasEPCText(l) {
			lines++
		}
	}
	if lines > 2 {
		c.fail(ErrAddress, field+" lines", strings.Join(a.Lines, " | "), "at most 2 address lines (EPC)")
	}
	if a.Country == "" {
		c.fail(ErrAddress, field+" country", "", "missing")
	} else if err := ident.ValidateCountry(a.Country); err != nil {
		c.failCause(ErrAddress, field+" country", a.Country, err)
	}
	if strict && !hasEPCText(a.TownName) {
		value := a.TownName
		if value == "" {
			value = strings.Join(a.Lines, " | ")
		}
		c.fail(ErrAddress, field+" town name", value,
			"missing: from 15 November 2026 an address must be structured or hybrid (town name and country, at most 2 address lines)")
	}
}

func (c *ruleCheck) partyID(field string, id PartyID) {
	c.identifier(field, id.ID, true)
	if id.SchemeCode != "" && id.SchemeProprietary != "" {
		c.fail(ErrCode, field+" scheme", id.SchemeCode, "give a scheme code or a proprietary scheme, not both")
	}
	if id.SchemeCode != "" && !isUpperCode(id.SchemeCode, 0) {
		c.fail(ErrCode, field+" scheme code", id.SchemeCode, "want 1 to 4 upper-case letters or digits, e.g. SREN")
	}
	if id.SchemeProprietary != "" {
		c.identifier(field+" proprietary scheme", id.SchemeProprietary, false)
	}
	if id.Issuer != "" {
		c.identifier(field+" issuer", id.Issuer, false)
	}
}

// is 0, digits) with length n, or 1 to 4 when n is 0.
func isUpperCode(s string, n int) bool {
	if n > 0 && len(s) != n || n == 0 && (len(s) < 1 || len(s) > 4) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || n == 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// checkRFReference returns why ref is not an ISO 11649 creditor reference
// in electronic form ("RF", 2 check digits, 1 to 21 upper-case letters or
// digits, no spaces), or "".
func checkRFReference(ref string) string {
	if len(ref) < 5 || len(ref) > 25 || ref[:2] != "RF" {
		return "want an ISO 11649 reference: RF, 2 check digits, 1 to 21 letters or digits"
	}
	for i := 2; i < len(ref); i++ {
		c := ref[i]
		if !(c >= '0' && c <= '9' || i >= 4 && c >= 'A' && c <= 'Z') {
			return "character " + strconv.QuoteToASCII(string(rune(c))) + " at position " + strconv.Itoa(i+1) +
				": want upper-case letters and digits only, without spaces"
		}
	}
	r := 0
	for _, s := range [2]string{ref[4:], ref[:4]} {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c <= '9' {
				r = (r*10 + int(c-'0')) % 97
			} else {
				r = (r*100 + int(c-'A'+10)) % 97
			}
		}
	}
	if r != 1 {
		return "bad check digits"
	}
	return ""
}
