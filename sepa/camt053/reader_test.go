package camt053

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/statement"
)

// TestReadReferenceExamples: the two examples of camt053.md §10 give
// exactly the statement written out field by field in referenceStatement.
func TestReadReferenceExamples(t *testing.T) {
	for version, file := range map[string]string{
		statement.Camt053V02: "camt.053.001.02.statement.example.xml",
		statement.Camt053V08: "camt.053.001.08.statement.example.xml",
	} {
		sts, errs := readAll(example(t, file))
		if len(errs) > 0 {
			t.Fatalf("%s: problems %q", file, errs)
		}
		want := []statement.Statement{referenceStatement(version)}
		if !reflect.DeepEqual(sts, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", file, sts, want)
		}
	}
}

// render prints statements one line per statement, entry and detail, for
// exact comparison.
func render(sts []statement.Statement) string {
	var b strings.Builder
	date := func(d interface{ Format(string) string }) string { return d.Format("2006-01-02") }
	for _, s := range sts {
		fmt.Fprintf(&b, "stmt line %d %s id=%s msg=%s seq=%s created=%s iban=%s other=%s %s open=%s %s %s close=%s %s %s\n",
			s.Line, s.Format, s.ID, s.MessageID, s.Sequence, s.Created.Format("2006-01-02T15:04:05Z07:00"), s.Account.IBAN, s.Account.Other,
			s.Currency, s.Opening.Type, date(s.Opening.Date), statement.Format(s.Opening.Amount),
			s.Closing.Type, date(s.Closing.Date), statement.Format(s.Closing.Amount))
		for _, e := range s.Entries {
			fmt.Fprintf(&b, "  ntry line %d %s %s booked=%s value=%s ref=%s bank=%s code=%s/%s/%s prtry=%s/%s label=%q rvsl=%v batch=%s/%s/%d/%s\n",
				e.Line, statement.Format(e.Amount), e.Status, date(e.BookingDate), date(e.ValueDate), e.Ref, e.BankRef,
				e.Code.Domain, e.Code.Family, e.Code.SubFamily, e.Code.Proprietary, e.Code.Issuer, e.Label, e.Reversal,
				e.Batch.MsgID, e.Batch.PmtInfID, e.Batch.Count, statement.Format(e.Batch.Total))
			for _, d := range e.Details {
				fmt.Fprintf(&b, "    tx line %d %s msg=%s pmt=%s instr=%s e2e=%s mndt=%s chq=%s rtr=%s purp=%s rmt=%q ref=%s dbtr=%q/%s cdtr=%q/%s\n",
					d.Line, statement.Format(d.Amount), d.MsgID, d.PmtInfID, d.InstrID, d.EndToEndID, d.MandateID, d.ChequeNumber,
					d.ReturnReason, d.Purpose, d.Remittance, d.CreditorRef, d.Debtor.Name, d.Debtor.Account, d.Creditor.Name, d.Creditor.Account)
			}
		}
		for _, w := range s.Warnings {
			fmt.Fprintf(&b, "  warning %s\n", w)
		}
	}
	return b.String()
}

