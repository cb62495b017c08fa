package treasury

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/camt053"
)

func date(y int, m time.Month, d int) time.Time { return statement.Date(y, m, d) }

// The account of every reference example (CFONB120.md §12).
const refIBAN = "FR7612345001000001234567857"

// bq1 is the bank of the reference examples.
func bq1() remit.Bank {
	return remit.Bank{Code: "BQ1", Name: "BANQUE EXEMPLE PARIS", IBAN: refIBAN, BIC: "BNPAFRPP", Account: "512100",
		ValueDays: remit.ValueDays{remit.OpLCR: 2, remit.OpCheque: 1}, Default: true}
}

// bq2 is a second bank, at the CIC (the account of camt053/testdata).
func bq2() remit.Bank {
	return remit.Bank{Code: "BQ2", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", BIC: "CMCIFRPP", Account: "512200",
		NNE: "654321", ValueDays: remit.ValueDays{remit.OpSDD: 1, remit.OpLCR: 2, remit.OpCheque: 1}, Limit: -500000, Substitute: "BQ1"}
}

// referenceCandidates are what remit would expect of the day the
// reference examples describe (3 March 2025): the SDD block of
// REMIT-2025-0000042 (650 + 80 + 520), an LCR remise of 540 due that day,
// and the invoice F2025-0117 a transfer pays.
func referenceCandidates() Candidates {
	return Candidates{
		Lots: []Lot{
			{Bank: "BQ1", Remittance: "R000042", Block: 1, Op: remit.OpSDD, MsgID: "REMIT-MSG-20250228-01", PmtInfID: "REMIT-2025-0000042",
				Date: date(2025, 3, 3), Total: 125000, BatchBooking: true, Items: []Item{
					{Document: "F2025-0101", EndToEndID: "REMIT-2025-0000042-001", Amount: 65000},
					{Document: "F2025-0102", EndToEndID: "REMIT-2025-0000042-002", Amount: 8000},
					{Document: "F2025-0103", EndToEndID: "REMIT-2025-0000042-003", Amount: 52000},
				}},
			{Bank: "BQ1", Remittance: "R000043", Op: remit.OpLCR, Date: date(2025, 3, 3), Total: 54000, BatchBooking: true, Items: []Item{
				{Document: "F2025-0090", Amount: 20000}, {Document: "F2025-0091", Amount: 34000}}},
		},
		Receivables: []Receivable{
			{Document: "F2025-0117", Customer: "411EXEMPLE", Status: remit.StatusOpen, Due: date(2025, 3, 1), Open: 30000},
			{Document: "F2025-0118", Customer: "411EXEMPLE", Status: remit.StatusOpen, Due: date(2025, 3, 1), Open: 30000},
		},
	}
}

// example reads a shared reference example.
func example(t testing.TB, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtool.SharedDir(t), "reference", "examples", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readCFONB reads a CFONB 120 file of one statement.
func readCFONB(t testing.TB, data []byte) statement.Statement {
	t.Helper()
	sts, err := cfonb120.ReadAll(bytes.NewReader(data))
	if err != nil || len(sts) != 1 {
		t.Fatalf("%d statements, %v", len(sts), err)
	}
	return sts[0]
}

// readCamt reads a camt.053 message of one statement.
func readCamt(t testing.TB, data []byte) statement.Statement {
	t.Helper()
	sts, err := camt053.ReadAll(bytes.NewReader(data))
	if err != nil || len(sts) != 1 {
		t.Fatalf("%d statements, %v", len(sts), err)
	}
	return sts[0]
}
