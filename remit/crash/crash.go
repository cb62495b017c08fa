// Package crash stops remit at named points, for the tests of what a kill
// or a signal leaves behind: REMIT_CRASH_AT=POINT[:N] (see Env). Unset, a
// point does nothing.
//
//	crash.Point("before-commit") // a run's transaction about to commit
package crash

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Env names the environment variable of the crash tests
// (cmd/remit/crash_test.go): REMIT_CRASH_AT=POINT[:N] makes the process
// kill itself with SIGKILL the Nth time (default 1) it reaches POINT, so
// that the tests can stop a run exactly where timing alone rarely does.
// Points: before-rename (a file written under its temporary name, not yet
// renamed), after-file (a remittance's bank files renamed into place, not
// committed), before-commit (a remittance run's or an import's transaction
// about to commit), after-commit (just committed). Unset, it does nothing.
//
// With REMIT_CRASH_SIGNAL=TERM (or INT) the process sends itself that
// signal instead, lets remit's handler see it, and goes on: the tests of
// SIGTERM and SIGINT (remit stops at its next safe point).
const Env = "REMIT_CRASH_AT"

var crash struct {
	once  sync.Once
	mu    sync.Mutex
	point string
	nth   int
	seen  int
}

// Point kills the process when REMIT_CRASH_AT names this point.
func Point(point string) {
	crash.once.Do(func() {
		v := os.Getenv(Env)
		if v == "" {
			return
		}
		crash.point, crash.nth = v, 1
		if p, n, ok := strings.Cut(v, ":"); ok {
			crash.point = p
			if k, err := strconv.Atoi(n); err == nil && k > 0 {
				crash.nth = k
			}
		}
	})
	if crash.point != point {
		return
	}
	crash.mu.Lock()
	crash.seen++
	hit := crash.seen == crash.nth
	crash.mu.Unlock()
	if !hit {
		return
	}
	switch os.Getenv("REMIT_CRASH_SIGNAL") {
	case "TERM":
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	case "INT":
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	default:
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // SIGKILL cannot be caught; wait for it
	}
	time.Sleep(300 * time.Millisecond) // for the handler to cancel the command
}
