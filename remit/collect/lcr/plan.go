package lcr

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// Job is an LCR run with its options.
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

// Plan reads the pointed bills in file order (due date, receivable),
// checks them, records the refusals and spills the accepted ones, one part
// per remittance. Bills whose references read the same in the
// 10-character zones are refused but the first, and the run planned again
// without them.
func (j *job) Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result) (collect.Plan, error) {
	p, err := j.plan(ctx, tx, cr, now, res, nil)
	if err != nil {
		return nil, err
	}
	same, err := p.sameReferences(ctx, tx)
	if err != nil {
		p.Close()
		return nil, err
	}
	if len(same) > 0 {
		p.Close()
		res.Refused, res.Notes = res.Refused[:0], res.Notes[:0]
		return j.plan(ctx, tx, cr, now, res, same)
	}
	return p, nil
}

// part is one remittance of a run: a bank's bills, in parts as the
// 12-digit total zone of the CFONB 08 record caps a remise at
// 9 999 999 999,99 €.
type part struct {
	bank  int // an index into the run's banks
	count int
	total int64
}

// plan is what a run accepted, in file order (due date, receivable).
type plan struct {
	job   *job
	cr    remit.Creditor
	now   time.Time
	banks *collect.RunBanks
	parts []part
	open  map[int]int                   // bank → its part being filled
	items *spill.Spill[collect.Planned] // by part, then rank
	refs  *spill.Spill[collect.Planned] // the same bills by the hash of their reference (Amount), then rank
	// details are what the file reads of each bill: its drawee as the
	// snapshot names it (its address and BIC aside), its dates, its acceptance.
	details collect.ItemDetails
	snaps   collect.Snapshots
}

func (p *plan) Close() {
	p.items.Close()
	p.refs.Close()
	p.details.Close()
	p.snaps.Close()
}

func (p *plan) Len() int { return len(p.parts) }

func (p *plan) Notes() []string {
	perBank := map[int]int{}
	for _, pt := range p.parts {
		perBank[pt.bank]++
	}
	for _, n := range perBank {
		if n > 1 {
			return []string{fmt.Sprintf("the bills add up to more than an LCR remise can carry (%s EUR): %d remittances",
				remit.FormatAmountFR(cfonb.MaxLCRAmount), len(p.parts))}
		}
	}
	return nil
}

// byHashThenPos orders the references: by hash (in Amount), then rank.
func byHashThenPos(a, b collect.Planned) int {
	if a.Amount != b.Amount {
		return cmp.Compare(a.Amount, b.Amount)
	}
	return cmp.Compare(a.Pos, b.Pos)
}

