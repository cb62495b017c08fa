package remit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Statuses of a receivable.
const (
	StatusOpen     = "open"     // to collect, not pointed
	StatusPointed  = "pointed"  // chosen for the next remittance
	StatusRemitted = "remitted" // in a remittance
	StatusRejected = "rejected" // came back unpaid; can be pointed again
	StatusPaid     = "paid"
)

// Filter selects receivables, as in seed 001's selection screen: due date
// range, customer account range, payment method, treasury journal,
// documents and status.
type Filter struct {
	DueFrom, DueTo           time.Time // zero: unbounded
	CustomerFrom, CustomerTo string    // account codes; a bound is inclusive and To also matches as a prefix
	Method                   string    // "" or "any": every method; "none": no method; else one method
	Journal                  string    // "" or "any"; "none": no journal; else one code
	Documents                []string
	Status                   string // "" or "all", or one status
	ByCustomer               bool   // order by customer, then due date (for lists grouped by customer)
}

// Validate checks the filter's enumerations.
func (f Filter) Validate() error {
	if _, ok := methods[f.Method]; !ok && f.Method != "any" && f.Method != "none" {
		return fmt.Errorf("method %q: want none, any, sdd, lcr, chq, vir, esp or cb", f.Method)
	}
	switch f.Status {
	case "", "all", StatusOpen, StatusPointed, StatusRemitted, StatusRejected, StatusPaid:
	default:
		return fmt.Errorf("status %q: want open, pointed, remitted, rejected, paid or all", f.Status)
	}
	if !f.DueFrom.IsZero() && !f.DueTo.IsZero() && f.DueTo.Before(f.DueFrom) {
		return fmt.Errorf("due date range: %s is after %s", dateString(f.DueFrom), dateString(f.DueTo))
	}
	return nil
}

// where returns the SQL condition (on receivables r joined to customers c) and its arguments.
func (f Filter) where(creditorID int64) (string, []any) {
	conds := []string{"r.creditor_id = ?"}
	args := []any{creditorID}
	if !f.DueFrom.IsZero() {
		conds, args = append(conds, "r.due_date >= ?"), append(args, dateString(f.DueFrom))
	}
	if !f.DueTo.IsZero() {
		conds, args = append(conds, "r.due_date <= ?"), append(args, dateString(f.DueTo))
	}
	if f.CustomerFrom != "" {
		conds, args = append(conds, "c.account >= ?"), append(args, f.CustomerFrom)
	}
	if f.CustomerTo != "" {
		conds = append(conds, "(c.account <= ? OR substr(c.account, 1, ?) = ?)")
		args = append(args, f.CustomerTo, len(f.CustomerTo), f.CustomerTo)
	}
	switch f.Method {
	case "", "any":
	case "none":
		conds = append(conds, "r.method = ''")
	default:
		conds, args = append(conds, "r.method = ?"), append(args, f.Method)
	}
	switch f.Journal {
	case "", "any":
	case "none":
		conds = append(conds, "r.journal = ''")
	default:
		conds, args = append(conds, "r.journal = ?"), append(args, f.Journal)
	}
	if len(f.Documents) > 0 {
		conds = append(conds, "r.document IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Documents)), ", ")+")")
		for _, d := range f.Documents {
			args = append(args, d)
		}
	}
	if f.Status != "" && f.Status != "all" {
		conds, args = append(conds, "r.status = ?"), append(args, f.Status)
	}
	return strings.Join(conds, " AND "), args
}

// Receivable is one échéance as listed.
type Receivable struct {
	ID         int64
	Document   string
	Customer   string // account code
	Name       string
	Amount     int64
	Currency   string
	IssueDate  time.Time
	DueDate    time.Time
	Method     string
	Journal    string
	Status     string
	Remittance string // reference of the remittance holding it, if any
	Refusal    string // why the last run left it pointed
	Priority   int
	Label      string
}

const receivableSelect = `SELECT r.id, r.document, c.account, c.name, r.amount, r.currency, r.issue_date, r.due_date,
	r.method, r.journal, r.status, r.refusal, c.priority, r.label,
	COALESCE((SELECT ri.remittance_id FROM remittance_items ri WHERE ri.receivable_id = r.id AND ri.status != 'cancelled'
		ORDER BY ri.id DESC LIMIT 1), 0)
	FROM receivables r JOIN customers c ON c.id = r.customer_id`

func scanReceivable(rows *sql.Rows) (Receivable, error) {
	var r Receivable
	var issue, due string
	var remID int64
	err := rows.Scan(&r.ID, &r.Document, &r.Customer, &r.Name, &r.Amount, &r.Currency, &issue, &due,
		&r.Method, &r.Journal, &r.Status, &r.Refusal, &r.Priority, &r.Label, &remID)
	r.IssueDate, r.DueDate = parseStored(issue), parseStored(due)
	if remID != 0 {
		r.Remittance = Ref(remID)
	}
	return r, err
}

