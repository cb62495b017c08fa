package collect

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A run writes a new remittance's files and its slip from its plan, not
// from the store: reading a million items back from the database, in file
// order, cost a sixth of a run. The plan keeps what the files read of each
// item (ItemDetails) and gives the items in file order (ItemSource), as the
// store records them; `remit regenerate` reads them back from the store
// and checks each file against the sha256 recorded at its creation, so the
// two must give the same bytes.

// An ItemSource is a plan that gives the items of its remittance i in file
// order, each as the store records it, as far as its kind's files and its
// slip (ItemsSlip) read it.
type ItemSource interface {
	EachItem(ctx context.Context, i int, fn func(*remit.Item) error) error
}

// plannedItems reads remittance id's items from its plan, and any other
// remittance's from the store.
type plannedItems struct {
	store.ItemReader
	plan planItems
}

// itemsOf is what remittance id, the plan's remittance i, writes its files
// from: the plan when it is an ItemSource, else the store.
func itemsOf(tx store.ItemReader, plan Plan, i int, id int64) store.ItemReader {
	src, ok := plan.(ItemSource)
	if !ok {
		return tx
	}
	return plannedItems{ItemReader: tx, plan: planItemsOf(src, i, id)}
}

func (p plannedItems) Items(ctx context.Context, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	if remittanceID != p.plan.id {
		return p.ItemReader.Items(ctx, remittanceID, set, fn)
	}
	return p.plan.Items(ctx, remittanceID, set, fn)
}

// planItems reads remittance id's items from its plan alone, and no
// store: what its files are written from on a goroutine of their own while
// the store records it.
type planItems struct {
	id   int64
	each func(ctx context.Context, fn func(*remit.Item) error) error
}

func planItemsOf(src ItemSource, i int, id int64) planItems {
	return planItems{id: id, each: func(ctx context.Context, fn func(*remit.Item) error) error {
		return src.EachItem(ctx, i, fn)
	}}
}

// Items gives the items, and stops when ctx is done (the plan does not
// look).
func (p planItems) Items(ctx context.Context, remittanceID int64, _ store.ItemSet, fn func(*remit.Item) error) error {
	if remittanceID != p.id {
		return fmt.Errorf("remittance %s: its files read the items of remittance %s, which its plan does not have",
			remit.Ref(p.id), remit.Ref(remittanceID))
	}
	prog := remit.StartProgress(ctx, remit.StageWrite)
	defer prog.Done()
	n := 0
	return p.each(ctx, func(it *remit.Item) error {
		prog.Add()
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return fn(it)
	})
}

// SlipFacts are not in a plan: a slip is written once the items are recorded.
func (p planItems) SlipFacts(context.Context, int64) (store.SlipFacts, error) {
	return store.SlipFacts{}, fmt.Errorf("remittance %s: the facts of its slip are read from the store, once its items are recorded",
		remit.Ref(p.id))
}

// ItemDetails holds what the files read of each accepted item beyond what
// Planned carries (its debtor as the snapshot names it, its document, its
// dates…), in a temporary file unlinked at once, a stream per group
// (Planned.Group: the block or part the item goes in), in the order the run
// accepts the items: Planned.Off is an item's place in its group's stream.
// A file reads its blocks one after the other, each in the order of its
// receivables, mostly the order accepted: a stream is written and read in
// chunks of detailsChunk bytes, one system call each, where one stream of
// all the groups in the order accepted was read once for each block.
// Memory stays flat whatever the run's size: a chunk a group. The zero
// value is ready.
type ItemDetails struct {
	// Discard makes Add keep nothing: a dry run writes no file.
	Discard bool

	f       *os.File
	end     int64 // the file's length
	streams []detailStream
	rec     []byte
}

// detailStream is one group's records: the chunks written, then buf.
type detailStream struct {
	chunks []detailChunk
	size   int64  // its length, buf's included
	buf    []byte // the records not written yet, or the chunk read last
	read   int    // the chunk buf holds when reading, -1 for none
}

// detailChunk is a chunk of a stream: at from in the stream, at at in the
// file, n bytes. No record crosses two chunks.
type detailChunk struct {
	from, at int64
	n        int
}

// detailsChunk is the size of a stream's chunks (a longer record makes a
// longer chunk).
const detailsChunk = 8 << 10

