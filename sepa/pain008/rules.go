package pain008

import (
	"errors"
	"time"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// The EPC rules for SEPA Direct Debit initiations (SDD Core and B2B
// rulebooks, customer-to-PSP implementation guidelines) that the ISO schema
// does not express. CheckGroupHeader, CheckPaymentInfo and CheckTransaction
// return every rule one header, block or transaction breaks, each a
// *sepa.RuleError naming it, the field and the value, and wrapping a
// sentinel: one of package sepa (sepa.ErrIBAN, sepa.ErrAddress, …, shared
// with pain.001) or one of the reasons below, which only direct debits have.
var (
	ErrCreditorID  = errors.New("invalid creditor identifier")
	ErrMandate     = errors.New("invalid mandate")
	ErrAmendment   = errors.New("invalid mandate amendment")
	ErrWriterState = errors.New("pain.008 writer misuse")
)

// creditorSchemeName is the SchmeNm/Prtry of every SEPA creditor
// identifier (CdtrSchmeId and OrgnlCdtrSchmeId).
const creditorSchemeName = "SEPA"

// CheckGroupHeader returns every rule h breaks (nil if none).
func CheckGroupHeader(h GroupHeader) []error {
	c := sepa.NewChecks("group header", h.MsgID)
	if !h.Version.Valid() {
		c.Fail(ErrVersion, "version", string(h.Version), "want pain.008.001.08 (V08) or pain.008.001.02 (V02)")
	}
	c.GroupHeader(h.MsgID, h.CreatedAt, h.NbOfTxs, h.CtrlSum, h.InitiatingParty)
	return c.Errors()
}

// CheckPaymentInfo returns every rule pi breaks (nil if none), in a message
// with header h (its Version and CreatedAt are used).
func CheckPaymentInfo(pi PaymentInfo, h GroupHeader) []error {
	c := sepa.NewChecks("payment info", pi.ID)
	c.Identifier("payment info id (PmtInfId)", pi.ID, true)
	c.DeclaredTotals(pi.NbOfTxs, pi.CtrlSum)
	if pi.Scheme != "CORE" && pi.Scheme != "B2B" {
		c.Fail(sepa.ErrCode, "scheme (LclInstrm)", pi.Scheme, "want CORE or B2B")
	}
	switch pi.SeqType {
	case "FRST", "RCUR", "OOFF", "FNAL":
	default:
		c.Fail(sepa.ErrCode, "sequence type (SeqTp)", pi.SeqType, "want FRST, RCUR, OOFF or FNAL")
	}
	checkCollectionDate(&c, pi.CollectionDate, h.CreatedAt)
	strict := sepa.StrictAddresses(pi.CollectionDate)
	c.Party("creditor", pi.Creditor, true, true, strict)
	c.IBAN("creditor IBAN", pi.CreditorIBAN)
	c.BIC("creditor BIC", pi.CreditorBIC)
	if err := ident.ValidateICS(pi.CreditorSchemeID); err != nil {
		c.FailCause(ErrCreditorID, "creditor identifier (ICS)", pi.CreditorSchemeID, err)
	}
	if !pi.UltimateCreditor.IsZero() {
		c.Party("ultimate creditor", pi.UltimateCreditor, true, false, strict)
	}
	return c.Errors()
}

// CheckTransaction returns every rule tx breaks (nil if none), in block pi
// of a message with header h: pi gives the collection date (which decides
// the address rule) and the creditor, h the creation date (mandate
// signatures must not be later).
func CheckTransaction(tx Transaction, pi PaymentInfo, h GroupHeader) []error {
	return checkTransaction(&tx, &pi, h.CreatedAt)
}

func checkTransaction(tx *Transaction, pi *PaymentInfo, created time.Time) []error {
	c := sepa.NewChecks("transaction", tx.EndToEndID)
	c.Identifier("end-to-end id (EndToEndId)", tx.EndToEndID, true)
	c.Identifier("instruction id (InstrId)", tx.InstrID, false)
	if tx.Amount < 1 || tx.Amount > sepa.MaxAmount {
		c.Fail(sepa.ErrAmount, "amount", sepa.FormatAmount(tx.Amount)+" EUR", "must be between 0.01 and 999999999.99")
	}
	if err := ident.ValidateRUM(tx.MandateID); err != nil {
		c.FailCause(ErrMandate, "mandate reference (MndtId)", tx.MandateID, err)
	}
	checkSignatureDate(&c, tx.MandateSigned, created, pi.CollectionDate)
	if tx.Amendment != nil {
		checkAmendment(&c, tx, pi)
	}
	c.BIC("debtor BIC", tx.DebtorBIC)
	c.IBAN("debtor IBAN", tx.DebtorIBAN)
	strict := sepa.StrictAddresses(pi.CollectionDate)
	c.Payer("debtor", tx.Debtor, tx.DebtorIBAN, pi.CreditorIBAN, strict)
	if !tx.UltimateDebtor.IsZero() {
		c.Party("ultimate debtor", tx.UltimateDebtor, true, false, strict)
	}
	c.Purpose("purpose code (Purp)", tx.Purpose)
	c.Remittance(tx.RemittanceInfo, tx.CreditorReference)
	return c.Errors()
}

func checkCollectionDate(c *sepa.Checks, d, created time.Time) {
	if d.IsZero() {
		c.Fail(sepa.ErrDate, "collection date (ReqdColltnDt)", "", "missing")
		return
	}
	if reason := collectionDateReason(d, created, time.Time{}); reason != "" {
		c.Fail(sepa.ErrDate, "collection date (ReqdColltnDt)", d.Format(time.DateOnly), reason)
	}
}

// collectionDateReason returns why d cannot be the collection date of a
// file created on created's date and sent on today's date, or "": it must
// be a TARGET2 business day after both (a zero created or today is not
// compared). The writer gives its creation time, verify both.
func collectionDateReason(d, created, today time.Time) string {
	switch {
	case !sepa.IsTARGET2BusinessDay(d):
		return "not a TARGET2 business day (next: " + sepa.NextBusinessDay(d).Format(time.DateOnly) + ")"
	case !created.IsZero() && !sepa.DateAfter(d, created):
		return "must be after the creation date " + created.Format(time.DateOnly)
	case !today.IsZero() && !sepa.DateAfter(d, today):
		return "not after today (" + today.Format(time.DateOnly) + "): the bank needs the file before the collection date; write it again with a later date"
	}
	return ""
}

func checkSignatureDate(c *sepa.Checks, signed, created, collection time.Time) {
	if signed.IsZero() {
		c.Fail(ErrMandate, "mandate signature date (DtOfSgntr)", "", "missing")
		return
	}
	if reason := signatureDateReason(signed, created, collection); reason != "" {
		c.Fail(ErrMandate, "mandate signature date (DtOfSgntr)", signed.Format(time.DateOnly), reason)
	}
}

// signatureDateReason returns why a mandate signed on signed cannot be
// collected in a file created on created (or, when that is zero, on the
// collection date), or "": a mandate is signed before it is collected.
func signatureDateReason(signed, created, collection time.Time) string {
	switch {
	case !created.IsZero() && sepa.DateAfter(signed, created):
		return "in the future (file created " + created.Format(time.DateOnly) + ")"
	case created.IsZero() && !collection.IsZero() && sepa.DateAfter(signed, collection):
		return "after the collection date " + collection.Format(time.DateOnly)
	}
	return ""
}

// amendmentEmpty is why an amendment that names nothing changed is refused.
const amendmentEmpty = "empty: set what changed, or no amendment at all"

func checkAmendment(c *sepa.Checks, tx *Transaction, pi *PaymentInfo) {
	a := tx.Amendment
	if *a == (Amendment{}) {
		c.Fail(ErrAmendment, "mandate amendment", "", amendmentEmpty)
		return
	}
	if a.OriginalMandateID != "" {
		if err := ident.ValidateRUM(a.OriginalMandateID); err != nil {
			c.FailCause(ErrAmendment, "original mandate reference", a.OriginalMandateID, err)
		} else if a.OriginalMandateID == tx.MandateID {
			c.Fail(ErrAmendment, "original mandate reference", a.OriginalMandateID, "same as the current one")
		}
	}
	if a.OriginalCreditorSchemeID != "" {
		if err := ident.ValidateICS(a.OriginalCreditorSchemeID); err != nil {
			c.FailCause(ErrAmendment, "original creditor identifier", a.OriginalCreditorSchemeID, err)
		} else if a.OriginalCreditorSchemeID == pi.CreditorSchemeID {
			c.Fail(ErrAmendment, "original creditor identifier", a.OriginalCreditorSchemeID, "same as the current one")
		}
	}
	if a.OriginalCreditorName != "" && !sepa.HasText(a.OriginalCreditorName) {
		c.Fail(ErrAmendment, "original creditor name", a.OriginalCreditorName, "nothing left after conversion to the EPC character set")
	}
	if a.OriginalDebtorIBAN != "" {
		switch err := ident.ValidateIBAN(a.OriginalDebtorIBAN); {
		case a.NewDebtorAccount:
			c.Fail(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN,
				"give the original IBAN (same bank) or SMNDA (new bank), not both")
		case err != nil:
			c.FailCause(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN, err)
		case a.OriginalDebtorIBAN == tx.DebtorIBAN:
			c.Fail(ErrAmendment, "original debtor IBAN", a.OriginalDebtorIBAN, "same as the current one")
		}
	}
}
