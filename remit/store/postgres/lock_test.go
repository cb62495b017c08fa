package postgres_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// One run per creditor at a time; another creditor's run goes alongside.
func TestRunLock(t *testing.T) {
	_, dsn := newPostgres(t)
	a, err := postgres.AcquireRunLock(dsn, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()

	start := time.Now()
	_, err = postgres.AcquireRunLock(dsn, 1, 0)
	wantErr(t, err, postgres.ErrBusy, "creditor 1", "waited 0s")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("--wait 0 waited %s", d)
	}
	start = time.Now()
	_, err = postgres.AcquireRunLock(dsn, 1, 300*time.Millisecond)
	wantErr(t, err, postgres.ErrBusy, "waited 300ms")
	if d := time.Since(start); d < 300*time.Millisecond || d > 5*time.Second {
		t.Errorf("--wait 300ms gave up after %s", d)
	}
	if strings.Contains(err.Error(), "password") {
		t.Error(err)
	}

	b, err := postgres.AcquireRunLock(dsn, 2, 0)
	if err != nil {
		t.Fatalf("creditor 2 while creditor 1 runs: %v", err)
	}
	defer b.Release()

	// pg_locks shows it as documented: (LockKey, creditor id).
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var db string
	conn.QueryRow(context.Background(), `SELECT current_database()`).Scan(&db)
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND classid = ($1::int)::oid AND objid IN (1, 2) AND objsubid = 2`, postgres.LockKey(db, "public")).Scan(&n); err != nil || n != 2 {
		t.Errorf("pg_locks shows %d of the 2 locks (%v)", n, err)
	}

	// A waiting run gets the lock as soon as it is released.
	got := make(chan error, 1)
	go func() {
		l, err := postgres.AcquireRunLock(dsn, 1, 20*time.Second)
		if err == nil {
			l.Release()
		}
		got <- err
	}()
	time.Sleep(300 * time.Millisecond)
	released := time.Now()
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("waiting run: %v", err)
	}
	if d := time.Since(released); d > 3*time.Second {
		t.Errorf("the waiting run got the lock %s after its release", d)
	}
	if err := a.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
}

// Giving up while waiting (SIGINT): the context's cause, at once.
func TestRunLockCancelled(t *testing.T) {
	_, dsn := newPostgres(t)
	a, err := postgres.AcquireRunLock(dsn, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	stop := errors.New("interrupted")
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(200*time.Millisecond, func() { cancel(stop) })
	start := time.Now()
	_, err = postgres.AcquireRunLockContext(ctx, dsn, 1, time.Minute)
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want the cause", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %s", d)
	}
	// The server forgot the cancelled wait: the holder releases, a new
	// run gets it.
	a.Release()
	b, err := postgres.AcquireRunLock(dsn, 1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
}

// A run killed with SIGKILL holds nothing: the server ends its session and
// frees the lock.
func TestRunLockReleasedByCrash(t *testing.T) {
	_, dsn := newPostgres(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "REMIT_TEST_LOCK_DSN="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "holding the lock") {
	}
	if _, err := postgres.AcquireRunLock(dsn, 7, 0); !errors.Is(err, postgres.ErrBusy) {
		t.Fatalf("while the other process holds it: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	start := time.Now()
	l, err := postgres.AcquireRunLock(dsn, 7, 10*time.Second)
	if err != nil {
		t.Fatalf("after kill -9 of the holder: %v", err)
	}
	defer l.Release()
	t.Logf("lock free %s after kill -9", time.Since(start))
}

// A lock whose session an administrator ended is no longer held, and Check
// says so.
func TestRunLockCheck(t *testing.T) {
	_, dsn := newPostgres(t)
	l, err := postgres.AcquireRunLock(dsn, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if err := l.Check(context.Background()); err != nil {
		t.Fatalf("Check of a held lock: %v", err)
	}
	// The timeout makes pg_terminate_backend wait until the backend has
	// exited, and so released its advisory locks: without it, the next
	// AcquireRunLock could still find the lock held (seen under load).
	run(t, dsn, `SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'remit run lock (creditor 3)'`)
	if err := l.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "creditor 3") {
		t.Fatalf("Check after the session was ended: %v", err)
	}
	m, err := postgres.AcquireRunLock(dsn, 3, 0)
	if err != nil {
		t.Fatalf("the lock of an ended session: %v", err)
	}
	m.Release()
}
