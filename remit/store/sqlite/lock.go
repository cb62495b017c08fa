package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/remit-dev/remit/remit/store"
)

// ErrBusy means another remit holds the database's run lock.
var ErrBusy = store.ErrBusy

// RunLock is an exclusive lock on a database for the length of a run:
// <db>.lock beside the database file itself (symbolic links resolved, a
// file with several hard links refused: see databaseFile), held with
// flock(2), so it is released when the process dies.
type RunLock struct {
	f *os.File
}

// AcquireRunLock takes the run lock of the database at dbPath, waiting up
// to wait for another run to finish. A database that does not exist gets
// no lock file.
func AcquireRunLock(dbPath string, wait time.Duration) (*RunLock, error) {
	return AcquireRunLockContext(context.Background(), dbPath, wait)
}

// AcquireRunLockContext is AcquireRunLock, giving up when ctx is done.
func AcquireRunLockContext(ctx context.Context, dbPath string, wait time.Duration) (*RunLock, error) {
	real, err := databaseFile(dbPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w (run `remit init` to create it)", dbPath, ErrNoDatabase)
		}
		return nil, err
	}
	path := real + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if syscall.Access(filepath.Dir(real), wOK) != nil {
			return nil, ReadOnlyReason(dbPath)
		}
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
		select {
		case <-ctx.Done():
			f.Close()
			return nil, context.Cause(ctx)
		case <-time.After(50 * time.Millisecond):
		}
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
