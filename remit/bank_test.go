package remit

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

func TestParseValueDays(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want: String() of the result, or the error
		err      bool
	}{
		{in: "", want: ""},
		{in: "sdd=1,lcr=2,chq=1", want: "sdd=1,lcr=2,chq=1"},
		{in: " chq = 1 , SDD=0,lcr=2 ", want: "sdd=0,lcr=2,chq=1"}, // blanks and case; printed in the order of BankOperations
		{in: "vir=0,esp=1,cb=2,vir-out=0,chq-out=5,lcr-out=1,esp-out=0,cb-out=1", want: "vir=0,esp=1,cb=2,vir-out=0,chq-out=5,lcr-out=1,esp-out=0,cb-out=1"},
		{in: "sdd=30", want: "sdd=30"},
		{in: "sdd", err: true, want: `"sdd": want type=days, e.g. sdd=1`},
		{in: "sdd=1,sdd=2", err: true, want: `"sdd=2": sdd given twice`},
		{in: "traite=2", err: true, want: `"traite=2": unknown type of operation "traite" (one of sdd, lcr, chq, vir, esp, cb, vir-out, chq-out, lcr-out, esp-out, cb-out)`},
		{in: "sdd=-1", err: true, want: `"sdd=-1": want a whole number of days from 0 to 30`},
		{in: "sdd=31", err: true, want: `"sdd=31": want a whole number of days from 0 to 30`},
		{in: "sdd=1.5", err: true, want: `"sdd=1.5": want a whole number of days from 0 to 30`},
		// every problem at once
		{in: "sdd=x,foo=1,lcr=2", err: true, want: "\"sdd=x\": want a whole number of days from 0 to 30\n\"foo=1\": unknown type of operation \"foo\" (one of sdd, lcr, chq, vir, esp, cb, vir-out, chq-out, lcr-out, esp-out, cb-out)"},
	} {
		v, err := ParseValueDays(tt.in)
		switch {
		case tt.err && (err == nil || err.Error() != tt.want):
			t.Errorf("%q: error %v, want %s", tt.in, err, tt.want)
		case !tt.err && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case !tt.err && v.String() != tt.want:
			t.Errorf("%q: %q, want %q", tt.in, v.String(), tt.want)
		case !tt.err:
			back, err := ParseValueDays(v.String())
			if err != nil || back.String() != v.String() || len(back) != len(v) {
				t.Errorf("%q: read back %v, %v", tt.in, back, err)
			}
		}
	}
	if n := (ValueDays{OpLCR: 2}).Of(OpSDD); n != 0 {
		t.Errorf("absent operation: %d days", n)
	}
	if n := ValueDays(nil).Of(OpSDD); n != 0 {
		t.Errorf("nil value days: %d", n)
	}
}

func validBank() Bank {
	return Bank{Code: "BQ2", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", BIC: "CMCIFRPP", Account: "512200", NNE: "654321",
		ValueDays: ValueDays{OpSDD: 1, OpLCR: 2, OpCheque: 1}, Limit: -500000, Substitute: "BQ1", Balance: 1245030,
		BalanceDate: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Default: true}
}

