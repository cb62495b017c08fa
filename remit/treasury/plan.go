package treasury

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// Outcome is what a statement line was found to be.
type Outcome string

// Outcomes of Reconcile.
const (
	// LotCredited: a lot (an SDD payment block, LCRs of one date, a
	// remise de chèques) credited in one line. Its operations get the
	// line's date as their date de constatation.
	LotCredited Outcome = "lot-credited"
	// ItemsCredited: items of a lot credited in this line, each on its
	// own or several together without their whole lot.
	ItemsCredited Outcome = "items-credited"
	// Returned: collections, bills or cheques debited back (reject,
	// return, unpaid): a return for each Target whose Return is empty, the
	// confirmation of the recorded return Return otherwise.
	Returned Outcome = "returned"
	// ReceivablesPaid: a credit naming open receivables whose open amounts
	// add up to it: they are paid.
	ReceivablesPaid Outcome = "paid"
	// BankFee: bank charges (CFONB 61, 62, 64-67, 70, 88; ISO MDOP fees).
	BankFee Outcome = "fee"
	// Unmatched: nothing remit knows explains the line, or more than one
	// thing could (Reason says which). An unmatched credit goes to the
	// suspense account (compte d'attente): Suspense is set.
	Unmatched Outcome = "unmatched"
	// NotBooked: an entry that is pending or for information (camt.053
	// PDNG, INFO, FUTR): it moves no balance and is not reconciled.
	NotBooked Outcome = "not-booked"
)

// Target is what a line was matched to: a lot, an item of a lot, or a
// receivable.
type Target struct {
	Remittance string    `json:"remittance,omitempty"`
	Block      int       `json:"block,omitempty"`
	Date       time.Time `json:"date,omitzero"` // the lot's date
	Document   string    `json:"document,omitempty"`
	EndToEndID string    `json:"end_to_end_id,omitempty"`
	Amount     int64     `json:"amount"` // cents
	// Return is, for a Returned line, the reference of the recorded
	// return the line confirms; empty for a new return.
	Return string `json:"return,omitempty"`
}

// Match is the decision on one statement entry.
type Match struct {
	Index  int   `json:"index"` // the entry's index in Statement.Entries
	Line   int   `json:"line"`  // the entry's line in its file
	Amount int64 `json:"amount"`
	// Booked is the date de constatation: the entry's booking date, else
	// its value date, else the statement's closing date.
	Booked    time.Time           `json:"booked"`
	ValueDate time.Time           `json:"value_date,omitzero"`
	Op        remit.BankOperation `json:"op,omitempty"` // what the entry's code says it is, when it says one thing
	Outcome   Outcome             `json:"outcome"`
	Targets   []Target            `json:"targets,omitempty"`
	// ReturnReason is a Returned line's reason code: the camt.053 RtrInf
	// reason (AM04, MD06…), else the CFONB 120 code motif de rejet as the
	// file has it.
	ReturnReason string `json:"return_reason,omitempty"`
	// Suspense: an unmatched credit, to the suspense account.
	Suspense bool `json:"suspense,omitempty"`
	// Reason says why a line is unmatched, or anything worth knowing
	// about a match.
	Reason string `json:"reason,omitempty"`
}

// Plan is what importing a statement does, for the store to apply in one
// transaction.
type Plan struct {
	Key  Key    `json:"key"`
	Bank string `json:"bank"`
	// Balance and BalanceDate are the statement's closing balance, the
	// bank's new validated balance when UpdateBalance (a statement older
	// than the validated balance does not move it back).
	Balance       int64     `json:"balance"`
	BalanceDate   time.Time `json:"balance_date"`
	UpdateBalance bool      `json:"update_balance"`
	Matches       []Match   `json:"matches"` // one per entry, in the statement's order
	Warnings      []string  `json:"warnings,omitempty"`
}

// Suspense returns the lines that go to the suspense account.
func (p *Plan) Suspense() []Match {
	var out []Match
	for _, m := range p.Matches {
		if m.Suspense {
			out = append(out, m)
		}
	}
	return out
}

// Window is how far from a lot's dates a line crediting it may be, in
// calendar days: from Before days before the lot's date to After days
// after its expected value date (ExpectedValueDate).
type Window struct{ Before, After int }

// DefaultWindow: a bank books a lot at the earliest a weekend before its
// date, at the latest a fortnight of business days (10 calendar days)
// after its value days.
var DefaultWindow = Window{Before: 3, After: 10}

// ReconcileOptions are the choices of Reconcile.
type ReconcileOptions struct {
	// Imported are the keys of the statements of the bank already
	// imported: the same one again is refused (ErrImported), as is one
	// whose period overlaps one of them (ErrOverlap) unless AllowOverlap.
	Imported     []Key
	AllowOverlap bool
	// Window; the zero value is DefaultWindow.
	Window Window
}

