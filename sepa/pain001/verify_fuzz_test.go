package pain001

import (
	"testing"

	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// FuzzVerify: what holds of any input holds (initiationtest.CheckVerify: no
// panic, deterministic, every problem says what and where, a schema-valid
// file holds a transfer and is well-formed for encoding/xml too). Seeds:
// the golden files (the committed corpus is in testdata/fuzz/FuzzVerify).
// make fuzz runs it.
func FuzzVerify(f *testing.F) {
	schematest.Seeds(f, "testdata/writer")
	f.Fuzz(func(t *testing.T, data []byte) { initiationtest.CheckVerify(t, data, verified) })
}
