package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// entryOptionSetter is how the suite changes a store's entry options
// (both stores have it; the CLI sets them from the configuration).
type entryOptionSetter interface {
	SetEntryOptions(o accounting.Options) error
}

// testCancelReversal: a cancel writes, for each écriture of the
// remittance, the one accounting.Reversal gives (debit and credit
// swapped, its journal's next number, the reversal's label and dates),
// and letters the receivables again as accounting.Letter says from all
// their lines; whatever the entry options: a collection kept as one row,
// centralised, by collection date (several écritures, written line by
// line), a masked counterpart, a reversal label naming each line's
// document. Each round collects the same receivables again, so the later
// cancels meet receivables lettered by earlier collections and reversals.
func testCancelReversal(t *testing.T, e *env) {
	e.load()
	set, ok := e.st.(entryOptionSetter)
	if !ok {
		t.Fatalf("%T cannot set its entry options", e.st)
	}
	for _, o := range []accounting.Options{
		{},
		{Centralize: true, Labels: map[accounting.Kind]string{accounting.KindReversal: " Annul. {ref} {doc}{customer} JJ/MM/AA "}},
		{Date: accounting.DateCollection, Labels: map[accounting.Kind]string{accounting.KindReversal: "{doc}"}},
		{Counterpart: "413AAMM", Direct: true, Labels: map[accounting.Kind]string{accounting.KindReversal: "{journal} {doc} {name}"}},
	} {
		if err := set.SetEntryOptions(o); err != nil {
			t.Fatal(err)
		}
		norm, err := o.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		e.pointAll()
		res := e.runSDD(sdd.Options{})
		if len(res.Remittances) == 0 {
			t.Fatalf("options %+v: nothing collected", o)
		}
		e.later(36 * time.Hour)
		for _, rem := range res.Remittances {
			e.cancelReversed(norm, rem)
		}
	}
}

// cancelReversed cancels rem and checks its reversal and lettering
// against the rules (o: the store's entry options, normalized).
func (e *env) cancelReversed(o accounting.Options, rem remit.Remittance) {
	t := e.t
	t.Helper()
	before := e.allEntries()
	if _, err := collect.Cancel(e.ctx, e.st, e.cr.ID, rem.ID); err != nil {
		t.Fatalf("cancel %s: %v", rem.Ref, err)
	}
	after := e.allEntries()
	had := map[string]bool{}
	for _, en := range before {
		had[entryKey(en)] = true
	}
	var got []accounting.Entry
	for _, en := range after {
		if !had[entryKey(en)] {
			en.Lettering, en.LetteredOn = lettered(en.Lettering), "" // compared below, with all the receivable's lines
			got = append(got, en)
		}
	}
	want := e.wantReversal(o, rem, before)
	sortEntries(got)
	if len(got) != len(want) {
		t.Fatalf("cancel %s: %d lines written, the rule gives %d", rem.Ref, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cancel %s, line %d:\n got %+v\nwant %+v", rem.Ref, i, got[i], want[i])
		}
	}
	e.checkLettering(rem, after)
}

// wantReversal is what accounting.Reversal gives for the écritures of rem
// in before, numbered after the last of their journal; a line reversing a
// lettered line is lettered (lettered says so) once the receivable is
// lettered again.
func (e *env) wantReversal(o accounting.Options, rem remit.Remittance, before []accounting.Entry) []accounting.Entry {
	last := map[string]int64{}
	var mine []accounting.Entry
	for _, en := range before {
		last[en.Journal] = max(last[en.Journal], en.Number)
		if en.Remittance == rem.Ref {
			mine = append(mine, en)
		}
	}
	sortEntries(mine)
	e.mu.Lock()
	v := accounting.NewReversal(o, rem, e.now)
	e.mu.Unlock()
	var want []accounting.Entry
	var h accounting.Header
	var number int64
	for i, en := range mine {
		if i == 0 || en.Journal != mine[i-1].Journal || en.Number != mine[i-1].Number {
			h = v.Begin(accounting.Header{Journal: en.Journal, JournalLabel: en.JournalLabel, Date: en.Date, Remittance: rem.ID}, en.Number)
			last[en.Journal]++
			number = last[en.Journal]
		}
		l, err := v.Line(accounting.Line{Kind: en.Kind, Seq: int64(en.Line), Account: en.Account, AccountLabel: en.AccountLabel,
			Aux: en.Aux, AuxLabel: en.AuxLabel, Piece: en.Piece, PieceDate: en.PieceDate, Label: en.Label, Debit: en.Debit, Credit: en.Credit})
		if err != nil {
			e.t.Fatal(err)
		}
		want = append(want, accounting.Entry{Journal: h.Journal, JournalLabel: h.JournalLabel, Number: number, Line: int(l.Seq),
			Kind: l.Kind, Remittance: rem.Ref, Date: h.Date, Account: l.Account, AccountLabel: l.AccountLabel, Aux: l.Aux,
			AuxLabel: l.AuxLabel, Piece: l.Piece, PieceDate: l.PieceDate, Label: l.Label, Debit: l.Debit, Credit: l.Credit,
			ValidDate: v.Today(), Lettering: lettered(en.Lettering)})
	}
	return want
}

// checkLettering checks that every lettered line of each receivable of
// rem (its customer lines: one document each) carries the lettering
// accounting.Letter gives from all of them.
func (e *env) checkLettering(rem remit.Remittance, all []accounting.Entry) {
	t := e.t
	t.Helper()
	lines := map[string][]accounting.Entry{}
	for _, en := range all {
		if en.Lettering != "" {
			lines[en.Piece] = append(lines[en.Piece], en)
		}
	}
	docs := 0
	for _, en := range all {
		if en.Remittance != rem.Ref || en.Lettering == "" || lines[en.Piece] == nil {
			continue
		}
		docs++
		r := e.receivable(en.Piece)
		var settled int64
		last := ""
		for _, l := range lines[en.Piece] {
			settled += l.Credit - l.Debit
			last = max(last, l.Date)
		}
		want := accounting.Letter(r.ID, r.Amount, settled, last)
		for _, l := range lines[en.Piece] {
			if l.Lettering != want.Code || l.LetteredOn != want.On {
				t.Errorf("cancel %s: %s line %s/%d lettered %q on %q, want %q on %q", rem.Ref, en.Piece, l.Journal, l.Number,
					l.Lettering, l.LetteredOn, want.Code, want.On)
			}
		}
		delete(lines, en.Piece)
	}
	if docs == 0 {
		t.Errorf("cancel %s: no lettered line", rem.Ref)
	}
}

// allEntries lists the creditor's entries.
func (e *env) allEntries() []accounting.Entry {
	e.t.Helper()
	var out []accounting.Entry
	if err := e.st.Entries(e.ctx, e.cr.ID, accounting.EntryFilter{}, func(en accounting.Entry) error {
		out = append(out, en)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// lettered is "lettered" for a lettered line.
func lettered(code string) string {
	if code == "" {
		return ""
	}
	return "lettered"
}

func entryKey(en accounting.Entry) string {
	return fmt.Sprintf("%s/%d/%d", en.Journal, en.Number, en.Line)
}

func sortEntries(es []accounting.Entry) {
	slices.SortFunc(es, func(a, b accounting.Entry) int {
		return cmp.Or(cmp.Compare(a.Journal, b.Journal), cmp.Compare(a.Number, b.Number), cmp.Compare(a.Line, b.Line))
	})
}
