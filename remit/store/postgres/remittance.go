package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
)

// Remittances lists the creditor's remittances, newest first.
func (s *Store) Remittances(ctx context.Context, creditorID int64) ([]remit.Remittance, error) {
	rows, err := s.Pool.Query(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = $1 ORDER BY r.id DESC`, creditorID)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
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
	return loadRemittance(ctx, s.Pool, creditorID, id)
}

// filesOrder lists a remittance's files in the order SQLite's rowid gives
// them, the order they were recorded in, which PostgreSQL's tables do not
// keep (a row changed by RenameFile or RecordReprint moves): every kind
// records its bank files in the order of their formats (cfonb-debit before
// pain.008, cfonb-transfer before pain.001, lettres-cheques alone), then
// a payment remittance its advices (avis), then the detail of a summary
// slip (bordereau-csv), then its slip.
const filesOrder = `ORDER BY format = 'bordereau', format = 'bordereau-csv', format = 'avis', format, name`

func loadRemittance(ctx context.Context, q querier, creditorID, id int64) (remit.Remittance, error) {
	var r remit.Remittance
	var created, params string
	err := q.QueryRow(ctx, `SELECT r.id, c.code, r.kind, r.scheme, r.status, r.msg_id, r.created_at, r.item_count, r.total, r.params,
			COALESCE(b.code, '')
		FROM remittances r JOIN creditors c ON c.id = r.creditor_id LEFT JOIN banks b ON b.id = r.bank_id
		WHERE r.id = $1 AND r.creditor_id = $2`, id, creditorID).
		Scan(&r.ID, &r.Creditor, &r.Kind, &r.Scheme, &r.Status, &r.MsgID, &created, &r.Count, &r.Total, &params, &r.Bank)
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := q.Query(ctx, `SELECT name, format, sha256, size, copies FROM remittance_files WHERE remittance_id = $1 `+filesOrder, id)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var f remit.FileInfo
		if err := rows.Scan(&f.Name, &f.Format, &f.SHA256, &f.Size, &f.Copies); err != nil {
			rows.Close()
			return r, err
		}
		r.Files = append(r.Files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, err
	}
	r.Blocks, err = loadBlocks(ctx, q, id)
	return r, err
}

func loadBlocks(ctx context.Context, q querier, id int64) ([]remit.Block, error) {
	// SQLite gives a group's other columns from its first row in the
	// index's order (remittance_id, block, position): every item of an SDD
	// block has the block's sequence and collection date, and an LCR
	// remittance's one block shows its first bill's due date. A
	// remittance's items are receivables or payments (whose block is their
	// execution date), never both.
	rows, err := q.Query(ctx, `SELECT b.block, i.sequence_type, i.collection_date, b.n, b.total
		FROM (SELECT block, min(position) AS first, count(*) AS n, sum(amount)::bigint AS total
			FROM remittance_items WHERE remittance_id = $1 GROUP BY block) b
		JOIN remittance_items i ON i.remittance_id = $1 AND i.block = b.block AND i.position = b.first
		UNION ALL SELECT block, '', min(execution_date), count(*), sum(amount)::bigint FROM payments WHERE remittance_id = $1 GROUP BY block
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

// RenameFile records a remittance's file under its new name.
func (t *tx) RenameFile(ctx context.Context, remittanceID int64, from, to string) error {
	_, err := t.q.Exec(ctx, `UPDATE remittance_files SET name = $1 WHERE remittance_id = $2 AND name = $3`, to, remittanceID, from)
	return err
}

// MarkSent records that a remittance went to the bank.
func (t *tx) MarkSent(ctx context.Context, remittanceID int64) error {
	_, err := t.q.Exec(ctx, `UPDATE remittances SET status = 'sent' WHERE id = $1`, remittanceID)
	return err
}

// reannounce puts back on their mandates the changes of RUM and creditor
// identifier that the items cond selects (alias i, its argument $1)
// announced, so that each mandate's next collection announces them again:
// the items were cancelled, or rejected before settlement, so the debtor's
// bank never registered the change. A change recorded since is kept.
func reannounce(ctx context.Context, q querier, cond string, arg any) error {
	_, err := q.Exec(ctx, `UPDATE mandates SET
			original_rum = CASE WHEN original_rum = '' THEN (SELECT max(i.amend_rum) FROM remittance_items i WHERE `+cond+` AND i.mandate_id = mandates.id) ELSE original_rum END,
			original_ics = CASE WHEN original_ics = '' THEN (SELECT max(i.amend_ics) FROM remittance_items i WHERE `+cond+` AND i.mandate_id = mandates.id) ELSE original_ics END
		WHERE id IN (SELECT i.mandate_id FROM remittance_items i WHERE `+cond+` AND (i.amend_rum != '' OR i.amend_ics != ''))`, arg)
	return err
}
