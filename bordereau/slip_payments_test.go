package bordereau

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// paymentSlip is the slip of a remittance of supplier transfers: one line
// per payment (per supplier group), the company's account debited.
func paymentSlip(n int) (Slip, []SlipItem) {
	s := Slip{
		Creditor:   creditor,
		IBAN:       "FR7630004008280001012345691",
		BIC:        "BNPAFRPPLYO",
		Bank:       "BNP Paribas – Lyon Bellecour",
		Reference:  "PAIEMENT-2026-0014",
		Kind:       "Virements SEPA (SCT) · pain.001.001.09",
		Files:      []File{{Name: "PAIEMENT.PAIEMENT-2026-0014.xml", SHA256: strings.Repeat("fedcba9876543210", 4)}},
		MessageID:  "REMIT-PAY-20261202-0014",
		Created:    time.Date(2026, 12, 2, 16, 5, 0, 0, clock.Location()),
		DatesLabel: "Date d'exécution",
		Dates:      []time.Time{day(2026, 12, 4)},

		DetailTitle:     "Pièces",
		LongestCustomer: "401TRANSPORTS-MUNOZ",
		Payments:        true,
	}
	suppliers := []string{"Imprimerie Leblanc & Cie", "Transports Muñoz S.L.", "Grossiste Alimentaire du Rhône", "EDF Entreprises"}
	items := make([]SlipItem, n)
	for i := range items {
		docs := 1 + i%4
		items[i] = SlipItem{
			Block:    "Virements SEPA · exécution le 04/12/2026",
			Document: fmt.Sprintf("PAY-2026-%04d", i+1),
			Customer: []string{"401LEBLANC", "401TRANSPORTS-MUNOZ", "401GROSSISTE", "401EDF"}[i%4],
			Name:     suppliers[i%4],
			Account:  fmt.Sprintf("FR76300470000000%011d", i),
			Due:      day(2026, 12, 1+i%5),
			Detail:   plural(docs, "pièce"),
			Amount:   int64(5000 + (i*7919)%900000),
		}
	}
	s.Count, s.Total = sum(items)
	return s, items
}

// TestSlipPayments checks the words of a payments slip: ordering party,
// account debited, suppliers, the recap and the signer; and that a
// collection slip keeps its own.
func TestSlipPayments(t *testing.T) {
	s, items := paymentSlip(12)
	var buf bytes.Buffer
	pages, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock})
	if err != nil || pages != 1 {
		t.Fatalf("pages %d, err %v", pages, err)
	}
	keepPDF(t, "slip-payments.pdf", buf.Bytes())
	p := squash(pdfPages(t, buf.Bytes())[0])
	mustContain(t, "payments", p,
		"BORDEREAU DE PAIEMENTS", "Virements SEPA (SCT) · pain.001.001.09", "PAIEMENT-2026-0014",
		"DONNEUR D'ORDRE", "COMPTE À DÉBITER", "IBAN FR76 3000 4008 2800 0101 2345 691",
		"Date d'exécution 04/12/2026", "Fichier PAIEMENT.PAIEMENT-2026-0014.xml",
		"Pièce Fournisseur Nom Compte Échéance Pièces Montant",
		"Nous vous prions d’exécuter 12 opérations pour un montant total de",
		"par le débit du compte", "CACHET ET SIGNATURE DU DONNEUR D'ORDRE",
		"Bordereau de paiements PAIEMENT-2026-0014 · Société Cœur d’Épées & Fils")
	for _, it := range items {
		mustContain(t, "rows", p, fmt.Sprintf("%s %s %s **** %s %s %s %s", it.Document, it.Customer, it.Name,
			it.Account[len(it.Account)-4:], formatDate(it.Due), it.Detail, plain(it.Amount)))
		if strings.Contains(p, it.Account[4:len(it.Account)-4]) {
			t.Errorf("supplier account %s printed unmasked", it.Account)
		}
	}
	for _, collection := range []string{"CRÉANCIER", "COMPTE À CRÉDITER", "REMETTANT", "Nous vous remettons", "BORDEREAU DE REMISE"} {
		if strings.Contains(p, collection) {
			t.Errorf("payments slip says %q", collection)
		}
	}
	// Its following pages carry the same title, clear of the kind.
	s, items = paymentSlip(120)
	buf.Reset()
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "slip-payments-120.pdf", buf.Bytes())
	mustContain(t, "page 2", squash(pdfPages(t, buf.Bytes())[1]),
		"BORDEREAU DE PAIEMENTS Virements SEPA (SCT) · pain.001.001.09 Réf. PAIEMENT-2026-0014")
}

