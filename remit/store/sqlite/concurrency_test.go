package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestEveryConnectionWaitsAndLocksAtBegin: database/sql opens connections
// as it needs them; each must have the busy timeout (or a concurrent remit
// gets "database is locked" at once) and begin its transactions IMMEDIATE
// (or a read transaction upgraded to a write one fails with SQLITE_BUSY
// whatever the timeout).
func TestEveryConnectionWaitsAndLocksAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := Init(path, Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(path, Options{BusyTimeout: 1234 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var conns []*sql.Conn
	for i := 0; i < 4; i++ {
		c, err := st.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var ms int
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms); err != nil || ms != 1234 {
			t.Errorf("connection %d: busy_timeout %d, %v; want 1234", i, ms, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// A transaction that has only read holds the write lock already: another
	// process (here a connection with no timeout) cannot begin one.
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	tx.QueryRowContext(ctx, "SELECT count(*) FROM receivables").Scan(&n)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "BEGIN IMMEDIATE"); err == nil {
		other.ExecContext(ctx, "ROLLBACK")
		t.Error("a transaction begun by the store does not hold the write lock: it is DEFERRED")
	}
}