// Reconcile decides what each entry of statement st, a statement of bank b,
// is, given the candidates remit knows, and returns the plan to apply.
//
// It never guesses: a line is matched when exactly one candidate fits it,
// by reference (the PmtInfId or MsgId of a batch, EndToEndIds, a
// receivable's document named in the line), or, for a line whose code says
// it credits a remittance of some type, by amount within the lot's window
// of dates. A line two candidates fit, or a candidate two lines fit, is
// unmatched with the reason. The result depends on neither the order of
// the candidates nor anything but its arguments.
//
// The statement is refused, with nothing decided, when its balances do not
// add up (statement.ErrUnbalanced), it is not in euro (ErrCurrency), it is
// not b's account (ErrWrongBank), it ends before b's validated date
// (ErrBeforeValidated), or it was imported already (ErrImported) or
// overlaps a statement imported (ErrOverlap).
func Reconcile(st *statement.Statement, b remit.Bank, c Candidates, opts ReconcileOptions) (*Plan, error) {
	// The same statement again is only that, whatever else is true of it
	// now (its date is before the one it validated, for one).
	key := KeyOf(st)
	for _, k := range opts.Imported {
		if k.ID() == key.ID() {
			return nil, fmt.Errorf("statement of %s ending %s: %w (%s)", key.Account, formatDay(key.Date), ErrImported, k.ID())
		}
	}
	if err := checkStatement(st, b); err != nil {
		return nil, err
	}
	for _, k := range opts.Imported {
		switch {
		case key.Overlaps(k) && !opts.AllowOverlap:
			return nil, fmt.Errorf("statement of %s from %s to %s: %w, from %s to %s (%s)", key.Account, formatDay(key.From),
				formatDay(key.Date), ErrOverlap, formatDay(k.From), formatDay(k.Date), k.ID())
		}
	}
	if opts.Window == (Window{}) {
		opts.Window = DefaultWindow
	}
	m := newMatcher(st, b, c, opts.Window)
	p := &Plan{Key: key, Bank: b.Code, Matches: make([]Match, len(st.Entries))}
	claims := make([][]claim, len(st.Entries))
	for i := range st.Entries {
		p.Matches[i], claims[i] = m.entry(i)
	}
	resolveConflicts(p.Matches, claims)
	p.setBalance(st, b)
	return p, nil
}

// checkStatement refuses a statement that cannot be reconciled with b.
func checkStatement(st *statement.Statement, b remit.Bank) error {
	var errs []error
	if err := st.Check(); err != nil {
		errs = append(errs, err)
	}
	if cur := st.Currency; cur != "" && !strings.EqualFold(cur, "EUR") {
		errs = append(errs, fmt.Errorf("currency %s: %w", cur, ErrCurrency))
	}
	if !sameAccount(b, st.Account) {
		errs = append(errs, fmt.Errorf("account %s: %w than bank %s's (%s)", accountText(st.Account), ErrWrongBank, b.Code, b.IBAN))
	}
	if !b.BalanceDate.IsZero() && day(st.Closing.Date).Before(day(b.BalanceDate)) {
		errs = append(errs, fmt.Errorf("closing balance of %s: %w (bank %s validated on %s)", formatDay(st.Closing.Date),
			ErrBeforeValidated, b.Code, formatDay(b.BalanceDate)))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("statement at line %d: %w", st.Line, errors.Join(errs...))
}

// setBalance sets the validated balance the statement gives, and warns
// when it does not follow the one the bank has.
func (p *Plan) setBalance(st *statement.Statement, b remit.Bank) {
	p.Warnings = append(p.Warnings, st.Warnings...)
	p.Balance, p.BalanceDate = st.Closing.Amount, day(st.Closing.Date)
	valid := day(b.BalanceDate)
	p.UpdateBalance = b.BalanceDate.IsZero() || !p.BalanceDate.Before(valid)
	if b.BalanceDate.IsZero() {
		return
	}
	if p.BalanceDate.Equal(valid) && p.Balance != b.Balance {
		p.Warnings = append(p.Warnings, fmt.Sprintf("closing balance %s of %s differs from the validated balance %s of that day: the statement's replaces it",
			statement.Format(p.Balance), formatDay(valid), statement.Format(b.Balance)))
	}
	if p.Key.From.After(valid) && st.Opening.Amount != b.Balance {
		p.Warnings = append(p.Warnings, fmt.Sprintf("opening balance %s differs from the validated balance %s of %s: a statement missing in between, or a balance set by hand?",
			statement.Format(st.Opening.Amount), statement.Format(b.Balance), formatDay(valid)))
	}
}
