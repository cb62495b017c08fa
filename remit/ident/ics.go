package ident

import "fmt"

// icsLengths gives the creditor identifier length where the national
// format is fixed; other countries are checked only against 35.
var icsLengths = map[string]int{"FR": 13, "DE": 18, "BE": 20, "NL": 19, "ES": 16, "IT": 23, "AT": 18, "LU": 26}

// ValidateICS checks a SEPA creditor identifier (identifiant créancier SEPA):
// country code, 2 check digits, a 3-character creditor business code (not
// part of the check), then the national identifier. The check digits are
// ISO 7064 mod 97-10 over the national identifier followed by the country
// code and "00".
func ValidateICS(ics string) error {
	if ics == "" {
		return fmt.Errorf("creditor identifier: %w", ErrEmpty)
	}
	if len(ics) < 8 || len(ics) > 35 {
		return fmt.Errorf("creditor identifier %s: %w", ics, ErrLength)
	}
	for i := 0; i < len(ics); i++ {
		c := ics[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i < 2 && !letter) || (i >= 2 && i < 4 && !digit) || (!letter && !digit) {
			return fmt.Errorf("creditor identifier %s: %w at position %d", ics, ErrCharacters, i+1)
		}
	}
	cc := ics[:2]
	if !countries[cc] {
		return fmt.Errorf("creditor identifier %s: %w %s", ics, ErrCountry, cc)
	}
	if n, ok := icsLengths[cc]; ok && len(ics) != n {
		return fmt.Errorf("creditor identifier %s: %w: %d characters, %s identifiers have %d", ics, ErrLength, len(ics), cc, n)
	}
	if mod97(ics[7:]+cc+ics[2:4]) != 1 {
		return fmt.Errorf("creditor identifier %s: %w", ics, ErrCheckDigits)
	}
	return nil
}
