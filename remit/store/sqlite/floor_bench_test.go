package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store"
)

// BenchmarkSQLiteFloor measures what any remittance run must pay the
// pure-Go SQLite per receivable, whatever remit does around it: read the
// pointed receivables in due-date order, mark them remitted, and write one
// row per item. Multiplied by a million, these are the floor under the
// `make bench` figures (reported as ns/row).
func BenchmarkSQLiteFloor(b *testing.B) {
	const rows = 100_000
	path := filepath.Join(b.TempDir(), "floor.db")
	if _, _, err := Init(path, Options{}); err != nil {
		b.Fatal(err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO creditors (id, code, name, created_at, updated_at) VALUES (1, 'ACME', 'ACME', '', '')`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
			INSERT INTO customers (id, creditor_id, account, name) SELECT i, 1, '411C' || i, 'Client ' || i FROM n`,
		`INSERT INTO mandates (id, creditor_id, customer_id, rum, signed_on) SELECT id, 1, id, 'RUM-' || id, '2024-01-15' FROM customers`,
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
			INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount, method, mandate_id, label, status, line_hash)
			SELECT 1, printf('F%08d', i), 1 + i % 10000, date('2026-12-01', '+' || (i % 250) || ' days'), 1000 + i, 'sdd',
				1 + i % 10000, 'Facture ' || i, 'pointed', hex(randomblob(32)) FROM n`,
		`INSERT INTO remittances (id, creditor_id, kind, created_at, item_count, total) VALUES (1, 1, 'sdd', '', 0, 0)`,
		`INSERT INTO debtor_snapshots (id, customer_id, customer, name) VALUES (1, 1, '411C1', 'Client 1')`,
	} {
		if _, err := st.db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	perRow := func(b *testing.B, fn func(tx *sql.Tx) error) {
		b.Helper()
		for b.Loop() {
			tx, release, err := st.beginBulk(ctx) // as the runs write
			if err != nil {
				b.Fatal(err)
			}
			if err := fn(tx); err != nil {
				b.Fatal(err)
			}
			release()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
	}
	b.Run("scan-by-due-date", func(b *testing.B) {
		perRow(b, func(tx *sql.Tx) error {
			r, err := tx.Query(`SELECT id, document, amount, currency, due_date, customer_id, mandate_id, refusal != ''
				FROM receivables NOT INDEXED WHERE creditor_id = 1 AND status = 'pointed' AND method = 'sdd' ORDER BY due_date, id`)
			if err != nil {
				return err
			}
			defer r.Close()
			for r.Next() {
				var id, amount, cust, mandate int64
				var doc, cur, due string
				var refused bool
				if err := r.Scan(&id, &doc, &amount, &cur, &due, &cust, &mandate, &refused); err != nil {
					return err
				}
			}
			return r.Err()
		})
	})
	b.Run("mark-remitted", func(b *testing.B) {
		perRow(b, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE receivables SET status = 'remitted' WHERE creditor_id = 1 AND status = 'pointed'`)
			return err
		})
	})
	b.Run("insert-item-rows", func(b *testing.B) {
		perRow(b, func(tx *sql.Tx) error {
			// remit's own item writer, fed the way a run feeds it.
			stage, err := newItemStage(ctx, tx)
			if err != nil {
				return err
			}
			defer stage.close()
			if _, err := tx.Exec(planExtrasTable); err != nil {
				return err
			}
			stage.blocks = append(stage.blocks, store.BlockKey{Collection: "2026-12-01", Sequence: "RCUR"})
			for i := 1; i <= rows; i++ {
				if err := stage.rows.Add(store.ItemRef{Receivable: int64(i), Debtor: 1, Block: 1, Position: int32(i)}); err != nil {
					return err
				}
			}
			return stage.write(ctx, debitItemsInsert, int64(1))
		})
	})
}
