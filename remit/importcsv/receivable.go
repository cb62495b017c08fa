package importcsv

import (
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
)

// Columns of the receivables import file, in canonical order; the first
// RequiredColumns are required.
var Columns = []string{
	"document", "customer", "name", "amount", "due_date",
	"method", "issue_date", "currency", "journal", "iban", "bic", "mandate", "mandate_signed", "scheme",
	"mandate_type", "mandate_last_collected",
	"acceptance", "street", "building", "postcode", "town", "country", "bank_name", "siren", "priority",
	"label", "pointed", "cheque_number", "drawer_bank",
}

// RequiredColumns is how many of Columns a file must have.
const RequiredColumns = 5

// Format is the receivables import file's, for csvread.
var Format = csvread.Format{Columns: Columns, Required: RequiredColumns, Command: "remit import"}

// Line is one line of the file, read and checked.
type Line = csvread.Line[Receivable]

// Receivable is a receivable as one line of the file gives it, checked,
// with what the line says of its customer and of its mandate. Text is
// trimmed; dates are YYYY-MM-DD, "" when not given.
type Receivable struct {
	Document   string
	Amount     int64 // cents, above zero
	Currency   string
	Issue      string
	Due        string
	Method     string // sdd, lcr, chq, vir, esp, cb, or "" (remit.PaymentMethods)
	Journal    string
	Acceptance string // accepted, not_accepted or bor (LCR)
	Label      string
	Cheque     string // chq: the cheque's number, its blanks left out
	DrawerBank string // chq: the bank it is drawn on
	Pointed    Pointed
	Customer   Customer
	Mandate    Mandate // RUM "" when the line names none
	// Hash sums the line's columns (their trimmed text): the same line
	// imported again is the same receivable, unchanged.
	Hash string
	// unused names the mandate columns given without a mandate, ignored
	// ("scheme", "mandate_type" or "scheme and mandate_type").
	unused string
}

// Customer is what a line says of its customer. An empty detail means
// "not given": an ERP export repeats them on every line, or leaves them out.
type Customer struct {
	Code     string // the customer's account (411…)
	Name     string
	Address  remit.Address
	IBAN     string // normalized (no spaces, upper case)
	BIC      string
	BankName string
	SIREN    string
	Priority int // 0 (most urgent) to 99
}

// Over is customer stored as the line's customer c leaves it, as both
// stores import it: the name and priority always, each other detail when
// the line gives it, and the BIC with the line's IBAN (an IBAN given
// without a BIC clears the BIC).
func (c Customer) Over(stored Customer) Customer {
	or := func(v, old string) string {
		if v != "" {
			return v
		}
		return old
	}
	a, old := c.Address, stored.Address
	m := Customer{Code: stored.Code, Name: c.Name, Priority: c.Priority,
		Address: remit.Address{Street: or(a.Street, old.Street), Building: or(a.Building, old.Building), Postcode: or(a.Postcode, old.Postcode),
			Town: or(a.Town, old.Town), Country: or(a.Country, old.Country)},
		IBAN: or(c.IBAN, stored.IBAN), BIC: or(c.BIC, stored.BIC), BankName: or(c.BankName, stored.BankName), SIREN: or(c.SIREN, stored.SIREN)}
	if c.IBAN != "" {
		m.BIC = c.BIC
	}
	return m
}

// Mandate is what a line says of its SEPA mandate; the account is the
// customer's IBAN and BIC.
type Mandate struct {
	RUM           string
	Signed        string
	Scheme        string // CORE or B2B; "" when not given
	Kind          string // recurrent or oneoff; "" when not given
	LastCollected string // a collection made before remit managed the mandate
}

// Pointed is what a line's pointed column says.
type Pointed int8

// What the pointed column says.
const (
	PointedNotGiven Pointed = iota // empty: a new receivable is open, a known one keeps its status
	PointedYes                     // pointed on import: the next remittance takes it
	PointedNo                      // open
)

// Status is the status a new receivable starts in.
func (r *Receivable) Status() string {
	if r.Pointed == PointedYes {
		return remit.StatusPointed
	}
	return remit.StatusOpen
}
