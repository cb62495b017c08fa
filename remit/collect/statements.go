package collect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
	"github.com/remit-dev/remit/sepa/camt053"
)

// Statement import (constatation en banque, seed 003): each statement of
// a file is matched line by line by treasury.Reconcile to what remit sent
// the bank, and applied in a transaction of its own.

// Lookback is how long before a statement's period a remittance not yet
// credited is still a candidate for a credit: an LCR remise may reach the
// bank weeks before its bills fall due. A return names what it returns,
// whatever its age.
const Lookback = 120 * 24 * time.Hour

// Outcomes of a statement.
const (
	StatementImported = "imported" // recorded now
	StatementAlready  = "already"  // imported before: nothing changed
	StatementRefused  = "refused"  // not imported: Problems say why
)

// StatementFile is a statement file to import: CFONB 120, or camt.053
// (.001.02 or .001.08), told apart by their first bytes.
type StatementFile struct {
	Name string // for messages and the record
	Data []byte
}

// StatementResult is what importing one statement did (or, refused, why
// not).
type StatementResult struct {
	File    string
	Line    int    // of its record 01 or <Stmt>; 0 for a file refused whole
	Format  string // statement.CFONB120, Camt053V02 or Camt053V08; "" when the file is not one
	Bank    string
	Account string
	From    time.Time
	To      time.Time
	Opening int64
	Closing int64
	Status  string // StatementImported, StatementAlready or StatementRefused
	// Problems are why it was refused, each saying where; for
	// StatementAlready, the statement it is.
	Problems []string
	Warnings []string
	// BalanceSet: its closing balance became the bank's validated balance.
	BalanceSet bool
	Lines      []LineResult
}

// LineResult is a line of a statement and what it was matched to.
type LineResult struct {
	ID int64 // its number in remit (remit suspense allocate ID)
	treasury.Match
	Code  string
	Label string
}

// ImportStatements reads the statement files and imports each statement
// they hold: refused with the reasons when it cannot be read, is not of
// one of the creditor's banks, or its balances do not add up (then
// nothing of it is recorded); reported as already imported when it was;
// otherwise recorded with its lines in one transaction, each line applied
// (remittances credited, returns recorded as `remit returns` does,
// receivables paid, credits nothing explains booked to the suspense
// account) and the closing balance made the bank's validated balance.
func ImportStatements(ctx context.Context, st store.Store, kinds *Registry, cr remit.Creditor, files []StatementFile) ([]StatementResult, error) {
	var out []StatementResult
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		sha := hex.EncodeToString(sum[:])
		sts, errs, format := readStatements(f)
		for _, e := range errs {
			out = append(out, refused(f.Name, format, e))
		}
		for i := range sts {
			res, err := importStatement(ctx, st, kinds, cr, f.Name, sha, &sts[i])
			if err != nil {
				return out, fmt.Errorf("%s, statement at line %d: %w", f.Name, sts[i].Line, err)
			}
			out = append(out, res)
		}
	}
	return out, nil
}

// fileProblem is a statement, or a whole file, that cannot be read.
type fileProblem struct {
	line     int
	problems []error
}

func refused(file, format string, p fileProblem) StatementResult {
	r := StatementResult{File: file, Line: p.line, Format: format, Status: StatementRefused}
	for _, e := range p.problems {
		r.Problems = append(r.Problems, e.Error())
	}
	return r
}

// readStatements reads every statement of a file: those without problems,
// and the problems of the others (one entry per statement, or for the
// file).
func readStatements(f StatementFile) ([]statement.Statement, []fileProblem, string) {
	var next func() (*statement.Statement, error)
	var flatten func(error) []error
	version := func() string { return "" }
	format := statement.CFONB120
	if isXML(f.Data) {
		rd := camt053.NewReader(bytes.NewReader(f.Data))
		next, flatten = rd.Next, camt053.Flatten
		format = "camt.053"
		version = rd.Version
	} else {
		rd := cfonb120.NewReader(bytes.NewReader(f.Data))
		next, flatten = rd.Next, cfonb.Flatten
	}
	var sts []statement.Statement
	var probs []fileProblem
	for {
		s, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			p := fileProblem{problems: flatten(err)}
			if s != nil {
				p.line = s.Line
			}
			probs = append(probs, p)
			continue
		}
		sts = append(sts, *s)
	}
	if v := version(); v != "" {
		format = v
	}
	return sts, probs, format
}

