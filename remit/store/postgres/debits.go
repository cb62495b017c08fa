package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A run reads the pointed receivables through a cursor of the server
// (DECLARE … CURSOR), a batch of rows at a time: between two batches, the
// run's other statements (refusals, notes, look-ups) use the same
// transaction, which one streaming query would hold. One query gives each
// receivable with its customer and its mandate's history, computed once
// for the mandates of the pointed receivables.

// fetchBatch is how many rows a cursor fetches at a time.
const fetchBatch = 4096

// cursor streams the rows of a server cursor, scanned by scan.
type cursor[T any] struct {
	ctx  context.Context
	q    pgx.Tx
	name string
	scan func(r *rawRow, row *T) error
	buf  []T
	i    int
	done bool
	err  error
	row  rawRow
}

// openCursor declares a cursor named name over query in tx.
func openCursor[T any](ctx context.Context, q pgx.Tx, name, query string, scan func(*rawRow, *T) error, args ...any) (*cursor[T], error) {
	// The planner otherwise plans a cursor to give its first tenth quickly
	// (nested loops over the indexes); a run reads every row.
	if _, err := q.Exec(ctx, `SET LOCAL cursor_tuple_fraction = 1`); err != nil {
		return nil, err
	}
	if _, err := q.Exec(ctx, `DECLARE `+name+` NO SCROLL CURSOR FOR `+query, args...); err != nil {
		return nil, err
	}
	return &cursor[T]{ctx: ctx, q: q, name: name, scan: scan, i: -1}, nil
}

func (c *cursor[T]) Next() bool {
	if c.err != nil {
		return false
	}
	if c.i+1 < len(c.buf) {
		c.i++
		return true
	}
	if c.done {
		return false
	}
	c.buf, c.i = c.buf[:0], 0
	rows, err := c.q.Query(c.ctx, fmt.Sprintf(`FETCH FORWARD %d FROM %s`, fetchBatch, c.name))
	if err != nil {
		c.err = err
		return false
	}
	for rows.Next() {
		c.buf = append(c.buf, *new(T))
		c.row.load(rows)
		if c.err = c.scan(&c.row, &c.buf[len(c.buf)-1]); c.err != nil {
			rows.Close()
			return false
		}
	}
	rows.Close()
	if c.err = rows.Err(); c.err != nil {
		return false
	}
	c.done = len(c.buf) < fetchBatch
	return len(c.buf) > 0
}

func (c *cursor[T]) Row() *T { return &c.buf[c.i] }

func (c *cursor[T]) Err() error { return c.err }

func (c *cursor[T]) Close() error {
	if c.name == "" {
		return nil
	}
	// A transaction that failed has no cursor left to close.
	c.q.Exec(context.WithoutCancel(c.ctx), `CLOSE `+c.name)
	c.name = ""
	return nil
}

// pointedMandates are the mandates of the creditor's ($1) pointed direct debits.
const pointedMandates = `SELECT r.mandate_id FROM receivables r WHERE r.creditor_id = $1 AND r.status = 'pointed' AND r.method = 'sdd'`

