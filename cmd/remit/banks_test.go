package main

// The company's banks (issue 19, part 1) the way a user keeps them: the
// binary, its exit statuses and its exact output.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bq2IBAN = "FR7610096000502468013579016"

// bankArgs add the second bank of the example.
var bankArgs = []string{"bank", "add", "bq2", "--iban", "FR76 1009 6000 5024 6801 3579 016", "--bic", "cmcifrpp", "--name", "CIC LYON",
	"--account", "512200", "--nne", "654321", "--value-days", "sdd=1,lcr=2,chq=1", "--limit", "-5000.00", "--substitute", "BQ"}

func TestBanksCommands(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	// The creditor's account is the default bank, BQ.
	r := w.must("banks")
	want := "" +
		"BANK      NAME                     IBAN                        ACCOUNT          BALANCE ON              IN 30 DAYS         LIMIT\n" +
		"BQ *      BNP PARIBAS PARIS OPERA  FR7630004008280001012345691 512000              none\n" +
		"* the default bank: receivables of no bank's journal go to it\n"
	if r.stdout != want {
		t.Errorf("banks:\n%s\nwant\n%s", r.stdout, want)
	}
	r = w.must(bankArgs...)
	want = "bank BQ2 added\n" +
		"  code        BQ2\n" +
		"  name        CIC LYON\n" +
		"  IBAN        " + bq2IBAN + "\n" +
		"  BIC         CMCIFRPP\n" +
		"  account     512200\n" +
		"  NNE         654321\n" +
		"  value days  sdd=1,lcr=2,chq=1\n" +
		"  limit       -5 000,00\n" +
		"  substitute  BQ\n"
	if r.stdout != want {
		t.Errorf("bank add:\n%s\nwant\n%s", r.stdout, want)
	}
	r = w.must("bank", "balance", "BQ", "--amount", "12450.30", "--date", "2026-11-20")
	if r.stdout != "bank BQ: validated balance 12 450,30 on 20/11/2026\n" {
		t.Errorf("bank balance: %q", r.stdout)
	}
	w.must("bank", "balance", "bq2", "--amount", "-1520,00", "--date", "20/11/2026")
	r = w.must("banks")
	want = "" +
		"BANK      NAME                     IBAN                        ACCOUNT          BALANCE ON              IN 30 DAYS         LIMIT\n" +
		"BQ *      BNP PARIBAS PARIS OPERA  FR7630004008280001012345691 512000         12 450,30 20/11/2026       12 450,30\n" +
		"BQ2       CIC LYON                 FR7610096000502468013579016 512200         -1 520,00 20/11/2026       -1 520,00     -5 000,00\n" +
		"* the default bank: receivables of no bank's journal go to it\n"
	if r.stdout != want {
		t.Errorf("banks:\n%s\nwant\n%s", r.stdout, want)
	}
	r = w.must("banks", "--json")
	for _, s := range []string{`"code": "BQ2"`, `"limit": "-5000.00"`, `"balance": "-1520.00"`, `"balance_date": "2026-11-20"`,
		`"value_days": "sdd=1,lcr=2,chq=1"`, `"substitute": "BQ"`, `"default": false`} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("banks --json lacks %s:\n%s", s, r.stdout)
		}
	}
	// Making BQ2 the default gives the creditor its account.
	w.must("bank", "set", "BQ2", "--default")
	if r := w.must("creditor", "show"); !strings.Contains(r.stdout, "IBAN       "+bq2IBAN+"\n") || !strings.Contains(r.stdout, "bank       CIC LYON\n") {
		t.Errorf("creditor show after bank set --default:\n%s", r.stdout)
	}
	// remit creditor set --iban moves the default bank's account.
	w.must("creditor", "set", "--iban", "FR7630006000011234567890189")
	if r := w.must("banks"); !strings.Contains(r.stdout, "BQ2 *     CIC LYON                 FR7630006000011234567890189 512200") {
		t.Errorf("banks after creditor set --iban:\n%s", r.stdout)
	}
	// BQ is BQ2's substitute: it stays.
	r = w.run("bank", "remove", "BQ")
	if r.code != 2 || r.stdout != "" || r.stderr != "remit: bank BQ: it is another bank's substitute (BQ2): give BQ2 another first "+
		"(remit bank set BQ2 --substitute CODE, or --substitute '')\n" {
		t.Errorf("remove a substitute: %s", r)
	}
	w.must("bank", "set", "BQ2", "--substitute", "")
	if r := w.must("bank", "remove", "bq"); r.stdout != "bank BQ removed\n" {
		t.Errorf("remove: %s", r)
	}
}

