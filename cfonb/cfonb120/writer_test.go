package cfonb120

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestWriteReferenceExample: the statement read from the reference example
// is written back byte for byte, with each separator.
func TestWriteReferenceExample(t *testing.T) {
	data := referenceExample(t)
	sts, errs := readAll(data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for eol, want := range map[cfonb.EOL][]byte{
		cfonb.LF:   data,
		cfonb.CRLF: crlf(exampleLines...),
		cfonb.None: []byte(strings.Join(exampleLines, "")),
	} {
		if got := write(t, eol, sts...); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", eol, got, want)
		}
	}
}

// bankStatement is a statement as a test of the banks issue builds one:
// an account given by its IBAN, a batch-booked SEPA remise, an LCR remise,
// a returned collection, a transfer received and a fee.
func bankStatement() statement.Statement {
	d := date(2026, 12, 1)
	cfonbCode := func(op string) statement.Code { return statement.Code{Proprietary: op} }
	return statement.Statement{
		Account:  statement.Account{IBAN: "FR76 3000 4008 2800 0101 2345 691"},
		Currency: "EUR",
		Opening:  statement.Balance{Date: date(2026, 11, 30), Amount: 1245030},
		Closing:  statement.Balance{Date: d, Amount: 1245030 + 315000 + 182446 - 12000 + 99000 - 450},
		Entries: []statement.Entry{
			{Amount: 315000, BookingDate: d, ValueDate: d, Number: "0000001", Code: cfonbCode("A1"), Label: "REMISE PRLV SEPA CORE",
				Info:    []string{"12 PRELEVEMENTS ECHEANCE 01/12/2026"},
				Details: []statement.Detail{{PmtInfID: "REMIT-2026-0000001"}}},
			{Amount: 182446, BookingDate: d, ValueDate: date(2026, 12, 3), Number: "0000002", Code: cfonbCode("35"), Label: "REMISE LCR ENCAISSEMENT"},
			{Amount: -12000, BookingDate: d, ValueDate: d, Code: cfonbCode("B3"), Label: "IMPAYE PRLV SEPA MARTIN", ReturnReason: "64",
				Details: []statement.Detail{{EndToEndID: "F2026-0042", MandateID: "RUM-0042", SequenceType: "RCUR",
					PmtInfID: "REMIT-2026-0000001", Debtor: statement.Party{Name: "MARTIN SOPHIE"}}}},
			{Amount: 99000, BookingDate: d, ValueDate: d, Code: cfonbCode("05"), Label: "VIR SEPA RECU DURAND",
				Details: []statement.Detail{{EndToEndID: "NOTPROVIDED", Purpose: "SUPP",
					Remittance: []string{"FACTURES F2026-0031 F2026-0032 F2026-0033 F2026-0034 F2026-0035 F2026", "-0036 ET F2026-0037"},
					Debtor:     statement.Party{Name: "BOULANGERIE DURAND", Account: "FR7610278060760001234560136"}}}},
			{Amount: -450, BookingDate: d, ValueDate: d, Code: cfonbCode("62"), Label: "FRAIS REMISE"},
		},
	}
}

// TestWriteGolden: a statement built in Go is written as testdata/
// written.golden says, and reads back as it was given, with what the
// reader adds (lines, the RIB beside the IBAN, status, issuer, the
// details' amounts).
func TestWriteGolden(t *testing.T) {
	s := bankStatement()
	got := write(t, cfonb.CRLF, s)
	path := filepath.Join("testdata", "written.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("written file differs from %s (go test -update to accept):\n%s", path, got)
	}

	sts, errs := readAll(got)
	if len(errs) > 0 || len(sts) != 1 {
		t.Fatalf("read back: %d statements, problems %q", len(sts), errs)
	}
	s.Format, s.Line = "cfonb120", 1
	s.Account = statement.Account{IBAN: "FR7630004008280001012345691", Bank: "30004", Branch: "00828", Number: "00010123456"}
	line := 2
	for i := range s.Entries {
		e := &s.Entries[i]
		e.Status, e.Code.Issuer, e.Line = "BOOK", "CFONB", line
		line++
		for j := range e.Details {
			e.Details[j].Amount, e.Details[j].Line = e.Amount, line
		}
		c := fieldErrs{}
		line += len(complementsOf(e, &c))
	}
	if !reflect.DeepEqual(sts[0], s) {
		t.Fatalf("read back\n got %+v\nwant %+v", sts[0], s)
	}
}

// TestWriteDecimals: amounts too large for 2 decimals are written with
// fewer, and read back the same.
func TestWriteDecimals(t *testing.T) {
	for _, tt := range []struct {
		amount   int64
		decimals string
	}{
		{99999999999999, "2"},
		{100000000000000, "1"},
		{1000000000000000, "0"},
	} {
		s := statement.Statement{
			Account:  statement.Account{Bank: "12345", Branch: "00100", Number: "00012345678"},
			Currency: "XPF",
			Opening:  statement.Balance{Date: date(2025, 1, 31), Amount: tt.amount},
			Closing:  statement.Balance{Date: date(2025, 2, 1), Amount: tt.amount},
		}
		data := write(t, cfonb.LF, s)
		if data[19] != tt.decimals[0] {
			t.Fatalf("%d cents written with %c decimals, want %s:\n%s", tt.amount, data[19], tt.decimals, data)
		}
		sts, errs := readAll(data)
		if len(errs) > 0 || len(sts) != 1 || sts[0].Opening.Amount != tt.amount || sts[0].Closing.Amount != tt.amount {
			t.Fatalf("%d cents read back: %+v %q", tt.amount, sts, errs)
		}
	}
}

