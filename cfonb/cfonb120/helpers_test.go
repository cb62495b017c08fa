package cfonb120

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/testtool"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// layout builds a 120-character record from the strings to put at 1-based
// positions, spaces elsewhere: the expected lines are written from the
// positions of CFONB120.md, independently of the zone tables.
func layout(t *testing.T, at map[int]string) string {
	t.Helper()
	b := []byte(strings.Repeat(" ", RecordLen))
	pos := make([]int, 0, len(at))
	for p := range at {
		pos = append(pos, p)
	}
	sort.Ints(pos)
	end := 0
	for _, p := range pos {
		if p <= end || p-1+len(at[p]) > RecordLen {
			t.Fatalf("layout: %q at %d overlaps or overflows", at[p], p)
		}
		copy(b[p-1:], at[p])
		end = p - 1 + len(at[p])
	}
	return string(b)
}

// The reference example of CFONB120.md §11, line by line.
var exampleLines = []string{
	"0112345    00100EUR2 00012345678  280225                                                  0000000102345F                ",
	"0412345RPRL00100EUR2 00012345678A1030325  030325REMISE PRLV SEPA CORE            0000042  0000000012500{RPRL0303250001  ",
	"0512345RPRL00100EUR2 00012345678A1030325     REFREMIT-2025-0000042                                                      ",
	"0512345RPRL00100EUR2 00012345678A1030325     LIB3 PRELEVEMENTS SEPA CORE ECHEANCE 03/03/2025                            ",
	"0412345IPRL00100EUR2 00012345678B303032564030325IMPAYE PRLV SEPA DUPONT JEAN     0000000  0000000000800}                ",
	"0512345IPRL00100EUR2 00012345678B3030325     NPYDUPONT JEAN                                                             ",
	"0512345IPRL00100EUR2 00012345678B3030325     RCNREMIT-2025-0000042-002                                                  ",
	"0512345IPRL00100EUR2 00012345678B3030325     RUMMANDAT-000123                      RCUR                                 ",
	"0512345IPRL00100EUR2 00012345678B3030325     REFREMIT-2025-0000042                 INSTR-0000042-002                    ",
	"0412345VIRR00100EUR2 0001234567805030325  030325VIR SEPA RECU SARL EXEMPLE       0000000  0000000003000{                ",
	"0512345VIRR00100EUR2 0001234567805030325     NPYSARL EXEMPLE                                                            ",
	"0512345VIRR00100EUR2 0001234567805030325     LCCFACTURE F2025-0117 DU 15/02/2025                                        ",
	"0512345VIRR00100EUR2 0001234567805030325     RCNF2025-0117                                                              ",
	"0412345RLCR00100EUR2 0001234567835030325  050325REMISE LCR ENCAISSEMENT          0000007  0000000005400{                ",
	"0512345RLCR00100EUR2 0001234567835030325     LIB2 LCR ECHEANCE 03/03/2025                                               ",
	"0412345FRAI00100EUR2 0001234567862030325  030325COMMISSION REMISE PRLV           0000000  0000000000125}                ",
	"0712345    00100EUR2 00012345678  030325                                                  0000000122320F                ",
}

// exampleStatement is the reference example as the Reader must give it,
// every field written out.
func exampleStatement() statement.Statement {
	d := date(2025, 3, 3)
	cfonbCode := func(op, internal string) statement.Code {
		return statement.Code{Proprietary: op, Issuer: "CFONB", Internal: internal}
	}
	return statement.Statement{
		Format: "cfonb120",
		Line:   1,
		Account: statement.Account{
			IBAN: "FR7612345001000001234567857", Bank: "12345", Branch: "00100", Number: "00012345678",
		},
		Currency: "EUR",
		Opening:  statement.Balance{Date: date(2025, 2, 28), Amount: 1023456},
		Closing:  statement.Balance{Date: d, Amount: 1223206},
		Entries: []statement.Entry{
			{
				Line: 2, Amount: 125000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Ref: "RPRL0303250001", Number: "0000042", Code: cfonbCode("A1", "RPRL"),
				Label:   "REMISE PRLV SEPA CORE",
				Info:    []string{"3 PRELEVEMENTS SEPA CORE ECHEANCE 03/03/2025"},
				Details: []statement.Detail{{Line: 3, PmtInfID: "REMIT-2025-0000042", Amount: 125000}},
			},
			{
				Line: 5, Amount: -8000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Number: "0000000", Code: cfonbCode("B3", "IPRL"),
				Label: "IMPAYE PRLV SEPA DUPONT JEAN", ReturnReason: "64",
				Details: []statement.Detail{{
					Line: 6, PmtInfID: "REMIT-2025-0000042", InstrID: "INSTR-0000042-002",
					EndToEndID: "REMIT-2025-0000042-002", MandateID: "MANDAT-000123", SequenceType: "RCUR",
					Amount: -8000, Debtor: statement.Party{Name: "DUPONT JEAN"},
				}},
			},
			{
				Line: 10, Amount: 30000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Number: "0000000", Code: cfonbCode("05", "VIRR"),
				Label: "VIR SEPA RECU SARL EXEMPLE",
				Details: []statement.Detail{{
					Line: 11, EndToEndID: "F2025-0117", Amount: 30000,
					Remittance: []string{"FACTURE F2025-0117 DU 15/02/2025"},
					Debtor:     statement.Party{Name: "SARL EXEMPLE"},
				}},
			},
			{
				Line: 14, Amount: 54000, Status: "BOOK", BookingDate: d, ValueDate: date(2025, 3, 5),
				Number: "0000007", Code: cfonbCode("35", "RLCR"),
				Label: "REMISE LCR ENCAISSEMENT",
				Info:  []string{"2 LCR ECHEANCE 03/03/2025"},
			},
			{
				Line: 16, Amount: -1250, Status: "BOOK", BookingDate: d, ValueDate: d,
				Number: "0000000", Code: cfonbCode("62", "FRAI"),
				Label: "COMMISSION REMISE PRLV",
			},
		},
	}
}

// referenceExample returns the bytes of the shared example file.
func referenceExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtool.SharedDir(t), "reference", "examples", "cfonb", "releve_cfonb120.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func lf(lines ...string) []byte   { return []byte(strings.Join(lines, "\n") + "\n") }
func crlf(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

// readAll reads data with ReadAll and returns its statements and the
// messages of its problems.
func readAll(data []byte) ([]statement.Statement, []string) {
	sts, err := ReadAll(bytes.NewReader(data))
	return sts, messages(cfonb.Flatten(err))
}

func messages(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// write writes statements with the Writer.
func write(t *testing.T, eol cfonb.EOL, sts ...statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{EOL: eol})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			t.Fatalf("write statement %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutLines returns the statements with every Line set to 0, to compare
// what a file says whatever lines it says it on.
func withoutLines(sts []statement.Statement) []statement.Statement {
	out := make([]statement.Statement, len(sts))
	for i, s := range sts {
		s.Line = 0
		s.Entries = append([]statement.Entry(nil), s.Entries...)
		for j := range s.Entries {
			e := &s.Entries[j]
			e.Line = 0
			e.Details = append([]statement.Detail(nil), e.Details...)
			for k := range e.Details {
				e.Details[k].Line = 0
			}
		}
		out[i] = s
	}
	return out
}
