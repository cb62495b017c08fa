package main

// Crash tests: `remit run` and `remit import` killed with SIGKILL at many
// points, then run again. See README "Files": a crash leaves either no
// remittance (the next run does it again) or a complete one, and the next
// run removes any temporary file left behind.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashSize is the number of receivables of the crash tests.
func crashSize() int {
	if testing.Short() {
		return 1000
	}
	return 3000
}

// crashFixture is a database with the receivables imported and pointed,
// shared (read-only: each scenario clones it) by the crash tests.
var crashFixture struct {
	once  sync.Once
	w     *workspace
	l     ledger
	dir   string
	mu    sync.Mutex
	bases map[string]crashBaseline // by the run's arguments
}

func crashTemplate(t *testing.T) (*workspace, ledger) {
	t.Helper()
	crashFixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "remit-crash-")
		if err != nil {
			t.Fatal(err)
		}
		crashFixture.dir = dir
		w := &workspace{t: t, dir: dir, db: filepath.Join(dir, "remit.db"), out: filepath.Join(dir, "out")}
		w.initDB()
		l := genLedger(t, "A", crashSize())
		w.must("import", w.writeFile("receivables.csv", l.csv))
		crashFixture.w, crashFixture.l = w, l
	})
	if crashFixture.w == nil {
		t.Fatal("crash fixture failed in an earlier test")
	}
	return crashFixture.w, crashFixture.l
}

// crashBaseline is an uninterrupted run on a clone of the template: its
// duration and files are what every crashed-then-completed run must match.
type crashBaseline struct {
	took  time.Duration
	files map[string]string
}

// baseline returns the baseline of a run with args, made once per test process.
func baseline(t *testing.T, args ...string) crashBaseline {
	t.Helper()
	tmpl, l := crashTemplate(t)
	key := strings.Join(args, " ")
	crashFixture.mu.Lock()
	defer crashFixture.mu.Unlock()
	if b, ok := crashFixture.bases[key]; ok {
		return b
	}
	b := runBaseline(t, tmpl, l, args...)
	if crashFixture.bases == nil {
		crashFixture.bases = map[string]crashBaseline{}
	}
	crashFixture.bases[key] = b
	return b
}

func runBaseline(t *testing.T, tmpl *workspace, l ledger, args ...string) crashBaseline {
	t.Helper()
	w := tmpl.clone(t)
	w.t = t
	r := w.must(args...)
	c := w.checkConsistent(l.docs, false)
	if c.remitted != len(l.docs) {
		t.Fatalf("baseline: %d of %d remitted\n%s", c.remitted, len(l.docs), r)
	}
	w.checkFiles()
	w.checkRegenerate()
	// A second run has nothing to do and writes nothing.
	if r2 := w.must(args...); !strings.Contains(r2.stdout, "nothing to do") {
		t.Errorf("second run: %s", r2)
	}
	return crashBaseline{took: r.took, files: c.files}
}

// finishAfterCrash runs remit again to completion on a crashed workspace
// and checks it ends exactly where an uninterrupted run ends.
func finishAfterCrash(t *testing.T, w *workspace, l ledger, base crashBaseline, regenerate bool, args ...string) {
	t.Helper()
	w.checkConsistent(l.docs, true)
	if t.Failed() {
		t.FailNow()
	}
	r := w.run(args...)
	if r.code != 0 {
		t.Fatalf("run after the crash: %s", r)
	}
	c := w.checkConsistent(l.docs, false)
	if c.remitted != len(l.docs) || c.pointed != 0 {
		t.Errorf("after the crash and a new run: %d remitted, %d pointed, want %d and 0", c.remitted, c.pointed, len(l.docs))
	}
	if total := w.queryInt(`SELECT sum(total) FROM remittances WHERE status != 'cancelled'`); int64(total) != l.total {
		t.Errorf("remitted %d cents in all, the receivables are %d", total, l.total)
	}
	// The clock is fixed and references are chronological: the files are the
	// very bytes of the uninterrupted run.
	if got, want := strings.Join(sortedNames(c.files), " "), strings.Join(sortedNames(base.files), " "); got != want {
		t.Errorf("files %s, uninterrupted run wrote %s", got, want)
	}
	for name, sum := range base.files {
		if c.files[name] != sum {
			t.Errorf("%s: sha256 %s, uninterrupted run %s", name, c.files[name], sum)
		}
	}
	if regenerate {
		w.checkRegenerate()
	}
}

