package pain001

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// verified is Verify as the shared tests see it.
func verified(r io.Reader) (initiationtest.Verified, error) {
	rep, err := Verify(r)
	return initiationtest.Verified{Report: &rep.Report, Version: string(rep.Version), Transactions: rep.Transactions, Total: rep.Total}, err
}

func verifyBytes(t testing.TB, data []byte) *Report {
	t.Helper()
	r, err := Verify(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return r
}

// TestVerifyWriterGolden: what remit writes, remit verify accepts, with the
// right counts and totals.
func TestVerifyWriterGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/writer/*.xml")
	if len(files) != 4 {
		t.Fatalf("%d golden files, want 4", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := verifyBytes(t, data)
		m := suppliersMessage()
		if strings.Contains(f, "text_") {
			m = textMessage()
		}
		v := V09
		if strings.HasSuffix(f, "_03.xml") {
			v = V03
		}
		if !r.OK() || r.Version != v || r.Namespace != v.Namespace() || r.Transactions != m.h.NbOfTxs || r.Total != m.h.CtrlSum {
			t.Errorf("%s: %s, %d transactions, %d cents, problems:%s", f, r.Version, r.Transactions, r.Total, initiationtest.Problems(&r.Report))
		}
	}
}

// verifyCase is a golden file, edits, and the problem expected (none when
// want is empty).
type verifyCase struct {
	name  string
	base  string // suppliers_09, suppliers_03, text_09, text_03
	edits []initiationtest.Edit
	kind  ProblemKind
	want  string // substring of a problem message of that kind
	path  string // when set, the path of that problem
}

func (c verifyCase) build(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "writer", c.base+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, e := range c.edits {
		s = e.Apply(t, s)
	}
	return []byte(s)
}

const (
	blockCA     = "<PmtInfId>ACME-SCT-20261215-0014-CA</PmtInfId>"
	dbtrAdrCA   = blockCA + "\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>2</NbOfTxs>\n      <CtrlSum>13221.67</CtrlSum>\n      <PmtTpInf>\n        <InstrPrty>HIGH</InstrPrty>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n      </PmtTpInf>\n      <ReqdExctnDt><Dt>2026-12-15</Dt></ReqdExctnDt>\n      <Dbtr>\n        <Nm>ACME OUTILLAGE SARL</Nm>\n        <PstlAdr>\n          <StrtNm>Rue de la Paix</StrtNm>\n          <BldgNb>12</BldgNb>\n          <PstCd>75002</PstCd>\n          <TwnNm>Paris</TwnNm>\n          <Ctry>FR</Ctry>\n        </PstlAdr>\n      </Dbtr>"
	dbtrNoAdrCA = blockCA + "\n      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n      <NbOfTxs>2</NbOfTxs>\n      <CtrlSum>13221.67</CtrlSum>\n      <PmtTpInf>\n        <InstrPrty>HIGH</InstrPrty>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n      </PmtTpInf>\n      <ReqdExctnDt><Dt>2026-12-15</Dt></ReqdExctnDt>\n      <Dbtr><Nm>ACME OUTILLAGE SARL</Nm></Dbtr>"
)

// verifyRuleCases break an EPC rule and nothing in the schema: xmllint
// accepts every one of them, remit verify must not.
var verifyRuleCases = []verifyCase{
	{name: "group control sum", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>1000017019.57</CtrlSum>", "<CtrlSum>1000017019.58</CtrlSum>")},
		want: "CtrlSum is 1000017019.58 but the transactions of the file add up to 1000017019.57", path: "/Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum"},
	{name: "group count", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>7</NbOfTxs>", "<NbOfTxs>6</NbOfTxs>")},
		want: "NbOfTxs is 6 but the file has 7 transactions"},
	{name: "block count", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>")},
		want: "NbOfTxs is 4 but this PmtInf has 3 transactions", path: "/Document/CstmrCdtTrfInitn/PmtInf[1]/NbOfTxs"},
	{name: "block control sum", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>13221.67</CtrlSum>", "<CtrlSum>13221.76</CtrlSum>")},
		want: "CtrlSum is 13221.76 but the transactions of this PmtInf add up to 13221.67"},
	{name: "IBAN check digits", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("FR7617515900000801234567849", "FR7617515900000801234567848")},
		want: "IBAN FR7617515900000801234567848: bad check digits", path: "/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/CdtrAcct/Id/IBAN"},
	{name: "IBAN outside SEPA", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<IBAN>DE89370400440532013000</IBAN>", "<IBAN>TR330006100519786457841326</IBAN>")},
		want: "outside SEPA: TR is not a country of the SEPA schemes (EPC409-09): pay it by an international transfer"},
	{name: "BIC country", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("CMCIFRPP", "CMCIXXPP")}, want: "BIC CMCIXXPP: unknown country code"},
	{name: "currency", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(`Ccy="EUR">1350.00`, `Ccy="CHF">1350.00`)},
		want: "currency CHF: SEPA credit transfers are in EUR"},
	{name: "three decimals", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(">1350.00<", ">1350.001<")}, want: "amount 1350.001 has more than 2 decimals"},
	{name: "amount zero", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(">0.01<", ">0.00<")}, want: "amount 0.00 is below the SEPA minimum 0.01"},
	{name: "amount too large", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(">999999999.99<", ">1000000000.00<")},
		want: "amount 1000000000.00 is above the SEPA maximum"},
	{name: "payment method", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>TRA</PmtMtd>")},
		want: "payment method TRA"},
	{name: "service level", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "<SvcLvl><Cd>NURG</Cd></SvcLvl>")},
		want: `service level Cd "NURG"`},
	{name: "no service level", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "")},
		want: "no service level"},
	{name: "charge bearer", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>SHAR</ChrgBr>")},
		want: "charge bearer SHAR"},
	{name: "EndToEndId twice", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("ACME-P-000999", "ACME-P-000118")},
		want: `EndToEndId "ACME-P-000118" is already used at line`},
	{name: "PmtInfId twice", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("ACME-SCT-20261216-0014-LBP", "ACME-SCT-20261215-0014-BNP")},
		want: `PmtInfId "ACME-SCT-20261215-0014-BNP" is already used at line 15`},
	{name: "EndToEndId slashes", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("ACME-R-000007", "ACME//R-000007")}, want: "must not start or end with '/' nor contain '//'"},
	{name: "execution on Saturday", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Dt>2026-12-16</Dt>", "<Dt>2026-12-19</Dt>")},
		want: "execution date 2026-12-19 is not a TARGET2 business day (next: 2026-12-21)"},
	{name: "execution on Christmas in 03", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<ReqdExctnDt>2026-12-16</ReqdExctnDt>", "<ReqdExctnDt>2026-12-25</ReqdExctnDt>")},
		want: "execution date 2026-12-25 is not a TARGET2 business day"},
	{name: "execution before creation", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Dt>2026-12-16</Dt>", "<Dt>2026-12-01</Dt>")},
		want: "execution date 2026-12-01 is before the file's creation date 2026-12-02"},
	{name: "execution as date and time", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Dt>2026-12-16</Dt>", "<DtTm>2026-12-16T08:00:00</DtTm>")},
		want: "ReqdExctnDt/DtTm"},
	{name: "NOTPROVIDED in 09", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<DbtrAgt><FinInstnId/></DbtrAgt>", "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>")},
		want: "Othr/Id NOTPROVIDED is not a bank"},
	{name: "creditor name over 70", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Jean Dupont</Nm>", "<Nm>"+strings.Repeat("Jean Dupont ", 6)+"</Nm>")},
		want: "creditor name has 72 characters; the EPC allows 70"},
	{name: "character set", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Jean Dupont</Nm>", "<Nm>Jean Dupont &amp; Fils</Nm>")},
		want: `character "&" (U+0026) is not in the EPC basic Latin set`},
	{name: "creditor address lines only", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(
		"<PstCd>69002</PstCd>\n            <TwnNm>Lyon</TwnNm>\n            <Ctry>FR</Ctry>\n", "")},
		want: "creditor address has only AdrLine: payments from 2026-11-15 (this one 2026-12-15)"},
	{name: "creditor address three lines", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(
		"<AdrLine>Batiment B</AdrLine>", "<AdrLine>Batiment B</AdrLine><AdrLine>Escalier C</AdrLine>")},
		want: "creditor address has 3 AdrLine"},
	{name: "debtor address missing, creditor in Switzerland", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(dbtrAdrCA, dbtrNoAdrCA)},
		want: "the creditor's bank is in CH, a SEPA country outside the EEA: the debtor's address"},
	{name: "Ustrd and Strd", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<RmtInf>\n          <Strd>", "<RmtInf>\n          <Ustrd>Facture</Ustrd><Strd>")},
		want: "RmtInf has both Ustrd and Strd"},
	{name: "two Ustrd", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Ustrd>Anlage 2026 Rate 1</Ustrd>", "<Ustrd>Anlage 2026</Ustrd><Ustrd>Rate 1</Ustrd>")},
		want: "RmtInf has 2 Ustrd"},
	{name: "no creditor", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Cdtr><Nm>Jean Dupont</Nm></Cdtr>\n", "")},
		want: "no creditor: a SEPA credit transfer names its creditor"},
	{name: "creditor without name", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Cdtr><Nm>Jean Dupont</Nm></Cdtr>", "<Cdtr><CtryOfRes>FR</CtryOfRes></Cdtr>")},
		want: "the creditor has no name"},
	{name: "no creditor account", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<CdtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></CdtrAcct>\n", "")},
		want: "no creditor account"},
	{name: "creditor account is the debtor's", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("FR1420041010050500013M02606", "FR7610278060760001234560136")},
		want: "creditor account FR7610278060760001234560136 is the debtor's account"},
	{name: "account without IBAN", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<Id><IBAN>FR1420041010050500013M02606</IBAN></Id>", "<Id><Othr><Id>20041010050500013M02606</Id></Othr></Id>")},
		want: "identifies accounts by IBAN"},
	{name: "equivalent amount", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(`<Amt><InstdAmt Ccy="EUR">0.01</InstdAmt></Amt>`, `<Amt><EqvtAmt><Amt Ccy="CHF">0.01</Amt><CcyOfTrf>EUR</CcyOfTrf></EqvtAmt></Amt>`)},
		want: "EqvtAmt: a SEPA credit transfer gives its amount as InstdAmt in EUR"},
	{name: "empty initiating party", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(
		"<InitgPty>\n        <Nm>ACME OUTILLAGE SARL</Nm>\n        <Id><OrgId><Othr><Id>123456782</Id><SchmeNm><Cd>SREN</Cd></SchmeNm></Othr></OrgId></Id>\n      </InitgPty>",
		"<InitgPty></InitgPty>")},
		want: "the initiating party is empty", path: "/Document/CstmrCdtTrfInitn/GrpHdr/InitgPty"},
	{name: "cheque instruction", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(`<Amt><InstdAmt Ccy="EUR">0.01</InstdAmt></Amt>`, `<Amt><InstdAmt Ccy="EUR">0.01</InstdAmt></Amt><ChqInstr><ChqNb>4500121</ChqNb></ChqInstr>`)},
		want: "ChqInstr: cheque instructions have no place"},
}

// verifySchemaCases break the schema: xmllint refuses every one of them,
// and so must remit verify, as a schema problem.
var verifySchemaCases = []verifyCase{
	{name: "no MsgId", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>ACME-SCT-20261215-0014</MsgId>\n", "")},
		want: "missing mandatory element MsgId before CreDtTm"},
	{name: "Cdtr before CdtrAgt", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(
		"<CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>\n        <Cdtr>\n          <Nm>Maschinenbau Nord AG</Nm>",
		"<Cdtr>\n          <Nm>Maschinenbau Nord AG</Nm>\n          </Cdtr><CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>\n        <Cdtr>\n          <Nm>Maschinenbau Nord AG</Nm>")},
		want: "element not expected here"},
	{name: "unknown element", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>SLEV</ChrgBr><Fee>0</Fee>")},
		want: "unknown element Fee"},
	{name: "name over 140", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Jean Dupont</Nm>", "<Nm>"+strings.Repeat("J", 141)+"</Nm>")},
		want: "allows at most 140"},
	{name: "bad date", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<Dt>2026-12-16</Dt>", "<Dt>2026-02-30</Dt>")},
		want: "is not a valid date"},
	{name: "date and time in 03", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<ReqdExctnDt>2026-12-16</ReqdExctnDt>", "<ReqdExctnDt><Dt>2026-12-16</Dt></ReqdExctnDt>")},
		want: "has a text value, not elements"},
	{name: "BICFI in 03", base: "suppliers_03", edits: []initiationtest.Edit{initiationtest.Replace("<BIC>CMCIFRPP</BIC>", "<BICFI>CMCIFRPP</BICFI>")},
		want: "unknown element BICFI"},
	{name: "BIC in 09", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<BICFI>CMCIFRPP</BICFI>", "<BIC>CMCIFRPP</BIC>")},
		want: "unknown element BIC"},
	{name: "amount without currency", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace(`<InstdAmt Ccy="EUR">0.01</InstdAmt>`, `<InstdAmt>0.01</InstdAmt>`)},
		want: "attribute Ccy missing on InstdAmt"},
	{name: "count not numeric", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>7</NbOfTxs>", "<NbOfTxs>seven</NbOfTxs>")},
		want: "does not match the pattern"},
	{name: "pain.001.001.10", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("pain.001.001.09", "pain.001.001.10")},
		want: `namespace "urn:iso:std:iso:20022:tech:xsd:pain.001.001.10" is not pain.001.001.03 or pain.001.001.09`},
	{name: "pain.008 file", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("pain.001.001.09", "pain.008.001.08")},
		want: "(this is a direct debit file, pain.008)"},
	{name: "no transaction", base: "text_09", edits: []initiationtest.Edit{initiationtest.Replace(
		"<CdtTrfTxInf>\n        <PmtId><EndToEndId>T-4</EndToEndId></PmtId>", "<Foo>\n        <PmtId><EndToEndId>T-4</EndToEndId></PmtId>"),
		initiationtest.Replace("</CdtrAcct>\n      </CdtTrfTxInf>\n    </PmtInf>\n  </CstmrCdtTrfInitn>", "</CdtrAcct>\n      </Foo>\n    </PmtInf>\n  </CstmrCdtTrfInitn>")},
		want: "unknown element Foo"},
	{name: "not well-formed", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("</Document>", "</Documen>")},
		want: "not well-formed XML"},
}

// valid cases beside the goldens: what the rules must not flag.
var verifyValidCases = []verifyCase{
	{name: "NOTPROVIDED in 03", base: "suppliers_03"},
	{name: "no charge bearer", base: "suppliers_09", edits: []initiationtest.Edit{initiationtest.Replace("<ChrgBr>SLEV</ChrgBr>\n", "")}},
	{name: "service level per transaction", base: "text_09", edits: []initiationtest.Edit{
		initiationtest.Replace("<PmtTpInf>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n      </PmtTpInf>\n", ""),
		initiationtest.Replace("<Amt>", "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><Amt>")}},
	{name: "lines-only address before the cut-over", base: "text_09"},
	{name: "prefixed namespace", base: "suppliers_09", edits: []initiationtest.Edit{
		initiationtest.Replace(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">`, `<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">`),
		initiationtest.Replace("</Document>", "</p:Document>"),
		initiationtest.Replace("<", "<p:"), initiationtest.Replace("<p:/", "</p:"), initiationtest.Replace("<p:?xml", "<?xml"), initiationtest.Replace("<p:p:", "<p:"), initiationtest.Replace("</p:p:", "</p:")}},
}

func TestVerifyCases(t *testing.T) {
	dir := t.TempDir()
	type built struct {
		c    verifyCase
		path string
		xsd  string
	}
	var all []built
	byXSD := map[string][]string{}
	for _, group := range []struct {
		kind  ProblemKind
		cases []verifyCase
	}{{ProblemRule, verifyRuleCases}, {ProblemSchema, verifySchemaCases}, {0, verifyValidCases}} {
		for _, c := range group.cases {
			c.kind = group.kind
			data := c.build(t)
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".xml")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			xsd := V09.XSD()
			if strings.HasSuffix(c.base, "_03") {
				xsd = V03.XSD()
			}
			all = append(all, built{c, path, xsd})
			byXSD[xsd] = append(byXSD[xsd], path)
		}
	}
	for _, b := range all {
		c := b.c
		data, _ := os.ReadFile(b.path)
		r := verifyBytes(t, data)
		if c.kind == 0 {
			if !r.OK() {
				t.Errorf("%s: problems:%s", c.name, initiationtest.Problems(&r.Report))
			}
			continue
		}
		found := false
		for _, p := range r.Problems {
			if p.Kind == c.kind && strings.Contains(p.Msg, c.want) && (c.path == "" || p.Path == c.path) && p.Line > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no %s problem %q (path %q); problems:%s", c.name, c.kind, c.want, c.path, initiationtest.Problems(&r.Report))
		}
		if c.kind == ProblemRule && r.Count(ProblemSchema) > 0 {
			t.Errorf("%s: schema problems too:%s", c.name, initiationtest.Problems(&r.Report))
		}
	}
	// The official schema agrees: rule cases and valid ones validate,
	// schema cases do not.
	for xsd, paths := range byXSD {
		verdicts, out := schematest.XMLLint(t, xsd, paths...)
		for _, b := range all {
			if b.xsd != xsd {
				continue
			}
			if want := b.c.kind != ProblemSchema; verdicts[b.path] != want {
				t.Errorf("%s: xmllint says valid=%v, want %v:\n%s", b.c.name, verdicts[b.path], want, schematest.Lines(out, b.path))
			}
		}
	}
}

// TestVerifyAgreesWithXMLLint: on random structural mutants of the golden
// files, our schema verdict is xmllint's (initiationtest.AgreesWithXMLLint).
func TestVerifyAgreesWithXMLLint(t *testing.T) {
	perBase := 150
	if testing.Short() {
		perBase = 30
	}
	var bases []initiationtest.Base
	for _, name := range []string{"suppliers_09", "suppliers_03", "text_09", "text_03"} {
		data, err := os.ReadFile(filepath.Join("testdata", "writer", name+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		xsd := V09.XSD()
		if strings.HasSuffix(name, "_03") {
			xsd = V03.XSD()
		}
		bases = append(bases, initiationtest.Base{Name: name, Text: string(data), XSD: xsd})
	}
	vocabulary := append(schemaDocument(V09).ElementNames(), schemaDocument(V03).ElementNames()...)
	initiationtest.AgreesWithXMLLint(t, bases, vocabulary, perBase, verified)
}

// TestVerifyToday: with today's date, an execution date before it is a
// problem (a bank does not execute in the past); today itself is fine.
func TestVerifyToday(t *testing.T) {
	data, err := os.ReadFile("testdata/writer/suppliers_09.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		today    time.Time
		problems int
	}{
		{time.Time{}, 0},
		{initiationtest.Day(2026, 12, 15), 0},
		{time.Date(2026, 12, 16, 23, 59, 0, 0, initiationtest.Paris), 2}, // two blocks on the 15th
	} {
		r, err := VerifyWith(bytes.NewReader(data), VerifyOptions{Today: tt.today})
		if err != nil {
			t.Fatal(err)
		}
		if r.Count(ProblemRule) != tt.problems {
			t.Errorf("today %v: problems:%s", tt.today, initiationtest.Problems(&r.Report))
		}
		for _, p := range r.Problems {
			if !strings.Contains(p.Msg, "execution date 2026-12-15 is in the past (today is 2026-12-16)") {
				t.Errorf("today %v: %s", tt.today, p)
			}
		}
	}
}

// TestVerifyBOM: a byte order mark before the XML is read, with a warning.
func TestVerifyBOM(t *testing.T) {
	data, err := os.ReadFile("testdata/writer/suppliers_03.xml")
	if err != nil {
		t.Fatal(err)
	}
	r := verifyBytes(t, append([]byte("\ufeff"), data...))
	if !r.OK() || r.Version != V03 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Msg, "byte order mark") {
		t.Errorf("%s, warnings %v, problems:%s", r.Version, r.Warnings, initiationtest.Problems(&r.Report))
	}
}

func TestVerifyReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r, err := Verify(initiationtest.ErrReader{Err: boom})
	if !errors.Is(err, boom) || r == nil {
		t.Errorf("Verify = %v, %v; want the read error and a partial report", r, err)
	}
}

// TestVerifyProblemCap: a generator repeating a mistake in every transfer
// gets the first VerifyMaxProblems listed and the rest counted.
func TestVerifyProblemCap(t *testing.T) {
	var b bytes.Buffer
	generatePain001(&b, 1500, "Cafe") // the Writer would transliterate "Café"
	r := verifyBytes(t, bytes.ReplaceAll(b.Bytes(), []byte("Cafe"), []byte("Caf\u00e9")))
	if len(r.Problems) != VerifyMaxProblems || r.Omitted != 500 || r.OK() || r.Count(ProblemRule) != 1500 || r.Transactions != 1500 {
		t.Errorf("listed %d, omitted %d, counted %d, %d transactions", len(r.Problems), r.Omitted, r.Count(ProblemRule), r.Transactions)
	}
}

// generatePain001 writes a valid pain.001.001.09 of n transfers with the
// Writer (creditor names from name, numbered), for tests and benchmarks.
func generatePain001(w *bytes.Buffer, n int, name string) {
	tx := benchTransaction()
	h, pi := benchHeader(n, tx.Amount)
	wr, err := NewWriter(w, h)
	if err != nil {
		panic(err)
	}
	if err := wr.StartPaymentInfo(pi); err != nil {
		panic(err)
	}
	for i := 0; i < n; i++ {
		tx.EndToEndID = fmt.Sprintf("P-%08d", i)
		tx.Creditor.Name = fmt.Sprintf("%s %d", name, i)
		if err := wr.WriteTransaction(tx); err != nil {
			panic(err)
		}
	}
	if err := wr.Close(); err != nil {
		panic(err)
	}
}

// BenchmarkVerify measures throughput on a 20 000-transfer file:
// go test ./sepa/pain001 -run '^$' -bench Verify -benchmem
func BenchmarkVerify(b *testing.B) {
	var buf bytes.Buffer
	generatePain001(&buf, 20000, "Fournisseur")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Verify(bytes.NewReader(data))
		if err != nil || !r.OK() {
			b.Fatalf("%v %v", err, r.Problems)
		}
	}
}
