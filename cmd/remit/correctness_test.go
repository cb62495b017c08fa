package main

// End-to-end regression tests of the bank-grade correctness audit (issue
// 15): each runs the binary the way a user does and checks exit codes,
// messages and the files.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/testtool"
)

// Regression (issue 15, item 14): an SDD line with scheme CORE and no
// mandate (ERPs fill the scheme column by default) made the whole import
// fail with "given without a mandate". It is imported with a warning, and
// remit sdd refuses the receivable for its missing mandate.
func TestImportSchemeWithoutMandate(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,scheme,mandate_type,mandate,mandate_signed,town,country\n"+
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,CORE,recurrent,,,Lyon,FR\n"+
		"F2,411B,Beta,20.00,2026-12-01,sdd,FR7630006000011234567890189,CORE,,,,Lyon,FR\n"+
		"F3,411C,Gamma,30.00,2026-12-01,sdd,FR1420041010050500013M02606,CORE,,RUM-C,2025-01-15,Lyon,FR\n"))
	r := w.run("import", in)
	if r.code != 0 || r.stdout != in+": 3 lines read: 3 new, 0 updated, 0 unchanged\n" {
		t.Fatalf("import: %s", r)
	}
	want := in + ": warning: line 2 gives columns scheme and mandate_type without a mandate: ignored, a mandate's scheme and type " +
		"come with its RUM (column mandate); remit sdd refuses a direct debit without a mandate\n" +
		in + ": warning: line 3 gives column scheme without a mandate: ignored, a mandate's scheme and type come with its RUM " +
		"(column mandate); remit sdd refuses a direct debit without a mandate\n"
	if r.stderr != want {
		t.Errorf("import warnings:\n%s\nwant:\n%s", r.stderr, want)
	}
	w.must("point", "--due-from", "2026-12-01", "--due-to", "2026-12-31")
	r = w.run("sdd")
	if r.code != 3 {
		t.Fatalf("sdd: %s", r)
	}
	for _, doc := range []string{"F1", "F2"} {
		if !strings.Contains(r.stdout, "  "+doc+" ") || !strings.Contains(r.stdout, doc+" 411") {
			t.Errorf("sdd does not list %s as refused:\n%s", doc, r.stdout)
		}
	}
	if n := strings.Count(r.stdout, "no mandate: a SEPA direct debit needs the customer's signed mandate"); n != 2 {
		t.Errorf("%d refusals for the missing mandate, want 2:\n%s", n, r.stdout)
	}
	if n := w.queryInt(`SELECT count(*) FROM remittance_items WHERE document = 'F3'`); n != 1 {
		t.Errorf("F3 (with its mandate) not remitted")
	}
}

// Regression (issue 15, item 6): `sdd --lead-days 0 --dry-run` planned a
// collection date on the creation date, which the real run then refused
// ("must be after the creation date"). The dry run promises what the run does.
func TestLeadDaysZeroDryRunMatchesRun(t *testing.T) {
	w := newWorkspace(t) // REMIT_NOW: Monday 23 November 2026, 08:00
	w.initDB()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"F1,411A,Alpha,10.00,2026-11-20,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n"))
	w.must("import", in)
	dry := w.must("sdd", "--lead-days", "0", "--dry-run")
	if !strings.Contains(dry.stdout, "FRST  2026-11-24") {
		t.Errorf("dry run plans:\n%s\nwant FRST on Tuesday 2026-11-24, the next business day", dry.stdout)
	}
	real := w.run("sdd", "--lead-days", "0")
	if real.code != 0 || !strings.Contains(real.stdout, "FRST  2026-11-24") {
		t.Fatalf("the run does not do what the dry run said: %s", real)
	}
	if n := w.queryInt(`SELECT count(*) FROM remittance_items WHERE collection_date = '2026-11-24'`); n != 1 {
		t.Errorf("%d items collected on 2026-11-24, want 1", n)
	}
}

