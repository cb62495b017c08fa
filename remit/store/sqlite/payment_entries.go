package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
)

// The écritures of supplier payments (issue 20, part 7) are
// accounting.Disbursement's; here they are recorded as the payments are
// read, so that a million payments cost a batch of lines in memory.

// paymentBank is the bank a payment remittance's parameters name.
type paymentBank struct {
	Bank struct {
		Code    string `json:"code"`
		Account string `json:"account"`
	} `json:"bank"`
}

// paymentEntries writes a payment remittance's écritures.
func (s *Store) paymentEntries(ctx context.Context, tx *sql.Tx, rem remit.Remittance) error {
	o, err := s.entryOptions()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if err := writePaymentEntries(ctx, tx, o, s.now(), rem); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	return nil
}

// writePaymentEntries records a payment remittance's écritures as
// accounting.Disbursement gives them, as its payments are read: an
// écriture per entry date, numbered when it starts, checked when it ends.
func writePaymentEntries(ctx context.Context, tx *sql.Tx, o accounting.Options, now time.Time, rem remit.Remittance) error {
	var pb paymentBank
	if err := json.Unmarshal(rem.Params, &pb); err != nil {
		return err
	}
	var creditorID int64
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, rem.ID).Scan(&creditorID); err != nil {
		return err
	}
	d := accounting.NewDisbursement(o, rem, pb.Bank.Code, pb.Bank.Account)
	ins := newEntryInsert(tx)
	defer ins.close()
	createdOn := remit.FormatDate(remit.Day(now))
	var e *ecritureWriter
	var lines []accounting.Line
	var sp accounting.SupplierPayment
	err := readPayments(ctx, tx, rem.ID, func(p *store.PaymentRow) error {
		if date := d.Date(supplierPayment(&sp, p)); e == nil || e.h.Date != date {
			if e != nil {
				if err := e.end(ctx); err != nil {
					return err
				}
			}
			e = &ecritureWriter{tx: tx, ins: ins, creditorID: creditorID, createdOn: createdOn}
		}
		var h accounting.Header
		h, lines = d.Lines(lines[:0], &sp, e.lines)
		return e.add(ctx, h, lines)
	})
	if err != nil {
		return err
	}
	if e != nil {
		if err := e.end(ctx); err != nil {
			return err
		}
	}
	return checkRemittanceBalanced(ctx, tx, rem.ID)
}

// supplierPayment fills sp with payment row p, as the rule takes it.
func supplierPayment(sp *accounting.SupplierPayment, p *store.PaymentRow) *accounting.SupplierPayment {
	*sp = accounting.SupplierPayment{ID: p.ID, Date: p.Date, EndToEndID: p.EndToEndID, Payee: p.Payee, Name: p.Name, Amount: p.Amount,
		Documents: sp.Documents[:0]}
	for _, l := range p.Lines {
		sp.Documents = append(sp.Documents, accounting.PaidDocument{Payable: l.PayableID, Document: l.Document, Supplier: l.Supplier,
			Amount: l.Amount, Discount: l.Discount, Refund: l.Refund})
	}
	return sp
}

// ecritureWriter records the lines of one écriture as they come, under the
// journal's next number and the ids after the last, and checks that it
// balances when it ends.
type ecritureWriter struct {
	ins        *batchInsert
	creditorID int64
	createdOn  string
	h          accounting.Header
	number     int64 // 0 until the first lines come
	lastID     int64
	lines      int64
	tally      accounting.Tally
	tx         *sql.Tx
}

// add records lines of the écriture of header h, numbered after those
// added before.
func (e *ecritureWriter) add(ctx context.Context, h accounting.Header, lines []accounting.Line) error {
	if e.number == 0 {
		var err error
		if e.number, err = nextEntryNumber(ctx, e.tx, e.creditorID, h.Journal); err != nil {
			return err
		}
		if e.lastID, err = lastEntryID(ctx, e.tx); err != nil {
			return err
		}
	}
	e.h = h
	for i := range lines {
		l := &lines[i]
		if err := e.tally.Add(l); err != nil {
			return err
		}
		e.lines++
		if err := addEntryLine(ctx, e.ins, e.lastID+l.Seq, e.creditorID, e.number, &e.h, l, e.createdOn); err != nil {
			return err
		}
	}
	return nil
}

// end writes the lines still queued and checks the écriture balances.
func (e *ecritureWriter) end(ctx context.Context) error {
	if err := e.ins.flush(ctx); err != nil {
		return err
	}
	return e.tally.Balanced(e.h)
}

// relinkPaymentReversal gives the reversal lines of a payment remittance
// their payment and payable, from the lines they reverse (a reversal
// copies them line by line), and reletters its payables: their lines now
// net to nothing, lower case.
func relinkPaymentReversal(ctx context.Context, tx *sql.Tx, remittanceID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE entry_lines SET payment_id = o.payment_id, payable_id = o.payable_id
		FROM entry_lines AS o WHERE entry_lines.remittance_id = ?1 AND entry_lines.kind = 'reversal' AND entry_lines.payable_id IS NULL
			AND o.remittance_id = ?1 AND o.kind = 'payment' AND o.creditor_id = entry_lines.creditor_id AND o.journal = entry_lines.journal
			AND o.number = entry_lines.reverses AND o.line = entry_lines.line`, remittanceID); err != nil {
		return err
	}
	return reletterPayables(ctx, tx, `p.id IN (SELECT l.payable_id FROM payment_lines l JOIN payments m ON m.id = l.payment_id
		WHERE m.remittance_id = ?)`, remittanceID)
}

// reletterPayables letters again the supplier lines of the payables cond
// (with its argument) selects: the store sums what each payable's lines
// settle (debits less credits) and finds its latest line's date;
// accounting.LetterPayable says the lettering, written where it differs.
func reletterPayables(ctx context.Context, tx *sql.Tx, cond string, arg any) error {
	for _, q := range []string{`DROP TABLE IF EXISTS temp.reletter_payables`, `CREATE TEMP TABLE reletter_payables (id, code, last)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.amount, sum(e.debit) - sum(e.credit), max(e.date)
		FROM payables p JOIN entry_lines e ON e.payable_id = p.id WHERE `+cond+` GROUP BY p.id`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	ins := newBatchInsert(tx, "temp.reletter_payables", 3)
	defer ins.close()
	for rows.Next() {
		var id, amount, settled int64
		var last string
		if err := rows.Scan(&id, &amount, &settled, &last); err != nil {
			return err
		}
		l := accounting.LetterPayable(id, amount, settled, last)
		if err := ins.add(ctx, id, l.Code, l.On); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE entry_lines SET lettering = t.code, lettered_on = t.last FROM temp.reletter_payables AS t
			WHERE entry_lines.payable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`,
		`DROP TABLE temp.reletter_payables`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