// detailFields are the strings of an item that ItemDetails keeps, in order.
func detailFields(it *remit.Item) [24]*string {
	a, d := &it.Address, &it.Amendment
	return [...]*string{&it.EndToEndID, &it.RUM, &it.MandateSigned, &d.Account, &d.RUM, &d.ICS, &it.BIC, &it.IBAN, &it.Name,
		&a.Street, &a.Building, &a.Postcode, &a.Town, &a.Country, &it.Document, &it.Label, &it.Due, &it.Issue, &it.Acceptance,
		&it.BankName, &it.SIREN, &it.Customer, &it.ChequeNumber, &it.DrawerBank}
}

// Add keeps the details of it, an item of group g, and returns their place
// in the group's stream, for Read.
func (d *ItemDetails) Add(g int32, it *remit.Item) (int64, error) {
	if d.Discard {
		return 0, nil
	}
	if d.f == nil {
		f, err := os.CreateTemp("", "remit-items-*")
		if err != nil {
			return 0, err
		}
		os.Remove(f.Name()) // where the system allows it: the space comes back when the file closes, or the process dies
		d.f = f
	}
	for int(g) >= len(d.streams) {
		d.streams = append(d.streams, detailStream{read: -1})
	}
	s := &d.streams[g]
	if s.read >= 0 {
		return 0, errors.New("item details: an item added after the first read")
	}
	rec := d.rec[:0]
	for _, f := range detailFields(it) {
		rec = binary.AppendUvarint(rec, uint64(len(*f)))
		rec = append(rec, *f...)
	}
	d.rec = rec
	off := s.size
	s.buf = append(binary.AppendUvarint(s.buf, uint64(len(rec))), rec...)
	s.size = off + int64(uvarintLen(uint64(len(rec)))+len(rec))
	if len(s.buf) >= detailsChunk {
		return off, d.flush(s)
	}
	return off, nil
}

// flush writes the records of s not written yet as its next chunk.
func (d *ItemDetails) flush(s *detailStream) error {
	if len(s.buf) == 0 {
		return nil
	}
	if _, err := d.f.WriteAt(s.buf, d.end); err != nil {
		return err
	}
	s.chunks = append(s.chunks, detailChunk{from: s.size - int64(len(s.buf)), at: d.end, n: len(s.buf)})
	d.end += int64(len(s.buf))
	s.buf = s.buf[:0]
	return nil
}

// Read fills in the details of it kept at off in group g's stream, the
// strings of one allocation; the other fields are left as they are. The
// first read ends the adding.
func (d *ItemDetails) Read(g int32, off int64, it *remit.Item) error {
	if g < 0 || int(g) >= len(d.streams) || off < 0 || off >= d.streams[g].size {
		return fmt.Errorf("item details: no item at %d of group %d", off, g)
	}
	s := &d.streams[g]
	if s.read < 0 {
		if err := d.flush(s); err != nil {
			return err
		}
		s.read = len(s.chunks) // none read
	}
	c := s.read
	if c >= len(s.chunks) || off < s.chunks[c].from || off >= s.chunks[c].from+int64(s.chunks[c].n) {
		c = sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].from > off }) - 1
		ch := s.chunks[c]
		s.buf = slices.Grow(s.buf[:0], ch.n)[:ch.n]
		if _, err := d.f.ReadAt(s.buf, ch.at); err != nil {
			s.read = len(s.chunks)
			return fmt.Errorf("item details of group %d: %w", g, err)
		}
		s.read = c
	}
	return decodeDetails(s.buf[off-s.chunks[c].from:], it)
}

// decodeDetails reads the record at the start of b into it.
func decodeDetails(b []byte, it *remit.Item) error {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return errors.New("item details: a record longer than its chunk")
	}
	rec := b[k : k+int(n)]
	all := string(rec)
	for _, f := range detailFields(it) {
		l, k := binary.Uvarint(rec)
		if k <= 0 || uint64(len(rec)-k) < l {
			return errors.New("item details: a field past its record's end")
		}
		start := len(all) - len(rec) + k
		*f = all[start : start+int(l)]
		rec = rec[k+int(l):]
	}
	if len(rec) != 0 {
		return errors.New("item details: bytes left after the last field")
	}
	return nil
}

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}

// Close releases the temporary file.
func (d *ItemDetails) Close() {
	if d.f != nil {
		name := d.f.Name()
		d.f.Close()
		os.Remove(name) // already gone where the system allowed unlinking an open file
	}
	*d = ItemDetails{}
}
