package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store/internal/lettering"
)

// Accounting entries: the rules (which écritures, lines, accounts, labels
// and lettering) are remit/accounting's; this file records what they give,
// inside the transaction of the remittance, return or cancellation that
// calls for them.
//
// A line is stored in entry_lines. A collection écriture may instead be
// kept as one collection_ecritures row, its lines being its items: the
// entries view renders them (keepAsRow says when, and what the view
// renders).

// entryOptions are the store's entry options, normalized.
func (s *Store) entryOptions() (accounting.Options, error) {
	return s.entryOpts.Normalize()
}

// newEntryInsert batches stored entry lines, 28 values each in the order
// of its column list (256 lines per INSERT).
func newEntryInsert(tx *sql.Tx) *batchInsert {
	return newBatchInsert(tx, `entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses,
		journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
		piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on, payment_id, payable_id)`, 28)
}

// addEntryLine queues line l of écriture number of header h, with the given id.
func addEntryLine(ctx context.Context, ins *batchInsert, id, creditorID, number int64, h *accounting.Header, l *accounting.Line,
	createdOn string) error {
	return ins.add(ctx, id, creditorID, number, l.Seq, string(l.Kind), nullID(h.Remittance), nullID(l.Item), nullID(l.Receivable),
		nullID(l.Return), h.Reverses, h.Journal, h.JournalLabel, h.Date, l.Account, l.AccountLabel, l.Aux, l.AuxLabel,
		l.Counterpart, l.Piece, l.PieceDate, l.Label, l.Debit, l.Credit, l.Lettering.Code, l.Lettering.On, createdOn, nullID(l.Payment),
		nullID(l.Payable))
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// RecordEcriture records an écriture a rule gave (store.Tx).
func (t *tx) RecordEcriture(ctx context.Context, creditorID int64, e *accounting.Ecriture) (int64, error) {
	return recordEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.s.now())), e)
}

// recordEcriture records an écriture (writeEcriture), then letters again
// the receivables and payables its lines name.
func recordEcriture(ctx context.Context, tx *sql.Tx, creditorID int64, createdOn string, e *accounting.Ecriture) (int64, error) {
	number, err := writeEcriture(ctx, tx, creditorID, createdOn, e)
	if err != nil {
		return 0, err
	}
	receivables, payables := map[int64]bool{}, map[int64]bool{}
	for i := range e.Lines {
		if id := e.Lines[i].Receivable; id != 0 {
			receivables[id] = true
		}
		if id := e.Lines[i].Payable; id != 0 {
			payables[id] = true
		}
	}
	if err := reletter(ctx, tx, sortedIDs(receivables)...); err != nil {
		return 0, err
	}
	if len(payables) > 0 {
		if err := reletterPayables(ctx, tx, `p.id IN (SELECT value FROM json_each(?))`, jsonIDs(sortedIDs(payables))); err != nil {
			return 0, err
		}
	}
	return number, nil
}

// writeEcriture checks an écriture and records it under its journal's next
// number, returned (0 for an écriture without lines).
func writeEcriture(ctx context.Context, tx *sql.Tx, creditorID int64, createdOn string, e *accounting.Ecriture) (int64, error) {
	if len(e.Lines) == 0 {
		return 0, nil
	}
	if err := e.Check(); err != nil {
		return 0, err
	}
	number, err := nextEntryNumber(ctx, tx, creditorID, e.Journal)
	if err != nil {
		return 0, err
	}
	id, err := lastEntryID(ctx, tx)
	if err != nil {
		return 0, err
	}
	ins := newEntryInsert(tx)
	defer ins.close()
	for i := range e.Lines {
		if err := addEntryLine(ctx, ins, id+e.Lines[i].Seq, creditorID, number, &e.Header, &e.Lines[i], createdOn); err != nil {
			return 0, err
		}
	}
	return number, ins.flush(ctx)
}