// debitsQuery is the pointed direct debits, mandate by mandate (those
// without first, as SQLite orders NULL), each mandate's by due date.
var debitsQuery = `WITH last AS (
		-- the collections of a mandate that count: remit's own (its row of
		-- mandate_collections) and those made before remit (mandate_history)
		SELECT mandate_id, max(k) AS k, max(frst) AS frst FROM (
			SELECT s.mandate_id, s.last_on || s.last_iban AS k, s.first_on AS frst
			FROM mandate_collections s WHERE s.mandate_id IN (` + pointedMandates + `) AND s.last_on <> ''
			UNION ALL
			SELECT h.mandate_id, h.collected_on || h.iban, '' FROM mandate_history h WHERE h.mandate_id IN (` + pointedMandates + `)) x
		GROUP BY mandate_id),
	earlier AS (
		-- their presentations rejected or returned: every such item has its return
		SELECT i.receivable_id, count(*) AS n FROM returns rt
			JOIN remittance_items i ON i.id = rt.item_id JOIN receivables r ON r.id = i.receivable_id
		WHERE rt.creditor_id = $1 AND r.status = 'pointed' AND r.method = 'sdd' GROUP BY i.receivable_id),
	latest AS (
		-- their latest debtor snapshots: a receivable of the mandate's customer
		-- that its snapshot names as it is now takes it again (as SQLite's walk)
		SELECT s.mandate_id AS of_mandate, d.* FROM mandate_collections s JOIN debtor_snapshots d ON d.id = s.debtor_id
		WHERE s.mandate_id IN (` + pointedMandates + `))
	SELECT r.id, r.document, r.journal, r.amount, r.currency, r.due_date, r.label, r.customer_id, COALESCE(r.mandate_id, 0), r.refusal, r.refused_at,
		COALESCE(e.n, 0), (m.id IS NOT NULL)::int,
		COALESCE(m.rum, ''), COALESCE(m.signed_on, ''), COALESCE(m.scheme, ''), COALESCE(m.kind, ''), COALESCE(m.status, ''),
		COALESCE(m.iban, ''), COALESCE(m.bic, ''), COALESCE(m.original_rum, ''), COALESCE(m.original_ics, ''),
		COALESCE(substr(l.k, 1, 10), ''), COALESCE(substr(l.k, 11), ''), COALESCE(l.frst, ''),
		c.account, c.name, c.street, c.building, c.postcode, c.town, c.country, c.iban, c.bic, c.bank_name,
		CASE WHEN d.id IS NULL THEN 0 WHEN d.customer_id = r.customer_id AND d.customer_id = m.customer_id AND d.mandate_id = m.id AND (d.customer, d.name, d.street, d.building, d.postcode, d.town, d.country, d.iban,
			d.bic, d.bank_name, d.siren, d.rum, d.mandate_signed) = (` + snapshotOf + `) THEN d.id ELSE 0 END
	FROM receivables r JOIN customers c ON c.id = r.customer_id
		LEFT JOIN mandates m ON m.id = r.mandate_id
		LEFT JOIN last l ON l.mandate_id = r.mandate_id
		LEFT JOIN earlier e ON e.receivable_id = r.id
		LEFT JOIN latest d ON d.of_mandate = r.mandate_id
	WHERE r.creditor_id = $1 AND r.status = 'pointed' AND r.method = 'sdd'
	ORDER BY r.mandate_id NULLS FIRST, r.due_date, r.id`

// debitScanner scans debitsQuery's rows; a mandate's rows share its history.
type debitScanner struct {
	current int64
	mandate *remit.MandateHistory
}

func (d *debitScanner) scan(r *rawRow, row *store.DebitRow) error {
	row.ID, row.Document, row.Journal, row.Amount, row.Currency, row.Due = r.int64(), r.str(), r.str(), r.int64(), r.str(), r.str()
	row.Label = r.str()
	row.Customer, row.MandateID, row.Refusal, row.RefusedAt, row.Presentations = r.int64(), r.int64(), r.str(), r.str(), r.int()
	found := r.int() == 1
	m := remit.MandateHistory{RUM: r.str(), Signed: r.str(), Scheme: r.str(), Kind: r.str(), Status: r.str(), IBAN: r.str(),
		BIC: r.str(), OriginalRUM: r.str(), OriginalICS: r.str(), LastCollection: r.str(), LastIBAN: r.str(), PendingFirst: r.str()}
	row.Debtor = remit.Customer{Account: r.str(), Name: r.str(), Address: remit.Address{Street: r.str(), Building: r.str(),
		Postcode: r.str(), Town: r.str(), Country: r.str()}, IBAN: r.str(), BIC: r.str(), BankName: r.str()}
	row.Snapshot = r.int64()
	if row.MandateID != d.current {
		d.current, d.mandate = row.MandateID, nil
		if found {
			d.mandate = &m
		}
	}
	row.Mandate = d.mandate
	return r.done()
}

