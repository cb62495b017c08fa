package remit

import (
	"strings"

	"github.com/remit-dev/remit/sepa"
)

// DebitCase is a pointed direct-debit receivable as a run decides on it.
type DebitCase struct {
	Document string
	Currency string
	Amount   int64
	Due      string          // YYYY-MM-DD
	Mandate  *MandateHistory // nil: the receivable names no mandate
	IBAN     string          // the account debited: the mandate's, else the customer's
}

// DebitPolicy is what of a run's options and creditor the rules read.
type DebitPolicy struct {
	ICS         string // the creditor's identifier, as the mandates' amendments compare it
	RCUROnly    bool   // first collections go as RCUR
	MaxAmount   int64  // a file's limit in cents, 0 for none
	National    bool   // the national CFONB debit file is written too: French (and Monegasque) accounts only
	ExpiryLimit string // MandateExpiryLimit of the run
	Dates       *CollectionCalendar
}

// DebitDecision is what a run decides for one direct-debit receivable.
type DebitDecision struct {
	Sequence   string    // FRST, RCUR or OOFF
	Collection string    // the requested collection date
	Amendment  Amendment // the mandate's change this collection announces
	Reasons    Reasons   // why it is refused; none: accepted (the EPC checks of the file aside)
	Expired    bool      // the mandate has expired: the run marks it so
}

// Decide is the decision for the mandate's next receivable in the run,
// the EPC checks of the debtor's data aside: every reason to refuse it,
// its sequence type, requested collection date and amendment. It changes
// nothing; Accept records a decision the run keeps.
func (run *MandateRun) Decide(c DebitCase, p DebitPolicy) DebitDecision {
	var d DebitDecision
	why := &d.Reasons
	if c.Currency != "EUR" {
		why.Add(ReasonCurrency, TodoUnpoint, "currency %s: SEPA direct debits are in euros only", c.Currency)
	}
	if c.Amount < 1 || c.Amount > sepa.MaxAmount {
		why.Add(ReasonAmount, TodoCorrect, "amount %s EUR: must be between 0,01 and 999 999 999,99", FormatAmountFR(c.Amount))
	}
	if p.MaxAmount > 0 && c.Amount > p.MaxAmount {
		why.Add(ReasonOverFileMax, TodoUnpoint, "amount %s EUR is larger than --max-amount %s EUR: it cannot go in any file",
			FormatAmountFR(c.Amount), FormatAmountFR(p.MaxAmount))
	}
	var h MandateHistory
	if c.Mandate == nil {
		why.Add(ReasonNoMandate, TodoCorrect, "no mandate: a SEPA direct debit needs the customer's signed mandate (import its RUM in the mandate column)")
	} else {
		h = *c.Mandate
		d.Expired = mandateReasons(why, h, p.ExpiryLimit)
		// A one-off mandate allows a single collection: made before, or by an
		// earlier receivable of this run.
		if h.Kind == MandateOneOff {
			switch {
			case h.LastCollection != "":
				why.Add(ReasonOneOffUsed, TodoUnpoint, "one-off mandate %s was already collected on %s: a one-off mandate allows a single collection "+
					"(collect this one on a new mandate)", h.RUM, h.LastCollection)
			case run.OneOffBy != "":
				why.Add(ReasonOneOffInRun, TodoUnpoint, "one-off mandate %s is collected by %s in this run: a one-off mandate allows a single collection "+
					"(collect this one on a new mandate)", h.RUM, run.OneOffBy)
			}
		}
	}
	d.Sequence = run.Sequence(h, p.RCUROnly)
	d.Collection = p.Dates.Date(c.Due)
	if d.Sequence == SeqRecurrent && c.Mandate != nil {
		// A recurrent collection follows the pending first one, never on or before its date.
		first := run.pendingFirst(h)
		if next, moved := AfterFirst(d.Collection, first); moved {
			if p.Dates.Forced() {
				why.Add(ReasonFirstPending, TodoLater, "mandate %s: its first collection is requested for %s; a second one cannot be collected on %s "+
					"(run again without --collection-date)", h.RUM, first, d.Collection)
			}
			d.Collection = next
		}
	}
	if c.Mandate != nil {
		d.Amendment = run.Announce(h, c.IBAN, p.ICS)
	}
	if p.National && c.IBAN != "" && !strings.HasPrefix(c.IBAN, "FR") && !strings.HasPrefix(c.IBAN, "MC") {
		why.Add(ReasonNotFrench, TodoUnpoint, "IBAN %s is not French: it cannot go in the national direct-debit file (--cfonb)", c.IBAN)
	}
	return d
}

// mandateReasons adds the reasons a mandate's status, signature and age
// refuse its collections; it reports whether the mandate has expired.
func mandateReasons(why *Reasons, h MandateHistory, expiryLimit string) bool {
	switch h.Status {
	case MandateActive:
	case MandateBlocked:
		why.Add(ReasonMandateBlocked, TodoCorrect, "mandate %s is blocked (a bank return said the mandate or the account is not valid): "+
			"fix it, then reactivate it", h.RUM)
	default:
		why.Add(ReasonMandateStatus, TodoUnpoint, "mandate %s is %s", h.RUM, h.Status)
	}
	if h.Signed == "" {
		why.Add(ReasonMandateUnsigned, TodoCorrect, "mandate %s has no signature date", h.RUM)
	}
	// EPC: a mandate not used for 36 months expires.
	expired, last := MandateExpiry(h.Status, h.LastCollection, h.Signed, expiryLimit)
	if expired {
		why.Add(ReasonMandateExpired, TodoUnpoint, "mandate %s expired: no collection for 36 months (last %s)", h.RUM, last)
	}
	return expired
}

// Accept records a decision the run keeps (the receivable is collected):
// the mandate's next receivables in the run follow it. It reports whether
// the collection is the mandate's first sent as RCUR under the RCUR-only
// policy, once per mandate, for the run's note.
func (run *MandateRun) Accept(d DebitDecision, c DebitCase, rcurOnly bool) (firstAsRCUR bool) {
	if c.Mandate == nil {
		return false
	}
	if d.Amendment.Any() {
		run.Amended = true
	}
	if d.Sequence == SeqRecurrent && c.Mandate.LastCollection == "" && rcurOnly && !run.firstAsRCUR {
		run.firstAsRCUR, firstAsRCUR = true, true
	}
	switch d.Sequence {
	case SeqOneOff:
		run.OneOffBy = c.Document
	case SeqFirst:
		run.FirstOn = d.Collection
	}
	return firstAsRCUR
}