// TestReadTestdata: the test files, each for shapes the reference
// examples do not have, read as rendered here.
func TestReadTestdata(t *testing.T) {
	tests := map[string]string{
		"two-statements.camt.053.001.08.xml": `
stmt line 13 camt.053.001.08 id=STMT-BQ1-20261201 msg=BQ-20261202-0001 seq=335 created=2026-12-02T06:00:00+01:00 iban=FR7630004008280001012345691 other= EUR open=OPBD 2026-12-01 12450.30 close=CLBD 2026-12-01 17005.80
  ntry line 76 3150.00 BOOK booked=2026-12-01 value=2026-12-01 ref= bank=BQ1-20261201-000001 code=PMNT/IDDT/ESDD prtry=/ label="REMISE PRLV SEPA CORE 12 OPERATIONS" rvsl=false batch=/REMIT-2026-0000001/12/3150.00
  ntry line 108 540.00 BOOK booked=2026-12-01 value=2026-12-02 ref= bank=BQ1-20261201-000002 code=PMNT/RCHQ/CCHQ prtry=02/CFONB label="REMISE CHEQUES 0000017" rvsl=false batch=//0/0.00
    tx line 135 300.00 msg= pmt= instr= e2e= mndt= chq=1234567 rtr= purp= rmt=[] ref= dbtr="BOULANGERIE DURAND"/ cdtr=""/
    tx line 151 240.00 msg= pmt= instr= e2e= mndt= chq=7654321 rtr= purp= rmt=[] ref= dbtr="Société Générale d'Électricité & Fils"/ cdtr=""/
  ntry line 168 -120.00 BOOK booked=2026-12-01 value=2026-12-01 ref= bank=BQ1-20261201-000003 code=PMNT/IDDT/UPDD prtry=/ label="" rvsl=true batch=//0/0.00
    tx line 192 -120.00 msg= pmt= instr=INSTR-0042 e2e=F2026-0042 mndt=RUM-0042 chq= rtr=REFUS DEBITEUR purp= rmt=[] ref= dbtr="MARTIN SOPHIE"/FR1420041010050500013M02606 cdtr="ACME OUTILLAGE SARL"/FR7630004008280001012345691
  ntry line 231 990.00 BOOK booked=2026-12-01 value=2026-12-01 ref= bank= code=PMNT/RCDT/ESCT prtry=/ label="" rvsl=false batch=//0/0.00
    tx line 253 990.00 msg= pmt= instr= e2e=NOTPROVIDED mndt= chq= rtr= purp=SUPP rmt=["FACTURES F2026-0031 F2026-0032" "ET F2026-0033"] ref=RF18539007547034 dbtr="BOULANGERIE DURAND"/10278060760001234560136 cdtr=""/
  ntry line 286 500.00 PDNG booked=0001-01-01 value=2026-12-03 ref= bank= code=// prtry=/ label="VIREMENT EN COURS" rvsl=false batch=//0/0.00
  ntry line 298 -4.50 BOOK booked=2026-12-01 value=2026-12-01 ref= bank= code=PMNT/MDOP/FEES prtry=/ label="FRAIS REMISE" rvsl=false batch=//0/0.00
stmt line 322 camt.053.001.08 id=STMT-BQ3-20261201 msg=BQ-20261202-0001 seq= created=2026-12-02T05:00:00Z iban= other=0001234567890 EUR open=PRCD 2026-11-30 -2310.75 close=CLBD 2026-12-01 -2310.75
`,
		"batch-and-return.camt.053.001.02.xml": `
stmt line 16 camt.053.001.02 id=654321-20261201 msg=CIC-20261202-0007 seq= created=2026-12-02T05:45:00+01:00 iban=FR7610096000502468013579064 other= EUR open=OPBD 2026-12-01 1000.00 close=CLBD 2026-12-01 1150.00
  ntry line 59 250.00 BOOK booked=2026-12-01 value=2026-12-01 ref=000001 bank=CIC0000000001 code=PMNT/IDDT/BBDD prtry=A2/ label="" rvsl=false batch=REMIT-MSG-20261128-02/REMIT-2026-0000002/2/250.00
    tx line 90 100.00 msg=REMIT-MSG-20261128-02 pmt=REMIT-2026-0000002 instr= e2e=F2026-0051 mndt=RUM-B2B-0007 chq= rtr= purp= rmt=[] ref= dbtr="TRANSPORTS ROUX SAS"/ cdtr=""/
    tx line 108 150.00 msg=REMIT-MSG-20261128-02 pmt=REMIT-2026-0000002 instr= e2e=F2026-0052 mndt=RUM-B2B-0008 chq= rtr= purp= rmt=[] ref= dbtr="IMPRIMERIE LEBLANC"/ cdtr=""/
  ntry line 131 -100.00 BOOK booked=2026-12-01 value=2026-12-01 ref=000002 bank=CIC0000000002 code=PMNT/IDDT/UPDD prtry=/ label="RETOUR PRLV SEPA B2B" rvsl=false batch=//0/0.00
    tx line 153 -100.00 msg=REMIT-MSG-20261128-02 pmt=REMIT-2026-0000002 instr= e2e=F2026-0051 mndt=RUM-B2B-0007 chq= rtr=MD06 purp= rmt=[] ref= dbtr="TRANSPORTS ROUX SAS"/ cdtr=""/
  ntry line 174 10.00 INFO booked=0001-01-01 value=0001-01-01 ref= bank= code=// prtry=INFO-INTERETS/CIC label="" rvsl=false batch=//0/0.00
`,
		"warnings.camt.053.001.02.xml": `
stmt line 10 camt.053.001.02 id=W-1-1 msg=W-1 seq= created=2026-12-02T06:00:00Z iban=FR7630004008280001012345691 other= EUR open=OPBD 2026-12-01 100.00 close=CLBD 2026-12-01 150.00
  ntry line 60 50.00 BOOK booked=0001-01-01 value=0001-01-01 ref= bank= code=// prtry=/ label="" rvsl=false batch=//3/60.00
    tx line 71 20.00 msg= pmt= instr= e2e= mndt= chq= rtr= purp= rmt=[] ref= dbtr=""/ cdtr=""/
    tx line 78 20.00 msg= pmt= instr= e2e= mndt= chq= rtr= purp= rmt=[] ref= dbtr=""/ cdtr=""/
  warning line 60: batch total 60.00 (Btch/TtlAmt), entry amount 50.00
  warning line 60: batch of 3 transactions (Btch/NbOfTxs), 2 transaction details (TxDtls)
  warning line 60: transaction details add up to 40.00, entry amount 50.00
  warning line 18: previously closed balance (PRCD) 90.00, opening balance (OPBD) 100.00
  warning line 54: TxsSummry: number of entries 2, the statement's entries give 1
  warning line 54: TxsSummry: sum of the entries 55.00, the statement's entries give 50.00
`,
	}
	for file, want := range tests {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		sts, errs := readAll(data)
		if len(errs) > 0 {
			t.Fatalf("%s: problems %q", file, errs)
		}
		if got := render(sts); got != want[1:] {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", file, got, want[1:])
		}
	}
}

