package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// The payables (effets à payer), their groups and grouping rules: what
// store.PayableStore says, as the SQLite store keeps them (its
// payables.go). The rules of which payable a selection takes, which ones
// group and what an import changes are the domain's (remit/payables); this
// file only reads and writes them. A transaction that changes a
// creditor's payables holds the creditor's lock (lockCreditor), as a run
// that pays them does: a pointing never interleaves with a payment run.

var _ store.PayableStore = (*Store)(nil)

// payableCols are the columns scanPayable reads, p the payables table and
// g its group; the flags are read as integers.
const payableCols = `p.id, p.document, p.supplier, p.name, p.street, p.building, p.postcode, p.town, p.country, p.amount,
	p.currency, p.issue_date, p.due_date, p.method, p.iban, p.bic, p.journal, p.priority, p.label, p.discount_rate,
	p.discount_until, p.parent, p.approved, p.approved_at, p.contested, p.contest_reason, p.status, COALESCE(p.group_id, 0),
	COALESCE(g.manual, 0), p.prepared, p.refusal, p.refused_at, p.refusal_todo, p.source, p.import_id, p.import_line, ` + paymentRemSQL

// paymentRemSQL is the id of the remittance whose payment stands for a
// payable, 0 when none (scanPayable makes it its reference, remit.Ref).
const paymentRemSQL = `COALESCE((SELECT pm.remittance_id FROM payment_lines l JOIN payments pm ON pm.id = l.payment_id
	WHERE l.payable_id = p.id AND l.active = 1 AND pm.remittance_id IS NOT NULL), 0)`

const payableFrom = ` FROM payables p LEFT JOIN payable_groups g ON g.id = p.group_id`

// scanPayable reads a row of payableCols.
func scanPayable(r *rawRow, row *store.PayableRow) error {
	*row = store.PayableRow{}
	p := &row.Payable
	row.ID, p.Document, p.Supplier, p.Name = r.int64(), r.str(), r.str(), r.str()
	p.Address = remit.Address{Street: r.str(), Building: r.str(), Postcode: r.str(), Town: r.str(), Country: r.str()}
	p.Amount, p.Currency, p.Issue, p.Due = r.int64(), r.str(), remit.StoredDate(r.str()), remit.StoredDate(r.str())
	p.Method, p.IBAN, p.BIC, p.Journal, p.Priority, p.Label = payables.Method(r.str()), r.str(), r.str(), r.str(), r.int(), r.str()
	p.Discount = payables.Discount{Rate: payables.Rate(r.int64()), Until: remit.StoredDate(r.str())}
	p.Parent, p.Approved, row.ApprovedAt, p.Contested, p.ContestReason = r.str(), r.int() != 0, r.str(), r.int() != 0, r.str()
	p.Status, row.Group, row.Manual, row.Prepared = payables.Status(r.str()), r.int64(), r.int() != 0, r.int() != 0
	row.Refusal, row.RefusedAt, row.Todo = r.str(), strings.Replace(r.str(), "T", " ", 1), remit.Todo(r.str())
	row.Source, row.ImportID, row.ImportLine = r.str(), r.int64(), r.int()
	if rem := r.int64(); rem != 0 {
		row.Payment = remit.Ref(rem)
	}
	return r.done()
}

