package sepa

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
)

// verifyTestXSDDir returns the official schemas' folder (testtool.XSDDir).
func verifyTestXSDDir(t testing.TB) string { return testtool.XSDDir(t) }

// verifyTestExamples returns the folder of the shared reference examples.
func verifyTestExamples(t testing.TB) string {
	return filepath.Join(testtool.SharedDir(t), "reference", "examples", "sepa")
}

// verifyTestXMLLint validates files against one schema with a single
// xmllint run (hundreds of files at once) and returns each file's verdict
// and xmllint's output.
func verifyTestXMLLint(t testing.TB, xsd string, files ...string) (valid map[string]bool, output string) {
	t.Helper()
	bin := testtool.Tool(t, "xmllint")
	args := append([]string{"--noout", "--schema", filepath.Join(verifyTestXSDDir(t), xsd)}, files...)
	out, _ := exec.Command(bin, args...).CombinedOutput()
	valid = make(map[string]bool, len(files))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasSuffix(line, " validates"):
			valid[strings.TrimSuffix(line, " validates")] = true
		case strings.HasSuffix(line, " fails to validate"):
			valid[strings.TrimSuffix(line, " fails to validate")] = false
		}
	}
	for _, f := range files {
		if _, ok := valid[f]; !ok {
			valid[f] = false // not parsed at all (xmllint prints the parser error only)
		}
	}
	return valid, string(out)
}
