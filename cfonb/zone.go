package cfonb

import (
	"fmt"
	"strconv"
	"time"
)

// RecordLen is the length of every CFONB 160 record, separator excluded.
const RecordLen = 160

// zone is a field of a record, positions from..to 1-based and inclusive as
// the CFONB brochures number them. Every record file declares its zones
// once, in a table; encoding and decoding go through them only.
type zone struct {
	name     string
	from, to int
}

func (z zone) len() int                             { return z.to - z.from + 1 }
func (z zone) of(b *[RecordLen]byte) []byte         { return b[z.from-1 : z.to] }
func (z zone) str(b *[RecordLen]byte) string        { return string(z.of(b)) }
func (z zone) blank(b *[RecordLen]byte) bool        { return allBytes(z.of(b), ' ') }
func (z zone) is(b *[RecordLen]byte, s string) bool { return string(z.of(b)) == s }

// blankRecord is a record of spaces: reserved zones are blank.
var blankRecord = func() (b [RecordLen]byte) {
	for i := range b {
		b[i] = ' '
	}
	return b
}()

// Zones common to every record.
var (
	zRecordCode = zone{"code enregistrement", 1, 2}
	zOperation  = zone{"code opération", 3, 4}
)

// encoder fills a record buffer zone by zone. Numeric zones are
// right-aligned and zero-filled and fail on overflow or a non-digit; text
// zones go through Text; nothing is ever truncated silently.
type encoder struct {
	b *[RecordLen]byte
	*fieldErrs
}

// start blanks the buffer and writes the record and operation codes.
func (e encoder) start(code string, op Operation) {
	*e.b = blankRecord
	copy(zRecordCode.of(e.b), code)
	d := zOperation.of(e.b)
	d[0] = '0' + byte(op/10%10)
	d[1] = '0' + byte(op%10)
}

// num writes v, right-aligned and zero-filled.
func (e encoder) num(z zone, v int64) {
	d := z.of(e.b)
	if v < 0 {
		e.fail(z, strconv.FormatInt(v, 10), ErrNotPositive)
		return
	}
	if !putUint(d, uint64(v)) {
		e.fail(z, strconv.FormatInt(v, 10), ErrOverflow)
	}
}

// digits writes a string of digits, right-aligned and zero-filled.
func (e encoder) digits(z zone, s string) {
	d := z.of(e.b)
	if len(s) > len(d) {
		e.fail(z, s, ErrOverflow)
		return
	}
	if !allDigits(s) {
		e.fail(z, s, ErrNotNumber)
		return
	}
	p := len(d) - len(s)
	for i := 0; i < p; i++ {
		d[i] = '0'
	}
	copy(d[p:], s)
}

// code writes a fixed code: characters that must already be in the CFONB
// set (account numbers, emitter numbers), left-aligned.
func (e encoder) code(z zone, s string) {
	d := z.of(e.b)
	if len(s) > len(d) {
		e.fail(z, s, ErrOverflow)
		return
	}
	for i := 0; i < len(s); i++ {
		if !inCharset(s[i]) {
			e.fail(z, s, ErrCharset)
			return
		}
	}
	copy(d, s)
}

// text writes s through Text.
func (e encoder) text(z zone, s string) { putText(z.of(e.b), s) }

// char writes one character.
func (e encoder) char(z zone, c byte) { z.of(e.b)[0] = c }

// date6 writes t as JJMMAA; the zero time leaves the zone blank.
func (e encoder) date6(z zone, t time.Time) {
	if t.IsZero() {
		return
	}
	y, m, d := t.Date()
	if y < 2000 || y > 2099 {
		e.fail(z, t.Format(time.DateOnly), fmt.Errorf("%w: year %d outside 2000-2099", ErrDate, y))
		return
	}
	b := z.of(e.b)
	put2(b[0:], d)
	put2(b[2:], int(m))
	put2(b[4:], y%100)
}

// date5 writes t as JJMMA (last digit of the year) right-aligned; the zero
// time leaves the zone blank.
func (e encoder) date5(z zone, t time.Time) {
	if t.IsZero() {
		return
	}
	y, m, d := t.Date()
	if y < 1 {
		e.fail(z, t.Format(time.DateOnly), ErrDate)
		return
	}
	b := z.of(e.b)
	b = b[len(b)-5:]
	put2(b[0:], d)
	put2(b[2:], int(m))
	b[4] = '0' + byte(y%10)
}

