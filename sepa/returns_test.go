package sepa

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/internal/schema"
	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// returnsRender prints a ReturnFile one line per item, for exact comparison
// (times in RFC 3339, so that equal instants in different zones differ).
func returnsRender(f *ReturnFile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s msg=%s created=%s orig=%s/%s grp=%s\n", f.Kind, f.Version, f.MsgID, returnsTime(f.CreatedAt), f.OriginalMsgID, f.OriginalMsgName, f.GroupStatus)
	for _, it := range f.Items {
		level := "tx"
		switch {
		case it.GroupLevel && it.PaymentLevel:
			level = "group+payment?!"
		case it.GroupLevel:
			level = "group"
		case it.PaymentLevel:
			level = "payment"
		case it.Credit:
			level = "credit"
		}
		fmt.Fprintf(&b, "line %d %s msg=%s pmt=%s e2e=%s mndt=%s amt=%d%s reason=%s info=%q date=%s\n",
			it.Line, level, it.OriginalMsgID, it.OriginalPmtInfID, it.EndToEndID, it.MandateID, it.Amount, it.Currency, it.Reason, it.AdditionalInfo, returnsTime(it.Date))
	}
	return b.String()
}

func returnsTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339Nano)
}

func TestReadReturns(t *testing.T) {
	examples := filepath.Join(testtool.RepoRoot(), "..", "shared", "reference", "examples", "sepa")
	tests := []struct {
		name, file, want string
	}{
		{"shared pain.002.001.03 transaction reject", filepath.Join(examples, "pain.002.001.03.reject.example.xml"), `
pain.002 pain.002.001.03 msg=BANK-STS-20261128-0001 created=2026-11-28T08:00:00Z orig=ACME-SDD-20261201-0001/pain.008.001.08 grp=
line 17 tx msg=ACME-SDD-20261201-0001 pmt=ACME-SDD-20261201-0001-RCUR-CORE e2e=INV-2026-000125 mndt=RUM-2023-0007 amt=4050EUR reason=AC04 info="" date=2026-11-28T08:00:00Z
`},
		{"shared camt.054.001.02 return", filepath.Join(examples, "camt.054.001.02.return.example.xml"), `
camt.054 camt.054.001.02 msg=BANK-C54-20261205-0001 created=2026-12-05T07:00:00Z orig=/ grp=
line 20 tx msg= pmt= e2e=INV-2026-000124 mndt=RUM-2024-0042 amt=20000EUR reason=MD06 info="" date=2026-12-05T00:00:00Z
`},
		{"group-level reject", "testdata/returns/pain.002.001.03.group-reject.xml", `
pain.002 pain.002.001.03 msg=BANK-STS-20261128-0002 created=2026-11-28T09:12:00+01:00 orig=ACME-SDD-20261201-0002/pain.008.001.02 grp=RJCT
line 15 group msg=ACME-SDD-20261201-0002 pmt= e2e= mndt= amt=0 reason=FF01 info="" date=2026-11-28T09:12:00+01:00
`},
		{"payment-level reject", "testdata/returns/pain.002.001.03.payment-reject.xml", `
pain.002 pain.002.001.03 msg=BANK-STS-20261128-0003 created=2026-11-28T10:00:00Z orig=ACME-SDD-20261201-0003/pain.008.001.08 grp=
line 17 payment msg=ACME-SDD-20261201-0003 pmt=ACME-SDD-20261201-0003-FRST-CORE e2e= mndt= amt=0 reason=BE05 info="" date=2026-11-28T10:00:00Z
line 22 tx msg=ACME-SDD-20261201-0003 pmt=ACME-SDD-20261201-0003-RCUR-CORE e2e=INV-2026-000042 mndt=RUM-2025-0042 amt=7500EUR reason=MD01 info="" date=2026-11-28T10:00:00Z
`},
		{"several transactions, one without EndToEndId", "testdata/returns/pain.002.001.03.several-tx.xml", `
pain.002 pain.002.001.03 msg=BANK-STS-20261129-0001 created=2026-11-29T07:30:00.123Z orig=ACME-SDD-20261201-0004/pain.008.001.08 grp=
line 17 tx msg=ACME-SDD-20261201-0004 pmt=ACME-SDD-20261201-0004-RCUR-CORE e2e=INV-2026-000101 mndt=RUM-101 amt=1000EUR reason=AC04 info="" date=2026-11-29T07:30:00.123Z
line 23 tx msg=ACME-SDD-20261201-0004 pmt=ACME-SDD-20261201-0004-RCUR-CORE e2e= mndt= amt=123450EUR reason=AM04 info="" date=2026-11-29T07:30:00.123Z
line 32 tx msg=ACME-SDD-20261201-0004 pmt=ACME-SDD-20261201-0004-FRST-CORE e2e=INV-2026-000103 mndt= amt=0 reason=MD07 info="" date=2026-11-29T07:30:00.123Z
`},
		{"pain.002.001.10 partly accepted", "testdata/returns/pain.002.001.10.mixed.xml", `
pain.002 pain.002.001.10 msg=DK-STS-20270105-7 created=2027-01-05T06:45:10Z orig=ACME-SDD-20270107-0001/pain.008.001.08 grp=PART
line 31 tx msg=ACME-SDD-20270107-0001 pmt=ACME-SDD-20270107-0001-RCUR e2e=INV-2027-000002 mndt=RUM-2026-0777 amt=9990EUR reason=BLOCKED-CREDITOR info="Creditor blocked by the debtor / contact the debtor" date=2027-01-05T06:45:10Z
line 60 payment msg=ACME-SDD-20270107-0001 pmt=ACME-SDD-20270107-0001-FRST e2e= mndt= amt=0 reason=CNOR info="Unknown creditor agent" date=2027-01-05T06:45:10Z
`},
		{"pain.002.001.10 all accepted", "testdata/returns/pain.002.001.10.accepted.xml", `
pain.002 pain.002.001.10 msg=DK-STS-20270105-8 created=2027-01-05T07:00:00Z orig=ACME-SDD-20270107-0002/pain.008.001.08 grp=ACCP
`},
		{"camt.054.001.08 several entries", "testdata/returns/camt.054.001.08.returns.xml", `
camt.054 camt.054.001.08 msg=C54-20270110-1 created=2027-01-10T05:00:00+01:00 orig=/ grp=
line 24 tx msg=ACME-SDD-20270107-0001 pmt=ACME-SDD-20270107-0001-RCUR e2e=INV-2027-000001 mndt=RUM-2026-0001 amt=9990EUR reason=AM04 info="" date=2027-01-09T16:30:00Z
line 51 tx msg= pmt= e2e=INV-2027-000020 mndt=RUM-2026-0020 amt=30000EUR reason=MD06 info="" date=2027-01-09T00:00:00Z
line 59 tx msg= pmt= e2e= mndt=RUM-2026-0021 amt=5000EUR reason=DISPUTE info="Debtor disputes" date=2027-01-09T00:00:00Z
line 79 credit msg= pmt= e2e=PAYOUT-1 mndt= amt=1000EUR reason=AC04 info="" date=-
`},
		{"camt.054.001.02 two notifications", "testdata/returns/camt.054.001.02.several.xml", `
camt.054 camt.054.001.02 msg=BANK-C54-20261207-0001 created=2026-12-07T07:00:00Z orig=/ grp=
line 22 tx msg=ACME-SDD-20261201-0001 pmt=ACME-SDD-20261201-0001-FRST-CORE e2e=INV-2026-000123 mndt=RUM-2026-0001 amt=12000EUR reason=AC01 info="IBAN inconnu" date=2026-12-06T00:00:00Z
line 53 tx msg= pmt= e2e=INV-2026-000124 mndt=RUM-2024-0042 amt=20000EUR reason=MS02 info="" date=2026-12-07T00:00:00Z
line 58 tx msg= pmt= e2e=INV-2026-000125 mndt=RUM-2023-0007 amt=4050EUR reason=Refus info="Opposition / du debiteur" date=2026-12-07T00:00:00Z
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if errors.Is(err, os.ErrNotExist) && !strings.HasPrefix(tt.file, "testdata") {
				testtool.SharedDir(t) // skips, or fails under CI=true, when ../shared is missing
				t.Fatalf("shared example %s not found", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			f, err := ReadReturns(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := returnsRender(f), strings.TrimPrefix(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestReturnsFixturesValidate checks the fixtures written for versions we
// have a schema for (pain.002.001.03 is the stricter DK variant).
func TestReturnsFixturesValidate(t *testing.T) {
	for xsd, pattern := range map[string]string{
		"pain.002.001.03.xsd": "testdata/returns/pain.002.001.03.*.xml",
		"camt.054.001.02.xsd": "testdata/returns/camt.054.001.02.*.xml",
	} {
		files, _ := filepath.Glob(pattern)
		if len(files) == 0 {
			t.Fatalf("no fixture %s", pattern)
		}
		ok, out := schematest.XMLLint(t, xsd, files...)
		for _, f := range files {
			if !ok[f] {
				t.Errorf("%s does not validate against %s:\n%s", f, xsd, out)
			}
		}
	}
}

func TestReadReturnsErrors(t *testing.T) {
	const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>M</MsgId><CreDtTm>%s</CreDtTm></GrpHdr>
    <Ntfctn><Id>N</Id><CreDtTm>2026-12-07T07:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
      <Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>%s</Dt></BookgDt></Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`
	malformed, err := os.ReadFile("testdata/returns/malformed.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input string
		want  error
		line  int
		msg   string
	}{
		{"malformed file", string(malformed), ErrReturnsMalformed, 7, "element <GrpHdr> closed by </GrpHeader>"},
		{"not XML", "hello", ErrReturnsMalformed, 1, "no XML element"},
		{"empty", "", ErrReturnsMalformed, 1, "no XML element"},
		{"truncated", fmt.Sprintf(camt, "2026-12-07T07:00:00", "1.00", "2026-12-07")[:300], ErrReturnsMalformed, 5, "unexpected EOF"},
		{"pain.008 given to the returns reader", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn/></Document>`,
			ErrReturnsUnsupported, 1, "check it with remit verify"},
		{"camt.053 statement", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>`, ErrReturnsUnsupported, 1, "camt.053.001.02"},
		{"no namespace", `<Document><CstmrPmtStsRpt/></Document>`, ErrReturnsUnsupported, 1, "without namespace"},
		{"wrong message in a pain.002 namespace", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
<BkToCstmrDbtCdtNtfctn/></Document>`, ErrReturnsUnsupported, 2, "CstmrPmtStsRpt is expected"},
		{"bad amount", fmt.Sprintf(camt, "2026-12-07T07:00:00", "12,50", "2026-12-07"), ErrReturnsValue, 6, `amount "12,50" is not a decimal number`},
		{"three decimals", fmt.Sprintf(camt, "2026-12-07T07:00:00", "12.505", "2026-12-07"), ErrReturnsValue, 6, "at most 2 decimals"},
		{"bad date", fmt.Sprintf(camt, "2026-12-07T07:00:00", "12.50", "2026-02-30"), ErrReturnsValue, 6, `date "2026-02-30"`},
		{"bad creation time", fmt.Sprintf(camt, "yesterday", "12.50", "2026-12-07"), ErrReturnsValue, 4, `date and time "yesterday"`},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><Document/>`, ErrReturnsMalformed, 1, "EBCDIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadReturns(strings.NewReader(tt.input))
			var re *ReturnsError
			if f != nil || !errors.Is(err, tt.want) || !errors.As(err, &re) || re.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, %v; want %v at line %d mentioning %q", f, err, tt.want, tt.line, tt.msg)
			}
		})
	}
}

