package pain008

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/remit-dev/remit/sepa/internal/schema"
)

// TestSchemaModelMatchesXSD: the Go model is written by hand; the official
// XSD (outside the repository) is read only here, to check that the model
// says the same thing, element by element and facet by facet, and reaches
// every type the schema defines, so no optional corner is left out.
func TestSchemaModelMatchesXSD(t *testing.T) {
	dir := verifyTestXSDDir(t)
	for _, v := range []Version{V02, V08} {
		t.Run(string(v), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, v.XSD()))
			if err != nil {
				t.Fatal(err)
			}
			diffs, n, err := schema.CompareXSD(schemaDocument(v), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				t.Error(d)
			}
			t.Logf("%s: %d types checked", v, n)
		})
	}
}
