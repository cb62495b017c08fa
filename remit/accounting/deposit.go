package accounting

import (
	"time"

	"github.com/remit-dev/remit/remit"
)

// DepositInput is a remittance booked on an account of its own (a remise
// de chèques, on 511…, Banking.BookedOn) that its bank credited.
type DepositInput struct {
	Remittance  remit.Remittance
	Journal     string    // the bank's journal code
	BankAccount string    // the bank's account
	BookedOn    string    // the account its collection was booked on
	On          time.Time // the day the bank credited it
	Total       int64     // what it still holds (its items not rejected), cents
}

// Deposit books a remittance its bank credited: one écriture in the bank's
// journal dated that day, the bank's account debited with what the
// remittance still holds, the account its collection was booked on
// credited, both lines labelled as a collection's counterpart lines (the
// collection, completed). ok is false when there is nothing to book:
// entries disabled, or nothing left.
func Deposit(o Options, in DepositInput) (e Ecriture, ok bool) {
	if o.Disabled || in.Total == 0 {
		return Ecriture{}, false
	}
	day := remit.FormatDate(remit.Day(in.On))
	e.Header = Header{Journal: in.Journal, JournalLabel: o.journalLabel(in.Journal), Date: day, Remittance: in.Remittance.ID}
	label := ExpandLabel(o.Label(KindCollection), LabelFields{Date: remit.Day(in.On), Ref: in.Remittance.Ref, Journal: in.Journal})
	piece := "Remise " + in.Remittance.Ref
	e.Lines = []Line{
		{Kind: KindCollection, Seq: 1, Account: in.BankAccount, AccountLabel: o.AccountLabel(in.BankAccount), Piece: piece,
			PieceDate: day, Label: label, Debit: in.Total},
		{Kind: KindCollection, Seq: 2, Account: in.BookedOn, AccountLabel: o.AccountLabel(in.BookedOn), Piece: piece,
			PieceDate: day, Label: label, Credit: in.Total},
	}
	return e, true
}
