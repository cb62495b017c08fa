package cheque

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// Job is a remise de chèques with its options.
func Job(o Options) collect.Job { return &job{o: o} }

type job struct{ o Options }

func (j *job) Kind() collect.Kind     { return Kind }
func (j *job) Common() collect.Common { return j.o.Common }

func (j *job) Prepare(cr remit.Creditor, now time.Time) error {
	if err := j.o.check(now); err != nil {
		return err
	}
	if cr.IBAN == "" {
		return fmt.Errorf("creditor %s has no IBAN (remit creditor set --iban, or remit bank add)", cr.Code)
	}
	return nil
}

// part is the remise of one bank.
type part struct {
	bank  int // an index into the run's banks
	count int
	total int64
}

// plan is what a remise accepted: the cheques of each bank, in the order
// they came (due date, receivable).
type plan struct {
	job   *job
	cr    remit.Creditor
	now   time.Time
	banks *collect.RunBanks
	parts []part
	order []int                         // the parts in the order they are recorded: by bank
	items *spill.Spill[collect.Planned] // by part, then rank
	snaps collect.Snapshots
}

// Plan reads the pointed cheques once, checks each (remit.CheckCheque, and
// whether its bank takes cheques), records the refusals, and groups the
// others by bank.
func (j *job) Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result) (_ collect.Plan, err error) {
	banks, err := collect.LoadBanks(ctx, tx, cr, remit.OpCheque, treasury.Needs{}, j.o.Bank)
	if err != nil {
		return nil, err
	}
	p := &plan{job: j, cr: cr, now: now, banks: banks, items: collect.NewPlan(collect.ByGroupThenPos)}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	rows, err := tx.PointedCheques(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	open := map[int]int{} // bank → its part
	var stale []int64     // accepted receivables that still show an earlier run's refusal
	refuse := collect.NewRefusals(tx, now)
	for rows.Next() {
		r := rows.Row()
		bank, take, unusable := banks.Of(r.Journal)
		if !take {
			continue // another bank's remise takes it
		}
		why := remit.CheckCheque(remit.ChequeCase{Currency: r.Currency, Amount: r.Amount, Number: r.ChequeNumber, Drawer: r.Drawer.Name})
		if unusable != nil {
			why = append(why, collect.BankReason(unusable))
		}
		if len(why) > 0 {
			rf := remit.Refusal{Document: r.Document, Customer: r.Drawer.Account, Name: r.Drawer.Name, Amount: remit.FormatAmount(r.Amount),
				Currency: r.Currency}
			if err := refuse.Record(ctx, r.ID, r.Refusal, r.RefusedAt, &rf, why); err != nil {
				return nil, err
			}
			res.Refused = append(res.Refused, rf)
			continue
		}
		g, ok := open[bank]
		if !ok {
			g = len(p.parts)
			open[bank] = g
			p.parts = append(p.parts, part{bank: bank})
		}
		p.parts[g].count++
		p.parts[g].total += r.Amount
		debtor, err := p.snaps.Of(r.Customer)
		if err != nil {
			return nil, err
		}
		if err := p.items.Add(collect.Planned{ID: r.ID, Amount: r.Amount, Group: int32(g), Debtor: debtor,
			Pos: int32(p.items.Len())}); err != nil {
			return nil, err
		}
		if r.Refusal != "" {
			stale = append(stale, r.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// One remise per bank, in the banks' order.
	p.order = make([]int, len(p.parts))
	for i := range p.order {
		p.order[i] = i
	}
	slices.SortFunc(p.order, func(a, b int) int { return cmp.Compare(p.parts[a].bank, p.parts[b].bank) })
	return p, tx.ClearRefusals(ctx, stale)
}

func (p *plan) Close() {
	p.items.Close()
	p.snaps.Close()
}
func (p *plan) Len() int        { return len(p.parts) }
func (p *plan) Notes() []string { return nil }

func (p *plan) params(pt part) []byte {
	b, _ := json.Marshal(Params{Creditor: p.banks.Issuer(p.cr, pt.bank), EntryAccount: p.job.o.Account})
	return b
}

func (p *plan) Dry(cr remit.Creditor) []remit.Remittance {
	out := make([]remit.Remittance, 0, len(p.parts))
	for _, i := range p.order {
		pt := p.parts[i]
		out = append(out, remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: Name, Bank: p.banks.Code(pt.bank), Status: "planned",
			Count: pt.count, Total: pt.total, TotalText: remit.FormatAmount(pt.total), Issuer: p.banks.Issuer(cr, pt.bank), Params: p.params(pt),
			Files: []remit.FileInfo{}, Blocks: []remit.Block{{Number: 1, Count: pt.count, Total: pt.total, TotalText: remit.FormatAmount(pt.total)}}})
	}
	return out
}

// Record records remise i, its cheques in the order they came, deposited
// today. The run's drawers are recorded with the first.
func (p *plan) Record(ctx context.Context, tx store.RunTx, i int, created func(id int64) error) (int64, int, int64, error) {
	if i == 0 {
		if err := p.snaps.Write(ctx, tx); err != nil {
			return 0, 0, 0, err
		}
	}
	g := p.order[i]
	pt := p.parts[g]
	id, err := tx.CreateRemittance(ctx, store.NewRemittance{CreditorID: p.cr.ID, Kind: Name, CreatedAt: p.now, Count: pt.count,
		Total: pt.total, Params: p.params(pt), RunID: p.job.o.RunID, Bank: p.banks.Code(pt.bank)})
	if err != nil {
		return 0, 0, 0, err
	}
	if err := created(id); err != nil {
		return 0, 0, 0, err
	}
	rank := 0
	err = tx.RecordItems(ctx, id, store.ChequeItems, []store.BlockKey{{Collection: p.now.Format(remit.DateLayout)}},
		func(yield func(store.ItemRef) error) error {
			return p.items.Each(&collect.Planned{Group: int32(g)}, &collect.Planned{Group: int32(g + 1)}, func(it collect.Planned) error {
				rank++
				return yield(p.snaps.Ref(it, 1, rank))
			})
		})
	return id, pt.count, pt.total, err
}
