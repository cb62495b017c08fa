package sepa

import "time"

// Collection dates are calendar dates: every function here looks only at the
// year, month and day of its time.Time in that value's location, and returns
// midnight of a date in the same location.

// IsTARGET2BusinessDay reports whether d is a TARGET2 business day, the
// calendar SEPA direct debits settle on. TARGET2 is closed on Saturdays,
// Sundays, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December.
func IsTARGET2BusinessDay(d time.Time) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	y, m, day := d.Date()
	switch {
	case m == time.January && day == 1,
		m == time.May && day == 1,
		m == time.December && (day == 25 || day == 26):
		return false
	}
	if m == time.March || m == time.April {
		em, ed := easterSunday(y)
		easter := time.Date(y, em, ed, 0, 0, 0, 0, time.UTC)
		today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
		if today.Equal(easter.AddDate(0, 0, -2)) || today.Equal(easter.AddDate(0, 0, 1)) {
			return false
		}
	}
	return true
}

// easterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the anonymous Gregorian computus of Meeus, Jones and Butcher).
func easterSunday(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

// startOfDate returns the start of d's date in d's location.
func startOfDate(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, d.Location())
}

// NextBusinessDay returns d's date if it is a TARGET2 business day, else the
// first business day after it (midnight, in d's location).
func NextBusinessDay(d time.Time) time.Time {
	d = startOfDate(d)
	for !IsTARGET2BusinessDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// AddBusinessDays returns the date n TARGET2 business days after d
// (midnight, in d's location). d itself need not be a business day: from
// Saturday, one business day later is Monday. n <= 0 returns d's date.
func AddBusinessDays(d time.Time, n int) time.Time {
	d = startOfDate(d)
	for ; n > 0; n-- {
		d = d.AddDate(0, 0, 1)
		for !IsTARGET2BusinessDay(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	return d
}

// EarliestCollectionDate returns the first collection date a file sent at
// now may request, when the bank wants the file leadDays TARGET2 business
// days before the collection date, received before the cut-off time of day
// (cutoff is the wall-clock time since midnight, e.g. 16*time.Hour; zero or
// less means no cut-off).
//
// The day the bank takes the file is today if today is a business day and
// now is before the cut-off; otherwise it is the next business day. The
// earliest collection date is leadDays business days after that day. The
// SDD Core rulebook's D-1 is leadDays = 1: a file sent on Friday 27 November
// 2026 at 10:15 with a 16:00 cut-off is taken on Friday and may collect on
// Monday 30 November; sent at 16:00 it is taken on Monday and may collect on
// Tuesday 1 December. Banks often want more (leadDays 2 or more).
//
// The collection date is always after now's date: a file's ReqdColltnDt
// must be after its creation date (the Writer refuses it otherwise), so
// leadDays 0 on a business day before the cut-off gives the next business
// day, not today.
func EarliestCollectionDate(now time.Time, leadDays int, cutoff time.Duration) time.Time {
	today := startOfDate(now)
	taken := today
	clock := time.Duration(now.Hour())*time.Hour + time.Duration(now.Minute())*time.Minute +
		time.Duration(now.Second())*time.Second + time.Duration(now.Nanosecond())
	if !IsTARGET2BusinessDay(taken) || (cutoff > 0 && clock >= cutoff) {
		taken = AddBusinessDays(taken, 1)
	}
	earliest := AddBusinessDays(taken, leadDays)
	if !earliest.After(today) {
		earliest = AddBusinessDays(today, 1)
	}
	return earliest
}

// CollectionDate returns the date to request for a receivable due on due:
// the due date moved to the next business day, or the earliest date a file
// sent now allows (EarliestCollectionDate), whichever is later. The result
// is in now's location.
func CollectionDate(due, now time.Time, leadDays int, cutoff time.Duration) time.Time {
	earliest := EarliestCollectionDate(now, leadDays, cutoff)
	y, m, d := due.Date()
	next := NextBusinessDay(time.Date(y, m, d, 0, 0, 0, 0, now.Location()))
	if next.After(earliest) {
		return next
	}
	return earliest
}

// DateAfter reports whether a's calendar date is after b's, each read in
// its own location (the time of day does not count).
func DateAfter(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by {
		return ay > by
	}
	if am != bm {
		return am > bm
	}
	return ad > bd
}
