package cfonb120

import (
	"fmt"

	"github.com/remit-dev/remit/cfonb"
)

// Record is one 120-character record: *OldBalance (01), *Movement (04),
// *Complement (05) or *NewBalance (07).
type Record interface {
	// Code returns the code enregistrement, positions 1-2.
	Code() string
	// MarshalRecord checks the record's content and encodes it; the error
	// lists every problem, each a *cfonb.FieldError.
	MarshalRecord() ([RecordLen]byte, error)

	encode(e encoder)
	decode(d decoder)
}

// Account is what every record repeats: the account, and the currency and
// number of decimals of the record's amount (CFONB120.md §2).
type Account struct {
	Bank     string // 3-7 code banque, 5 digits
	Branch   string // 12-16 code guichet, 5 digits
	Currency string // 17-19 code devise ISO 4217; a blank zone reads as EUR
	Decimals int    // 20 nombre de décimales of the record's amount; a blank zone reads as 2
	// 21 zone réservée: banks put their own things there (monnaie
	// d'origine, indice SIT); not read.
	Number string // 22-32 numéro de compte, 11 characters, letters allowed
}

func (a *Account) encode(e encoder) {
	e.digits(zBank, a.Bank)
	e.digits(zBranch, a.Branch)
	if !isCurrency(a.Currency) {
		e.fail(zCurrency, a.Currency, fmt.Errorf("%w: want 3 capital letters (ISO 4217)", cfonb.ErrFormat))
	} else {
		copy(zCurrency.of(e.b), a.Currency)
	}
	if a.Decimals < 0 || a.Decimals > 9 {
		e.fail(zDecimals, itoa(a.Decimals), fmt.Errorf("%w: want one digit", cfonb.ErrFormat))
	} else {
		zDecimals.of(e.b)[0] = '0' + byte(a.Decimals)
	}
	if a.Number == "" {
		e.fail(zNumber, "", cfonb.ErrRequired)
	}
	e.text(zNumber, a.Number)
}

// decode reads the account zones. Blank currency and decimals are read as
// EUR and 2: LCL has been seen leaving them blank in 01 and 07 records
// (CFONB120.md §1).
func (a *Account) decode(d decoder) {
	a.Bank = d.digits(zBank)
	a.Branch = d.digits(zBranch)
	switch cur := zCurrency.of(d.b); {
	case allBytes(cur, ' '):
		a.Currency = "EUR"
	case isCurrency(string(cur)):
		a.Currency = string(cur)
	default:
		d.fail(zCurrency, zCurrency.str(d.b), fmt.Errorf("%w: want 3 capital letters (ISO 4217)", cfonb.ErrFormat))
	}
	switch c := zDecimals.of(d.b)[0]; {
	case c == ' ':
		a.Decimals = 2
	case c >= '0' && c <= '9':
		a.Decimals = int(c - '0')
	default:
		d.fail(zDecimals, zDecimals.str(d.b), fmt.Errorf("%w: want one digit", cfonb.ErrFormat))
	}
	a.Number = d.text(zNumber)
	if a.Number == "" && !d.failed(zNumber) {
		d.fail(zNumber, zNumber.str(d.b), cfonb.ErrRequired)
	}
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func marshalRecord(r Record) ([RecordLen]byte, error) {
	var b [RecordLen]byte
	c := fieldErrs{code: r.Code()}
	e := encoder{b: &b, fieldErrs: &c}
	e.start(r.Code())
	r.encode(e)
	return b, c.err()
}

// ParseRecord decodes one record of 120 bytes (Latin-1, no separator) and
// checks every zone it reads.
func ParseRecord(rec []byte) (Record, error) {
	return parseRecord(rec, 0)
}

func parseRecord(rec []byte, line int) (Record, error) {
	c := fieldErrs{line: line}
	if len(rec) != RecordLen {
		c.failRecord(fmt.Errorf("%w: %d characters, want %d", cfonb.ErrLength, len(rec), RecordLen))
		return nil, c.err()
	}
	b := (*[RecordLen]byte)(rec)
	c.code = zCode.str(b)
	var r Record
	switch c.code {
	case "01":
		r = &OldBalance{}
	case "04":
		r = &Movement{}
	case "05":
		r = &Complement{}
	case "07":
		r = &NewBalance{}
	default:
		c.fail(zCode, c.code, fmt.Errorf("%w: want 01, 04, 05 or 07", cfonb.ErrCode))
		return nil, c.err()
	}
	r.decode(decoder{b: b, fieldErrs: &c})
	return r, c.err()
}
