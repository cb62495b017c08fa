package remit

import (
	"strings"
	"testing"
)

func TestCheckBill(t *testing.T) {
	ok := BillCase{Currency: "EUR", Amount: 10000, Due: "2026-12-15", IBAN: "FR7630004008280001012345691", Name: "Dupont SARL"}
	with := func(f func(*BillCase)) BillCase { b := ok; f(&b); return b }
	encaissement := BillPolicy{Today: "2026-11-22", EntryCode: 3}
	escompte := BillPolicy{Today: "2026-11-22", EntryCode: 1, ValueDate: "2026-12-20"}
	for _, tc := range []struct {
		name  string
		b     BillCase
		p     BillPolicy
		codes string
		todo  Todo
	}{
		{"accepted", ok, encaissement, "", ""},
		{"not in euros", with(func(b *BillCase) { b.Currency = "USD" }), encaissement, "currency", TodoUnpoint},
		{"no account", with(func(b *BillCase) { b.IBAN = "" }), encaissement, "no-account", TodoCorrect},
		{"a German account", with(func(b *BillCase) { b.IBAN = "DE89370400440532013000" }), encaissement, "not-french", TodoUnpoint},
		{"over the LCR maximum", with(func(b *BillCase) { b.Amount = 999_999_999_999 + 1 }), encaissement, "over-lcr-max", TodoUnpoint},
		{"due date passed", with(func(b *BillCase) { b.Due = "2026-11-21" }), encaissement, "due-passed", TodoUnpoint},
		{"due today", with(func(b *BillCase) { b.Due = "2026-11-22" }), encaissement, "", ""},
		{"escompte: due before the date de valeur", ok, escompte, "before-value-date", TodoLater},
		{"issued after its due date", with(func(b *BillCase) { b.Issue = "2026-12-16" }), encaissement, "issue-after-due", TodoCorrect},
		{"a name of spaces only", with(func(b *BillCase) { b.Name = "   " }), encaissement, "name", TodoCorrect},
		{"a short SIREN", with(func(b *BillCase) { b.SIREN = "12345" }), encaissement, "siren", TodoCorrect},
	} {
		why := CheckBill(tc.b, tc.p)
		var codes []string
		for _, r := range why {
			codes = append(codes, string(r.Code))
		}
		if got := strings.Join(codes, " "); got != tc.codes || why.Todo() != tc.todo {
			t.Errorf("%s: %q (todo %q), want %q (todo %q): %v", tc.name, got, why.Todo(), tc.codes, tc.todo, why.Texts())
		}
	}
}
