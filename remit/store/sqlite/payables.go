package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// The payables (effets à payer) and their groups and rules: what
// store.PayableStore says. The rules of which payable a selection takes,
// which ones group and what an import changes are the domain's
// (remit/payables); this file only reads and writes them.

var _ store.PayableStore = (*Store)(nil)

// payableCols are the columns scanPayable reads, p the payables table and
// g its group.
const payableCols = `p.id, p.document, p.supplier, p.name, p.street, p.building, p.postcode, p.town, p.country, p.amount,
	p.currency, p.issue_date, p.due_date, p.method, p.iban, p.bic, p.journal, p.priority, p.label, p.discount_rate,
	p.discount_until, p.parent, p.approved, p.approved_at, p.contested, p.contest_reason, p.status, COALESCE(p.group_id, 0),
	COALESCE(g.manual, 0), p.prepared, p.refusal, p.refused_at, p.refusal_todo, p.source, p.import_id, p.import_line, ` + paymentRefSQL

// paymentRefSQL is the reference of the remittance whose payment stands
// for a payable (remit.Ref), ” when none.
const paymentRefSQL = `COALESCE((SELECT printf('%03d', pm.remittance_id) FROM payment_lines l JOIN payments pm ON pm.id = l.payment_id
	WHERE l.payable_id = p.id AND l.active = 1 AND pm.remittance_id IS NOT NULL), '')`

const payableFrom = ` FROM payables p LEFT JOIN payable_groups g ON g.id = p.group_id`

func scanPayable(row interface{ Scan(...any) error }) (store.PayableRow, error) {
	var r store.PayableRow
	var issue, due, until, method, status, todo string
	var rate int64
	p := &r.Payable
	err := row.Scan(&r.ID, &p.Document, &p.Supplier, &p.Name, &p.Address.Street, &p.Address.Building, &p.Address.Postcode,
		&p.Address.Town, &p.Address.Country, &p.Amount, &p.Currency, &issue, &due, &method, &p.IBAN, &p.BIC, &p.Journal,
		&p.Priority, &p.Label, &rate, &until, &p.Parent, &p.Approved, &r.ApprovedAt, &p.Contested, &p.ContestReason, &status,
		&r.Group, &r.Manual, &r.Prepared, &r.Refusal, &r.RefusedAt, &todo, &r.Source, &r.ImportID, &r.ImportLine, &r.Payment)
	if err != nil {
		return r, err
	}
	p.Issue, p.Due = remit.StoredDate(issue), remit.StoredDate(due)
	p.Method, p.Status, r.Todo = payables.Method(method), payables.Status(status), remit.Todo(todo)
	p.Discount = payables.Discount{Rate: payables.Rate(rate), Until: remit.StoredDate(until)}
	r.RefusedAt = strings.Replace(r.RefusedAt, "T", " ", 1)
	return r, nil
}

// rowQueryer is what reading payables needs: the database or a transaction.
type rowQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Payables streams the payables the filter selects, by due date then
// document. The store narrows by creditor, status and documents; the
// domain's Filter.Match decides the rest (its one copy of the rule).
func (s *Store) Payables(ctx context.Context, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	return selectPayables(ctx, s.db, creditorID, f, fn)
}

