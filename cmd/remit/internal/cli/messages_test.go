package cli

// Messages that say what to do (issue 17, item 9).

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMessagesSayWhatToDo(t *testing.T) {
	c := newCLI(t)
	missing := filepath.Join(c.dir, "nosuch", "remit.db")
	for _, cmd := range []string{"init", "list"} {
		_, errs, code := c.run("", cmd, "--db", missing)
		want := "remit: " + missing + ": no database: the folder " + filepath.Dir(missing) +
			" does not exist (create it with mkdir -p " + filepath.Dir(missing) + ", or choose another --db)\n"
		if code != ExitUsage || errs != want {
			t.Errorf("%s with a missing folder: exit %d, stderr %q, want %q", cmd, code, errs, want)
		}
	}

	// remit init leaves another program's SQLite file alone.
	other := filepath.Join(c.dir, "crm.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("CREATE TABLE contacts (name TEXT)")
	db.Close()
	_, errs, code := c.run("", "init", "--db", other)
	if code != ExitUsage || !strings.Contains(errs, "it is another program's SQLite database (tables contacts); remit leaves it alone") {
		t.Errorf("init on another program's database: exit %d, %q", code, errs)
	}
	db, _ = sql.Open("sqlite", other)
	var n int
	db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n)
	db.Close()
	if n != 1 {
		t.Errorf("init changed another program's database: %d objects", n)
	}

	// An --out that cannot take the files names the file, not its temporary name.
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	notDir := c.file("out-is-a-file", "x")
	_, errs, code = c.run("", "sdd", "--out", notDir)
	if want := "remit: --out " + notDir + " is not a folder: choose a folder for the files remit writes\n"; code != ExitFailed || errs != want {
		t.Errorf("sdd --out FILE: exit %d, stderr %q, want %q", code, errs, want)
	}
	pdf := filepath.Join(notDir, "t.pdf")
	_, errs, code = c.run("", "traites", "--pointed", "-o", pdf)
	want := "remit: cannot write " + pdf + ": not a directory: " + notDir + " is not a folder; write elsewhere (--out, or -o for a document)\n"
	if code != ExitFailed || errs != want {
		t.Errorf("traites -o FILE/t.pdf: exit %d, stderr %q, want %q", code, errs, want)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(c.dir, "ro")
		os.Mkdir(ro, 0o555)
		_, errs, code = c.run("", "sdd", "--out", ro)
		if code != ExitFailed || strings.Contains(errs, "remit-tmp") || !strings.Contains(errs, "remit cannot write in the folder "+ro) {
			t.Errorf("sdd --out read-only: exit %d, stderr %q", code, errs)
		}
	}

	// remit verify on a PDF says it is not a bank file, once.
	pdf = c.file("scan.pdf", "%PDF-1.4\n"+strings.Repeat("1 0 obj << /Type /Page >> endobj\n", 115))
	out, _, code := c.run("", "verify", pdf)
	if code != ExitFailed || out != pdf+": not a bank file: it is a PDF document (remit verify reads pain.008 and pain.001 XML and CFONB 160 files)\n" {
		t.Errorf("verify a PDF: exit %d\n%s", code, out)
	}
	txt := c.file("notes.txt", "Hello\nworld\n")
	if out, _, _ := c.run("", "verify", txt); !strings.Contains(out, "its first line does not start with a CFONB record code") {
		t.Errorf("verify a text file:\n%s", out)
	}

	// --xsd-dir that does not exist is an error, not a warning.
	_, errs, code = c.run("", "verify", "--xsd-dir", filepath.Join(c.dir, "nosuch"), pdf)
	if code != ExitUsage || !strings.Contains(errs, "--xsd-dir "+filepath.Join(c.dir, "nosuch")+": no such folder") {
		t.Errorf("verify --xsd-dir missing: exit %d, %q", code, errs)
	}
}