// TestBankCommandErrors: every problem of a command line at once, exit 2,
// nothing changed.
func TestBankCommandErrors(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"bank", "add", "BQ3", "--iban", "GB29NWBK60161331926819", "--name", "X", "--account", "411000", "--nne", "12",
			"--value-days", "sdd=x,foo=1", "--limit", "abc"},
			"remit: bank BQ3: value-days \"sdd=x,foo=1\": \"sdd=x\": want a whole number of days from 0 to 30\n" +
				"remit: bank BQ3: value-days \"sdd=x,foo=1\": \"foo=1\": unknown type of operation \"foo\" (one of sdd, lcr, chq, vir, esp, cb, vir-out, chq-out, lcr-out, esp-out, cb-out)\n" +
				"remit: bank BQ3: limit \"abc\": not an amount (write 1234.56 or 1234,56, no thousands separator)\n" +
				"remit: bank BQ3: account \"411000\": want a general ledger account of class 51 (512… for a bank), letters and digits, at most 20\n" +
				"remit: bank BQ3: nne \"12\": want the 6-digit numéro national d'émetteur\n"},
		{[]string{"bank", "add", "BQ3", "--iban", "FR7630004008280001012345691"},
			"remit: remit bank add BQ3: --name, --account required\n"},
		{[]string{"bank", "add", "BQ", "--iban", bq2IBAN, "--name", "X", "--account", "512300"},
			"remit: bank BQ: bank already exists: remit bank set BQ changes it\n"},
		{[]string{"bank", "add", "BQ3", "--iban", "FR7630004008280001012345691", "--name", "X", "--account", "512000"},
			"remit: banks do not fit together: banks BQ and BQ3 have the same IBAN FR7630004008280001012345691\n" +
				"remit: banks do not fit together: banks BQ and BQ3 have the same account 512000: each bank needs its own to be reconciled\n"},
		{[]string{"bank", "set", "BQ9", "--name", "X"}, "remit: bank BQ9: no bank of that code (banks: BQ)\n"},
		{[]string{"bank", "set", "BQ", "--default=false"},
			"remit: bank BQ: default: it is the default bank: make another the default instead (remit bank set CODE --default)\n"},
		{[]string{"bank", "balance", "BQ", "--amount", "1,2,3", "--date", "2026-12-01"},
			"remit: remit bank balance: --amount \"1,2,3\": not an amount (write 1234.56 or 1234,56, no thousands separator); " +
				"--date 2026-12-01 is after today: a validated balance is one a statement gave\n"},
		{[]string{"bank", "balance", "BQ"}, "remit: remit bank balance: --amount is required, --date is required\n"},
		{[]string{"bank", "remove", "BQ9"}, "remit: bank BQ9: no bank of that code (banks: BQ)\n"},
	} {
		r := w.run(tt.args...)
		if r.code != 2 || r.stdout != "" || r.stderr != tt.err {
			t.Errorf("%s\nwant exit 2 and\n%s", r, tt.err)
		}
	}
	if r := w.must("banks", "--json"); strings.Count(r.stdout, `"code"`) != 1 {
		t.Errorf("banks changed:\n%s", r.stdout)
	}
	// The default bank goes with the last bank only.
	w.must(bankArgs[:len(bankArgs)-2]...)
	if r := w.run("bank", "remove", "BQ"); r.code != 2 ||
		r.stderr != "remit: bank BQ: it is the default bank: make another the default first (remit bank set CODE --default)\n" {
		t.Errorf("remove the default: %s", r)
	}
}

