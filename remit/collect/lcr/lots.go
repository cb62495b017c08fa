package lcr

import (
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// An LCR remise on a statement: à l'encaissement (codes 3 and 4) the bank
// credits the bills of each due date in one line; à l'escompte (codes 1
// and 2) the whole remise on its date de valeur. A bill unpaid is debited
// back naming its document or the référence tireur its file carried.

func (kind) Op() remit.BankOperation { return remit.OpLCR }

func (kind) Lot(rem remit.Remittance, _ int, due time.Time) (treasury.Lot, bool) {
	p, err := ParamsOf(rem)
	if err != nil {
		return treasury.Lot{}, false
	}
	l := treasury.Lot{Date: due, BatchBooking: true, Number: strconv.FormatInt(rem.ID, 10)}
	if p.EntryCode <= 2 && p.ValueDate != "" {
		l.Date = remit.StoredDate(p.ValueDate) // escompte: the whole remise, on its value date
	}
	return l, true
}

func (kind) Item(rem remit.Remittance, it *treasury.Item) {
	p, err := ParamsOf(rem)
	if err != nil {
		return
	}
	it.Reference, _ = billReference(it.Document, p.RefTail)
}

func (kind) ByReference() bool { return true }
