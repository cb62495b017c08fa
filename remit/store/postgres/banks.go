package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// The banks table (migration 0008): a creditor's bank accounts, as the
// SQLite store keeps them (see its banks.go); the rules of the set are
// remit/treasury's.

const bankCols = `b.id, b.code, b.iban, b.bic, b.name, b.account, b.nne, b.value_days, b.limit_cents,
	COALESCE(s.code, ''), b.is_default = 1, b.balance_cents, b.balance_date`

// bankRow is a bank with its row id.
type bankRow struct {
	id int64
	remit.Bank
}

// readBanks lists a creditor's banks by code.
func readBanks(ctx context.Context, q querier, creditorID int64) ([]bankRow, error) {
	rows, err := q.Query(ctx, `SELECT `+bankCols+` FROM banks b LEFT JOIN banks s ON s.id = b.substitute_id
		WHERE b.creditor_id = $1 ORDER BY b.code`, creditorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bankRow
	for rows.Next() {
		var r bankRow
		var days string
		var limit, balance *int64
		var balanceDate *string
		if err := rows.Scan(&r.id, &r.Code, &r.IBAN, &r.BIC, &r.Name, &r.Account, &r.NNE, &days, &limit, &r.Substitute,
			&r.Default, &balance, &balanceDate); err != nil {
			return nil, err
		}
		// Another program may have written the row: a value that does not
		// read is named, not dropped.
		if r.ValueDays, err = remit.ParseValueDays(days); err != nil {
			return nil, fmt.Errorf("bank %s: value_days %q: %w", r.Code, days, err)
		}
		if limit != nil {
			r.Limit = *limit
		}
		if balance != nil {
			r.Balance = *balance
		}
		if balanceDate != nil {
			d, err := remit.ParseDate(*balanceDate)
			if err != nil {
				return nil, fmt.Errorf("bank %s: balance_date %q: %w", r.Code, *balanceDate, err)
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
	rows, err := readBanks(ctx, s.Pool, creditorID)
	return plainBanks(rows), err
}

// Banks lists the creditor's banks, inside the run's transaction.
func (t *runTx) Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error) {
	rows, err := readBanks(ctx, t.q, creditorID)
	return plainBanks(rows), err
}

// UpdateBanks changes a creditor's banks in one transaction, under the
// creditor's lock (see store.Banks).
func (s *Store) UpdateBanks(ctx context.Context, creditorID int64, fn func([]remit.Bank) ([]remit.Bank, error)) ([]remit.Bank, error) {
	var out []remit.Bank
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
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
		if err := followDefaultBank(ctx, tx, creditorID, next, s.now().Format(remit.TimestampLayout)); err != nil {
			return err
		}
		saved, err := readBanks(ctx, tx, creditorID)
		out = plainBanks(saved)
		return err
	})
	return out, err
}

// writeBanks turns a creditor's banks from old into next: removed, then
// updated or inserted (the default flag cleared first, as the index allows
// one), then each substitute set from its code.
func (s *Store) writeBanks(ctx context.Context, tx pgx.Tx, creditorID int64, old []bankRow, next []remit.Bank) error {
	ids := map[string]int64{}
	for _, o := range old {
		ids[strings.ToUpper(o.Code)] = o.id
	}
	keep := map[string]bool{}
	for _, b := range next {
		keep[strings.ToUpper(b.Code)] = true
	}
	if _, err := tx.Exec(ctx, `UPDATE banks SET substitute_id = NULL, is_default = 0 WHERE creditor_id = $1`, creditorID); err != nil {
		return err
	}
	for _, o := range old {
		if keep[strings.ToUpper(o.Code)] {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM remittances WHERE bank_id = $1`, o.id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("bank %s: %w (%s): it stays, for them to be regenerated and reconciled", o.Code, treasury.ErrBankInUse,
				plural(n, "remittance", "remittances"))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM banks WHERE id = $1`, o.id); err != nil {
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
		args := []any{b.Code, b.IBAN, b.BIC, b.Name, b.Account, b.NNE, b.ValueDays.String(), limit, flag(b.Default), balance, balanceDate}
		if id, ok := ids[strings.ToUpper(b.Code)]; ok {
			if _, err := tx.Exec(ctx, `UPDATE banks SET code = $1, iban = $2, bic = $3, name = $4, account = $5, nne = $6, value_days = $7,
				limit_cents = $8, is_default = $9, balance_cents = $10, balance_date = $11 WHERE id = $12`, append(args, id)...); err != nil {
				return err
			}
			continue
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO banks (code, iban, bic, name, account, nne, value_days, limit_cents, is_default,
			balance_cents, balance_date, creditor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			append(args, creditorID, s.now().Format(remit.TimestampLayout))...).Scan(&id); err != nil {
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
		if _, err := tx.Exec(ctx, `UPDATE banks SET substitute_id = $1 WHERE id = $2`, sub, ids[strings.ToUpper(b.Code)]); err != nil {
			return err
		}
	}
	return nil
}

// followDefaultBank gives the creditor the default bank's account
// (treasury.CreditorWithBank).
func followDefaultBank(ctx context.Context, tx pgx.Tx, creditorID int64, banks []remit.Bank, now string) error {
	cr, err := scanCreditor(tx.QueryRow(ctx, `SELECT `+creditorCols+` FROM creditors WHERE id = $1`, creditorID))
	if err != nil {
		return err
	}
	c := treasury.CreditorWithBank(cr, banks)
	if c.IBAN == cr.IBAN && c.BIC == cr.BIC && c.BankName == cr.BankName && c.NNE == cr.NNE {
		return nil
	}
	_, err = tx.Exec(ctx, `UPDATE creditors SET iban = $1, bic = $2, bank_name = $3, nne = $4, updated_at = $5 WHERE id = $6`,
		c.IBAN, c.BIC, c.BankName, c.NNE, now, creditorID)
	return err
}

// followCreditor gives the default bank what changed of the creditor's own
// account, or makes it from that account (treasury.FollowCreditor).
func (s *Store) followCreditor(ctx context.Context, tx pgx.Tx, old, cr remit.Creditor) error {
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
// (entries.counterpart) when it is a bank's, else "" (treasury.DefaultBankAccount).
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
