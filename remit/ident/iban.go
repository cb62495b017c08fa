package ident

import (
	"fmt"
	"regexp"
	"strings"
)

// ibanLengths is the total IBAN length per country (SWIFT IBAN registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
	"NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
	"SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ribCountries use the French BBAN (banque, guichet, compte, clé RIB), so the
// RIB key is checked as well as the IBAN check digits.
var ribCountries = map[string]bool{"FR": true, "MC": true}

// NormalizeIBAN removes spaces and upper-cases s, the form in which IBANs are
// stored and written to files.
func NormalizeIBAN(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// ValidateIBAN checks an IBAN in electronic form (no spaces, upper case):
// country, length for that country, characters, ISO 7064 mod 97-10 check
// digits and, for French and Monegasque accounts, the embedded RIB key.
func ValidateIBAN(iban string) error {
	if iban == "" {
		return fmt.Errorf("IBAN: %w", ErrEmpty)
	}
	if len(iban) < 5 {
		return fmt.Errorf("IBAN %s: %w", iban, ErrLength)
	}
	for i := 0; i < len(iban); i++ {
		c := iban[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i < 2 && !letter) || (i >= 2 && i < 4 && !digit) || (!letter && !digit) {
			return fmt.Errorf("IBAN %s: %w at position %d", iban, ErrCharacters, i+1)
		}
	}
	cc := iban[:2]
	want, ok := ibanLengths[cc]
	if !ok {
		return fmt.Errorf("IBAN %s: %w %s", iban, ErrCountry, cc)
	}
	if len(iban) != want {
		return fmt.Errorf("IBAN %s: %w: %d characters, %s IBANs have %d", iban, ErrLength, len(iban), cc, want)
	}
	if mod97From(mod97(iban[4:]), iban[:4]) != 1 { // the BBAN, then the country and check digits
		return fmt.Errorf("IBAN %s: %w", iban, ErrCheckDigits)
	}
	if ribCountries[cc] {
		r := RIBFromIBAN(iban)
		if err := r.Validate(); err != nil {
			return fmt.Errorf("IBAN %s: %w", iban, err)
		}
	}
	return nil
}

// IBANCheckDigits computes the two check digits for a country code and BBAN.
func IBANCheckDigits(country, bban string) string {
	n := 98 - mod97(bban+country+"00")
	return fmt.Sprintf("%02d", n)
}

// mod97 computes the ISO 7064 mod 97-10 remainder of s, where letters count
// as 10..35. It reduces as it goes, so any length fits.
func mod97(s string) int { return mod97From(0, s) }

// mod97From is mod97 of the digits of r (a remainder, 0 to 96) followed by
// those of s: the number read in two pieces, with no string built. The
// digits gather in a uint64 reduced only when it could overflow (below
// 2^56, times 100 plus 35 stays below 2^63): two divisions for an IBAN
// instead of one a character.
func mod97From(r int, s string) int {
	if r < 0 {
		return -1
	}
	acc := uint64(r)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			acc = acc*10 + uint64(c-'0')
		case c >= 'A' && c <= 'Z':
			acc = acc*100 + uint64(c-'A'+10)
		case c >= 'a' && c <= 'z':
			acc = acc*100 + uint64(c-'a'+10)
		default:
			return -1
		}
		if acc >= 1<<56 {
			acc %= 97
		}
	}
	return int(acc % 97)
}

// ibanLike matches what may be an IBAN inside a text, valid or not: two
// letters, two digits and 8 to 30 letters or digits.
var ibanLike = regexp.MustCompile(`(?i)\b[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}\b`)

// MaskIBANs hides every IBAN inside a text (see MaskIBAN): for what is
// stored or printed where logs keep it, such as the reason a receivable was
// refused.
func MaskIBANs(s string) string {
	return ibanLike.ReplaceAllStringFunc(s, MaskIBAN)
}

// MaskIBAN hides all but the country code and the last four characters, for
// logs and printed slips: FR76************************5691 → "FR76…5691" style.
func MaskIBAN(iban string) string {
	if len(iban) <= 8 {
		return strings.Repeat("*", len(iban))
	}
	return iban[:4] + strings.Repeat("*", len(iban)-8) + iban[len(iban)-4:]
}
