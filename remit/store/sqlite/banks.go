package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// The banks table (migration 0008): a creditor's bank accounts. The rules
// of the set are remit/treasury's; this file reads and writes it.

const bankCols = `b.id, b.code, b.iban, b.bic, b.name, b.account, b.nne, b.value_days, b.limit_cents,
	COALESCE(s.code, ''), b.is_default, b.balance_cents, b.balance_date`

// bankRow is a bank with its row id.
type bankRow struct {
	id int64
	remit.Bank
}

// queryer is what reads the banks: the database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readBanks lists a creditor's banks by code.
func readBanks(ctx context.Context, q queryer, creditorID int64) ([]bankRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bankCols+` FROM banks b LEFT JOIN banks s ON s.id = b.substitute_id
		WHERE b.creditor_id = ? ORDER BY b.code`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bankRow
	for rows.Next() {
		var r bankRow
		var days string
		var limit, balance sql.NullInt64
		var balanceDate sql.NullString
		if err := rows.Scan(&r.id, &r.Code, &r.IBAN, &r.BIC, &r.Name, &r.Account, &r.NNE, &days, &limit, &r.Substitute,
			&r.Default, &balance, &balanceDate); err != nil {
			return nil, err
		}
		// Another program may have written the row: a value that does not
		// read is named, not dropped.
		if r.ValueDays, err = remit.ParseValueDays(days); err != nil {
			return nil, fmt.Errorf("bank %s: value_days %q: %w", r.Code, days, err)
		}
		r.Limit, r.Balance = limit.Int64, balance.Int64
		if balanceDate.Valid {
			d, err := remit.ParseDate(balanceDate.String)
			if err != nil {
				return nil, fmt.Errorf("bank %s: balance_date %q: %w", r.Code, balanceDate.String, err)
			}
			r.BalanceDate = d
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func plainBanks(rows []bankRow) []remit.Bank {
	out := make([]remit.Bank, len(rows))
	for i, r := range rows {
		out[i] = r.Bank
	}
	return out
}

// Banks lists a creditor's banks by code.
func (s *Store) Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error) {
	rows, err := readBanks(ctx, s.db, creditorID)
	return plainBanks(rows), err
}

// UpdateBanks changes a creditor's banks in one transaction (see
// store.Banks).
func (s *Store) UpdateBanks(ctx context.Context, creditorID int64, fn func([]remit.Bank) ([]remit.Bank, error)) ([]remit.Bank, error) {
	var out []remit.Bank
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := readBanks(ctx, tx, creditorID)
		if err != nil {
			return err
		}
		next, err := fn(plainBanks(old))
		if err != nil {
			return err
		}
		if err := s.writeBanks(ctx, tx, creditorID, old, next); err != nil {
			return err
		}
		if err := followDefaultBank(ctx, tx, creditorID, next, s.timestamp()); err != nil {
			return err
		}
		saved, err := readBanks(ctx, tx, creditorID)
		out = plainBanks(saved)
		return err
	})
	return out, err
}

func (s *Store) timestamp() string { return s.now().Format(remit.TimestampLayout) }

