package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func testAdvices() PaymentAdvices {
	return PaymentAdvices{Payer: drawerCo, Bank: "BNP Paribas Lyon Bellecour"}
}

// advicePayments: transfers to three suppliers, one of them long enough
// for several pages.
func advicePayments() []Payment {
	ps := testPayments()
	for i := range ps {
		ps[i].Method, ps[i].Date = "Virement SEPA", day(2026, 12, 4)
	}
	ps[0].IBAN = "FR76 3004 7144 9800 0201 4560 131"
	ps[1].IBAN = "ES9121000418450200051332"
	long := longPayment(90)
	long.Method, long.Date = "Chèque n° 4500123", day(2026, 12, 4)
	return append(ps, long)
}

func writeTestAdvices(t testing.TB, ps []Payment) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	pages, err := WritePaymentAdvices(&buf, testAdvices(), slices.Values(ps), AdviceOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != pages {
		t.Errorf("WritePaymentAdvices says %d pages, the PDF has %d", pages, got)
	}
	return buf.Bytes(), pages
}

var advicePageRE = regexp.MustCompile(`Avis de paiement (\S+) · .* Page (\d+)/(\d+)`)

// TestPaymentAdvices checks every value of each advice, the masked
// accounts, the netting, and page numbers counted within each advice.
func TestPaymentAdvices(t *testing.T) {
	ps := advicePayments()
	b, n := writeTestAdvices(t, ps)
	keepPDF(t, "advices.pdf", b)
	pages := pdfPages(t, b)
	// Which advice each page belongs to, from its footer.
	byRef := map[string][]string{}
	var order []string
	for i, raw := range pages {
		p := squash(raw)
		m := advicePageRE.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("page %d: no footer", i+1)
		}
		if len(byRef[m[1]]) == 0 {
			order = append(order, m[1])
		}
		byRef[m[1]] = append(byRef[m[1]], p)
		if want := strconv.Itoa(len(byRef[m[1]])); m[2] != want {
			t.Errorf("page %d: page %s of its advice, want %s", i+1, m[2], want)
		}
	}
	if len(order) != len(ps) {
		t.Fatalf("%d advices in %d pages, want %d", len(order), n, len(ps))
	}
	for i, p := range ps {
		own := byRef[p.Reference]
		if order[i] != p.Reference {
			t.Errorf("advice %d is %s, want %s", i+1, order[i], p.Reference)
		}
		for j, page := range own {
			mustContain(t, p.Reference, page, fmt.Sprintf("Page %d/%d", j+1, len(own)))
		}
		first, all := own[0], strings.Join(own, "\n")
		mustContain(t, p.Reference, first, "Société Cœur d’Épées & Fils", "Lyon, le 24/11/2026", "AVIS DE PAIEMENT",
			"Votre code fournisseur "+p.Supplier, "Notre référence "+p.Reference,
			"04/12/2026 "+p.Method, "BNP Paribas Lyon Bellecour", plain(p.Amount),
			"Nous vous informons du règlement des pièces ci-dessous.",
			"Pièce Date Échéance Libellé Montant Escompte Net")
		mustContain(t, p.Reference, all, fmt.Sprintf("MONTANT PAYÉ — %s %s", plural(len(p.Documents), "pièce"), plain(p.Amount)))
		for _, doc := range p.Documents {
			mustContain(t, p.Reference, all, doc.Document+" ")
		}
		if p.IBAN == "" {
			mustContain(t, p.Reference, first, "DATE DU RÈGLEMENT MODE DE RÈGLEMENT ÉMIS DEPUIS MONTANT PAYÉ")
		} else {
			mustContain(t, p.Reference, first, "DATE D'EXÉCUTION MODE DE RÈGLEMENT COMPTE CRÉDITÉ ÉMIS DEPUIS MONTANT PAYÉ")
			acc := strings.ReplaceAll(p.IBAN, " ", "")
			mustContain(t, p.Reference, first, "**** "+acc[len(acc)-4:])
			if strings.Contains(all, acc[4:len(acc)-4]) || strings.Contains(all, p.IBAN[5:20]) {
				t.Errorf("%s: the supplier's IBAN printed unmasked", p.Reference)
			}
		}
		win := pdfZone(t, b, slices.Index(pages, pages[0])+1+pageOffset(byRef, order, i), windowX, windowY, windowW, windowH)
		if !strings.HasPrefix(win, p.Payee.Name+" | ") {
			t.Errorf("%s: window shows %q", p.Reference, win)
		}
	}
	mustContain(t, "netting", byRef["PAY-2026-0002"][0], "Total des factures 12 200,50 €", "Avoirs déduits -350,50 €", "Escomptes -160,00 €")
	// The long advice carries its running total from page to page.
	long := byRef["PAY-2026-0003"]
	if len(long) < 3 {
		t.Fatalf("the 90-document advice takes %d pages", len(long))
	}
	carry := regexp.MustCompile(`(À reporter|Report) — (\d+) pièces ([\d ]+,\d\d €)`)
	var runN int
	var runT int64
	docRE := regexp.MustCompile(`BL-(\d{4}) `)
	for j, page := range long {
		cs := carry.FindAllStringSubmatch(page, -1)
		if j > 0 {
			mustContain(t, "long", page, "AVIS DE PAIEMENT Grossiste Alimentaire du Rhône Réf. PAY-2026-0003", "Suite — 04/12/2026")
			checkCarry(t, fmt.Sprintf("long page %d", j+1), cs[0], runN, runT)
		}
		for _, m := range docRE.FindAllStringSubmatch(page, -1) {
			k, _ := strconv.Atoi(m[1])
			runN++
			runT += ps[2].Documents[k-1].Amount
		}
		if j < len(long)-1 {
			checkCarry(t, fmt.Sprintf("long page %d", j+1), cs[len(cs)-1], runN, runT)
		}
	}
	if runN != 90 {
		t.Errorf("%d documents on the long advice, want 90", runN)
	}
}

