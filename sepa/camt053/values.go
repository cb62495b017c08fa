package camt053

import (
	"strings"
	"time"
)

// parseCents reads an ISO 20022 amount (xs:decimal, at least 0, up to 18
// digits: "1250", "1250.5", "1250.50", "1250.500") as cents. ok is false for
// anything else, a negative amount, or one finer than a cent.
func parseCents(s string) (cents int64, ok bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" { // "", "."
		return 0, false
	}
	if !digits(intPart) || !digits(frac) {
		return 0, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 || len(intPart) > 16 {
		return 0, false
	}
	for i := 0; i < len(intPart); i++ {
		cents = cents*10 + int64(intPart[i]-'0')
	}
	frac += "00"[len(frac):]
	return cents*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0'), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDate reads xs:date (YYYY-MM-DD, with an optional time zone, which
// does not change the day) as midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil || !validZone(s[10:]) {
		return time.Time{}, false
	}
	return t, true
}

// parseDateTime reads xs:dateTime (with or without a time zone; without,
// it is taken as UTC).
func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dayOf returns the calendar day of a date and time as the file wrote it
// (in its own time zone), at midnight UTC: the form of every date of a
// statement.Statement.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validZone accepts "", "Z" or ±hh:mm.
func validZone(s string) bool {
	switch {
	case s == "" || s == "Z":
		return true
	case len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !digits(s[1:3]) || !digits(s[4:6]):
		return false
	}
	return s[1:3] <= "14" && s[4:6] <= "59"
}
