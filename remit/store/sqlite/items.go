package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// plannedItem is a receivable a run accepted, as the remittance tables need
// it: a run spills these (28 bytes each) rather than hold the receivables.
type plannedItem struct {
	id     int64 // the receivable
	amount int64
	grp    int32 // the payment block (SDD) or part (LCR) it goes in
	debtor int32 // its debtor snapshot, an index into the run's snapshots
	pos    int32 // LCR: its rank in the run's file order
}

// newPlan is a spill of planned items in the order cmp gives.
func newPlan(cmp func(a, b plannedItem) int) *spill[plannedItem] {
	return newSpill(cmp, plannedSize, putPlanned, getPlanned)
}

// byBlockThenID is the SEPA file order: block, then receivable.
func byBlockThenID(a, b plannedItem) int {
	if a.grp != b.grp {
		return cmp.Compare(a.grp, b.grp)
	}
	return cmp.Compare(a.id, b.id)
}

// byPartThenRank is the LCR file order: part, then rank (due date, receivable).
func byPartThenRank(a, b plannedItem) int {
	if a.grp != b.grp {
		return cmp.Compare(a.grp, b.grp)
	}
	return cmp.Compare(a.pos, b.pos)
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

// of is debtor k's snapshot, one per debtor of the run.
func (s *snapshots) of(k debtorKey) int32 {
	if n := len(s.keys); n > 0 && s.keys[n-1] == k {
		return int32(n - 1)
	}
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

// next is debtor k's snapshot for a run that meets each debtor's
// receivables one after the other: a new one whenever the debtor changes,
// with no index to keep.
func (s *snapshots) next(k debtorKey) int32 {
	if n := len(s.keys); n > 0 && s.keys[n-1] == k {
		return int32(n - 1)
	}
	s.keys = append(s.keys, k)
	return int32(len(s.keys) - 1)
}

// write records the run's debtors as its files name them, from the
// customers and mandates as they are now; s.base is then the id of
// snapshot 0 (the others follow on).
func (s *snapshots) write(ctx context.Context, tx *sql.Tx) error {
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM debtor_snapshots`).Scan(&s.base); err != nil {
		return err
	}
	base := s.base
	for _, q := range []string{`DROP TABLE IF EXISTS temp.snapshot_keys`,
		`CREATE TEMP TABLE snapshot_keys (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, mandate_id INTEGER)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	ins := newBatchInsert(tx, "temp.snapshot_keys", 3)
	defer ins.close()
	for i, k := range s.keys {
		mandate := sql.NullInt64{Int64: k.mandate, Valid: k.mandate != 0}
		if err := ins.add(ctx, base+int64(i), k.customer, mandate); err != nil {
			return err
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
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
		return err
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE temp.snapshot_keys`)
	return err
}

// itemStage writes a remittance's items. They are queued with their block
// and position, then written by one INSERT … SELECT that reads the
// receivables in table order and sorts the rows into file order: looking
// each receivable up in file order costs a page read per item once the
// table outgrows SQLite's cache (measured: 8 µs an item at a million).
type itemStage struct {
	tx     *sql.Tx
	rows   *spill[stagedItem] // by receivable
	blocks [][2]string        // collection date and sequence type of block n+1
}

type stagedItem struct {
	id, debtor int64 // the receivable and its debtor snapshot
	block, pos int32
}

func newItemStage(ctx context.Context, tx *sql.Tx) (*itemStage, error) {
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.item_stage`,
		`CREATE TEMP TABLE item_stage (receivable_id INTEGER PRIMARY KEY, block INTEGER NOT NULL, position INTEGER NOT NULL,
			debtor_id INTEGER NOT NULL)`,
		`DROP TABLE IF EXISTS temp.stage_blocks`,
		`CREATE TEMP TABLE stage_blocks (block INTEGER PRIMARY KEY, coll TEXT NOT NULL, seq TEXT NOT NULL)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	byID := func(a, b stagedItem) int { return cmp.Compare(a.id, b.id) }
	return &itemStage{tx: tx, rows: newSpill(byID, stagedSize, putStaged, getStaged)}, nil
}

// block opens block n (from 1) of the current remittance.
func (s *itemStage) block(coll, seq string) int {
	s.blocks = append(s.blocks, [2]string{coll, seq})
	return len(s.blocks)
}

// add queues an item at position pos of block n; base is the id of debtor snapshot 0.
func (s *itemStage) add(it plannedItem, base int64, n, pos int) error {
	return s.rows.add(stagedItem{id: it.id, debtor: base + int64(it.debtor), block: int32(n), pos: int32(pos)})
}

// close releases the stage's spill.
func (s *itemStage) close() { s.rows.close() }

// write runs query, an INSERT … SELECT reading temp.item_stage (s) in
// receivable order and temp.stage_blocks, over the queued items; clear
// empties the stage for the next remittance.
func (s *itemStage) write(ctx context.Context, query string, args ...any) error {
	ins := newBatchInsert(s.tx, "temp.item_stage", 4)
	defer ins.close()
	err := s.rows.each(nil, nil, func(r stagedItem) error {
		return ins.add(ctx, r.id, int64(r.block), int64(r.pos), r.debtor)
	})
	if err != nil {
		return err
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	for i, b := range s.blocks {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO temp.stage_blocks VALUES (?, ?, ?)`, i+1, b[0], b[1]); err != nil {
			return err
		}
	}
	_, err = s.tx.ExecContext(ctx, query, args...)
	return err
}

// clear empties the stage for the next remittance.
func (s *itemStage) clear(ctx context.Context) error {
	for _, q := range []string{`DELETE FROM temp.item_stage`, `DELETE FROM temp.stage_blocks`} {
		if _, err := s.tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	s.rows.close()
	s.blocks = s.blocks[:0]
	return nil
}

// record writes the staged items of remittance id with insert (an INSERT …
// SELECT as for write, taking id then args) and marks their receivables
// remitted.
//
// A remittance that is a large share of its table rebuilds the indexes it
// would otherwise update row by row: an index built at once sorts its keys,
// where one kept up to date seeks once per row, at random for keys that do
// not follow the insertion order (mandate, receivable). Measured on 900,000
// items: 4.4 s of upkeep for the three full item indexes against 1.2 s to
// build them again over the whole table (1.3 µs a row), so a rebuild pays
// from about a quarter of the rows: the threshold is a third. Removing 1M
// receivables from receivables_pointed costs 0.8 s, rebuilding it 0.08 s a
// million rows of the table: the threshold is a tenth. The two partial item
// indexes (_e2e, _again) are kept: new items are almost never in them.
// The decision is per remittance, so a run split in many parts may rebuild
// for each of its first parts; each rebuild still costs less than the upkeep
// it replaces.
func (s *itemStage) record(ctx context.Context, id int64, insert string, args ...any) error {
	n := int64(s.rows.len())
	items, err := maxRowID(ctx, s.tx, "remittance_items")
	if err != nil {
		return err
	}
	err = withIndexesDropped(ctx, s.tx, n*3 >= items+n, func() error {
		return s.write(ctx, insert, append([]any{id}, args...)...)
	}, "remittance_items_remittance", "remittance_items_receivable", "remittance_items_mandate")
	if err != nil {
		return err
	}
	receivables, err := maxRowID(ctx, s.tx, "receivables")
	if err != nil {
		return err
	}
	// The stage's rowids are the receivables: SQLite walks them in order,
	// with no list of the remittance's items to build and sort first.
	err = withIndexesDropped(ctx, s.tx, n*10 >= receivables, func() error {
		_, err := s.tx.ExecContext(ctx, `UPDATE receivables SET status = 'remitted', refusal = ''
			WHERE id IN (SELECT receivable_id FROM temp.item_stage)`)
		return err
	}, "receivables_pointed")
	if err != nil {
		return err
	}
	return s.clear(ctx)
}

func maxRowID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(rowid), 0) FROM `+table).Scan(&n)
	return n, err
}

// withIndexesDropped runs fn; when drop is true, it drops the named
// indexes first and creates them again after, from their own definitions
// (sqlite_master), in the same transaction.
func withIndexesDropped(ctx context.Context, tx *sql.Tx, drop bool, fn func() error, names ...string) error {
	if !drop {
		return fn()
	}
	defs := make([]string, len(names))
	for i, name := range names {
		if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&defs[i]); err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, def := range defs {
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return err
		}
	}
	return nil
}

// pointedScan is the FROM clause hint for reading a creditor's pointed
// receivables of one method: through the partial index when they are a
// small part of the table, straight through the table (one sequential
// pass, much cheaper than a lookup per row) when they are a large part.
func pointedScan(ctx context.Context, tx *sql.Tx, creditorID int64, method string) (string, error) {
	var pointed, rows int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM receivables WHERE creditor_id = ? AND status = 'pointed' AND method = ?`,
		creditorID, method).Scan(&pointed); err != nil {
		return "", err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM receivables`).Scan(&rows); err != nil {
		return "", err
	}
	if pointed*4 > rows {
		return "NOT INDEXED", nil
	}
	return "", nil
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