// isXML reports whether a file starts, after blanks and a byte-order
// mark, with <: an XML message, not CFONB 120 records.
func isXML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// importStatement imports one statement read without problems.
func importStatement(ctx context.Context, st store.Store, kinds *Registry, cr remit.Creditor, file, sha string,
	s *statement.Statement) (StatementResult, error) {
	res := StatementResult{File: file, Line: s.Line, Format: s.Format, From: treasury.KeyOf(s).From, To: remit.Day(s.Closing.Date),
		Opening: s.Opening.Amount, Closing: s.Closing.Amount, Account: accountOf(s.Account)}
	err := st.Treasury(ctx, func(tx store.TreasuryTx) error {
		banks, err := tx.Banks(ctx, cr.ID)
		if err != nil {
			return err
		}
		bank, err := treasury.BankOf(banks, s.Account)
		if err != nil {
			return refusal{err}
		}
		res.Bank = bank.Code
		keys, err := tx.StatementKeys(ctx, cr.ID, bank.Code)
		if err != nil {
			return err
		}
		key := treasury.KeyOf(s)
		c, err := tx.Candidates(ctx, store.CandidateQuery{CreditorID: cr.ID, Bank: bank, Since: key.From.Add(-Lookback),
			From: key.From, To: key.Date, Names: treasury.Names(s), WindowKinds: kinds.windowKinds(),
			Lot: kinds.lotFunc(), Item: kinds.itemFunc()})
		if err != nil {
			return err
		}
		plan, err := treasury.Reconcile(s, bank, c, treasury.ReconcileOptions{Imported: keys})
		if err != nil {
			return refusal{err}
		}
		a := &applier{ctx: ctx, tx: tx, kinds: kinds, cr: cr, bank: bank, s: s, plan: plan, file: file, sha: sha, now: st.Now()}
		if err := a.apply(); err != nil {
			return err
		}
		res.Lines, res.BalanceSet, res.Warnings = a.lines, plan.UpdateBalance, plan.Warnings
		return nil
	})
	var ref refusal
	switch {
	case errors.Is(err, treasury.ErrImported):
		res.Status, res.Problems = StatementAlready, []string{err.Error()}
	case errors.As(err, &ref):
		res.Status, res.Problems = StatementRefused, problems(ref.err)
	case err != nil:
		return res, err
	default:
		res.Status = StatementImported
	}
	return res, nil
}

// refusal is a statement refused: nothing of it is recorded.
type refusal struct{ err error }

func (r refusal) Error() string { return r.err.Error() }
func (r refusal) Unwrap() error { return r.err }

// problems splits a refusal into its reasons.
func problems(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		out = append(out, e.Error())
	}
	walk(err)
	return out
}

// accountOf names a statement's account.
func accountOf(a statement.Account) string {
	switch {
	case a.IBAN != "":
		return a.IBAN
	case a.Other != "":
		return a.Other
	}
	return strings.TrimSpace(fmt.Sprintf("RIB %s %s %s", a.Bank, a.Branch, a.Number))
}

// applier applies a statement's plan in its transaction.
type applier struct {
	ctx   context.Context
	tx    store.TreasuryTx
	kinds *Registry
	cr    remit.Creditor
	bank  remit.Bank
	s     *statement.Statement
	plan  *treasury.Plan
	file  string
	sha   string
	now   time.Time
	lines []LineResult
	// rems are the remittances read, by id; credited those credited,
	// with the day of their last credit.
	rems     map[int64]remit.Remittance
	credited map[int64]time.Time
}

// remittance reads a remittance once per statement.
func (a *applier) remittance(ref string) (remit.Remittance, error) {
	id, err := remittanceID(ref)
	if err != nil {
		return remit.Remittance{}, err
	}
	if r, ok := a.rems[id]; ok {
		return r, nil
	}
	r, err := a.tx.Remittance(a.ctx, a.cr.ID, id)
	if err != nil {
		return r, err
	}
	if a.rems == nil {
		a.rems = map[int64]remit.Remittance{}
	}
	a.rems[id] = r
	return r, nil
}

func (a *applier) apply() error {
	// Returns first, each line's in a savepoint: a line whose return
	// cannot be recorded is unmatched, with the reason, and records none.
	for i := range a.plan.Matches {
		if m := &a.plan.Matches[i]; m.Outcome == treasury.Returned {
			if err := a.returns(m); err != nil {
				return err
			}
		}
	}
	ids, err := a.tx.RecordStatement(a.ctx, store.NewStatement{CreditorID: a.cr.ID, Bank: a.bank.Code, File: a.file, SHA256: a.sha,
		Statement: a.s, Plan: a.plan, ImportedAt: a.now})
	if err != nil {
		return err
	}
	for i, m := range a.plan.Matches {
		e := &a.s.Entries[m.Index]
		if err := a.line(ids[i], m, e); err != nil {
			return fmt.Errorf("line %d: %w", m.Line, err)
		}
		a.lines = append(a.lines, LineResult{ID: ids[i], Match: m, Code: e.Code.String(), Label: e.Text()})
	}
	for _, id := range slices.Sorted(maps.Keys(a.credited)) {
		if err := a.tx.CloseCredits(a.ctx, id, a.credited[id]); err != nil {
			return err
		}
	}
	if a.plan.UpdateBalance {
		return a.tx.SetBalance(a.ctx, a.cr.ID, a.bank.Code, a.plan.Balance, a.plan.BalanceDate)
	}
	return nil
}

