package pgtest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// The store's primitives, through database/sql and its "pgx" driver.
func TestDatabaseSQL(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var version string
	if err := db.QueryRow("SELECT version()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "PostgreSQL ") {
		t.Errorf("version() = %q", version)
	}
	t.Log(version)

	if _, err := db.Exec(`CREATE TABLE receivables (document text PRIMARY KEY, amount_cents bigint NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i, cents := range []int64{1, 99_999_999_99, 12_345} {
		if _, err := tx.Exec(`INSERT INTO receivables VALUES ($1, $2)`, fmt.Sprintf("F2026-%04d", i), cents); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n, sum int64
	if err := db.QueryRow(`SELECT count(*), sum(amount_cents)::bigint FROM receivables`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 3 || sum != 99_999_999_99+12_345+1 {
		t.Errorf("count, sum = %d, %d", n, sum)
	}
}

// The store's primitives through pgxpool: COPY FROM for bulk rows, session
// and transaction advisory locks held by one connection, refused to another.
func TestPoolCopyAndAdvisoryLocks(t *testing.T) {
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	if _, err := pool.Exec(ctx, `CREATE TABLE receivables (
		id bigint PRIMARY KEY, document text NOT NULL, amount_cents bigint NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const rows = 5000
	var want int64
	copied, err := pool.CopyFrom(ctx, pgx.Identifier{"receivables"}, []string{"id", "document", "amount_cents"},
		pgx.CopyFromSlice(rows, func(i int) ([]any, error) {
			cents := int64(i)*1_234_567 + 1
			want += cents
			return []any{int64(i + 1), fmt.Sprintf("F2026-%05d", i+1), cents}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if copied != rows {
		t.Errorf("CopyFrom copied %d rows, want %d", copied, rows)
	}
	var n, sum int64
	if err := pool.QueryRow(ctx, `SELECT count(*), sum(amount_cents)::bigint FROM receivables`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != rows || sum != want {
		t.Errorf("count, sum = %d, %d; want %d, %d", n, sum, rows, want)
	}

	a, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	b, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	try := func(c *pgxpool.Conn, sql string, key int64) bool {
		t.Helper()
		var ok bool
		if err := c.QueryRow(ctx, sql, key).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	const lock, unlock = `SELECT pg_try_advisory_lock($1)`, `SELECT pg_advisory_unlock($1)`
	if !try(a, lock, 42) {
		t.Fatal("first connection: lock 42 refused")
	}
	if try(b, lock, 42) {
		t.Fatal("second connection: lock 42 granted while the first holds it")
	}
	if !try(b, lock, 43) {
		t.Error("second connection: lock 43 refused")
	}
	if !try(a, unlock, 42) || !try(b, unlock, 43) {
		t.Fatal("unlock refused")
	}
	if !try(b, lock, 42) || !try(b, unlock, 42) {
		t.Error("second connection: lock 42 refused after the first released it")
	}

	// A transaction's lock ends with the transaction.
	const xactLock = `SELECT pg_try_advisory_xact_lock($1)`
	txA, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := txA.QueryRow(ctx, xactLock, int64(7)).Scan(&ok); err != nil || !ok {
		t.Fatalf("transaction lock 7: %v, %v", ok, err)
	}
	if try(b, xactLock, 7) {
		t.Error("second connection: transaction lock 7 granted while a transaction holds it")
	}
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if !try(b, xactLock, 7) {
		t.Error("second connection: transaction lock 7 refused after the commit")
	}
}

// Each DSN is an empty database of its own, dropped when its test ends.
func TestDatabasesAreSeparateAndDropped(t *testing.T) {
	var first string
	t.Run("two databases", func(t *testing.T) {
		ctx := t.Context()
		dsn1, dsn2 := pgtest.DSN(t), pgtest.DSN(t)
		if dsn1 == dsn2 {
			t.Fatalf("same DSN twice: %s", dsn1)
		}
		first = databaseName(t, dsn1)
		c1 := connect(t, dsn1)
		c2 := connect(t, dsn2)
		if _, err := c1.Exec(ctx, `CREATE TABLE mandates (rum text)`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := c2.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'mandates'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("second database sees %d mandates tables (%v)", n, err)
		}
	})
	var n int
	c := connect(t, pgtest.DSN(t))
	if err := c.QueryRow(t.Context(), `SELECT count(*) FROM pg_database WHERE datname = $1`, first).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still there after its test ended", first)
	}
}

// Test processes of one run (here this one and a child) share one cluster.
func TestProcessesShareTheCluster(t *testing.T) {
	dsn := pgtest.DSN(t)
	out, err := runHelper(t, "TestHelperPrintsDSN", "PGTEST_HELPER=1").CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`dsn=(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child printed no DSN:\n%s", out)
	}
	if got, want := hostPort(t, string(m[1])), hostPort(t, dsn); got != want {
		t.Errorf("child's cluster at %s, ours at %s", got, want)
	}
}

// Without the server programs a test skips saying what to install, and fails
// under CI=true.
func TestMissingPostgreSQL(t *testing.T) {
	nowhere := []string{"PATH=" + t.TempDir(), "REMIT_PG_LIBDIR=/nonexistent", "REMIT_PGBIN="}
	for _, c := range []struct {
		env []string
		why string
	}{
		{nowhere, "PostgreSQL server not installed: no initdb in PATH or in /nonexistent/*/bin (run `make tools`, or apt-get install postgresql"},
		{[]string{"REMIT_PGBIN=/nonexistent"}, "PostgreSQL server not found: no initdb and postgres in REMIT_PGBIN=/nonexistent (set it"},
	} {
		for _, ci := range []string{"", "true"} {
			cmd := runHelper(t, "TestHelperPrintsDSN", append(c.env, "PGTEST_HELPER=1", "CI="+ci)...)
			out, err := cmd.CombinedOutput()
			if !strings.Contains(string(out), c.why) {
				t.Errorf("%s CI=%q: output lacks %q:\n%s", c.env, ci, c.why, out)
			}
			verdict := "--- SKIP"
			if ci == "true" {
				verdict = "--- FAIL"
				if err == nil {
					t.Errorf("%s CI=true: exit 0, want a failure", c.env)
				}
			} else if err != nil {
				t.Errorf("%s CI unset: %v, want exit 0", c.env, err)
			}
			if !strings.Contains(string(out), verdict) {
				t.Errorf("%s CI=%q: output lacks %q:\n%s", c.env, ci, verdict, out)
			}
		}
	}
}

// A test process that panics leaves no postgres behind: the supervisor stops
// the cluster and removes its folder once the process is gone.
func TestClusterStopsWhenItsTestProcessPanics(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI=true) without PostgreSQL
	base, err := os.MkdirTemp("", "remit-pgtest-panic-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)

	out, err := runHelper(t, "TestHelperPanics", "PGTEST_HELPER=1", "REMIT_PGTEST_DIR="+base).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "panic: pgtest helper panics") {
		t.Fatalf("child did not panic (%v):\n%s", err, out)
	}
	m := regexp.MustCompile(`postgres pid=(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child printed no postgres pid:\n%s", out)
	}
	pid, _ := strconv.Atoi(string(m[1]))
	deadline := time.Now().Add(15 * time.Second)
	for {
		alive := syscall.Kill(pid, 0) == nil
		clusters, _ := filepath.Glob(filepath.Join(base, "cluster-*"))
		if !alive && len(clusters) == 0 {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(base, "supervisor.log"))
			t.Fatalf("15 s after the test process died: postgres %d alive=%v, cluster folders %v\nsupervisor.log:\n%s",
				pid, alive, clusters, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestHelperPrintsDSN(t *testing.T) {
	if os.Getenv("PGTEST_HELPER") == "" {
		t.Skip("run by TestProcessesShareTheCluster and TestMissingPostgreSQL")
	}
	fmt.Printf("dsn=%s\n", pgtest.DSN(t))
}

func TestHelperPanics(t *testing.T) {
	if os.Getenv("PGTEST_HELPER") == "" {
		t.Skip("run by TestClusterStopsWhenItsTestProcessPanics")
	}
	connect(t, pgtest.DSN(t)) // a client connection dies with us too
	b, err := os.ReadFile(filepath.Join(os.Getenv("REMIT_PGTEST_DIR"), "state"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ PID int }
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("postgres pid=%d\n", st.PID)
	panic("pgtest helper panics")
}

// runHelper runs one test of this binary in a child process with env added.
func runHelper(t *testing.T, test string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func databaseName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func hostPort(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
