package pain008

import (
	"testing"

	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
)

// TestSchemaModelMatchesXSD: the Go model is written by hand; the official
// XSD (outside the repository) is read only here, to check that the model
// says the same thing, element by element and facet by facet, and reaches
// every type the schema defines, so no optional corner is left out.
func TestSchemaModelMatchesXSD(t *testing.T) {
	for _, v := range []Version{V02, V08} {
		t.Run(string(v), func(t *testing.T) { initiationtest.MatchesXSD(t, v.XSD(), schemaDocument(v)) })
	}
}
