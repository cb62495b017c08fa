package treasury

import (
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

func TestExpectedValueDate(t *testing.T) {
	b := remit.Bank{ValueDays: remit.ValueDays{remit.OpSDD: 0, remit.OpLCR: 2, remit.OpCheque: 1, remit.OpChequeOut: 5}}
	for _, tt := range []struct {
		op   remit.BankOperation
		base time.Time
		want time.Time
	}{
		{remit.OpSDD, date(2026, 12, 3), date(2026, 12, 3)},                                                 // a collection date is a business day: credited that day
		{remit.OpCheque, date(2026, 12, 5), date(2026, 12, 8)},                                              // deposited Saturday: taken Monday 7, booked Tuesday 8
		{remit.OpCheque, date(2026, 12, 4), date(2026, 12, 7)},                                              // Friday + 1 business day: Monday
		{remit.OpTransfer, date(2026, 12, 5), date(2026, 12, 7)},                                            // no value days: the next business day
		{remit.OpLCR, date(2026, 12, 24), date(2026, 12, 29)},                                               // Thursday 24 + 2: 25 and 26 closed, 28, 29
		{remit.OpLCR, date(2027, 3, 25), date(2027, 3, 31)},                                                 // Thursday 25 + 2: Good Friday 26 and Easter Monday 29 March 2027 closed: 30, 31
		{remit.OpCheque, date(2026, 12, 31), date(2027, 1, 4)},                                              // Thursday 31 + 1: 1 January closed, Friday 1st, so Monday 4th
		{remit.OpCheque, date(2026, 7, 13), date(2026, 7, 14)},                                              // 14 July is a TARGET2 business day
		{remit.OpChequeOut, date(2026, 12, 1), date(2026, 12, 8)},                                           // a cheque issued, cashed 5 business days later
		{remit.BankOperation(""), date(2026, 12, 6), date(2026, 12, 7)},                                     // no type: no value days
		{remit.OpSDD, time.Date(2026, 12, 3, 23, 30, 0, 0, time.FixedZone("CET", 3600)), date(2026, 12, 3)}, // the date as written, in UTC
	} {
		if got := ExpectedValueDate(b, tt.op, tt.base); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s from %s: %s, want %s", tt.op, tt.base.Format(time.DateTime), got, tt.want.Format(dateLayout))
		}
	}
}
