package csvread

import (
	"os"
	"path/filepath"
	"strings"
)

// RejectPath is where the rejected lines of file go unless told: beside
// it, FILE.rejected.csv (in.csv → in.rejected.csv), or rejected.csv for
// standard input ("-" or "").
func RejectPath(file string) string {
	if file == "" || file == "-" {
		return "rejected.csv"
	}
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + ".rejected.csv"
}

// RejectFile is the rejects file of an import (ScanOptions.Rejects): it is
// written under a temporary name beside Path, created at the first write,
// and renamed to Path by Commit, when the import commits; Abort removes
// it. An import that rejects nothing creates nothing.
type RejectFile struct {
	Path string
	f    *os.File
}

// Write writes to the temporary file, creating it first.
func (rf *RejectFile) Write(p []byte) (int, error) {
	if rf.f == nil {
		f, err := os.CreateTemp(filepath.Dir(rf.Path), "."+filepath.Base(rf.Path)+".tmp*")
		if err != nil {
			return 0, err
		}
		rf.f = f
	}
	return rf.f.Write(p)
}

// Written reports whether anything was written.
func (rf *RejectFile) Written() bool { return rf.f != nil }

// Commit syncs the file and renames it into place.
func (rf *RejectFile) Commit() error {
	if rf.f == nil {
		return nil
	}
	if err := rf.f.Sync(); err != nil {
		return err
	}
	if err := rf.f.Close(); err != nil {
		return err
	}
	err := os.Rename(rf.f.Name(), rf.Path)
	rf.f = nil
	return err
}

// Abort removes the temporary file, if Commit has not renamed it.
func (rf *RejectFile) Abort() {
	if rf.f != nil {
		rf.f.Close()
		os.Remove(rf.f.Name())
		rf.f = nil
	}
}
