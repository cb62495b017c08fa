package remit

import (
	"context"
	"database/sql"
	"strings"
)

// plannedItem is a receivable a run accepted, as the remittance tables need
// it: a run holds these (24 bytes each) rather than the receivables.
type plannedItem struct {
	id     int64 // the receivable
	amount int64
	grp    int32 // the payment block (SDD) or part (LCR) it goes in
	debtor int32 // its debtor snapshot, an index into the run's snapshots
}

// debtorKey names a debtor snapshot: the customer and, for a direct debit,
// the mandate (0 for an LCR).
type debtorKey struct{ customer, mandate int64 }

// snapshots numbers the debtors of a run in the order it meets them.
type snapshots struct {
	index map[debtorKey]int32
	keys  []debtorKey
	base  int64 // id of snapshot 0, once written
}

func (s *snapshots) of(k debtorKey) int32 {
	if i, ok := s.index[k]; ok {
		return i
	}
	if s.index == nil {
		s.index = map[debtorKey]int32{}
	}
	i := int32(len(s.keys))
	s.index[k] = i
	s.keys = append(s.keys, k)
	return i
}

// write records the run's debtors as its files name them, from the
// customers and mandates as they are now, and returns the id of snapshot 0
// (the others follow on).
func (s *snapshots) write(ctx context.Context, tx *sql.Tx) (int64, error) {
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM debtor_snapshots`).Scan(&base); err != nil {
		return 0, err
	}
	for _, q := range []string{`DROP TABLE IF EXISTS temp.snapshot_keys`,
		`CREATE TEMP TABLE snapshot_keys (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, mandate_id INTEGER)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	ins := newBatchInsert(tx, "temp.snapshot_keys", 3)
	defer ins.close()
	for i, k := range s.keys {
		mandate := sql.NullInt64{Int64: k.mandate, Valid: k.mandate != 0}
		if err := ins.add(ctx, base+int64(i), k.customer, mandate); err != nil {
			return 0, err
		}
	}
	if err := ins.flush(ctx); err != nil {
		return 0, err
	}
	// The account debited is the mandate's when it names one, else the customer's.
	_, err := tx.ExecContext(ctx, `INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, street, building,
			postcode, town, country, iban, bic, bank_name, siren, rum, mandate_signed)
		SELECT k.id, c.id, m.id, c.account, c.name, c.street, c.building, c.postcode, c.town, c.country,
			CASE WHEN COALESCE(m.iban, '') = '' THEN c.iban ELSE m.iban END,
			CASE WHEN COALESCE(m.iban, '') = '' THEN c.bic ELSE m.bic END,
			c.bank_name, c.siren, COALESCE(m.rum, ''), COALESCE(m.signed_on, '')
		FROM temp.snapshot_keys k JOIN customers c ON c.id = k.customer_id LEFT JOIN mandates m ON m.id = k.mandate_id
		ORDER BY k.id`)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE temp.snapshot_keys`)
	return base, err
}

// itemWriter inserts a remittance's items from the planned ones, many per
// statement; the rest of each row comes from the receivable. head holds
// the constant leading values of every row (remittance, block, …), bound
// before the batch's (receivable, position, debtor) triples.
type itemWriter struct {
	tx       *sql.Tx
	pre, suf string // the statement around the VALUES rows
	head     []any
	base     int64 // id of debtor snapshot 0
	args     []any
	n        int
	full     *sql.Stmt
}

// itemBatch is how many items one statement writes.
const itemBatch = 256

func newItemWriter(tx *sql.Tx, pre, suf string, base int64, head ...any) *itemWriter {
	return &itemWriter{tx: tx, pre: pre, suf: suf, head: head, base: base,
		args: append(make([]any, 0, len(head)+3*itemBatch), head...)}
}

func (w *itemWriter) sql(n int) string {
	return w.pre + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ") + w.suf
}

// add queues the item at position pos.
func (w *itemWriter) add(ctx context.Context, it plannedItem, pos int) error {
	w.args = append(w.args, it.id, int64(pos), w.base+int64(it.debtor))
	w.n++
	if w.n < itemBatch {
		return nil
	}
	if w.full == nil {
		st, err := w.tx.PrepareContext(ctx, w.sql(itemBatch))
		if err != nil {
			return err
		}
		w.full = st
	}
	if _, err := w.full.ExecContext(ctx, w.args...); err != nil {
		return err
	}
	w.args, w.n = w.args[:len(w.head)], 0
	return nil
}

// flush writes the queued items.
func (w *itemWriter) flush(ctx context.Context) error {
	if w.n > 0 {
		if _, err := w.tx.ExecContext(ctx, w.sql(w.n), w.args...); err != nil {
			return err
		}
	}
	w.args, w.n = append(w.args[:0], w.head...), 0
	return nil
}

// reset flushes, then starts the next rows with new head values.
func (w *itemWriter) reset(ctx context.Context, head ...any) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	w.head = head
	w.args = append(w.args[:0], head...)
	return nil
}

func (w *itemWriter) close() {
	if w.full != nil {
		w.full.Close()
	}
}

// pointedScan is the FROM clause hint for reading a creditor's pointed
// receivables of one method: through the partial index when they are a
// small part of the table, straight through the table (one sequential
// pass, much cheaper than a lookup per row) when they are a large part.
// It also returns how many there are.
func pointedScan(ctx context.Context, tx *sql.Tx, creditorID int64, method string) (string, int, error) {
	var pointed, rows int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM receivables WHERE creditor_id = ? AND status = 'pointed' AND method = ?`,
		creditorID, method).Scan(&pointed); err != nil {
		return "", 0, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM receivables`).Scan(&rows); err != nil {
		return "", 0, err
	}
	if pointed*4 > rows {
		return "NOT INDEXED", int(pointed), nil
	}
	return "", int(pointed), nil
}

// clearRefusals forgets an earlier run's refusal of receivables this run accepted.
func clearRefusals(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if _, err := tx.ExecContext(ctx, `UPDATE receivables SET refusal = '' WHERE id IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+`)`, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}
