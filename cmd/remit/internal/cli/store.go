package cli

import (
	"context"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/collect/chqout"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sct"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
)

// The one place the command line names its store's implementation and
// its kinds of remittance: the commands see a store.Store and a
// collect.Registry.

// kinds are the kinds of remittance remit makes, in the order `remit run`
// takes them.
func kinds() *collect.Registry {
	return collect.NewRegistry(sdd.Kind, lcr.Kind, cheque.Kind, sct.Kind, chqout.Kind)
}

// kindWords are how a kind's run names what it takes (item), and what
// its remittances count (unit).
type kindWords struct{ item, items, list, unit, units string }

// wordsOf names what a kind's run takes: receivables, or the payables of
// supplier payments, which its remittances count in payments.
func wordsOf(k remit.Kind) kindWords {
	if k == sct.Name || k == chqout.Name {
		return kindWords{"payable", "payables", "remit payables list", "payment", "payments"}
	}
	return kindWords{"receivable", "receivables", "remit list", "receivable", "receivables"}
}

// A database (--db, REMIT_DB, db: in remit.yaml) is an SQLite file, or a
// PostgreSQL database named by a URL (postgres://… or postgresql://…) or
// libpq's key=value form (host=… dbname=…): postgres.IsDSN tells them apart.

// isPostgres reports whether db names a PostgreSQL database.
func isPostgres(db string) bool { return postgres.IsDSN(db) }

// dbName is db fit to print: a PostgreSQL DSN without its password.
func dbName(db string) string {
	if isPostgres(db) {
		return postgres.Redact(db)
	}
	return db
}

// openStore opens the configured database.
func (e *Env) openStore() (store.Store, error) {
	wait := e.Config.GetDuration("wait")
	if wait <= 0 {
		wait = time.Millisecond // the stores read 0 as 30 s; --wait 0s means do not wait
	}
	st, err := openStoreAt(e.Config.GetString("db"), wait, e.Now)
	if err != nil {
		return nil, err
	}
	// Every command that records a remittance, a cancellation or a return
	// writes its accounting entries with the configured settings.
	if err := setEntryOptions(st, e.Config); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openStoreAt opens the database db, waiting at most wait for a busy one.
func openStoreAt(db string, wait time.Duration, now func() time.Time) (store.Store, error) {
	if isPostgres(db) {
		return postgres.Open(db, postgres.Options{BusyTimeout: wait, Now: now})
	}
	return sqlite.Open(db, sqlite.Options{BusyTimeout: wait, Now: now})
}

// initStore creates or upgrades the database db; an upgrade that makes
// each creditor's account its default bank books it on counterpart
// (entries.counterpart), when a bank can be.
func initStore(db string, now func() time.Time, counterpart string) (from, to int, err error) {
	if isPostgres(db) {
		return postgres.Init(db, postgres.Options{Now: now, BankAccount: counterpart})
	}
	return sqlite.Init(db, sqlite.Options{Now: now, BankAccount: counterpart})
}

// schemaVersion is the schema version this remit writes.
func schemaVersion() int { return sqlite.SchemaVersion() }

// readOnlyReason says why the database at path cannot be written.
func readOnlyReason(path string) error { return sqlite.ReadOnlyReason(path) }

// errHardLinked: the database file has several names.
var errHardLinked = sqlite.ErrHardLinked

// runLock is a database's run lock, held until Release.
type runLock interface{ Release() error }

// lockStore takes the run lock of the SQLite database at db, or of the
// given creditors of the PostgreSQL database db (one connection holds
// them all), waiting up to wait.
func lockStore(ctx context.Context, db string, creditors []int64, wait time.Duration) (runLock, error) {
	if isPostgres(db) {
		l, err := postgres.AcquireRunLocksContext(ctx, db, creditors, wait)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
	l, err := sqlite.AcquireRunLockContext(ctx, db, wait)
	if err != nil {
		return nil, err
	}
	return l, nil
}
