// Package initiationtest holds what the writer, rule and verify tests of
// the two initiation messages, pain.008 (sepa/pain008) and pain.001
// (sepa/pain001), do alike: golden files, the hot-path and million-row
// writer tests, rule error checks, text edits of a file, the properties
// every Verify report has, and the mutation campaign against xmllint. The
// scenarios and what they expect stay in each package.
package initiationtest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/schema"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// Paris is the time zone of the scenarios.
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// Day is midnight in Paris.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Paris) }

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// Golden compares got with the golden file at path (rewritten with
// -update) and validates the golden file, and got when it differs, against
// the official schema xsd.
func Golden(t *testing.T, path string, got []byte, xsd string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update)", err)
	}
	files := []string{path}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update after checking the diff):\n%s", path, FirstDiff(string(got), string(want)))
		tmp := filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(tmp, got, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, tmp)
	}
	for _, f := range files {
		if ok, msg := testtool.XMLLint(t, xsd, f); !ok {
			t.Errorf("%s does not validate against %s:\n%s", f, xsd, msg)
		}
	}
}

// FirstDiff returns the first line where got and want differ.
func FirstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(no difference)"
}

// FailWriter accepts N bytes, then fails with "disk full".
type FailWriter struct{ N int }

func (f *FailWriter) Write(p []byte) (int, error) {
	if f.N -= len(p); f.N < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// CountWriter counts the bytes written to it.
type CountWriter struct{ N int64 }

func (c *CountWriter) Write(p []byte) (int, error) { c.N += int64(len(p)); return len(p), nil }

// ErrReader fails every read with Err.
type ErrReader struct{ Err error }

func (r ErrReader) Read([]byte) (int, error) { return 0, r.Err }

// WantErrs checks that errs holds exactly one error per sentinel in want
// (nil want: no error at all), each a *sepa.RuleError naming a block and a
// field.
func WantErrs(t *testing.T, name string, errs []error, want ...error) {
	t.Helper()
	if len(errs) != len(want) {
		t.Errorf("%s: %d errors %v, want %d (%v)", name, len(errs), errs, len(want), want)
		return
	}
	for i, w := range want {
		if !errors.Is(errs[i], w) {
			t.Errorf("%s: error %d = %v, want %v", name, i, errs[i], w)
		}
		var re *sepa.RuleError
		if !errors.As(errs[i], &re) || re.Field == "" || re.Block == "" {
			t.Errorf("%s: error %d is not a *sepa.RuleError naming a block and a field: %#v", name, i, errs[i])
		}
	}
}

// Edit is one textual change to a file: Old replaced by New, at most N
// times (0: all); with Re, Old is a regular expression. Each edit must
// apply, so that a test cannot silently check the unmodified file.
type Edit struct {
	Old, New string
	N        int
	Re       bool
}

func Replace(old, new string) Edit      { return Edit{Old: old, New: new} }
func ReplaceFirst(old, new string) Edit { return Edit{Old: old, New: new, N: 1} }
func ReplaceRe(re, new string) Edit     { return Edit{Old: re, New: new, Re: true} }

// Apply returns s with e made.
func (e Edit) Apply(t testing.TB, s string) string {
	t.Helper()
	if e.Re {
		re := regexp.MustCompile(e.Old)
		if !re.MatchString(s) {
			t.Fatalf("edit %q does not apply", e.Old)
		}
		return re.ReplaceAllString(s, e.New)
	}
	if !strings.Contains(s, e.Old) {
		t.Fatalf("edit %q does not apply", e.Old)
	}
	n := e.N
	if n == 0 {
		n = -1
	}
	return strings.Replace(s, e.Old, e.New, n)
}

// Problems renders a report's problems, one per line, for a test failure.
func Problems(r *schema.Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\n\t%s: %s", p.Kind, p)
	}
	return b.String()
}

// MatchesXSD checks the hand-written model doc against the official schema
// xsd (outside the repository), element by element and facet by facet,
// and that it reaches every type the schema defines.
func MatchesXSD(t *testing.T, xsd string, doc *schema.Type) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtool.XSDDir(t), xsd))
	if err != nil {
		t.Fatal(err)
	}
	diffs, n, err := schema.CompareXSD(doc, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	t.Logf("%s: %d types checked", xsd, n)
}

// Verified is what the verify tests look at in a message's report.
type Verified struct {
	*schema.Report
	Version      string // "" when the namespace is not one of the message's
	Transactions int
	Total        int64
}

// Verifier is a message's Verify, seen through Verified.
type Verifier func(io.Reader) (Verified, error)

// CheckVerify asserts what holds of any input: Verify does not fail on an
// in-memory reader, is deterministic, every problem says what and where,
// and a file it finds schema-valid holds at least one transaction of a
// known version and is well-formed XML for encoding/xml's strict
// (non-raw) decoder too, which checks the validator's own tag matching and
// namespace handling. The fuzz tests run it on every input.
func CheckVerify(t *testing.T, data []byte, verify Verifier) {
	r, err := verify(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("error from an in-memory reader: %v", err)
	}
	again, _ := verify(bytes.NewReader(data))
	if !reflect.DeepEqual(r, again) {
		t.Fatalf("two runs differ:%s\nvs%s", Problems(r.Report), Problems(again.Report))
	}
	for _, p := range r.Problems {
		if p.Msg == "" || (p.Kind != schema.ProblemSchema && p.Kind != schema.ProblemRule) || p.Line < 0 {
			t.Fatalf("bad problem %+v", p)
		}
	}
	if r.Total < 0 || r.Transactions < 0 {
		t.Fatalf("report %d transactions for %d cents", r.Transactions, r.Total)
	}
	if r.Count(schema.ProblemSchema) > 0 {
		return
	}
	if r.Version == "" || r.Transactions < 1 {
		t.Fatalf("schema-valid but version %q, %d transactions", r.Version, r.Transactions)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("schema-valid for us, but encoding/xml says: %v", err)
		}
	}
}

