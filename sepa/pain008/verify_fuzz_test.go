package pain008

import (
	"path/filepath"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// FuzzVerify: what holds of any input holds (initiationtest.CheckVerify: no
// panic, deterministic, every problem says what and where, a schema-valid
// file is well-formed for encoding/xml too). Seeds: the valid testdata
// files and, when present, the shared examples (the committed corpus is in
// testdata/fuzz/FuzzVerify).
func FuzzVerify(f *testing.F) {
	schematest.Seeds(f, "testdata/verify/valid", filepath.Join(testtool.RepoRoot(), "..", "shared", "reference", "examples", "sepa"))
	f.Fuzz(func(t *testing.T, data []byte) { initiationtest.CheckVerify(t, data, verified) })
}
