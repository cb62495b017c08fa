package ident

import (
	"fmt"
	"strings"
)

// RIB is a French bank account identifier: code banque (5 digits), code
// guichet (5 digits), numéro de compte (11 characters, digits or letters)
// and clé RIB (2 digits). It is the BBAN of a French IBAN.
type RIB struct {
	Bank    string // code banque (établissement), 5 digits
	Branch  string // code guichet, 5 digits
	Account string // numéro de compte, 11 characters
	Key     string // clé RIB, 2 digits
}

// RIBFromIBAN splits a French (or Monegasque) IBAN into its RIB parts. It
// does not validate; call Validate on the result.
func RIBFromIBAN(iban string) RIB {
	if len(iban) != 27 {
		return RIB{}
	}
	return RIB{Bank: iban[4:9], Branch: iban[9:14], Account: iban[14:25], Key: iban[25:27]}
}

// IBAN returns the French IBAN for the RIB.
func (r RIB) IBAN() string {
	bban := r.Bank + r.Branch + r.Account + r.Key
	return "FR" + IBANCheckDigits("FR", bban) + bban
}

// Validate checks the zones' formats and the RIB key.
func (r RIB) Validate() error {
	if !allDigits(r.Bank, 5) {
		return fmt.Errorf("code banque %q: %w", r.Bank, ErrFormat)
	}
	if !allDigits(r.Branch, 5) {
		return fmt.Errorf("code guichet %q: %w", r.Branch, ErrFormat)
	}
	if len(r.Account) != 11 {
		return fmt.Errorf("numéro de compte %q: %w", r.Account, ErrLength)
	}
	if !allDigits(r.Key, 2) {
		return fmt.Errorf("clé RIB %q: %w", r.Key, ErrFormat)
	}
	key, err := ribKey(r.Bank, r.Branch, r.Account)
	if err != nil {
		return err
	}
	if key != atoi(r.Key) {
		return fmt.Errorf("clé RIB %s, expected %s: %w", r.Key, formatRIBKey(key), ErrRIBKey)
	}
	return nil
}

// RIBKey computes the clé RIB: 97 - ((89·banque + 15·guichet + 3·compte) mod 97),
// letters in the account mapped A-I→1-9, J-R→1-9, S-Z→2-9.
func RIBKey(bank, branch, account string) (string, error) {
	key, err := ribKey(bank, branch, account)
	if err != nil {
		return "", err
	}
	return formatRIBKey(key), nil
}

// formatRIBKey writes a key (1 to 97) as its two digits.
func formatRIBKey(key int64) string { return string([]byte{byte('0' + key/10), byte('0' + key%10)}) }

// ribKey is RIBKey as a number, for Validate to compare with no string made.
func ribKey(bank, branch, account string) (int64, error) {
	if !allDigits(bank, 5) || !allDigits(branch, 5) {
		return 0, fmt.Errorf("RIB %s %s: %w", bank, branch, ErrFormat)
	}
	if len(account) != 11 {
		return 0, fmt.Errorf("numéro de compte %q: %w", account, ErrLength)
	}
	var acc int64
	for _, c := range strings.ToUpper(account) {
		d, ok := ribDigit(c)
		if !ok {
			return 0, fmt.Errorf("numéro de compte %q: %w", account, ErrCharacters)
		}
		acc = acc*10 + int64(d)
	}
	b, g := atoi(bank), atoi(branch)
	return 97 - (89*b+15*g+3*acc)%97, nil
}

func ribDigit(c rune) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'I':
		return int(c-'A') + 1, true
	case c >= 'J' && c <= 'R':
		return int(c-'J') + 1, true
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2, true
	}
	return 0, false
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}
