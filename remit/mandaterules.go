package remit

import "time"

// MandateExpiryLimit is the EPC limit at now: a mandate whose latest
// collection (or, never used, its signature) is before it has expired, 36
// months without a collection.
func MandateExpiryLimit(now time.Time) string { return FormatDate(Day(now).AddDate(-3, 0, 0)) }

// MandateExpiry reports whether a mandate of this status, latest counted
// collection and signature date has expired at limit (MandateExpiryLimit),
// and the date its 36 months ran from. Only an active mandate expires.
func MandateExpiry(status, lastCollection, signed, limit string) (expired bool, since string) {
	since = lastCollection
	if since == "" {
		since = signed
	}
	return status == MandateActive && since != "" && since < limit, since
}

// MandateExpiryReason is MandateExpiry with the status reason an expired
// mandate is given: "no collection for 36 months (last 2023-11-21)", or
// "never used in 36 months (signed 2023-11-21)".
func MandateExpiryReason(status, lastCollection, signed, limit string) (reason string, expired bool) {
	expired, since := MandateExpiry(status, lastCollection, signed, limit)
	switch {
	case !expired:
		return "", false
	case lastCollection == "":
		return "never used in 36 months (signed " + since + ")", true
	}
	return "no collection for 36 months (last " + since + ")", true
}

// Amendment is a change of mandate a collection announces to the debtor's
// bank (pain.008 AmdmntInfDtls), as the items store it.
type Amendment struct {
	Account string // "SMNDA": the debtor's account changed since the mandate's last collection
	RUM     string // the original RUM, when the mandate's changed
	ICS     string // the original creditor identifier, when the creditor's changed
}

// Any reports whether the collection announces a change.
func (a Amendment) Any() bool { return a.Account != "" || a.RUM != "" || a.ICS != "" }

// Amendments are the changes a collection on a mandate with history h
// announces, debiting iban for the creditor identified by ics: a new
// account (SMNDA) when its last collection debited another, the original
// RUM or creditor identifier when they changed and were not announced yet.
func Amendments(h MandateHistory, iban, ics string) Amendment {
	var a Amendment
	if h.LastIBAN != "" && h.LastIBAN != iban {
		a.Account = "SMNDA"
	}
	if h.OriginalRUM != "" && h.OriginalRUM != h.RUM {
		a.RUM = h.OriginalRUM
	}
	if h.OriginalICS != "" && h.OriginalICS != ics {
		a.ICS = h.OriginalICS
	}
	return a
}

// Announce is Amendments for the mandate's next receivable in this run:
// a change is announced once per mandate and run.
func (run *MandateRun) Announce(h MandateHistory, iban, ics string) Amendment {
	if run.Amended {
		return Amendment{}
	}
	return Amendments(h, iban, ics)
}

// NextAfterReturn says what a return means for the mandate's next
// collection, for remit reject and remit returns to say what the next run
// will write: after a reject before settlement of a recurrent mandate's
// collection that leaves it with no counted collection, the next is a
// first one again (sent as RCUR under the RCUR-only policy); "" otherwise.
func NextAfterReturn(settled bool, seq string, counted bool, rcurOnly bool) string {
	switch {
	case settled || seq == SeqOneOff || counted:
		return ""
	case rcurOnly:
		return "next collection is a first one again (sent as RCUR: RCUR-only policy)"
	}
	return "next collection FRST again"
}
