package sqlite

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEveryConnectionWaitsAndLocksAtBegin: database/sql opens connections
// as it needs them; each must have the busy timeout (or a concurrent remit
// gets "database is locked" at once) and begin its transactions IMMEDIATE
// (or a read transaction upgraded to a write one fails with SQLITE_BUSY
// whatever the timeout).
func TestEveryConnectionWaitsAndLocksAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "remit.db")
	if _, _, err := Init(path, Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(path, Options{BusyTimeout: 1234 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var conns []*sql.Conn
	for i := 0; i < 4; i++ {
		c, err := st.DB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var ms int
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms); err != nil || ms != 1234 {
			t.Errorf("connection %d: busy_timeout %d, %v; want 1234", i, ms, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// A transaction that has only read holds the write lock already: another
	// process (here a connection with no timeout) cannot begin one.
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	tx.QueryRowContext(ctx, "SELECT count(*) FROM receivables").Scan(&n)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "BEGIN IMMEDIATE"); err == nil {
		other.ExecContext(ctx, "ROLLBACK")
		t.Error("a transaction begun by the store does not hold the write lock: it is DEFERRED")
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
