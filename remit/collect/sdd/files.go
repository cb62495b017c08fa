package sdd

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
)

// plan is what a direct-debit run decided: its payment blocks, the
// receivables of each (spilled), and the files they go in.
type plan struct {
	job         *job
	cr          remit.Creditor
	now         time.Time
	banks       *collect.RunBanks
	blocks      []blockAgg
	firstAsRCUR int                           // mandates whose first collection goes as RCUR (RCUR-only policy)
	items       *spill.Spill[collect.Planned] // accepted, by block then receivable
	details     collect.ItemDetails           // what the files read of each
	snaps       collect.Snapshots
	files       []plannedFile
	prog        *remit.ProgressCounter
}

func (p *plan) Close() {
	p.items.Close()
	p.details.Close()
	p.snaps.Close()
}
func (p *plan) Len() int { return len(p.files) }

func (p *plan) Notes() []string {
	if p.job.rcurOnly && p.firstAsRCUR > 0 {
		return []string{fmt.Sprintf("RCUR-only policy applied: %s sent as RCUR instead of FRST",
			pluralize(p.firstAsRCUR, "first collection", "first collections"))}
	}
	return nil
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// each calls fn on a file segment's items in file order.
func (p *plan) each(seg fileSegment, fn func(collect.Planned) error) error {
	from, to := collect.Planned{Group: int32(seg.grp), ID: seg.first}, collect.Planned{Group: int32(seg.grp), ID: seg.last + 1}
	if seg.last == math.MaxInt64 {
		to = collect.Planned{Group: int32(seg.grp + 1), ID: math.MinInt64}
	}
	return p.items.Each(&from, &to, fn)
}

// fileSegment is a run of one block's items (ranks lo..hi, 1-based, in
// receivable order: receivables first..last) that goes into one file.
type fileSegment struct {
	grp         int
	key         blockKey
	lo, hi      int
	first, last int64
	count       int
	total       int64
}

type plannedFile struct {
	bank     int
	scheme   string
	segments []fileSegment
}

func (f plannedFile) totals() (int, int64) {
	n, t := 0, int64(0)
	for _, s := range f.segments {
		n += s.count
		t += s.total
	}
	return n, t
}

func seqOrder(seq string) int {
	switch seq {
	case remit.SeqFirst:
		return 0
	case remit.SeqRecurrent:
		return 1
	case remit.SeqOneOff:
		return 2
	}
	return 3
}

// planFiles groups the blocks into files, bank by bank: two banks, or CORE
// and B2B, never share one.
func planFiles(blocks []blockAgg, o Options) []plannedFile {
	idx := make([]int, len(blocks))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := blocks[idx[a]].key, blocks[idx[b]].key
		if x.bank != y.bank {
			return x.bank < y.bank
		}
		if x.scheme != y.scheme {
			return x.scheme < y.scheme
		}
		if o.Split == SplitSequence && seqOrder(x.seq) != seqOrder(y.seq) {
			return seqOrder(x.seq) < seqOrder(y.seq)
		}
		if x.date != y.date {
			return x.date < y.date
		}
		return seqOrder(x.seq) < seqOrder(y.seq)
	})
	var files []plannedFile
	fileKey := func(k blockKey) string {
		bank := fmt.Sprint(k.bank) + "/"
		switch o.Split {
		case SplitSequence:
			return bank + k.scheme + "/" + k.seq
		case SplitPmtInf:
			return bank + k.scheme + "/" + k.seq + "/" + k.date
		}
		return bank + k.scheme
	}
	last := ""
	for _, i := range idx {
		b := blocks[i]
		seg := fileSegment{grp: i, key: b.key, lo: 1, hi: b.count, first: math.MinInt64, last: math.MaxInt64, count: b.count, total: b.total}
		if k := fileKey(b.key); k != last || len(files) == 0 {
			files = append(files, plannedFile{bank: b.key.bank, scheme: b.key.scheme})
			last = k
		}
		f := &files[len(files)-1]
		f.segments = append(f.segments, seg)
	}
	return files
}

