package cfonb120

import (
	"time"

	"github.com/remit-dev/remit/cfonb"
)

// Zones of the record 04 (CFONB120.md §6) besides those of every record.
// 80-81 is reserved: not read, written blank.
var (
	zRejectReason = zone{"code motif de rejet", 41, 42}
	zValueDate    = zone{"date de valeur", 43, 48}
	zLabel        = zone{"libellé", 49, 79}
	zEntryNumber  = zone{"numéro d'écriture", 82, 88}
	zExempt       = zone{"indice d'exonération", 89, 89}
	zUnavailable  = zone{"indice d'indisponibilité", 90, 90}
	zMovAmount    = zone{"montant du mouvement", 91, 104}
	zReference    = zone{"zone référence", 105, 120}
)

// Movement is the record 04, one operation booked on the account. Text
// zones hold printable Latin-1; the reader returns them without their
// trailing blanks and the writer pads them.
type Movement struct {
	Account                // 3-7, 12-16, 17-19, 20, 22-32
	Internal     string    // 8-11 code opération interne, the bank's own code
	OpCode       string    // 33-34 code opération interbancaire (A1, B3, 05, 35…), required
	Date         time.Time // 35-40 date de comptabilisation, required
	RejectReason string    // 41-42 code motif de rejet, on rejects and returns only
	ValueDate    time.Time // 43-48 date de valeur, required
	Label        string    // 49-79 libellé
	// 80-81 zone réservée.
	Number      string // 82-88 numéro d'écriture: cheque, remise or piece number, or blank
	Exempt      string // 89 indice d'exonération de la commission de mouvement
	Unavailable string // 90 indice d'indisponibilité
	Amount      int64  // 91-104 montant in cents: positive for a credit, negative for a debit
	Reference   string // 105-120 zone référence, bank-specific
}

func (*Movement) Code() string                              { return "04" }
func (r *Movement) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(r) }

func (r *Movement) encode(e encoder) {
	r.Account.encode(e)
	e.text(zInternal, r.Internal)
	if r.OpCode == "" {
		e.fail(zOpCode, "", cfonb.ErrRequired)
	}
	e.text(zOpCode, r.OpCode)
	e.date6(zDate, r.Date, true)
	e.text(zRejectReason, r.RejectReason)
	e.date6(zValueDate, r.ValueDate, true)
	e.text(zLabel, r.Label)
	e.text(zEntryNumber, r.Number)
	e.text(zExempt, r.Exempt)
	e.text(zUnavailable, r.Unavailable)
	e.amount(zMovAmount, r.Amount, r.Decimals)
	e.text(zReference, r.Reference)
}

func (r *Movement) decode(d decoder) {
	r.Account.decode(d)
	r.Internal = d.text(zInternal)
	r.OpCode = d.text(zOpCode)
	if r.OpCode == "" && !d.failed(zOpCode) {
		d.fail(zOpCode, zOpCode.str(d.b), cfonb.ErrRequired)
	}
	r.Date = d.date6(zDate, true)
	r.RejectReason = d.text(zRejectReason)
	r.ValueDate = d.date6(zValueDate, true)
	r.Label = d.text(zLabel)
	r.Number = d.text(zEntryNumber)
	r.Exempt = d.text(zExempt)
	r.Unavailable = d.text(zUnavailable)
	r.Amount, _ = d.amount(zMovAmount, r.Decimals)
	r.Reference = d.text(zReference)
}
