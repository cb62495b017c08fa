package storetest

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
)

// testFilesBesideItems: a run writes a remittance's bank files on a
// goroutine of their own while the store records its items
// (collect.startFiles). The store waits for the pain.008's first bytes
// before it records the items; a file failing while the items are
// recorded, the store failing while the file is written (the file's
// context is cancelled), and the écritures failing once the files are
// written under their temporary names each fail the run whole: no
// remittance, the receivables still pointed, and nothing in the out folder
// (no file, no temporary file, no pending mark). Then the run that waits
// for its file commits it, as recorded.
func testFilesBesideItems(t *testing.T, e *env) {
	e.load()
	e.pointAll()
	pointed := e.docs(remit.Filter{Status: remit.StatusPointed})
	t.Run("FileFailingWhileItemsRecorded", func(t *testing.T) {
		failed := make(chan struct{})
		full := errors.New("no space left on device")
		j := watchedJob{write: func(context.Context, io.Writer, []byte) (int, error) {
			closeOnce(failed)
			return 0, full
		}}
		s := sideBySide{beforeItems: func(context.Context) error { return wait(failed, "failing file") }}
		if _, err := e.runSideBySide(s, j); !errors.Is(err, full) {
			t.Fatalf("run: %v, want %v", err, full)
		}
		e.nothingLeft(t, pointed)
	})
	t.Run("StoreFailingWhileFileWritten", func(t *testing.T) {
		j := watchedJob{started: make(chan struct{})}
		stopped := make(chan struct{})
		broken := errors.New("database disk image is malformed")
		j.write = func(ctx context.Context, w io.Writer, p []byte) (int, error) {
			if err := wait(ctx.Done(), "stop of the file"); err != nil {
				return 0, err
			}
			closeOnce(stopped)
			return 0, ctx.Err()
		}
		s := sideBySide{beforeItems: func(context.Context) error {
			if err := wait(j.started, "file written beside the items"); err != nil {
				return err
			}
			return broken
		}}
		if _, err := e.runSideBySide(s, j); !errors.Is(err, broken) {
			t.Fatalf("run: %v, want %v", err, broken)
		}
		if err := wait(stopped, "stop of the file"); err != nil {
			t.Error(err)
		}
		e.nothingLeft(t, pointed)
	})
	t.Run("EntriesFailing", func(t *testing.T) {
		j := watchedJob{started: make(chan struct{})}
		unbalanced := errors.New("écriture not balanced")
		s := sideBySide{beforeEntries: func(context.Context) error {
			if err := wait(j.started, "file written beside the items"); err != nil {
				return err
			}
			// The pain.008 is in the folder under its temporary name until
			// the run renames it into place or removes it: no file has its
			// name yet.
			for deadline := time.Now().Add(10 * time.Second); !slices.ContainsFunc(dirNames(t, e.out), isXML); {
				if time.Now().After(deadline) {
					return errors.New("10 s and still no pain.008")
				}
				time.Sleep(time.Millisecond)
			}
			for _, name := range dirNames(t, e.out) {
				if !strings.HasPrefix(name, ".") {
					t.Errorf("%s took its name before the écritures were recorded", name)
				}
			}
			return unbalanced
		}}
		if _, err := e.runSideBySide(s, j); !errors.Is(err, unbalanced) {
			t.Fatalf("run: %v, want %v", err, unbalanced)
		}
		e.nothingLeft(t, pointed)
	})
	t.Run("Committed", func(t *testing.T) {
		j := watchedJob{started: make(chan struct{})}
		s := sideBySide{beforeItems: func(context.Context) error { return wait(j.started, "file written beside the items") }}
		res, err := e.runSideBySide(s, j)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Remittances) == 0 {
			t.Fatal("no remittance")
		}
		e.regeneratedSame(res.Remittances...)
	})
}

// isXML says whether name is a pain.008's, or its temporary file's.
func isXML(name string) bool {
	return strings.HasSuffix(name, ".xml") || strings.Contains(name, ".xml.remit-tmp-")
}

// sideBySide is a store whose run's transaction calls the test's hooks
// before recording the items and the écritures.
type sideBySide struct {
	store.Store
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
	started chan struct{} // closed at the first bytes of the first pain.008
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
		closeOnce(w.j.started)
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

// runSideBySide runs an SDD job (with the national file too: each
// pain.008 is its remittance's second file) on the env's store wrapped in s.
func (e *env) runSideBySide(s sideBySide, j watchedJob) (*collect.Result, error) {
	j.Job = sdd.Job(sdd.Options{LeadDays: 1, CFONB: true, Common: collect.Common{OutDir: e.out, NoBordereau: true}})
	if j.started == nil {
		j.started = make(chan struct{})
	}
	s.Store = e.st
	return collect.Run(e.ctx, s, e.cr, j)
}

// nothingLeft checks that a run that failed left nothing behind.
func (e *env) nothingLeft(t *testing.T, pointed []string) {
	t.Helper()
	if rems, err := e.st.Remittances(e.ctx, e.cr.ID); err != nil || len(rems) != 0 {
		t.Errorf("%d remittances committed (%v)", len(rems), err)
	}
	if got := e.docs(remit.Filter{Status: remit.StatusPointed}); !slices.Equal(got, pointed) {
		t.Errorf("pointed after the failure: %q, want %q", got, pointed)
	}
	for _, name := range dirNames(t, e.out) {
		t.Errorf("left in the out folder: %s", name)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, d := range entries {
		out = append(out, d.Name())
	}
	return out
}