// receivables of two banks: F1 without a journal (the default bank BQ),
// F2 and F4 in journal BQ2, F3 in journal RT (no bank's: the default).
const twoBanksCSV = "document,customer,name,amount,due_date,method,journal,iban,bic,mandate,mandate_signed,town,country,pointed\n" +
	"F1,411A,Alpha SA,100.00,2026-12-10,sdd,,FR7630006000011234567890189,AGRIFRPP,RUM-A,2025-01-15,Lyon,FR,yes\n" +
	"F2,411B,Beta SARL,200.00,2026-12-10,sdd,BQ2,FR7630006000011234567890189,AGRIFRPP,RUM-B,2025-01-15,Lyon,FR,yes\n" +
	"F3,411C,Gamma,300.00,2026-12-14,sdd,RT,FR7630006000011234567890189,AGRIFRPP,RUM-C,2025-01-15,Lyon,FR,yes\n" +
	"F4,411D,Delta,400.00,2026-12-21,lcr,BQ2,FR7630006000011234567890189,,,,Lyon,FR,yes\n" +
	"F5,411E,Epsilon,500.00,2026-12-21,lcr,,FR7630006000011234567890189,,,,Lyon,FR,yes\n"

func TestRemittancesPerBankCommands(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must(bankArgs...)
	w.must("import", w.writeFile("r.csv", []byte(twoBanksCSV)))
	r := w.must("sdd", "--cfonb")
	want := "" +
		"remittance 001  SDD CORE pain.008.001.08  bank BQ  PAIEMENT.001, PAIEMENT.001.xml, BORDEREAU.001.pdf\n" +
		"  FRST  2026-12-10        1           100,00\n" +
		"  FRST  2026-12-14        1           300,00\n" +
		"  total                   2           400,00\n" +
		"remittance 002  SDD CORE pain.008.001.08  bank BQ2  PAIEMENT.002, PAIEMENT.002.xml, BORDEREAU.002.pdf\n" +
		"  FRST  2026-12-10        1           200,00\n" +
		"  total                   1           200,00\n"
	if r.stdout != want {
		t.Errorf("sdd:\n%s\nwant\n%s", r.stdout, want)
	}
	// Each file carries its bank's account.
	for file, want := range map[string]string{
		"PAIEMENT.001.xml": "<CdtrAcct><Id><IBAN>FR7630004008280001012345691</IBAN>",
		"PAIEMENT.002.xml": "<CdtrAcct><Id><IBAN>" + bq2IBAN + "</IBAN>",
		"PAIEMENT.001":     "123456       10126ACME OUTILLAGE SARL     PRL001                    E     0082800010123456",
		"PAIEMENT.002":     "654321       10126ACME OUTILLAGE SARL     PRL002                    E     0005024680135790",
	} {
		b, err := os.ReadFile(filepath.Join(w.out, file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q: %v\n%s", file, want, err, b)
		}
	}
	if r := w.run("lcr", "--bank", "BQ9"); r.code != 2 || r.stdout != "" ||
		r.stderr != "remit: --bank BQ9: no bank of that code (the creditor's banks: BQ, BQ2)\n" {
		t.Errorf("lcr --bank BQ9: %s", r)
	}
	r = w.must("lcr", "--bank", "bq2")
	if want := "remittance 003  LCR code entrée 3 (encaissement, crédit forfaitaire après échéance)  bank BQ2  PAIEMENT.003, BORDEREAU.003.pdf\n" +
		"  total                   1           400,00\n"; r.stdout != want {
		t.Errorf("lcr --bank bq2:\n%s\nwant\n%s", r.stdout, want)
	}
	if b, _ := os.ReadFile(filepath.Join(w.out, "PAIEMENT.003")); !strings.Contains(string(b), "CIC LYON                3 E100960005024680135790") {
		t.Errorf("PAIEMENT.003:\n%s", b)
	}
	// F5 waits for a run of its bank.
	if n := w.queryInt(`SELECT count(*) FROM receivables WHERE document = 'F5' AND status = 'pointed' AND refusal = ''`); n != 1 {
		t.Error("F5 is no longer pointed")
	}
	r = w.must("run")
	if !strings.Contains(r.stdout, "004") {
		t.Errorf("run:\n%s", r.stdout)
	}
	if show := w.show("004"); show.Bank != "BQ" || show.Count != 1 {
		t.Errorf("remittance 004: %+v", show)
	}
	if r := w.must("show", "2"); !strings.Contains(r.stdout, "  bank       BQ2  CIC LYON  "+bq2IBAN+"\n") {
		t.Errorf("show 2:\n%s", r.stdout)
	}
	// The entries debit each bank's account.
	r = w.must("entries", "--format", "csv")
	for _, line := range []string{",512000,Banques,,,F1,", ",512200,Banques,,,F2,", ",512000,Banques,,,F3,", ",512200,Banques,,,F4,", ",512000,Banques,,,F5,"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("entries lack %s:\n%s", line, r.stdout)
		}
	}
}

