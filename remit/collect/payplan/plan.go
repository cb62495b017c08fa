// Package payplan is what the kinds of supplier payment (remit/collect/sct,
// transfers; remit/collect/chq, cheques) plan alike: the pointed payables of
// their method read family by family (a supplier, or a parent account with
// its suppliers), formed into payments (the groups pointing or remit
// payables group made; the automatic rules for what an import or a refund
// pointed), each dated and its discounts taken at that date, assigned to a
// bank (payables.Assigner: the payables' bank, else the default, moved to
// the substitute when the limit would be crossed), checked by the kind, and
// staged for its bank's remittance. A payment that cannot be made leaves its
// payables pointed, each with the reason and what to do. Memory holds one
// family at a time.
package payplan

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// Treasury is where a payment run finds the company's banks and their
// projected balances (the treasury forecast).
type Treasury interface {
	Banks(ctx context.Context, cr remit.Creditor) ([]remit.Bank, error)
	// Balance is a bank's projected balance at the end of day, in cents,
	// before the payments the run assigns.
	Balance(bank string, day time.Time) int64
}

// NoLimit is the disbursement limit of a bank that has none.
const NoLimit = math.MinInt64 / 4

// CreditorBank is the Treasury of a company whose banks remit does not
// know: its own account (remit creditor set --iban) is its only bank, the
// default, under the journal Code and ledger account Account, with no
// disbursement limit.
type CreditorBank struct {
	Code    string // the treasury journal, BQ by default
	Account string // the general ledger account, 512000 by default
}

// Banks is the creditor's account, as a bank.
func (c CreditorBank) Banks(_ context.Context, cr remit.Creditor) ([]remit.Bank, error) {
	code, account := c.Code, c.Account
	if code == "" {
		code = "BQ"
	}
	if account == "" {
		account = "512000"
	}
	if cr.IBAN == "" {
		return nil, nil
	}
	return []remit.Bank{{Code: code, Name: cr.BankName, IBAN: cr.IBAN, BIC: cr.BIC, Account: account, Limit: NoLimit, Default: true}}, nil
}

// Balance is unknown: with no limit, it decides nothing.
func (CreditorBank) Balance(string, time.Time) int64 { return 0 }

// storeBanks is the Treasury of the store's banks (remit bank add): a
// bank's balance is its validated balance (solde validé); a bank without
// one has no limit the run could judge, so none is applied to it.
type storeBanks struct {
	tx      store.RunTx
	balance map[string]int64
}

