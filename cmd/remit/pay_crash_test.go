package main

// Supplier payments under SIGKILL and concurrency: `remit run --pay` killed
// at spread delays and at each crash point, then run again, ends exactly
// where an uninterrupted run ends (the same files, byte for byte); runs,
// payment commands and imports at once never put a payable in two
// standing payments.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// payLedger is a generated payables file.
type payLedger struct {
	csv   []byte
	docs  []string
	total int64 // cents, what the payments pay (credit notes netted)
}

const payHeader = "document,supplier,name,amount,due_date,method,iban,bic,street,building,postcode,town,country,priority,pointed\n"

// genPayables makes n payables, all pointed: suppliers of five documents
// (one in four paid by cheque, the others by transfer), every fifth
// supplier with a credit note among them.
func genPayables(t testing.TB, prefix string, n int) payLedger {
	t.Helper()
	var b strings.Builder
	b.WriteString(payHeader)
	var l payLedger
	for i := 0; i < n; i++ {
		s := i / 5
		method, iban := "vir", frenchIBAN(t, 30006, 1+s%900, int64(1000000+s))
		if s%4 == 3 {
			method, iban = "chq", ""
		}
		amount := int64(1000 + (i*7919)%500000)
		if s%5 == 0 && i%5 == 4 {
			amount = -500 // a credit note, smaller than the invoices it is netted with
		}
		doc := fmt.Sprintf("%s-%06d", prefix, i)
		day := 7 + i%20
		fmt.Fprintf(&b, "%s,401%s%05d,FOURNISSEUR %s %d,%d.%02d,2026-12-%02d,%s,%s,,Rue du Port,%d,75001,Paris,FR,%d,yes\n",
			doc, prefix, s, prefix, s, amount/100, abs64(amount%100), day, method, iban, 1+s%90, s%10)
		l.docs = append(l.docs, doc)
		l.total += amount
	}
	l.csv = []byte(b.String())
	return l
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// payState is what a workspace's payables say.
type payState struct {
	remitted, pointed int
	paid              int64 // cents the standing payments pay
	files             map[string]string
}

// checkPaid asserts that no payable is in two standing payments, that the
// remitted payables are exactly those of the standing payments, that every
// standing payment's remittance is committed with its files, and that no
// payable was lost or added.
func (w *workspace) checkPaid(docs []string) payState {
	w.t.Helper()
	var s payState
	if n := w.queryInt(`SELECT count(*) FROM payables`); n != len(docs) {
		w.t.Errorf("%d payables, the files hold %d", n, len(docs))
	}
	if n := w.queryInt(`SELECT count(*) FROM (SELECT payable_id FROM payment_lines l JOIN payments p ON p.id = l.payment_id
		WHERE p.status = 'remitted' GROUP BY payable_id HAVING count(*) > 1) x`); n != 0 {
		w.t.Errorf("%d payables in two standing payments", n)
	}
	if n := w.queryInt(`SELECT count(*) FROM payables p WHERE (p.status = 'remitted') != EXISTS (SELECT 1 FROM payment_lines l
		JOIN payments m ON m.id = l.payment_id WHERE l.payable_id = p.id AND l.active = 1 AND m.status = 'remitted')`); n != 0 {
		w.t.Errorf("%d payables whose status says otherwise than their payments", n)
	}
	if n := w.queryInt(`SELECT count(*) FROM payments WHERE remittance_id IS NULL`); n != 0 {
		w.t.Errorf("%d payments staged by a run that never committed", n)
	}
	s.remitted = w.queryInt(`SELECT count(*) FROM payables WHERE status = 'remitted'`)
	s.pointed = w.queryInt(`SELECT count(*) FROM payables WHERE status = 'pointed'`)
	s.paid = int64(w.queryInt(`SELECT COALESCE(sum(amount), 0) FROM payments WHERE status = 'remitted'`))
	s.files = map[string]string{}
	for _, rem := range w.remittances() {
		for _, f := range rem.Files {
			sum, _ := sha256File(w.t, filepath.Join(w.out, f.Name))
			if sum != f.SHA256 {
				w.t.Errorf("remittance %s: %s has sha256 %s, recorded %s", rem.Ref, f.Name, sum, f.SHA256)
			}
			s.files[f.Name] = sum
		}
	}
	return s
}

var payFixture struct {
	once sync.Once
	dir  string
	w    *workspace
	l    payLedger
	base payState
	took time.Duration
}

// payTemplate is a database with the payables imported and pointed, and
// the baseline of an uninterrupted run.
func payTemplate(t *testing.T) (*workspace, payLedger, payState, time.Duration) {
	t.Helper()
	payFixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "remit-pay-crash-")
		if err != nil {
			t.Fatal(err)
		}
		payFixture.dir = dir
		w := &workspace{t: t, dir: dir, db: filepath.Join(dir, "remit.db"), out: filepath.Join(dir, "out")}
		w.env = []string{"REMIT_PAY_CHEQUES_FIRST_NUMBER=4500001"}
		w.initDB()
		w.must("grouping", "set", "vir", "--within-days", "30")
		w.must("grouping", "set", "chq", "--within-days", "30")
		n := 1500
		if testing.Short() {
			n = 600
		}
		l := genPayables(t, "P", n)
		w.must("payables", "import", w.writeFile("payables.csv", l.csv))
		tmpl := &workspace{t: t, dir: filepath.Join(dir, "template"), db: filepath.Join(dir, "template", "remit.db"),
			out: filepath.Join(dir, "template", "out"), env: w.env}
		os.MkdirAll(tmpl.dir, 0o700)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			copyFile(t, w.db+suffix, tmpl.db+suffix)
		}
		r := w.must("run", "--pay", "--no-bordereau")
		base := w.checkPaid(l.docs)
		if base.remitted != n || base.paid != l.total {
			t.Fatalf("baseline: %d of %d remitted, %d cents paid of %d\n%s", base.remitted, n, base.paid, l.total, r)
		}
		w.checkRegenerate()
		if r2 := w.must("run", "--pay", "--no-bordereau"); !strings.Contains(r2.stdout, "nothing to do") {
			t.Errorf("second run: %s", r2)
		}
		payFixture.w, payFixture.l, payFixture.base, payFixture.took = tmpl, l, base, r.took
	})
	if payFixture.w == nil {
		t.Fatal("payables fixture failed in an earlier test")
	}
	return payFixture.w, payFixture.l, payFixture.base, payFixture.took
}