// nextEntryNumber is the journal's next écriture number (FEC: a
// continuous sequence per journal).
func nextEntryNumber(ctx context.Context, q querier, creditorID int64, journal string) (int64, error) {
	var number int64
	err := q.QueryRowContext(ctx, `SELECT max(
			(SELECT COALESCE(max(number), 0) FROM entry_lines WHERE creditor_id = ?1 AND journal = ?2),
			(SELECT COALESCE(max(number), 0) FROM collection_ecritures WHERE creditor_id = ?1 AND journal = ?2),
			(SELECT COALESCE(max(number), 0) FROM collection_reversals WHERE creditor_id = ?1 AND journal = ?2)) + 1`,
		creditorID, journal).Scan(&number)
	return number, err
}

// lastEntryID is the highest entry id taken, stored or not: new lines
// follow it.
func lastEntryID(ctx context.Context, q querier) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT max((SELECT COALESCE(max(id), 0) FROM entry_lines),
		(SELECT COALESCE(max(last_id), 0) FROM collection_ecritures), (SELECT COALESCE(max(last_id), 0) FROM collection_reversals))`).Scan(&id)
	return id, err
}

// checkRemittanceBalanced verifies, from the database, that every écriture
// of the remittance balances as recorded.
func checkRemittanceBalanced(ctx context.Context, q querier, remittanceID int64) error {
	// A collection écriture kept as one row, and its reversal, balance
	// line by line, but for the stored centralised line: their items are
	// summed once, not read as lines.
	rows, err := q.QueryContext(ctx, `SELECT number, journal, date, sum(debit), sum(credit) FROM (
			SELECT number, journal, date, debit, credit FROM entry_lines WHERE remittance_id = ?1
			UNION ALL
			SELECT c.number, c.journal, c.date, CASE c.centralized WHEN 0 THEN sum(i.amount) ELSE 0 END, sum(i.amount)
			FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id WHERE c.remittance_id = ?1
			GROUP BY c.remittance_id
			UNION ALL
			SELECT r.number, r.journal, r.date, sum(i.amount), CASE c.centralized WHEN 0 THEN sum(i.amount) ELSE 0 END
			FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
				JOIN remittance_items i ON i.remittance_id = r.remittance_id WHERE r.remittance_id = ?1
			GROUP BY r.remittance_id)
		GROUP BY journal, number HAVING sum(debit) != sum(credit) ORDER BY journal, number`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var errs []error
	for rows.Next() {
		var n, d, c int64
		var journal, date string
		if err := rows.Scan(&n, &journal, &date, &d, &c); err != nil {
			return err
		}
		errs = append(errs, fmt.Errorf("écriture %d (journal %s, %s): debit %s, credit %s: %w", n, journal, date,
			remit.FormatAmount(d), remit.FormatAmount(c), accounting.ErrUnbalanced))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// collectionEntries writes a new remittance's écritures, inside its
// transaction (RunTx.CollectionEntries).
func (s *Store) collectionEntries(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	o, err := s.entryOptions()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if err := writeCollectionEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	return nil
}

// writeCollectionEntries records a new remittance's collection écritures
// (accounting.Collection): as one collection_ecritures row when it has one
// écriture the row can hold (keepAsRow, the usual case), else line by line
// as the rule gives them from the items (writeLines). Then the receivables
// with earlier entries are lettered again.
func writeCollectionEntries(ctx context.Context, tx *sql.Tx, o accounting.Options, now time.Time, r remit.Remittance) error {
	return writeCollection(ctx, tx, o, now, r, true)
}

// writeCollection is writeCollectionEntries; keep false stores every line
// (tests compare what the view renders of a kept row with them).
func writeCollection(ctx context.Context, tx *sql.Tx, o accounting.Options, now time.Time, r remit.Remittance, keep bool) error {
	w := &collectionWriter{r: r, createdOn: remit.FormatDate(remit.Day(now))}
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, r.ID).Scan(&w.creditorID); err != nil {
		return err
	}
	groups, positive, err := collectionGroups(ctx, tx, r.ID, o.Date == accounting.DateCollection)
	if err != nil {
		return err
	}
	var items int64
	for _, g := range groups {
		items += g.Count
	}
	booked, err := priorEntries(ctx, tx, r.ID, items)
	if err != nil {
		return err
	}
	b := accounting.Banking{Bank: r.Bank, BookedOn: bookedOn(r)}
	// The bank's account is debited (a remittance made before banks has none).
	err = tx.QueryRowContext(ctx, `SELECT b.account FROM remittances r JOIN banks b ON b.id = r.bank_id WHERE r.id = ?`, r.ID).Scan(&b.Account)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if w.c, err = accounting.NewCollection(o, r, b, groups); err != nil {
		return err
	}
	kept := false
	if es := w.c.Ecritures(); keep && len(es) == 1 && positive && w.c.Err() == nil {
		if kept, err = w.keepAsRow(ctx, tx, es[0]); err != nil {
			return err
		}
	}
	if !kept {
		if err := w.writeLines(ctx, tx, booked); err != nil {
			return err
		}
	}
	if err := reletter(ctx, tx, sortedIDs(booked)...); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
}

// collectionGroups counts the remittance's remitted items by journal (and
// collection date): the groups accounting.NewCollection plans from, and
// whether every amount is positive.
func collectionGroups(ctx context.Context, tx *sql.Tx, remittanceID int64, byDate bool) ([]accounting.ItemGroup, bool, error) {
	q := `SELECT i.journal, '', count(*), sum(i.amount), min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = ? AND i.status = 'remitted' GROUP BY i.journal`
	if byDate {
		q = `SELECT i.journal, i.collection_date, count(*), sum(i.amount), min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = ? AND i.status = 'remitted' GROUP BY i.journal, i.collection_date`
	}
	rows, err := tx.QueryContext(ctx, q, remittanceID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var groups []accounting.ItemGroup
	positive := true
	for rows.Next() {
		var g accounting.ItemGroup
		var least int64
		if err := rows.Scan(&g.Journal, &g.Collection, &g.Count, &g.Total, &least); err != nil {
			return nil, false, err
		}
		positive = positive && least > 0
		groups = append(groups, g)
	}
	return groups, positive, rows.Err()
}

// priorEntries are the receivables of a remittance of n items that
// earlier écritures (a collection rejected, returned or cancelled) already
// booked: most have none. A receivable is collected again only once its
// earlier item has left the remitted status, so those items find them:
// the items no longer remitted are walked while they are fewer than half
// the remittance's, else each of the remittance's items looks for one, so
// that a large remittance cancelled (or years of rejects) does not cost
// every later run a walk over all of them.
func priorEntries(ctx context.Context, tx *sql.Tx, remittanceID, n int64) (map[int64]bool, error) {
	var left int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM remittance_items INDEXED BY remittance_items_again
		WHERE status != 'remitted' LIMIT ?)`, n/2+1).Scan(&left); err != nil {
		return nil, err
	}
	q := `SELECT DISTINCT i.receivable_id
		FROM remittance_items j INDEXED BY remittance_items_again CROSS JOIN remittance_items i ON i.receivable_id = j.receivable_id
		WHERE j.status != 'remitted' AND i.remittance_id = ?`
	if left > n/2 {
		q = `SELECT i.receivable_id FROM remittance_items i INDEXED BY remittance_items_remittance
		WHERE i.remittance_id = ? AND EXISTS (SELECT 1 FROM remittance_items j INDEXED BY remittance_items_again
			WHERE j.receivable_id = i.receivable_id AND j.status != 'remitted')`
	}
	prior := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, q, remittanceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		prior[id] = true
	}
	return prior, rows.Err()
}