// splitFiles cuts files at --max-tx transactions and --max-amount euros,
// walking the planned items in file order.
func splitFiles(plan *plan, files []plannedFile, o Options) ([]plannedFile, error) {
	var out []plannedFile
	for _, f := range files {
		cur := plannedFile{bank: f.bank, scheme: f.scheme}
		n, total := 0, int64(0)
		for _, seg := range f.segments {
			part := fileSegment{grp: seg.grp, key: seg.key, lo: 1, first: seg.first}
			rank, prev := 0, int64(0)
			err := plan.each(seg, func(it collect.Planned) error {
				rank++
				if o.MaxAmount > 0 && it.Amount > o.MaxAmount { // refused by the planner
					return fmt.Errorf("a receivable of %s EUR is larger than --max-amount %s EUR: it cannot go in any file",
						remit.FormatAmountFR(it.Amount), remit.FormatAmountFR(o.MaxAmount))
				}
				if n > 0 && ((o.MaxTx > 0 && n+1 > o.MaxTx) || (o.MaxAmount > 0 && total+it.Amount > o.MaxAmount)) {
					if part.count > 0 {
						part.hi, part.last = rank-1, prev
						cur.segments = append(cur.segments, part)
					}
					out = append(out, cur)
					cur = plannedFile{bank: f.bank, scheme: f.scheme}
					part = fileSegment{grp: seg.grp, key: seg.key, lo: rank, first: it.ID}
					n, total = 0, 0
				}
				part.count++
				part.total += it.Amount
				n++
				total += it.Amount
				prev = it.ID
				return nil
			})
			if err != nil {
				return nil, err
			}
			if part.count > 0 {
				part.hi, part.last = seg.hi, seg.last
				cur.segments = append(cur.segments, part)
			}
		}
		if len(cur.segments) > 0 {
			out = append(out, cur)
		}
	}
	return out, nil
}

func (p *plan) Dry(cr remit.Creditor) []remit.Remittance {
	out := make([]remit.Remittance, 0, len(p.files))
	for _, f := range p.files {
		n, t := f.totals()
		r := remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: Name, Scheme: f.scheme, Bank: p.banks.Code(f.bank), Status: "planned",
			Count: n, Total: t, TotalText: remit.FormatAmount(t), Files: []remit.FileInfo{}}
		for i, s := range f.segments {
			r.Blocks = append(r.Blocks, remit.Block{Number: i + 1, SequenceType: s.key.seq, CollectionDate: remit.StoredDate(s.key.date),
				Date: s.key.date, Count: s.count, Total: s.total, TotalText: remit.FormatAmount(s.total)})
		}
		out = append(out, r)
	}
	return out
}

// Record records planned file i as a remittance: its row, its MsgId, its
// items, and the mandates' changes it announces, not to announce them
// twice. The run's debtors are recorded with the first.
func (p *plan) Record(ctx context.Context, tx store.RunTx, i int, created func(id int64) error) (int64, int, int64, error) {
	if i == 0 {
		if err := p.snaps.Write(ctx, tx); err != nil {
			return 0, 0, 0, err
		}
		p.prog = remit.StartProgress(ctx, remit.StageRecord)
	}
	f, o := p.files[i], p.job.o
	n, total := f.totals()
	params, _ := json.Marshal(Params{Creditor: p.banks.Issuer(p.cr, f.bank), Pain: string(o.Version), BatchBooking: o.BatchBooking,
		RCUROnly: p.job.rcurOnly, CFONB: o.CFONB, RefTail: o.CFONB})
	id, err := tx.CreateRemittance(ctx, store.NewRemittance{CreditorID: p.cr.ID, Kind: Name, Scheme: f.scheme, CreatedAt: p.now,
		Count: n, Total: total, Params: params, RunID: o.RunID, Bank: p.banks.Code(f.bank)})
	if err != nil {
		return 0, 0, 0, err
	}
	if err := tx.SetMessageID(ctx, id, remit.MessageID(p.cr.Code, id, p.now)); err != nil {
		return 0, 0, 0, err
	}
	if err := created(id); err != nil {
		return 0, 0, 0, err
	}
	blocks := make([]store.BlockKey, len(f.segments))
	for b, seg := range f.segments {
		blocks[b] = store.BlockKey{Collection: seg.key.date, Sequence: seg.key.seq}
	}
	err = tx.RecordItems(ctx, id, store.DebitItems, blocks, func(yield func(store.ItemRef) error) error {
		return p.eachOf(f, func(b int, _ fileSegment, pos int, it collect.Planned) error {
			p.prog.Add()
			return yield(p.snaps.Ref(it, b+1, pos))
		})
	})
	if err != nil {
		return 0, 0, 0, err
	}
	return id, n, total, tx.ClearAnnounced(ctx, id)
}

// eachOf calls fn on the items of file f in file order, each with its
// block's index in f, its segment and its position in the block.
func (p *plan) eachOf(f plannedFile, fn func(b int, seg fileSegment, pos int, it collect.Planned) error) error {
	for b, seg := range f.segments {
		pos := seg.lo
		err := p.each(seg, func(it collect.Planned) error {
			pos++
			return fn(b, seg, pos-1, it)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// EachItem gives the items of planned file i in file order, as Record
// records them (collect.ItemSource).
func (p *plan) EachItem(ctx context.Context, i int, fn func(*remit.Item) error) error {
	var it remit.Item
	return p.eachOf(p.files[i], func(b int, seg fileSegment, _ int, pl collect.Planned) error {
		if err := p.details.Read(pl.Group, pl.Off, &it); err != nil {
			return err
		}
		it.Block, it.Amount, it.Collection, it.Sequence = b+1, pl.Amount, seg.key.date, seg.key.seq
		return fn(&it)
	})
}
