package sepa

import (
	"errors"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// This file exports what the message packages (sepa/pain008, sepa/pain001)
// share: the EPC text conversion in its allocation-free form, the XML
// building blocks of the writers, and the rule checks on parties,
// identifiers, accounts and remittance information. Each message calls the
// very same function, so a rule changed here changes for both.

// Reasons only credit transfers give so far; pain.008 keeps its amounts in
// euro by construction and checks repeated identifiers in Verify.
var (
	ErrCurrency  = errors.New("invalid currency")
	ErrDuplicate = errors.New("duplicate identifier")
)

// AppendText appends Text(s, max) to dst, without allocating when s is
// printable ASCII (the writers call it for every name and address element).
func AppendText(dst []byte, s string, max int) []byte { return appendEPCText(dst, s, max) }

// HasText reports whether Text(s, n) keeps at least one letter or digit for
// any n > 0: a name reduced to punctuation or to "??" names nobody.
func HasText(s string) bool { return hasEPCText(s) }

// IdentifierProblem returns why v is not a valid EPC identifier (MsgId,
// PmtInfId, EndToEndId, InstrId…), or "" when it is one: 1 to 35 characters
// of the basic set, no space or '/' at either end, no "//".
func IdentifierProblem(v string) string {
	if v == "" {
		return "missing"
	}
	return checkEPCIdentifier(v)
}

// StrictAddresses reports whether a payment settling on d falls under the
// rule refusing addresses made only of address lines (from 15 November
// 2026, EPC rulebooks 2025 v1.1); a zero d counts as strict.
func StrictAddresses(d time.Time) bool { return strictAddresses(d) }

// NeedsPayerAddress reports whether the payer's address is required: when
// the payer's or the payee's bank is in a SEPA country outside the EEA
// (told by the IBANs' country codes). The debtor of a direct debit and the
// debtor of a credit transfer are both the payer.
func NeedsPayerAddress(payerIBAN, payeeIBAN string) bool {
	return needsDebtorAddress(payerIBAN, payeeIBAN)
}

// OutsideEEA reports whether country (an ISO 3166 code, or an IBAN's first
// two letters) is a SEPA scheme country outside the EEA, where payments
// carry the payer's address.
func OutsideEEA(country string) bool { return ident.OutsideEEA(country) }

// AppendAmount appends cents as a decimal amount with two decimals
// (1 → 0.01, 12345 → 123.45), by integer arithmetic.
func AppendAmount(b []byte, cents int64) []byte { return appendAmountCents(b, cents) }

// FormatAmount returns cents as AppendAmount writes them.
func FormatAmount(cents int64) string { return formatCents(cents) }

// AppendDate appends t's date as 2006-01-02.
func AppendDate(b []byte, t time.Time) []byte { return appendISODate(b, t) }

// AppendDateTime appends t's wall-clock time as 2006-01-02T15:04:05,
// without zone.
func AppendDateTime(b []byte, t time.Time) []byte { return appendISODateTime(b, t) }

// AppendOpen appends indent spaces and <tag>.
func AppendOpen(b []byte, indent int, tag string) []byte { return appendOpen(b, indent, tag) }

// AppendClose appends indent spaces, </tag> and a newline.
func AppendClose(b []byte, indent int, tag string) []byte { return appendClose(b, indent, tag) }

// AppendElement appends <tag>value</tag> on its own line, value escaped:
// for identifiers, codes and IBANs, which are validated, never converted.
func AppendElement(b []byte, indent int, tag, value string) []byte {
	return appendElement(b, indent, tag, value)
}

// AppendTextElement appends <tag>Text(s, max)</tag>, followed by a newline
// when newline is true, or nothing when Text leaves nothing.
func AppendTextElement(b []byte, indent int, tag, s string, max int, newline bool) []byte {
	return appendTextElement(b, indent, tag, s, max, newline)
}

// AppendEscaped appends s with the XML specials escaped.
func AppendEscaped(b []byte, s string) []byte { return appendEscaped(b, s) }

// AppendParty appends a party element (Nm, PstlAdr, Id) for both writers:
// the elements remit writes have the same names and order in
// PostalAddress6 and 24 and in PartyIdentification32 and 135, so the same
// bytes serve pain.008.001.02/.08 and pain.001.001.03/.09. A party
// with only a name is written on one line when inline is true.
func AppendParty(b []byte, indent int, tag string, p *Party, inline bool) []byte {
	return appendParty(b, indent, tag, p, inline)
}

// Checks collects the rule errors of one block (a group header, a payment
// block or a transaction) as *RuleError values naming the block, the field
// and the value. The zero value is not usable: start with NewChecks.
type Checks struct{ c ruleCheck }

// NewChecks starts collecting the errors of a block, e.g.
// NewChecks("transaction", endToEndID).
func NewChecks(block, ref string) Checks {
	return Checks{ruleCheck{block: block, ref: ref}}
}

// Errors returns the errors collected, nil when there are none.
func (c *Checks) Errors() []error { return c.c.errs }

// Fail records a broken rule.
func (c *Checks) Fail(sentinel error, field, value, reason string) {
	c.c.fail(sentinel, field, value, reason)
}

// FailCause records a broken rule whose reason is an error from package
// ident (wrapped, so errors.Is finds both sentinels).
func (c *Checks) FailCause(sentinel error, field, value string, cause error) {
	c.c.failCause(sentinel, field, value, cause)
}

// GroupHeader checks what the group headers of both messages hold besides
// their version: the message id (MsgId), the creation date and time
// (CreDtTm), the declared totals and the initiating party's name.
func (c *Checks) GroupHeader(msgID string, created time.Time, n int, sum int64, initiating Party) {
	c.c.identifier("message id (MsgId)", msgID, true)
	if created.IsZero() {
		c.c.fail(ErrDate, "creation date and time (CreDtTm)", "", "missing")
	}
	c.c.declaredTotals(n, sum)
	c.c.party("initiating party", initiating, true, false, "", true)
}

// Identifier checks an EPC identifier (see IdentifierProblem); an empty
// one is an error only when required.
func (c *Checks) Identifier(field, v string, required bool) { c.c.identifier(field, v, required) }

// DeclaredTotals checks a declared NbOfTxs and CtrlSum: at least one
// transaction, and a sum n amounts of 0.01 to 999 999 999.99 can reach.
func (c *Checks) DeclaredTotals(n int, sum int64) { c.c.declaredTotals(n, sum) }

// BIC checks an optional BIC.
func (c *Checks) BIC(field, v string) { c.c.bic(field, v) }

// IBAN checks an account: a valid IBAN of a country of the SEPA schemes
// (EPC409-09).
func (c *Checks) IBAN(field, v string) { c.c.iban(field, v) }

// Party checks a party: a name that survives the EPC conversion (when
// needName), an address (required when needAddress; structured or hybrid
// when strict, see StrictAddresses; a known country; at most two address
// lines) and an identification.
func (c *Checks) Party(role string, p Party, needName, needAddress, strict bool) {
	c.c.party(role, p, needName, needAddress, "", strict)
}

// Payer checks the payer's party as Party does, its address required when
// the payer's or the payee's bank is in a SEPA country outside the EEA
// (NeedsPayerAddress); a missing one is refused naming that bank.
func (c *Checks) Payer(role string, p Party, payerIBAN, payeeIBAN string, strict bool) {
	why := debtorAddressRule(payerIBAN, payeeIBAN)
	c.c.party(role, p, true, why != "", why, strict)
}

// Purpose checks an optional ISO external purpose code (4 upper-case
// letters, e.g. SUPP).
func (c *Checks) Purpose(field, v string) {
	if v != "" && !isUpperCode(v, 4) {
		c.c.fail(ErrCode, field, v, "want a 4-letter ISO 20022 code such as SUPP or OTHR")
	}
}

// Remittance checks remittance information: free text or an ISO 11649
// creditor reference (RF…), not both (EPC: one occurrence of either).
func (c *Checks) Remittance(text, creditorReference string) {
	if text != "" && creditorReference != "" {
		c.c.fail(ErrRemittance, "remittance information", creditorReference,
			"give either free text or a creditor reference, not both (EPC: one or the other)")
	}
	if creditorReference != "" {
		if reason := checkRFReference(creditorReference); reason != "" {
			c.c.fail(ErrRemittance, "creditor reference", creditorReference, reason)
		}
	}
}