// eachPayable runs fn on each payable the query gives; the rows are read
// to their end before fn sees the first (fn may use the transaction).
func eachPayable(ctx context.Context, q querier, query string, args []any, fn func(store.PayableRow) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	var out []store.PayableRow
	var raw rawRow
	for rows.Next() {
		var row store.PayableRow
		raw.load(rows)
		if err := scanPayable(&raw, &row); err != nil {
			rows.Close()
			return err
		}
		out = append(out, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, row := range out {
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// Payables streams the payables the filter selects, by due date then
// document. The store narrows by creditor, status and documents; the
// domain's Filter.Match decides the rest (its one copy of the rule).
func (s *Store) Payables(ctx context.Context, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	return selectPayables(ctx, s.Pool, creditorID, f, fn)
}

func selectPayables(ctx context.Context, q querier, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	where := []string{"p.creditor_id = $1"}
	args := []any{creditorID}
	status := f.Status
	if f.Refused {
		where = append(where, "p.refusal != ''")
		status = payables.StatusPointed
	}
	if status != "" {
		args = append(args, string(status))
		where = append(where, fmt.Sprintf("p.status = $%d", len(args)))
	}
	if len(f.Documents) > 0 {
		args = append(args, f.Documents)
		where = append(where, fmt.Sprintf("p.document = ANY($%d::text[])", len(args)))
	}
	return eachPayable(ctx, q, `SELECT `+payableCols+payableFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY p.due_date, p.document`, args, func(r store.PayableRow) error {
		if !f.Match(r.Payable, f.ApprovalRequired) {
			return nil
		}
		return fn(r)
	})
}

// GroupingRules are the creditor's grouping rules, by method, mode and account.
func (s *Store) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	return groupingRules(ctx, s.Pool, creditorID)
}

func groupingRules(ctx context.Context, q querier, creditorID int64) (payables.Rules, error) {
	rows, err := q.Query(ctx, `SELECT method, account, manual, active, party, same_bank, COALESCE(within_days, -1) FROM grouping_rules
		WHERE creditor_id = $1 ORDER BY method, manual, account`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out payables.Rules
	for rows.Next() {
		var r payables.Rule
		var method, party string
		var manual, active, sameBank, within int32
		if err := rows.Scan(&method, &r.Account, &manual, &active, &party, &sameBank, &within); err != nil {
			return nil, err
		}
		r.Method, r.Party, r.Within = payables.Method(method), payables.Party(party), payables.AnyDays
		r.Manual, r.Active, r.SameBank = manual != 0, active != 0, sameBank != 0
		if within >= 0 {
			r.Within = int(within)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PointedPayables counts the creditor's pointed payables by method.
func (s *Store) PointedPayables(ctx context.Context, creditorID int64) (map[payables.Method]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT method, count(*) FROM payables WHERE creditor_id = $1 AND status = 'pointed' GROUP BY method`,
		creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[payables.Method]int{}
	for rows.Next() {
		var m string
		var n int64
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		out[payables.Method(m)] = int(n)
	}
	return out, rows.Err()
}

// payablesTx is a write transaction on the payables (store.PayablesTx).
// It takes the lock of the creditor whose payables it first reads or
// changes, and holds no other creditor's.
type payablesTx struct {
	s        *Store
	q        pgx.Tx
	creditor int64 // whose lock the transaction holds, 0 before
}

// UpdatePayables runs fn in a write transaction, committed when fn
// returns nil.
func (s *Store) UpdatePayables(ctx context.Context, fn func(store.PayablesTx) error) error {
	return s.inTx(ctx, func(q pgx.Tx) error { return fn(&payablesTx{s: s, q: q}) })
}

// lock takes the creditor's lock once.
func (t *payablesTx) lock(ctx context.Context, creditorID int64) error {
	if t.creditor == creditorID {
		return nil
	}
	if t.creditor != 0 {
		return fmt.Errorf("a payables transaction is one creditor's: %d, not %d", t.creditor, creditorID)
	}
	if err := lockCreditor(ctx, t.q, creditorID); err != nil {
		return err
	}
	t.creditor = creditorID
	return nil
}

// lockOf takes the lock of the creditor of the payables ids, when the
// transaction holds none yet.
func (t *payablesTx) lockOf(ctx context.Context, ids ...int64) error {
	if t.creditor != 0 || len(ids) == 0 {
		return nil
	}
	var creditorID int64
	err := t.q.QueryRow(ctx, `SELECT creditor_id FROM payables WHERE id = ANY($1::bigint[]) LIMIT 1`, ids).Scan(&creditorID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return t.lock(ctx, creditorID)
}

func (t *payablesTx) Payables(ctx context.Context, creditorID int64, f store.PayableFilter, fn func(store.PayableRow) error) error {
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	return selectPayables(ctx, t.q, creditorID, f, fn)
}

func (t *payablesTx) Payable(ctx context.Context, creditorID int64, document string) (store.PayableRow, bool, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return store.PayableRow{}, false, err
	}
	var row store.PayableRow
	found := false
	err := eachPayable(ctx, t.q, `SELECT `+payableCols+payableFrom+` WHERE p.creditor_id = $1 AND p.document = $2`,
		[]any{creditorID, document}, func(r store.PayableRow) error {
			row, found = r, true
			return nil
		})
	return row, found, err
}

func (t *payablesTx) GroupMembers(ctx context.Context, group int64) ([]store.PayableRow, error) {
	var out []store.PayableRow
	err := eachPayable(ctx, t.q, `SELECT `+payableCols+payableFrom+` WHERE p.group_id = $1 ORDER BY p.document`, []any{group},
		func(r store.PayableRow) error {
			out = append(out, r)
			return nil
		})
	return out, err
}

func (t *payablesTx) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	return groupingRules(ctx, t.q, creditorID)
}

func (t *payablesTx) SaveGroupingRule(ctx context.Context, creditorID int64, r payables.Rule) error {
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	party := r.Party
	if party == "" {
		party = payables.SameSupplier
	}
	var within any // NULL: no limit
	if r.Within >= 0 {
		within = r.Within
	}
	_, err := t.q.Exec(ctx, `INSERT INTO grouping_rules (creditor_id, method, account, manual, active, party, same_bank, within_days)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (creditor_id, method, account, manual) DO UPDATE SET active = excluded.active,
		party = excluded.party, same_bank = excluded.same_bank, within_days = excluded.within_days`,
		creditorID, string(r.Method), r.Account, flag(r.Manual), flag(r.Active), string(party), flag(r.SameBank), within)
	return err
}

func (t *payablesTx) DeleteGroupingRule(ctx context.Context, creditorID int64, method payables.Method, account string, manual bool) (bool, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return false, err
	}
	tag, err := t.q.Exec(ctx, `DELETE FROM grouping_rules WHERE creditor_id = $1 AND method = $2 AND account = $3 AND manual = $4`,
		creditorID, string(method), account, flag(manual))
	return tag.RowsAffected() > 0, err
}

func (t *payablesTx) StartImport(ctx context.Context, file string, at time.Time) (int64, error) {
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected, kind)
		VALUES ($1, '', $2, 0, 0, 0, 0, 0, 'payables') RETURNING id`, file, at.Format(remit.TimestampLayout)).Scan(&id)
	return id, err
}

func (t *payablesTx) FinishImport(ctx context.Context, importID int64, sha256 string, res *remit.ImportResult) error {
	_, err := t.q.Exec(ctx, `UPDATE imports SET sha256 = $1, lines = $2, inserted = $3, updated = $4, unchanged = $5, rejected = $6
		WHERE id = $7`, sha256, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected, importID)
	return err
}

// payableValues are a payable's stored columns from supplier to status,
// in the order of payableValueCols.
func payableValues(p payables.Payable) []any {
	status := p.Status
	if status == "" {
		status = payables.StatusOpen
	}
	return []any{p.Supplier, p.Name, p.Address.Street, p.Address.Building, p.Address.Postcode, p.Address.Town,
		p.Address.Country, p.Amount, p.Currency, remit.FormatDate(p.Issue), remit.FormatDate(p.Due), string(p.Method), p.IBAN,
		p.BIC, p.Journal, p.Priority, p.Label, int64(p.Discount.Rate), remit.FormatDate(p.Discount.Until), p.Parent, flag(p.Approved),
		flag(p.Contested), p.ContestReason, string(status)}
}

const payableValueCols = `supplier, name, street, building, postcode, town, country, amount, currency, issue_date, due_date,
	method, iban, bic, journal, priority, label, discount_rate, discount_until, parent, approved, contested, contest_reason, status`

// placeholders is "$from, $from+1, … $from+n-1".
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

func (t *payablesTx) InsertPayable(ctx context.Context, creditorID int64, p payables.Payable, source string, importID int64, line int) (int64, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return 0, err
	}
	approvedAt := ""
	if p.Approved {
		approvedAt = t.s.now().Format(remit.TimestampLayout)
	}
	args := append([]any{creditorID, p.Document}, payableValues(p)...)
	args = append(args, approvedAt, source, importID, line)
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO payables (creditor_id, document, `+payableValueCols+`,
		approved_at, source, import_id, import_line) VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&id)
	return id, err
}

// UpdatePayable replaces a payable's values. A payable no longer pointed
// leaves its group and its refusal (which only a pointed payable has);
// approved_at is the time of a new approval.
func (t *payablesTx) UpdatePayable(ctx context.Context, id int64, p payables.Payable, importID int64, line int) error {
	if err := t.lockOf(ctx, id); err != nil {
		return err
	}
	// The expressions read the row as it was: the new approval and status
	// are the values' ($21 and $24).
	vals := payableValues(p)
	args := append(vals, t.s.now().Format(remit.TimestampLayout), importID, line, id)
	_, err := t.q.Exec(ctx, `UPDATE payables SET (`+payableValueCols+`) = (`+placeholders(1, len(vals))+`),
		approved_at = CASE WHEN $21::int = 0 THEN '' WHEN approved = 0 OR approved_at = '' THEN $25 ELSE approved_at END,
		group_id = CASE WHEN $24::text = 'pointed' THEN group_id END,
		prepared = CASE WHEN $24::text = 'pointed' THEN prepared ELSE 0 END,
		refusal = CASE WHEN $24::text = 'pointed' THEN refusal ELSE '' END,
		refused_at = CASE WHEN $24::text = 'pointed' THEN refused_at ELSE '' END,
		refusal_todo = CASE WHEN $24::text = 'pointed' THEN refusal_todo ELSE '' END,
		import_id = $26, import_line = $27 WHERE id = $28`, args...)
	return err
}

func (t *payablesTx) TouchPayable(ctx context.Context, id int64, importID int64, line int) error {
	if err := t.lockOf(ctx, id); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET import_id = $1, import_line = $2 WHERE id = $3`, importID, line, id)
	return err
}

// SetApproved signs (or withdraws) the bon à payer of payables, in one
// statement; a payable signed already keeps the time it was.
func (t *payablesTx) SetApproved(ctx context.Context, ids []int64, approved bool, at time.Time) error {
	if err := t.lockOf(ctx, ids...); err != nil {
		return err
	}
	stamp := ""
	if approved {
		stamp = at.Format(remit.TimestampLayout)
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET approved = $1,
		approved_at = CASE WHEN $1 = 1 AND approved = 1 THEN approved_at ELSE $2 END
		WHERE id = ANY($3::bigint[]) AND status IN ('open', 'pointed')`, flag(approved), stamp, ids)
	return err
}

// SetContest contests payables (a contested payable is never pointed: it
// goes back to open, out of its group) or resolves their contest.
func (t *payablesTx) SetContest(ctx context.Context, ids []int64, contested bool, reason string) error {
	if err := t.lockOf(ctx, ids...); err != nil {
		return err
	}
	if !contested {
		_, err := t.q.Exec(ctx, `UPDATE payables SET contested = 0, contest_reason = '' WHERE id = ANY($1::bigint[])`, ids)
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET contested = 1, contest_reason = $1,
		status = CASE status WHEN 'pointed' THEN 'open' ELSE status END, group_id = NULL, prepared = 0, refusal = '', refused_at = '',
		refusal_todo = '' WHERE id = ANY($2::bigint[]) AND status IN ('open', 'pointed')`, reason, ids)
	return err
}

func (t *payablesTx) Point(ctx context.Context, creditorID int64, ids []int64, method payables.Method, group, manual bool,
	at time.Time) (int64, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return 0, err
	}
	var gid int64
	var groupID any // NULL: each a payment of its own
	if group {
		if err := t.q.QueryRow(ctx, `INSERT INTO payable_groups (creditor_id, method, manual, created_at) VALUES ($1, $2, $3, $4)
			RETURNING id`, creditorID, string(method), flag(manual), at.Format(remit.TimestampLayout)).Scan(&gid); err != nil {
			return 0, err
		}
		groupID = gid
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET status = 'pointed', group_id = $1, prepared = 1
		WHERE id = ANY($2::bigint[]) AND status IN ('open', 'pointed') AND contested = 0`, groupID, ids)
	return gid, err
}

func (t *payablesTx) Unpoint(ctx context.Context, ids []int64) error {
	if err := t.lockOf(ctx, ids...); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET status = 'open', group_id = NULL, prepared = 0, refusal = '', refused_at = '',
		refusal_todo = '' WHERE id = ANY($1::bigint[]) AND status = 'pointed'`, ids)
	return err
}

