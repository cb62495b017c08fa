package remit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/sepa"
)

// Bank returns: rejects before settlement (pain.002 RJCT, or entered by
// hand), returns after settlement (camt.054), LCR unpaids (by hand).
//
// A return sets the remittance item to 'rejected' (before settlement: the
// collection does not count, so the mandate's next collection is FRST
// again) or 'returned' (after settlement: it counts), puts the receivable
// back to 'rejected' (it can be pointed again), writes the reversing
// écriture and the bank fee, and blocks the mandate for the reasons that
// say the mandate or the account is unusable.
//
// Matching never guesses: an item is found by its EndToEndId (within the
// original message when the file names it) or, by hand, by its document;
// only a remittance created on or before the return date qualifies. An
// item comes back at most once, so applying the same file twice changes
// nothing: the second time every item is reported as already recorded.

// Return sources.
const (
	SourceManual  = "manual"
	SourcePain002 = "pain.002"
	SourceCamt054 = "camt.054"
	// SourceStatement: a debit on a bank statement (CFONB 120, camt.053)
	// seen before any return file named it.
	SourceStatement = "statement"
)

// Outcome statuses of a return.
const (
	ReturnApplied = "applied" // recorded now
	ReturnAlready = "already" // recorded before: nothing changed
	ReturnUnknown = "unknown" // no collection matches
	ReturnRefused = "refused" // a collection matches but cannot take this return
)

// ErrReasonCode is returned for a reason code that is not 2 to 4 letters or digits.
var ErrReasonCode = errors.New("a reason code is 2 to 4 letters or digits (AM04, MD01, or the bank's unpaid code)")

// NormalizeReason checks a reason code and returns it in upper case.
func NormalizeReason(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) < 2 || len(c) > 4 {
		return c, fmt.Errorf("%q: %w", code, ErrReasonCode)
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'A' && c[i] <= 'Z' || c[i] >= '0' && c[i] <= '9') {
			return c, fmt.Errorf("%q: %w", code, ErrReasonCode)
		}
	}
	return c, nil
}

// mandateBlockingReasons are the reasons that block the mandate. true: an
// account problem, lifted when the mandate gets a new IBAN; false: a
// mandate problem, lifted only by `remit mandates unblock`.
var mandateBlockingReasons = map[string]bool{
	"AC01": true,  // incorrect account number
	"AC04": true,  // closed account
	"AC06": true,  // blocked account
	"AG01": true,  // transaction forbidden on this account
	"MD01": false, // no valid mandate
	"MD07": false, // debtor deceased
}

// AccountReason tells whether a return with this reason blocked its mandate
// for its account (AC01, AC04, AC06, AG01): a new IBAN lifts the block.
func AccountReason(reason string) bool { return mandateBlockingReasons[reason] }

// BlocksMandate tells whether a return with this reason blocks the mandate.
func BlocksMandate(reason string) bool {
	_, ok := mandateBlockingReasons[reason]
	return ok
}

// ReturnInput is one reject or return to record.
type ReturnInput struct {
	Line             int    // in the bank file, for messages
	Document         string // by hand: the receivable's document
	EndToEndID       string
	OriginalMsgID    string // the remittance's MsgId, when the bank gives it
	OriginalPmtInfID string
	MandateID        string
	Amount           int64 // 0: not given
	Reason           string
	AdditionalInfo   string
	Date             time.Time // zero: the batch's date
	GroupLevel       bool      // the whole message (or payment block) was rejected
	// Credit: a transfer of ours (a supplier payment) came back, credited
	// to our account; only a payment matches it.
	Credit bool
}

// ReturnBatch is a set of returns recorded in one transaction.
type ReturnBatch struct {
	Source    string // SourceManual, SourcePain002 or SourceCamt054
	Version   string // the bank file's message name, e.g. pain.002.001.03
	File      string
	SHA256    string
	MsgID     string    // the bank file's MsgId
	CreatedAt time.Time // the bank file's creation time; zero: now
	Settled   bool      // returns after settlement (camt.054, or by hand --after-settlement)
	Fee       int64     // bank fee per applied return, cents
	Items     []ReturnInput
}