// TestCrashRunKilledAnyTime kills `remit run` with SIGKILL after delays spread
// over an uninterrupted run's duration, with and without the PDF slips.
func TestCrashRunKilledAnyTime(t *testing.T) {
	tmpl, l := crashTemplate(t)
	for _, mode := range []struct {
		name  string
		args  []string
		kills int
	}{
		{"no-bordereau", []string{"run", "--no-bordereau"}, 10},
		{"bordereau", []string{"run"}, 5},
	} {
		t.Run(mode.name, func(t *testing.T) {
			base := baseline(t, mode.args...)
			kills := mode.kills
			if testing.Short() {
				kills = (kills + 1) / 2
			}
			killed := 0
			for i := 0; i < kills; i++ {
				frac := (float64(i) + 0.5) / float64(kills)
				delay := time.Duration(frac * float64(base.took))
				t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
					w := tmpl.clone(t)
					w.t = t
					cmd := w.command(t.Context(), nil, mode.args...)
					var stderr strings.Builder
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					time.Sleep(delay)
					cmd.Process.Signal(syscall.SIGKILL)
					code, wasKilled := exitStatus(t, cmd, cmd.Wait())
					if wasKilled {
						killed++
					} else if code != 0 {
						t.Fatalf("run exited %d before the kill:\n%s", code, stderr.String())
					}
					if wasKilled {
						t.Logf("killed after %v: %s", delay, crashState(w))
					}
					finishAfterCrash(t, w, l, base, i%4 == 0, mode.args...)
				})
			}
			t.Logf("%d of %d runs killed before their end (uninterrupted run: %v)", killed, kills, base.took)
			if killed == 0 {
				t.Errorf("no run was killed: the delays (%v run) miss the run entirely", base.took)
			}
		})
	}
}

