package main

// Hostile input through the real binary: receivables whose text tries to
// break the XML or shift CFONB columns, file name templates and creditor
// codes that try to leave --out, broken CSV files. Each is refused with a
// clear message or neutralised; every file written is valid.

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var hostileE2ETexts = []string{
	`</Nm><InstdAmt Ccy="EUR">999999999.99</InstdAmt><Nm>`,
	"<![CDATA[x]]> &amp; &#0; <?xml?>",
	"tab\there\nnew line\r\nCR\rend",
	"emoji 🎉💶🇫🇷 and e\u0301 combining",
	"\u202eRTL\u202c \u200f mark \ufeff BOM",
	"汉字 العربية",
	"\x1b[2J\x1b]0;pwned\x07 ANSI",
	"'; DROP TABLE receivables; --",
	strings.Repeat("Très long libellé ", 50),
}

func hostileLedger(t *testing.T) (data []byte, docs []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(csvHeader)
	cw := csv.NewWriter(&b)
	for i, s := range hostileE2ETexts {
		for j, method := range []string{"sdd", "lcr"} {
			doc := fmt.Sprintf("../H%d/%s/..", i, method)
			iban := frenchIBAN(t, 30004, 100+i, int64(1000+j))
			mandate, signed := "", ""
			if method == "sdd" {
				mandate, signed = fmt.Sprintf("RUM-H-%d", i), "2025-01-15"
			}
			cw.Write([]string{doc, fmt.Sprintf("411H%02d%s", i, method), s, "12.34", "2026-12-15", method, iban, "BNPAFRPP",
				mandate, signed, "", "", "accepted", s, "1", "75002", s, "FR", s, "", s, "yes"})
			docs = append(docs, doc)
		}
	}
	cw.Flush()
	return []byte(b.String()), docs
}

// TestHostileE2EText: the hostile receivables are imported, remitted by
// `remit run` (with the national file too), and every file validates; those
// refused are listed with a reason; the table of `remit list` stays one
// line per receivable with no control character reaching the terminal.
func TestHostileE2EText(t *testing.T) {
	w := newWorkspace(t)
	w.env = []string{"REMIT_SDD_CFONB=true"}
	w.initDB()
	data, docs := hostileLedger(t)
	w.must("import", w.writeFile("hostile.csv", data))
	r := w.run("run")
	if r.code != 0 && r.code != 3 {
		t.Fatalf("%s", r)
	}
	checkNoControl(t, "run", r.stdout)
	c := w.checkConsistent(docs, false)
	if c.remitted == 0 {
		t.Fatalf("nothing remitted:\n%s", r)
	}
	t.Logf("%d remitted, %d refused", c.remitted, c.pointed)
	w.checkFiles()
	w.checkRegenerate()
	if n := w.queryInt(`SELECT count(*) FROM receivables WHERE status = 'pointed' AND refusal = ''`); n != 0 {
		t.Errorf("%d receivables left pointed without a reason", n)
	}

	l := w.must(append([]string{"list", "--status", "all"}, everything...)...)
	checkNoControl(t, "list", l.stdout)
	lines := strings.Split(strings.TrimSuffix(l.stdout, "\n"), "\n")
	// header, one line per receivable (+ two per refusal: why, what to do), the total
	if want := 2 + len(docs) + 2*c.pointed; len(lines) != want {
		t.Errorf("list: %d lines, want %d:\n%s", len(lines), want, l.stdout)
	}
	checkOnlyExpectedFiles(t, w)
}

// checkNoControl asserts that text for a terminal holds no control
// character but newlines.
func checkNoControl(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			t.Errorf("%s: control character %U at byte %d: %q", what, r, i, s[max(0, i-40):min(len(s), i+40)])
			return
		}
	}
}

// checkOnlyExpectedFiles asserts that nothing was written beside the
// database and out/: no name escaped --out.
func checkOnlyExpectedFiles(t *testing.T, w *workspace) {
	t.Helper()
	entries, _ := os.ReadDir(w.dir)
	for _, e := range entries {
		n := e.Name()
		if n == "out" || strings.HasPrefix(n, "remit.db") || strings.HasSuffix(n, ".csv") || n == "remit.yaml" {
			continue
		}
		t.Errorf("unexpected file beside out/: %s", n)
	}
	sub, _ := filepath.Glob(filepath.Join(w.out, "*", "*"))
	if len(sub) > 0 {
		t.Errorf("sub-folders in out/: %v", sub)
	}
}

