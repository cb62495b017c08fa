package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/statements"
	"github.com/remit-dev/remit/remit/treasury"
)

// The banks' side of the store (store.Treasury): statements imported, what
// their lines were matched to, the suspense account and write-offs, as the
// SQLite store keeps them (see its statements.go and suspense.go), with
// the same errors. A statement's lines and their targets are written by
// COPY, a credit by one statement over the lot's items.

// treasuryTx is the write transaction of a statement import, an
// allocation or a write-off. It takes the creditor's lock (lockCreditor)
// at its first read of the creditor's rows: an import, a run or a
// pointing of the same creditor waits for it, as SQLite's one writer does.
type treasuryTx struct {
	s        *Store
	q        pgx.Tx
	o        accounting.Options
	now      time.Time
	creditor int64 // whose lock the transaction holds, 0 before
	// items are the ids of the items a statement's targets name, read in
	// one query for the whole statement (RecordStatement): its credits
	// find them there.
	items map[itemKey]int64
	// credits are the items credited on their own (Credit), written in
	// one statement before anything else reads or writes (flush).
	credits []itemCredit
}

// itemCredit is an item credited on its own, on a day.
type itemCredit struct {
	id  int64
	day string
}

// itemKey names an item of a remittance as a target does: its
// receivable's document, and its EndToEndId when given.
type itemKey struct {
	remittance    int64
	document, e2e string
}

// Treasury runs fn in a write transaction.
func (s *Store) Treasury(ctx context.Context, fn func(store.TreasuryTx) error) error {
	o, err := s.entryOptions()
	if err != nil {
		return fmt.Errorf("accounting entries: %w", err)
	}
	// A statement is matched against the items a run just wrote: the
	// planner must know how many a remittance holds.
	if err := s.analyzeIfStale(ctx, treasuryTables...); err != nil {
		return s.wrap(err)
	}
	return s.inTx(ctx, func(q pgx.Tx) error {
		t := &treasuryTx{s: s, q: q, o: o, now: s.now()}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush(ctx)
	})
}

// treasuryTables are the tables a statement's import plans its reads on.
var treasuryTables = []string{"receivables", "remittance_items", "returns", "statement_lines", "statement_targets", "allocations"}

// lock takes the creditor's lock once, and writes the credits queued.
func (t *treasuryTx) lock(ctx context.Context, creditorID int64) error {
	if err := t.lockOnly(ctx, creditorID); err != nil {
		return err
	}
	return t.flush(ctx)
}

// lockOnly takes the creditor's lock once.
func (t *treasuryTx) lockOnly(ctx context.Context, creditorID int64) error {
	if t.creditor == creditorID {
		return nil
	}
	if t.creditor != 0 {
		return fmt.Errorf("a treasury transaction is one creditor's: %d, not %d", t.creditor, creditorID)
	}
	if err := lockCreditor(ctx, t.q, creditorID); err != nil {
		return err
	}
	t.creditor = creditorID
	return nil
}

func (t *treasuryTx) Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	rows, err := readBanks(ctx, t.q, creditorID)
	return plainBanks(rows), err
}

func (t *treasuryTx) Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return remit.Remittance{}, err
	}
	return loadRemittance(ctx, t.q, creditorID, id)
}