// TestCrashRunAtEachStep stops `remit run` exactly at each step of a
// remittance with REMIT_CRASH_AT (remit/crashpoint.go).
func TestCrashRunAtEachStep(t *testing.T) {
	tmpl, l := crashTemplate(t)
	noSlip := []string{"run", "--no-bordereau"}
	withSlip := []string{"run"}
	steps := []struct {
		at    string
		args  []string
		check func(t *testing.T, w *workspace) // the state right after the crash
	}{
		// The first file (B2B SDD, 001) under its temporary name.
		{"before-rename:1", noSlip, func(t *testing.T, w *workspace) {
			wantOut(t, w, []string{".remit-tmp-"}, []string{"PAIEMENT.001.xml"})
			wantRemittances(t, w, 0)
		}},
		// 001's file in place, not committed: the next run overwrites it.
		{"after-file:1", noSlip, func(t *testing.T, w *workspace) {
			wantOut(t, w, []string{"PAIEMENT.001.xml"}, []string{".remit-tmp-"})
			wantRemittances(t, w, 0)
		}},
		// 001 written and 002 (CORE) too, same transaction, not committed.
		{"after-file:2", noSlip, func(t *testing.T, w *workspace) {
			wantOut(t, w, []string{"PAIEMENT.001.xml", "PAIEMENT.002.xml"}, nil)
			wantRemittances(t, w, 0)
		}},
		{"before-commit:1", noSlip, func(t *testing.T, w *workspace) { wantRemittances(t, w, 0) }},
		// The SDD transaction committed; the LCR one not started.
		{"after-commit:1", noSlip, func(t *testing.T, w *workspace) {
			wantRemittances(t, w, 2)
			wantOut(t, w, []string{"PAIEMENT.001.xml", "PAIEMENT.002.xml"}, []string{"PAIEMENT.003"})
		}},
		// The LCR file under its temporary name, the SDD ones committed.
		{"before-rename:3", noSlip, func(t *testing.T, w *workspace) {
			wantRemittances(t, w, 2)
			wantOut(t, w, []string{".PAIEMENT.003.remit-tmp-"}, []string{"PAIEMENT.003"})
		}},
		{"before-commit:2", noSlip, func(t *testing.T, w *workspace) {
			wantRemittances(t, w, 2)
			wantOut(t, w, []string{"PAIEMENT.003"}, nil)
		}},
		{"after-commit:2", noSlip, func(t *testing.T, w *workspace) { wantRemittances(t, w, 3) }},
		// With the slips: 001's PDF under its temporary name, then everything
		// of the SDD transaction written but not committed.
		{"before-rename:2", withSlip, func(t *testing.T, w *workspace) {
			wantOut(t, w, []string{"PAIEMENT.001.xml", ".remit-tmp-"}, []string{"BORDEREAU.001.pdf"})
			wantRemittances(t, w, 0)
		}},
		{"before-commit:1", withSlip, func(t *testing.T, w *workspace) {
			wantOut(t, w, []string{"BORDEREAU.002.pdf"}, nil)
			wantRemittances(t, w, 0)
		}},
		{"after-file:3", withSlip, func(t *testing.T, w *workspace) { wantRemittances(t, w, 2) }},
	}
	if testing.Short() {
		steps = steps[1:6]
	}
	for _, step := range steps {
		slip := len(step.args) == 1
		name := strings.ReplaceAll(step.at, ":", "-")
		if slip {
			name += "-bordereau"
		}
		t.Run(name, func(t *testing.T) {
			base := baseline(t, step.args...)
			w := tmpl.clone(t)
			w.t = t
			r := w.runEnv([]string{"REMIT_CRASH_AT=" + step.at}, step.args...)
			if !r.killed {
				t.Fatalf("REMIT_CRASH_AT=%s did not stop the run: %s", step.at, r)
			}
			step.check(t, w)
			finishAfterCrash(t, w, l, base, true, step.args...)
		})
	}

	// A run killed, then the run that recovers killed too, then a third.
	t.Run("twice", func(t *testing.T) {
		w := tmpl.clone(t)
		w.t = t
		for _, at := range []string{"after-file:2", "before-rename:1"} {
			if r := w.runEnv([]string{"REMIT_CRASH_AT=" + at}, noSlip...); !r.killed {
				t.Fatalf("REMIT_CRASH_AT=%s did not stop the run: %s", at, r)
			}
		}
		finishAfterCrash(t, w, l, baseline(t, noSlip...), false, noSlip...)
	})
}

// TestCrashThenLessToRemit: a run killed after renaming its files into
// place but before its commit leaves bank files that no remittance records;
// when the next run has less to remit (the SDD receivables unpointed in
// between), it must still remove them, or an uploader would send debits
// that remit does not know about.
func TestCrashThenLessToRemit(t *testing.T) {
	tmpl, l := crashTemplate(t)
	w := tmpl.clone(t)
	w.t = t
	if r := w.runEnv([]string{"REMIT_CRASH_AT=after-file:2"}, "run", "--no-bordereau"); !r.killed {
		t.Fatalf("REMIT_CRASH_AT=after-file:2 did not stop the run: %s", r)
	}
	wantOut(t, w, []string{"PAIEMENT.001.xml", "PAIEMENT.002.xml"}, nil)
	w.must(append([]string{"unpoint", "--method", "sdd"}, everything...)...)
	w.must("run", "--no-bordereau")
	c := w.checkConsistent(l.docs, false)
	if c.remitted != l.lcr || c.open != l.sdd {
		t.Errorf("%d remitted, %d open; want %d LCR remitted and %d SDD open", c.remitted, c.open, l.lcr, l.sdd)
	}
	if _, err := os.Stat(filepath.Join(w.out, "PAIEMENT.002.xml")); err == nil {
		t.Error("PAIEMENT.002.xml of the killed run is still in out/")
	}
}

