package sqlite

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain008"
)

// sddDebtor is a customer of pointed SDD receivables, as the file names it.
type sddDebtor struct {
	account, name string
	addr          remit.Address
	iban, bic     string
}

// strictAddressDate is the settlement date from which the EPC refuses
// unstructured addresses (sepa applies the rule; the cache key follows it).
const strictAddressDate = "2026-11-15"

// pointedSDD is the receivables a run reads, for an IN (…) subquery; hint is pointedScan's.
func pointedSDD(column, hint string) string {
	return `SELECT r.` + column + ` FROM receivables r ` + hint + ` WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd'`
}

// sddDebtorColumns are a customer's columns as sddDebtor.scan reads them.
const sddDebtorColumns = `c.account, c.name, c.street, c.building, c.postcode, c.town, c.country, c.iban, c.bic`

func (d *sddDebtor) dest() []any {
	return []any{&d.account, &d.name, &d.addr.Street, &d.addr.Building, &d.addr.Postcode, &d.addr.Town, &d.addr.Country, &d.iban, &d.bic}
}

// sddMandates walks the mandates of the pointed receivables in id order,
// each with its customer and its history, alongside the receivables read in
// mandate order: a merge, so that a run holds one mandate at a time rather
// than all of them.
type sddMandates struct {
	rows     *sql.Rows
	done     bool
	id       int64
	customer int64
	m        remit.MandateHistory
	d        sddDebtor
}