// bankID is the id of the creditor's bank of that code.
func bankID(ctx context.Context, q querier, creditorID int64, code string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM banks WHERE creditor_id = $1 AND code = $2`, creditorID, code).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("bank %s: %w", code, treasury.ErrNoBank)
	}
	return id, err
}

// StatementKeys are the identities of the bank's statements imported.
func (t *treasuryTx) StatementKeys(ctx context.Context, creditorID int64, bank string) ([]treasury.Key, error) {
	if err := t.lock(ctx, creditorID); err != nil {
		return nil, err
	}
	id, err := bankID(ctx, t.q, creditorID, bank)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.Query(ctx, `SELECT account, currency, to_date, opening, closing, booked, digest, from_date, ref, sequence
		FROM statements WHERE creditor_id = $1 AND bank_id = $2 ORDER BY id`, creditorID, id)
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

var statementLineColumns = []string{"id", "statement_id", "position", "file_line", "entry_status", "booked_on", "value_date", "amount",
	"code", "label", "details", "reference", "number", "op", "outcome", "return_reason", "reason", "suspense"}

var statementTargetColumns = []string{"line_id", "position", "remittance_id", "block", "lot_date", "item_id", "receivable_id",
	"return_id", "amount"}

// RecordStatement records a statement, its lines and their targets: the
// lines take consecutive ids of their own, and go in by COPY with their
// targets.
func (t *treasuryTx) RecordStatement(ctx context.Context, n store.NewStatement) ([]int64, error) {
	if err := t.lock(ctx, n.CreditorID); err != nil {
		return nil, err
	}
	bank, err := bankID(ctx, t.q, n.CreditorID, n.Bank)
	if err != nil {
		return nil, err
	}
	st, p := n.Statement, n.Plan
	k := p.Key
	var id int64
	if err := t.q.QueryRow(ctx, `INSERT INTO statements (creditor_id, bank_id, statement_key, format, file, file_sha256, file_line, ref,
			msg_id, sequence, account, currency, from_date, to_date, opening, opening_date, closing, booked, digest, balance_set, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
		n.CreditorID, bank, k.ID(), st.Format, n.File, n.SHA256, st.Line, st.ID, st.MessageID, st.Sequence, k.Account, k.Currency,
		remit.FormatDate(k.From), remit.FormatDate(k.Date), st.Opening.Amount, remit.FormatDate(remit.Day(st.Opening.Date)),
		st.Closing.Amount, k.Booked, k.Digest, flag(p.UpdateBalance), n.ImportedAt.Format(remit.TimestampLayout)).Scan(&id); err != nil {
		return nil, err
	}
	if err := t.readItems(ctx, n.CreditorID, p.Matches); err != nil {
		return nil, err
	}
	first, err := t.s.reserveIDs(ctx, t.q, "statement_lines", len(p.Matches))
	if err != nil {
		return nil, err
	}
	lines := make([]int64, len(p.Matches))
	rows := make([][]any, len(p.Matches))
	var targets [][]any
	for i, m := range p.Matches {
		e := &st.Entries[m.Index]
		lines[i] = first + int64(i)
		rows[i] = []any{lines[i], id, int64(i + 1), int64(m.Line), string(e.Status), remit.FormatDate(m.Booked),
			remit.FormatDate(m.ValueDate), m.Amount, e.Code.String(), e.Text(), e.Summary(), statements.LineReference(e), strings.TrimSpace(e.Number),
			string(m.Op), string(m.Outcome), m.ReturnReason, m.Reason, flag(m.Suspense)}
		for j, tg := range m.Targets {
			row, err := t.target(ctx, n.CreditorID, lines[i], j+1, tg)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", m.Line, err)
			}
			targets = append(targets, row)
		}
	}
	if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"statement_lines"}, statementLineColumns, pgx.CopyFromRows(rows)); err != nil {
		return nil, err
	}
	if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"statement_targets"}, statementTargetColumns, pgx.CopyFromRows(targets)); err != nil {
		return nil, err
	}
	return lines, nil
}

// target is the row of what a line was matched to: a lot (remittance,
// block, date), an item of a remittance, or a receivable.
func (t *treasuryTx) target(ctx context.Context, creditorID, line int64, pos int, tg treasury.Target) ([]any, error) {
	var remittance, item, receivable, ret any
	if tg.Remittance != "" {
		id, err := statements.RefID(tg.Remittance)
		if err != nil {
			return nil, err
		}
		remittance = id
		if tg.Document != "" {
			itemID, err := t.itemID(ctx, creditorID, id, tg.Document, tg.EndToEndID)
			if err != nil {
				return nil, err
			}
			item = itemID
		}
	} else if tg.Document != "" {
		var id int64
		err := t.q.QueryRow(ctx, `SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2`, creditorID, tg.Document).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			err = errNoRows
		}
		if err != nil {
			return nil, fmt.Errorf("receivable %s: %w", tg.Document, err)
		}
		receivable = id
	}
	if tg.Return != "" {
		id, err := strconv.ParseInt(tg.Return, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("return %q: %w", tg.Return, err)
		}
		ret = id
	}
	lotDate := ""
	if tg.Document == "" && !tg.Date.IsZero() {
		lotDate = remit.FormatDate(tg.Date)
	}
	return []any{line, int64(pos), remittance, int64(tg.Block), lotDate, item, receivable, ret, tg.Amount}, nil
}