// writeBanks turns a creditor's banks from old into next: removed, then
// updated or inserted (the default flag cleared first, as the index allows
// one), then each substitute set from its code.
func (s *Store) writeBanks(ctx context.Context, tx *sql.Tx, creditorID int64, old []bankRow, next []remit.Bank) error {
	ids := map[string]int64{}
	for _, o := range old {
		ids[strings.ToUpper(o.Code)] = o.id
	}
	keep := map[string]bool{}
	for _, b := range next {
		keep[strings.ToUpper(b.Code)] = true
	}
	if _, err := tx.ExecContext(ctx, `UPDATE banks SET substitute_id = NULL, is_default = 0 WHERE creditor_id = ?`, creditorID); err != nil {
		return err
	}
	for _, o := range old {
		if keep[strings.ToUpper(o.Code)] {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM remittances WHERE bank_id = ?`, o.id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("bank %s: %w (%s): it stays, for them to be regenerated and reconciled", o.Code, treasury.ErrBankInUse, plural(n, "remittance", "remittances"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM banks WHERE id = ?`, o.id); err != nil {
			return err
		}
		delete(ids, strings.ToUpper(o.Code))
	}
	for _, b := range next {
		var limit, balance, balanceDate any
		if b.Limit != 0 {
			limit = b.Limit
		}
		if !b.BalanceDate.IsZero() {
			balance, balanceDate = b.Balance, remit.FormatDate(b.BalanceDate)
		}
		args := []any{b.Code, b.IBAN, b.BIC, b.Name, b.Account, b.NNE, b.ValueDays.String(), limit, b.Default, balance, balanceDate}
		if id, ok := ids[strings.ToUpper(b.Code)]; ok {
			_, err := tx.ExecContext(ctx, `UPDATE banks SET code = ?, iban = ?, bic = ?, name = ?, account = ?, nne = ?, value_days = ?,
				limit_cents = ?, is_default = ?, balance_cents = ?, balance_date = ? WHERE id = ?`, append(args, id)...)
			if err != nil {
				return err
			}
			continue
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO banks (code, iban, bic, name, account, nne, value_days, limit_cents, is_default,
			balance_cents, balance_date, creditor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(args, creditorID, s.timestamp())...).Scan(&id)
		if err != nil {
			return err
		}
		ids[strings.ToUpper(b.Code)] = id
	}
	for _, b := range next {
		if b.Substitute == "" {
			continue
		}
		sub, ok := ids[strings.ToUpper(b.Substitute)]
		if !ok {
			return fmt.Errorf("bank %s: substitute %s: %w", b.Code, b.Substitute, treasury.ErrNoBank)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE banks SET substitute_id = ? WHERE id = ?`, sub, ids[strings.ToUpper(b.Code)]); err != nil {
			return err
		}
	}
	return nil
}

// followDefaultBank gives the creditor the default bank's account
// (treasury.CreditorWithBank).
func followDefaultBank(ctx context.Context, tx *sql.Tx, creditorID int64, banks []remit.Bank, now string) error {
	cr, err := scanCreditor(tx.QueryRowContext(ctx, `SELECT `+creditorCols+` FROM creditors WHERE id = ?`, creditorID))
	if err != nil {
		return err
	}
	c := treasury.CreditorWithBank(cr, banks)
	if c.IBAN == cr.IBAN && c.BIC == cr.BIC && c.BankName == cr.BankName && c.NNE == cr.NNE {
		return nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE creditors SET iban = ?, bic = ?, bank_name = ?, nne = ?, updated_at = ? WHERE id = ?`,
		c.IBAN, c.BIC, c.BankName, c.NNE, now, creditorID)
	return err
}

// followCreditor gives the default bank what changed of the creditor's own
// account, or makes it from that account (treasury.FollowCreditor).
func (s *Store) followCreditor(ctx context.Context, tx *sql.Tx, old, cr remit.Creditor) error {
	banks, err := readBanks(ctx, tx, cr.ID)
	if err != nil {
		return err
	}
	next, changed := treasury.FollowCreditor(old, cr, plainBanks(banks), s.defaultBankAccount())
	if !changed {
		return nil
	}
	if err := treasury.ValidateBanks(next); err != nil {
		return fmt.Errorf("creditor %s: its account as the default bank: %w", cr.Code, err)
	}
	return s.writeBanks(ctx, tx, cr.ID, banks, next)
}

// defaultBankAccount is the account of the default bank made from a
// creditor's account: the counterpart the entries were configured with
// (entries.counterpart) when it is a bank's, so that they stay as they
// were; "" otherwise (treasury.DefaultBankAccount).
func (s *Store) defaultBankAccount() string {
	if treasury.IsBankAccount(s.entryOpts.Counterpart) {
		return s.entryOpts.Counterpart
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