// line applies what one line was found to be.
func (a *applier) line(id int64, m treasury.Match, e *statement.Entry) error {
	switch m.Outcome {
	case treasury.LotCredited, treasury.ItemsCredited:
		for _, t := range m.Targets {
			if err := a.credit(t, m.Booked); err != nil {
				return err
			}
		}
	case treasury.Returned:
		return a.tx.LinkReturns(a.ctx, id)
	case treasury.ReceivablesPaid:
		return a.tx.PayReceivables(a.ctx, a.cr, a.bank, id, m.Booked, m.Targets)
	case treasury.Unmatched:
		if m.Suspense {
			return a.tx.ToSuspense(a.ctx, a.cr, a.bank, id, m.Booked, m.Amount, e.Text())
		}
	}
	return nil
}

// credit records a lot or an item credited, and lets its kind confirm it.
func (a *applier) credit(t treasury.Target, on time.Time) error {
	if err := a.tx.Credit(a.ctx, a.cr.ID, t, on, a.kinds.lotFunc()); err != nil {
		return err
	}
	rem, err := a.remittance(t.Remittance)
	if err != nil {
		return err
	}
	if a.credited == nil {
		a.credited = map[int64]time.Time{}
	}
	if on.After(a.credited[rem.ID]) {
		a.credited[rem.ID] = on
	}
	if b, ok := a.kinds.banked(rem.Kind); ok {
		if c, ok := b.(Confirmer); ok {
			return c.Confirmed(a.ctx, a.tx, rem, t, on)
		}
	}
	return nil
}

// remittanceID reads a remittance's reference back into its id.
func remittanceID(ref string) (int64, error) {
	var id int64
	if _, err := fmt.Sscan(strings.TrimLeft(ref, "R0"), &id); err != nil || id <= 0 {
		return 0, fmt.Errorf("remittance reference %q: %w", ref, remit.ErrNoRemittance)
	}
	return id, nil
}

// noReason is the reason recorded for a return a statement gives none
// for: ISO 20022 MS03, "reason not specified by the agent".
const noReason = "MS03"

// returns records the returns of a line, as `remit returns` does: all of
// them, or none and the line is unmatched with the reason.
func (a *applier) returns(m *treasury.Match) error {
	reason := m.ReturnReason
	if _, err := remit.NormalizeReason(reason); err != nil {
		reason = noReason
	}
	b := remit.ReturnBatch{Source: remit.SourceStatement, Version: a.s.Format, File: a.file, SHA256: a.sha, MsgID: a.s.MessageID,
		CreatedAt: m.Booked, Settled: true}
	for _, t := range m.Targets {
		if t.Return != "" {
			continue // recorded from a return file already: the line confirms it
		}
		in := remit.ReturnInput{Line: m.Line, Amount: t.Amount, Reason: reason, Date: m.Booked}
		if t.EndToEndID != "" {
			rem, err := a.remittance(t.Remittance)
			if err != nil {
				return err
			}
			in.EndToEndID, in.OriginalMsgID = t.EndToEndID, rem.MsgID
		} else {
			in.Document = t.Document
		}
		b.Items = append(b.Items, in)
	}
	if len(b.Items) == 0 {
		return nil
	}
	var why []string
	err := a.tx.Savepoint(a.ctx, func() error {
		res, err := a.tx.ApplyReturns(a.ctx, a.cr, b)
		if err != nil {
			return err
		}
		for _, o := range res.Outcomes {
			if o.Status != remit.ReturnApplied && o.Status != remit.ReturnAlready {
				doc := o.Document
				if doc == "" {
					doc = o.EndToEndID
				}
				why = append(why, fmt.Sprintf("%s: %s", doc, o.Message))
			}
		}
		if len(why) > 0 {
			return errNotRecorded
		}
		return nil
	})
	switch {
	case errors.Is(err, errNotRecorded):
		m.Outcome, m.Targets = treasury.Unmatched, nil
		m.Reason = "a return remit cannot record (" + strings.Join(why, "; ") + "): record it by hand (remit reject)"
		return nil
	case err != nil:
		return err
	}
	if reason != m.ReturnReason {
		m.Reason = strings.TrimSpace(m.Reason + " no reason code on the statement: recorded as " + noReason)
	}
	return nil
}

var errNotRecorded = errors.New("return not recorded")
