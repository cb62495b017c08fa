package sepa

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// Reasons a header, payment block or transaction breaks the EPC rules. Every
// error from CheckGroupHeader, CheckPaymentInfo, CheckTransaction and the
// Writer wraps one of them (test with errors.Is); rule errors are *RuleError
// values, which also wrap the ident error behind them when there is one.
var (
	ErrIdentifier  = errors.New("invalid identifier")
	ErrAmount      = errors.New("invalid amount")
	ErrIBAN        = errors.New("invalid IBAN")
	ErrBIC         = errors.New("invalid BIC")
	ErrCreditorID  = errors.New("invalid creditor identifier")
	ErrMandate     = errors.New("invalid mandate")
	ErrAmendment   = errors.New("invalid mandate amendment")
	ErrName        = errors.New("invalid name")
	ErrAddress     = errors.New("invalid address")
	ErrDate        = errors.New("invalid date")
	ErrCode        = errors.New("invalid code")
	ErrRemittance  = errors.New("invalid remittance information")
	ErrCount       = errors.New("number of transactions or control sum mismatch")
	ErrWriterState = errors.New("pain.008 writer misuse")
)

// MaxAmount is the largest amount of one collection, in cents
// (999 999 999.99 EUR, the EPC limit).
const MaxAmount int64 = 99999999999

// unstructuredAddressEnd is the first settlement date on which an address
// made only of address lines is refused (2025 SDD rulebooks v1.1).
var unstructuredAddressEnd = time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)

// creditorSchemeName is the SchmeNm/Prtry of every SEPA creditor
// identifier (CdtrSchmeId and OrgnlCdtrSchmeId).
const creditorSchemeName = "SEPA"

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

// CheckGroupHeader returns every rule h breaks (nil if none).
func CheckGroupHeader(h GroupHeader) []error {
	c := ruleCheck{block: "group header", ref: h.MsgID}
	if !h.Version.Valid() {
		c.fail(ErrVersion, "version", string(h.Version), "want pain.008.001.08 (V08) or pain.008.001.02 (V02)")
	}
	c.identifier("message id (MsgId)", h.MsgID, true)
	if h.CreatedAt.IsZero() {
		c.fail(ErrDate, "creation date and time (CreDtTm)", "", "missing")
	}
	c.declaredTotals(h.NbOfTxs, h.CtrlSum)
	c.party("initiating party", h.InitiatingParty, true, false, true)
	return c.errs
}

// CheckPaymentInfo returns every rule pi breaks (nil if none), in a message
// with header h (its Version and CreatedAt are used).
func CheckPaymentInfo(pi PaymentInfo, h GroupHeader) []error {
	c := ruleCheck{block: "payment info", ref: pi.ID}
	c.identifier("payment info id (PmtInfId)", pi.ID, true)
	c.declaredTotals(pi.NbOfTxs, pi.CtrlSum)
	if pi.Scheme != "CORE" && pi.Scheme != "B2B" {
		c.fail(ErrCode, "scheme (LclInstrm)", pi.Scheme, "want CORE or B2B")
	}
	switch pi.SeqType {
	case "FRST", "RCUR", "OOFF", "FNAL":
	default:
		c.fail(ErrCode, "sequence type (SeqTp)", pi.SeqType, "want FRST, RCUR, OOFF or FNAL")
	}
	c.collectionDate(pi.CollectionDate, h.CreatedAt)
	strict := strictAddresses(pi.CollectionDate)
	c.party("creditor", pi.Creditor, true, true, strict)
	c.iban("creditor IBAN", pi.CreditorIBAN)
	c.bic("creditor BIC", pi.CreditorBIC)
	if err := ident.ValidateICS(pi.CreditorSchemeID); err != nil {
		c.failCause(ErrCreditorID, "creditor identifier (ICS)", pi.CreditorSchemeID, err)
	}
	if !pi.UltimateCreditor.IsZero() {
		c.party("ultimate creditor", pi.UltimateCreditor, true, false, strict)
	}
	return c.errs
}

