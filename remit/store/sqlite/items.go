package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit/internal/spill"
	"github.com/remit-dev/remit/remit/store"
)

// snapshotOf is what a debtor snapshot keeps (its columns from customer
// to mandate_signed) of customer c and mandate m (NULLs for none): the
// account debited is the mandate's when it names one, else the customer's.
// A run writes snapshots with it, and compares a mandate's latest with it.
const snapshotOf = `c.account, c.name, c.street, c.building, c.postcode, c.town, c.country,
	CASE WHEN COALESCE(m.iban, '') = '' THEN c.iban ELSE m.iban END,
	CASE WHEN COALESCE(m.iban, '') = '' THEN c.bic ELSE m.bic END,
	c.bank_name, c.siren, COALESCE(m.rum, ''), COALESCE(m.signed_on, '')`

// WriteSnapshots gives the run's debtors their snapshots: its Latest to a
// debtor that has one, and to the others new ones, as their files name them
// from the customers and mandates as they are now, with consecutive ids.
func (t *runTx) WriteSnapshots(ctx context.Context, keys []store.DebtorKey, ids []int64) error {
	tx := t.q
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM debtor_snapshots`).Scan(&base); err != nil {
		return err
	}
	for _, q := range []string{`DROP TABLE IF EXISTS temp.snapshot_keys`,
		`CREATE TEMP TABLE snapshot_keys (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, mandate_id INTEGER)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	ins := newBatchInsert(tx, "temp.snapshot_keys", 3)
	defer ins.close()
	next := base
	for i, k := range keys {
		if ids[i] = k.Latest; k.Latest != 0 {
			continue
		}
		ids[i], next = next, next+1
		mandate := sql.NullInt64{Int64: k.Mandate, Valid: k.Mandate != 0}
		if err := ins.add(ctx, ids[i], k.Customer, mandate); err != nil {
			return err
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, street, building,
			postcode, town, country, iban, bic, bank_name, siren, rum, mandate_signed)
		SELECT k.id, c.id, m.id, `+snapshotOf+`
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
	rows   *spill.Spill[store.ItemRef] // by receivable
	blocks []store.BlockKey            // block n+1
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
	byID := func(a, b store.ItemRef) int { return cmp.Compare(a.Receivable, b.Receivable) }
	return &itemStage{tx: tx, rows: spill.New(byID, stagedSize, putStaged, getStaged)}, nil
}

// close releases the stage's spill.
func (s *itemStage) close() { s.rows.Close() }

// write runs query, an INSERT … SELECT reading temp.item_stage (s) in
// receivable order and temp.stage_blocks, over the queued items; clear
// empties the stage for the next remittance.
func (s *itemStage) write(ctx context.Context, query string, args ...any) error {
	ins := newBatchInsert(s.tx, "temp.item_stage", 4)
	defer ins.close()
	err := s.rows.Each(nil, nil, func(r store.ItemRef) error {
		return ins.add(ctx, r.Receivable, int64(r.Block), int64(r.Position), r.Debtor)
	})
	if err != nil {
		return err
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	for i, b := range s.blocks {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO temp.stage_blocks VALUES (?, ?, ?)`, i+1, b.Collection, b.Sequence); err != nil {
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
	s.rows.Close()
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
	n := int64(s.rows.Len())
	items, err := maxRowID(ctx, s.tx, "remittance_items")
	if err != nil {
		return err
	}
	err = withIndexesDropped(ctx, s.tx, n*3 >= items+n, func() error {
		return s.write(ctx, insert, append([]any{id}, args...)...)
	}, "remittance_items_remittance", "remittance_items_receivable", "remittance_items_remittance_mandate")
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

const stagedSize = 24

func putStaged(b []byte, v store.ItemRef) {
	binary.LittleEndian.PutUint64(b, uint64(v.Receivable))
	binary.LittleEndian.PutUint64(b[8:], uint64(v.Debtor))
	binary.LittleEndian.PutUint32(b[16:], uint32(v.Block))
	binary.LittleEndian.PutUint32(b[20:], uint32(v.Position))
}

func getStaged(b []byte) store.ItemRef {
	return store.ItemRef{Receivable: int64(binary.LittleEndian.Uint64(b)), Debtor: int64(binary.LittleEndian.Uint64(b[8:])),
		Block: int32(binary.LittleEndian.Uint32(b[16:])), Position: int32(binary.LittleEndian.Uint32(b[20:]))}
}

// debitItemsInsert writes a direct-debit remittance's staged items, with the
// EndToEndIds and amendments NoteDebit noted in temp.plan_extras (argument:
// the remittance).
const debitItemsInsert = `INSERT INTO remittance_items (remittance_id, block, collection_date, sequence_type, receivable_id,
		position, debtor_id, amount, due_date, end_to_end_id, document, label, issue_date, acceptance, mandate_id, journal,
		amend_iban, amend_rum, amend_ics)
	SELECT ?, s.block, b.coll, b.seq, r.id, s.position, s.debtor_id, r.amount, r.due_date, COALESCE(x.e2e, r.document), r.document,
		r.label, r.issue_date, r.acceptance, r.mandate_id, r.journal,
		COALESCE(x.amend_iban, ''), COALESCE(x.amend_rum, ''), COALESCE(x.amend_ics, '')
	FROM temp.item_stage s CROSS JOIN receivables r ON r.id = s.receivable_id
		CROSS JOIN temp.stage_blocks b ON b.block = s.block
		LEFT JOIN temp.plan_extras x ON x.receivable_id = s.receivable_id
	ORDER BY s.block, s.position`

// billItemsInsert writes an LCR remittance's staged items, one block, each
// collected on its due date; a bill without an issue date is drawn on the
// day given (arguments: the remittance, that day).
const billItemsInsert = `INSERT INTO remittance_items (remittance_id, block, issue_date, receivable_id,
		position, debtor_id, amount, due_date, collection_date, end_to_end_id, document, label, acceptance, journal)
	SELECT ?, 1, CASE WHEN r.issue_date = '' THEN ? ELSE r.issue_date END, r.id, s.position, s.debtor_id, r.amount,
		r.due_date, r.due_date, r.document, r.document, r.label, r.acceptance, r.journal
	FROM temp.item_stage s CROSS JOIN receivables r ON r.id = s.receivable_id
	ORDER BY s.position`

// RecordItems stages a remittance's items, then writes them with one
// INSERT … SELECT and marks their receivables remitted (itemStage.record).
func (t *runTx) RecordItems(ctx context.Context, remittanceID int64, shape store.ItemShape, blocks []store.BlockKey,
	items func(yield func(store.ItemRef) error) error) error {
	if t.stage == nil {
		var err error
		if t.stage, err = newItemStage(ctx, t.q); err != nil {
			return err
		}
	}
	t.stage.blocks = append(t.stage.blocks[:0], blocks...)
	if err := items(t.stage.rows.Add); err != nil {
		return err
	}
	switch shape {
	case store.DebitItems:
		if err := t.stage.record(ctx, remittanceID, debitItemsInsert); err != nil {
			return err
		}
		return noteCollections(ctx, t.q, remittanceID)
	case store.BillItems:
		return t.stage.record(ctx, remittanceID, billItemsInsert, blocks[0].Collection)
	case store.ChequeItems:
		return t.stage.record(ctx, remittanceID, chequeItemsInsert, blocks[0].Collection)
	}
	return fmt.Errorf("item shape %d: unknown", shape)
}
