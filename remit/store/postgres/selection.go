package postgres

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
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

const receivableSelect = `SELECT r.id, r.document, c.account, c.name, r.amount, r.currency, r.issue_date, r.due_date,
	r.method, r.journal, r.status, r.refusal, r.refused_at, r.refusal_todo, c.priority, r.label,
	COALESCE((SELECT ri.remittance_id FROM remittance_items ri WHERE ri.receivable_id = r.id AND ri.status != 'cancelled'
		ORDER BY ri.id DESC LIMIT 1), 0)
	FROM receivables r JOIN customers c ON c.id = r.customer_id`

func scanReceivable(rows pgx.Rows) (remit.Receivable, error) {
	var r remit.Receivable
	var issue, due, refusedAt, todo string
	var remID int64
	err := rows.Scan(&r.ID, &r.Document, &r.Customer, &r.Name, &r.Amount, &r.Currency, &issue, &due,
		&r.Method, &r.Journal, &r.Status, &r.Refusal, &refusedAt, &todo, &r.Priority, &r.Label, &remID)
	r.IssueDate, r.DueDate = remit.StoredDate(issue), remit.StoredDate(due)
	if r.Status == remit.StatusPointed && r.Refusal != "" {
		r.RefusedAt, r.Todo = strings.Replace(refusedAt, "T", " ", 1), remit.Todo(todo)
	}
	if remID != 0 {
		r.Remittance = remit.Ref(remID)
	}
	return r, err
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
	rows, err := s.Pool.Query(ctx, receivableSelect+" WHERE "+where+order, p...)
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

// collectableSQL is the SQL condition (on receivables r) a receivable some
// remittance can take meets: one of remittedMethods, in its currency.
func collectableSQL() string {
	var conds []string
	for _, m := range sortedKeys(remit.RemittedMethods) {
		conds = append(conds, "(r.method = '"+m+"' AND r.currency = '"+remit.RemittedMethods[m]+"')")
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// Point marks the selected receivables as pointed, with the SQLite store's
// rules (see sqlite.Store.Point): the open ones unless a status or
// documents say otherwise, only what a remittance collects unless named by
// document, up to a target in euros in the order given.
func (s *Store) Point(ctx context.Context, creditorID int64, f remit.Filter, target int64, order string) (*remit.PointResult, error) {
	named := len(f.Documents) > 0
	statuses := "'open'"
	switch f.Status {
	case "":
		if named {
			statuses = "'open', 'rejected'"
		}
	case "all":
		statuses = "'open', 'rejected'"
	case remit.StatusOpen, remit.StatusRejected:
		statuses = "'" + f.Status + "'"
	default:
		return nil, fmt.Errorf("status %s: %w", f.Status, remit.ErrNotPointable)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	orderBy := "r.due_date, c.account, r.document"
	if target > 0 {
		switch order {
		case "", remit.OrderPriorityDue:
			orderBy = "c.priority, r.due_date, c.account, r.document"
		case remit.OrderDuePriority:
			orderBy = "r.due_date, c.priority, c.account, r.document"
		default:
			return nil, fmt.Errorf("order %q: want %s or %s", order, remit.OrderPriorityDue, remit.OrderDuePriority)
		}
	}
	var p params
	base := filterWhere(f, creditorID, &p)
	where := base + " AND r.status IN (" + statuses + ")"
	if !named {
		where += " AND " + collectableSQL()
	} else if target > 0 {
		where += " AND r.currency = 'EUR'" // the target is in euros
	}
	var res *remit.PointResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
		var err error
		if target == 0 {
			res, err = setStatus(ctx, tx, where, p, orderBy, remit.StatusPointed)
		} else {
			res, err = pointToTarget(ctx, tx, where, p, orderBy, target)
		}
		if err != nil {
			return err
		}
		res.Skipped, err = pointSkipped(ctx, tx, base, p, statuses, f.Status, named, target > 0)
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
	res := &remit.PointResult{Target: target}
	rows, err := tx.Query(ctx, receivableSelect+" WHERE "+where+" ORDER BY "+orderBy, p...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var total int64
	for rows.Next() {
		r, err := scanReceivable(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if total == target {
			break
		}
		if total+r.Amount > target {
			continue
		}
		total += r.Amount
		res.Count++
		res.Totals = remit.AddTotal(res.Totals, r.Currency, r.Amount)
		if len(res.Items) < remit.MaxPointItems {
			r.Status = remit.StatusPointed
			res.Items = append(res.Items, r)
		}
		ids = append(ids, r.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `UPDATE receivables SET status = 'pointed', refusal = '' WHERE id = ANY($1::bigint[])`, ids)
	return res, err
}

// pointSkipped counts what the filters (base) select, with the statuses
// Point takes, that it left alone: receivables no remittance collects
// (unless named by document), other currencies than the target's; and the
// rejected ones when they were not asked for.
func pointSkipped(ctx context.Context, tx pgx.Tx, base string, p params, statuses, status string, named, target bool) ([]remit.Skipped, error) {
	var out []remit.Skipped
	if !named {
		rows, err := tx.Query(ctx, `SELECT r.method, r.currency, count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
			WHERE `+base+` AND r.status IN (`+statuses+`) AND NOT `+collectableSQL()+`
			GROUP BY r.method, r.currency ORDER BY r.method, r.currency`, p...)
		if err != nil {
			return nil, err
		}
		byReason := map[string]int{}
		var reasons []string
		for rows.Next() {
			var method, currency string
			var n int
			if err := rows.Scan(&method, &currency, &n); err != nil {
				rows.Close()
				return nil, err
			}
			why := remit.UncollectableReason(method, currency)
			if byReason[why] == 0 {
				reasons = append(reasons, why)
			}
			byReason[why] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, why := range reasons {
			out = append(out, remit.Skipped{Count: byReason[why], Reason: why, Hint: "name them with --document to point them anyway"})
		}
	} else if target {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
			WHERE `+base+` AND r.status IN (`+statuses+`) AND r.currency != 'EUR'`, p...).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, remit.Skipped{Count: n, Reason: "not in euros: the target is an amount in euros", Hint: "point them without --target"})
		}
	}
	if (status == "" || status == remit.StatusOpen) && !named {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
			WHERE `+base+` AND r.status = 'rejected'`, p...).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, remit.Skipped{Count: n, Reason: "rejected (they came back unpaid): pointed again only when asked for",
				Hint: "point them with --status rejected or --document"})
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE `+base+` AND r.status = 'written_off'`, p...).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		out = append(out, remit.Skipped{Count: n, Reason: "written off (remit writeoff)", Hint: "never collected again"})
	}
	return out, nil
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
	for totals.Next() {
		var t remit.CurrencyTotal
		if err := totals.Scan(&t.Currency, &t.Count, &t.Total); err != nil {
			totals.Close()
			return nil, err
		}
		res.Count += t.Count
		res.Totals = append(res.Totals, t)
	}
	totals.Close()
	if err := totals.Err(); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, receivableSelect+" WHERE "+where+" ORDER BY "+orderBy+fmt.Sprintf(" LIMIT %d", remit.MaxPointItems), p...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r, err := scanReceivable(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.Status = status
		res.Items = append(res.Items, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(d, prefix) {
			break
		}
		out = append(out, d)
	}
	return out, rows.Err()
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
		AND (due_date < $2 OR due_date > $3)`, creditorID, remit.FormatDate(f.DueFrom), orMax(f.DueTo)).Scan(&n)
	return n, err
}

// orMax is a date string for an upper bound, unbounded when zero.
func orMax(t time.Time) string {
	if t.IsZero() {
		return "9999-12-31"
	}
	return remit.FormatDate(t)
}
