package store

import (
	"context"
	"errors"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/treasury"
)

// Treasury is the banks' side of a store: the statements imported and what
// their lines were matched to, the suspense account, and a write
// transaction for a statement, an allocation or a write-off.
type Treasury interface {
	// Statements streams to fn the statements imported (of one bank's
	// code, or all), oldest first, each with its lines and what they
	// matched: memory holds one statement's lines at a time.
	Statements(ctx context.Context, creditorID int64, bank string, fn func(*StatementRecord) error) error
	// SuspenseLines streams to fn the lines booked to the suspense account,
	// those with something left in it, or all, by line number, each with
	// its allocations.
	SuspenseLines(ctx context.Context, creditorID int64, all bool, fn func(*SuspenseLine) error) error
	// Treasury runs fn in a write transaction, committed when fn returns nil.
	Treasury(ctx context.Context, fn func(TreasuryTx) error) error
}

// TreasuryTx is the write transaction of a statement import, an
// allocation or a write-off: everything it records stays, or nothing.
type TreasuryTx interface {
	Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error)
	Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error)

	// StatementKeys are the identities of the statements of a bank
	// imported already.
	StatementKeys(ctx context.Context, creditorID int64, bank string) ([]treasury.Key, error)
	// Candidates are what a statement of a bank may show: the lots of its
	// remittances not yet credited, the items, returns and receivables the
	// statement names (see CandidateQuery).
	Candidates(ctx context.Context, q CandidateQuery) (treasury.Candidates, error)
	// RecordStatement records a statement, its lines and what the plan
	// matched them to; it returns the id of each line, in order.
	RecordStatement(ctx context.Context, s NewStatement) (lines []int64, err error)
	// Credit records that a statement credited a lot, or an item (a
	// Target with a Document) on its own: its items get the date de
	// constatation and their receivables are paid. lot says which items a
	// lot holds, as for Candidates.
	Credit(ctx context.Context, creditorID int64, t treasury.Target, on time.Time, lot LotFunc) error
	// CloseCredits, once a statement's credits of a remittance are
	// recorded, marks it sent (no longer cancellable), and credited on
	// that day (its last credit's) when every item the bank collected is.
	CloseCredits(ctx context.Context, remittance int64, on time.Time) error
	// CreditDeposit books a remittance booked on an account of its own (a
	// remise de chèques, on 511…) as credited on the bank's account on
	// that day, as store.Tx does; false when it was booked so already.
	CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error)
	// Savepoint runs fn so that what it records is undone when it returns
	// an error, the rest of the transaction going on.
	Savepoint(ctx context.Context, fn func() error) error
	// ApplyReturns records returns, as `remit returns` does, inside this
	// transaction.
	ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error)
	// LinkReturns sets, on the targets of line that name an item, the
	// return recorded for it (a return a line recorded, or confirmed).
	LinkReturns(ctx context.Context, line int64) error
	// PayReceivables records that line paid the receivables of its targets
	// (a transfer naming them): they are paid, and the écriture debits
	// the bank and credits each customer.
	PayReceivables(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time, targets []treasury.Target) error
	// ToSuspense books line's credit to the suspense account: the bank
	// debited, the suspense account credited.
	ToSuspense(ctx context.Context, cr remit.Creditor, bank remit.Bank, line int64, on time.Time, amount int64, label string) error
	// SetBalance sets a bank's validated balance (solde validé).
	SetBalance(ctx context.Context, creditorID int64, bank string, amount int64, date time.Time) error

	// Accounts are the accounts of the suspense and write-off écritures,
	// as the entries are set (accounting.Options.TreasuryAccounts).
	Accounts() treasury.Accounts
	// SuspenseLine is a line booked to the suspense account, with what is
	// left in it.
	SuspenseLine(ctx context.Context, creditorID, line int64) (SuspenseLine, error)
	// Receivables are the creditor's receivables of those documents, as
	// the treasury rules see them; a document that is none is left out.
	Receivables(ctx context.Context, creditorID int64, documents []string) ([]treasury.Receivable, error)
	// Allocate records an allocation of a suspense line: its parts, the
	// receivables paid by them, the écriture (suspense account debited,
	// each customer credited).
	Allocate(ctx context.Context, cr remit.Creditor, line SuspenseLine, a treasury.Allocation, on time.Time) error
	// WriteOff records a write-off: the receivable written off, the
	// écriture (loss and VAT debited, the customer credited).
	WriteOff(ctx context.Context, cr remit.Creditor, w treasury.WriteOff) error
}