// crashState says where a kill left a workspace: remittances committed,
// files in out/.
func crashState(w *workspace) string {
	entries, _ := os.ReadDir(w.out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return fmt.Sprintf("%d remittance(s) committed, out/: %s", len(w.remittances()), strings.Join(names, " "))
}

// wantOut asserts that out/ holds a file containing each of have in its
// name, and no file named as one of lack.
func wantOut(t *testing.T, w *workspace, have, lack []string) {
	t.Helper()
	entries, _ := os.ReadDir(w.out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	all := strings.Join(names, " ")
	for _, h := range have {
		if !strings.Contains(all, h) {
			t.Errorf("right after the crash, out/ has no %s: %s", h, all)
		}
	}
	for _, l := range lack {
		if slices.Contains(names, l) {
			t.Errorf("right after the crash, out/ has %s: %s", l, all)
		}
	}
}

func wantRemittances(t *testing.T, w *workspace, n int) {
	t.Helper()
	if got := len(w.remittances()); got != n {
		t.Errorf("right after the crash: %d remittances committed, want %d", got, n)
	}
}

// TestCrashImport kills `remit import` of a big file at spread delays and
// just before its commit: afterwards the database holds nothing or
// everything of that file, and importing it again completes it.
func TestCrashImport(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 4000
	}
	tmpl := newWorkspace(t)
	tmpl.initDB()
	first := genLedger(t, "A", 500)
	tmpl.must("import", tmpl.writeFile("first.csv", first.csv))
	big := genLedger(t, "B", n)
	bigPath := tmpl.writeFile("big.csv", big.csv)

	w := tmpl.clone(t)
	r := w.must("import", bigPath)
	took := r.took
	if got := w.queryInt(`SELECT count(*) FROM receivables WHERE document LIKE 'B-%'`); got != n {
		t.Fatalf("uninterrupted import: %d rows, want %d", got, n)
	}

	count := func(w *workspace) (rows, imports int) {
		return w.queryInt(`SELECT count(*) FROM receivables WHERE document LIKE 'B-%'`),
			w.queryInt(`SELECT count(*) FROM imports`)
	}
	check := func(t *testing.T, w *workspace) {
		rows, imports := count(w)
		switch {
		case rows == 0 && imports == 1:
		case rows == n && imports == 2:
		default:
			t.Fatalf("after the kill: %d of %d rows of the file, %d imports: neither nothing nor everything", rows, n, imports)
		}
		if got := w.queryInt(`SELECT count(*) FROM receivables WHERE document LIKE 'A-%'`); got != len(first.docs) {
			t.Fatalf("the earlier import lost rows: %d of %d", got, len(first.docs))
		}
		w.must("import", bigPath)
		if rows, _ := count(w); rows != n {
			t.Fatalf("import after the kill: %d rows, want %d", rows, n)
		}
		w.checkConsistent(append(first.docs, big.docs...), false)
		// The same file once more changes nothing.
		r := w.must("import", bigPath)
		if !strings.Contains(r.stdout, fmt.Sprintf("0 new, 0 updated, %d unchanged", n)) {
			t.Errorf("third import: %s", r.stdout)
		}
	}

	t.Run("before-commit", func(t *testing.T) {
		w := tmpl.clone(t)
		w.t = t
		if r := w.runEnv([]string{"REMIT_CRASH_AT=before-commit"}, "import", bigPath); !r.killed {
			t.Fatalf("REMIT_CRASH_AT=before-commit did not stop the import: %s", r)
		}
		if rows, _ := count(w); rows != 0 {
			t.Fatalf("killed before its commit, the import left %d rows", rows)
		}
		check(t, w)
	})
	kills := 4
	if testing.Short() {
		kills = 2
	}
	for i := 0; i < kills; i++ {
		frac := (float64(i) + 0.5) / float64(kills)
		t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			cmd := w.command(t.Context(), nil, "import", bigPath)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(frac * float64(took)))
			cmd.Process.Signal(syscall.SIGKILL)
			_, wasKilled := exitStatus(t, cmd, cmd.Wait())
			rows, _ := count(w)
			t.Logf("killed %v: %d of %d rows", wasKilled, rows, n)
			check(t, w)
		})
	}
}
