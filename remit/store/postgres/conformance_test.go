package postgres_test

import (
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/store/storetest"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// TestStoreSuite runs the suite every store passes (remit/store/storetest).
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
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
	})
}
