package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// PayStore is a store that keeps payables and pays them: what the
// supplier-payment use cases and their tests need of either store.
type PayStore interface {
	store.Store
	store.PayableStore
	store.ChequeStore
	store.PaymentReader
	store.PaymentForecaster
}

// Kind is a store implementation the tests of a use case run on.
type Kind struct {
	Name string
	// Open makes a new, empty database at this build's schema and opens it
	// with the given clock; the store is closed when t ends. A test of the
	// PostgreSQL kind is skipped (failed under CI=true) without a server.
	Open func(t *testing.T, now func() time.Time) PayStore
	// Exec runs a statement outside the store's API (a test's fixture),
	// in the store's own SQL: both accept the same plain INSERTs.
	Exec func(t *testing.T, st PayStore, query string)
}

// Kinds are SQLite and PostgreSQL.
func Kinds() []Kind {
	return []Kind{
		{Name: "sqlite", Open: openSQLite, Exec: func(t *testing.T, st PayStore, query string) {
			t.Helper()
			if _, err := st.(*sqlite.Store).SQL().Exec(query); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}},
		{Name: "postgres", Open: openPostgres, Exec: func(t *testing.T, st PayStore, query string) {
			t.Helper()
			if _, err := st.(*postgres.Store).Pool.Exec(context.Background(), query); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}},
	}
}

// Each runs fn once per kind of store, as a subtest named after it.
func Each(t *testing.T, fn func(t *testing.T, k Kind)) {
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) { fn(t, k) })
	}
}

func openSQLite(t *testing.T, now func() time.Time) PayStore {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := sqlite.Init(path, sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(path, sqlite.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t *testing.T, now func() time.Time) PayStore {
	t.Helper()
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(dsn, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
