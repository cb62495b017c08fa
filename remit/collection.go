package remit

import (
	"fmt"
	"time"

	"github.com/remit-dev/remit/sepa"
)

// CollectionCalendar gives each due date of a direct-debit run its
// requested collection date: the due date moved to a TARGET2 business day,
// no earlier than the bank's lead days and cut-off allow; or one forced
// date for every debit.
type CollectionCalendar struct {
	now      time.Time
	leadDays int
	cutoff   time.Duration
	forced   string
	dates    map[string]string // due date → requested collection date
}

// NewCollectionCalendar checks a forced date (zero: none): it must be a
// TARGET2 business day the lead days and cut-off still reach.
func NewCollectionCalendar(now time.Time, leadDays int, cutoff time.Duration, forced time.Time) (*CollectionCalendar, error) {
	c := &CollectionCalendar{now: now, leadDays: leadDays, cutoff: cutoff, dates: map[string]string{}}
	if forced.IsZero() {
		return c, nil
	}
	day := Day(forced)
	if !sepa.IsTARGET2BusinessDay(day) {
		return nil, fmt.Errorf("collection date %s is not a TARGET2 business day", FormatDate(day))
	}
	if earliest := sepa.EarliestCollectionDate(now, leadDays, cutoff); day.Before(earliest) {
		return nil, fmt.Errorf("collection date %s is too early: with %d lead day(s) and the %s cut-off the earliest is %s",
			FormatDate(day), leadDays, fmtCutoff(cutoff), FormatDate(earliest))
	}
	c.forced = FormatDate(day)
	return c, nil
}

// Forced reports whether every debit is requested for one forced date.
func (c *CollectionCalendar) Forced() bool { return c.forced != "" }

// Date is the requested collection date of a debit due on due (YYYY-MM-DD).
func (c *CollectionCalendar) Date(due string) string {
	if c.forced != "" {
		return c.forced
	}
	coll, ok := c.dates[due]
	if !ok {
		coll = FormatDate(sepa.CollectionDate(StoredDate(due), c.now, c.leadDays, c.cutoff))
		c.dates[due] = coll
	}
	return coll
}

// AfterFirst moves a recurrent collection requested for coll after the
// mandate's pending first collection (first, "" for none): never on or
// before its date, on the next TARGET2 business day after it. moved
// reports that coll had to move.
func AfterFirst(coll, first string) (date string, moved bool) {
	if first == "" || coll > first {
		return coll, false
	}
	return FormatDate(sepa.NextBusinessDay(StoredDate(first).AddDate(0, 0, 1))), true
}

func fmtCutoff(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