// errNoRows says "no rows" in SQLite's words (database/sql's
// sql.ErrNoRows), so that a message reads the same from both stores.
var errNoRows = errors.New("sql: no rows in result set")

// Credit records a lot, or an item, credited: its receivables still
// remitted are paid (those returned meanwhile stay rejected) and its items
// get the date de constatation, in one statement.
func (t *treasuryTx) Credit(ctx context.Context, creditorID int64, tg treasury.Target, on time.Time, lot store.LotFunc) error {
	id, err := statements.RefID(tg.Remittance)
	if err != nil {
		return err
	}
	day := remit.FormatDate(remit.Day(on))
	if tg.Document != "" {
		// Queued: a statement of a line per collection credits its items
		// in one statement, not one a line.
		if err := t.lockOnly(ctx, creditorID); err != nil {
			return err
		}
		item, err := t.itemID(ctx, creditorID, id, tg.Document, tg.EndToEndID)
		if err != nil {
			return err
		}
		t.credits = append(t.credits, itemCredit{item, day})
		return nil
	}
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	rem, err := loadRemittance(ctx, t.q, creditorID, id)
	if err != nil {
		return err
	}
	var p params
	cond, err := t.lotCond(ctx, rem, tg, lot, &p)
	if err != nil {
		return err
	}
	_, err = t.q.Exec(ctx, `WITH credited AS (
			UPDATE remittance_items SET credited_on = `+p.add(day)+`
			WHERE `+cond+` AND status IN ('remitted', 'returned') AND credited_on = ''
			RETURNING receivable_id, status)
		UPDATE receivables SET status = 'paid'
		WHERE status = 'remitted' AND id IN (SELECT receivable_id FROM credited WHERE status = 'remitted')`, p...)
	return err
}

// flush writes the items credited on their own (Credit) since the last
// flush, as many one-item credits in order would: an item gets the day of
// its first credit, its receivable, still remitted, is paid (one returned
// meanwhile stays rejected).
func (t *treasuryTx) flush(ctx context.Context) error {
	if len(t.credits) == 0 {
		return nil
	}
	ids, days := make([]int64, 0, len(t.credits)), make([]string, 0, len(t.credits))
	seen := make(map[int64]bool, len(t.credits))
	for _, c := range t.credits {
		if !seen[c.id] {
			seen[c.id] = true
			ids, days = append(ids, c.id), append(days, c.day)
		}
	}
	t.credits = t.credits[:0]
	_, err := t.q.Exec(ctx, `WITH credited AS (
			UPDATE remittance_items i SET credited_on = x.day FROM unnest($1::bigint[], $2::text[]) AS x(id, day)
			WHERE i.id = x.id AND i.status IN ('remitted', 'returned') AND i.credited_on = ''
			RETURNING i.receivable_id, i.status)
		UPDATE receivables SET status = 'paid'
		WHERE status = 'remitted' AND id IN (SELECT receivable_id FROM credited WHERE status = 'remitted')`, ids, days)
	return err
}