// pageOffset is the index of advice i's first page.
func pageOffset(byRef map[string][]string, order []string, i int) int {
	n := 0
	for _, ref := range order[:i] {
		n += len(byRef[ref])
	}
	return n
}

// TestPaymentAdvicesErrors: every problem at once; an empty run is refused.
func TestPaymentAdvicesErrors(t *testing.T) {
	ps := advicePayments()
	ps[0].IBAN = "FR7630047144980002014560132"
	ps[2].Documents[5].Document = ""
	var buf bytes.Buffer
	_, err := WritePaymentAdvices(&buf, testAdvices(), slices.Values(ps), AdviceOptions{Now: clock})
	for _, want := range []string{
		`item 1 (PAY-2026-0001): IBAN "FR76*******************0132": not a valid IBAN`,
		`item 3 (PAY-2026-0003): Documents[5].Document "": missing`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if finished(buf.Bytes()) {
		t.Error("refused advices were finished")
	}
	for _, c := range []struct {
		a    PaymentAdvices
		opts AdviceOptions
		ps   iter.Seq[Payment]
	}{
		{testAdvices(), AdviceOptions{}, slices.Values(ps)},
		{PaymentAdvices{}, AdviceOptions{Now: clock}, slices.Values(ps)},
		{testAdvices(), AdviceOptions{Now: clock}, slices.Values([]Payment(nil))},
	} {
		buf.Reset()
		if _, err := WritePaymentAdvices(&buf, c.a, c.ps, c.opts); !errors.Is(err, ErrMissing) || finished(buf.Bytes()) {
			t.Errorf("%+v: err %v", c.opts, err)
		}
	}
}

// seqPayments yields n one-document transfers without holding them.
func seqPayments(n int) iter.Seq[Payment] {
	return func(yield func(Payment) bool) {
		for i := range n {
			amount := int64(1000 + (i*7919)%250000)
			p := Payment{Reference: "PAY-" + strconv.Itoa(i), Supplier: "401F" + strconv.Itoa(i%5000), Method: "Virement SEPA",
				Payee: Party{Name: "Fournisseur " + strconv.Itoa(i), Address: Address{Street: "1 rue du Port", Postcode: "13002", Town: "Marseille"}},
				IBAN:  "FR7630004008280001012345691", Date: day(2026, 12, 4), Amount: amount,
				Documents: []PaidDocument{{Document: "FA-" + strconv.Itoa(i), Issued: day(2026, 11, 2), Due: day(2026, 12, 2), Amount: amount}}}
			if !yield(p) {
				return
			}
		}
	}
}

// TestPaymentAdvicesMemoryFlat: ten times more advices (one page each),
// the same live memory but for the small record each page leaves.
func TestPaymentAdvicesMemoryFlat(t *testing.T) {
	checkFlat(t, 1_000, func(n int, h *heapProbe) int {
		pages, err := WritePaymentAdvices(&countingWriter{}, testAdvices(), probed(seqPayments(n), 500, h), AdviceOptions{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return pages
	})
}

func BenchmarkPaymentAdvices10k(b *testing.B) {
	var size, pages int
	for b.Loop() {
		var out countingWriter
		var err error
		if pages, err = WritePaymentAdvices(&out, testAdvices(), seqPayments(10_000), AdviceOptions{Now: clock}); err != nil {
			b.Fatal(err)
		}
		size = int(out.n)
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB-pdf")
}
