package cli

// Quiet in cron, a progress bar on a terminal (issue 17, items 4 and 5).

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store/sqlite"
)

// runTTY runs remit in-process with stdin and stderr seen as a terminal (or not).
func (c *cliEnv) runTTY(tty bool, args ...string) (stdout, stderr string, code int) {
	return c.runTTYIn(tty, "", args...)
}

func (c *cliEnv) runTTYIn(tty bool, stdin string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	var out, errb bytes.Buffer
	in := strings.NewReader(stdin)
	env := &Env{IO: IO{In: in, Out: &out, Err: &errb}, Now: func() time.Time { return testNow },
		IsTerminal: func(s any) bool { return tty && (s == any(&errb) || s == any(in)) }, progressEvery: time.Nanosecond}
	args = append(args, "--db", filepath.Join(c.dir, "remit.db"), "--out", filepath.Join(c.dir, "out"))
	code = Main(args, env)
	return out.String(), errb.String(), code
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	c := newCLI(t)
	c.setup()
	in := c.file("in.csv", runCSV)
	// Not a terminal (cron, a pipe): nothing on stderr.
	_, errs, code := c.runTTY(false, "import", in)
	if code != 0 || errs != "" {
		t.Errorf("import off a terminal: exit %d, stderr %q", code, errs)
	}
	// On a terminal: a bar with the file's name, its size and the time, cleared at the end.
	_, errs, code = c.runTTY(true, "import", in)
	if code != 0 || !strings.Contains(errs, "importing in.csv   0% |") || !strings.Contains(errs, "/429 B) [0s:0s]") ||
		!strings.HasSuffix(errs, "\x1b[2K\r") {
		t.Errorf("import on a terminal: exit %d, stderr %q", code, errs)
	}
	// --quiet: no bar even on a terminal.
	if _, errs, _ := c.runTTY(true, "import", in, "--quiet"); errs != "" {
		t.Errorf("import --quiet on a terminal: stderr %q", errs)
	}
	// A remittance: the bar counts the receivables of each stage.
	c.must("unpoint", "--method", "lcr", "--due-to", "2026-12-31")
	out, errs, code := c.runTTY(true, "sdd")
	if code != 0 || !strings.Contains(errs, "SDD: checking") || !strings.Contains(errs, "SDD: writing") ||
		!strings.Contains(errs, "(0/1, 0 receivables/hr) [0s:0s]") || !strings.HasSuffix(errs, "\x1b[2K\r") {
		t.Errorf("sdd on a terminal: exit %d, stderr %q", code, errs)
	}
	// The bar is cleared: stdout holds only the summary.
	if !strings.HasPrefix(out, "remittance 001  SDD CORE") {
		t.Errorf("sdd stdout: %q", out)
	}
	c.must("point", "--document", "F2026-0043")
	if _, errs, code := c.runTTY(false, "run"); code != 0 || errs != "" {
		t.Errorf("run off a terminal: exit %d, stderr %q", code, errs)
	}
	c.must("point", "--document", "F2026-0043", "--status", "all")
}

// Off a terminal, stderr holds only what needs a person; --verbose (or
// --log-level info) asks for more, --quiet for errors only.
func TestQuietByDefaultInCron(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV)) // F2026-0044 will be refused: a warning
	_, errs, code := c.runTTY(false, "run", "--no-bordereau")
	if code != ExitPartial || strings.Contains(errs, "level=INFO") || !strings.Contains(errs, "level=WARN msg=refused") {
		t.Errorf("run in cron: exit %d, stderr:\n%s", code, errs)
	}
	for _, args := range [][]string{{"--verbose"}, {"--log-level", "info"}} {
		_, errs, _ = c.runTTY(false, append([]string{"run", "--no-bordereau"}, args...)...)
		if !strings.Contains(errs, `level=INFO msg="run started"`) || !strings.Contains(errs, "level=WARN msg=refused") {
			t.Errorf("run %v: stderr:\n%s", args, errs)
		}
	}
	_, errs, code = c.runTTY(false, "run", "--no-bordereau", "--quiet")
	if code != ExitRefused || errs != "" {
		t.Errorf("run --quiet: exit %d, stderr:\n%s", code, errs)
	}
	// On a terminal, information is shown by default.
	if _, errs, _ = c.runTTY(true, "run", "--no-bordereau"); !strings.Contains(errs, `level=INFO msg="run started"`) {
		t.Errorf("run on a terminal: stderr:\n%s", errs)
	}
	if _, errs, code := c.runTTY(false, "list", "--quiet", "--verbose"); code != ExitUsage || !strings.Contains(errs, "choose one") {
		t.Errorf("--quiet --verbose: exit %d, %q", code, errs)
	}
	if _, errs, code := c.runTTY(false, "list", "--log-level", "loud"); code != ExitUsage ||
		!strings.Contains(errs, `--log-level "loud": want debug, info, warn or error`) {
		t.Errorf("--log-level loud: exit %d, %q", code, errs)
	}
}

// Waiting for another run says what it waits for.
func TestWaitingForTheLockSaysSo(t *testing.T) {
	c := newCLI(t)
	c.setup()
	lock, err := sqlite.AcquireRunLock(filepath.Join(c.dir, "remit.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, func() { lock.Release() })
	_, errs, code := c.runTTY(true, "run", "--wait", "5s")
	want := "remit: waiting up to 5s for another remit run to finish with " + filepath.Join(c.dir, "remit.db") + " (--wait)…\n"
	if code != 0 || !strings.HasPrefix(errs, want) {
		t.Errorf("exit %d, stderr %q, want it to start with %q", code, errs, want)
	}
}
