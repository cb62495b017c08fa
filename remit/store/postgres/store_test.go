package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// withDatabase returns dsn naming another database of the same server, and
// drops that database when the test ends.
func withDatabase(t *testing.T, dsn, name string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	t.Cleanup(func() { admin(t, dsn, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") })
	return u.String()
}

// admin runs a statement on the server's postgres database.
func admin(t *testing.T, dsn, sql string) {
	t.Helper()
	u, _ := url.Parse(dsn)
	u.Path = "/postgres"
	conn, err := pgx.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func run(t *testing.T, dsn, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func wantErr(t *testing.T, err, target error, words ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

// Init creates the tables of an empty database, then does nothing; Open
// takes only a database at this build's version, as sqlite.Open does.
func TestInitAndOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	_, err := postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNoDatabase, "run `remit init` to create the tables")

	v := postgres.SchemaVersion()
	if from, to, err := postgres.Init(dsn, postgres.Options{}); err != nil || from != 0 || to != v {
		t.Fatalf("Init = %d, %d, %v; want 0, %d", from, to, err, v)
	}
	if from, to, err := postgres.Init(dsn, postgres.Options{}); err != nil || from != v || to != v {
		t.Fatalf("Init again = %d, %d, %v; want %d, %d", from, to, err, v, v)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	st, err := postgres.Open(dsn, postgres.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Now().Equal(now) {
		t.Errorf("Now = %v", st.Now())
	}
	var timeout string
	if err := st.Pool.QueryRow(context.Background(), `SHOW lock_timeout`).Scan(&timeout); err != nil || timeout != "30s" {
		t.Errorf("lock_timeout = %q, %v; want the default BusyTimeout, 30s", timeout, err)
	}
	st.Close()

	run(t, dsn, fmt.Sprintf(`UPDATE schema_version SET version = %d`, v-1))
	_, err = postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrSchemaOld, fmt.Sprintf("version %d, this remit writes %d", v-1, v), "remit init")

	run(t, dsn, fmt.Sprintf(`UPDATE schema_version SET version = %d`, v+1))
	_, err = postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrSchemaNew, fmt.Sprintf("version %d, this remit knows %d", v+1, v), "use a newer remit")
	from, to, err := postgres.Init(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrSchemaNew)
	if from != v+1 || to != v+1 {
		t.Errorf("Init of a newer schema = %d, %d", from, to)
	}
}

// A schema holding another program's tables is left alone.
func TestAnotherProgramsDatabase(t *testing.T) {
	dsn := pgtest.DSN(t)
	run(t, dsn, `CREATE TABLE invoices (id int); CREATE TABLE clients (id int)`)
	_, err := postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNotRemitDB, "another program's tables (clients, invoices)", "choose another database")
	_, _, err = postgres.Init(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNotRemitDB)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d tables after Init, want the 2 that were there", n)
	}
}

// A database the server does not have: Open says to run remit init, which
// creates it.
func TestInitCreatesTheDatabase(t *testing.T) {
	base := pgtest.DSN(t)
	dsn := withDatabase(t, base, fmt.Sprintf("remit_new_%d", time.Now().UnixNano()))
	_, err := postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNoDatabase, "the server has no database", "run `remit init` to create it")
	_, err = postgres.AcquireRunLock(dsn, 1, 0)
	wantErr(t, err, postgres.ErrNoDatabase)
	if from, to, err := postgres.Init(dsn, postgres.Options{}); err != nil || from != 0 || to != postgres.SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := postgres.Open(dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// The schema is the first of the search_path: one database can hold
// several remit schemas, each with its own version and locks.
func TestSearchPath(t *testing.T) {
	base := pgtest.DSN(t)
	dsn := base + "&search_path=remit"
	_, err := postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNoDatabase, "no schema of the search_path (remit) exists")
	_, _, err = postgres.Init(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrNoDatabase)

	run(t, base, `CREATE SCHEMA remit`)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(base, postgres.Options{})
	wantErr(t, err, postgres.ErrNoDatabase) // public is still empty
	st, err := postgres.Open(dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'remit'`).Scan(&n)
	if n < 13 {
		t.Errorf("%d tables in schema remit", n)
	}
	if postgres.LockKey("db", "remit") == postgres.LockKey("db", "public") {
		t.Error("two schemas share their lock key")
	}
}

// Two remit init at once: one creates the tables, the other waits and
// finds them.
func TestInitTwiceAtOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = postgres.Init(dsn, postgres.Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("init %d: %v", i, err)
		}
	}
	st, err := postgres.Open(dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// A database that does not store UTF-8 is refused, saying how to make one.
func TestEncoding(t *testing.T) {
	base := pgtest.DSN(t)
	name := fmt.Sprintf("remit_ascii_%d", time.Now().UnixNano())
	dsn := withDatabase(t, base, name)
	admin(t, base, `CREATE DATABASE `+name+` ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`)
	_, _, err := postgres.Init(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrEncoding, "SQL_ASCII", "createdb -E UTF8")
	_, err = postgres.Open(dsn, postgres.Options{})
	wantErr(t, err, postgres.ErrEncoding)
}

// A server that does not answer: the error names it without the password.
func TestUnreachable(t *testing.T) {
	dsn := "postgres://remit:s3cret@127.0.0.1:1/remit?sslmode=disable&connect_timeout=2"
	_, err := postgres.Open(dsn, postgres.Options{})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("the error does not name the server: %v", err)
	}
}

func TestIsDSN(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://remit@db.example/remit?sslmode=disable": true,
		"postgresql://remit@db.example/remit":               true,
		"POSTGRES://db/remit":                               true,
		"host=db.example dbname=remit user=remit":           true,
		"dbname=remit": true,
		"  host = /var/run/postgresql dbname=remit": true,
		"remit.db":            false,
		"/srv/remit/remit.db": false,
		"./postgres://x":      false,
		"data/host=x.db":      false,
		"colour=blue.db":      false,
		"file:remit.db":       false,
		"":                    false,
	} {
		if got := postgres.IsDSN(s); got != want {
			t.Errorf("IsDSN(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://remit:s3cret@db.example:5432/remit?sslmode=disable": "postgres://remit:xxxxx@db.example:5432/remit?sslmode=disable",
		"postgres://remit@db.example/remit":                             "postgres://remit@db.example/remit",
		"postgresql://db.example/remit?user=remit&password=s3cret":      "postgresql://db.example/remit?password=xxxxx&user=remit",
		"host=db password=s3cret dbname=remit":                          "host=db password=xxxxx dbname=remit",
		"host=db password = 's3 cr\\'et' dbname=remit":                  "host=db password = xxxxx dbname=remit",
		"password=s3cret": "password=xxxxx",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
