package collect

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
)

// Snapshots numbers debtors in the order met, one per customer with Of,
// one per change of debtor with Next, whatever the ids (dense, sparse,
// negative, extreme) and past the spill's chunk.
func TestSnapshotsNumberInOrderMet(t *testing.T) {
	old := spill.Chunk
	spill.Chunk = 3
	t.Cleanup(func() { spill.Chunk = old })
	var s Snapshots
	defer s.Close()
	ids := []int64{7, 1, 7, 300, 1, 256, 255, math.MaxInt64, -5, 7, math.MinInt64, 300, -5, 512}
	want := []int32{0, 1, 0, 2, 1, 3, 4, 5, 6, 0, 7, 2, 6, 8}
	for i, id := range ids {
		got, err := s.Of(id)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("Of(%d) = %d, want %d", id, got, want[i])
		}
	}
	var n Snapshots
	defer n.Close()
	keys := []store.DebtorKey{{Customer: 1, Mandate: 1}, {Customer: 1, Mandate: 1}, {Customer: 2, Mandate: 2}, {Customer: 1, Mandate: 1},
		{Customer: 1, Mandate: 3}, {Customer: 1, Mandate: 3}}
	wantNext := []int32{0, 0, 1, 2, 3, 3}
	for i, k := range keys {
		if got, err := n.Next(k); err != nil || got != wantNext[i] {
			t.Errorf("Next(%v) = %d, %v, want %d", k, got, err, wantNext[i])
		}
	}
}

// snapshotTx records what WriteSnapshots is given, numbering new
// snapshots from next and giving the others their Latest.
type snapshotTx struct {
	store.RunTx
	next    int64
	batches [][]store.DebtorKey
}

func (t *snapshotTx) WriteSnapshots(_ context.Context, keys []store.DebtorKey, ids []int64) error {
	t.batches = append(t.batches, slices.Clone(keys))
	for i, k := range keys {
		if ids[i] = k.Latest; k.Latest == 0 {
			ids[i], t.next = t.next, t.next+1
		}
	}
	return nil
}

// Write gives the store the debtors in the order met, a spill chunk at a
// time, and each item names the snapshot the store gave its debtor: a new
// one, or one kept from before, in any order.
func TestSnapshotsWriteInBatches(t *testing.T) {
	old := spill.Chunk
	spill.Chunk = 2
	t.Cleanup(func() { spill.Chunk = old })
	var s Snapshots
	defer s.Close()
	customers := []int64{5, 3, 5, 9, 4, 8, 7}
	latest := map[int64]int64{9: 40, 4: 41, 7: 12}
	for _, c := range customers {
		if _, err := s.Next(store.DebtorKey{Customer: c, Latest: latest[c]}); err != nil {
			t.Fatal(err)
		}
	}
	tx := &snapshotTx{next: 100}
	if err := s.Write(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, b := range tx.batches {
		if len(b) > 2 {
			t.Errorf("a batch of %d, want at most the chunk (2)", len(b))
		}
		for _, k := range b {
			got = append(got, k.Customer)
		}
	}
	if !slices.Equal(got, customers) {
		t.Errorf("written %v, want %v", got, customers)
	}
	var refs []int64
	for n := range customers {
		refs = append(refs, s.Ref(Planned{Debtor: int32(n)}, 1, 0).Debtor)
	}
	if want := []int64{100, 101, 102, 40, 41, 103, 12}; !slices.Equal(refs, want) {
		t.Errorf("items name the snapshots %v, want %v", refs, want)
	}
	var empty Snapshots
	if err := empty.Write(context.Background(), &snapshotTx{next: 42}); err != nil {
		t.Errorf("no debtors: %v", err)
	}
}
