package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Entries streams the creditor's entries the filter selects, in the order
// they were recorded: validation day, journal, number, line.
func (s *Store) Entries(ctx context.Context, creditorID int64, f accounting.EntryFilter, fn func(accounting.Entry) error) error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return fmt.Errorf("date range: %s is after %s", remit.FormatDate(f.From), remit.FormatDate(f.To))
	}
	conds := []string{"creditor_id = ?"}
	args := []any{creditorID}
	if len(f.Remittances) > 0 {
		conds = append(conds, "remittance_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Remittances)), ", ")+")")
		for _, id := range f.Remittances {
			args = append(args, id)
		}
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "date >= ?"), append(args, remit.FormatDate(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "date <= ?"), append(args, remit.FormatDate(f.To))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+entryColumns.sql()+`
		FROM entries WHERE `+strings.Join(conds, " AND ")+` ORDER BY created_on, journal, number, line`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r packedRow
	for rows.Next() {
		if err := r.scan(rows, entryColumns); err != nil {
			return err
		}
		e := accounting.Entry{Journal: r.text(), JournalLabel: r.text(), Number: r.int64(), Line: r.int(), Kind: accounting.Kind(r.text())}
		if id := r.int64(); id != 0 { // 0: a treasury écriture, of no remittance
			e.Remittance = remit.Ref(id)
		}
		e.Date, e.Account, e.AccountLabel, e.Aux, e.AuxLabel = r.text(), r.text(), r.text(), r.text(), r.text()
		e.Piece, e.PieceDate, e.Label, e.Debit, e.Credit = r.text(), r.text(), r.text(), r.int64(), r.int64()
		e.Lettering, e.LetteredOn, e.ValidDate = r.text(), r.text(), r.text()
		if err := r.done(); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// entryColumns are the columns of the entries view Entries reads, packed (packed.go).
var entryColumns = packedColumns{"journal", "journal_label", "number", "line", "kind", "COALESCE(remittance_id, 0)", "date", "account",
	"account_label", "aux_account", "aux_label", "piece_ref", "piece_date", "label", "debit", "credit", "lettering", "lettered_on",
	"created_on"}

// CheckRemittancesExist returns an error naming every id that is not one of the creditor's remittances.
func (s *Store) CheckRemittancesExist(ctx context.Context, creditorID int64, ids []int64) error {
	var errs []error
	for _, id := range ids {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM remittances WHERE id = ? AND creditor_id = ?`, id, creditorID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs = append(errs, fmt.Errorf("remittance %s: %w", remit.Ref(id), remit.ErrNoRemittance))
		}
	}
	return errors.Join(errs...)
}