func openSDDMandates(ctx context.Context, tx *sql.Tx, creditorID int64, hint string) (*sddMandates, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.customer_id, m.rum, m.signed_on, m.scheme, m.kind, m.status, m.iban, m.bic,
			m.original_rum, m.original_ics, COALESCE(substr(l.k, 1, 10), ''), COALESCE(l.iban, ''), COALESCE(l.frst, ''),
			`+sddDebtorColumns+`
		FROM mandates m JOIN customers c ON c.id = m.customer_id LEFT JOIN temp.mandate_last l ON l.mandate_id = m.id
		WHERE m.id IN (`+pointedSDD("mandate_id", hint)+`) ORDER BY m.id`, creditorID)
	if err != nil {
		return nil, err
	}
	return &sddMandates{rows: rows}, nil
}

// seek moves to mandate id and reports whether it exists.
func (w *sddMandates) seek(id int64) (bool, error) {
	for !w.done && w.id < id {
		if !w.rows.Next() {
			w.done = true
			return false, w.rows.Err()
		}
		m := &w.m
		dest := append([]any{&w.id, &w.customer, &m.RUM, &m.Signed, &m.Scheme, &m.Kind, &m.Status, &m.IBAN, &m.BIC,
			&m.OriginalRUM, &m.OriginalICS, &m.LastCollection, &m.LastIBAN, &m.PendingFirst}, w.d.dest()...)
		if err := w.rows.Scan(dest...); err != nil {
			return false, err
		}
	}
	return !w.done && w.id == id, nil
}

type blockKey struct {
	scheme string
	seq    string
	date   string
}

type blockAgg struct {
	key   blockKey
	count int
	total int64
}

// RemitSDD turns the creditor's pointed SDD receivables into remittances.
func (s *Store) RemitSDD(ctx context.Context, cr remit.Creditor, o remit.SDDOptions) (*remit.RunResult, error) {
	if err := checkSDDOptions(&o); err != nil {
		return nil, err
	}
	if o.CFONB && cr.NNE == "" {
		return nil, fmt.Errorf("creditor %s has no numéro national d'émetteur: the national direct-debit file needs it (remit creditor set --nne)", cr.Code)
	}
	if errs := creditorSDDProblems(cr); len(errs) > 0 {
		return nil, fmt.Errorf("creditor %s cannot collect SEPA direct debits: %w", cr.Code, errors.Join(errs...))
	}
	now := s.now()
	res := &remit.RunResult{Kind: "sdd", Creditor: cr.Code, DryRun: o.DryRun, Remittances: []remit.Remittance{}, Refused: []remit.Refusal{}}
	rcurOnly := cr.RCUROnly
	if o.RCUROnly != nil {
		rcurOnly = *o.RCUROnly
	}
	ctx, pend := outdir.Track(ctx, o.RunID)
	err := s.inRemittanceTx(ctx, func(tx *sql.Tx) error {
		if !o.DryRun {
			if err := outdir.Clean(o.OutDir, recordedIn(ctx, tx)); err != nil {
				return err
			}
		}
		plan, err := planSDD(ctx, tx, cr, o, now, rcurOnly, res)
		if err != nil {
			return err
		}
		defer plan.items.close()
		if len(res.Refused) > 0 && o.Strict {
			return remit.ErrRefusedStrict
		}
		if rcurOnly && plan.firstAsRCUR > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("RCUR-only policy applied: %s sent as RCUR instead of FRST",
				pluralize(plan.firstAsRCUR, "first collection", "first collections")))
		}
		files := planFiles(plan.blocks, o)
		if o.MaxTx > 0 || o.MaxAmount > 0 {
			if files, err = splitFiles(plan, files, o); err != nil {
				return err
			}
		}
		if o.DryRun {
			res.Remittances = dryRemittances(files, cr)
			return nil
		}
		return s.createSDD(ctx, tx, cr, o, now, rcurOnly, plan, files, res)
	})
	if err != nil {
		// What the transaction wrote goes with it.
		pend.Abandon(recordedIn(context.WithoutCancel(ctx), s.DB))
		if errors.Is(err, remit.ErrRefusedStrict) {
			return res, err
		}
		return nil, err
	}
	if !o.DryRun && len(res.Remittances) > 0 {
		crash.Point("after-commit")
		pend.Commit()
	}
	return res, nil
}

func checkSDDOptions(o *remit.SDDOptions) error {
	if o.Version == "" {
		o.Version = pain008.V08
	}
	if !o.Version.Valid() {
		return fmt.Errorf("pain version %q: want pain.008.001.08 or pain.008.001.02", o.Version)
	}
	switch o.Split {
	case "":
		o.Split = remit.SplitNone
	case remit.SplitNone, remit.SplitSequence, remit.SplitPmtInf:
	default:
		return fmt.Errorf("split %q: want none, sequence or pmtinf", o.Split)
	}
	switch o.Scheme {
	case "", "CORE", "B2B":
	default:
		return fmt.Errorf("scheme %q: want CORE or B2B", o.Scheme)
	}
	if o.MaxTx < 0 || o.MaxAmount < 0 || o.LeadDays < 0 {
		return errors.New("max-tx, max-amount and lead days cannot be negative")
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	if _, err := remit.FileName(o.NameTemplate, "001", "X", "sdd", time.Now()); err != nil {
		return err
	}
	return nil
}

// creditorSDDProblems is every reason the creditor cannot collect: its
// fields are checked again here, other software may have written them.
func creditorSDDProblems(cr remit.Creditor) []error {
	errs := cr.Validate()
	if cr.ICS == "" {
		errs = append(errs, errors.New("no SEPA creditor identifier (remit creditor set --ics)"))
	}
	if cr.IBAN == "" {
		errs = append(errs, errors.New("no IBAN (remit creditor set --iban)"))
	}
	if cr.Address.Town == "" || cr.Address.Country == "" {
		errs = append(errs, errors.New("no structured address: town and country are required (remit creditor set --town --country)"))
	}
	return errs
}

type sddPlan struct {
	blocks      []blockAgg
	firstAsRCUR int                 // mandates whose first collection goes as RCUR (RCUR-only policy)
	items       *spill[plannedItem] // accepted, by block then receivable
	snaps       snapshots
}

// each calls fn on a file segment's items in file order.
func (p *sddPlan) each(seg fileSegment, fn func(plannedItem) error) error {
	from, to := plannedItem{grp: int32(seg.grp), id: seg.first}, plannedItem{grp: int32(seg.grp), id: seg.last + 1}
	if seg.last == math.MaxInt64 {
		to = plannedItem{grp: int32(seg.grp + 1), id: math.MinInt64}
	}
	return p.items.each(&from, &to, fn)
}

// planSDD reads the pointed receivables once, mandate by mandate, decides
// for each its sequence type, collection date and amendment (the rules of
// sddrules.go), checks every EPC rule, records the refusals, and spills the
// accepted ones (plannedItem: a run's memory does not grow with its size).
// The caller closes plan.items.
func planSDD(ctx context.Context, tx *sql.Tx, cr remit.Creditor, o remit.SDDOptions, now time.Time, rcurOnly bool, res *remit.RunResult) (_ *sddPlan, err error) {
	hint, err := pointedScan(ctx, tx, cr.ID, "sdd")
	if err != nil {
		return nil, err
	}
	if err := prepareMandateHistory(ctx, tx, cr.ID, hint); err != nil {
		return nil, err
	}
	dates, err := remit.NewCollectionCalendar(now, o.LeadDays, o.Cutoff, o.CollectionDate)
	if err != nil {
		return nil, err
	}
	p := &sddPlanner{ctx: ctx, tx: tx, cr: cr, o: o, rcurOnly: rcurOnly, plan: &sddPlan{items: newPlan(byBlockThenID)},
		groups: map[blockKey]int{}, current: -1, otherID: -1, national: nationalRefs{refs: map[string]string{}},
		policy: remit.DebitPolicy{ICS: cr.ICS, RCUROnly: rcurOnly, MaxAmount: o.MaxAmount, National: o.CFONB,
			ExpiryLimit: remit.MandateExpiryLimit(now), Dates: dates},
		hdr: pain008.GroupHeader{Version: o.Version, MsgID: "PLAN", CreatedAt: now, InitiatingParty: sepa.Party{Name: cr.Name}},
		piTemplate: pain008.PaymentInfo{ID: "PLAN", Creditor: creditorParty(cr), CreditorIBAN: cr.IBAN, CreditorBIC: cr.BIC,
			CreditorSchemeID: cr.ICS}}
	defer func() {
		if err != nil {
			p.plan.items.close()
		}
	}()
	defer func() { p.national.note(res) }()
	if err := p.open(now, hint); err != nil {
		p.close()
		return nil, err
	}
	defer p.close()
	// Mandate by mandate, each one's receivables by due date: the sequence
	// types, the pending FRST and the announced amendment are the mandate's.
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document, r.amount, r.currency, r.due_date, r.customer_id, COALESCE(r.mandate_id, 0),
			r.refusal, r.refused_at
		FROM receivables r `+hint+` WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd'
		ORDER BY r.mandate_id, r.due_date, r.id`, cr.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	prog := remit.StartProgress(ctx, remit.StageCheck)
	defer prog.Done()
	for rows.Next() {
		prog.Add()
		var r sddRow
		if err := rows.Scan(&r.id, &r.document, &r.amount, &r.currency, &r.due, &r.customer, &r.mandate, &r.prevRefusal, &r.refusedAt); err != nil {
			return nil, err
		}
		if err := p.take(r); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
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
	for _, id := range p.expired {
		if _, err := tx.ExecContext(ctx, `UPDATE mandates SET status = 'expired', status_reason = 'no collection for 36 months' WHERE id = ?`, id); err != nil {
			return nil, err
		}
	}
	return p.plan, clearRefusals(ctx, tx, p.stale)
}

// prepareMandateHistory writes temp.mandate_last, the counted collections
// of the pointed receivables' mandates (openSDDMandates reads it), and
// temp.plan_extras, empty.
func prepareMandateHistory(ctx context.Context, tx *sql.Tx, creditorID int64, hint string) error {
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.mandate_last`,
		// The collections of a mandate that count: remit's own (countedCollection)
		// and those made before remit (mandate_history).
		`CREATE TEMP TABLE mandate_last (mandate_id INTEGER PRIMARY KEY, k TEXT, iban TEXT, frst TEXT)`,
		`INSERT INTO temp.mandate_last
			SELECT mandate_id, max(k) AS k, substr(max(k), 11) AS iban, max(frst) AS frst FROM (
				SELECT i.mandate_id, i.collection_date || i.iban AS k,
					CASE WHEN i.sequence_type = 'FRST' AND i.status = 'remitted' THEN i.collection_date ELSE '' END AS frst
				FROM remittance_lines i WHERE i.mandate_id IN (` + pointedSDD("mandate_id", hint) + `) AND ` + countedCollection("i") + `
				UNION ALL
				SELECT h.mandate_id, h.collected_on || h.iban, '' FROM mandate_history h)
			GROUP BY mandate_id`,
		`DROP TABLE IF EXISTS temp.plan_extras`,
		planExtrasTable,
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, creditorID)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// sddRow is a pointed receivable as planSDD reads it.
type sddRow struct {
	id, amount, customer, mandate int64
	document, currency, due       string
	prevRefusal, refusedAt        string
}

// sddPlanner is planSDD's state: the run's statements, what it decided so
// far, and what it knows of the current mandate.
type sddPlanner struct {
	ctx      context.Context
	tx       *sql.Tx
	cr       remit.Creditor
	o        remit.SDDOptions
	rcurOnly bool
	policy   remit.DebitPolicy

	walk     *sddMandates
	customer *sql.Stmt // a receivable's customer that is not its mandate's
	refuse   *refusalBook
	extra    *sql.Stmt // INSERT INTO temp.plan_extras
	present  *presentations

	hdr        pain008.GroupHeader // for the EPC checks
	piTemplate pain008.PaymentInfo

	plan     *sddPlan
	groups   map[blockKey]int
	refusals []refusalAt
	stale    []int64 // accepted receivables that still show an earlier run's refusal
	expired  []int64 // mandates the run found expired
	// With --cfonb, the references of the national file, to refuse one that
	// reads as another's (a run that writes the national file is small: the
	// format is gone from most banks).
	national nationalRefs

	current   int64                 // the current mandate, 0 for none
	m         *remit.MandateHistory // nil: no mandate
	mandateOf int64                 // the customer the mandate belongs to
	run       remit.MandateRun
	checked   []ruling  // its EPC checks, once per case
	other     sddDebtor // a customer that is not the mandate's
	otherID   int64
}

// open prepares the planner's statements and cursors.
func (p *sddPlanner) open(now time.Time, hint string) error {
	var err error
	if p.walk, err = openSDDMandates(p.ctx, p.tx, p.cr.ID, hint); err != nil {
		return err
	}
	// A receivable whose customer is not its mandate's (or that has no mandate) reads its customer here.
	if p.customer, err = p.tx.PrepareContext(p.ctx, `SELECT `+sddDebtorColumns+` FROM customers c WHERE c.id = ?`); err != nil {
		return err
	}
	if p.refuse, err = newRefusalBook(p.ctx, p.tx, now); err != nil {
		return err
	}
	if p.extra, err = p.tx.PrepareContext(p.ctx, `INSERT INTO temp.plan_extras VALUES (?, ?, ?, ?, ?)`); err != nil {
		return err
	}
	p.present, err = newPresentations(p.ctx, p.tx, p.cr.ID)
	return err
}

func (p *sddPlanner) close() {
	if p.walk != nil {
		p.walk.rows.Close()
	}
	for _, s := range []*sql.Stmt{p.customer, p.extra} {
		if s != nil {
			s.Close()
		}
	}
	if p.refuse != nil {
		p.refuse.close()
	}
	if p.present != nil {
		p.present.close()
	}
}

// enter makes mandate id (0: none) the current one.
func (p *sddPlanner) enter(id int64) error {
	p.current, p.m, p.mandateOf, p.run, p.checked = id, nil, -1, remit.MandateRun{}, p.checked[:0]
	if id == 0 {
		return nil
	}
	ok, err := p.walk.seek(id)
	if ok {
		p.m, p.mandateOf = &p.walk.m, p.walk.customer
	}
	return err
}

// debtor is the customer a receivable debits.
func (p *sddPlanner) debtor(r sddRow) (*sddDebtor, error) {
	if r.customer == p.mandateOf {
		return &p.walk.d, nil
	}
	if r.customer != p.otherID {
		if err := p.customer.QueryRowContext(p.ctx, r.customer).Scan(p.other.dest()...); err != nil {
			return nil, fmt.Errorf("receivable %s: customer %d: %w", r.document, r.customer, err)
		}
		p.otherID = r.customer
	}
	return &p.other, nil
}

// take decides on one receivable: refused (recorded, listed) or accepted
// (spilled into its block).
func (p *sddPlanner) take(r sddRow) error {
	if r.mandate != p.current {
		if err := p.enter(r.mandate); err != nil {
			return err
		}
	}
	d, err := p.debtor(r)
	if err != nil {
		return err
	}
	scheme := "CORE" // without a mandate: refused, and listed by a CORE run
	if p.m != nil {
		scheme = p.m.Scheme
	}
	if p.o.Scheme != "" && scheme != p.o.Scheme {
		return nil // another scheme's run collects it
	}
	c := remit.DebitCase{Document: r.document, Currency: r.currency, Amount: r.amount, Due: r.due, Mandate: p.m, IBAN: d.iban}
	bic := d.bic
	if p.m != nil && p.m.IBAN != "" {
		c.IBAN, bic = p.m.IBAN, p.m.BIC
	}
	dec := p.run.Decide(c, p.policy)
	if dec.Expired && p.run.NoteExpired() {
		p.expired = append(p.expired, r.mandate)
	}
	e2e, err := p.present.e2e(r.id, r.document)
	if err != nil {
		return err
	}
	natRef, natMoved := "", false
	if p.o.CFONB {
		natRef, natMoved = zoneReference(r.document, nationalReferenceLen, true)
		if first, ok := p.national.refs[natRef]; ok {
			dec.Reasons.Add(remit.ReasonSameReference, remit.TodoLater, "its reference reads %q in the 12-character référence zone of the national "+
				"direct-debit file, as %s's in the same run: the bank could not tell the debits apart; it goes in the next remittance "+
				"(run remit sdd again)", natRef, first)
		}
	}
	if p.m != nil {
		dec.Reasons = append(dec.Reasons, p.epcReasons(dec, d, r.customer, c.IBAN, bic)...)
	}
	if len(dec.Reasons) > 0 {
		rf := remit.Refusal{Document: r.document, Customer: d.account, Name: d.name, Amount: remit.FormatAmount(r.amount), Currency: r.currency}
		if err := p.refuse.record(p.ctx, r.id, r.prevRefusal, r.refusedAt, &rf, dec.Reasons); err != nil {
			return err
		}
		p.refusals = append(p.refusals, refusalAt{due: r.due, id: r.id, Refusal: rf})
		return nil
	}
	if p.o.CFONB {
		p.national.accept(natRef, r.document, natMoved)
	}
	if p.run.Accept(dec, c, p.rcurOnly) {
		p.plan.firstAsRCUR++
	}
	key := blockKey{scheme, dec.Sequence, dec.Collection}
	g, ok := p.groups[key]
	if !ok {
		g = len(p.plan.blocks)
		p.groups[key] = g
		p.plan.blocks = append(p.plan.blocks, blockAgg{key: key})
	}
	p.plan.blocks[g].count++
	p.plan.blocks[g].total += r.amount
	if err := p.plan.items.add(plannedItem{id: r.id, amount: r.amount, grp: int32(g),
		debtor: p.plan.snaps.next(debtorKey{r.customer, r.mandate})}); err != nil {
		return err
	}
	if a := dec.Amendment; e2e != r.document || a.Any() {
		if _, err := p.extra.ExecContext(p.ctx, r.id, e2e, a.Account, a.RUM, a.ICS); err != nil {
			return err
		}
	}
	if r.prevRefusal != "" {
		p.stale = append(p.stale, r.id)
	}
	return nil
}

// epcReasons are the EPC rules the debtor, its account and its mandate
// break, checked once per case of the current mandate.
func (p *sddPlanner) epcReasons(dec remit.DebitDecision, d *sddDebtor, customer int64, iban, bic string) remit.Reasons {
	a := dec.Amendment
	key := ruling{seq: dec.Sequence, amend: a.Account + "|" + a.RUM + "|" + a.ICS, strict: dec.Collection >= strictAddressDate, debtor: customer}
	i := slices.IndexFunc(p.checked, func(r ruling) bool { return r.same(key) })
	if i < 0 {
		pi := p.piTemplate
		pi.Scheme, pi.SeqType, pi.CollectionDate = p.m.Scheme, dec.Sequence, remit.StoredDate(dec.Collection)
		t := pain008.Transaction{EndToEndID: "CHECK", Amount: 1, MandateID: p.m.RUM, MandateSigned: remit.StoredDate(p.m.Signed),
			DebtorBIC: bic, DebtorIBAN: iban, Debtor: sepa.Party{Name: d.name, Address: sepaAddress(d.addr)}}
		if a.Any() {
			t.Amendment = &pain008.Amendment{NewDebtorAccount: a.Account == "SMNDA", OriginalMandateID: a.RUM, OriginalCreditorSchemeID: a.ICS}
		}
		for _, e := range pain008.CheckTransaction(t, pi, p.hdr) {
			// The debtor's or the mandate's data.
			key.reasons = append(key.reasons, remit.Reason{Code: remit.ReasonEPC, Todo: remit.TodoCorrect, Text: ruleReason(e)})
		}
		p.checked = append(p.checked, key)
		i = len(p.checked) - 1
	}
	return p.checked[i].reasons
}

// nationalRefs are the references of a run's national direct-debit file
// (--cfonb): each accepted debit's, and how many carry the end of a document
// too long for the zone.
type nationalRefs struct {
	refs    map[string]string // reference → the first document with it
	cut     int
	example string
}

func (n *nationalRefs) accept(ref, document string, moved bool) {
	n.refs[ref] = document
	if moved {
		if n.cut == 0 {
			n.example = document + " → " + ref
		}
		n.cut++
	}
}

// note says, once, that documents were carried by their last characters.
func (n *nationalRefs) note(res *remit.RunResult) {
	if n.cut == 0 {
		return
	}
	what := "1 debit carries the last 12 characters of its document"
	if n.cut > 1 {
		what = fmt.Sprintf("%d debits carry the last 12 characters of their documents", n.cut)
	}
	res.Notes = append(res.Notes, fmt.Sprintf("%s in the référence zone of the national direct-debit file (%s); "+
		"each reads differently from the others of the run", what, n.example))
}

// refusalAt is a refusal with what orders the list.
type refusalAt struct {
	due string
	id  int64
	remit.Refusal
}

// ruling is the outcome of the EPC checks for one case of the current
// mandate: its sequence type, its amendment, the address rule in force
// and the debtor named.
type ruling struct {
	seq, amend string
	strict     bool
	debtor     int64 // the customer
	reasons    remit.Reasons
}

func (r ruling) same(o ruling) bool {
	return r.seq == o.seq && r.amend == o.amend && r.strict == o.strict && r.debtor == o.debtor
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

// endToEndID derives the EndToEndId from the document number, the same on
// every run: the document itself when it is a valid EPC identifier, else its
// EPC transliteration with a short hash that keeps it unique.
func endToEndID(document string) string {
	ok := len(document) <= 35 && document != "" && document[0] != '/' && document[len(document)-1] != '/' &&
		!strings.Contains(document, "//")
	for i := 0; ok && i < len(document); i++ {
		ok = ident.IsEPCBasic(document[i]) && document[i] != ' '
	}
	if ok {
		return document
	}
	return hashedEndToEndID(document)
}

// presentationSuffix ends the EndToEndId of a receivable presented again,
// "/P2" for its second presentation.
const presentationSuffix = "/P"

// representedID matches the EndToEndIds presentationE2E makes after the first.
var representedID = regexp.MustCompile(`/P[0-9]+$`)

// presentations gives each presentation of a receivable its own EndToEndId,
// stable across regenerations (it is stored with the item) and found by the
// returns: the document's own for the first (endToEndID), "document/Pn" for
// the n-th after a reject or a return. An id that another receivable's
// document already is, or that an earlier presentation already took, is
// hashed instead, so that no two collections share one.
type presentations struct {
	ctx     context.Context
	tx      *sql.Tx
	cr      int64
	earlier map[int64]int // pointed receivable → its rejected or returned presentations
	doc     *sql.Stmt     // is there a receivable with this document?
	taken   *sql.Stmt     // has a presentation after the first this EndToEndId?
}

func newPresentations(ctx context.Context, tx *sql.Tx, creditorID int64) (*presentations, error) {
	p := &presentations{ctx: ctx, tx: tx, cr: creditorID, earlier: map[int64]int{}}
	// Every rejected or returned item has its return: few rows, whatever the
	// number of receivables.
	rows, err := tx.QueryContext(ctx, `SELECT i.receivable_id, count(*) FROM returns rt
		JOIN remittance_items i ON i.id = rt.item_id JOIN receivables r ON r.id = i.receivable_id
		WHERE rt.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd' GROUP BY i.receivable_id`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		p.earlier[id] = n
	}
	return p, rows.Err()
}

