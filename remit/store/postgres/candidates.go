package postgres

import (
	"context"
	"slices"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/candidates"
	"github.com/remit-dev/remit/remit/treasury"
)

// Candidates gathers what a statement of q.Bank may be matched to
// (candidates.Gather, over candidateSource), under the creditor's lock.
func (t *treasuryTx) Candidates(ctx context.Context, q store.CandidateQuery) (treasury.Candidates, error) {
	if err := t.lock(ctx, q.CreditorID); err != nil {
		return treasury.Candidates{}, err
	}
	id, err := bankID(ctx, t.q, q.CreditorID, q.Bank.Code)
	if err != nil {
		return treasury.Candidates{}, err
	}
	names := q.Names
	if names == nil {
		names = []string{}
	}
	return candidates.Gather(ctx, &candidateSource{t: t, q: q, bankID: id, names: names}, q)
}

// candidateSource is candidates.Source in a PostgreSQL transaction.
type candidateSource struct {
	t      *treasuryTx
	q      store.CandidateQuery
	bankID int64
	names  []string // q.Names, never nil
}

// bankCond is the condition on remittances r that they went to the bank,
// its parameters added to p.
func (c *candidateSource) bankCond(p *params) string {
	return "(r.bank_id = " + p.add(c.bankID) + " OR (r.bank_id IS NULL AND " + p.add(c.q.Bank.Default) + "::boolean))"
}

func (c *candidateSource) OpenRemittances(ctx context.Context) ([]int64, error) {
	p := params{c.q.CreditorID, c.q.Since.Format(remit.TimestampLayout)}
	rows, err := c.t.q.Query(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = $1 AND r.status != 'cancelled'
		AND r.credited_on = '' AND r.created_at >= $2 AND `+c.bankCond(&p)+` ORDER BY r.id`, p...)
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
	rows, err := c.t.q.Query(ctx, `SELECT block, collection_date, count(*), sum(amount)::bigint, count(*) FILTER (WHERE credited_on != ''),
			count(*) FILTER (WHERE status = 'rejected')
		FROM remittance_items WHERE remittance_id = $1 AND status != 'cancelled' GROUP BY block, collection_date ORDER BY block, collection_date`,
		remittance)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadGroups(rows)
}

func (c *candidateSource) Flagged(ctx context.Context, remittance int64) ([]candidates.Item, error) {
	return c.items(ctx, candidates.ItemSelect+` WHERE i.remittance_id = $1 AND i.status != 'cancelled'
		AND (i.status IN ('rejected', 'returned') OR i.credited_on != '') ORDER BY i.id`, remittance)
}

func (c *candidateSource) items(ctx context.Context, query string, args ...any) ([]candidates.Item, error) {
	rows, err := c.t.q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadItems(rows)
}

// which is the condition (after the items i) of the items w reads, and
// its parameters.
func (c *candidateSource) which(w candidates.Which) (string, params) {
	if w == candidates.Named {
		p := params{c.q.CreditorID, c.names}
		cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = $1 AND r.status != 'cancelled' AND ` + c.bankCond(&p) + `
		AND i.id IN (
			SELECT ri.id FROM remittance_items ri WHERE ri.receivable_id IN (
				SELECT id FROM receivables WHERE creditor_id = $1 AND document = ANY($2::text[]))
			UNION ALL SELECT ri.id FROM remittance_items ri
				WHERE ri.end_to_end_id = ANY($2::text[]) AND ri.end_to_end_id != ri.document)`
		return cond, p
	}
	kinds := make([]string, len(c.q.WindowKinds))
	for i, k := range c.q.WindowKinds {
		kinds[i] = string(k)
	}
	p := params{c.q.CreditorID}
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = $1 AND r.status != 'cancelled' AND ` + c.bankCond(&p) + `
		AND r.kind = ANY(` + p.add(kinds) + `::text[]) AND r.created_at >= ` + p.add(c.q.Since.Format(remit.TimestampLayout)) + `
		AND i.collection_date BETWEEN ` + p.add(remit.FormatDate(c.q.From.Add(-candidates.WindowBefore))) + ` AND ` + p.add(remit.FormatDate(c.q.To))
	return cond, p
}

func (c *candidateSource) Remittances(ctx context.Context, w candidates.Which) ([]int64, error) {
	cond, p := c.which(w)
	rows, err := c.t.q.Query(ctx, `SELECT DISTINCT i.remittance_id FROM remittance_items i`+cond+` ORDER BY 1`, p...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadIDs(rows)
}

func (c *candidateSource) Items(ctx context.Context, w candidates.Which) ([]candidates.Item, error) {
	cond, p := c.which(w)
	return c.items(ctx, candidates.ItemSelect+cond+` AND i.status != 'cancelled' ORDER BY i.id`, p...)
}

func (c *candidateSource) PendingReturns(ctx context.Context) ([]treasury.PendingReturn, error) {
	p := params{c.q.CreditorID, remit.FormatDate(c.q.Since)}
	rows, err := c.t.q.Query(ctx, `SELECT rt.id, i.remittance_id, i.document, i.end_to_end_id, i.amount
		FROM returns rt JOIN remittance_items i ON i.id = rt.item_id JOIN remittances r ON r.id = i.remittance_id
		WHERE rt.creditor_id = $1 AND rt.settled = 1 AND rt.returned_on >= $2 AND `+c.bankCond(&p)+`
			AND NOT EXISTS (SELECT 1 FROM statement_targets t WHERE t.return_id = rt.id) ORDER BY rt.id`, p...)
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
// names, as the treasury rules see them: Open is what remains due, less
// what the suspense account allocated to it.
func (t *treasuryTx) receivables(ctx context.Context, creditorID int64, names []string) ([]treasury.Receivable, error) {
	rows, err := t.q.Query(ctx, `SELECT r.document, c.account, r.journal, r.method, r.status, r.due_date,
			CASE WHEN r.status IN ('paid', 'written_off') THEN 0
				ELSE r.amount - COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.receivable_id = r.id), 0)::bigint END
		FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = $1 AND r.document = ANY($2::text[]) ORDER BY r.document`, creditorID, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return candidates.ReadReceivables(rows)
}

// Receivables are the creditor's receivables of those documents.
func (t *treasuryTx) Receivables(ctx context.Context, creditorID int64, documents []string) ([]treasury.Receivable, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	return t.receivables(ctx, creditorID, slices.Compact(slices.Sorted(slices.Values(documents))))
}
