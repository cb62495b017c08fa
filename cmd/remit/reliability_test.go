package main

// Reliability and security tests (issue 16): each runs the binary the way a
// user, a cron job or an attacker would, and asserts exit codes, bytes and
// file modes.

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// remittedWorkspace is a workspace where `remit run` remitted a small
// ledger with its slips: 001 and 002 SEPA (B2B, CORE), 003 LCR.
func remittedWorkspace(t *testing.T) (*workspace, ledger) {
	t.Helper()
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 60)
	w.must("import", w.writeFile("receivables.csv", l.csv))
	w.must("run")
	if got := len(w.remittances()); got != 3 {
		t.Fatalf("%d remittances, want 3", got)
	}
	return w, l
}

func readOut(t *testing.T, w *workspace, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.out, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Item 1: every recorded file, the slip included, comes back byte for byte
// from `remit regenerate`, and `remit bordereau` on another day prints the
// recorded slip again; a reprint with copies is regenerated with them.
func TestRegenerateRestoresEveryFile(t *testing.T) {
	w, _ := remittedWorkspace(t)
	later := []string{"REMIT_NOW=2027-03-01T17:45:12Z", "TZ=America/New_York"}
	for _, rem := range w.remittances() {
		originals := map[string][]byte{}
		for _, f := range rem.Files {
			originals[f.Name] = readOut(t, w, f.Name)
			os.Remove(filepath.Join(w.out, f.Name))
		}
		if _, ok := originals["BORDEREAU."+rem.Ref+".pdf"]; !ok {
			t.Fatalf("remittance %s records no slip: %+v", rem.Ref, rem.Files)
		}
		if r := w.runEnv(later, "regenerate", rem.Ref); r.code != 0 {
			t.Fatalf("%s", r)
		}
		for name, want := range originals {
			if got := readOut(t, w, name); string(got) != string(want) {
				t.Errorf("remittance %s: regenerated %s differs from the original", rem.Ref, name)
			}
		}
		slip := "BORDEREAU." + rem.Ref + ".pdf"
		if r := w.runEnv(later, "bordereau", rem.Ref); r.code != 0 {
			t.Fatalf("%s", r)
		}
		if got := readOut(t, w, slip); string(got) != string(originals[slip]) {
			t.Errorf("remit bordereau %s on another day: the slip differs from the recorded one", rem.Ref)
		}
	}

	// Two copies printed in place: recorded, and regenerated as such.
	w.must("bordereau", "002", "--copies", "2")
	twice := readOut(t, w, "BORDEREAU.002.pdf")
	var recorded string
	for _, f := range w.show("002").Files {
		if f.Format == "bordereau" {
			recorded = f.SHA256
		}
	}
	if sum, _ := sha256File(t, filepath.Join(w.out, "BORDEREAU.002.pdf")); sum != recorded {
		t.Fatalf("after --copies 2 the record says %s, the file is %s", recorded, sum)
	}
	os.Remove(filepath.Join(w.out, "BORDEREAU.002.pdf"))
	w.must("regenerate", "002")
	if got := readOut(t, w, "BORDEREAU.002.pdf"); string(got) != string(twice) {
		t.Error("regenerate 002: the two-copy slip differs from the one printed")
	}

	// A slip an older remit printed with the clock cannot come back: the
	// bank file does, the slip is named, exit 3, the slip left alone.
	db := w.sqlDB()
	if _, err := db.Exec(`UPDATE remittance_files SET copies = 0 WHERE remittance_id = 3 AND format = 'bordereau'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bank := readOut(t, w, "PAIEMENT.003")
	os.Remove(filepath.Join(w.out, "PAIEMENT.003"))
	os.WriteFile(filepath.Join(w.out, "BORDEREAU.003.pdf"), []byte("old slip"), 0o600)
	r := w.run("regenerate", "003")
	if r.code != 3 || !strings.Contains(r.stderr, "not regenerated: BORDEREAU.003.pdf: printed by an older remit") {
		t.Errorf("regenerate with an old slip: want exit 3 naming the slip\n%s", r)
	}
	if got := readOut(t, w, "PAIEMENT.003"); string(got) != string(bank) {
		t.Error("regenerate 003: the bank file was not restored")
	}
	if got := readOut(t, w, "BORDEREAU.003.pdf"); string(got) != "old slip" {
		t.Error("regenerate 003 overwrote the old slip it cannot reproduce")
	}
}

// Item 2: the run lock is the database file's, whatever path reaches it: a
// run through a symbolic link waits for a run through the real name, and a
// database file with several hard links is refused by every command (two
// names would give SQLite two journals for one database).
func TestRunLockFollowsTheFile(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 60)
	w.must("import", w.writeFile("receivables.csv", l.csv))
	link := filepath.Join(w.dir, "s.db")
	if err := os.Symlink("remit.db", link); err != nil {
		t.Fatal(err)
	}

	release := holdRunLock(t, w)
	r := w.run("--db", link, "run", "--wait", "0s")
	if r.code != 4 || !strings.Contains(r.stderr, "busy") {
		t.Errorf("a run through a symbolic link while the real name's run holds the lock: want exit 4 (busy)\n%s", r)
	}
	release()

	// Runs through both names at once: one remits everything, once.
	var wg sync.WaitGroup
	results := make([]result, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := w.db
			if i%2 == 1 {
				db = link
			}
			results[i] = w.run("--db", db, "run", "--no-bordereau")
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.code != 0 {
			t.Errorf("%s", r)
		}
	}
	c := w.checkConsistent(l.docs, false)
	if c.remitted != len(l.docs) || len(w.remittances()) != 3 {
		t.Errorf("%d of %d remitted in %d remittances, want all in 3", c.remitted, len(l.docs), len(w.remittances()))
	}
	if _, err := os.Stat(link + ".lock"); err == nil {
		t.Error("a run through the symbolic link made its own lock file")
	}

	hard := filepath.Join(w.dir, "h.db")
	if err := os.Link(w.db, hard); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--db", hard, "run"}, {"--db", w.db, "run"}, {"--db", hard, "list"}, {"--db", link, "remittances"}, {"--db", hard, "init"}} {
		r := w.run(args...)
		if r.code != 2 || !strings.Contains(r.stderr, "several names (hard links)") || !strings.Contains(r.stderr, "symbolic link") {
			t.Errorf("a database file with two hard links: want exit 2 saying why\n%s", r)
		}
	}
	for _, name := range []string{"h.db-wal", "h.db-shm", "h.db.lock"} {
		if _, err := os.Stat(filepath.Join(w.dir, name)); err == nil {
			t.Errorf("%s was created for the second name", name)
		}
	}
}
