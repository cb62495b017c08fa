package accounting

import "github.com/remit-dev/remit/remit"

// Booked is what a collection's customer line says, as recorded: the lines
// that undo the collection use its journal and accounts, whatever the
// options say today.
type Booked struct {
	Journal, JournalLabel string
	Account, AccountLabel string
	Aux, AuxLabel         string
	Counterpart           string // the account the collection debited
}

// ReturnInput is a rejected or returned collection as its entries need it.
type ReturnInput struct {
	Remittance       int64 // the collection's remittance
	Item, Receivable int64
	Return           int64  // the return recorded
	Date             string // the return's date, a stored date: the écriture's and the pieces'
	Document         string
	Customer, Name   string
	Reason           string // its reason code
	Due              string // the item's due date (fills a masked counterpart)
	Amount           int64  // the item's amount, cents
	Fee              int64  // the bank's fee for it, cents; 0: none
	Journal          string // the receivable's journal column, for a collection that was not booked
	Booked           *Booked
}

// Return books a reject or a return: when its collection was booked, the
// reversing lines (debit the customer, credit the account the collection
// debited), and the bank's fee (debit the fee account, credit the account
// it is taken from), in one écriture dated the return's date. ok is false
// when there is nothing to book: the collection was not booked, and there
// is no fee or entries are disabled. The customer line is left
// unlettered: once the écriture is recorded, its receivable is lettered
// again from all its lines (Letter).
func Return(o Options, in ReturnInput) (e Ecriture, ok bool) {
	if in.Booked == nil && (o.Disabled || in.Fee == 0) {
		return Ecriture{}, false
	}
	var b Booked
	if in.Booked != nil {
		b = *in.Booked
	} else {
		b.Journal = o.journalCode(in.Journal)
		b.JournalLabel = o.journalLabel(b.Journal)
		b.Counterpart = FillMask(o.counterpartMask(b.Journal), remit.StoredDate(in.Due))
	}
	e.Header = Header{Journal: b.Journal, JournalLabel: b.JournalLabel, Date: in.Date, Remittance: in.Remittance}
	f := LabelFields{Date: remit.StoredDate(in.Date), Doc: in.Document, Customer: in.Customer, Name: in.Name,
		Ref: remit.Ref(in.Remittance), Reason: in.Reason, Journal: b.Journal}
	add := func(l Line) {
		l.Seq, l.Item, l.Return, l.Piece, l.PieceDate = int64(len(e.Lines)+1), in.Item, in.Return, in.Document, in.Date
		e.Lines = append(e.Lines, l)
	}
	if in.Booked != nil {
		label := ExpandLabel(o.Label(KindReturn), f)
		add(Line{Kind: KindReturn, Receivable: in.Receivable, Account: b.Account, AccountLabel: b.AccountLabel, Aux: b.Aux,
			AuxLabel: b.AuxLabel, Counterpart: b.Counterpart, Label: label, Debit: in.Amount})
		add(Line{Kind: KindReturn, Account: b.Counterpart, AccountLabel: o.AccountLabel(b.Counterpart), Label: label, Credit: in.Amount})
	}
	if in.Fee > 0 && !o.Disabled {
		label := ExpandLabel(o.Label(KindFee), f)
		from := o.FeeCounterpart
		if from == "" {
			from = b.Counterpart
		}
		add(Line{Kind: KindFee, Account: o.FeeAccount, AccountLabel: o.AccountLabel(o.FeeAccount), Counterpart: from, Label: label,
			Debit: in.Fee})
		add(Line{Kind: KindFee, Account: from, AccountLabel: o.AccountLabel(from), Label: label, Credit: in.Fee})
	}
	return e, true
}