func (p *presentations) close() {
	for _, s := range []*sql.Stmt{p.doc, p.taken} {
		if s != nil {
			s.Close()
		}
	}
}

// exists runs a count query, prepared once.
func (p *presentations) exists(stmt **sql.Stmt, query string, args ...any) (bool, error) {
	if *stmt == nil {
		var err error
		if *stmt, err = p.tx.PrepareContext(p.ctx, query); err != nil {
			return false, err
		}
	}
	var n int
	err := (*stmt).QueryRowContext(p.ctx, args...).Scan(&n)
	return n > 0, err
}

// e2e is the EndToEndId of receivable id's next presentation.
func (p *presentations) e2e(id int64, document string) (string, error) {
	n := p.earlier[id] + 1
	if n == 1 {
		e2e := endToEndID(document)
		if e2e == document && representedID.MatchString(document) {
			taken, err := p.exists(&p.taken, `SELECT count(*) FROM remittance_items WHERE end_to_end_id = ? AND end_to_end_id != document`, e2e)
			if err != nil || taken {
				return hashedEndToEndID(document), err
			}
		}
		return e2e, nil
	}
	next := document + presentationSuffix + strconv.Itoa(n)
	e2e := endToEndID(next)
	if e2e == next {
		other, err := p.exists(&p.doc, `SELECT count(*) FROM receivables WHERE creditor_id = ? AND document = ?`, p.cr, e2e)
		if err != nil || other {
			return hashedEndToEndID(next), err
		}
	}
	return e2e, nil
}