// PointedDebits streams the creditor's pointed direct debits, mandate by
// mandate, each mandate's by due date, with their mandate's history. It
// takes the creditor's lock first.
func (t *runTx) PointedDebits(ctx context.Context, creditorID int64) (store.Cursor[store.DebitRow], error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	if err := t.s.analyzeIfStale(ctx, runTables...); err != nil {
		return nil, err
	}
	// A run that plans again starts its notes again.
	if t.notes != nil && t.notes.created {
		if _, err := t.q.Exec(ctx, `DROP TABLE plan_extras`); err != nil {
			return nil, err
		}
	}
	t.notes = nil
	t.cursors++
	d := &debitScanner{current: -1}
	return openCursor(ctx, t.q, fmt.Sprintf("remit_debits_%d", t.cursors), debitsQuery, d.scan, creditorID)
}

// billsQuery is the pointed LCR bills by due date, with their drawees.
const billsQuery = `SELECT r.id, r.document, r.journal, r.amount, r.currency, r.due_date, r.issue_date, r.label, r.acceptance,
		r.refusal, r.refused_at, c.id, c.account, c.name, c.iban, c.siren, c.bank_name
	FROM receivables r JOIN customers c ON c.id = r.customer_id
	WHERE r.creditor_id = $1 AND r.status = 'pointed' AND r.method = 'lcr' ORDER BY r.due_date, r.id`

func scanBill(r *rawRow, row *store.BillRow) error {
	row.ID, row.Document, row.Journal, row.Amount, row.Currency, row.Due = r.int64(), r.str(), r.str(), r.int64(), r.str(), r.str()
	row.Issue, row.Label, row.Acceptance = r.str(), r.str(), r.str()
	row.Refusal, row.RefusedAt, row.Customer = r.str(), r.str(), r.int64()
	row.Drawee = remit.Customer{Account: r.str(), Name: r.str(), IBAN: r.str(), SIREN: r.str(), BankName: r.str()}
	return r.done()
}

// PointedBills streams the creditor's pointed LCR bills by due date, with
// their drawees. It takes the creditor's lock first.
func (t *runTx) PointedBills(ctx context.Context, creditorID int64) (store.Cursor[store.BillRow], error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	if err := t.s.analyzeIfStale(ctx, runTables...); err != nil {
		return nil, err
	}
	t.cursors++
	return openCursor(ctx, t.q, fmt.Sprintf("remit_bills_%d", t.cursors), billsQuery, scanBill, creditorID)
}

// chequesQuery is the pointed received cheques by due date, with their drawers.
const chequesQuery = `SELECT r.id, r.document, r.journal, r.amount, r.currency, r.due_date, r.cheque_number, r.refusal, r.refused_at,
		c.id, c.account, c.name, c.bank_name
	FROM receivables r JOIN customers c ON c.id = r.customer_id
	WHERE r.creditor_id = $1 AND r.status = 'pointed' AND r.method = 'chq' ORDER BY r.due_date, r.id`

func scanCheque(r *rawRow, row *store.ChequeRow) error {
	row.ID, row.Document, row.Journal, row.Amount, row.Currency, row.Due = r.int64(), r.str(), r.str(), r.int64(), r.str(), r.str()
	row.ChequeNumber, row.Refusal, row.RefusedAt, row.Customer = r.str(), r.str(), r.str(), r.int64()
	row.Drawer = remit.Customer{Account: r.str(), Name: r.str(), BankName: r.str()}
	return r.done()
}

// PointedCheques streams the creditor's pointed received cheques by due
// date, with their drawers. It takes the creditor's lock first.
func (t *runTx) PointedCheques(ctx context.Context, creditorID int64) (store.Cursor[store.ChequeRow], error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	t.cursors++
	return openCursor(ctx, t.q, fmt.Sprintf("remit_cheques_%d", t.cursors), chequesQuery, scanCheque, creditorID)
}
