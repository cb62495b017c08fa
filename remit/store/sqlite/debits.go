package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A direct-debit run reads the pointed receivables mandate by mandate: the
// receivables in mandate order, and beside them the mandates in id order
// with their customers and their history (their row of mandate_collections
// and their collections made before remit), a merge, so that a run holds
// one mandate at a time rather than all of them.

// pointedSDD is the receivables a run reads, for an IN (…) subquery; hint is pointedScan's.
func pointedSDD(column, hint string) string {
	return `SELECT r.` + column + ` FROM receivables r ` + hint + ` WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd'`
}

// debtorColumns are a customer's columns as debtorDest reads them.
const debtorColumns = `c.account, c.name, c.street, c.building, c.postcode, c.town, c.country, c.iban, c.bic, c.bank_name`

func debtorDest(d *remit.Customer) []any {
	return []any{&d.Account, &d.Name, &d.Address.Street, &d.Address.Building, &d.Address.Postcode, &d.Address.Town, &d.Address.Country,
		&d.IBAN, &d.BIC, &d.BankName}
}

// planExtrasTable holds the few items whose EndToEndId is not their
// document, or that announce a change (NoteDebit): debitItemsInsert reads it.
const planExtrasTable = `CREATE TEMP TABLE plan_extras (receivable_id INTEGER PRIMARY KEY, e2e TEXT NOT NULL,
	amend_iban TEXT NOT NULL, amend_rum TEXT NOT NULL, amend_ics TEXT NOT NULL)`

