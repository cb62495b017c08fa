package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The supplier side's payables as seed 002's wizard shows them: a
// supplier with two invoices (one with a 2 % early-payment discount) and a
// credit note, a contested invoice, an unapproved cheque.
const payablesFixture = `document;supplier;name;amount;due_date;method;iban;bic;street;building;postcode;town;country;priority;discount_rate;discount_until;approved;contested
FA-2026-118;401SUNCHEM;SUN CHEMICAL SAS;1200.00;2026-12-15;vir;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;2;2026-12-08;yes;
FA-2026-119;401SUNCHEM;SUN CHEMICAL SAS;800.00;2026-12-20;vir;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;;;yes;
AV-2026-007;401SUNCHEM;SUN CHEMICAL SAS;-150.00;2026-12-10;vir;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;;;yes;
FA-2026-120;401MARTIN;MARTIN ET FILS;560.40;2026-12-18;vir;FR1420041010050500013M02606;;Avenue Foch;12;75016;Paris;FR;5;;;yes;litige qualité
FA-2026-121;401DUPOND;DUPOND SARL;3000.00;2026-12-28;chq;;;Place du Marché;1;33000;Bordeaux;FR;0;;;no;
`

func newPayablesCLI(t *testing.T) *cliEnv {
	c := newCLI(t)
	c.now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c.setup()
	c.must("creditor", "set", "--approval-required")
	return c
}

func TestPayablesImportListPoint(t *testing.T) {
	c := newPayablesCLI(t)
	in := c.file("fournisseurs.csv", payablesFixture)
	if out := c.must("payables", "import", in); out != in+": 5 lines read: 5 new, 0 updated, 0 unchanged\n" {
		t.Errorf("import: %q", out)
	}
	if out := c.must("payables", "import", in); out != in+": 5 lines read: 0 new, 0 updated, 5 unchanged\n" {
		t.Errorf("import again: %q", out)
	}
	out := c.must("payables", "list", "--supplier-from", "401D", "--supplier-to", "401M")
	want := `DOCUMENT       SUPPLIER     NAME                     DUE        METHOD JOURNAL STATUS           AMOUNT CUR GROUP
FA-2026-120    401MARTIN    MARTIN ET FILS           2026-12-18 vir            open             560,40 EUR 
               contested (litige qualité): never paid while in dispute: remit payables resolve FA-2026-120 once settled
FA-2026-121    401DUPOND    DUPOND SARL              2026-12-28 chq            open           3 000,00 EUR 
               not approved: the creditor requires a bon à payer: remit payables approve FA-2026-121
2 payables, total 3 560,40 EUR
`
	if out != want {
		t.Errorf("list:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("payables", "list", "--anomalies", "hide", "--method", "chq"); !strings.HasPrefix(out, "no payable matches") {
		t.Errorf("anomalies hidden: %q", out)
	}

	c.must("grouping", "set", "vir", "--auto", "--same-supplier", "--same-iban", "--same-currency", "--within-days", "30")
	out = c.must("payables", "point", "--method", "vir", "--target", "2000.00")
	want = `vir 401SUNCHEM   SUN CHEMICAL SAS           2026-12-08       1 826,00 EUR (G1)
    AV-2026-007          2026-12-10        -150,00
    FA-2026-118          2026-12-15       1 200,00
    FA-2026-119          2026-12-20         800,00
    escompte 2 % FA-2026-118                -24,00
pointed 3 payables in 1 payment (target 2 000,00):
  1 payment, total 1 826,00 EUR
not pointed: FA-2026-120 401MARTIN 560,40 EUR: contested (litige qualité): never paid while in dispute: remit payables resolve FA-2026-120 once settled
`
	if out != want {
		t.Errorf("point:\n%s\nwant:\n%s", out, want)
	}
	var listed struct {
		Payables []payableJSON `json:"payables"`
	}
	if err := json.Unmarshal([]byte(c.must("payables", "list", "--status", "pointed", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.Payables) != 3 || listed.Payables[0].Group != "G1" || listed.Payables[1].IBAN != "FR76…0189" {
		t.Errorf("pointed: %+v", listed.Payables)
	}
}

func TestPayablesApproveContestExitCodes(t *testing.T) {
	c := newPayablesCLI(t)
	c.must("payables", "import", c.file("f.csv", payablesFixture))
	if out := c.must("payables", "approve", "FA-2026-121"); out != "FA-2026-121    401DUPOND    open\napproved 1 payable\n" {
		t.Errorf("approve: %q", out)
	}
	_, errs, code := c.run("", "payables", "approve", "NOPE")
	if code != ExitUsage || !strings.Contains(errs, "no such payable: NOPE") {
		t.Errorf("unknown document: exit %d %q", code, errs)
	}
	out := c.must("payables", "point", "--json")
	var pt payablesPointJSON
	if err := json.Unmarshal([]byte(out), &pt); err != nil {
		t.Fatal(err)
	}
	// No grouping rule: FA-2026-118, FA-2026-119 and FA-2026-121 paid one
	// by one; the credit note alone pays nothing; FA-2026-120 contested.
	if len(pt.Payments) != 3 || len(pt.NotPointed) != 2 || pt.NotPointed[1].Reason.Code != "not-positive" {
		t.Fatalf("point: %s", out)
	}
	out = c.must("payables", "contest", "FA-2026-121", "--reason", "facture en double")
	if out != "FA-2026-121    401DUPOND    open: unpointed: never paid while in dispute\ncontested 1 payable\n" {
		t.Errorf("contest: %q", out)
	}
	// A group the rules refuse: every reason, exit 1, nothing changed.
	_, errs, code = c.run("", "payables", "group", "FA-2026-118", "FA-2026-121")
	if code != ExitFailed || !strings.Contains(errs, "FA-2026-121 is contested") || !strings.Contains(errs, "several methods") {
		t.Errorf("group refused: exit %d\n%s", code, errs)
	}
	out = c.must("payables", "group", "FA-2026-118", "FA-2026-119", "--json")
	var g paymentJSON
	if err := json.Unmarshal([]byte(out), &g); err != nil || g.Group == "" || g.Net != "1976.00" {
		t.Errorf("group: %s %v", out, err)
	}
	if out := c.must("payables", "ungroup", "FA-2026-119"); !strings.Contains(out, "note: 1 group left with one payable: dissolved") {
		t.Errorf("ungroup: %q", out)
	}
	if _, errs, code := c.run("", "grouping", "set", "vir", "--same-iban=false"); code != ExitUsage || !strings.Contains(errs, "cannot be turned off") {
		t.Errorf("grouping set --same-iban=false: exit %d %q", code, errs)
	}
	if out := c.must("grouping", "set", "chq", "--manual", "--same-parent", "--for", "401CENTRALE"); out != "grouping rule set: chq manual for 401CENTRALE: same parent\n" {
		t.Errorf("grouping set: %q", out)
	}
	if out := c.must("creditor", "show"); !strings.Contains(out, "payables   paid only once approved (bon à payer)") {
		t.Errorf("creditor show: %q", out)
	}
}
