package treasury

import (
	"errors"
	"testing"

	"github.com/remit-dev/remit/remit"
)

func codesOf(banks []remit.Bank) string {
	s := ""
	for _, b := range banks {
		if s != "" {
			s += " "
		}
		s += b.Code
		if b.Default {
			s += "*"
		}
	}
	return s
}

func TestPutBank(t *testing.T) {
	b1, b2 := bq1(), bq2()
	b1.Default, b2.Substitute = false, ""
	for _, tt := range []struct {
		name  string
		banks []remit.Bank
		put   func() remit.Bank
		want  string
		err   error
	}{
		{"the first bank is the default", nil, func() remit.Bank { return b2 }, "BQ2*", nil},
		{"a second is not", []remit.Bank{withDefault(b1)}, func() remit.Bank { return b2 }, "BQ1* BQ2", nil},
		{"--default moves it", []remit.Bank{withDefault(b1)}, func() remit.Bank { return withDefault(b2) }, "BQ1 BQ2*", nil},
		{"the default stays so when changed", []remit.Bank{withDefault(b1), b2}, func() remit.Bank { b := b1; b.Name = "X"; return b }, "BQ1* BQ2", nil},
		{"in place, whatever the case", []remit.Bank{withDefault(b1), b2}, func() remit.Bank { b := b2; b.Code = "bq2"; return b }, "BQ1* bq2", nil},
		{"the set is checked", []remit.Bank{withDefault(b1)}, func() remit.Bank { b := b2; b.IBAN = b1.IBAN; return b }, "", ErrBanks},
		{"a bank is checked", nil, func() remit.Bank { b := b2; b.Account = "411000"; return b }, "", nil},
		{"an unknown substitute", []remit.Bank{withDefault(b1)}, func() remit.Bank { b := b2; b.Substitute = "BQ9"; return b }, "", ErrBanks},
	} {
		got, err := PutBank(tt.banks, tt.put())
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.want == "" && tt.err != nil && !errors.Is(err, tt.err):
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		case tt.want != "" && (err != nil || codesOf(got) != tt.want):
			t.Errorf("%s: %s %v, want %s", tt.name, codesOf(got), err, tt.want)
		}
	}
	// The caller's slice is not changed.
	banks := []remit.Bank{withDefault(b1)}
	if _, err := PutBank(banks, withDefault(b2)); err != nil || !banks[0].Default {
		t.Errorf("PutBank changed its argument: %v %v", banks, err)
	}
}

func withDefault(b remit.Bank) remit.Bank {
	b.Default = true
	return b
}

func TestRemoveBank(t *testing.T) {
	b1, b2 := bq1(), bq2() // BQ1 the default, BQ2's substitute
	b3 := remit.Bank{Code: "BQ3", Name: "LA BANQUE POSTALE", IBAN: "FR7620041010050500013M02606", Account: "514000"}
	for _, tt := range []struct {
		name  string
		banks []remit.Bank
		code  string
		want  string
		err   error
		text  string
	}{
		{"a plain bank", []remit.Bank{b1, b2, b3}, "bq3", "BQ1* BQ2", nil, ""},
		{"the last, default, bank", []remit.Bank{b1}, "BQ1", "", nil, ""},
		{"the default while others remain", []remit.Bank{b1, b3}, "BQ1", "", ErrDefaultBank,
			"bank BQ1: it is the default bank: make another the default first (remit bank set CODE --default)"},
		{"a substitute", []remit.Bank{withDefault(b3), func() remit.Bank { b := b1; b.Default = false; return b }(), b2}, "BQ1", "", ErrSubstitute,
			"bank BQ1: it is another bank's substitute (BQ2): give BQ2 another first (remit bank set BQ2 --substitute CODE, or --substitute '')"},
		{"unknown", []remit.Bank{b1}, "BQ9", "", ErrNoBank, "bank BQ9: no bank of that code (banks: BQ1)"},
	} {
		got, err := RemoveBank(tt.banks, tt.code)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || err.Error() != tt.text {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.text)
			}
			continue
		}
		if err != nil || codesOf(got) != tt.want {
			t.Errorf("%s: %q %v, want %q", tt.name, codesOf(got), err, tt.want)
		}
	}
}

