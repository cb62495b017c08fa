package sct

import (
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/sepa/pain001"
)

// Options control a credit-transfer run.
type Options struct {
	collect.Common
	Version pain001.Version // default V09
	// Bank makes every payment from this bank, whatever its limit (remit
	// sct --bank: "l'utilisateur a toujours le dernier mot").
	Bank string
	// ExecutionDate asks for this execution date (moved to the next
	// TARGET2 business day when it is not one); zero: from each payment's
	// due date.
	ExecutionDate time.Time
	LeadDays      int           // TARGET2 business days a payment is executed before its due date
	Cutoff        time.Duration // the bank's daily cut-off: after it, today cannot be an execution date
	BatchBooking  *bool         // nil omits BtchBookg
	CFONB         bool          // also write the CFONB 160 virement file
	NoDiscounts   bool          // take no early-payment discount
	NoAdvices     bool          // write no avis de paiement
	// Treasury gives the banks and their projected balances; nil is the
	// creditor's own account as its only bank (payplan.CreditorBank).
	Treasury payplan.Treasury
}

// ErrOption marks the options a run refuses before it reads anything (a
// usage error).
var ErrOption = payplan.ErrOption

// check fills in the defaults and refuses what cannot be.
func (o *Options) check(now time.Time) error {
	if o.Version == "" {
		o.Version = pain001.V09
	}
	if !o.Version.Valid() {
		return payplan.Optionf("pain version %q: want pain.001.001.09 or pain.001.001.03", o.Version)
	}
	if o.LeadDays < 0 || o.LeadDays > 30 {
		return payplan.Optionf("lead days %d: want 0 to 30", o.LeadDays)
	}
	if !o.ExecutionDate.IsZero() && remit.Day(o.ExecutionDate).Before(remit.Day(now)) {
		return payplan.Optionf("--execution-date %s is in the past (today is %s)", remit.FormatDate(o.ExecutionDate),
			remit.FormatDate(now))
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	if _, err := remit.FileName(o.NameTemplate, "001", "X", string(Name), now); err != nil {
		return err
	}
	return nil
}
