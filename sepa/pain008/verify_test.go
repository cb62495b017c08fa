package pain008

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

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// verifyCase is a scenario: a base file, edits, and the problem expected.
type verifyCase struct {
	name  string
	base  string // v08, v02 (the shared examples), full08, full02 (testdata/verify/valid)
	edits []initiationtest.Edit
	want  string // substring of a problem message of the expected kind
	path  string // when set, the path of that problem
}

var verifyBases = map[string]struct {
	file    string // relative to the shared examples, or testdata when it starts with testdata/
	version Version
}{
	"v08":    {"pain.008.001.08.example.xml", V08},
	"v02":    {"pain.008.001.02.example.xml", V02},
	"full08": {"testdata/verify/valid/full.v08.xml", V08},
	"full02": {"testdata/verify/valid/full.v02.xml", V02},
	"b2b08":  {"testdata/verify/valid/b2b-prefixed.v08.xml", V08},
	"old02":  {"testdata/verify/valid/before-cutover.v02.xml", V02},
}

// verifyTestExamples returns the folder of the shared reference examples.
func verifyTestExamples(t testing.TB) string {
	return filepath.Join(testtool.SharedDir(t), "reference", "examples", "sepa")
}

func verifyTestBase(t *testing.T, base string) (string, Version) {
	t.Helper()
	b, ok := verifyBases[base]
	if !ok {
		t.Fatalf("unknown base %q", base)
	}
	path := b.file
	if !strings.HasPrefix(path, "testdata/") {
		path = filepath.Join(verifyTestExamples(t), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), b.version
}

// verifyTestWrite builds each case's file in dir and returns the paths by
// schema, for one xmllint run per schema.
func verifyTestWrite(t *testing.T, dir string, cases []verifyCase) (files map[string]string, bySchema map[Version][]string) {
	t.Helper()
	files = map[string]string{}
	bySchema = map[Version][]string{}
	for _, c := range cases {
		s, v := verifyTestBase(t, c.base)
		for _, e := range c.edits {
			s = e.Apply(t, s)
		}
		path := filepath.Join(dir, c.name+".xml")
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		files[c.name] = path
		bySchema[v] = append(bySchema[v], path)
	}
	return files, bySchema
}

// verifyTestLint runs xmllint once per schema and returns each file's
// verdict and the lines of xmllint's output about it.
func verifyTestLint(t *testing.T, bySchema map[Version][]string) (verdicts map[string]bool, output map[string]string) {
	t.Helper()
	verdicts, output = map[string]bool{}, map[string]string{}
	for v, paths := range bySchema {
		got, o := schematest.XMLLint(t, v.XSD(), paths...)
		for _, p := range paths {
			verdicts[p], output[p] = got[p], schematest.Lines(o, p)
		}
	}
	return verdicts, output
}

func verifyTestFile(t *testing.T, path string) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Verify(f)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return r
}

// verified is Verify as the shared tests see it.
func verified(r io.Reader) (initiationtest.Verified, error) {
	rep, err := Verify(r)
	return initiationtest.Verified{Report: &rep.Report, Version: string(rep.Version), Transactions: rep.Transactions, Total: rep.Total}, err
}