// hashedEndToEndID is the EPC transliteration of s with a short hash of s
// that keeps it unique, at most 35 characters.
func hashedEndToEndID(document string) string {
	clean := strings.Trim(strings.ReplaceAll(strings.ReplaceAll(sepa.Text(document, 200), " ", "-"), "//", "/"), "/-")
	sum := sha256.Sum256([]byte(document))
	h := hex.EncodeToString(sum[:4])
	if len(clean) > 26 {
		clean = clean[:26]
	}
	return strings.TrimRight(clean, "/") + "-" + h
}

func remittanceInfo(document, label string) string {
	if label == "" {
		return document
	}
	return document + " " + label
}

func creditorParty(cr remit.Creditor) sepa.Party {
	return sepa.Party{Name: cr.Name, Address: sepaAddress(cr.Address)}
}

func sepaAddress(a remit.Address) sepa.Address {
	return sepa.Address{StreetName: a.Street, BuildingNumber: a.Building, PostCode: a.Postcode, TownName: a.Town, Country: a.Country}
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// fileSegment is a run of one block's items (ranks lo..hi, 1-based, in
// receivable order: receivables first..last) that goes into one file.
type fileSegment struct {
	grp         int
	key         blockKey
	lo, hi      int
	first, last int64
	count       int
	total       int64
}

type plannedFile struct {
	scheme   string
	segments []fileSegment
}

func (f plannedFile) totals() (int, int64) {
	n, t := 0, int64(0)
	for _, s := range f.segments {
		n += s.count
		t += s.total
	}
	return n, t
}

func seqOrder(seq string) int {
	switch seq {
	case "FRST":
		return 0
	case "RCUR":
		return 1
	case "OOFF":
		return 2
	}
	return 3
}

// planFiles groups the blocks into files: CORE and B2B never share one.
func planFiles(blocks []blockAgg, o remit.SDDOptions) []plannedFile {
	idx := make([]int, len(blocks))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := blocks[idx[a]].key, blocks[idx[b]].key
		if x.scheme != y.scheme {
			return x.scheme < y.scheme
		}
		if o.Split == remit.SplitSequence && seqOrder(x.seq) != seqOrder(y.seq) {
			return seqOrder(x.seq) < seqOrder(y.seq)
		}
		if x.date != y.date {
			return x.date < y.date
		}
		return seqOrder(x.seq) < seqOrder(y.seq)
	})
	var files []plannedFile
	fileKey := func(k blockKey) string {
		switch o.Split {
		case remit.SplitSequence:
			return k.scheme + "/" + k.seq
		case remit.SplitPmtInf:
			return k.scheme + "/" + k.seq + "/" + k.date
		}
		return k.scheme
	}
	last := ""
	for _, i := range idx {
		b := blocks[i]
		seg := fileSegment{grp: i, key: b.key, lo: 1, hi: b.count, first: math.MinInt64, last: math.MaxInt64, count: b.count, total: b.total}
		if k := fileKey(b.key); k != last || len(files) == 0 {
			files = append(files, plannedFile{scheme: b.key.scheme})
			last = k
		}
		f := &files[len(files)-1]
		f.segments = append(f.segments, seg)
	}
	return files
}