// TestHostileE2ETemplates: a files.template (from the environment or
// remit.yaml) that names a file outside --out, a hidden file or a file with
// control characters is refused with a message naming the template; no
// remittance is recorded and no file written.
func TestHostileE2ETemplates(t *testing.T) {
	base := newWorkspace(t)
	base.initDB()
	l := genLedger(t, "A", 30)
	base.must("import", base.writeFile("a.csv", l.csv))
	for _, tmpl := range []string{"../{ref}", "../../../tmp/{ref}", "/tmp/{ref}", "{ref}/../../x", `..\{ref}`, ".{ref}",
		"{ref}\nX", "{creditor}{ref}\x00", "NO-REF"} {
		t.Run(fmt.Sprintf("%q", tmpl), func(t *testing.T) {
			for _, how := range []string{"env", "yaml"} {
				if how == "env" && strings.Contains(tmpl, "\x00") {
					continue // no NUL in an environment variable
				}
				w := base.clone(t)
				args := []string{"run"}
				if how == "env" {
					w.env = []string{"REMIT_FILES_TEMPLATE=" + tmpl}
				} else {
					var y strings.Builder
					fmt.Fprintf(&y, "files:\n  template: %q\n", tmpl)
					args = append(args, "--config", w.writeFile("remit.yaml", []byte(y.String())))
				}
				r := w.run(args...)
				if r.code != 1 && r.code != 2 {
					t.Errorf("%s: exit %d, want 1 or 2:\n%s", how, r.code, r)
				}
				if !strings.Contains(r.stdout+r.stderr, "template") {
					t.Errorf("%s: the message does not name the template:\n%s", how, r)
				}
				if n := w.queryInt(`SELECT count(*) FROM remittances`); n != 0 {
					t.Errorf("%s: %d remittances recorded", how, n)
				}
				if entries, _ := os.ReadDir(w.out); len(entries) != 0 {
					t.Errorf("%s: %d files in out/", how, len(entries))
				}
				checkOnlyExpectedFiles(t, w)
				for _, ref := range []string{"001", "002", "003"} {
					name := strings.NewReplacer("{ref}", ref, "{creditor}", "ACME").Replace(tmpl)
					for _, p := range []string{filepath.Join(w.out, name), filepath.Join(w.out, name+".xml")} {
						if _, err := os.Lstat(p); err == nil {
							t.Errorf("%s: %s written", how, p)
						}
					}
				}
			}
		})
	}
}

// TestHostileE2ECreditorCodes: creditor codes go into file names and the
// MsgId; `remit creditor set --code` refuses anything but letters, digits,
// - and _ (exit 2).
func TestHostileE2ECreditorCodes(t *testing.T) {
	w := newWorkspace(t)
	w.must("init")
	for _, code := range []string{"..", "../x", "a/b", `a\b`, "A B", "ÉCOLE", "A\nB", "<X>", strings.Repeat("A", 40)} {
		r := w.run("creditor", "set", "--code", code, "--name", "X")
		if r.code != 2 || !strings.Contains(r.stderr, "letters, digits") {
			t.Errorf("code %q: %s", code, r)
		}
	}
	if n := w.queryInt(`SELECT count(*) FROM creditors`); n != 0 {
		t.Errorf("%d creditors saved", n)
	}
}

// TestHostileE2EImport: broken CSV files are refused (exit 1) with the line
// and reason on stderr, a bounded message, and the database unchanged.
func TestHostileE2EImport(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "A", 20)
	w.must("import", w.writeFile("a.csv", l.csv))
	header := "document,customer,name,amount,due_date\n"
	for _, tt := range []struct {
		name, data, want string
	}{
		{"NUL bytes", header + "F1,411X,A\x00B,1.00,2026-12-01\n", "NUL"},
		{"invalid UTF-8", header + "F1,411X,Soci\xe9t\xe9,1.00,2026-12-01\n", "UTF-8"},
		{"BOM in the middle", header + "F1,411X,A,1.00,2026-12-01\n\ufeffF2,411X,A,1.00,2026-12-01\n", "U+FEFF"},
		{"one column", "document\nF1\n", "required column missing"},
		{"open quote", header + "F1,411X,\"A,1.00,2026-12-01\n", "malformed CSV"},
		{"2 KB field", header + "F1,411X," + strings.Repeat("é", 1<<10) + ",1.00,2026-12-01\n", "at most 1024"},
		{"10 MB field", header + "F1,411X," + strings.Repeat("é", 5<<20) + ",1.00,2026-12-01\n", "a line longer than 65536 bytes"},
		{"empty", "", "empty file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := w.run("import", w.writeFile("bad.csv", []byte(tt.data)))
			if r.code != 1 {
				t.Errorf("exit %d, want 1:\n%s", r.code, r)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "line ") {
				t.Errorf("stderr does not say %q and where:\n%s", tt.want, clip(r.stderr))
			}
			if len(r.stderr) > 4096 {
				t.Errorf("stderr is %d bytes", len(r.stderr))
			}
			checkNoControl(t, "import", r.stderr)
			if n := w.queryInt(`SELECT count(*) FROM receivables`); n != len(l.docs) {
				t.Errorf("%d receivables, want %d", n, len(l.docs))
			}
		})
	}
	// A header-only file imports nothing, and says so.
	r := w.must("import", w.writeFile("header.csv", []byte(header)))
	if !strings.Contains(r.stdout, "0 lines read") {
		t.Errorf("header-only file: %s", r)
	}
}
