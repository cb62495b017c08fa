package ident

import "fmt"

// ValidateSIREN checks a French company number: 9 digits with a Luhn check.
func ValidateSIREN(s string) error {
	if s == "" {
		return fmt.Errorf("SIREN: %w", ErrEmpty)
	}
	if !allDigits(s, 9) {
		return fmt.Errorf("SIREN %q: %w: want 9 digits", s, ErrFormat)
	}
	if !luhn(s) {
		return fmt.Errorf("SIREN %s: %w", s, ErrCheckDigits)
	}
	return nil
}

func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
