package pain008

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/sepa"
)

// Version is a pain.008 message version. The zero value is not a version:
// callers choose one, usually through ParseVersion from configuration.
type Version string

// The pain.008 versions remit writes. V08 (ISO 20022 2019) is what the EPC
// rulebooks in force expect; V02 (2009) is kept for banks that still want it.
const (
	V02 Version = "pain.008.001.02"
	V08 Version = "pain.008.001.08"
)

// ErrVersion reports an unknown or unset pain.008 version.
var ErrVersion = errors.New("unsupported pain.008 version")

// Namespace returns the XML namespace of the version's Document element.
func (v Version) Namespace() string { return "urn:iso:std:iso:20022:tech:xsd:" + string(v) }

// XSD returns the file name of the version's official schema.
func (v Version) XSD() string { return string(v) + ".xsd" }

// String returns the message name, e.g. "pain.008.001.08".
func (v Version) String() string { return string(v) }

// Valid reports whether v is one of V02 and V08.
func (v Version) Valid() bool { return v == V02 || v == V08 }

// ParseVersion accepts "02", "2", "08", "8", "001.08", "pain.008.001.08" (and
// the same for 02), case-insensitive, surrounding spaces ignored.
func ParseVersion(s string) (Version, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "pain.")
	t = strings.TrimPrefix(t, "008.")
	t = strings.TrimPrefix(t, "001.")
	switch t {
	case "02", "2":
		return V02, nil
	case "08", "8":
		return V08, nil
	}
	return "", fmt.Errorf("%w %q: want 02 or 08 (pain.008.001.02, pain.008.001.08)", ErrVersion, s)
}

// GroupHeader is the message's GrpHdr. NbOfTxs and CtrlSum are declared up
// front (the XML needs them before the transactions; the caller gets them
// from one aggregate query) and the Writer checks them against what was
// actually written.
type GroupHeader struct {
	Version         Version
	MsgID           string     // 1-35 characters, unique per creditor: MsgId
	CreatedAt       time.Time  // CreDtTm, written as wall-clock time in its location, without zone
	NbOfTxs         int        // transactions in the whole message
	CtrlSum         int64      // sum of all amounts, in euro cents
	InitiatingParty sepa.Party // InitgPty: name, optional Id
}

// PaymentInfo is one PmtInf block: the transactions that share a creditor
// account, scheme, sequence type and collection date.
type PaymentInfo struct {
	ID               string // PmtInfId, 1-35 characters
	BatchBooking     *bool  // BtchBookg; nil omits the element (bank default)
	NbOfTxs          int    // transactions in this block
	CtrlSum          int64  // sum of this block's amounts, in euro cents
	Scheme           string // LclInstrm: "CORE" or "B2B"; one scheme per message
	SeqType          string // "FRST", "RCUR", "OOFF" or "FNAL"
	CollectionDate   time.Time
	Creditor         sepa.Party // Cdtr: name and (structured or hybrid) address required
	CreditorIBAN     string     // CdtrAcct
	CreditorBIC      string     // CdtrAgt; empty writes Othr/Id NOTPROVIDED
	UltimateCreditor sepa.Party // UltmtCdtr; zero value omits it
	CreditorSchemeID string     // CdtrSchmeId: the ICS, e.g. FR72ZZZ123456
}

// Transaction is one DrctDbtTxInf.
type Transaction struct {
	InstrID        string     // optional, 1-35 characters
	EndToEndID     string     // 1-35 characters, returned to the creditor on rejects
	Amount         int64      // euro cents, 1 to 99 999 999 999
	MandateID      string     // RUM
	MandateSigned  time.Time  // DtOfSgntr
	Amendment      *Amendment // nil writes AmdmntInd false
	DebtorBIC      string     // DbtrAgt; empty writes Othr/Id NOTPROVIDED
	Debtor         sepa.Party // Dbtr: name required; address optional for EEA debtors
	DebtorIBAN     string     // DbtrAcct
	UltimateDebtor sepa.Party // UltmtDbtr; zero value omits it
	Purpose        string     // Purp/Cd, an ISO external purpose code such as "OTHR"; optional
	// Remittance information: either RemittanceInfo (free text, RmtInf/Ustrd)
	// or CreditorReference (an ISO 11649 RF reference, RmtInf/Strd/CdtrRefInf),
	// not both (EPC: one occurrence of either).
	RemittanceInfo    string
	CreditorReference string
}

// Amendment describes what changed in a mandate since the last collection
// (AmdmntInd true and AmdmntInfDtls). Set only the fields that changed.
type Amendment struct {
	OriginalMandateID        string // OrgnlMndtId: the RUM used before
	OriginalCreditorSchemeID string // OrgnlCdtrSchmeId/Id: the ICS used before
	OriginalCreditorName     string // OrgnlCdtrSchmeId/Nm: the creditor name used before
	OriginalDebtorIBAN       string // OrgnlDbtrAcct/Id/IBAN: account changed within the same bank
	NewDebtorAccount         bool   // OrgnlDbtrAcct/Id/Othr/Id SMNDA: account moved to another bank
}
