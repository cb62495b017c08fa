// Package testtool finds what some tests need outside the repository: the
// official ISO 20022 schemas and system tools such as xmllint and pdftotext.
//
// When something is missing the test is skipped with a message saying how to
// get it, except under CI=true, where a missing tool or schema is a failure:
// CI must never go green by skipping the checks that matter.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot returns the repository root (the directory holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Missing reports that something a test needs from outside the repository is
// not there: the test is skipped with the message, or failed under CI=true.
// The message should say what is missing and how to get it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// XSDDir returns the folder of the official schemas: $REMIT_XSD_DIR, or
// ../shared/xsd beside the repository.
func XSDDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("REMIT_XSD_DIR")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared", "xsd")
	}
	if _, err := os.Stat(filepath.Join(dir, "pain.008.001.08.xsd")); err != nil {
		Missing(t, "ISO 20022 schemas not found in %s (set REMIT_XSD_DIR): %v", dir, err)
	}
	return dir
}

// Schema returns the path of one official schema in XSDDir, e.g.
// "camt.053.001.08.xsd"; the test is skipped (failed under CI=true) when it
// is not there.
func Schema(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(XSDDir(t), name)
	if _, err := os.Stat(path); err != nil {
		Missing(t, "schema %s not found (set REMIT_XSD_DIR): %v", name, err)
	}
	return path
}

// SharedDir returns ../shared beside the repository (reference examples).
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(), "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "reference")); err != nil {
		Missing(t, "shared reference folder not found at %s: %v", dir, err)
	}
	return dir
}

// Tool returns the path of a system tool, installed by `make tools`
// (xmllint from libxml2-utils, pdftotext and pdftoppm from poppler-utils).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not installed (run `make tools`, or apt-get install %s)", name, debianPackage(name))
	}
	return p
}

func debianPackage(tool string) string {
	switch tool {
	case "xmllint":
		return "libxml2-utils"
	case "pdftotext", "pdftoppm", "pdfinfo":
		return "poppler-utils"
	}
	return tool
}

// XMLLint validates file against the named schema in XSDDir and returns
// xmllint's complaints (empty when valid).
func XMLLint(t testing.TB, xsd, file string) (ok bool, output string) {
	t.Helper()
	bin := Tool(t, "xmllint")
	dir := XSDDir(t)
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join(dir, xsd), file).CombinedOutput()
	return err == nil, string(out)
}

// Collect gathers into a slice what a streaming store method passes to its
// callback (walk calls it with fn), for tests, whose lists are short.
func Collect[T any](walk func(fn func(*T) error) error) ([]T, error) {
	var out []T
	err := walk(func(v *T) error {
		out = append(out, *v)
		return nil
	})
	return out, err
}
