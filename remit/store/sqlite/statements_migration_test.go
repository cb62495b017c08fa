package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// tableRows dumps every row of a table, every column quoted, in rowid order.
func tableRows(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	b.WriteString(strings.Join(cols, ",") + "\n")
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case []byte:
				b.WriteString(string(x))
			default:
				fmt.Fprint(&b, x)
			}
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMigrationStatementsKeepsRows: upgrading a database of version 10
// widens the checks of receivables, returns and entry_lines in place:
// every row keeps its values and id, the other tables' references still
// hold, the indexes and the entries view are there, and the new values are
// taken (a written-off receivable, a return seen on a statement, treasury
// écritures without a remittance) while others are still refused.
func TestMigrationStatementsKeepsRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v10.db")
	db := oldDatabase(t, path, 10)
	for _, q := range []string{
		`INSERT INTO receivables (id, creditor_id, document, customer_id, due_date, amount, method, status, refusal, refused_at, refusal_todo, line_hash, import_id)
			VALUES (2, 1, 'F2', 1, '2026-11-05', 2500, 'lcr', 'pointed', 'no IBAN', '2026-11-01T10:00:00', 'correct', 'h2', 3)`,
		`INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, iban) VALUES (1, 1, 1, '411A', 'Alpha SA', 'FR7630006000011234567890189')`,
		`INSERT INTO remittance_items (id, remittance_id, receivable_id, position, block, amount, due_date, collection_date, end_to_end_id,
				document, mandate_id, sequence_type, debtor_id, status)
			VALUES (7, 1, 1, 1, 1, 10000, '2026-10-05', '2026-10-05', 'F1', 'F1', 1, 'FRST', 1, 'rejected')`,
		`INSERT INTO returns (id, creditor_id, item_id, source, file, reason, returned_on, settled, fee, created_at)
			VALUES (3, 1, 7, 'pain.002', 'rej.xml', 'AM04', '2026-10-06', 0, 250, '2026-10-06T09:00:00')`,
		`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, journal, journal_label,
				date, account, account_label, aux_account, aux_label, piece_ref, piece_date, label, debit, credit, created_on)
			VALUES (40, 1, 5, 1, 'return', 1, 7, 1, 3, 'BQ', 'Banque', '2026-10-06', '411000', 'Clients', '411A', 'Alpha SA', 'F1', '2026-10-06',
				'Rejet F1 AM04', 10000, 0, '2026-10-06'),
			(41, 1, 5, 2, 'return', 1, 7, NULL, 3, 'BQ', 'Banque', '2026-10-06', '512000', 'Banques', '', '', 'F1', '2026-10-06',
				'Rejet F1 AM04', 0, 10000, '2026-10-06')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tables := []string{"receivables", "returns", "entry_lines", "entries", "remittance_items", "banks"}
	before := map[string]string{}
	for _, tb := range tables {
		before[tb] = tableRows(t, db, tb)
	}
	db.Close()
	if from, to, err := Init(path, Options{}); err != nil || from != 10 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	db, err := openDB(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range tables {
		after := tableRows(t, db, tb)
		if tb == "remittance_items" {
			after = strings.ReplaceAll(after, ",credited_on\n", "\n")
			after = strings.ReplaceAll(after, "|\n", "\n") // the new column, empty
		}
		if tb == "entry_lines" { // version 12's columns, NULL on these lines
			after = strings.ReplaceAll(after, ",payment_id,payable_id\n", "\n")
			after = strings.ReplaceAll(after, "|NULL|NULL\n", "\n")
		}
		if after != before[tb] {
			t.Errorf("%s after the upgrade:\n%s\nbefore:\n%s", tb, after, before[tb])
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&n); err != nil || n != 0 {
		t.Errorf("foreign_key_check: %d rows, %v", n, err)
	}
	var names string
	db.QueryRow(`SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index'
		AND tbl_name IN ('receivables', 'returns', 'entry_lines') AND sql IS NOT NULL ORDER BY name)`).Scan(&names)
	if want := "entries_payable entries_receivable entries_remittance receivables_pointed returns_creditor"; names != want {
		t.Errorf("indexes %q, want %q", names, want)
	}
	for _, tt := range []struct {
		sql string
		ok  bool
	}{
		{`UPDATE receivables SET status = 'written_off' WHERE id = 2`, true},
		{`UPDATE receivables SET status = 'lost' WHERE id = 2`, false},
		{`UPDATE returns SET source = 'statement' WHERE id = 3`, true},
		{`UPDATE returns SET source = 'fax' WHERE id = 3`, false},
		{`INSERT INTO entry_lines (creditor_id, number, line, kind, journal, journal_label, date, account, account_label, piece_ref, piece_date,
			label, debit, credit, created_on) VALUES (1, 6, 1, 'suspense', 'BQ', 'Banque', '2026-12-01', '512000', 'Banques', 'ATT1',
			'2026-12-01', 'Attente', 100, 0, '2026-12-01')`, true},
		{`INSERT INTO entry_lines (creditor_id, number, line, kind, journal, journal_label, date, account, account_label, piece_ref, piece_date,
			label, debit, credit, created_on) VALUES (1, 6, 2, 'gift', 'BQ', 'Banque', '2026-12-01', '471000', 'Attente', 'ATT1',
			'2026-12-01', 'Attente', 0, 100, '2026-12-01')`, false},
		{`INSERT INTO entry_lines (creditor_id, number, line, kind, remittance_id, journal, journal_label, date, account, account_label,
			piece_ref, piece_date, label, debit, credit, created_on) VALUES (1, 7, 1, 'return', 99, 'BQ', 'Banque', '2026-12-01', '512000',
			'Banques', 'X', '2026-12-01', 'X', 100, 0, '2026-12-01')`, false}, // no remittance 99: the references hold
	} {
		_, err := db.Exec(tt.sql)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.sql, err, tt.ok)
		}
	}
}
