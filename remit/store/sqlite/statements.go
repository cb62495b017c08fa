package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/statements"
	"github.com/remit-dev/remit/remit/treasury"
)

// The banks' side of the store (store.Treasury): statements imported,
// what their lines were matched to, the suspense account and write-offs.

// treasuryTx is the write transaction of a statement import, an
// allocation or a write-off.
type treasuryTx struct {
	s   *Store
	q   *sql.Tx
	c   *stmtCache // the statements run for every line of a statement, prepared once
	o   accounting.Options
	now time.Time
}

// Treasury runs fn in a write transaction.
func (s *Store) Treasury(ctx context.Context, fn func(store.TreasuryTx) error) error {
	o, err := s.entryOptions()
	if err != nil {
		return fmt.Errorf("accounting entries: %w", err)
	}
	return s.inTx(ctx, func(q *sql.Tx) error {
		c := newStmtCache(q)
		defer c.close()
		return fn(&treasuryTx{s: s, q: q, c: c, o: o, now: s.now()})
	})
}

func (t *treasuryTx) Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error) {
	rows, err := readBanks(ctx, t.q, creditorID)
	return plainBanks(rows), err
}

func (t *treasuryTx) Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	return loadRemittance(ctx, t.q, creditorID, id)
}

// bankID is the id of the creditor's bank of that code.
func bankID(ctx context.Context, q querier, creditorID int64, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM banks WHERE creditor_id = ? AND code = ?`, creditorID, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("bank %s: %w", code, treasury.ErrNoBank)
	}
	return id, err
}

// StatementKeys are the identities of the bank's statements imported.
func (t *treasuryTx) StatementKeys(ctx context.Context, creditorID int64, bank string) ([]treasury.Key, error) {
	id, err := bankID(ctx, t.q, creditorID, bank)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, `SELECT account, currency, to_date, opening, closing, booked, digest, from_date, ref, sequence
		FROM statements WHERE creditor_id = ? AND bank_id = ? ORDER BY id`, creditorID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []treasury.Key
	for rows.Next() {
		var k treasury.Key
		var to, from string
		if err := rows.Scan(&k.Account, &k.Currency, &to, &k.Opening, &k.Closing, &k.Booked, &k.Digest, &from, &k.Ref, &k.Sequence); err != nil {
			return nil, err
		}
		k.Date, k.From = remit.StoredDate(to), remit.StoredDate(from)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RecordStatement records a statement, its lines and their targets.
func (t *treasuryTx) RecordStatement(ctx context.Context, n store.NewStatement) ([]int64, error) {
	bank, err := bankID(ctx, t.q, n.CreditorID, n.Bank)
	if err != nil {
		return nil, err
	}
	st, p := n.Statement, n.Plan
	k := p.Key
	r, err := t.q.ExecContext(ctx, `INSERT INTO statements (creditor_id, bank_id, statement_key, format, file, file_sha256, file_line, ref,
			msg_id, sequence, account, currency, from_date, to_date, opening, opening_date, closing, booked, digest, balance_set, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.CreditorID, bank, k.ID(), st.Format, n.File, n.SHA256, st.Line, st.ID, st.MessageID, st.Sequence, k.Account, k.Currency,
		remit.FormatDate(k.From), remit.FormatDate(k.Date), st.Opening.Amount, remit.FormatDate(remit.Day(st.Opening.Date)),
		st.Closing.Amount, k.Booked, k.Digest, p.UpdateBalance, n.ImportedAt.Format(remit.TimestampLayout))
	if err != nil {
		return nil, err
	}
	id, _ := r.LastInsertId()
	lines := make([]int64, len(p.Matches))
	for i, m := range p.Matches {
		e := &st.Entries[m.Index]
		r, err := t.c.ExecContext(ctx, `INSERT INTO statement_lines (statement_id, position, file_line, entry_status, booked_on, value_date,
				amount, code, label, details, reference, number, op, outcome, return_reason, reason, suspense)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, m.Line, e.Status, remit.FormatDate(m.Booked), remit.FormatDate(m.ValueDate), m.Amount, e.Code.String(),
			e.Text(), e.Summary(), statements.LineReference(e), strings.TrimSpace(e.Number), string(m.Op), string(m.Outcome),
			m.ReturnReason, m.Reason, m.Suspense)
		if err != nil {
			return nil, err
		}
		lines[i], _ = r.LastInsertId()
		for j, tg := range m.Targets {
			if err := t.recordTarget(ctx, n.CreditorID, lines[i], j+1, m.Outcome, tg); err != nil {
				return nil, fmt.Errorf("line %d: %w", m.Line, err)
			}
		}
	}
	return lines, nil
}

// recordTarget records what a line was matched to: a lot (remittance,
// block, date), an item of a remittance, or a receivable.
func (t *treasuryTx) recordTarget(ctx context.Context, creditorID, line int64, pos int, outcome treasury.Outcome, tg treasury.Target) error {
	var remittance, item, receivable, ret any
	if tg.Remittance != "" {
		id, err := statements.RefID(tg.Remittance)
		if err != nil {
			return err
		}
		remittance = id
		if tg.Document != "" {
			itemID, err := t.itemID(ctx, creditorID, id, tg.Document, tg.EndToEndID)
			if err != nil {
				return err
			}
			item = itemID
		}
	} else if tg.Document != "" {
		var id int64
		if err := t.c.QueryRowContext(ctx, `SELECT id FROM receivables WHERE creditor_id = ? AND document = ?`, creditorID, tg.Document).
			Scan(&id); err != nil {
			return fmt.Errorf("receivable %s: %w", tg.Document, err)
		}
		receivable = id
	}
	if tg.Return != "" {
		id, err := strconv.ParseInt(tg.Return, 10, 64)
		if err != nil {
			return fmt.Errorf("return %q: %w", tg.Return, err)
		}
		ret = id
	}
	lotDate := ""
	if tg.Document == "" && !tg.Date.IsZero() {
		lotDate = remit.FormatDate(tg.Date)
	}
	_, err := t.c.ExecContext(ctx, `INSERT INTO statement_targets (line_id, position, remittance_id, block, lot_date, item_id, receivable_id,
			return_id, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, line, pos, remittance, tg.Block, lotDate, item, receivable, ret, tg.Amount)
	return err
}

// Credit records a lot, or an item, credited.
func (t *treasuryTx) Credit(ctx context.Context, creditorID int64, tg treasury.Target, on time.Time, lot store.LotFunc) error {
	id, err := statements.RefID(tg.Remittance)
	if err != nil {
		return err
	}
	var cond string
	var args []any
	if tg.Document != "" {
		item, err := t.itemID(ctx, creditorID, id, tg.Document, tg.EndToEndID)
		if err != nil {
			return err
		}
		cond, args = `id = ?`, []any{item}
	} else {
		rem, err := loadRemittance(ctx, t.q, creditorID, id)
		if err != nil {
			return err
		}
		if cond, args, err = t.lotCond(ctx, rem, tg, lot); err != nil {
			return err
		}
	}
	day := remit.FormatDate(remit.Day(on))
	// Its receivables are paid; those returned meanwhile stay rejected.
	if _, err := t.c.ExecContext(ctx, `UPDATE receivables SET status = 'paid' WHERE status = 'remitted' AND id IN (
			SELECT receivable_id FROM remittance_items WHERE `+cond+` AND status = 'remitted' AND credited_on = '')`, args...); err != nil {
		return err
	}
	_, err = t.c.ExecContext(ctx, `UPDATE remittance_items SET credited_on = ?
		WHERE `+cond+` AND status IN ('remitted', 'returned') AND credited_on = ''`, append([]any{day}, args...)...)
	return err
}

// CloseCredits marks a remittance a statement credited: sent (the bank
// had it: no longer cancellable), and credited on that day once every item
// the bank collected is.
func (t *treasuryTx) CloseCredits(ctx context.Context, id int64, on time.Time) error {
	if _, err := t.q.ExecContext(ctx, `UPDATE remittances SET status = 'sent' WHERE id = ? AND status = 'created'`, id); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `UPDATE remittances SET credited_on = ?1 WHERE id = ?2 AND credited_on = '' AND NOT EXISTS (
			SELECT 1 FROM remittance_items WHERE remittance_id = ?2 AND status IN ('remitted', 'returned') AND credited_on = '')`,
		remit.FormatDate(remit.Day(on)), id)
	return err
}

// itemID finds an item of a remittance by its receivable's document (and
// its EndToEndId when given), through the receivable: one search in an
// index whatever the remittance's size.
func (t *treasuryTx) itemID(ctx context.Context, creditorID, remittance int64, document, e2e string) (int64, error) {
	var id int64
	err := t.c.QueryRowContext(ctx, `SELECT i.id FROM remittance_items i
		WHERE i.receivable_id = (SELECT id FROM receivables WHERE creditor_id = ? AND document = ?) AND i.remittance_id = ?
			AND (? = '' OR i.end_to_end_id = ?) ORDER BY i.id DESC LIMIT 1`, creditorID, document, remittance, e2e, e2e).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("remittance %s has no item %s", remit.Ref(remittance), document)
	}
	return id, err
}

