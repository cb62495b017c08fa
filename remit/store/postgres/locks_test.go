package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// The locks of a run of several creditors are held by one connection, all
// or none: a run that finds one of them taken waits up to its --wait, then
// gives back those it took.
func TestRunLocksOneConnectionAllOrNone(t *testing.T) {
	pool, dsn := newPostgres(t)
	ctx := context.Background()
	all, err := postgres.AcquireRunLocksContext(ctx, dsn, []int64{1, 2, 3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	held := func() (locks, conns int) {
		t.Helper()
		// This database's: the tests of other packages run on the same cluster.
		if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&locks, &conns); err != nil {
			t.Fatal(err)
		}
		return
	}
	if locks, conns := held(); locks != 3 || conns != 1 {
		t.Errorf("three creditors' locks: %d locks on %d connections, want 3 on 1", locks, conns)
	}
	if err := all.Check(ctx); err != nil {
		t.Errorf("check: %v", err)
	}
	all.Release()
	two, err := postgres.AcquireRunLock(dsn, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = postgres.AcquireRunLocksContext(ctx, dsn, []int64{1, 2, 3}, 300*time.Millisecond)
	if !errors.Is(err, postgres.ErrBusy) || time.Since(start) < 300*time.Millisecond {
		t.Errorf("creditor 2 taken: %v after %v, want busy after 300ms", err, time.Since(start))
	}
	if locks, _ := held(); locks != 1 {
		t.Errorf("after a busy run: %d locks held, want creditor 2's alone", locks)
	}
	two.Release()
}
