package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
)

// The paper of an LCR remittance, printed the way an accountant does:
// remit lcr, then remit traites and remit bordereau (issue 17, items 12
// and 13; issue 15, item 9).

const lcrCSV = `document;customer;name;amount;due_date;method;issue_date;iban;acceptance;bank_name;street;postcode;town;country
F2026-0101;411MARTIN;Martin & Fils;500,00;2026-12-15;lcr;2026-11-02;FR1420041010050500013M02606;accepted;LBP LILLE;3 rue Nationale;59000;Lille;FR
F2026-0102;411IMPRIMERIE-LEBLANC;Imprimerie Leblanc & Cie;615,40;2026-12-31;lcr;2026-11-05;FR7630004028370001234567873;bor;BNP NICE;12 rue Gutenberg;06000;Nice;FR
`

// pdfText is what pdftotext -layout reads in a PDF.
func pdfText(t *testing.T, path string, args ...string) string {
	t.Helper()
	bin := testtool.Tool(t, "pdftotext")
	out, err := exec.Command(bin, append(append([]string{"-layout", "-enc", "UTF-8"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func lcrRemittance(t *testing.T) *cliEnv {
	t.Helper()
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("lcr.csv", lcrCSV))
	c.must("point", "--method", "lcr", "--due-to", "2026-12-31")
	if out := c.must("lcr"); !strings.HasPrefix(out, "remittance 001  LCR") {
		t.Fatalf("lcr: %s", out)
	}
	return c
}

func TestTraitesCommand(t *testing.T) {
	c := lcrRemittance(t)
	pdf := filepath.Join(c.dir, "t.pdf")
	out, errs, code := c.run("", "traites", "1", "--value-in", "marchandises", "-o", pdf)
	if code != 0 || errs != "" || out != pdf+"\n2 traites printed on 1 page, of which 1 billet à ordre\n" {
		t.Fatalf("traites: exit %d\n%s%s", code, out, errs)
	}
	text := pdfText(t, pdf)
	// The billet à ordre: the customer promises to pay (issue 15, item 9).
	if strings.Count(text, "LETTRE DE CHANGE") != 1 || strings.Count(text, "BILLET À ORDRE") != 1 ||
		!strings.Contains(text, "nous paierons la somme indiquée ci-dessous") ||
		!strings.Contains(text, "NOM et ADRESSE du SOUSCRIPTEUR") {
		t.Errorf("one lettre de change and one billet à ordre expected:\n%s", text)
	}
	// Created on the invoice's date, remitted on the remittance's, valeur en marchandises.
	for _, want := range []string{"02/11/2026", "05/11/2026", "le 22/11/2026", "Valeur en marchandises"} {
		if !strings.Contains(squashSpaces(text), want) {
			t.Errorf("traites lack %q:\n%s", want, text)
		}
	}

	// Aligning the printer: two pages of X, moved 2.5 mm right and 1 mm up,
	// and the offset kept for the creditor.
	align := filepath.Join(c.dir, "align.pdf")
	out, errs, code = c.run("", "traites", "--alignment", "--copies", "2", "--offset-x", "2.5", "--offset-y", "-1", "-o", align)
	if code != 0 || errs != "" || out != align+"\noffset saved for creditor ACME: 2.5 mm right, 1 mm up\n" {
		t.Fatalf("alignment: exit %d\n%s%s", code, out, errs)
	}
	if pages := strings.Count(pdfText(t, align), "\f"); pages != 2 {
		t.Errorf("alignment with --copies 2: %d pages", pages)
	}
	if out := c.must("creditor", "show"); !strings.Contains(out, "traites    printed with an offset of 2.5 mm right, 1 mm up\n") {
		t.Errorf("creditor show:\n%s", out)
	}
	// The saved offset applies to the next traites: the same bytes as when
	// it is given again, others without it.
	saved, given, none := filepath.Join(c.dir, "saved.pdf"), filepath.Join(c.dir, "given.pdf"), filepath.Join(c.dir, "none.pdf")
	c.must("traites", "1", "--model", "preimprime", "-o", saved)
	c.must("traites", "1", "--model", "preimprime", "-o", given, "--offset-x", "2.5", "--offset-y", "-1")
	if out := c.must("traites", "1", "--model", "preimprime", "-o", none, "--offset-x", "0", "--offset-y", "0"); !strings.Contains(out,
		"offset saved for creditor ACME: none\n") {
		t.Errorf("offset back to none: %q", out)
	}
	b1, _ := os.ReadFile(saved)
	b2, _ := os.ReadFile(given)
	b3, _ := os.ReadFile(none)
	if !bytes.Equal(b1, b2) || bytes.Equal(b1, b3) {
		t.Errorf("the saved offset is not applied (saved = given: %v, saved = none: %v)", bytes.Equal(b1, b2), bytes.Equal(b1, b3))
	}
	// On pre-printed paper the billet à ordre needs its own form.
	if out := c.must("traites", "1", "--model", "preimprime", "-o", none); !strings.HasSuffix(out,
		"load billet à ordre forms from page 2 (of each copy): the pages before are lettres de change\n") {
		t.Errorf("pre-printed: %q", out)
	}

	for _, bad := range [][]string{{"--offset-x", "31"}, {"--offset-y", "1.25"}, {"--offset-x", "abc"}} {
		_, errs, code := c.run("", append([]string{"traites", "--alignment", "-o", align}, bad...)...)
		if code != ExitUsage || !strings.Contains(errs, bad[0]+` "`+bad[1]+`"`) {
			t.Errorf("traites %s: exit %d, %s", strings.Join(bad, " "), code, errs)
		}
	}
}

func squashSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestBordereauCommand(t *testing.T) {
	c := lcrRemittance(t)
	pdf := filepath.Join(c.dir, "b.pdf")
	if out := c.must("bordereau", "1", "-o", pdf); out != pdf+"\n" {
		t.Fatalf("bordereau: %q", out)
	}
	text := squashSpaces(pdfText(t, pdf))
	for _, want := range []string{
		// The due dates read as a range, not as two dates.
		"Échéances du 15/12/2026 au 31/12/2026",
		// Each drawee's bank, whole customer codes, the due date labelled.
		"Pièce Client Nom Domiciliation Compte Échéance Acceptation Montant",
		"F2026-0102 411IMPRIMERIE-LEBLANC Imprimerie Leblanc & Cie BNP NICE **** 7873 31/12/2026 BOR 615,40 €",
		"F2026-0101 411MARTIN Martin & Fils LBP LILLE **** 2606 15/12/2026 Acceptée 500,00 €",
		"Fait à Paris, le ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("LCR bordereau lacks %q:\n%s", want, text)
		}
	}

	// A direct debit due on a Saturday is collected on the Monday: the slip
	// shows both dates, each under its own heading.
	c.must("import", c.file("sdd.csv", `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;town;country
F2026-0201;411DUPONT;Dupont Matériaux;1234,56;2026-12-05;sdd;FR7630006000011234567890189;RUM-DUP-1;2025-01-10;Bordeaux;FR
`))
	c.must("point", "--document", "F2026-0201")
	c.must("sdd")
	pdf = filepath.Join(c.dir, "b2.pdf")
	c.must("bordereau", "2", "-o", pdf)
	text = squashSpaces(pdfText(t, pdf))
	for _, want := range []string{
		"Échéances 05/12/2026", "Dates de prélèvement 07/12/2026",
		"Pièce Client Nom Compte Échéance Prélèvement Séquence Montant",
		"FRST · CORE · prélèvement le 07/12/2026",
		"F2026-0201 411DUPONT Dupont Matériaux **** 0189 05/12/2026 07/12/2026 FRST 1 234,56 €",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("SDD bordereau lacks %q:\n%s", want, text)
		}
	}
}

// Regression: remit traites --pointed printed nothing when one pointed bill
// was drawn on a foreign account. It prints the others and lists the one
// left out with its reasons (exit 3); when it leaves out every one it
// writes no file (exit 5).
func TestTraitesPointedLeavesOutWhatCannotBePrinted(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", runCSV)) // F2026-0043 on a French account, F2026-0044 on a Dutch one
	pdf := filepath.Join(c.dir, "out", "TRAITES.20261122.pdf")
	refusal := "refused 1 receivable (no traite printed for it; correct it and import again, or unpoint it):\n" +
		"  F2026-0044 411VDV 75,00: IBAN NL91**********4300: not a valid French bank account: an LCR is drawn on a French account\n"
	out, errs, code := c.run("", "traites", "--pointed")
	if want := pdf + "\n1 traite printed on 1 page\n" + refusal; code != ExitPartial || out != want || errs != "" {
		t.Errorf("traites --pointed: exit %d\n%s%s\nwant:\n%s", code, out, errs, want)
	}
	if p := pdfText(t, pdf); !strings.Contains(p, "F2026-0043") || strings.Contains(p, "F2026-0044") {
		t.Errorf("printed:\n%s", p)
	}
	out, _, code = c.run("", "traites", "--pointed", "--json")
	var j struct {
		Path    string
		Printed int
		Refused []struct {
			Document, Customer, Name, Amount string
			Problems                         []string
		}
		Status     string
		ExitStatus int `json:"exit_status"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != ExitPartial || j.Path != pdf || j.Printed != 1 || len(j.Refused) != 1 ||
		j.Refused[0].Document != "F2026-0044" || j.Refused[0].Amount != "75.00" || len(j.Refused[0].Problems) != 1 ||
		j.Status != "partial" || j.ExitStatus != ExitPartial {
		t.Errorf("traites --pointed --json: exit %d, %+v\n%s", code, j, out)
	}
	os.Remove(pdf)
	out, _, code = c.run("", "traites", "--pointed", "--document", "F2026-0044")
	if want := "no traite printed\n" + refusal; code != ExitRefused || out != want {
		t.Errorf("traites --pointed, only the Dutch one: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
	out, _, code = c.run("", "traites", "--pointed", "--document", "F2026-0043", "--json")
	if code != 0 || !strings.HasSuffix(out, "\"refused\": [],\n  \"status\": \"done\",\n  \"exit_status\": 0\n}\n") {
		t.Errorf("traites --pointed, only the French one: exit %d\n%s", code, out)
	}
}
