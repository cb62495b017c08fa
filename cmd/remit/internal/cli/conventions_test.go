package cli

// Conventions of well-liked command lines (issue 17, item 10).

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

func TestVersionFlag(t *testing.T) {
	c := newCLI(t)
	out, _, code := c.run("", "--version")
	if want := c.must("version"); code != 0 || out != want || !strings.HasPrefix(out, "remit dev (schema ") {
		t.Errorf("--version: exit %d, %q; remit version says %q", code, out, want)
	}
}

// Shell completion offers the values of flags that take a few, the
// remittance references and the document numbers.
func TestCompletion(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run", "--no-bordereau") // exit 3: F2026-0044 is refused
	complete := func(args ...string) string {
		t.Helper()
		full := append([]string{"__complete", args[0], "--db", filepath.Join(c.dir, "remit.db"), "--out", filepath.Join(c.dir, "out")}, args[1:]...)
		out, errs, code := c.run("", full...)
		if code != 0 {
			t.Fatalf("__complete %v: exit %d %s", args, code, errs)
		}
		return out
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sdd", "--split", ""}, "none\nsequence\npmtinf\n:4\n"},
		{[]string{"sdd", "--scheme", ""}, "CORE\nB2B\n:4\n"},
		{[]string{"sdd", "--pain", ""}, "08\n02\n:4\n"},
		{[]string{"list", "--method", "s"}, "sdd\nlcr\nchq\nvir\nesp\ncb\nnone\nany\n:4\n"}, // the shell filters
		{[]string{"list", "--log-level", ""}, "debug\ninfo\nwarn\nerror\n:4\n"},
		{[]string{"show", ""}, "002\tLCR code 3, 2026-11-22, 500,00, created\n001\tSDD CORE pain.008.001.08, 2026-11-22, 1 234,56, created\n:36\n"},
		{[]string{"traites", ""}, "002\tLCR code 3, 2026-11-22, 500,00, created\n:36\n"},
		{[]string{"list", "--document", "F2026-004"}, "F2026-0042\nF2026-0043\nF2026-0044\n:4\n"},
		{[]string{"reject", "F2026-0043"}, "F2026-0043\n:4\n"},
	} {
		if got := complete(tt.args...); !strings.HasPrefix(got, tt.want) {
			t.Errorf("complete %v:\n%q\nwant\n%q", tt.args, got, tt.want)
		}
	}
}

func TestListOutputImpliesFormat(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", smallCSV))
	pdf := filepath.Join(c.dir, "due.pdf")
	if out := c.must("list", "-o", pdf, "--due-to", "2026-12-31"); out != pdf+"\n" {
		t.Errorf("list -o x.pdf: %q", out)
	}
	if b := readFile(t, pdf); !strings.HasPrefix(b, "%PDF") {
		t.Errorf("list -o x.pdf wrote %.20q", b)
	}
	csvPath := filepath.Join(c.dir, "due.csv")
	c.must("list", "-o", csvPath, "--due-to", "2026-12-31")
	if b := readFile(t, csvPath); !strings.HasPrefix(b, "document,customer,") {
		t.Errorf("list -o x.csv wrote %.40q", b)
	}
	// --format still wins.
	c.must("list", "-o", csvPath, "--format", "json", "--due-to", "2026-12-31")
	if b := readFile(t, csvPath); !strings.HasPrefix(b, "{\n  \"receivables\": [\n") {
		t.Errorf("list -o x.csv --format json wrote %.40q", b)
	}
	if out := c.must("remittances", "--format", "csv"); out != "ref,kind,scheme,created,count,total,status,bank\n" {
		t.Errorf("remittances --format csv: %q", out)
	}
}

