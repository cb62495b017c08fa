package treasury

import (
	"errors"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

func TestValidateBanks(t *testing.T) {
	if err := ValidateBanks([]remit.Bank{bq1(), bq2()}); err != nil {
		t.Fatal(err)
	}
	if err := ValidateBanks(nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		change func(b1, b2 *remit.Bank)
		want   string
	}{
		{"same code", func(b1, b2 *remit.Bank) { b2.Code, b2.Substitute = "bq1", "" }, "banks do not fit together: code bq1 given to two banks (BQ1 and bq1)"},
		{"same IBAN", func(b1, b2 *remit.Bank) { b2.IBAN = b1.IBAN }, "banks do not fit together: banks BQ1 and BQ2 have the same IBAN " + refIBAN},
		{"same account", func(b1, b2 *remit.Bank) { b2.Account = "512100" },
			"banks do not fit together: banks BQ1 and BQ2 have the same account 512100: each bank needs its own to be reconciled"},
		{"two defaults", func(b1, b2 *remit.Bank) { b2.Default = true }, "banks do not fit together: 2 default banks (BQ1, BQ2): one at most"},
		{"unknown substitute", func(b1, b2 *remit.Bank) { b2.Substitute = "BQ9" }, "banks do not fit together: bank BQ2: substitute BQ9 is not a bank"},
		{"a bank's own problems too", func(b1, b2 *remit.Bank) { b1.NNE, b2.Default = "1", true },
			"bank BQ1: nne \"1\": want the 6-digit numéro national d'émetteur\nbanks do not fit together: 2 default banks (BQ1, BQ2): one at most"},
	} {
		b1, b2 := bq1(), bq2()
		tt.change(&b1, &b2)
		err := ValidateBanks([]remit.Bank{b1, b2})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestBankFor(t *testing.T) {
	banks := []remit.Bank{bq1(), bq2()}
	for _, tt := range []struct {
		journal, want, note string
		byJournal           bool
	}{
		{"BQ2", "BQ2", "", true},
		{" bq2 ", "BQ2", "", true}, // whatever the case
		{"BQ1", "BQ1", "", true},
		{"", "BQ1", "", false},
		{"RT", "BQ1", "journal RT is no bank: default bank BQ1", false}, // a portfolio journal: the default bank, as before banks
	} {
		c, err := BankFor(banks, tt.journal)
		if err != nil || c.Bank.Code != tt.want || c.Note != tt.note || c.ByJournal != tt.byJournal {
			t.Errorf("journal %q: %+v, %v", tt.journal, c, err)
		}
	}
	noDefault := []remit.Bank{bq2()}
	if _, err := BankFor(noDefault, "RT"); !errors.Is(err, ErrNoBank) ||
		err.Error() != "journal RT: no bank of that code and no default bank (remit bank add RT … or --default)" {
		t.Errorf("no default: %v", err)
	}
	if _, err := BankFor(noDefault, ""); !errors.Is(err, ErrNoBank) || err.Error() != "no journal: no bank: no default bank (remit bank add … --default)" {
		t.Errorf("no journal, no default: %v", err)
	}
	if c, err := BankFor(noDefault, "BQ2"); err != nil || c.Bank.Code != "BQ2" {
		t.Errorf("no default, journal BQ2: %+v %v", c, err)
	}
}

func TestBankOf(t *testing.T) {
	banks := []remit.Bank{bq2(), bq1()}
	for _, tt := range []struct {
		name string
		a    statement.Account
		want string
	}{
		{"IBAN", statement.Account{IBAN: refIBAN}, "BQ1"},
		{"IBAN with blanks", statement.Account{IBAN: "fr76 1234 5001 0000 0123 4567 857"}, "BQ1"},
		{"other identification", statement.Account{Other: "FR7610096000502468013579016"}, "BQ2"},
		{"RIB without IBAN", statement.Account{Bank: "10096", Branch: "00050", Number: "24680135790"}, "BQ2"},
		{"unknown", statement.Account{IBAN: "FR7630066100210001023456703"}, ""},
		{"RIB of no bank", statement.Account{Bank: "10096", Branch: "00051", Number: "24680135790"}, ""},
		{"nothing", statement.Account{}, ""},
	} {
		b, err := BankOf(banks, tt.a)
		switch {
		case tt.want == "" && !errors.Is(err, ErrUnknownAccount):
			t.Errorf("%s: %+v, %v", tt.name, b, err)
		case tt.want != "" && (err != nil || b.Code != tt.want):
			t.Errorf("%s: %+v, %v", tt.name, b, err)
		}
	}
	_, err := BankOf(banks, statement.Account{Bank: "10096", Branch: "00051", Number: "24680135790"})
	if want := "statement for account RIB 10096 00051 24680135790: no bank has this account (add it with remit bank add)"; err.Error() != want {
		t.Errorf("%v", err)
	}
}

func TestCheckOperation(t *testing.T) {
	german := bq1()
	german.IBAN, german.NNE = "DE89370400440532013000", "123456"
	noNNE := bq2()
	noNNE.NNE = ""
	const ics = "FR72ZZZ123456"
	for _, tt := range []struct {
		name string
		b    remit.Bank
		op   remit.BankOperation
		n    Needs
		want string // "" for none
	}{
		{"LCR French", bq2(), remit.OpLCR, Needs{}, ""},
		{"LCR without NNE", noNNE, remit.OpLCR, Needs{}, ""}, // an LCR remise needs no numéro d'émetteur
		{"LCR German", german, remit.OpLCR, Needs{}, "bank BQ1, lcr: bank cannot take this operation: an LCR remise (CFONB 160) needs a French account (a RIB): DE89370400440532013000 is not"},
		{"cheques German", german, remit.OpCheque, Needs{}, "bank BQ1, chq: bank cannot take this operation: a remise de chèques needs a French account (a RIB): DE89370400440532013000 is not"},
		{"SDD German", german, remit.OpSDD, Needs{ICS: ics}, ""},
		{"SDD without ICS", bq2(), remit.OpSDD, Needs{}, "bank BQ2, sdd: bank cannot take this operation: an SDD needs the creditor's identifier (ICS): creditor identifier: empty"},
		{"SDD national", bq2(), remit.OpSDD, Needs{ICS: ics, National: true}, ""},
		{"SDD national, no NNE, German", german, remit.OpSDD, Needs{ICS: ics, National: true},
			"bank BQ1, sdd: bank cannot take this operation: the national direct-debit file (CFONB 160) needs a French account (a RIB): DE89370400440532013000 is not"},
		{"SDD national without NNE", noNNE, remit.OpSDD, Needs{ICS: ics, National: true},
			"bank BQ2, sdd: bank cannot take this operation: the national direct-debit file (CFONB 160) needs the bank's numéro national d'émetteur (NNE)"},
		{"transfer", german, remit.OpTransferOut, Needs{}, ""},
	} {
		err := CheckOperation(tt.b, tt.op, tt.n)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want || !errors.Is(err, ErrNotUsable)):
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
	if err := CheckOperation(german, remit.OpSDD, Needs{}); err == nil || !strings.Contains(err.Error(), "ICS") {
		t.Errorf("%v", err)
	}
}