// CheckTransaction returns every rule tx breaks (nil if none), in block pi
// of a message with header h: pi gives the collection date (which decides
// the address rule) and the creditor, h the creation date (mandate
// signatures must not be later).
func CheckTransaction(tx Transaction, pi PaymentInfo, h GroupHeader) []error {
	return checkTransaction(nil, &tx, &pi, h.CreatedAt)
}

func checkTransaction(errs []error, tx *Transaction, pi *PaymentInfo, created time.Time) []error {
	c := ruleCheck{block: "transaction", ref: tx.EndToEndID, errs: errs}
	c.identifier("end-to-end id (EndToEndId)", tx.EndToEndID, true)
	c.identifier("instruction id (InstrId)", tx.InstrID, false)
	if tx.Amount < 1 || tx.Amount > MaxAmount {
		c.fail(ErrAmount, "amount", formatCents(tx.Amount)+" EUR", "must be between 0.01 and 999999999.99")
	}
	if err := ident.ValidateRUM(tx.MandateID); err != nil {
		c.failCause(ErrMandate, "mandate reference (MndtId)", tx.MandateID, err)
	}
	c.signatureDate(tx.MandateSigned, created, pi.CollectionDate)
	if tx.Amendment != nil {
		c.amendment(tx, pi)
	}
	c.bic("debtor BIC", tx.DebtorBIC)
	c.iban("debtor IBAN", tx.DebtorIBAN)
	strict := strictAddresses(pi.CollectionDate)
	c.party("debtor", tx.Debtor, true, needsDebtorAddress(tx.DebtorIBAN, pi.CreditorIBAN), strict)
	if !tx.UltimateDebtor.IsZero() {
		c.party("ultimate debtor", tx.UltimateDebtor, true, false, strict)
	}
	if tx.Purpose != "" && !isUpperCode(tx.Purpose, 4) {
		c.fail(ErrCode, "purpose code (Purp)", tx.Purpose, "want a 4-letter ISO 20022 purpose code such as OTHR")
	}
	if tx.RemittanceInfo != "" && tx.CreditorReference != "" {
		c.fail(ErrRemittance, "remittance information", tx.CreditorReference,
			"give either free text or a creditor reference, not both (EPC: one or the other)")
	}
	if tx.CreditorReference != "" {
		if reason := checkRFReference(tx.CreditorReference); reason != "" {
			c.fail(ErrRemittance, "creditor reference", tx.CreditorReference, reason)
		}
	}
	return c.errs
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

func (c *ruleCheck) collectionDate(d, created time.Time) {
	if d.IsZero() {
		c.fail(ErrDate, "collection date (ReqdColltnDt)", "", "missing")
		return
	}
	if reason := collectionDateReason(d, created, time.Time{}); reason != "" {
		c.fail(ErrDate, "collection date (ReqdColltnDt)", d.Format(time.DateOnly), reason)
	}
}

// collectionDateReason returns why d cannot be the collection date of a
// file created on created's date and sent on today's date, or "": it must
// be a TARGET2 business day after both (a zero created or today is not
// compared). The writer gives its creation time, verify both.
func collectionDateReason(d, created, today time.Time) string {
	switch {
	case !IsTARGET2BusinessDay(d):
		return "not a TARGET2 business day (next: " + NextBusinessDay(d).Format(time.DateOnly) + ")"
	case !created.IsZero() && !dateAfter(d, created):
		return "must be after the creation date " + created.Format(time.DateOnly)
	case !today.IsZero() && !dateAfter(d, today):
		return "not after today (" + today.Format(time.DateOnly) + "): the bank needs the file before the collection date; write it again with a later date"
	}
	return ""
}

func (c *ruleCheck) signatureDate(signed, created, collection time.Time) {
	if signed.IsZero() {
		c.fail(ErrMandate, "mandate signature date (DtOfSgntr)", "", "missing")
		return
	}
	if reason := signatureDateReason(signed, created, collection); reason != "" {
		c.fail(ErrMandate, "mandate signature date (DtOfSgntr)", signed.Format(time.DateOnly), reason)
	}
}

// signatureDateReason returns why a mandate signed on signed cannot be
// collected in a file created on created (or, when that is zero, on the
// collection date), or "": a mandate is signed before it is collected.
func signatureDateReason(signed, created, collection time.Time) string {
	switch {
	case !created.IsZero() && dateAfter(signed, created):
		return "in the future (file created " + created.Format(time.DateOnly) + ")"
	case created.IsZero() && !collection.IsZero() && dateAfter(signed, collection):
		return "after the collection date " + collection.Format(time.DateOnly)
	}
	return ""
}

// dateAfter reports whether a's date is after b's (each in its location).
func dateAfter(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by {
		return ay > by
	}
	if am != bm {
		return am > bm
	}
	return ad > bd
}

// strictAddresses reports whether a collection settling on d falls under
// the rule refusing addresses made only of address lines.
func strictAddresses(d time.Time) bool {
	return d.IsZero() || !dateAfter(unstructuredAddressEnd, d)
}

// needsDebtorAddress: the debtor's address is required when the debtor's or
// the creditor's bank is in a SEPA country outside the EEA (told by the
// IBAN's country code).
func needsDebtorAddress(debtorIBAN, creditorIBAN string) bool {
	return len(debtorIBAN) >= 2 && ident.OutsideEEA(debtorIBAN[:2]) ||
		len(creditorIBAN) >= 2 && ident.OutsideEEA(creditorIBAN[:2])
}

// party checks a name, an address (required or not; structured or hybrid
// only when strict) and an identification.
func (c *ruleCheck) party(role string, p Party, needName, needAddress, strict bool) {
	if needName && !hasEPCText(p.Name) {
		if p.Name == "" {
			c.fail(ErrName, role+" name", "", "missing")
		} else {
			c.fail(ErrName, role+" name", p.Name, "nothing left after conversion to the EPC character set")
		}
	}
	c.address(role+" address", p.Address, needAddress, strict)
	if p.ID.ID != "" || p.ID.SchemeCode != "" || p.ID.SchemeProprietary != "" || p.ID.Issuer != "" {
		c.partyID(role+" identification", p.ID)
	}
}

func (c *ruleCheck) address(field string, a Address, required, strict bool) {
	if a.IsZero() {
		if required {
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

// amendmentEmpty is why an amendment that names nothing changed is refused.
const amendmentEmpty = "empty: set what changed, or no amendment at all"

func (c *ruleCheck) amendment(tx *Transaction, pi *PaymentInfo) {
	a := tx.Amendment
	if *a == (Amendment{}) {
		c.fail(ErrAmendment, "mandate amendment", "", amendmentEmpty)
		return
	}
	if a.OriginalMandateID != "" {
		if err := ident.ValidateRUM(a.OriginalMandateID); err != nil {
			c.failCause(ErrAmendment, "original mandate reference", a.OriginalMandateID, err)
		} else if a.OriginalMandateID == tx.MandateID {
			c.fail(ErrAmendment, "original mandate reference", a.OriginalMandateID, "same as the current one")
		}
	}
	if a.OriginalCreditorSchemeID != "" {
		if err := ident.ValidateICS(a.OriginalCreditorSchemeID); err != nil {
			c.failCause(ErrAmendment, "original creditor identifier", a.OriginalCreditorSchemeID, err)
		} else if a.OriginalCreditorSchemeID == pi.CreditorSchemeID {
			c.fail(ErrAmendment, "original creditor identifier", a.OriginalCreditorSchemeID, "same as the current one")
		}
	}
	if a.OriginalCreditorName != "" && !hasEPCText(a.OriginalCreditorName) {
		c.fail(ErrAmendment, "original creditor name", a.OriginalCreditorName, "nothing left after conversion to the EPC character set")
	}
	if a.OriginalDebtorIBAN != "" {
		switch err := ident.ValidateIBAN(a.OriginalDebtorIBAN); {
		case a.NewDebtorAccount:
			c.fail(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN,
				"give the original IBAN (same bank) or SMNDA (new bank), not both")
		case err != nil:
			c.failCause(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN, err)
		case a.OriginalDebtorIBAN == tx.DebtorIBAN:
			c.fail(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN, "same as the current one")
		}
	}
}

// isUpperCode reports whether s is made of upper-case letters (and, when n
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
