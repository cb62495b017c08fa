package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store/internal/lettering"
)

// Accounting entries: the rules are remit/accounting's; this file records
// what they give, inside the transaction of the remittance, return or
// cancellation that calls for them, as the SQLite store does (see its
// entries.go): a line in entry_lines, or a collection écriture as one
// collection_ecritures row whose lines the entries view renders from its
// items.
//
// Entry ids (stored lines, and the lines a collection_ecritures row
// renders) are taken from entry_lines' sequence (reserveIDs), so that
// runs of other creditors writing écritures at the same time never take
// the same; an écriture's number is its journal's next, under the
// creditor's lock.

// SetEntryOptions sets how accounting entries are written for the
// remittances, returns and cancellations this Store records; an invalid
// combination is refused here.
func (s *Store) SetEntryOptions(o accounting.Options) error {
	n, err := o.Normalize()
	if err != nil {
		return err
	}
	s.entryOpts = n
	return nil
}

func (s *Store) entryOptions() (accounting.Options, error) { return s.entryOpts.Normalize() }

// entryColumnNames are entry_lines' columns as lineWriter copies them.
var entryColumnNames = []string{"id", "creditor_id", "number", "line", "kind", "remittance_id", "item_id", "receivable_id", "return_id",
	"reverses", "journal", "journal_label", "date", "account", "account_label", "aux_account", "aux_label", "counterpart",
	"piece_ref", "piece_date", "label", "debit", "credit", "lettering", "lettered_on", "created_on", "payment_id", "payable_id"}

// lineWriter copies stored entry lines into entry_lines, a batch at a time.
type lineWriter struct {
	q    pgx.Tx
	rows [][]any
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// add queues line l of écriture number of header h, with the given id.
func (w *lineWriter) add(ctx context.Context, id, creditorID, number int64, h *accounting.Header, l *accounting.Line, createdOn string) error {
	w.rows = append(w.rows, []any{id, creditorID, number, l.Seq, string(l.Kind), nullID(h.Remittance), nullID(l.Item), nullID(l.Receivable),
		nullID(l.Return), h.Reverses, h.Journal, h.JournalLabel, h.Date, l.Account, l.AccountLabel, l.Aux, l.AuxLabel,
		l.Counterpart, l.Piece, l.PieceDate, l.Label, l.Debit, l.Credit, l.Lettering.Code, l.Lettering.On, createdOn,
		nullID(l.Payment), nullID(l.Payable)})
	if len(w.rows) < copyBatch {
		return nil
	}
	return w.flush(ctx)
}

func (w *lineWriter) flush(ctx context.Context) error {
	if len(w.rows) == 0 {
		return nil
	}
	_, err := w.q.CopyFrom(ctx, pgx.Identifier{"entry_lines"}, entryColumnNames, pgx.CopyFromRows(w.rows))
	w.rows = w.rows[:0]
	return err
}

// RecordEcriture records an écriture a rule gave (store.Tx), under the
// creditor's lock.
func (t *tx) RecordEcriture(ctx context.Context, creditorID int64, e *accounting.Ecriture) (int64, error) {
	if err := lockCreditor(ctx, t.q, creditorID); err != nil {
		return 0, err
	}
	return t.s.recordEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.s.now())), e)
}

// recordEcriture records an écriture (writeEcriture), then letters again
// the receivables and payables its lines name.
func (s *Store) recordEcriture(ctx context.Context, q pgx.Tx, creditorID int64, createdOn string, e *accounting.Ecriture) (int64, error) {
	number, err := s.writeEcriture(ctx, q, creditorID, createdOn, e)
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
	if err := reletter(ctx, q, sortedIDs(receivables)); err != nil {
		return 0, err
	}
	if len(payables) > 0 {
		if err := reletterPayables(ctx, q, `p.id = ANY($1::bigint[])`, sortedIDs(payables)); err != nil {
			return 0, err
		}
	}
	return number, nil
}

