package sepa

import (
	"testing"
	"time"
	_ "time/tzdata"
)

// paris is where the date tests run: calendar days are read in it, and
// its summer time moves the hours (time/tzdata makes it load anywhere).
var paris, _ = time.LoadLocation("Europe/Paris")

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, paris) }

func TestDateEaster(t *testing.T) {
	tests := []struct {
		year  int
		month time.Month
		day   int
	}{
		{2024, time.March, 31}, {2025, time.April, 20}, {2026, time.April, 5}, {2027, time.March, 28},
		{2038, time.April, 25}, {2000, time.April, 23}, {2008, time.March, 23}, {2011, time.April, 24},
		{2019, time.April, 21}, {2285, time.March, 22}, {1943, time.April, 25}, {2100, time.March, 28},
	}
	for _, tt := range tests {
		if m, d := easterSunday(tt.year); m != tt.month || d != tt.day {
			t.Errorf("Easter %d = %s %d, want %s %d", tt.year, m, d, tt.month, tt.day)
		}
	}
}

func TestDateTARGET2BusinessDay(t *testing.T) {
	tests := []struct {
		date string
		open bool
	}{
		{"2026-11-27", true},  // Friday
		{"2026-11-28", false}, // Saturday
		{"2026-11-29", false}, // Sunday
		{"2026-01-01", false}, {"2026-01-02", true},
		{"2026-04-02", true}, {"2026-04-03", false}, {"2026-04-06", false}, {"2026-04-07", true}, // Easter 2026
		{"2024-03-29", false}, {"2024-04-01", false}, // Easter 2024
		{"2025-04-18", false}, {"2025-04-21", false}, {"2025-04-22", true}, // Easter 2025
		{"2027-03-26", false}, {"2027-03-29", false}, // Easter 2027
		{"2038-04-23", false}, {"2038-04-26", false}, {"2038-04-27", true}, // Easter 2038
		{"2026-05-01", false}, {"2026-12-24", true}, {"2026-12-25", false}, {"2025-12-26", false},
		{"2026-12-31", true}, {"2027-01-01", false},
		// French bank holidays are TARGET2 business days.
		{"2026-05-08", true}, {"2026-05-14", true}, {"2026-05-25", true}, {"2026-07-14", true},
		{"2026-08-14", true}, {"2026-11-11", true}, {"2026-11-02", true},
	}
	for _, tt := range tests {
		d, _ := time.ParseInLocation(time.DateOnly, tt.date, paris)
		if got := IsTARGET2BusinessDay(d); got != tt.open {
			t.Errorf("IsTARGET2BusinessDay(%s) = %v, want %v", tt.date, got, tt.open)
		}
	}
}

func TestDateNextBusinessDay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-12-24", "2026-12-24"}, {"2026-12-25", "2026-12-28"}, {"2026-12-26", "2026-12-28"},
		{"2026-12-31", "2026-12-31"}, {"2027-01-01", "2027-01-04"}, {"2026-04-03", "2026-04-07"},
		{"2027-03-26", "2027-03-30"}, {"2026-05-01", "2026-05-04"}, {"2026-11-28", "2026-11-30"},
	}
	for _, tt := range tests {
		d, _ := time.ParseInLocation(time.DateOnly, tt.in, paris)
		got := NextBusinessDay(d.Add(13 * time.Hour))
		if got.Format(time.DateOnly) != tt.want || got.Hour() != 0 || got.Location() != paris {
			t.Errorf("NextBusinessDay(%s) = %v, want %s 00:00 Paris", tt.in, got, tt.want)
		}
	}
	if got := AddBusinessDays(day(2026, 12, 24), 3); !got.Equal(day(2026, 12, 30)) {
		t.Errorf("AddBusinessDays(2026-12-24, 3) = %v", got)
	}
	if got := AddBusinessDays(day(2026, 11, 28), 1); !got.Equal(day(2026, 11, 30)) {
		t.Errorf("AddBusinessDays(Saturday, 1) = %v", got)
	}
}

