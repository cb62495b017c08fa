// Package outdir writes the files remit hands to a bank or a person into
// an out folder the crash-safe way: under a temporary name, synced, renamed
// into place (WriteFile); a remittance's files are also marked pending
// until the transaction that records them commits (Track, Pending), so
// that a killed or failed run leaves no bank file nothing records (Clean).
//
//	ctx, pend := outdir.Track(ctx, runID)
//	f, err := outdir.PendingOf(ctx).Write(dir, name, format, write)
//	... commit the transaction recording f, then:
//	pend.Commit() // or, when it rolled back: pend.Abandon(recorded)
package outdir

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
)

// tmpMarker is in every temporary file name, so a later run can remove what
// a killed run left behind.
const tmpMarker = ".remit-tmp-"

// WriteFile writes dir/name the crash-safe way (see writeAtomic); for the
// documents the commands write outside a remittance.
func WriteFile(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
	if err := remit.CheckFileName(name); err != nil {
		return remit.FileInfo{}, fmt.Errorf("%s: %w", name, err)
	}
	return writeAtomic(dir, name, format, nil, fn)
}

// writeAtomic writes a file the crash-safe way: under a temporary name in
// the same folder, with permissions 0600, synced, then renamed over the
// final name and the folder synced (stage, then Staged.Publish). The
// sha256 is computed while writing. created, when not nil, is called with
// the temporary file before anything is written to it.
func writeAtomic(dir, name, format string, created func(f *os.File) error, fn func(w io.Writer) error) (remit.FileInfo, error) {
	s, err := stage(dir, name, format, created, fn)
	if err != nil {
		return remit.FileInfo{}, err
	}
	if err := s.Publish(); err != nil {
		return remit.FileInfo{}, err
	}
	return s.Info, nil
}

// Staged is a file written and synced under its temporary name, not yet
// renamed into place: Publish renames it, Discard removes it.
type Staged struct {
	Info remit.FileInfo // the file as it will be, once published
	f    *os.File       // the temporary file, open (hence locked) until published or discarded
	tmp  string
}

// stage writes the temporary file of dir/name and syncs it (see writeAtomic).
func stage(dir, name, format string, created func(f *os.File) error, fn func(w io.Writer) error) (_ *Staged, err error) {
	defer func() {
		if err != nil {
			err = writeError(dir, name, err)
		}
	}()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, tmp, err := createLockedTemp(dir, name)
	if err != nil {
		return nil, err
	}
	s := &Staged{f: f, tmp: tmp}
	defer func() {
		if err != nil {
			s.Discard()
		}
	}()
	if created != nil {
		if err := created(f); err != nil {
			return nil, err
		}
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := fn(bw); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	s.Info = remit.FileInfo{Name: name, Path: filepath.Join(dir, name), Format: format, SHA256: hex.EncodeToString(h.Sum(nil)), Size: cw.n}
	return s, nil
}

// Publish renames a staged file into place and syncs its folder.
func (s *Staged) Publish() (err error) {
	dir := filepath.Dir(s.Info.Path)
	defer func() {
		if err != nil {
			s.Discard()
			err = writeError(dir, s.Info.Name, err)
		}
	}()
	if s.f == nil {
		return errors.New("published or discarded already")
	}
	crash.Point("before-rename")
	// Renamed while still open, hence still locked (see createLockedTemp).
	if err := os.Rename(s.tmp, s.Info.Path); err != nil {
		return err
	}
	f := s.f
	s.f = nil
	if err := f.Close(); err != nil {
		return err
	}
	SyncDir(dir)
	return nil
}

// Discard removes a staged file not published; it does nothing to one
// published.
func (s *Staged) Discard() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.tmp)
		s.f = nil
	}
}

// writeError names the file being written, not its temporary name, and
// says what to do when the folder is the problem.
func writeError(dir, name string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	default:
		return err // from the file's contents: it says where already
	}
	hint := ""
	switch {
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		hint = fmt.Sprintf(": remit cannot write in the folder %s; make it writable, or write elsewhere (--out, or -o for a document)", dir)
	case errors.Is(err, syscall.ENOTDIR), errors.Is(err, fs.ErrExist):
		hint = fmt.Sprintf(": %s is not a folder; write elsewhere (--out, or -o for a document)", dir)
	}
	return fmt.Errorf("cannot write %s: %w%s", filepath.Join(dir, name), err, hint)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// pendingMarker ends the name of the mark a remittance file gets before it
// is renamed into place: until the transaction that records the file
// commits, the file is pending. A run killed before its commit leaves a
// bank file that no remittance records, and the next run may have less to
// remit and not overwrite it: Clean removes it, so that no uploader
// ever sends debits remit does not know about.
//
// A mark names its run and the file remit wrote (its device and inode,
// known from the temporary file before it takes its name), so that a mark
// remit did not write, or a file that is not the one it wrote, never makes
// remit delete anything (see markedFile).
const pendingMarker = ".remit-pending"

