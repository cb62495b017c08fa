package sdd

import (
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/sepa/pain008"
)

// Split policies for SEPA files.
const (
	SplitNone     = "none"     // one file per scheme
	SplitSequence = "sequence" // FRST and RCUR in separate files (seed 004: "un fichier par séquence")
	SplitPmtInf   = "pmtinf"   // one payment block per file
)

// Options control a SEPA direct-debit run.
type Options struct {
	collect.Common
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
	CFONB          bool      // also write the national direct-debit file (seed 004)
	Bank           string    // only the receivables of this bank (its code); "" every bank
}

// check fills in the defaults and refuses what cannot be.
func (o *Options) check() error {
	if o.Version == "" {
		o.Version = pain008.V08
	}
	if !o.Version.Valid() {
		return fmt.Errorf("pain version %q: want pain.008.001.08 or pain.008.001.02", o.Version)
	}
	switch o.Split {
	case "":
		o.Split = SplitNone
	case SplitNone, SplitSequence, SplitPmtInf:
	default:
		return fmt.Errorf("split %q: want none, sequence or pmtinf", o.Split)
	}
	switch o.Scheme {
	case "", "CORE", "B2B":
	default:
		return fmt.Errorf("scheme %q: want CORE or B2B", o.Scheme)
	}
	if o.MaxTx < 0 || o.MaxAmount < 0 || o.LeadDays < 0 {
		return errors.New("max-tx, max-amount and lead days cannot be negative")
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	if _, err := remit.FileName(o.NameTemplate, "001", "X", "sdd", time.Now()); err != nil {
		return err
	}
	return nil
}

// creditorProblems is every reason the creditor cannot collect: its fields
// are checked again here, other software may have written them.
func creditorProblems(cr remit.Creditor) []error {
	errs := cr.Validate()
	if cr.ICS == "" {
		errs = append(errs, errors.New("no SEPA creditor identifier (remit creditor set --ics)"))
	}
	if cr.IBAN == "" {
		errs = append(errs, errors.New("no IBAN (remit creditor set --iban)"))
	}
	if cr.Address.Town == "" || cr.Address.Country == "" {
		errs = append(errs, errors.New("no structured address: town and country are required (remit creditor set --town --country)"))
	}
	return errs
}
