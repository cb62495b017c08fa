package treasury

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/remit-dev/remit/remit"
)

// The rules of a creditor's set of banks as `remit bank add|set|remove`
// change it: exactly one default bank once there is any, a bank that
// another names as substitute stays, and the creditor's own account
// (remit creditor set --iban) is the default bank's.

// DefaultBankCode is the code of the bank made from the creditor's own
// account (remit creditor set --iban, and the schema upgrade of a database
// made before banks): the default journal of the entries.
const DefaultBankCode = "BQ"

// DefaultBankAccount is its general ledger account: the default
// counterpart of the entries.
const DefaultBankAccount = "512000"

// Errors of a change to the set.
var (
	// ErrDefaultBank: the default bank cannot go while other banks remain.
	ErrDefaultBank = errors.New("it is the default bank")
	// ErrSubstitute: a bank another bank names as its substitute cannot go.
	ErrSubstitute = errors.New("it is another bank's substitute")
	// ErrBankExists: `bank add` of a code the creditor has.
	ErrBankExists = errors.New("bank already exists")
	// ErrBankInUse: remittances were made to the bank: it stays, for them
	// to be regenerated and reconciled.
	ErrBankInUse = errors.New("remittances were made to it")
)

// indexOf returns the index of the bank of code, whatever its case, or -1.
func indexOf(banks []remit.Bank, code string) int {
	return slices.IndexFunc(banks, func(b remit.Bank) bool { return strings.EqualFold(b.Code, code) })
}

// IsBankAccount reports whether account is a bank's own, the balance of
// an account at a bank: 512 banques, 514 chèques postaux, 515 à 517
// (Trésor, sociétés de bourse, autres organismes), as remit.Bank takes it.
// Not 511 (valeurs à l'encaissement) nor any other account of the plan:
// those are the intermediate accounts a company books remittances on
// instead of the bank's (seed 004: "Il n'est pas obligatoire d'utiliser un
// compte de banque").
func IsBankAccount(account string) bool {
	if len(account) < 3 || account[:2] != "51" || account[2] < '2' || account[2] > '7' ||
		strings.Contains(account, "AA") || strings.Contains(account, "MM") { // masks filled from a date: not one account
		return false
	}
	for _, err := range (remit.Bank{Account: account}).Validate() {
		if be, ok := err.(*remit.BankError); ok && be.Field == "account" {
			return false
		}
	}
	return true
}

// FindBank returns the bank of code, whatever its case; the error wraps
// ErrNoBank and lists the codes there are.
func FindBank(banks []remit.Bank, code string) (remit.Bank, error) {
	if i := indexOf(banks, code); i >= 0 {
		return banks[i], nil
	}
	return remit.Bank{}, fmt.Errorf("bank %s: %w of that code (%s)", code, ErrNoBank, bankCodes(banks))
}

// bankCodes lists the codes for a message.
func bankCodes(banks []remit.Bank) string {
	if len(banks) == 0 {
		return "there is none yet: remit bank add"
	}
	codes := make([]string, len(banks))
	for i, b := range banks {
		codes[i] = b.Code
	}
	return "banks: " + strings.Join(codes, ", ")
}

// PutBank returns banks with b added, or in place of the bank of its code.
// The first bank is the default one; b.Default makes b the default and the
// others not; a bank that is the default stays so (another bank is made the
// default instead). The set is checked (ValidateBanks).
func PutBank(banks []remit.Bank, b remit.Bank) ([]remit.Bank, error) {
	out := slices.Clone(banks)
	i := indexOf(out, b.Code)
	switch {
	case i >= 0:
		b.Default = b.Default || out[i].Default
		out[i] = b
	default:
		b.Default = b.Default || len(out) == 0
		out = append(out, b)
		i = len(out) - 1
	}
	if b.Default {
		for j := range out {
			out[j].Default = j == i
		}
	}
	if err := ValidateBanks(out); err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveBank returns banks without the bank of code. The default bank
// goes only with the last one (ErrDefaultBank), and a bank another names
// as substitute stays (ErrSubstitute). Whether remittances were made to it
// is the store's to say.
func RemoveBank(banks []remit.Bank, code string) ([]remit.Bank, error) {
	i := indexOf(banks, code)
	if i < 0 {
		_, err := FindBank(banks, code)
		return nil, err
	}
	b := banks[i]
	if b.Default && len(banks) > 1 {
		return nil, fmt.Errorf("bank %s: %w: make another the default first (remit bank set CODE --default)", b.Code, ErrDefaultBank)
	}
	for _, o := range banks {
		if strings.EqualFold(o.Substitute, b.Code) && !strings.EqualFold(o.Code, b.Code) {
			return nil, fmt.Errorf("bank %s: %w (%s): give %s another first (remit bank set %s --substitute CODE, or --substitute '')",
				b.Code, ErrSubstitute, o.Code, o.Code, o.Code)
		}
	}
	return slices.Delete(slices.Clone(banks), i, i+1), nil
}

// CreditorBank is the bank made from a creditor's own account: its IBAN,
// BIC, NNE and domiciliation, DefaultBankCode booked on account (the
// counterpart the entries used; "" for DefaultBankAccount), the default.
func CreditorBank(cr remit.Creditor, account string) remit.Bank {
	if account == "" {
		account = DefaultBankAccount
	}
	return remit.Bank{Code: DefaultBankCode, Name: strings.TrimSpace(cr.BankName), IBAN: cr.IBAN, BIC: cr.BIC, Account: account, NNE: cr.NNE,
		Default: true}
}

// FollowCreditor returns the banks after the creditor's own account
// changed from old to cr (remit creditor set --iban, --bic, --bank-name,
// --nne), and whether they changed: a creditor without banks gets its
// account as the default bank (CreditorBank, booked on account);
// otherwise the default bank takes what changed. A creditor without an
// IBAN changes nothing.
func FollowCreditor(old, cr remit.Creditor, banks []remit.Bank, account string) ([]remit.Bank, bool) {
	if cr.IBAN == "" {
		return banks, false
	}
	if len(banks) == 0 {
		return []remit.Bank{CreditorBank(cr, account)}, true
	}
	i := slices.IndexFunc(banks, func(b remit.Bank) bool { return b.Default })
	if i < 0 {
		return banks, false
	}
	out := slices.Clone(banks)
	d, was := &out[i], out[i]
	if cr.IBAN != old.IBAN {
		d.IBAN = cr.IBAN
	}
	if cr.BIC != old.BIC {
		d.BIC = cr.BIC
	}
	if name := strings.TrimSpace(cr.BankName); name != "" && cr.BankName != old.BankName {
		d.Name = name
	}
	if cr.NNE != old.NNE {
		d.NNE = cr.NNE
	}
	changed := d.IBAN != was.IBAN || d.BIC != was.BIC || d.Name != was.Name || d.NNE != was.NNE
	return out, changed
}

// CreditorWithBank returns the creditor with the default bank's account:
// its IBAN, BIC and domiciliation, and its NNE when it has one (remit
// creditor show names the account a remittance credits by default).
// Without a default bank, cr is returned as it is.
func CreditorWithBank(cr remit.Creditor, banks []remit.Bank) remit.Creditor {
	i := slices.IndexFunc(banks, func(b remit.Bank) bool { return b.Default })
	if i < 0 {
		return cr
	}
	d := banks[i]
	cr.IBAN, cr.BIC, cr.BankName = d.IBAN, d.BIC, d.Name
	if d.NNE != "" {
		cr.NNE = d.NNE
	}
	return cr
}