// plan reads and checks the bills once; same refuses bills whose reference
// an earlier bill has (sameReferences).
func (j *job) plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result,
	same map[int64]string) (_ *plan, err error) {
	banks, err := collect.LoadBanks(ctx, tx, cr, remit.OpLCR, treasury.Needs{}, j.o.Bank)
	if err != nil {
		return nil, err
	}
	p := &plan{job: j, cr: cr, now: now, banks: banks, open: map[int]int{}, items: collect.NewPlan(collect.ByGroupThenPos),
		refs: collect.NewPlan(byHashThenPos), details: collect.ItemDetails{Discard: j.o.DryRun}}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	rows, err := tx.PointedBills(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seed := maphash.MakeSeed()
	cut, cutExample := 0, ""
	var stale []int64 // accepted receivables that still show an earlier run's refusal
	refuse := collect.NewRefusals(tx, now)
	policy := remit.BillPolicy{Today: remit.FormatDate(remit.Day(now)), EntryCode: j.o.EntryCode, ValueDate: remit.FormatDate(j.o.ValueDate)}
	prog := remit.StartProgress(ctx, remit.StageCheck)
	defer prog.Done()
	var item remit.Item
	drawn := now.Format(remit.DateLayout) // as Record records a bill without an issue date
	for rows.Next() {
		prog.Add()
		r := rows.Row()
		d := &r.Drawee
		bank, take, unusable := banks.Of(r.Journal)
		if !take {
			continue // another bank's run remits it
		}
		why := remit.CheckBill(remit.BillCase{Currency: r.Currency, Amount: r.Amount, Due: r.Due, Issue: r.Issue, IBAN: d.IBAN, Name: d.Name,
			SIREN: d.SIREN}, policy)
		if text, ok := same[r.ID]; ok {
			why = append(why, remit.Reason{Code: remit.ReasonSameReference, Todo: remit.TodoLater, Text: text})
		}
		if unusable != nil {
			why = append(why, collect.BankReason(unusable))
		}
		if len(why) > 0 {
			rf := remit.Refusal{Document: r.Document, Customer: d.Account, Name: d.Name, Amount: remit.FormatAmount(r.Amount), Currency: r.Currency}
			if err := refuse.Record(ctx, r.ID, r.Refusal, r.RefusedAt, &rf, why); err != nil {
				return nil, err
			}
			res.Refused = append(res.Refused, rf)
			continue
		}
		g, ok := p.open[bank]
		if !ok || p.parts[g].total+r.Amount > cfonb.MaxLCRAmount {
			g = len(p.parts)
			p.open[bank] = g
			p.parts = append(p.parts, part{bank: bank})
		}
		last := &p.parts[g]
		debtor, err := p.snaps.Of(r.Customer)
		if err != nil {
			return nil, err
		}
		billItem(&item, r, drawn)
		off, err := p.details.Add(int32(g), &item)
		if err != nil {
			return nil, err
		}
		if err := p.items.Add(collect.Planned{ID: r.ID, Amount: r.Amount, Group: int32(g), Debtor: debtor,
			Pos: int32(p.items.Len()), Off: off}); err != nil {
			return nil, err
		}
		last.count++
		last.total += r.Amount
		ref, moved := billReference(r.Document, true)
		if err := p.refs.Add(collect.Planned{ID: r.ID, Amount: int64(maphash.String(seed, ref)), Pos: int32(p.items.Len())}); err != nil {
			return nil, err
		}
		if moved {
			if cut == 0 {
				cutExample = r.Document + " → " + ref
			}
			cut++
		}
		if r.Refusal != "" {
			stale = append(stale, r.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cut > 0 {
		what := "1 bill carries the last 10 characters of its document"
		if cut > 1 {
			what = fmt.Sprintf("%d bills carry the last 10 characters of their documents", cut)
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s in the référence tiré and tireur zones (%s); "+
			"each reads differently from the others of the remise", what, cutExample))
	}
	return p, tx.ClearRefusals(ctx, stale)
}

// sameReferences finds the bills of the plan whose reference reads the same
// as an earlier bill's in the 10-character zones (documents cut to 10
// characters, or told apart only by lower case or signs the zone cannot
// carry): the bank and the drawee could not tell them apart, nor match an
// unpaid to its bill. It returns, for each bill but the first of such a
// group, why it is refused. It reads the references in hash order from a
// spill, so its memory does not grow with the run.
func (p *plan) sameReferences(ctx context.Context, tx store.RunTx) (map[int64]string, error) {
	var group []collect.Planned
	var out map[int64]string
	flush := func() error {
		if len(group) < 2 {
			return nil
		}
		first := map[string]string{} // reference → the first document with it
		for _, it := range group {   // by rank
			d, err := tx.Document(ctx, it.ID)
			if err != nil {
				return err
			}
			ref, _ := billReference(d, true)
			if f, ok := first[ref]; ok {
				if out == nil {
					out = map[int64]string{}
				}
				out[it.ID] = fmt.Sprintf("its reference reads %q in the 10-character référence tiré and tireur zones, as %s's in "+
					"the same remise: the bank could not tell the bills apart; it goes in the next remise (run remit lcr again)", ref, f)
				continue
			}
			first[ref] = d
		}
		return nil
	}
	err := p.refs.Each(nil, nil, func(it collect.Planned) error {
		if len(group) > 0 && group[0].Amount != it.Amount {
			if err := flush(); err != nil {
				return err
			}
			group = group[:0]
		}
		group = append(group, it)
		return nil
	})
	if err == nil {
		err = flush()
	}
	return out, err
}

func (p *plan) params(pt part) []byte {
	o := p.job.o
	b, _ := json.Marshal(Params{Creditor: p.banks.Issuer(p.cr, pt.bank), EOL: o.EOL, EntryCode: o.EntryCode, Dailly: o.Dailly, ValueDate: remit.FormatDate(o.ValueDate),
		RefTail: true})
	return b
}

func (p *plan) Dry(cr remit.Creditor) []remit.Remittance {
	out := make([]remit.Remittance, 0, len(p.parts))
	for _, i := range p.order() {
		pt := p.parts[i]
		out = append(out, remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: Name, Bank: p.banks.Code(pt.bank), Status: "planned",
			Count: pt.count, Total: pt.total, TotalText: remit.FormatAmount(pt.total), Issuer: p.banks.Issuer(cr, pt.bank), Params: p.params(pt),
			Files:  []remit.FileInfo{},
			Blocks: []remit.Block{{Number: 1, Count: pt.count, Total: pt.total, TotalText: remit.FormatAmount(pt.total)}}})
	}
	return out
}

// order is the parts in the order they are recorded: by bank, each bank's
// in the order its bills came.
func (p *plan) order() []int {
	idx := make([]int, len(p.parts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.parts[a].bank, p.parts[b].bank) })
	return idx
}

// Record records part i as a remittance, its items in file order; an LCR
// without an issue date is drawn on the day of the remittance. The run's
// drawees are recorded with the first.
func (p *plan) Record(ctx context.Context, tx store.RunTx, i int, created func(id int64) error) (int64, int, int64, error) {
	if i == 0 {
		if err := p.snaps.Write(ctx, tx); err != nil {
			return 0, 0, 0, err
		}
	}
	i = p.order()[i]
	pt := p.parts[i]
	id, err := tx.CreateRemittance(ctx, store.NewRemittance{CreditorID: p.cr.ID, Kind: Name, CreatedAt: p.now, Count: pt.count,
		Total: pt.total, Params: p.params(pt), RunID: p.job.o.RunID, Bank: p.banks.Code(pt.bank)})
	if err != nil {
		return 0, 0, 0, err
	}
	if err := created(id); err != nil {
		return 0, 0, 0, err
	}
	prog := remit.StartProgress(ctx, remit.StageRecord)
	rank := 0
	err = tx.RecordItems(ctx, id, store.BillItems, []store.BlockKey{{Collection: p.now.Format(remit.DateLayout)}},
		func(yield func(store.ItemRef) error) error {
			return p.eachOf(i, func(it collect.Planned) error {
				rank++
				prog.Add()
				return yield(p.snaps.Ref(it, 1, rank))
			})
		})
	prog.Done()
	return id, pt.count, pt.total, err
}

// eachOf calls fn on the bills of part i in file order.
func (p *plan) eachOf(i int, fn func(collect.Planned) error) error {
	return p.items.Each(&collect.Planned{Group: int32(i)}, &collect.Planned{Group: int32(i + 1)}, fn)
}

// EachItem gives the bills of remittance i (in the order Record records
// them) in file order, as Record records them (collect.ItemSource).
func (p *plan) EachItem(ctx context.Context, i int, fn func(*remit.Item) error) error {
	var it remit.Item
	return p.eachOf(p.order()[i], func(pl collect.Planned) error {
		if err := p.details.Read(pl.Group, pl.Off, &it); err != nil {
			return err
		}
		it.Block, it.Amount, it.Collection = 1, pl.Amount, it.Due
		return fn(&it)
	})
}

// billItem sets it to what the file reads of an accepted bill, as the
// store records it: a bill without an issue date is drawn on the day given.
func billItem(it *remit.Item, r *store.BillRow, drawn string) {
	d := &r.Drawee
	*it = remit.Item{EndToEndID: r.Document, IBAN: d.IBAN, Name: d.Name, Document: r.Document, Label: r.Label, Due: r.Due,
		Issue: r.Issue, Acceptance: r.Acceptance, BankName: d.BankName, SIREN: d.SIREN, Customer: d.Account}
	if it.Issue == "" {
		it.Issue = drawn
	}
}
