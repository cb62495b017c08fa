package treasury

import (
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/statement"
)

// ValidateBanks checks each bank (remit.Bank.Validate) and the banks
// together: codes unique (whatever their case), as are IBANs and general
// ledger accounts (a statement, and the entries of a bank, must name one
// bank), at most one default bank, and each substitute one of the banks.
// Every problem comes at once; those of the set wrap ErrBanks.
func ValidateBanks(banks []remit.Bank) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrBanks}, args...)...))
	}
	codes := map[string]string{}
	ibans := map[string]string{}
	accounts := map[string]string{}
	var defaults []string
	for _, b := range banks {
		errs = append(errs, b.Validate()...)
		if other, ok := codes[strings.ToUpper(b.Code)]; ok {
			bad("code %s given to two banks (%s and %s)", b.Code, other, b.Code)
		} else {
			codes[strings.ToUpper(b.Code)] = b.Code
		}
		if other, ok := ibans[b.IBAN]; ok && b.IBAN != "" {
			bad("banks %s and %s have the same IBAN %s", other, b.Code, b.IBAN)
		} else {
			ibans[b.IBAN] = b.Code
		}
		if other, ok := accounts[b.Account]; ok && b.Account != "" {
			bad("banks %s and %s have the same account %s: each bank needs its own to be reconciled", other, b.Code, b.Account)
		} else {
			accounts[b.Account] = b.Code
		}
		if b.Default {
			defaults = append(defaults, b.Code)
		}
	}
	if len(defaults) > 1 {
		bad("%d default banks (%s): one at most", len(defaults), strings.Join(defaults, ", "))
	}
	for _, b := range banks {
		if b.Substitute != "" {
			if _, ok := codes[strings.ToUpper(b.Substitute)]; !ok {
				bad("bank %s: substitute %s is not a bank", b.Code, b.Substitute)
			}
		}
	}
	return errors.Join(errs...)
}

// BankChoice is the bank an operation goes to, and why.
type BankChoice struct {
	Bank remit.Bank
	// ByJournal: the receivable's journal is the bank's code. Otherwise
	// the bank is the default one.
	ByJournal bool
	// Note says why the default bank was taken for a journal that names
	// no bank ("journal RT is no bank"); empty otherwise.
	Note string
}

// BankFor returns the bank of a receivable (or a payable) whose treasury
// journal is journal: the bank whose code it is (seed 004: "Est proposé le
// numéro et le RIB renseignés sur le journal"), else the default bank. A
// journal that names no bank (a portfolio journal such as RT, seed 004:
// "Il n'est pas obligatoire d'utiliser un compte de banque") goes to the
// default bank too, with a Note, as every receivable did before banks.
// Codes are compared whatever their case. Without a default bank the
// error wraps ErrNoBank.
func BankFor(banks []remit.Bank, journal string) (BankChoice, error) {
	journal = strings.TrimSpace(journal)
	if journal != "" {
		for _, b := range banks {
			if strings.EqualFold(b.Code, journal) {
				return BankChoice{Bank: b, ByJournal: true}, nil
			}
		}
	}
	for _, b := range banks {
		if b.Default {
			c := BankChoice{Bank: b}
			if journal != "" {
				c.Note = fmt.Sprintf("journal %s is no bank: default bank %s", journal, b.Code)
			}
			return c, nil
		}
	}
	if journal != "" {
		return BankChoice{}, fmt.Errorf("journal %s: %w of that code and no default bank (remit bank add %s … or --default)", journal, ErrNoBank, journal)
	}
	return BankChoice{}, fmt.Errorf("no journal: %w: no default bank (remit bank add … --default)", ErrNoBank)
}

// BankOf returns the bank whose account a statement reports on: the same
// IBAN, or for a CFONB 120 statement whose RIB could not be made an IBAN,
// the same code banque, code guichet and numéro de compte. The error wraps
// ErrUnknownAccount.
func BankOf(banks []remit.Bank, a statement.Account) (remit.Bank, error) {
	for _, b := range banks {
		if sameAccount(b, a) {
			return b, nil
		}
	}
	return remit.Bank{}, fmt.Errorf("statement for account %s: %w (add it with remit bank add)", accountText(a), ErrUnknownAccount)
}

// sameAccount reports whether a is bank b's account.
func sameAccount(b remit.Bank, a statement.Account) bool {
	iban := ident.NormalizeIBAN(b.IBAN)
	if a.IBAN != "" {
		return ident.NormalizeIBAN(a.IBAN) == iban
	}
	if a.Other != "" {
		return ident.NormalizeIBAN(a.Other) == iban
	}
	if a.Bank == "" || len(iban) != 27 || (iban[:2] != "FR" && iban[:2] != "MC") {
		return false
	}
	r := ident.RIBFromIBAN(iban)
	return r.Bank == a.Bank && r.Branch == a.Branch && strings.EqualFold(r.Account, a.Number)
}

// accountText names an account for a message.
func accountText(a statement.Account) string {
	switch {
	case a.IBAN != "":
		return a.IBAN
	case a.Other != "":
		return a.Other
	case a.Bank != "" || a.Number != "":
		return fmt.Sprintf("RIB %s %s %s", a.Bank, a.Branch, a.Number)
	}
	return "(none)"
}