// CloseCredits marks a remittance a statement credited: sent (the bank
// had it: no longer cancellable), and credited on that day once every item
// the bank collected is.
func (t *treasuryTx) CloseCredits(ctx context.Context, id int64, on time.Time) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE remittances SET status = CASE status WHEN 'created' THEN 'sent' ELSE status END,
			credited_on = CASE WHEN credited_on = '' AND NOT EXISTS (
				SELECT 1 FROM remittance_items WHERE remittance_id = $1 AND status IN ('remitted', 'returned') AND credited_on = '')
				THEN $2 ELSE credited_on END
		WHERE id = $1`, id, remit.FormatDate(remit.Day(on)))
	return err
}

// readItems reads at once the ids of the items the matches' targets name
// (itemID, for every target of a statement: one query, not one a line).
func (t *treasuryTx) readItems(ctx context.Context, creditorID int64, matches []treasury.Match) error {
	var rems []int64
	var docs, e2es []string
	for _, m := range matches {
		for _, tg := range m.Targets {
			if tg.Remittance == "" || tg.Document == "" {
				continue
			}
			id, err := statements.RefID(tg.Remittance)
			if err != nil {
				return err
			}
			rems, docs, e2es = append(rems, id), append(docs, tg.Document), append(e2es, tg.EndToEndID)
		}
	}
	if len(rems) == 0 {
		return nil
	}
	rows, err := t.q.Query(ctx, `SELECT x.rem, x.doc, x.e2e, COALESCE((SELECT i.id FROM remittance_items i
			WHERE i.receivable_id = (SELECT id FROM receivables WHERE creditor_id = $1 AND document = x.doc) AND i.remittance_id = x.rem
				AND (x.e2e = '' OR i.end_to_end_id = x.e2e) ORDER BY i.id DESC LIMIT 1), 0)
		FROM unnest($2::bigint[], $3::text[], $4::text[]) AS x(rem, doc, e2e)`, creditorID, rems, docs, e2es)
	if err != nil {
		return err
	}
	defer rows.Close()
	if t.items == nil {
		t.items = map[itemKey]int64{}
	}
	for rows.Next() {
		var k itemKey
		var id int64
		if err := rows.Scan(&k.remittance, &k.document, &k.e2e, &id); err != nil {
			return err
		}
		if id != 0 {
			t.items[k] = id
		}
	}
	return rows.Err()
}

// itemID finds an item of a remittance by its receivable's document (and
// its EndToEndId when given), through the receivable: one search in an
// index whatever the remittance's size, unless readItems read it.
func (t *treasuryTx) itemID(ctx context.Context, creditorID, remittance int64, document, e2e string) (int64, error) {
	if id, ok := t.items[itemKey{remittance, document, e2e}]; ok {
		return id, nil
	}
	var id int64
	err := t.q.QueryRow(ctx, `SELECT i.id FROM remittance_items i
		WHERE i.receivable_id = (SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2) AND i.remittance_id = $3
			AND ($4::text = '' OR i.end_to_end_id = $4::text) ORDER BY i.id DESC LIMIT 1`, creditorID, document, remittance, e2e).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("remittance %s has no item %s", remit.Ref(remittance), document)
	}
	return id, err
}

// lotCond is the condition on remittance_items of the items of rem that
// lot tg holds: those of the blocks and dates its kind puts in that lot,
// its parameters added to p.
func (t *treasuryTx) lotCond(ctx context.Context, rem remit.Remittance, tg treasury.Target, lot store.LotFunc, p *params) (string, error) {
	rows, err := t.q.Query(ctx, `SELECT DISTINCT block, collection_date FROM remittance_items WHERE remittance_id = $1
		ORDER BY block, collection_date`, rem.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var blocks []int64
	var dates []string
	for rows.Next() {
		var block int64
		var date string
		if err := rows.Scan(&block, &date); err != nil {
			return "", err
		}
		l, ok := lot(rem, int(block), remit.StoredDate(date))
		if ok && l.Block == tg.Block && remit.Day(l.Date).Equal(remit.Day(tg.Date)) {
			blocks, dates = append(blocks, block), append(dates, date)
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(blocks) == 0 {
		return "", fmt.Errorf("remittance %s has no lot %d of %s", rem.Ref, tg.Block, remit.FormatDate(tg.Date))
	}
	return "remittance_id = " + p.add(rem.ID) + " AND (block, collection_date) IN (SELECT * FROM unnest(" + p.add(blocks) +
		"::bigint[], " + p.add(dates) + "::text[]))", nil
}

// LinkReturns sets on the line's targets the return recorded for their item.
func (t *treasuryTx) LinkReturns(ctx context.Context, line int64) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE statement_targets SET return_id = (SELECT r.id FROM returns r WHERE r.item_id = statement_targets.item_id)
		WHERE line_id = $1 AND item_id IS NOT NULL AND return_id IS NULL`, line)
	return err
}