func TestDateEarliestCollection(t *testing.T) {
	at := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, paris)
	}
	const cutoff = 16 * time.Hour
	tests := []struct {
		name   string
		now    time.Time
		lead   int
		cutoff time.Duration
		want   string
	}{
		{"Friday morning, D-1", at(2026, 11, 27, 10, 15, 0), 1, cutoff, "2026-11-30"},
		{"Friday just before cut-off", at(2026, 11, 27, 15, 59, 59), 1, cutoff, "2026-11-30"},
		{"Friday at cut-off", at(2026, 11, 27, 16, 0, 0), 1, cutoff, "2026-12-01"},
		{"Friday evening", at(2026, 11, 27, 22, 0, 0), 1, cutoff, "2026-12-01"},
		{"Saturday", at(2026, 11, 28, 9, 0, 0), 1, cutoff, "2026-12-01"},
		{"no cut-off", at(2026, 11, 27, 23, 59, 0), 1, 0, "2026-11-30"},
		// Never the creation date itself: the Writer wants a later date (issue 15, item 6).
		{"lead 0", at(2026, 11, 27, 10, 0, 0), 0, cutoff, "2026-11-30"},
		{"lead 0 after the cut-off", at(2026, 11, 26, 17, 0, 0), 0, cutoff, "2026-11-27"},
		{"lead 2", at(2026, 11, 26, 10, 0, 0), 2, cutoff, "2026-11-30"},
		{"Christmas Eve", at(2026, 12, 24, 10, 0, 0), 1, cutoff, "2026-12-28"},
		{"Christmas Eve late", at(2026, 12, 24, 17, 0, 0), 1, cutoff, "2026-12-29"},
		{"year end late, lead 2", at(2026, 12, 30, 17, 0, 0), 2, cutoff, "2027-01-05"},
		{"New Year's Day", at(2027, 1, 1, 10, 0, 0), 1, cutoff, "2027-01-05"},
		{"before Easter 2026", at(2026, 4, 2, 12, 0, 0), 1, cutoff, "2026-04-07"},
		{"before Easter 2026 late", at(2026, 4, 2, 18, 0, 0), 1, cutoff, "2026-04-08"},
		{"Good Friday 2024", at(2024, 3, 29, 9, 0, 0), 1, cutoff, "2024-04-03"},
		{"before Easter 2038, lead 3", at(2038, 4, 21, 9, 0, 0), 3, cutoff, "2038-04-28"},
	}
	for _, tt := range tests {
		got := EarliestCollectionDate(tt.now, tt.lead, tt.cutoff)
		if got.Format(time.DateOnly) != tt.want || got.Location() != paris || got.Hour() != 0 {
			t.Errorf("%s: EarliestCollectionDate(%v, %d, %v) = %v, want %s", tt.name, tt.now, tt.lead, tt.cutoff, got, tt.want)
		}
	}
}

func TestDateCollectionDate(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 15, 0, 0, paris)
	tests := []struct {
		due  time.Time
		want string
	}{
		{day(2026, 12, 15), "2026-12-15"},
		{day(2026, 11, 28), "2026-11-30"}, // Saturday due date, moved to Monday
		{day(2026, 11, 1), "2026-11-30"},  // overdue: as early as allowed
		{day(2026, 11, 30), "2026-11-30"},
		{day(2026, 12, 25), "2026-12-28"},
		{time.Date(2026, 12, 15, 23, 30, 0, 0, time.UTC), "2026-12-15"}, // the due date's own calendar date
	}
	for _, tt := range tests {
		got := CollectionDate(tt.due, now, 1, 16*time.Hour)
		if got.Format(time.DateOnly) != tt.want || got.Location() != paris {
			t.Errorf("CollectionDate(%v) = %v, want %s", tt.due, got, tt.want)
		}
	}
}
