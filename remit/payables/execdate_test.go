package payables

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestExecutionDate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	wed := time.Date(2026, 12, 2, 10, 15, 0, 0, paris) // today: Wednesday 2 December 2026
	for _, tc := range []struct {
		name      string
		due       string
		until     string // discount's last date
		o         DateOptions
		want      string
		note      string // a piece of the note; "none": no note; "": not checked
		wantError error
	}{
		{"on the due date", "2026-12-15", "", DateOptions{Now: wed}, "2026-12-15", "none", nil},
		{"Christmas: the business day before", "2026-12-25", "", DateOptions{Now: wed}, "2026-12-24", "is not a TARGET2 business day", nil},
		{"Saturday 26 December", "2026-12-26", "", DateOptions{Now: wed}, "2026-12-24", "", nil},
		{"Sunday", "2026-12-27", "", DateOptions{Now: wed}, "2026-12-24", "", nil},
		{"New Year's Day", "2027-01-01", "", DateOptions{Now: wed}, "2026-12-31", "", nil},
		{"Easter Monday 2027, Good Friday before it", "2027-03-29", "", DateOptions{Now: wed}, "2027-03-25", "", nil},
		{"1 May 2027 (Saturday)", "2027-05-01", "", DateOptions{Now: wed}, "2027-04-30", "", nil},
		{"two days' lead over Christmas", "2026-12-29", "", DateOptions{Now: wed, Lead: 2}, "2026-12-24", "2 business day(s) before", nil},
		{"lead from a holiday", "2026-12-25", "", DateOptions{Now: wed, Lead: 1}, "2026-12-23", "", nil},
		{"due in the past: today", "2026-11-30", "", DateOptions{Now: wed}, "2026-12-02", "executed on the first possible day, 2026-12-02", nil},
		{"due today", "2026-12-02", "", DateOptions{Now: wed}, "2026-12-02", "none", nil},
		{"lead reaching the past: today", "2026-12-03", "", DateOptions{Now: wed, Lead: 3}, "2026-12-02", "first possible day", nil},
		{"after the cut-off: tomorrow", "2026-11-30", "", DateOptions{Now: wed, Cutoff: 10 * time.Hour}, "2026-12-03", "", nil},
		{"before the cut-off: today", "2026-11-30", "", DateOptions{Now: wed, Cutoff: 11 * time.Hour}, "2026-12-02", "", nil},
		{"run on Saturday 26 December", "2026-12-20", "", DateOptions{Now: time.Date(2026, 12, 26, 9, 0, 0, 0, paris)}, "2026-12-28", "", nil},
		{"requested", "2026-12-31", "", DateOptions{Now: wed, Requested: day("2026-12-15")}, "2026-12-15", "none", nil},
		{"requested Christmas: the next business day", "2026-12-31", "", DateOptions{Now: wed, Requested: day("2026-12-25")}, "2026-12-28",
			"requested 2026-12-25 is not a TARGET2 business day: executed on 2026-12-28", nil},
		{"requested today", "2026-12-31", "", DateOptions{Now: wed, Requested: day("2026-12-02")}, "2026-12-02", "none", nil},
		{"requested today after the cut-off", "2026-12-31", "", DateOptions{Now: wed, Cutoff: 9 * time.Hour, Requested: day("2026-12-02")},
			"2026-12-03", "after today's cut-off", nil},
		{"requested in the past", "2026-12-31", "", DateOptions{Now: wed, Requested: day("2026-12-01")}, "", "", ErrPastDate},
		{"paid by the discount's last date", "2026-12-31", "2026-12-10", DateOptions{Now: wed}, "2026-12-10", "to take the discount", nil},
		{"discount's last date on a Sunday", "2026-12-31", "2026-12-13", DateOptions{Now: wed}, "2026-12-11", "", nil},
		{"discount already lost: the due date", "2026-12-31", "2026-12-01", DateOptions{Now: wed}, "2026-12-31", "none", nil},
		{"discount after the due date: the due date", "2026-12-15", "2026-12-20", DateOptions{Now: wed}, "2026-12-15", "none", nil},
		{"a requested date wins over the discount", "2026-12-31", "2026-12-10", DateOptions{Now: wed, Requested: day("2026-12-14")}, "2026-12-14", "none", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var until time.Time
			if tc.until != "" {
				until = day(tc.until)
			}
			got, note, err := ExecutionDate(day(tc.due), until, tc.o)
			if tc.wantError != nil {
				if !errors.Is(err, tc.wantError) {
					t.Fatalf("err %v, want %v", err, tc.wantError)
				}
				return
			}
			if err != nil || got.Format("2006-01-02") != tc.want {
				t.Fatalf("got %s %v, want %s", got.Format("2006-01-02"), err, tc.want)
			}
			if tc.note == "none" && note != "" || tc.note != "none" && !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want %q", note, tc.note)
			}
		})
	}
}