func pendingName(dir, name string) string { return filepath.Join(dir, "."+name+pendingMarker) }

// pendingMark is what a mark says.
type pendingMark struct {
	run, name string
	dev, ino  uint64
}

const markHeader = "remit pending file\n"

func (m pendingMark) String() string {
	return fmt.Sprintf("%srun %s\nfile %s\ndev %d\ninode %d\n", markHeader, m.run, m.name, m.dev, m.ino)
}

// readMark reads the mark of dir/name; ok is false when it is missing or
// is not a mark remit wrote for that name.
func readMark(dir, name string) (m pendingMark, raw string, ok bool) {
	f, err := os.Open(pendingName(dir, name))
	if err != nil {
		return m, "", false
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 1024))
	raw = string(b)
	rest, found := strings.CutPrefix(raw, markHeader)
	if !found {
		return m, raw, false
	}
	lines := strings.Split(rest, "\n")
	if len(lines) != 5 {
		return m, raw, false
	}
	m.run, _ = strings.CutPrefix(lines[0], "run ")
	m.name, _ = strings.CutPrefix(lines[1], "file ")
	dev, _ := strings.CutPrefix(lines[2], "dev ")
	ino, _ := strings.CutPrefix(lines[3], "inode ")
	m.dev, _ = strconv.ParseUint(dev, 10, 64)
	m.ino, _ = strconv.ParseUint(ino, 10, 64)
	return m, raw, m.name == name && m.String() == raw
}

// markedFile reports whether dir/name is the very file m says remit wrote.
func markedFile(dir string, m pendingMark) bool {
	fi, err := os.Lstat(filepath.Join(dir, m.name))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && uint64(st.Dev) == m.dev && st.Ino == m.ino
}

// Pending are the files one transaction writes into out folders,
// marked pending until it ends: commit clears their marks, abandon (after
// a failure or a signal) removes the files no committed remittance records
// and their marks, so that a failed run leaves nothing behind.
//
// Each mark is locked (flock(2)) by the process that wrote it until its
// transaction ends, so that another remit cleaning the same folder while
// this one runs (runs of other creditors of a PostgreSQL database go side
// by side) leaves its files alone; the lock dies with its process, so a
// killed run's files are cleaned.
type Pending struct {
	run   string
	mu    sync.Mutex
	marks []pendingMark
	dirs  []string
	locks []*os.File // each mark, open and locked
}

type pendingKey struct{}

// Track returns ctx carrying a new set of pending files for run (a
// random name when run is empty).
func Track(ctx context.Context, run string) (context.Context, *Pending) {
	if run == "" || strings.ContainsAny(run, " \n") {
		var b [6]byte
		rand.Read(b[:])
		run = hex.EncodeToString(b[:])
	}
	p := &Pending{run: run}
	return context.WithValue(ctx, pendingKey{}, p), p
}

// PendingOf returns the set of pending files ctx carries (a new one if none).
func PendingOf(ctx context.Context) *Pending {
	if p, ok := ctx.Value(pendingKey{}).(*Pending); ok {
		return p
	}
	_, p := Track(ctx, "")
	return p
}

// Write writes a file of a remittance (see writeAtomic), marked pending:
// the mark, naming the temporary file that will take the name, is on disk
// before the file takes its name.
func (p *Pending) Write(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
	return writeAtomic(dir, name, format, p.mark(dir, name), fn)
}

// Stage is Write up to the rename: the file written and synced under its
// temporary name, marked pending, for the caller to publish once what it
// waits for is done (a run writes a remittance's files while its store
// records the items, and renames them in after), or to discard. It may be
// called on another goroutine than the rest of the transaction.
func (p *Pending) Stage(dir, name, format string, fn func(w io.Writer) error) (*Staged, error) {
	return stage(dir, name, format, p.mark(dir, name), fn)
}

// mark marks the temporary file of dir/name pending (see Write).
func (p *Pending) mark(dir, name string) func(f *os.File) error {
	return func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return errors.New("pending mark: no inode on this system")
		}
		m := pendingMark{run: p.run, name: name, dev: uint64(st.Dev), ino: st.Ino}
		lock, err := writeMark(dir, m)
		if err != nil {
			return err
		}
		p.mu.Lock()
		p.marks = append(p.marks, m)
		p.dirs = append(p.dirs, dir)
		p.locks = append(p.locks, lock)
		p.mu.Unlock()
		return nil
	}
}

// writeMark writes m, and returns it open and locked until its
// transaction ends (see Pending).
func writeMark(dir string, m pendingMark) (*os.File, error) {
	path := pendingName(dir, m.name)
	os.Remove(path) // a planted link or a stale mark is replaced, never written through
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pending mark: %w", err)
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	if err == nil {
		_, err = f.WriteString(m.String())
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("pending mark: %w", err)
	}
	SyncDir(dir)
	return f, nil
}