// cancel and mandates revoke ask on a terminal; --yes (or a script) does not.
func TestConfirmationOnATerminal(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.must("sdd", "--no-bordereau")
	out, errs, code := c.runTTYIn(true, "n\n", "cancel", "1")
	if code != ExitFailed || out != "" || errs != "Cancel remittance 001 (SDD CORE pain.008.001.08, 1 receivable, 1 234,56)? "+
		"Its receivables go back to pointed; do not send its files. [y/N] remit: remittance 001 not cancelled: not confirmed, nothing changed (--yes confirms without asking)\n" {
		t.Errorf("cancel, answered no: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if r := remittanceStatus(t, c, "1"); r != "created" {
		t.Errorf("remittance is %s after a no", r)
	}
	if out, _, code := c.runTTYIn(true, "oui\n", "cancel", "1"); code != 0 || !strings.HasPrefix(out, "remittance 001 cancelled") {
		t.Errorf("cancel, answered oui: exit %d, %q", code, out)
	}
	c.must("sdd", "--no-bordereau")
	if out, errs, code := c.runTTYIn(true, "", "cancel", "2", "--yes"); code != 0 || strings.Contains(errs, "[y/N]") ||
		!strings.HasPrefix(out, "remittance 002 cancelled") {
		t.Errorf("cancel --yes: exit %d, %q %q", code, out, errs)
	}
	c.must("sdd", "--no-bordereau")
	if out, errs, code := c.runTTYIn(false, "", "cancel", "3"); code != 0 || errs != "" || !strings.HasPrefix(out, "remittance 003 cancelled") {
		t.Errorf("cancel in a script: exit %d, %q %q", code, out, errs)
	}
	_, errs, code = c.runTTYIn(true, "\n", "mandates", "revoke", "RUM-DUP-1")
	if code != ExitFailed || !strings.HasPrefix(errs, "Revoke mandate RUM-DUP-1 of 411DUPONT? Its receivables will no longer be collected. [y/N] ") {
		t.Errorf("revoke, no answer: exit %d, %q", code, errs)
	}
	if out, _, code := c.runTTYIn(true, "", "mandates", "revoke", "RUM-DUP-1", "-y"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke -y: exit %d, %q", code, out)
	}
}

func remittanceStatus(t *testing.T, c *cliEnv, ref string) string {
	t.Helper()
	var r remit.Remittance
	if err := jsonUnmarshal(c.must("show", ref, "--json"), &r); err != nil {
		t.Fatal(err)
	}
	return r.Status
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// One output flag everywhere (issue 17, item 10): the commands that act on
// a remittance or print a document take --format json too, for scripts
// that upload files or mark what they sent.
func TestActionsJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV))
	c.run("", "run") // 001 SDD, 002 LCR; F2026-0044 refused
	type file struct{ Name, Path, SHA256 string }
	var rem struct {
		Ref, Status      string
		Files            []file
		AlreadyCancelled *bool `json:"already_cancelled"`
	}
	decode := func(what, out string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
	}
	out := filepath.Join(c.dir, "out")
	decode("cancel --json", c.must("cancel", "002", "--yes", "--json"), &rem)
	if rem.Ref != "002" || rem.Status != "cancelled" || rem.AlreadyCancelled == nil || *rem.AlreadyCancelled ||
		len(rem.Files) != 2 || rem.Files[0].Path != filepath.Join(out, "cancelled", "CANCELLED.PAIEMENT.002") {
		t.Errorf("cancel --json: %+v", rem)
	}
	rem = struct {
		Ref, Status      string
		Files            []file
		AlreadyCancelled *bool `json:"already_cancelled"`
	}{}
	decode("mark-sent --json", c.must("mark-sent", "001", "--json"), &rem)
	if rem.Ref != "001" || rem.Status != "sent" || len(rem.Files) != 2 || rem.AlreadyCancelled != nil {
		t.Errorf("mark-sent --json: %+v", rem)
	}
	var regen struct {
		Ref            string
		Files          []file
		NotRegenerated []string `json:"not_regenerated"`
	}
	decode("regenerate --json", c.must("regenerate", "001", "--format", "json"), &regen)
	if regen.Ref != "001" || len(regen.Files) != 2 || regen.Files[0].Path != filepath.Join(out, "PAIEMENT.001.xml") ||
		regen.Files[0].SHA256 != rem.Files[0].SHA256 || regen.NotRegenerated == nil || len(regen.NotRegenerated) != 0 {
		t.Errorf("regenerate --json: %+v", regen)
	}
	var doc struct {
		Path, SHA256               string
		Printed, Pages, Promissory *int
	}
	decode("bordereau --json", c.must("bordereau", "001", "--json"), &doc)
	if doc.Path != filepath.Join(out, "BORDEREAU.001.pdf") || doc.SHA256 != rem.Files[1].SHA256 || doc.Printed != nil {
		t.Errorf("bordereau --json: %+v (recorded %s)", doc, rem.Files[1].SHA256)
	}
	doc.Path = ""
	pdf := filepath.Join(c.dir, "traites.pdf")
	decode("traites --json", c.must("traites", "--pointed", "--json", "-o", pdf, "--document", "F2026-0043"), &doc)
	if doc.Path != pdf || doc.Printed == nil || *doc.Printed != 1 || doc.Pages == nil || *doc.Pages != 1 || *doc.Promissory != 0 {
		t.Errorf("traites --json: %+v", doc)
	}
}
