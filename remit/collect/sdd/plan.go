package sdd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain008"
)

// strictAddressDate is the settlement date from which the EPC refuses
// unstructured addresses (sepa applies the rule; the cache key follows it).
const strictAddressDate = "2026-11-15"

// Job is a direct-debit run with its options.
func Job(o Options) collect.Job { return &job{o: o} }

type job struct {
	o        Options
	rcurOnly bool
}

func (j *job) Kind() collect.Kind     { return Kind }
func (j *job) Common() collect.Common { return j.o.Common }

func (j *job) Prepare(cr remit.Creditor, now time.Time) error {
	if err := j.o.check(); err != nil {
		return err
	}
	if errs := creditorProblems(cr); len(errs) > 0 {
		return fmt.Errorf("creditor %s cannot collect SEPA direct debits: %w", cr.Code, errors.Join(errs...))
	}
	j.rcurOnly = cr.RCUROnly
	if j.o.RCUROnly != nil {
		j.rcurOnly = *j.o.RCUROnly
	}
	return nil
}

type blockKey struct {
	bank   int // its bank, an index into the run's banks
	scheme string
	seq    string
	date   string
}

type blockAgg struct {
	key   blockKey
	count int
	total int64
}

// Plan reads the pointed receivables once, mandate by mandate, decides for
// each its sequence type, collection date and amendment (the rules of
// package remit), checks every EPC rule, records the refusals, and spills
// the accepted ones (collect.Planned: a run's memory does not grow with its
// size); then it groups them into files.
func (j *job) Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result) (_ collect.Plan, err error) {
	o := j.o
	dates, err := remit.NewCollectionCalendar(now, o.LeadDays, o.Cutoff, o.CollectionDate)
	if err != nil {
		return nil, err
	}
	banks, err := collect.LoadBanks(ctx, tx, cr, remit.OpSDD, treasury.Needs{ICS: cr.ICS, National: o.CFONB}, o.Bank)
	if err != nil {
		return nil, err
	}
	p := &planner{ctx: ctx, tx: tx, cr: cr, o: o, rcurOnly: j.rcurOnly, refuse: collect.NewRefusals(tx, now), banks: banks,
		plan: &plan{job: j, cr: cr, now: now, banks: banks, items: collect.NewPlan(collect.ByGroupThenID),
			details: collect.ItemDetails{Discard: o.DryRun}},
		groups: map[blockKey]int{}, current: -1, national: newNationalRefs(),
		policy: remit.DebitPolicy{ICS: cr.ICS, RCUROnly: j.rcurOnly, MaxAmount: o.MaxAmount, National: o.CFONB,
			ExpiryLimit: remit.MandateExpiryLimit(now), Dates: dates},
		hdr: pain008.GroupHeader{Version: o.Version, MsgID: "PLAN", CreatedAt: now, InitiatingParty: sepa.Party{Name: cr.Name}}}
	defer func() {
		if err != nil {
			p.plan.Close()
		}
	}()
	defer func() { res.Notes = append(res.Notes, p.national.note()...) }()
	if err := p.read(); err != nil {
		return nil, err
	}
	// The refusals are listed as the receivables fall due.
	slices.SortFunc(p.refusals, func(a, b refusalAt) int {
		if c := cmp.Compare(a.due, b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, r := range p.refusals {
		res.Refused = append(res.Refused, r.Refusal)
	}
	if err := tx.ExpireMandates(ctx, p.expired); err != nil {
		return nil, err
	}
	if err := tx.ClearRefusals(ctx, p.stale); err != nil {
		return nil, err
	}
	files := planFiles(p.plan.blocks, o)
	if o.MaxTx > 0 || o.MaxAmount > 0 {
		if files, err = splitFiles(p.plan, files, o); err != nil {
			return nil, err
		}
	}
	p.plan.files = files
	return p.plan, nil
}

// planner is Plan's state: what it decided so far, and what it knows of
// the current mandate.
type planner struct {
	ctx      context.Context
	tx       store.RunTx
	cr       remit.Creditor
	o        Options
	rcurOnly bool
	policy   remit.DebitPolicy
	refuse   *collect.Refusals
	banks    *collect.RunBanks

	hdr pain008.GroupHeader // for the EPC checks

	plan     *plan
	groups   map[blockKey]int
	refusals []refusalAt
	stale    []int64 // accepted receivables that still show an earlier run's refusal
	expired  []int64 // mandates the run found expired
	// With --cfonb, the references of the national file, to refuse one that
	// reads as another's (a run that writes the national file is small: the
	// format is gone from most banks).
	national nationalRefs

	current int64 // the current mandate, 0 for none
	run     remit.MandateRun
	checked []ruling // its EPC checks, once per case

	item remit.Item // the accepted receivable's item, as the files read it
}

// read decides on every pointed receivable, mandate by mandate, each
// mandate's by due date: the sequence types, the pending FRST and the
// announced amendment are the mandate's.
func (p *planner) read() error {
	rows, err := p.tx.PointedDebits(p.ctx, p.cr.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	prog := remit.StartProgress(p.ctx, remit.StageCheck)
	defer prog.Done()
	for rows.Next() {
		prog.Add()
		if err := p.take(rows.Row()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// take decides on one receivable: refused (recorded, listed) or accepted
// (spilled into its block).
func (p *planner) take(r *store.DebitRow) error {
	if r.MandateID != p.current {
		p.current, p.run, p.checked = r.MandateID, remit.MandateRun{}, p.checked[:0]
	}
	m, d := r.Mandate, &r.Debtor
	scheme := "CORE" // without a mandate: refused, and listed by a CORE run
	if m != nil {
		scheme = m.Scheme
	}
	if p.o.Scheme != "" && scheme != p.o.Scheme {
		return nil // another scheme's run collects it
	}
	bank, take, unusable := p.banks.Of(r.Journal)
	if !take {
		return nil // another bank's run collects it
	}
	c := remit.DebitCase{Document: r.Document, Currency: r.Currency, Amount: r.Amount, Due: r.Due, Mandate: m, IBAN: d.IBAN}
	bic := d.BIC // the account debited is the mandate's when it names one, as the debtor snapshot's
	if m != nil && m.IBAN != "" {
		c.IBAN, bic = m.IBAN, m.BIC
	}
	dec := p.run.Decide(c, p.policy)
	if unusable != nil {
		dec.Reasons = append(dec.Reasons, collect.BankReason(unusable))
	}
	if dec.Expired && p.run.NoteExpired() {
		p.expired = append(p.expired, r.MandateID)
	}
	e2e, err := remit.PresentationID(r.Document, r.Presentations,
		func(id string) (bool, error) { return p.tx.EndToEndTaken(p.ctx, id) },
		func(id string) (bool, error) { return p.tx.DocumentExists(p.ctx, p.cr.ID, id) })
	if err != nil {
		return err
	}
	natRef, natMoved := "", false
	if p.o.CFONB {
		natRef, natMoved = nationalReference(r.Document)
		if first, ok := p.national.seen(natRef, r.Document); ok {
			dec.Reasons.Add(remit.ReasonSameReference, remit.TodoLater, "its reference reads %q in the 12-character référence zone of the national "+
				"direct-debit file, as %s's in the same run: the bank could not tell the debits apart; it goes in the next remittance "+
				"(run remit sdd again)", natRef, first)
		}
	}
	if m != nil {
		dec.Reasons = append(dec.Reasons, p.epcReasons(dec, bank, m, d, r.Customer, c.IBAN, bic)...)
	}
	if len(dec.Reasons) > 0 {
		rf := remit.Refusal{Document: r.Document, Customer: d.Account, Name: d.Name, Amount: remit.FormatAmount(r.Amount), Currency: r.Currency}
		if err := p.refuse.Record(p.ctx, r.ID, r.Refusal, r.RefusedAt, &rf, dec.Reasons); err != nil {
			return err
		}
		p.refusals = append(p.refusals, refusalAt{due: r.Due, id: r.ID, Refusal: rf})
		return nil
	}
	if p.o.CFONB {
		p.national.accept(natRef, r.Document, natMoved)
	}
	if p.run.Accept(dec, c, p.rcurOnly) {
		p.plan.firstAsRCUR++
	}
	p.item = remit.Item{EndToEndID: e2e, Amendment: dec.Amendment, BIC: bic, IBAN: c.IBAN, Name: d.Name, Address: d.Address,
		Document: r.Document, Label: r.Label, Due: r.Due, BankName: d.BankName, Customer: d.Account}
	if m != nil { // always: a debit without a mandate is refused
		p.item.RUM, p.item.MandateSigned = m.RUM, m.Signed
	}
	return p.accept(r, blockKey{bank, scheme, dec.Sequence, dec.Collection}, dec, e2e)
}

// accept spills an accepted receivable into its block, with p.item, what
// the files read of it.
func (p *planner) accept(r *store.DebitRow, key blockKey, dec remit.DebitDecision, e2e string) error {
	g, ok := p.groups[key]
	if !ok {
		g = len(p.plan.blocks)
		p.groups[key] = g
		p.plan.blocks = append(p.plan.blocks, blockAgg{key: key})
	}
	p.plan.blocks[g].count++
	p.plan.blocks[g].total += r.Amount
	debtor, err := p.plan.snaps.Next(store.DebtorKey{Customer: r.Customer, Mandate: r.MandateID, Latest: r.Snapshot})
	if err != nil {
		return err
	}
	off, err := p.plan.details.Add(int32(g), &p.item)
	if err != nil {
		return err
	}
	if err := p.plan.items.Add(collect.Planned{ID: r.ID, Amount: r.Amount, Group: int32(g), Debtor: debtor, Off: off}); err != nil {
		return err
	}
	if a := dec.Amendment; e2e != r.Document || a.Any() {
		if err := p.tx.NoteDebit(p.ctx, r.ID, e2e, a); err != nil {
			return err
		}
	}
	if r.Refusal != "" {
		p.stale = append(p.stale, r.ID)
	}
	return nil
}

// epcReasons are the EPC rules the debtor, its account and its mandate
// break, checked once per case of the current mandate, exactly as the
// writer will check the debit in a file of its bank (the block names the
// bank's account, collect.RunBanks.Issuer; the transaction is the item's).
func (p *planner) epcReasons(dec remit.DebitDecision, bank int, m *remit.MandateHistory, d *remit.Customer, customer int64, iban, bic string) remit.Reasons {
	a := dec.Amendment
	key := ruling{seq: dec.Sequence, amend: a.Account + "|" + a.RUM + "|" + a.ICS, strict: dec.Collection >= strictAddressDate, debtor: customer,
		bank: bank}
	i := slices.IndexFunc(p.checked, func(r ruling) bool { return r.same(key) })
	if i < 0 {
		issuer := p.cr // a debit of no bank is refused for it (RunBanks.Of)
		if bank >= 0 {
			issuer = p.banks.Issuer(p.cr, bank)
		}
		pi := issuerBlock(issuer, m.Scheme, dec.Sequence, remit.StoredDate(dec.Collection))
		// The item as the planner accepts it: only its end-to-end id,
		// amount and remittance information are the receivable's own.
		it := remit.Item{EndToEndID: "CHECK", Amount: 1, RUM: m.RUM, MandateSigned: m.Signed, Amendment: a, BIC: bic, IBAN: iban,
			Name: d.Name, Address: d.Address}
		for _, e := range pain008.CheckTransaction(itemTransaction(&it), pi, p.hdr) {
			// The debtor's or the mandate's data.
			key.reasons = append(key.reasons, remit.Reason{Code: remit.ReasonEPC, Todo: remit.TodoCorrect, Text: ruleReason(e)})
		}
		p.checked = append(p.checked, key)
		i = len(p.checked) - 1
	}
	return p.checked[i].reasons
}

// refusalAt is a refusal with what orders the list.
type refusalAt struct {
	due string
	id  int64
	remit.Refusal
}

// ruling is the outcome of the EPC checks for one case of the current
// mandate: its sequence type, its amendment, the address rule in force,
// the debtor named and the bank whose account the file names.
type ruling struct {
	seq, amend string
	strict     bool
	debtor     int64 // the customer
	bank       int   // its bank, an index into the run's banks
	reasons    remit.Reasons
}

func (r ruling) same(o ruling) bool {
	return r.seq == o.seq && r.amend == o.amend && r.strict == o.strict && r.debtor == o.debtor && r.bank == o.bank
}

// ruleReason keeps a rule error's text without the "transaction "E2E": " prefix.
func ruleReason(err error) string {
	var re *sepa.RuleError
	if errors.As(err, &re) {
		msg := re.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, re.Block) {
			return msg[i+2:]
		}
		return msg
	}
	return err.Error()
}
