package collect

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
)

// What the kinds share to plan a run: the receivables a run takes, spilled
// in bounded memory; the debtors its files name; the refusals it records.

// Planned is a receivable a run accepted, as the remittance tables need
// it: a run spills these (36 bytes each) rather than hold the receivables.
type Planned struct {
	ID     int64 // the receivable
	Amount int64
	Group  int32 // the payment block (SDD) or part (LCR) it goes in
	Debtor int32 // its debtor snapshot, an index into the run's Snapshots
	Pos    int32 // its rank in the run's file order, when the order is not the receivables'
	Off    int64 // where in its group's stream the run's ItemDetails keep what its files read of it
}

// NewPlan is a spill of planned items in the order cmp gives; the caller closes it.
func NewPlan(cmp func(a, b Planned) int) *spill.Spill[Planned] {
	return spill.New(cmp, plannedSize, putPlanned, getPlanned)
}

// ByGroupThenID orders planned items by group, then receivable.
func ByGroupThenID(a, b Planned) int {
	if a.Group != b.Group {
		return cmp.Compare(a.Group, b.Group)
	}
	return cmp.Compare(a.ID, b.ID)
}

// ByGroupThenPos orders planned items by group, then rank.
func ByGroupThenPos(a, b Planned) int {
	if a.Group != b.Group {
		return cmp.Compare(a.Group, b.Group)
	}
	return cmp.Compare(a.Pos, b.Pos)
}

const plannedSize = 36

func putPlanned(b []byte, v Planned) {
	binary.LittleEndian.PutUint64(b, uint64(v.ID))
	binary.LittleEndian.PutUint64(b[8:], uint64(v.Amount))
	binary.LittleEndian.PutUint32(b[16:], uint32(v.Group))
	binary.LittleEndian.PutUint32(b[20:], uint32(v.Debtor))
	binary.LittleEndian.PutUint32(b[24:], uint32(v.Pos))
	binary.LittleEndian.PutUint64(b[28:], uint64(v.Off))
}

func getPlanned(b []byte) Planned {
	return Planned{ID: int64(binary.LittleEndian.Uint64(b)), Amount: int64(binary.LittleEndian.Uint64(b[8:])),
		Group: int32(binary.LittleEndian.Uint32(b[16:])), Debtor: int32(binary.LittleEndian.Uint32(b[20:])),
		Pos: int32(binary.LittleEndian.Uint32(b[24:])), Off: int64(binary.LittleEndian.Uint64(b[28:]))}
}

// Snapshots numbers the debtors of a run in the order it meets them; the
// store records them once (Write) and the items name them. The debtors
// met are spilled (28 bytes each), not held: a run of a million debtors
// keeps its memory flat. Of indexes the customers met, 4 bytes each.
type Snapshots struct {
	index customerIndex
	keys  *spill.Spill[numberedKey] // by number: the order met
	last  store.DebtorKey
	n     int32
	ids   idRuns // the snapshot of each debtor, once written
}

// numberedKey is a debtor and its number in the run.
type numberedKey struct {
	n int32
	k store.DebtorKey
}

const numberedKeySize = 28

// add numbers k, the next debtor met.
func (s *Snapshots) add(k store.DebtorKey) (int32, error) {
	if s.keys == nil {
		s.keys = spill.New(func(a, b numberedKey) int { return cmp.Compare(a.n, b.n) }, numberedKeySize,
			func(b []byte, v numberedKey) {
				binary.LittleEndian.PutUint32(b, uint32(v.n))
				binary.LittleEndian.PutUint64(b[4:], uint64(v.k.Customer))
				binary.LittleEndian.PutUint64(b[12:], uint64(v.k.Mandate))
				binary.LittleEndian.PutUint64(b[20:], uint64(v.k.Latest))
			},
			func(b []byte) numberedKey {
				return numberedKey{n: int32(binary.LittleEndian.Uint32(b)), k: store.DebtorKey{
					Customer: int64(binary.LittleEndian.Uint64(b[4:])), Mandate: int64(binary.LittleEndian.Uint64(b[12:])),
					Latest: int64(binary.LittleEndian.Uint64(b[20:]))}}
			})
	}
	i := s.n
	if err := s.keys.Add(numberedKey{n: i, k: k}); err != nil {
		return 0, err
	}
	s.n++
	s.last = k
	return i, nil
}

// Of is the snapshot of a customer debited without a mandate (an LCR
// drawee, a cheque's drawer), one per customer of the run.
func (s *Snapshots) Of(customer int64) (int32, error) {
	k := store.DebtorKey{Customer: customer}
	if s.n > 0 && s.last == k {
		return s.n - 1, nil
	}
	if i, ok := s.index.get(customer); ok {
		return i, nil
	}
	i, err := s.add(k)
	if err != nil {
		return 0, err
	}
	s.index.set(customer, i)
	return i, nil
}

