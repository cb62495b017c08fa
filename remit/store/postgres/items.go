package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/store"
)

// reserveIDs takes n consecutive ids of table's identity column for the
// caller, and returns the first: a run's new debtor snapshots and a
// remittance's items have consecutive ids (a collection écriture finds its
// items by their rank), which runs of other creditors writing the same tables at
// the same time must not break. The sequence is taken forward under an
// advisory lock (LockKey, -1) held for that moment only: sequences are not
// transactional, so the ids stay taken even should the run roll back, and
// the next run never waits for this one to end.
func (s *Store) reserveIDs(ctx context.Context, q pgx.Tx, table string, n int) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	seq := `pg_get_serial_sequence('` + table + `', 'id')`
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_lock($1, -1)`, s.ns)
	var base int64
	b.Queue(`SELECT setval(`+seq+`, nextval(`+seq+`) + $1 - 1) - $1 + 1`, int64(n)).QueryRow(func(row pgx.Row) error {
		return row.Scan(&base)
	})
	b.Queue(`SELECT pg_advisory_unlock($1, -1)`, s.ns)
	if err := q.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("%s: taking %d ids: %w", table, n, err)
	}
	return base, nil
}

// copyBatch is how many rows one COPY writes while a stage is filled.
const copyBatch = 8192

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
	if err := t.flush(ctx); err != nil {
		return err
	}
	n := 0
	for i, k := range keys {
		if ids[i] = k.Latest; k.Latest == 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	base, err := t.s.reserveIDs(ctx, t.q, "debtor_snapshots", n)
	if err != nil {
		return err
	}
	if _, err := t.q.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS snapshot_keys (id bigint NOT NULL, customer_id bigint NOT NULL,
		mandate_id bigint) ON COMMIT DROP`); err != nil {
		return err
	}
	rows := make([][]any, 0, min(n, copyBatch))
	for i, k := range keys {
		if k.Latest != 0 {
			continue
		}
		var mandate any
		if k.Mandate != 0 {
			mandate = k.Mandate
		}
		ids[i], base = base, base+1
		rows = append(rows, []any{ids[i], k.Customer, mandate})
		if n--; len(rows) == copyBatch || n == 0 {
			if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"snapshot_keys"}, []string{"id", "customer_id", "mandate_id"},
				pgx.CopyFromRows(rows)); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	_, err = t.q.Exec(ctx, `INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, street, building,
			postcode, town, country, iban, bic, bank_name, siren, rum, mandate_signed)
		SELECT k.id, c.id, m.id, `+snapshotOf+`
		FROM snapshot_keys k JOIN customers c ON c.id = k.customer_id LEFT JOIN mandates m ON m.id = k.mandate_id
		ORDER BY k.id`)
	if err != nil {
		return err
	}
	_, err = t.q.Exec(ctx, `TRUNCATE snapshot_keys`)
	return err
}

// itemStage writes a remittance's items: copied into a temporary table
// (COPY, a batch at a time), then written by one INSERT … SELECT that joins
// them to their receivables and numbers them in file order.
type itemStage struct {
	q    pgx.Tx
	rows [][]any
	n    int
}

func newItemStage(ctx context.Context, q pgx.Tx) (*itemStage, error) {
	for _, s := range []string{
		`CREATE TEMP TABLE item_stage (receivable_id bigint NOT NULL, block integer NOT NULL, position integer NOT NULL,
			debtor_id bigint NOT NULL) ON COMMIT DROP`,
		`CREATE TEMP TABLE stage_blocks (block integer PRIMARY KEY, coll text NOT NULL, seq text NOT NULL) ON COMMIT DROP`,
	} {
		if _, err := q.Exec(ctx, s); err != nil {
			return nil, err
		}
	}
	return &itemStage{q: q, rows: make([][]any, 0, copyBatch)}, nil
}

// add queues one item, copying a full batch.
func (s *itemStage) add(ctx context.Context, r store.ItemRef) error {
	s.rows = append(s.rows, []any{r.Receivable, r.Block, r.Position, r.Debtor})
	s.n++
	if len(s.rows) < copyBatch {
		return nil
	}
	return s.copy(ctx)
}

func (s *itemStage) copy(ctx context.Context) error {
	if len(s.rows) == 0 {
		return nil
	}
	_, err := s.q.CopyFrom(ctx, pgx.Identifier{"item_stage"}, []string{"receivable_id", "block", "position", "debtor_id"},
		pgx.CopyFromRows(s.rows))
	s.rows = s.rows[:0]
	return err
}

// clear empties the stage for the next remittance.
func (s *itemStage) clear(ctx context.Context) error {
	s.rows, s.n = s.rows[:0], 0
	_, err := s.q.Exec(ctx, `TRUNCATE item_stage, stage_blocks`)
	return err
}

