package camt053

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/testtool"
)

func day(y int, m time.Month, d int) time.Time { return statement.Date(y, m, d) }

// example returns a shared reference example.
func example(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtool.SharedDir(t), "reference", "examples", "sepa", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// referenceStatement is what both reference examples (camt053.md §10)
// hold, every field written out; lines are those of the file of each
// version.
func referenceStatement(version string) statement.Statement {
	lines := map[string][]int{ // Stmt, Ntry and TxDtls lines, in file order
		statement.Camt053V02: {11, 66, 100, 121, 139, 160, 182, 207, 229, 250},
		statement.Camt053V08: {13, 70, 106, 129, 149, 172, 196, 220, 244, 269},
	}[version]
	d := day(2025, 3, 3)
	code := func(fmly, sub string) statement.Code {
		return statement.Code{Domain: "PMNT", Family: fmly, SubFamily: sub}
	}
	collection := code("IDDT", "ESDD")
	collection.Proprietary, collection.Issuer = "A1", "CFONB"
	tx := func(line int, e2e, mandate, name string, cents int64) statement.Detail {
		return statement.Detail{Line: line, MsgID: "REMIT-MSG-20250228-01", PmtInfID: "REMIT-2025-0000042",
			EndToEndID: e2e, MandateID: mandate, Amount: cents, Debtor: statement.Party{Name: name}}
	}
	first := tx(lines[2], "REMIT-2025-0000042-001", "MANDAT-000122", "MARTIN SOPHIE", 65000)
	first.Remittance = []string{"COTISATION MARS 2025"}
	return statement.Statement{
		Format:    version,
		Line:      lines[0],
		ID:        "STMT-12345-00012345678-20250303",
		MessageID: "STMT-20250303-0001",
		Sequence:  "62",
		Created:   time.Date(2025, 3, 4, 5, 30, 0, 0, time.FixedZone("", 3600)),
		Account:   statement.Account{IBAN: "FR7612345001000001234567857"},
		Currency:  "EUR",
		Opening:   statement.Balance{Type: "OPBD", Date: d, Amount: 1023456},
		Closing:   statement.Balance{Type: "CLBD", Date: d, Amount: 1169206},
		Entries: []statement.Entry{
			{
				Line: lines[1], Amount: 125000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Ref: "1", BankRef: "BK20250303A000001", Code: collection,
				Batch: statement.Batch{MsgID: "REMIT-MSG-20250228-01", PmtInfID: "REMIT-2025-0000042", Count: 3, Total: 125000},
				Details: []statement.Detail{
					first,
					tx(lines[3], "REMIT-2025-0000042-002", "MANDAT-000123", "DUPONT JEAN", 8000),
					tx(lines[4], "REMIT-2025-0000042-003", "MANDAT-000124", "SARL EXEMPLE", 52000),
				},
			},
			{
				Line: lines[5], Amount: -8000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Ref: "2", BankRef: "BK20250303R000007", Code: code("IDDT", "UPDD"),
				Details: []statement.Detail{{
					Line: lines[6], PmtInfID: "REMIT-2025-0000042", EndToEndID: "REMIT-2025-0000042-002",
					MandateID: "MANDAT-000123", Amount: -8000, ReturnReason: "AM04", Debtor: statement.Party{Name: "DUPONT JEAN"},
				}},
			},
			{
				Line: lines[7], Amount: 30000, Status: "BOOK", BookingDate: d, ValueDate: d,
				Ref: "3", BankRef: "BK20250303V000013", Code: code("RCDT", "ESCT"),
				Details: []statement.Detail{{
					Line: lines[8], EndToEndID: "F2025-0117", Amount: 30000,
					Remittance: []string{"FACTURE F2025-0117 DU 15/02/2025"},
					Debtor:     statement.Party{Name: "SARL EXEMPLE", Account: "FR1420041010050500013M02606"},
				}},
			},
			{
				Line: lines[9], Amount: -1250, Status: "BOOK", BookingDate: d, ValueDate: d,
				Ref: "4", Code: code("MDOP", "FEES"), Label: "COMMISSION REMISE PRLV",
			},
		},
	}
}

func readAll(data []byte) ([]statement.Statement, []string) {
	sts, err := ReadAll(bytes.NewReader(data))
	return sts, messages(Flatten(err))
}

func messages(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

var namespaceRE = regexp.MustCompile(`urn:iso:std:iso:20022:tech:xsd:(camt\.053\.001\.0[0-9])`)

// validate checks a camt.053 document against the official XSD of the
// version its namespace names, with xmllint.
func validate(t *testing.T, name string, data []byte) {
	t.Helper()
	m := namespaceRE.FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: no camt.053 namespace", name)
	}
	schema := testtool.Schema(t, string(m[1])+".xsd")
	path := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, out := testtool.XMLLint(t, filepath.Base(schema), path); !ok {
		t.Fatalf("%s is not valid against %s:\n%s", name, filepath.Base(schema), out)
	}
}

// withoutLines returns the statements with every Line set to 0 and the
// warnings, which name lines, left out.
func withoutLines(sts []statement.Statement) []statement.Statement {
	out := make([]statement.Statement, len(sts))
	for i, s := range sts {
		s.Line, s.Warnings = 0, nil
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
