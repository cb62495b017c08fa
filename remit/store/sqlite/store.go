package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/internal/migrationfs"
	"github.com/remit-dev/remit/remit/treasury"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Errors returned by Open.
var (
	ErrNoDatabase = store.ErrNoDatabase
	ErrSchemaOld  = store.ErrSchemaOld
	ErrSchemaNew  = store.ErrSchemaNew
	// ErrNotRemitDB means the file is not an SQLite database, or is another
	// program's: remit neither reads nor changes it.
	ErrNotRemitDB = store.ErrNotRemitDB
	ErrHardLinked = errors.New("the database file has several names (hard links)")
)

// databaseFile returns the file a database path names, symbolic links
// resolved, so that the run lock and SQLite's journal (-wal, -shm) sit
// beside the file itself whatever path reached it. It refuses a file with
// several hard links: SQLite names the journal after the path it opens, so
// two names would give one database two journals, and two processes would
// write it without seeing each other's changes. A path that does not exist
// yet is returned as it is, with an error wrapping fs.ErrNotExist.
func databaseFile(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return path, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return path, err
	}
	if !fi.Mode().IsRegular() {
		return path, fmt.Errorf("%s: not a database file (%s)", path, fi.Mode().Type())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
		return path, fmt.Errorf("%s: %w (%d names for one file): SQLite keeps a database's journal beside the name it is opened by, "+
			"so two names would let two processes write it without seeing each other and corrupt it; keep one name "+
			"(find the others with `find / -samefile %s`, remove them) and use a symbolic link where another path is needed",
			path, ErrHardLinked, st.Nlink, path)
	}
	return real, nil
}

// Store is an open remit database.
type Store struct {
	db   *sql.DB
	Path string
	now  func() time.Time
	// entryOpts control the accounting entries (remit/accounting; entries.go records them); the zero value means the defaults.
	entryOpts accounting.Options
}

// Options tune Open.
type Options struct {
	// BusyTimeout is how long a statement waits for another process's
	// write lock before failing; default 30 s.
	BusyTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// BankAccount is the account Init books the default bank on when its
	// upgrade to schema 8 makes one from each creditor's account: the
	// counterpart the entries were configured with (entries.counterpart),
	// when a bank can be booked on it; default 512000.
	BankAccount string

	readOnly bool // the folder cannot be written: open the file immutable
}

// ErrReadOnly means the database's folder cannot be written: SQLite keeps
// its journal (-wal, -shm) beside the database, so nothing can be changed.
// A database without pending journal is still opened, read-only.
var ErrReadOnly = store.ErrReadOnly

// wOK is access(2)'s W_OK.
const wOK = 2

// ReadOnlyReason says why a database that refused a write is read-only
// (see ErrReadOnly), for the path the user gave.
func ReadOnlyReason(path string) error {
	dir := filepath.Dir(path)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		dir = filepath.Dir(real)
	}
	return fmt.Errorf("%s: %w (%s): SQLite writes its journal (-wal, -shm) beside the database, so remit can only read it; "+
		"make the folder writable to change anything", path, ErrReadOnly, dir)
}

// migrationSteps are what a migration does in Go after its SQL, in its
// transaction.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx, o Options) error{
	8:  bookDefaultBanks,
	10: widenRemittanceKinds,
	11: widenTreasuryChecks,
	12: widenPaymentKinds,
}