// splitFiles cuts files at --max-tx transactions and --max-amount euros,
// walking the planned items in file order.
func splitFiles(plan *sddPlan, files []plannedFile, o remit.SDDOptions) ([]plannedFile, error) {
	var out []plannedFile
	for _, f := range files {
		cur := plannedFile{scheme: f.scheme}
		n, total := 0, int64(0)
		for _, seg := range f.segments {
			part := fileSegment{grp: seg.grp, key: seg.key, lo: 1, first: seg.first}
			rank, prev := 0, int64(0)
			err := plan.each(seg, func(it plannedItem) error {
				rank++
				if o.MaxAmount > 0 && it.amount > o.MaxAmount { // refused by planSDD
					return fmt.Errorf("a receivable of %s EUR is larger than --max-amount %s EUR: it cannot go in any file",
						remit.FormatAmountFR(it.amount), remit.FormatAmountFR(o.MaxAmount))
				}
				if n > 0 && ((o.MaxTx > 0 && n+1 > o.MaxTx) || (o.MaxAmount > 0 && total+it.amount > o.MaxAmount)) {
					if part.count > 0 {
						part.hi, part.last = rank-1, prev
						cur.segments = append(cur.segments, part)
					}
					out = append(out, cur)
					cur = plannedFile{scheme: f.scheme}
					part = fileSegment{grp: seg.grp, key: seg.key, lo: rank, first: it.id}
					n, total = 0, 0
				}
				part.count++
				part.total += it.amount
				n++
				total += it.amount
				prev = it.id
				return nil
			})
			if err != nil {
				return nil, err
			}
			if part.count > 0 {
				part.hi, part.last = seg.hi, seg.last
				cur.segments = append(cur.segments, part)
			}
		}
		if len(cur.segments) > 0 {
			out = append(out, cur)
		}
	}
	return out, nil
}