// Regression (issue 15, items 4 and 5), as the issue tells it: F1 (FRST) and
// F2 (RCUR, later) of a new mandate go in one file; F1 is rejected before
// settlement with remit reject. remit answered "next collection FRST
// again", then presented F1 again as RCUR, under the same EndToEndId.
func TestRejectedFirstCollectionAgainAsSaid(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n"+
		"F2,411A,Alpha,20.00,2026-12-15,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n"))
	w.must("import", in)
	w.must("sdd")
	r := w.must("reject", "F1", "--reason", "AM04", "--date", "2026-11-25")
	if !strings.Contains(r.stdout, "next collection FRST again") {
		t.Fatalf("reject: %s", r)
	}
	w.must("point", "--document", "F1")
	r = w.must("sdd")
	if !strings.Contains(r.stdout, "  FRST  2026-12-01        1            10,00\n") || strings.Contains(r.stdout, "RCUR") {
		t.Errorf("F1 presented again:\n%s\nwant one FRST", r.stdout)
	}
	xml := readFile(t, w.out+"/PAIEMENT.002.xml")
	for _, want := range []string{"<SeqTp>FRST</SeqTp>", "<EndToEndId>F1/P2</EndToEndId>"} {
		if !strings.Contains(xml, want) {
			t.Errorf("PAIEMENT.002.xml has no %s", want)
		}
	}
	w.must("verify", w.out+"/PAIEMENT.002.xml")
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// testIBAN builds a valid IBAN of country cc on bban.
func testIBAN(t testing.TB, cc, bban string) string {
	t.Helper()
	iban := cc + ident.IBANCheckDigits(cc, bban) + bban
	if err := ident.ValidateIBAN(iban); err != nil {
		t.Fatalf("test IBAN %s: %v", iban, err)
	}
	return iban
}

// Regression (issue 15, item 1): a debtor with a TR, BR, SA or XK IBAN was
// written into a pain.008 and verify called the file sound; creditor set
// accepted a TR IBAN. Accounts outside the SEPA scheme countries
// (EPC409-09) are refused everywhere; a debtor whose bank is in a SEPA
// country outside the EEA needs an address.
func TestNonSEPAAccountsRefused(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	tr := testIBAN(t, "TR", "0006100519786457841326")
	r := w.run("creditor", "set", "--iban", tr)
	if r.code != 2 || !strings.Contains(r.stderr, "iban: IBAN "+tr+": outside SEPA: TR is not a country of the SEPA schemes (EPC409-09)") {
		t.Errorf("creditor set --iban %s: %s", tr, r)
	}
	foreign := map[string]string{
		"F2": tr,
		"F3": testIBAN(t, "BR", "00360305000010009795493P1"),
		"F4": testIBAN(t, "SA", "80000000608010167519"),
		"F5": testIBAN(t, "XK", "1212012345678906"),
	}
	csv := "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n" +
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n" +
		"F6,411F,Zeta,60.00,2026-12-01,sdd,CH9300762011623852957,RUM-F,2025-01-15,,,yes\n" +
		"F7,411G,Eta,70.00,2026-12-01,sdd,DE89370400440532013000,RUM-G,2025-01-15,,,yes\n"
	for _, doc := range []string{"F2", "F3", "F4", "F5"} {
		csv += doc + ",411" + doc + ",Client " + doc + ",10.00,2026-12-01,sdd," + foreign[doc] + ",RUM-" + doc + ",2025-01-15,Ville,FR,yes\n"
	}
	w.must("import", w.writeFile("in.csv", []byte(csv)))
	r = w.run("sdd")
	if r.code != 3 {
		t.Fatalf("sdd: %s", r)
	}
	for doc, iban := range foreign {
		// The refusal masks the account (issue 16, item 6).
		if !strings.Contains(r.stdout, "  "+doc+" 411"+doc+" 10,00: debtor IBAN: IBAN "+ident.MaskIBAN(iban)+": outside SEPA: "+iban[:2]+
			" is not a country of the SEPA schemes (EPC409-09)\n") {
			t.Errorf("%s (%s) not refused for its country:\n%s", doc, iban[:2], r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "  F6 411F 60,00: debtor address: missing: the debtor's bank is in CH, a SEPA country outside the EEA, so the town name and country are required\n") {
		t.Errorf("F6 (Swiss bank, no address) not refused:\n%s", r.stdout)
	}
	xml := readFile(t, w.out+"/PAIEMENT.001.xml")
	if !strings.Contains(xml, "<EndToEndId>F1</EndToEndId>") || !strings.Contains(xml, "<EndToEndId>F7</EndToEndId>") ||
		strings.Count(xml, "<DrctDbtTxInf>") != 2 {
		t.Errorf("PAIEMENT.001.xml should hold F1 and F7 (German bank, no address needed) only")
	}
	// verify finds a TR account in a file another program wrote.
	bad := w.writeFile("other.xml", []byte(strings.Replace(xml, "<DbtrAcct><Id><IBAN>FR7630004008280001012345691</IBAN>", "<DbtrAcct><Id><IBAN>"+tr+"</IBAN>", 1)))
	if bad == "" || !strings.Contains(readFile(t, bad), tr) {
		t.Fatal("could not plant the TR account")
	}
	r = w.run("verify", bad)
	if r.code != 1 || !strings.Contains(r.stdout, "outside SEPA: TR is not a country of the SEPA schemes (EPC409-09)") {
		t.Errorf("verify %s: %s", bad, r)
	}
}

// Regression (issue 15, item 12): a postcode, building number or town
// longer than its EPC field was cut without a word ("75008-CEDEX-12345"
// became another postcode). The receivable is refused with the reason; the
// creditor's address is refused by creditor set.
func TestAddressFieldsNeverCut(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	r := w.run("creditor", "set", "--postcode", "75002-CEDEX-PARIS-02")
	if r.code != 2 || !strings.Contains(r.stderr, `postcode: "75002-CEDEX-PARIS-02": 20 characters, at most 16 in a SEPA file`) {
		t.Errorf("creditor set --postcode: %s", r)
	}
	town := "Saint-Rémy-de-Provence-sur-Durance-Haute"
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,building,postcode,town,country,pointed\n"+
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,3,75008-CEDEX-12345,Paris,FR,yes\n"+
		"F2,411B,Beta,20.00,2026-12-01,sdd,FR7630006000011234567890189,RUM-B,2025-01-15,12 bis escalier B porte 4,13210,"+town+",FR,yes\n"+
		"F3,411C,Gamma,30.00,2026-12-01,sdd,FR1420041010050500013M02606,RUM-C,2025-01-15,12,75008,Paris CEDEX 08,FR,yes\n"))
	w.must("import", in)
	r = w.run("sdd")
	if r.code != 3 {
		t.Fatalf("sdd: %s", r)
	}
	for _, want := range []string{
		`  F1 411A 10,00: debtor address postcode (PstCd) "75008-CEDEX-12345": 17 characters in the EPC set, at most 16: it would be cut; write CEDEX and its number after the town` + "\n",
		`  F2 411B 20,00: debtor address building number (BldgNb) "12 bis escalier B porte 4": 25 characters in the EPC set, at most 16: it would be cut; put the rest in the street name; ` +
			`debtor address town name (TwnNm) "` + town + `": 40 characters in the EPC set, at most 35: it would be cut; abbreviate it (ST for SAINT, STE for SAINTE)` + "\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sdd output lacks\n%s\nin:\n%s", want, r.stdout)
		}
	}
	if xml := readFile(t, w.out+"/PAIEMENT.001.xml"); !strings.Contains(xml, "<TwnNm>Paris CEDEX 08</TwnNm>") || strings.Count(xml, "<DrctDbtTxInf>") != 1 {
		t.Errorf("PAIEMENT.001.xml should hold F3 only, with its town whole")
	}
}

