package treasury

import (
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa"
)

// ExpectedValueDate returns the day bank b is expected to book an
// operation of type op whose own date is base: the collection date of a
// direct debit, the due date of an LCR, the day a cheque remise is
// deposited, the execution date of a transfer.
//
// "n jours de valeur" (seed 003: "n est un paramètre différent pour chaque
// type d'opération et pour chaque banque. Il fait partie des conditions de
// banque") counts business days of the TARGET2 calendar — the days the
// interbank settlement runs, for SEPA credit transfers and direct debits
// as for the French clearing of cheques and LCRs; closed on Saturdays,
// Sundays, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26
// December (sepa.IsTARGET2BusinessDay). The bank takes the operation on
// base if it is a business day, else on the next one, and books it n
// business days later: a cheque deposited on Saturday with n = 1 is taken
// on Monday and booked on Tuesday; n = 0 books it on Monday.
//
// The result is midnight UTC of that day, like every date of a statement.
func ExpectedValueDate(b remit.Bank, op remit.BankOperation, base time.Time) time.Time {
	taken := sepa.NextBusinessDay(day(base))
	return sepa.AddBusinessDays(taken, b.ValueDays.Of(op))
}

// day returns midnight UTC of t's date (in t's location).
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// days returns the number of days from a to b (negative when b is before a).
func days(a, b time.Time) int {
	return int(day(b).Sub(day(a)).Hours() / 24)
}

const dateLayout = "2006-01-02"

// formatDay writes a date as 2006-01-02, or "none" for the zero time.
func formatDay(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format(dateLayout)
}