// bookDefaultBanks books the default banks migration 8 made from each
// creditor's account on entries.counterpart, when that is a bank's: the
// entries of the next remittances debit what they debited.
func bookDefaultBanks(ctx context.Context, tx *sql.Tx, o Options) error {
	if !treasury.IsBankAccount(o.BankAccount) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE banks SET account = ?`, o.BankAccount)
	return err
}

// widenRemittanceKinds lets remittances.kind take 'chq', the remises de
// chèques (migration 10).
func widenRemittanceKinds(ctx context.Context, tx *sql.Tx, _ Options) error {
	return rewriteTables(ctx, tx, tableEdit{"remittances", `CHECK (kind IN ('sdd', 'lcr'))`, `CHECK (kind IN ('sdd', 'lcr', 'chq'))`})
}

// widenTreasuryChecks lets the tables take the statements' outcomes
// (migration 11): a receivable written off, a return first seen on a
// statement, the treasury écritures, which belong to no remittance
// (suspense, allocation, payment, writeoff).
func widenTreasuryChecks(ctx context.Context, tx *sql.Tx, _ Options) error {
	return rewriteTables(ctx, tx,
		tableEdit{"receivables", `CHECK (status IN ('open', 'pointed', 'remitted', 'rejected', 'paid'))`,
			`CHECK (status IN ('open', 'pointed', 'remitted', 'rejected', 'paid', 'written_off'))`},
		tableEdit{"returns", `CHECK (source IN ('manual', 'pain.002', 'camt.054'))`,
			`CHECK (source IN ('manual', 'pain.002', 'camt.054', 'statement'))`},
		tableEdit{"entry_lines", `CHECK (kind IN ('collection', 'return', 'fee', 'reversal'))`,
			`CHECK (kind IN ('collection', 'return', 'fee', 'reversal', 'suspense', 'allocation', 'payment', 'writeoff'))`},
		tableEdit{"entry_lines", `remittance_id  INTEGER NOT NULL REFERENCES remittances(id),`,
			`remittance_id  INTEGER REFERENCES remittances(id), -- NULL for the treasury écritures`})
}

// widenPaymentKinds lets remittances.kind take 'sct' and 'chq-out', the
// supplier remittances (migration 12); their écritures are of kind
// 'payment', which migration 11 allows.
func widenPaymentKinds(ctx context.Context, tx *sql.Tx, _ Options) error {
	return rewriteTables(ctx, tx, tableEdit{"remittances", `CHECK (kind IN ('sdd', 'lcr', 'chq'))`,
		`CHECK (kind IN ('sdd', 'lcr', 'chq', 'sct', 'chq-out'))`})
}

// tableEdit replaces, in a table's CREATE statement, from by to.
type tableEdit struct{ table, from, to string }

// rewriteTables widens CHECK constraints and drops NOT NULL ones in place:
// the tables' CREATE statements are rewritten in sqlite_schema, the
// procedure SQLite's ALTER TABLE page gives for a change that leaves
// every row as it is (no existing row can break a wider CHECK, or miss a
// value it no longer needs), rather than a rebuild of tables others
// reference. Each from must be in its table's statement once, or nothing
// is changed.
func rewriteTables(ctx context.Context, tx *sql.Tx, edits ...tableEdit) error {
	var v int
	if err := tx.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&v); err != nil {
		return err
	}
	for _, e := range edits {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (length(sql) - length(replace(sql, ?1, ''))) / length(?1) FROM sqlite_schema
			WHERE type = 'table' AND name = ?2`, e.from, e.table).Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", e.table, err)
		}
		if n != 1 {
			return fmt.Errorf("%s: its statement holds %q %d times, not once: not the one this migration changes", e.table, e.from, n)
		}
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA writable_schema = ON`); err != nil {
		return err
	}
	for _, e := range edits {
		if _, err := tx.ExecContext(ctx, `UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?`,
			e.from, e.to, e.table); err != nil {
			return err
		}
	}
	for _, q := range []string{fmt.Sprintf(`PRAGMA schema_version = %d`, v+1), `PRAGMA writable_schema = OFF`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
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

// SchemaVersion is the schema version this build of remit writes.
func SchemaVersion() int { return migrationfs.Latest(migrationFS) }

func openDB(path string, o Options) (*sql.DB, error) {
	timeout := o.BusyTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", timeout.Milliseconds()))
	if o.readOnly {
		// Nobody can write beside the file, hence nobody can change it.
		q.Add("mode", "ro")
		q.Add("immutable", "1")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	// The path is escaped: in a URI filename %, ? and # are not literal.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	return db, nil
}

// Open opens an existing database whose schema is exactly this build's.
func Open(path string, o Options) (*Store, error) {
	real, err := databaseFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if err := checkFolder(path); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w (run `remit init` to create it)", path, ErrNoDatabase)
		}
		return nil, err
	}
	// A folder that cannot be written (a read-only share, a copy on a
	// CD): SQLite could not create its journal beside the file.
	if dir := filepath.Dir(real); syscall.Access(dir, wOK) != nil {
		if fi, err := os.Stat(real + "-wal"); err == nil && fi.Size() > 0 {
			return nil, fmt.Errorf("%s: %w (%s), and its journal %s-wal holds changes SQLite cannot read without writing beside it: "+
				"make the folder writable", path, ErrReadOnly, dir, filepath.Base(real))
		}
		o.readOnly = true
	}
	db, err := openDB(real, o)
	if err != nil {
		return nil, err
	}
	st := &Store{db: db, Path: path, now: o.Now}
	if st.now == nil {
		st.now = time.Now
	}
	v, err := st.checkRemit(context.Background())
	if err != nil {
		db.Close()
		if errors.Is(err, ErrNotRemitDB) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch want := SchemaVersion(); {
	case v == 0:
		db.Close()
		return nil, fmt.Errorf("%s: %w (run `remit init` to create the tables)", path, ErrNoDatabase)
	case v < want:
		db.Close()
		return nil, fmt.Errorf("%s: %w (version %d, this remit writes %d): run `remit init` to upgrade it", path, ErrSchemaOld, v, want)
	case v > want:
		db.Close()
		return nil, fmt.Errorf("%s: %w (version %d, this remit knows %d): use a newer remit", path, ErrSchemaNew, v, want)
	}
	return st, nil
}

// checkFolder says what to do when the database's folder does not exist
// (SQLite would only say "unable to open database file (14)").
func checkFolder(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w: the folder %s does not exist (create it with mkdir -p %s, or choose another --db)", path, ErrNoDatabase, dir, dir)
	case err == nil && !fi.IsDir():
		return fmt.Errorf("%s: %w: %s is not a folder (choose another --db)", path, ErrNoDatabase, dir)
	}
	return nil
}

// sqliteNotADB is SQLite's primary result code SQLITE_NOTADB.
const sqliteNotADB = 26

// checkRemit returns the schema version of a remit database, or
// ErrNotRemitDB for a file that is not SQLite or holds another program's
// tables. A new, empty database is version 0.
func (s *Store) checkRemit(ctx context.Context) (int, error) {
	v, err := s.version(ctx)
	if err != nil {
		var coded interface{ Code() int }
		if errors.As(err, &coded) && coded.Code()&0xff == sqliteNotADB {
			return 0, fmt.Errorf("%s: %w: it is not an SQLite file (check --db)", s.Path, ErrNotRemitDB)
		}
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var tables []string
	remitTables := false
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return 0, err
		}
		if name == "creditors" {
			remitTables = true
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(tables) > 0 && !remitTables {
		if len(tables) > 5 {
			tables = append(tables[:5], "…")
		}
		return 0, fmt.Errorf("%s: %w: it is another program's SQLite database (tables %s); remit leaves it alone: choose another --db",
			s.Path, ErrNotRemitDB, strings.Join(tables, ", "))
	}
	return v, nil
}

// Init creates the database or upgrades it to this build's schema, each
// migration in its own transaction. It returns the versions before and after.
// It refuses a file that is not a remit database.
func Init(path string, o Options) (from, to int, err error) {
	if err := checkFolder(path); err != nil {
		return 0, 0, err
	}
	real, err := databaseFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Created here, 0600 whatever the umask: it holds every debtor's
		// IBAN, name and address, and SQLite gives its -wal and -shm the
		// database file's permissions.
		if dir := filepath.Dir(path); syscall.Access(dir, wOK) != nil {
			return 0, 0, fmt.Errorf("%s: %w (%s): make it writable to create the database", path, ErrReadOnly, dir)
		}
		f, cerr := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if cerr != nil {
			return 0, 0, cerr
		}
		f.Close()
		real, err = databaseFile(path)
	}
	if err != nil {
		return 0, 0, err
	}
	if dir := filepath.Dir(real); syscall.Access(dir, wOK) != nil {
		return 0, 0, fmt.Errorf("%s: %w (%s): make it writable to create or upgrade the database", path, ErrReadOnly, dir)
	}
	db, err := openDB(real, o)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	st := &Store{db: db, Path: path}
	ctx := context.Background()
	from, err = st.checkRemit(ctx)
	if err != nil {
		return 0, 0, err
	}
	if from > SchemaVersion() {
		return from, from, fmt.Errorf("%s: %w (version %d, this remit knows %d)", path, ErrSchemaNew, from, SchemaVersion())
	}
	to = from
	for _, m := range migrations() {
		if m.version <= from {
			continue
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return from, to, err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return from, to, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if step := migrationSteps[m.version]; step != nil {
			if err := step(ctx, tx, o); err != nil {
				tx.Rollback()
				return from, to, fmt.Errorf("migration %s: %w", m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return from, to, err
		}
		if err := tx.Commit(); err != nil {
			return from, to, fmt.Errorf("migration %s: %w", m.name, err)
		}
		to = m.version
	}
	return from, to, nil
}

func (s *Store) version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// SQL is the database handle, for the store packages beside this one that
// read or write every table as it is (dbcopy); the use cases and the
// command line go through the store's methods.
func (s *Store) SQL() *sql.DB { return s.db }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// inRemittanceTx is inTx for the remittance runs and imports, with
// SQLite's foreign-key checks off: every reference those write is read
// from the row it references in the same transaction, and the checks (an
// index lookup per reference, four per entry line) were a tenth of a large
// run.
func (s *Store) inRemittanceTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, release, err := s.beginBulk(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// beginBulk begins a write transaction without foreign-key checks. The
// pragma only takes effect outside a transaction, so the transaction gets a
// connection of its own; release rolls back what was not committed and
// turns the checks back on before the pool gets the connection again.
func (s *Store) beginBulk(ctx context.Context) (*sql.Tx, func(), error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		conn.Close()
		return nil, nil, err
	}
	restore := func() {
		if _, err := conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON"); err != nil {
			// Never hand the pool a connection without the checks.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		restore()
		return nil, nil, err
	}
	return tx, func() { tx.Rollback(); restore() }, nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE), committing when fn
// returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// SetEntryOptions sets how accounting entries are written for the
// remittances, returns and cancellations this Store records; an invalid
// combination (a masked counterpart with centralisation) is refused here.
func (s *Store) SetEntryOptions(o accounting.Options) error {
	n, err := o.Normalize()
	if err != nil {
		return err
	}
	s.entryOpts = n
	return nil
}

// stmtCache is a querier over a transaction that prepares each statement
// once: a batch that runs the same few queries for each of its lines (the
// returns of a bank file) would otherwise spend most of its time parsing
// SQL.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache { return &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return c.tx.QueryRowContext(ctx, query, args...) // the same error, in a Row
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) close() {
	for _, st := range c.stmts {
		st.Close()
	}
}
