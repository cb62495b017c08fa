package sdd

import (
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// An SDD remittance on a statement: each payment block is a lot, credited
// on or after its collection date in one line (batch booking, the banks'
// default when the file says nothing) or collection by collection; the
// statement names a block by its PmtInfId and a collection by its
// EndToEndId.

func (kind) Op() remit.BankOperation { return remit.OpSDD }

func (kind) Lot(rem remit.Remittance, block int, date time.Time) (treasury.Lot, bool) {
	p, err := ParamsOf(rem)
	if err != nil {
		return treasury.Lot{}, false
	}
	return treasury.Lot{Block: block, MsgID: rem.MsgID, PmtInfID: remit.PaymentInfoID(rem.MsgID, block), Date: date,
		BatchBooking: p.BatchBooking == nil || *p.BatchBooking}, true
}

func (kind) Item(remit.Remittance, *treasury.Item) {}

func (kind) ByReference() bool { return false }
