package cfonb120

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
)

// RecordLen is the length of every CFONB 120 record, separator excluded.
const RecordLen = 120

// zone is a field of a record, positions from..to 1-based and inclusive as
// CFONB120.md numbers them. Every record file declares its zones once;
// encoding and decoding go through them only.
type zone struct {
	name     string
	from, to int
}

func (z zone) len() int                      { return z.to - z.from + 1 }
func (z zone) of(b *[RecordLen]byte) []byte  { return b[z.from-1 : z.to] }
func (z zone) str(b *[RecordLen]byte) string { return latin1(z.of(b)) }

// blankRecord is a record of spaces: reserved zones are blank.
var blankRecord = func() (b [RecordLen]byte) {
	for i := range b {
		b[i] = ' '
	}
	return b
}()

// Zones every record carries (CFONB120.md §2).
var (
	zCode     = zone{"code enregistrement", 1, 2}
	zBank     = zone{"code banque", 3, 7}
	zInternal = zone{"code opération interne", 8, 11}
	zBranch   = zone{"code guichet", 12, 16}
	zCurrency = zone{"code devise", 17, 19}
	zDecimals = zone{"nombre de décimales", 20, 20}
	zNumber   = zone{"numéro de compte", 22, 32}
	zOpCode   = zone{"code opération interbancaire", 33, 34}
	zDate     = zone{"date de comptabilisation", 35, 40}
	zAmount   = zone{"montant", 91, 104}
)

// maxAmountDigits is the width of an amount zone: 13 digits and the signed
// last digit.
const maxAmountDigits = 14

// encoder fills a record buffer zone by zone. Numeric zones are
// right-aligned and zero-filled and fail on overflow or a non-digit; text
// zones are left-aligned and fail on a character the reader would not give
// back or on a value longer than the zone: nothing is ever cut.
type encoder struct {
	b *[RecordLen]byte
	*fieldErrs
}

func (e encoder) start(code string) {
	*e.b = blankRecord
	copy(zCode.of(e.b), code)
}

// digits writes a code made of exactly the zone's number of digits.
func (e encoder) digits(z zone, s string) {
	if len(s) != z.len() || !allDigits(s) {
		e.fail(z, s, fmt.Errorf("%w: want %d digits", cfonb.ErrFormat, z.len()))
		return
	}
	copy(z.of(e.b), s)
}

// text writes s left-aligned, in Latin-1.
func (e encoder) text(z zone, s string) {
	d := z.of(e.b)
	n := 0
	for _, r := range s {
		if !textRune(r) {
			e.fail(z, s, fmt.Errorf("%w: %q cannot be written (printable Latin-1 only)", cfonb.ErrCharset, r))
			return
		}
		if n == len(d) {
			e.fail(z, s, fmt.Errorf("%w: %d characters, the zone has %d", cfonb.ErrOverflow, utf8.RuneCountInString(s), len(d)))
			return
		}
		d[n] = byte(r)
		n++
	}
}

// date6 writes t as JJMMAA; the zero time leaves the zone blank when the
// zone may be blank, and is an error otherwise.
func (e encoder) date6(z zone, t time.Time, required bool) {
	if t.IsZero() {
		if required {
			e.fail(z, "", cfonb.ErrRequired)
		}
		return
	}
	y, m, d := t.Date()
	if y < 2000 || y > 2099 {
		e.fail(z, t.Format(time.DateOnly), fmt.Errorf("%w: year %d outside 2000-2099", cfonb.ErrDate, y))
		return
	}
	b := z.of(e.b)
	put2(b[0:], d)
	put2(b[2:], int(m))
	put2(b[4:], y%100)
}

// amount writes cents with the record's number of decimals: 13 digits and
// a last character carrying the last digit and the sign (CFONB120.md §3).
func (e encoder) amount(z zone, cents int64, decimals int) {
	v, ok := fromCents(cents, decimals)
	if !ok {
		e.fail(z, statement.Format(cents), fmt.Errorf("%w: cannot be written with %d decimals", cfonb.ErrFormat, decimals))
		return
	}
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	d := z.of(e.b)
	last := u % 10
	if !putUint(d[:len(d)-1], u/10) {
		e.fail(z, statement.Format(cents), fmt.Errorf("%w: more than %d digits", cfonb.ErrOverflow, maxAmountDigits))
		return
	}
	if neg {
		d[len(d)-1] = negDigits[last]
	} else {
		d[len(d)-1] = posDigits[last]
	}
}

// The last character of an amount: the ASCII form of EBCDIC signed zoned
// decimal, '{' and 'A'-'I' for +0..+9, '}' and 'J'-'R' for -0..-9.
const (
	posDigits = "{ABCDEFGHI"
	negDigits = "}JKLMNOPQR"
)