// customerIndex maps customer ids to int32s in pages of consecutive ids:
// customers' ids are mostly dense, so a million of them take 4 MB where a
// Go map takes 30 to 60.
type customerIndex struct {
	pages map[uint64]*[customerPage]int32 // by id / customerPage; a value is stored plus one (0: none)
}

const customerPage = 256

func (x *customerIndex) get(id int64) (int32, bool) {
	u := uint64(id)
	p := x.pages[u/customerPage]
	if p == nil {
		return 0, false
	}
	v := p[u%customerPage]
	return v - 1, v != 0
}

func (x *customerIndex) set(id int64, v int32) {
	if x.pages == nil {
		x.pages = map[uint64]*[customerPage]int32{}
	}
	u := uint64(id)
	p := x.pages[u/customerPage]
	if p == nil {
		p = new([customerPage]int32)
		x.pages[u/customerPage] = p
	}
	p[u%customerPage] = v + 1
}

// Next is debtor k's snapshot for a run that meets each debtor's
// receivables one after the other: a new one whenever the debtor changes,
// with no index to keep.
func (s *Snapshots) Next(k store.DebtorKey) (int32, error) {
	if s.n > 0 && s.last == k {
		return s.n - 1, nil
	}
	return s.add(k)
}

// Write records the run's debtors, as its files name them, in tx, a batch
// of spill.Chunk at a time, and keeps the snapshot the store gives each:
// its Latest when it has one (nothing in it changed), else a new one.
func (s *Snapshots) Write(ctx context.Context, tx store.RunTx) error {
	size := spill.Chunk // as many as the spill holds in memory
	batch := make([]store.DebtorKey, 0, min(int(s.n), size))
	ids := make([]int64, 0, cap(batch))
	n := int32(0)
	write := func() error {
		ids = ids[:len(batch)]
		if err := tx.WriteSnapshots(ctx, batch, ids); err != nil {
			return err
		}
		for _, id := range ids {
			s.ids.add(n, id)
			n++
		}
		batch = batch[:0]
		return nil
	}
	if s.keys == nil {
		return nil
	}
	err := s.keys.Each(nil, nil, func(v numberedKey) error {
		batch = append(batch, v.k)
		if len(batch) < size {
			return nil
		}
		return write()
	})
	if err != nil || len(batch) == 0 {
		return err
	}
	return write()
}

// idRuns are the snapshot ids of a run's debtors, by their number, as
// runs of consecutive ids: a first run's new snapshots are one run, and a
// later run that meets its debtors in the same order and takes their
// latest snapshots has one run per change, where a slice of ids would
// take 8 bytes a debtor.
type idRuns struct {
	from []int32 // the number of each run's first debtor, increasing
	id   []int64 // its snapshot
}

// add notes debtor n's snapshot id; n follows the previous one.
func (r *idRuns) add(n int32, id int64) {
	if k := len(r.from) - 1; k >= 0 && r.id[k]+int64(n-r.from[k]) == id {
		return
	}
	r.from, r.id = append(r.from, n), append(r.id, id)
}

// get is debtor n's snapshot id.
func (r *idRuns) get(n int32) int64 {
	k, _ := slices.BinarySearch(r.from, n+1)
	return r.id[k-1] + int64(n-r.from[k-1])
}

// Close releases the spilled debtors.
func (s *Snapshots) Close() {
	if s.keys != nil {
		s.keys.Close()
	}
}

// Ref is the item a planned receivable makes at position pos of block n.
func (s *Snapshots) Ref(it Planned, block, pos int) store.ItemRef {
	return store.ItemRef{Receivable: it.ID, Debtor: s.ids.get(it.Debtor), Block: int32(block), Position: int32(pos)}
}

// Refusals records a run's refusals on the receivables: the same refusal
// met again keeps the date it was first reported, and is not new.
type Refusals struct {
	tx  store.RunTx
	now string // the run's time, as a refusal's date is stored
}

// NewRefusals records refusals in tx, made at now.
func NewRefusals(tx store.RunTx, now time.Time) *Refusals {
	return &Refusals{tx: tx, now: now.Format(remit.TimestampLayout)}
}

// Record refuses a receivable for why. prev and prevAt are its refusal and
// its date before the run. (A run that plans twice records twice: the date
// is then this run's, and the refusal stays new.)
func (b *Refusals) Record(ctx context.Context, id int64, prev, prevAt string, r *remit.Refusal, why remit.Reasons) error {
	texts, todo := why.Texts(), why.Todo()
	text := strings.Join(texts, "; ")
	since := b.now
	if prev == text && prevAt != "" {
		since = prevAt
	}
	r.Reasons, r.Todo, r.Advice = texts, todo, todo.Advice(r.Document)
	r.New = since == b.now
	r.Since = strings.Replace(since, "T", " ", 1)
	return b.tx.Refuse(ctx, id, text, since, todo)
}
