package pain001

import (
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// The EPC rules for SEPA Credit Transfer initiations (SCT rulebook 2025,
// customer-to-PSP implementation guidelines) that the ISO schema does not
// express. CheckGroupHeader, CheckPaymentInfo and CheckTransaction return
// every rule one header, block or transaction breaks, each a
// *sepa.RuleError naming it, the field and the value, and wrapping a
// sentinel of package sepa (sepa.ErrIBAN, sepa.ErrAddress, …). A Checker
// adds the rules that span a message (identifiers used twice), so that a
// caller reports every problem of a remittance in one pass before writing.

// remittanceMax is the length of RmtInf/Ustrd, in characters of the EPC
// basic set (the interbank AT-05 field).
const remittanceMax = sepa.MaxRemittance

// CheckGroupHeader returns every rule h breaks (nil if none).
func CheckGroupHeader(h GroupHeader) []error {
	c := sepa.NewChecks("group header", h.MsgID)
	if !h.Version.Valid() {
		c.Fail(ErrVersion, "version", string(h.Version), "want pain.001.001.09 (V09) or pain.001.001.03 (V03)")
	}
	c.GroupHeader(h.MsgID, h.CreatedAt, h.NbOfTxs, h.CtrlSum, h.InitiatingParty)
	return c.Errors()
}

// CheckPaymentInfo returns every rule pi breaks (nil if none), in a message
// with header h (its CreatedAt bounds the execution date).
func CheckPaymentInfo(pi PaymentInfo, h GroupHeader) []error {
	c := sepa.NewChecks("payment info", pi.ID)
	c.Identifier("payment info id (PmtInfId)", pi.ID, true)
	c.DeclaredTotals(pi.NbOfTxs, pi.CtrlSum)
	switch pi.Priority {
	case "", "NORM", "HIGH":
	default:
		c.Fail(sepa.ErrCode, "instruction priority (InstrPrty)", pi.Priority, "want NORM or HIGH, or nothing")
	}
	c.Purpose("category purpose (CtgyPurp)", pi.CategoryPurpose)
	checkExecutionDate(&c, pi.ExecutionDate, h.CreatedAt)
	strict := sepa.StrictAddresses(pi.ExecutionDate)
	// A debtor account outside the EEA needs the debtor's address; so does
	// a creditor's, which CheckTransaction tells transaction by transaction.
	c.Payer("debtor", pi.Debtor, pi.DebtorIBAN, "", strict)
	checkAccount(&c, "debtor IBAN", pi.DebtorIBAN)
	checkBIC(&c, "debtor BIC", pi.DebtorBIC, h.Version)
	if !pi.UltimateDebtor.IsZero() {
		c.Party("ultimate debtor", pi.UltimateDebtor, true, false, strict)
	}
	return c.Errors()
}

// CheckTransaction returns every rule tx breaks (nil if none), in block pi
// of a message with header h: pi gives the execution date (which decides the
// address rule) and the debtor's account and address, h the version.
func CheckTransaction(tx Transaction, pi PaymentInfo, h GroupHeader) []error {
	return checkTransaction(&tx, &pi, h.Version)
}

func checkTransaction(tx *Transaction, pi *PaymentInfo, v Version) []error {
	c := sepa.NewChecks("transaction", tx.EndToEndID)
	c.Identifier("end-to-end id (EndToEndId)", tx.EndToEndID, true)
	c.Identifier("instruction id (InstrId)", tx.InstrID, false)
	if tx.Amount < 1 || tx.Amount > sepa.MaxAmount {
		c.Fail(sepa.ErrAmount, "amount", sepa.FormatAmount(tx.Amount)+" EUR", "must be between 0.01 and 999999999.99")
	}
	if tx.Currency != "" && tx.Currency != "EUR" {
		c.Fail(sepa.ErrCurrency, "currency", tx.Currency,
			"SEPA credit transfers are in euro only: pay it by an international transfer, or convert the amount to euro first")
	}
	checkBIC(&c, "creditor BIC", tx.CreditorBIC, v)
	strict := sepa.StrictAddresses(pi.ExecutionDate)
	c.Party("creditor", tx.Creditor, true, false, strict)
	checkAccount(&c, "creditor IBAN", tx.CreditorIBAN)
	if tx.CreditorIBAN != "" && tx.CreditorIBAN == pi.DebtorIBAN {
		c.Fail(sepa.ErrIBAN, "creditor IBAN", tx.CreditorIBAN, "same as the debtor's account: a transfer moves money between two accounts")
	}
	if pi.Debtor.Address.IsZero() && !sepa.NeedsPayerAddress(pi.DebtorIBAN, "") && sepa.NeedsPayerAddress(pi.DebtorIBAN, tx.CreditorIBAN) {
		c.Fail(sepa.ErrAddress, "debtor address", "",
			"missing: a transfer to a bank in "+tx.CreditorIBAN[:2]+", a SEPA country outside the EEA, carries the payer's town name and country")
	}
	if !tx.UltimateCreditor.IsZero() {
		c.Party("ultimate creditor", tx.UltimateCreditor, true, false, strict)
	}
	c.Purpose("purpose (Purp)", tx.Purpose)
	c.Remittance(tx.RemittanceInfo, tx.CreditorReference)
	if n := remittanceLength(tx.RemittanceInfo); n > remittanceMax {
		c.Fail(sepa.ErrRemittance, "remittance information (Ustrd)", tx.RemittanceInfo,
			strconv.Itoa(n)+" characters after conversion to the EPC character set, at most 140: shorten it "+
				"(it is not cut, since the creditor matches the payment with it)")
	}
	return c.Errors()
}

// remittanceLength is the length of the remittance text as written: after
// sepa.Text's conversion (which may lengthen it: € becomes EUR, Œ OE), with
// no cut.
func remittanceLength(s string) int {
	if s == "" {
		return 0
	}
	var buf [256]byte
	return len(sepa.AppendText(buf[:0], s, len(s)*4))
}

// checkExecutionDate: a TARGET2 business day, not before the day the
// message is created (SCT has no lead time; the bank's cut-off is the
// caller's concern).
func checkExecutionDate(c *sepa.Checks, d, created time.Time) {
	const field = "execution date (ReqdExctnDt)"
	switch {
	case d.IsZero():
		c.Fail(sepa.ErrDate, field, "", "missing")
	case !sepa.IsTARGET2BusinessDay(d):
		c.Fail(sepa.ErrDate, field, d.Format(time.DateOnly),
			"not a TARGET2 business day (next: "+sepa.NextBusinessDay(d).Format(time.DateOnly)+")")
	case !created.IsZero() && sepa.DateAfter(created, d):
		c.Fail(sepa.ErrDate, field, d.Format(time.DateOnly),
			"in the past: the message is created on "+created.Format(time.DateOnly))
	}
}

// checkBIC checks an optional BIC, and in pain.001.001.03 the 2009 form
// its schema wants: no test ('0') or passive ('1') location code, no letter
// O in the location's second character.
func checkBIC(c *sepa.Checks, field, bic string, v Version) {
	c.BIC(field, bic)
	if v == V03 && (len(bic) == 8 || len(bic) == 11) {
		if l := bic[6]; l == '0' || l == '1' {
			c.Fail(sepa.ErrBIC, field, bic, "pain.001.001.03 does not take a test or passive BIC (location code "+bic[6:8]+"): use pain.001.001.09")
		} else if bic[7] == 'O' {
			c.Fail(sepa.ErrBIC, field, bic, "pain.001.001.03 does not take the letter O in a BIC's location code: use pain.001.001.09")
		}
	}
}

// checkAccount checks an account of a SEPA credit transfer: a valid IBAN of
// a SEPA scheme country.
func checkAccount(c *sepa.Checks, field, iban string) {
	if err := sepaIBAN(iban); err != nil {
		c.FailCause(sepa.ErrIBAN, field, iban, err)
	}
}

// Checker holds what the rules spanning a message need: the identifiers
// used so far. Feed it the header, then each block and its transactions in
// the order they will be written; each call returns the problems of that
// item (so that a caller can refuse one payable and keep the others).
// Memory grows with the transactions: 16 bytes of hash per EndToEndId.
type Checker struct {
	h      GroupHeader
	seeds  [2]maphash.Seed
	e2e    map[[2]uint64]struct{}
	blocks map[string]struct{}
}

// NewChecker returns a Checker for a message with header h, and the rules
// h breaks.
func NewChecker(h GroupHeader) (*Checker, []error) {
	c := &Checker{h: h, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		e2e: make(map[[2]uint64]struct{}), blocks: make(map[string]struct{})}
	return c, CheckGroupHeader(h)
}

// PaymentInfo returns the rules pi breaks, its PmtInfId used twice included.
func (c *Checker) PaymentInfo(pi PaymentInfo) []error {
	errs := CheckPaymentInfo(pi, c.h)
	if pi.ID != "" {
		if _, dup := c.blocks[pi.ID]; dup {
			errs = append(errs, duplicateError("payment info", "payment info id (PmtInfId)", pi.ID, "an earlier block of the message"))
		}
		c.blocks[pi.ID] = struct{}{}
	}
	return errs
}

// Transaction returns the rules tx breaks in block pi, its EndToEndId used
// twice in the message included (two 64-bit hashes per id: a false alarm
// is as unlikely as 1 in 10^25 for a million transactions).
func (c *Checker) Transaction(tx Transaction, pi PaymentInfo) []error {
	errs := checkTransaction(&tx, &pi, c.h.Version)
	if tx.EndToEndID != "" {
		k := [2]uint64{maphash.String(c.seeds[0], tx.EndToEndID), maphash.String(c.seeds[1], tx.EndToEndID)}
		if _, dup := c.e2e[k]; dup {
			errs = append(errs, duplicateError("transaction", "end-to-end id (EndToEndId)", tx.EndToEndID, "an earlier transaction of the message"))
		}
		c.e2e[k] = struct{}{}
	}
	return errs
}

func duplicateError(block, field, id, where string) error {
	return &sepa.RuleError{Block: block, Ref: id, Field: field, Value: id, Err: sepa.ErrDuplicate,
		Reason: "already used by " + where + "; each must be unique"}
}

// sepaIBAN checks an account of a SEPA credit transfer: a valid IBAN of a
// country of the SEPA schemes (ident.ValidateSEPAIBAN, the list EPC409-09);
// outside SEPA it says what to do instead.
func sepaIBAN(iban string) error {
	err := ident.ValidateSEPAIBAN(iban)
	if errors.Is(err, ident.ErrNotSEPA) {
		return fmt.Errorf("%w: pay it by an international transfer", err)
	}
	return err
}
