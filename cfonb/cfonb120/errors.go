package cfonb120

import (
	"errors"

	"github.com/remit-dev/remit/cfonb"
)

// Problems are reported as *cfonb.FieldError values, the CFONB 160 side's
// type, wrapping the sentinel reasons of package cfonb (ErrFormat,
// ErrOrder, ErrMismatch…), statement.ErrUnbalanced, or the reasons below.
var (
	// ErrPrecision: an amount with more than 2 decimals that is not a
	// whole number of cents; remit counts in cents.
	ErrPrecision = errors.New("amount finer than a cent")
	// ErrNotWritable: a statement holds something CFONB 120 has no zone
	// for (several transactions under one entry, a batch, an ISO bank
	// transaction code…); the writer refuses it rather than drop it.
	ErrNotWritable = errors.New("cannot be written in CFONB 120")
)

// fieldErrs collects the problems of one record.
type fieldErrs struct {
	line int
	code string
	errs []error
}

func (c *fieldErrs) fail(z zone, value string, err error) {
	c.errs = append(c.errs, &cfonb.FieldError{Line: c.line, Record: c.code, Zone: z.name, From: z.from, To: z.to, Value: value, Err: err})
}

// failRecord reports a problem with the whole record.
func (c *fieldErrs) failRecord(err error) {
	c.errs = append(c.errs, &cfonb.FieldError{Line: c.line, Record: c.code, Err: err})
}

func (c *fieldErrs) err() error { return joinErrors(c.errs) }

// failed reports whether a problem was found in zone z.
func (c *fieldErrs) failed(z zone) bool {
	for _, err := range c.errs {
		var fe *cfonb.FieldError
		if errors.As(err, &fe) && fe.Zone == z.name && fe.From == z.from {
			return true
		}
	}
	return false
}

func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}
