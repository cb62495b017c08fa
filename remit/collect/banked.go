package collect

import (
	"context"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// Banked is a kind whose remittances a bank credits to the company's
// account, and whose statements (relevés) confirm them: it says what one
// of its remittances is on a statement. A kind that is not Banked is
// never matched to a statement line.
type Banked interface {
	// Op is its type of operation: its value days at a bank, and the
	// statement codes that credit it (treasury).
	Op() remit.BankOperation
	// Lot is the lot of remittance rem that its items of a block and a
	// collection date belong to (treasury.Lot: what the bank credits in
	// one line), without its bank, remittance, items or total, which the
	// store fills in. ok is false for items no bank credits.
	Lot(rem remit.Remittance, block int, date time.Time) (lot treasury.Lot, ok bool)
	// Item completes an item with what a statement may name it by beyond
	// its document and EndToEndId (an LCR's référence tireur); ByReference
	// says whether it does, so that the items due around a statement are
	// candidates for its debits.
	Item(rem remit.Remittance, it *treasury.Item)
	ByReference() bool
}

// Confirmer is a Banked kind whose remittances a statement's credit
// confirms with an écriture of their own: a remise de chèques booked to
// 511 (valeurs à l'encaissement) when deposited moves to 512 when the bank
// credits it. Confirmed runs in the statement's transaction, after the
// lot's items got their date de constatation.
type Confirmer interface {
	Confirmed(ctx context.Context, tx store.TreasuryTx, rem remit.Remittance, credited treasury.Target, on time.Time) error
}

// banked returns the Banked kind of a remittance, if it has one.
func (r *Registry) banked(kind remit.Kind) (Banked, bool) {
	k, err := r.Kind(kind)
	if err != nil {
		return nil, false
	}
	b, ok := k.(Banked)
	return b, ok
}

// lotFunc and itemFunc are the kinds' Lot and Item, for the store.
func (r *Registry) lotFunc() store.LotFunc {
	return func(rem remit.Remittance, block int, date time.Time) (treasury.Lot, bool) {
		b, ok := r.banked(rem.Kind)
		if !ok {
			return treasury.Lot{}, false
		}
		l, ok := b.Lot(rem, block, date)
		l.Op = b.Op()
		return l, ok
	}
}

func (r *Registry) itemFunc() store.ItemFunc {
	return func(rem remit.Remittance, it *treasury.Item) {
		if b, ok := r.banked(rem.Kind); ok {
			b.Item(rem, it)
		}
	}
}

// windowKinds are the Banked kinds whose items a statement names by a
// reference of their own.
func (r *Registry) windowKinds() []remit.Kind {
	var out []remit.Kind
	for _, k := range r.kinds {
		if b, ok := k.(Banked); ok && b.ByReference() {
			out = append(out, k.Name())
		}
	}
	return out
}