func sortedIDs(m map[int64]bool) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// reletterPayables letters again the payables p that cond (with its
// argument $1) selects from all their lines (accounting.LetterPayable),
// written where it differs.
func reletterPayables(ctx context.Context, q pgx.Tx, cond string, arg any) error {
	rows, err := q.Query(ctx, `SELECT p.id, p.amount, (sum(e.debit) - sum(e.credit))::bigint, max(e.date)
		FROM payables p JOIN entry_lines e ON e.payable_id = p.id WHERE `+cond+` GROUP BY p.id`, arg)
	if err != nil {
		return err
	}
	var ids []int64
	var codes, lasts []string
	for rows.Next() {
		var id, amount, settled int64
		var last string
		if err := rows.Scan(&id, &amount, &settled, &last); err != nil {
			rows.Close()
			return err
		}
		l := accounting.LetterPayable(id, amount, settled, last)
		ids, codes, lasts = append(ids, id), append(codes, l.Code), append(lasts, l.On)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = q.Exec(ctx, `UPDATE entry_lines SET lettering = t.code, lettered_on = t.last
		FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, code, last)
		WHERE entry_lines.payable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`, ids, codes, lasts)
	return err
}

// writeEcriture checks an écriture and records it under its journal's next
// number, returned (0 for an écriture without lines).
func (s *Store) writeEcriture(ctx context.Context, q pgx.Tx, creditorID int64, createdOn string, e *accounting.Ecriture) (int64, error) {
	if len(e.Lines) == 0 {
		return 0, nil
	}
	if err := e.Check(); err != nil {
		return 0, err
	}
	number, err := nextEntryNumber(ctx, q, creditorID, e.Journal)
	if err != nil {
		return 0, err
	}
	first, err := s.reserveIDs(ctx, q, "entry_lines", len(e.Lines))
	if err != nil {
		return 0, err
	}
	w := &lineWriter{q: q}
	for i := range e.Lines {
		if err := w.add(ctx, first-1+e.Lines[i].Seq, creditorID, number, &e.Header, &e.Lines[i], createdOn); err != nil {
			return 0, err
		}
	}
	return number, w.flush(ctx)
}

// nextEntryNumber is the journal's next écriture number (FEC: a
// continuous sequence per journal).
func nextEntryNumber(ctx context.Context, q querier, creditorID int64, journal string) (int64, error) {
	var number int64
	err := q.QueryRow(ctx, `SELECT greatest(
			(SELECT COALESCE(max(number), 0) FROM entry_lines WHERE creditor_id = $1 AND journal = $2),
			(SELECT COALESCE(max(number), 0) FROM collection_ecritures WHERE creditor_id = $1 AND journal = $2),
			(SELECT COALESCE(max(number), 0) FROM collection_reversals WHERE creditor_id = $1 AND journal = $2)) + 1`,
		creditorID, journal).Scan(&number)
	return number, err
}

// checkRemittanceBalanced verifies, from the database, that every écriture
// of the remittance balances as recorded.
func checkRemittanceBalanced(ctx context.Context, q querier, remittanceID int64) error {
	// A collection écriture kept as one row, and its reversal, balance
	// line by line, but for the stored centralised line: their items are
	// summed once, not read as lines.
	rows, err := q.Query(ctx, `SELECT number, journal, min(date), sum(debit)::bigint, sum(credit)::bigint FROM (
			SELECT number, journal, date, debit, credit FROM entry_lines WHERE remittance_id = $1
			UNION ALL
			SELECT c.number, c.journal, c.date, CASE c.centralized WHEN 0 THEN sum(i.amount) ELSE 0 END, sum(i.amount)
			FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id WHERE c.remittance_id = $1
			GROUP BY c.remittance_id
			UNION ALL
			SELECT r.number, r.journal, r.date, sum(i.amount), CASE c.centralized WHEN 0 THEN sum(i.amount) ELSE 0 END
			FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
				JOIN remittance_items i ON i.remittance_id = r.remittance_id WHERE r.remittance_id = $1
			GROUP BY r.remittance_id, c.centralized) e
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

// CollectionEntries writes a new remittance's écritures.
func (t *runTx) CollectionEntries(ctx context.Context, rem remit.Remittance) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	o, err := t.s.entryOptions()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if paymentKinds[string(rem.Kind)] {
		return t.s.paymentEntries(ctx, t.q, rem)
	}
	if err := t.s.writeCollection(ctx, t.q, o, t.s.now(), rem, true); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	return nil
}

// writeCollection records a new remittance's collection écritures
// (accounting.Collection): as one collection_ecritures row when it has one
// écriture the row can hold (keepAsRow, the usual case; keep false never
// does, for the tests), else line by line as the rule gives them from the
// items (writeLines). Then the receivables with earlier entries are
// lettered again.
func (s *Store) writeCollection(ctx context.Context, q pgx.Tx, o accounting.Options, now time.Time, r remit.Remittance, keep bool) error {
	w := &collectionWriter{s: s, q: q, r: r, createdOn: remit.FormatDate(remit.Day(now))}
	if err := q.QueryRow(ctx, `SELECT creditor_id FROM remittances WHERE id = $1`, r.ID).Scan(&w.creditorID); err != nil {
		return err
	}
	booked, err := priorEntries(ctx, q, r.ID)
	if err != nil {
		return err
	}
	groups, positive, err := collectionGroups(ctx, q, r.ID, o.Date == accounting.DateCollection)
	if err != nil {
		return err
	}
	b := accounting.Banking{Bank: r.Bank, BookedOn: bookedOn(r)}
	// The bank's account is debited (a remittance made before banks has none).
	err = q.QueryRow(ctx, `SELECT b.account FROM remittances r JOIN banks b ON b.id = r.bank_id WHERE r.id = $1`, r.ID).Scan(&b.Account)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if w.c, err = accounting.NewCollection(o, r, b, groups); err != nil {
		return err
	}
	kept := false
	if es := w.c.Ecritures(); keep && len(es) == 1 && positive && w.c.Err() == nil {
		if kept, err = w.keepAsRow(ctx, es[0]); err != nil {
			return err
		}
	}
	if !kept {
		if err := w.writeLines(ctx, booked); err != nil {
			return err
		}
	}
	prior := make([]int64, 0, len(booked))
	for id := range booked {
		prior = append(prior, id)
	}
	if err := reletter(ctx, q, prior); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, q, r.ID)
}

// collectionGroups counts the remittance's remitted items by journal (and
// collection date): the groups accounting.NewCollection plans from, and
// whether every amount is positive.
func collectionGroups(ctx context.Context, q querier, remittanceID int64, byDate bool) ([]accounting.ItemGroup, bool, error) {
	query := `SELECT i.journal, '', count(*), sum(i.amount)::bigint, min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = $1 AND i.status = 'remitted' GROUP BY i.journal ORDER BY i.journal`
	if byDate {
		query = `SELECT i.journal, i.collection_date, count(*), sum(i.amount)::bigint, min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = $1 AND i.status = 'remitted' GROUP BY i.journal, i.collection_date
		ORDER BY i.journal, i.collection_date`
	}
	rows, err := q.Query(ctx, query, remittanceID)
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

// priorEntries are the receivables of a remittance that earlier écritures
// (a collection rejected, returned or cancelled) already booked: most have
// none. A receivable is collected again only once its earlier item has
// left the remitted status, so those items find them (remittance_items_again).
func priorEntries(ctx context.Context, q querier, remittanceID int64) (map[int64]bool, error) {
	prior := map[int64]bool{}
	rows, err := q.Query(ctx, `SELECT DISTINCT i.receivable_id
		FROM remittance_items j JOIN remittance_items i ON i.receivable_id = j.receivable_id
		WHERE j.status != 'remitted' AND i.remittance_id = $1`, remittanceID)
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
	s          *Store
	q          pgx.Tx
	c          *accounting.Collection
	r          remit.Remittance
	creditorID int64
	createdOn  string
}

// keptLetteringLimit is the highest receivable id whose lettering code the
// entries view renders: 26^7, seven letters.
const keptLetteringLimit = 26 * 26 * 26 * 26 * 26 * 26 * 26

// keepAsRow records the remittance's only écriture as a collection_ecritures
// row, when the row can hold it, and reports whether it did (having
// written nothing otherwise): see the SQLite store's keepAsRow for what
// the entries view renders of it, and when. Its lines' ids are taken
// together from entry_lines' sequence.
func (w *collectionWriter) keepAsRow(ctx context.Context, e *accounting.CollectionEcriture) (bool, error) {
	if len(e.CustomerLabel.Fields) > 3 {
		return false, nil
	}
	var first, last, n, lowest, highest int64
	if err := w.q.QueryRow(ctx, `SELECT min(id), max(id), count(*), min(receivable_id), max(receivable_id)
		FROM remittance_items WHERE remittance_id = $1`, w.r.ID).Scan(&first, &last, &n, &lowest, &highest); err != nil {
		return false, err
	}
	if n != e.Items || last-first+1 != n || lowest < 1 || highest > keptLetteringLimit {
		return false, nil
	}
	var contraLabel any
	if !e.Masked() {
		_, contraLabel = e.CounterpartFor("")
	} else {
		label, ok, err := w.maskedLabel(ctx, e)
		if err != nil || !ok {
			return false, err
		}
		contraLabel = label
	}
	number, err := nextEntryNumber(ctx, w.q, w.creditorID, e.Journal)
	if err != nil {
		return false, err
	}
	firstID, err := w.s.reserveIDs(ctx, w.q, "entry_lines", int(e.Lines()))
	if err != nil {
		return false, err
	}
	base := firstID - 1 // line k of the écriture is entry base + k
	il := e.CustomerLabel
	fields := make([]any, 3)
	labels := []string{il.Runs[0], "", "", ""}
	for k, f := range il.Fields {
		fields[k], labels[k+1] = string(f), il.Runs[k+1]
	}
	if _, err := w.q.Exec(ctx, `INSERT INTO collection_ecritures (remittance_id, creditor_id, number, journal, journal_label, date,
			first_item, first_id, last_id, centralized, counterpart, masked, counterpart_label, label, direct, account, account_label,
			label0, field1, label1, field2, label2, field3, label3, piece_date, created_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		w.r.ID, w.creditorID, number, e.Journal, e.JournalLabel, e.Date, first, base, base+e.Lines(), flag(e.Centralized),
		e.Counterpart, flag(e.Masked()), contraLabel, e.Label, flag(e.Direct), e.Account, e.AccountLabel,
		labels[0], fields[0], labels[1], fields[1], labels[2], fields[2], labels[3], e.PieceDate, w.createdOn); err != nil {
		return false, err
	}
	if e.Centralized {
		lw := &lineWriter{q: w.q}
		l := e.CentralLine()
		if err := lw.add(ctx, base+1, w.creditorID, number, &e.Header, &l, w.createdOn); err != nil {
			return false, err
		}
		if err := lw.flush(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// maskedLabel is the counterpart_label of a kept écriture whose
// counterpart is masked (see the SQLite store's): the account label the
// rule gives every month of the items' due dates, or nil when each month's
// is "Compte " and the account; ok is false when no row can say it.
func (w *collectionWriter) maskedLabel(ctx context.Context, e *accounting.CollectionEcriture) (any, bool, error) {
	rows, err := w.q.Query(ctx, `SELECT DISTINCT due_date FROM remittance_items WHERE remittance_id = $1 AND status = 'remitted'`, w.r.ID)
	if err != nil {
		return nil, false, err
	}
	dues, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, false, err
	}
	same, plain, label := true, true, ""
	for _, due := range dues {
		if due == "" || remit.FormatDate(remit.StoredDate(due)) != due {
			return nil, false, nil
		}
		account, l := e.CounterpartFor(due)
		same = same && (label == "" || l == label)
		plain = plain && l == "Compte "+account
		label = l
	}
	switch {
	case plain:
		return nil, true, nil
	case same:
		return label, true, nil
	}
	return nil, false, nil
}

// collectionItemsQuery is a remittance's remitted items in its order, as
// accounting.Collection.Lines reads them.
const collectionItemsQuery = `SELECT i.id, i.receivable_id, i.amount, i.due_date, i.collection_date, i.document, i.customer, i.name,
		i.journal
	FROM remittance_lines i WHERE i.remittance_id = $1 AND i.status = 'remitted' ORDER BY i.block, i.position, i.id`

func scanCollectionItem(r *rawRow, it *accounting.CollectionItem) error {
	it.ID, it.Receivable, it.Amount, it.Due, it.Collection = r.int64(), r.int64(), r.int64(), r.str(), r.str()
	it.Document, it.Customer, it.Name, it.Journal = r.str(), r.str(), r.str(), r.str()
	return r.done()
}

// writeLines records the écritures line by line, as the rule gives them
// from the items read in the remittance's order (a server cursor, a batch
// at a time): each écriture takes its journal's next number and the ids
// that follow the previous one's.
func (w *collectionWriter) writeLines(ctx context.Context, booked map[int64]bool) error {
	es := w.c.Ecritures()
	numbers, firsts := make([]int64, len(es)), make([]int64, len(es))
	next := map[string]int64{}
	var total int64
	for _, e := range es {
		total += e.Lines()
	}
	first, err := w.s.reserveIDs(ctx, w.q, "entry_lines", int(total))
	if err != nil {
		return err
	}
	line := first - 1
	for i, e := range es {
		if _, ok := next[e.Journal]; !ok {
			if next[e.Journal], err = nextEntryNumber(ctx, w.q, w.creditorID, e.Journal); err != nil {
				return err
			}
		}
		numbers[i], firsts[i] = next[e.Journal], line
		next[e.Journal]++
		line += e.Lines()
	}
	lw := &lineWriter{q: w.q}
	for i, e := range es {
		if e.Centralized && w.c.Err() == nil {
			l := e.CentralLine()
			if err := lw.add(ctx, firsts[i]+1, w.creditorID, numbers[i], &e.Header, &l, w.createdOn); err != nil {
				return err
			}
		}
	}
	if err := lw.flush(ctx); err != nil {
		return err
	}
	items, err := openCursor(ctx, w.q, "remit_entry_items", collectionItemsQuery, scanCollectionItem, w.r.ID)
	if err != nil {
		return err
	}
	defer items.Close()
	lines := make([]accounting.Line, 0, 2)
	for items.Next() {
		it := items.Row()
		it.Booked = booked[it.Receivable]
		var e *accounting.CollectionEcriture
		e, lines = w.c.Lines(lines[:0], it)
		if w.c.Err() != nil {
			continue // reported below, once every line is checked
		}
		for k := range lines {
			l := &lines[k]
			if err := lw.add(ctx, firsts[e.Index]+l.Seq, w.creditorID, numbers[e.Index], &e.Header, l, w.createdOn); err != nil {
				return err
			}
		}
	}
	if err := items.Err(); err != nil {
		return err
	}
	if err := w.c.Err(); err != nil {
		return err
	}
	return lw.flush(ctx)
}

// reverseEntries reverses the écritures of a cancelled remittance that are
// not reversed yet (accounting.Reversal).
func (s *Store) reverseEntries(ctx context.Context, q pgx.Tx, r remit.Remittance) error {
	o, err := s.entryOptions()
	if err != nil {
		o, _ = accounting.Options{}.Normalize()
	}
	if err := s.reverseRemittanceEntries(ctx, q, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: reversing its entries: %w", r.Ref, err)
	}
	return nil
}

// reverseRemittanceEntries writes the reversing écritures in SQL, one
// INSERT … SELECT each from the lines of the écriture it reverses (the
// entries view renders a kept collection's), so that reversing a
// collection of a million items passes none of its lines through Go.
func (s *Store) reverseRemittanceEntries(ctx context.Context, q pgx.Tx, o accounting.Options, now time.Time, r remit.Remittance) error {
	es, err := toReverse(ctx, q, r.ID)
	if err != nil {
		return err
	}
	// The reversing lines take their ids together, in the order written.
	var n int64
	for _, e := range es {
		n += e.lines
	}
	id, err := s.reserveIDs(ctx, q, "entry_lines", int(n))
	if err != nil {
		return err
	}
	v := accounting.NewReversal(o, r, now)
	for i := range es {
		if err := reverseEcriture(ctx, q, v, &es[i], id); err != nil {
			return err
		}
		id += es[i].lines
	}
	if err := reletterWhere(ctx, q, reversedToLetter, r.ID); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, q, r.ID)
}

// reversedToLetter selects, among the receivables of the remittance $1
// whose écritures were just reversed, those to letter again: the others'
// lines are its kept item's and the reversal's alone, which the entries
// view letters as accounting.Letter does when the item stores no lettering
// (sqlite's reversedToLetter).
const reversedToLetter = `r.id IN (SELECT i.receivable_id FROM remittance_items i WHERE i.remittance_id = $1
	AND (i.lettering IS NOT NULL OR i.lettered_on IS NOT NULL
		OR NOT EXISTS (SELECT 1 FROM collection_reversals v WHERE v.remittance_id = i.remittance_id)
		OR EXISTS (SELECT 1 FROM remittance_items o WHERE o.receivable_id = i.receivable_id AND o.id != i.id)
		OR EXISTS (SELECT 1 FROM entry_lines e WHERE e.receivable_id = i.receivable_id)))`

// reversedEcriture is an écriture to reverse: its header and number, how
// many lines it has and the highest line number, and whether it is kept
// as one row (collection_ecritures).
type reversedEcriture struct {
	creditorID, number, lines, highest int64
	h                                  accounting.Header
	kept                               bool
}

// toReverse lists the écritures of a remittance that no reversal names
// yet, by journal and number: its stored lines' and its kept collection's
// (whose row says how many lines it has, its stored centralised line
// among them).
func toReverse(ctx context.Context, q pgx.Tx, remittanceID int64) ([]reversedEcriture, error) {
	rows, err := q.Query(ctx, `SELECT min(creditor_id), journal, number, min(journal_label), min(date),
			CASE max(kept) WHEN 1 THEN max(n) ELSE sum(n) END::bigint, max(highest), max(kept) = 1
		FROM (SELECT creditor_id, journal, number, journal_label, date, count(*) AS n, max(line) AS highest, 0 AS kept
				FROM entry_lines WHERE remittance_id = $1 AND kind != 'reversal'
				GROUP BY creditor_id, journal, number, journal_label, date
			UNION ALL
			SELECT creditor_id, journal, number, journal_label, date, last_id - first_id, last_id - first_id, 1
				FROM collection_ecritures WHERE remittance_id = $1) e
		WHERE (journal, number) NOT IN (SELECT journal, reverses FROM entry_lines WHERE remittance_id = $1 AND kind = 'reversal'
			UNION ALL SELECT journal, reverses FROM collection_reversals WHERE remittance_id = $1)
		GROUP BY journal, number ORDER BY journal, number`, remittanceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []reversedEcriture
	for rows.Next() {
		e := reversedEcriture{h: accounting.Header{Remittance: remittanceID}}
		if err := rows.Scan(&e.creditorID, &e.h.Journal, &e.number, &e.h.JournalLabel, &e.h.Date, &e.lines, &e.highest, &e.kept); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// reverseEcriture writes the écriture reversing e under its journal's next
// number, its lines taking the ids from first: each line of e in order,
// debit and credit swapped, as accounting.Reversal gives them (the
// customer lines unlettered until reletterWhere). Line k of the reversal
// is line k of e, whose lines are numbered from 1 without a gap (every
// écriture is written so); should they not be, they are numbered in order
// (a window over the lines, which costs a sort of them). A collection kept
// as one row is reversed by one row (keepReversal).
func reverseEcriture(ctx context.Context, q pgx.Tx, v *accounting.Reversal, e *reversedEcriture, first int64) error {
	h := v.Begin(e.h, e.number)
	number, err := nextEntryNumber(ctx, q, e.creditorID, h.Journal)
	if err != nil {
		return err
	}
	line, from := "line", "entries"
	if e.highest != e.lines {
		line = "row_number() OVER (ORDER BY line)"
	}
	il := v.Label().DocOnly()
	kept := e.kept && len(il.Fields) <= 3
	if kept {
		// Only its stored centralised line, if any, is reversed by a stored line.
		line, from = "line", "entry_lines"
	}
	p := params{first - 1, number, h.Remittance, h.Reverses, h.JournalLabel, h.Date, v.Today(), h.Journal}
	label := itemLabelSQL(v.Label(), "o.piece_ref", &p)
	_, err = q.Exec(ctx, `INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id,
			return_id, reverses, journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
			piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on, payment_id, payable_id)
		SELECT $1::bigint + o.line, o.creditor_id, $2::bigint, o.line, 'reversal', $3::bigint, o.item_id, o.receivable_id,
			o.return_id, $4::bigint, o.journal, $5::text, $6::text, o.account, o.account_label, o.aux_account, o.aux_label, o.counterpart,
			o.piece_ref, $7::text, `+label+`, o.credit, o.debit, '', '', $7::text, NULL, NULL
		FROM (SELECT `+line+` AS line, creditor_id, item_id, receivable_id, return_id, journal, account, account_label,
				aux_account, aux_label, counterpart, piece_ref, debit, credit
			FROM `+from+` WHERE remittance_id = $3 AND journal = $8::text AND number = $4 AND kind != 'reversal') o
		ORDER BY o.line`, p...)
	if err != nil || !kept {
		return err
	}
	return keepReversal(ctx, q, e, h, number, first-1, v.Today(), il)
}

// keepReversal records the reversal of kept collection e as one
// collection_reversals row, numbered number, its line k being entry base +
// k, labelled il (its fields all the item's document), dated as h; the
// entries view renders its lines from the collection's.
func keepReversal(ctx context.Context, q pgx.Tx, e *reversedEcriture, h accounting.Header, number, base int64, today string,
	il accounting.ItemLabel) error {
	labels := []string{"", "", "", ""}
	copy(labels, il.Runs)
	_, err := q.Exec(ctx, `INSERT INTO collection_reversals (remittance_id, creditor_id, journal, number, reverses, date,
			first_id, last_id, docs, label0, label1, label2, label3, piece_date, created_on)
		SELECT c.remittance_id, c.creditor_id, c.journal, $1::bigint, $2::bigint, $3::text, $4::bigint, $4::bigint + c.last_id - c.first_id,
			$5::integer, $6::text, $7::text, $8::text, $9::text, $10::text, $10::text
		FROM collection_ecritures c WHERE c.remittance_id = $11::bigint AND c.number = $12::bigint`,
		number, h.Reverses, h.Date, base, len(il.Fields), labels[0], labels[1], labels[2], labels[3], today, h.Remittance, e.number)
	return err
}

// itemLabelSQL is the SQL expression of label il for a line whose
// document is the expression doc, the item's customer and name empty (a
// reversal's label has no customer): its runs are added to p. The result
// is trimmed as strings.TrimSpace does.
func itemLabelSQL(il accounting.ItemLabel, doc string, p *params) string {
	if len(il.Fields) == 0 {
		return p.add(il.Runs[0]) + "::text"
	}
	expr := p.add(il.Runs[0]) + "::text"
	for k, f := range il.Fields {
		if f == accounting.FieldDoc {
			expr += " || " + doc
		}
		expr += " || " + p.add(il.Runs[k+1]) + "::text"
	}
	return "btrim(" + expr + ", " + spaceChars + ")"
}

// spaceChars is every character unicode.IsSpace accepts, as
// strings.TrimSpace trims them (the entries view writes the same list).
const spaceChars = `chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192)
	|| chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
	|| chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)`

// reletter letters receivables' customer lines again from all their lines
// (accounting.Letter). Lines kept on items (collection_ecritures) get
// theirs on the item.
func reletter(ctx context.Context, q pgx.Tx, receivableIDs []int64) error {
	if len(receivableIDs) == 0 {
		return nil
	}
	return reletterWhere(ctx, q, `r.id = ANY($1::bigint[])`, receivableIDs)
}

// reletterWhere letters again the receivables r that cond (with its
// argument $1) selects, as accounting.Letter says, in SQL
// (sqlite.reletterWhere): one statement sums what each one's customer lines
// settle (credits minus debits, a kept item's line crediting its amount,
// its kept reversal's debiting it) and finds its latest line's date, a set
// at a time. A receivable with no line has nothing to letter. The
// lettering is written where it differs from what the line shows: a kept
// item that stores none shows the code in upper case dated its écriture's
// date, or once its écriture is reversed in lower case dated the reversal
// (the entries view).
func reletterWhere(ctx context.Context, q pgx.Tx, cond string, arg any) error {
	code := lettering.CodeSQL("r.id", lettering.PostgreSQL)
	for _, s := range []struct {
		sql  string
		args []any
	}{
		{`CREATE TEMP TABLE IF NOT EXISTS reletter (id bigint PRIMARY KEY, upper text NOT NULL, code text NOT NULL, last text NOT NULL)
			ON COMMIT DROP`, nil},
		// Each receivable's lines are found through the receivable_id
		// indexes, however few or many the receivables.
		{`INSERT INTO reletter (id, upper, code, last)
		SELECT id, upper, CASE WHEN settled = amount THEN upper ELSE lower(upper) END, last FROM (
			SELECT r.id, r.amount, ` + code + ` AS upper, l.settled, l.last
			FROM receivables r CROSS JOIN LATERAL (SELECT count(*) AS n, sum(x.credit) - sum(x.debit) AS settled, max(x.date) AS last FROM (
					SELECT e.credit, e.debit, e.date FROM entry_lines e WHERE e.receivable_id = r.id
					UNION ALL
					SELECT i.amount, 0, c.date FROM remittance_items i JOIN collection_ecritures c ON c.remittance_id = i.remittance_id
					WHERE i.receivable_id = r.id
					UNION ALL
					SELECT 0, i.amount, v.date FROM remittance_items i JOIN collection_reversals v ON v.remittance_id = i.remittance_id
					WHERE i.receivable_id = r.id) x) l
			WHERE l.n > 0 AND ` + cond + `) s`, []any{arg}},
		// Lines that already carry their lettering are left alone.
		{`UPDATE entry_lines SET lettering = t.code, lettered_on = t.last FROM reletter AS t
			WHERE entry_lines.receivable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`, nil},
		// A kept item that stores none shows the code in upper case dated
		// its collection, or once reversed in lower case dated the reversal.
		{`UPDATE remittance_items SET lettering = t.code, lettered_on = t.last
			FROM reletter AS t, collection_ecritures AS c LEFT JOIN collection_reversals AS v ON v.remittance_id = c.remittance_id
			WHERE remittance_items.receivable_id = t.id AND c.remittance_id = remittance_items.remittance_id
				AND (COALESCE(remittance_items.lettering, CASE WHEN v.remittance_id IS NULL THEN t.upper ELSE lower(t.upper) END) != t.code
					OR COALESCE(remittance_items.lettered_on, v.date, c.date) != t.last)`, nil},
		{`TRUNCATE reletter`, nil},
	} {
		if _, err := q.Exec(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("lettering again: %w", err)
		}
	}
	return nil
}

// Entries streams the creditor's entries the filter selects, in the order
// they were recorded: validation day, journal, number, line.
func (s *Store) Entries(ctx context.Context, creditorID int64, f accounting.EntryFilter, fn func(accounting.Entry) error) error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return fmt.Errorf("date range: %s is after %s", remit.FormatDate(f.From), remit.FormatDate(f.To))
	}
	var p params
	cond := "creditor_id = " + p.add(creditorID)
	if len(f.Remittances) > 0 {
		cond += " AND remittance_id = ANY(" + p.add(f.Remittances) + "::bigint[])"
	}
	if !f.From.IsZero() {
		cond += " AND date >= " + p.add(remit.FormatDate(f.From))
	}
	if !f.To.IsZero() {
		cond += " AND date <= " + p.add(remit.FormatDate(f.To))
	}
	rows, err := s.Pool.Query(ctx, `SELECT journal, journal_label, number, line, kind, COALESCE(remittance_id, 0), date, account, account_label,
			aux_account, aux_label, piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on
		FROM entries WHERE `+cond+` ORDER BY created_on, journal, number, line`, p...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r rawRow
	for rows.Next() {
		r.load(rows)
		e := accounting.Entry{Journal: r.str(), JournalLabel: r.str(), Number: r.int64(), Line: r.int(), Kind: accounting.Kind(r.str())}
		if id := r.int64(); id != 0 { // 0: a treasury écriture, of no remittance
			e.Remittance = remit.Ref(id)
		}
		e.Date, e.Account, e.AccountLabel, e.Aux, e.AuxLabel = r.str(), r.str(), r.str(), r.str(), r.str()
		e.Piece, e.PieceDate, e.Label, e.Debit, e.Credit = r.str(), r.str(), r.str(), r.int64(), r.int64()
		e.Lettering, e.LetteredOn, e.ValidDate = r.str(), r.str(), r.str()
		if err := r.done(); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CheckRemittancesExist returns an error naming every id that is not one of the creditor's remittances.
func (s *Store) CheckRemittancesExist(ctx context.Context, creditorID int64, ids []int64) error {
	rows, err := s.Pool.Query(ctx, `SELECT x.id FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n)
		WHERE NOT EXISTS (SELECT 1 FROM remittances r WHERE r.id = x.id AND r.creditor_id = $2) ORDER BY x.n`, ids, creditorID)
	if err != nil {
		return err
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range missing {
		errs = append(errs, fmt.Errorf("remittance %s: %w", remit.Ref(id), remit.ErrNoRemittance))
	}
	return errors.Join(errs...)
}

// Cancel withdraws a remittance in its transaction, under its creditor's
// lock: the amendments it announced are to announce again, its receivables
// go back to pointed, its items are cancelled, its écritures reversed, its
// status cancelled.
func (t *tx) Cancel(ctx context.Context, r remit.Remittance) error {
	id := r.ID
	if err := lockCreditorOf(ctx, t.q, id); err != nil {
		return err
	}
	if paymentKinds[string(r.Kind)] {
		return t.cancelPaymentRemittance(ctx, r)
	}
	if err := reannounce(ctx, t.q, "i.remittance_id = $1", id); err != nil {
		return err
	}
	if _, err := t.q.Exec(ctx, `UPDATE receivables SET status = 'pointed', refusal = ''
		WHERE id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = $1 AND status = 'remitted')`, id); err != nil {
		return err
	}
	if _, err := t.q.Exec(ctx, `UPDATE remittance_items SET status = 'cancelled' WHERE remittance_id = $1`, id); err != nil {
		return err
	}
	if err := undoCollections(ctx, t.q, id); err != nil {
		return err
	}
	if err := t.s.reverseEntries(ctx, t.q, r); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `UPDATE remittances SET status = 'cancelled' WHERE id = $1`, id)
	return err
}

// bookedOn is the account a remittance's parameters say its collection is
// booked on instead of its bank's ("entry_account": a remise de chèques
// books its cheques on 511… until the bank credits them), or "".
func bookedOn(rem remit.Remittance) string {
	var p struct {
		EntryAccount string `json:"entry_account"`
	}
	if len(rem.Params) == 0 || json.Unmarshal(rem.Params, &p) != nil {
		return ""
	}
	return p.EntryAccount
}

// ErrNotDeposit is returned by CreditDeposit for a remittance booked on its
// bank's account from the start.
var ErrNotDeposit = errors.New("booked on its bank's account already: no credit to book")

// CreditDeposit records a remise de chèques credited by its bank on that
// day (store.Tx), as accounting.Deposit books it: the bank's account
// debited with what the remise still holds (its items not rejected), the
// account its cheques were booked on credited. A second call books
// nothing and returns false, as does a store whose entries are off.
func (t *tx) CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error) {
	o, err := t.s.entryOptions()
	if err != nil || o.Disabled {
		return false, err
	}
	in := accounting.DepositInput{Remittance: rem, BookedOn: bookedOn(rem), On: on}
	if in.BookedOn == "" {
		return false, fmt.Errorf("remittance %s: %w", rem.Ref, ErrNotDeposit)
	}
	if err := lockCreditorOf(ctx, t.q, rem.ID); err != nil {
		return false, err
	}
	var creditorID int64
	err = t.q.QueryRow(ctx, `SELECT r.creditor_id, b.code, b.account FROM remittances r JOIN banks b ON b.id = r.bank_id
		WHERE r.id = $1`, rem.ID).Scan(&creditorID, &in.Journal, &in.BankAccount)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("remittance %s: no bank: nothing to credit", rem.Ref)
	}
	if err != nil {
		return false, err
	}
	var done int
	if err := t.q.QueryRow(ctx, `SELECT (SELECT count(*) FROM entries WHERE remittance_id = $1 AND account = $2 AND debit > 0),
			(SELECT COALESCE(sum(amount), 0)::bigint FROM remittance_items WHERE remittance_id = $1 AND status = 'remitted')`,
		rem.ID, in.BankAccount).Scan(&done, &in.Total); err != nil {
		return false, err
	}
	e, ok := accounting.Deposit(o, in)
	if done > 0 || !ok {
		return false, nil
	}
	if _, err := t.s.writeEcriture(ctx, t.q, creditorID, remit.FormatDate(remit.Day(t.s.now())), &e); err != nil {
		return false, fmt.Errorf("remittance %s: credit: %w", rem.Ref, err)
	}
	return true, checkRemittanceBalanced(ctx, t.q, rem.ID)
}
