package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/migrationfs"
	"github.com/remit-dev/remit/remit/treasury"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Errors returned by Open and Init: the store's (remit/store), for the
// same conditions as SQLite's.
var (
	ErrNoDatabase = store.ErrNoDatabase
	ErrSchemaOld  = store.ErrSchemaOld
	ErrSchemaNew  = store.ErrSchemaNew
	// ErrNotRemitDB means the database holds another program's tables:
	// remit neither reads nor changes it.
	ErrNotRemitDB = store.ErrNotRemitDB
	// ErrEncoding means the database does not store text as UTF-8: names
	// and addresses outside its character set could not be kept.
	ErrEncoding = errors.New("the database's encoding is not UTF8")
)

// Store is an open remit database on a PostgreSQL server.
type Store struct {
	Pool *pgxpool.Pool
	// Name is the DSN the store was opened with, its password hidden: for
	// messages.
	Name string
	now  func() time.Time
	// wait is how long a statement waits for another session's lock
	// (lock_timeout), for messages.
	wait time.Duration
	// entryOpts control the accounting entries (remit/accounting;
	// entries.go records them); the zero value means the defaults.
	entryOpts accounting.Options
	// ns is LockKey of the database and schema: the first half of the
	// advisory lock keys remit takes.
	ns int32
}

// Options tune Open and Init.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock another
	// session holds (lock_timeout) before failing; default 30 s.
	BusyTimeout time.Duration
	// ConnectTimeout bounds each connection's set-up when the DSN gives no
	// connect_timeout; default 10 s.
	ConnectTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// BankAccount is the account Init books the default bank on when its
	// upgrade to schema 8 makes one from each creditor's account: the
	// counterpart the entries were configured with (entries.counterpart),
	// when it is a bank's (treasury.IsBankAccount); default 512000.
	BankAccount string
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations/NNNN_*.sql, by version.
func migrations() []migration {
	var ms []migration
	for _, m := range migrationfs.Read(migrationFS) {
		ms = append(ms, migration{version: m.Version, name: m.Name, sql: m.SQL})
	}
	return ms
}

// SchemaVersion is the schema version this build of remit writes: the
// same number as SQLite's for the same tables and views.
func SchemaVersion() int { return migrationfs.Latest(migrationFS) }

// poolConfig parses a DSN (URL or key=value; PG* environment variables
// fill what it leaves out, as for psql) and applies the options.
func poolConfig(dsn string, o Options) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err // pgconn's message hides the password
	}
	cc := cfg.ConnConfig
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = o.ConnectTimeout
		if cc.ConnectTimeout <= 0 {
			cc.ConnectTimeout = 10 * time.Second
		}
	}
	timeout := o.BusyTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	cc.RuntimeParams["lock_timeout"] = strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
	if cc.RuntimeParams["application_name"] == "" {
		cc.RuntimeParams["application_name"] = "remit"
	}
	return cfg, nil
}

// connect opens a pool and checks that the server can be reached, that the
// database exists and stores UTF-8.
func connect(ctx context.Context, dsn string, o Options) (*pgxpool.Pool, error) {
	name := Redact(dsn)
	cfg, err := poolConfig(dsn, o)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		if isCode(err, "3D000") { // invalid_catalog_name
			return nil, fmt.Errorf("%s: %w: the server has no database %q (run `remit init` to create it)", name, ErrNoDatabase, cfg.ConnConfig.Database)
		}
		return nil, connectFailure(name, &cfg.ConnConfig.Config, err)
	}
	err = checkEncoding(conn.Conn().PgConn(), name)
	conn.Release() // before Close, which waits for every connection to come back
	if err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func checkEncoding(c *pgconn.PgConn, name string) error {
	if enc := c.ParameterStatus("server_encoding"); enc != "UTF8" {
		return fmt.Errorf("%s: %w (it is %s): remit keeps names and addresses in any script; create the database anew with "+
			"`createdb -E UTF8 -T template0 NAME` and run `remit init`", name, ErrEncoding, enc)
	}
	return nil
}