// lotCond is the condition on remittance_items of the items of rem that
// lot tg holds: those of the blocks and dates its kind puts in that lot.
func (t *treasuryTx) lotCond(ctx context.Context, rem remit.Remittance, tg treasury.Target, lot store.LotFunc) (string, []any, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT DISTINCT block, collection_date FROM remittance_items WHERE remittance_id = ?`, rem.ID)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	var conds []string
	args := []any{rem.ID}
	for rows.Next() {
		var block int
		var date string
		if err := rows.Scan(&block, &date); err != nil {
			return "", nil, err
		}
		l, ok := lot(rem, block, remit.StoredDate(date))
		if ok && l.Block == tg.Block && remit.Day(l.Date).Equal(remit.Day(tg.Date)) {
			conds = append(conds, "(block = ? AND collection_date = ?)")
			args = append(args, block, date)
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if len(conds) == 0 {
		return "", nil, fmt.Errorf("remittance %s has no lot %d of %s", rem.Ref, tg.Block, remit.FormatDate(tg.Date))
	}
	return "remittance_id = ? AND (" + strings.Join(conds, " OR ") + ")", args, nil
}

// LinkReturns sets on the line's targets the return recorded for their item.
func (t *treasuryTx) LinkReturns(ctx context.Context, line int64) error {
	_, err := t.q.ExecContext(ctx, `UPDATE statement_targets SET return_id = (SELECT r.id FROM returns r WHERE r.item_id = statement_targets.item_id)
		WHERE line_id = ? AND item_id IS NOT NULL AND return_id IS NULL`, line)
	return err
}

// CreditDeposit books a remise de chèques credited, as store.Tx does.
func (t *treasuryTx) CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error) {
	return (&tx{s: t.s, q: t.q}).CreditDeposit(ctx, rem, on)
}

// ApplyReturns records returns inside the transaction.
func (t *treasuryTx) ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	return t.s.applyReturns(ctx, t.q, cr, b)
}

// SetBalance sets a bank's validated balance.
func (t *treasuryTx) SetBalance(ctx context.Context, creditorID int64, bank string, amount int64, date time.Time) error {
	r, err := t.q.ExecContext(ctx, `UPDATE banks SET balance_cents = ?, balance_date = ? WHERE creditor_id = ? AND code = ?`,
		amount, remit.FormatDate(remit.Day(date)), creditorID, bank)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return fmt.Errorf("bank %s: %w", bank, treasury.ErrNoBank)
	}
	return nil
}

// Statements streams to fn the statements imported, oldest first, with their
// lines and what each was matched to.
func (s *Store) Statements(ctx context.Context, creditorID int64, bank string, fn func(*store.StatementRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, b.code, s.format, s.file, s.ref, s.account, s.from_date, s.to_date, s.opening,
			s.closing, s.balance_set, s.imported_at
		FROM statements s JOIN banks b ON b.id = s.bank_id WHERE s.creditor_id = ? AND (? = '' OR b.code = ?) ORDER BY s.to_date, s.id`,
		creditorID, bank, bank)
	if err != nil {
		return err
	}
	// The statements' own rows are few (one a file); their lines are
	// read a statement at a time, and let go once fn has them.
	out, err := statements.ReadStatements(rows)
	rows.Close()
	if err != nil {
		return err
	}
	for i := range out {
		if out[i].Lines, err = statementLines(ctx, s.db, out[i].ID); err != nil {
			return err
		}
		if err := fn(&out[i]); err != nil {
			return err
		}
		out[i].Lines = nil
	}
	return nil
}

