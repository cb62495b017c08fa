package store

import (
	"context"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/treasury"
)

// PayableStore is what the supplier-payment use cases (remit/disburse)
// need: the payables (effets à payer), their grouping rules and groups. A
// store that keeps payables implements it beside Store; the command line
// asks a store for it (a store without payables says so).
type PayableStore interface {
	// Payables streams the payables the filter selects, by due date then
	// document.
	Payables(ctx context.Context, creditorID int64, f PayableFilter, fn func(PayableRow) error) error
	// GroupingRules are the creditor's grouping rules.
	GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error)
	// UpdatePayables runs fn in a write transaction, committed when fn
	// returns nil.
	UpdatePayables(ctx context.Context, fn func(PayablesTx) error) error
	// PointedPayables counts the creditor's pointed payables by method.
	PointedPayables(ctx context.Context, creditorID int64) (map[payables.Method]int, error)
}

// PayableFilter is a selection of payables: the domain's filter (dates,
// suppliers, method, journal, documents, amount, status), and how the
// creditor's approval setting reads the anomalies.
type PayableFilter struct {
	payables.Filter
	ApprovalRequired bool
	// Refused: only pointed payables a payment run left pointed.
	Refused bool
}

// PayableRow is a payable as the store holds it: its values and where it
// stands.
type PayableRow struct {
	ID int64
	payables.Payable
	// Group is the prepared payment it is pointed in (0: a payment of its
	// own), Manual whether remit payables group formed it.
	Group  int64
	Manual bool
	// Prepared: its grouping is decided (remit payables point, group,
	// ungroup); a payable an import or a refund pointed is grouped by the
	// payment run, with the automatic rules.
	Prepared bool
	// Payment is the reference of the remittance that paid it, when
	// remitted or paid.
	Payment string
	// Refusal, RefusedAt and Todo: why the last payment run left it pointed.
	Refusal   string
	RefusedAt string
	Todo      remit.Todo
	Source    string // import or refund
	// ImportID and ImportLine say which import last read its line.
	ImportID   int64
	ImportLine int
	ApprovedAt string
}

// PayablesTx is a write transaction on the payables.
type PayablesTx interface {
	// Payables streams the payables the filter selects (as Store's).
	Payables(ctx context.Context, creditorID int64, f PayableFilter, fn func(PayableRow) error) error
	// Payable is the creditor's payable with that document; ok false when none.
	Payable(ctx context.Context, creditorID int64, document string) (row PayableRow, ok bool, err error)
	// GroupMembers are the payables pointed in a group, by document.
	GroupMembers(ctx context.Context, group int64) ([]PayableRow, error)
	GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error)
	// SaveGroupingRule inserts or replaces the rule of its method, account and mode.
	SaveGroupingRule(ctx context.Context, creditorID int64, r payables.Rule) error
	// DeleteGroupingRule removes the rule of a method, account and mode; ok false when there was none.
	DeleteGroupingRule(ctx context.Context, creditorID int64, method payables.Method, account string, manual bool) (bool, error)

	// StartImport records an import of payables and returns its id.
	StartImport(ctx context.Context, file string, at time.Time) (int64, error)
	// FinishImport records what an import did.
	FinishImport(ctx context.Context, importID int64, sha256 string, res *remit.ImportResult) error
	// InsertPayable records a new payable read on line of an import (0:
	// not imported) and returns its id.
	InsertPayable(ctx context.Context, creditorID int64, p payables.Payable, source string, importID int64, line int) (int64, error)
	// UpdatePayable replaces a payable's values; a payable no longer
	// pointed leaves its group.
	UpdatePayable(ctx context.Context, id int64, p payables.Payable, importID int64, line int) error
	// TouchPayable records that an import read a payable's line unchanged.
	TouchPayable(ctx context.Context, id int64, importID int64, line int) error

	// SetApproved signs (or withdraws) the bon à payer of payables.
	SetApproved(ctx context.Context, ids []int64, approved bool, at time.Time) error
	// SetContest contests payables with a reason (unpointing them), or
	// resolves the contest (contested false).
	SetContest(ctx context.Context, ids []int64, contested bool, reason string) error
	// Point points payables in a new group of method (manual or not), or
	// each on its own when group is false; their earlier groups lose them.
	// It returns the new group's id (0 when none).
	Point(ctx context.Context, creditorID int64, ids []int64, method payables.Method, group, manual bool, at time.Time) (int64, error)
	// Unpoint puts payables back to open, out of their groups.
	Unpoint(ctx context.Context, ids []int64) error
	// Ungroup takes payables out of their group: they stay pointed, each a
	// payment of its own (prepared: no automatic rule groups them again).
	Ungroup(ctx context.Context, ids []int64) error
	// DissolveSmallGroups ends the groups left with fewer than two
	// payables (a group of one is a plain payment) and returns how many.
	DissolveSmallGroups(ctx context.Context, creditorID int64) (int, error)
	// Customer is a customer of the creditor (for a refund); ok false when none.
	Customer(ctx context.Context, creditorID int64, account string) (c remit.Customer, ok bool, err error)
	// Documents says which of the creditor's payables' documents start with prefix.
	DocumentsLike(ctx context.Context, creditorID int64, prefix string) ([]string, error)
	// Refundable is what the creditor owes a customer (its account,
	// 411…) and has paid back of it: owed is what is left in the suspense
	// account of the statement lines allocated to that customer's
	// receivables alone (it paid more than they came to), plus its open
	// credit notes (receivables below zero); refunded is what its refunds
	// (remit refund) already pay, whatever their status.
	Refundable(ctx context.Context, creditorID int64, account string) (owed, refunded int64, err error)
}

