package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A remittance's files and slip read its items back in file order, each
// reader the columns it needs only, as raw rows (rawrow.go), on a goroutine
// of their own so that the server sends the next items while a file is
// written.

// itemColumns are the snapshot columns of an item (store.ItemsAll).
var itemColumns = []string{"block", "end_to_end_id", "amount", "rum", "mandate_signed", "amend_iban", "amend_rum", "amend_ics",
	"bic", "iban", "name", "street", "building", "postcode", "town", "country", "document", "label", "due_date", "collection_date",
	"sequence_type", "issue_date", "acceptance", "bank_name", "siren", "customer"}

func scanItem(it *remit.Item, r *rawRow) error {
	scanSEPAPart(it, r)
	it.Due, it.Collection, it.Sequence, it.Issue, it.Acceptance = r.str(), r.str(), r.str(), r.str(), r.str()
	it.BankName, it.SIREN, it.Customer = r.str(), r.str(), r.str()
	return r.done()
}

// sepaItemColumns are the columns a pain.008 needs (store.ItemsSEPA), the
// first 18 of itemColumns.
var sepaItemColumns = itemColumns[:18:18]

func scanSEPAItem(it *remit.Item, r *rawRow) error {
	scanSEPAPart(it, r)
	return r.done()
}

// scanSEPAPart reads sepaItemColumns, the first of itemColumns.
func scanSEPAPart(it *remit.Item, r *rawRow) {
	it.Block, it.EndToEndID, it.Amount, it.RUM, it.MandateSigned = r.int(), r.str(), r.int64(), r.str(), r.str()
	it.Amendment = remit.Amendment{Account: r.str(), RUM: r.str(), ICS: r.str()}
	it.BIC, it.IBAN, it.Name = r.str(), r.str(), r.str()
	it.Address = remit.Address{Street: r.str(), Building: r.str(), Postcode: r.str(), Town: r.str(), Country: r.str()}
	it.Document, it.Label = r.str(), r.str()
}

// slipItemColumns are the columns a bordereau prints (store.ItemsSlip).
var slipItemColumns = []string{"document", "customer", "name", "iban", "amount", "sequence_type", "collection_date",
	"due_date", "acceptance", "bank_name"}

func scanSlipItem(it *remit.Item, r *rawRow) error {
	it.Document, it.Customer, it.Name, it.IBAN, it.Amount = r.str(), r.str(), r.str(), r.str(), r.int64()
	it.Sequence, it.Collection, it.Due, it.Acceptance, it.BankName = r.str(), r.str(), r.str(), r.str(), r.str()
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
// the one its slip printed (longest_customer). SQLite's length counts
// characters, as PostgreSQL's does.
func slipFacts(ctx context.Context, q querier, remittanceID int64) (store.SlipFacts, error) {
	if pay, err := isPaymentRemittance(ctx, q, remittanceID); err != nil || pay {
		if err != nil {
			return store.SlipFacts{}, err
		}
		return paymentSlipFacts(ctx, q, remittanceID)
	}
	var f store.SlipFacts
	if err := q.QueryRow(ctx, `SELECT COALESCE(min(due_date), ''), COALESCE(max(due_date), '') FROM remittance_items
		WHERE remittance_id = $1`, remittanceID).Scan(&f.DueFrom, &f.DueTo); err != nil {
		return f, err
	}
	err := q.QueryRow(ctx, `SELECT COALESCE(r.longest_customer, (SELECT d.customer FROM remittance_items i JOIN debtor_snapshots d
			ON d.id = i.debtor_id WHERE i.remittance_id = r.id ORDER BY length(d.customer) DESC, d.customer LIMIT 1), '')
		FROM remittances r WHERE r.id = $1`, remittanceID).Scan(&f.LongestCustomer)
	return f, err
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
func pipeItems(ctx context.Context, q querier, remittanceID int64, cols []string, scan func(*remit.Item, *rawRow) error,
	fn func(*remit.Item) error) error {
	rows, err := q.Query(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM remittance_lines WHERE remittance_id = $1 ORDER BY block, position`,
		remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	prog := remit.StartProgress(ctx, remit.StageWrite)
	next := func(it *remit.Item, raw *rawRow) (bool, error) {
		if !rows.Next() {
			prog.Done()
			return false, rows.Err()
		}
		prog.Add()
		raw.load(rows)
		return true, scan(it, raw)
	}
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
	var raw rawRow
	for readErr == nil && !failed.Load() {
		b, n, more := <-free, 0, true
		for n < len(b) {
			if more, readErr = next(&b[n], &raw); !more || readErr != nil {
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

// chequeItems streams a remise de chèques' items (store.ItemsCheque): a
// cheque drawn on no bank the receivable named is drawn on its customer's
// (as the debtor snapshot of the remise keeps it).
func chequeItems(ctx context.Context, q querier, remittanceID int64, fn func(*remit.Item) error) error {
	rows, err := q.Query(ctx, `SELECT l.document, l.customer, l.name, l.amount, i.cheque_number,
			CASE WHEN i.drawer_bank = '' THEN l.bank_name ELSE i.drawer_bank END, l.collection_date, l.due_date
		FROM remittance_lines l JOIN remittance_items i ON i.id = l.id WHERE l.remittance_id = $1 ORDER BY l.block, l.position`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it remit.Item
	for rows.Next() {
		if err := rows.Scan(&it.Document, &it.Customer, &it.Name, &it.Amount, &it.ChequeNumber, &it.DrawerBank, &it.Collection, &it.Due); err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}
