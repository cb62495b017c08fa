package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", to read a test database as other software would

	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// onBothStores runs a test on an SQLite database and on a PostgreSQL one
// (pgtest: skipped without PostgreSQL, failed under CI=true): the same
// commands say the same on both.
func onBothStores(t *testing.T, fn func(t *testing.T, pg bool)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, false) })
	t.Run("postgres", func(t *testing.T) { fn(t, true) })
}

// newCLIOn is newCLI on PostgreSQL (an empty database of its own) when pg.
func newCLIOn(t *testing.T, pg bool) *cliEnv {
	t.Helper()
	c := newCLI(t)
	if pg {
		c.pg = pgtest.DSN(t)
	}
	return c
}

// sqlDB opens the test database with database/sql, as other software
// would; a query written for SQLite reads the same on PostgreSQL where
// only its aggregate's name differs (group_concat: string_agg).
func (c *cliEnv) sqlDB(q string) (*sql.DB, string) {
	c.t.Helper()
	driver, name := "sqlite", filepath.Join(c.dir, "remit.db")
	if c.pg != "" {
		driver, name, q = "pgx", c.pg, strings.ReplaceAll(q, "group_concat(", "string_agg(")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		c.t.Fatal(err)
	}
	return db, q
}