// collectionWriter records the écritures of one remittance's collection.
type collectionWriter struct {
	c          *accounting.Collection
	r          remit.Remittance
	creditorID int64
	createdOn  string
}

// keepAsRow records the remittance's only écriture as a collection_ecritures
// row, when the row can hold it, and reports whether it did (having
// written nothing otherwise). The entries view renders the row's lines,
// item by item, exactly as accounting.Collection.Lines gives them: it
// fills the masks of a masked counterpart from the item's due date (SQL
// reads the date's text, so every due date must be a plain date), writes
// the account's label (the same every month, or NULL for "Compte " and
// the account), joins the customer label's parts (up to three item
// fields) and renders the customer line's lettering as the rule gives a
// first collection: the receivable's code in upper case (ids below 26^7),
// dated the écriture's date, unless the item stores another (a receivable
// lettered again, reletter). The items must all be remitted, with
// consecutive ids in the remittance's order (both item inserts write
// them in file order). TestKeptRowReadsBackAsTheRuleGives checks the
// rendering against the rule.
func (w *collectionWriter) keepAsRow(ctx context.Context, tx *sql.Tx, e *accounting.CollectionEcriture) (bool, error) {
	if len(e.CustomerLabel.Fields) > 3 {
		return false, nil
	}
	var first, last, n, lowest, highest int64
	if err := tx.QueryRowContext(ctx, `SELECT min(id), max(id), count(*), min(receivable_id), max(receivable_id)
		FROM remittance_items WHERE remittance_id = ?`, w.r.ID).Scan(&first, &last, &n, &lowest, &highest); err != nil {
		return false, err
	}
	if n != e.Items || last-first+1 != n || lowest < 1 || highest > keptLetteringLimit {
		return false, nil
	}
	var contraLabel any
	if !e.Masked() {
		_, contraLabel = e.CounterpartFor("")
	} else {
		label, ok, err := w.maskedLabel(ctx, tx, e)
		if err != nil || !ok {
			return false, err
		}
		contraLabel = label
	}
	number, err := nextEntryNumber(ctx, tx, w.creditorID, e.Journal)
	if err != nil {
		return false, err
	}
	base, err := lastEntryID(ctx, tx)
	if err != nil {
		return false, err
	}
	il := e.CustomerLabel
	fields := make([]any, 3)
	labels := []string{il.Runs[0], "", "", ""}
	for k, f := range il.Fields {
		fields[k], labels[k+1] = string(f), il.Runs[k+1]
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO collection_ecritures (remittance_id, creditor_id, number, journal, journal_label, date,
			first_item, first_id, last_id, centralized, counterpart, masked, counterpart_label, label, direct, account, account_label,
			label0, field1, label1, field2, label2, field3, label3, piece_date, created_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.r.ID, w.creditorID, number, e.Journal, e.JournalLabel, e.Date, first, base, base+e.Lines(), e.Centralized,
		e.Counterpart, e.Masked(), contraLabel, e.Label, e.Direct, e.Account, e.AccountLabel,
		labels[0], fields[0], labels[1], fields[1], labels[2], fields[2], labels[3], e.PieceDate, w.createdOn); err != nil {
		return false, err
	}
	if e.Centralized {
		ins := newEntryInsert(tx)
		defer ins.close()
		l := e.CentralLine()
		if err := addEntryLine(ctx, ins, base+1, w.creditorID, number, &e.Header, &l, w.createdOn); err != nil {
			return false, err
		}
		if err := ins.flush(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// keptLetteringLimit is the highest receivable id whose lettering code the
// entries view renders: 26^7, seven letters.
const keptLetteringLimit = 26 * 26 * 26 * 26 * 26 * 26 * 26

// maskedLabel is the counterpart_label of a kept écriture whose
// counterpart is masked: the account label the rule gives every month of
// the items' due dates, or nil when each month's is "Compte " and the
// account (the view writes it). ok is false when no row can say it: a due
// date that is not a plain date, or a label that differs from month to
// month.
func (w *collectionWriter) maskedLabel(ctx context.Context, tx *sql.Tx, e *accounting.CollectionEcriture) (any, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT due_date FROM remittance_items WHERE remittance_id = ? AND status = 'remitted'`, w.r.ID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	same, plain, label := true, true, ""
	for rows.Next() {
		var due string
		if err := rows.Scan(&due); err != nil {
			return nil, false, err
		}
		if due == "" || remit.FormatDate(remit.StoredDate(due)) != due {
			return nil, false, nil
		}
		account, l := e.CounterpartFor(due)
		same = same && (label == "" || l == label)
		plain = plain && l == "Compte "+account
		label = l
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	switch {
	case plain:
		return nil, true, nil
	case same:
		return label, true, nil
	}
	return nil, false, nil
}

// writeLines records the écritures line by line, as the rule gives them
// from the items read in the remittance's order: each écriture takes its
// journal's next number and the ids that follow the previous one's.
func (w *collectionWriter) writeLines(ctx context.Context, tx *sql.Tx, booked map[int64]bool) error {
	es := w.c.Ecritures()
	numbers, firsts := make([]int64, len(es)), make([]int64, len(es))
	next := map[string]int64{}
	base, err := lastEntryID(ctx, tx)
	if err != nil {
		return err
	}
	line := base
	for i, e := range es {
		if _, ok := next[e.Journal]; !ok {
			if next[e.Journal], err = nextEntryNumber(ctx, tx, w.creditorID, e.Journal); err != nil {
				return err
			}
		}
		numbers[i], firsts[i] = next[e.Journal], line
		next[e.Journal]++
		line += e.Lines()
	}
	ins := newEntryInsert(tx)
	defer ins.close()
	pairs, err := newPairInsert(ctx, tx)
	if err != nil {
		return err
	}
	defer pairs.close()
	for i, e := range es {
		if err := pairs.addHeader(ctx, e.Index, firsts[i], w.creditorID, numbers[i], &e.Header, w.createdOn); err != nil {
			return err
		}
		if e.Centralized && w.c.Err() == nil {
			l := e.CentralLine()
			if err := addEntryLine(ctx, ins, firsts[i]+1, w.creditorID, numbers[i], &e.Header, &l, w.createdOn); err != nil {
				return err
			}
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+collectionItemColumns.sql()+`
		FROM remittance_lines i
		WHERE i.remittance_id = ? AND i.status = 'remitted' ORDER BY i.block, i.position, i.id`, w.r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it accounting.CollectionItem
	var r packedRow
	lines := make([]accounting.Line, 0, 2)
	for rows.Next() {
		if err := r.scan(rows, collectionItemColumns); err != nil {
			return err
		}
		it.ID, it.Receivable, it.Amount = r.int64(), r.int64(), r.int64()
		it.Due, it.Collection, it.Document, it.Customer, it.Name, it.Journal = r.text(), r.text(), r.text(), r.text(), r.text(), r.text()
		if err := r.done(); err != nil {
			return err
		}
		it.Booked = booked[it.Receivable]
		var e *accounting.CollectionEcriture
		e, lines = w.c.Lines(lines[:0], &it)
		if w.c.Err() != nil {
			continue // reported below, once every line is checked
		}
		// An item's lines: its bank line then its customer line, or its
		// customer line alone in a centralised écriture.
		var first *accounting.Line
		if len(lines) == 2 {
			first = &lines[0]
		}
		if err := pairs.add(ctx, e.Index, first, &lines[len(lines)-1]); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := w.c.Err(); err != nil {
		return err
	}
	return pairs.flush(ctx)
}

// collectionItemColumns are what writeLines reads of each item, packed
// (packed.go): a remittance written line by line may have a million.
var collectionItemColumns = packedColumns{"i.id", "i.receivable_id", "i.amount", "i.due_date", "i.collection_date", "i.document",
	"i.customer", "i.name", "i.journal"}

// reverseEntries reverses the écritures of a cancelled remittance that are
// not reversed yet (accounting.Reversal).
func (s *Store) reverseEntries(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	o, err := s.entryOptions()
	if err != nil {
		o, _ = accounting.Options{}.Normalize()
	}
	if err := reverseRemittanceEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: reversing its entries: %w", r.Ref, err)
	}
	return nil
}

// reverseRemittanceEntries writes the reversing écritures in SQL, one
// INSERT … SELECT each from the lines of the écriture it reverses (the
// entries view renders a kept collection's), so that reversing a
// collection of a million items passes none of its lines through Go.
func reverseRemittanceEntries(ctx context.Context, tx *sql.Tx, o accounting.Options, now time.Time, r remit.Remittance) error {
	es, err := toReverse(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	v := accounting.NewReversal(o, r, now)
	for i := range es {
		if err := reverseEcriture(ctx, tx, v, &es[i]); err != nil {
			return err
		}
	}
	if err := reletterWhere(ctx, tx, reversedToLetter, r.ID); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
}

// reversedToLetter selects, among the receivables of the remittance ? whose
// écritures were just reversed, those to letter again: the others' lines
// are its kept item's and the reversal's alone, which the entries view
// letters as accounting.Letter does (in lower case, dated the reversal)
// when the item stores no lettering. A cancel of 100,000 debits collected
// for the first time letters none again.
const reversedToLetter = `r.id IN (SELECT i.receivable_id FROM remittance_items i WHERE i.remittance_id = ?
	AND (i.lettering IS NOT NULL OR i.lettered_on IS NOT NULL
		OR NOT EXISTS (SELECT 1 FROM collection_reversals v WHERE v.remittance_id = i.remittance_id)
		OR EXISTS (SELECT 1 FROM remittance_items o INDEXED BY remittance_items_receivable WHERE o.receivable_id = i.receivable_id AND o.id != i.id)
		OR EXISTS (SELECT 1 FROM entry_lines e INDEXED BY entries_receivable WHERE e.receivable_id = i.receivable_id)))`

// reversedEcriture is an écriture to reverse: its header and number, and
// whether it is kept as one row (collection_ecritures).
type reversedEcriture struct {
	creditorID, number int64
	h                  accounting.Header
	kept               bool
}

// toReverse lists the écritures of a remittance that no reversal names
// yet, by journal and number: its stored lines' and its kept collection's.
func toReverse(ctx context.Context, tx *sql.Tx, remittanceID int64) ([]reversedEcriture, error) {
	rows, err := tx.QueryContext(ctx, `SELECT creditor_id, journal, number, journal_label, date, max(kept) FROM (
			SELECT creditor_id, journal, number, journal_label, date, 0 AS kept FROM entry_lines WHERE remittance_id = ?1 AND kind != 'reversal'
			UNION ALL
			SELECT creditor_id, journal, number, journal_label, date, 1 FROM collection_ecritures WHERE remittance_id = ?1)
		WHERE (journal, number) NOT IN (SELECT journal, reverses FROM entry_lines WHERE remittance_id = ?1 AND kind = 'reversal'
			UNION ALL SELECT journal, reverses FROM collection_reversals WHERE remittance_id = ?1)
		GROUP BY journal, number ORDER BY journal, number`, remittanceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []reversedEcriture
	for rows.Next() {
		e := reversedEcriture{h: accounting.Header{Remittance: remittanceID}}
		if err := rows.Scan(&e.creditorID, &e.h.Journal, &e.number, &e.h.JournalLabel, &e.h.Date, &e.kept); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// reverseEcriture writes the écriture reversing e under its journal's next
// number, its lines taking the ids after the last: each line of e in
// order, debit and credit swapped, as accounting.Reversal gives them (the
// customer lines unlettered until reletterWhere). Line k of the reversal
// is line k of e, whose lines are numbered from 1 without a gap (every
// écriture is written so); should they not be, they are written again,
// numbered in order (a window over the lines, which costs a sort of them).
// A collection kept as one row is reversed by one row (keepReversal).
func reverseEcriture(ctx context.Context, tx *sql.Tx, v *accounting.Reversal, e *reversedEcriture) error {
	h := v.Begin(e.h, e.number)
	number, err := nextEntryNumber(ctx, tx, e.creditorID, h.Journal)
	if err != nil {
		return err
	}
	base, err := lastEntryID(ctx, tx)
	if err != nil {
		return err
	}
	args := []any{base, number, h.Remittance, h.Reverses, h.JournalLabel, h.Date, v.Today(), h.Journal}
	label := itemLabelSQL(v.Label(), "o.piece_ref", &args)
	insert := func(line, from string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id,
				return_id, reverses, journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
				piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on, payment_id, payable_id)
			SELECT ?1 + o.line, o.creditor_id, ?2, o.line, 'reversal', ?3, o.item_id, o.receivable_id,
				o.return_id, ?4, o.journal, ?5, ?6, o.account, o.account_label, o.aux_account, o.aux_label, o.counterpart,
				o.piece_ref, ?7, `+label+`, o.credit, o.debit, '', '', ?7, NULL, NULL
			FROM (SELECT `+line+` AS line, creditor_id, item_id, receivable_id, return_id, journal, account, account_label,
					aux_account, aux_label, counterpart, piece_ref, debit, credit
				FROM `+from+` WHERE remittance_id = ?3 AND journal = ?8 AND number = ?4 AND kind != 'reversal') o
			ORDER BY o.line`, args...)
		return err
	}
	if il := v.Label().DocOnly(); e.kept && len(il.Fields) <= 3 {
		// Its stored centralised line, if any, is reversed by a stored line.
		if err := insert("line", "entry_lines"); err != nil {
			return err
		}
		return keepReversal(ctx, tx, e, h, number, base, v.Today(), il)
	}
	if err := insert("line", "entries"); err != nil {
		return err
	}
	var n, highest int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(max(line), 0) FROM entry_lines WHERE creditor_id = ? AND journal = ? AND number = ?`,
		e.creditorID, h.Journal, number).Scan(&n, &highest); err != nil || n == highest {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM entry_lines WHERE creditor_id = ? AND journal = ? AND number = ?`,
		e.creditorID, h.Journal, number); err != nil {
		return err
	}
	return insert("row_number() OVER (ORDER BY line)", "entries")
}

// keepReversal records the reversal of kept collection e as one
// collection_reversals row, numbered number, its line k being entry base +
// k, labelled il (its fields all the item's document), dated as h; the
// entries view renders its lines from the collection's.
func keepReversal(ctx context.Context, tx *sql.Tx, e *reversedEcriture, h accounting.Header, number, base int64, today string,
	il accounting.ItemLabel) error {
	labels := []string{"", "", "", ""}
	copy(labels, il.Runs)
	_, err := tx.ExecContext(ctx, `INSERT INTO collection_reversals (remittance_id, creditor_id, journal, number, reverses, date,
			first_id, last_id, docs, label0, label1, label2, label3, piece_date, created_on)
		SELECT c.remittance_id, c.creditor_id, c.journal, ?, ?, ?, ?, ? + c.last_id - c.first_id, ?, ?, ?, ?, ?, ?, ?
		FROM collection_ecritures c WHERE c.remittance_id = ? AND c.number = ?`,
		number, h.Reverses, h.Date, base, base, len(il.Fields), labels[0], labels[1], labels[2], labels[3], today, today,
		h.Remittance, e.number)
	return err
}

// itemLabelSQL is the SQL expression of label il for a line whose
// document is the expression doc, the item's customer and name empty (a
// reversal's label has no customer): its runs are appended to args, and
// named by their numbers. The result is trimmed as strings.TrimSpace
// does.
func itemLabelSQL(il accounting.ItemLabel, doc string, args *[]any) string {
	run := func(s string) string {
		*args = append(*args, s)
		return "?" + strconv.Itoa(len(*args))
	}
	if len(il.Fields) == 0 {
		return run(il.Runs[0])
	}
	expr := run(il.Runs[0])
	for k, f := range il.Fields {
		if f == accounting.FieldDoc {
			expr += " || " + doc
		}
		expr += " || " + run(il.Runs[k+1])
	}
	return "trim(" + expr + ", " + spaceChars + ")"
}

// spaceChars is every character unicode.IsSpace accepts, as
// strings.TrimSpace trims them (the entries view writes the same list).
const spaceChars = `char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202,
	8232, 8233, 8239, 8287, 12288)`

func sortedIDs(m map[int64]bool) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// jsonIDs is a JSON array of ids, for json_each.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// reletter letters receivables' customer lines again from all their lines
// (accounting.Letter). Lines kept on items (collection_ecritures) get
// theirs on the item.
func reletter(ctx context.Context, tx *sql.Tx, receivableIDs ...int64) error {
	if len(receivableIDs) == 0 {
		return nil
	}
	return reletterWhere(ctx, tx, `r.id IN (SELECT value FROM json_each(?))`, jsonIDs(receivableIDs))
}

// reletterWhere letters again the receivables r that cond (with its
// argument) selects, as accounting.Letter says, in SQL, a set at a time
// (reletterStatements).
func reletterWhere(ctx context.Context, tx *sql.Tx, cond string, arg any) error {
	for _, q := range reletterStatements(cond, arg) {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("lettering again: %w", err)
		}
	}
	return nil
}

