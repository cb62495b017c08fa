package cfonb

import (
	"fmt"

	"github.com/remit-dev/remit/remit/ident"
)

// Account is a French bank account as CFONB 160 records carry it: code
// banque, code guichet and numéro de compte. The clé RIB is never written
// to a file, but the writers check it (see WriterOptions.KeylessAccounts),
// because the file itself cannot prove that the account exists. Accounts
// read from a file have no Key.
type Account struct {
	Bank   string // code banque (établissement), 5 digits
	Branch string // code guichet, 5 digits
	Number string // numéro de compte, 11 characters: digits and upper-case letters
	Key    string // clé RIB, 2 digits; not written to the file
}

// AccountFromIBAN returns the account of a French IBAN, with its key,
// after checking it (ISO check digits and RIB key). Monegasque IBANs (MC)
// are accepted too: Monaco's banks use the French RIB and clearing. Any
// other country is refused with ErrNotFrench: its accounts have no RIB and
// cannot travel in a CFONB 160 file.
func AccountFromIBAN(iban string) (Account, error) {
	s := ident.NormalizeIBAN(iban)
	if len(s) >= 2 && s[:2] != "FR" && s[:2] != "MC" {
		return Account{}, fmt.Errorf("IBAN %s: %w", s, ErrNotFrench)
	}
	if err := ident.ValidateIBAN(s); err != nil {
		return Account{}, err
	}
	r := ident.RIBFromIBAN(s)
	return Account{Bank: r.Bank, Branch: r.Branch, Number: r.Account, Key: r.Key}, nil
}

// IBAN returns the French IBAN of the account; it needs the key.
func (a Account) IBAN() string {
	return ident.RIB{Bank: a.Bank, Branch: a.Branch, Account: a.Number, Key: a.Key}.IBAN()
}

// Validate checks the formats of the three zones and, when Key is set, the
// clé RIB.
func (a Account) Validate() error {
	c := fieldErrs{}
	a.check(&c, zone{name: "code banque"}, zone{name: "code guichet"}, zone{name: "numéro de compte"}, false)
	return c.err()
}

// check reports the account's problems against the zones where the record
// writes it: formats, then the clé RIB if there is one or it is required.
func (a Account) check(c *fieldErrs, bank, branch, number zone, keyRequired bool) {
	ok := true
	if !isDigits(a.Bank, 5) {
		c.fail(bank, a.Bank, fmt.Errorf("%w: want 5 digits", ErrFormat))
		ok = false
	}
	if !isDigits(a.Branch, 5) {
		c.fail(branch, a.Branch, fmt.Errorf("%w: want 5 digits", ErrFormat))
		ok = false
	}
	if !accountNumber(a.Number) {
		c.fail(number, a.Number, fmt.Errorf("%w: want 11 digits or upper-case letters", ErrFormat))
		ok = false
	}
	switch {
	case !ok:
	case a.Key == "":
		if keyRequired {
			c.fail(number, a.Number, ErrNoKey)
		}
	default:
		// Equivalent to ident.RIB.Validate, without its allocations on
		// the writer's hot path; ident formats the error when it fails.
		if !isDigits(a.Key, 2) || ribKey(a.Bank, a.Branch, a.Number) != get2([]byte(a.Key)) {
			err := ident.RIB{Bank: a.Bank, Branch: a.Branch, Account: a.Number, Key: a.Key}.Validate()
			if err == nil { // cannot happen: both compute the same key
				err = ident.ErrRIBKey
			}
			c.fail(number, a.Number, err)
		}
	}
}

// ribKey computes the clé RIB of well-formed parts, as ident.RIBKey does.
func ribKey(bank, branch, number string) int {
	var b, g, n int64
	for i := 0; i < len(bank); i++ {
		b = b*10 + int64(bank[i]-'0')
	}
	for i := 0; i < len(branch); i++ {
		g = g*10 + int64(branch[i]-'0')
	}
	for i := 0; i < len(number); i++ {
		n = n*10 + int64(ribDigit(number[i]))
	}
	return int(97 - (89*b+15*g+3*n)%97)
}

// ribDigit maps account characters to digits: A-I → 1-9, J-R → 1-9,
// S-Z → 2-9.
func ribDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'I':
		return int(c-'A') + 1
	case c >= 'J' && c <= 'R':
		return int(c-'J') + 1
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2
	}
	return 0
}

func accountNumber(s string) bool {
	if len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
