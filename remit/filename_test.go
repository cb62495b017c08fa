package remit

import (
	"strings"
	"testing"
	"time"
)

func TestFileName(t *testing.T) {
	created := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if n, err := FileName("", "012", "ACME", "sdd", created); n != "PAIEMENT.012" || err != nil {
		t.Errorf("%s %v", n, err)
	}
	if n, _ := FileName("{creditor}-{kind}-{date}-{ref}", "012", "ACME", "lcr", created); n != "ACME-lcr-20261122-012" {
		t.Errorf("%s", n)
	}
	for _, bad := range []string{"../{ref}", "a/{ref}", "NOREF", ".{ref}"} {
		if _, err := FileName(bad, "012", "ACME", "sdd", created); err == nil {
			t.Errorf("template %q accepted", bad)
		}
	}
}

// TestHostileFileNameTemplates: a files.template or creditor code that
// would name a file outside --out, a hidden file, or one that a later run
// would take for a temporary file, is refused before anything is written.
func TestHostileFileNameTemplates(t *testing.T) {
	created := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		template, creditor string
		ok                 bool
	}{
		{"PAIEMENT.{ref}", "ACME", true},
		{"{creditor}-{kind}-{date}-{ref}", "ACME", true},
		{"../{ref}", "ACME", false},
		{"..{ref}", "ACME", false},
		{"{ref}/../../x", "ACME", false},
		{`..\{ref}`, "ACME", false},
		{"/etc/{ref}", "ACME", false},
		{".{ref}", "ACME", false},
		{"{creditor}{ref}", "..", false},
		{"{creditor}/{ref}", "ACME", false},
		{"{creditor}{ref}", "../x", false},
		{"A\x00{ref}", "ACME", false},
		{"A\n{ref}", "ACME", false},
		{"{ref}" + strings.Repeat("x", 300), "ACME", false},
		{"PAIEMENT", "ACME", false}, // no {ref}: every remittance would overwrite the last
	} {
		name, err := FileName(tt.template, "001", tt.creditor, "sdd", created)
		if (err == nil) != tt.ok {
			t.Errorf("FileName(%q, creditor %q) = %q, %v; want ok %v", tt.template, tt.creditor, name, err, tt.ok)
		}
		if err == nil && (strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".")) {
			t.Errorf("FileName(%q) = %q: not a plain file name", tt.template, name)
		}
	}
}
