package sqlite

import (
	"context"
	"database/sql"

	"github.com/remit-dev/remit/remit"
)

// Traites streams the bills of a remittance (its items, with the drawees
// it recorded) or the receivables a filter selects (with their customers),
// for the paper traites; the item's Issue is the document's date of
// creation.
func (s *Store) Traites(ctx context.Context, cr remit.Creditor, src remit.TraiteSource, fn func(*remit.Item) error) error {
	var rows *sql.Rows
	var err error
	if src.RemittanceID != 0 {
		rows, err = s.db.QueryContext(ctx, `SELECT i.document, i.customer, i.name, i.street, i.building, i.postcode, i.town,
			i.country, i.siren, i.iban, i.bank_name, i.amount, i.due_date, i.issue_date, i.acceptance
			FROM remittance_lines i JOIN remittances r ON r.id = i.remittance_id
			WHERE i.remittance_id = ? AND r.creditor_id = ? ORDER BY i.block, i.position`, src.RemittanceID, cr.ID)
	} else {
		where, args := filterWhere(src.Filter, cr.ID)
		rows, err = s.db.QueryContext(ctx, `SELECT r.document, c.account, c.name, c.street, c.building, c.postcode, c.town,
			c.country, c.siren, c.iban, c.bank_name, r.amount, r.due_date, r.issue_date, r.acceptance
			FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+` ORDER BY r.due_date, c.account, r.document`, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	var it remit.Item
	for rows.Next() {
		a := &it.Address
		if err := rows.Scan(&it.Document, &it.Customer, &it.Name, &a.Street, &a.Building, &a.Postcode, &a.Town,
			&a.Country, &it.SIREN, &it.IBAN, &it.BankName, &it.Amount, &it.Due, &it.Issue, &it.Acceptance); err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RecordReprint records a remittance's slip after `remit bordereau` printed
// it again in place with copies copies: its sha256, size and copies, which
// regenerate needs to print it again byte for byte.
func (s *Store) RecordReprint(ctx context.Context, remittanceID int64, f remit.FileInfo, copies int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE remittance_files SET sha256 = ?, size = ?, copies = ? WHERE remittance_id = ? AND name = ? AND format = ?`,
			f.SHA256, f.Size, copies, remittanceID, f.Name, remit.FormatBordereau)
		return err
	})
}
