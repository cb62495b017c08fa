package remit

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileInfo describes a file remit wrote.
type FileInfo struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
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
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+name+tmpMarker+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
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
	if err := f.Close(); err != nil {
		return FileInfo{}, err
	}
	crashPoint("before-rename")
	path := filepath.Join(dir, name)
	if err := os.Rename(tmp, path); err != nil {
		return FileInfo{}, err
	}
	ok = true
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

// CleanTemporaryFiles removes the temporary files a killed run left in dir.
// Call it only while holding the database's write lock: then no other remit
// is writing there.
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
			if os.Remove(filepath.Join(dir, e.Name())) == nil {
				n++
			}
		}
	}
	return n, nil
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
