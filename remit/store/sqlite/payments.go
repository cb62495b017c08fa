package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// Supplier payments as a remittance records them: each payment (a
// transfer or a cheque to one payee) a row of payments, the payables it
// settles rows of payment_lines. A run stages its payments (no remittance
// yet) as it plans them, then puts each bank's into its remittance.

var _ store.PaymentRunTx = (*runTx)(nil)

// paymentKinds are the kinds of remittance whose items are payments.
var paymentKinds = map[string]bool{"sct": true, "chq-out": true}

// isPaymentRemittance reports whether a remittance's items are payments.
func isPaymentRemittance(ctx context.Context, q querier, remittanceID int64) (bool, error) {
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM remittances WHERE id = ?`, remittanceID).Scan(&kind)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return paymentKinds[kind], err
}

func (t *runTx) GroupingRules(ctx context.Context, creditorID int64) (payables.Rules, error) {
	return groupingRules(ctx, t.q, creditorID)
}

// payableCursor streams pointed payables (PointedPayables).
type payableCursor struct {
	rows *sql.Rows
	row  store.PayableRow
	err  error
}

// PointedPayables streams the creditor's pointed payables of a method,
// family by family (store.Family), then by group, due date and document.
func (t *runTx) PointedPayables(ctx context.Context, creditorID int64, method payables.Method) (store.Cursor[store.PayableRow], error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+payableCols+payableFrom+`
		WHERE p.creditor_id = ? AND p.status = 'pointed' AND p.method = ?
		ORDER BY CASE p.parent WHEN '' THEN p.supplier ELSE p.parent END, COALESCE(p.group_id, 0), p.due_date, p.document`,
		creditorID, string(method))
	if err != nil {
		return nil, err
	}
	return &payableCursor{rows: rows}, nil
}

func (c *payableCursor) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	c.row, c.err = scanPayable(c.rows)
	return c.err == nil
}

func (c *payableCursor) Row() *store.PayableRow { return &c.row }

func (c *payableCursor) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

func (c *payableCursor) Close() error { return c.rows.Close() }

// RefusePayable records a payable's refusal.
func (t *runTx) RefusePayable(ctx context.Context, id int64, reasons, since string, todo remit.Todo) error {
	st, err := t.prepared(ctx, &t.refusePayable, `UPDATE payables SET refusal = ?, refused_at = ?, refusal_todo = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, reasons, since, string(todo), id)
	return err
}

// ClearPayableRefusals forgets an earlier run's refusal of payables this run pays.
func (t *runTx) ClearPayableRefusals(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if _, err := t.q.ExecContext(ctx, `UPDATE payables SET refusal = '', refused_at = '', refusal_todo = '' WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// NextPaymentID is the id the next staged payment gets: the run holds the
// database's write lock, so it numbers its payments itself (their
// EndToEndIds come from it).
func (t *runTx) NextPaymentID(ctx context.Context) (int64, error) {
	var id int64
	err := t.q.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM payments`).Scan(&id)
	return id, err
}

// StagePayment records a planned payment and its lines, many at a time:
// they are written before RecordPayments reads them.
func (t *runTx) StagePayment(ctx context.Context, p store.StagedPayment) error {
	g := &p.Group
	if t.payments == nil {
		t.payments = newBatchInsert(t.q, `payments (id, creditor_id, method, bank, bank_note, position, execution_date, due_date,
			end_to_end_id, payee, name, street, building, postcode, town, country, iban, bic, currency, total, discount, amount,
			remittance_info)`, 23)
		t.paymentLines = newBatchInsert(t.q, `payment_lines (payment_id, payable_id, document, supplier, label, issue_date, due_date,
			amount, discount, discount_rate)`, 10)
	}
	if err := t.payments.add(ctx, p.ID, p.CreditorID, string(g.Method), p.Bank, p.BankNote, p.Position, remit.FormatDate(g.Date),
		remit.FormatDate(g.Due), p.EndToEndID, g.Payee, g.Name, g.Address.Street, g.Address.Building, g.Address.Postcode,
		g.Address.Town, g.Address.Country, g.IBAN, g.BIC, g.Currency, g.Total, g.Discount, g.Net, p.RemittanceInfo); err != nil {
		return err
	}
	taken := map[string]payables.Taken{}
	for _, d := range g.Discounts {
		taken[d.Document] = d
	}
	for i, m := range g.Members {
		d := taken[m.Document]
		if err := t.paymentLines.add(ctx, p.ID, p.Payables[i], m.Document, m.Supplier, m.Label, remit.FormatDate(m.Issue),
			remit.FormatDate(m.Due), m.Amount, d.Amount, int64(d.Rate)); err != nil {
			return err
		}
	}
	return nil
}