// decoder reads a record buffer zone by zone, collecting every problem.
type decoder struct {
	b *[RecordLen]byte
	*fieldErrs
	pivot time.Time // decade of JJMMA dates
}

// num reads a numeric zone.
func (d decoder) num(z zone) int64 {
	s := z.of(d.b)
	if !allDigits(string(s)) {
		d.fail(z, string(s), ErrNotNumber)
		return 0
	}
	var v int64
	for _, c := range s {
		v = v*10 + int64(c-'0')
	}
	return v
}

// ok reports whether every zone read so far was well formed.
func (d decoder) ok() bool { return len(d.errs) == 0 }

// raw returns a zone's content as is; the record's check validates it.
func (d decoder) raw(z zone) string { return z.str(d.b) }

// rawTrim returns a code zone (account number, emitter number) without its
// trailing spaces; the record's check validates it.
func (d decoder) rawTrim(z zone) string {
	s := z.of(d.b)
	n := len(s)
	for n > 0 && s[n-1] == ' ' {
		n--
	}
	return string(s[:n])
}

// text reads an AN zone: characters of the CFONB set, left-aligned. It
// returns the content without its trailing spaces.
func (d decoder) text(z zone) string {
	s := z.of(d.b)
	n := len(s)
	for n > 0 && s[n-1] == ' ' {
		n--
	}
	s = s[:n]
	for _, c := range s {
		if !inCharset(c) {
			d.fail(z, z.str(d.b), ErrCharset)
			return ""
		}
	}
	if n > 0 && s[0] == ' ' {
		d.fail(z, z.str(d.b), ErrAlignment)
		return ""
	}
	return string(s)
}

// reserved checks that a zone réservée is blank.
func (d decoder) reserved(z zone) {
	if !z.blank(d.b) {
		d.fail(z, z.str(d.b), ErrNotBlank)
	}
}

// date6 reads JJMMAA; a blank zone gives the zero time.
func (d decoder) date6(z zone) time.Time {
	s := z.of(d.b)
	if allBytes(s, ' ') {
		return time.Time{}
	}
	if !allDigits(string(s)) {
		d.fail(z, string(s), ErrDate)
		return time.Time{}
	}
	day, mon, yy := get2(s[0:]), get2(s[2:]), get2(s[4:])
	t, ok := mkdate(2000+yy, mon, day)
	if !ok {
		d.fail(z, string(s), ErrDate)
	}
	return t
}

// date5 reads JJMMA right-aligned in its zone (spaces before it); a blank
// zone gives the zero time. The year is the one ending in A that is
// nearest to the pivot: from pivot-5 to pivot+4.
func (d decoder) date5(z zone) time.Time {
	s := z.of(d.b)
	if allBytes(s, ' ') {
		return time.Time{}
	}
	head, s5 := s[:len(s)-5], s[len(s)-5:]
	if !allBytes(head, ' ') || !allDigits(string(s5)) {
		d.fail(z, string(z.of(d.b)), ErrDate)
		return time.Time{}
	}
	day, mon, a := get2(s5[0:]), get2(s5[2:]), int(s5[4]-'0')
	t, ok := mkdate(decadeYear(d.pivot, a), mon, day)
	if !ok {
		d.fail(z, string(z.of(d.b)), ErrDate)
	}
	return t
}

// decadeYear returns the year ending in digit a within pivot-5..pivot+4.
func decadeYear(pivot time.Time, a int) int {
	if pivot.IsZero() {
		pivot = time.Now()
	}
	lo := pivot.Year() - 5
	return lo + ((a-lo)%10+10)%10
}

func mkdate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 April, 29 February of a common year
	}
	return t, true
}

// day returns t's calendar date at midnight UTC, the form in which dates
// are read back.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
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

func isDigits(s string, n int) bool { return len(s) == n && allDigits(s) }

func allBytes(s []byte, c byte) bool {
	for _, b := range s {
		if b != c {
			return false
		}
	}
	return true
}