func dryRemittances(files []plannedFile, cr remit.Creditor) []remit.Remittance {
	out := make([]remit.Remittance, 0, len(files))
	for _, f := range files {
		n, t := f.totals()
		r := remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: "sdd", Scheme: f.scheme, Status: "planned",
			Count: n, Total: t, TotalText: remit.FormatAmount(t), Files: []remit.FileInfo{}}
		for i, s := range f.segments {
			r.Blocks = append(r.Blocks, remit.Block{Number: i + 1, SequenceType: s.key.seq, CollectionDate: remit.StoredDate(s.key.date),
				Date: s.key.date, Count: s.count, Total: s.total, TotalText: remit.FormatAmount(s.total)})
		}
		out = append(out, r)
	}
	return out
}

// createSDD records the planned remittances and writes their files, inside
// the caller's transaction: the files are renamed into place before the
// commit, so a crash leaves either no remittance or a complete one.
func (s *Store) createSDD(ctx context.Context, tx *sql.Tx, cr remit.Creditor, o remit.SDDOptions, now time.Time, rcurOnly bool,
	plan *sddPlan, files []plannedFile, res *remit.RunResult) error {
	if err := plan.snaps.write(ctx, tx); err != nil {
		return err
	}
	stage, err := newItemStage(ctx, tx)
	if err != nil {
		return err
	}
	defer stage.close()
	prog := remit.StartProgress(ctx, remit.StageRecord)
	for _, f := range files {
		n, total := f.totals()
		params := remit.Params{Creditor: cr, Pain: string(o.Version), BatchBooking: o.BatchBooking, RCUROnly: rcurOnly, CFONB: o.CFONB,
			RefTail: o.CFONB}
		pj, _ := json.Marshal(params)
		r, err := tx.ExecContext(ctx, `INSERT INTO remittances (creditor_id, kind, scheme, status, created_at, item_count, total, params, run_id)
			VALUES (?, 'sdd', ?, 'created', ?, ?, ?, ?, ?)`, cr.ID, f.scheme, now.Format(remit.TimestampLayout), n, total, string(pj), o.RunID)
		if err != nil {
			return err
		}
		id, _ := r.LastInsertId()
		msgID := messageID(cr.Code, id, now)
		if _, err := tx.ExecContext(ctx, `UPDATE remittances SET msg_id = ? WHERE id = ?`, msgID, id); err != nil {
			return err
		}
		for _, seg := range f.segments {
			n, pos := stage.block(seg.key.date, seg.key.seq), seg.lo
			err := plan.each(seg, func(it plannedItem) error {
				pos++
				prog.Add()
				return stage.add(it, plan.snaps.base, n, pos-1)
			})
			if err != nil {
				return err
			}
		}
		if err := stage.record(ctx, id, sddItemsInsert); err != nil {
			return err
		}
		// Announced amendments of the RUM or ICS are not repeated.
		if _, err := tx.ExecContext(ctx, `UPDATE mandates SET original_rum = '', original_ics = ''
			WHERE id IN (SELECT mandate_id FROM remittance_items WHERE remittance_id = ? AND (amend_rum != '' OR amend_ics != ''))`, id); err != nil {
			return err
		}
		rem, err := loadRemittance(ctx, tx, cr.ID, id)
		if err != nil {
			return err
		}
		if rem.Count != n || rem.Total != total {
			return fmt.Errorf("remittance %s: planned %d items for %s, recorded %d for %s", rem.Ref, n, remit.FormatAmount(total), rem.Count, remit.FormatAmount(rem.Total))
		}
		// Entries first: a failing hook must leave no file behind.
		if err := s.afterRemittance(ctx, tx, rem); err != nil {
			return err
		}
		written, err := writeRemittanceFiles(ctx, tx, rem, o.OutDir, o.NameTemplate)
		if err != nil {
			return err
		}
		crash.Point("after-file")
		rem.Files = written
		if !o.NoBordereau {
			f, err := writeRemittanceBordereau(ctx, tx, rem, o.OutDir)
			if err != nil {
				return err
			}
			rem.Files = append(rem.Files, f)
		}
		res.Remittances = append(res.Remittances, rem)
	}
	crash.Point("before-commit")
	return nil
}

