package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
)

// The écritures of supplier payments (issue 20, part 7) are
// accounting.Disbursement's; here they are recorded as the payments are
// read, as the SQLite store does (its payment_entries.go), so that a
// million payments cost a batch of lines in memory.

// paymentBank is the bank a payment remittance's parameters name.
type paymentBank struct {
	Bank struct {
		Code    string `json:"code"`
		Account string `json:"account"`
	} `json:"bank"`
}

// paymentEntries writes a payment remittance's écritures.
func (s *Store) paymentEntries(ctx context.Context, q pgx.Tx, rem remit.Remittance) error {
	o, err := s.entryOptions()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if err := s.writePaymentEntries(ctx, q, o, s.now(), rem); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	return nil
}

// paymentLinesCount is how many entry lines accounting.Disbursement gives
// a remittance's payments: a line per document, one per discount taken,
// one for the bank per payment.
const paymentLinesCount = `SELECT (count(*) + count(*) FILTER (WHERE l.discount > 0) + count(DISTINCT p.id))::bigint
	FROM payments p JOIN payment_lines l ON l.payment_id = p.id WHERE p.remittance_id = $1`

// writePaymentEntries records a payment remittance's écritures as
// accounting.Disbursement gives them, as its payments are read: an
// écriture per entry date, numbered when it starts, checked when it ends.
// The lines take their ids together, in the order written (as SQLite's
// follow the last id), from the ids reserved for them.
func (s *Store) writePaymentEntries(ctx context.Context, q pgx.Tx, o accounting.Options, now time.Time, rem remit.Remittance) error {
	var pb paymentBank
	if err := json.Unmarshal(rem.Params, &pb); err != nil {
		return err
	}
	var creditorID, n int64
	if err := q.QueryRow(ctx, `SELECT creditor_id FROM remittances WHERE id = $1`, rem.ID).Scan(&creditorID); err != nil {
		return err
	}
	if err := q.QueryRow(ctx, paymentLinesCount, rem.ID).Scan(&n); err != nil {
		return err
	}
	ids := &idRange{s: s, q: q}
	if err := ids.reserve(ctx, n); err != nil {
		return err
	}
	d := accounting.NewDisbursement(o, rem, pb.Bank.Code, pb.Bank.Account)
	w := &lineWriter{q: q}
	createdOn := remit.FormatDate(remit.Day(now))
	var e *ecritureWriter
	var lines []accounting.Line
	var sp accounting.SupplierPayment
	err := readPayments(ctx, q, rem.ID, func(p *store.PaymentRow) error {
		if date := d.Date(supplierPayment(&sp, p)); e == nil || e.h.Date != date {
			if e != nil {
				if err := e.end(ctx); err != nil {
					return err
				}
			}
			e = &ecritureWriter{q: q, w: w, ids: ids, creditorID: creditorID, createdOn: createdOn}
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
	return checkRemittanceBalanced(ctx, q, rem.ID)
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

// idRange hands out entry ids reserved together (reserveIDs), in order,
// reserving more should the count have been short.
type idRange struct {
	s          *Store
	q          pgx.Tx
	next, stop int64 // next is the next id to give; stop is past the last reserved
}

func (r *idRange) reserve(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil
	}
	first, err := r.s.reserveIDs(ctx, r.q, "entry_lines", int(n))
	if err != nil {
		return err
	}
	r.next, r.stop = first, first+n
	return nil
}

func (r *idRange) take(ctx context.Context) (int64, error) {
	if r.next == r.stop {
		if err := r.reserve(ctx, 256); err != nil {
			return 0, err
		}
	}
	r.next++
	return r.next - 1, nil
}

// ecritureWriter records the lines of one écriture as they come, under the
// journal's next number, and checks that it balances when it ends.
type ecritureWriter struct {
	q          pgx.Tx
	w          *lineWriter
	ids        *idRange
	creditorID int64
	createdOn  string
	h          accounting.Header
	number     int64 // 0 until the first lines come
	lines      int64
	tally      accounting.Tally
}

// add records lines of the écriture of header h, numbered after those
// added before.
func (e *ecritureWriter) add(ctx context.Context, h accounting.Header, lines []accounting.Line) error {
	if e.number == 0 {
		var err error
		if e.number, err = nextEntryNumber(ctx, e.q, e.creditorID, h.Journal); err != nil {
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
		id, err := e.ids.take(ctx)
		if err != nil {
			return err
		}
		if err := e.w.add(ctx, id, e.creditorID, e.number, &e.h, l, e.createdOn); err != nil {
			return err
		}
	}
	return nil
}

// end writes the lines still queued and checks the écriture balances.
func (e *ecritureWriter) end(ctx context.Context) error {
	if err := e.w.flush(ctx); err != nil {
		return err
	}
	return e.tally.Balanced(e.h)
}

// relinkPaymentReversal gives the reversal lines of a payment remittance
// their payment and payable, from the lines they reverse (a reversal
// copies them line by line), and reletters its payables: their lines now
// net to nothing, lower case.
func relinkPaymentReversal(ctx context.Context, q pgx.Tx, remittanceID int64) error {
	if _, err := q.Exec(ctx, `UPDATE entry_lines e SET payment_id = o.payment_id, payable_id = o.payable_id
		FROM entry_lines o WHERE e.remittance_id = $1 AND e.kind = 'reversal' AND e.payable_id IS NULL
			AND o.remittance_id = $1 AND o.kind = 'payment' AND o.creditor_id = e.creditor_id AND o.journal = e.journal
			AND o.number = e.reverses AND o.line = e.line`, remittanceID); err != nil {
		return err
	}
	return reletterPayables(ctx, q, `p.id IN (SELECT l.payable_id FROM payment_lines l JOIN payments m ON m.id = l.payment_id
		WHERE m.remittance_id = $1)`, remittanceID)
}

// cancelPaymentRemittance withdraws a payment remittance (Cancel): its
// payables go back to pointed as they were paid, its écritures are
// reversed (the reversal naming the payments and payables), its status is
// cancelled.
func (t *tx) cancelPaymentRemittance(ctx context.Context, r remit.Remittance) error {
	if err := cancelPayments(ctx, t.q, r.ID, t.s.now()); err != nil {
		return err
	}
	if err := t.s.reverseEntries(ctx, t.q, r); err != nil {
		return err
	}
	if err := relinkPaymentReversal(ctx, t.q, r.ID); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE remittances SET status = 'cancelled' WHERE id = $1`, r.ID)
	return err
}
