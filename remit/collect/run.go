package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// Run turns the creditor's pointed receivables of the job's kind into
// remittances, in one transaction: the kind plans them, each is recorded
// with its écritures, its files are written (renamed into place before the
// commit, marked pending until it), and it all commits or none of it stays.
// A strict run that refuses a receivable returns ErrRefusedStrict with
// what it refused.
func Run(ctx context.Context, st store.Store, cr remit.Creditor, job Job) (*Result, error) {
	now := st.Now()
	if err := job.Prepare(cr, now); err != nil {
		return nil, err
	}
	o, k := job.Common(), job.Kind()
	res := &Result{Kind: k.Name(), Creditor: cr.Code, DryRun: o.DryRun, Remittances: []remit.Remittance{}, Refused: []remit.Refusal{}}
	ctx, pend := outdir.Track(ctx, o.RunID)
	err := st.Run(ctx, func(tx store.RunTx) error {
		if !o.DryRun {
			if err := outdir.Clean(o.OutDir, recordedIn(ctx, tx)); err != nil {
				return err
			}
		}
		plan, err := job.Plan(ctx, tx, cr, now, res)
		if err != nil {
			return err
		}
		defer plan.Close()
		if len(res.Refused) > 0 && o.Strict {
			return ErrRefusedStrict
		}
		res.Notes = append(res.Notes, plan.Notes()...)
		if o.DryRun {
			res.Remittances = plan.Dry(cr)
			return nil
		}
		for i := range plan.Len() {
			rem, err := record(ctx, tx, k, cr, plan, i, o)
			if err != nil {
				return err
			}
			res.Remittances = append(res.Remittances, rem)
		}
		if plan.Len() > 0 {
			crash.Point("before-commit")
		}
		return nil
	})
	if err != nil {
		// What the transaction wrote goes with it.
		pend.Abandon(recordedIn(context.WithoutCancel(ctx), st))
		if errors.Is(err, ErrRefusedStrict) {
			return res, err
		}
		return nil, err
	}
	if !o.DryRun && len(res.Remittances) > 0 {
		crash.Point("after-commit")
		pend.Commit()
	}
	return res, nil
}

// record records the plan's remittance i, then its écritures, its files and
// its slip, inside the run's transaction. Its bank files are written while
// the store records its items (startFiles), and renamed into place after
// its écritures: a failing écriture leaves no file behind.
func record(ctx context.Context, tx store.RunTx, k Kind, cr remit.Creditor, plan Plan, i int, o Common) (_ remit.Remittance, err error) {
	var aside *filesAside
	defer func() {
		if err != nil {
			aside.stop()
		}
	}()
	id, n, total, err := plan.Record(ctx, tx, i, func(id int64) (err error) {
		aside, err = startFiles(ctx, tx, k, cr, plan, i, id, o)
		return err
	})
	if err != nil {
		return remit.Remittance{}, err
	}
	rem, err := tx.Remittance(ctx, cr.ID, id)
	if err != nil {
		return rem, err
	}
	if rem.Count != n || rem.Total != total {
		return rem, fmt.Errorf("remittance %s: planned %d items for %s, recorded %d for %s", rem.Ref, n, remit.FormatAmount(total),
			rem.Count, remit.FormatAmount(rem.Total))
	}
	// Entries first: a failing one must leave no file behind.
	if err := tx.CollectionEntries(ctx, rem); err != nil {
		return rem, err
	}
	items := itemsOf(tx, plan, i, id)
	var files []remit.FileInfo
	if aside != nil {
		files, err = aside.finish(ctx, tx, rem)
	} else {
		files, err = writeFiles(ctx, tx, items, k, rem, o.OutDir, o.NameTemplate)
	}
	if err != nil {
		return rem, err
	}
	crash.Point("after-file")
	rem.Files = files
	if !o.NoBordereau {
		var blocks []bordereau.SlipBlock
		if _, own := k.(SlipPrinter); !own && o.Slip.Summary(rem.Count) {
			// The detail first: the summary slip lists it with its sha256.
			f, b, err := writeDetail(ctx, tx, items, k, rem, o.OutDir)
			if err != nil {
				return rem, err
			}
			rem.Files, blocks = append(rem.Files, f), b
		}
		f, err := writeSlip(ctx, tx, items, k, rem, o.OutDir, blocks)
		if err != nil {
			return rem, err
		}
		rem.Files = append(rem.Files, f)
	}
	return rem, nil
}

// recordedIn says whether a remittance records a file of the out folder
// (for outdir.Clean and Pending.Abandon).
func recordedIn(ctx context.Context, q interface {
	FileRecorded(ctx context.Context, name string) (bool, error)
}) func(name string) (bool, error) {
	return func(name string) (bool, error) { return q.FileRecorded(ctx, name) }
}

// CleanOut does what a remittance run does first to dir (see outdir.Clean),
// for `remit run` to do it even when nothing is pointed.
func CleanOut(ctx context.Context, st store.Store, dir string) error {
	return st.Update(ctx, func(tx store.Tx) error { return outdir.Clean(dir, recordedIn(ctx, tx)) })
}
