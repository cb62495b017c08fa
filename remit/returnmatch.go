package remit

import "fmt"

// ReturnCandidate is a collection a bank return may be about: a remittance
// item, with its remittance and the return recorded for it, if any.
type ReturnCandidate struct {
	Remittance        int64
	RemittanceCreated string // the remittance's created_at, a stored timestamp
	Status            string // the item's: remitted, rejected, returned or cancelled
	Amount            int64
	RUM               string
	// The return recorded for the item; Reason "" for none.
	Source, Reason, Date, MsgID string
}

// ChooseReturn picks the collection a return is about among its
// candidates, newest first, and says what to do with it: ReturnApplied,
// or ReturnAlready or ReturnRefused with why. day is the return's date (a
// stored date), batchMsgID the bank file's MsgId. A collection qualifies
// when its remittance was made on or before the return's date; the same
// bank message, or the same reason on the same day, is already recorded;
// the bank's amount and mandate, when it gives them, must be the
// collection's.
func ChooseReturn(in ReturnInput, day, batchMsgID string, cands []ReturnCandidate) (int, string, string) {
	for i, c := range cands {
		if c.Reason == "" {
			continue
		}
		if (batchMsgID != "" && c.MsgID == batchMsgID && c.Reason == in.Reason) || (c.Reason == in.Reason && c.Date == day) {
			return i, ReturnAlready, fmt.Sprintf("already recorded (%s, %s)", c.Source, c.Date)
		}
	}
	var qualifying []int
	for i, c := range cands {
		if dayOf(c.RemittanceCreated) <= day {
			qualifying = append(qualifying, i)
		}
	}
	if len(qualifying) == 0 {
		c := cands[0]
		return 0, ReturnRefused, fmt.Sprintf("remittance %s was created on %s, after the return date %s", Ref(c.Remittance),
			dayOf(c.RemittanceCreated), day)
	}
	for _, i := range qualifying {
		c := cands[i]
		if c.Status == "remitted" {
			if in.Amount > 0 && in.Amount != c.Amount {
				return i, ReturnRefused, fmt.Sprintf("the bank's amount %s differs from the collection's %s", FormatAmountFR(in.Amount),
					FormatAmountFR(c.Amount))
			}
			if in.MandateID != "" && c.RUM != "" && in.MandateID != c.RUM {
				return i, ReturnRefused, fmt.Sprintf("the bank's mandate %s differs from the collection's %s", in.MandateID, c.RUM)
			}
			return i, ReturnApplied, ""
		}
		if c.Reason != "" {
			if c.Reason == in.Reason {
				return i, ReturnAlready, fmt.Sprintf("already recorded (%s, %s)", c.Source, c.Date)
			}
			return i, ReturnRefused, fmt.Sprintf("already %s on %s with reason %s", c.Status, c.Date, c.Reason)
		}
	}
	i := qualifying[0]
	if c := cands[i]; c.Status == "cancelled" {
		return i, ReturnRefused, fmt.Sprintf("remittance %s was cancelled", Ref(c.Remittance))
	}
	return i, ReturnRefused, fmt.Sprintf("the collection is %s", cands[i].Status)
}

// dayOf returns the date part of a stored timestamp.
func dayOf(ts string) string {
	if len(ts) > 10 {
		return ts[:10]
	}
	return ts
}
