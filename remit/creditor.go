package remit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// ErrCreditorChoice means several creditors share the database and none was chosen.
var ErrCreditorChoice = errors.New("several creditors in the database: choose one with --creditor CODE")

// ErrNoCreditor means the database has no creditor yet.
var ErrNoCreditor = errors.New("no creditor yet: run `remit creditor set` first")

// ErrUnknownCreditor means no creditor has the code asked for.
var ErrUnknownCreditor = errors.New("no creditor")

// Address is a structured postal address.
type Address struct {
	Street   string `json:"street,omitempty"`
	Building string `json:"building,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Town     string `json:"town,omitempty"`
	Country  string `json:"country,omitempty"`
}

// Creditor is the company collecting (créancier, cédant, tireur).
type Creditor struct {
	ID       int64   `json:"-"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	ICS      string  `json:"ics,omitempty"`
	NNE      string  `json:"nne,omitempty"`
	SIREN    string  `json:"siren,omitempty"`
	IBAN     string  `json:"iban,omitempty"`
	BIC      string  `json:"bic,omitempty"`
	BankName string  `json:"bank_name,omitempty"`
	Address  Address `json:"address"`
	RCUROnly bool    `json:"rcur_only,omitempty"`
	// ApprovalRequired: its payables are paid only once approved (bon à
	// payer, remit payables approve; issue 20, seed 002).
	ApprovalRequired bool `json:"approval_required,omitempty"`

	// TraiteOffset moves the traites printed for this creditor right and
	// down, in tenths of a millimetre, to fit its printer's paper.
	TraiteOffset Offset `json:"traite_offset,omitzero"`
}

// Offset is a printing offset in tenths of a millimetre: X to the right,
// Y downwards.
type Offset struct {
	X int `json:"x_tenths_mm"`
	Y int `json:"y_tenths_mm"`
}

// MM returns the offset in millimetres.
func (o Offset) MM() (x, y float64) { return float64(o.X) / 10, float64(o.Y) / 10 }

// String prints the offset the way people say it: "1.5 mm right, 2 mm up".
func (o Offset) String() string {
	part := func(v int, pos, neg string) string {
		dir := pos
		if v < 0 {
			v, dir = -v, neg
		}
		s := strconv.Itoa(v / 10)
		if v%10 != 0 {
			s += "." + strconv.Itoa(v%10)
		}
		return s + " mm " + dir
	}
	if o == (Offset{}) {
		return "none"
	}
	return part(o.X, "right", "left") + ", " + part(o.Y, "down", "up")
}

// ParseOffset reads millimetres with at most one decimal, "1.5", "-2" or
// "1,5", into tenths, within ±30 mm.
func ParseOffset(s string) (int, error) {
	v := strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	whole, frac, dot := strings.Cut(v, ".")
	if whole == "" && dot {
		whole = "0"
	}
	if !isDigits(whole, len(whole)) || whole == "" || len(whole) > 2 || (dot && (len(frac) != 1 || !isDigits(frac, 1))) {
		return 0, errors.New("want millimetres with at most one decimal, e.g. 1.5 or -2")
	}
	n, _ := strconv.Atoi(whole)
	n *= 10
	if dot {
		n += int(frac[0] - '0')
	}
	if n > 300 {
		return 0, errors.New("at most 30 mm either way")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// Validate checks every field that is set and returns all problems.
func (c Creditor) Validate() []error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		add("name", ident.ErrEmpty)
	}
	if !validCode(c.Code) {
		add("code", fmt.Errorf("%q: letters, digits, - or _ only", c.Code))
	}
	if c.ICS != "" {
		add("ics", ident.ValidateICS(c.ICS))
	}
	if c.NNE != "" && !isDigits(c.NNE, 6) {
		add("nne", fmt.Errorf("%q: want the 6-digit numéro national d'émetteur", c.NNE))
	}
	if c.SIREN != "" {
		add("siren", ident.ValidateSIREN(c.SIREN))
	}
	if c.IBAN != "" {
		add("iban", ident.ValidateSEPAIBAN(c.IBAN)) // the account SEPA debits credit
	}
	if c.BIC != "" {
		add("bic", ident.ValidateBIC(c.BIC))
	}
	if c.Address.Country != "" {
		add("country", ident.ValidateCountry(c.Address.Country))
	}
	// The SEPA files carry these in fields they would not fit: refused, never cut.
	for _, f := range [...]struct {
		name, value string
		max         int
	}{{"postcode", c.Address.Postcode, sepa.MaxPostCode}, {"building", c.Address.Building, sepa.MaxPostCode},
		{"town", c.Address.Town, sepa.MaxTownName}} {
		if n := sepa.TextLen(f.value); n > f.max {
			add(f.name, fmt.Errorf("%q: %d characters, at most %d in a SEPA file", f.value, n, f.max))
		}
	}
	return errs
}

// validCode: the code goes into file names ({creditor}) and the MsgId.
func validCode(code string) bool {
	if code == "" || len(code) > 35 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
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
