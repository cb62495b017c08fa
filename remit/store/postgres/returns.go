package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store/internal/returns"
)

// Bank returns: returns.Apply matches each return to its collection or
// supplier payment and decides, as on SQLite; returnTx is its SQL here, in
// one transaction for the batch, under the creditor's lock. The returns of
// payments are in payment_returns.go.

// candidateSelect reads the candidates; its $1 is the creditor.
const candidateSelect = `SELECT ` + returns.ItemColumns + `
	FROM remittance_lines i JOIN remittances rem ON rem.id = i.remittance_id
		LEFT JOIN returns rt ON rt.item_id = i.id
	WHERE rem.creditor_id = $1`

// e2eCond finds the items of an EndToEndId ($2): most are their document,
// found through the receivable; the index on end_to_end_id keeps only the
// others. Each branch is a search in an index.
const e2eCond = `i.id IN (SELECT ri.id FROM remittance_items ri
		WHERE ri.receivable_id IN (SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2) AND ri.end_to_end_id = $2
	UNION ALL SELECT ri.id FROM remittance_items ri WHERE ri.end_to_end_id = $2 AND ri.end_to_end_id != ri.document)`

// ApplyReturns records a batch of returns in one transaction and reports
// each: applied, already recorded, unknown or refused.
func (s *Store) ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	var res *remit.ReturnsResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, cr.ID); err != nil {
			return err
		}
		var err error
		res, err = s.applyReturns(ctx, tx, cr, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// applyReturns records a batch of returns in transaction tx, which holds
// the creditor's lock: that of ApplyReturns, or of a statement import
// whose debits are returns (source statement).
func (s *Store) applyReturns(ctx context.Context, tx pgx.Tx, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	o, err := s.entryOptions()
	if err != nil {
		return nil, fmt.Errorf("accounting entries: %w", err)
	}
	now := s.now()
	return returns.Apply(ctx, &returnTx{s: s, tx: tx, cr: cr.ID, now: now}, cr, b, o, now)
}

// returnTx is returns.Tx in a PostgreSQL transaction, for creditor cr.
type returnTx struct {
	s   *Store
	tx  pgx.Tx
	cr  int64
	now time.Time
}

func (t *returnTx) Items(ctx context.Context, f returns.Find) ([]returns.Item, error) {
	switch {
	case f.Document != "":
		return t.items(ctx, `i.receivable_id = (SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2)`, t.cr, f.Document)
	case f.EndToEndID != "" && f.MsgID != "":
		return t.items(ctx, e2eCond+` AND rem.msg_id = $3`, t.cr, f.EndToEndID, f.MsgID)
	case f.EndToEndID != "":
		return t.items(ctx, e2eCond, t.cr, f.EndToEndID)
	case f.Block > 0:
		return t.items(ctx, `i.remittance_id = $2 AND i.block = $3`, t.cr, f.Remittance, f.Block)
	default:
		return t.items(ctx, `i.remittance_id = $2`, t.cr, f.Remittance)
	}
}

func (t *returnTx) items(ctx context.Context, cond string, args ...any) ([]returns.Item, error) {
	rows, err := t.tx.Query(ctx, candidateSelect+" AND "+cond+" ORDER BY i.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return returns.ReadItems(rows)
}

func (t *returnTx) ReceivableExists(ctx context.Context, document string) (bool, error) {
	var exists bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM receivables WHERE creditor_id = $1 AND document = $2)`, t.cr, document).
		Scan(&exists)
	return exists, err
}

func (t *returnTx) Remittance(ctx context.Context, msgID string) (int64, bool, bool, error) {
	var id int64
	var kind string
	err := t.tx.QueryRow(ctx, `SELECT id, kind FROM remittances WHERE creditor_id = $1 AND msg_id = $2 ORDER BY id LIMIT 1`,
		t.cr, msgID).Scan(&id, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, false, nil
	}
	return id, paymentKinds[kind], err == nil, err
}

func (t *returnTx) MarkItem(ctx context.Context, it *returns.Item, m returns.Mark) error {
	if _, err := t.tx.Exec(ctx, `UPDATE remittance_items SET status = $1, return_reason = $2, returned_on = $3, settled_before_return = $4
		WHERE id = $5`, m.Status, m.Reason, m.Day, flag(m.Settled), it.ID); err != nil {
		return err
	}
	if err := refreshCollections(ctx, t.tx, `SELECT mandate_id FROM remittance_items WHERE id = $1`, it.ID); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `UPDATE receivables SET status = 'rejected', refusal = $1 WHERE id = $2`, m.Why, it.Receivable)
	return err
}

func (t *returnTx) RemittanceSent(ctx context.Context, remittance int64) error {
	_, err := t.tx.Exec(ctx, `UPDATE remittances SET status = 'sent' WHERE id = $1 AND status = 'created'`, remittance)
	return err
}

func (t *returnTx) Reannounce(ctx context.Context, item int64) error {
	return reannounce(ctx, t.tx, "i.id = $1", item)
}

func (t *returnTx) BlockMandate(ctx context.Context, mandate int64, reason string) (bool, string, error) {
	tag, err := t.tx.Exec(ctx, `UPDATE mandates SET status = 'blocked', status_reason = $1 WHERE id = $2 AND status = 'active'`,
		reason, mandate)
	if err != nil {
		return false, "", err
	}
	if tag.RowsAffected() == 1 {
		return true, "", nil
	}
	var st string
	err = t.tx.QueryRow(ctx, `SELECT status FROM mandates WHERE id = $1`, mandate).Scan(&st)
	return false, st, err
}

func (t *returnTx) Collected(ctx context.Context, mandate int64) (bool, error) {
	var counted bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mandate_collections WHERE mandate_id = $1 AND last_on <> '')
		OR EXISTS (SELECT 1 FROM mandate_history WHERE mandate_id = $1)`, mandate).Scan(&counted)
	return counted, err
}

func (t *returnTx) InsertReturn(ctx context.Context, r returns.Row) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO returns (creditor_id, item_id, source, file, file_sha256, bank_msg_id, end_to_end_id, reason,
			additional_info, returned_on, settled, fee, mandate_effect, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`, t.cr, r.Item, r.Source, r.File, r.SHA256,
		r.BankMsgID, r.EndToEndID, r.Reason, r.AdditionalInfo, r.Day, flag(r.Settled), r.Fee, r.MandateEffect, r.CreatedAt).Scan(&id)
	return id, err
}

func (t *returnTx) Booked(ctx context.Context, it *returns.Item) (*accounting.Booked, string, error) {
	var b accounting.Booked
	err := t.tx.QueryRow(ctx, `SELECT journal, journal_label, account, account_label, aux_account, aux_label, counterpart
		FROM entries WHERE receivable_id = $1 AND item_id = $2 AND kind = 'collection' ORDER BY id LIMIT 1`, it.Receivable, it.ID).
		Scan(&b.Journal, &b.JournalLabel, &b.Account, &b.AccountLabel, &b.Aux, &b.AuxLabel, &b.Counterpart)
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return &b, "", err
	}
	var journal string
	err = t.tx.QueryRow(ctx, `SELECT journal FROM receivables WHERE id = $1`, it.Receivable).Scan(&journal)
	return nil, journal, err
}

func (t *returnTx) RecordEcriture(ctx context.Context, on string, e *accounting.Ecriture, remittance int64) error {
	if _, err := t.s.recordEcriture(ctx, t.tx, t.cr, on, e); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, t.tx, remittance)
}
