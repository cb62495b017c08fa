package pain008

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// FuzzVerify: Verify never panics, is deterministic, every problem says
// what and where, and a file we find schema-valid is well-formed XML for
// encoding/xml's strict (non-raw) decoder too, which checks our own tag
// matching and namespace handling. Seeds: the valid testdata files and,
// when present, the shared examples (the committed corpus is in
// testdata/fuzz/FuzzVerify).
func FuzzVerify(f *testing.F) {
	schematest.Seeds(f, "testdata/verify/valid", filepath.Join(testtool.RepoRoot(), "..", "shared", "reference", "examples", "sepa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Verify(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("error from an in-memory reader: %v", err)
		}
		again, _ := Verify(bytes.NewReader(data))
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("two runs differ:%s\nvs%s", verifyProblems(r), verifyProblems(again))
		}
		for _, p := range r.Problems {
			if p.Msg == "" || (p.Kind != ProblemSchema && p.Kind != ProblemRule) || p.Line < 0 {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if r.Count(ProblemSchema) > 0 {
			return
		}
		if !r.Version.Valid() || r.Transactions < 1 {
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
	})
}
