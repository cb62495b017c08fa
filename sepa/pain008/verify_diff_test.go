package pain008

import (
	"testing"

	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
)

// TestVerifyAgreesWithXMLLint: on random structural mutants of valid
// files, our schema verdict is xmllint's (initiationtest.AgreesWithXMLLint).
func TestVerifyAgreesWithXMLLint(t *testing.T) {
	perBase := 250
	if testing.Short() {
		perBase = 40
	}
	var bases []initiationtest.Base
	for _, name := range []string{"v08", "v02", "full08", "full02"} {
		text, v := verifyTestBase(t, name)
		bases = append(bases, initiationtest.Base{Name: name, Text: text, XSD: v.XSD()})
	}
	vocabulary := append(schemaDocument(V02).ElementNames(), schemaDocument(V08).ElementNames()...)
	initiationtest.AgreesWithXMLLint(t, bases, vocabulary, perBase, verified)
}
