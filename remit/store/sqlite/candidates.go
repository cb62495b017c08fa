package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// windowBefore is how long before a statement's period an item due then
// is still a candidate for a debit naming it by a reference of its own (an
// unpaid LCR is debited days after its due date, rarely weeks).
const windowBefore = 45 * 24 * time.Hour

// candidates gathers what a statement of one bank may be matched to, one
// remittance at a time: its lots as aggregates (count and total per block
// and date, not every item), and only the items Reconcile needs by name
// (rejected, returned or credited on their own, named by the statement, or
// of a kind named by references of its own and due around the statement).
type candidates struct {
	t       *treasuryTx
	q       store.CandidateQuery
	bankSQL string // the condition on remittances r that they went to the bank
	args    []any  // its arguments
	rems    map[int64]*remLots
	order   []int64
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
	id, err := bankID(ctx, t.q, q.CreditorID, q.Bank.Code)
	if err != nil {
		return treasury.Candidates{}, err
	}
	c := &candidates{t: t, q: q, rems: map[int64]*remLots{},
		bankSQL: `(r.bank_id = ? OR (r.bank_id IS NULL AND ?))`, args: []any{id, q.Bank.Default}}
	names, _ := json.Marshal(q.Names)
	if err := c.openRemittances(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	if err := c.namedItems(ctx, string(names)); err != nil {
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
	if out.Receivables, err = t.receivables(ctx, q.CreditorID, string(names)); err != nil {
		return treasury.Candidates{}, err
	}
	return out, nil
}

// openRemittances adds the lots of the bank's remittances not yet credited
// and made since q.Since.
func (c *candidates) openRemittances(ctx context.Context) error {
	rows, err := c.t.q.QueryContext(ctx, `SELECT r.id FROM remittances r WHERE r.creditor_id = ? AND r.status != 'cancelled'
		AND r.credited_on = '' AND r.created_at >= ? AND `+c.bankSQL+` ORDER BY r.id`,
		append([]any{c.q.CreditorID, c.q.Since.Format(remit.TimestampLayout)}, c.args...)...)
	if err != nil {
		return err
	}
	ids, err := scanIDs(rows)
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

func scanIDs(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
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
	rows, err := c.t.q.QueryContext(ctx, `SELECT block, collection_date, count(*), sum(amount), sum(credited_on != ''), sum(status = 'rejected')
		FROM remittance_items WHERE remittance_id = ? AND status != 'cancelled' GROUP BY block, collection_date ORDER BY block, collection_date`, id)
	if err != nil {
		return nil, err
	}
	type group struct {
		block                     int
		date                      string
		count, credited, rejected int
		total                     int64
	}
	var groups []group
	for rows.Next() {
		var g group
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
		if err := c.flaggedItems(ctx, r, need); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// lotKey identifies a lot within its remittance.
func lotKey(l treasury.Lot) string { return strconv.Itoa(l.Block) + "#" + remit.FormatDate(l.Date) }

// flaggedItems adds to the lots of r that need them their items
// rejected, returned or credited on their own.
func (c *candidates) flaggedItems(ctx context.Context, r *remLots, need map[int]bool) error {
	rows, err := c.t.q.QueryContext(ctx, itemSelect+` WHERE i.remittance_id = ? AND i.status != 'cancelled'
		AND (i.status IN ('rejected', 'returned') OR i.credited_on != '') ORDER BY i.id`, r.rem.ID)
	if err != nil {
		return err
	}
	return c.addItems(rows, func(lot int) bool { return need[lot] })
}

// itemSelect reads an item as addItems scans it.
const itemSelect = `SELECT i.id, i.remittance_id, i.block, i.collection_date, i.document, i.end_to_end_id, i.cheque_number, i.amount,
	i.status, i.credited_on FROM remittance_items i`

// addItems adds the items rows gives to their lots (those keep selects,
// all when nil), each once.
func (c *candidates) addItems(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, keep func(lot int) bool) error {
	defer rows.Close()
	type row struct {
		id, rem            int64
		block              int
		date, status, cred string
		it                 treasury.Item
	}
	var all []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.id, &x.rem, &x.block, &x.date, &x.it.Document, &x.it.EndToEndID, &x.it.ChequeNumber, &x.it.Amount, &x.status,
			&x.cred); err != nil {
			return err
		}
		all = append(all, x)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
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
func (c *candidates) namedItems(ctx context.Context, names string) error {
	if len(c.q.Names) == 0 {
		return nil
	}
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = ? AND r.status != 'cancelled' AND ` + c.bankSQL + `
		AND i.id IN (
			SELECT ri.id FROM remittance_items ri WHERE ri.receivable_id IN (
				SELECT id FROM receivables WHERE creditor_id = ? AND document IN (SELECT value FROM json_each(?)))
			UNION ALL SELECT ri.id FROM remittance_items ri
				WHERE ri.end_to_end_id IN (SELECT value FROM json_each(?)) AND ri.end_to_end_id != ri.document)`
	args := append(append([]any{c.q.CreditorID}, c.args...), c.q.CreditorID, names, names)
	return c.itemsWithLots(ctx, cond, args)
}

// windowItems adds the items of the kinds named by references of their
// own that are due around the statement.
func (c *candidates) windowItems(ctx context.Context) error {
	if len(c.q.WindowKinds) == 0 {
		return nil
	}
	kinds, _ := json.Marshal(c.q.WindowKinds)
	from := remit.FormatDate(c.q.From.Add(-windowBefore))
	cond := ` JOIN remittances r ON r.id = i.remittance_id WHERE r.creditor_id = ? AND r.status != 'cancelled' AND ` + c.bankSQL + `
		AND r.kind IN (SELECT value FROM json_each(?)) AND r.created_at >= ? AND i.collection_date BETWEEN ? AND ?`
	args := append(append([]any{c.q.CreditorID}, c.args...), string(kinds), c.q.Since.Format(remit.TimestampLayout), from,
		remit.FormatDate(c.q.To))
	return c.itemsWithLots(ctx, cond, args)
}

// itemsWithLots adds the items the condition selects, making the lots of
// their remittances first.
func (c *candidates) itemsWithLots(ctx context.Context, cond string, args []any) error {
	rows, err := c.t.q.QueryContext(ctx, `SELECT DISTINCT i.remittance_id FROM remittance_items i`+cond, args...)
	if err != nil {
		return err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := c.remittance(ctx, id); err != nil {
			return err
		}
	}
	rows, err = c.t.q.QueryContext(ctx, itemSelect+cond+` AND i.status != 'cancelled' ORDER BY i.id`, args...)
	if err != nil {
		return err
	}
	return c.addItems(rows, nil)
}

// pendingReturns are the returns after settlement recorded for the bank's
// remittances since q.Since whose debit no statement showed yet.
func (c *candidates) pendingReturns(ctx context.Context) ([]treasury.PendingReturn, error) {
	rows, err := c.t.q.QueryContext(ctx, `SELECT rt.id, i.remittance_id, i.document, i.end_to_end_id, i.amount
		FROM returns rt JOIN remittance_items i ON i.id = rt.item_id JOIN remittances r ON r.id = i.remittance_id
		WHERE rt.creditor_id = ? AND rt.settled = 1 AND rt.returned_on >= ? AND `+c.bankSQL+`
			AND NOT EXISTS (SELECT 1 FROM statement_targets t WHERE t.return_id = rt.id) ORDER BY rt.id`,
		append([]any{c.q.CreditorID, remit.FormatDate(c.q.Since)}, c.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []treasury.PendingReturn
	for rows.Next() {
		var p treasury.PendingReturn
		var id, rem int64
		if err := rows.Scan(&id, &rem, &p.Document, &p.EndToEndID, &p.Amount); err != nil {
			return nil, err
		}
		p.Ref, p.Remittance = strconv.FormatInt(id, 10), remit.Ref(rem)
		out = append(out, p)
	}
	return out, rows.Err()
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
	names, err := json.Marshal(slices.Compact(slices.Sorted(slices.Values(documents))))
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	return t.receivables(ctx, creditorID, string(names))
}
