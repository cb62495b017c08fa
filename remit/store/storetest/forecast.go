package storetest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// heapWatched is a store whose OpenReceivables notes the live heap when
// the first and the last receivable reach the caller's fn.
type heapWatched struct {
	store.Store
	seen        int
	first, last runtime.MemStats
}

func (h *heapWatched) OpenReceivables(ctx context.Context, creditorID int64, fn func(treasury.Receivable) error) error {
	err := h.Store.OpenReceivables(ctx, creditorID, func(r treasury.Receivable) error {
		if h.seen++; h.seen == 1 {
			runtime.GC()
			runtime.ReadMemStats(&h.first)
		}
		return fn(r)
	})
	if h.seen > 0 {
		runtime.GC()
		runtime.ReadMemStats(&h.last)
	}
	return err
}

// testForecastStream checks that a forecast of the days (remit forecast's
// table and PDF) counts the receivables as the store streams them: the
// heap does not grow with them (1M receivables once took 692 MB), and the
// days are those of the forecast that lists the operations.
func testForecastStream(t *testing.T, e *env) {
	e.creditor()
	var csv strings.Builder
	csv.WriteString("document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,street,postcode,town,country\n")
	for i := range streamedMandates {
		due := remit.FormatDate(remit.Day(Now).AddDate(0, 0, 10+i%40))
		fmt.Fprintf(&csv, "F%06d,411C%06d,Client %d,10.00,%s,sdd,FR7630003036200002001234517,SOGEFRPP,RUM-%06d,2026-01-15,CORE,Rue,75002,Paris,FR\n",
			i, i, i, due, i)
	}
	if res, err := e.importCSV([]byte(csv.String()), false); err != nil || res.Inserted != streamedMandates {
		t.Fatalf("import: %+v, %v", res, err)
	}
	_, err := e.st.UpdateBanks(e.ctx, e.cr.ID, func(bs []remit.Bank) ([]remit.Bank, error) {
		if len(bs) == 0 {
			return nil, fmt.Errorf("no bank")
		}
		bs[0].Balance, bs[0].BalanceDate = 100000, remit.Day(Now)
		return bs, nil
	})
	if err != nil {
		t.Fatalf("the validated balance: %v", err)
	}
	o := collect.ForecastOptions{To: remit.Day(Now).AddDate(0, 0, 30)}
	full, err := collect.Forecast(e.ctx, e.st, kinds, e.cr, o)
	if err != nil || len(full) != 1 || len(full[0].Flows)+len(full[0].Later) != streamedMandates || len(full[0].Later) == 0 {
		t.Fatalf("forecast: %v", err)
	}
	h := &heapWatched{Store: e.st}
	o.DaysOnly = true
	days, err := collect.Forecast(e.ctx, h, kinds, e.cr, o)
	if err != nil || len(days) != 1 {
		t.Fatalf("forecast of the days: %v", err)
	}
	if grown := int64(h.last.HeapAlloc) - int64(h.first.HeapAlloc); h.seen != streamedMandates || grown > 256<<10 {
		t.Errorf("forecast: %d of %d receivables; the heap grew by %d KiB from the first to the last: they are not counted as they come",
			h.seen, streamedMandates, grown>>10)
	}
	want := full[0]
	want.Flows, want.Later = nil, nil
	if got := days[0]; fmt.Sprint(got) != fmt.Sprint(want) || got.LaterCount != len(full[0].Later) {
		t.Errorf("forecast of the days:\n%+v\nwant\n%+v", got, want)
	}
}
