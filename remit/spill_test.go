package remit

import (
	"math/rand/v2"
	"slices"
	"testing"
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
