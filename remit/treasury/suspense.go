package treasury

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// Accounts are the general ledger accounts of the suspense and write-off
// entries.
type Accounts struct {
	Suspense string // compte d'attente: 471000
	Loss     string // pertes sur créances irrécouvrables: 654000
	VAT      string // TVA collectée, recovered on a write-off: 445710
}

// DefaultAccounts are the accounts of the plan comptable général.
var DefaultAccounts = Accounts{Suspense: "471000", Loss: "654000", VAT: "445710"}

// SuspenseLine is money in the suspense account: a credit no remittance
// or receivable explained (Match.Suspense), or what an allocation left.
type SuspenseLine struct {
	ID     string // its reference, for messages: the statement line, the suspense line's number
	Amount int64  // what remains in suspense, cents
}

// AllocationRequest asks for part of a suspense line to go to a
// receivable.
type AllocationRequest struct {
	Document string
	Amount   int64 // cents; 0: the receivable's whole open amount
}

// AllocatedPart is what one receivable receives.
type AllocatedPart struct {
	Document string
	Customer string
	Status   string // its status before: a pointed receivable is unpointed
	Open     int64  // open before, cents
	Amount   int64  // allocated, cents: debit Suspense, credit the customer
	// Remaining is what stays open after; Paid when nothing does.
	Remaining int64
	Paid      bool
}

// Allocation is the vidage du compte d'attente of one line: the parts for
// the entries (Accounts.Suspense debited, each customer credited) and what
// stays in suspense.
type Allocation struct {
	Line            string
	SuspenseAccount string
	Parts           []AllocatedPart
	Allocated       int64 // cents
	Remaining       int64 // stays in suspense, cents
}

// Allocate allocates suspense line to receivables (seed 000: "L'allocation
// peut être une ou plusieurs factures, ou un compte d'attente … le système
// les ramène avec leur montant impayé"): each request takes the amount it
// names, or the receivable's whole open amount. A receivable allocated its
// whole open amount is paid; a smaller amount leaves the rest open (a
// partial payment). What the requests do not take stays in suspense.
//
// Refused, every problem at once: a request for a document not among
// receivables (ErrUnknown) or given twice (ErrDuplicate), an amount not
// positive (ErrAmount) or above the receivable's open amount
// (ErrOverpayment: the difference stays in suspense, not on the
// receivable), a receivable that is not open (ErrNotOpen: in a remittance
// not yet collected, paid) or written off (ErrWrittenOff), and requests
// adding up to more than the line holds (ErrOverAllocation).
func Allocate(line SuspenseLine, receivables []Receivable, reqs []AllocationRequest, acc Accounts) (Allocation, error) {
	a := Allocation{Line: line.ID, SuspenseAccount: acc.Suspense}
	var errs []error
	bad := func(doc string, err error) {
		errs = append(errs, fmt.Errorf("suspense line %s, %s: %w", line.ID, doc, err))
	}
	if line.Amount <= 0 {
		errs = append(errs, fmt.Errorf("suspense line %s: %w: %s left in it", line.ID, ErrAmount, statement.Format(line.Amount)))
	}
	if len(reqs) == 0 {
		errs = append(errs, fmt.Errorf("suspense line %s: %w: no receivable to allocate it to", line.ID, ErrUnknown))
	}
	byDoc := map[string]*Receivable{}
	for i := range receivables {
		byDoc[strings.TrimSpace(receivables[i].Document)] = &receivables[i]
	}
	seen := map[string]bool{}
	for _, q := range reqs {
		doc := strings.TrimSpace(q.Document)
		r, ok := byDoc[doc]
		switch {
		case seen[doc]:
			bad(doc, ErrDuplicate)
			continue
		case !ok:
			bad(doc, ErrUnknown)
			continue
		}
		seen[doc] = true
		if err := allocatable(r); err != nil {
			bad(doc, err)
			continue
		}
		amount := q.Amount
		if amount == 0 {
			amount = r.Open
		}
		switch {
		case amount < 0:
			bad(doc, fmt.Errorf("%w: %s", ErrAmount, statement.Format(amount)))
			continue
		case amount > r.Open:
			bad(doc, fmt.Errorf("%s asked, %s open: %w", statement.Format(amount), statement.Format(r.Open), ErrOverpayment))
			continue
		}
		a.Parts = append(a.Parts, AllocatedPart{Document: r.Document, Customer: r.Customer, Status: r.Status, Open: r.Open,
			Amount: amount, Remaining: r.Open - amount, Paid: amount == r.Open})
		a.Allocated += amount
	}
	if line.Amount > 0 && a.Allocated > line.Amount {
		errs = append(errs, fmt.Errorf("suspense line %s: %s asked, %s in it: %w", line.ID, statement.Format(a.Allocated),
			statement.Format(line.Amount), ErrOverAllocation))
	}
	if len(errs) > 0 {
		return Allocation{}, errors.Join(errs...)
	}
	a.Remaining = line.Amount - a.Allocated
	return a, nil
}

