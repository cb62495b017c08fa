package remit

import (
	"errors"
	"time"

	"github.com/remit-dev/remit/sepa/pain008"
)

// Split policies for SEPA files.
const (
	SplitNone     = "none"     // one file per scheme
	SplitSequence = "sequence" // FRST and RCUR in separate files (seed 004: "un fichier par séquence")
	SplitPmtInf   = "pmtinf"   // one payment block per file
)

// SDDOptions control a SEPA direct-debit run.
type SDDOptions struct {
	Version        pain008.Version
	Scheme         string // "" both (never in one file), "CORE" or "B2B"
	Split          string
	MaxTx          int   // per file, 0 = no limit
	MaxAmount      int64 // per file in cents, 0 = no limit
	BatchBooking   *bool // nil omits BtchBookg
	RCUROnly       *bool // RCUR for first collections (EPC allows it since 2016); nil: the creditor's setting
	LeadDays       int   // TARGET2 business days the bank needs before the collection date
	Cutoff         time.Duration
	CollectionDate time.Time // forces one requested collection date
	Strict         bool      // any refused receivable refuses the whole run
	DryRun         bool
	CFONB          bool // also write the national direct-debit file (seed 004)
	NoBordereau    bool // do not write the PDF remittance slip
	OutDir         string
	NameTemplate   string
	RunID          string
}

// RunResult is what a remittance run did (or, dry, would do).
type RunResult struct {
	Kind        string       `json:"kind"`
	Creditor    string       `json:"creditor"`
	DryRun      bool         `json:"dry_run,omitempty"`
	Remittances []Remittance `json:"remittances"`
	Refused     []Refusal    `json:"refused"`
	Notes       []string     `json:"notes,omitempty"`
}

// ErrRefusedStrict is returned by a strict run that refused receivables.
var ErrRefusedStrict = errors.New("receivables refused and --strict given: nothing remitted")

// LCROptions control an LCR/BOR remittance run.
type LCROptions struct {
	EntryCode    int       // code entrée 1-4 (default 3: encaissement)
	Dailly       string    // code Dailly: "" (blank) or 0-3
	ValueDate    time.Time // date de valeur: required, and not in the past, for codes 1 and 2; none for 3 and 4
	EOL          string    // record separator: crlf (default), lf or none
	Strict       bool
	DryRun       bool
	NoBordereau  bool
	OutDir       string
	NameTemplate string
	RunID        string
}