// TestWriteRefusals: a statement the Writer cannot write faithfully is
// refused whole, with every reason, and nothing of it is written. A good
// statement (lines 1-18) comes first: the lines go on from it.
func TestWriteRefusals(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *statement.Statement)
		want   []string
	}{
		{"closing balance not the sum", func(s *statement.Statement) { s.Closing.Amount++ },
			[]string{`line 36, record 07, zone montant du nouveau solde (91-104) "18290.27": balances do not add up: opening balance 12450.30 + movements 5839.96 = 18290.26`}},
		{"camt.053 entry", func(s *statement.Statement) {
			e := &s.Entries[0]
			e.Status, e.BankRef, e.Reversal = "PDNG", "BK1", true
			e.Batch = statement.Batch{Count: 12}
			e.Code = statement.Code{Domain: "PMNT", Family: "IDDT", SubFamily: "ESDD", Proprietary: "A1", Issuer: "XX"}
			s.Entries[1].Details = []statement.Detail{{}, {}}
		}, []string{
			`line 20, record 04: cannot be written in CFONB 120: status PDNG (a relevé lists booked entries)`,
			`line 20, record 04: cannot be written in CFONB 120: bank reference "BK1"`,
			`line 20, record 04: cannot be written in CFONB 120: reversal indicator`,
			`line 20, record 04: cannot be written in CFONB 120: batch booking`,
			`line 20, record 04: cannot be written in CFONB 120: ISO bank transaction code PMNT/IDDT/ESDD`,
			`line 20, record 04: cannot be written in CFONB 120: proprietary code "A1" of issuer "XX"`,
			`line 23, record 04: cannot be written in CFONB 120: 2 transactions under one entry: a movement 04 describes one`,
		}},
		{"several details", func(s *statement.Statement) { s.Entries[1].Details = []statement.Detail{{}, {}} },
			[]string{`line 23, record 04: cannot be written in CFONB 120: 2 transactions under one entry: a movement 04 describes one`}},
		{"detail fields without a qualifier", func(s *statement.Statement) {
			d := &s.Entries[2].Details[0]
			d.MsgID, d.ChequeNumber, d.ReturnReason, d.Amount = "MSG1", "1234567", "AM04", -1
			d.Remittance = []string{"A", "", "C"}
			d.MandateID = strings.Repeat("M", 36)
		}, []string{
			`line 24, record 04: cannot be written in CFONB 120: a transaction's MsgId ("MSG1")`,
			`line 24, record 04: cannot be written in CFONB 120: a transaction's cheque number ("1234567")`,
			`line 24, record 04: cannot be written in CFONB 120: a transaction's return reason ("AM04")`,
			`line 24, record 04: cannot be written in CFONB 120: a transaction of -0.01 under a movement of -120.00`,
			`line 24, record 04: cannot be written in CFONB 120: 3 remittance information lines, LCC and LC2 hold two`,
			`line 27, record 05, zone informations complémentaires (49-118) "": required: remittance information line 2 (LC2) is empty`,
			`line 29, record 05, zone informations complémentaires RUM (49-83) "` + strings.Repeat("M", 36) + `": does not fit in the zone: 36 characters, the zone has 35`,
		}},
		{"text a record cannot hold", func(s *statement.Statement) {
			s.Entries[0].Label = "REMISE – PRÉLÈVEMENTS"
			s.Entries[3].Details[0].Remittance[0] += "XX"
		}, []string{
			`line 20, record 04, zone libellé (49-79) "REMISE – PRÉLÈVEMENTS": character outside the CFONB set: '–' cannot be written (printable Latin-1 only)`,
			`line 32, record 05, zone informations complémentaires (49-118) "FACTURES F2026-0031 F2026-0032 F2026-0033 F2026-0034 F2026-0035 F2026XX": does not fit in the zone: 71 characters, the zone has 70`,
		}},
		{"no account", func(s *statement.Statement) { s.Account = statement.Account{IBAN: "DE89370400440532013000"} },
			[]string{`line 19, record 01, zone numéro de compte (22-32) "DE89370400440532013000": required: no code banque, guichet and numéro de compte, and no valid French IBAN to take them from`}},
		{"no date", func(s *statement.Statement) { s.Opening.Date = time.Time{} },
			[]string{`line 19, record 01, zone date de l'ancien solde (35-40) "": required`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bankStatement()
			tt.change(&s)
			var buf bytes.Buffer
			w := NewWriter(&buf, WriterOptions{})
			ok := bankStatement()
			if err := w.Write(&ok); err != nil {
				t.Fatal(err)
			}
			err := w.Write(&s)
			if got := messages(cfonb.Flatten(err)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems\n got %q\nwant %q", got, tt.want)
			}
			if again := w.Write(&ok); again != err {
				t.Fatalf("error not sticky: %v", again)
			}
			if cerr := w.Close(); cerr != err {
				t.Fatalf("Close: %v", cerr)
			}
			sts, errs := readAll(buf.Bytes())
			if len(sts) != 1 || len(errs) > 0 {
				t.Fatalf("what was written before the refusal: %d statements, %q", len(sts), errs)
			}
		})
	}
}

// TestWriteNothing: a file must hold a statement.
func TestWriteNothing(t *testing.T) {
	var buf bytes.Buffer
	err := NewWriter(&buf, WriterOptions{}).Close()
	if !errors.Is(err, cfonb.ErrEmpty) || buf.Len() != 0 {
		t.Fatalf("Close without a statement: %v, %d bytes", err, buf.Len())
	}
}
