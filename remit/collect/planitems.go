package collect

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

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
	id   int64
	each func(ctx context.Context, fn func(*remit.Item) error) error
}

// itemsOf is what remittance id, the plan's remittance i, writes its files
// from: the plan when it is an ItemSource, else the store.
func itemsOf(tx store.ItemReader, plan Plan, i int, id int64) store.ItemReader {
	src, ok := plan.(ItemSource)
	if !ok {
		return tx
	}
	return plannedItems{ItemReader: tx, id: id, each: func(ctx context.Context, fn func(*remit.Item) error) error {
		return src.EachItem(ctx, i, fn)
	}}
}

func (p plannedItems) Items(ctx context.Context, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	if remittanceID != p.id {
		return p.ItemReader.Items(ctx, remittanceID, set, fn)
	}
	prog := remit.StartProgress(ctx, remit.StageWrite)
	defer prog.Done()
	return p.each(ctx, func(it *remit.Item) error {
		prog.Add()
		return fn(it)
	})
}

// ItemDetails holds what the files read of each accepted item beyond what
// Planned carries (its debtor as the snapshot names it, its document, its
// dates…), appended in the order the run accepts the items to a temporary
// file unlinked at once: Planned.Off names an item's. A run reads them in
// file order, mostly forward through a buffer; elsewhere from the offset.
// Memory stays flat whatever the run's size. The zero value is ready.
type ItemDetails struct {
	f   *os.File
	w   *bufio.Writer
	end int64 // the file's length, what w holds included
	r   *bufio.Reader
	pos int64 // the offset of what r gives next; -1: r reads nothing
	rec []byte
}

// detailsAhead is how far forward Read reads on rather than start again at
// an offset.
const detailsAhead = 64 << 10

// detailFields are the strings of an item that ItemDetails keeps, in order.
func detailFields(it *remit.Item) [24]*string {
	a, d := &it.Address, &it.Amendment
	return [...]*string{&it.EndToEndID, &it.RUM, &it.MandateSigned, &d.Account, &d.RUM, &d.ICS, &it.BIC, &it.IBAN, &it.Name,
		&a.Street, &a.Building, &a.Postcode, &a.Town, &a.Country, &it.Document, &it.Label, &it.Due, &it.Issue, &it.Acceptance,
		&it.BankName, &it.SIREN, &it.Customer, &it.ChequeNumber, &it.DrawerBank}
}

// Add keeps it's details and returns their offset, for Read.
func (d *ItemDetails) Add(it *remit.Item) (int64, error) {
	if d.f == nil {
		f, err := os.CreateTemp("", "remit-items-*")
		if err != nil {
			return 0, err
		}
		os.Remove(f.Name()) // where the system allows it: the space comes back when the file closes, or the process dies
		d.f, d.w, d.pos = f, bufio.NewWriterSize(f, 64<<10), -1
	}
	rec := d.rec[:0]
	for _, s := range detailFields(it) {
		rec = binary.AppendUvarint(rec, uint64(len(*s)))
		rec = append(rec, *s...)
	}
	d.rec = rec
	off := d.end
	var n [binary.MaxVarintLen64]byte
	head := binary.PutUvarint(n[:], uint64(len(rec)))
	if _, err := d.w.Write(n[:head]); err != nil {
		return 0, err
	}
	if _, err := d.w.Write(rec); err != nil {
		return 0, err
	}
	d.end += int64(head + len(rec))
	return off, nil
}

// Read fills in the details of it kept at off, the strings of one
// allocation; the other fields are left as they are.
func (d *ItemDetails) Read(off int64, it *remit.Item) error {
	if d.f == nil || off < 0 || off >= d.end {
		return fmt.Errorf("item details: no item at %d", off)
	}
	if d.w.Buffered() > 0 {
		if err := d.w.Flush(); err != nil {
			return err
		}
		d.pos = -1 // r's section ends where the file did
	}
	if err := d.seek(off); err != nil {
		return err
	}
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return d.broken(off, err)
	}
	if n > uint64(d.end-off) {
		return d.broken(off, errors.New("record longer than the file"))
	}
	if cap(d.rec) < int(n) {
		d.rec = make([]byte, n)
	}
	rec := d.rec[:n]
	if _, err := io.ReadFull(d.r, rec); err != nil {
		return d.broken(off, err)
	}
	d.pos = off + int64(uvarintLen(n)) + int64(n)
	all := string(rec)
	for _, s := range detailFields(it) {
		l, k := binary.Uvarint(rec)
		if k <= 0 || uint64(len(rec)-k) < l {
			return d.broken(off, errors.New("field past the record's end"))
		}
		start := len(all) - len(rec) + k
		*s = all[start : start+int(l)]
		rec = rec[k+int(l):]
	}
	if len(rec) != 0 {
		return d.broken(off, errors.New("bytes left after the last field"))
	}
	return nil
}

// seek has d.r give the bytes from off: on from where it is when off is a
// little ahead, else from off.
func (d *ItemDetails) seek(off int64) error {
	if d.pos >= 0 && off >= d.pos && off-d.pos <= detailsAhead {
		_, err := d.r.Discard(int(off - d.pos))
		d.pos = off
		return err
	}
	sr := io.NewSectionReader(d.f, off, d.end-off)
	if d.r == nil {
		d.r = bufio.NewReaderSize(sr, 8<<10)
	} else {
		d.r.Reset(sr)
	}
	d.pos = off
	return nil
}

func (d *ItemDetails) broken(off int64, err error) error {
	d.pos = -1
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("item details at %d: %w", off, err)
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
