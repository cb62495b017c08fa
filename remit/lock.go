package remit

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// ErrBusy means another remit holds the database's run lock.
var ErrBusy = errors.New("busy: another remit run holds the database")

// RunLock is an exclusive lock on a database for the length of a run:
// <db>.lock, held with flock(2), so it is released when the process dies.
type RunLock struct {
	f *os.File
}

// AcquireRunLock takes the run lock of the database at dbPath, waiting up
// to wait for another run to finish.
func AcquireRunLock(dbPath string, wait time.Duration) (*RunLock, error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &RunLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (%s, waited %s)", ErrBusy, path, wait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Release frees the lock.
func (l *RunLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}
