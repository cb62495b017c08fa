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
	"github.com/remit-dev/remit/remit/treasury"
)

// Supplier payments as a remittance records them, as the SQLite store
// keeps them (its payments.go): each payment (a transfer or a cheque to one
// payee) a row of payments, the payables it settles rows of payment_lines.
// A run stages its payments (no remittance yet) as it plans them, copied
// to the server many at a time (COPY) into temporary tables of its
// transaction, then writes each bank's into its remittance with one
// statement, blocks numbered by execution date: a payment row is written
// once, never updated (SQLite's run writes them, then sets their
// remittance).

var (
	_ store.PaymentRunTx      = (*runTx)(nil)
	_ store.PaymentReader     = (*Store)(nil)
	_ store.PaymentReader     = (*tx)(nil)
	_ store.PaymentForecaster = (*Store)(nil)
)

// paymentKinds are the kinds of remittance whose items are payments.
var paymentKinds = map[string]bool{"sct": true, "chq-out": true}

// isPaymentRemittance reports whether a remittance's items are payments.
func isPaymentRemittance(ctx context.Context, q querier, remittanceID int64) (bool, error) {
	var kind string
	err := q.QueryRow(ctx, `SELECT kind FROM remittances WHERE id = $1`, remittanceID).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return paymentKinds[kind], err
}

// paymentNumbering is the second half of the advisory lock (LockKey,
// paymentNumbering) a payment run holds until it ends: it numbers its
// payments itself from the highest recorded (their EndToEndIds come from
// their numbers, and are unique across creditors), as SQLite's run does
// under the database's write lock, so two creditors' payment runs take
// their numbers one after the other.
const paymentNumbering = -2

func (t *runTx) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	return groupingRules(ctx, t.q, creditorID)
}

// PointedPayables streams the creditor's pointed payables of a method,
// family by family (store.Family), then by group, due date and document,
// through a cursor of the server.
func (t *runTx) PointedPayables(ctx context.Context, creditorID int64, method payables.Method) (store.Cursor[store.PayableRow], error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	t.cursors++
	return openCursor(ctx, t.q, fmt.Sprintf("remit_payables_%d", t.cursors), `SELECT `+payableCols+payableFrom+`
		WHERE p.creditor_id = $1 AND p.status = 'pointed' AND p.method = $2
		ORDER BY CASE p.parent WHEN '' THEN p.supplier ELSE p.parent END, COALESCE(p.group_id, 0), p.due_date, p.document`,
		scanPayable, creditorID, string(method))
}

// paymentStage holds what a payment run queued: its payables' refusals,
// its staged payments and their lines.
type paymentStage struct {
	refusedIDs                 []int64
	refusals, refusedAt, todos []string
	payments, lines            [][]any
	created                    bool  // the temporary tables staged_payments and staged_payment_lines exist
	last                       int64 // the highest id staged
}

// RefusePayable records a payable's refusal (queued, written with the
// next flush of the stage).
func (t *runTx) RefusePayable(ctx context.Context, id int64, reasons, since string, todo remit.Todo) error {
	s := &t.pay
	s.refusedIDs, s.refusals, s.refusedAt, s.todos = append(s.refusedIDs, id), append(s.refusals, reasons), append(s.refusedAt, since),
		append(s.todos, string(todo))
	if len(s.refusedIDs) < queueBatch {
		return nil
	}
	return t.flushRefusedPayables(ctx)
}

func (t *runTx) flushRefusedPayables(ctx context.Context) error {
	s := &t.pay
	if len(s.refusedIDs) == 0 {
		return nil
	}
	_, err := t.q.Exec(ctx, `UPDATE payables p SET refusal = x.reasons, refused_at = x.since, refusal_todo = x.todo
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS x(id, reasons, since, todo) WHERE p.id = x.id`,
		s.refusedIDs, s.refusals, s.refusedAt, s.todos)
	s.refusedIDs, s.refusals, s.refusedAt, s.todos = s.refusedIDs[:0], s.refusals[:0], s.refusedAt[:0], s.todos[:0]
	return err
}