// Regression (issue 15, item 12): remit sdd --cfonb wrote each document into
// the 12-character référence zone of the national direct-debit file cut to
// its first 12 characters, without a word: FA-2026-000123 and
// FB-2026-000123 became "FA-2026-0001" and "FB-2026-0001", and
// FA-2026-000123 and FA-2026-000124 read the same. A long document is now
// carried by its last 12 characters, where an ERP's numbers differ, the run
// says so, and a debit whose reference would still read as another's of the
// run is refused and goes in the next remittance.
func TestNationalReferenceNeverCutSilently(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"FA-2026-000123,411A,Alpha,10.00,2026-12-15,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n"+
		"FB-2026-000123,411B,Beta,20.00,2026-12-15,sdd,FR7630006000011234567890189,RUM-B,2025-01-15,Lyon,FR,yes\n"+
		"FA-2026-000124,411C,Gamma,30.00,2026-12-16,sdd,FR1420041010050500013M02606,RUM-C,2025-01-15,Lyon,FR,yes\n"+
		"F2026-0042,411D,Delta,40.00,2026-12-16,sdd,FR7630006000011234567890189,RUM-D,2025-01-15,Lyon,FR,yes\n"))
	w.must("import", in)
	r := w.run("sdd", "--cfonb")
	if r.code != 3 {
		t.Fatalf("sdd --cfonb: %s", r)
	}
	for _, want := range []string{
		"note: 2 debits carry the last 12 characters of their documents in the référence zone of the national direct-debit file " +
			"(FA-2026-000123 → -2026-000123); each reads differently from the others of the run\n",
		`  FB-2026-000123 411B 20,00: its reference reads "-2026-000123" in the 12-character référence zone of the national ` +
			"direct-debit file, as FA-2026-000123's in the same run: the bank could not tell the debits apart; it goes in the next " +
			"remittance (run remit sdd again)\n    to do: nothing to do: it stays pointed and a later run takes it\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sdd --cfonb output lacks\n%s\nin:\n%s", want, r.stdout)
		}
	}
	refs := func(file string) (out []string) {
		for _, line := range strings.Split(readFile(t, file), "\r\n") {
			if strings.HasPrefix(line, "06") {
				out = append(out, strings.TrimRight(line[18:30], " "))
			}
		}
		return out
	}
	if got := strings.Join(refs(w.out+"/PAIEMENT.001"), " "); got != "-2026-000123 -2026-000124 F2026-0042" {
		t.Errorf("références of PAIEMENT.001: %s", got)
	}
	w.must("regenerate", "1")
	if r := w.run("verify", w.out+"/PAIEMENT.001"); r.code != 0 {
		t.Errorf("verify: %s", r)
	}
	// The next run takes the refused debit: its reference is alone there.
	r = w.must("sdd", "--cfonb")
	if got := strings.Join(refs(w.out+"/PAIEMENT.002"), " "); got != "-2026-000123" {
		t.Errorf("références of PAIEMENT.002: %s\n%s", got, r.stdout)
	}
}