func TestVerifyExamples(t *testing.T) {
	for _, base := range []string{"v08", "v02"} {
		t.Run(base, func(t *testing.T) {
			s, v := verifyTestBase(t, base)
			r, err := Verify(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK() {
				t.Errorf("problems:%s", initiationtest.Problems(&r.Report))
			}
			if r.Version != v || r.Namespace != v.Namespace() || r.Transactions != 3 || r.Total != 36050 {
				t.Errorf("report = %s %s %d tx %d cents, want %s, 3 tx, 36050", r.Version, r.Namespace, r.Transactions, r.Total, v)
			}
		})
	}
}

// verifyValidCases are files that must pass both our checks and xmllint:
// the hand-written testdata files and variants of the examples.
var verifyValidCases = []verifyCase{
	{name: "example.v08", base: "v08"},
	{name: "example.v02", base: "v02"},
	{name: "full.v08", base: "full08"},
	{name: "full.v02", base: "full02"},
	{name: "b2b-prefixed.v08", base: "b2b08"},
	{name: "before-cutover.v02", base: "old02"},
	{name: "no_optional_counts.v02", base: "v02", edits: []initiationtest.Edit{
		initiationtest.Replace("<CtrlSum>360.50</CtrlSum>\n", ""),
		initiationtest.Replace("<NbOfTxs>1</NbOfTxs>\n", ""), initiationtest.Replace("<CtrlSum>120.00</CtrlSum>\n", ""),
		initiationtest.Replace("<BtchBookg>true</BtchBookg>\n", "")}},
	{name: "lexical_forms.v08", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace(">120.00</InstdAmt>", "> 120 </InstdAmt>"),
		initiationtest.Replace(">40.50</InstdAmt>", ">40.5000</InstdAmt>"),
		initiationtest.Replace("<CtrlSum>360.50</CtrlSum>", "<CtrlSum>000360.5</CtrlSum>"),
		initiationtest.ReplaceFirst("<BtchBookg>true</BtchBookg>", "<BtchBookg>\t1\n</BtchBookg>"),
		initiationtest.Replace("<CreDtTm>2026-11-27T10:15:00</CreDtTm>", "<CreDtTm>2026-11-27T24:00:00-14:00</CreDtTm>"),
		initiationtest.Replace("<DtOfSgntr>2024-03-15</DtOfSgntr>", "<DtOfSgntr>2024-02-29Z</DtOfSgntr>")}},
	{name: "uetr_and_supplementary.v08", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace("<EndToEndId>INV-2026-000124</EndToEndId>", "<EndToEndId>INV-2026-000124</EndToEndId><UETR>0f8fad5b-d9cb-469f-a165-70867728950e</UETR>"),
		initiationtest.Replace("<RmtInf><Ustrd>Facture 2026-000125</Ustrd></RmtInf>", "<RmtInf><Ustrd>Facture 2026-000125</Ustrd></RmtInf><SplmtryData><Envlp><x:Y xmlns:x=\"urn:x\"/></Envlp></SplmtryData>")}},
	{name: "names_70_chars.v08", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Hans Muller</Nm>", "<Nm>"+verifyLongText(70)+"</Nm>"),
		initiationtest.ReplaceRe(`(<Cdtr>\s*)<Nm>ACME SAS</Nm>`, "${1}<Nm>"+verifyLongText(70)+"</Nm>")}},
	{name: "ch_debtor_with_address.v08", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("DE89370400440532013000", "CH9300762011623852957"),
		initiationtest.Replace("<Dbtr><Nm>Hans Muller</Nm></Dbtr>", "<Dbtr><Nm>Hans Muller</Nm><PstlAdr><TwnNm>Basel</TwnNm><Ctry>CH</Ctry></PstlAdr></Dbtr>")}},
	{name: "b2b_only.v02", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<Cd>CORE</Cd>", "<Cd>B2B</Cd>")}},
	{name: "xsi_schema_location.v08", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">`,
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08 pain.008.001.08.xsd">`)}},
}

func TestVerifyValidFiles(t *testing.T) {
	files, bySchema := verifyTestWrite(t, t.TempDir(), verifyValidCases)
	lint, out := verifyTestLint(t, bySchema)
	for _, c := range verifyValidCases {
		t.Run(c.name, func(t *testing.T) {
			r := verifyTestFile(t, files[c.name])
			if !r.OK() {
				t.Errorf("problems:%s", initiationtest.Problems(&r.Report))
			}
			if !lint[files[c.name]] {
				t.Errorf("xmllint rejects it:\n%s", out[files[c.name]])
			}
		})
	}
}

func verifyLongText(n int) string { return strings.Repeat("A", n) }

// verifySchemaCases break the ISO schema: we must report a schema problem
// and xmllint must reject the file too.
var verifySchemaCases = []verifyCase{
	// The common generator bugs of SEPA-landscape.md §1.
	{name: "purp_after_rmtinf", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace("        <Purp><Cd>OTHR</Cd></Purp>\n", ""),
		initiationtest.ReplaceFirst("        </RmtInf>\n      </DrctDbtTxInf>", "        </RmtInf>\n        <Purp><Cd>OTHR</Cd></Purp>\n      </DrctDbtTxInf>")},
		want: "element not expected here (after RmtInf)", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/Purp"},
	{name: "cdorprtry_misspelt", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("CdOrPrtry>", "CdorPrtry>")},
		want: "unknown element CdorPrtry", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/RmtInf/Strd[1]/CdtrRefInf/Tp/CdorPrtry"},
	{name: "seqtp_all", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<SeqTp>FRST</SeqTp>", "<SeqTp>ALL</SeqTp>")},
		want: `value "ALL" is not one of FRST, RCUR, FNAL, OOFF, RPRE`},
	{name: "smnda_without_id_wrapper", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace("<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>", "<OrgnlDbtrAcct><Othr><Id>SMNDA</Id></Othr></OrgnlDbtrAcct>")},
		want: "unknown element Othr in OrgnlDbtrAcct"},
	{name: "smnda_without_id_wrapper.v02", base: "v02", edits: []initiationtest.Edit{
		initiationtest.Replace("<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>", "<OrgnlDbtrAcct><Othr><Id>SMNDA</Id></Othr></OrgnlDbtrAcct>")},
		want: "missing mandatory element Id"},
	// Missing mandatory elements.
	{name: "missing_pmtmtd", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<PmtMtd>DD</PmtMtd>\n", "")},
		want: "missing mandatory element PmtMtd before BtchBookg"},
	{name: "missing_endtoendid", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<PmtId><EndToEndId>INV-2026-000124</EndToEndId></PmtId>", "<PmtId></PmtId>")},
		want: "missing mandatory element EndToEndId"},
	{name: "missing_dbtracct", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>", "")},
		want: "missing mandatory element DbtrAcct before RmtInf"},
	{name: "missing_initgpty", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<InitgPty>.*?</InitgPty>`, "")},
		want: "missing mandatory element InitgPty"},
	{name: "no_pmtinf", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<PmtInf>.*</PmtInf>`, "")},
		want: "missing mandatory element PmtInf"},
	{name: "empty_choice", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "<SvcLvl></SvcLvl>")},
		want: "SvcLvl needs one of Cd, Prtry"},
	// Order, repetition, unknown elements.
	{name: "header_out_of_order", base: "v08", edits: []initiationtest.Edit{
		initiationtest.Replace("      <CreDtTm>2026-11-27T10:15:00</CreDtTm>\n      <NbOfTxs>3</NbOfTxs>\n", "      <NbOfTxs>3</NbOfTxs>\n      <CreDtTm>2026-11-27T10:15:00</CreDtTm>\n")},
		want: "missing mandatory element CreDtTm before NbOfTxs"},
	{name: "duplicate_msgid", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>ACME-SDD-20261201-0001</MsgId>", "<MsgId>A</MsgId><MsgId>B</MsgId>")},
		want: "MsgId occurs at most 1 time"},
	{name: "choice_with_both", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "<SvcLvl><Cd>SEPA</Cd><Prtry>X</Prtry></SvcLvl>")},
		want: "is a choice of one of Cd, Prtry"},
	{name: "eight_adrlines", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<AdrLine>3 place des Terreaux</AdrLine>", strings.Repeat("<AdrLine>L</AdrLine>", 8))},
		want: "AdrLine occurs at most 7 times"},
	{name: "unknown_element", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>ACME-SDD-20261201-0001</MsgId>", "<MsgId>ACME-SDD-20261201-0001</MsgId><Foo>bar</Foo>")},
		want: "unknown element Foo in GrpHdr", path: "/Document/CstmrDrctDbtInitn/GrpHdr/Foo"},
	{name: "element_in_simple_content", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>ACME-SDD-20261201-0001</MsgId>", "<MsgId>ACME<b>SDD</b></MsgId>")},
		want: "MsgId has a text value, not elements"},
	{name: "text_in_element_content", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<GrpHdr>", "<GrpHdr>oops")},
		want: "text not allowed in GrpHdr"},
	{name: "element_in_other_namespace", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>", `<MsgId xmlns="urn:other">`)},
		want: `namespace "urn:other" not expected`},
	{name: "envlp_empty", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("  </CstmrDrctDbtInitn>", "<SplmtryData><Envlp/></SplmtryData></CstmrDrctDbtInitn>")},
		want: "Envlp holds exactly one element"},
	{name: "envlp_two_elements", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("  </CstmrDrctDbtInitn>", "<SplmtryData><Envlp><a/><b/></Envlp></SplmtryData></CstmrDrctDbtInitn>")},
		want: "Envlp holds exactly one element"},
	// Version differences.
	{name: "bic_in_v08", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<BICFI>AGRIFRPPXXX</BICFI>", "<BIC>AGRIFRPPXXX</BIC>")},
		want: "unknown element BIC in FinInstnId"},
	{name: "bicfi_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<BIC>ABNANL2A</BIC>", "<BICFI>ABNANL2A</BICFI>")},
		want: "unknown element BICFI in FinInstnId"},
	{name: "uetr_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<EndToEndId>INV-2026-000124</EndToEndId>", "<EndToEndId>INV-2026-000124</EndToEndId><UETR>0f8fad5b-d9cb-469f-a165-70867728950e</UETR>")},
		want: "unknown element UETR"},
	{name: "bldgnm_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<BldgNb>12</BldgNb>", "<BldgNb>12</BldgNb><BldgNm>Tour</BldgNm>")},
		want: "unknown element BldgNm"},
	{name: "admstnzone_in_v02", base: "full02", edits: []initiationtest.Edit{initiationtest.Replace("AdmstnZn>", "AdmstnZone>")},
		want: "unknown element AdmstnZone"},
	{name: "admstnzn_in_v08", base: "full08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<AdmstnZone>FR</AdmstnZone>", "<AdmstnZn>FR</AdmstnZn>")},
		want: "unknown element AdmstnZn"},
	{name: "rpre_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<SeqTp>FRST</SeqTp>", "<SeqTp>RPRE</SeqTp>")},
		want: `value "RPRE" is not one of FRST, RCUR, FNAL, OOFF (SequenceType1Code)`},
	{name: "bic_2014_pattern_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<BIC>ABNANL2A</BIC>", "<BIC>AB1ANL2A</BIC>")},
		want: "does not match the pattern"},
	{name: "two_svclvl_in_v02", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "<SvcLvl><Cd>SEPA</Cd></SvcLvl><SvcLvl><Cd>SEPA</Cd></SvcLvl>")},
		want: "SvcLvl occurs at most 1 time"},
	{name: "wrong_namespace", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("pain.008.001.08", "pain.008.001.03")},
		want: `namespace "urn:iso:std:iso:20022:tech:xsd:pain.008.001.03" is not pain.008.001.02 or pain.008.001.08`},
	{name: "no_namespace", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(` xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"`, "")},
		want: "Document has no namespace"},
	{name: "root_not_document", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Document ", "<Doc "), initiationtest.Replace("</Document>", "</Doc>")},
		want: "root element is Doc"},
	// Value facets.
	{name: "msgid_36_chars", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>ACME-SDD-20261201-0001</MsgId>", "<MsgId>"+verifyLongText(36)+"</MsgId>")},
		want: "has 36 characters; Max35Text allows at most 35"},
	{name: "name_141_chars", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Hans Muller</Nm>", "<Nm>"+verifyLongText(141)+"</Nm>")},
		want: "Max140Text allows at most 140"},
	{name: "ustrd_141_chars", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<Ustrd>Facture 2026-000125</Ustrd>", "<Ustrd>"+verifyLongText(141)+"</Ustrd>")},
		want: "Max140Text allows at most 140"},
	{name: "empty_name", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Hans Muller</Nm>", "<Nm></Nm>")},
		want: "empty value; Max140Text needs at least 1 character"},
	{name: "amount_exponent", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">1.2e+08</InstdAmt>")},
		want: `value "1.2e+08" is not a decimal number`},
	{name: "amount_negative", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">-40.50</InstdAmt>")},
		want: "is negative"},
	{name: "amount_six_decimals", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">40.123456</InstdAmt>")},
		want: "has 6 fraction digits; ActiveOrHistoricCurrencyAndAmount allows at most 5"},
	{name: "amount_19_digits", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">123456789012345678.5</InstdAmt>")},
		want: "has 19 digits"},
	{name: "amount_comma", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">40,50</InstdAmt>")},
		want: "is not a decimal number"},
	{name: "ctrlsum_25_digits", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>360.50</CtrlSum>", "<CtrlSum>360.5000000000000000000000</CtrlSum>")},
		want: "is not a decimal number"},
	{name: "nboftxs_padded", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs> 3</NbOfTxs>")},
		want: "does not match the pattern [0-9]{1,15}"},
	{name: "ccy_lowercase", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(`<InstdAmt Ccy="EUR">200.00`, `<InstdAmt Ccy="eur">200.00`)},
		want: "attribute Ccy: value \"eur\" does not match the pattern [A-Z]{3,3}"},
	{name: "ccy_missing", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace(`<InstdAmt Ccy="EUR">200.00`, `<InstdAmt>200.00`)},
		want: "attribute Ccy missing on InstdAmt"},
	{name: "extra_attribute", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MsgId>", `<MsgId id="1">`)},
		want: "attribute id not allowed on MsgId"},
	{name: "invalid_date", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<ReqdColltnDt>2026-12-01</ReqdColltnDt>", "<ReqdColltnDt>2026-02-29</ReqdColltnDt>")},
		want: `value "2026-02-29" is not a valid date`},
	{name: "padded_date", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<ReqdColltnDt>2026-12-01</ReqdColltnDt>", "<ReqdColltnDt> 2026-12-01</ReqdColltnDt>")},
		want: "is not a valid date"},
	{name: "invalid_datetime", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("2026-11-27T10:15:00", "2026-11-27T25:15:00")},
		want: "is not a valid date and time"},
	{name: "datetime_without_seconds", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("2026-11-27T10:15:00", "2026-11-27T10:15")},
		want: "is not a valid date and time"},
	{name: "bad_boolean", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<AmdmntInd>false</AmdmntInd>", "<AmdmntInd>yes</AmdmntInd>")},
		want: `value "yes" is not a boolean`},
	{name: "country_lowercase", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Ctry>NL</Ctry>", "<Ctry>nl</Ctry>")},
		want: "does not match the pattern [A-Z]{2,2} of CountryCode"},
	{name: "iban_with_spaces", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00")},
		want: "does not match the pattern"},
	{name: "priority_low", base: "full08", edits: []initiationtest.Edit{initiationtest.Replace("<InstrPrty>NORM</InstrPrty>", "<InstrPrty>LOW</InstrPrty>")},
		want: "is not one of HIGH, NORM"},
	{name: "uetr_uppercase", base: "full08", edits: []initiationtest.Edit{initiationtest.Replace("7b1c3f2e-9d4a-4e8b-a1c2-3d4e5f6a7b8c", "7B1C3F2E-9D4A-4E8B-A1C2-3D4E5F6A7B8C")},
		want: "UUIDv4Identifier"},
	{name: "tracking_days_one_digit", base: "full08", edits: []initiationtest.Edit{initiationtest.Replace("<TrckgDays>03</TrckgDays>", "<TrckgDays>3</TrckgDays>")},
		want: "Exact2NumericText"},
	{name: "phone_without_dash", base: "full02", edits: []initiationtest.Edit{initiationtest.Replace("<PhneNb>+33-142685300</PhneNb>", "<PhneNb>+33142685300</PhneNb>")},
		want: "PhoneNumber"},
	{name: "tax_rate_11_fraction_digits", base: "full08", edits: []initiationtest.Edit{initiationtest.Replace("<Rate>20.0</Rate>", "<Rate>0.12345678901</Rate>")},
		want: "PercentageRate"},
	{name: "four_addtlrmtinf", base: "full08", edits: []initiationtest.Edit{initiationtest.Replace("<AddtlRmtInf>Thank you</AddtlRmtInf>", "<AddtlRmtInf>Thank you</AddtlRmtInf><AddtlRmtInf>More</AddtlRmtInf>")},
		want: "AddtlRmtInf occurs at most 3 times"},
	{name: "line_details_without_id", base: "full08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`<Id><Tp><CdOrPrtry><Prtry>LINE</Prtry>.*?</Id>\s*<Id><Nb>2</Nb></Id>`, "")},
		want: "missing mandatory element Id before Desc"},
	// Not XML.
	{name: "mismatched_tag", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("</GrpHdr>", "</GrpHeader>")},
		want: "not well-formed XML"},
	{name: "undefined_entity", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("Jean Dupont", "Jean &eacute; Dupont")},
		want: "not well-formed XML"},
	{name: "empty_file", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s).*`, "")},
		want: "no Document element"},
	{name: "truncated_file", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)</DrctDbtTxInf>\s*</PmtInf>\s*<PmtInf>.*`, "")},
		want: "not well-formed XML: unexpected end of file, DrctDbtTxInf not closed"},
	{name: "undeclared_prefix", base: "b2b08", edits: []initiationtest.Edit{initiationtest.Replace("<p:MsgId>", "<q:MsgId>"), initiationtest.Replace("</p:MsgId>", "</q:MsgId>")},
		want: "namespace prefix q is not declared"},
	{name: "two_documents", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("</Document>", "</Document><Document/>")},
		want: "not well-formed XML"},
}

