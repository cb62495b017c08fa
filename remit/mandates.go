package remit

import (
	"errors"
)

// Mandate lifecycle: active → blocked (a bank return said the mandate or
// the account is unusable) → active again (`remit mandates unblock`, or a
// new IBAN for an account reason); active → revoked (by the debtor, by
// command); active → expired (EPC: 36 months without a collection).

// Mandate statuses.
const (
	MandateActive  = "active"
	MandateBlocked = "blocked"
	MandateRevoked = "revoked"
	MandateExpired = "expired"
)

// Mandate kinds.
const (
	MandateRecurrent = "recurrent" // collected again and again: FRST, then RCUR
	MandateOneOff    = "oneoff"    // collected once: OOFF
)

// Errors about mandates.
var (
	ErrNoMandate    = errors.New("no such mandate")
	ErrMandateState = errors.New("mandate status does not allow it")
)

// Mandate is a mandate as listed.
type Mandate struct {
	ID             int64  `json:"-"`
	RUM            string `json:"rum"`
	Customer       string `json:"customer"`
	Name           string `json:"name"`
	Scheme         string `json:"scheme"`
	Kind           string `json:"kind"`
	Status         string `json:"status"`
	StatusReason   string `json:"status_reason,omitempty"`
	Signed         string `json:"signed,omitempty"`
	LastCollection string `json:"last_collection,omitempty"`
	IBAN           string `json:"iban,omitempty"` // full: the CLI masks it
	// Used tells a one-off mandate that has had its one collection: the SDD
	// run refuses any other receivable on it.
	Used bool `json:"used,omitempty"`
	// NewlyExpired tells a mandate ExpireMandates has just marked expired.
	NewlyExpired bool `json:"newly_expired,omitempty"`
}

// MandateFilter selects mandates.
type MandateFilter struct {
	Status string // "" or "all", or one status
	RUM    string
}
