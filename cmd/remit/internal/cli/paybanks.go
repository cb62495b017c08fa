package cli

import (
	"context"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// projectedBanks is the payplan.Treasury of remit sct, remit pay-cheques
// and remit run: the creditor's banks, each at the balance remit forecast
// projects for it (seed 002, step 3: the payment moves to the substitute
// when "le solde prévisionnel" would fall below the limit): its validated
// balance, plus the remittances not yet credited on their expected value
// dates and the receivables not yet remitted on theirs, less the supplier
// payments already made that are still to leave it. The run's own
// payments are taken off by the bank choice (payables.Assigner). A bank
// without a validated balance has no limit the run could judge: none is
// applied to it.
//
// The forecast is read when the run asks for the banks (Banks), from the
// store as committed before the run: in remit run, after the collections
// of the same creditor.
type projectedBanks struct {
	store    func() store.Store              // the run's store, open by the time the run asks
	override string                          // --bank: the limits decide nothing
	proj     map[string]*treasury.Projection // by upper-case code
	balance  map[string]int64                // the validated balances, by upper-case code
}

// projectedTo is the last day of the forecast behind the bank choice: far
// enough for any execution date.
var projectedTo = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func (p *projectedBanks) Banks(ctx context.Context, cr remit.Creditor) ([]remit.Bank, error) {
	st := p.store()
	banks, err := st.Banks(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	p.proj, p.balance = map[string]*treasury.Projection{}, map[string]int64{}
	var only []string
	for i := range banks {
		p.balance[strings.ToUpper(banks[i].Code)] = banks[i].Balance
		if banks[i].BalanceDate.IsZero() {
			banks[i].Limit = payplan.NoLimit
			continue
		}
		only = append(only, banks[i].Code)
	}
	if len(only) == 0 {
		return banks, nil
	}
	ps, err := collect.Forecast(ctx, st, kinds(), cr, collect.ForecastOptions{Only: only, To: projectedTo, Payables: paymentsDue(st), DaysOnly: true})
	if err != nil && p.override != "" {
		return banks, nil // every payment goes to the override: its note judges the validated balance
	}
	if err != nil {
		return nil, payplan.Optionf("the banks' projected balances (remit forecast) cannot be computed, so their limits cannot be judged: %v; "+
			"correct it, or pay from one bank whatever its limit with --bank", err)
	}
	for i := range ps {
		p.proj[strings.ToUpper(ps[i].Bank)] = &ps[i]
	}
	return banks, nil
}

// Balance is the bank's projected balance at the end of day, before the
// run's payments.
func (p *projectedBanks) Balance(bank string, day time.Time) int64 {
	if pr := p.proj[strings.ToUpper(bank)]; pr != nil {
		return pr.BalanceOn(day)
	}
	return p.balance[strings.ToUpper(bank)]
}