// Base is a valid file the mutation test starts from, with its schema.
type Base struct {
	Name, Text, XSD string
}

// AgreesWithXMLLint mutates each base perBase times at random (deleting,
// duplicating, moving, renaming elements, replacing values with tricky
// ones, adding attributes…; vocabulary gives the names to use) and checks
// that verify's schema verdict equals xmllint's on every mutant. Seeds are
// fixed, so failures reproduce; REMIT_VERIFY_MUTANTS=n[,seed] runs a
// longer campaign.
func AgreesWithXMLLint(t *testing.T, bases []Base, vocabulary []string, perBase int, verify Verifier) {
	seed := uint64(2026)
	if env := os.Getenv("REMIT_VERIFY_MUTANTS"); env != "" {
		fmt.Sscanf(strings.ReplaceAll(env, ",", " "), "%d %d", &perBase, &seed)
	}
	vocabulary = append(vocabulary, "Foo")
	dir := t.TempDir()
	type mutant struct{ path, ops string }
	var mutants []mutant
	byXSD := map[string][]string{}
	for bi, base := range bases {
		rng := rand.New(rand.NewPCG(uint64(bi)+1, seed))
		for i := 0; i < perBase; i++ {
			root := schematest.Parse(t, base.Text)
			var ops []string
			for n := 1 + rng.IntN(2); n > 0; n-- {
				ops = append(ops, schematest.Mutate(rng, root, vocabulary))
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-%03d.xml", base.Name, i))
			if err := os.WriteFile(path, []byte(root.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			mutants = append(mutants, mutant{path, strings.Join(ops, "; ")})
			byXSD[base.XSD] = append(byXSD[base.XSD], path)
		}
	}
	lint := map[string]bool{}
	outputs := map[string]string{}
	for xsd, paths := range byXSD {
		verdicts, out := schematest.XMLLint(t, xsd, paths...)
		for _, p := range paths {
			lint[p], outputs[p] = verdicts[p], out
		}
	}
	disagree, rejected := 0, 0
	for _, m := range mutants {
		data, err := os.ReadFile(m.path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := verify(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		ours := r.Count(schema.ProblemSchema) == 0
		if !lint[m.path] {
			rejected++
		}
		if ours != lint[m.path] {
			disagree++
			if disagree <= 10 {
				t.Errorf("%s (%s): we say schema-valid=%v, xmllint %v\nours:%s\nxmllint:\n%s", filepath.Base(m.path), m.ops, ours, lint[m.path],
					Problems(r.Report), schematest.Lines(outputs[m.path], m.path))
			}
		}
	}
	t.Logf("%d mutants, %d rejected by xmllint, %d disagreements", len(mutants), rejected, disagree)
}

// Stream is the part of a message's Writer the hot-path tests drive, once
// its group header is written and its one block started.
type Stream[T any] interface {
	WriteTransaction(T) error
	Close() error
}

// Opener starts a Writer on out for a message of n transactions of the
// same amount, in one block; scratch returns the capacity of its scratch
// buffer.
type Opener[T any] func(out io.Writer, n int) (w Stream[T], scratch func() int, err error)

// BenchWriter measures one transaction written (rules checked, XML built,
// buffered).
func BenchWriter[T any](b *testing.B, open Opener[T], tx T) {
	var out CountWriter
	w, _, err := open(&out, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.WriteTransaction(tx); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(out.N / int64(b.N))
}

// WriterAllocs guards the hot path: one transaction costs at most two
// allocations (the FR RIB key check in package ident allocates).
func WriterAllocs[T any](t *testing.T, open Opener[T], tx T) {
	w, _, err := open(io.Discard, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if err := w.WriteTransaction(tx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("%.1f allocations per transaction, want at most 2", allocs)
	}
}

// WriterMillion writes a million transactions and checks memory stays flat
// (the writer keeps nothing per transaction).
func WriterMillion[T any](t *testing.T, open Opener[T], tx T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	const n = 1_000_000
	var out CountWriter
	w, scratch, err := open(&out, n)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := w.WriteTransaction(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d transactions, %d MB in %v", n, out.N>>20, time.Since(start))
	if got := scratch(); got > 64<<10 {
		t.Errorf("scratch buffer grew to %d bytes", got)
	}
}

// Writer is a message's Writer, as the tests drive it.
type Writer[P, T any] interface {
	StartPaymentInfo(P) error
	WriteTransaction(T) error
	Close() error
}

// Block is a PmtInf block of a scenario and its transactions.
type Block[P, T any] struct {
	PI  P
	Txs []T
}

// Write writes the blocks with w and closes it, stopping at the first
// error; at says which call returned it: "start" (StartPaymentInfo),
// "write" (WriteTransaction) or "close" (also when none failed).
func Write[P, T any](w Writer[P, T], blocks []Block[P, T]) (at string, err error) {
	for _, b := range blocks {
		if err := w.StartPaymentInfo(b.PI); err != nil {
			return "start", err
		}
		for _, tx := range b.Txs {
			if err := w.WriteTransaction(tx); err != nil {
				return "write", err
			}
		}
	}
	return "close", w.Close()
}
