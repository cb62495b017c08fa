package remit

import (
	"errors"
	"strings"
	"time"
)

// DateLayout is how dates are stored and written for programs.
const DateLayout = "2006-01-02"

// ErrDate is the reason a date is refused.
var ErrDate = errors.New("not a date (write YYYY-MM-DD or DD/MM/YYYY)")

// ParseDate reads "YYYY-MM-DD" or "DD/MM/YYYY"; the date must exist in the
// calendar (2026-02-30 is refused).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	layout := DateLayout
	if strings.Contains(s, "/") {
		layout = "02/01/2006"
	}
	if len(s) != 10 {
		return time.Time{}, ErrDate
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, ErrDate
	}
	return t, nil
}

// Day returns t's calendar date at midnight UTC, the form dates are compared in.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// MonthBounds returns the first and last day of t's month.
func MonthBounds(t time.Time) (time.Time, time.Time) {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first, first.AddDate(0, 1, -1)
}

// FormatDate writes a date as stored and written for programs (DateLayout);
// "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// StoredDate reads a date as FormatDate writes it; "" (or anything else)
// gives the zero time.
func StoredDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(DateLayout, s)
	return t
}
