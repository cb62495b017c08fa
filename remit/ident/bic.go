package ident

import "fmt"

// ValidateBIC checks a BIC (ISO 9362): 4 letters (institution), 2 letters
// (an ISO country code), 2 letters or digits (location), and an optional
// 3-character branch code.
func ValidateBIC(bic string) error {
	if bic == "" {
		return fmt.Errorf("BIC: %w", ErrEmpty)
	}
	if len(bic) != 8 && len(bic) != 11 {
		return fmt.Errorf("BIC %s: %w: %d characters, want 8 or 11", bic, ErrLength, len(bic))
	}
	for i := 0; i < len(bic); i++ {
		c := bic[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i < 6 && !letter) || (!letter && !digit) {
			return fmt.Errorf("BIC %s: %w at position %d", bic, ErrCharacters, i+1)
		}
	}
	if !countries[bic[4:6]] {
		return fmt.Errorf("BIC %s: %w %s", bic, ErrCountry, bic[4:6])
	}
	return nil
}
