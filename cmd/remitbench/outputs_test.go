package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A stage's digest is what the report says prints it: the sha256 of
// `LC_ALL=C sha256sum GLOBS | sha256sum` in the stage's folder, names in
// byte order whatever the order of the globs.
func TestOutputsOfIsSha256sumOfTheListing(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	for name, body := range map[string]string{"out/PAIEMENT.002.xml": "<b/>", "out/PAIEMENT.001.xml": "<a/>", "out/B.pdf": "%PDF", "slip.pdf": "x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := outputsOf(dir, []string{"slip.pdf", "out/*"})
	if err != nil {
		t.Fatal(err)
	}
	if d.files != 4 {
		t.Errorf("%d files, want 4", d.files)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("no sha256sum to compare with")
	}
	cmd := exec.Command("sh", "-c", "sha256sum out/* slip.pdf | sha256sum")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Fields(string(out))[0]; d.sum != want {
		t.Errorf("digest %s, sha256sum's listing %s", d.sum, want)
	}
	if none, err := outputsOf(dir, []string{"nothing.*"}); err != nil || none.files != 0 || none.sum != "" {
		t.Errorf("no file: %+v, %v", none, err)
	}
}

// Runs of a stage that wrote different bytes are reported as such.
func TestDigestTextSaysWhenRunsDiffer(t *testing.T) {
	if got := digestText([]digest{{1, "aa"}, {1, "aa"}, {1, "aa"}}); got != "aa" {
		t.Errorf("same runs: %q", got)
	}
	if got := digestText([]digest{{1, "aa"}, {1, "bb"}, {1, "aa"}}); got != "DIFFERS between its 3 runs: aa, bb" {
		t.Errorf("different runs: %q", got)
	}
}
