package sqlite

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
)

// A run writes a remittance's bank files on a goroutine of their own while
// the store records its items (collect.startFiles). These tests hold one
// side until the other has got somewhere, make one of them fail, and check
// that the run fails whole: no remittance, its receivables still pointed,
// and nothing in the out folder (no file, no temporary file, no pending
// mark).

// sideBySide is a store whose run's transaction calls the test's hooks
// before recording the items and the écritures.
type sideBySide struct {
	*Store
	beforeItems   func(ctx context.Context) error
	beforeEntries func(ctx context.Context) error
}

func (s sideBySide) Run(ctx context.Context, fn func(store.RunTx) error) error {
	return s.Store.Run(ctx, func(tx store.RunTx) error { return fn(sideBySideTx{RunTx: tx, s: s}) })
}

type sideBySideTx struct {
	store.RunTx
	s sideBySide
}

func (t sideBySideTx) RecordItems(ctx context.Context, id int64, shape store.ItemShape, blocks []store.BlockKey,
	items func(yield func(store.ItemRef) error) error) error {
	if t.s.beforeItems != nil {
		if err := t.s.beforeItems(ctx); err != nil {
			return err
		}
	}
	return t.RunTx.RecordItems(ctx, id, shape, blocks, items)
}

func (t sideBySideTx) CollectionEntries(ctx context.Context, rem remit.Remittance) error {
	if t.s.beforeEntries != nil {
		if err := t.s.beforeEntries(ctx); err != nil {
			return err
		}
	}
	return t.RunTx.CollectionEntries(ctx, rem)
}

// watchedJob is an SDD job whose files tell the test when they start to be
// written (started), and may fail or wait there (write).
type watchedJob struct {
	collect.Job
	started chan struct{} // closed at the first bytes of a remittance's last file
	write   func(ctx context.Context, w io.Writer, p []byte) (int, error)
}

func (j watchedJob) Kind() collect.Kind { return watchedKind{Kind: j.Job.Kind(), j: j} }

type watchedKind struct {
	collect.Kind
	j watchedJob
}

func (k watchedKind) Files(ctx context.Context, items store.ItemReader, rem remit.Remittance, base string, name func(format, def string) string,
	write collect.FileWriter) ([]remit.FileInfo, error) {
	return k.Kind.Files(ctx, items, rem, base, name, func(name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
		if !strings.HasPrefix(format, "pain.008") {
			return write(name, format, fn)
		}
		return write(name, format, func(w io.Writer) error {
			return fn(&watchedWriter{ctx: ctx, w: w, j: k.j})
		})
	})
}

type watchedWriter struct {
	ctx   context.Context
	w     io.Writer
	j     watchedJob
	begun bool
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	if !w.begun {
		w.begun = true
		close(w.j.started)
	}
	if w.j.write != nil {
		return w.j.write(w.ctx, w.w, p)
	}
	return w.w.Write(p)
}

// closeOnce closes c unless it is closed.
func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// wait waits for c, or says what did not come.
func wait(c <-chan struct{}, what string) error {
	select {
	case <-c:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("10 s and still no " + what)
	}
}

// runSideBySide runs an SDD job of two debits (with the national file
// too: the pain.008 is the second file) on s.
func runSideBySide(t *testing.T, e *sddEnv, s sideBySide, j watchedJob) (*collect.Result, error) {
	t.Helper()
	j.Job = sdd.Job(sdd.Options{LeadDays: 1, CFONB: true, Common: collect.Common{OutDir: e.out, NoBordereau: true}})
	s.Store = e.st
	return collect.Run(context.Background(), s, e.cr, j)
}

// nothingLeft checks that a run that failed left nothing behind.
func nothingLeft(t *testing.T, e *sddEnv) {
	t.Helper()
	if n := count(t, e.st, "SELECT count(*) FROM remittances"); n != 0 {
		t.Errorf("%d remittances committed", n)
	}
	if got := docs(t, e.st, e.cr, remit.Filter{Status: remit.StatusPointed}); got != "F1 F2" {
		t.Errorf("pointed after the failure: %q", got)
	}
	entries, err := os.ReadDir(e.out)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range entries {
		t.Errorf("left in the out folder: %s", d.Name())
	}
}

func sideBySideEnv(t *testing.T) *sddEnv {
	return newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-02", "RUM-B", ""))
}

