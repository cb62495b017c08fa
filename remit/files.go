package remit

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// FileInfo describes a file remit wrote.
type FileInfo struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Copies is a slip's number of copies (1 to 9), which its regeneration
	// needs; 0 for a slip an older remit printed with its print time.
	Copies int `json:"-"`
}

// tmpMarker is in every temporary file name, so a later run can remove what
// a killed run left behind.
const tmpMarker = ".remit-tmp-"

// WriteFile writes dir/name the crash-safe way (see writeAtomic); for the
// documents the commands write outside a remittance.
func WriteFile(dir, name, format string, fn func(w io.Writer) error) (FileInfo, error) {
	if err := checkFileName(name); err != nil {
		return FileInfo{}, fmt.Errorf("%s: %w", name, err)
	}
	return writeAtomic(dir, name, format, fn)
}

// writeAtomic writes a file the crash-safe way: under a temporary name in
// the same folder, with permissions 0600, synced, then renamed over the
// final name and the folder synced. The sha256 is computed while writing.
func writeAtomic(dir, name, format string, fn func(w io.Writer) error) (FileInfo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return FileInfo{}, err
	}
	f, tmp, err := createLockedTemp(dir, name)
	if err != nil {
		return FileInfo{}, err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := fn(bw); err != nil {
		return FileInfo{}, err
	}
	if err := bw.Flush(); err != nil {
		return FileInfo{}, err
	}
	if err := f.Sync(); err != nil {
		return FileInfo{}, err
	}
	crashPoint("before-rename")
	path := filepath.Join(dir, name)
	// Renamed while still open, hence still locked (see createLockedTemp).
	if err := os.Rename(tmp, path); err != nil {
		return FileInfo{}, err
	}
	ok = true
	if err := f.Close(); err != nil {
		return FileInfo{}, err
	}
	syncDir(dir)
	return FileInfo{Name: name, Path: path, Format: format, SHA256: hex.EncodeToString(h.Sum(nil)), Size: cw.n}, nil
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

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// pendingMarker ends the name of the mark a remittance file gets before it
// is renamed into place: until the transaction that records the file
// commits, the file is pending. A run killed before its commit leaves a
// bank file that no remittance records, and the next run may have less to
// remit and not overwrite it: cleanOut removes it, so that no uploader
// ever sends debits remit does not know about.
const pendingMarker = ".remit-pending"

func pendingName(dir, name string) string { return filepath.Join(dir, "."+name+pendingMarker) }

// writeRemittanceFile writes a file of a remittance (see writeAtomic),
// marked pending until clearPending.
func writeRemittanceFile(dir, name, format string, fn func(w io.Writer) error) (FileInfo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return FileInfo{}, err
	}
	mark, err := os.OpenFile(pendingName(dir, name), os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return FileInfo{}, err
	}
	mark.Close()
	syncDir(dir) // the mark is on disk before the file takes its name
	return writeAtomic(dir, name, format, fn)
}

// clearPending removes the marks of committed remittances' files.
func clearPending(dir string, rems []Remittance) {
	for _, r := range rems {
		for _, f := range r.Files {
			os.Remove(pendingName(dir, f.Name))
		}
	}
}

// cleanOut prepares dir for a transaction that writes remittance files:
// it removes the temporary files of killed writers, and the files still
// marked pending that no remittance records (their transaction never
// committed). Call it inside a write transaction, before writing.
func cleanOut(ctx context.Context, q querier, dir string) error {
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
		if !strings.HasPrefix(mark, ".") || !strings.HasSuffix(mark, pendingMarker) {
			continue
		}
		name := strings.TrimSuffix(mark[1:], pendingMarker)
		var recorded int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM remittance_files WHERE name = ?`, name).Scan(&recorded); err != nil {
			return err
		}
		if recorded == 0 {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		if err := os.Remove(filepath.Join(dir, mark)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	syncDir(dir)
	return nil
}

// CleanOut does what a remittance run does first to dir (see cleanOut), for
// `remit run` to do it even when nothing is pointed.
func (s *Store) CleanOut(ctx context.Context, dir string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return cleanOut(ctx, tx, dir) })
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

// DefaultNameTemplate names remittance files as seed 004 does: PAIEMENT
// followed by the remittance reference; the SEPA file adds ".xml".
const DefaultNameTemplate = "PAIEMENT.{ref}"

// FileName expands a name template: {ref} (the remittance reference),
// {creditor} (the creditor code), {kind} (sdd or lcr), {date} (YYYYMMDD of
// creation). The result must be a plain file name.
func FileName(template string, ref, creditor, kind string, created time.Time) (string, error) {
	if template == "" {
		template = DefaultNameTemplate
	}
	if !strings.Contains(template, "{ref}") {
		return "", fmt.Errorf("file name template %q: must contain {ref}, so that every remittance gets its own file", template)
	}
	name := strings.NewReplacer("{ref}", ref, "{creditor}", creditor, "{kind}", kind,
		"{date}", created.Format("20060102")).Replace(template)
	if err := checkFileName(name); err != nil {
		return "", fmt.Errorf("file name template %q: %w", template, err)
	}
	return name, nil
}

func checkFileName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return errors.New("empty file name")
	case strings.ContainsAny(name, "/\\\x00"):
		return errors.New("a file name cannot contain / or \\")
	case strings.HasPrefix(name, "."):
		return errors.New("a file name cannot start with a dot")
	case len(name) > 200:
		return errors.New("file name too long")
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return errors.New("control character in file name")
		}
	}
	return nil
}
