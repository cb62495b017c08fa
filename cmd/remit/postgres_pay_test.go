package main

// Supplier payments on PostgreSQL, the way a user runs them: the same
// commands on an SQLite database and on a PostgreSQL one say the same, and
// write the very same files (pain.001, CFONB virements, lettres-chèques,
// slips, advices, entries, FEC).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// payDayCSV are the payables of the day: a supplier's invoices and credit
// note with an early-payment discount, a parent account's suppliers, a
// payable to pay from the second bank, a contested one, one not approved,
// cheques, and a transfer in dollars (refused).
const payDayCSV = `document;supplier;name;amount;due_date;method;currency;journal;iban;bic;street;building;postcode;town;country;priority;label;discount_rate;discount_until;parent;approved
FA-2026-118;401SUNCHEM;SUN CHEMICAL SAS;1200.00;2026-12-15;vir;;;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;Encres décembre;2;2026-12-08;;yes
FA-2026-119;401SUNCHEM;SUN CHEMICAL SAS;800.00;2026-12-20;vir;;;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;Solvants;;;;yes
AV-2026-007;401SUNCHEM;SUN CHEMICAL SAS;-150.00;2026-12-10;vir;;;FR7630006000011234567890189;AGRIFRPP;Rue de la Chimie;4;69007;Lyon;FR;1;Avoir retour palettes;;;;yes
F-7788;401ATELIER;Ateliers Réunis d'Œuvres Métalliques & Fils;2450.00;2026-12-16;vir;;BQ2;FR7610107001750002001234597;;Zone industrielle des Grandes Terres, bâtiment C, allée des Érables prolongée, porte 4;;38070;Saint-Quentin-Fallavier;FR;2;Chaudronnerie lot 12;;;;yes
F-9001;401GROSSE;GROSSE COMMANDE SA;4500.00;2026-12-09;vir;;;FR7630066100210001029384761;CMCIFRPP;Quai de la Fosse;3;44000;Nantes;FR;0;Machine-outil;;;;yes
RE-2026-55;401KRAUS;Kraus Maschinenbau GmbH;3980.00;2026-12-14;vir;;;DE89370400440532013000;COBADEFFXXX;Hauptstraße;12;10115;Berlin;DE;4;Rechnung 55;1,5;2026-12-31;;yes
G-1;401GAMMA;GAMMA NORD;310.00;2026-12-17;vir;;;FR7630004000031234567890143;BNPAFRPP;Rue Nationale;9;59000;Lille;FR;3;;;;401CENTRALE;yes
G-2;401GAMMA2;GAMMA SUD;190.00;2026-12-19;vir;;;FR7630004000031234567890143;BNPAFRPP;Rue Nationale;9;59000;Lille;FR;3;;;;401CENTRALE;yes
Q-1;401QUALI;QUALITE PLUS;560.40;2026-12-18;vir;;;FR1420041010050500013M02606;;Rue Haute;2;75003;Paris;FR;5;;;;;yes
N-1;401NOBON;SANS BON A PAYER;99.90;2026-12-18;vir;;;FR1420041010050500013M02606;;Rue Basse;3;75003;Paris;FR;5;;;;;no
US-2026-3;401ACMEUS;ACME Tools Inc.;990.00;2026-12-10;vir;USD;;BE68539007547034;;Main Street;1;1000;Bruxelles;BE;5;;;;;yes
FA-501;401DUPOND;DUPOND SARL;3000.00;2026-12-28;chq;;;;;Place du Marché;1;33000;Bordeaux;FR;0;;;;;yes
FA-502;401DUPOND;DUPOND SARL;1250.50;2026-12-30;chq;;;;;Place du Marché;1;33000;Bordeaux;FR;0;;2;2026-12-10;;yes
AV-77;401DUPOND;DUPOND SARL;-250.50;2026-12-20;chq;;;;;Place du Marché;1;33000;Bordeaux;FR;0;;;;;yes
FA-900;401ZOLA;ZOLA ET CIE;71.20;2026-12-15;chq;;;;;Rue Émile Zola;8;59000;Lille;FR;0;;;;;yes
`

