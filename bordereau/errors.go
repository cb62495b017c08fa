package bordereau

import (
	"errors"
	"fmt"
)

// Sentinel reasons, tested with errors.Is. Every error the package returns
// wraps one of them (or comes from the PDF library or the io.Writer).
var (
	ErrCopies     = errors.New("copies must be between 1 and 9")
	ErrPerPage    = errors.New("traites per page must be 1, 2 or 3")
	ErrModel      = errors.New("unknown form model")
	ErrAmount     = errors.New("amount must be positive")
	ErrMissing    = errors.New("missing")
	ErrAccount    = errors.New("not a valid French bank account")
	ErrNotGrouped = errors.New("not grouped: this group already ended earlier in the input")
	ErrCount      = errors.New("item count differs from the header")
	ErrTotal      = errors.New("sum of the items differs from the header total")
	ErrChanged    = errors.New("items differ between copies: the sequence must yield the same items each time")
	ErrNoTraite   = errors.New("no traite to print")
	ErrOffset     = errors.New("offset beyond 30 mm: the form would leave the sheet")

	ErrChequeNumber = errors.New("not a cheque number: 1 to 7 digits")
	ErrIBAN         = errors.New("not a valid IBAN")
	ErrDiscount     = errors.New("discount must be between 0 and the invoice's amount (none on a credit note)")
	ErrDays         = errors.New("days must be in increasing order, after the validated balance's date and not after the end of the forecast")
)

// maxErrors caps the problems collected from one input: enough to fix a bad
// batch in one pass, not 100,000 copies of the same mistake.
const maxErrors = 50

// ItemError says which input element is wrong and why.
type ItemError struct {
	Index    int    // 1-based position in the input sequence
	Document string // the element's document (invoice) reference, if any
	Field    string // the faulty field, e.g. "Amount"
	Value    string // the faulty value as text
	Err      error  // one of the sentinel reasons
}

func (e *ItemError) Error() string {
	where := fmt.Sprintf("item %d", e.Index)
	if e.Document != "" {
		where += " (" + e.Document + ")"
	}
	if e.Field == "" {
		return where + ": " + e.Err.Error()
	}
	return fmt.Sprintf("%s: %s %q: %v", where, e.Field, e.Value, e.Err)
}

func (e *ItemError) Unwrap() error { return e.Err }

// problems collects errors up to maxErrors and counts the rest.
type problems struct {
	errs    []error
	dropped int
}

func (p *problems) add(err error) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, err)
	} else {
		p.dropped++
	}
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	errs := p.errs
	if p.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("… and %d more problems", p.dropped))
	}
	return errors.Join(errs...)
}

func checkCopies(n int) (int, error) {
	if n == 0 {
		return 1, nil
	}
	if n < 1 || n > 9 {
		return 0, fmt.Errorf("%d: %w", n, ErrCopies)
	}
	return n, nil
}