// PaymentRunTx is what a payment run (remit sct) needs of its transaction
// beyond RunTx: a RunTx of a store that keeps payables implements it.
type PaymentRunTx interface {
	RunTx
	GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error)
	// PointedPayables streams the creditor's pointed payables of a method
	// family by family: a parent account's own payables and its
	// suppliers' together (Family), then by group, due date and document.
	PointedPayables(ctx context.Context, creditorID int64, method payables.Method) (Cursor[PayableRow], error)
	// RefusePayable records why a run leaves a pointed payable pointed,
	// since when, and what to do about it.
	RefusePayable(ctx context.Context, id int64, reasons, since string, todo remit.Todo) error
	// ClearPayableRefusals forgets an earlier run's refusal of payables this run pays.
	ClearPayableRefusals(ctx context.Context, ids []int64) error
	// NextPaymentID is the id of the next payment StagePayment records.
	NextPaymentID(ctx context.Context) (int64, error)
	// StagePayment records a payment the run plans, in no remittance yet.
	StagePayment(ctx context.Context, p StagedPayment) error
	// RecordPayments puts the staged payments of a bank into a remittance,
	// the payments executed on dates[n-1] in block n, and marks their
	// payables remitted.
	RecordPayments(ctx context.Context, remittanceID, creditorID int64, bank string, dates []string) error
}

// Family is the key a payment run reads pointed payables by: the parent
// account, else the supplier. A payment's payables are of one family.
func Family(p payables.Payable) string {
	if p.Parent != "" {
		return p.Parent
	}
	return p.Supplier
}

// StagedPayment is a payment a run plans: the group it pays, settled at
// its execution date, the bank that pays it and its place in the file.
type StagedPayment struct {
	ID             int64
	CreditorID     int64
	Group          payables.Group // Members' order is Payables'
	Payables       []int64        // each member's payable id
	Bank           string
	BankNote       string
	Position       int // in its bank's block of its execution date, from 1
	EndToEndID     string
	RemittanceInfo string
}

// PaymentReader reads a payment remittance's payments with the payables
// each settles, in file order (block, position).
type PaymentReader interface {
	Payments(ctx context.Context, remittanceID int64, fn func(*PaymentRow) error) error
}

// PaymentRow is a payment as its remittance recorded it.
type PaymentRow struct {
	ID             int64
	Method         payables.Method
	Bank, BankNote string
	Block          int
	Position       int
	Status         string // remitted, rejected, returned or cancelled
	Date, Due      time.Time
	EndToEndID     string
	Payee, Name    string
	Address        remit.Address
	IBAN, BIC      string
	Currency       string
	Total          int64
	Discount       int64
	Amount         int64
	RemittanceInfo string
	ChequeNumber   string
	Lines          []PaymentLine
}

// PaymentLine is a payable as a payment settled it.
type PaymentLine struct {
	PayableID int64
	Document  string
	Supplier  string
	Label     string
	Issue     time.Time
	Due       time.Time
	Amount    int64 // negative for a credit note
	Discount  int64
	Rate      payables.Rate
	Refund    bool // the payable is a refund to a customer (its account is a customer's)
}

// ChequeRegister is the register of the cheques printed (lettres-chèques),
// in a payment run's transaction or a command's.
type ChequeRegister interface {
	// LastCheque is the highest number used on a bank's cheques, 0 when none.
	LastCheque(ctx context.Context, creditorID int64, bank string) (int64, error)
	// ChequesUsed are the numbers of from..to already used on a bank's cheques.
	ChequesUsed(ctx context.Context, creditorID int64, bank string, from, to int64) ([]int64, error)
	// RecordCheques numbers a remittance's payments in file order from
	// first, printed in file at at.
	RecordCheques(ctx context.Context, remittanceID, creditorID int64, bank string, first int64, file string, at time.Time) error
}

// Cheque is a cheque of the register.
type Cheque struct {
	Bank       string
	Number     int64
	Status     string // issued or void
	PrintedAt  string
	File       string
	VoidedAt   string
	Reason     string
	Payment    int64  // its payment's id
	Reference  string // its payment's reference
	Payee      string
	Name       string
	Amount     int64
	Remittance string // its remittance's reference
}

// ChequeStore reads and changes the register outside a run.
type ChequeStore interface {
	// Cheques lists a creditor's cheques, by bank and number.
	Cheques(ctx context.Context, creditorID int64) ([]Cheque, error)
	// UpdateCheques runs fn in a write transaction.
	UpdateCheques(ctx context.Context, fn func(ChequeTx) error) error
}

// ChequeTx is a write transaction on the register.
type ChequeTx interface {
	ChequeRegister
	// Cheque is a cheque of the register; ok false when none has that
	// number (on that bank, when bank is given).
	Cheque(ctx context.Context, creditorID int64, bank string, number int64) (c Cheque, ok bool, err error)
	// Void voids a cheque, with the reason.
	Void(ctx context.Context, creditorID int64, bank string, number int64, reason string, at time.Time) error
	// Reissue records a payment's cheque printed again under number.
	Reissue(ctx context.Context, creditorID int64, bank string, number, paymentID int64, file string, at time.Time) error
	// Payment reads one payment with its lines.
	Payment(ctx context.Context, paymentID int64) (PaymentRow, error)
}

// PaymentForecaster is a store that tells a forecast the supplier payments
// still to leave its banks.
type PaymentForecaster interface {
	// PaymentsDue are the payments of the creditor's remittances not
	// cancelled, neither rejected nor returned, executed after their bank's
	// validated balance (which holds those before) and up to to: a payment
	// per transfer or cheque, out of its bank on its execution date, given
	// to fn one row at a time, by execution date; fn's error stops it.
	PaymentsDue(ctx context.Context, creditorID int64, to time.Time, fn func(treasury.Payable) error) error
}
