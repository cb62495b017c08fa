package payables

import (
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa"
)

// DateOptions decide a payment's execution date.
type DateOptions struct {
	Now time.Time // the run's clock: no payment is executed before its date
	// Cutoff is the bank's cut-off time of day (e.g. 16*time.Hour): a run
	// after it cannot be executed today. Zero: none.
	Cutoff time.Duration
	// Requested is the execution date asked for (remit sct
	// --execution-date); zero: from the due date.
	Requested time.Time
	// Lead is how many TARGET2 business days before the due date a
	// payment is executed, so that the supplier is credited by then; 0
	// executes on the due date (the SCT rulebook credits the payee by the
	// next business day at the latest).
	Lead int
}

// ErrPastDate means a requested execution date is before today.
var ErrPastDate = errors.New("in the past")

// ExecutionDate returns the date a payment is executed (pain.001
// ReqdExctnDt) or a cheque dated: always a TARGET2 business day, never
// before the first day the bank can execute (today, or the next business
// day when today is not one or the cut-off has passed). With a requested
// date, that date, moved to the next business day when it is not one; a
// requested date in the past is an error. Otherwise the due date, Lead
// business days earlier, moved back to the previous business day when it
// is not one (so that the supplier is paid by its due date); and, when
// discountUntil (the earliest last date of the payment's discounts) comes
// before that and is not past, that date instead, so that the discounts
// are taken. A date that would be before the first possible day becomes
// that day. note says in words why the date is not the due date, or "".
func ExecutionDate(due, discountUntil time.Time, o DateOptions) (date time.Time, note string, err error) {
	today := remit.Day(o.Now)
	first := sepa.NextBusinessDay(today)
	clock := o.Now.Sub(time.Date(o.Now.Year(), o.Now.Month(), o.Now.Day(), 0, 0, 0, 0, o.Now.Location()))
	if first.Equal(today) && o.Cutoff > 0 && clock >= o.Cutoff {
		first = sepa.AddBusinessDays(today, 1)
	}
	day := func(t time.Time) string { return t.Format(remit.DateLayout) }
	if !o.Requested.IsZero() {
		r := remit.Day(o.Requested)
		if r.Before(today) {
			return time.Time{}, "", fmt.Errorf("execution date %s: %w (today is %s)", day(r), ErrPastDate, day(today))
		}
		d := sepa.NextBusinessDay(r)
		if d.Before(first) {
			return first, fmt.Sprintf("requested %s, after today's cut-off: executed on %s", day(r), day(first)), nil
		}
		if !d.Equal(r) {
			note = fmt.Sprintf("requested %s is not a TARGET2 business day: executed on %s", day(r), day(d))
		}
		return d, note, nil
	}
	due = remit.Day(due)
	d := subBusinessDays(previousBusinessDay(due), o.Lead)
	if !discountUntil.IsZero() {
		u := previousBusinessDay(remit.Day(discountUntil))
		if u.Before(d) && !u.Before(first) {
			d = u
			note = fmt.Sprintf("executed on %s to take the discount (last date %s); due %s", day(d), day(remit.Day(discountUntil)), day(due))
		}
	}
	switch {
	case d.Before(first):
		d = first
		note = fmt.Sprintf("due %s: executed on the first possible day, %s", day(due), day(d))
	case note == "" && !d.Equal(due):
		if o.Lead > 0 {
			note = fmt.Sprintf("due %s: executed %d business day(s) before, on %s", day(due), o.Lead, day(d))
		} else {
			note = fmt.Sprintf("due %s is not a TARGET2 business day: executed the business day before, %s", day(due), day(d))
		}
	}
	return d, note, nil
}

// previousBusinessDay returns d if it is a TARGET2 business day, else the
// last business day before it.
func previousBusinessDay(d time.Time) time.Time {
	for !sepa.IsTARGET2BusinessDay(d) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// subBusinessDays returns the date n TARGET2 business days before d.
func subBusinessDays(d time.Time, n int) time.Time {
	for ; n > 0; n-- {
		d = previousBusinessDay(d.AddDate(0, 0, -1))
	}
	return d
}