func TestVerifySchemaProblems(t *testing.T) {
	files, bySchema := verifyTestWrite(t, t.TempDir(), verifySchemaCases)
	lint, _ := verifyTestLint(t, bySchema)
	for _, c := range verifySchemaCases {
		t.Run(c.name, func(t *testing.T) {
			r := verifyTestFile(t, files[c.name])
			if !verifyHas(r, ProblemSchema, c.want, c.path) {
				t.Errorf("no schema problem %q (path %q); got:%s", c.want, c.path, initiationtest.Problems(&r.Report))
			}
			if lint[files[c.name]] {
				t.Errorf("xmllint accepts the file, we do not")
			}
		})
	}
}

func verifyHas(r *Report, kind ProblemKind, want, path string) bool {
	for _, p := range r.Problems {
		if p.Kind == kind && strings.Contains(p.Msg, want) && (path == "" || p.Path == path) && p.Line > 0 {
			return true
		}
	}
	return false
}

// verifyRuleCases are schema-valid (xmllint accepts them) but break a SEPA
// rule: we must report that rule and no schema problem.
func verifyRuleCases() []verifyCase {
	badRIB := ident.RIB{Bank: "30006", Branch: "00001", Account: "12345678901", Key: "88"}.IBAN()
	return []verifyCase{
		{name: "wrong_group_ctrlsum", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>360.50</CtrlSum>", "<CtrlSum>360.00</CtrlSum>")},
			want: "CtrlSum is 360.00 but the transactions of the file add up to 360.50", path: "/Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum"},
		{name: "group_ctrlsum_three_decimals", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>360.50</CtrlSum>", "<CtrlSum>360.501</CtrlSum>")},
			want: "CtrlSum 360.501 cannot be a sum of euro amounts"},
		{name: "wrong_group_nboftxs", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>")},
			want: "NbOfTxs is 4 but the file has 3 transactions"},
		{name: "wrong_payment_nboftxs", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>")},
			want: "NbOfTxs is 3 but this PmtInf has 2 transactions", path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/NbOfTxs"},
		{name: "wrong_payment_ctrlsum", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<CtrlSum>120.00</CtrlSum>", "<CtrlSum>12.00</CtrlSum>")},
			want: "CtrlSum is 12.00 but the transactions of this PmtInf add up to 120.00"},
		{name: "iban_check_digits", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("FR1420041010050500013M02606", "FR1520041010050500013M02606")},
			want: "bad check digits", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/DbtrAcct/Id/IBAN"},
		{name: "iban_rib_key", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("FR1420041010050500013M02606", badRIB)},
			want: "bad RIB key"},
		{name: "iban_lowercase", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("FR1420041010050500013M02606", "FR1420041010050500013m02606")},
			want: "invalid characters"},
		{name: "bic_unknown_country", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<BICFI>ABNANL2A</BICFI>", "<BICFI>ABNAQQ2A</BICFI>")},
			want: "unknown country code QQ"},
		{name: "ics_check_digits", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<Id>FR72ZZZ123456</Id>", "<Id>FR73ZZZ123456</Id>")},
			want: "creditor identifier FR73ZZZ123456: bad check digits", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/CdtrSchmeId/Id/PrvtId/Othr[1]/Id"},
		{name: "original_ics_check_digits", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("DE98ZZZ09999999999", "DE97ZZZ09999999999")},
			want: "creditor identifier DE97ZZZ09999999999: bad check digits"},
		{name: "ampersand_in_name", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>ACME Services</Nm>", "<Nm>ACME &amp; Fils</Nm>")},
			want: `character "&" (U+0026) is not in the EPC basic Latin set`, path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/UltmtCdtr/Nm"},
		{name: "accent_in_name", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("Hans Muller", "Hans Müller")},
			want: `character "ü" (U+00FC)`},
		{name: "tab_in_remittance", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("Facture 2026-000125", "Facture\t2026-000125")},
			want: "character U+0009"},
		{name: "adrline_only_after_cutover", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("            <PstCd>69001</PstCd>\n            <TwnNm>Lyon</TwnNm>\n            <Ctry>FR</Ctry>\n", "")},
			want: "Dbtr address has only AdrLine: collections from 2026-11-15 (this one 2026-12-01)", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/Dbtr/PstlAdr"},
		{name: "creditor_address_without_town", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<TwnNm>Paris</TwnNm>", "")},
			want: "Cdtr address has no TwnNm"},
		{name: "hybrid_with_three_adrlines", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<AdrLine>3 place des Terreaux</AdrLine>", "<AdrLine>a</AdrLine><AdrLine>b</AdrLine><AdrLine>c</AdrLine>")},
			want: "Dbtr address has 3 AdrLine"},
		{name: "duplicate_endtoendid", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<EndToEndId>INV-2026-000125</EndToEndId>", "<EndToEndId>INV-2026-000124</EndToEndId>")},
			want: `EndToEndId "INV-2026-000124" is already used at line 106`},
		{name: "duplicate_pmtinfid", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("0001-RCUR-CORE", "0001-FRST-CORE")},
			want: "PmtInfId \"ACME-SDD-20261201-0001-FRST-CORE\" is already used"},
		{name: "endtoendid_leading_slash", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("INV-2026-000123", "/INV-2026-000123")},
			want: "must not start or end with '/'"},
		{name: "amount_three_decimals", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">12.345</InstdAmt>")},
			want: "amount 12.345 has more than 2 decimals"},
		{name: "amount_zero", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">0.00</InstdAmt>")},
			want: "below the SEPA minimum 0.01"},
		{name: "amount_above_maximum", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(">40.50</InstdAmt>", ">1000000000.00</InstdAmt>")},
			want: "above the SEPA maximum 999999999.99"},
		{name: "currency_usd", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(`<InstdAmt Ccy="EUR">200.00`, `<InstdAmt Ccy="USD">200.00`)},
			want: "currency USD: SEPA direct debits are in EUR"},
		{name: "seqtp_rpre", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<SeqTp>RCUR</SeqTp>", "<SeqTp>RPRE</SeqTp>")},
			want: "sequence type RPRE"},
		{name: "two_frst_one_mandate", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<SeqTp>RCUR</SeqTp>", "<SeqTp>FRST</SeqTp>"),
			initiationtest.Replace("<MndtId>RUM-2024-0042</MndtId>", "<MndtId>RUM-2026-0001</MndtId>")},
			want: `mandate "RUM-2026-0001" already has a FRST collection at line 41`, path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[1]"},
		{name: "rcur_not_after_frst", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MndtId>RUM-2024-0042</MndtId>", "<MndtId>RUM-2026-0001</MndtId>")},
			want: `mandate "RUM-2026-0001": RCUR collection on 2026-12-01, not after its first collection (FRST at line 41) on 2026-12-01`},
		{name: "cor1", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<Cd>CORE</Cd>", "<Cd>COR1</Cd>")},
			want: "COR1 is obsolete"},
		{name: "core_and_b2b_mixed", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<LclInstrm><Cd>CORE</Cd></LclInstrm>\n        <SeqTp>RCUR</SeqTp>", "<LclInstrm><Cd>B2B</Cd></LclInstrm>\n        <SeqTp>RCUR</SeqTp>")},
			want: "the file mixes CORE (line 21) and B2B"},
		{name: "proprietary_instrument", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<LclInstrm><Cd>CORE</Cd></LclInstrm>", "<LclInstrm><Prtry>CORE</Prtry></LclInstrm>")},
			want: "proprietary local instrument"},
		{name: "service_level_not_sepa", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SvcLvl><Cd>SEPA</Cd></SvcLvl>", "<SvcLvl><Cd>NURG</Cd></SvcLvl>")},
			want: `service level Cd "NURG"`},
		{name: "no_sequence_type", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<SeqTp>RCUR</SeqTp>\n", "")},
			want: "no sequence type"},
		{name: "no_payment_type", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<PmtTpInf>.*?</PmtTpInf>`, "")},
			want: "no local instrument"},
		{name: "no_creditor_identifier", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<CdtrSchmeId>.*?</CdtrSchmeId>`, "")},
			want: "no creditor identifier"},
		{name: "no_mandate_id", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<MndtId>RUM-2023-0007</MndtId>", "")},
			want: "no mandate reference"},
		{name: "mandate_id_with_double_slash", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("RUM-2023-0007", "RUM//2023")},
			want: "no '//'"},
		{name: "mandate_signed_after_collection", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<DtOfSgntr>2023-01-10</DtOfSgntr>", "<DtOfSgntr>2026-12-02</DtOfSgntr>")},
			want: "mandate signature date (DtOfSgntr) 2026-12-02: in the future (file created 2026-11-27)"},
		// What remit's writer refuses, verify reports (issue 15, item 15).
		{name: "mandate_signed_after_creation", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<DtOfSgntr>2023-01-10</DtOfSgntr>", "<DtOfSgntr>2026-11-30</DtOfSgntr>")},
			want: "mandate signature date (DtOfSgntr) 2026-11-30: in the future (file created 2026-11-27)", path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[2]"},
		{name: "ch_debtor_without_address", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("DE89370400440532013000", "CH9300762011623852957")},
			want: "the debtor has no address: with a bank in a SEPA country outside the EEA (debtor IBAN CH…, creditor IBAN FR…)", path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[2]"},
		{name: "mc_debtor_without_address", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("DE89370400440532013000", "MC5811222000010123456789030")},
			want: "the debtor has no address: with a bank in a SEPA country outside the EEA (debtor IBAN MC…"},
		{name: "ch_creditor_debtor_without_address", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("FR7630006000011234567890189", "CH9300762011623852957")},
			want: "(debtor IBAN DE…, creditor IBAN CH…)"},
		{name: "collection_on_saturday", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<ReqdColltnDt>2026-12-01</ReqdColltnDt>", "<ReqdColltnDt>2026-12-05</ReqdColltnDt>")},
			want: "collection date 2026-12-05: not a TARGET2 business day (next: 2026-12-07)", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/ReqdColltnDt"},
		{name: "collection_on_christmas", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<ReqdColltnDt>2026-12-01</ReqdColltnDt>", "<ReqdColltnDt>2026-12-25</ReqdColltnDt>")},
			want: "collection date 2026-12-25: not a TARGET2 business day (next: 2026-12-28)"},
		{name: "collection_on_good_friday", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<ReqdColltnDt>2026-12-01</ReqdColltnDt>", "<ReqdColltnDt>2027-03-26</ReqdColltnDt>")},
			want: "collection date 2027-03-26: not a TARGET2 business day (next: 2027-03-30)"},
		{name: "collection_before_creation", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<CreDtTm>2026-11-27T10:15:00</CreDtTm>", "<CreDtTm>2026-12-03T10:15:00</CreDtTm>")},
			want: "collection date 2026-12-01: must be after the creation date 2026-12-03"},
		{name: "collection_on_creation_day", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<CreDtTm>2026-11-27T10:15:00</CreDtTm>", "<CreDtTm>2026-12-01T08:00:00</CreDtTm>")},
			want: "collection date 2026-12-01: must be after the creation date 2026-12-01"},
		{name: "debtor_name_71_chars", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Nm>Hans Muller</Nm>", "<Nm>"+verifyLongText(71)+"</Nm>")},
			want: "name of 71 characters: the EPC allows 70 for Dbtr/Nm", path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[2]/Dbtr/Nm"},
		{name: "creditor_name_71_chars", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(<Cdtr>\s*)<Nm>ACME SAS</Nm>`, "${1}<Nm>"+verifyLongText(71)+"</Nm>")},
			want: "name of 71 characters: the EPC allows 70 for Cdtr/Nm", path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/Cdtr/Nm"},
		{name: "amendment_empty", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>", "")},
			want: "AmdmntInd is true but the mandate amendment (AmdmntInfDtls) is empty: set what changed", path: "/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[1]"},
		{name: "scheme_name_not_sepa", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<Prtry>SEPA</Prtry>", "<Prtry>CORE</Prtry>")},
			want: `creditor identifier scheme Prtry "CORE": a SEPA creditor identifier has SchmeNm/Prtry SEPA`, path: "/Document/CstmrDrctDbtInitn/PmtInf[1]/CdtrSchmeId/Id/PrvtId/Othr[1]/SchmeNm/Prtry"},
		{name: "scheme_name_code", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></OrgnlCdtrSchmeId>", "<SchmeNm><Cd>SEPA</Cd></SchmeNm></Othr></PrvtId></Id></OrgnlCdtrSchmeId>")},
			want: `creditor identifier scheme Cd "SEPA"`},
		{name: "scheme_name_missing", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<SchmeNm><Prtry>SEPA</Prtry></SchmeNm>", "")},
			want: "creditor identifier without SchmeNm/Prtry SEPA"},
		{name: "initiating_party_empty", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<InitgPty>.*?</InitgPty>`, "<InitgPty></InitgPty>")},
			want: "the initiating party is empty: InitgPty needs a name (Nm) or an identification (Id)", path: "/Document/CstmrDrctDbtInitn/GrpHdr/InitgPty"},
		{name: "amendment_without_details", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceRe(`(?s)<AmdmntInfDtls>\s*<OrgnlDbtrAcct>.*?</AmdmntInfDtls>`, "")},
			want: "AmdmntInd is true but AmdmntInfDtls is missing"},
		{name: "smnda_in_original_agent", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>", "<OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt>")},
			want: "SMNDA in OrgnlDbtrAgt is the pre-2016 usage"},
		{name: "ustrd_and_strd", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<RmtInf>\n          <Strd>", "<RmtInf><Ustrd>x</Ustrd>\n          <Strd>")},
			want: "both Ustrd and Strd"},
		{name: "two_ustrd", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<Ustrd>Facture 2026-000125</Ustrd>", "<Ustrd>a</Ustrd><Ustrd>b</Ustrd>")},
			want: "RmtInf has 2 Ustrd"},
		{name: "charge_bearer_debt", base: "v08", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>DEBT</ChrgBr>")},
			want: "charge bearer DEBT"},
		{name: "debtor_without_name", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace("<Dbtr><Nm>Hans Muller</Nm></Dbtr>", "<Dbtr><CtryOfRes>DE</CtryOfRes></Dbtr>")},
			want: "the debtor has no name"},
		{name: "creditor_without_name", base: "v02", edits: []initiationtest.Edit{initiationtest.ReplaceFirst("<Nm>ACME SAS</Nm>\n        <PstlAdr>", "<PstlAdr>")},
			want: "the creditor has no name"},
		{name: "latin1_encoding", base: "v08", edits: []initiationtest.Edit{initiationtest.Replace(`encoding="UTF-8"`, `encoding="ISO-8859-1"`)},
			want: "encoding ISO-8859-1: SEPA files must be UTF-8"},
		{name: "doctype", base: "v02", edits: []initiationtest.Edit{initiationtest.Replace("<Document ", "<!DOCTYPE Document>\n<Document ")},
			want: "DOCTYPE"},
	}
}

