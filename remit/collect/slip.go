package collect

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// writeSlip writes BORDEREAU.<ref>.pdf beside a new remittance's files and
// records it.
func writeSlip(ctx context.Context, tx store.Tx, k Kind, rem remit.Remittance, dir string) (remit.FileInfo, error) {
	f, err := slipFile(ctx, tx, k, rem, dir, remit.BordereauName(rem.Ref), 1, outdir.PendingOf(ctx).Write)
	if err != nil {
		return f, err
	}
	return f, tx.RecordFile(ctx, rem.ID, f)
}

// slipFile writes a remittance's slip with write.
func slipFile(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance, dir, name string, copies int,
	write func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)) (remit.FileInfo, error) {
	f, err := write(dir, name, remit.FormatBordereau, func(w io.Writer) error {
		_, err := writeBordereau(ctx, items, k, w, rem, copies)
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
// remittance recorded.
func WriteBordereau(ctx context.Context, st store.Store, kinds *Registry, w io.Writer, rem remit.Remittance, copies int) (pages int, err error) {
	k, err := kinds.Kind(rem.Kind)
	if err != nil {
		return 0, err
	}
	return writeBordereau(ctx, st, k, w, rem, copies)
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
// regenerate and `remit bordereau` give the recorded bytes again.
func writeBordereau(ctx context.Context, items store.ItemReader, k Kind, w io.Writer, rem remit.Remittance, copies int) (int, error) {
	if p, ok := k.(SlipPrinter); ok {
		return p.PrintSlip(ctx, items, w, rem, copies)
	}
	cr := rem.Issuer
	slip := bordereau.Slip{Creditor: remit.BordereauParty(cr.Name, cr.Address), IBAN: cr.IBAN, BIC: cr.BIC, Bank: cr.BankName, Journal: rem.Bank,
		Reference: rem.Ref, MessageID: rem.MsgID, Created: rem.CreatedAt, Count: rem.Count, Total: rem.Total,
		Cancelled: rem.Status == remit.RemittanceCancelled}
	item, err := k.Slip(rem, &slip)
	if err != nil {
		return 0, err
	}
	for _, f := range rem.Files {
		if f.Format != remit.FormatBordereau && f.Format != remit.FormatAdvice {
			slip.Files = append(slip.Files, bordereau.File{Name: f.Name, SHA256: f.SHA256})
		}
	}
	facts, err := items.SlipFacts(ctx, rem.ID)
	if err != nil {
		return 0, err
	}
	slip.DueFrom, slip.DueTo, slip.LongestCustomer = remit.StoredDate(facts.DueFrom), remit.StoredDate(facts.DueTo), facts.LongestCustomer
	var iterErr error
	// The slip's loop body runs on the store's reading goroutine, while it
	// reads the next items: the PDF costs about as much as the read.
	seq := func(yield func(bordereau.SlipItem) bool) {
		iterErr = items.Items(ctx, rem.ID, store.ItemsSlip, func(it *remit.Item) error {
			si := bordereau.SlipItem{Document: it.Document, Customer: it.Customer, Name: it.Name, Account: it.IBAN, Amount: it.Amount,
				Due: remit.StoredDate(it.Due)}
			item(it, &si)
			if !yield(si) {
				return errStopIteration
			}
			return nil
		})
	}
	pages, err := bordereau.WriteSlip(w, slip, seq, bordereau.SlipOptions{Copies: copies, Now: rem.CreatedAt, NoZone: true})
	if iterErr != nil && iterErr != errStopIteration {
		return pages, iterErr
	}
	return pages, err
}
