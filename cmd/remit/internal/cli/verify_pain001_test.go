package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/testtool"
)

// pain001Golden copies a golden file of package sepa/pain001 into the test
// folder.
func (c *cliEnv) pain001Golden(name string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(testtool.RepoRoot(), "sepa", "pain001", "testdata", "writer", name))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.file(name, string(b))
}

// TestVerifyPain001: verify tells a credit transfer file by its namespace
// and checks it as one, in both versions, with the official schema too.
func TestVerifyPain001(t *testing.T) {
	c := newCLI(t)
	v09, v03 := c.pain001Golden("suppliers_09.xml"), c.pain001Golden("suppliers_03.xml")
	got := c.must("verify", v09, v03)
	want := v09 + ": pain.001.001.09, 7 transactions, total 1 000 017 019,57 €: sound\n" +
		v03 + ": pain.001.001.03, 7 transactions, total 1 000 017 019,57 €: sound\n" +
		"2 of 2 files sound\n"
	if got != want {
		t.Errorf("verify:\n%s\nwant:\n%s", got, want)
	}

	// A broken copy: a wrong control sum, a Turkish IBAN, NOTPROVIDED in .09.
	b, _ := os.ReadFile(v09)
	s := strings.Replace(string(b), "<CtrlSum>3797.90</CtrlSum>", "<CtrlSum>3797.09</CtrlSum>", 1)
	s = strings.Replace(s, "<IBAN>DE89370400440532013000</IBAN>", "<IBAN>TR330006100519786457841326</IBAN>", 1)
	s = strings.Replace(s, "<DbtrAgt><FinInstnId/></DbtrAgt>", "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>", 1)
	bad := c.file("bad.xml", s)
	out, _, code := c.run("", "verify", bad)
	want = bad + ": line 19, /Document/CstmrCdtTrfInitn/PmtInf[1]/CtrlSum: CtrlSum is 3797.09 but the transactions of this PmtInf add up to 3797.90\n" +
		bad + ": line 86, /Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[3]/CdtrAcct/Id/IBAN: IBAN TR330006100519786457841326: outside SEPA: TR is not a country of the SEPA schemes (EPC409-09): pay it by an international transfer\n" +
		bad + ": line 186, /Document/CstmrCdtTrfInitn/PmtInf[3]/DbtrAgt/FinInstnId/Othr/Id: Othr/Id NOTPROVIDED is not a bank: in pain.001.001.09 leave CdtrAgt out, and DbtrAgt/FinInstnId empty, when the BIC is unknown (banks refuse NOTPROVIDED)\n" +
		bad + ": pain.001.001.09, 7 transactions, total 1 000 017 019,57 €: 3 problems\n"
	if code != ExitFailed || out != want {
		t.Errorf("exit %d\n%s\nwant:\n%s", code, out, want)
	}

	// Once the execution date has passed, by the clock (REMIT_NOW).
	c.now = time.Date(2026, 12, 16, 9, 0, 0, 0, time.UTC)
	out, _, code = c.run("", "verify", v03)
	if code != ExitFailed || strings.Count(out, "is in the past (today is 2026-12-16)") != 2 {
		t.Errorf("exit %d\n%s", code, out)
	}
	c.now = time.Time{}

	// The official schema agrees, with --xsd-dir.
	testtool.Tool(t, "xmllint")
	out = c.must("verify", "--xsd-dir", testtool.XSDDir(t), v09)
	want = v09 + ": official schema pain.001.001.09.xsd: valid (agrees)\n" +
		v09 + ": pain.001.001.09, 7 transactions, total 1 000 017 019,57 €: sound\n"
	if out != want {
		t.Errorf("verify --xsd-dir:\n%s\nwant:\n%s", out, want)
	}
}