func TestVerifyRuleProblems(t *testing.T) {
	cases := verifyRuleCases()
	files, bySchema := verifyTestWrite(t, t.TempDir(), cases)
	lint, out := verifyTestLint(t, bySchema)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := verifyTestFile(t, files[c.name])
			if !verifyHas(r, ProblemRule, c.want, c.path) {
				t.Errorf("no rule problem %q (path %q); got:%s", c.want, c.path, initiationtest.Problems(&r.Report))
			}
			if n := r.Count(ProblemSchema); n > 0 {
				t.Errorf("%d schema problems:%s", n, initiationtest.Problems(&r.Report))
			}
			if !lint[files[c.name]] {
				t.Errorf("xmllint rejects the file but we see no schema problem:\n%s", out[files[c.name]])
			}
		})
	}
}

// TestVerifyProblemPosition checks the exact line and path of the classic
// sepa.js bug, as the CLI prints it.
func TestVerifyProblemPosition(t *testing.T) {
	s, _ := verifyTestBase(t, "v08")
	s = initiationtest.Replace("        <Purp><Cd>OTHR</Cd></Purp>\n", "").Apply(t, s)
	s = initiationtest.ReplaceFirst("        </RmtInf>\n      </DrctDbtTxInf>", "        </RmtInf>\n        <Purp><Cd>OTHR</Cd></Purp>\n      </DrctDbtTxInf>").Apply(t, s)
	r, err := Verify(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(s[:strings.Index(s, "<Purp>")], "\n")
	want := fmt.Sprintf("line %d, /Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/Purp: element not expected here (after RmtInf)", line)
	if len(r.Problems) != 1 || r.Problems[0].String() != want || r.Problems[0].Kind != ProblemSchema {
		t.Errorf("problems:%s\nwant exactly: %s", initiationtest.Problems(&r.Report), want)
	}
}

// TestVerifyCollectionNotAfterToday: a file whose collection date has come
// can no longer be sent; verify says so when given today's date.
func TestVerifyCollectionNotAfterToday(t *testing.T) {
	s, _ := verifyTestBase(t, "v08") // created 2026-11-27, collections on 2026-12-01
	for _, c := range []struct {
		today time.Time
		want  string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), ""},
		{time.Date(2026, 12, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "collection date 2026-12-01: not after today (2026-12-01)"},
		{time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), "collection date 2026-12-01: not after today (2026-12-02): the bank needs the file before the collection date"},
	} {
		r, err := VerifyWith(strings.NewReader(s), VerifyOptions{Today: c.today})
		if err != nil {
			t.Fatal(err)
		}
		if c.want == "" {
			if !r.OK() {
				t.Errorf("today %s: problems:%s", c.today, initiationtest.Problems(&r.Report))
			}
			continue
		}
		if !verifyHas(r, ProblemRule, c.want, "/Document/CstmrDrctDbtInitn/PmtInf[1]/ReqdColltnDt") ||
			!verifyHas(r, ProblemRule, c.want, "/Document/CstmrDrctDbtInitn/PmtInf[2]/ReqdColltnDt") || len(r.Problems) != 2 {
			t.Errorf("today %s: want %q on both blocks; got:%s", c.today, c.want, initiationtest.Problems(&r.Report))
		}
	}
}