// pow10 holds 10^0 … 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// fromCents converts cents to units of 10^-decimals; false when cents are
// finer than the decimals allow, or when the result does not fit.
func fromCents(cents int64, decimals int) (int64, bool) {
	switch {
	case decimals < 0 || decimals > 9:
		return 0, false
	case decimals <= 2:
		f := pow10[2-decimals]
		return cents / f, cents%f == 0
	}
	f := pow10[decimals-2]
	if cents > maxUnits/f || cents < -maxUnits/f {
		return 0, false
	}
	return cents * f, true
}

// maxUnits is the largest amount a 14-digit zone holds.
const maxUnits = 99999999999999

// toCents converts an amount of 10^-decimals units to cents; false when
// the amount is finer than a cent.
func toCents(v int64, decimals int) (int64, bool) {
	if decimals <= 2 {
		return v * pow10[2-decimals], true
	}
	f := pow10[decimals-2]
	return v / f, v%f == 0
}

// decoder reads a record buffer zone by zone, collecting every problem.
type decoder struct {
	b *[RecordLen]byte
	*fieldErrs
}

// digits reads a code of digits (code banque, code guichet).
func (d decoder) digits(z zone) string {
	s := z.of(d.b)
	if !allDigits(string(s)) {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: want %d digits", cfonb.ErrFormat, z.len()))
		return ""
	}
	return string(s)
}

// text reads an alphanumeric zone: its content without the trailing
// blanks. Banks send lower case and accented letters as well as the CFONB
// set, in Latin-1 (CFONB120.md §1): any printable Latin-1 character is
// taken; control characters are refused.
func (d decoder) text(z zone) string {
	s := z.of(d.b)
	n := len(s)
	for n > 0 && s[n-1] == ' ' {
		n--
	}
	s = s[:n]
	for _, c := range s {
		if !textRune(rune(c)) {
			d.fail(z, z.str(d.b), fmt.Errorf("%w: byte 0x%02X is a control character", cfonb.ErrCharset, c))
			return ""
		}
	}
	return latin1(s)
}

// date6 reads JJMMAA, years 2000-2099; a blank zone gives the zero time,
// an error when the zone is required.
func (d decoder) date6(z zone, required bool) time.Time {
	s := z.of(d.b)
	if allBytes(s, ' ') {
		if required {
			d.fail(z, z.str(d.b), cfonb.ErrRequired)
		}
		return time.Time{}
	}
	if !allDigits(string(s)) {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: want JJMMAA", cfonb.ErrDate))
		return time.Time{}
	}
	day, mon, yy := get2(s[0:]), get2(s[2:]), get2(s[4:])
	t := time.Date(2000+yy, time.Month(mon), day, 0, 0, 0, 0, time.UTC)
	if mon < 1 || mon > 12 || day < 1 || t.Day() != day {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: no such day", cfonb.ErrDate))
		return time.Time{}
	}
	return t
}

// amount reads a signed amount and converts it to cents with the record's
// number of decimals; ok is false when the zone could not be read.
func (d decoder) amount(z zone, decimals int) (cents int64, ok bool) {
	s := z.of(d.b)
	head, last := s[:len(s)-1], s[len(s)-1]
	if !allDigits(string(head)) {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: want 13 digits and a sign character", cfonb.ErrNotNumber))
		return 0, false
	}
	digit, neg, okSign := signedDigit(last)
	if !okSign {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: last character %q is not a signed digit ({, A-I, }, J-R)", cfonb.ErrNotNumber, rune(last)))
		return 0, false
	}
	var v int64
	for _, c := range head {
		v = v*10 + int64(c-'0')
	}
	v = v*10 + int64(digit)
	if neg {
		v = -v
	}
	cents, exact := toCents(v, decimals)
	if !exact {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: the record has %d decimals, remit counts in cents", ErrPrecision, decimals))
		return 0, false
	}
	return cents, true
}

func signedDigit(c byte) (digit int, neg, ok bool) {
	switch {
	case c == '{':
		return 0, false, true
	case c == '}':
		return 0, true, true
	case c >= 'A' && c <= 'I':
		return int(c-'A') + 1, false, true
	case c >= 'J' && c <= 'R':
		return int(c-'J') + 1, true, true
	}
	return 0, false, false
}

// textRune reports whether r can be in a text zone: printable ASCII or
// printable Latin-1.
func textRune(r rune) bool { return r >= 0x20 && r < 0x7F || r >= 0xA0 && r <= 0xFF }

// latin1 decodes Latin-1 bytes to a string.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func put2(b []byte, v int) {
	b[0] = '0' + byte(v/10)
	b[1] = '0' + byte(v%10)
}

func get2(b []byte) int { return int(b[0]-'0')*10 + int(b[1]-'0') }

// putUint writes v right-aligned and zero-filled in d; false if it does
// not fit.
func putUint(d []byte, v uint64) bool {
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = '0' + byte(v%10)
		v /= 10
	}
	return v == 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allBytes(s []byte, c byte) bool {
	for _, b := range s {
		if b != c {
			return false
		}
	}
	return true
}

func itoa(i int) string { return strconv.Itoa(i) }