func selectPayables(ctx context.Context, q rowQueryer, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	where := []string{"p.creditor_id = ?"}
	args := []any{creditorID}
	status := f.Status
	if f.Refused {
		where = append(where, "p.refusal != ''")
		status = payables.StatusPointed
	}
	if status != "" {
		where = append(where, "p.status = ?")
		args = append(args, string(status))
	}
	if len(f.Documents) > 0 {
		where = append(where, "p.document IN (?"+strings.Repeat(", ?", len(f.Documents)-1)+")")
		for _, d := range f.Documents {
			args = append(args, d)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+payableCols+payableFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY p.due_date, p.document`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanPayable(rows)
		if err != nil {
			return err
		}
		if !f.Match(r.Payable, f.ApprovalRequired) {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GroupingRules are the creditor's grouping rules, by method, mode and account.
func (s *Store) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	return groupingRules(ctx, s.db, creditorID)
}

func groupingRules(ctx context.Context, q rowQueryer, creditorID int64) (payables.Rules, error) {
	rows, err := q.QueryContext(ctx, `SELECT method, account, manual, active, party, same_bank, within_days FROM grouping_rules
		WHERE creditor_id = ? ORDER BY method, manual, account`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out payables.Rules
	for rows.Next() {
		var r payables.Rule
		var method, party string
		var within sql.NullInt64
		if err := rows.Scan(&method, &r.Account, &r.Manual, &r.Active, &party, &r.SameBank, &within); err != nil {
			return nil, err
		}
		r.Method, r.Party, r.Within = payables.Method(method), payables.Party(party), payables.AnyDays
		if within.Valid {
			r.Within = int(within.Int64)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// payablesTx is a write transaction on the payables (store.PayablesTx).
type payablesTx struct {
	s *Store
	q *sql.Tx
	c *stmtCache
}

// UpdatePayables runs fn in a write transaction, committed when fn
// returns nil.
func (s *Store) UpdatePayables(ctx context.Context, fn func(store.PayablesTx) error) error {
	return s.inTx(ctx, func(q *sql.Tx) error {
		t := &payablesTx{s: s, q: q, c: newStmtCache(q)}
		defer t.c.close()
		return fn(t)
	})
}

func (t *payablesTx) Payables(ctx context.Context, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	return selectPayables(ctx, t.q, creditorID, f, fn)
}

func (t *payablesTx) Payable(ctx context.Context, creditorID int64, document string) (store.PayableRow, bool, error) {
	r, err := scanPayable(t.c.QueryRowContext(ctx, `SELECT `+payableCols+payableFrom+` WHERE p.creditor_id = ? AND p.document = ?`,
		creditorID, document))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

func (t *payablesTx) GroupMembers(ctx context.Context, group int64) ([]store.PayableRow, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+payableCols+payableFrom+` WHERE p.group_id = ? ORDER BY p.document`, group)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.PayableRow
	for rows.Next() {
		r, err := scanPayable(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *payablesTx) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	return groupingRules(ctx, t.q, creditorID)
}

func (t *payablesTx) SaveGroupingRule(ctx context.Context, creditorID int64, r payables.Rule) error {
	party := r.Party
	if party == "" {
		party = payables.SameSupplier
	}
	var within sql.NullInt64
	if r.Within >= 0 {
		within = sql.NullInt64{Int64: int64(r.Within), Valid: true}
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO grouping_rules (creditor_id, method, account, manual, active, party, same_bank, within_days)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (creditor_id, method, account, manual) DO UPDATE SET active = excluded.active,
		party = excluded.party, same_bank = excluded.same_bank, within_days = excluded.within_days`,
		creditorID, string(r.Method), r.Account, r.Manual, r.Active, string(party), r.SameBank, within)
	return err
}

func (t *payablesTx) DeleteGroupingRule(ctx context.Context, creditorID int64, method payables.Method, account string, manual bool) (bool, error) {
	res, err := t.q.ExecContext(ctx, `DELETE FROM grouping_rules WHERE creditor_id = ? AND method = ? AND account = ? AND manual = ?`,
		creditorID, string(method), account, manual)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (t *payablesTx) StartImport(ctx context.Context, file string, at time.Time) (int64, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected, kind)
		VALUES (?, '', ?, 0, 0, 0, 0, 0, 'payables')`, file, at.Format(remit.TimestampLayout))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *payablesTx) FinishImport(ctx context.Context, importID int64, sha256 string, res *remit.ImportResult) error {
	_, err := t.q.ExecContext(ctx, `UPDATE imports SET sha256 = ?, lines = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?`,
		sha256, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected, importID)
	return err
}

// payableValues are a payable's stored columns from supplier to status,
// in the order of the INSERT and UPDATE below.
func payableValues(p payables.Payable) []any {
	status := p.Status
	if status == "" {
		status = payables.StatusOpen
	}
	return []any{p.Supplier, p.Name, p.Address.Street, p.Address.Building, p.Address.Postcode, p.Address.Town,
		p.Address.Country, p.Amount, p.Currency, remit.FormatDate(p.Issue), remit.FormatDate(p.Due), string(p.Method), p.IBAN,
		p.BIC, p.Journal, p.Priority, p.Label, int64(p.Discount.Rate), remit.FormatDate(p.Discount.Until), p.Parent, p.Approved,
		p.Contested, p.ContestReason, string(status)}
}

const payableValueCols = `supplier, name, street, building, postcode, town, country, amount, currency, issue_date, due_date,
	method, iban, bic, journal, priority, label, discount_rate, discount_until, parent, approved, contested, contest_reason, status`

func (t *payablesTx) InsertPayable(ctx context.Context, creditorID int64, p payables.Payable, source string, importID int64, line int) (int64, error) {
	approvedAt := ""
	if p.Approved {
		approvedAt = t.s.now().Format(remit.TimestampLayout)
	}
	args := append([]any{creditorID, p.Document}, payableValues(p)...)
	args = append(args, approvedAt, source, importID, line)
	var id int64
	err := t.c.QueryRowContext(ctx, `INSERT INTO payables (creditor_id, document, `+payableValueCols+`,
		approved_at, source, import_id, import_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		?, ?, ?, ?) RETURNING id`, args...).Scan(&id)
	return id, err
}

// UpdatePayable replaces a payable's values. A payable no longer pointed
// leaves its group and its refusal (which only a pointed payable has);
// approved_at is the time of a new approval.
func (t *payablesTx) UpdatePayable(ctx context.Context, id int64, p payables.Payable, importID int64, line int) error {
	// The expressions read the row as it was: the new approval and status
	// are given again.
	vals := payableValues(p)
	status := vals[len(vals)-1]
	args := append(vals, p.Approved, t.s.now().Format(remit.TimestampLayout), status, status, status, status, status, importID, line, id)
	_, err := t.c.ExecContext(ctx, `UPDATE payables SET (`+payableValueCols+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		?, ?, ?, ?, ?, ?),
		approved_at = CASE WHEN ? = 0 THEN '' WHEN approved = 0 OR approved_at = '' THEN ? ELSE approved_at END,
		group_id = CASE WHEN ? = 'pointed' THEN group_id END,
		prepared = CASE WHEN ? = 'pointed' THEN prepared ELSE 0 END,
		refusal = CASE WHEN ? = 'pointed' THEN refusal ELSE '' END,
		refused_at = CASE WHEN ? = 'pointed' THEN refused_at ELSE '' END,
		refusal_todo = CASE WHEN ? = 'pointed' THEN refusal_todo ELSE '' END,
		import_id = ?, import_line = ? WHERE id = ?`, args...)
	return err
}

func (t *payablesTx) TouchPayable(ctx context.Context, id int64, importID int64, line int) error {
	_, err := t.c.ExecContext(ctx, `UPDATE payables SET import_id = ?, import_line = ? WHERE id = ?`, importID, line, id)
	return err
}

// eachID runs query with each id as its last argument, after args.
func (t *payablesTx) eachID(ctx context.Context, ids []int64, query string, args ...any) error {
	for _, id := range ids {
		if _, err := t.c.ExecContext(ctx, query, append(args, id)...); err != nil {
			return err
		}
	}
	return nil
}

func (t *payablesTx) SetApproved(ctx context.Context, ids []int64, approved bool, at time.Time) error {
	stamp := ""
	if approved {
		stamp = at.Format(remit.TimestampLayout)
	}
	return t.eachID(ctx, ids, `UPDATE payables SET approved = ?, approved_at = CASE WHEN ? AND approved = 1 THEN approved_at ELSE ? END
		WHERE id = ? AND status IN ('open', 'pointed')`, approved, approved, stamp)
}

// SetContest contests payables (a contested payable is never pointed: it
// goes back to open, out of its group) or resolves their contest.
func (t *payablesTx) SetContest(ctx context.Context, ids []int64, contested bool, reason string) error {
	if !contested {
		return t.eachID(ctx, ids, `UPDATE payables SET contested = 0, contest_reason = '' WHERE id = ?`)
	}
	return t.eachID(ctx, ids, `UPDATE payables SET contested = 1, contest_reason = ?,
		status = CASE status WHEN 'pointed' THEN 'open' ELSE status END, group_id = NULL, prepared = 0, refusal = '', refused_at = '',
		refusal_todo = '' WHERE id = ? AND status IN ('open', 'pointed')`, reason)
}

func (t *payablesTx) Point(ctx context.Context, creditorID int64, ids []int64, method payables.Method, group, manual bool,
	at time.Time) (int64, error) {
	var gid sql.NullInt64
	if group {
		if err := t.c.QueryRowContext(ctx, `INSERT INTO payable_groups (creditor_id, method, manual, created_at) VALUES (?, ?, ?, ?)
			RETURNING id`, creditorID, string(method), manual, at.Format(remit.TimestampLayout)).Scan(&gid.Int64); err != nil {
			return 0, err
		}
		gid.Valid = true
	}
	err := t.eachID(ctx, ids, `UPDATE payables SET status = 'pointed', group_id = ?, prepared = 1 WHERE id = ? AND status IN ('open', 'pointed')
		AND contested = 0`, gid)
	return gid.Int64, err
}

func (t *payablesTx) Unpoint(ctx context.Context, ids []int64) error {
	return t.eachID(ctx, ids, `UPDATE payables SET status = 'open', group_id = NULL, prepared = 0, refusal = '', refused_at = '',
		refusal_todo = '' WHERE id = ? AND status = 'pointed'`)
}

func (t *payablesTx) Ungroup(ctx context.Context, ids []int64) error {
	return t.eachID(ctx, ids, `UPDATE payables SET group_id = NULL, prepared = 1 WHERE id = ?`)
}

// DissolveSmallGroups ends the groups of the creditor left with fewer
// than two pointed payables; the groups' rows stay, for the record.
func (t *payablesTx) DissolveSmallGroups(ctx context.Context, creditorID int64) (int, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE payables SET group_id = NULL WHERE creditor_id = ? AND group_id IN
		(SELECT group_id FROM payables WHERE creditor_id = ? AND group_id IS NOT NULL GROUP BY group_id HAVING count(*) < 2)`,
		creditorID, creditorID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *payablesTx) Customer(ctx context.Context, creditorID int64, account string) (remit.Customer, bool, error) {
	var c remit.Customer
	a := &c.Address
	err := t.q.QueryRowContext(ctx, `SELECT account, name, street, building, postcode, town, country, iban, bic, bank_name, siren
		FROM customers WHERE creditor_id = ? AND account = ?`, creditorID, account).Scan(&c.Account, &c.Name, &a.Street, &a.Building,
		&a.Postcode, &a.Town, &a.Country, &c.IBAN, &c.BIC, &c.BankName, &c.SIREN)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}

func (t *payablesTx) Refundable(ctx context.Context, creditorID int64, account string) (owed, refunded int64, err error) {
	// A suspense line is the customer's when every allocation of it went
	// to its receivables; what is left of it is what it paid too much.
	err = t.q.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT sum(l.amount - (SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id))
			FROM statement_lines l JOIN statements s ON s.id = l.statement_id
			WHERE s.creditor_id = ?1 AND l.suspense = 1
			AND EXISTS (SELECT 1 FROM allocations a JOIN receivables r ON r.id = a.receivable_id
				JOIN customers c ON c.id = r.customer_id WHERE a.line_id = l.id AND c.account = ?2)
			AND NOT EXISTS (SELECT 1 FROM allocations a JOIN receivables r ON r.id = a.receivable_id
				JOIN customers c ON c.id = r.customer_id WHERE a.line_id = l.id AND c.account != ?2)), 0)
		+ COALESCE((SELECT -sum(r.amount) FROM receivables r JOIN customers c ON c.id = r.customer_id
			WHERE r.creditor_id = ?1 AND c.account = ?2 AND r.amount < 0 AND r.status = 'open'), 0),
		COALESCE((SELECT sum(amount) FROM payables WHERE creditor_id = ?1 AND supplier = ?2 AND source = 'refund'), 0)`,
		creditorID, account).Scan(&owed, &refunded)
	return owed, refunded, err
}

func (t *payablesTx) DocumentsLike(ctx context.Context, creditorID int64, prefix string) ([]string, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT document FROM payables WHERE creditor_id = ? AND substr(document, 1, length(?)) = ?
		ORDER BY document`, creditorID, prefix, prefix)
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
		out = append(out, d)
	}
	return out, rows.Err()
}

// PointedPayables counts the creditor's pointed payables by method.
func (s *Store) PointedPayables(ctx context.Context, creditorID int64) (map[payables.Method]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT method, count(*) FROM payables WHERE creditor_id = ? AND status = 'pointed' GROUP BY method`,
		creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[payables.Method]int{}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		out[payables.Method(m)] = n
	}
	return out, rows.Err()
}