// TestVerifyByteOrderMark: a UTF-8 BOM before the XML declaration is
// allowed by XML; the file is sound, with a warning (issue 15, item 16).
func TestVerifyByteOrderMark(t *testing.T) {
	for _, base := range []string{"v08", "v02"} {
		s, _ := verifyTestBase(t, base)
		r, err := Verify(strings.NewReader("\ufeff" + s))
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() || r.Transactions != 3 || r.Total != 36050 {
			t.Errorf("%s with a BOM: %d tx, problems:%s", base, r.Transactions, initiationtest.Problems(&r.Report))
		}
		if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].String(), "line 1, the file starts with a UTF-8 byte order mark (BOM)") {
			t.Errorf("%s with a BOM: warnings %v", base, r.Warnings)
		}
		// The line numbers are the file's.
		bad := strings.Replace(s, "<CtrlSum>360.50</CtrlSum>", "<CtrlSum>360.51</CtrlSum>", 1)
		r, _ = Verify(strings.NewReader("\ufeff" + bad))
		line := 1 + strings.Count(bad[:strings.Index(bad, "360.51")], "\n")
		if len(r.Problems) != 1 || r.Problems[0].Line != line {
			t.Errorf("%s with a BOM: problems:%s; want one at line %d", base, initiationtest.Problems(&r.Report), line)
		}
	}
	// Without one, no warning; a BOM in the middle is still text outside Document.
	s, _ := verifyTestBase(t, "v08")
	if r, _ := Verify(strings.NewReader(s)); len(r.Warnings) != 0 {
		t.Errorf("warnings without a BOM: %v", r.Warnings)
	}
	if r, _ := Verify(strings.NewReader(s + "\ufeff")); r.OK() {
		t.Error("a BOM after the Document element is accepted")
	}
}

