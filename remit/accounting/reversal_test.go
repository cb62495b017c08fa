package accounting

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

// A cancelled remittance's écritures are reversed line by line, debit and
// credit swapped, dated the day of the cancellation but never before the
// écriture reversed, the customer lines unlettered (lettered again once
// recorded).
func TestReversal(t *testing.T) {
	o, _ := Options{Labels: map[Kind]string{KindReversal: "Annulation {ref} {doc} {JJ}/{MM}/{AA} {journal}{customer}{name} "}}.Normalize()
	r := remit.Remittance{ID: 4, Ref: "004"}
	v := NewReversal(o, r, time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	orig := []struct {
		h      Header
		number int64
		lines  []Line
	}{
		{Header{Journal: "BQ", JournalLabel: "Banque", Date: "2026-11-22", Remittance: 4}, 7, []Line{
			{Kind: KindCollection, Seq: 1, Item: 1, Account: "512000", AccountLabel: "Banques", Piece: "F1", PieceDate: "2026-11-22",
				Label: "Recettes", Debit: 1000},
			{Kind: KindCollection, Seq: 2, Item: 1, Receivable: 9, Account: "411000", AccountLabel: "Clients", Aux: "411A", AuxLabel: "A",
				Counterpart: "512000", Piece: "F1", PieceDate: "2026-11-22", Label: "F1 A", Credit: 1000,
				Lettering: Lettering{"AAI", "2026-11-22"}},
		}},
		// Dated by collection date, after the cancellation: the reversal
		// keeps that date.
		{Header{Journal: "RT", JournalLabel: "RT", Date: "2026-12-01", Remittance: 4}, 2, []Line{
			{Kind: KindCollection, Seq: 1, Account: "5112", Piece: "Remise 004", Debit: 300},
			{Kind: KindCollection, Seq: 2, Item: 2, Receivable: 10, Account: "411000", Piece: "F2", Credit: 300},
		}},
	}
	var got []string
	for _, e := range orig {
		h := v.Begin(e.h, e.number)
		rev := Ecriture{Header: h}
		for _, l := range e.lines {
			rl, err := v.Line(l)
			if err != nil {
				t.Fatal(err)
			}
			rev.Lines = append(rev.Lines, rl)
			if got := v.Label().Expand(l.Piece, "", ""); got != rl.Label {
				t.Errorf("Label().Expand(%q) = %q, Line gives %q", l.Piece, got, rl.Label)
			}
			if rl.Lettering != (Lettering{}) || rl.Kind != KindReversal || rl.Item != l.Item || rl.Receivable != l.Receivable ||
				rl.Aux != l.Aux || rl.Counterpart != l.Counterpart {
				t.Errorf("%+v reverses %+v", rl, l)
			}
		}
		if err := v.End(); err != nil {
			t.Error(err)
		}
		if h.Reverses != e.number {
			t.Errorf("reverses %d, want %d", h.Reverses, e.number)
		}
		got = append(got, dump(rev))
	}
	want := `BQ Banque 2026-11-25 remittance 4
.1 reversal 512000 () 1/0/0 F1 2026-11-25 "Annulation 004 F1 25/11/26 BQ" C 1000
.2 reversal 411000 411A (512000) 1/9/0 F1 2026-11-25 "Annulation 004 F1 25/11/26 BQ" D 1000
RT RT 2026-12-01 remittance 4
.1 reversal 5112 () 0/0/0 Remise 004 2026-11-25 "Annulation 004 Remise 004 01/12/26 RT" C 300
.2 reversal 411000 () 2/10/0 F2 2026-11-25 "Annulation 004 F2 01/12/26 RT" D 300
`
	if strings.Join(got, "") != want {
		t.Errorf("reversals:\n%s\nwant:\n%s", strings.Join(got, ""), want)
	}
	// An écriture that does not balance is not reversed silently.
	v.Begin(orig[0].h, 7)
	v.Line(orig[0].lines[0])
	if err := v.End(); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("half an écriture reversed: %v", err)
	}
}
