package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
)

// RecordedFile says which remittance records a file of the out folder named
// name, and as what; ok is false when none does.
func (s *Store) RecordedFile(ctx context.Context, name string) (ref, format string, ok bool, err error) {
	return recordedFile(ctx, s.Pool, name, 0)
}

// recordedFile is RecordedFile for any remittance but except.
func recordedFile(ctx context.Context, q querier, name string, except int64) (ref, format string, ok bool, err error) {
	var id int64
	err = q.QueryRow(ctx, `SELECT remittance_id, format FROM remittance_files WHERE name = $1 AND remittance_id != $2 ORDER BY remittance_id LIMIT 1`,
		name, except).Scan(&id, &format)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return remit.Ref(id), format, true, nil
}

// fileRecorded reports whether a remittance records a file of the out
// folder named name.
func fileRecorded(ctx context.Context, q querier, name string) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM remittance_files WHERE name = $1)`, name).Scan(&ok)
	return ok, err
}

// Traites streams the bills of a remittance (its items, with the drawees
// it recorded) or the receivables a filter selects (with their customers),
// for the paper traites; the item's Issue is the document's date of
// creation.
func (s *Store) Traites(ctx context.Context, cr remit.Creditor, src remit.TraiteSource, fn func(*remit.Item) error) error {
	var rows pgx.Rows
	var err error
	if src.RemittanceID != 0 {
		rows, err = s.Pool.Query(ctx, `SELECT i.document, i.customer, i.name, i.street, i.building, i.postcode, i.town,
			i.country, i.siren, i.iban, i.bank_name, i.amount, i.due_date, i.issue_date, i.acceptance
			FROM remittance_lines i JOIN remittances r ON r.id = i.remittance_id
			WHERE i.remittance_id = $1 AND r.creditor_id = $2 ORDER BY i.block, i.position`, src.RemittanceID, cr.ID)
	} else {
		var p params
		where := filterWhere(src.Filter, cr.ID, &p)
		rows, err = s.Pool.Query(ctx, `SELECT r.document, c.account, c.name, c.street, c.building, c.postcode, c.town,
			c.country, c.siren, c.iban, c.bank_name, r.amount, r.due_date, r.issue_date, r.acceptance
			FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+` ORDER BY r.due_date, c.account, r.document`, p...)
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
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE remittance_files SET sha256 = $1, size = $2, copies = $3 WHERE remittance_id = $4 AND name = $5 AND format = $6`,
			f.SHA256, f.Size, copies, remittanceID, f.Name, remit.FormatBordereau)
		return err
	})
}
