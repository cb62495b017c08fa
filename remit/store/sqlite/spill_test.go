package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
)

// withSpillChunk makes every spill of the test write its file after n records.
func withSpillChunk(t *testing.T, n int) {
	old := spill.Chunk
	spill.Chunk = n
	t.Cleanup(func() { spill.Chunk = old })
}

// The runs spill their plans and staged items to a file past spill.Chunk
// records: with a chunk of two, every golden file and split must come out
// the same as from memory.
func TestSpilledRunsWriteTheSameFiles(t *testing.T) {
	withSpillChunk(t, 2)
	for name, test := range map[string]func(*testing.T){
		"GoldenSDD": TestGoldenSDD, "GoldenLCR": TestGoldenLCR, "Splits": TestSplits, "SequenceTypes": TestSequenceTypes,
		"Amendments": TestAmendmentAnnouncedOnce, "LCRTotalOverLimit": TestLCRTotalOverLimitIsSplit,
		"Refusals": TestRefusalsStayPointedWithReasons, "Rerun": TestDryRunRerunCancelRegenerate,
	} {
		t.Run(name, test)
	}
}

// The file writers read items on one goroutine and write them on another:
// the order must be the sequential reader's, and an error on either side
// must end both without a hang.
func TestPipedItemsKeepOrderAndStopOnError(t *testing.T) {
	var csv strings.Builder
	for i := range 3*pipeBatch + 17 {
		csv.WriteString(sddLine(fmt.Sprintf("F%04d", i), []string{"411A", "411B", "411C"}[i%3], "10.00",
			fmt.Sprintf("2026-12-%02d", 10+i%15), []string{"RUM-A", "RUM-B", "RUM-C"}[i%3], ""))
	}
	e := newSDDEnv(t, csv.String())
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 1 {
		t.Fatalf("want one remittance, got %+v", res)
	}
	ctx, id := context.Background(), res.Remittances[0].ID
	var want, got []string
	rows, err := e.st.db.Query(`SELECT document FROM remittance_items WHERE remittance_id = ? ORDER BY block, position`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		rows.Scan(&d)
		want = append(want, d)
	}
	rows.Close()
	if err := e.st.Items(ctx, id, store.ItemsSEPA, func(it *remit.Item) error {
		got = append(got, it.Document)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 3*pipeBatch+17 || !slices.Equal(got, want) {
		t.Fatalf("piped order differs: %d items, want %d", len(got), len(want))
	}
	stop := errors.New("disk full")
	n := 0
	err = e.st.Items(ctx, id, store.ItemsSEPA, func(it *remit.Item) error {
		if n++; n == pipeBatch+5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != pipeBatch+5 {
		t.Errorf("want the writer's error after %d items, got %v after %d", pipeBatch+5, err, n)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.st.Items(cancelled, id, store.ItemsSEPA, func(*remit.Item) error { return nil }); err == nil {
		t.Error("a cancelled read reported no error")
	}
}