// Ref formats a remittance number as its reference: at least 3 digits.
func Ref(id int64) string { return fmt.Sprintf("%03d", id) }

// Receivables calls fn for every receivable of the creditor that the filter
// selects, by due date, customer and document. It streams: memory does not
// grow with the number of rows.
func (s *Store) Receivables(ctx context.Context, creditorID int64, f Filter, fn func(Receivable) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	where, args := f.where(creditorID)
	order := " ORDER BY r.due_date, c.account, r.document"
	if f.ByCustomer {
		order = " ORDER BY c.account, r.due_date, r.document"
	}
	rows, err := s.DB.QueryContext(ctx, receivableSelect+" WHERE "+where+order, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReceivable(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Point orders.
const (
	OrderPriorityDue = "priority-due" // highest priority first, then earliest due date
	OrderDuePriority = "due-priority" // earliest due date first, then highest priority
)

// PointResult is what Point or Unpoint changed.
type PointResult struct {
	Count  int
	Total  int64
	Items  []Receivable // the first MaxPointItems changed receivables, for display
	Target int64        // the target amount, 0 if none
}

// MaxPointItems bounds the receivables PointResult lists.
const MaxPointItems = 500

// ErrNotPointable is returned when the filter's status cannot be pointed.
var ErrNotPointable = errors.New("only open or rejected receivables can be pointed")

// Point marks the selected open or rejected receivables as pointed. With a
// target (cents > 0) it takes them in the given order and points each one
// that still fits, stopping when the target is reached, never exceeding it
// (seed 002, "montant à pointer").
func (s *Store) Point(ctx context.Context, creditorID int64, f Filter, target int64, order string) (*PointResult, error) {
	switch f.Status {
	case "", "all":
		f.Status = ""
	case StatusOpen, StatusRejected:
	default:
		return nil, fmt.Errorf("status %s: %w", f.Status, ErrNotPointable)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := f.where(creditorID)
	if f.Status == "" {
		where += " AND r.status IN ('open', 'rejected')"
	}
	orderBy := "r.due_date, c.account, r.document"
	if target > 0 {
		switch order {
		case "", OrderPriorityDue:
			orderBy = "c.priority DESC, r.due_date, c.account, r.document"
		case OrderDuePriority:
			orderBy = "r.due_date, c.priority DESC, c.account, r.document"
		default:
			return nil, fmt.Errorf("order %q: want %s or %s", order, OrderPriorityDue, OrderDuePriority)
		}
	}
	res := &PointResult{Target: target}
	if target == 0 {
		return s.setStatus(ctx, where, args, orderBy, StatusPointed)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		upd, err := tx.PrepareContext(ctx, `UPDATE receivables SET status = 'pointed', refusal = '' WHERE id = ?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		rows, err := tx.QueryContext(ctx, receivableSelect+" WHERE "+where+" ORDER BY "+orderBy, args...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			r, err := scanReceivable(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if target > 0 {
				if res.Total == target {
					break
				}
				if res.Total+r.Amount > target {
					continue
				}
			}
			res.Count++
			res.Total += r.Amount
			if len(res.Items) < MaxPointItems {
				r.Status = StatusPointed
				res.Items = append(res.Items, r)
			}
			ids = append(ids, r.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := upd.ExecContext(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Unpoint puts the selected pointed receivables back to open.
func (s *Store) Unpoint(ctx context.Context, creditorID int64, f Filter) (*PointResult, error) {
	f.Status = StatusPointed
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := f.where(creditorID)
	return s.setStatus(ctx, where, args, "r.due_date, c.account, r.document", StatusOpen)
}

// setStatus gives every receivable the condition selects a new status (and
// clears its refusal), in one transaction: counted by one aggregate, the
// first MaxPointItems listed for display, updated by one statement.
func (s *Store) setStatus(ctx context.Context, where string, args []any, orderBy, status string) (*PointResult, error) {
	res := &PointResult{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(r.amount), 0)
			FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where, args...).Scan(&res.Count, &res.Total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, receivableSelect+" WHERE "+where+" ORDER BY "+orderBy+fmt.Sprintf(" LIMIT %d", MaxPointItems), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			r, err := scanReceivable(rows)
			if err != nil {
				rows.Close()
				return err
			}
			r.Status = status
			res.Items = append(res.Items, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE receivables SET status = ?, refusal = '' WHERE id IN (
			SELECT r.id FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+`)`, append([]any{status}, args...)...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// PointedByMethod counts the creditor's pointed receivables per method.
func (s *Store) PointedByMethod(ctx context.Context, creditorID int64) (map[string]int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT method, count(*) FROM receivables WHERE creditor_id = ? AND status = 'pointed' GROUP BY method`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		out[m] = n
	}
	return out, rows.Err()
}