// finishPay runs remit again on a crashed workspace and checks it ends as
// the uninterrupted run did.
func finishPay(t *testing.T, w *workspace, l payLedger, base payState) {
	t.Helper()
	w.checkPaid(l.docs)
	if t.Failed() {
		t.FailNow()
	}
	if r := w.run("run", "--pay", "--no-bordereau"); r.code != 0 {
		t.Fatalf("run after the crash: %s", r)
	}
	s := w.checkPaid(l.docs)
	if s.remitted != len(l.docs) || s.paid != l.total {
		t.Errorf("after the crash and a new run: %d of %d remitted, %d cents of %d", s.remitted, len(l.docs), s.paid, l.total)
	}
	if got, want := strings.Join(sortedNames(s.files), " "), strings.Join(sortedNames(base.files), " "); got != want {
		t.Errorf("files %s, uninterrupted run wrote %s", got, want)
	}
	for name, sum := range base.files {
		if s.files[name] != sum {
			t.Errorf("%s: sha256 %s, uninterrupted run %s", name, s.files[name], sum)
		}
	}
}

func TestCrashPayKilledAnyTime(t *testing.T) {
	tmpl, l, base, took := payTemplate(t)
	kills := 6
	if testing.Short() {
		kills = 3
	}
	killed := 0
	for i := 0; i < kills; i++ {
		frac := (float64(i) + 0.5) / float64(kills)
		delay := time.Duration(frac * float64(took))
		t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			cmd := w.command(t.Context(), nil, "run", "--pay", "--no-bordereau")
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
			finishPay(t, w, l, base)
		})
	}
	t.Logf("%d of %d runs killed before their end (uninterrupted run: %v)", killed, kills, took)
	if killed == 0 {
		t.Errorf("no run was killed: the delays (%v run) miss the run entirely", took)
	}
}

