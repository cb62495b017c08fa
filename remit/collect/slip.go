package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// The slips a remittance can get (SlipLayout.Mode).
const (
	SlipDetail  = "detail"  // every item, by block, with subtotals (a zero SlipLayout's)
	SlipSummary = "summary" // a line per block, the items in BORDEREAU.<ref>.csv
	SlipAuto    = "auto"    // the summary past SummaryAbove items, else the detail
)

// DefaultSummaryAbove is how many items a remittance has at most for its
// slip to list them (SlipAuto): 2,500 items fill about 48 pages, 52 a
// page; past them, a slip of 200,000 items would be 3,848 pages, which no
// one reads or prints.
const DefaultSummaryAbove = 2500

// SlipLayout says which slip a remittance gets; the zero layout lists
// every item.
type SlipLayout struct {
	Mode         string // SlipDetail, SlipSummary or SlipAuto ("" is SlipDetail)
	SummaryAbove int    // with SlipAuto: a summary for more items than this
}

// Summary says whether a remittance of count items gets the summary slip.
func (l SlipLayout) Summary(count int) bool {
	switch l.Mode {
	case SlipSummary:
		return true
	case SlipAuto:
		return count > l.SummaryAbove
	}
	return false
}

// writeDetail writes BORDEREAU.<ref>.csv, the detail of the summary slip
// of a new remittance, from items (the store's, or the same from its plan),
// beside its files and records it in tx; it returns the blocks the slip prints.
func writeDetail(ctx context.Context, tx store.Tx, items store.ItemReader, k Kind, rem remit.Remittance, dir string) (remit.FileInfo,
	[]bordereau.SlipBlock, error) {
	f, blocks, err := detailFile(ctx, items, k, rem, dir, remit.BordereauDetailName(rem.Ref), outdir.PendingOf(ctx).Write)
	if err != nil {
		return f, nil, err
	}
	return f, blocks, tx.RecordFile(ctx, rem.ID, f)
}

// detailFile writes the detail of a remittance's summary slip with write,
// and returns the blocks it summed.
func detailFile(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance, dir, name string,
	write func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)) (remit.FileInfo, []bordereau.SlipBlock, error) {
	var blocks []bordereau.SlipBlock
	f, err := write(dir, name, remit.FormatBordereauDetail, func(w io.Writer) (err error) {
		blocks, err = writeBordereauDetail(ctx, items, k, w, rem)
		return err
	})
	if err != nil {
		return f, nil, fmt.Errorf("detail of the slip of remittance %s: %w", rem.Ref, err)
	}
	return f, blocks, nil
}

// WriteBordereauDetail writes the detail of a remittance's summary slip
// (its items, as CSV) into w: what `remit bordereau --slip summary` writes
// beside the slip it prints. It returns the blocks it summed, for
// WriteBordereau to print the slip without reading the items again.
func WriteBordereauDetail(ctx context.Context, st store.Store, kinds *Registry, w io.Writer, rem remit.Remittance) ([]bordereau.SlipBlock, error) {
	k, err := kinds.Kind(rem.Kind)
	if err != nil {
		return nil, err
	}
	if _, ok := k.(SlipPrinter); ok {
		return nil, fmt.Errorf("remittance %s: %s prints its own slip, which has no summary", rem.Ref, k.Label(rem))
	}
	return writeBordereauDetail(ctx, st, k, w, rem)
}

// writeSlip writes BORDEREAU.<ref>.pdf beside a new remittance's files,
// from items (the store's, or the same from its plan), and records it in tx.
func writeSlip(ctx context.Context, tx store.Tx, items store.ItemReader, k Kind, rem remit.Remittance, dir string,
	blocks []bordereau.SlipBlock) (remit.FileInfo, error) {
	f, err := slipFile(ctx, items, k, rem, dir, remit.BordereauName(rem.Ref), 1, blocks, outdir.PendingOf(ctx).Write)
	if err != nil {
		return f, err
	}
	return f, tx.RecordFile(ctx, rem.ID, f)
}

// slipFile writes a remittance's slip with write; a summary slip prints
// blocks, its detail's, when given.
func slipFile(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance, dir, name string, copies int,
	blocks []bordereau.SlipBlock, write func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)) (remit.FileInfo, error) {
	f, err := write(dir, name, remit.FormatBordereau, func(w io.Writer) error {
		_, err := writeBordereau(ctx, items, k, w, rem, copies, blocks)
		return err
	})
	if err != nil {
		return f, fmt.Errorf("bordereau of remittance %s: %w", rem.Ref, err)
	}
	f.Copies = copies
	return f, nil
}

// WriteBordereau writes the remittance slip of a remittance into w. Its
// dates are the remittance's, so one copy is the very bytes of the slip the
// remittance recorded. A summary slip prints blocks when given (those
// WriteBordereauDetail returned), else reads the items again.
func WriteBordereau(ctx context.Context, st store.Store, kinds *Registry, w io.Writer, rem remit.Remittance, copies int,
	blocks []bordereau.SlipBlock) (pages int, err error) {
	k, err := kinds.Kind(rem.Kind)
	if err != nil {
		return 0, err
	}
	return writeBordereau(ctx, st, k, w, rem, copies, blocks)
}

