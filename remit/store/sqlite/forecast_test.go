package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/treasury"
)

// The forecast from the store (issue 19, part 6): remittances not yet
// credited on their expected value dates, receivables not yet remitted on
// their due dates, each at its bank, from each bank's validated balance;
// checked figure by figure.
func TestForecastFromTheStore(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F3", "411C", "30.00", "2026-12-20", "RUM-C", ""))
	e.twoBanks()
	e.journal("F2", "BQ2")
	e.journal("F3", "BQ2")
	e.exec(`UPDATE receivables SET status = 'open' WHERE document = 'F3'`)
	ctx := context.Background()
	d := func(s string) time.Time { return remit.StoredDate(s) }
	if _, err := e.st.UpdateBanks(ctx, e.cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		bq, _ := treasury.FindBank(banks, "BQ")
		bq.Balance, bq.BalanceDate = 100000, d("2026-12-02")
		bq2, _ := treasury.FindBank(banks, "BQ2")
		bq2.Balance, bq2.BalanceDate, bq2.ValueDays, bq2.Limit = -50000, d("2026-11-30"), remit.ValueDays{remit.OpSDD: 1}, -46000
		if banks, err := treasury.PutBank(banks, bq); err != nil {
			return nil, err
		} else {
			return treasury.PutBank(banks, bq2)
		}
	}); err != nil {
		t.Fatal(err)
	}
	res := e.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 2 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	ps, err := collect.Forecast(ctx, e.st, testKinds, e.cr, collect.ForecastOptions{To: d("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s from %s on %s, final %s lowest %s on %s, below from %s", p.Bank, remit.FormatAmount(p.Balance),
			remit.FormatDate(p.BalanceDate), remit.FormatAmount(p.Final), remit.FormatAmount(p.Lowest), remit.FormatDate(p.LowestDate),
			remit.FormatDate(p.FirstBelow)))
		for _, f := range p.Flows {
			got = append(got, fmt.Sprintf("  %s %s %s %s expected %s on %s moved %v %s", f.Source, f.Ref, f.Op, remit.FormatDate(f.Date),
				remit.FormatDate(f.Expected), remit.FormatDate(f.On), f.Moved, remit.FormatAmount(f.Amount)))
		}
		for _, x := range p.Days {
			got = append(got, fmt.Sprintf("  day %s +%s -%s = %s below %v", remit.FormatDate(x.Date), remit.FormatAmount(x.In),
				remit.FormatAmount(x.Out), remit.FormatAmount(x.Balance), x.BelowLimit))
		}
		got = append(got, p.Notes...)
	}
	// BQ: F1's collection on 1 December, not reconciled by the balance of
	// the 2nd, is counted on the 3rd (seed 003). BQ2: F2's on the 2nd (one
	// value day), F3 due Sunday 20th, taken Monday 21st, booked Tuesday.
	want := `BQ from 1000.00 on 2026-12-02, final 1010.00 lowest 1000.00 on 2026-12-02, below from 
  remittance 001 sdd 2026-12-01 expected 2026-12-01 on 2026-12-03 moved true 10.00
  day 2026-12-03 +10.00 -0.00 = 1010.00 below false
1 operation expected by 2026-12-02 and not yet reconciled is counted on 2026-12-03 (seed 003)
BQ2 from -500.00 on 2026-11-30, final -450.00 lowest -500.00 on 2026-11-30, below from 2026-11-30
  remittance 002 sdd 2026-12-01 expected 2026-12-02 on 2026-12-02 moved false 20.00
  receivable F3 sdd 2026-12-20 expected 2026-12-22 on 2026-12-22 moved false 30.00
  day 2026-12-02 +20.00 -0.00 = -480.00 below true
  day 2026-12-22 +30.00 -0.00 = -450.00 below false`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("forecast:\n%s\nwant\n%s", g, want)
	}
	// A cancelled remittance is not expected; one bank only.
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, res.Remittances[1].ID); err != nil {
		t.Fatal(err)
	}
	ps, err = collect.Forecast(ctx, e.st, testKinds, e.cr, collect.ForecastOptions{Only: []string{"BQ2"}, To: d("2026-12-31")})
	if err != nil || len(ps) != 1 || ps[0].Final != -50000+2000+3000 || len(ps[0].Flows) != 2 || ps[0].Flows[0].Source != "receivable" {
		t.Errorf("after the cancel: %+v %v", ps, err)
	}
	// Payables plug in.
	pay := func(_ context.Context, _ int64, _ time.Time, fn func(treasury.Payable) error) error {
		return fn(treasury.Payable{Ref: "FA-1", Bank: "BQ2", Method: "vir", Date: d("2026-12-10"), Amount: 10000})
	}
	ps, err = collect.Forecast(ctx, e.st, testKinds, e.cr, collect.ForecastOptions{Only: []string{"BQ2"}, To: d("2026-12-31"), Payables: pay})
	if err != nil || ps[0].Final != -50000+2000+3000-10000 || ps[0].FirstBelow != d("2026-11-30") {
		t.Errorf("with a payable: %+v %v", ps, err)
	}
}

// A remise de chèques is expected on its deposit day plus its bank's value
// days for cheques: deposited on Sunday 22 November, taken on Monday,
// booked on Tuesday with chq=1.
func TestForecastChequeDeposit(t *testing.T) {
	e := newChequeEnv(t)
	ctx := context.Background()
	if _, err := e.st.UpdateBanks(ctx, e.cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		bq2, _ := treasury.FindBank(banks, "BQ2")
		bq2.Balance, bq2.BalanceDate, bq2.ValueDays = 0, remit.StoredDate("2026-11-20"), remit.ValueDays{remit.OpCheque: 1}
		return treasury.PutBank(banks, bq2)
	}); err != nil {
		t.Fatal(err)
	}
	e.cheques(cheque.Options{Bank: "BQ2"})
	e.exec(`UPDATE receivables SET status = 'paid' WHERE status != 'remitted'`) // only the remise
	ps, err := collect.Forecast(ctx, e.st, testKinds, e.cr, collect.ForecastOptions{Only: []string{"BQ2"}, To: remit.StoredDate("2026-11-30")})
	if err != nil || len(ps) != 1 || len(ps[0].Flows) != 1 {
		t.Fatalf("forecast: %+v %v", ps, err)
	}
	f := ps[0].Flows[0]
	if f.Source != "remittance" || f.Ref != "001" || f.Op != remit.OpCheque || remit.FormatDate(f.Date) != "2026-11-22" ||
		remit.FormatDate(f.On) != "2026-11-24" || f.Amount != 155050 || ps[0].Final != 155050 {
		t.Errorf("the remise: %+v", f)
	}
}
