package collect

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// A run writes a remittance's bank files on a goroutine of their own while
// the store records its items, so that a second core hides the files'
// cost behind the store's: a million debits make 871 MB of pain.008,
// seconds of writing. The goroutine has no part of the store: it reads the
// items from the plan (ItemSource) and the remittance as its row was
// recorded; the names are checked against the store before it starts,
// and the files are renamed into place, checked and recorded once the
// items and the écritures are in, in the order a run without the
// goroutine had them. A plan that does not give its items (the supplier
// payments read theirs from the store) writes its files after, as before.

// filesAside are a remittance's files being written beside its recording.
type filesAside struct {
	rem    remit.Remittance // as the files are written from
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine ends; then files, staged and err are set
	files  []remit.FileInfo
	staged []*outdir.Staged
	err    error
}

// startFiles starts writing the files of remittance id, the plan's
// remittance i, whose row is recorded and items not yet; it returns nil
// when the plan does not give its items. The remittance's blocks are the
// plan's: the store knows them once the items are in.
func startFiles(ctx context.Context, tx store.Tx, k Kind, cr remit.Creditor, plan Plan, i int, id int64, o Common) (*filesAside, error) {
	src, ok := plan.(ItemSource)
	if !ok {
		return nil, nil
	}
	rem, err := tx.Remittance(ctx, cr.ID, id)
	if err != nil {
		return nil, err
	}
	rem.Blocks = plan.Dry(cr)[i].Blocks
	items := planItemsOf(src, i, id)
	names, err := fileNames(ctx, items, k, rem, o.OutDir, o.NameTemplate)
	if err != nil {
		return nil, err
	}
	for _, f := range names {
		if err := checkName(ctx, tx, rem, f.Name); err != nil {
			return nil, err
		}
	}
	pend := outdir.PendingOf(ctx)
	// The store's stages show on the progress bar; the files' go unseen.
	fctx, cancel := context.WithCancel(remit.WithProgress(ctx, nil))
	a := &filesAside{rem: rem, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.files, a.err = kindFiles(fctx, items, k, rem, o.OutDir, o.NameTemplate, func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
			if !slices.ContainsFunc(names, func(f remit.FileInfo) bool { return f.Name == name }) {
				return remit.FileInfo{}, fmt.Errorf("remittance %s: %s: a file its names did not give", rem.Ref, name)
			}
			s, err := pend.Stage(dir, name, format, fn)
			if err != nil {
				return remit.FileInfo{}, err
			}
			a.staged = append(a.staged, s)
			return s.Info, nil
		})
	}()
	return a, nil
}

// finish waits for the files, checks that rem, the remittance recorded,
// is the one they were written from, renames them into place and records
// them in tx.
func (a *filesAside) finish(ctx context.Context, tx store.Tx, rem remit.Remittance) ([]remit.FileInfo, error) {
	<-a.done
	a.cancel()
	if a.err != nil {
		return nil, a.err
	}
	if err := sameRemittance(a.rem, rem); err != nil {
		return nil, err
	}
	for len(a.staged) > 0 {
		if err := a.staged[0].Publish(); err != nil {
			return nil, err
		}
		a.staged = a.staged[1:]
	}
	return a.files, recordFiles(ctx, tx, rem.ID, a.files)
}

// stop stops the files of a remittance that failed, if any: it waits for
// the goroutine and removes what is not renamed into place (the pending
// marks go with the transaction, Pending.Abandon).
func (a *filesAside) stop() {
	if a == nil {
		return
	}
	a.cancel()
	<-a.done
	for _, s := range a.staged {
		s.Discard()
	}
	a.staged = nil
}

// sameRemittance checks that the remittance recorded is the one its files
// were written from: its row, and the blocks the plan gave. A block
// planned without a date (an LCR's, whose bills keep their due dates) is
// not checked for one.
func sameRemittance(written, recorded remit.Remittance) error {
	same := written.ID == recorded.ID && written.MsgID == recorded.MsgID && written.CreatedAt.Equal(recorded.CreatedAt) &&
		written.Count == recorded.Count && written.Total == recorded.Total && written.Scheme == recorded.Scheme &&
		string(written.Params) == string(recorded.Params) && len(written.Blocks) == len(recorded.Blocks)
	for i := 0; same && i < len(written.Blocks); i++ {
		w, r := written.Blocks[i], recorded.Blocks[i]
		same = w.Number == r.Number && w.SequenceType == r.SequenceType && w.Count == r.Count && w.Total == r.Total &&
			(w.Date == "" || w.Date == r.Date && w.CollectionDate.Equal(r.CollectionDate))
	}
	if !same {
		return fmt.Errorf("remittance %s: recorded otherwise than its plan, which its files were written from", recorded.Ref)
	}
	return nil
}