// debitItemsInsert writes a direct-debit remittance's staged items, with
// the EndToEndIds and amendments NoteDebit noted (extras: plan_extras, or
// none), ids from $2 in file order (argument $1: the remittance).
func debitItemsInsert(extras bool) string {
	e2e, iban, rum, ics, join := "r.document", "''", "''", "''", ""
	if extras {
		e2e, iban, rum, ics = "COALESCE(x.e2e, r.document)", "COALESCE(x.amend_iban, '')", "COALESCE(x.amend_rum, '')", "COALESCE(x.amend_ics, '')"
		join = " LEFT JOIN plan_extras x ON x.receivable_id = s.receivable_id"
	}
	return `INSERT INTO remittance_items (id, remittance_id, block, collection_date, sequence_type, receivable_id,
		position, debtor_id, amount, due_date, end_to_end_id, document, label, issue_date, acceptance, mandate_id, journal,
		amend_iban, amend_rum, amend_ics)
	SELECT $2 + row_number() OVER (ORDER BY s.block, s.position) - 1, $1, s.block, b.coll, b.seq, r.id, s.position, s.debtor_id,
		r.amount, r.due_date, ` + e2e + `, r.document, r.label, r.issue_date, r.acceptance, r.mandate_id, r.journal, ` + iban + `, ` + rum + `, ` + ics + `
	FROM item_stage s JOIN receivables r ON r.id = s.receivable_id JOIN stage_blocks b ON b.block = s.block` + join
}

// billItemsInsert writes an LCR remittance's staged items, one block, each
// collected on its due date; a bill without an issue date is drawn on the
// day given (arguments: the remittance, the first id, that day).
const billItemsInsert = `INSERT INTO remittance_items (id, remittance_id, block, issue_date, receivable_id,
		position, debtor_id, amount, due_date, collection_date, end_to_end_id, document, label, acceptance, journal)
	SELECT $2 + row_number() OVER (ORDER BY s.position) - 1, $1, 1, CASE WHEN r.issue_date = '' THEN $3 ELSE r.issue_date END,
		r.id, s.position, s.debtor_id, r.amount, r.due_date, r.due_date, r.document, r.document, r.label, r.acceptance, r.journal
	FROM item_stage s JOIN receivables r ON r.id = s.receivable_id`

// chequeItemsInsert writes a remise de chèques' staged items, one block,
// deposited on the day given (arguments: the remittance, the first id,
// that day).
const chequeItemsInsert = `INSERT INTO remittance_items (id, remittance_id, block, receivable_id, position, debtor_id, amount, due_date,
		collection_date, end_to_end_id, document, label, issue_date, journal, cheque_number, drawer_bank)
	SELECT $2 + row_number() OVER (ORDER BY s.position) - 1, $1, 1, r.id, s.position, s.debtor_id, r.amount, r.due_date, $3,
		r.document, r.document, r.label, r.issue_date, r.journal, r.cheque_number, r.drawer_bank
	FROM item_stage s JOIN receivables r ON r.id = s.receivable_id`

// RecordItems copies a remittance's items into the stage, writes them with
// one INSERT … SELECT, and marks their receivables remitted: each must
// still be pointed, or nothing of the run stays.
func (t *runTx) RecordItems(ctx context.Context, remittanceID int64, shape store.ItemShape, blocks []store.BlockKey,
	items func(yield func(store.ItemRef) error) error) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	if t.stage == nil {
		var err error
		if t.stage, err = newItemStage(ctx, t.q); err != nil {
			return err
		}
	}
	st := t.stage
	if err := items(func(r store.ItemRef) error { return st.add(ctx, r) }); err != nil {
		return err
	}
	if err := st.copy(ctx); err != nil {
		return err
	}
	for i, b := range blocks {
		if _, err := t.q.Exec(ctx, `INSERT INTO stage_blocks VALUES ($1, $2, $3)`, i+1, b.Collection, b.Sequence); err != nil {
			return err
		}
	}
	if st.n > 1000 {
		// The planner knows nothing of a temporary table it has not analysed.
		if _, err := t.q.Exec(ctx, `ANALYZE item_stage`); err != nil {
			return err
		}
	}
	base, err := t.s.reserveIDs(ctx, t.q, "remittance_items", st.n)
	if err != nil {
		return err
	}
	var tag interface{ RowsAffected() int64 }
	switch shape {
	case store.DebitItems:
		tag, err = t.q.Exec(ctx, debitItemsInsert(t.notes != nil && t.notes.created), remittanceID, base)
	case store.BillItems:
		tag, err = t.q.Exec(ctx, billItemsInsert, remittanceID, base, blocks[0].Collection)
	case store.ChequeItems:
		tag, err = t.q.Exec(ctx, chequeItemsInsert, remittanceID, base, blocks[0].Collection)
	default:
		return fmt.Errorf("item shape %d: unknown", shape)
	}
	if err != nil {
		return err
	}
	if n := tag.RowsAffected(); n != int64(st.n) {
		return fmt.Errorf("remittance %d: %d items staged, %d recorded", remittanceID, st.n, n)
	}
	tag, err = t.q.Exec(ctx, `UPDATE receivables r SET status = 'remitted', refusal = '' FROM item_stage s
		WHERE r.id = s.receivable_id AND r.status = 'pointed'`)
	if err != nil {
		return err
	}
	if n := tag.RowsAffected(); n != int64(st.n) {
		return fmt.Errorf("remittance %d: %d of its %d receivables were no longer pointed: nothing was recorded, run it again",
			remittanceID, int64(st.n)-n, st.n)
	}
	if shape == store.DebitItems {
		if err := noteCollections(ctx, t.q, remittanceID); err != nil {
			return err
		}
	}
	return st.clear(ctx)
}