// allocatable says why money cannot go to r, if it cannot.
func allocatable(r *Receivable) error {
	switch r.Status {
	case remit.StatusOpen, remit.StatusPointed, remit.StatusRejected:
	case StatusWrittenOff:
		return ErrWrittenOff
	default:
		return fmt.Errorf("%w: %s", ErrNotOpen, statusText(r.Status))
	}
	if r.Open <= 0 {
		return fmt.Errorf("%w: nothing open on it", ErrNotOpen)
	}
	return nil
}

// WriteOffRequest asks for a receivable to be written off.
type WriteOffRequest struct {
	Document string
	Reason   string    // required: "liquidation judiciaire", "certificat d'irrécouvrabilité"…
	Date     time.Time // the entry's date
	// VAT is the VAT included in the open amount, recovered when the
	// debt is lost (cents, 0 if none or not recoverable).
	VAT int64
}

// WriteOff is an abandon de créance (passage en pertes, seed 000): the
// amounts and accounts of its entry — Loss debited to LossAccount, VAT to
// VATAccount, Amount credited to the customer — and the receivable's new
// status, StatusWrittenOff.
type WriteOff struct {
	Document    string
	Customer    string
	Status      string // its status before: a pointed receivable is unpointed
	Reason      string
	Date        time.Time
	Amount      int64 // the open amount written off, cents
	VAT         int64 // cents
	Loss        int64 // Amount - VAT, cents
	LossAccount string
	VATAccount  string
}

// WriteOffReceivable writes off what is open of receivable r (seed 000:
// "Imputation analytique: Passage en pertes pour un montant de -1150,00
// EUR"). Refused, every problem at once: a receivable written off already
// (ErrWrittenOff), one not open (ErrNotOpen: in a remittance not yet
// collected, whose collection or return comes first; paid), no reason
// (ErrReason), no date, or VAT not between 0 and the amount (ErrAmount).
func WriteOffReceivable(r Receivable, req WriteOffRequest, acc Accounts) (WriteOff, error) {
	var errs []error
	bad := func(err error) { errs = append(errs, fmt.Errorf("write-off of %s: %w", r.Document, err)) }
	if err := allocatable(&r); err != nil {
		bad(err)
	}
	if strings.TrimSpace(req.Reason) == "" {
		bad(ErrReason)
	}
	if req.Date.IsZero() {
		bad(errors.New("the entry needs its date"))
	}
	if req.VAT < 0 || (r.Open > 0 && req.VAT >= r.Open) {
		bad(fmt.Errorf("VAT %s: %w and below the open amount %s", statement.Format(req.VAT), ErrAmount, statement.Format(r.Open)))
	}
	if len(errs) > 0 {
		return WriteOff{}, errors.Join(errs...)
	}
	return WriteOff{Document: r.Document, Customer: r.Customer, Status: r.Status, Reason: strings.TrimSpace(req.Reason), Date: day(req.Date),
		Amount: r.Open, VAT: req.VAT, Loss: r.Open - req.VAT, LossAccount: acc.Loss, VATAccount: acc.VAT}, nil
}

// Collectable says whether receivable r may be pointed, remitted or
// presented again: never once written off (ErrWrittenOff).
func Collectable(r Receivable) error {
	if r.Status == StatusWrittenOff {
		return fmt.Errorf("receivable %s: %w", r.Document, ErrWrittenOff)
	}
	return nil
}