var errStopIteration = errors.New("stop")

// A SlipPrinter is a kind whose slip is a document of its own, not a
// bordereau de remise: a remise de chèques prints the bordereau de
// versement that goes to the bank with the cheques. Its slip is written,
// recorded, printed again and regenerated as any other.
type SlipPrinter interface {
	// PrintSlip writes copies of a remittance's slip to w, dated by the
	// remittance's creation (never the clock), and returns its pages.
	PrintSlip(ctx context.Context, items store.ItemReader, w io.Writer, rem remit.Remittance, copies int) (pages int, err error)
}

// writeBordereau prints a remittance's slip dated by the remittance's
// creation (a stored wall-clock time, hence NoZone), never by the clock:
// regenerate and `remit bordereau` give the recorded bytes again. The slip
// is a summary when the remittance records its detail (a file of format
// remit.FormatBordereauDetail, which it lists with the bank files): from
// the blocks its detail summed when given (one reading of the items for
// both), else from the items.
func writeBordereau(ctx context.Context, items store.ItemReader, k Kind, w io.Writer, rem remit.Remittance, copies int,
	blocks []bordereau.SlipBlock) (int, error) {
	if p, ok := k.(SlipPrinter); ok {
		return p.PrintSlip(ctx, items, w, rem, copies)
	}
	slip, src, err := slipSource(ctx, items, k, rem)
	if err != nil {
		return 0, err
	}
	summary := slices.ContainsFunc(rem.Files, func(f remit.FileInfo) bool { return f.Format == remit.FormatBordereauDetail })
	if summary && blocks != nil {
		return bordereau.WriteSlipSummary(w, slip, blocks, bordereau.SlipOptions{Copies: copies, Now: rem.CreatedAt, NoZone: true})
	}
	pages, err := bordereau.WriteSlip(w, slip, src.seq, bordereau.SlipOptions{Copies: copies, Now: rem.CreatedAt, NoZone: true, Summary: summary})
	if src.err != nil && src.err != errStopIteration {
		return pages, src.err
	}
	return pages, err
}

// writeBordereauDetail writes the detail of a remittance's summary slip:
// its items as CSV (bordereau.WriteSlipDetail), texts guarded against
// formulas as every export of remit's.
func writeBordereauDetail(ctx context.Context, items store.ItemReader, k Kind, w io.Writer, rem remit.Remittance) ([]bordereau.SlipBlock, error) {
	slip, src, err := slipSource(ctx, items, k, rem)
	if err != nil {
		return nil, err
	}
	blocks, err := bordereau.WriteSlipDetail(w, slip, src.seq, bordereau.SlipDetailOptions{Text: remit.SpreadsheetCell})
	if src.err != nil && src.err != errStopIteration {
		return nil, src.err
	}
	return blocks, err
}

// slipSource is what a remittance's slip prints: its header, and its items
// as the kind prints them.
func slipSource(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance) (bordereau.Slip, *slipItems, error) {
	cr := rem.Issuer
	slip := bordereau.Slip{Creditor: remit.BordereauParty(cr.Name, cr.Address), IBAN: cr.IBAN, BIC: cr.BIC, Bank: cr.BankName, Journal: rem.Bank,
		Reference: rem.Ref, MessageID: rem.MsgID, Created: rem.CreatedAt, Count: rem.Count, Total: rem.Total,
		Cancelled: rem.Status == remit.RemittanceCancelled}
	item, err := k.Slip(rem, &slip)
	if err != nil {
		return slip, nil, err
	}
	for _, f := range rem.Files {
		if f.Format != remit.FormatBordereau && f.Format != remit.FormatAdvice {
			slip.Files = append(slip.Files, bordereau.File{Name: f.Name, SHA256: f.SHA256})
		}
	}
	facts, err := items.SlipFacts(ctx, rem.ID)
	if err != nil {
		return slip, nil, err
	}
	slip.DueFrom, slip.DueTo, slip.LongestCustomer = remit.StoredDate(facts.DueFrom), remit.StoredDate(facts.DueTo), facts.LongestCustomer
	return slip, &slipItems{ctx: ctx, items: items, id: rem.ID, item: item}, nil
}

// slipItems reads a remittance's items as its slip prints them.
type slipItems struct {
	ctx   context.Context
	items store.ItemReader
	id    int64
	item  func(it *remit.Item, si *bordereau.SlipItem)
	err   error // of the last reading; errStopIteration when the reader stopped early
}

// seq yields the items. The slip's loop body runs on the store's reading
// goroutine, while it reads the next items: the PDF costs about as much as
// the read.
func (s *slipItems) seq(yield func(bordereau.SlipItem) bool) {
	s.err = s.items.Items(s.ctx, s.id, store.ItemsSlip, func(it *remit.Item) error {
		si := bordereau.SlipItem{Document: it.Document, Customer: it.Customer, Name: it.Name, Account: it.IBAN, Amount: it.Amount,
			Due: remit.StoredDate(it.Due)}
		s.item(it, &si)
		if !yield(si) {
			return errStopIteration
		}
		return nil
	})
}