func statementLines(ctx context.Context, q querier, statementID int64) ([]store.StatementLineRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.file_line, l.booked_on, l.amount, l.code, l.label, l.details, l.outcome, l.op,
			l.return_reason, l.reason, l.suspense,
			CASE l.suspense WHEN 1 THEN l.amount - COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id), 0) ELSE 0 END
		FROM statement_lines l WHERE l.statement_id = ? ORDER BY l.position`, statementID)
	if err != nil {
		return nil, err
	}
	out, err := statements.ReadLines(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT t.line_id, COALESCE(t.remittance_id, 0), t.block, t.lot_date,
			COALESCE(i.document, r.document, ''), COALESCE(t.return_id, 0), COALESCE(rt.source != 'statement', 0), t.amount
		FROM statement_targets t JOIN statement_lines l ON l.id = t.line_id
			LEFT JOIN remittance_items i ON i.id = t.item_id LEFT JOIN receivables r ON r.id = t.receivable_id
			LEFT JOIN returns rt ON rt.id = t.return_id
		WHERE l.statement_id = ? ORDER BY t.line_id, t.position`, statementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return out, statements.AddTargets(out, rows)
}

// Savepoint runs fn inside a savepoint, undone when fn fails.
func (t *treasuryTx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.q.ExecContext(ctx, `SAVEPOINT remit_part`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.ExecContext(ctx, `ROLLBACK TO remit_part`); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := t.q.ExecContext(ctx, `RELEASE remit_part`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := t.q.ExecContext(ctx, `RELEASE remit_part`)
	return err
}
