package outdir

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCleanTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".PAIEMENT.001.xml"+tmpMarker+"abc"), []byte("partial"), 0o600)
	os.WriteFile(filepath.Join(dir, "PAIEMENT.001.xml"), []byte("keep"), 0o600)
	if n, err := CleanTemporaryFiles(dir); n != 1 || err != nil {
		t.Errorf("removed %d, %v", n, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left", len(entries))
	}
}

// TestCleanTemporaryFilesSparesLiveWriters: a run starting (and cleaning
// --out) while another process writes a document there must not remove that
// document's temporary file (regression: `remit list --format pdf` failed
// with "rename …: no such file or directory" when a `remit run` started),
// but must remove the files of writers that died.
func TestCleanTemporaryFilesSparesLiveWriters(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".PAIEMENT.007.xml"+tmpMarker+"0123456789ab")
	if err := os.WriteFile(stale, []byte("half a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	writing := make(chan struct{})
	resume := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := WriteFile(dir, "ECHEANCES.20261122.pdf", "pdf", func(w io.Writer) error {
			io.WriteString(w, "%PDF-1.4 first half")
			close(writing)
			<-resume
			_, err := io.WriteString(w, " second half")
			return err
		})
		done <- err
	}()
	<-writing
	n, err := CleanTemporaryFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("CleanTemporaryFiles removed %d files, want 1 (the stale one)", n)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file is still there")
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatalf("the live writer failed: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ECHEANCES.20261122.pdf"))
	if err != nil || string(data) != "%PDF-1.4 first half second half" {
		t.Fatalf("written file: %q, %v", data, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), tmpMarker) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// A folder remit cannot write in: the message names the file, not its
// temporary name, and says what to do.
func TestWriteErrorNamesTheFile(t *testing.T) {
	err := writeError("out", "PAIEMENT.001.xml", &fs.PathError{Op: "open", Path: "out/.PAIEMENT.001.xml.remit-tmp-123", Err: syscall.EROFS})
	want := "cannot write out/PAIEMENT.001.xml: read-only file system: remit cannot write in the folder out; make it writable, or write elsewhere (--out, or -o for a document)"
	if err.Error() != want || !errors.Is(err, syscall.EROFS) {
		t.Errorf("got %q\nwant %q", err, want)
	}
}

// A document name that is a path is refused before anything is written.
func TestWriteFileRefusesAPath(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := WriteFile(out, "../escape.pdf", "pdf", func(w io.Writer) error { return nil }); err == nil {
		t.Error("WriteFile accepted ../escape.pdf")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused name created the folder")
	}
}

// TestCleanSparesAnotherRunsPendingFiles: a run cleaning --out while
// another remit's transaction has written its files there but not yet
// committed (runs of two creditors of a PostgreSQL database go side by
// side) must leave those files and their marks alone, and clean them once
// their writer is gone without committing.
func TestCleanSparesAnotherRunsPendingFiles(t *testing.T) {
	dir := t.TempDir()
	_, p := Track(t.Context(), "other-run")
	if _, err := p.Write(dir, "PAIEMENT.002.xml", "pain.008.001.08", func(w io.Writer) error {
		_, err := io.WriteString(w, "<Document/>")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	notRecorded := func(string) (bool, error) { return false, nil }
	if err := Clean(dir, notRecorded); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"PAIEMENT.002.xml", ".PAIEMENT.002.xml" + pendingMarker} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("another run's %s: %v", name, err)
		}
	}
	p.unlock() // its process died: the kernel released its locks
	if err := Clean(dir, notRecorded); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files left after the other run died", len(entries))
	}
}