// planExtrasTable holds the few items whose EndToEndId is not their
// document, or that announce a change: sddItemsInsert reads it.
const planExtrasTable = `CREATE TEMP TABLE plan_extras (receivable_id INTEGER PRIMARY KEY, e2e TEXT NOT NULL,
	amend_iban TEXT NOT NULL, amend_rum TEXT NOT NULL, amend_ics TEXT NOT NULL)`

// sddItemsInsert writes a direct-debit remittance's staged items, with the
// EndToEndIds and amendments planSDD noted in temp.plan_extras (argument:
// the remittance).
const sddItemsInsert = `INSERT INTO remittance_items (remittance_id, block, collection_date, sequence_type, receivable_id,
		position, debtor_id, amount, due_date, end_to_end_id, document, label, issue_date, acceptance, mandate_id, journal,
		amend_iban, amend_rum, amend_ics)
	SELECT ?, s.block, b.coll, b.seq, r.id, s.position, s.debtor_id, r.amount, r.due_date, COALESCE(x.e2e, r.document), r.document,
		r.label, r.issue_date, r.acceptance, r.mandate_id, r.journal,
		COALESCE(x.amend_iban, ''), COALESCE(x.amend_rum, ''), COALESCE(x.amend_ics, '')
	FROM temp.item_stage s CROSS JOIN receivables r ON r.id = s.receivable_id
		CROSS JOIN temp.stage_blocks b ON b.block = s.block
		LEFT JOIN temp.plan_extras x ON x.receivable_id = s.receivable_id
	ORDER BY s.block, s.position`

// messageID is the MsgId: creditor code, reference and creation time, at most 35 characters.
func messageID(code string, id int64, now time.Time) string {
	code = strings.ReplaceAll(code, "_", "-")
	suffix := "-" + remit.Ref(id) + "-" + now.Format("20060102150405")
	if len(code)+len(suffix) > 35 {
		code = code[:35-len(suffix)]
	}
	return code + suffix
}