// TestReadLatin1: a file declared ISO-8859-1 is read.
func TestReadLatin1(t *testing.T) {
	doc := strings.Replace(string(example(t, "camt.053.001.02.statement.example.xml")), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)
	doc = strings.Replace(doc, "COMMISSION REMISE PRLV", "COMMISSION REMISE PRÉLÈVEMENTS", 1)
	latin1 := bytes.ReplaceAll([]byte(doc), []byte("É"), []byte{0xC9})
	latin1 = bytes.ReplaceAll(latin1, []byte("È"), []byte{0xC8})
	sts, errs := readAll(latin1)
	if len(errs) > 0 || len(sts) != 1 || sts[0].Entries[3].Label != "COMMISSION REMISE PRÉLÈVEMENTS" {
		t.Fatalf("%q %+v", errs, sts)
	}
}

// problemDocs are documents built from the reference examples, each with
// the problems it must give. Those marked valid are valid against the XSD,
// which TestTestFilesAreValid checks: a bank's file can be valid and still
// be refused.
var problemDocs = []struct {
	name  string
	base  string // reference example
	edit  func(string) string
	valid bool
	kept  int
	want  []string
}{
	{"unbalanced", "camt.053.001.02.statement.example.xml", replace(`<Amt Ccy="EUR">11692.06</Amt>`, `<Amt Ccy="EUR">11692.60</Amt>`), true, 0,
		[]string{"line 37, /Document/BkToCstmrStmt/Stmt/Bal: balances do not add up: opening balance 10234.56 + movements 1457.50 = 11692.06, but the closing balance is 11692.60 (difference 0.54)"}},
	{"debit closing balance", "camt.053.001.08.statement.example.xml", replaceNth(`<CdtDbtInd>CRDT</CdtDbtInd>`, 2, `<CdtDbtInd>DBIT</CdtDbtInd>`), true, 0,
		[]string{"line 39, /Document/BkToCstmrStmt/Stmt/Bal: balances do not add up: opening balance 10234.56 + movements 1457.50 = 11692.06, but the closing balance is -11692.06 (difference -23384.12)"}},
	{"entry in another currency", "camt.053.001.08.statement.example.xml", replace(`<Amt Ccy="EUR">300.00</Amt>`, `<Amt Ccy="USD">300.00</Amt>`), true, 0,
		[]string{"line 222, /Document/BkToCstmrStmt/Stmt/Ntry: another currency: amount in USD in a statement in EUR"}},
	{"no closing booked balance", "camt.053.001.02.statement.example.xml", replace(`<Cd>CLBD</Cd>`, `<Cd>CLAV</Cd>`), true, 0,
		[]string{"line 11, /Document/BkToCstmrStmt/Stmt: missing: no closing booked balance (Bal of type CLBD)"}},
	{"two opening balances", "camt.053.001.02.statement.example.xml", replace(`<Cd>CLBD</Cd>`, `<Cd>OPBD</Cd>`), true, 0,
		[]string{
			"line 37, /Document/BkToCstmrStmt/Stmt: invalid value: a second OPBD balance (the first at line 25)",
			"line 11, /Document/BkToCstmrStmt/Stmt: missing: no closing booked balance (Bal of type CLBD)",
		}},
	{"values a bank must not send", "camt.053.001.02.statement.example.xml", func(s string) string {
		s = replace(`<Amt Ccy="EUR">80.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>`, `<Amt Ccy="EUR">80,00</Amt>
        <CdtDbtInd>DEBIT</CdtDbtInd>`)(s)
		s = replace(`<Amt Ccy="EUR">300.00</Amt>`, `<Amt Ccy="EUR">300.001</Amt>`)(s)
		s = replace(`<Dt>2025-03-03</Dt>
        </BookgDt>`, `<Dt>2025-02-30</Dt>
        </BookgDt>`)(s)
		s = replace(`<Amt Ccy="EUR">12.50</Amt>`, `<Amt>12.50</Amt>`)(s)
		return replace("<Sts>BOOK</Sts>", "<Sts>BOOK</Sts><Sts>BOOK</Sts>")(s)
	}, false, 0, []string{
		"line 70, /Document/BkToCstmrStmt/Stmt/Ntry/Sts: invalid value: Sts a second time (\"BOOK\" after \"BOOK\")",
		"line 72, /Document/BkToCstmrStmt/Stmt/Ntry/BookgDt/Dt: invalid value: date \"2025-02-30\" is not YYYY-MM-DD",
		"line 162, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: invalid value: amount \"80,00\" is not a decimal number of cents, at least 0",
		"line 163, /Document/BkToCstmrStmt/Stmt/Ntry/CdtDbtInd: invalid value: credit/debit indicator \"DEBIT\": want CRDT or DBIT",
		"line 160, /Document/BkToCstmrStmt/Stmt/Ntry: missing: entry without an amount (Amt)",
		"line 160, /Document/BkToCstmrStmt/Stmt/Ntry: missing: entry without its credit/debit indicator (CdtDbtInd)",
		"line 209, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: invalid value: amount \"300.001\" is not a decimal number of cents, at least 0",
		"line 207, /Document/BkToCstmrStmt/Stmt/Ntry: missing: entry without an amount (Amt)",
		"line 252, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: invalid value: amount 12.50 without a currency (Ccy attribute \"\")",
		"line 250, /Document/BkToCstmrStmt/Stmt/Ntry: missing: entry without an amount (Amt)",
	}},
	{"no account", "camt.053.001.08.statement.example.xml", replace(`<IBAN>FR7612345001000001234567857</IBAN>`, `<Othr><Id></Id></Othr>`), false, 0,
		[]string{"line 13, /Document/BkToCstmrStmt/Stmt: missing: no account (Acct/Id/IBAN or Acct/Id/Othr/Id)"}},
	{"a bad statement, then a good one", "camt.053.001.08.statement.example.xml", func(s string) string {
		i, j := strings.Index(s, "<Stmt>"), strings.LastIndex(s, "</Stmt>")+len("</Stmt>")
		good := s[i:j]
		return s[:i] + strings.Replace(good, `<Amt Ccy="EUR">11692.06</Amt>`, `<Amt Ccy="EUR">11692.07</Amt>`, 1) + "\n    " + good + s[j:]
	}, true, 1,
		[]string{"line 39, /Document/BkToCstmrStmt/Stmt/Bal: balances do not add up: opening balance 10234.56 + movements 1457.50 = 11692.06, but the closing balance is 11692.07 (difference 0.01)"}},
	{"malformed after a good statement", "camt.053.001.08.statement.example.xml", func(s string) string {
		i := strings.LastIndex(s, "</Stmt>") + len("</Stmt>")
		return s[:i] + "\n    <Stmt><Id>X</Id></Stmtt>" + s[i:]
	}, false, 1,
		[]string{"line 294, /Document/BkToCstmrStmt/Stmt: malformed XML: element <Stmt> closed by </Stmtt>"}},
	{"truncated", "camt.053.001.02.statement.example.xml", func(s string) string { return s[:len(s)/2] }, false, 0,
		[]string{"line 126, /Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/Refs/MndtId: malformed XML: unexpected EOF"}},
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("no " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func replaceNth(old string, n int, new string) func(string) string {
	return func(s string) string {
		i := -1
		for k := 0; k < n; k++ {
			j := strings.Index(s[i+1:], old)
			if j < 0 {
				panic("no " + old)
			}
			i += 1 + j
		}
		return s[:i] + new + s[i+len(old):]
	}
}

// TestReadProblems: every problem of a statement is reported with its line
// and element; a statement with a problem is left out, the others kept.
func TestReadProblems(t *testing.T) {
	for _, tt := range problemDocs {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.edit(string(example(t, tt.base)))
			sts, errs := readAll([]byte(doc))
			if !reflect.DeepEqual(errs, tt.want) {
				t.Fatalf("problems\n got %q\nwant %q", errs, tt.want)
			}
			if len(sts) != tt.kept {
				t.Fatalf("%d statements kept, want %d", len(sts), tt.kept)
			}
		})
	}
}