// The crash points of a payment run: its transfers' files written (001),
// their commit, then the cheques' (002).
func TestCrashPayAtEachStep(t *testing.T) {
	tmpl, l, base, _ := payTemplate(t)
	for _, step := range []struct {
		at        string
		committed int
	}{{"before-rename:1", 0}, {"after-file:1", 0}, {"before-commit:1", 0}, {"after-commit:1", 1}, {"after-file:2", 1},
		{"before-commit:2", 1}} {
		t.Run(strings.ReplaceAll(step.at, ":", "-"), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			r := w.runEnv([]string{"REMIT_CRASH_AT=" + step.at}, "run", "--pay", "--no-bordereau")
			if !r.killed {
				t.Fatalf("REMIT_CRASH_AT=%s did not stop the run: %s", step.at, r)
			}
			wantRemittances(t, w, step.committed)
			finishPay(t, w, l, base)
		})
	}
}

// Runs, payment commands, pointing and imports at once: whatever the
// order, no payable is in two standing payments, and a last run pays
// everything, once.
func TestConcurrentPayments(t *testing.T) { concurrentPayments(t, newWorkspace(t)) }

// concurrentPayments is TestConcurrentPayments on the workspace's store.
func concurrentPayments(t *testing.T, w *workspace) {
	w.env = []string{"REMIT_PAY_CHEQUES_FIRST_NUMBER=100"}
	w.initDB()
	w.must("grouping", "set", "vir", "--within-days", "30")
	w.must("grouping", "set", "chq", "--within-days", "30")
	a := genPayables(t, "A", 1000)
	w.must("payables", "import", w.writeFile("a.csv", a.csv))
	b := genPayables(t, "B", 500)
	c := genPayables(t, "C", 500)
	c.csv = []byte(strings.ReplaceAll(string(c.csv), ",yes\n", ",no\n"))
	procs := [][]string{
		{"run", "--pay", "--no-bordereau"},
		{"run", "--pay"},
		{"sct", "--no-bordereau"},
		{"sct"},
		{"pay-cheques", "--no-bordereau", "--first-number", "5000"},
		{"payables", "import", w.writeFile("b.csv", b.csv)},
		{"payables", "import", w.writeFile("c.csv", c.csv)},
		{"payables", "point"},
		{"payables", "list", "--status", "pointed", "--format", "json"},
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
	docs := append(append(append([]string{}, a.docs...), b.docs...), c.docs...)
	for _, r := range results {
		t.Logf("remit %s: exit %d in %v", strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond))
		// pay-cheques may find its numbers taken by a run first (exit 2).
		if r.code != 0 && !(r.code == 2 && strings.Contains(r.stderr, "already in the register")) {
			t.Errorf("%s", r)
		}
		checkNoLockLeak(t, r)
	}
	w.checkPaid(docs)
	w.must("payables", "point")
	w.must("run", "--pay")
	s := w.checkPaid(docs)
	if s.remitted != len(docs) || s.paid != a.total+b.total+c.total {
		t.Errorf("%d of %d remitted, %d cents paid of %d (%d pointed)", s.remitted, len(docs), s.paid, a.total+b.total+c.total, s.pointed)
	}
	w.checkRegenerate()
	if out, err := os.ReadDir(w.out); err == nil {
		for _, e := range out {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("out/ still holds %s", e.Name())
			}
		}
	}
}