func (s *storeBanks) Banks(ctx context.Context, cr remit.Creditor) ([]remit.Bank, error) {
	banks, err := s.tx.Banks(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	s.balance = map[string]int64{}
	for i := range banks {
		b := &banks[i]
		if b.BalanceDate.IsZero() {
			b.Limit = NoLimit
		}
		s.balance[b.Code] = b.Balance
	}
	return banks, nil
}

func (s *storeBanks) Balance(bank string, _ time.Time) int64 { return s.balance[bank] }

// ErrOption marks what a run refuses before it pays anything because of
// its options (a usage error): errors.Is finds it in an Optionf error.
var ErrOption = errors.New("option")

// Optionf is an error of the options: its text is the message alone.
func Optionf(format string, args ...any) error { return optionError{fmt.Errorf(format, args...)} }

type optionError struct{ err error }

func (e optionError) Error() string        { return e.err.Error() }
func (e optionError) Unwrap() error        { return e.err }
func (e optionError) Is(target error) bool { return target == ErrOption }

// Policy is what a kind of supplier payment decides for itself.
type Policy struct {
	Kind      remit.Kind
	Method    payables.Method
	Dates     payables.DateOptions // Now is the run's clock
	Discounts bool                 // take the early-payment discounts due by the payment's date
	Bank      string               // every payment from this bank, whatever its limit ("" none)
	Treasury  Treasury             // the banks and their balances; nil: the store's banks, each at its validated balance
	Common    collect.Common
	// Check returns the rules payment g, paid from bank with reference ref
	// and remittance information info, breaks; nil: none.
	Check func(bank remit.Bank, g payables.Group, ref, info string) remit.Reasons
	// Params are the parameters recorded with the remittance of bank, of
	// count payments; tx is nil for a dry run's.
	Params func(ctx context.Context, tx store.PaymentRunTx, bank remit.Bank, count int) (any, error)
	// Recorded is called after a bank's remittance is recorded (its
	// payments in file order); may be nil.
	Recorded func(ctx context.Context, tx store.PaymentRunTx, remittanceID int64, bank remit.Bank, count int) error
}

// PaymentRef is a payment's reference, its EndToEndId: its number.
func PaymentRef(id int64) string { return fmt.Sprintf("P-%06d", id) }

// Plan reads the creditor's pointed payables of the policy's method and
// plans their payments, recording the refusals in res.
func Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result, po Policy) (collect.Plan, error) {
	ptx, ok := tx.(store.PaymentRunTx)
	if !ok {
		return nil, errors.New("this database keeps no payables: supplier payments need remit's SQLite or PostgreSQL store")
	}
	treasury := po.Treasury
	if treasury == nil {
		treasury = &storeBanks{tx: tx}
	}
	banks, err := treasury.Banks(ctx, cr)
	if err != nil {
		return nil, err
	}
	if len(banks) == 0 {
		return nil, Optionf("creditor %s has no bank to pay from (remit creditor set --iban)", cr.Code)
	}
	as, err := payables.NewAssigner(payables.BankOptions{Banks: banks, Balance: treasury.Balance, Override: po.Bank})
	if err != nil {
		return nil, Optionf("%w", err)
	}
	rules, err := ptx.GroupingRules(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	next, err := ptx.NextPaymentID(ctx)
	if err != nil {
		return nil, err
	}
	po.Dates.Now = now
	p := &planner{ctx: ctx, tx: ptx, cr: cr, po: po, rules: rules, as: as, banks: banks, next: next,
		refusedAt: now.Format(remit.TimestampLayout), plan: &plan{po: po, cr: cr, now: now}}
	if err := p.read(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(p.refusals, func(a, b refusalAt) int {
		return cmp.Or(cmp.Compare(a.due, b.due), cmp.Compare(a.Document, b.Document))
	})
	for _, r := range p.refusals {
		res.Refused = append(res.Refused, r.Refusal)
	}
	if !po.Common.DryRun {
		if err := ptx.ClearPayableRefusals(ctx, p.stale); err != nil {
			return nil, err
		}
	}
	res.Notes = append(res.Notes, p.notes...)
	return p.plan, nil
}

// planner is Plan's state.
type planner struct {
	ctx       context.Context
	tx        store.PaymentRunTx
	cr        remit.Creditor
	po        Policy
	rules     payables.Rules
	as        *payables.Assigner
	banks     []remit.Bank
	next      int64 // the next payment's id
	refusedAt string

	plan     *plan
	refusals []refusalAt
	stale    []int64 // paid payables that still show an earlier run's refusal
	notes    []string
}

type refusalAt struct {
	due string
	remit.Refusal
}

// read plans every family of pointed transfers.
func (p *planner) read() error {
	rows, err := p.tx.PointedPayables(p.ctx, p.cr.ID, p.po.Method)
	if err != nil {
		return err
	}
	defer rows.Close()
	prog := remit.StartProgress(p.ctx, remit.StageCheck)
	defer prog.Done()
	var family []store.PayableRow
	key := ""
	for rows.Next() {
		prog.Add()
		r := *rows.Row()
		if k := store.Family(r.Payable); k != key && len(family) > 0 {
			if err := p.family(family); err != nil {
				return err
			}
			family = family[:0]
		}
		key = store.Family(r.Payable)
		family = append(family, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(family) > 0 {
		return p.family(family)
	}
	return nil
}

// family forms and plans the payments of one family's pointed payables.
func (p *planner) family(rows []store.PayableRow) error {
	ids := map[string]store.PayableRow{}
	groups := map[int64][]payables.Payable{}
	var groupOrder []int64
	var loose, singles []payables.Payable
	for _, r := range rows {
		if why, ok := payables.Payability(r.Payable, p.cr.ApprovalRequired); ok {
			if err := p.refuse([]store.PayableRow{r}, reasonOf(why, remit.TodoCorrect)); err != nil {
				return err
			}
			continue
		}
		ids[r.Document] = r
		pp := r.Payable
		pp.Status = payables.StatusOpen // as the domain prepares it
		switch {
		case r.Group != 0:
			if groups[r.Group] == nil {
				groupOrder = append(groupOrder, r.Group)
			}
			groups[r.Group] = append(groups[r.Group], pp)
		case r.Prepared:
			singles = append(singles, pp)
		default:
			loose = append(loose, pp)
		}
	}
	lookup := familyLookup(rows)
	var formed []payables.Group
	for _, gid := range groupOrder {
		g, err := payables.NewGroup(groups[gid], ids[groups[gid][0].Document].Manual, lookup)
		if err != nil {
			if err := p.refuse(rowsOf(groups[gid], ids), remit.Reasons{{Code: remit.ReasonEPC, Todo: remit.TodoCorrect, Text: err.Error()}}); err != nil {
				return err
			}
			continue
		}
		formed = append(formed, g)
	}
	for _, s := range singles {
		g, _ := payables.NewGroup([]payables.Payable{s}, false, lookup)
		formed = append(formed, g)
	}
	auto, problems := payables.AutoGroup(loose, p.rules, lookup)
	for _, e := range problems {
		p.notes = append(p.notes, e.Error()+": paid one by one")
	}
	formed = append(formed, auto...)
	for _, g := range formed {
		if err := p.payment(g, rowsOf(g.Members, ids)); err != nil {
			return err
		}
	}
	return nil
}

func rowsOf(ps []payables.Payable, ids map[string]store.PayableRow) []store.PayableRow {
	out := make([]store.PayableRow, len(ps))
	for i, m := range ps {
		out[i] = ids[m.Document]
	}
	return out
}

// familyLookup names a parent account from its own payables in the family.
func familyLookup(rows []store.PayableRow) payables.PayeeLookup {
	return func(account string) (string, remit.Address, bool) {
		for _, r := range rows {
			if r.Supplier == account {
				return r.Name, r.Address, true
			}
		}
		return "", remit.Address{}, false
	}
}

// payment settles g at its execution date, chooses its bank, checks it and
// stages it, or refuses its payables.
func (p *planner) payment(g payables.Group, rows []store.PayableRow) error {
	date, _, err := payables.PaymentDate(g, p.po.Dates, p.po.Discounts)
	if err != nil {
		return Optionf("%w", err)
	}
	payables.Settle(&g, date, "", p.po.Discounts)
	if why, ok := payables.Unpaid(g); ok {
		return p.refuse(rows, reasonOf(why, remit.TodoLater))
	}
	a := p.as.Assign(g)
	if a.Bank == "" {
		return p.refuse(rows, reasonOf(a.Reason, remit.TodoLater))
	}
	bank := p.bank(a.Bank)
	ref := PaymentRef(p.next)
	info := payables.RemittanceInfo(g, ref)
	if p.po.Check != nil {
		if why := p.po.Check(bank, g, ref, info); len(why) > 0 {
			return p.refuse(rows, why)
		}
	}
	if a.Note != "" {
		p.notes = append(p.notes, fmt.Sprintf("%s (%s, %s): %s", ref, g.Payee, strings.Join(g.Documents(), " "), a.Note))
	}
	pos := p.plan.add(bank, remit.FormatDate(g.Date), g.Net)
	sp := store.StagedPayment{ID: p.next, CreditorID: p.cr.ID, Group: g, Bank: bank.Code, BankNote: a.Note, Position: pos,
		EndToEndID: ref, RemittanceInfo: info}
	p.next++
	for _, r := range rows {
		sp.Payables = append(sp.Payables, r.ID)
		if r.Refusal != "" {
			p.stale = append(p.stale, r.ID)
		}
	}
	if p.po.Common.DryRun {
		return nil
	}
	return p.tx.StagePayment(p.ctx, sp)
}

// bank is the bank of that code.
func (p *planner) bank(code string) remit.Bank {
	for _, b := range p.banks {
		if strings.EqualFold(b.Code, code) {
			return b
		}
	}
	return remit.Bank{Code: code}
}

// refuse leaves the payables of a payment pointed, each with the reasons.
func (p *planner) refuse(rows []store.PayableRow, why remit.Reasons) error {
	texts, todo := why.Texts(), why.Todo()
	text := strings.Join(texts, "; ")
	for _, r := range rows {
		since := p.refusedAt
		if r.Refusal == text && r.RefusedAt != "" {
			since = strings.Replace(r.RefusedAt, " ", "T", 1)
		}
		rf := remit.Refusal{Document: r.Document, Customer: r.Supplier, Name: r.Name, Amount: remit.FormatAmount(r.Amount),
			Currency: r.Currency, Reasons: texts, Todo: todo, Advice: advice(todo, r.Document), New: since == p.refusedAt,
			Since: strings.Replace(since, "T", " ", 1)}
		p.refusals = append(p.refusals, refusalAt{due: remit.FormatDate(r.Due), Refusal: rf})
		if p.po.Common.DryRun {
			continue
		}
		if err := p.tx.RefusePayable(p.ctx, r.ID, text, since, todo); err != nil {
			return err
		}
	}
	return nil
}

// advice says what to do about a payable a run refused.
func advice(t remit.Todo, document string) string {
	unpoint := "remit payables unpoint --document " + quote(document)
	switch t {
	case remit.TodoCorrect:
		return "correct it (in the ERP's export, or the supplier's details) and import it again: the next run takes it; or leave it out: " + unpoint
	case remit.TodoUnpoint:
		return "it cannot be paid this way: " + unpoint + ", and pay it otherwise"
	case remit.TodoLater:
		return "nothing to do: it stays pointed and a later run takes it"
	}
	return ""
}

func quote(s string) string {
	if strings.ContainsAny(s, " '\"$`\\;&|<>()*?![]{}~#") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// reasonOf turns the domain's reason into a refusal reason.
func reasonOf(r payables.Reason, todo remit.Todo) remit.Reasons {
	switch r.Code {
	case payables.CodeContested, payables.CodeNotApproved:
		todo = remit.TodoLater
	case payables.CodeCurrency, payables.CodeNoMethod:
		todo = remit.TodoUnpoint
	}
	text := r.Text
	if r.Hint != "" {
		text += " (" + r.Hint + ")"
	}
	return remit.Reasons{{Code: remit.ReasonCode(r.Code), Todo: todo, Text: text}}
}

// plan is what a payment run decided: per bank, the blocks of its
// payments, staged in the store.
type plan struct {
	po    Policy
	cr    remit.Creditor
	now   time.Time
	banks []*bankPlan
}

type bankPlan struct {
	bank   remit.Bank
	blocks map[string]*blockAgg // by execution date
	count  int
	total  int64
}

type blockAgg struct {
	count int
	total int64
}

// add counts a payment of bank on date and returns its position in its block.
func (pl *plan) add(bank remit.Bank, date string, amount int64) int {
	var bp *bankPlan
	for _, b := range pl.banks {
		if b.bank.Code == bank.Code {
			bp = b
		}
	}
	if bp == nil {
		bp = &bankPlan{bank: bank, blocks: map[string]*blockAgg{}}
		pl.banks = append(pl.banks, bp)
		slices.SortFunc(pl.banks, func(a, b *bankPlan) int { return strings.Compare(a.bank.Code, b.bank.Code) })
	}
	blk := bp.blocks[date]
	if blk == nil {
		blk = &blockAgg{}
		bp.blocks[date] = blk
	}
	blk.count++
	blk.total += amount
	bp.count++
	bp.total += amount
	return blk.count
}

func (bp *bankPlan) dates() []string {
	out := make([]string, 0, len(bp.blocks))
	for d := range bp.blocks {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

func (pl *plan) Close()   {}
func (pl *plan) Len() int { return len(pl.banks) }

func (pl *plan) Notes() []string { return nil }

func (pl *plan) Dry(cr remit.Creditor) []remit.Remittance {
	out := make([]remit.Remittance, 0, len(pl.banks))
	for _, bp := range pl.banks {
		p, _ := pl.po.Params(context.Background(), nil, bp.bank, bp.count)
		params, _ := json.Marshal(p)
		r := remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: pl.po.Kind, Status: "planned", Count: bp.count, Total: bp.total,
			TotalText: remit.FormatAmount(bp.total), Files: []remit.FileInfo{}, Params: params}
		for i, d := range bp.dates() {
			b := bp.blocks[d]
			r.Blocks = append(r.Blocks, remit.Block{Number: i + 1, CollectionDate: remit.StoredDate(d), Date: d, Count: b.count,
				Total: b.total, TotalText: remit.FormatAmount(b.total)})
		}
		out = append(out, r)
	}
	return out
}

// Record records bank i's remittance: its row, its MsgId, and its staged
// payments, block by block.
func (pl *plan) Record(ctx context.Context, tx store.RunTx, i int, created func(id int64) error) (int64, int, int64, error) {
	ptx := tx.(store.PaymentRunTx)
	bp := pl.banks[i]
	p, err := pl.po.Params(ctx, ptx, bp.bank, bp.count)
	if err != nil {
		return 0, 0, 0, err
	}
	params, err := json.Marshal(p)
	if err != nil {
		return 0, 0, 0, err
	}
	id, err := tx.CreateRemittance(ctx, store.NewRemittance{CreditorID: pl.cr.ID, Kind: pl.po.Kind, CreatedAt: pl.now, Count: bp.count,
		Total: bp.total, Params: params, RunID: pl.po.Common.RunID, Bank: bp.bank.Code})
	if err != nil {
		return 0, 0, 0, err
	}
	if err := tx.SetMessageID(ctx, id, remit.MessageID(pl.cr.Code, id, pl.now)); err != nil {
		return 0, 0, 0, err
	}
	if err := created(id); err != nil {
		return 0, 0, 0, err
	}
	if err := ptx.RecordPayments(ctx, id, pl.cr.ID, bp.bank.Code, bp.dates()); err != nil {
		return 0, 0, 0, err
	}
	if pl.po.Recorded != nil {
		if err := pl.po.Recorded(ctx, ptx, id, bp.bank, bp.count); err != nil {
			return 0, 0, 0, err
		}
	}
	return id, bp.count, bp.total, nil
}
