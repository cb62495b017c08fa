package remit

// Sequence types of a SEPA direct debit.
const (
	SeqFirst     = "FRST" // the first collection on a recurrent mandate
	SeqRecurrent = "RCUR" // the next ones
	SeqOneOff    = "OOFF" // the single collection on a one-off mandate
)

// MandateHistory is a mandate as a direct-debit run decides on it: its
// terms, the changes it still has to announce, and what counts of its past
// collections (remit's own that the bank took, and those made before remit:
// the store computes them, see countedCollection).
type MandateHistory struct {
	RUM, Signed, Scheme string
	Kind                string // MandateRecurrent or MandateOneOff
	Status              string // MandateActive, MandateBlocked, ...
	IBAN, BIC           string // the account the mandate names; "" for the customer's
	OriginalRUM         string // a change of RUM not announced yet
	OriginalICS         string // a change of creditor identifier not announced yet
	LastCollection      string // date of its latest counted collection, "" for none
	LastIBAN            string // the account that collection debited
	PendingFirst        string // collection date of its latest FRST still at the bank, "" for none
}

// MandateRun is what one run has decided so far for one mandate: the rules
// of its next receivable depend on it (a second collection in the run is
// RCUR, a one-off mandate is collected once, an amendment is announced
// once). A run starts a new one for each mandate.
type MandateRun struct {
	FirstOn     string // collection date of the first collection this run sends (FRST), "" for none
	OneOffBy    string // the document this run collects on a one-off mandate
	Amended     bool   // this run announces the mandate's change already
	expired     bool   // this run found the mandate expired
	firstAsRCUR bool   // its first collection goes as RCUR (RCUR-only policy)
}

// SequenceType is the sequence type of a collection on a mandate with
// history h: OOFF on a one-off mandate; RCUR once the mandate has a counted
// collection, or when this run already sends its first one (firstInRun);
// else FRST, or RCUR under the RCUR-only policy (EPC allows it since 2016).
func SequenceType(h MandateHistory, firstInRun, rcurOnly bool) string {
	switch {
	case h.Kind == MandateOneOff:
		return SeqOneOff
	case h.LastCollection != "" || firstInRun:
		return SeqRecurrent
	case rcurOnly:
		return SeqRecurrent
	}
	return SeqFirst
}

// Sequence is SequenceType for the mandate's next receivable in this run.
func (run *MandateRun) Sequence(h MandateHistory, rcurOnly bool) string {
	return SequenceType(h, run.FirstOn != "", rcurOnly)
}

// pendingFirst is the date of the mandate's first collection still pending:
// at the bank, or sent by this run, the later of the two.
func (run *MandateRun) pendingFirst(h MandateHistory) string {
	return max(h.PendingFirst, run.FirstOn)
}

// NoteExpired records that the run found the mandate expired; it reports
// true the first time, when the run must mark it expired.
func (run *MandateRun) NoteExpired() bool {
	first := !run.expired
	run.expired = true
	return first
}
