package main

// Concurrency: several remit processes on one database at once, as when
// cron's run meets an accountant's import. The losers wait (--wait), or exit
// 4 with a clear "busy" message; SQLite's "database is locked" never
// reaches the user.

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockLeaks are texts of SQLite's locking errors, which the user must never see.
var lockLeaks = []string{"database is locked", "SQLITE_BUSY", "(5)", "(517)", "(261)"}

func checkNoLockLeak(t *testing.T, r result) {
	t.Helper()
	for _, leak := range lockLeaks {
		if strings.Contains(r.stderr, leak) || strings.Contains(r.stdout, leak) {
			t.Errorf("%q reached the user:\n%s", leak, r)
		}
	}
}

// everything selects every receivable of the generated ledgers.
var everything = []string{"--due-from", "2026-01-01", "--due-to", "2027-12-31"}

// TestConcurrentRunsImportsPoints starts remit runs, imports, points,
// single-method remittances and readers together on one database, each
// with --wait 30s: all succeed, no receivable is remitted twice, and the
// database and out/ are consistent.
func TestConcurrentRunsImportsPoints(t *testing.T) {
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	w := newWorkspace(t)
	w.initDB()
	a := genLedger(t, "A", 3000)
	w.must("import", w.writeFile("a.csv", a.csv))
	docs := a.docs
	for round := 0; round < rounds; round++ {
		p1, p2 := string(rune('B'+2*round)), string(rune('C'+2*round))
		pointed := genLedger(t, p1, 1000)
		open := genLedger(t, p2, 1000)
		open.csv = []byte(strings.ReplaceAll(string(open.csv), ",yes\n", ",no\n"))
		docs = append(append(docs, pointed.docs...), open.docs...)
		procs := [][]string{
			{"run", "--no-bordereau"},
			{"run"},
			{"run", "--json", "--log-format", "json"},
			{"import", w.writeFile(p1+".csv", pointed.csv)},
			{"import", w.writeFile(p2+".csv", open.csv)},
			append([]string{"point", "--method", "sdd"}, everything...),
			append([]string{"point", "--method", "lcr"}, everything...),
			{"sdd", "--no-bordereau"},
			{"lcr"},
			append([]string{"list", "--status", "pointed", "--format", "json"}, everything...),
			// A document written into out/ while runs clean it of temporary files.
			append([]string{"list", "--format", "pdf"}, everything...),
			{"remittances", "--json"},
		}
		results := make([]result, len(procs))
		var start, done sync.WaitGroup
		start.Add(1)
		for i, args := range procs {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				results[i] = w.run(append(args, "--wait", "30s")...)
			}()
		}
		start.Done()
		done.Wait()
		for _, r := range results {
			t.Logf("round %d: remit %s: exit %d in %v", round+1, strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond))
			if r.code != 0 {
				t.Errorf("round %d: %s", round+1, r)
			}
			checkNoLockLeak(t, r)
		}
		w.checkConsistent(docs, false)
	}
	// Whatever the order was, pointing and running once more remits everything.
	w.must(append([]string{"point"}, everything...)...)
	w.must("run")
	c := w.checkConsistent(docs, false)
	if c.remitted != len(docs) {
		t.Errorf("%d remitted, want %d (%d pointed, %d open)", c.remitted, len(docs), c.pointed, c.open)
	}
	w.checkFiles()
	w.checkRegenerate()
}

// holdRunLock takes <db>.lock as a running remit would, until release is called.
func holdRunLock(t *testing.T, w *workspace) (release func()) {
	t.Helper()
	f, err := os.OpenFile(w.db+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { f.Close() }) }
	t.Cleanup(release)
	return release
}

