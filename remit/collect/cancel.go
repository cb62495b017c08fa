package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// Cancel withdraws a remittance that was not sent: its receivables go back
// to pointed, its mandates' history forgets it, its écritures are
// reversed, it is marked cancelled. RetireFiles then puts its files out of
// an uploader's reach.
func Cancel(ctx context.Context, st store.Store, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		if r, err = tx.Remittance(ctx, creditorID, id); err != nil {
			return err
		}
		switch r.Status {
		case remit.RemittanceSent:
			return fmt.Errorf("remittance %s: %w", r.Ref, remit.ErrAlreadySent)
		case remit.RemittanceCancelled:
			return fmt.Errorf("remittance %s: %w", r.Ref, remit.ErrAlreadyCancelled)
		}
		if err := tx.Cancel(ctx, r); err != nil {
			return err
		}
		r.Status = remit.RemittanceCancelled
		return nil
	})
	return r, err
}

// MarkSent records that a remittance went to the bank; it can no longer be cancelled.
func MarkSent(ctx context.Context, st store.Store, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		if r, err = tx.Remittance(ctx, creditorID, id); err != nil {
			return err
		}
		if r.Status == remit.RemittanceCancelled {
			return fmt.Errorf("remittance %s is cancelled", r.Ref)
		}
		r.Status = remit.RemittanceSent
		return tx.MarkSent(ctx, id)
	})
	return r, err
}

// cancelledName is where a cancelled remittance's file goes, relative to --out.
func cancelledName(name string) string { return remit.CancelledFolder + "/CANCELLED." + name }

// RetireFiles moves the files of a cancelled remittance from dir into
// dir/cancelled/, renamed CANCELLED.<name>, and records their new names,
// so that a script uploading the bank files cannot send debits that were
// withdrawn. It returns the files it moved, or found moved; a file in
// neither place (moved by hand, another --out) is left alone. Run again,
// it finishes what a crash left half done.
func RetireFiles(ctx context.Context, st store.Store, creditorID, id int64, dir string) ([]remit.FileInfo, error) {
	var moved []remit.FileInfo
	err := st.Update(ctx, func(tx store.Tx) error {
		r, err := tx.Remittance(ctx, creditorID, id)
		if err != nil {
			return err
		}
		if r.Status != remit.RemittanceCancelled {
			return fmt.Errorf("remittance %s is %s, not cancelled: its files stay", r.Ref, r.Status)
		}
		for _, f := range r.Files {
			if strings.HasPrefix(f.Name, remit.CancelledFolder+"/") {
				continue
			}
			to := cancelledName(f.Name)
			from, dst := filepath.Join(dir, f.Name), filepath.Join(dir, to)
			if _, err := os.Lstat(from); err == nil {
				if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
					return err
				}
				if err := os.Rename(from, dst); err != nil {
					return err
				}
				outdir.SyncDir(filepath.Dir(dst))
				outdir.SyncDir(dir)
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			} else if _, err := os.Lstat(dst); err != nil {
				continue // in neither place
			}
			if err := tx.RenameFile(ctx, id, f.Name, to); err != nil {
				return err
			}
			f.Name, f.Path = to, dst
			moved = append(moved, f)
		}
		return nil
	})
	return moved, err
}

// CreditDeposit books a remittance its bank credited on that day (a remise
// de chèques: the bank's account debited, the 511… account its cheques were
// booked on credited), in a transaction of its own; a statement import
// calls the store's Tx.CreditDeposit inside its own. It returns false when
// the credit was booked already.
func CreditDeposit(ctx context.Context, st store.Store, creditorID, id int64, on time.Time) (booked bool, err error) {
	err = st.Update(ctx, func(tx store.Tx) error {
		rem, err := tx.Remittance(ctx, creditorID, id)
		if err != nil {
			return err
		}
		if rem.Status == remit.RemittanceCancelled {
			return fmt.Errorf("remittance %s is cancelled: there is nothing to credit", rem.Ref)
		}
		booked, err = tx.CreditDeposit(ctx, rem, on)
		return err
	})
	return booked, err
}
