package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/store/internal/storetest"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// sqliteWith returns a new SQLite database holding the statements' rows.
func sqliteWith(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := sqlite.Init(path, sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	sqliteExec(t, path, stmts...)
	return path
}

func sqliteExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	st, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range stmts {
		if _, err := st.SQL().Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

func pgQuery(t *testing.T, dsn, query string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), query).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func pgExec(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, q := range stmts {
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// pgCount is the rows of every table of the PostgreSQL database.
func pgCount(t *testing.T, dsn string) int64 {
	t.Helper()
	var total int64
	for _, tb := range tables {
		var n int64
		pgQuery(t, dsn, `SELECT count(*) FROM `+tb.name, &n)
		total += n
	}
	return total
}

// The tables Copy knows are the schema's, each after those it references.
func TestTablesInDependencyOrder(t *testing.T) {
	path := sqliteWith(t)
	st, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.SQL().Query(`SELECT m.name, f."table" FROM sqlite_master m LEFT JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	pos := map[string]int{}
	for i, tb := range tables {
		pos[tb.name] = i
	}
	seen := map[string]bool{}
	for rows.Next() {
		var name string
		var ref sql.NullString
		if err := rows.Scan(&name, &ref); err != nil {
			t.Fatal(err)
		}
		seen[name] = true
		i, ok := pos[name]
		if !ok {
			t.Errorf("table %s is not in dbcopy's list: a copy would refuse every database", name)
			continue
		}
		if ref.Valid && ref.String != name && pos[ref.String] >= i {
			t.Errorf("%s references %s, which is copied after it", name, ref.String)
		}
	}
	for _, tb := range tables {
		if !seen[tb.name] {
			t.Errorf("dbcopy copies %s, which the schema does not have", tb.name)
		}
	}
}

// SQLite → PostgreSQL → SQLite: each table arrives with the same rows and
// content hash, and a row inserted afterwards without an id gets a new one.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	// The last écriture's lines are numbered past every stored line, and
	// a kept reversal's past those.
	src := sqliteWith(t, append(storetest.Dataset(),
		`UPDATE collection_ecritures SET first_id = first_id + 10000, last_id = last_id + 10000 WHERE remittance_id = 5`,
		`UPDATE collection_reversals SET first_id = first_id + 20000, last_id = last_id + 20000 WHERE remittance_id = 4`)...)
	dsn := pgtest.DSN(t) // empty: Copy creates the tables
	var progress []string
	rep, err := Copy(ctx, src, dsn, Options{Progress: func(table string, n int64) { progress = append(progress, fmt.Sprint(table, n)) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != src || rep.To != dsn || len(rep.Tables) != len(tables) {
		t.Errorf("report: %+v", rep)
	}
	want := map[string]int64{"creditors": 2, "customers": 7, "receivables": 16, "remittance_items": 14, "entry_lines": 7,
		"collection_ecritures": 5, "collection_reversals": 4, "mandate_history": 3}
	for _, tb := range rep.Tables {
		if n, ok := want[tb.Name]; ok && tb.Rows != n {
			t.Errorf("%s: %d rows, want %d", tb.Name, tb.Rows, n)
		}
		if len(tb.SHA256) != 64 {
			t.Errorf("%s: sha256 %q", tb.Name, tb.SHA256)
		}
	}
	if rep.Rows() != pgCount(t, dsn) {
		t.Errorf("report says %d rows, the database holds %d", rep.Rows(), pgCount(t, dsn))
	}
	if len(progress) != len(tables) || progress[0] != "creditors2" {
		t.Errorf("progress: %v", progress)
	}
	// The copy gathered the planner's statistics (autovacuum's own
	// analyze sets last_autoanalyze, not last_analyze).
	var unanalyzed int64
	pgQuery(t, dsn, `SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = current_schema() AND last_analyze IS NULL`, &unanalyzed)
	if unanalyzed != 0 {
		t.Errorf("%d tables without statistics after the copy", unanalyzed)
	}

	back := filepath.Join(t.TempDir(), "back.db") // does not exist yet
	rep2, err := Copy(ctx, dsn, back, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Tables, rep2.Tables) {
		t.Errorf("back in SQLite, the tables differ:\n%v\n%v", rep.Tables, rep2.Tables)
	}

	// PostgreSQL's sequences are past the ids copied, entry_lines' past
	// the lines of the collection écritures and their kept reversals too.
	pgExec(t, dsn,
		`INSERT INTO customers (creditor_id, account, name) VALUES (1, '411NEW', 'New')`,
		`INSERT INTO entry_lines (creditor_id, number, line, kind, remittance_id, journal, journal_label, date, account, account_label,
			piece_ref, piece_date, label, debit, created_on) VALUES (1, 99, 1, 'fee', 1, 'BQ1', 'BNP', '2026-12-30', '627000', 'Frais',
			'X', '2026-12-30', 'Frais', 1, '2026-12-30')`,
		`INSERT INTO remittances (creditor_id, kind, created_at, item_count, total) VALUES (1, 'sdd', '2026-12-30T09:00:00', 0, 0)`)
	var customer, entry, lastLine, remittance int64
	pgQuery(t, dsn, `SELECT (SELECT max(id) FROM customers), (SELECT max(id) FROM entry_lines), (SELECT max(last_id) FROM collection_reversals),
		(SELECT max(id) FROM remittances)`, &customer, &entry, &lastLine, &remittance)
	if customer != 8 || remittance != 7 || lastLine <= 20000 || entry != lastLine+1 {
		t.Errorf("new ids: customer %d (want 8), remittance %d (want 7), entry line %d (want %d)", customer, remittance, entry, lastLine+1)
	}
}

// A target holding rows is refused, and left as it was.
func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	ctx := context.Background()
	src := sqliteWith(t, storetest.Dataset()...)
	dsn := pgtest.DSN(t)
	if _, err := Copy(ctx, src, dsn, Options{}); err != nil {
		t.Fatal(err)
	}
	before := pgCount(t, dsn)
	_, err := Copy(ctx, src, dsn, Options{})
	if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "creditors, customers, mandates") {
		t.Fatalf("second copy: %v", err)
	}
	if after := pgCount(t, dsn); after != before {
		t.Errorf("%d rows before, %d after", before, after)
	}

	one := sqliteWith(t, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES ('a.csv', 'x', '2026-12-02T09:00:00', 0, 0, 0, 0, 0)`)
	_, err = Copy(ctx, dsn, one, Options{})
	if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "(imports hold rows)") {
		t.Fatalf("into an SQLite file with an import: %v", err)
	}
}

// What the target holds is read back before the commit: a difference (here
// a trigger that changes names) and nothing is kept.
func TestCopyChecksTheTarget(t *testing.T) {
	src := sqliteWith(t, storetest.Dataset()...)
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	pgExec(t, dsn, `CREATE FUNCTION upper_name() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$`,
		`CREATE TRIGGER upper_name BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION upper_name()`)
	_, err := Copy(context.Background(), src, dsn, Options{})
	if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "table customers: 7 rows sent") {
		t.Fatalf("error %v, want a mismatch on customers", err)
	}
	if n := pgCount(t, dsn); n != 0 {
		t.Errorf("%d rows kept", n)
	}
}

// A value PostgreSQL cannot take is named (table, row, column, why) and
// nothing is copied.
func TestCopyBadSourceValues(t *testing.T) {
	for _, c := range []struct{ update, want string }{
		{`UPDATE receivables SET amount = 'abc' WHERE id = 27`, `table receivables, row id 27: column amount: the text "abc" in an integer column`},
		{`UPDATE customers SET name = CAST(X'446FFF' AS TEXT) WHERE id = 2`, `table customers, row id 2: column name: "Do\xff" is not valid UTF-8`},
		{`UPDATE customers SET town = CAST(X'50610072' AS TEXT) WHERE id = 3`, `table customers, row id 3: column town: "Pa\x00r" holds a NUL character`},
		{`UPDATE remittances SET params = X'00' WHERE id = 1`, `table remittances, row id 1: column params: a blob of 1 bytes where remit keeps text`},
		{`UPDATE returns SET fee = 5.5`, `table returns, row id 1: column fee: the real number 5.5 where remit keeps integers`},
	} {
		t.Run(c.update, func(t *testing.T) {
			src := sqliteWith(t, storetest.Dataset()...)
			sqliteExec(t, src, c.update)
			dsn := pgtest.DSN(t)
			_, err := Copy(context.Background(), src, dsn, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "correct it in the source") {
				t.Fatalf("error %v\nwant %s", err, c.want)
			}
			if n := pgCount(t, dsn); n != 0 {
				t.Errorf("%d rows kept", n)
			}
		})
	}
}

// A PostgreSQL database the server does not have is created.
func TestCopyCreatesTheDatabase(t *testing.T) {
	base := pgtest.DSN(t)
	u, _ := url.Parse(base)
	name := fmt.Sprintf("remit_copy_%d", time.Now().UnixNano())
	u.Path = "/" + name
	t.Cleanup(func() {
		a, _ := url.Parse(base)
		a.Path = "/postgres"
		pgExec(t, a.String(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	src := sqliteWith(t, storetest.Dataset()...)
	if _, err := Copy(context.Background(), src, u.String(), Options{}); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, u.String()); n == 0 {
		t.Error("nothing copied")
	}
}

// A source of another version is refused as every command refuses it.
func TestCopyOlderSource(t *testing.T) {
	src := sqliteWith(t, `PRAGMA user_version = 6`)
	dst := filepath.Join(t.TempDir(), "new.db")
	_, err := Copy(context.Background(), src, dst, Options{})
	if !errors.Is(err, sqlite.ErrSchemaOld) || !strings.HasPrefix(err.Error(), "source: ") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Error("the target was created")
	}
}

// A target another session is writing: busy after Wait, nothing done.
func TestCopyBusyTarget(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE customers IN ROW EXCLUSIVE MODE`); err != nil { // as an INSERT does
		t.Fatal(err)
	}
	src := sqliteWith(t, storetest.Dataset()...)
	start := time.Now()
	_, err = Copy(ctx, src, dsn, Options{Wait: 300 * time.Millisecond})
	if !errors.Is(err, postgres.ErrBusy) {
		t.Fatalf("error %v, want busy", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 10*time.Second {
		t.Errorf("gave up after %s", d)
	}
	tx.Rollback(ctx)
	if n := pgCount(t, dsn); n != 0 {
		t.Errorf("%d rows written", n)
	}
}
