package pain008

import (
	"path/filepath"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
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
	return schematest.XMLLint(t, xsd, files...)
}
