package accounting

import (
	"time"

	"github.com/remit-dev/remit/remit"
)

// Reversal reverses the écritures of a cancelled remittance: they may
// already be in the accounting software, so they are never deleted. Each
// is reversed by one with the same lines, debit and credit swapped,
// labelled as o.Label(KindReversal) says and dated the day of the cancellation, never
// before the écriture it reverses. The lines stream: Begin an écriture,
// give it the lines of the one it reverses in order, End it. The customer
// lines are left unlettered: once the reversal is recorded, the
// remittance's receivables are lettered again from all their lines
// (Letter).
type Reversal struct {
	ref, today string
	label      Label
	h          Header
	n          int64
	tally      Tally
}

// NewReversal starts reversing remittance r's écritures on day today; o
// must be normalized.
func NewReversal(o Options, r remit.Remittance, today time.Time) *Reversal {
	return &Reversal{ref: r.Ref, today: remit.FormatDate(remit.Day(today)), label: ParseLabel(o.Label(KindReversal))}
}

// Today is the reversal's day, its lines' PieceDate.
func (v *Reversal) Today() string { return v.today }

// Begin starts the écriture reversing the one recorded as number under
// orig, and returns its header.
func (v *Reversal) Begin(orig Header, number int64) Header {
	v.h = Header{Journal: orig.Journal, JournalLabel: orig.JournalLabel, Date: max(orig.Date, v.today), Remittance: orig.Remittance,
		Reverses: number}
	v.n, v.tally = 0, Tally{}
	return v.h
}

// Line reverses the next line of the écriture begun.
func (v *Reversal) Line(orig Line) (Line, error) {
	v.n++
	l := orig
	l.Kind, l.Seq = KindReversal, v.n
	l.Debit, l.Credit = orig.Credit, orig.Debit
	l.PieceDate = v.today
	l.Label = v.label.Expand(LabelFields{Date: remit.StoredDate(v.h.Date), Ref: v.ref, Journal: v.h.Journal, Doc: orig.Piece})
	l.Lettering = Lettering{}
	return l, v.tally.Add(&l)
}

// Label is the label of the écriture begun's reversing lines but for the
// reversed line's piece (its {doc}): Label().Expand(piece, "", "") is the
// Label that Line gives, for a store that writes the lines itself.
func (v *Reversal) Label() ItemLabel {
	return v.label.ForItems(LabelFields{Date: remit.StoredDate(v.h.Date), Ref: v.ref, Journal: v.h.Journal})
}

// End checks that the écriture begun balances.
func (v *Reversal) End() error {
	if v.n == 0 {
		return nil
	}
	return v.tally.Balanced(v.h)
}