// ErrNoSuspenseLine: no statement line of that number went to the
// suspense account.
var ErrNoSuspenseLine = errors.New("no such line in the suspense account (remit suspense lists them)")

// CandidateQuery says what a statement of one bank may be matched to.
type CandidateQuery struct {
	CreditorID int64
	Bank       remit.Bank
	// Since: remittances made before are no longer candidates for a
	// credit (they are for a return naming them).
	Since time.Time
	// From and To are the statement's period: items due from a few weeks
	// before From to To are candidates for a debit naming them by a
	// reference of their own (an LCR's référence tireur).
	From, To time.Time
	// Names are the references the statement names (treasury.Names).
	Names []string
	// WindowKinds are the kinds whose items a statement may name by a
	// reference of their own (not their document or EndToEndId): their
	// items due from a few weeks before From to To are candidates.
	WindowKinds []remit.Kind
	// Lot and Item are the kinds' (see LotFunc, ItemFunc).
	Lot  LotFunc
	Item ItemFunc
}

// LotFunc makes the lot of remittance rem that its items of a block and a
// collection date (an LCR's due date) belong to, as the remittance's kind
// does; ok is false for a kind no bank credits.
type LotFunc func(rem remit.Remittance, block int, date time.Time) (lot treasury.Lot, ok bool)

// ItemFunc completes an item with what a statement may name it by, as its
// remittance's kind does (an LCR's référence tireur).
type ItemFunc func(rem remit.Remittance, it *treasury.Item)

// NewStatement is a statement to record, with the plan Reconcile made.
type NewStatement struct {
	CreditorID int64
	Bank       string
	File       string // the file's name
	SHA256     string // of the whole file
	Statement  *statement.Statement
	Plan       *treasury.Plan
	ImportedAt time.Time
}

// StatementRecord is a statement imported, as listed.
type StatementRecord struct {
	ID         int64
	Bank       string
	Format     string
	File       string
	Ref        string
	Account    string
	From       time.Time
	To         time.Time
	Opening    int64
	Closing    int64
	BalanceSet bool
	ImportedAt string
	Lines      []StatementLineRecord
}

// StatementLineRecord is a line of a statement imported and what it was
// matched to.
type StatementLineRecord struct {
	ID           int64
	FileLine     int
	Booked       time.Time
	Amount       int64
	Code         string
	Label        string
	Details      string
	Outcome      treasury.Outcome
	Op           string
	ReturnReason string
	Reason       string
	Suspense     bool
	Left         int64 // a suspense line: what is left in suspense, cents
	Targets      []LineTarget
}

// LineTarget is what a line was matched to.
type LineTarget struct {
	Remittance string
	Block      int
	LotDate    time.Time
	Document   string
	Return     int64 // the return's id
	// Confirmed: the line confirmed a return recorded before (from a
	// camt.054, by hand), rather than recording it.
	Confirmed bool
	Amount    int64
}

// SuspenseLine is a statement line booked to the suspense account.
type SuspenseLine struct {
	ID        int64
	Bank      string
	Statement int64
	Booked    time.Time
	Amount    int64 // what the line credited, cents
	Left      int64 // what is left in suspense, cents
	Label     string
	Details   string
	Reason    string
	// Account is the account its credit was booked to (471000 unless
	// entries.suspense_account said otherwise then); empty when entries
	// were off.
	Account string
	// Allocated are the receivables it went to, in order.
	Allocated []Allocated
}

// Allocated is part of a suspense line allocated to a receivable.
type Allocated struct {
	Document string
	Amount   int64
	On       time.Time
}
