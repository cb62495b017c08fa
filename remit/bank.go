package remit

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/ident"
)

// This file holds the company's bank accounts as values; the rules on them
// (value dates, which bank a receivable goes to, statements, forecasts) are
// in package remit/treasury.

// BankOperation is a type of treasury operation (seed 003, "types
// d'opération"): what a bank's conditions give value days for. The
// received ones are the payment methods of receivables; the issued ones
// end in "-out".
type BankOperation string

// The types of operation of seed 003 ("Espèces reçus, Chèque reçu,
// Virement reçu, Traite reçue, Paiement reçu par Carte Bancaire, Espèces
// payé, Chèque émis, Virement émis, Traite émise, Payement par Carte
// Bancaire"), and the SEPA direct debits remit collects.
const (
	OpSDD      BankOperation = "sdd" // prélèvements SEPA émis: collections credited
	OpLCR      BankOperation = "lcr" // traites reçues: LCR and BOR remitted
	OpCheque   BankOperation = "chq" // chèques reçus: remises de chèques
	OpTransfer BankOperation = "vir" // virements reçus
	OpCash     BankOperation = "esp" // espèces reçues: versements
	OpCard     BankOperation = "cb"  // paiements reçus par carte bancaire

	OpTransferOut BankOperation = "vir-out" // virements émis
	OpChequeOut   BankOperation = "chq-out" // chèques émis
	OpLCROut      BankOperation = "lcr-out" // traites émises (LCR domiciliées)
	OpCashOut     BankOperation = "esp-out" // espèces payées
	OpCardOut     BankOperation = "cb-out"  // paiements par carte bancaire
)

// bankOperations is every BankOperation, in the order ValueDays prints them.
var bankOperations = []BankOperation{OpSDD, OpLCR, OpCheque, OpTransfer, OpCash, OpCard,
	OpTransferOut, OpChequeOut, OpLCROut, OpCashOut, OpCardOut}

// BankOperations returns every type of operation, received ones first.
func BankOperations() []BankOperation { return slices.Clone(bankOperations) }

// Known reports whether op is one of BankOperations.
func (op BankOperation) Known() bool { return slices.Contains(bankOperations, op) }

// MaxValueDays is the most value days a bank's conditions may give an
// operation: six weeks of business days, beyond any bank's conditions.
const MaxValueDays = 30

// ValueDays are a bank's value days per type of operation (seed 003: "n
// est un paramètre différent pour chaque type d'opération et pour chaque
// banque. Il fait partie des conditions de banque"). An operation that is
// absent has 0. What a day counts is treasury.ExpectedValueDate's to say.
type ValueDays map[BankOperation]int

// Of returns the value days of op: 0 when the conditions do not name it.
func (v ValueDays) Of(op BankOperation) int { return v[op] }

// String writes the value days as ParseValueDays reads them, in the order
// of BankOperations: "sdd=1,lcr=2,chq=1". Empty when there are none.
func (v ValueDays) String() string {
	var b strings.Builder
	for _, op := range bankOperations {
		if n, ok := v[op]; ok {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(op) + "=" + strconv.Itoa(n))
		}
	}
	return b.String()
}

// ParseValueDays reads value days written as "sdd=1,lcr=2,chq=1": each
// type of operation once, a whole number of days from 0 to MaxValueDays.
// Blanks around items are ignored and "" gives none. Every problem is
// returned at once.
func ParseValueDays(s string) (ValueDays, error) {
	v := ValueDays{}
	if strings.TrimSpace(s) == "" {
		return v, nil
	}
	var errs []error
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		name, num, ok := strings.Cut(item, "=")
		op := BankOperation(strings.ToLower(strings.TrimSpace(name)))
		num = strings.TrimSpace(num)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%q: want type=days, e.g. sdd=1", item))
			continue
		case !op.Known():
			errs = append(errs, fmt.Errorf("%q: unknown type of operation %q (one of %s)", item, name, opList()))
			continue
		}
		if _, dup := v[op]; dup {
			errs = append(errs, fmt.Errorf("%q: %s given twice", item, op))
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n > MaxValueDays {
			errs = append(errs, fmt.Errorf("%q: want a whole number of days from 0 to %d", item, MaxValueDays))
			continue
		}
		v[op] = n
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return v, nil
}

func opList() string {
	s := make([]string, len(bankOperations))
	for i, op := range bankOperations {
		s[i] = string(op)
	}
	return strings.Join(s, ", ")
}

