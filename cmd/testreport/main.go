// Command testreport reads `go test -json` on standard input and prints
// what `go test` prints (one ok or FAIL line per package, the output of the
// tests that failed), then how many tests passed, failed and were skipped,
// and why they were skipped: a run that skips the XSD checks because
// ../shared is absent must say so. `make test` pipes the tests into it.
// It exits 1 when a test or a package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// fileLine is the "    file_test.go:12: " prefix of a test's log line.
var fileLine = regexp.MustCompile(`^\s*[\w./-]+\.go:\d+: `)

type report struct {
	w                       io.Writer
	passed, failed, skipped int
	badPackages             int
	reasons                 map[string]int
	output                  map[string][]string // package/test → its output lines
	events                  int
}

func main() {
	r := &report{w: os.Stdout, reasons: map[string]int{}, output: map[string][]string{}}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	if !r.summary() {
		os.Exit(1)
	}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// Not an event (a build error printed by go itself): pass it on.
			fmt.Fprintln(r.w, sc.Text())
			continue
		}
		r.events++
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "output":
		r.output[key] = append(r.output[key], e.Output)
	case "pass", "fail", "skip":
		if e.Test == "" {
			r.packageDone(e)
			return
		}
		out := r.output[key]
		delete(r.output, key)
		top := !strings.Contains(e.Test, "/")
		switch e.Action {
		case "pass":
			if top {
				r.passed++
			}
		case "fail":
			if top {
				r.failed++
			}
			for _, l := range out {
				if !strings.HasPrefix(l, "=== ") {
					fmt.Fprint(r.w, l)
				}
			}
		case "skip":
			r.skipped++
			r.reasons[skipReason(out)]++
		}
	}
}

func (r *report) packageDone(e event) {
	key := e.Package + " "
	out := r.output[key]
	delete(r.output, key)
	switch e.Action {
	case "pass":
		fmt.Fprintf(r.w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
	case "fail":
		r.badPackages++
		for _, l := range out {
			if l != "FAIL\n" && !strings.HasPrefix(l, "FAIL\t") && !strings.HasPrefix(l, "=== ") {
				fmt.Fprint(r.w, l)
			}
		}
		fmt.Fprintf(r.w, "FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
	}
	// "skip" at package level: no test files, as go test prints nothing without -v.
}

// skipReason is the message a test gave t.Skip, without its file and line.
func skipReason(out []string) string {
	for i := len(out) - 1; i >= 0; i-- {
		l := strings.TrimSpace(out[i])
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		return strings.TrimSpace(fileLine.ReplaceAllString(out[i], ""))
	}
	return "(no reason given)"
}

// summary prints the counts, the reasons for skipping, and reports whether
// everything passed.
func (r *report) summary() bool {
	if len(r.reasons) > 0 {
		fmt.Fprintf(r.w, "\n%d tests skipped:\n", r.skipped)
		reasons := make([]string, 0, len(r.reasons))
		for k := range r.reasons {
			reasons = append(reasons, k)
		}
		sort.Slice(reasons, func(i, j int) bool {
			if r.reasons[reasons[i]] != r.reasons[reasons[j]] {
				return r.reasons[reasons[i]] > r.reasons[reasons[j]]
			}
			return reasons[i] < reasons[j]
		})
		for _, k := range reasons {
			fmt.Fprintf(r.w, "  %4d  %s\n", r.reasons[k], k)
		}
		fmt.Fprintln(r.w, "  (README.md, \"What the tests need\", says how to run them all)")
	}
	fmt.Fprintf(r.w, "%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	return r.events > 0 && r.failed == 0 && r.badPackages == 0
}
