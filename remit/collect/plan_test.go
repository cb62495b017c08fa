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

// snapshotTx records what WriteSnapshots is given, numbering from next.
type snapshotTx struct {
	store.RunTx
	next    int64
	skip    int64 // ids taken by someone else after the first batch
	batches [][]store.DebtorKey
}

func (t *snapshotTx) WriteSnapshots(_ context.Context, keys []store.DebtorKey) (int64, error) {
	base := t.next
	t.batches = append(t.batches, slices.Clone(keys))
	t.next += int64(len(keys)) + t.skip
	return base, nil
}

// Write gives the store the debtors in the order met, a spill chunk at a
// time, and refuses ids that do not follow on.
func TestSnapshotsWriteInBatches(t *testing.T) {
	old := spill.Chunk
	spill.Chunk = 2
	t.Cleanup(func() { spill.Chunk = old })
	var s Snapshots
	defer s.Close()
	for _, c := range []int64{5, 3, 5, 9, 4} {
		if _, err := s.Next(store.DebtorKey{Customer: c}); err != nil {
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
	if !slices.Equal(got, []int64{5, 3, 5, 9, 4}) || s.Base != 100 {
		t.Errorf("written %v from %d, want [5 3 5 9 4] from 100", got, s.Base)
	}
	if err := s.Write(context.Background(), &snapshotTx{next: 1, skip: 1}); err == nil {
		t.Error("ids that do not follow on were accepted")
	}
	var empty Snapshots
	if err := empty.Write(context.Background(), &snapshotTx{next: 42}); err != nil || empty.Base != 42 {
		t.Errorf("no debtors: base %d, %v; want 42", empty.Base, err)
	}
}
