package cfonb

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel reasons. Every error of the package wraps one of them (or an
// error of package ident for RIB and SIREN checks), so callers can test the
// reason with errors.Is.
var (
	ErrNotNumber    = errors.New("not a number")
	ErrOverflow     = errors.New("does not fit in the zone")
	ErrNotPositive  = errors.New("must be positive")
	ErrDate         = errors.New("bad date")
	ErrRequired     = errors.New("required")
	ErrNotBlank     = errors.New("must be blank")
	ErrCharset      = errors.New("character outside the CFONB set")
	ErrAlignment    = errors.New("not left-aligned")
	ErrFormat       = errors.New("wrong format")
	ErrCode         = errors.New("unknown code")
	ErrLength       = errors.New("wrong record length")
	ErrSeparator    = errors.New("mixed record separators")
	ErrOrder        = errors.New("record out of order")
	ErrNumbering    = errors.New("wrong record number")
	ErrTotal        = errors.New("total does not match the details")
	ErrMismatch     = errors.New("differs from the header")
	ErrNotFrench    = errors.New("not a French account: CFONB 160 files carry French RIBs only")
	ErrNoKey        = errors.New("clé RIB missing: give the key or an IBAN")
	ErrEmpty        = errors.New("no records")
	ErrWriterState  = errors.New("writer used out of order")
	ErrMissingTotal = errors.New("end of file before the total record 08")
)

// FieldError locates a problem in a CFONB record: the line of the file (or
// the record's rank when the file has no separators, or the line the writer
// was about to write), the record code, and the zone with its positions and
// content. Zone is empty for problems with a whole record, Line is 0 when
// the record was encoded on its own.
//
//	line 4, record 06, zone montant (103-114) "00001234567X": not a number
type FieldError struct {
	Line     int    // 1-based line; 0 when unknown
	Record   string // record code: "03", "06", "07", "08"
	Zone     string // zone name, as the CFONB brochures call it
	From, To int    // zone positions, 1-based and inclusive
	Value    string // the zone's content as read, or the value given to the writer
	Err      error  // the reason, wrapping one of the sentinel errors
}

func (e *FieldError) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
	}
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Record != "" {
		sep()
		b.WriteString("record ")
		b.WriteString(e.Record)
	}
	if e.Zone != "" {
		sep()
		b.WriteString("zone ")
		b.WriteString(e.Zone)
		if e.From > 0 {
			b.WriteString(" (")
			b.WriteString(strconv.Itoa(e.From))
			if e.To != e.From {
				b.WriteByte('-')
				b.WriteString(strconv.Itoa(e.To))
			}
			b.WriteByte(')')
		}
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(e.Value))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

// fieldErrs collects the problems of one record.
type fieldErrs struct {
	line int
	code string
	errs []error
	// lenient is set when reading: what banks tolerate in a file goes to
	// warnings, where a writer refuses it.
	lenient  bool
	warnings []error
}

func (c *fieldErrs) fail(z zone, value string, err error) {
	c.errs = append(c.errs, &FieldError{Line: c.line, Record: c.code, Zone: z.name, From: z.from, To: z.to, Value: value, Err: err})
}

// tolerate reports what a writer must not write but banks accept when
// they read it: an error when writing, a warning when reading.
func (c *fieldErrs) tolerate(z zone, value string, err error) {
	if !c.lenient {
		c.fail(z, value, err)
		return
	}
	c.warnings = append(c.warnings, &FieldError{Line: c.line, Record: c.code, Zone: z.name, From: z.from, To: z.to, Value: value,
		Err: fmt.Errorf("%w; banks accept it", err)})
}

// failRecord reports a problem with the whole record.
func (c *fieldErrs) failRecord(err error) {
	c.errs = append(c.errs, &FieldError{Line: c.line, Record: c.code, Err: err})
}

func (c *fieldErrs) err() error { return joinErrors(c.errs) }

func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// Flatten returns the individual errors inside err: those joined by
// errors.Join (as Reader.Next and the writers return them when a record has
// several problems), or err itself.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}
