package treasury

import (
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Lot is what a bank credits in one line when it books a remittance in
// one: a payment block (PmtInf) of an SDD remittance, the LCRs of one due
// date in an LCR remise à l'encaissement (or the whole remise for an
// escompte), a remise de chèques. Lots are what statements are matched
// against; the store makes them from the remittances it keeps (LotsByDate
// groups items per date).
type Lot struct {
	Bank       string              // the bank's code (empty: any); lots of other banks are not candidates
	Remittance string              // remit's reference of the remittance or cheque deposit
	Block      int                 // SDD: the payment block's number; 0 otherwise
	Op         remit.BankOperation // OpSDD, OpLCR or OpCheque
	MsgID      string              // SDD: GrpHdr/MsgId of the pain.008
	PmtInfID   string              // SDD: PmtInf/PmtInfId of the block
	// Number is a remise number the bank may give back in a CFONB 120
	// numéro d'écriture (82-88): the slip number of a remise de chèques.
	Number string
	// Date is the day the lot is due to the bank: the collection date of
	// an SDD block, the due date of LCRs à l'encaissement (the value date
	// the file requests for an escompte), the deposit date of cheques.
	Date  time.Time
	Total int64 // cents, > 0: the remittance's total for this lot
	// BatchBooking: the bank books the lot in one line (SDD with
	// BtchBookg true; LCR remises; remises de chèques). Otherwise each
	// item is credited on its own line, and the lot is only found as one
	// line by its PmtInfId.
	BatchBooking bool
	// Credited: a statement already showed the lot credited. It is no
	// longer a candidate for credits, still for returns of its items.
	Credited bool
	Items    []Item
}

// Item is one collection, bill or cheque of a lot.
type Item struct {
	Document     string // the receivable's document (pièce)
	EndToEndID   string // SDD: the EndToEndId the file gave it
	ChequeNumber string // cheques: the cheque's number
	// Reference is an LCR's référence tireur as its remise's CFONB file
	// carried it (10 characters: the whole document, or part of it), which
	// the label of an unpaid may give rather than the document.
	Reference string
	Amount    int64 // cents, > 0
	// Credited: the item was credited on a line of its own already.
	Credited bool
	// Rejected: refused before settlement (a pain.002 reject): the bank
	// credits the lot without it.
	Rejected bool
	// Returned: a return of the item is recorded, seen on a statement or
	// pending (PendingReturn).
	Returned bool
}

// PendingReturn is a return recorded from a bank's return file (pain.002,
// camt.054) whose debit no statement has shown yet. A statement line that
// debits it confirms it; it does not make a second return.
type PendingReturn struct {
	Ref        string // remit's reference of the recorded return
	Remittance string
	Document   string
	EndToEndID string
	Amount     int64 // cents, > 0
}

// Receivable is a customer's receivable as the treasury rules see it.
type Receivable struct {
	Document string
	Customer string // the customer's account (compte tiers), e.g. 411DUPONT
	Journal  string // its treasury journal: picks its bank (BankFor)
	Method   string // sdd, lcr, chq, vir, esp, cb or empty
	Status   string // remit.StatusOpen, StatusPointed, StatusRemitted, StatusRejected, StatusPaid, or StatusWrittenOff
	Due      time.Time
	// Open is what remains due, in cents: the amount less what was paid
	// (a partial allocation) or written off.
	Open int64
}

// StatusWrittenOff is the status of a receivable written off (abandon de
// créance, passage en pertes): never collected again.
const StatusWrittenOff = remit.StatusWrittenOff

// Candidates are what remit expects a statement of one bank to show.
type Candidates struct {
	// Lots not yet credited, and those credited recently enough for a
	// return of their items to come.
	Lots []Lot
	// Returns recorded whose debit is awaited.
	Returns []PendingReturn
	// Receivables open (open, pointed or rejected), which a transfer
	// received may pay by naming them.
	Receivables []Receivable
}

// LotsByDate makes the lots of a remittance credited per date: one lot for
// the items of each date, in increasing order of dates; dates[i] is
// items[i]'s (an LCR's due date). base gives the fields every lot shares
// (Bank, Remittance, Op, BatchBooking…); each lot gets its date, its items
// and their total.
func LotsByDate(base Lot, items []Item, dates []time.Time) []Lot {
	byDay := map[time.Time]int{}
	var lots []Lot
	for i, it := range items {
		d := day(dates[i])
		j, ok := byDay[d]
		if !ok {
			j = len(lots)
			byDay[d] = j
			l := base
			l.Date, l.Items, l.Total = d, nil, 0
			lots = append(lots, l)
		}
		lots[j].Items = append(lots[j].Items, it)
		lots[j].Total += it.Amount
	}
	sortLots(lots)
	return lots
}

// expected is what the bank credits for the lot: its total without the
// items rejected before settlement.
func (l *Lot) expected() int64 {
	t := l.Total
	for _, it := range l.Items {
		if it.Rejected {
			t -= it.Amount
		}
	}
	return t
}

// itemCredited returns the document of an item of the lot credited on
// its own, if one was.
func (l *Lot) itemCredited() string {
	for _, it := range l.Items {
		if it.Credited {
			return it.Document
		}
	}
	return ""
}

// name says which lot it is, for a reason.
func (l *Lot) name() string {
	s := "remittance " + l.Remittance
	if l.Block > 0 {
		s += " block " + strconv.Itoa(l.Block)
	}
	if !l.Date.IsZero() {
		s += " of " + formatDay(l.Date)
	}
	return s
}

// key identifies the lot among the candidates.
func (l *Lot) key() string {
	return l.Remittance + "#" + strconv.Itoa(l.Block) + "#" + formatDay(l.Date)
}