// ClearPayableRefusals forgets an earlier run's refusal of payables this
// run pays (after writing the refusals queued).
func (t *runTx) ClearPayableRefusals(ctx context.Context, ids []int64) error {
	if err := t.flushRefusedPayables(ctx); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := t.q.Exec(ctx, `UPDATE payables SET refusal = '', refused_at = '', refusal_todo = '' WHERE id = ANY($1::bigint[])`, ids)
	return err
}

// NextPaymentID is the id the next staged payment gets: the highest
// recorded plus one, under the payment numbering lock (paymentNumbering)
// held until the run ends.
func (t *runTx) NextPaymentID(ctx context.Context) (int64, error) {
	if _, err := t.q.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, t.s.ns, int32(paymentNumbering)); err != nil {
		return 0, err
	}
	if err := t.flushStaged(ctx); err != nil {
		return 0, err
	}
	var id int64
	err := t.q.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM payments`).Scan(&id)
	return max(id, t.pay.last) + 1, err
}

// paymentColumns and paymentLineColumns are what StagePayment copies.
var (
	paymentColumns = []string{"id", "creditor_id", "method", "bank", "bank_note", "position", "execution_date", "due_date",
		"end_to_end_id", "payee", "name", "street", "building", "postcode", "town", "country", "iban", "bic", "currency", "total",
		"discount", "amount", "remittance_info"}
	paymentLineColumns = []string{"payment_id", "payable_id", "document", "supplier", "label", "issue_date", "due_date", "amount",
		"discount", "discount_rate"}
)

// StagePayment queues a planned payment and its lines: they are copied
// to the stage before RecordPayments reads it.
func (t *runTx) StagePayment(ctx context.Context, p store.StagedPayment) error {
	g := &p.Group
	s := &t.pay
	s.last = max(s.last, p.ID)
	s.payments = append(s.payments, []any{p.ID, p.CreditorID, string(g.Method), p.Bank, p.BankNote, int64(p.Position),
		remit.FormatDate(g.Date), remit.FormatDate(g.Due), p.EndToEndID, g.Payee, g.Name, g.Address.Street, g.Address.Building,
		g.Address.Postcode, g.Address.Town, g.Address.Country, g.IBAN, g.BIC, g.Currency, g.Total, g.Discount, g.Net, p.RemittanceInfo})
	taken := map[string]payables.Taken{}
	for _, d := range g.Discounts {
		taken[d.Document] = d
	}
	for i, m := range g.Members {
		d := taken[m.Document]
		s.lines = append(s.lines, []any{p.ID, p.Payables[i], m.Document, m.Supplier, m.Label, remit.FormatDate(m.Issue),
			remit.FormatDate(m.Due), m.Amount, d.Amount, int32(d.Rate)})
	}
	if len(s.lines) < copyBatch {
		return nil
	}
	return t.flushStaged(ctx)
}

// flushStaged copies the payments and lines still queued to the stage:
// temporary tables shaped as payments and payment_lines, without their
// keys, indexes and checks, dropped at the end of the transaction.
func (t *runTx) flushStaged(ctx context.Context) error {
	s := &t.pay
	if len(s.payments) == 0 && len(s.lines) == 0 {
		return nil
	}
	if !s.created {
		for _, q := range []string{
			`CREATE TEMP TABLE staged_payments ON COMMIT DROP AS SELECT ` + strings.Join(paymentColumns, ", ") + ` FROM payments WITH NO DATA`,
			`CREATE TEMP TABLE staged_payment_lines ON COMMIT DROP AS SELECT ` + strings.Join(paymentLineColumns, ", ") +
				` FROM payment_lines WITH NO DATA`,
			`CREATE TEMP TABLE recorded_payments (id bigint PRIMARY KEY) ON COMMIT DROP`, // RecordPayments' of one bank
		} {
			if _, err := t.q.Exec(ctx, q); err != nil {
				return err
			}
		}
		s.created = true
	}
	if len(s.payments) > 0 {
		if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"staged_payments"}, paymentColumns, pgx.CopyFromRows(s.payments)); err != nil {
			return err
		}
		s.payments = s.payments[:0]
	}
	if len(s.lines) > 0 {
		if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"staged_payment_lines"}, paymentLineColumns, pgx.CopyFromRows(s.lines)); err != nil {
			return err
		}
		s.lines = s.lines[:0]
	}
	return nil
}

// RecordPayments writes a bank's staged payments into a remittance, the
// payments executed on dates[n-1] in block n, with their lines, and marks
// their payables remitted (out of their groups, their refusals forgotten).
func (t *runTx) RecordPayments(ctx context.Context, remittanceID, creditorID int64, bank string, dates []string) error {
	if err := t.flushRefusedPayables(ctx); err != nil {
		return err
	}
	if err := t.flushStaged(ctx); err != nil {
		return err
	}
	if !t.pay.created || len(dates) == 0 {
		return nil
	}
	cols := strings.Join(paymentColumns, ", ")
	b := &pgx.Batch{}
	b.Queue(`TRUNCATE recorded_payments`)
	b.Queue(`WITH ins AS (INSERT INTO payments (`+cols+`, remittance_id, block)
			SELECT `+cols+`, $1, d.block FROM staged_payments s JOIN unnest($4::text[]) WITH ORDINALITY AS d(date, block)
				ON s.execution_date = d.date
			WHERE s.creditor_id = $2 AND s.bank = $3 ORDER BY d.block, s.position RETURNING id)
		INSERT INTO recorded_payments SELECT id FROM ins`, remittanceID, creditorID, bank, dates)
	b.Queue(`WITH ins AS (INSERT INTO payment_lines (` + strings.Join(paymentLineColumns, ", ") + `)
			SELECT l.* FROM staged_payment_lines l JOIN recorded_payments r ON r.id = l.payment_id RETURNING payable_id)
		UPDATE payables SET status = 'remitted', group_id = NULL, refusal = '', refused_at = '', refusal_todo = ''
		WHERE id IN (SELECT payable_id FROM ins)`)
	return t.q.SendBatch(ctx, b).Close()
}

// paymentItems streams a payment remittance's payments as items, in file
// order: the document is the first the payment settles (Documents says
// how many), the label its remittance information, the customer its payee,
// the collection date its execution date.
func paymentItems(ctx context.Context, q querier, remittanceID int64, fn func(*remit.Item) error) error {
	rows, err := q.Query(ctx, `SELECT p.block, p.end_to_end_id, p.amount, p.bic, p.iban, p.name, p.street, p.building, p.postcode,
			p.town, p.country, p.remittance_info, p.due_date, p.execution_date, p.payee, l.first, l.n
		FROM payments p, LATERAL (SELECT min(document) AS first, count(*) AS n FROM payment_lines WHERE payment_id = p.id) l
		WHERE p.remittance_id = $1 ORDER BY p.block, p.position`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it remit.Item
	var block, n int64
	for rows.Next() {
		it = remit.Item{}
		a := &it.Address
		if err := rows.Scan(&block, &it.EndToEndID, &it.Amount, &it.BIC, &it.IBAN, &it.Name, &a.Street, &a.Building, &a.Postcode,
			&a.Town, &a.Country, &it.Label, &it.Due, &it.Collection, &it.Customer, &it.Document, &n); err != nil {
			return err
		}
		it.Block, it.Documents = int(block), int(n)
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// paymentSlipFacts are what a payment remittance's slip says of its payments.
func paymentSlipFacts(ctx context.Context, q querier, remittanceID int64) (store.SlipFacts, error) {
	var f store.SlipFacts
	err := q.QueryRow(ctx, `SELECT COALESCE(min(due_date), ''), COALESCE(max(due_date), ''),
		COALESCE((SELECT payee FROM payments WHERE remittance_id = $1 ORDER BY length(payee) DESC, payee LIMIT 1), '')
		FROM payments WHERE remittance_id = $1`, remittanceID).Scan(&f.DueFrom, &f.DueTo, &f.LongestCustomer)
	return f, err
}

// Payments streams a payment remittance's payments with their lines
// (store.PaymentReader).
func (s *Store) Payments(ctx context.Context, remittanceID int64, fn func(*store.PaymentRow) error) error {
	return readPayments(ctx, s.Pool, remittanceID, fn)
}

func (t *tx) Payments(ctx context.Context, remittanceID int64, fn func(*store.PaymentRow) error) error {
	return readPayments(ctx, t.q, remittanceID, fn)
}

// paymentBatch is how many payments readPayments reads at a time.
const paymentBatch = 2048

// readPayments reads the payments in file order, each with its lines, a
// batch of payments at a time (keyset on block and position): fn may use
// the transaction between two batches, and memory stays flat whatever the
// size of the remittance.
func readPayments(ctx context.Context, q querier, remittanceID int64, fn func(*store.PaymentRow) error) error {
	var afterBlock, afterPos int64 = -1, -1
	for {
		batch, err := paymentsAfter(ctx, q, remittanceID, afterBlock, afterPos)
		if err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if len(batch) < paymentBatch {
			return nil
		}
		last := batch[len(batch)-1]
		afterBlock, afterPos = int64(last.Block), int64(last.Position)
	}
}

// paymentsAfter reads the next batch of a remittance's payments after
// (block, position), with their lines.
func paymentsAfter(ctx context.Context, q querier, remittanceID, afterBlock, afterPos int64) ([]store.PaymentRow, error) {
	rows, err := q.Query(ctx, `SELECT id, method, bank, bank_note, block, position, status, execution_date, due_date,
		end_to_end_id, payee, name, street, building, postcode, town, country, iban, bic, currency, total, discount, amount,
		remittance_info, cheque_number FROM payments WHERE remittance_id = $1 AND (block, position) > ($2, $3)
		ORDER BY block, position LIMIT $4`, remittanceID, afterBlock, afterPos, paymentBatch)
	if err != nil {
		return nil, err
	}
	var out []store.PaymentRow
	byID := map[int64]int{}
	var ids []int64
	for rows.Next() {
		var p store.PaymentRow
		var method, date, due string
		var block, pos int64
		a := &p.Address
		if err := rows.Scan(&p.ID, &method, &p.Bank, &p.BankNote, &block, &pos, &p.Status, &date, &due, &p.EndToEndID,
			&p.Payee, &p.Name, &a.Street, &a.Building, &a.Postcode, &a.Town, &a.Country, &p.IBAN, &p.BIC, &p.Currency, &p.Total,
			&p.Discount, &p.Amount, &p.RemittanceInfo, &p.ChequeNumber); err != nil {
			rows.Close()
			return nil, err
		}
		p.Method, p.Date, p.Due = payables.Method(method), remit.StoredDate(date), remit.StoredDate(due)
		p.Block, p.Position = int(block), int(pos)
		byID[p.ID] = len(out)
		ids = append(ids, p.ID)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	lines, err := q.Query(ctx, `SELECT l.payment_id, l.payable_id, l.document, l.supplier, l.label, l.issue_date, l.due_date,
		l.amount, l.discount, l.discount_rate, y.source = 'refund'
		FROM payment_lines l JOIN payables y ON y.id = l.payable_id
		WHERE l.payment_id = ANY($1::bigint[]) ORDER BY l.payment_id, l.document`, ids)
	if err != nil {
		return nil, err
	}
	defer lines.Close()
	for lines.Next() {
		var l store.PaymentLine
		var paymentID int64
		var issue, due string
		var rate int32
		if err := lines.Scan(&paymentID, &l.PayableID, &l.Document, &l.Supplier, &l.Label, &issue, &due, &l.Amount, &l.Discount, &rate,
			&l.Refund); err != nil {
			return nil, err
		}
		l.Issue, l.Due, l.Rate = remit.StoredDate(issue), remit.StoredDate(due), payables.Rate(rate)
		p := &out[byID[paymentID]]
		p.Lines = append(p.Lines, l)
	}
	return out, lines.Err()
}

// cancelPayments withdraws a payment remittance's payments: their payables
// go back to pointed as they were paid, each payment of several payables a
// group again, for the next run.
func cancelPayments(ctx context.Context, q querier, remittanceID int64, now time.Time) error {
	rows, err := q.Query(ctx, `SELECT id FROM payments WHERE remittance_id = $1 AND status = 'remitted' ORDER BY id`, remittanceID)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := repoint(ctx, q, id, now, ""); err != nil {
			return err
		}
	}
	_, err = q.Exec(ctx, `UPDATE payments SET status = 'cancelled' WHERE remittance_id = $1 AND status = 'remitted'`, remittanceID)
	return err
}

// repoint puts a payment's payables back to pointed as it paid them (a
// group again when it paid several), with why, and ends its lines.
func repoint(ctx context.Context, q querier, paymentID int64, now time.Time, why string) error {
	var creditorID int64
	var method string
	var n int64
	if err := q.QueryRow(ctx, `SELECT p.creditor_id, p.method, count(*) FROM payments p JOIN payment_lines l ON l.payment_id = p.id
		WHERE p.id = $1 GROUP BY p.creditor_id, p.method`, paymentID).Scan(&creditorID, &method, &n); err != nil {
		return err
	}
	var group any // NULL: a payment of one payable
	if n > 1 {
		var id int64
		if err := q.QueryRow(ctx, `INSERT INTO payable_groups (creditor_id, method, manual, created_at) VALUES ($1, $2, 0, $3) RETURNING id`,
			creditorID, method, now.Format(remit.TimestampLayout)).Scan(&id); err != nil {
			return err
		}
		group = id
	}
	todo, stamp := "", ""
	if why != "" {
		todo, stamp = string(remit.TodoCorrect), now.Format(remit.TimestampLayout)
	}
	if _, err := q.Exec(ctx, `UPDATE payables SET status = 'pointed', group_id = $1, prepared = 1, refusal = $2, refused_at = $3,
		refusal_todo = $4 WHERE id IN (SELECT payable_id FROM payment_lines WHERE payment_id = $5)`, group, why, stamp, todo, paymentID); err != nil {
		return err
	}
	_, err := q.Exec(ctx, `UPDATE payment_lines SET active = 0 WHERE payment_id = $1`, paymentID)
	return err
}

// PaymentsDue implements store.PaymentForecaster.
func (s *Store) PaymentsDue(ctx context.Context, creditorID int64, to time.Time, fn func(treasury.Payable) error) error {
	rows, err := s.Pool.Query(ctx, `SELECT p.end_to_end_id, p.bank, p.method, p.execution_date, p.amount
		FROM payments p JOIN remittances r ON r.id = p.remittance_id
		LEFT JOIN banks b ON b.creditor_id = p.creditor_id AND b.code = p.bank
		WHERE p.creditor_id = $1 AND p.status = 'remitted' AND r.status != 'cancelled' AND p.execution_date <= $2
		AND (b.balance_date IS NULL OR p.execution_date > b.balance_date)
		ORDER BY p.execution_date, p.id`, creditorID, remit.FormatDate(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p treasury.Payable
		var date string
		if err := rows.Scan(&p.Ref, &p.Bank, &p.Method, &date, &p.Amount); err != nil {
			return err
		}
		p.Date = remit.StoredDate(date)
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}
