package ident

import (
	"fmt"
	"strings"
)

// ValidateRUM checks a SEPA mandate reference (référence unique de mandat):
// 1 to 35 characters of the EPC basic set without spaces at either end,
// not starting or ending with "/" and without "//" (EPC rules for
// identifiers that travel end to end).
func ValidateRUM(rum string) error {
	if rum == "" {
		return fmt.Errorf("mandate reference: %w", ErrEmpty)
	}
	if len(rum) > 35 {
		return fmt.Errorf("mandate reference %q: %w: %d characters, at most 35", rum, ErrLength, len(rum))
	}
	for i := 0; i < len(rum); i++ {
		if !IsEPCBasic(rum[i]) {
			return fmt.Errorf("mandate reference %q: %w at position %d", rum, ErrCharacters, i+1)
		}
	}
	if rum[0] == ' ' || rum[len(rum)-1] == ' ' || rum[0] == '/' || rum[len(rum)-1] == '/' || strings.Contains(rum, "//") {
		return fmt.Errorf("mandate reference %q: %w: no leading or trailing space or '/', no '//'", rum, ErrFormat)
	}
	return nil
}

// IsEPCBasic reports whether c is in the EPC basic Latin character set:
// a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
func IsEPCBasic(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '/', '-', '?', ':', '(', ')', '.', ',', '\'', '+', ' ':
		return true
	}
	return false
}
