package collect

import (
	"context"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// Payables gives a forecast the payments the company will make up to a day
// (supplier payments at their execution date, out of their bank): where
// supplier payments plug in. A nil Payables adds none.
// It gives them to fn one at a time.
type Payables func(ctx context.Context, creditorID int64, to time.Time, fn func(treasury.Payable) error) error

// ForecastOptions say which banks a forecast projects, to which day.
type ForecastOptions struct {
	Only     []string  // the banks' codes; empty: every bank
	To       time.Time // the last day
	Payables Payables
	// DaysOnly leaves the operations out of the projections (their Flows
	// and Later): what a table or a PDF of the days needs, in flat memory.
	DaysOnly bool
}

// lotKind is a kind that says what a bank credits of its remittances in
// one line, and on which date (an LCR escompte on its date de valeur rather
// than its due dates); a kind that does not is credited on its items'
// collection dates, as its method's type of operation.
type lotKind interface {
	Op() remit.BankOperation
	Lot(rem remit.Remittance, block int, date time.Time) (treasury.Lot, bool)
}

// forecastInto feeds fc what a forecast of the creditor's banks is made of
// as the store gives it, one row at a time: what its remittances not
// cancelled are still to be credited, its receivables not yet remitted,
// and the payables o.Payables gives.
func forecastInto(ctx context.Context, st store.Store, kinds *Registry, cr remit.Creditor, o ForecastOptions, fc *treasury.Forecaster) error {
	rems := map[int64]remit.Remittance{}
	err := st.PendingLots(ctx, cr.ID, func(p store.PendingLot) error {
		rem, ok := rems[p.Remittance]
		if !ok {
			var err error
			if rem, err = st.Remittance(ctx, cr.ID, p.Remittance); err != nil {
				return err
			}
			rems[p.Remittance] = rem
		}
		if l, ok := pendingLot(kinds, rem, p); ok {
			fc.Lot(l)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = st.OpenReceivables(ctx, cr.ID, func(r treasury.Receivable) error {
		fc.Receivable(r)
		return nil
	})
	if err != nil || o.Payables == nil {
		return err
	}
	return o.Payables(ctx, cr.ID, o.To, func(p treasury.Payable) error {
		fc.Payable(p)
		return nil
	})
}

// pendingLot is what a remittance's bank is still to credit on one date, as
// its kind says it.
func pendingLot(kinds *Registry, rem remit.Remittance, p store.PendingLot) (treasury.Lot, bool) {
	k, err := kinds.Kind(rem.Kind)
	if err != nil {
		return treasury.Lot{}, false
	}
	date := remit.StoredDate(p.Date)
	l := treasury.Lot{Op: remit.BankOperation(k.Method()), Date: date}
	if lk, ok := k.(lotKind); ok {
		if l, ok = lk.Lot(rem, p.Block, date); !ok {
			return treasury.Lot{}, false
		}
		l.Op = lk.Op()
	}
	// The forecast counts a remittance of no bank (made before banks) at
	// the default bank, as its creditor's account then was.
	l.Bank, l.Remittance, l.Total = rem.Bank, rem.Ref, p.Total
	switch {
	case len(rem.Blocks) <= 1:
		l.Block = 0 // a remittance of one block is named by its reference alone
	case l.Block == 0:
		l.Block = p.Block // an SDD remittance's payment blocks, named apart
	}
	return l, true
}

// Forecast projects the creditor's banks day by day to o.To from their
// validated balances (treasury.Forecast), counting the store's rows as
// they come: with o.DaysOnly it holds the days, not the operations.
func Forecast(ctx context.Context, st store.Store, kinds *Registry, cr remit.Creditor, o ForecastOptions) ([]treasury.Projection, error) {
	banks, err := st.Banks(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	fc := treasury.NewForecaster(treasury.ForecastInput{Banks: banks, Only: o.Only, To: o.To, DaysOnly: o.DaysOnly})
	if err := forecastInto(ctx, st, kinds, cr, o, fc); err != nil {
		return nil, err
	}
	return fc.Finish()
}