func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// Open opens an existing database whose schema is exactly this build's.
func Open(dsn string, o Options) (*Store, error) {
	ctx := context.Background()
	pool, err := connect(ctx, dsn, o)
	if err != nil {
		return nil, err
	}
	st := &Store{Pool: pool, Name: Redact(dsn), now: o.Now, wait: o.BusyTimeout}
	if st.wait <= 0 {
		st.wait = 30 * time.Second
	}
	if st.now == nil {
		st.now = time.Now
	}
	v, err := checkRemit(ctx, pool, st.Name)
	if err == nil {
		st.ns, err = lockNamespace(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	switch want := SchemaVersion(); {
	case v == 0:
		pool.Close()
		return nil, fmt.Errorf("%s: %w (run `remit init` to create the tables)", st.Name, ErrNoDatabase)
	case v < want:
		pool.Close()
		return nil, fmt.Errorf("%s: %w (version %d, this remit writes %d): run `remit init` to upgrade it", st.Name, ErrSchemaOld, v, want)
	case v > want:
		pool.Close()
		return nil, fmt.Errorf("%s: %w (version %d, this remit knows %d): use a newer remit", st.Name, ErrSchemaNew, v, want)
	}
	return st, nil
}

// checkRemit returns the schema version of a remit database, or
// ErrNotRemitDB for one whose schema (the first of the search_path) holds
// another program's tables. An empty schema is version 0.
func checkRemit(ctx context.Context, q querier, name string) (int, error) {
	var schema *string
	if err := q.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if schema == nil {
		var path string
		q.QueryRow(ctx, `SHOW search_path`).Scan(&path)
		return 0, fmt.Errorf("%s: %w: no schema of the search_path (%s) exists: create it (CREATE SCHEMA …) or choose another search_path",
			name, ErrNoDatabase, path)
	}
	rows, err := q.Query(ctx, `SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if len(tables) == 0 {
		return 0, nil
	}
	for _, t := range tables {
		if t == "schema_version" {
			var v int
			if err := q.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil {
				return 0, fmt.Errorf("%s: reading the schema version: %w", name, err)
			}
			return v, nil
		}
	}
	if len(tables) > 5 {
		tables = append(tables[:5], "…")
	}
	return 0, fmt.Errorf("%s: %w: schema %s holds another program's tables (%s); remit leaves them alone: choose another database "+
		"or search_path", name, ErrNotRemitDB, *schema, strings.Join(tables, ", "))
}

// Init creates the database's tables or upgrades them to this build's
// schema, each migration in its own transaction, and returns the versions
// before and after. A database the server does not have is created first
// (CREATE DATABASE, when the role may). It refuses a schema holding
// another program's tables.
func Init(dsn string, o Options) (from, to int, err error) {
	ctx := context.Background()
	name := Redact(dsn)
	pool, err := connect(ctx, dsn, o)
	if errors.Is(err, ErrNoDatabase) {
		if err := createDatabase(ctx, dsn, o); err != nil {
			return 0, 0, err
		}
		pool, err = connect(ctx, dsn, o)
	}
	if err != nil {
		return 0, 0, err
	}
	defer pool.Close()
	from, err = checkRemit(ctx, pool, name)
	if err != nil {
		return 0, 0, err
	}
	if from > SchemaVersion() {
		return from, from, fmt.Errorf("%s: %w (version %d, this remit knows %d)", name, ErrSchemaNew, from, SchemaVersion())
	}
	to = from
	for _, m := range migrations() {
		if m.version <= to {
			continue
		}
		done, err := migrate(ctx, pool, name, m, o)
		if err != nil {
			return from, to, err
		}
		to = max(to, done)
	}
	return from, to, nil
}

// migrate applies m in a transaction with the version it writes, unless
// another remit init did it meanwhile; it returns the version after.
func migrate(ctx context.Context, pool *pgxpool.Pool, name string, m migration, o Options) (int, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	// Two remit init at once: the second waits, then finds the work done.
	ns, err := lockNamespace(ctx, tx)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, ns); err != nil {
		return 0, err
	}
	v, err := checkRemit(ctx, tx, name)
	if err != nil {
		return 0, err
	}
	if v >= m.version {
		return v, nil
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version integer NOT NULL,
		single boolean PRIMARY KEY DEFAULT true CHECK (single) -- one row
	)`); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if m.version == 8 && treasury.IsBankAccount(o.BankAccount) {
		// The entries of the next remittances debit what they debited.
		if _, err := tx.Exec(ctx, `UPDATE banks SET account = $1`, o.BankAccount); err != nil {
			return 0, fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)
		ON CONFLICT (single) DO UPDATE SET version = excluded.version`, m.version); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, err)
	}
	return m.version, nil
}

// createDatabase creates the database a DSN names, connected to the
// server's maintenance database (postgres) as the same role.
func createDatabase(ctx context.Context, dsn string, o Options) error {
	name := Redact(dsn)
	cfg, err := poolConfig(dsn, o)
	if err != nil {
		return err
	}
	db := cfg.ConnConfig.Database
	advice := fmt.Sprintf("create it (createdb -E UTF8 -T template0 -O %s %s), then run `remit init` again", cfg.ConnConfig.User, db)
	cc := cfg.ConnConfig.Copy()
	cc.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return fmt.Errorf("%s: %w: the server has no database %q, and remit could not reach the postgres database to create it (%v): %s",
			name, ErrNoDatabase, db, err, advice)
	}
	defer conn.Close(ctx)
	var enc string
	if err := conn.QueryRow(ctx, `SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'`).Scan(&enc); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if enc != "UTF8" {
		return fmt.Errorf("%s: %w: the server has no database %q, and its new databases would be %s, not UTF8: %s", name, ErrNoDatabase, db, enc, advice)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil && !isCode(err, "42P04") { // duplicate_database: another init was quicker
		if isCode(err, "42501") { // insufficient_privilege
			return fmt.Errorf("%s: %w: the server has no database %q, and the role %s may not create one: %s", name, ErrNoDatabase, db, cfg.ConnConfig.User, advice)
		}
		return fmt.Errorf("%s: creating the database %q: %w", name, db, err)
	}
	return nil
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.Pool.Close()
	return nil
}

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// connectError is a failed connection said in one line, the driver's
// error kept (errors.Is, errors.As).
type connectError struct {
	msg string
	err error
}

func (e *connectError) Error() string { return e.msg }
func (e *connectError) Unwrap() error { return e.err }

// connectFailure says why the server could not be reached or refused the
// connection, and what to check: pgx's own message lists every address
// and attempt (with and without TLS) on lines of their own.
func connectFailure(name string, cc *pgconn.Config, err error) error {
	addr := net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
	var pe *pgconn.PgError
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000"): // invalid_password, invalid_authorization_specification
		return &connectError{fmt.Sprintf("%s: the server at %s refused role %q: %s: check the user and password of --db "+
			"(a password is best kept out of the URL, in PGPASSWORD or ~/.pgpass)", name, addr, cc.User, pe.Message), err}
	case errors.As(err, &pe):
		return &connectError{fmt.Sprintf("%s: the server at %s refused the connection: %s", name, addr, pe.Message), err}
	case errors.As(err, &dns):
		return &connectError{fmt.Sprintf("%s: cannot find the host %s (%s): check the host of --db", name, cc.Host, dns.Err), err}
	case errors.As(err, &op):
		return &connectError{fmt.Sprintf("%s: cannot reach the PostgreSQL server at %s (%v): is it running, and do the host and "+
			"port of --db name it?", name, addr, op.Err), err}
	}
	return &connectError{fmt.Sprintf("%s: %s", name, strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n\t", "; ")), err}
}
