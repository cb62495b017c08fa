package candidates

import (
	"strconv"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// Rows is what the readers need of a query's rows (*sql.Rows and pgx.Rows
// alike); the store closes them.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ReadGroups reads the rows of block, collection_date, count(*),
// sum(amount), the count credited, the count rejected.
func ReadGroups(rows Rows) ([]Group, error) {
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.Block, &g.Date, &g.Count, &g.Total, &g.Credited, &g.Rejected); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ItemSelect reads what ReadItems scans: an item (alias i); joins and a
// WHERE follow.
const ItemSelect = `SELECT i.id, i.remittance_id, i.block, i.collection_date, i.document, i.end_to_end_id, i.cheque_number, i.amount,
	i.status, i.credited_on FROM remittance_items i`

// ReadItems reads the rows of ItemSelect.
func ReadItems(rows Rows) ([]Item, error) {
	var out []Item
	for rows.Next() {
		var x Item
		if err := rows.Scan(&x.ID, &x.Remittance, &x.Block, &x.Date, &x.Item.Document, &x.Item.EndToEndID, &x.Item.ChequeNumber,
			&x.Item.Amount, &x.Status, &x.CreditedOn); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ReadPendingReturns reads the rows of the return's id, the item's
// remittance_id, document, end_to_end_id and amount.
func ReadPendingReturns(rows Rows) ([]treasury.PendingReturn, error) {
	var out []treasury.PendingReturn
	for rows.Next() {
		var p treasury.PendingReturn
		var id, rem int64
		if err := rows.Scan(&id, &rem, &p.Document, &p.EndToEndID, &p.Amount); err != nil {
			return nil, err
		}
		p.Ref, p.Remittance = strconv.FormatInt(id, 10), remit.Ref(rem)
		out = append(out, p)
	}
	return out, rows.Err()
}

// ReadReceivables reads the rows of a receivable's document, its
// customer's account, its journal, method, status, due_date and what
// remains open of it.
func ReadReceivables(rows Rows) ([]treasury.Receivable, error) {
	var out []treasury.Receivable
	for rows.Next() {
		var r treasury.Receivable
		var due string
		if err := rows.Scan(&r.Document, &r.Customer, &r.Journal, &r.Method, &r.Status, &due, &r.Open); err != nil {
			return nil, err
		}
		r.Due = remit.StoredDate(due)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReadIDs reads the rows of one id.
func ReadIDs(rows Rows) ([]int64, error) {
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