// CreditDeposit books a remise de chèques credited, as store.Tx does.
func (t *treasuryTx) CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error) {
	if err := t.flush(ctx); err != nil {
		return false, err
	}
	return (&tx{s: t.s, q: t.q}).CreditDeposit(ctx, rem, on)
}

// ApplyReturns records returns inside the transaction.
func (t *treasuryTx) ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	if err := t.lock(ctx, cr.ID); err != nil {
		return nil, err
	}
	return t.s.applyReturns(ctx, t.q, cr, b)
}

// SetBalance sets a bank's validated balance.
func (t *treasuryTx) SetBalance(ctx context.Context, creditorID int64, bank string, amount int64, date time.Time) error {
	if err := t.lock(ctx, creditorID); err != nil {
		return err
	}
	tag, err := t.q.Exec(ctx, `UPDATE banks SET balance_cents = $1, balance_date = $2 WHERE creditor_id = $3 AND code = $4`,
		amount, remit.FormatDate(remit.Day(date)), creditorID, bank)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("bank %s: %w", bank, treasury.ErrNoBank)
	}
	return nil
}

// Savepoint runs fn inside a savepoint, undone when fn fails: the rest of
// the transaction goes on (a statement that failed in it no longer aborts
// the transaction).
func (t *treasuryTx) Savepoint(ctx context.Context, fn func() error) error {
	if err := t.flush(ctx); err != nil { // what fn undoes is its own
		return err
	}
	if _, err := t.q.Exec(ctx, `SAVEPOINT remit_part`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.Exec(ctx, `ROLLBACK TO SAVEPOINT remit_part`); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := t.q.Exec(ctx, `RELEASE SAVEPOINT remit_part`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := t.q.Exec(ctx, `RELEASE SAVEPOINT remit_part`)
	return err
}

// Statements streams to fn the statements imported, oldest first, with their
// lines and what each was matched to.
func (s *Store) Statements(ctx context.Context, creditorID int64, bank string, fn func(*store.StatementRecord) error) error {
	rows, err := s.Pool.Query(ctx, `SELECT s.id, b.code, s.format, s.file, s.ref, s.account, s.from_date, s.to_date, s.opening,
			s.closing, s.balance_set = 1, s.imported_at
		FROM statements s JOIN banks b ON b.id = s.bank_id WHERE s.creditor_id = $1 AND ($2::text = '' OR b.code = $2::text)
		ORDER BY s.to_date, s.id`, creditorID, bank)
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
		if out[i].Lines, err = statementLines(ctx, s.Pool, out[i].ID); err != nil {
			return err
		}
		if err := fn(&out[i]); err != nil {
			return err
		}
		out[i].Lines = nil
	}
	return nil
}

// allocatedSQL is what the allocations of suspense line l took from it.
const allocatedSQL = `COALESCE((SELECT sum(a.amount) FROM allocations a WHERE a.line_id = l.id), 0)::bigint`

func statementLines(ctx context.Context, q querier, statementID int64) ([]store.StatementLineRecord, error) {
	rows, err := q.Query(ctx, `SELECT l.id, l.file_line, l.booked_on, l.amount, l.code, l.label, l.details, l.outcome, l.op,
			l.return_reason, l.reason, l.suspense = 1, CASE l.suspense WHEN 1 THEN l.amount - `+allocatedSQL+` ELSE 0 END
		FROM statement_lines l WHERE l.statement_id = $1 ORDER BY l.position`, statementID)
	if err != nil {
		return nil, err
	}
	out, err := statements.ReadLines(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT t.line_id, COALESCE(t.remittance_id, 0), t.block, t.lot_date,
			COALESCE(i.document, r.document, ''), COALESCE(t.return_id, 0), COALESCE(rt.source <> 'statement', false), t.amount
		FROM statement_targets t JOIN statement_lines l ON l.id = t.line_id
			LEFT JOIN remittance_items i ON i.id = t.item_id LEFT JOIN receivables r ON r.id = t.receivable_id
			LEFT JOIN returns rt ON rt.id = t.return_id
		WHERE l.statement_id = $1 ORDER BY t.line_id, t.position`, statementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return out, statements.AddTargets(out, rows)
}