func (t *payablesTx) Ungroup(ctx context.Context, ids []int64) error {
	if err := t.lockOf(ctx, ids...); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET group_id = NULL, prepared = 1 WHERE id = ANY($1::bigint[])`, ids)
	return err
}

// DissolveSmallGroups ends the groups of the creditor left with fewer
// than two pointed payables; the groups' rows stay, for the record.
func (t *payablesTx) DissolveSmallGroups(ctx context.Context, creditorID int64) (int, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return 0, err
	}
	tag, err := t.q.Exec(ctx, `UPDATE payables SET group_id = NULL WHERE creditor_id = $1 AND group_id IN
		(SELECT group_id FROM payables WHERE creditor_id = $1 AND group_id IS NOT NULL GROUP BY group_id HAVING count(*) < 2)`,
		creditorID)
	return int(tag.RowsAffected()), err
}

func (t *payablesTx) Customer(ctx context.Context, creditorID int64, account string) (remit.Customer, bool, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return remit.Customer{}, false, err
	}
	var c remit.Customer
	a := &c.Address
	err := t.q.QueryRow(ctx, `SELECT account, name, street, building, postcode, town, country, iban, bic, bank_name, siren
		FROM customers WHERE creditor_id = $1 AND account = $2`, creditorID, account).Scan(&c.Account, &c.Name, &a.Street, &a.Building,
		&a.Postcode, &a.Town, &a.Country, &c.IBAN, &c.BIC, &c.BankName, &c.SIREN)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}

func (t *payablesTx) Refundable(ctx context.Context, creditorID int64, account string) (owed, refunded int64, err error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return 0, 0, err
	}
	// A suspense line is the customer's when every allocation of it went
	// to its receivables; what is left of it is what it paid too much.
	err = t.q.QueryRow(ctx, `SELECT
		(COALESCE((SELECT sum(l.amount - (SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id))
			FROM statement_lines l JOIN statements s ON s.id = l.statement_id
			WHERE s.creditor_id = $1 AND l.suspense = 1
			AND EXISTS (SELECT 1 FROM allocations a JOIN receivables r ON r.id = a.receivable_id
				JOIN customers c ON c.id = r.customer_id WHERE a.line_id = l.id AND c.account = $2)
			AND NOT EXISTS (SELECT 1 FROM allocations a JOIN receivables r ON r.id = a.receivable_id
				JOIN customers c ON c.id = r.customer_id WHERE a.line_id = l.id AND c.account != $2)), 0)
		+ COALESCE((SELECT -sum(r.amount) FROM receivables r JOIN customers c ON c.id = r.customer_id
			WHERE r.creditor_id = $1 AND c.account = $2 AND r.amount < 0 AND r.status = 'open'), 0))::bigint,
		COALESCE((SELECT sum(amount) FROM payables WHERE creditor_id = $1 AND supplier = $2 AND source = 'refund'), 0)::bigint`,
		creditorID, account).Scan(&owed, &refunded)
	return owed, refunded, err
}

func (t *payablesTx) DocumentsLike(ctx context.Context, creditorID int64, prefix string) ([]string, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	rows, err := t.q.Query(ctx, `SELECT document FROM payables WHERE creditor_id = $1 AND starts_with(document, $2) ORDER BY document`,
		creditorID, prefix)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
