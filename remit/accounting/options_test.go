package accounting

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/treasury"
)

func TestOptionsValidation(t *testing.T) {
	err := Options{Counterpart: "512 000", FeeAccount: "62AA", Date: "due"}.Validate()
	for _, want := range []string{`counterpart account "512 000": letters, digits`, "only counterpart accounts may carry the masks",
		`entry date "due": want remittance or collection`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestTreasuryAccounts(t *testing.T) {
	if got := (Options{}).TreasuryAccounts(); got != treasury.DefaultAccounts {
		t.Errorf("defaults: %+v", got)
	}
	o, err := Options{SuspenseAccount: " 4711 ", VATAccount: "4457120"}.Normalize()
	want := treasury.Accounts{Suspense: "4711", Loss: "654000", VAT: "4457120"}
	if err != nil || o.TreasuryAccounts() != want || o.SuspenseAccount != "4711" || o.LossAccount != "654000" {
		t.Errorf("set: %+v, %v", o.TreasuryAccounts(), err)
	}
	err = Options{SuspenseAccount: "471 000", LossAccount: "654MM", VATAccount: "4457" + strings.Repeat("0", 40)}.Validate()
	for _, s := range []string{`suspense account "471 000": letters, digits`, "only counterpart accounts may carry the masks",
		"VAT account \"44570000000000000000000000000000000000000000\": longer than 40 characters"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("error %v lacks %q", err, s)
		}
	}
}

func TestFillMaskAndLabels(t *testing.T) {
	due := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{"09AAMM00": "09261200", "512000": "512000", "4MMAA": "41226"} {
		if got := FillMask(in, due); got != want {
			t.Errorf("FillMask(%s) = %s, want %s", in, got, want)
		}
	}
	f := LabelFields{Date: due, Doc: "F1", Name: "Dupont", Ref: "012", Reason: "AM04"}
	for tpl, want := range map[string]string{
		"Recettes au JJ/MM/AA":             "Recettes au 15/12/26",
		"Recettes au {JJ}/{MM}/{AA}":       "Recettes au 15/12/26",
		"Remise {ref} du {JJ}.{MM}.{AAAA}": "Remise 012 du 15.12.2026",
		"Rejet {doc} {reason} {name}":      "Rejet F1 AM04 Dupont",
	} {
		if got := ExpandLabel(tpl, f); got != want {
			t.Errorf("ExpandLabel(%q) = %q, want %q", tpl, got, want)
		}
	}
	for id, want := range map[int64]string{1: "AAA", 2: "AAB", 27: "ABA", 17576: "ZZZ", 17577: "BAAA"} {
		if got := LetteringCode(id); got != want {
			t.Errorf("LetteringCode(%d) = %s, want %s", id, got, want)
		}
	}
	o, _ := Options{AccountLabels: map[string]string{"5121": "BNP"}}.Normalize()
	for acct, want := range map[string]string{"512100": "BNP", "512000": "Banques", "411000": "Clients", "999": "Compte 999"} {
		if got := o.AccountLabel(acct); got != want {
			t.Errorf("AccountLabel(%s) = %q, want %q", acct, got, want)
		}
	}
}

func TestCentralisationRefusedWithMask(t *testing.T) {
	for _, o := range []Options{
		{Centralize: true, Counterpart: "09AAMM00"},
		{Centralize: true, Journals: map[string]JournalOptions{"RT": {Counterpart: "5112MM"}}},
	} {
		if err := o.Validate(); !errors.Is(err, ErrMaskedCentralized) {
			t.Errorf("%+v: %v", o, err)
		}
	}
}
