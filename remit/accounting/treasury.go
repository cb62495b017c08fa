package accounting

import (
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

// The treasury écritures (seed 000): a bank's credit no remittance
// explains, booked to the suspense account; its allocation to
// receivables; a transfer paying receivables; a write-off. Amounts and
// accounts come from package treasury's rules; here they are laid out as
// lines, with the configured customer account, and the labels of Rules
// (the suspense label's {label} is the statement line's). They belong to
// no remittance (Header.Remittance 0).

// The journal of the write-offs (opérations diverses, seed 000:
// "Opérations diverses de gestion … Abandon de créance").
const (
	JournalOD      = "OD"
	journalODLabel = "Opérations diverses"
)

// Customer is a receivable and its customer, as the line crediting it
// needs them.
type Customer struct {
	Receivable int64
	Code, Name string // the customer's account code and name
}

// Settled is what a treasury écriture credits one receivable with.
type Settled struct {
	Customer
	Document string
	Amount   int64 // cents
}

// SuspensePiece is the piece of a suspense line's écritures: its number.
func SuspensePiece(line int64) string { return fmt.Sprintf("ATT%d", line) }

// SuspenseInput is a bank's credit no remittance or receivable explains.
type SuspenseInput struct {
	Bank        string // the bank's code: its journal
	BankAccount string
	Line        int64 // the statement line
	On          time.Time
	Amount      int64  // cents
	Label       string // the statement line's
}

// Suspense books a credit to the suspense account: the bank debited, the
// suspense account (Options.SuspenseAccount, 471000) credited. ok is false when entries are disabled.
func Suspense(o Options, in SuspenseInput) (e Ecriture, ok bool) {
	if o.Disabled {
		return Ecriture{}, false
	}
	day, piece := remit.FormatDate(remit.Day(in.On)), SuspensePiece(in.Line)
	text := strings.TrimSpace(strings.ReplaceAll(o.Label(KindSuspense), "{label}", in.Label))
	e.Header = o.bankHeader(in.Bank, day)
	e.add(o.plainLine(KindSuspense, day, piece, in.BankAccount, text, in.Amount, 0))
	e.add(o.plainLine(KindSuspense, day, piece, o.TreasuryAccounts().Suspense, text, 0, in.Amount))
	return e, true
}

// PaymentInput is a bank's credit paying receivables (a transfer).
type PaymentInput struct {
	Bank        string // the bank's code: its journal
	BankAccount string
	On          time.Time
	Paid        []Settled
}

// Payment books receivables paid by a transfer: for each, the bank
// debited and the customer credited. ok is false when there is nothing
// to book.
func Payment(o Options, in PaymentInput) (e Ecriture, ok bool) {
	if o.Disabled || len(in.Paid) == 0 {
		return Ecriture{}, false
	}
	day := remit.FormatDate(remit.Day(in.On))
	e.Header = o.bankHeader(in.Bank, day)
	for _, p := range in.Paid {
		label := ExpandLabel(o.Label(KindPayment), LabelFields{Date: remit.Day(in.On), Doc: p.Document, Customer: p.Code, Name: p.Name,
			Journal: e.Journal})
		e.add(o.plainLine(KindPayment, day, p.Document, in.BankAccount, label, p.Amount, 0))
		e.add(o.customerLine(KindPayment, day, p.Document, p.Customer, label, p.Amount))
	}
	return e, true
}

// AllocationInput is a suspense line allocated to receivables.
type AllocationInput struct {
	Bank            string // the code of the bank whose statement line it is: its journal
	Line            int64  // the statement line
	On              time.Time
	SuspenseAccount string
	Allocated       int64 // cents
	Parts           []Settled
}

// Allocation books a suspense line allocated to receivables (vidage du
// compte d'attente): the suspense account debited with what is
// allocated, each receivable's customer credited with its part. ok is
// false when entries are disabled.
func Allocation(o Options, in AllocationInput) (e Ecriture, ok bool) {
	if o.Disabled {
		return Ecriture{}, false
	}
	day, piece := remit.FormatDate(remit.Day(in.On)), SuspensePiece(in.Line)
	e.Header = o.bankHeader(in.Bank, day)
	e.add(o.plainLine(KindAllocation, day, piece, in.SuspenseAccount, "Vidage compte d'attente "+piece, in.Allocated, 0))
	for _, p := range in.Parts {
		label := ExpandLabel(o.Label(KindAllocation), LabelFields{Date: remit.Day(in.On), Doc: p.Document, Customer: p.Code, Name: p.Name,
			Journal: e.Journal})
		e.add(o.customerLine(KindAllocation, day, piece, p.Customer, label, p.Amount))
	}
	return e, true
}

// WriteOff books a receivable written off (abandon de créance) in journal
// OD: the loss (w.LossAccount, 654000) and the VAT it gives back debited, the customer
// credited with the whole. ok is false when entries are disabled.
func WriteOff(o Options, w treasury.WriteOff, c Customer) (e Ecriture, ok bool) {
	if o.Disabled {
		return Ecriture{}, false
	}
	day := remit.FormatDate(w.Date)
	e.Header = Header{Journal: JournalOD, JournalLabel: o.odLabel(), Date: day}
	label := ExpandLabel(o.Label(KindWriteOff), LabelFields{Date: w.Date, Doc: w.Document, Customer: c.Code, Name: c.Name, Journal: JournalOD})
	label = strings.TrimSpace(label + " " + w.Reason)
	e.add(o.plainLine(KindWriteOff, day, w.Document, w.LossAccount, label, w.Loss, 0))
	if w.VAT > 0 {
		e.add(o.plainLine(KindWriteOff, day, w.Document, w.VATAccount, label, w.VAT, 0))
	}
	e.add(o.customerLine(KindWriteOff, day, w.Document, c, label, w.Amount))
	return e, true
}

// add appends a line, numbering it.
func (e *Ecriture) add(l Line) {
	l.Seq = int64(len(e.Lines) + 1)
	e.Lines = append(e.Lines, l)
}

// bankHeader is the header of a bank's écriture: its code is its journal.
func (o Options) bankHeader(code, day string) Header {
	j := strings.ToUpper(code)
	return Header{Journal: j, JournalLabel: o.journalLabel(j), Date: day}
}

// odLabel is the label of the journal of write-offs.
func (o Options) odLabel() string {
	if j := o.Journals[JournalOD]; j.Label != "" {
		return j.Label
	}
	return journalODLabel
}

// plainLine is a line on a general ledger account.
func (o Options) plainLine(kind Kind, day, piece, account, label string, debit, credit int64) Line {
	return Line{Kind: kind, Account: account, AccountLabel: o.AccountLabel(account), Piece: piece, PieceDate: day, Label: label,
		Debit: debit, Credit: credit}
}

// customerLine is the line crediting a receivable's customer.
func (o Options) customerLine(kind Kind, day, piece string, c Customer, label string, amount int64) Line {
	l := Line{Kind: kind, Receivable: c.Receivable, Account: o.CustomerAccount, AccountLabel: o.AccountLabel(o.CustomerAccount),
		Aux: c.Code, AuxLabel: c.Name, Piece: piece, PieceDate: day, Label: label, Credit: amount}
	if o.Direct {
		l.Account, l.AccountLabel, l.Aux, l.AuxLabel = c.Code, c.Name, "", ""
	}
	return l
}
