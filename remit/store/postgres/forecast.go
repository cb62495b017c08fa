package postgres

import (
	"context"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// What a cash forecast reads (store.Forecasts), as the SQLite store reads it.

// PendingLots streams, per remittance not cancelled, block and collection
// date, the items still remitted that no statement credited: what its
// bank is still to credit.
func (s *Store) PendingLots(ctx context.Context, creditorID int64, fn func(store.PendingLot) error) error {
	rows, err := s.Pool.Query(ctx, `SELECT i.remittance_id, i.block, i.collection_date, count(*), sum(i.amount)::bigint
		FROM remittances r JOIN remittance_items i ON i.remittance_id = r.id
		WHERE r.creditor_id = $1 AND r.status != 'cancelled' AND i.status = 'remitted' AND i.credited_on = ''
		GROUP BY i.remittance_id, i.block, i.collection_date ORDER BY i.remittance_id, i.block, i.collection_date`, creditorID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l store.PendingLot
		if err := rows.Scan(&l.Remittance, &l.Block, &l.Date, &l.Count, &l.Total); err != nil {
			return err
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenReceivables streams the receivables not remitted, by due date.
func (s *Store) OpenReceivables(ctx context.Context, creditorID int64, fn func(treasury.Receivable) error) error {
	rows, err := s.Pool.Query(ctx, `SELECT r.document, c.account, r.journal, r.method, r.status, r.due_date, r.amount
		FROM receivables r JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = $1 AND r.status IN ('open', 'pointed', 'rejected') AND r.currency = 'EUR'
		ORDER BY r.due_date, r.id`, creditorID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r treasury.Receivable
		var due string
		if err := rows.Scan(&r.Document, &r.Customer, &r.Journal, &r.Method, &r.Status, &due, &r.Open); err != nil {
			return err
		}
		r.Due = remit.StoredDate(due)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
