// Package selection is the pointing selection's Go logic, the same on
// every store: the receivables' columns a list reads (ReceivableSelect,
// ScanReceivable), which statuses and in which order Point takes the
// receivables a filter selects (Plan), which of them fit under a target
// (Target), and what it reports as left alone (Plan.Skipped, over the
// store's counts). The stores keep their SQL: the filter's condition with
// its parameters, the queries and the updates; the conditions and orders
// here read alike in both dialects.
//
//	plan, err := selection.NewPlan(f, target, order)
//	where := plan.Where(filterCondition)
//	... point what where selects, in plan.OrderBy ...
//	res.Skipped, err = plan.Skipped(ctx, counter)
package selection

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Plan is how Point takes the receivables of a filter.
type Plan struct {
	// Statuses are those Point takes, as an SQL list ('open', 'rejected').
	Statuses string
	// OrderBy is the SQL order it takes them in (on receivables r joined
	// to customers c).
	OrderBy string
	named   bool   // the filter names documents
	status  string // the filter's status
	target  int64
}

// NewPlan checks the filter, the target and the order, and says how Point
// takes them. Without a status it takes the open receivables: a rejected
// one (a debit that came back, an unpaid bill) is pointed again only when
// asked for, with the status rejected or by its document. Without
// documents it takes only what a remittance can collect
// (remit.RemittedMethods): the others are counted in Skipped with the
// reason, never pointed silently. With a target (cents > 0, in euros) it
// takes them in the given order.
func NewPlan(f remit.Filter, target int64, order string) (Plan, error) {
	p := Plan{Statuses: "'open'", OrderBy: "r.due_date, c.account, r.document", named: len(f.Documents) > 0, status: f.Status,
		target: target}
	switch f.Status {
	case "":
		if p.named {
			p.Statuses = "'open', 'rejected'"
		}
	case "all":
		p.Statuses = "'open', 'rejected'"
	case remit.StatusOpen, remit.StatusRejected:
		p.Statuses = "'" + f.Status + "'"
	default:
		return Plan{}, fmt.Errorf("status %s: %w", f.Status, remit.ErrNotPointable)
	}
	if err := f.Validate(); err != nil {
		return Plan{}, err
	}
	if target > 0 {
		switch order {
		case "", remit.OrderPriorityDue:
			p.OrderBy = "c.priority, r.due_date, c.account, r.document"
		case remit.OrderDuePriority:
			p.OrderBy = "r.due_date, c.priority, c.account, r.document"
		default:
			return Plan{}, fmt.Errorf("order %q: want %s or %s", order, remit.OrderPriorityDue, remit.OrderDuePriority)
		}
	}
	return p, nil
}

// Where is the condition of the receivables Point takes, base being the
// filter's.
func (p Plan) Where(base string) string {
	where := base + " AND r.status IN (" + p.Statuses + ")"
	if !p.named {
		where += " AND " + CollectableSQL()
	} else if p.target > 0 {
		where += " AND r.currency = 'EUR'" // the target is in euros
	}
	return where
}

// CollectableSQL is the SQL condition (on receivables r) a receivable some
// remittance can take meets: one of remit.RemittedMethods, in its currency.
func CollectableSQL() string {
	methods := make([]string, 0, len(remit.RemittedMethods))
	for m := range remit.RemittedMethods {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var conds []string
	for _, m := range methods {
		conds = append(conds, "(r.method = '"+m+"' AND r.currency = '"+remit.RemittedMethods[m]+"')")
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// MethodCount is how many receivables have a method and a currency.
type MethodCount struct {
	Method, Currency string
	N                int
}

// Counter counts the receivables the filter selects that an SQL
// condition (on receivables r joined to customers c) keeps.
type Counter interface {
	Count(ctx context.Context, cond string) (int, error)
	// ByMethod counts them by method and currency, in that order.
	ByMethod(ctx context.Context, cond string) ([]MethodCount, error)
}

// Skipped counts what the filter selects, with the statuses Point takes,
// that it left alone: receivables no remittance collects (unless named by
// document), other currencies than the target's; the rejected ones when
// they were not asked for, and those written off.
func (p Plan) Skipped(ctx context.Context, c Counter) ([]remit.Skipped, error) {
	var out []remit.Skipped
	taken := "r.status IN (" + p.Statuses + ")"
	if !p.named {
		counts, err := c.ByMethod(ctx, taken+" AND NOT "+CollectableSQL())
		if err != nil {
			return nil, err
		}
		out = append(out, uncollectable(counts)...)
	} else if p.target > 0 {
		n, err := c.Count(ctx, taken+" AND r.currency != 'EUR'")
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, remit.SkippedNotEuro(n))
		}
	}
	if (p.status == "" || p.status == remit.StatusOpen) && !p.named {
		n, err := c.Count(ctx, "r.status = 'rejected'")
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, remit.SkippedRejected(n))
		}
	}
	n, err := c.Count(ctx, "r.status = 'written_off'")
	if err != nil {
		return nil, err
	}
	if n > 0 {
		out = append(out, remit.Skipped{Count: n, Reason: "written off (remit writeoff)", Hint: "never collected again"})
	}
	return out, nil
}

// uncollectable groups the counts by the reason no remittance collects
// them, in the order of their first count.
func uncollectable(counts []MethodCount) []remit.Skipped {
	byReason := map[string]*MethodCount{}
	var reasons []string
	for _, c := range counts {
		why := remit.UncollectableReason(c.Method, c.Currency)
		if byReason[why] == nil {
			reasons = append(reasons, why)
			byReason[why] = &MethodCount{Method: c.Method, Currency: c.Currency}
		}
		byReason[why].N += c.N
	}
	out := make([]remit.Skipped, 0, len(reasons))
	for _, why := range reasons {
		g := byReason[why]
		out = append(out, remit.SkippedUncollectable(g.N, g.Method, g.Currency))
	}
	return out
}

// Target takes, in order, each receivable that still fits under a target
// in cents, never exceeding it, stopping when it is reached.
type Target struct {
	res   remit.PointResult
	total int64
	// IDs are the receivables taken, to be pointed.
	IDs []int64
}

// NewTarget starts a Target of target cents.
func NewTarget(target int64) *Target { return &Target{res: remit.PointResult{Target: target}} }

// Take takes r if it fits; it returns false once the target is reached.
func (t *Target) Take(r remit.Receivable) bool {
	if t.total == t.res.Target {
		return false
	}
	if t.total+r.Amount > t.res.Target {
		return true
	}
	t.total += r.Amount
	t.res.Count++
	t.res.Totals = remit.AddTotal(t.res.Totals, r.Currency, r.Amount)
	if len(t.res.Items) < remit.MaxPointItems {
		r.Status = remit.StatusPointed
		t.res.Items = append(t.res.Items, r)
	}
	t.IDs = append(t.IDs, r.ID)
	return true
}

// TakeAll takes, in order, the rows of ReceivableSelect that fit, until
// the target is reached.
func (t *Target) TakeAll(rows Rows) error {
	for rows.Next() {
		r, err := ScanReceivable(rows)
		if err != nil {
			return err
		}
		if !t.Take(r) {
			break
		}
	}
	return rows.Err()
}

// Result is what the target took.
func (t *Target) Result() *remit.PointResult { return &t.res }

// OrMax is a date string for an upper bound, unbounded when zero.
func OrMax(t time.Time) string {
	if t.IsZero() {
		return "9999-12-31"
	}
	return remit.FormatDate(t)
}
