package camt053

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/statement"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var created = time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)

func write(t *testing.T, version string, sts ...statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{Version: version, MsgID: "MSG-TEST-1", Created: created})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameAs returns what reading sts back from a message of version gives:
// the statements themselves, with the format, message id and lines of the
// new file.
func sameAs(sts []statement.Statement, version string) []statement.Statement {
	out := withoutLines(sts)
	for i := range out {
		out[i].Format, out[i].MessageID = version, "MSG-TEST-1"
	}
	return out
}

// TestWriteExamples: the reference statements, written in either version,
// are valid against its XSD and read back the same.
func TestWriteExamples(t *testing.T) {
	var written [][]byte
	defer func() { // last: without xmllint the test stops here
		for i, data := range written {
			validate(t, fmt.Sprintf("written-%d.xml", i), data)
		}
	}()
	for _, file := range []string{"camt.053.001.02.statement.example.xml", "camt.053.001.08.statement.example.xml"} {
		sts, errs := readAll(example(t, file))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, version := range []string{statement.Camt053V02, statement.Camt053V08} {
			data := write(t, version, sts...)
			again, errs := readAll(data)
			if len(errs) > 0 {
				t.Fatalf("%s as %s: %q", file, version, errs)
			}
			if got, want := withoutLines(again), sameAs(sts, version); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s as %s:\n got %+v\nwant %+v", file, version, got, want)
			}
			written = append(written, data)
		}
	}
}

// bankStatement is a statement as the tests of the banks issue build one.
func bankStatement() statement.Statement {
	d := day(2026, 12, 1)
	code := func(fmly, sub string) statement.Code {
		return statement.Code{Domain: "PMNT", Family: fmly, SubFamily: sub}
	}
	return statement.Statement{
		ID: "STMT-BQ2-20261201", Sequence: "42", Created: created,
		Account:  statement.Account{IBAN: "FR7610096000502468013579064"},
		Currency: "EUR",
		Opening:  statement.Balance{Type: "OPBD", Date: d, Amount: -50000},
		Closing:  statement.Balance{Type: "CLBD", Date: d, Amount: -50000 + 45000 - 15000 + 54000 - 450},
		Entries: []statement.Entry{
			{Amount: 45000, Status: "BOOK", BookingDate: d, ValueDate: d, BankRef: "CIC-1", Code: code("IDDT", "ESDD"),
				Batch: statement.Batch{MsgID: "REMIT-MSG-1", PmtInfID: "REMIT-2026-0000003", Count: 2, Total: 45000},
				Details: []statement.Detail{
					{EndToEndID: "F2026-0061", MandateID: "RUM-0061", Amount: 30000, Debtor: statement.Party{Name: "DUPONT & FILS <SARL>"}},
					{EndToEndID: "F2026-0062", MandateID: "RUM-0062", Amount: 15000, Debtor: statement.Party{Name: "MARTIN SOPHIE"}},
				}},
			{Amount: -15000, Status: "BOOK", BookingDate: d, ValueDate: d, BankRef: "CIC-2", Code: code("IDDT", "UPDD"), Reversal: true,
				Details: []statement.Detail{{PmtInfID: "REMIT-2026-0000003", EndToEndID: "F2026-0062", MandateID: "RUM-0062", Amount: -15000,
					ReturnReason: "AM04", Debtor: statement.Party{Name: "MARTIN SOPHIE", Account: "FR1420041010050500013M02606"}}}},
			{Amount: 54000, Status: "BOOK", BookingDate: d, ValueDate: day(2026, 12, 2), Code: statement.Code{Domain: "PMNT", Family: "RCHQ", SubFamily: "CCHQ", Proprietary: "02", Issuer: "CFONB"},
				Label: "REMISE CHEQUES 17",
				Details: []statement.Detail{
					{ChequeNumber: "1234567", Amount: 30000, Debtor: statement.Party{Name: "BOULANGERIE DURAND"}},
					{ChequeNumber: "7654321", Amount: 24000, Debtor: statement.Party{Name: "Société Générale"}},
				}},
			{Amount: 99000, Status: "PDNG", ValueDate: day(2026, 12, 3), Label: "VIREMENT A VENIR",
				Details: []statement.Detail{{EndToEndID: "NOTPROVIDED", Amount: 99000, Purpose: "SUPP", CreditorRef: "RF18539007547034",
					Remittance: []string{"FACTURES F2026-0031 F2026-0032", "ET F2026-0033"},
					Debtor:     statement.Party{Name: "IMPRIMERIE LEBLANC", Account: "10278060760001234560136"},
					Creditor:   statement.Party{Name: "ACME OUTILLAGE SARL", Account: "FR7610096000502468013579064"}}}},
			{Amount: -450, Status: "BOOK", BookingDate: d, ValueDate: d, Code: code("MDOP", "FEES"), Label: "FRAIS"},
		},
	}
}