// preparePlan writes temp.plan_extras, empty.
func preparePlan(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DROP TABLE IF EXISTS temp.plan_extras`, planExtrasTable} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// mandateWalk walks the mandates of the pointed receivables in id order,
// each with its customer and its history, read packed (a mandate a row).
type mandateWalk struct {
	rows     *sql.Rows
	row      packedRow
	done     bool
	id       int64
	customer int64
	last     string // walkLast
	snapshot int64  // walkSnapshot
	m        remit.MandateHistory
	d        remit.Customer
}

// walkColumns are a mandate's columns as the walk reads them, packed: the
// mandate, the date of its FRST still at the bank, its customer (as
// debtorDest). Its latest counted collection comes beside them in a column
// of its own (walkLast).
var walkColumns = packedColumns{"m.id", "m.customer_id", "m.rum", "m.signed_on", "m.scheme", "m.kind", "m.status", "m.iban", "m.bic",
	"m.original_rum", "m.original_ics", "COALESCE(s.first_on, '')",
	"c.account", "c.name", "c.street", "c.building", "c.postcode", "c.town", "c.country", "c.iban", "c.bic", "c.bank_name"}

// walkLast is a mandate's latest counted collection as date || IBAN, the
// later of its summary's and of its collections made before remit. It is
// a column of its own, not a packed one: a packed value is computed twice
// (its length, its text), and this subquery was a fifth of the walk. Its
// seek reads the index mandate_history_mandate alone, which holds the
// dates and IBANs (schema 19), not the table's rows.
const walkLast = `max(COALESCE(NULLIF(s.last_on, '') || s.last_iban, ''),
	COALESCE((SELECT max(h.collected_on || h.iban) FROM mandate_history h WHERE h.mandate_id = m.id), ''))`

// walkSnapshot is the mandate's latest debtor snapshot d when d names its
// customer as it is now (else 0): the run takes it again instead of
// writing another. A column of its own too (compared once, not twice).
const walkSnapshot = `CASE WHEN d.id IS NULL THEN 0 WHEN d.customer_id = m.customer_id AND d.mandate_id = m.id AND (d.customer, d.name,
	d.street, d.building, d.postcode, d.town, d.country, d.iban, d.bic, d.bank_name, d.siren, d.rum, d.mandate_signed) = (` + snapshotOf + `)
	THEN d.id ELSE 0 END`

// walkQuery is the mandate walk's statement; its one parameter is the creditor.
func walkQuery(hint string) string {
	return `SELECT ` + walkColumns.sql() + `, ` + walkLast + `, ` + walkSnapshot + `
		FROM mandates m JOIN customers c ON c.id = m.customer_id LEFT JOIN mandate_collections s ON s.mandate_id = m.id
			LEFT JOIN debtor_snapshots d ON d.id = s.debtor_id
		WHERE m.id IN (` + pointedSDD("mandate_id", hint) + `) ORDER BY m.id`
}

func openMandateWalk(ctx context.Context, tx *sql.Tx, creditorID int64, hint string) (*mandateWalk, error) {
	rows, err := tx.QueryContext(ctx, walkQuery(hint), creditorID)
	if err != nil {
		return nil, err
	}
	return &mandateWalk{rows: rows}, nil
}

// scan reads the walk's current row.
func (w *mandateWalk) scan() error {
	r := &w.row
	if err := r.scan(w.rows, walkColumns, &w.last, &w.snapshot); err != nil {
		return err
	}
	m, d := &w.m, &w.d
	w.id, w.customer = r.int64(), r.int64()
	m.RUM, m.Signed, m.Scheme, m.Kind, m.Status, m.IBAN, m.BIC = r.text(), r.text(), r.text(), r.text(), r.text(), r.text(), r.text()
	m.OriginalRUM, m.OriginalICS = r.text(), r.text()
	m.LastCollection, m.LastIBAN = splitLast(w.last)
	m.PendingFirst = r.text()
	d.Account, d.Name = r.text(), r.text()
	d.Address.Street, d.Address.Building, d.Address.Postcode, d.Address.Town, d.Address.Country = r.text(), r.text(), r.text(), r.text(), r.text()
	d.IBAN, d.BIC, d.BankName = r.text(), r.text(), r.text()
	return r.done()
}

// splitLast splits a latest collection written date || IBAN.
func splitLast(k string) (date, iban string) {
	n := min(len(k), len("2006-01-02"))
	return k[:n], k[n:]
}

// seek moves to mandate id and reports whether it exists.
func (w *mandateWalk) seek(id int64) (bool, error) {
	for !w.done && w.id < id {
		if !w.rows.Next() {
			w.done = true
			return false, w.rows.Err()
		}
		if err := w.scan(); err != nil {
			return false, err
		}
	}
	return !w.done && w.id == id, nil
}

// debitCursor streams the pointed direct debits for a run (PointedDebits).
type debitCursor struct {
	ctx      context.Context
	rows     *sql.Rows
	walk     *mandateWalk
	customer *sql.Stmt     // a receivable's customer that is not its mandate's
	earlier  map[int64]int // pointed receivable → its rejected or returned presentations
	row      store.DebitRow
	packed   packedRow
	current  int64 // the current mandate
	owner    int64 // the customer the current mandate belongs to
	other    remit.Customer
	otherID  int64
	err      error
}

// PointedDebits streams the creditor's pointed direct debits, mandate by
// mandate, each mandate's by due date, with their mandate's history, read
// ahead of the planner (aheadOf).
func (t *runTx) PointedDebits(ctx context.Context, creditorID int64) (store.Cursor[store.DebitRow], error) {
	hint, err := pointedScan(ctx, t.q, creditorID, "sdd")
	if err != nil {
		return nil, err
	}
	if err := preparePlan(ctx, t.q); err != nil {
		return nil, err
	}
	c := &debitCursor{ctx: ctx, current: -1, otherID: -1}
	if c.walk, err = openMandateWalk(ctx, t.q, creditorID, hint); err != nil {
		return nil, err
	}
	if c.customer, err = t.q.PrepareContext(ctx, `SELECT `+debtorColumns+` FROM customers c WHERE c.id = ?`); err != nil {
		c.Close()
		return nil, err
	}
	if c.earlier, err = earlierPresentations(ctx, t.q, creditorID); err != nil {
		c.Close()
		return nil, err
	}
	c.rows, err = t.q.QueryContext(ctx, `SELECT `+debitColumns.sql()+`
		FROM receivables r `+hint+` WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd'
		ORDER BY r.mandate_id, r.due_date, r.id`, creditorID)
	if err != nil {
		c.Close()
		return nil, err
	}
	return aheadOf[store.DebitRow](ctx, c), nil
}

// debitColumns are a pointed receivable's columns as debitCursor reads them, packed.
var debitColumns = packedColumns{"r.id", "r.document", "r.journal", "r.amount", "r.currency", "r.due_date", "r.label", "r.customer_id",
	"COALESCE(r.mandate_id, 0)", "r.refusal", "r.refused_at"}

// earlierPresentations counts the rejected or returned presentations of
// the pointed direct debits: every such item has its return, few rows
// whatever the number of receivables.
func earlierPresentations(ctx context.Context, tx *sql.Tx, creditorID int64) (map[int64]int, error) {
	earlier := map[int64]int{}
	rows, err := tx.QueryContext(ctx, `SELECT i.receivable_id, count(*) FROM returns rt
		JOIN remittance_items i ON i.id = rt.item_id JOIN receivables r ON r.id = i.receivable_id
		WHERE rt.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd' GROUP BY i.receivable_id`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		earlier[id] = n
	}
	return earlier, rows.Err()
}

