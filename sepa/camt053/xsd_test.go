package camt053

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
)

// TestTestFilesAreValid: every camt.053 file the tests read is valid
// against the official XSD of its version (xmllint): the files of
// testdata/ (those the Writer wrote among them), the shared reference
// examples, and the problem documents built from them that are marked
// valid; those marked invalid are indeed refused by the XSD. Without
// xmllint or the schemas the test is skipped, and fails under CI=true.
func TestTestFilesAreValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil || len(files) < 5 {
		t.Fatalf("testdata: %v %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, f, data)
	}
	for _, f := range []string{"camt.053.001.02.statement.example.xml", "camt.053.001.08.statement.example.xml"} {
		validate(t, f, example(t, f))
	}
	for _, d := range problemDocs {
		doc := []byte(d.edit(string(example(t, d.base))))
		if d.valid {
			validate(t, d.name+".xml", doc)
			continue
		}
		m := namespaceRE.FindSubmatch(doc)
		path := filepath.Join(t.TempDir(), "invalid.xml")
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		testtool.Schema(t, string(m[1])+".xsd")
		if ok, _ := testtool.XMLLint(t, string(m[1])+".xsd", path); ok {
			t.Errorf("problem document %q is valid against the XSD: mark it valid", d.name)
		}
	}
}