type statement struct {
	sql  string
	args []any
}

// reletterStatements letter again the receivables r that cond selects:
// one pass over them in id order sums what each one's customer lines
// settle (credits minus debits, a kept item's line crediting its amount,
// its kept reversal's debiting it) and finds its latest line's date,
// through the receivable_id indexes, with no sort. A receivable with no
// line has nothing to letter. The lettering is written where it differs
// from what the line shows: a kept item that stores none shows the code
// in upper case dated its écriture's date, or once its écriture is
// reversed in lower case dated the reversal (the entries view), so that an
// item collected again after a cancel, and the items of a cancelled
// remittance whose receivables have no other line, are left as they are.
// Each statement walks the receivables and seeks their lines through the
// receivable_id indexes (INDEXED BY; the table of codes has no key, and a
// kept item's écriture and reversal are looked up once, by their keys, an
// item of no kept écriture being left alone): never a scan of a table
// that grows with the history, which the planner picks for an UPDATE …
// FROM joined to a second table or to one with a key
// (TestReletterPlansSeek).
func reletterStatements(cond string, arg any) []statement {
	return []statement{
		{`DROP TABLE IF EXISTS temp.reletter_ids`, nil},
		{`DROP TABLE IF EXISTS temp.reletter`, nil},
		{`CREATE TEMP TABLE reletter_ids (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)`, nil},
		{`INSERT INTO temp.reletter_ids (id, amount) SELECT r.id, r.amount FROM receivables r WHERE ` + cond, []any{arg}},
		{`CREATE TEMP TABLE reletter (id INTEGER NOT NULL, upper TEXT NOT NULL, code TEXT NOT NULL, last TEXT NOT NULL)`, nil},
		{`INSERT INTO temp.reletter (id, upper, code, last)
			SELECT id, upper, CASE WHEN settled = amount THEN upper ELSE lower(upper) END, last FROM (
				SELECT t.id, t.amount, ` + lettering.CodeSQL("t.id", lettering.SQLite) + ` AS upper,
					COALESCE(sum(CASE WHEN c.remittance_id IS NULL THEN 0 ELSE i.amount END), 0)
						- COALESCE(sum(CASE WHEN v.remittance_id IS NULL THEN 0 ELSE i.amount END), 0)
						+ COALESCE((SELECT sum(e.credit) - sum(e.debit) FROM entry_lines e INDEXED BY entries_receivable
							WHERE e.receivable_id = t.id), 0) AS settled,
					max(COALESCE(max(c.date), ''), COALESCE(max(v.date), ''),
						COALESCE((SELECT max(e.date) FROM entry_lines e INDEXED BY entries_receivable WHERE e.receivable_id = t.id), '')) AS last
				FROM temp.reletter_ids t
					LEFT JOIN remittance_items i INDEXED BY remittance_items_receivable ON i.receivable_id = t.id
					LEFT JOIN collection_ecritures c ON c.remittance_id = i.remittance_id
					LEFT JOIN collection_reversals v ON v.remittance_id = i.remittance_id
				GROUP BY t.id)
			WHERE last != ''`, nil},
		{`UPDATE entry_lines INDEXED BY entries_receivable SET lettering = t.code, lettered_on = t.last FROM temp.reletter AS t
			WHERE entry_lines.receivable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`, nil},
		{`UPDATE remittance_items INDEXED BY remittance_items_receivable SET lettering = t.code, lettered_on = t.last FROM temp.reletter AS t
			WHERE remittance_items.receivable_id = t.id
				AND (SELECT COALESCE(remittance_items.lettering, CASE WHEN v.remittance_id IS NULL THEN t.upper ELSE lower(t.upper) END) != t.code
						OR COALESCE(remittance_items.lettered_on, v.date, c.date) != t.last
					FROM collection_ecritures c LEFT JOIN collection_reversals v ON v.remittance_id = c.remittance_id
					WHERE c.remittance_id = remittance_items.remittance_id)`, nil},
		{`DROP TABLE temp.reletter`, nil},
		{`DROP TABLE temp.reletter_ids`, nil},
	}
}
