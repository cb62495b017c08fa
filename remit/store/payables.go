package store

import (
	"context"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
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
}