// TestBankCommandsJSON: with --json, a bank command prints the bank, or its
// problems in one object.
func TestBankCommandsJSON(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	r := w.must(append(bankArgs, "--json")...)
	if !strings.Contains(r.stdout, `"code": "BQ2"`) || !strings.Contains(r.stdout, `"limit": "-5000.00"`) {
		t.Errorf("bank add --json:\n%s", r.stdout)
	}
	r = w.run("bank", "add", "BQ3", "--iban", "FR7610096000502468013579017", "--name", "X", "--account", "512300", "--value-days", "sdd=99", "--json")
	want := `{"status":"usage","exit_status":2,"error":"remit bank add BQ3: nothing changed","problems":[` +
		`"bank BQ3: value-days \"sdd=99\": \"sdd=99\": want a whole number of days from 0 to 30",` +
		`"bank BQ3: iban \"FR7610096000502468013579017\": IBAN FR7610096000502468013579017: bad check digits"]}` + "\n"
	if r.code != 2 || r.stdout != want {
		t.Errorf("%s\nwant\n%s", r, want)
	}
	if r := w.must("bank", "balance", "BQ2", "--amount", "0", "--date", "2026-11-22", "--json"); !strings.Contains(r.stdout, `"balance": "0.00"`) ||
		!strings.Contains(r.stdout, `"balance_date": "2026-11-22"`) {
		t.Errorf("bank balance --json:\n%s", r.stdout)
	}
	if r := w.must("bank", "remove", "BQ2", "--json"); r.stdout != "{\n  \"removed\": \"BQ2\",\n  \"status\": \"done\",\n  \"exit_status\": 0\n}\n" {
		t.Errorf("bank remove --json:\n%s", r.stdout)
	}
}

// TestForecastCommand: remit forecast the way a user runs it, from the
// validated balances, in a table, in JSON and as a PDF.
func TestForecastCommand(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must(bankArgs...)
	w.must("import", w.writeFile("r.csv", []byte(twoBanksCSV)))
	w.must("sdd")
	w.must("lcr", "--bank", "BQ2")
	if r := w.run("forecast", "--to", "2026-12-31"); r.code != 2 || r.stderr != "remit: bank BQ has no validated balance: set it "+
		"(remit bank balance BQ --amount … --date …) or import a statement; bank BQ2 has no validated balance: set it "+
		"(remit bank balance BQ2 --amount … --date …) or import a statement\n" {
		t.Errorf("no balance: %s", r)
	}
	w.must("bank", "balance", "BQ2", "--amount", "-1520.00", "--date", "2026-11-20")
	r := w.must("forecast", "--to", "2026-12-31")
	want := "" +
		"bank BQ2  CIC LYON  " + bq2IBAN + "\n" +
		"  validated balance -1 520,00 on 20/11/2026, limit -5 000,00\n" +
		"  DATE                   IN            OUT         BALANCE\n" +
		"  11/12/2026         200,00           0,00       -1 320,00\n" +
		"  23/12/2026         400,00           0,00         -920,00\n" +
		"  balance on 31/12/2026: -920,00; lowest -1 520,00 on 20/11/2026\n" +
		"note: bank BQ has no validated balance: set it (remit bank balance BQ --amount … --date …) or import a statement\n"
	if r.stdout != want {
		t.Errorf("forecast:\n%s\nwant\n%s", r.stdout, want)
	}
	r = w.must("forecast", "--bank", "bq2", "--to", "2026-12-31", "--json")
	for _, s := range []string{`"to": "2026-12-31"`, `"bank": "BQ2"`, `"final": "-920.00"`, `"source": "remittance"`, `"ref": "002"`,
		`"expected": "2026-12-11"`, `"ref": "003"`, `"op": "lcr"`, `"expected": "2026-12-23"`} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("forecast --json lacks %s:\n%s", s, r.stdout)
		}
	}
	r = w.must("forecast", "--bank", "BQ2", "--to", "2026-12-31", "--format", "pdf")
	if path := filepath.Join(w.out, "PREVISION.2026-12-31.pdf"); r.stdout != path+"\n" {
		t.Errorf("forecast --format pdf: %q", r.stdout)
	} else if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("%s: %v", path, err)
	}
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"forecast"}, "remit: remit forecast: --to is required (the last day of the forecast)\n"},
		{[]string{"forecast", "--bank", "BQ2", "--to", "2026-11-01"}, "remit: bank BQ2: end of the forecast before the validated date: 2026-11-01 is before 2026-11-20\n"},
		{[]string{"forecast", "--bank", "BQ", "--to", "2026-12-31"}, "remit: bank BQ: no validated balance: set it (remit bank balance BQ --amount … --date …) or import a statement\n"},
		{[]string{"forecast", "--bank", "BQ9", "--to", "2026-12-31"}, "remit: bank BQ9: no bank of that code\n"},
	} {
		if r := w.run(tt.args...); r.code != 2 || r.stdout != "" || r.stderr != tt.err {
			t.Errorf("%s\nwant exit 2 and %s", r, tt.err)
		}
	}
}