// Bank is one of the company's bank accounts, as its treasury journal
// (journal de banque) knows it: the account that a remittance credits, a
// payment debits, and a statement reports on.
type Bank struct {
	// Code is the treasury journal, e.g. BQ1: a receivable whose journal
	// is Code goes to this bank. Letters and digits, then - or _, at most
	// 8 characters (a receivable's journal has no more).
	Code string `json:"code"`
	// Name is the bank and branch (domiciliation), e.g. "BNP PARIBAS
	// PARIS OPERA", printed on slips and in CFONB headers; empty when it
	// is not known (the bank made from a creditor's account that had none:
	// its files leave it blank, as they did).
	Name string `json:"name"`
	// IBAN is the account, in electronic form, of a SEPA country; BIC is
	// its bank's, optional.
	IBAN string `json:"iban"`
	BIC  string `json:"bic,omitempty"`
	// Account is the general ledger account of the bank, 512100: class
	// 51 (512 banques, 514 chèques postaux, 517 autres organismes).
	Account string `json:"account"`
	// NNE is the numéro national d'émetteur (6 digits) the bank gave for
	// CFONB 160 national direct-debit files (seed 004: "Est proposé le
	// numéro et le RIB renseignés sur le journal").
	NNE string `json:"nne,omitempty"`
	// ValueDays are the bank's conditions: the days from an operation to
	// the bank's booking of it, per type of operation.
	ValueDays ValueDays `json:"value_days,omitempty"`
	// Limit is the lowest balance allowed (limite de décaissement), in
	// cents: -500000 for 5,000.00 of authorised overdraft, 0 for none.
	Limit int64 `json:"limit"`
	// Substitute is the code of the bank supplier payments move to when
	// this one would fall below its limit; empty for none.
	Substitute string `json:"substitute,omitempty"`
	// Balance is the validated balance (solde validé), in cents, at the
	// end of BalanceDate (midnight UTC); zero BalanceDate: none yet. Seed
	// 003: no reconciliation before that date, and the forecast starts
	// from that balance at that date.
	Balance     int64     `json:"balance"`
	BalanceDate time.Time `json:"balance_date,omitzero"`
	// Default marks the bank of receivables whose journal names no bank.
	Default bool `json:"default,omitempty"`
}

// BankError is a problem with one field of a bank.
type BankError struct {
	Bank  string // the bank's code
	Field string // the field, named as the command-line flag: iban, value-days…
	Value string
	Err   error
}

func (e *BankError) Error() string {
	where := "bank " + e.Bank
	if e.Bank == "" {
		where = "bank"
	}
	if e.Value == "" {
		return fmt.Sprintf("%s: %s: %v", where, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %s %q: %v", where, e.Field, e.Value, e.Err)
}

func (e *BankError) Unwrap() error { return e.Err }

// ErrBankCode is the reason a bank code is refused.
var ErrBankCode = errors.New("want 1 to 8 letters or digits (then - or _), the code of its treasury journal")

// Validate checks every field and returns every problem, each a *BankError.
func (b Bank) Validate() []error {
	var errs []error
	bad := func(field, value string, err error) {
		errs = append(errs, &BankError{Bank: b.Code, Field: field, Value: value, Err: err})
	}
	if !validBankCode(b.Code) {
		bad("code", b.Code, ErrBankCode)
	}
	if b.Name != "" && strings.TrimSpace(b.Name) == "" {
		bad("name", b.Name, fmt.Errorf("%w: the bank's name and branch (domiciliation), or none", ident.ErrEmpty))
	} else if n := utf8.RuneCountInString(b.Name); n > 70 || strings.ContainsFunc(b.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		bad("name", b.Name, errors.New("at most 70 characters, no control characters"))
	}
	if err := ident.ValidateSEPAIBAN(b.IBAN); err != nil {
		bad("iban", b.IBAN, err)
	}
	if b.BIC != "" {
		if err := ident.ValidateBIC(b.BIC); err != nil {
			bad("bic", b.BIC, err)
		}
	}
	if !validBankAccount(b.Account) {
		bad("account", b.Account, errors.New("want a general ledger account of class 51 (512… for a bank), letters and digits, at most 20"))
	}
	if b.NNE != "" && !bankDigits(b.NNE, 6) {
		bad("nne", b.NNE, errors.New("want the 6-digit numéro national d'émetteur"))
	}
	for _, op := range slices.Sorted(maps.Keys(b.ValueDays)) {
		if n := b.ValueDays[op]; !op.Known() || n < 0 || n > MaxValueDays {
			bad("value-days", string(op)+"="+strconv.Itoa(n), fmt.Errorf("want one of %s, 0 to %d days", opList(), MaxValueDays))
		}
	}
	if b.Substitute != "" && !validBankCode(b.Substitute) {
		bad("substitute", b.Substitute, ErrBankCode)
	} else if b.Substitute != "" && b.Substitute == b.Code {
		bad("substitute", b.Substitute, errors.New("a bank cannot be its own substitute"))
	}
	if b.BalanceDate.IsZero() && b.Balance != 0 {
		bad("balance-date", "", errors.New("a validated balance needs its date"))
	}
	return errs
}

func validBankCode(code string) bool {
	if code == "" || len(code) > 8 || !bankAlnum(code[0]) {
		return false
	}
	for i := 1; i < len(code); i++ {
		if c := code[i]; !bankAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func validBankAccount(a string) bool {
	if len(a) < 3 || len(a) > 20 || a[:2] != "51" {
		return false
	}
	for i := 0; i < len(a); i++ {
		if !bankAlnum(a[i]) {
			return false
		}
	}
	return true
}

func bankAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func bankDigits(s string, n int) bool {
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