// TestWriteGolden: a statement built in Go is written, in each version, as
// testdata/written.*.xml says (valid against the XSD: TestTestFilesAreValid),
// and reads back as it was given.
func TestWriteGolden(t *testing.T) {
	s := bankStatement()
	for _, version := range []string{statement.Camt053V02, statement.Camt053V08} {
		got := write(t, version, s)
		path := filepath.Join("testdata", "written."+version+".xml")
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
		if len(errs) > 0 {
			t.Fatalf("%s read back: %q", version, errs)
		}
		if got, want := withoutLines(sts), sameAs([]statement.Statement{s}, version); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s read back:\n got %+v\nwant %+v", version, got, want)
		}
	}
}

// TestWriteRefusals: what the Writer cannot write faithfully and validly
// is refused whole, with every reason.
func TestWriteRefusals(t *testing.T) {
	tests := []struct {
		name    string
		version string
		change  func(s *statement.Statement)
		want    string
		is      error
	}{
		{"unbalanced", statement.Camt053V08, func(s *statement.Statement) { s.Closing.Amount = 0 },
			"camt053: statement 1 (STMT-BQ2-20261201): Stmt/Bal: balances do not add up: closing balance 0.00, opening balance -500.00 + booked entries 835.50 = 335.50",
			statement.ErrUnbalanced},
		{"a CFONB 120 entry", statement.Camt053V08, func(s *statement.Statement) {
			e := &s.Entries[4]
			e.Number, e.Code.Internal, e.ReturnReason = "0000042", "FRAI", "64"
			e.Info, e.Extra = []string{"LIB"}, []statement.Complement{{Qualifier: "MMO"}}
			s.Entries[1].Details[0].SequenceType = "RCUR"
		}, `camt053: statement 1 (STMT-BQ2-20261201): Stmt/Ntry[2]/NtryDtls/TxDtls[1]: cannot be written in camt.053: sequence type "RCUR"
Stmt/Ntry[5]: cannot be written in camt.053: CFONB numéro d'écriture "0000042"
Stmt/Ntry[5]: cannot be written in camt.053: CFONB code opération interne "FRAI"
Stmt/Ntry[5]: cannot be written in camt.053: CFONB code motif de rejet "64" (camt.053 has return reasons per transaction)
Stmt/Ntry[5]: cannot be written in camt.053: CFONB LIB complements
Stmt/Ntry[5]: cannot be written in camt.053: CFONB complements`, ErrNotWritable},
		{"schema limits", statement.Camt053V02, func(s *statement.Statement) {
			s.ID = strings.Repeat("I", 36)
			s.Sequence = "12a"
			s.Account.IBAN = "FR76 1009"
			s.Entries[3].Status = "FUTR"
			s.Entries[0].Details[0].EndToEndID = " F2026-0061"
			s.Entries[0].Details[1].Debtor.Name = "A\x01B"
			s.Entries[0].Amount = 1e18
			s.Closing.Amount += 1e18 - 45000
		}, `camt053: statement 1 (IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII): Stmt/Id: invalid value: "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII" is longer than 35 characters
Stmt/ElctrncSeqNb: invalid value: "12a" is not a number of at most 18 digits
Stmt/Acct/Id/IBAN: invalid value: "FR76 1009" is not an IBAN
Stmt/Ntry[1]/Amt: invalid value: 10000000000000000.00 has more than 18 digits
Stmt/Ntry[1]/NtryDtls/TxDtls[1]/Refs/EndToEndId: invalid value: " F2026-0061" has surrounding spaces
Stmt/Ntry[1]/NtryDtls/TxDtls[2]/RltdPties/Dbtr/Nm: invalid value: "A\x01B" has a character XML cannot carry
Stmt/Ntry[4]/Sts: invalid value: status "FUTR": camt.053.001.02 has BOOK, PDNG and INFO`, ErrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bankStatement()
			tt.change(&s)
			var buf bytes.Buffer
			w := NewWriter(&buf, WriterOptions{Version: tt.version, MsgID: "M", Created: created})
			ok := bankStatement()
			if err := w.Write(&ok); err != nil {
				t.Fatal(err)
			}
			err := w.Write(&s)
			if err == nil || err.Error() != strings.Replace(tt.want, "statement 1", "statement 2", 1) || !errors.Is(err, tt.is) {
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
			if again := w.Write(&ok); again != err {
				t.Fatalf("error not sticky: %v", again)
			}
			if cerr := w.Close(); cerr != err {
				t.Fatalf("Close: %v", cerr)
			}
		})
	}
}

// TestWriterOptions: the message needs its identifier and date, and a
// statement.
func TestWriterOptions(t *testing.T) {
	s := bankStatement()
	err := NewWriter(&bytes.Buffer{}, WriterOptions{Version: "camt.053.001.04"}).Write(&s)
	want := `camt053: writer options: Version: invalid value: "camt.053.001.04": want camt.053.001.02 or camt.053.001.08
GrpHdr/MsgId: invalid value: required
GrpHdr/CreDtTm: invalid value: required`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	if err := NewWriter(&bytes.Buffer{}, WriterOptions{MsgID: "M", Created: created}).Close(); !errors.Is(err, ErrMissing) {
		t.Fatalf("Close without a statement: %v", err)
	}
	w := NewWriter(&bytes.Buffer{}, WriterOptions{MsgID: "M", Created: created})
	w.Write(&s)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&s); err == nil {
		t.Fatal("Write after Close")
	}
}
