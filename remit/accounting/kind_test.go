package accounting

import (
	"errors"
	"strings"
	"testing"
)

// Each kind of line is listed once, with a setting of its own and a
// default label; Normalize gives every kind its label.
func TestRules(t *testing.T) {
	kinds, settings := map[Kind]bool{}, map[string]bool{}
	for _, r := range Rules {
		if kinds[r.Kind] || r.Setting != "" && settings[r.Setting] || r.Kind == "" || strings.TrimSpace(r.Default) == "" || r.Books == "" {
			t.Errorf("rule %+v: a kind or setting listed twice, or something empty", r)
		}
		kinds[r.Kind], settings[r.Setting] = true, true
		if got, ok := RuleOf(r.Kind); !ok || got != r {
			t.Errorf("RuleOf(%s) = %+v, %v", r.Kind, got, ok)
		}
	}
	if _, ok := RuleOf("disbursement"); ok {
		t.Error("RuleOf(disbursement): a rule no line lists")
	}
	o, err := Options{Labels: map[Kind]string{KindFee: "  Frais {doc}  ", KindReturn: " "}}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[Kind]string{KindCollection: DefaultEntryLabel, KindReturn: DefaultReturnLabel, KindFee: "Frais {doc}",
		KindReversal: DefaultReversalLabel, KindWriteOff: "Abandon de créance {doc}"} {
		if o.Labels[k] != want || o.Label(k) != want {
			t.Errorf("label of %s: %q (Label %q), want %q", k, o.Labels[k], o.Label(k), want)
		}
	}
	if got := (Options{}).Label(KindReversal); got != DefaultReversalLabel {
		t.Errorf("Label of options not normalized: %q", got)
	}
}

// A label for a kind no rule writes is a mistake in the settings, and a
// line of such a kind is never recorded.
func TestUnknownKindRefused(t *testing.T) {
	err := Options{Labels: map[Kind]string{"paiement": "Règlement {doc}"}}.Validate()
	if err == nil || err.Error() != `label of the "paiement" lines: no such kind of entry (want one of collection, return, fee, reversal, suspense, allocation, payment, writeoff)` {
		t.Errorf("label of an unknown kind: %v", err)
	}
	e := Ecriture{Header: Header{Journal: "BQ", Date: "2026-12-08"}, Lines: []Line{
		{Kind: KindFee, Seq: 1, Account: "627000", Piece: "F1", Debit: 250},
		{Kind: "disbursement", Seq: 2, Account: "512000", Piece: "F1", Credit: 250},
	}}
	if err := e.Check(); err == nil || errors.Is(err, ErrUnbalanced) ||
		err.Error() != `line 2 (512000 F1): kind "disbursement": want one of collection, return, fee, reversal, suspense, allocation, payment, writeoff` {
		t.Errorf("a line of an unknown kind: %v", err)
	}
}
