package main

// The EPC rules that depend on the creditor's account, checked against the
// account of the bank a debit goes to (the one its file names), not the
// creditor's default one.

import (
	"strings"
	"testing"
)

// monacoIBAN is a bank account in Monaco: in SEPA, outside the EEA, so
// that every debtor of its direct debits needs an address.
const monacoIBAN = "MC5811222000010123456789030"

// issuerCSV: F1 and F2 go to the Monaco bank, F1 with an address, F2
// without; F3 goes to the default (French) bank without one.
const issuerCSV = "document,customer,name,amount,due_date,method,journal,iban,bic,mandate,mandate_signed,town,country,pointed\n" +
	"F1,411A,Alpha SA,100.00,2026-12-10,sdd,MC1,FR7630006000011234567890189,AGRIFRPP,RUM-A,2025-01-15,Lyon,FR,yes\n" +
	"F2,411B,Beta SARL,200.00,2026-12-10,sdd,MC1,FR7630006000011234567890189,AGRIFRPP,RUM-B,2025-01-15,,,yes\n" +
	"F3,411C,Gamma,300.00,2026-12-10,sdd,,FR7630006000011234567890189,AGRIFRPP,RUM-C,2025-01-15,,,yes\n"

// TestDebtorAddressByIssuingBank: a debit to the Monaco bank of a debtor
// without an address is refused on its own, with the reason, and the rest
// of the run is written (the planner once checked it against the default
// French account, and the pain.008 writer failed the whole run); and the
// other way round, once the Monaco bank is the default one, a debit to the
// French bank needs no address (the planner once refused it).
func TestDebtorAddressByIssuingBank(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must("bank", "add", "MC1", "--iban", monacoIBAN, "--bic", "CFMOMCMX", "--name", "CFM MONACO", "--account", "512300")
	w.must("import", w.writeFile("r.csv", []byte(issuerCSV)))
	r := w.run("sdd")
	want := "" +
		"remittance 001  SDD CORE pain.008.001.08  bank BQ  PAIEMENT.001.xml, BORDEREAU.001.pdf\n" +
		"  FRST  2026-12-10        1           300,00\n" +
		"  total                   1           300,00\n" +
		"remittance 002  SDD CORE pain.008.001.08  bank MC1  PAIEMENT.002.xml, BORDEREAU.002.pdf\n" +
		"  FRST  2026-12-10        1           100,00\n" +
		"  total                   1           100,00\n" +
		"refused 1 receivable (left pointed; remit list --refused lists it):\n" +
		"  F2 411B 200,00: debtor address: missing: the creditor's bank is in MC, a SEPA country outside the EEA, so the town name and country are required\n" +
		"    to do: correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; " +
		"or leave it out: remit unpoint --document F2\n"
	if r.code != 3 || r.stdout != want || r.stderr != "" {
		t.Fatalf("sdd: %s\nwant stdout\n%s", r, want)
	}
	xml := readFile(t, w.out+"/PAIEMENT.002.xml")
	if !strings.Contains(xml, "<CdtrAcct><Id><IBAN>"+monacoIBAN+"</IBAN>") || !strings.Contains(xml, "<EndToEndId>F1</EndToEndId>") ||
		strings.Count(xml, "<DrctDbtTxInf>") != 1 {
		t.Errorf("PAIEMENT.002.xml should debit F1 only, for the Monaco account:\n%s", xml)
	}

	// The Monaco bank becomes the default one, the creditor's account.
	w.must("bank", "set", "MC1", "--default")
	w.must("import", w.writeFile("r2.csv", []byte(strings.SplitAfter(issuerCSV, "\n")[0]+
		"F4,411D,Delta,400.00,2026-12-10,sdd,BQ,FR7630006000011234567890189,AGRIFRPP,RUM-D,2025-01-15,,,yes\n"+
		"F5,411E,Epsilon,500.00,2026-12-10,sdd,,FR7630006000011234567890189,AGRIFRPP,RUM-E,2025-01-15,,,yes\n")))
	r = w.run("sdd")
	if r.code != 3 || !strings.Contains(r.stdout, "remittance 003  SDD CORE pain.008.001.08  bank BQ  ") ||
		!strings.Contains(r.stdout, "refused 2 receivables") ||
		!strings.Contains(r.stdout, "  F2 411B 200,00: debtor address: missing: the creditor's bank is in MC, a SEPA country outside the EEA, so the town name and country are required\n") ||
		!strings.Contains(r.stdout, "  F5 411E 500,00: debtor address: missing: the creditor's bank is in MC, a SEPA country outside the EEA, so the town name and country are required\n") {
		t.Fatalf("sdd with the Monaco bank as default: %s", r)
	}
	xml = readFile(t, w.out+"/PAIEMENT.003.xml")
	if !strings.Contains(xml, "<CdtrAcct><Id><IBAN>FR7630004008280001012345691</IBAN>") || !strings.Contains(xml, "<EndToEndId>F4</EndToEndId>") ||
		strings.Count(xml, "<DrctDbtTxInf>") != 1 {
		t.Errorf("PAIEMENT.003.xml should debit F4 only, for the French account:\n%s", xml)
	}
}