// TestReadErrorsAreTyped: problems wrap the reasons.
func TestReadErrorsAreTyped(t *testing.T) {
	doc := problemDocs[0].edit(string(example(t, problemDocs[0].base)))
	_, err := ReadAll(strings.NewReader(doc))
	var e *Error
	if !errors.Is(err, statement.ErrUnbalanced) || !errors.As(err, &e) || e.Line != 37 {
		t.Fatalf("%v", err)
	}
}

// TestReadUnsupported: what is not a camt.053.001.02 or .08 statement is
// refused, saying what it is.
func TestReadUnsupported(t *testing.T) {
	tests := []struct{ doc, want string }{
		{``, "line 1: malformed XML: no XML element: the file is empty or not XML"},
		{`not xml`, "line 1: malformed XML: no XML element: the file is empty or not XML"},
		{`<Document/>`, `line 1, /Document: unsupported document: root element Document without namespace; remit reads bank statements camt.053.001.02 and camt.053.001.08`},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn/></Document>`,
			`line 1, /Document: unsupported document: root element Document in namespace "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"; remit reads bank statements camt.053.001.02 and camt.053.001.08 (this is a reject or return report: read it with remit returns)`},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"/>`,
			`line 1, /Document: unsupported document: root element Document in namespace "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"; remit reads bank statements camt.053.001.02 and camt.053.001.08 (another version of camt.053: ask the bank for .001.02 or .001.08)`},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmtt/></Document>`,
			`line 1, /Document/BkToCstmrStmtt: unsupported document: BkToCstmrStmtt where a camt.053.001.02 message has BkToCstmrStmt`},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>`,
			`line 1: missing: no statement (Stmt) in the message`},
		{"<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<Document/>", `line 2: unsupported document: a DOCTYPE or other declaration has no place in a bank statement`},
		{`<?xml version="1.0" encoding="EBCDIC"?><Document/>`, `line 1: malformed XML: xml: opening charset "EBCDIC": encoding "EBCDIC" is not supported (UTF-8 or ISO-8859-1 expected)`},
	}
	for _, tt := range tests {
		sts, errs := readAll([]byte(tt.doc))
		if len(sts) != 0 || len(errs) != 1 || errs[0] != tt.want {
			t.Errorf("%.60q:\n got %q\nwant %q", tt.doc, errs, tt.want)
		}
	}
}

// TestReadNext: Next gives one statement at a time, with its problems.
func TestReadNext(t *testing.T) {
	doc := problemDocs[7].edit(string(example(t, problemDocs[7].base)))
	r := NewReader(strings.NewReader(doc))
	st, err := r.Next()
	if st == nil || !errors.Is(err, statement.ErrUnbalanced) || r.Version() != statement.Camt053V08 {
		t.Fatalf("first: %v %v", st, err)
	}
	st, err = r.Next()
	if err != nil || st.Line != 294 {
		t.Fatalf("second: %+v %v", st, err)
	}
	for i := 0; i < 2; i++ {
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("after the last: %v", err)
		}
	}
}
