package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A remittance's files and slip read its items back in file order, packed
// (packed.go), each reader the columns it needs only, on a goroutine of
// their own so that SQLite reads the next items while a file is written.

// itemColumns are the snapshot columns of an item (store.ItemsAll).
var itemColumns = packedColumns{"block", "end_to_end_id", "amount", "rum", "mandate_signed", "amend_iban", "amend_rum", "amend_ics",
	"bic", "iban", "name", "street", "building", "postcode", "town", "country", "document", "label", "due_date", "collection_date",
	"sequence_type", "issue_date", "acceptance", "bank_name", "siren", "customer"}

func scanItem(it *remit.Item, r *packedRow) error {
	scanSEPAPart(it, r)
	it.Due, it.Collection, it.Sequence, it.Issue, it.Acceptance = r.text(), r.text(), r.text(), r.text(), r.text()
	it.BankName, it.SIREN, it.Customer = r.text(), r.text(), r.text()
	return r.done()
}

// sepaItemColumns are the columns a pain.008 needs (store.ItemsSEPA), the
// first 18 of itemColumns: every column, packed or not, costs SQLite a
// conversion and a copy, so the SEPA writer asks for these only.
var sepaItemColumns = itemColumns[:18:18]

func scanSEPAItem(it *remit.Item, r *packedRow) error {
	scanSEPAPart(it, r)
	return r.done()
}

// scanSEPAPart reads sepaItemColumns, the first of itemColumns.
func scanSEPAPart(it *remit.Item, r *packedRow) {
	it.Block, it.EndToEndID, it.Amount, it.RUM, it.MandateSigned = r.int(), r.text(), r.int64(), r.text(), r.text()
	it.Amendment = remit.Amendment{Account: r.text(), RUM: r.text(), ICS: r.text()}
	it.BIC, it.IBAN, it.Name = r.text(), r.text(), r.text()
	it.Address = remit.Address{Street: r.text(), Building: r.text(), Postcode: r.text(), Town: r.text(), Country: r.text()}
	it.Document, it.Label = r.text(), r.text()
}

// slipItemColumns are the columns a bordereau prints (store.ItemsSlip).
var slipItemColumns = packedColumns{"document", "customer", "name", "iban", "amount", "sequence_type", "collection_date",
	"due_date", "acceptance", "bank_name"}

func scanSlipItem(it *remit.Item, r *packedRow) error {
	it.Document, it.Customer, it.Name, it.IBAN, it.Amount = r.text(), r.text(), r.text(), r.text(), r.int64()
	it.Sequence, it.Collection, it.Due, it.Acceptance, it.BankName = r.text(), r.text(), r.text(), r.text(), r.text()
	return r.done()
}

// items streams a remittance's items (store.ItemReader.Items).
func items(ctx context.Context, q querier, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	if pay, err := isPaymentRemittance(ctx, q, remittanceID); err != nil || pay {
		if err != nil {
			return err
		}
		return paymentItems(ctx, q, remittanceID, fn)
	}
	switch set {
	case store.ItemsAll:
		return pipeItems(ctx, q, remittanceID, itemColumns, scanItem, fn)
	case store.ItemsSEPA:
		return pipeItems(ctx, q, remittanceID, sepaItemColumns, scanSEPAItem, fn)
	case store.ItemsSlip:
		return pipeItems(ctx, q, remittanceID, slipItemColumns, scanSlipItem, fn)
	case store.ItemsCheque:
		return chequeItems(ctx, q, remittanceID, fn)
	}
	return fmt.Errorf("item set %d: unknown", set)
}

// slipFacts are the range of a remittance's due dates, and the longest
// customer code of its debtors for the slip's Client column: a pass over
// the items, then over the items and their snapshots. A remittance from before schema 15 keeps
// the one its slip printed (longest_customer).
func slipFacts(ctx context.Context, q querier, remittanceID int64) (store.SlipFacts, error) {
	if pay, err := isPaymentRemittance(ctx, q, remittanceID); err != nil || pay {
		if err != nil {
			return store.SlipFacts{}, err
		}
		return paymentSlipFacts(ctx, q, remittanceID)
	}
	var f store.SlipFacts
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(min(due_date), ''), COALESCE(max(due_date), '') FROM remittance_items
		WHERE remittance_id = ?`, remittanceID).Scan(&f.DueFrom, &f.DueTo); err != nil {
		return f, err
	}
	err := q.QueryRowContext(ctx, `SELECT COALESCE(r.longest_customer, (SELECT d.customer FROM remittance_items i CROSS JOIN debtor_snapshots d
			ON d.id = i.debtor_id WHERE i.remittance_id = r.id ORDER BY length(d.customer) DESC, d.customer LIMIT 1), '')
		FROM remittances r WHERE r.id = ?`, remittanceID).Scan(&f.LongestCustomer)
	return f, err
}

// itemReader reads a remittance's items, packed (packed.go), in file order.
type itemReader struct {
	rows *sql.Rows
	cols packedColumns
	scan func(*remit.Item, *packedRow) error
	row  packedRow
	prog *remit.ProgressCounter
}

func readItems(ctx context.Context, q querier, remittanceID int64, cols packedColumns,
	scan func(*remit.Item, *packedRow) error) (*itemReader, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+cols.sql()+` FROM remittance_lines WHERE remittance_id = ? ORDER BY block, position`, remittanceID)
	if err != nil {
		return nil, err
	}
	return &itemReader{rows: rows, cols: cols, scan: scan, prog: remit.StartProgress(ctx, remit.StageWrite)}, nil
}

// next reads the next item into it; at the end it returns false and rows.Err.
func (ir *itemReader) next(it *remit.Item) (bool, error) {
	if !ir.rows.Next() {
		ir.prog.Done()
		return false, ir.rows.Err()
	}
	ir.prog.Add()
	if err := ir.row.scan(ir.rows, ir.cols); err != nil {
		return false, err
	}
	return true, ir.scan(it, &ir.row)
}

// pipeBatch is how many items pipeItems hands over at a time, and
// pipeBatches how many batches are in flight.
const (
	pipeBatch   = 256
	pipeBatches = 4
)

// pipeItems streams the items with fn on another goroutine: this one reads
// batches of items while the other writes the previous ones. The order is
// kept, and the first error, either side's, ends both.
func pipeItems(ctx context.Context, q querier, remittanceID int64, cols packedColumns, scan func(*remit.Item, *packedRow) error,
	fn func(*remit.Item) error) error {
	items, err := readItems(ctx, q, remittanceID, cols, scan)
	if err != nil {
		return err
	}
	defer items.rows.Close()
	free, full := make(chan []remit.Item, pipeBatches), make(chan []remit.Item, pipeBatches)
	for range pipeBatches {
		free <- make([]remit.Item, pipeBatch)
	}
	var failed atomic.Bool
	done := make(chan error, 1)
	go func() {
		var err error
		for b := range full {
			for i := 0; err == nil && i < len(b); i++ {
				if err = fn(&b[i]); err != nil {
					failed.Store(true)
				}
			}
			free <- b[:cap(b)]
		}
		done <- err
	}()
	var readErr error
	for readErr == nil && !failed.Load() {
		b, n, more := <-free, 0, true
		for n < len(b) {
			if more, readErr = items.next(&b[n]); !more || readErr != nil {
				break
			}
			n++
		}
		if readErr == nil && !more {
			if n > 0 {
				full <- b[:n]
			}
			break
		}
		if readErr == nil {
			full <- b
		}
	}
	close(full)
	if err := <-done; err != nil {
		return err
	}
	return readErr
}
