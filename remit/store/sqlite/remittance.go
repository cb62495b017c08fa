package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Remittances lists the creditor's remittances, newest first.
func (s *Store) Remittances(ctx context.Context, creditorID int64) ([]remit.Remittance, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = ? ORDER BY r.id DESC`, creditorID)
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
	return loadRemittance(ctx, s.db, creditorID, id)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func loadRemittance(ctx context.Context, q querier, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	var created, params string
	err := q.QueryRowContext(ctx, `SELECT r.id, c.code, r.kind, r.scheme, r.status, r.msg_id, r.created_at, r.item_count, r.total, r.params,
			COALESCE(b.code, '')
		FROM remittances r JOIN creditors c ON c.id = r.creditor_id LEFT JOIN banks b ON b.id = r.bank_id
		WHERE r.id = ? AND r.creditor_id = ?`, id, creditorID).
		Scan(&r.ID, &r.Creditor, &r.Kind, &r.Scheme, &r.Status, &r.MsgID, &created, &r.Count, &r.Total, &params, &r.Bank)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("remittance %s: %w", remit.Ref(id), remit.ErrNoRemittance)
	}
	if err != nil {
		return r, err
	}
	r.Ref = remit.Ref(r.ID)
	r.TotalText = remit.FormatAmount(r.Total)
	r.CreatedAt, _ = time.Parse(remit.TimestampLayout, created)
	// The kind reads its parameters; the creditor they name is every kind's.
	var issuer struct {
		Creditor remit.Creditor `json:"creditor"`
	}
	if err := json.Unmarshal([]byte(params), &issuer); err != nil {
		return r, fmt.Errorf("remittance %s: stored parameters: %w", r.Ref, err)
	}
	r.Issuer, r.Params = issuer.Creditor, json.RawMessage(params)
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
	// A remittance's items are receivables or payments (whose block date
	// is their execution date), never both.
	rows, err := q.QueryContext(ctx, `SELECT block, sequence_type, collection_date, count(*), sum(amount)
		FROM remittance_items WHERE remittance_id = ?1 GROUP BY block
		UNION ALL SELECT block, '', execution_date, count(*), sum(amount) FROM payments WHERE remittance_id = ?1 GROUP BY block
		ORDER BY 1`, id)
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

// Cancel withdraws a remittance in its transaction: the amendments it
// announced are to announce again, its receivables go back to pointed, its
// items are cancelled, its écritures reversed, its status cancelled.
func (t *tx) Cancel(ctx context.Context, r remit.Remittance) error {
	id := r.ID
	if paymentKinds[string(r.Kind)] {
		if err := cancelPayments(ctx, t.q, id, t.s.now()); err != nil {
			return err
		}
		if err := t.s.reverseEntries(ctx, t.q, r); err != nil {
			return err
		}
		if err := relinkPaymentReversal(ctx, t.q, id); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, `UPDATE remittances SET status = 'cancelled' WHERE id = ?`, id)
		return err
	}
	if err := reannounce(ctx, t.q, "i.remittance_id = ?1", id); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE receivables SET status = 'pointed', refusal = ''
		WHERE id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = ? AND status = 'remitted')`, id); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE remittance_items SET status = 'cancelled' WHERE remittance_id = ?`, id); err != nil {
		return err
	}
	if err := undoCollections(ctx, t.q, id); err != nil {
		return err
	}
	if err := t.s.reverseEntries(ctx, t.q, r); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `UPDATE remittances SET status = 'cancelled' WHERE id = ?`, id)
	return err
}

// RenameFile records a remittance's file under its new name.
func (t *tx) RenameFile(ctx context.Context, remittanceID int64, from, to string) error {
	_, err := t.q.ExecContext(ctx, `UPDATE remittance_files SET name = ? WHERE remittance_id = ? AND name = ?`, to, remittanceID, from)
	return err
}

// MarkSent records that a remittance went to the bank.
func (t *tx) MarkSent(ctx context.Context, remittanceID int64) error {
	_, err := t.q.ExecContext(ctx, `UPDATE remittances SET status = 'sent' WHERE id = ?`, remittanceID)
	return err
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