// summaryLineRE reads a line of a summary slip as pdftotext -layout gives
// it: the columns apart by runs of spaces.
var summaryLineRE = regexp.MustCompile(`(?m)^ *(\S.*?) {2,}([\d ]+?) {2,}([\d ]+,\d\d €)$`)

// TestSlipSummary: a summary slip of 200,000 items over three blocks is
// one page with one line per block, whose counts and totals add up to
// the remittance's; the items are still checked.
func TestSlipSummary(t *testing.T) {
	seq, count, total := seqItems(200_000)
	s := testSlip()
	s.Count, s.Total = count, total
	s.Files = append(s.Files, File{Name: "REM-2026-0042-detail.csv", SHA256: strings.Repeat("ab", 32)})
	var buf bytes.Buffer
	start := time.Now()
	pages, err := WriteSlip(&buf, s, seq, SlipOptions{Now: clock, Summary: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("200,000 items: %d page(s), %d bytes in %v", pages, buf.Len(), time.Since(start))
	keepPDF(t, "slip-summary.pdf", buf.Bytes())
	if pages != 1 {
		t.Fatalf("%d pages, want 1", pages)
	}
	raw := pdfPages(t, buf.Bytes())[0]
	p := squash(raw)
	mustContain(t, "summary", p, "Présentation Récapitulatif : une ligne par bloc, le détail des opérations dans le fichier joint",
		"Fichiers PRLV-REM-2026-0042.xml", "REM-2026-0042-detail.csv", "Bloc Opérations Montant",
		fmt.Sprintf("TOTAL DE LA REMISE — %s opérations %s", strings.ReplaceAll(formatInt(count), nbsp, " "), plain(total)))
	var n int
	var sumT int64
	lines := 0
	for _, m := range summaryLineRE.FindAllStringSubmatch(raw, -1) {
		if !slices.Contains(threeBlocks, m[1]) {
			continue
		}
		lines++
		c, _ := strconv.Atoi(strings.ReplaceAll(m[2], " ", ""))
		n += c
		sumT += parseEUR(t, m[3])
	}
	if lines != 3 || n != count || sumT != total {
		t.Errorf("%d block lines summing to %d items, %d cents; want 3, %d, %d", lines, n, sumT, count, total)
	}
	if regexp.MustCompile(`F2026-\d+`).MatchString(p) {
		t.Error("a summary slip prints items")
	}
	// The items are checked all the same.
	bad := func(yield func(SlipItem) bool) {
		for it := range seq {
			if it.Document == "F2026-150000" {
				it.Amount = -it.Amount
			}
			if !yield(it) {
				return
			}
		}
	}
	if _, err := WriteSlip(&buf, s, bad, SlipOptions{Now: clock, Summary: true}); err == nil ||
		!strings.Contains(err.Error(), "(F2026-150000): Amount") {
		t.Errorf("a negative amount in a summary slip: %v", err)
	}
}

// parseEUR reads "1 234,56 €" as pdftotext gives it back.
func parseEUR(t *testing.T, s string) int64 {
	t.Helper()
	digits := strings.NewReplacer(" ", "", ",", "", "€", "").Replace(s)
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return v
}

// BenchmarkSlipSummary200k: the summary of a 200k-item remittance, to set
// against BenchmarkSlip100k's detail (some 1,900 pages per 100k).
func BenchmarkSlipSummary200k(b *testing.B) {
	seq, count, total := seqItems(200_000)
	s := testSlip()
	s.Count, s.Total = count, total
	var size, pages int
	for b.Loop() {
		var buf bytes.Buffer
		var err error
		if pages, err = WriteSlip(&buf, s, seq, SlipOptions{Now: clock, Summary: true}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB-pdf")
}

// BenchmarkSlipPayments100k: the slip of 100k supplier payments.
func BenchmarkSlipPayments100k(b *testing.B) {
	s, items := paymentSlip(100_000)
	var size, pages int
	for b.Loop() {
		var out countingWriter
		var err error
		if pages, err = WriteSlip(&out, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
			b.Fatal(err)
		}
		size = int(out.n)
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB-pdf")
}
