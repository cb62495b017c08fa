package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
)

// Both stores name the same schema by the same version.
func TestSchemaVersionSameAsSQLite(t *testing.T) {
	if p, s := postgres.SchemaVersion(), sqlite.SchemaVersion(); p != s {
		t.Fatalf("PostgreSQL schema version %d, SQLite %d: a migration in one folder needs its twin in the other", p, s)
	}
}

// A column as both catalogues describe it.
type col struct {
	name     string
	integer  bool   // else text
	notNull  bool   // NOT NULL, or an INTEGER PRIMARY KEY
	dflt     string // the default's text, normalised
	identity bool   // numbered when inserted without a value
}

func (c col) String() string {
	kind := "text"
	if c.integer {
		kind = "integer"
	}
	s := c.name + " " + kind
	if c.notNull {
		s += " not null"
	}
	if c.dflt != "" {
		s += " default " + c.dflt
	}
	if c.identity {
		s += " identity"
	}
	return s
}

// Every table and view has the same columns in the same order, with the
// same NOT NULL and defaults; integers are integers and texts texts (in
// the C collation); the same indexes (names, columns, partial conditions),
// primary keys, unique constraints and foreign keys.
func TestSchemaMatchesSQLite(t *testing.T) {
	sdb, _ := newSQLite(t)
	pool, _ := newPostgres(t)
	ctx := context.Background()

	sObjects := map[string]string{}
	_, rows := sqliteRows(t, sdb, `SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`)
	for _, r := range rows {
		sObjects[r[0].(string)] = r[1].(string)
	}
	pObjects := map[string]string{}
	_, rows = pgRows(t, pool, `SELECT c.relname::text, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v')
		AND c.relname <> 'schema_version'`)
	for _, r := range rows {
		pObjects[r[0].(string)] = r[1].(string)
	}
	if fmt.Sprint(sObjects) != fmt.Sprint(pObjects) {
		t.Fatalf("tables and views differ:\nsqlite   %v\npostgres %v", sObjects, pObjects)
	}
	if len(sObjects) < 15 {
		t.Fatalf("only %d tables and views: %v", len(sObjects), sObjects)
	}

	for _, name := range slices.Sorted(mapKeys(sObjects)) {
		view := sObjects[name] == "view"
		s, p := sqliteColumns(t, sdb, name, view), pgColumns(t, pool, name, view)
		if fmt.Sprint(s) != fmt.Sprint(p) {
			t.Errorf("%s %s: columns differ:\nsqlite   %v\npostgres %v", sObjects[name], name, s, p)
		}
	}

	_, rows = pgRows(t, pool, `SELECT table_name::text, column_name::text FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'
		AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`)
	for _, r := range rows {
		t.Errorf("postgres: %s.%s is not in the C collation: it would sort otherwise than SQLite", r[0], r[1])
	}

	sameSet(t, "index", sqliteIndexes(t, sdb), pgIndexes(t, ctx, pool))
	sameSet(t, "key", sqliteKeys(t, sdb), pgKeys(t, pool))
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// noIdentity are INTEGER PRIMARY KEY columns of SQLite that are never
// numbered by the database: a collection écriture's key is its remittance's,
// and so is its kept reversal's, a mandate's collection summary's its
// mandate's.
var noIdentity = map[string]bool{"collection_ecritures.remittance_id": true, "collection_reversals.remittance_id": true,
	"mandate_collections.mandate_id": true}

func sqliteColumns(t *testing.T, db *sql.DB, table string, view bool) []col {
	_, rows := sqliteRows(t, db, fmt.Sprintf(`SELECT name, type, "notnull", dflt_value, pk,
		(SELECT count(*) FROM pragma_table_info('%[1]s') WHERE pk > 0) FROM pragma_table_info('%[1]s') ORDER BY cid`, table))
	var cols []col
	for _, r := range rows {
		c := col{name: r[0].(string)}
		if view { // a view's types are what its rows hold: TestViewsSameRows compares them
			cols = append(cols, c)
			continue
		}
		c.integer = r[1] == "INTEGER"
		if r[1] != "INTEGER" && r[1] != "TEXT" {
			t.Errorf("sqlite %s.%s: type %v", table, c.name, r[1])
		}
		{
			rowid := c.integer && r[4].(int64) == 1 && r[5].(int64) == 1 // INTEGER PRIMARY KEY
			c.notNull = r[2].(int64) == 1 || rowid
			if r[3] != nil {
				c.dflt = r[3].(string)
			}
			c.identity = rowid && !noIdentity[table+"."+c.name]
		}
		cols = append(cols, c)
	}
	return cols
}

var pgDefault = regexp.MustCompile(`^(.*?)(::text)?$`)

func pgColumns(t *testing.T, pool *pgxpool.Pool, table string, view bool) []col {
	_, rows := pgRows(t, pool, fmt.Sprintf(`SELECT column_name::text, data_type::text, is_nullable::text, column_default::text,
		is_identity::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '%s'
		ORDER BY ordinal_position`, table))
	var cols []col
	for _, r := range rows {
		c := col{name: r[0].(string)}
		if view {
			cols = append(cols, c)
			continue
		}
		switch r[1] {
		case "bigint", "integer":
			c.integer = true
		case "text":
		default:
			t.Errorf("postgres %s.%s: type %v", table, c.name, r[1])
		}
		{
			c.notNull = r[2] == "NO"
			if r[3] != nil {
				c.dflt = pgDefault.FindStringSubmatch(r[3].(string))[1]
			}
			c.identity = r[4] == "YES"
		}
		cols = append(cols, c)
	}
	return cols
}

// normPredicate reads a partial index's condition the same way whatever
// the database printed: without parentheses, casts and spaces, != for <>.
func normPredicate(s string) string {
	s = strings.NewReplacer("(", "", ")", "", "::text", "", " ", "", "<>", "!=").Replace(s)
	return s
}

// sqliteIndexes lists the indexes made with CREATE INDEX: "table.name(columns) WHERE condition".
func sqliteIndexes(t *testing.T, db *sql.DB) []string {
	_, rows := sqliteRows(t, db, `SELECT m.name, m.tbl_name, m.sql,
		(SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno))
		FROM sqlite_master m WHERE m.type = 'index' AND m.sql IS NOT NULL ORDER BY m.name`)
	var out []string
	for _, r := range rows {
		s := fmt.Sprintf("%s.%s(%s)", r[1], r[0], r[3])
		if _, where, ok := strings.Cut(r[2].(string), " WHERE "); ok {
			s += " WHERE " + normPredicate(where)
		}
		out = append(out, s)
	}
	return out
}

// pgIndexes lists the indexes that back no constraint, as sqliteIndexes.
func pgIndexes(t *testing.T, ctx context.Context, pool *pgxpool.Pool) []string {
	rows, err := pool.Query(ctx, `SELECT i.relname::text, c.relname::text,
		(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(att, n)
		  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.att),
		COALESCE(pg_get_expr(x.indpred, x.indrelid), '')
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var name, table, cols, pred string
		if err := rows.Scan(&name, &table, &cols, &pred); err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf("%s.%s(%s)", table, name, cols)
		if pred != "" {
			s += " WHERE " + normPredicate(pred)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqliteKeys lists each table's primary key, unique constraints and
// foreign keys: "table pk(columns)", "table unique(columns)",
// "table fk(columns) → table(columns)".
func sqliteKeys(t *testing.T, db *sql.DB) []string {
	var out []string
	_, tables := sqliteRows(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	for _, tr := range tables {
		tb := tr[0].(string)
		_, pk := sqliteRows(t, db, fmt.Sprintf(`SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('%s') WHERE pk > 0 ORDER BY pk)`, tb))
		if pk[0][0] != nil {
			out = append(out, fmt.Sprintf("%s pk(%s)", tb, pk[0][0]))
		}
		_, uq := sqliteRows(t, db, fmt.Sprintf(`SELECT (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno))
			FROM pragma_index_list('%s') l WHERE l.origin = 'u'`, tb))
		for _, u := range uq {
			out = append(out, fmt.Sprintf("%s unique(%s)", tb, u[0]))
		}
		_, fk := sqliteRows(t, db, fmt.Sprintf(`SELECT group_concat("from", ','), "table", group_concat("to", ',')
			FROM (SELECT * FROM pragma_foreign_key_list('%s') ORDER BY id, seq) GROUP BY id`, tb))
		for _, f := range fk {
			out = append(out, fmt.Sprintf("%s fk(%s) → %s(%s)", tb, f[0], f[1], f[2]))
		}
	}
	slices.Sort(out)
	return out
}

func pgKeys(t *testing.T, pool *pgxpool.Pool) []string {
	_, rows := pgRows(t, pool, `SELECT c.relname::text, k.contype::text,
		(SELECT string_agg(a.attname, ',' ORDER BY n) FROM unnest(k.conkey) WITH ORDINALITY u(att, n)
		  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.att),
		COALESCE(f.relname::text, ''),
		COALESCE((SELECT string_agg(a.attname, ',' ORDER BY n) FROM unnest(k.confkey) WITH ORDINALITY u(att, n)
		  JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.att), '')
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_class f ON f.oid = k.confrelid
		WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u', 'f') AND c.relname <> 'schema_version'`)
	var out []string
	for _, r := range rows {
		switch r[1] {
		case "p":
			out = append(out, fmt.Sprintf("%s pk(%s)", r[0], r[2]))
		case "u":
			out = append(out, fmt.Sprintf("%s unique(%s)", r[0], r[2]))
		case "f":
			out = append(out, fmt.Sprintf("%s fk(%s) → %s(%s)", r[0], r[2], r[3], r[4]))
		}
	}
	slices.Sort(out)
	return out
}

// sameSet reports what only one of the stores has.
func sameSet(t *testing.T, what string, s, p []string) {
	t.Helper()
	if len(s) == 0 {
		t.Errorf("no %s found in sqlite", what)
	}
	for _, x := range s {
		if !slices.Contains(p, x) {
			t.Errorf("%s only in sqlite: %s", what, x)
		}
	}
	for _, x := range p {
		if !slices.Contains(s, x) {
			t.Errorf("%s only in postgres: %s", what, x)
		}
	}
}
