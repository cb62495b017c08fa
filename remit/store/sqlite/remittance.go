package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
)

// Remittances lists the creditor's remittances, newest first.
func (s *Store) Remittances(ctx context.Context, creditorID int64) ([]remit.Remittance, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = ? ORDER BY r.id DESC`, creditorID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]remit.Remittance, 0, len(ids))
	for _, id := range ids {
		r, err := s.Remittance(ctx, creditorID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Remittance loads one remittance with its files and blocks.
func (s *Store) Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	return loadRemittance(ctx, s.DB, creditorID, id)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func loadRemittance(ctx context.Context, q querier, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	var created, params string
	err := q.QueryRowContext(ctx, `SELECT r.id, c.code, r.kind, r.scheme, r.status, r.msg_id, r.created_at, r.item_count, r.total, r.params
		FROM remittances r JOIN creditors c ON c.id = r.creditor_id WHERE r.id = ? AND r.creditor_id = ?`, id, creditorID).
		Scan(&r.ID, &r.Creditor, &r.Kind, &r.Scheme, &r.Status, &r.MsgID, &created, &r.Count, &r.Total, &params)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("remittance %s: %w", remit.Ref(id), remit.ErrNoRemittance)
	}
	if err != nil {
		return r, err
	}
	r.Ref = remit.Ref(r.ID)
	r.TotalText = remit.FormatAmount(r.Total)
	r.CreatedAt, _ = time.Parse(remit.TimestampLayout, created)
	if err := json.Unmarshal([]byte(params), &r.Params); err != nil {
		return r, fmt.Errorf("remittance %s: stored parameters: %w", r.Ref, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT name, format, sha256, size, copies FROM remittance_files WHERE remittance_id = ? ORDER BY rowid`, id)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var f remit.FileInfo
		rows.Scan(&f.Name, &f.Format, &f.SHA256, &f.Size, &f.Copies)
		r.Files = append(r.Files, f)
	}
	rows.Close()
	r.Blocks, err = loadBlocks(ctx, q, id)
	return r, err
}

func loadBlocks(ctx context.Context, q querier, id int64) ([]remit.Block, error) {
	rows, err := q.QueryContext(ctx, `SELECT block, sequence_type, collection_date, count(*), sum(amount)
		FROM remittance_items WHERE remittance_id = ? GROUP BY block ORDER BY block`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []remit.Block
	for rows.Next() {
		var b remit.Block
		var date string
		if err := rows.Scan(&b.Number, &b.SequenceType, &date, &b.Count, &b.Total); err != nil {
			return nil, err
		}
		b.CollectionDate = remit.StoredDate(date)
		b.Date = date
		b.TotalText = remit.FormatAmount(b.Total)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Cancel withdraws a remittance that was not sent: its receivables go back
// to pointed, its mandates' history forgets it, it is marked cancelled in
// the database. RetireFiles then puts its files out of an uploader's reach.
func (s *Store) Cancel(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = loadRemittance(ctx, tx, creditorID, id)
		if err != nil {
			return err
		}
		switch r.Status {
		case remit.RemittanceSent:
			return fmt.Errorf("remittance %s: %w", r.Ref, remit.ErrAlreadySent)
		case remit.RemittanceCancelled:
			return fmt.Errorf("remittance %s: %w", r.Ref, remit.ErrAlreadyCancelled)
		}
		// Amendments announced by this remittance must be announced again.
		if err := reannounce(ctx, tx, "i.remittance_id = ?1", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE receivables SET status = 'pointed', refusal = ''
			WHERE id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = ? AND status = 'remitted')`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE remittance_items SET status = 'cancelled' WHERE remittance_id = ?`, id); err != nil {
			return err
		}
		if err := s.afterCancel(ctx, tx, r); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE remittances SET status = 'cancelled' WHERE id = ?`, id)
		r.Status = remit.RemittanceCancelled
		return err
	})
	return r, err
}

// cancelledName is where a cancelled remittance's file goes, relative to --out.
func cancelledName(name string) string { return remit.CancelledFolder + "/CANCELLED." + name }

// RetireFiles moves the files of a cancelled remittance from outDir into
// outDir/cancelled/, renamed CANCELLED.<name>, and records their new names,
// so that a script uploading the bank files cannot send debits that were
// withdrawn. It returns the files it moved, or found moved; a file in
// neither place (moved by hand, another --out) is left alone. Run again,
// it finishes what a crash left half done.
func (s *Store) RetireFiles(ctx context.Context, creditorID, id int64, outDir string) ([]remit.FileInfo, error) {
	var moved []remit.FileInfo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := loadRemittance(ctx, tx, creditorID, id)
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
			from, dst := filepath.Join(outDir, f.Name), filepath.Join(outDir, to)
			if _, err := os.Lstat(from); err == nil {
				if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
					return err
				}
				if err := os.Rename(from, dst); err != nil {
					return err
				}
				outdir.SyncDir(filepath.Dir(dst))
				outdir.SyncDir(outDir)
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			} else if _, err := os.Lstat(dst); err != nil {
				continue // in neither place
			}
			if _, err := tx.ExecContext(ctx, `UPDATE remittance_files SET name = ? WHERE remittance_id = ? AND name = ?`, to, id, f.Name); err != nil {
				return err
			}
			f.Name, f.Path = to, dst
			moved = append(moved, f)
		}
		return nil
	})
	return moved, err
}

// reannounce puts back on their mandates the changes of RUM and creditor
// identifier that the items cond selects (alias i, its argument ?1)
// announced, so that each mandate's next collection announces them again:
// the items were cancelled, or rejected before settlement, so the debtor's
// bank never registered the change. A change recorded since is kept.
func reannounce(ctx context.Context, q querier, cond string, arg any) error {
	_, err := q.ExecContext(ctx, `UPDATE mandates SET
			original_rum = CASE WHEN original_rum = '' THEN (SELECT max(i.amend_rum) FROM remittance_items i WHERE `+cond+` AND i.mandate_id = mandates.id) ELSE original_rum END,
			original_ics = CASE WHEN original_ics = '' THEN (SELECT max(i.amend_ics) FROM remittance_items i WHERE `+cond+` AND i.mandate_id = mandates.id) ELSE original_ics END
		WHERE id IN (SELECT i.mandate_id FROM remittance_items i WHERE `+cond+` AND (i.amend_rum != '' OR i.amend_ics != ''))`, arg)
	return err
}

// Hooks let other parts of the store (accounting entries) follow the life of
// a remittance inside the same transaction: register them from an init
// function in their own file.
var (
	remittanceHooks []func(s *Store, ctx context.Context, tx *sql.Tx, r remit.Remittance) error
	cancelHooks     []func(s *Store, ctx context.Context, tx *sql.Tx, r remit.Remittance) error
)

// afterRemittance runs the remittance hooks once a new remittance's items
// and files are recorded.
func (s *Store) afterRemittance(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	for _, h := range remittanceHooks {
		if err := h(s, ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// afterCancel runs the cancel hooks once a remittance's items are cancelled.
func (s *Store) afterCancel(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	for _, h := range cancelHooks {
		if err := h(s, ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// MarkSent records that a remittance went to the bank; it can no longer be cancelled.
func (s *Store) MarkSent(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = loadRemittance(ctx, tx, creditorID, id)
		if err != nil {
			return err
		}
		if r.Status == remit.RemittanceCancelled {
			return fmt.Errorf("remittance %s is cancelled", r.Ref)
		}
		r.Status = remit.RemittanceSent
		_, err = tx.ExecContext(ctx, `UPDATE remittances SET status = 'sent' WHERE id = ?`, id)
		return err
	})
	return r, err
}