// flushStaged writes the payments still queued.
func (t *runTx) flushStaged(ctx context.Context) error {
	if t.payments == nil {
		return nil
	}
	if err := t.payments.flush(ctx); err != nil {
		return err
	}
	return t.paymentLines.flush(ctx)
}

// RecordPayments puts a bank's staged payments into a remittance, block
// by block, and marks their payables remitted (out of their groups, their
// refusals forgotten).
func (t *runTx) RecordPayments(ctx context.Context, remittanceID, creditorID int64, bank string, dates []string) error {
	if err := t.flushStaged(ctx); err != nil {
		return err
	}
	for i, d := range dates {
		if _, err := t.q.ExecContext(ctx, `UPDATE payments SET remittance_id = ?, block = ?
			WHERE creditor_id = ? AND remittance_id IS NULL AND bank = ? AND execution_date = ?`,
			remittanceID, i+1, creditorID, bank, d); err != nil {
			return err
		}
	}
	_, err := t.q.ExecContext(ctx, `UPDATE payables SET status = 'remitted', group_id = NULL, refusal = '', refused_at = '',
		refusal_todo = '' WHERE id IN (SELECT l.payable_id FROM payment_lines l JOIN payments p ON p.id = l.payment_id
		WHERE p.remittance_id = ?)`, remittanceID)
	return err
}

// paymentItemColumns are a payment as a remit.Item carries it to the
// kinds' files and the slip.
const paymentItemColumns = `block, end_to_end_id, amount, bic, iban, name, street, building, postcode, town, country,
	remittance_info, due_date, execution_date, payee, (SELECT min(document) FROM payment_lines WHERE payment_id = payments.id),
	(SELECT count(*) FROM payment_lines WHERE payment_id = payments.id)`

