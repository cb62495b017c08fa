package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit/accounting"
)

// pairInsert writes the lines of the écritures a rule streams two by two:
// a collection item's bank and customer lines, from one row of values.
// The rule decides every value in Go; the statement only lays each row out
// as its two lines, taking what the lines of one écriture share from its
// header (written once in temp.entry_headers). With the pure-Go SQLite
// every bound value costs an allocation and a copy, so a row binds what
// the two lines share once and each empty text as NULL (the columns are
// NOT NULL: NULL stands for ”), about a third of the values the lines
// bound one by one.
//
// A pair's lines belong to one écriture, share their kind, item, piece and
// piece date, and name no return, payment or payable; the first may be
// absent (a centralised écriture's item has its customer line alone).
type pairInsert struct {
	tx   *sql.Tx
	rows int
	args []any
	full *sql.Stmt
}

// pairCols is the number of values of a row: header, kind, item, piece,
// piece date, then each line's seq, receivable, account, account label,
// aux account, aux label, counterpart, label, debit, credit, lettering and
// lettered on.
const pairCols = 5 + 2*pairLineCols

const pairLineCols = 12

// pairRows is how many rows one statement writes (well under SQLite's
// 32766 variables).
const pairRows = 256

// entryHeadersTable holds the headers of the écritures being written:
// idx is the écriture's index in the rule's order, first_id the id
// before its lines.
const entryHeadersTable = `CREATE TEMP TABLE IF NOT EXISTS entry_headers (idx INTEGER PRIMARY KEY, first_id INTEGER NOT NULL,
	creditor_id INTEGER NOT NULL, number INTEGER NOT NULL, remittance_id INTEGER, reverses INTEGER NOT NULL,
	journal TEXT NOT NULL, journal_label TEXT NOT NULL, date TEXT NOT NULL, created_on TEXT NOT NULL)`

// newPairInsert empties temp.entry_headers for the headers of a new set
// of écritures (addHeader).
func newPairInsert(ctx context.Context, tx *sql.Tx) (*pairInsert, error) {
	for _, q := range []string{entryHeadersTable, `DELETE FROM temp.entry_headers`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	return &pairInsert{tx: tx, args: make([]any, 0, pairCols*pairRows)}, nil
}

// addHeader records header h of écriture idx, numbered number, its lines'
// ids following firstID.
func (p *pairInsert) addHeader(ctx context.Context, idx int, firstID, creditorID, number int64, h *accounting.Header,
	createdOn string) error {
	_, err := p.tx.ExecContext(ctx, `INSERT INTO temp.entry_headers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, idx, firstID,
		creditorID, number, nullID(h.Remittance), h.Reverses, h.Journal, h.JournalLabel, h.Date, createdOn)
	return err
}

// pairSQL is the statement writing rows rows.
func pairSQL(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", pairCols), ", ") + ")"
	// column1 to column5 are the row's header, kind, item, piece and piece
	// date; each line's values follow, from column6 and column18.
	line := func(k int) string {
		return fmt.Sprintf("CASE s.n WHEN 1 THEN v.column%d ELSE v.column%d END", 6+k, 6+pairLineCols+k)
	}
	text := func(k int) string { return "coalesce(" + line(k) + ", '')" }
	return `INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses,
		journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
		piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on, payment_id, payable_id)
	SELECT h.first_id + ` + line(0) + `, h.creditor_id, h.number, ` + line(0) + `, v.column2, h.remittance_id, v.column3, ` + line(1) +
		`, NULL, h.reverses, h.journal, h.journal_label, h.date, ` + text(2) + `, ` + text(3) + `, ` + text(4) + `, ` + text(5) + `, ` +
		text(6) + `, coalesce(v.column4, ''), coalesce(v.column5, ''), ` + text(7) + `, ` + line(8) + `, ` + line(9) + `, ` +
		text(10) + `, ` + text(11) + `, h.created_on, NULL, NULL
	FROM (VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ") + `) v
		CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) s
		CROSS JOIN temp.entry_headers h ON h.idx = v.column1
	WHERE s.n = 2 OR v.column6 IS NOT NULL`
}

// textOrNull is s, or NULL for the empty text.
func textOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// add queues the lines of écriture idx: first (nil for none) and second,
// writing a full batch.
func (p *pairInsert) add(ctx context.Context, idx int, first, second *accounting.Line) error {
	if first != nil && (first.Kind != second.Kind || first.Item != second.Item || first.Piece != second.Piece ||
		first.PieceDate != second.PieceDate) {
		return fmt.Errorf("lines %d and %d (%s %s): not a pair", first.Seq, second.Seq, first.Piece, second.Piece)
	}
	p.args = append(p.args, idx, string(second.Kind), nullID(second.Item), second.Piece, second.PieceDate)
	for _, l := range [2]*accounting.Line{first, second} {
		if l == nil {
			p.args = append(p.args, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
			continue
		}
		if l.Return != 0 || l.Payment != 0 || l.Payable != 0 {
			return fmt.Errorf("line %d (%s %s): a pair names no return, payment or payable", l.Seq, l.Account, l.Piece)
		}
		p.args = append(p.args, l.Seq, nullID(l.Receivable), textOrNull(l.Account), textOrNull(l.AccountLabel), textOrNull(l.Aux),
			textOrNull(l.AuxLabel), textOrNull(l.Counterpart), textOrNull(l.Label), l.Debit, l.Credit, textOrNull(l.Lettering.Code),
			textOrNull(l.Lettering.On))
	}
	p.rows++
	if p.rows < pairRows {
		return nil
	}
	if p.full == nil {
		st, err := p.tx.PrepareContext(ctx, pairSQL(pairRows))
		if err != nil {
			return err
		}
		p.full = st
	}
	if _, err := p.full.ExecContext(ctx, p.args...); err != nil {
		return err
	}
	p.args, p.rows = p.args[:0], 0
	return nil
}

// flush writes the rows still queued.
func (p *pairInsert) flush(ctx context.Context) error {
	if p.rows == 0 {
		return nil
	}
	_, err := p.tx.ExecContext(ctx, pairSQL(p.rows), p.args...)
	p.args, p.rows = p.args[:0], 0
	return err
}

func (p *pairInsert) close() {
	if p.full != nil {
		p.full.Close()
	}
}