func TestFollowCreditor(t *testing.T) {
	cr := remit.Creditor{Code: "ACME", Name: "ACME", IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", BankName: "BNP PARIBAS PARIS OPERA", NNE: "123456"}
	// A creditor without banks gets its account as the default bank.
	got, changed := FollowCreditor(remit.Creditor{}, cr, nil, "")
	want := remit.Bank{Code: "BQ", Name: "BNP PARIBAS PARIS OPERA", IBAN: cr.IBAN, BIC: "BNPAFRPP", Account: "512000", NNE: "123456", Default: true}
	if !changed || len(got) != 1 || !sameBank(got[0], want) {
		t.Fatalf("no banks: %+v %v", got, changed)
	}
	if err := ValidateBanks(got); err != nil {
		t.Fatal(err)
	}
	// Without a domiciliation, none is made up; booked on the account given.
	if b := CreditorBank(remit.Creditor{IBAN: cr.IBAN, BIC: "CMCIFRPP"}, "512100"); b.Name != "" || b.Account != "512100" {
		t.Errorf("no domiciliation, account 512100: %+v", b)
	}
	if errs := CreditorBank(remit.Creditor{IBAN: cr.IBAN}, "").Validate(); len(errs) > 0 {
		t.Errorf("a bank made from a creditor without domiciliation: %v", errs)
	}
	// No IBAN: nothing to make.
	if got, changed := FollowCreditor(remit.Creditor{}, remit.Creditor{Code: "ACME", Name: "ACME"}, nil, ""); changed || got != nil {
		t.Errorf("no IBAN: %+v %v", got, changed)
	}
	// The default bank takes what changed, and only that.
	b2 := bq2()
	b2.Substitute = ""
	banks := []remit.Bank{b2, withDefault(remit.Bank{Code: "BQ1", Name: "MY NAME", IBAN: cr.IBAN, Account: "512100", NNE: "123456"})}
	next := cr
	next.IBAN, next.BIC = "FR7610096000502468013579016", "CMCIFRPP"
	got, changed = FollowCreditor(cr, next, banks, "512300")
	if !changed || got[1].IBAN != next.IBAN || got[1].BIC != "CMCIFRPP" || got[1].Name != "MY NAME" || got[1].NNE != "123456" ||
		got[1].Account != "512100" || !sameBank(got[0], b2) {
		t.Errorf("changed account: %+v %v", got, changed)
	}
	if banks[1].IBAN != cr.IBAN {
		t.Error("FollowCreditor changed its argument")
	}
	if _, changed := FollowCreditor(cr, cr, banks, ""); changed {
		t.Error("nothing changed, yet changed")
	}
	// And the creditor names the default bank's account.
	c := CreditorWithBank(remit.Creditor{Code: "ACME", NNE: "999999"}, []remit.Bank{b2, withDefault(bq1())})
	if c.IBAN != refIBAN || c.BIC != "BNPAFRPP" || c.BankName != "BANQUE EXEMPLE PARIS" || c.NNE != "999999" {
		t.Errorf("CreditorWithBank: %+v", c)
	}
	if c := CreditorWithBank(remit.Creditor{Code: "ACME"}, []remit.Bank{withDefault(b2)}); c.NNE != "654321" {
		t.Errorf("the bank's NNE: %+v", c)
	}
}

func TestIsBankAccount(t *testing.T) {
	for a, want := range map[string]bool{"512000": true, "512BNP": true, "514": true, "517100": true, "411000": false, "": false, "5": false,
		"512 000": false, "511000": false, "518": false, "09AAMM00": false, "413AAMM": false, "512AAMM": false} {
		if IsBankAccount(a) != want {
			t.Errorf("IsBankAccount(%q) = %v", a, !want)
		}
	}
}

func sameBank(a, b remit.Bank) bool {
	return a.Code == b.Code && a.Name == b.Name && a.IBAN == b.IBAN && a.BIC == b.BIC && a.Account == b.Account && a.NNE == b.NNE &&
		a.ValueDays.String() == b.ValueDays.String() && a.Limit == b.Limit && a.Substitute == b.Substitute && a.Default == b.Default &&
		a.Balance == b.Balance && a.BalanceDate.Equal(b.BalanceDate)
}
