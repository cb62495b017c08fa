package main

// Supplier payments on PostgreSQL under SIGKILL and concurrency: a payment
// run killed at each crash point, or at spread delays, then run again,
// pays every payable once; payment runs, payment commands and imports at
// once, of one creditor or of several, never put a payable in two standing
// payments, and never give two payments one reference.

import (
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPostgresCrashPay kills `remit run --pay` on PostgreSQL at each crash
// point and at spread delays: the next run pays what the uninterrupted run
// pays (its remittances' numbers aside, which PostgreSQL's sequences may
// skip after a killed run), every payable once, and every file regenerates
// byte for byte.
func TestPostgresCrashPay(t *testing.T) {
	tmpl := newPGWorkspace(t)
	tmpl.env = []string{"REMIT_PAY_CHEQUES_FIRST_NUMBER=4500001"}
	tmpl.initDB()
	tmpl.must("grouping", "set", "vir", "--within-days", "30")
	tmpl.must("grouping", "set", "chq", "--within-days", "30")
	n := 1500
	if testing.Short() {
		n = 600
	}
	l := genPayables(t, "P", n)
	tmpl.must("payables", "import", tmpl.writeFile("payables.csv", l.csv))
	args := []string{"run", "--pay", "--no-bordereau"}
	base := tmpl.clone(t)
	r := base.must(args...)
	if s := base.checkPaid(l.docs); s.remitted != n || s.paid != l.total {
		t.Fatalf("uninterrupted run: %d of %d remitted, %d cents paid of %d\n%s", s.remitted, n, s.paid, l.total, r)
	}
	base.checkRegenerate()
	want := base.shapes()
	finish := func(t *testing.T, w *workspace) {
		t.Helper()
		w.checkPaid(l.docs)
		if t.Failed() {
			t.FailNow()
		}
		if r := w.run(args...); r.code != 0 {
			t.Fatalf("run after the kill: %s", r)
		}
		if s := w.checkPaid(l.docs); s.remitted != n || s.paid != l.total {
			t.Errorf("after the kill and a new run: %d of %d remitted, %d cents of %d", s.remitted, n, s.paid, l.total)
		}
		if got := w.shapes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("remittances after the kill:\n%s\nan uninterrupted run makes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		w.checkRegenerate()
	}
	for _, at := range []string{"before-rename:1", "after-file:1", "before-commit:1", "after-commit:1", "after-file:2", "before-commit:2"} {
		t.Run(strings.ReplaceAll(at, ":", "-"), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			if r := w.runEnv([]string{"REMIT_CRASH_AT=" + at}, args...); !r.killed {
				t.Fatalf("REMIT_CRASH_AT=%s did not stop the run: %s", at, r)
			}
			finish(t, w)
		})
	}
	kills := 3
	for i := range kills {
		frac := (float64(i) + 0.5) / float64(kills)
		t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			cmd := w.command(t.Context(), nil, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(frac * float64(r.took)))
			cmd.Process.Signal(syscall.SIGKILL)
			_, killed := exitStatus(t, cmd, cmd.Wait())
			t.Logf("killed %v after %v", killed, time.Duration(frac*float64(r.took)))
			finish(t, w)
		})
	}
}

// TestPostgresConcurrentPayments is TestConcurrentPayments on PostgreSQL.
func TestPostgresConcurrentPayments(t *testing.T) { concurrentPayments(t, newPGWorkspace(t)) }

// TestPostgresPaymentsOfCreditorsAtOnce: the payment runs of three
// creditors at once on one PostgreSQL database, with runs of all of them:
// each payable is paid once, and every payment has its own reference
// (EndToEndId), though each creditor's run numbers its own.
func TestPostgresPaymentsOfCreditorsAtOnce(t *testing.T) {
	w := newPGWorkspace(t)
	w.env = []string{"REMIT_PAY_CHEQUES_FIRST_NUMBER=100"}
	w.must("init")
	w.creditors = []string{"ACME", "BETA", "GAMMA"}
	var docs []string
	var total int64
	for i, code := range w.creditors {
		w.must(append(append([]string{}, creditorArgs...), "--creditor", code, "--name", "Société "+code)...)
		w.must("--creditor", code, "grouping", "set", "vir", "--within-days", "30")
		w.must("--creditor", code, "grouping", "set", "chq", "--within-days", "30")
		l := genPayables(t, string(rune('A'+i)), 600)
		w.must("--creditor", code, "payables", "import", w.writeFile(code+".csv", l.csv))
		docs, total = append(docs, l.docs...), total+l.total
	}
	procs := [][]string{
		{"--creditor", "ACME", "sct", "--no-bordereau"}, {"--creditor", "BETA", "sct"}, {"--creditor", "GAMMA", "sct", "--no-advices"},
		{"run", "--pay", "--no-bordereau"}, {"run", "--pay"},
		{"--creditor", "BETA", "pay-cheques", "--no-bordereau"},
	}
	results := make([]result, len(procs))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, args := range procs {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			results[i] = w.run(append(args, "--wait", "60s")...)
		}()
	}
	start.Done()
	done.Wait()
	for _, r := range results {
		t.Logf("remit %s: exit %d in %v", strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond))
		// pay-cheques may find its numbers taken by a run first (exit 2).
		if r.code != 0 && !(r.code == 2 && strings.Contains(r.stderr, "already in the register")) {
			t.Errorf("%s", r)
		}
		checkNoLockLeak(t, r)
	}
	w.must("run", "--pay")
	s := w.checkPaid(docs)
	if s.remitted != len(docs) || s.paid != total {
		t.Errorf("%d of %d remitted, %d cents paid of %d (%d pointed)", s.remitted, len(docs), s.paid, total, s.pointed)
	}
	if n := w.queryInt(`SELECT count(*) - count(DISTINCT end_to_end_id) FROM payments`); n != 0 {
		t.Errorf("%d payments share a reference", n)
	}
	w.checkRegenerate()
}
