package cheque

import (
	"context"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// A remise de chèques on a statement: the bank credits the whole remise in
// one line, its value days after the deposit (the remise's day: its items'
// collection date); the line may give the remise's number as its numéro
// d'écriture. A cheque unpaid is debited back naming its number. The credit
// moves the remise from 511 to the bank's account (Confirmed).

func (kind) Op() remit.BankOperation { return remit.OpCheque }

func (kind) Lot(rem remit.Remittance, _ int, deposited time.Time) (treasury.Lot, bool) {
	return treasury.Lot{Date: deposited, BatchBooking: true, Number: strconv.FormatInt(rem.ID, 10)}, true
}

// Item: a cheque is named by its number, which the item keeps.
func (kind) Item(remit.Remittance, *treasury.Item) {}

func (kind) ByReference() bool { return true }

// Confirmed books the bank's credit of the remise: its account debited,
// the 511 account its cheques were booked on credited, once.
func (kind) Confirmed(ctx context.Context, tx store.TreasuryTx, rem remit.Remittance, _ treasury.Target, on time.Time) error {
	_, err := tx.CreditDeposit(ctx, rem, on)
	return err
}
