package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
)

// SetTraiteOffset records where the creditor's printer needs the traites.
func (s *Store) SetTraiteOffset(ctx context.Context, creditorID int64, o remit.Offset) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE creditors SET traite_offset_x = $1, traite_offset_y = $2, updated_at = $3 WHERE id = $4`,
			o.X, o.Y, s.now().Format(remit.TimestampLayout), creditorID)
		return err
	})
}

const creditorCols = `id, code, name, ics, nne, siren, iban, bic, bank_name, street, building, postcode, town, country, rcur_only = 1,
	traite_offset_x, traite_offset_y, approval_required = 1`

func scanCreditor(row pgx.Row) (remit.Creditor, error) {
	var c remit.Creditor
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.ICS, &c.NNE, &c.SIREN, &c.IBAN, &c.BIC, &c.BankName,
		&c.Address.Street, &c.Address.Building, &c.Address.Postcode, &c.Address.Town, &c.Address.Country, &c.RCUROnly,
		&c.TraiteOffset.X, &c.TraiteOffset.Y, &c.ApprovalRequired)
	return c, err
}

// Creditors lists every creditor, by code.
func (s *Store) Creditors(ctx context.Context) ([]remit.Creditor, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+creditorCols+` FROM creditors ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []remit.Creditor
	for rows.Next() {
		c, err := scanCreditor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// creditorCodes says which codes the database has, for an error message.
func (s *Store) creditorCodes(ctx context.Context) string {
	all, err := s.Creditors(ctx)
	if err != nil || len(all) == 0 {
		return "the database has none yet (remit creditor set)"
	}
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i] = c.Code
	}
	return "the database has " + strings.Join(codes, ", ")
}

// Creditor returns the creditor with that code, or the only one when code is empty.
func (s *Store) Creditor(ctx context.Context, code string) (remit.Creditor, error) {
	if code != "" {
		c, err := scanCreditor(s.Pool.QueryRow(ctx, `SELECT `+creditorCols+` FROM creditors WHERE code = $1`, code))
		if errors.Is(err, pgx.ErrNoRows) {
			return c, fmt.Errorf("%w with code %q: %s", remit.ErrUnknownCreditor, code, s.creditorCodes(ctx))
		}
		return c, err
	}
	all, err := s.Creditors(ctx)
	if err != nil {
		return remit.Creditor{}, err
	}
	switch len(all) {
	case 0:
		return remit.Creditor{}, remit.ErrNoCreditor
	case 1:
		return all[0], nil
	}
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i] = c.Code
	}
	return remit.Creditor{}, fmt.Errorf("%w (%s)", remit.ErrCreditorChoice, strings.Join(codes, ", "))
}

// flag is a boolean as the tables keep it: 0 or 1.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SaveCreditor inserts or updates the creditor with c.Code.
func (s *Store) SaveCreditor(ctx context.Context, c remit.Creditor) (remit.Creditor, error) {
	if errs := c.Validate(); len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	now := s.now().Format(remit.TimestampLayout)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := scanCreditor(tx.QueryRow(ctx, `SELECT `+creditorCols+` FROM creditors WHERE code = $1 FOR NO KEY UPDATE`, c.Code))
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		id, oldICS := old.ID, old.ICS
		if oldICS != "" && c.ICS != oldICS {
			// The mandates signed so far name the old creditor identifier:
			// each one's next collection announces it (OrgnlCdtrSchmeId),
			// a first one too (a B2B debtor's bank checks the mandate it
			// registered). The first change before an announcement is the
			// one kept; changing back to it announces nothing.
			if _, err := tx.Exec(ctx, `UPDATE mandates SET original_ics = $1 WHERE creditor_id = $2 AND original_ics = ''`,
				oldICS, id); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO creditors (code, name, ics, nne, siren, iban, bic, bank_name,
			street, building, postcode, town, country, rcur_only, approval_required, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, ics = excluded.ics, nne = excluded.nne,
			siren = excluded.siren, iban = excluded.iban, bic = excluded.bic, bank_name = excluded.bank_name,
			street = excluded.street, building = excluded.building, postcode = excluded.postcode,
			town = excluded.town, country = excluded.country, rcur_only = excluded.rcur_only,
			approval_required = excluded.approval_required, updated_at = excluded.updated_at`,
			c.Code, c.Name, c.ICS, c.NNE, c.SIREN, c.IBAN, c.BIC, c.BankName,
			c.Address.Street, c.Address.Building, c.Address.Postcode, c.Address.Town, c.Address.Country, flag(c.RCUROnly),
			flag(c.ApprovalRequired), now, now)
		if err != nil {
			return err
		}
		// The creditor's own account is its default bank's.
		saved := c
		if err := tx.QueryRow(ctx, `SELECT id FROM creditors WHERE code = $1`, c.Code).Scan(&saved.ID); err != nil {
			return err
		}
		return s.followCreditor(ctx, tx, old, saved)
	})
	if err != nil {
		return c, err
	}
	return s.Creditor(ctx, c.Code)
}
