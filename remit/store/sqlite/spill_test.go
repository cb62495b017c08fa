package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// withSpillChunk makes every spill of the test write its file after n records.
func withSpillChunk(t *testing.T, n int) {
	old := spillChunk
	spillChunk = n
	t.Cleanup(func() { spillChunk = old })
}

func TestSpillMergesChunksAndRanges(t *testing.T) {
	for _, chunk := range []int{1, 3, 64, 1 << 16} {
		withSpillChunk(t, chunk)
		r := rand.New(rand.NewPCG(1, uint64(chunk)))
		s := newPlan(byBlockThenID)
		var want []plannedItem
		for i := 0; i < 1000; i++ {
			it := plannedItem{id: r.Int64N(500), amount: int64(i), grp: int32(r.IntN(7)), debtor: int32(i), pos: int32(i)}
			want = append(want, it)
			if err := s.add(it); err != nil {
				t.Fatal(err)
			}
		}
		slices.SortStableFunc(want, byBlockThenID)
		collect := func(from, to *plannedItem) []plannedItem {
			var got []plannedItem
			if err := s.each(from, to, func(it plannedItem) error { got = append(got, it); return nil }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		same := func(a, b []plannedItem) bool {
			return slices.EqualFunc(a, b, func(x, y plannedItem) bool { return byBlockThenID(x, y) == 0 })
		}
		if got := collect(nil, nil); len(got) != len(want) || !same(got, want) {
			t.Fatalf("chunk %d: whole spill out of order or incomplete (%d of %d)", chunk, len(got), len(want))
		}
		// Every range of a block, including empty ones.
		for _, b := range [][4]int64{{0, 0, 1, 0}, {3, 100, 3, 300}, {6, 499, 7, 0}, {2, 250, 2, 250}, {9, 0, 10, 0}} {
			from, to := plannedItem{grp: int32(b[0]), id: b[1]}, plannedItem{grp: int32(b[2]), id: b[3]}
			var in []plannedItem
			for _, it := range want {
				if byBlockThenID(it, from) >= 0 && byBlockThenID(it, to) < 0 {
					in = append(in, it)
				}
			}
			if got := collect(&from, &to); !same(got, in) {
				t.Errorf("chunk %d: range %v: got %d records, want %d", chunk, b, len(got), len(in))
			}
		}
		if chunk < 1000 && s.f == nil {
			t.Errorf("chunk %d: nothing was spilled to the file", chunk)
		}
		s.close()
	}
}

// The runs spill their plans and staged items to a file past spillChunk
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
	res := e.run(remit.SDDOptions{})
	if len(res.Remittances) != 1 {
		t.Fatalf("want one remittance, got %+v", res)
	}
	ctx, id := context.Background(), res.Remittances[0].ID
	var want, got []string
	if err := eachItemOf(ctx, e.st.DB, id, sepaItemColumns, (*itemRow).scanSEPA, func(it *itemRow) error {
		want = append(want, it.document)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := eachSEPAItem(ctx, e.st.DB, id, func(it *itemRow) error {
		got = append(got, it.document)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 3*pipeBatch+17 || !slices.Equal(got, want) {
		t.Fatalf("piped order differs: %d items, want %d", len(got), len(want))
	}
	stop := errors.New("disk full")
	n := 0
	err := eachSEPAItem(ctx, e.st.DB, id, func(it *itemRow) error {
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
	if err := eachSEPAItem(cancelled, e.st.DB, id, func(*itemRow) error { return nil }); err == nil {
		t.Error("a cancelled read reported no error")
	}
}