func TestBankValidate(t *testing.T) {
	if errs := validBank().Validate(); len(errs) > 0 {
		t.Fatalf("valid bank: %v", errs)
	}
	for _, tt := range []struct {
		name   string
		change func(*Bank)
		want   []string // the errors, in order
		is     error
	}{
		{"code empty", func(b *Bank) { b.Code = "" }, []string{`bank: code: want 1 to 8 letters or digits (then - or _), the code of its treasury journal`}, ErrBankCode},
		{"code too long", func(b *Bank) { b.Code = "BANQUE123" }, []string{`bank BANQUE123: code "BANQUE123": want 1 to 8 letters or digits (then - or _), the code of its treasury journal`}, ErrBankCode},
		{"code formula", func(b *Bank) { b.Code = "-BQ" }, []string{`bank -BQ: code "-BQ": want 1 to 8 letters or digits (then - or _), the code of its treasury journal`}, ErrBankCode},
		{"code ok with dash", func(b *Bank) { b.Code, b.Substitute = "BQ-1_A", "" }, nil, nil},
		{"name blank", func(b *Bank) { b.Name = "  " }, []string{`bank BQ2: name "  ": empty: the bank's name and branch (domiciliation), or none`}, ident.ErrEmpty},
		{"name unknown", func(b *Bank) { b.Name = "" }, nil, nil}, // made from a creditor's account without one
		{"name control", func(b *Bank) { b.Name = "CIC\tLYON" }, []string{`bank BQ2: name "CIC\tLYON": at most 70 characters, no control characters`}, nil},
		{"iban key", func(b *Bank) { b.IBAN = "FR7610096000502468013579017" }, []string{`bank BQ2: iban "FR7610096000502468013579017": IBAN FR7610096000502468013579017: bad check digits`}, ident.ErrCheckDigits},
		{"iban not SEPA", func(b *Bank) { b.IBAN = "TR330006100519786457841326" }, []string{`bank BQ2: iban "TR330006100519786457841326": IBAN TR330006100519786457841326: outside SEPA: TR is not a country of the SEPA schemes (EPC409-09)`}, ident.ErrNotSEPA},
		{"iban German ok", func(b *Bank) { b.IBAN = "DE89370400440532013000" }, nil, nil},
		{"bic", func(b *Bank) { b.BIC = "CMCI" }, []string{`bank BQ2: bic "CMCI": BIC CMCI: wrong length: 4 characters, want 8 or 11`}, ident.ErrLength},
		{"bic optional", func(b *Bank) { b.BIC = "" }, nil, nil},
		{"account class 41", func(b *Bank) { b.Account = "411000" }, []string{`bank BQ2: account "411000": want a general ledger account of class 51 (512… for a bank), letters and digits, at most 20`}, nil},
		{"account empty", func(b *Bank) { b.Account = "" }, []string{`bank BQ2: account: want a general ledger account of class 51 (512… for a bank), letters and digits, at most 20`}, nil},
		{"account CCP", func(b *Bank) { b.Account = "514000" }, nil, nil},
		{"nne", func(b *Bank) { b.NNE = "12345" }, []string{`bank BQ2: nne "12345": want the 6-digit numéro national d'émetteur`}, nil},
		{"nne optional", func(b *Bank) { b.NNE = "" }, nil, nil},
		{"value days", func(b *Bank) { b.ValueDays = ValueDays{OpSDD: 40, "foo": 1} },
			[]string{`bank BQ2: value-days "foo=1": want one of sdd, lcr, chq, vir, esp, cb, vir-out, chq-out, lcr-out, esp-out, cb-out, 0 to 30 days`,
				`bank BQ2: value-days "sdd=40": want one of sdd, lcr, chq, vir, esp, cb, vir-out, chq-out, lcr-out, esp-out, cb-out, 0 to 30 days`}, nil},
		{"substitute itself", func(b *Bank) { b.Substitute = "BQ2" }, []string{`bank BQ2: substitute "BQ2": a bank cannot be its own substitute`}, nil},
		{"substitute bad", func(b *Bank) { b.Substitute = "BQ 1" }, []string{`bank BQ2: substitute "BQ 1": want 1 to 8 letters or digits (then - or _), the code of its treasury journal`}, ErrBankCode},
		{"balance without date", func(b *Bank) { b.BalanceDate = time.Time{} }, []string{`bank BQ2: balance-date: a validated balance needs its date`}, nil},
		{"no balance, no date", func(b *Bank) { b.Balance, b.BalanceDate = 0, time.Time{} }, nil, nil},
		{"positive limit", func(b *Bank) { b.Limit = 1000000 }, nil, nil},
		{"everything at once", func(b *Bank) { *b = Bank{} }, []string{
			`bank: code: want 1 to 8 letters or digits (then - or _), the code of its treasury journal`,
			`bank: iban: IBAN: empty`,
			`bank: account: want a general ledger account of class 51 (512… for a bank), letters and digits, at most 20`}, nil},
	} {
		b := validBank()
		tt.change(&b)
		errs := b.Validate()
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
			var be *BankError
			if !errors.As(e, &be) {
				t.Errorf("%s: %T is no *BankError", tt.name, e)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if tt.is != nil && (len(errs) == 0 || !errors.Is(errs[0], tt.is)) {
			t.Errorf("%s: %v is not %v", tt.name, errs, tt.is)
		}
	}
}

func TestBankOperationKnown(t *testing.T) {
	ops := BankOperations()
	if len(ops) != 11 || ops[0] != OpSDD || ops[10] != OpCardOut {
		t.Fatalf("BankOperations: %v", ops)
	}
	ops[0] = "changed" // a copy
	if BankOperations()[0] != OpSDD || !OpSDD.Known() || BankOperation("traite").Known() || BankOperation("").Known() {
		t.Error("Known or BankOperations wrong")
	}
}