// paymentItems streams a payment remittance's payments as items, in file
// order: the document is the first the payment settles (Documents says
// how many), the label its remittance information, the customer its payee,
// the collection date its execution date.
func paymentItems(ctx context.Context, q querier, remittanceID int64, fn func(*remit.Item) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+paymentItemColumns+` FROM payments WHERE remittance_id = ? ORDER BY block, position`,
		remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it remit.Item
	for rows.Next() {
		it = remit.Item{}
		a := &it.Address
		if err := rows.Scan(&it.Block, &it.EndToEndID, &it.Amount, &it.BIC, &it.IBAN, &it.Name, &a.Street, &a.Building, &a.Postcode,
			&a.Town, &a.Country, &it.Label, &it.Due, &it.Collection, &it.Customer, &it.Document, &it.Documents); err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// paymentSlipFacts are what a payment remittance's slip says of its payments.
func paymentSlipFacts(ctx context.Context, q querier, remittanceID int64) (store.SlipFacts, error) {
	var f store.SlipFacts
	err := q.QueryRowContext(ctx, `SELECT COALESCE(min(due_date), ''), COALESCE(max(due_date), ''),
		COALESCE((SELECT payee FROM payments WHERE remittance_id = ?1 ORDER BY length(payee) DESC, payee LIMIT 1), '')
		FROM payments WHERE remittance_id = ?1`, remittanceID).Scan(&f.DueFrom, &f.DueTo, &f.LongestCustomer)
	return f, err
}

// Payments streams a payment remittance's payments with their lines
// (store.PaymentReader).
func (s *Store) Payments(ctx context.Context, remittanceID int64, fn func(*store.PaymentRow) error) error {
	return readPayments(ctx, s.db, remittanceID, fn)
}

func (t *tx) Payments(ctx context.Context, remittanceID int64, fn func(*store.PaymentRow) error) error {
	return readPayments(ctx, t.q, remittanceID, fn)
}

// readPayments reads the payments in file order, each with its lines: one
// query for the payments and one for the lines, walked side by side.
func readPayments(ctx context.Context, q querier, remittanceID int64, fn func(*store.PaymentRow) error) error {
	rows, err := q.QueryContext(ctx, `SELECT id, method, bank, bank_note, block, position, status, execution_date, due_date,
		end_to_end_id, payee, name, street, building, postcode, town, country, iban, bic, currency, total, discount, amount,
		remittance_info, cheque_number FROM payments WHERE remittance_id = ? ORDER BY block, position`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	lines, err := q.QueryContext(ctx, `SELECT l.payment_id, l.payable_id, l.document, l.supplier, l.label, l.issue_date, l.due_date,
		l.amount, l.discount, l.discount_rate, (SELECT source = 'refund' FROM payables WHERE id = l.payable_id)
		FROM payment_lines l JOIN payments p ON p.id = l.payment_id
		WHERE p.remittance_id = ? ORDER BY p.block, p.position, l.document`, remittanceID)
	if err != nil {
		return err
	}
	defer lines.Close()
	var pending *store.PaymentLine
	var pendingFor int64
	for rows.Next() {
		var p store.PaymentRow
		var method, date, due string
		a := &p.Address
		if err := rows.Scan(&p.ID, &method, &p.Bank, &p.BankNote, &p.Block, &p.Position, &p.Status, &date, &due, &p.EndToEndID,
			&p.Payee, &p.Name, &a.Street, &a.Building, &a.Postcode, &a.Town, &a.Country, &p.IBAN, &p.BIC, &p.Currency, &p.Total,
			&p.Discount, &p.Amount, &p.RemittanceInfo, &p.ChequeNumber); err != nil {
			return err
		}
		p.Method, p.Date, p.Due = payables.Method(method), remit.StoredDate(date), remit.StoredDate(due)
		for {
			if pending == nil {
				if !lines.Next() {
					break
				}
				var l store.PaymentLine
				var issue, ldue string
				var rate int64
				if err := lines.Scan(&pendingFor, &l.PayableID, &l.Document, &l.Supplier, &l.Label, &issue, &ldue, &l.Amount,
					&l.Discount, &rate, &l.Refund); err != nil {
					return err
				}
				l.Issue, l.Due, l.Rate = remit.StoredDate(issue), remit.StoredDate(ldue), payables.Rate(rate)
				pending = &l
			}
			if pendingFor != p.ID {
				break
			}
			p.Lines = append(p.Lines, *pending)
			pending = nil
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	if err := lines.Err(); err != nil {
		return err
	}
	return rows.Err()
}

// cancelPayments withdraws a payment remittance's payments: their payables
// go back to pointed as they were paid, each payment of several payables a
// group again, for the next run.
func cancelPayments(ctx context.Context, q querier, remittanceID int64, now time.Time) error {
	rows, err := q.QueryContext(ctx, `SELECT id FROM payments WHERE remittance_id = ? AND status = 'remitted' ORDER BY id`, remittanceID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := repoint(ctx, q, id, now, ""); err != nil {
			return err
		}
	}
	_, err = q.ExecContext(ctx, `UPDATE payments SET status = 'cancelled' WHERE remittance_id = ? AND status = 'remitted'`, remittanceID)
	return err
}

// PaymentsDue implements store.PaymentForecaster.
func (s *Store) PaymentsDue(ctx context.Context, creditorID int64, to time.Time, fn func(treasury.Payable) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT p.end_to_end_id, p.bank, p.method, p.execution_date, p.amount
		FROM payments p JOIN remittances r ON r.id = p.remittance_id
		LEFT JOIN banks b ON b.creditor_id = p.creditor_id AND b.code = p.bank
		WHERE p.creditor_id = ? AND p.status = 'remitted' AND r.status != 'cancelled' AND p.execution_date <= ?
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