// TestChequesCommand: remit cheques the way a user runs it: the import's
// cheque columns, a remise per bank, the refused cheque, the slip, the
// entries, exit statuses.
func TestChequesCommand(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must(bankArgs...)
	w.must("import", w.writeFile("c.csv", []byte("document,customer,name,amount,due_date,method,journal,cheque_number,drawer_bank,town,country,pointed\n"+
		"C1,411A,Alpha SA,100.00,2026-11-20,chq,,0000042,CREDIT AGRICOLE,Lyon,FR,yes\n"+
		"C2,411B,Beta SARL,250.50,2026-11-21,chq,BQ2,1234567,LCL LYON,Lyon,FR,yes\n"+
		"C3,411C,Gamma,40.00,2026-11-22,chq,BQ2,,,Lyon,FR,yes\n")))
	if r := w.run("import", w.writeFile("bad.csv", []byte("document,customer,name,amount,due_date,method,cheque_number\n"+
		"C9,411A,Alpha SA,1.00,2026-11-20,chq,12A\n"))); r.code != 1 || !strings.Contains(r.stderr, `line 2, column cheque_number "12A": want 1 to 7 digits`) {
		t.Errorf("import of a bad cheque number: %s", r)
	}
	if r := w.run("cheques", "--bank", "BQ9"); r.code != 2 || r.stderr != "remit: --bank BQ9: no bank of that code (the creditor's banks: BQ, BQ2)\n" {
		t.Errorf("cheques --bank BQ9: %s", r)
	}
	r := w.run("cheques")
	want := "remittance 001  Remise de chèques  bank BQ  BORDEREAU.001.pdf\n" +
		"  total                   1           100,00\n" +
		"remittance 002  Remise de chèques  bank BQ2  BORDEREAU.002.pdf\n" +
		"  total                   1           250,50\n" +
		"refused 1 receivable (left pointed; remit list --refused lists it):\n" +
		"  C3 411C 40,00: no cheque number: the slip lists each cheque by its number (import it in the cheque_number column)\n" +
		"    to do: correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; or leave it out: remit unpoint --document C3\n"
	if r.code != 3 || r.stdout != want {
		t.Errorf("cheques: %s\nwant exit 3 and\n%s", r, want)
	}
	slip := filepath.Join(w.out, "BORDEREAU.002.pdf")
	b, err := os.ReadFile(slip)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("%s: %v", slip, err)
	}
	os.Remove(slip)
	if r := w.must("regenerate", "2"); !strings.Contains(r.stdout, "(identical to the original)") {
		t.Errorf("regenerate 2: %s", r)
	}
	if again, _ := os.ReadFile(slip); string(again) != string(b) {
		t.Error("the regenerated slip differs")
	}
	r = w.must("entries", "--format", "csv")
	for _, line := range []string{"BQ,Banque,1,1,2026-11-23,511200,Valeurs à l'encaissement,,,C1,", "BQ2,BQ2,1,1,2026-11-23,511200,"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("entries lack %s:\n%s", line, r.stdout)
		}
	}
	// Nothing more to deposit: C3 waits for its number.
	if r := w.run("cheques"); r.code != 5 || !strings.Contains(r.stdout, "C3 411C 40,00") {
		t.Errorf("cheques again: %s", r)
	}
}
