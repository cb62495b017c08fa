package remit

import (
	"testing"
	"time"
)

// ruleNow is Sunday 22 November 2026, 10:00 UTC: with one lead day and a
// 16:00 cut-off, the earliest collection date is Tuesday 24 November.
var ruleNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestSequenceType(t *testing.T) {
	recurrent := MandateHistory{Kind: MandateRecurrent}
	used := MandateHistory{Kind: MandateRecurrent, LastCollection: "2026-10-01"}
	oneOff := MandateHistory{Kind: MandateOneOff}
	for _, tc := range []struct {
		name       string
		h          MandateHistory
		firstInRun bool
		rcurOnly   bool
		want       string
	}{
		{"a new mandate's first collection", recurrent, false, false, SeqFirst},
		{"the second of the run on a new mandate", recurrent, true, false, SeqRecurrent},
		{"a mandate collected before", used, false, false, SeqRecurrent},
		{"collected before, and in this run", used, true, false, SeqRecurrent},
		{"RCUR-only policy: a first collection goes as RCUR", recurrent, false, true, SeqRecurrent},
		{"a one-off mandate", oneOff, false, false, SeqOneOff},
		{"a one-off mandate under the RCUR-only policy", oneOff, false, true, SeqOneOff},
		{"a one-off mandate already collected (refused elsewhere)", MandateHistory{Kind: MandateOneOff, LastCollection: "2026-01-05"}, false, false, SeqOneOff},
		// A mandate whose only collection was rejected before settlement has
		// no counted collection: the store leaves LastCollection empty.
		{"after a FRST rejected before settlement", recurrent, false, false, SeqFirst},
	} {
		if got := SequenceType(tc.h, tc.firstInRun, tc.rcurOnly); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestAfterFirst(t *testing.T) {
	for _, tc := range []struct {
		coll, first string
		want        string
		moved       bool
	}{
		{"2026-12-01", "", "2026-12-01", false},
		{"2026-12-15", "2026-12-01", "2026-12-15", false},
		{"2026-12-01", "2026-12-01", "2026-12-02", true}, // the day after, a Wednesday
		{"2026-11-30", "2026-12-04", "2026-12-07", true}, // after a Friday: Monday
		{"2026-12-20", "2026-12-24", "2026-12-28", true}, // 25 and 26 December are TARGET2 holidays
	} {
		got, moved := AfterFirst(tc.coll, tc.first)
		if got != tc.want || moved != tc.moved {
			t.Errorf("AfterFirst(%s, %s) = %s %v, want %s %v", tc.coll, tc.first, got, moved, tc.want, tc.moved)
		}
	}
}

func TestCollectionCalendar(t *testing.T) {
	c, err := NewCollectionCalendar(ruleNow, 1, 16*time.Hour, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for due, want := range map[string]string{
		"2026-11-01": "2026-11-24", // past: the earliest date
		"2026-11-24": "2026-11-24",
		"2026-11-28": "2026-11-30", // a Saturday: the next business day
		"2026-12-25": "2026-12-28", // Christmas
	} {
		if got := c.Date(due); got != want {
			t.Errorf("due %s: %s, want %s", due, got, want)
		}
	}
	if c.Forced() {
		t.Error("no date forced")
	}
	forced, err := NewCollectionCalendar(ruleNow, 1, 16*time.Hour, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	if err != nil || !forced.Forced() || forced.Date("2027-01-15") != "2026-12-03" {
		t.Errorf("forced: %v %v", forced, err)
	}
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), "collection date 2026-11-28 is not a TARGET2 business day"},
		{time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "collection date 2026-11-23 is too early: with 1 lead day(s) and the 16:00 cut-off the earliest is 2026-11-24"},
	} {
		if _, err := NewCollectionCalendar(ruleNow, 1, 16*time.Hour, tc.day); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.day.Format(DateLayout), err, tc.want)
		}
	}
}
