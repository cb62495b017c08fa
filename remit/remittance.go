package remit

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Remittance statuses.
const (
	RemittanceCreated   = "created"   // files written, not yet confirmed sent to the bank
	RemittanceSent      = "sent"      // the accountant confirmed it went to the bank
	RemittanceCancelled = "cancelled" // withdrawn before sending; its receivables went back to pointed
)

// Kind is a kind of remittance as remittances record it: "sdd", "lcr"
// (credit transfers and cheques next). Each is a package of remit/collect.
type Kind string

// Remittance is a remise: one bank file (plus its companions), one
// reference, a set of receivables.
type Remittance struct {
	ID       int64  `json:"-"`
	Ref      string `json:"ref"`
	Creditor string `json:"creditor"`
	Kind     Kind   `json:"kind"`             // sdd or lcr
	Scheme   string `json:"scheme,omitempty"` // CORE or B2B
	// Bank is the code of the bank the remittance went to: its account is
	// the one the files name and the entries debit. Empty for remittances
	// made before banks, whose files name the creditor's account as their
	// parameters recorded it.
	Bank      string     `json:"bank,omitempty"`
	Status    string     `json:"status"`
	MsgID     string     `json:"msg_id,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	Count     int        `json:"count"`
	Total     int64      `json:"-"`
	TotalText string     `json:"total"`
	Files     []FileInfo `json:"files"`
	Blocks    []Block    `json:"blocks"`
	// Issuer is the creditor as the remittance's files name it, recorded
	// with its parameters so that its files can be written again.
	Issuer Creditor `json:"-"`
	// Params are its kind's parameters as recorded (JSON, the creditor
	// included): the kind reads them (sdd.ParamsOf, lcr.ParamsOf).
	Params json.RawMessage `json:"-"`
}

// Block is a payment block (PmtInf) of a remittance, or the single block of an LCR remittance.
type Block struct {
	Number         int       `json:"block"`
	SequenceType   string    `json:"sequence_type,omitempty"`
	CollectionDate time.Time `json:"-"`
	Date           string    `json:"collection_date"`
	Count          int       `json:"count"`
	Total          int64     `json:"-"`
	TotalText      string    `json:"total"`
}

// TimestampLayout is how times (of creation, of a refusal) are stored.
const TimestampLayout = "2006-01-02T15:04:05"

// ErrNoRemittance is returned for an unknown remittance reference.
var ErrNoRemittance = errors.New("no such remittance")

// ParseRef reads a remittance reference ("7", "007").
func ParseRef(s string) (int64, error) {
	s = strings.TrimSpace(s)
	var id int64
	if _, err := fmt.Sscanf(s, "%d", &id); err != nil || id <= 0 || fmt.Sprint(id) != strings.TrimLeft(s, "0") {
		return 0, fmt.Errorf("%q is not a remittance reference (a number such as 7 or 007)", s)
	}
	return id, nil
}

// ErrAlreadySent is returned when cancelling a remittance the bank has.
var ErrAlreadySent = errors.New("already sent to the bank: it cannot be cancelled (record the bank's rejects with remit reject or remit returns)")

// ErrAlreadyCancelled is returned when cancelling a cancelled remittance.
var ErrAlreadyCancelled = errors.New("already cancelled")

// CancelledFolder is the folder of --out that keeps the files of cancelled
// remittances, each renamed CANCELLED.<name>: kept for the record, out of
// reach of an uploader that sends out/PAIEMENT.* or out/*.xml.
const CancelledFolder = "cancelled"