// The pain.008 is being written while the items are recorded: the store
// waits for its first bytes before recording them.
func TestFilesWrittenWhileItemsRecorded(t *testing.T) {
	e := sideBySideEnv(t)
	started := make(chan struct{})
	s := sideBySide{beforeItems: func(context.Context) error { return wait(started, "file written beside the items") }}
	res, err := runSideBySide(t, e, s, watchedJob{started: started})
	if err != nil {
		t.Fatal(err)
	}
	rem := res.Remittances[0]
	if len(rem.Files) != 2 || rem.Files[0].Format != sdd.FormatCFONBDebit || !strings.HasPrefix(rem.Files[1].Format, "pain.008") {
		t.Fatalf("files %+v", rem.Files)
	}
	got, err := e.st.Remittance(context.Background(), e.cr.ID, rem.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range got.Files {
		b, err := os.ReadFile(rem.Files[i].Path)
		if err != nil || f.Name != rem.Files[i].Name || f.Size != int64(len(b)) || f.SHA256 != rem.Files[i].SHA256 {
			t.Errorf("file %d recorded %+v, written %+v (%v)", i, f, rem.Files[i], err)
		}
	}
	if names := dirNames(t, e.out); names != "PAIEMENT.001 PAIEMENT.001.xml" {
		t.Errorf("out folder: %s", names)
	}
}

func dirNames(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range entries {
		out = append(out, d.Name())
	}
	return strings.Join(out, " ")
}

// The pain.008 fails while the items are recorded (the national file is
// written already): the run fails, and neither file stays.
func TestFileFailingWhileItemsRecordedLeavesNothing(t *testing.T) {
	e := sideBySideEnv(t)
	started, failed := make(chan struct{}), make(chan struct{})
	full := errors.New("no space left on device")
	j := watchedJob{started: started, write: func(_ context.Context, w io.Writer, p []byte) (int, error) {
		closeOnce(failed)
		return 0, full
	}}
	s := sideBySide{beforeItems: func(context.Context) error { return wait(failed, "failing file") }}
	if _, err := runSideBySide(t, e, s, j); !errors.Is(err, full) {
		t.Fatalf("run: %v, want %v", err, full)
	}
	nothingLeft(t, e)
}

// The store fails while the pain.008 is being written: the run stops the
// file (its context is cancelled) and fails, and neither file stays.
func TestStoreFailingWhileFileWrittenLeavesNothing(t *testing.T) {
	e := sideBySideEnv(t)
	started, stopped := make(chan struct{}), make(chan struct{})
	broken := errors.New("database disk image is malformed")
	j := watchedJob{started: started, write: func(ctx context.Context, w io.Writer, p []byte) (int, error) {
		if err := wait(ctx.Done(), "stop of the file"); err != nil {
			return 0, err
		}
		closeOnce(stopped)
		return 0, ctx.Err()
	}}
	s := sideBySide{beforeItems: func(context.Context) error {
		if err := wait(started, "file written beside the items"); err != nil {
			return err
		}
		return broken
	}}
	if _, err := runSideBySide(t, e, s, j); !errors.Is(err, broken) {
		t.Fatalf("run: %v, want %v", err, broken)
	}
	if err := wait(stopped, "stop of the file"); err != nil {
		t.Error(err)
	}
	nothingLeft(t, e)
}

// The écritures fail once both files are written under their temporary
// names: the run fails, no file took its name, and none stays.
func TestEntriesFailingLeaveNoFile(t *testing.T) {
	e := sideBySideEnv(t)
	started := make(chan struct{})
	j := watchedJob{started: started}
	unbalanced := errors.New("écriture not balanced")
	s := sideBySide{beforeEntries: func(context.Context) error {
		if err := wait(started, "file written beside the items"); err != nil {
			return err
		}
		// The pain.008's temporary file is in the folder until the run
		// renames it into place or removes it.
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(dirNames(t, e.out), ".PAIEMENT.001.xml.remit-tmp-"); {
			if time.Now().After(deadline) {
				return errors.New("10 s and still no temporary pain.008")
			}
			time.Sleep(time.Millisecond)
		}
		if names := dirNames(t, e.out); strings.Contains(" "+names+" ", " PAIEMENT.001 ") || strings.Contains(" "+names+" ", " PAIEMENT.001.xml ") {
			t.Errorf("a file took its name before the écritures: %s", names)
		}
		return unbalanced
	}}
	if _, err := runSideBySide(t, e, s, j); !errors.Is(err, unbalanced) {
		t.Fatalf("run: %v, want %v", err, unbalanced)
	}
	nothingLeft(t, e)
}
