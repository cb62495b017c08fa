package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/sqlite"
	"github.com/remit-dev/remit/remit/store/storetest"
)

// TestStoreSuite runs the suite every store passes (remit/store/storetest).
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
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
	})
}
