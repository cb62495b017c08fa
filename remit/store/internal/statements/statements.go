// Package statements is what both stores share of the bank statements
// they record: a line's reference, a remittance's reference read back, and
// the statements read back (store.StatementRecord, its lines and what each
// was matched to) from the rows of the store's queries.
//
//	lines, err := statements.ReadLines(lineRows)
//	err = statements.AddTargets(lines, targetRows)
package statements

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// RefID reads a remittance's reference (remit.Ref) back into its id.
func RefID(ref string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimLeft(ref, "R"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("remittance reference %q: %w", ref, remit.ErrNoRemittance)
	}
	return id, nil
}

// LineReference is the reference a statement line is recorded with: the
// bank's, else the entry's own.
func LineReference(e *statement.Entry) string {
	if e.BankRef != "" {
		return e.BankRef
	}
	return strings.TrimSpace(e.Ref)
}

// Rows is what the readers need of a query's rows (*sql.Rows and pgx.Rows
// alike); the store closes them.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ReadStatements reads the rows of a statement's id, its bank's code,
// format, file, ref, account, from_date, to_date, opening, closing,
// balance_set (a boolean) and imported_at.
func ReadStatements(rows Rows) ([]store.StatementRecord, error) {
	var out []store.StatementRecord
	for rows.Next() {
		var r store.StatementRecord
		var from, to string
		if err := rows.Scan(&r.ID, &r.Bank, &r.Format, &r.File, &r.Ref, &r.Account, &from, &to, &r.Opening, &r.Closing, &r.BalanceSet,
			&r.ImportedAt); err != nil {
			return nil, err
		}
		r.From, r.To = remit.StoredDate(from), remit.StoredDate(to)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReadLines reads the rows of a statement line's id, file_line, booked_on,
// amount, code, label, details, outcome, op, return_reason, reason,
// suspense (a boolean) and what is left of it in suspense.
func ReadLines(rows Rows) ([]store.StatementLineRecord, error) {
	var out []store.StatementLineRecord
	for rows.Next() {
		var l store.StatementLineRecord
		var booked, outcome string
		if err := rows.Scan(&l.ID, &l.FileLine, &booked, &l.Amount, &l.Code, &l.Label, &l.Details, &outcome, &l.Op, &l.ReturnReason,
			&l.Reason, &l.Suspense, &l.Left); err != nil {
			return nil, err
		}
		l.Booked, l.Outcome = remit.StoredDate(booked), treasury.Outcome(outcome)
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddTargets reads the rows of a target's line_id, remittance_id (0:
// none), block, lot_date, document, return_id, whether the return was
// confirmed (a boolean) and amount, and adds each to its line among lines.
func AddTargets(lines []store.StatementLineRecord, rows Rows) error {
	byID := make(map[int64]int, len(lines))
	for i := range lines {
		byID[lines[i].ID] = i
	}
	for rows.Next() {
		var line, rem int64
		var t store.LineTarget
		var date string
		if err := rows.Scan(&line, &rem, &t.Block, &date, &t.Document, &t.Return, &t.Confirmed, &t.Amount); err != nil {
			return err
		}
		if rem != 0 {
			t.Remittance = remit.Ref(rem)
		}
		t.LotDate = remit.StoredDate(date)
		l := &lines[byID[line]]
		l.Targets = append(l.Targets, t)
	}
	return rows.Err()
}

// BookedSuspenseSQL is the account the credit of suspense line l (of
// statement s) was booked to, in both stores' SQL: its suspense écriture's
// credit line, found by its date and piece (accounting.SuspensePiece);
// empty when entries were off.
const BookedSuspenseSQL = `COALESCE((SELECT e.account FROM entry_lines e WHERE e.creditor_id = s.creditor_id AND e.date = l.booked_on
		AND e.kind = 'suspense' AND e.piece_ref = 'ATT' || l.id AND e.credit > 0 ORDER BY e.id LIMIT 1), '')`

// WalkSuspense reads the rows of a suspense line's id, its bank's code,
// statement_id, booked_on, amount, what is left of it, label, details,
// reason and the account its credit was booked to (empty for none), then
// one of its allocations (document, amount, allocated_on; NULL when it has
// none), a row per allocation, ordered by line and
// allocation, and passes fn each line with its allocations as soon as
// its last row is read: memory stays flat however many lines there are.
func WalkSuspense(rows Rows, fn func(*store.SuspenseLine) error) error {
	var l store.SuspenseLine
	for rows.Next() {
		var next store.SuspenseLine
		var booked string
		var doc, on sql.NullString
		var amount sql.NullInt64
		if err := rows.Scan(&next.ID, &next.Bank, &next.Statement, &booked, &next.Amount, &next.Left, &next.Label, &next.Details,
			&next.Reason, &next.Account, &doc, &amount, &on); err != nil {
			return err
		}
		if next.ID != l.ID {
			if l.ID != 0 {
				if err := fn(&l); err != nil {
					return err
				}
			}
			next.Booked = remit.StoredDate(booked)
			l = next
		}
		if doc.Valid {
			l.Allocated = append(l.Allocated, store.Allocated{Document: doc.String, Amount: amount.Int64, On: remit.StoredDate(on.String)})
		}
	}
	if err := rows.Err(); err != nil || l.ID == 0 {
		return err
	}
	return fn(&l)
}

// SuspenseLine is the one suspense line walk streams (the store's walk of
// that line alone), or store.ErrNoSuspenseLine.
func SuspenseLine(line int64, walk func(fn func(*store.SuspenseLine) error) error) (store.SuspenseLine, error) {
	var l store.SuspenseLine
	err := walk(func(got *store.SuspenseLine) error {
		l = *got
		return nil
	})
	if err == nil && l.ID == 0 {
		err = fmt.Errorf("line %d: %w", line, store.ErrNoSuspenseLine)
	}
	return l, err
}
