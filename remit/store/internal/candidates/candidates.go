// Package candidates gathers what a bank statement may be matched to
// (treasury.Candidates, for treasury.Reconcile) the same way on every
// store, one remittance at a time: its lots as aggregates (count and total
// per block and date, not every item), and only the items Reconcile needs
// by name (rejected, returned or credited on their own, named by the
// statement, or of a kind named by references of its own and due around
// the statement). The stores keep their SQL and their scanning, behind
// Source.
//
//	c, err := candidates.Gather(ctx, mySource, q)
package candidates

import (
	"context"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// WindowBefore is how long before a statement's period an item due then
// is still a candidate for a debit naming it by a reference of its own (an
// unpaid LCR is debited days after its due date, rarely weeks).
const WindowBefore = 45 * 24 * time.Hour

// Which says which items of the bank's remittances a query reads: those
// the statement names (q.Names) by their document or EndToEndId, of any
// age; or those of the window kinds (q.WindowKinds) made since q.Since and
// due from q.From less WindowBefore to q.To.
type Which int

const (
	Named Which = iota
	Window
)

// Group is the aggregate of a remittance's items (not cancelled) of one
// block and date.
type Group struct {
	Block                     int
	Date                      string
	Count, Credited, Rejected int
	Total                     int64
}

// Item is a remittance item as Reconcile may need it, with where it is.
type Item struct {
	ID, Remittance     int64
	Block              int
	Date               string // its collection date
	Status, CreditedOn string
	Item               treasury.Item // Document, EndToEndID, ChequeNumber, Amount
}

// Source is the store's SQL for one CandidateQuery, in its transaction:
// the bank's remittances are those that went to q.Bank (or to no bank,
// when it is the default one), never the cancelled ones.
type Source interface {
	// OpenRemittances are the ids of the bank's remittances not yet
	// credited and made since q.Since, in order.
	OpenRemittances(ctx context.Context) ([]int64, error)
	// Remittance reads one of the creditor's remittances.
	Remittance(ctx context.Context, id int64) (remit.Remittance, error)
	// Groups are the remittance's aggregates, by block and date.
	Groups(ctx context.Context, remittance int64) ([]Group, error)
	// Flagged are the remittance's items rejected, returned or credited
	// on their own, by id.
	Flagged(ctx context.Context, remittance int64) ([]Item, error)
	// Remittances are the ids of the remittances of the items w reads, in
	// order (their lots are offered in that order).
	Remittances(ctx context.Context, w Which) ([]int64, error)
	// Items are the items (not cancelled) w reads, by id.
	Items(ctx context.Context, w Which) ([]Item, error)
	// PendingReturns are the returns after settlement recorded for the
	// bank's remittances since q.Since whose debit no statement showed yet.
	PendingReturns(ctx context.Context) ([]treasury.PendingReturn, error)
	// Receivables are the creditor's receivables whose documents are
	// among q.Names, as the treasury rules see them.
	Receivables(ctx context.Context) ([]treasury.Receivable, error)
}

// Gather gathers what a statement of q.Bank may be matched to.
func Gather(ctx context.Context, src Source, q store.CandidateQuery) (treasury.Candidates, error) {
	g := &gatherer{src: src, q: q, rems: map[int64]*remLots{}}
	ids, err := src.OpenRemittances(ctx)
	if err != nil {
		return treasury.Candidates{}, err
	}
	if err := g.remittances(ctx, ids); err != nil {
		return treasury.Candidates{}, err
	}
	if len(q.Names) > 0 {
		if err := g.itemsWithLots(ctx, Named); err != nil {
			return treasury.Candidates{}, err
		}
	}
	if len(q.WindowKinds) > 0 {
		if err := g.itemsWithLots(ctx, Window); err != nil {
			return treasury.Candidates{}, err
		}
	}
	var out treasury.Candidates
	for _, id := range g.order {
		out.Lots = append(out.Lots, g.rems[id].lots...)
	}
	if out.Returns, err = src.PendingReturns(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	if out.Receivables, err = src.Receivables(ctx); err != nil {
		return treasury.Candidates{}, err
	}
	return out, nil
}

// gatherer gathers the lots, one remittance at a time.
type gatherer struct {
	src   Source
	q     store.CandidateQuery
	rems  map[int64]*remLots
	order []int64
}

// remLots are the lots of one remittance.
type remLots struct {
	rem   remit.Remittance
	lots  []treasury.Lot
	byKey map[string]int // lot key → index
	items map[int64]bool // items added already
}

// remittances makes the lots of each remittance.
func (g *gatherer) remittances(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if err := g.remittance(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// remittance makes the lots of remittance id the first time: one
// aggregate per block and date grouped into lots by its kind, with the
// items a lot not credited needs by name (rejected, returned, credited on
// their own).
func (g *gatherer) remittance(ctx context.Context, id int64) error {
	if _, ok := g.rems[id]; ok {
		return nil
	}
	rem, err := g.src.Remittance(ctx, id)
	if err != nil {
		return err
	}
	r := &remLots{rem: rem, byKey: map[string]int{}, items: map[int64]bool{}}
	g.rems[id] = r
	g.order = append(g.order, id)
	groups, err := g.src.Groups(ctx, id)
	if err != nil {
		return err
	}
	need := g.lots(r, groups)
	if len(need) == 0 {
		return nil
	}
	items, err := g.src.Flagged(ctx, id)
	if err != nil {
		return err
	}
	g.addItems(items, func(lot int) bool { return need[lot] })
	return nil
}

// lots makes r's lots of its groups; it returns those whose items are
// needed by name: not credited, with items credited or rejected.
func (g *gatherer) lots(r *remLots, groups []Group) map[int]bool {
	open := map[int]bool{} // lots with items not credited
	partial := map[int]bool{}
	for _, gr := range groups {
		l, ok := g.q.Lot(r.rem, gr.Block, remit.StoredDate(gr.Date))
		if !ok {
			continue
		}
		key := lotKey(l)
		i, seen := r.byKey[key]
		if !seen {
			i = len(r.lots)
			r.byKey[key] = i
			l.Bank, l.Remittance, l.Total, l.Items = g.q.Bank.Code, r.rem.Ref, 0, nil
			r.lots = append(r.lots, l)
		}
		r.lots[i].Total += gr.Total
		if gr.Credited < gr.Count-gr.Rejected {
			open[i] = true
		}
		if gr.Credited > 0 || gr.Rejected > 0 {
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
	return need
}

// lotKey identifies a lot within its remittance.
func lotKey(l treasury.Lot) string { return strconv.Itoa(l.Block) + "#" + remit.FormatDate(l.Date) }

// addItems adds the items to their lots (those keep selects, all when
// nil), each once.
func (g *gatherer) addItems(items []Item, keep func(lot int) bool) {
	for _, x := range items {
		r := g.rems[x.Remittance]
		if r == nil || r.items[x.ID] {
			continue
		}
		l, ok := g.q.Lot(r.rem, x.Block, remit.StoredDate(x.Date))
		if !ok {
			continue
		}
		i, ok := r.byKey[lotKey(l)]
		if !ok || (keep != nil && !keep(i)) {
			continue
		}
		it := x.Item
		it.Credited = x.CreditedOn != ""
		it.Rejected = x.Status == "rejected"
		it.Returned = x.Status == "returned"
		if g.q.Item != nil {
			g.q.Item(r.rem, &it)
		}
		r.items[x.ID] = true
		r.lots[i].Items = append(r.lots[i].Items, it)
	}
}

// itemsWithLots adds the items w reads, making the lots of their
// remittances first.
func (g *gatherer) itemsWithLots(ctx context.Context, w Which) error {
	ids, err := g.src.Remittances(ctx, w)
	if err != nil {
		return err
	}
	if err := g.remittances(ctx, ids); err != nil {
		return err
	}
	items, err := g.src.Items(ctx, w)
	if err != nil {
		return err
	}
	g.addItems(items, nil)
	return nil
}