// TestPostgresPaymentsSameAsSQLite runs a day of supplier payments on both
// stores: the payables imported, approved, contested, pointed to a target,
// grouped by hand, paid by transfer (pain.001.001.09 with the CFONB
// virement file, a substitute bank taking over at the limit) and by cheque,
// a cheque voided and printed again, a transfer rejected by the bank's
// pain.002 and paid again in pain.001.001.03, a payment remittance
// cancelled, the lists, the entries and the FEC, the forecast and
// regenerate. Every command says the same on both, and every file is the
// same, byte for byte.
func TestPostgresPaymentsSameAsSQLite(t *testing.T) {
	sq, pg := newWorkspace(t), newPGWorkspace(t)
	for _, w := range []*workspace{sq, pg} {
		w.env = []string{"REMIT_NOW=" + sameDayNow.Format(time.RFC3339)}
		w.writeFile("payables.csv", []byte(payDayCSV))
		w.writeFile("receivables.csv", []byte("document;customer;name;amount;due_date;iban;town;country\n"+
			"F1;411DUPONT;Dupont Matériaux;100;2026-12-20;FR7630006000011234567890189;Bordeaux;FR\n"))
	}
	steps := []dayStep{
		{nil, []string{"init"}},
		{nil, creditorArgs},
		{nil, []string{"creditor", "set", "--approval-required"}},
		{nil, []string{"bank", "add", "BQ2", "--iban", "FR7630003035400005001234548", "--bic", "SOGEFRPP", "--name", "SOCIETE GENERALE",
			"--account", "512200"}},
		{nil, []string{"bank", "set", "BQ", "--limit", "0", "--substitute", "BQ2"}},
		{nil, []string{"bank", "balance", "BQ", "--amount", "8000.00", "--date", "2026-11-30"}},
		{nil, []string{"grouping", "set", "vir", "--auto", "--same-supplier", "--within-days", "30"}},
		{nil, []string{"grouping", "set", "vir", "--auto", "--same-parent", "--for", "401CENTRALE"}},
		{nil, []string{"grouping", "set", "chq", "--auto"}},
		{nil, []string{"grouping", "show"}},
		{nil, []string{"payables", "import", "payables.csv"}},
		{nil, []string{"payables", "import", "payables.csv", "--json"}},
		{nil, []string{"payables", "contest", "Q-1", "--reason", "litige qualité"}},
		{nil, []string{"payables", "list"}},
		{nil, []string{"payables", "point", "--method", "vir", "--target", "5000.00", "--order", "priority-due"}},
		{nil, []string{"payables", "list", "--status", "pointed", "--json"}},
		{nil, []string{"payables", "unpoint", "--method", "vir"}},
		{nil, []string{"payables", "point", "--method", "vir"}},
		{nil, []string{"payables", "ungroup", "FA-2026-119"}},
		{nil, []string{"payables", "group", "FA-2026-119", "FA-2026-118", "AV-2026-007"}},
		{nil, []string{"payables", "approve", "N-1"}},
		{nil, []string{"payables", "point", "--document", "N-1"}},
		{nil, []string{"payables", "point", "--method", "chq"}},
		{nil, []string{"sct", "--dry-run"}},
		{nil, []string{"sct", "--cfonb"}},
		{nil, []string{"payables", "list", "--refused"}},
		{nil, []string{"pay-cheques", "--first-number", "4500121"}},
		{nil, []string{"cheque-register"}},
		{nil, []string{"cheque-register", "void", "4500122", "--reason", "mal imprimé"}},
		{nil, []string{"cheque-register", "--json"}},
		{nil, []string{"returns", "pain002-sct.xml"}},
		{nil, []string{"returns", "pain002-sct.xml"}},
		{nil, []string{"payables", "list", "--refused"}},
		{nil, []string{"payables", "resolve", "Q-1"}},
		{nil, []string{"payables", "point", "--document", "Q-1"}},
		{nil, []string{"sct", "--pain", "03", "--execution-date", "2026-12-15"}},
		{nil, []string{"cancel", "004", "--yes"}},
		{nil, []string{"payables", "list", "--status", "all", "--json"}},
		{nil, []string{"remittances"}},
		{nil, []string{"show", "001"}},
		{nil, []string{"show", "003", "--json"}},
		{nil, []string{"entries", "--format", "csv"}},
		{nil, []string{"entries", "-o", "fec.txt"}},
		{nil, []string{"forecast", "--to", "2026-12-31"}},
		{nil, []string{"refund", "411DUPONT", "--amount", "10.00"}},
		{nil, []string{"import", "receivables.csv"}},
		{nil, []string{"refund", "411DUPONT", "--amount", "10.00"}},
		{nil, []string{"regenerate", "001"}},
		{nil, []string{"regenerate", "002"}},
		{nil, []string{"regenerate", "003"}},
	}
	for _, step := range steps {
		if step.args[0] == "returns" {
			for _, w := range []*workspace{sq, pg} {
				w.writeFile("pain002-sct.xml", []byte(pain002SCTFor(t, w)))
			}
		}
		var outs [2]string
		for i, w := range []*workspace{sq, pg} {
			r := w.runEnv(step.env, step.args...)
			out := fmt.Sprintf("exit %d\n%s\n--- stderr\n%s", r.code, r.stdout, r.stderr)
			out = strings.ReplaceAll(out, w.db, "DATABASE")
			out = runID.ReplaceAllString(out, "RUN-ID")
			outs[i] = strings.ReplaceAll(out, w.dir, "WORKSPACE")
		}
		if outs[0] != outs[1] {
			t.Fatalf("remit %s: SQLite and PostgreSQL differ:\n=== SQLite\n%s\n=== PostgreSQL\n%s", strings.Join(step.args, " "), outs[0], outs[1])
		}
		t.Logf("remit %s: %s", strings.Join(step.args, " "), strings.SplitN(outs[0], "\n", 2)[0])
	}
	a, b := workspaceFiles(t, sq), workspaceFiles(t, pg)
	for _, want := range []string{"out/PAIEMENT.001.xml", "out/PAIEMENT.001", "out/CHEQUES.003.pdf", "out/CHEQUE.4500123.pdf", "out/cancelled/CANCELLED.PAIEMENT.004.xml", "fec.txt"} {
		if a[want] == "" {
			t.Errorf("the day did not write %s (it wrote %v)", want, sortedNames(a))
		}
	}
	for _, name := range sortedNames(a) {
		if a[name] != b[name] {
			t.Errorf("%s: sha256 %s on SQLite, %q on PostgreSQL", name, a[name], b[name])
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s: written on PostgreSQL only", name)
		}
	}
	// The SQLite database copied to an empty PostgreSQL one: its payment
	// remittances regenerate there byte for byte.
	cp := newPGWorkspace(t)
	cp.env, cp.out = sq.env, sq.out
	cp.must("db", "copy", "--from", sq.db, "--to", cp.db)
	for _, ref := range []string{"001", "002", "003"} {
		if r := cp.must("regenerate", ref); strings.Count(r.stdout, "(identical to the original)") < 2 {
			t.Errorf("regenerate %s from the copy:\n%s", ref, r)
		}
	}
}

// workspaceFiles are the sha256 of the files of a workspace but its database.
func workspaceFiles(t *testing.T, w *workspace) map[string]string {
	m := map[string]string{}
	filepath.WalkDir(w.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "remit.db") {
			sum, _ := sha256File(t, path)
			rel, _ := filepath.Rel(w.dir, path)
			m[rel] = sum
		}
		return nil
	})
	return m
}

// pain002SCTFor is a bank's pain.002 rejecting the first transfer of
// remittance 001 (read from the workspace's PAIEMENT.001.xml).
func pain002SCTFor(t *testing.T, w *workspace) string {
	t.Helper()
	xml, err := os.ReadFile(filepath.Join(w.out, "PAIEMENT.001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	field := func(tag string) string {
		_, after, ok := strings.Cut(string(xml), "<"+tag+">")
		if !ok {
			t.Fatalf("PAIEMENT.001.xml has no %s", tag)
		}
		return after[:strings.Index(after, "<")]
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-PSR-7</MsgId><CreDtTm>2026-12-04T07:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>` + field("MsgId") + `</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>` + field("PmtInfId") + `</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>` + field("EndToEndId") +
		`</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`
}
