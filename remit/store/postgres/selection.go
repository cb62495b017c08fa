package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store/internal/selection"
)

// params numbers a statement's parameters as it is written: p.add(v) is
// $n for the n-th value.
type params []any

func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// filterWhere returns the SQL condition of a filter (on receivables r
// joined to customers c), its parameters added to p.
func filterWhere(f remit.Filter, creditorID int64, p *params) string {
	conds := []string{"r.creditor_id = " + p.add(creditorID)}
	if !f.DueFrom.IsZero() {
		conds = append(conds, "r.due_date >= "+p.add(remit.FormatDate(f.DueFrom)))
	}
	if !f.DueTo.IsZero() {
		conds = append(conds, "r.due_date <= "+p.add(remit.FormatDate(f.DueTo)))
	}
	if f.CustomerFrom != "" {
		conds = append(conds, "c.account >= "+p.add(f.CustomerFrom))
	}
	if f.CustomerTo != "" {
		to := p.add(f.CustomerTo)
		// SQLite's substr counts characters, as PostgreSQL's does; the
		// length is the bound's in bytes, as the SQLite store gives it.
		conds = append(conds, "(c.account <= "+to+" OR substr(c.account, 1, "+p.add(len(f.CustomerTo))+") = "+to+")")
	}
	switch f.Method {
	case "", "any":
	case "none":
		conds = append(conds, "r.method = ''")
	default:
		conds = append(conds, "r.method = "+p.add(f.Method))
	}
	switch f.Journal {
	case "", "any":
	case "none":
		conds = append(conds, "r.journal = ''")
	default:
		conds = append(conds, "r.journal = "+p.add(f.Journal))
	}
	if len(f.Documents) > 0 {
		conds = append(conds, "r.document = ANY("+p.add(f.Documents)+"::text[])")
	}
	if f.Status != "" && f.Status != "all" {
		conds = append(conds, "r.status = "+p.add(f.Status))
	}
	if f.Refused {
		conds = append(conds, "r.status = 'pointed' AND r.refusal != ''")
	}
	return strings.Join(conds, " AND ")
}

// Receivables calls fn for every receivable of the creditor that the filter
// selects, by due date, customer and document. It streams: memory does not
// grow with the number of rows.
func (s *Store) Receivables(ctx context.Context, creditorID int64, f remit.Filter, fn func(remit.Receivable) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	var p params
	where := filterWhere(f, creditorID, &p)
	order := " ORDER BY r.due_date, c.account, r.document"
	if f.ByCustomer {
		order = " ORDER BY c.account, r.due_date, r.document"
	}
	rows, err := s.Pool.Query(ctx, selection.ReceivableSelect+" WHERE "+where+order, p...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return selection.EachReceivable(rows, fn)
}

// Point marks the selected receivables as pointed, as selection.NewPlan
// says (see sqlite.Store.Point): the open ones unless a status or
// documents say otherwise, only what a remittance collects unless named by
// document, up to a target in euros in the order given.
func (s *Store) Point(ctx context.Context, creditorID int64, f remit.Filter, target int64, order string) (*remit.PointResult, error) {
	plan, err := selection.NewPlan(f, target, order)
	if err != nil {
		return nil, err
	}
	var p params
	base := filterWhere(f, creditorID, &p)
	where := plan.Where(base)
	var res *remit.PointResult
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
		var err error
		if target == 0 {
			res, err = setStatus(ctx, tx, where, p, plan.OrderBy, remit.StatusPointed)
		} else {
			res, err = pointToTarget(ctx, tx, where, p, plan.OrderBy, target)
		}
		if err != nil {
			return err
		}
		res.Skipped, err = plan.Skipped(ctx, &counter{tx: tx, base: base, p: p})
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// pointToTarget points, in order, each receivable the condition selects
// that still fits under the target.
func pointToTarget(ctx context.Context, tx pgx.Tx, where string, p params, orderBy string, target int64) (*remit.PointResult, error) {
	rows, err := tx.Query(ctx, selection.ReceivableSelect+" WHERE "+where+" ORDER BY "+orderBy, p...)
	if err != nil {
		return nil, err
	}
	t := selection.NewTarget(target)
	err = t.TakeAll(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `UPDATE receivables SET status = 'pointed', refusal = '' WHERE id = ANY($1::bigint[])`, t.IDs)
	return t.Result(), err
}

// counter counts, in transaction tx, what the filter's condition base
// selects (selection.Counter).
type counter struct {
	tx   pgx.Tx
	base string
	p    params
}

func (c *counter) Count(ctx context.Context, cond string) (int, error) {
	var n int
	err := c.tx.QueryRow(ctx, `SELECT count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE `+c.base+` AND `+cond, c.p...).Scan(&n)
	return n, err
}

func (c *counter) ByMethod(ctx context.Context, cond string) ([]selection.MethodCount, error) {
	rows, err := c.tx.Query(ctx, `SELECT r.method, r.currency, count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE `+c.base+` AND `+cond+` GROUP BY r.method, r.currency ORDER BY r.method, r.currency`, c.p...)
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
	var p params
	where := filterWhere(f, creditorID, &p)
	var res *remit.PointResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
		var err error
		res, err = setStatus(ctx, tx, where, p, "r.due_date, c.account, r.document", remit.StatusOpen)
		return err
	})
	return res, err
}

// setStatus gives every receivable the condition selects a new status (and
// clears its refusal): counted by one aggregate per currency, the first
// MaxPointItems listed for display, updated by one statement.
func setStatus(ctx context.Context, tx pgx.Tx, where string, p params, orderBy, status string) (*remit.PointResult, error) {
	res := &remit.PointResult{}
	totals, err := tx.Query(ctx, `SELECT r.currency, count(*), sum(r.amount)::bigint
		FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+` GROUP BY r.currency ORDER BY r.currency`, p...)
	if err != nil {
		return nil, err
	}
	res.Count, res.Totals, err = selection.ReadTotals(totals)
	totals.Close()
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, selection.ReceivableSelect+" WHERE "+where+" ORDER BY "+orderBy+fmt.Sprintf(" LIMIT %d", remit.MaxPointItems), p...)
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
	_, err = tx.Exec(ctx, `UPDATE receivables r SET status = `+p.add(status)+`, refusal = '' FROM customers c
		WHERE c.id = r.customer_id AND `+where, p...)
	return res, err
}

// PointedByMethod counts the creditor's pointed receivables per method.
func (s *Store) PointedByMethod(ctx context.Context, creditorID int64) (map[string]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT method, count(*) FROM receivables WHERE creditor_id = $1 AND status = 'pointed' GROUP BY method`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return selection.ReadCounts(rows)
}

// Documents returns at most limit document numbers of the creditor that
// start with prefix, in order: what shell completion offers.
func (s *Store) Documents(ctx context.Context, creditorID int64, prefix string, limit int) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT document FROM receivables WHERE creditor_id = $1 AND document >= $2
		ORDER BY document LIMIT $3`, creditorID, prefix, limit)
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
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM receivables WHERE creditor_id = $1 AND status = 'pointed' AND refusal != ''
		AND (due_date < $2 OR due_date > $3)`, creditorID, remit.FormatDate(f.DueFrom), selection.OrMax(f.DueTo)).Scan(&n)
	return n, err
}
