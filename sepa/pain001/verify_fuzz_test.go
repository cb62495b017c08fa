package pain001

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzVerify: Verify never panics, is deterministic, every problem says
// what and where, a file it finds schema-valid holds at least one transfer
// of a known version, and is well-formed XML for encoding/xml's strict
// (non-raw) decoder too, which checks the engine's own tag matching and
// namespace handling. Seeds: the golden files (the committed corpus is in
// testdata/fuzz/FuzzVerify). make fuzz runs it.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob("testdata/writer/*.xml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
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
		if r.Total < 0 || r.Transactions < 0 {
			t.Fatalf("report %d transactions for %d cents", r.Transactions, r.Total)
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
