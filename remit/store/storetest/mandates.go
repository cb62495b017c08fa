package storetest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/testtool"
)

// MandateList collects what st.Mandates streams, for tests, whose lists are
// short.
func MandateList(ctx context.Context, st store.Mandates, creditorID int64, f remit.MandateFilter) ([]remit.Mandate, error) {
	return testtool.Collect(func(fn func(*remit.Mandate) error) error { return st.Mandates(ctx, creditorID, f, fn) })
}

// ExpiredList collects what st.ExpireMandates streams, for tests.
func ExpiredList(ctx context.Context, st store.Mandates, creditorID int64) ([]remit.Mandate, error) {
	return testtool.Collect(func(fn func(*remit.Mandate) error) error { return st.ExpireMandates(ctx, creditorID, fn) })
}

// streamedMandates is how many mandates testMandatesStream lists (and
// suspense lines testSuspenseStream): as a slice they would take about
// 1 MB of heap.
const streamedMandates = 4000

// testMandatesStream checks that the store streams the mandates, listed
// and expired: when fn sees the first one, the heap holds no list of all
// of them (remit mandates over a million mandates once took 880 MB).
func testMandatesStream(t *testing.T, e *env) {
	e.creditor()
	var csv strings.Builder
	csv.WriteString("document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,street,postcode,town,country\n")
	due := remit.FormatDate(remit.Day(Now).AddDate(0, 0, 10))
	for i := range streamedMandates {
		// Signed in 2020, never used: the first expiry marks them all.
		fmt.Fprintf(&csv, "F%06d,411C%06d,Client %d,10.00,%s,sdd,FR7630003036200002001234517,SOGEFRPP,RUM-%06d,2020-01-15,CORE,Rue,75002,Paris,FR\n",
			i, i, i, due, i)
	}
	if res, err := e.importCSV([]byte(csv.String()), false); err != nil || res.Inserted != streamedMandates {
		t.Fatalf("import: %+v, %v", res, err)
	}
	heapAtFirst(t, "Mandates", streamedMandates, func(fn func() error) error {
		return e.st.Mandates(e.ctx, e.cr.ID, remit.MandateFilter{}, func(*remit.Mandate) error { return fn() })
	})
	if exp, err := ExpiredList(e.ctx, e.st, e.cr.ID); err != nil || len(exp) != streamedMandates || !exp[0].NewlyExpired {
		t.Fatalf("expire: %d, %v", len(exp), err)
	}
	// Again: none is newly expired, the listing alone is measured.
	heapAtFirst(t, "ExpireMandates", streamedMandates, func(fn func() error) error {
		return e.st.ExpireMandates(e.ctx, e.cr.ID, func(*remit.Mandate) error { return fn() })
	})
}

// heapAtFirst fails t unless walk calls fn n times with the heap grown by
// less than 256 KiB when it first does: a list streamed, not built first.
func heapAtFirst(t *testing.T, name string, n int, walk func(fn func() error) error) {
	t.Helper()
	var before, first runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seen := 0
	err := walk(func() error {
		if seen++; seen == 1 {
			runtime.GC()
			runtime.ReadMemStats(&first)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if grown := int64(first.HeapAlloc) - int64(before.HeapAlloc); seen != n || grown > 256<<10 {
		t.Errorf("%s: %d of %d; the heap grew by %d KiB before the first reached fn: the list is not streamed",
			name, seen, n, grown>>10)
	}
}