func (c *debitCursor) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	r, p := &c.row, &c.packed
	if c.err = p.scan(c.rows, debitColumns); c.err != nil {
		return false
	}
	r.ID, r.Document, r.Journal, r.Amount, r.Currency, r.Due, r.Label = p.int64(), p.text(), p.text(), p.int64(), p.text(), p.text(), p.text()
	r.Customer, r.MandateID, r.Refusal, r.RefusedAt = p.int64(), p.int64(), p.text(), p.text()
	if c.err = p.done(); c.err != nil {
		return false
	}
	if r.MandateID != c.current {
		c.current, r.Mandate, c.owner = r.MandateID, nil, -1
		if r.MandateID != 0 {
			ok, err := c.walk.seek(r.MandateID)
			if c.err = err; err != nil {
				return false
			}
			if ok { // a mandate of its own: the rows read ahead keep it (aheadOf)
				m := c.walk.m
				r.Mandate, c.owner = &m, c.walk.customer
			}
		}
	}
	r.Presentations, r.Snapshot = c.earlier[r.ID], 0
	if r.Customer == c.owner {
		r.Debtor, r.Snapshot = c.walk.d, c.walk.snapshot
		return true
	}
	if r.Customer != c.otherID {
		if err := c.customer.QueryRowContext(c.ctx, r.Customer).Scan(debtorDest(&c.other)...); err != nil {
			c.err = fmt.Errorf("receivable %s: customer %d: %w", r.Document, r.Customer, err)
			return false
		}
		c.otherID = r.Customer
	}
	r.Debtor = c.other
	return true
}

func (c *debitCursor) Row() *store.DebitRow { return &c.row }

func (c *debitCursor) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

func (c *debitCursor) Close() error {
	if c.rows != nil {
		c.rows.Close()
	}
	if c.walk != nil {
		c.walk.rows.Close()
	}
	if c.customer != nil {
		c.customer.Close()
	}
	return nil
}

// billCursor streams the pointed LCR bills for a run (PointedBills), read
// packed as the debits are.
type billCursor struct {
	rows   *sql.Rows
	row    store.BillRow
	packed packedRow
	err    error
}

// billColumns are a pointed bill's columns and its drawee's, as billCursor reads them.
var billColumns = packedColumns{"r.id", "r.document", "r.journal", "r.amount", "r.currency", "r.due_date", "r.issue_date", "r.label",
	"r.acceptance", "r.refusal", "r.refused_at", "c.id", "c.account", "c.name", "c.iban", "c.siren", "c.bank_name"}

// PointedBills streams the creditor's pointed LCR bills by due date, with
// their drawees, read ahead of the planner (aheadOf).
func (t *runTx) PointedBills(ctx context.Context, creditorID int64) (store.Cursor[store.BillRow], error) {
	hint, err := pointedScan(ctx, t.q, creditorID, "lcr")
	if err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, `SELECT `+billColumns.sql()+`
		FROM receivables r `+hint+` JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'lcr' ORDER BY r.due_date, r.id`, creditorID)
	if err != nil {
		return nil, err
	}
	return aheadOf[store.BillRow](ctx, &billCursor{rows: rows}), nil
}

func (c *billCursor) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	r, d, p := &c.row, &c.row.Drawee, &c.packed
	if c.err = p.scan(c.rows, billColumns); c.err != nil {
		return false
	}
	r.ID, r.Document, r.Journal, r.Amount, r.Currency, r.Due, r.Issue, r.Label = p.int64(), p.text(), p.text(), p.int64(), p.text(),
		p.text(), p.text(), p.text()
	r.Acceptance, r.Refusal, r.RefusedAt, r.Customer = p.text(), p.text(), p.text(), p.int64()
	d.Account, d.Name, d.IBAN, d.SIREN, d.BankName = p.text(), p.text(), p.text(), p.text(), p.text()
	c.err = p.done()
	return c.err == nil
}

func (c *billCursor) Row() *store.BillRow { return &c.row }

func (c *billCursor) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

func (c *billCursor) Close() error { return c.rows.Close() }
