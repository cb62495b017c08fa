package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store/internal/selection"
)

// filterWhere returns the SQL condition of a filter (on receivables r
// joined to customers c) and its arguments.
func filterWhere(f remit.Filter, creditorID int64) (string, []any) {
	conds := []string{"r.creditor_id = ?"}
	args := []any{creditorID}
	if !f.DueFrom.IsZero() {
		conds, args = append(conds, "r.due_date >= ?"), append(args, remit.FormatDate(f.DueFrom))
	}
	if !f.DueTo.IsZero() {
		conds, args = append(conds, "r.due_date <= ?"), append(args, remit.FormatDate(f.DueTo))
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
	if f.Refused {
		conds = append(conds, "r.status = 'pointed' AND r.refusal != ''")
	}
	return strings.Join(conds, " AND "), args
}

// Receivables calls fn for every receivable of the creditor that the filter
// selects, by due date, customer and document. It streams: memory does not
// grow with the number of rows.
func (s *Store) Receivables(ctx context.Context, creditorID int64, f remit.Filter, fn func(remit.Receivable) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	where, args := filterWhere(f, creditorID)
	order := " ORDER BY r.due_date, c.account, r.document"
	if f.ByCustomer {
		order = " ORDER BY c.account, r.due_date, r.document"
	}
	rows, err := s.db.QueryContext(ctx, selection.ReceivableSelect+" WHERE "+where+order, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return selection.EachReceivable(rows, fn)
}

// Point marks the selected receivables as pointed, as selection.NewPlan
// says: the open ones unless a status or documents say otherwise, only what
// a remittance collects unless named by document. With a target (cents >
// 0, in euros) it takes them in the given order and points each one that
// still fits, stopping when the target is reached, never exceeding it (seed
// 002, "montant à pointer").
func (s *Store) Point(ctx context.Context, creditorID int64, f remit.Filter, target int64, order string) (*remit.PointResult, error) {
	plan, err := selection.NewPlan(f, target, order)
	if err != nil {
		return nil, err
	}
	base, args := filterWhere(f, creditorID)
	where := plan.Where(base)
	var res *remit.PointResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if target == 0 {
			res, err = setStatus(ctx, tx, where, args, plan.OrderBy, remit.StatusPointed)
		} else {
			res, err = pointToTarget(ctx, tx, where, args, plan.OrderBy, target)
		}
		if err != nil {
			return err
		}
		res.Skipped, err = plan.Skipped(ctx, &counter{tx: tx, base: base, args: args})
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// pointToTarget points, in order, each receivable the condition selects
// that still fits under the target.
func pointToTarget(ctx context.Context, tx *sql.Tx, where string, args []any, orderBy string, target int64) (*remit.PointResult, error) {
	upd, err := tx.PrepareContext(ctx, `UPDATE receivables SET status = 'pointed', refusal = '' WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer upd.Close()
	rows, err := tx.QueryContext(ctx, selection.ReceivableSelect+" WHERE "+where+" ORDER BY "+orderBy, args...)
	if err != nil {
		return nil, err
	}
	t := selection.NewTarget(target)
	err = t.TakeAll(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	for _, id := range t.IDs {
		if _, err := upd.ExecContext(ctx, id); err != nil {
			return nil, err
		}
	}
	return t.Result(), nil
}

// counter counts, in transaction tx, what the filter's condition base
// selects (selection.Counter).
type counter struct {
	tx   *sql.Tx
	base string
	args []any
}

func (c *counter) Count(ctx context.Context, cond string) (int, error) {
	var n int
	err := c.tx.QueryRowContext(ctx, `SELECT count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE `+c.base+` AND `+cond, c.args...).Scan(&n)
	return n, err
}

func (c *counter) ByMethod(ctx context.Context, cond string) ([]selection.MethodCount, error) {
	rows, err := c.tx.QueryContext(ctx, `SELECT r.method, r.currency, count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE `+c.base+` AND `+cond+` GROUP BY r.method, r.currency ORDER BY r.method, r.currency`, c.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return selection.ReadMethodCounts(rows)
}

// Unpoint puts the selected pointed receivables back to open.
func (s *Store) Unpoint(ctx context.Context, creditorID int64, f remit.Filter) (*remit.PointResult, error) {
	f.Status = remit.StatusPointed
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := filterWhere(f, creditorID)
	var res *remit.PointResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = setStatus(ctx, tx, where, args, "r.due_date, c.account, r.document", remit.StatusOpen)
		return err
	})
	return res, err
}

// setStatus gives every receivable the condition selects a new status (and
// clears its refusal): counted by one aggregate per currency, the first
// MaxPointItems listed for display, updated by one statement.
func setStatus(ctx context.Context, tx *sql.Tx, where string, args []any, orderBy, status string) (*remit.PointResult, error) {
	res := &remit.PointResult{}
	totals, err := tx.QueryContext(ctx, `SELECT r.currency, count(*), sum(r.amount)
		FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+` GROUP BY r.currency ORDER BY r.currency`, args...)
	if err != nil {
		return nil, err
	}
	res.Count, res.Totals, err = selection.ReadTotals(totals)
	totals.Close()
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, selection.ReceivableSelect+" WHERE "+where+" ORDER BY "+orderBy+fmt.Sprintf(" LIMIT %d", remit.MaxPointItems), args...)
	if err != nil {
		return nil, err
	}
	err = selection.EachReceivable(rows, func(r remit.Receivable) error {
		r.Status = status
		res.Items = append(res.Items, r)
		return nil
	})
	rows.Close()
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE receivables SET status = ?, refusal = '' WHERE id IN (
		SELECT r.id FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+`)`, append([]any{status}, args...)...)
	return res, err
}

// PointedByMethod counts the creditor's pointed receivables per method.
func (s *Store) PointedByMethod(ctx context.Context, creditorID int64) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT method, count(*) FROM receivables WHERE creditor_id = ? AND status = 'pointed' GROUP BY method`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return selection.ReadCounts(rows)
}

// Documents returns at most limit document numbers of the creditor that
// start with prefix, in order: what shell completion offers.
func (s *Store) Documents(ctx context.Context, creditorID int64, prefix string, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT document FROM receivables WHERE creditor_id = ? AND document >= ?
		ORDER BY document LIMIT ?`, creditorID, prefix, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return selection.ReadDocuments(rows, prefix)
}

// RefusedOutside counts the creditor's refused receivables (pointed, which
// a run left with a refusal) that the filter's due dates leave out: a list of
// this month must not hide last month's refusals.
func (s *Store) RefusedOutside(ctx context.Context, creditorID int64, f remit.Filter) (int, error) {
	if f.DueFrom.IsZero() && f.DueTo.IsZero() {
		return 0, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM receivables WHERE creditor_id = ? AND status = 'pointed' AND refusal != ''
		AND (due_date < ? OR due_date > ?)`, creditorID, remit.FormatDate(f.DueFrom), selection.OrMax(f.DueTo)).Scan(&n)
	return n, err
}
