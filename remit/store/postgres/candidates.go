package postgres

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// windowBefore is how long before a statement's period an item due then
// is still a candidate for a debit naming it by a reference of its own (an
// unpaid LCR is debited days after its due date, rarely weeks).
const windowBefore = 45 * 24 * time.Hour

// candidates gathers what a statement of one bank may be matched to, one
// remittance at a time, as the SQLite store does (see its candidates.go):
// its lots as aggregates (count and total per block and date, not every
// item), and only the items Reconcile needs by name (rejected, returned or
// credited on their own, named by the statement, or of a kind named by
// references of its own and due around the statement).
type candidates struct {
	t      *treasuryTx
	q      store.CandidateQuery
	bankID int64
	rems   map[int64]*remLots
	order  []int64
}

// bankCond is the condition on remittances r that they went to the bank,
// its parameters added to p.
func (c *candidates) bankCond(p *params) string {
	return "(r.bank_id = " + p.add(c.bankID) + " OR (r.bank_id IS NULL AND " + p.add(c.q.Bank.Default) + "::boolean))"
}

// remLots are the lots of one remittance.
type remLots struct {
	rem   remit.Remittance
	lots  []treasury.Lot
	byKey map[string]int // lot key → index
	items map[int64]bool // items added already
}

// Candidates gathers what a statement of q.Bank may be matched to.
func (t *treasuryTx) Candidates(ctx context.Context, q store.CandidateQuery) (treasury.Candidates, error) {
	if err := t.lock(ctx, q.CreditorID); err != nil {
		return treasury.Candidates{}, err
	}
	id, err := bankID(ctx, t.q, q.CreditorID, q.Bank.Code)
	if err != nil {
		return treasury.Candidates{}, err
	}
	c := &candidates{t: t, q: q, bankID: id, rems: map[int64]*remLots{}}
	names := q.Names
	if names == nil {
		names = []string{}
	}
	if err := c.openRemittances(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	if err := c.namedItems(ctx, names); err != nil {
		return treasury.Candidates{}, err
	}
	if err := c.windowItems(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	var out treasury.Candidates
	for _, id := range c.order {
		out.Lots = append(out.Lots, c.rems[id].lots...)
	}
	if out.Returns, err = c.pendingReturns(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	if out.Receivables, err = t.receivables(ctx, q.CreditorID, names); err != nil {
		return treasury.Candidates{}, err
	}
	return out, nil
}

// openRemittances adds the lots of the bank's remittances not yet credited
// and made since q.Since.
func (c *candidates) openRemittances(ctx context.Context) error {
	p := params{c.q.CreditorID, c.q.Since.Format(remit.TimestampLayout)}
	rows, err := c.t.q.Query(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = $1 AND r.status != 'cancelled'
		AND r.credited_on = '' AND r.created_at >= $2 AND `+c.bankCond(&p)+` ORDER BY r.id`, p...)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := c.remittance(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// lotGroup is the aggregate of a remittance's items of one block and date.
type lotGroup struct {
	block                     int
	date                      string
	count, credited, rejected int
	total                     int64
}

// remittance returns the lots of remittance id, making them the first
// time: one aggregate per block and date grouped into lots by its kind,
// with the items a lot not credited needs by name (rejected, returned,
// credited on their own).
func (c *candidates) remittance(ctx context.Context, id int64) (*remLots, error) {
	if r, ok := c.rems[id]; ok {
		return r, nil
	}
	rem, err := loadRemittance(ctx, c.t.q, c.q.CreditorID, id)
	if err != nil {
		return nil, err
	}
	r := &remLots{rem: rem, byKey: map[string]int{}, items: map[int64]bool{}}
	c.rems[id] = r
	c.order = append(c.order, id)
	rows, err := c.t.q.Query(ctx, `SELECT block, collection_date, count(*), sum(amount)::bigint, count(*) FILTER (WHERE credited_on != ''),
			count(*) FILTER (WHERE status = 'rejected')
		FROM remittance_items WHERE remittance_id = $1 AND status != 'cancelled' GROUP BY block, collection_date ORDER BY block, collection_date`, id)
	if err != nil {
		return nil, err
	}
	var groups []lotGroup
	for rows.Next() {
		var g lotGroup
		if err := rows.Scan(&g.block, &g.date, &g.count, &g.total, &g.credited, &g.rejected); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	open := map[int]bool{} // lots with items not credited
	partial := map[int]bool{}
	for _, g := range groups {
		l, ok := c.q.Lot(rem, g.block, remit.StoredDate(g.date))
		if !ok {
			continue
		}
		key := lotKey(l)
		i, seen := r.byKey[key]
		if !seen {
			i = len(r.lots)
			r.byKey[key] = i
			l.Bank, l.Remittance, l.Total, l.Items = c.q.Bank.Code, rem.Ref, 0, nil
			r.lots = append(r.lots, l)
		}
		r.lots[i].Total += g.total
		if g.credited < g.count-g.rejected {
			open[i] = true
		}
		if g.credited > 0 || g.rejected > 0 {
			partial[i] = true
		}
	}
	need := map[int]bool{}
	for i := range r.lots {
		r.lots[i].Credited = !open[i]
		if open[i] && partial[i] {
			need[i] = true
		}
	}
	if len(need) > 0 {
		rows, err := c.t.q.Query(ctx, itemSelect+` WHERE i.remittance_id = $1 AND i.status != 'cancelled'
			AND (i.status IN ('rejected', 'returned') OR i.credited_on != '') ORDER BY i.id`, r.rem.ID)
		if err != nil {
			return nil, err
		}
		if err := c.addItems(rows, func(lot int) bool { return need[lot] }); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// lotKey identifies a lot within its remittance.
func lotKey(l treasury.Lot) string { return strconv.Itoa(l.Block) + "#" + remit.FormatDate(l.Date) }

// itemSelect reads an item as addItems scans it.
const itemSelect = `SELECT i.id, i.remittance_id, i.block, i.collection_date, i.document, i.end_to_end_id, i.cheque_number, i.amount,
	i.status, i.credited_on FROM remittance_items i`

// candidateItem is an item as itemSelect reads it.
type candidateItem struct {
	id, rem            int64
	block              int
	date, status, cred string
	it                 treasury.Item
}

// addItems adds the items rows gives to their lots (those keep selects,
// all when nil), each once.
func (c *candidates) addItems(rows pgx.Rows, keep func(lot int) bool) error {
	var all []candidateItem
	for rows.Next() {
		var x candidateItem
		if err := rows.Scan(&x.id, &x.rem, &x.block, &x.date, &x.it.Document, &x.it.EndToEndID, &x.it.ChequeNumber, &x.it.Amount, &x.status,
			&x.cred); err != nil {
			rows.Close()
			return err
		}
		all = append(all, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, x := range all {
		r := c.rems[x.rem]
		if r == nil || r.items[x.id] {
			continue
		}
		l, ok := c.q.Lot(r.rem, x.block, remit.StoredDate(x.date))
		if !ok {
			continue
		}
		i, ok := r.byKey[lotKey(l)]
		if !ok || (keep != nil && !keep(i)) {
			continue
		}
		it := x.it
		it.Credited = x.cred != ""
		it.Rejected = x.status == "rejected"
		it.Returned = x.status == "returned"
		if c.q.Item != nil {
			c.q.Item(r.rem, &it)
		}
		r.items[x.id] = true
		r.lots[i].Items = append(r.lots[i].Items, it)
	}
	return nil
}

// namedItems adds the items of the bank's remittances, of any age, that
// the statement names by their document or EndToEndId, with their lots.
func (c *candidates) namedItems(ctx context.Context, names []string) error {
	if len(c.q.Names) == 0 {
		return nil
	}
	p := params{c.q.CreditorID, names}
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = $1 AND r.status != 'cancelled' AND ` + c.bankCond(&p) + `
		AND i.id IN (
			SELECT ri.id FROM remittance_items ri WHERE ri.receivable_id IN (
				SELECT id FROM receivables WHERE creditor_id = $1 AND document = ANY($2::text[]))
			UNION ALL SELECT ri.id FROM remittance_items ri
				WHERE ri.end_to_end_id = ANY($2::text[]) AND ri.end_to_end_id != ri.document)`
	return c.itemsWithLots(ctx, cond, p)
}

// windowItems adds the items of the kinds named by references of their
// own that are due around the statement.
func (c *candidates) windowItems(ctx context.Context) error {
	if len(c.q.WindowKinds) == 0 {
		return nil
	}
	kinds := make([]string, len(c.q.WindowKinds))
	for i, k := range c.q.WindowKinds {
		kinds[i] = string(k)
	}
	p := params{c.q.CreditorID}
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = $1 AND r.status != 'cancelled' AND ` + c.bankCond(&p) + `
		AND r.kind = ANY(` + p.add(kinds) + `::text[]) AND r.created_at >= ` + p.add(c.q.Since.Format(remit.TimestampLayout)) + `
		AND i.collection_date BETWEEN ` + p.add(remit.FormatDate(c.q.From.Add(-windowBefore))) + ` AND ` + p.add(remit.FormatDate(c.q.To))
	return c.itemsWithLots(ctx, cond, p)
}

// itemsWithLots adds the items the condition selects, making the lots of
// their remittances first.
func (c *candidates) itemsWithLots(ctx context.Context, cond string, p params) error {
	rows, err := c.t.q.Query(ctx, `SELECT DISTINCT i.remittance_id FROM remittance_items i`+cond+` ORDER BY 1`, p...)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := c.remittance(ctx, id); err != nil {
			return err
		}
	}
	rows, err = c.t.q.Query(ctx, itemSelect+cond+` AND i.status != 'cancelled' ORDER BY i.id`, p...)
	if err != nil {
		return err
	}
	return c.addItems(rows, nil)
}

// pendingReturns are the returns after settlement recorded for the bank's
// remittances since q.Since whose debit no statement showed yet.
func (c *candidates) pendingReturns(ctx context.Context) ([]treasury.PendingReturn, error) {
	p := params{c.q.CreditorID, remit.FormatDate(c.q.Since)}
	rows, err := c.t.q.Query(ctx, `SELECT rt.id, i.remittance_id, i.document, i.end_to_end_id, i.amount
		FROM returns rt JOIN remittance_items i ON i.id = rt.item_id JOIN remittances r ON r.id = i.remittance_id
		WHERE rt.creditor_id = $1 AND rt.settled = 1 AND rt.returned_on >= $2 AND `+c.bankCond(&p)+`
			AND NOT EXISTS (SELECT 1 FROM statement_targets t WHERE t.return_id = rt.id) ORDER BY rt.id`, p...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []treasury.PendingReturn
	for rows.Next() {
		var pr treasury.PendingReturn
		var id, rem int64
		if err := rows.Scan(&id, &rem, &pr.Document, &pr.EndToEndID, &pr.Amount); err != nil {
			return nil, err
		}
		pr.Ref, pr.Remittance = strconv.FormatInt(id, 10), remit.Ref(rem)
		out = append(out, pr)
	}
	return out, rows.Err()
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
	var out []treasury.Receivable
	for rows.Next() {
		var r treasury.Receivable
		var due string
		if err := rows.Scan(&r.Document, &r.Customer, &r.Journal, &r.Method, &r.Status, &due, &r.Open); err != nil {
			return nil, err
		}
		r.Due = remit.StoredDate(due)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Receivables are the creditor's receivables of those documents.
func (t *treasuryTx) Receivables(ctx context.Context, creditorID int64, documents []string) ([]treasury.Receivable, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	return t.receivables(ctx, creditorID, slices.Compact(slices.Sorted(slices.Values(documents))))
}
