package pain001

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/sepa"
)

// Version is a pain.001 message version. The zero value is not a version:
// callers choose one, usually through ParseVersion from configuration.
type Version string

// The pain.001 versions remit writes. V09 (ISO 20022 2019) is what the EPC
// SCT rulebook in force (2025) expects; V03 (2009) is kept for banks that
// still want it.
const (
	V03 Version = "pain.001.001.03"
	V09 Version = "pain.001.001.09"
)

// Errors of this package that are not EPC rules: an unknown version, and a
// Writer used out of order. The broken rules wrap the sentinels of package
// sepa (sepa.ErrIBAN, sepa.ErrAmount, …), shared with pain.008.
var (
	ErrVersion     = errors.New("unsupported pain.001 version")
	ErrWriterState = errors.New("pain.001 writer misuse")
)

// Namespace returns the XML namespace of the version's Document element.
func (v Version) Namespace() string { return "urn:iso:std:iso:20022:tech:xsd:" + string(v) }

// XSD returns the file name of the version's official schema.
func (v Version) XSD() string { return string(v) + ".xsd" }

// String returns the message name, e.g. "pain.001.001.09".
func (v Version) String() string { return string(v) }

// Valid reports whether v is V03 or V09.
func (v Version) Valid() bool { return v == V03 || v == V09 }

// ParseVersion accepts "09", "9", "001.09", "pain.001.001.09" (and the same
// for 03), case-insensitive, surrounding spaces ignored.
func ParseVersion(s string) (Version, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "pain.")
	t = strings.TrimPrefix(t, "001.")
	t = strings.TrimPrefix(t, "001.")
	switch t {
	case "03", "3":
		return V03, nil
	case "09", "9":
		return V09, nil
	}
	return "", fmt.Errorf("%w %q: want 09 or 03 (pain.001.001.09, pain.001.001.03)", ErrVersion, s)
}

// GroupHeader is the message's GrpHdr. NbOfTxs and CtrlSum are declared up
// front (the XML needs them before the transactions; the caller gets them
// from one aggregate query) and the Writer checks them against what was
// actually written.
type GroupHeader struct {
	Version         Version
	MsgID           string     // MsgId, 1-35 characters, unique per debtor over time (the caller's store keeps it so)
	CreatedAt       time.Time  // CreDtTm, written as wall-clock time in its location, without zone
	NbOfTxs         int        // transactions in the whole message
	CtrlSum         int64      // sum of all amounts, in euro cents
	InitiatingParty sepa.Party // InitgPty: name, optional Id
}

// PaymentInfo is one PmtInf block: the transfers paid from one account on
// one execution date with one batch-booking choice.
type PaymentInfo struct {
	ID              string // PmtInfId, 1-35 characters, unique in the message
	BatchBooking    *bool  // BtchBookg: true books the block as one debit; nil omits it (bank default)
	NbOfTxs         int    // transactions in this block
	CtrlSum         int64  // sum of this block's amounts, in euro cents
	Priority        string // PmtTpInf/InstrPrty: "" (omitted), "NORM" or "HIGH"
	CategoryPurpose string // PmtTpInf/CtgyPurp/Cd, e.g. "SUPP" (supplier payment); optional
	// ExecutionDate is ReqdExctnDt (written as Dt in .09): a TARGET2
	// business day, not before the message's creation date.
	ExecutionDate  time.Time
	Debtor         sepa.Party // Dbtr, the company paying: name; address structured or hybrid
	DebtorIBAN     string     // DbtrAcct
	DebtorBIC      string     // DbtrAgt; optional (see Writer for what is written without it)
	UltimateDebtor sepa.Party // UltmtDbtr; zero value omits it
}

// Transaction is one CdtTrfTxInf: one transfer to one creditor (a supplier,
// or a customer being refunded).
type Transaction struct {
	InstrID    string // InstrId, optional, 1-35 characters
	EndToEndID string // EndToEndId, 1-35 characters, travels to the creditor and back on returns
	Amount     int64  // euro cents, 1 to 99 999 999 999
	// Currency is the ISO 4217 code of Amount: "EUR", or empty for EUR. SEPA
	// credit transfers are in euro only; any other currency is refused.
	Currency         string
	CreditorBIC      string     // CdtrAgt; optional, the element is omitted without it
	Creditor         sepa.Party // Cdtr: name required; address optional, structured or hybrid when given
	CreditorIBAN     string     // CdtrAcct
	UltimateCreditor sepa.Party // UltmtCdtr; zero value omits it
	Purpose          string     // Purp/Cd, an ISO external purpose code such as "SUPP"; optional
	// Remittance information: either RemittanceInfo (free text, RmtInf/Ustrd,
	// at most 140 characters after conversion to the EPC set: longer text is
	// refused, not cut, since the creditor matches the payment with it) or
	// CreditorReference (an ISO 11649 RF reference, RmtInf/Strd/CdtrRefInf),
	// not both.
	RemittanceInfo    string
	CreditorReference string
}