func TestVerifyReadError(t *testing.T) {
	s, _ := verifyTestBase(t, "v08")
	boom := errors.New("disk on fire")
	r, err := Verify(io.MultiReader(strings.NewReader(s[:500]), initiationtest.ErrReader{Err: boom}))
	if !errors.Is(err, boom) || r == nil {
		t.Fatalf("err = %v, report %v; want the read error and the partial report", err, r)
	}
}

func TestVerifyProblemCap(t *testing.T) {
	var b bytes.Buffer
	verifyGenerate(&b, V08, 1500, func(i int) string { return "Caf\u00e9" }) // one charset problem per debtor name
	r, err := Verify(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != VerifyMaxProblems || r.Omitted != 500 || r.OK() || r.Count(ProblemRule) != 1500 {
		t.Errorf("listed %d, omitted %d, counted %d", len(r.Problems), r.Omitted, r.Count(ProblemRule))
	}
	if r.Transactions != 1500 {
		t.Errorf("transactions = %d after the cap, want 1500", r.Transactions)
	}
}

func TestVerifyGenerated(t *testing.T) {
	for _, v := range []Version{V02, V08} {
		var b bytes.Buffer
		verifyGenerate(&b, v, 2000, nil)
		size := b.Len()
		r, err := Verify(&b)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() || r.Transactions != 2000 || r.Total != verifyGeneratedTotal(2000) {
			t.Errorf("%s: %d tx, %d cents, problems:%s", v, r.Transactions, r.Total, initiationtest.Problems(&r.Report))
		}
		if v == V08 {
			path := filepath.Join(t.TempDir(), "generated.xml")
			var b2 bytes.Buffer
			verifyGenerate(&b2, v, 50, nil)
			os.WriteFile(path, b2.Bytes(), 0o644)
			if ok, out := schematest.XMLLint(t, v.XSD(), path); !ok[path] {
				t.Errorf("xmllint rejects the generated file: %s", out)
			}
		}
		_ = size
	}
}

// verifyGenerate writes a valid pain.008 with n transactions, for tests and
// benchmarks; debtorName, when set, names the debtor of transaction i.
func verifyGenerate(w io.Writer, v Version, n int, debtorName func(i int) string) {
	bic := "BIC"
	if v == V08 {
		bic = "BICFI"
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="%s">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>GEN-%d</MsgId>
      <CreDtTm>2026-12-01T10:00:00</CreDtTm>
      <NbOfTxs>%d</NbOfTxs>
      <CtrlSum>%s</CtrlSum>
      <InitgPty><Nm>ACME SAS</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>GEN-%d-RCUR</PmtInfId>
      <PmtMtd>DD</PmtMtd>
      <NbOfTxs>%d</NbOfTxs>
      <CtrlSum>%s</CtrlSum>
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf>
      <ReqdColltnDt>2026-12-15</ReqdColltnDt>
      <Cdtr><Nm>ACME SAS</Nm><PstlAdr><StrtNm>Rue de la Paix</StrtNm><BldgNb>12</BldgNb><PstCd>75002</PstCd><TwnNm>Paris</TwnNm><Ctry>FR</Ctry></PstlAdr></Cdtr>
      <CdtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></CdtrAcct>
      <CdtrAgt><FinInstnId><%s>AGRIFRPPXXX</%s></FinInstnId></CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId><Id><PrvtId><Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>
`, v.Namespace(), n, n, sepa.FormatAmount(verifyGeneratedTotal(n)), n, n, sepa.FormatAmount(verifyGeneratedTotal(n)), bic, bic)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("Client numero %d", i)
		if debtorName != nil {
			name = debtorName(i)
		}
		fmt.Fprintf(w, `      <DrctDbtTxInf>
        <PmtId><InstrId>GEN-I-%d</InstrId><EndToEndId>GEN-E2E-%08d</EndToEndId></PmtId>
        <InstdAmt Ccy="EUR">%s</InstdAmt>
        <DrctDbtTx><MndtRltdInf><MndtId>RUM-%08d</MndtId><DtOfSgntr>2025-01-15</DtOfSgntr></MndtRltdInf></DrctDbtTx>
        <DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>
        <Dbtr><Nm>%s</Nm><PstlAdr><StrtNm>Rue de la Republique</StrtNm><BldgNb>%d</BldgNb><PstCd>69002</PstCd><TwnNm>Lyon</TwnNm><Ctry>FR</Ctry></PstlAdr></Dbtr>
        <DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct>
        <RmtInf><Ustrd>Facture F2026-%08d abonnement decembre</Ustrd></RmtInf>
      </DrctDbtTxInf>
`, i, i, sepa.FormatAmount(verifyGeneratedAmount(i)), i, name, i%200+1, i)
	}
	fmt.Fprint(w, "    </PmtInf>\n  </CstmrDrctDbtInitn>\n</Document>\n")
}

func verifyGeneratedAmount(i int) int64 { return int64(100 + i%100000) }

func verifyGeneratedTotal(n int) int64 {
	var t int64
	for i := 0; i < n; i++ {
		t += verifyGeneratedAmount(i)
	}
	return t
}

// BenchmarkVerify measures throughput on a 20 000-transaction file
// (about 14 MB): go test ./sepa/ -run '^$' -bench Verify -benchmem
func BenchmarkVerify(b *testing.B) {
	var buf bytes.Buffer
	verifyGenerate(&buf, V08, 20000, nil)
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

// TestVerifyWriterGolden runs the validator on the writer's golden files:
// what remit writes, remit verify must accept.
func TestVerifyWriterGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/writer/*.xml")
	if len(files) == 0 {
		t.Skip("no writer golden files yet")
	}
	for _, f := range files {
		r := verifyTestFile(t, f)
		if !r.OK() || r.Transactions == 0 {
			t.Errorf("%s: %d transactions, problems:%s", f, r.Transactions, initiationtest.Problems(&r.Report))
		}
	}
}