// unlock releases the marks' locks.
func (p *Pending) unlock() {
	for _, f := range p.locks {
		f.Close()
	}
	p.locks = nil
}

// markLocked reports whether the writer of dir's mark is alive: its
// process holds the mark's lock (see Pending).
func markLocked(dir, mark string) bool {
	f, err := os.Open(filepath.Join(dir, mark))
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) != nil
}

// Commit removes the marks of the files the committed transaction recorded.
func (p *Pending) Commit() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, m := range p.marks {
		if _, raw, _ := readMark(p.dirs[i], m.name); raw == m.String() {
			os.Remove(pendingName(p.dirs[i], m.name))
		}
	}
	p.unlock()
	p.marks, p.dirs = nil, nil
}

// Abandon is Commit for a transaction that rolled back: each file it wrote
// goes, unless a committed remittance records its name (regenerate rewrote
// a recorded file: recorded says so), with its mark. A file recorded cannot
// tell about is left to the next run's Clean.
func (p *Pending) Abandon(recorded func(name string) (bool, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, m := range p.marks {
		dir := p.dirs[i]
		if _, raw, _ := readMark(dir, m.name); raw != m.String() {
			continue // another remit's mark now
		}
		kept, err := recorded(m.name)
		if err != nil {
			continue // unknown: the next run's Clean decides
		}
		if !kept && markedFile(dir, m) {
			os.Remove(filepath.Join(dir, m.name))
		}
		os.Remove(pendingName(dir, m.name))
	}
	for _, d := range p.dirs {
		SyncDir(d)
	}
	p.unlock()
	p.marks, p.dirs = nil, nil
}

// Clean prepares dir for a transaction that writes remittance files:
// it removes the temporary files of killed writers, and the files still
// marked pending that no remittance records (recorded says which are:
// their transaction never committed) when they are the very files the
// marks name. A mark remit did not write is left alone, with its file, and
// so is a mark whose writer is alive (another remit's transaction, not
// ended yet). Call it inside a write transaction, before writing.
func Clean(dir string, recorded func(name string) (bool, error)) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("--out %s is not a folder: choose a folder for the files remit writes", dir)
	}
	if _, err := CleanTemporaryFiles(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		mark := e.Name()
		if !strings.HasPrefix(mark, ".") || !strings.HasSuffix(mark, pendingMarker) || !e.Type().IsRegular() {
			continue
		}
		name := strings.TrimSuffix(mark[1:], pendingMarker)
		m, _, ok := readMark(dir, name)
		if !ok || markLocked(dir, mark) {
			continue // not remit's, or its run goes on: neither it nor its file is touched
		}
		kept, err := recorded(name)
		if err != nil {
			return err
		}
		if !kept && markedFile(dir, m) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		if err := os.Remove(filepath.Join(dir, mark)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	SyncDir(dir)
	return nil
}

// createLockedTemp creates the temporary file for dir/name and holds an
// flock(2) on it until it is closed, so that CleanTemporaryFiles in another
// process (a run starting while `remit traites` writes its PDF) leaves it
// alone; the lock dies with its process, so a killed writer's file is
// removed. Should a cleaner remove the file between its creation and the
// lock, it is created again.
func createLockedTemp(dir, name string) (*os.File, string, error) {
	for {
		var rnd [6]byte
		rand.Read(rnd[:])
		tmp := filepath.Join(dir, "."+name+tmpMarker+hex.EncodeToString(rnd[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, "", err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			os.Remove(tmp)
			return nil, "", err
		}
		if st, err := f.Stat(); err == nil {
			if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Nlink == 0 {
				f.Close() // removed before we locked it: try another name
				continue
			}
		}
		return f, tmp, nil
	}
}

// CleanTemporaryFiles removes the temporary files killed writers left in
// dir. A file whose writer is alive is locked (createLockedTemp) and left
// alone.
func CleanTemporaryFiles(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), tmpMarker) {
			if removeUnlocked(filepath.Join(dir, e.Name())) {
				n++
			}
		}
	}
	return n, nil
}

// removeUnlocked removes path unless another process holds its lock.
func removeUnlocked(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // a live writer
	}
	return os.Remove(path) == nil
}

// Hash computes what Write would write (its sha256 and size), without writing.
func Hash(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
	h := sha256.New()
	cw := &countWriter{w: h}
	bw := bufio.NewWriterSize(cw, 1<<16)
	if err := fn(bw); err != nil {
		return remit.FileInfo{}, err
	}
	if err := bw.Flush(); err != nil {
		return remit.FileInfo{}, err
	}
	return remit.FileInfo{Name: name, Path: filepath.Join(dir, name), Format: format, SHA256: hex.EncodeToString(h.Sum(nil)), Size: cw.n}, nil
}