// Regression (issue 15, item 12): the remise's reference was cut to its
// zone: from remittance 10000 on, "REMISE 10000" became "REMISE 1000" in the
// LCR file's 03 record (11 characters) and "PRL10000" became "PRL1000" in
// the national file's (7), the reference of another remise. A reference its
// prefix would push out is written bare.
func TestRemiseReferenceNeverCut(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	db := w.sqlDB()
	// A cancelled remittance 9999 (an older remit's): the next ones are 10000 and 10001.
	if _, err := db.Exec(`INSERT INTO remittances (id, creditor_id, kind, status, created_at, item_count, total)
		VALUES (9999, 1, 'sdd', 'cancelled', '2026-01-05 10:00:00', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"F1,411A,Alpha,10.00,2026-12-15,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n"+
		"F2,411B,Beta,20.00,2026-12-15,lcr,FR1420041010050500013M02606,,,Lille,FR,yes\n"))
	w.must("import", in)
	w.must("sdd", "--cfonb")
	w.must("lcr")
	header := func(file string) string {
		t.Helper()
		return strings.SplitN(readFile(t, filepath.Join(w.out, file)), "\r\n", 2)[0]
	}
	if h := header("PAIEMENT.10000"); h[54:61] != "10000  " {
		t.Errorf("national 03 record, référence de la remise (55-61): %q", h[54:61])
	}
	if h := header("PAIEMENT.10001"); h[149:160] != "10001      " {
		t.Errorf("LCR 03 record, référence de la remise (150-160): %q", h[149:160])
	}
	for _, ref := range []string{"10000", "10001"} {
		w.must("regenerate", ref)
	}
	if r := w.run("verify", filepath.Join(w.out, "PAIEMENT.10000"), filepath.Join(w.out, "PAIEMENT.10001")); r.code != 0 {
		t.Errorf("verify: %s", r)
	}
}

// Regression (issue 15, item 13): Greek, Cyrillic and CJK text became "?",
// and debtors named only in those scripts were refused, so they could never
// be collected. They are transliterated: Greek and Cyrillic by the EPC's
// table (EPC217-08), the others by unidecode.
func TestNamesInOtherScriptsTransliterated(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	in := w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"F1,411GR,Παπαδόπουλος Γιώργος,10.00,2026-12-01,sdd,FR7630004008280001012345691,RUM-1,2025-01-15,Αθήνα,GR,yes\n"+
		"F2,411BG,Жуков Щукин,20.00,2026-12-01,sdd,FR7630006000011234567890189,RUM-2,2025-01-15,София,BG,yes\n"+
		"F3,411CN,王伟,30.00,2026-12-01,sdd,FR1420041010050500013M02606,RUM-3,2025-01-15,北京,CN,yes\n"+
		"F4,411RU,Чехов,40.00,2026-12-31,lcr,FR7610278060760001234560136,,,Москва,RU,yes\n"))
	w.must("import", in)
	r := w.must("sdd")
	if strings.Contains(r.stdout, "refused") {
		t.Fatalf("sdd refused debtors:\n%s", r.stdout)
	}
	xml := readFile(t, w.out+"/PAIEMENT.001.xml")
	for _, want := range []string{"<Nm>Papadopoylos Giorgos</Nm>", "<TwnNm>Athina</TwnNm>", "<Nm>Zhukov Shtukin</Nm>",
		"<TwnNm>Sofiya</TwnNm>", "<Nm>Wang Wei</Nm>", "<TwnNm>Bei Jing</TwnNm>"} {
		if !strings.Contains(xml, want) {
			t.Errorf("PAIEMENT.001.xml has no %s", want)
		}
	}
	w.must("verify", w.out+"/PAIEMENT.001.xml")
	w.must("lcr")
	if cfonb := readFile(t, w.out+"/PAIEMENT.002"); !strings.Contains(cfonb, "CHEHOV                  ") {
		t.Errorf("PAIEMENT.002 has no CHEHOV in the nom du tiré zone:\n%s", cfonb)
	}
}

// Regression (issue 15, item 10): after remit cancel, PAIEMENT.N.xml and its
// slip stayed in --out under their normal names, and remit bordereau N
// printed a normal slip: a script uploading out/PAIEMENT.* would send
// withdrawn debits. The files move to out/cancelled/, renamed, and reprints
// say ANNULÉE.
func TestCancelledRemittanceCannotBeUploaded(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.must("import", w.writeFile("in.csv", []byte("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,town,country,pointed\n"+
		"F1,411A,Alpha,10.00,2026-12-01,sdd,FR7630004008280001012345691,RUM-A,2025-01-15,Lyon,FR,yes\n")))
	w.must("sdd")
	xmlSum, _ := sha256File(t, w.out+"/PAIEMENT.001.xml")
	r := w.must("cancel", "1")
	want := "remittance 001 cancelled: 1 receivable back to pointed; its files moved to " + w.out + "/cancelled/ " +
		"(CANCELLED.PAIEMENT.001.xml, CANCELLED.BORDEREAU.001.pdf): do not send them\n"
	if r.stdout != want {
		t.Errorf("cancel:\n%s\nwant:\n%s", r.stdout, want)
	}
	for _, glob := range []string{"PAIEMENT.*", "*.xml", "BORDEREAU.*", "cancelled/PAIEMENT.*"} {
		if m, _ := filepath.Glob(filepath.Join(w.out, glob)); len(m) > 0 {
			t.Errorf("an uploader taking out/%s would send %v", glob, m)
		}
	}
	if sum, _ := sha256File(t, w.out+"/cancelled/CANCELLED.PAIEMENT.001.xml"); sum != xmlSum {
		t.Errorf("the cancelled file was changed: %s, was %s", sum, xmlSum)
	}
	show := w.show("001")
	if len(show.Files) != 2 || show.Files[0].Name != "cancelled/CANCELLED.PAIEMENT.001.xml" || show.Files[0].SHA256 != xmlSum {
		t.Errorf("show: %+v", show.Files)
	}
	// The slip printed again says ANNULÉE, beside the cancelled files.
	r = w.must("bordereau", "1")
	if r.stdout != w.out+"/cancelled/CANCELLED.BORDEREAU.001.pdf\n" {
		t.Errorf("bordereau: %s", r)
	}
	if m, _ := filepath.Glob(filepath.Join(w.out, "BORDEREAU.*")); len(m) > 0 {
		t.Errorf("bordereau printed %v", m)
	}
	if text := pdfText(t, w.out+"/cancelled/CANCELLED.BORDEREAU.001.pdf"); !strings.Contains(text, "ANNULÉE") ||
		!strings.Contains(text, "ne pas remettre ce bordereau ni son fichier à la banque") {
		t.Errorf("reprinted slip is not marked ANNULÉE:\n%s", text)
	}
	// The next run collects F1 under a new reference; cancel again changes nothing.
	w.must("sdd")
	if _, err := os.Stat(w.out + "/PAIEMENT.002.xml"); err != nil {
		t.Error(err)
	}
	if r := w.run("cancel", "1"); r.code != 1 || !strings.Contains(r.stderr, "remittance 001: already cancelled") {
		t.Errorf("cancel again: %s", r)
	}
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t testing.TB, path string) string {
	t.Helper()
	bin := testtool.Tool(t, "pdftotext")
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