// holdWriteLock keeps an SQLite write transaction open on the database, as
// a long import would, until release is called.
func holdWriteLock(t *testing.T, w *workspace) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: w.db}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// TestConcurrentBusy: with another remit holding the database longer than
// --wait, a command exits 4 with a message that says "busy", soon after
// --wait; with a longer --wait it waits and succeeds.
func TestConcurrentBusy(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 300)
	w.must("import", w.writeFile("a.csv", l.csv))

	wantBusy := func(t *testing.T, r result, wait time.Duration) {
		t.Helper()
		if r.code != 4 {
			t.Errorf("exit %d, want 4 (busy)\n%s", r.code, r)
		}
		if !strings.Contains(r.stderr, "busy") {
			t.Errorf("stderr does not say busy:\n%s", r.stderr)
		}
		checkNoLockLeak(t, r)
		if r.took < wait || r.took > wait+5*time.Second {
			t.Errorf("gave up after %v with --wait %v", r.took, wait)
		}
	}

	t.Run("run lock held, --wait 0s", func(t *testing.T) {
		release := holdRunLock(t, w)
		defer release()
		wantBusy(t, w.run("run", "--wait", "0s"), 0)
	})
	t.Run("run lock held, --wait 1s", func(t *testing.T) {
		release := holdRunLock(t, w)
		defer release()
		wantBusy(t, w.run("run", "--wait", "1s"), time.Second)
	})
	t.Run("write lock held, --wait 0s", func(t *testing.T) {
		release := holdWriteLock(t, w)
		defer release()
		for _, args := range [][]string{
			append([]string{"point", "--method", "sdd"}, everything...),
			{"import", w.writeFile("a.csv", l.csv)},
			{"sdd"},
			{"run"},
		} {
			wantBusy(t, w.run(append(args, "--wait", "0s")...), 0)
		}
	})
	t.Run("write lock held, --wait 1s", func(t *testing.T) {
		release := holdWriteLock(t, w)
		defer release()
		wantBusy(t, w.run(append([]string{"point", "--method", "sdd", "--wait", "1s"}, everything...)...), time.Second)
		wantBusy(t, w.run("run", "--wait", "1s"), time.Second)
	})
	// Nothing was changed by the busy commands.
	if n := w.queryInt(`SELECT count(*) FROM remittances`); n != 0 {
		t.Fatalf("%d remittances after busy runs", n)
	}

	t.Run("lock released while waiting", func(t *testing.T) {
		release := holdRunLock(t, w)
		releaseDB := holdWriteLock(t, w)
		time.AfterFunc(300*time.Millisecond, release)
		time.AfterFunc(600*time.Millisecond, releaseDB)
		r := w.run("run", "--wait", "10s")
		if r.code != 0 {
			t.Fatalf("%s", r)
		}
		checkNoLockLeak(t, r)
		if r.took < 500*time.Millisecond {
			t.Errorf("run did not wait for the locks (%v)", r.took)
		}
	})
	// A real run holding the lock: a second run with --wait 0s started while
	// it runs is busy, or finds nothing to do if the first one was quicker.
	t.Run("two real runs", func(t *testing.T) {
		z := genLedger(t, "Z", 3000)
		w.must("import", w.writeFile("z.csv", z.csv))
		// --wait 5s: lockHeld's probe takes the lock for an instant.
		first := w.command(context.Background(), nil, "run", "--wait", "5s")
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !lockHeld(w) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		second := w.run("run", "--wait", "0s")
		if code, _ := exitStatus(t, first, first.Wait()); code != 0 {
			t.Fatalf("first run: exit %d", code)
		}
		checkNoLockLeak(t, second)
		switch {
		case second.code == 4 && strings.Contains(second.stderr, "busy"):
		case second.code == 0 && strings.Contains(second.stdout, "nothing to do"):
			t.Log("the first run ended before the second started")
		default:
			t.Errorf("second run: %s", second)
		}
		w.checkConsistent(append(l.docs, z.docs...), false)
	})
}

// lockHeld reports whether some process holds <db>.lock.
func lockHeld(w *workspace) bool {
	f, err := os.OpenFile(w.db+".lock", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}
