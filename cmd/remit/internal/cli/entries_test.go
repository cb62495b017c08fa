package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/accounting"
)

const entriesCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country;pointed
F2026-0042;411DUPONT;Dupont Matériaux;1234,56;01/12/2026;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR;yes
F2026-0045;411DURAND;Durand SA;99,90;01/12/2026;sdd;FR1420041010050500013M02606;RUM-DUR-1;2025-02-01;Lille;FR;yes
`

func TestEntriesCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", entriesCSV))
	c.must("sdd")
	fec := "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n" +
		"BQ\tBanque\t1\t20261122\t512000\tBanques\t\t\tF2026-0042\t20261122\tRecettes au 22/11/26\t1234,56\t0,00\t\t\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t411000\tClients\t411DUPONT\tDupont Matériaux\tF2026-0042\t20261122\tF2026-0042 Dupont Matériaux\t0,00\t1234,56\tAAA\t20261122\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t512000\tBanques\t\t\tF2026-0045\t20261122\tRecettes au 22/11/26\t99,90\t0,00\t\t\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t411000\tClients\t411DURAND\tDurand SA\tF2026-0045\t20261122\tF2026-0045 Durand SA\t0,00\t99,90\tAAB\t20261122\t20261122\t\t\r\n"
	if out := c.must("entries", "1", "--format", "fec", "--encoding", "utf-8"); out != fec {
		t.Errorf("fec utf-8:\n%q\nwant\n%q", out, fec)
	}
	// The default encoding is ISO-8859-15: é is one byte, 0xE9.
	if out := c.must("entries", "001"); out != strings.ReplaceAll(fec, "é", "\xe9") {
		t.Errorf("fec latin-9:\n%q", out)
	}
	path := filepath.Join(c.dir, "ecritures.csv")
	if out := c.must("entries", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "-o", path); out != path+"\n" {
		t.Errorf("stdout with -o: %q, want the path written", out)
	}
	b, _ := os.ReadFile(path)
	wantCSV := `journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance
BQ,Banque,1,1,2026-11-22,512000,Banques,,,F2026-0042,2026-11-22,Recettes au 22/11/26,1234.56,0.00,,,2026-11-22,collection,001
BQ,Banque,1,2,2026-11-22,411000,Clients,411DUPONT,Dupont Matériaux,F2026-0042,2026-11-22,F2026-0042 Dupont Matériaux,0.00,1234.56,AAA,2026-11-22,2026-11-22,collection,001
BQ,Banque,1,3,2026-11-22,512000,Banques,,,F2026-0045,2026-11-22,Recettes au 22/11/26,99.90,0.00,,,2026-11-22,collection,001
BQ,Banque,1,4,2026-11-22,411000,Clients,411DURAND,Durand SA,F2026-0045,2026-11-22,F2026-0045 Durand SA,0.00,99.90,AAB,2026-11-22,2026-11-22,collection,001
`
	if string(b) != wantCSV {
		t.Errorf("csv file:\n%s\nwant\n%s", b, wantCSV)
	}
	if out := c.must("entries", "--format", "csv", "--from", "2026-12-01"); out != strings.SplitAfter(wantCSV, "\n")[0] {
		t.Errorf("empty period: %q", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"entries", "9"}, ExitFailed, "remittance 009: no such remittance"},
		{[]string{"entries", "--format", "xml"}, ExitUsage, `--format "xml": want fec, csv or json`},
		{[]string{"entries", "--encoding", "cp1252"}, ExitUsage, "--encoding"},
		{[]string{"entries", "--from", "2026-12-01", "--to", "2026-11-01"}, ExitUsage, "is after --to"},
		{[]string{"entries", "x"}, ExitUsage, "not a remittance reference"},
	} {
		out, errs, code := c.run("", tt.args...)
		if code != tt.code || out != "" || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %v: exit %d, stdout %q, stderr %q; want %d and %q", tt.args, code, out, errs, tt.code, tt.err)
		}
	}
}

func TestEntryOptionsFromConfig(t *testing.T) {
	read := func(yaml string) (accounting.Options, error) {
		v := viper.New()
		v.SetConfigType("yaml")
		if err := v.ReadConfig(strings.NewReader(yaml)); err != nil {
			t.Fatal(err)
		}
		return entryOptionsFromConfig(v)
	}
	o, err := read(`
entries:
  journal: bq1
  counterpart: "512100"
  date: collection
  label: "Remise du JJ/MM/AA"
  reversal_label: "Remise {ref} annulée"
  customer_account: 411100
  auxiliary: false
  fee_account: "627800"
  journals:
    RT: {counterpart: 09AAMM00, label: Remises de traites}
    BQ2: "512200"
  accounts:
    "5121": BNP Paribas
`)
	if err != nil {
		t.Fatal(err)
	}
	if o.Journal != "bq1" || o.Counterpart != "512100" || o.Date != "collection" || o.CustomerAccount != "411100" || !o.Direct ||
		o.Disabled || o.FeeAccount != "627800" || o.Labels[accounting.KindCollection] != "Remise du JJ/MM/AA" ||
		o.Labels[accounting.KindReversal] != "Remise {ref} annulée" || o.Labels[accounting.KindFee] != "" ||
		o.Journals["rt"] != (accounting.JournalOptions{Counterpart: "09AAMM00", Label: "Remises de traites"}) ||
		o.Journals["bq2"].Counterpart != "512200" || o.AccountLabels["5121"] != "BNP Paribas" {
		t.Errorf("options %+v", o)
	}
	if o, err := read("entries: {generate: false}\n"); err != nil || !o.Disabled || o.Direct {
		t.Errorf("generate false: %+v %v", o, err)
	}
	if o, err := read("other: 1\n"); err != nil || o.Disabled || o.Direct || o.Centralize {
		t.Errorf("no configuration: %+v %v", o, err)
	}
	_, err = read("entries:\n  centralize: true\n  journals: {RT: 09AAMM00}\n")
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage || !errors.Is(err, accounting.ErrMaskedCentralized) ||
		!strings.Contains(err.Error(), "centralisation with 09AAMM00 (journal RT)") {
		t.Errorf("masked and centralised: %v", err)
	}
}

func TestRejectRefusesABadEntriesConfiguration(t *testing.T) {
	c := newCLI(t)
	c.setup()
	cfg := c.file("remit.yaml", "entries:\n  centralize: true\n  counterpart: 09AAMM00\n")
	_, errs, code := c.run("", "reject", "F1", "--reason", "AM04", "--config", cfg)
	if code != ExitUsage || !strings.Contains(errs, "cannot be centralised") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