func TestReadReturnsErrorNamesElement(t *testing.T) {
	in := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2027-01-05T07:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><TxInfAndSts><TxSts>RJCT</TxSts>
<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">abc</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts></OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`
	_, err := ReadReturns(strings.NewReader(in))
	want := `sepa: returns: line 5, /Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts/OrgnlTxRef/Amt/InstdAmt: invalid value: amount "abc" is not a decimal number`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestReadReturnsReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := ReadReturns(io.MultiReader(strings.NewReader(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>`), iotest.ErrReader(boom)))
	var re *ReturnsError
	if !errors.Is(err, boom) || errors.As(err, &re) {
		t.Errorf("err = %v; want the read error, not a position error", err)
	}
}

func TestReadReturnsLatin1(t *testing.T) {
	in := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"><CstmrPmtStsRpt>" +
		"<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-28T08:00:00</CreDtTm></GrpHdr>" +
		"<OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>" +
		"<StsRsnInf><Rsn><Prtry>REJET</Prtry></Rsn><AddtlInf>Fichier refus\xe9</AddtlInf></StsRsnInf></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"
	f, err := ReadReturns(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 1 || f.Items[0].AdditionalInfo != "Fichier refusé" || !f.Items[0].GroupLevel {
		t.Errorf("items = %+v", f.Items)
	}
}

func TestReasonLabel(t *testing.T) {
	tests := map[string]string{
		"AC04":  "Compte clôturé (account closed)",
		" md06": "Remboursement demandé par le débiteur (refund requested by the debtor)",
		"AM04":  "Provision insuffisante (insufficient funds)",
		"XX99":  "",
		"":      "",
	}
	for code, want := range tests {
		if got := ReasonLabel(code); got != want {
			t.Errorf("ReasonLabel(%q) = %q, want %q", code, got, want)
		}
	}
	for _, code := range []string{"AC01", "AC04", "AC06", "AC13", "AG01", "AG02", "AM04", "AM05", "BE05", "CNOR", "DNOR", "FF01",
		"MD01", "MD02", "MD06", "MD07", "MS02", "MS03", "RC01", "RR01", "RR02", "RR03", "RR04", "SL01", "FOCR", "DUPL", "TECH", "FRAD"} {
		r, ok := LookupReason(code)
		if !ok || r.Code != code || r.French == "" || r.English == "" {
			t.Errorf("LookupReason(%s) = %+v, %v", code, r, ok)
		}
	}
}

// FuzzReadReturns: never panics; an error is always located (or a read
// error, impossible here); items always come from a line of the file.
func FuzzReadReturns(f *testing.F) {
	schematest.Seeds(f, "testdata/returns", filepath.Join(testtool.RepoRoot(), "..", "shared", "reference", "examples", "sepa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := ReadReturns(bytes.NewReader(data))
		if err != nil {
			var re *ReturnsError
			if rf != nil || !errors.As(err, &re) || re.Line < 1 {
				t.Fatalf("file %v, error %v", rf, err)
			}
			return
		}
		if rf.Kind != "pain.002" && rf.Kind != "camt.054" {
			t.Fatalf("kind %q", rf.Kind)
		}
		lines := 1 + bytes.Count(data, []byte("\n"))
		for _, it := range rf.Items {
			if it.Line < 1 || it.Line > lines || it.Amount < 0 || (it.GroupLevel && it.PaymentLevel) {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

// returnsComponentNames lists the elements of the ISO 20022 components a
// return quotes from the original collection (parties, accounts, agents,
// identifications, amounts, remittance information), 2009 and 2019.
func returnsComponentNames() []string {
	var names []string
	for _, y2019 := range []bool{false, true} {
		c := schema.NewComponents(y2019)
		for _, t := range []*schema.Type{c.Party, c.CashAccount, c.Agent, c.PaymentID, c.Remittance, c.PostalAddress} {
			names = append(names, t.ElementNames()...)
		}
	}
	return names
}

// TestReadReturnsMutations feeds structurally mutated fixtures (elements
// deleted, duplicated, moved, renamed, odd values) to the reader: it must
// either fail with a located error or return items that point into the file.
func TestReadReturnsMutations(t *testing.T) {
	files, _ := filepath.Glob("testdata/returns/*.xml")
	vocabulary := append(returnsComponentNames(), "Foo", "GrpSts", "PmtInfSts", "TxSts", "TxInfAndSts", "OrgnlPmtInfAndSts", "OrgnlGrpInfAndSts",
		"StsRsnInf", "OrgnlEndToEndId", "OrgnlTxRef", "Ntry", "NtryDtls", "TxDtls", "Refs", "RtrInf", "BookgDt", "AmtDtls", "TxAmt", "RJCT", "DBIT")
	rng := rand.New(rand.NewPCG(7, 2026))
	n := 0
	for _, file := range files {
		data, _ := os.ReadFile(file)
		if bytes.Contains(data, []byte("</GrpHeader>")) {
			continue // the malformed fixture
		}
		for i := 0; i < 60; i++ {
			root := schematest.Parse(t, string(data))
			ops := schematest.Mutate(rng, root, vocabulary)
			rf, err := ReadReturns(strings.NewReader(root.String()))
			n++
			if err != nil {
				var re *ReturnsError
				if !errors.As(err, &re) || re.Line < 1 {
					t.Errorf("%s, %s: unlocated error %v", file, ops, err)
				}
				continue
			}
			for _, it := range rf.Items {
				if it.Line < 1 || (it.GroupLevel && it.PaymentLevel) {
					t.Errorf("%s, %s: bad item %+v", file, ops, it)
				}
			}
		}
	}
	t.Logf("%d mutants read", n)
}
