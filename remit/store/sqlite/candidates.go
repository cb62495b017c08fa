package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/candidates"
	"github.com/remit-dev/remit/remit/treasury"
)

// Candidates gathers what a statement of q.Bank may be matched to
// (candidates.Gather, over candidateSource).
func (t *treasuryTx) Candidates(ctx context.Context, q store.CandidateQuery) (treasury.Candidates, error) {
	id, err := bankID(ctx, t.q, q.CreditorID, q.Bank.Code)
	if err != nil {
		return treasury.Candidates{}, err
	}
	names, _ := json.Marshal(q.Names)
	return candidates.Gather(ctx, &candidateSource{t: t, q: q, names: string(names),
		bankSQL: `(r.bank_id = ? OR (r.bank_id IS NULL AND ?))`, args: []any{id, q.Bank.Default}}, q)
}

// candidateSource is candidates.Source in an SQLite transaction.
type candidateSource struct {
	t       *treasuryTx
	q       store.CandidateQuery
	names   string // q.Names, a JSON array
	bankSQL string // the condition on remittances r that they went to the bank
	args    []any  // its arguments
}

func (c *candidateSource) OpenRemittances(ctx context.Context) ([]int64, error) {
	rows, err := c.t.q.QueryContext(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = ? AND r.status != 'cancelled'
		AND r.credited_on = '' AND r.created_at >= ? AND `+c.bankSQL+` ORDER BY r.id`,
		append([]any{c.q.CreditorID, c.q.Since.Format(remit.TimestampLayout)}, c.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadIDs(rows)
}

func (c *candidateSource) Remittance(ctx context.Context, id int64) (remit.Remittance, error) {
	return loadRemittance(ctx, c.t.q, c.q.CreditorID, id)
}

func (c *candidateSource) Groups(ctx context.Context, remittance int64) ([]candidates.Group, error) {
	rows, err := c.t.q.QueryContext(ctx, `SELECT block, collection_date, count(*), sum(amount), sum(credited_on != ''), sum(status = 'rejected')
		FROM remittance_items WHERE remittance_id = ? AND status != 'cancelled' GROUP BY block, collection_date ORDER BY block, collection_date`,
		remittance)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadGroups(rows)
}

func (c *candidateSource) Flagged(ctx context.Context, remittance int64) ([]candidates.Item, error) {
	return c.items(ctx, candidates.ItemSelect+` WHERE i.remittance_id = ? AND i.status != 'cancelled'
		AND (i.status IN ('rejected', 'returned') OR i.credited_on != '') ORDER BY i.id`, remittance)
}

func (c *candidateSource) items(ctx context.Context, query string, args ...any) ([]candidates.Item, error) {
	rows, err := c.t.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadItems(rows)
}

// which is the condition (after the items i) of the items w reads, and
// its arguments.
func (c *candidateSource) which(w candidates.Which) (string, []any) {
	if w == candidates.Named {
		cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = ? AND r.status != 'cancelled' AND ` + c.bankSQL + `
		AND i.id IN (
			SELECT ri.id FROM remittance_items ri WHERE ri.receivable_id IN (
				SELECT id FROM receivables WHERE creditor_id = ? AND document IN (SELECT value FROM json_each(?)))
			UNION ALL SELECT ri.id FROM remittance_items ri
				WHERE ri.end_to_end_id IN (SELECT value FROM json_each(?)) AND ri.end_to_end_id != ri.document)`
		return cond, append(append([]any{c.q.CreditorID}, c.args...), c.q.CreditorID, c.names, c.names)
	}
	kinds, _ := json.Marshal(c.q.WindowKinds)
	from := remit.FormatDate(c.q.From.Add(-candidates.WindowBefore))
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = ? AND r.status != 'cancelled' AND ` + c.bankSQL + `
		AND r.kind IN (SELECT value FROM json_each(?)) AND r.created_at >= ? AND i.collection_date BETWEEN ? AND ?`
	return cond, append(append([]any{c.q.CreditorID}, c.args...), string(kinds), c.q.Since.Format(remit.TimestampLayout), from,
		remit.FormatDate(c.q.To))
}

func (c *candidateSource) Remittances(ctx context.Context, w candidates.Which) ([]int64, error) {
	cond, args := c.which(w)
	rows, err := c.t.q.QueryContext(ctx, `SELECT DISTINCT i.remittance_id FROM remittance_items i`+cond+` ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadIDs(rows)
}

func (c *candidateSource) Items(ctx context.Context, w candidates.Which) ([]candidates.Item, error) {
	cond, args := c.which(w)
	return c.items(ctx, candidates.ItemSelect+cond+` AND i.status != 'cancelled' ORDER BY i.id`, args...)
}

func (c *candidateSource) PendingReturns(ctx context.Context) ([]treasury.PendingReturn, error) {
	rows, err := c.t.q.QueryContext(ctx, `SELECT rt.id, i.remittance_id, i.document, i.end_to_end_id, i.amount
		FROM returns rt JOIN remittance_items i ON i.id = rt.item_id JOIN remittances r ON r.id = i.remittance_id
		WHERE rt.creditor_id = ? AND rt.settled = 1 AND rt.returned_on >= ? AND `+c.bankSQL+`
			AND NOT EXISTS (SELECT 1 FROM statement_targets t WHERE t.return_id = rt.id) ORDER BY rt.id`,
		append([]any{c.q.CreditorID, remit.FormatDate(c.q.Since)}, c.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadPendingReturns(rows)
}

func (c *candidateSource) Receivables(ctx context.Context) ([]treasury.Receivable, error) {
	return c.t.receivables(ctx, c.q.CreditorID, c.names)
}

// receivables are the creditor's receivables whose documents are among
// names (a JSON array), as the treasury rules see them: Open is what
// remains due, less what the suspense account allocated to it.
func (t *treasuryTx) receivables(ctx context.Context, creditorID int64, names string) ([]treasury.Receivable, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT r.document, c.account, r.journal, r.method, r.status, r.due_date,
			CASE WHEN r.status IN ('paid', 'written_off') THEN 0
				ELSE r.amount - COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.receivable_id = r.id), 0) END
		FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = ? AND r.document IN (SELECT value FROM json_each(?)) ORDER BY r.document`, creditorID, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadReceivables(rows)
}

// Receivables are the creditor's receivables of those documents.
func (t *treasuryTx) Receivables(ctx context.Context, creditorID int64, documents []string) ([]treasury.Receivable, error) {
	names, err := json.Marshal(slices.Compact(slices.Sorted(slices.Values(documents))))
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	return t.receivables(ctx, creditorID, string(names))
}