// ReturnOutcome is what happened to one return.
type ReturnOutcome struct {
	Status        string `json:"status"`
	Line          int    `json:"line,omitempty"`
	Document      string `json:"document,omitempty"`
	Customer      string `json:"customer,omitempty"`
	Name          string `json:"name,omitempty"`
	Amount        int64  `json:"-"`
	AmountText    string `json:"amount,omitempty"`
	Fee           int64  `json:"-"`
	FeeText       string `json:"fee,omitempty"`
	Reason        string `json:"reason"`
	ReasonLabel   string `json:"reason_label,omitempty"`
	Date          string `json:"date"`
	Remittance    string `json:"remittance,omitempty"`
	EndToEndID    string `json:"end_to_end_id,omitempty"`
	Mandate       string `json:"mandate,omitempty"`
	MandateEffect string `json:"mandate_effect,omitempty"`
	Message       string `json:"message,omitempty"`
}

// ReturnsResult reports a batch.
type ReturnsResult struct {
	Source   string          `json:"source"`
	Version  string          `json:"version,omitempty"`
	File     string          `json:"file,omitempty"`
	MsgID    string          `json:"msg_id,omitempty"`
	Outcomes []ReturnOutcome `json:"items"`
}

// Count returns how many outcomes have the status.
func (r *ReturnsResult) Count(status string) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == status {
			n++
		}
	}
	return n
}

// ManualReject is a reject or unpaid entered by hand (seed 000, "rejet
// manuel d'encaissement": date de rejet, motif).
type ManualReject struct {
	Document        string
	Reason          string
	Date            time.Time
	Fee             int64
	AfterSettlement bool
}

// Batch checks a reject entered by hand and makes it a batch of one.
func (m ManualReject) Batch() (ReturnBatch, error) {
	reason, err := NormalizeReason(m.Reason)
	if err != nil {
		return ReturnBatch{}, err
	}
	if strings.TrimSpace(m.Document) == "" {
		return ReturnBatch{}, errors.New("no document given")
	}
	if m.Fee < 0 {
		return ReturnBatch{}, errors.New("a fee cannot be negative")
	}
	return ReturnBatch{Source: SourceManual, Settled: m.AfterSettlement, Fee: m.Fee,
		Items: []ReturnInput{{Document: strings.TrimSpace(m.Document), Reason: reason, Date: m.Date}}}, nil
}

// ReasonLabel labels the known ISO 20022 codes; "" for a bank's own code.
func ReasonLabel(code string) string { return sepa.ReasonLabel(code) }

// ReturnBatchFromFile turns a bank file read by sepa.ReadReturns into a
// batch: a pain.002 reports rejects before settlement, a camt.054 returns
// after settlement. The transactions come first, then the rejected payment
// blocks and messages, whose expansion skips the transactions already
// listed.
func ReturnBatchFromFile(f *sepa.ReturnFile, file, sha256 string, fee int64) ReturnBatch {
	b := ReturnBatch{Source: SourcePain002, Version: f.Version, File: file, SHA256: sha256, MsgID: f.MsgID, CreatedAt: f.CreatedAt, Fee: fee}
	if f.Kind == "camt.054" {
		b.Source, b.Settled = SourceCamt054, true
	}
	for pass := 0; pass < 3; pass++ {
		for _, it := range f.Items {
			level := 0
			switch {
			case it.GroupLevel:
				level = 2
			case it.PaymentLevel:
				level = 1
			}
			if level != pass {
				continue
			}
			in := ReturnInput{Line: it.Line, EndToEndID: it.EndToEndID, OriginalMsgID: it.OriginalMsgID, MandateID: it.MandateID,
				Amount: it.Amount, Reason: it.Reason, AdditionalInfo: it.AdditionalInfo, Date: it.Date, GroupLevel: level > 0,
				Credit: it.Credit}
			if in.OriginalMsgID == "" {
				in.OriginalMsgID = f.OriginalMsgID
			}
			if level == 1 {
				in.OriginalPmtInfID = it.OriginalPmtInfID
			}
			if level > 0 {
				in.EndToEndID = ""
			}
			b.Items = append(b.Items, in)
		}
	}
	return b
}
