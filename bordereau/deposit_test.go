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

func testDeposit() ChequeDeposit {
	return ChequeDeposit{
		Holder:    creditor,
		Bank:      "CIC – Lyon Part-Dieu Entreprises",
		IBAN:      "FR76 3006 6100 4100 0105 7380 116",
		BIC:       "CMCIFRPP",
		Reference: "CHQ-2026-0007",
		Date:      day(2026, 12, 2),
	}
}

// testCheques makes n received cheques with varied drawers and banks.
func testCheques(n int) []DepositCheque {
	drawers := []string{"Boulangerie Lefèvre", "M. et Mme Muñoz", "Œuvres sociales du Comité d’entreprise Durand-Ducasse Frères et Associés Réunis",
		"Café « Le Relais »", "SCI Les Tilleuls", "Pharmacie Saint-Éloi"}
	banks := []string{"Crédit Agricole Centre-Est", "LCL Villeurbanne", "Banque Populaire Auvergne Rhône Alpes – agence de Bourgoin-Jallieu",
		"La Banque Postale", "Société Générale", ""}
	cs := make([]DepositCheque, n)
	for i := range cs {
		cs[i] = DepositCheque{
			Number:   fmt.Sprintf("%07d", 1234560+i*37),
			Drawer:   drawers[i%len(drawers)],
			Bank:     banks[i%len(banks)],
			Document: fmt.Sprintf("F2026-%05d", i+1),
			Amount:   int64(1500 + (i*7919)%180000),
		}
	}
	return cs
}

func depositSums(cs []DepositCheque) (int, int64) {
	var t int64
	for _, c := range cs {
		t += c.Amount
	}
	return len(cs), t
}

func writeTestDeposit(t testing.TB, cs []DepositCheque, opts DepositOptions) []byte {
	t.Helper()
	dep := testDeposit()
	dep.Count, dep.Total = depositSums(cs)
	if opts.Now.IsZero() {
		opts.Now = clock
	}
	var buf bytes.Buffer
	pages, err := WriteChequeDeposit(&buf, dep, slices.Values(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != pages {
		t.Errorf("WriteChequeDeposit says %d pages, the PDF has %d", pages, got)
	}
	return buf.Bytes()
}

// TestDepositZones checks every value of a one-page remise de chèques.
func TestDepositZones(t *testing.T) {
	cs := testCheques(8)
	b := writeTestDeposit(t, cs, DepositOptions{})
	keepPDF(t, "deposit-small.pdf", b)
	pages := pdfPages(t, b)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	p := squash(pages[0])
	count, total := depositSums(cs)
	mustContain(t, "header", p,
		"REMISE DE CHÈQUES", "Bordereau de versement", "RÉFÉRENCE DE LA REMISE", "CHQ-2026-0007",
		"TITULAIRE DU COMPTE", "Société Cœur d’Épées & Fils", "12, rue de l’Église", "69002 Lyon",
		"COMPTE À CRÉDITER", "CIC – Lyon Part-Dieu Entreprises", "IBAN FR76 3006 6100 4100 0105 7380 116", "BIC CMCIFRPP",
		"DATE DE LA REMISE", "02/12/2026", "NOMBRE DE CHÈQUES", "MONTANT TOTAL", plain(total),
		"RELEVÉ D'IDENTITÉ BANCAIRE DU COMPTE À CRÉDITER", "Code banque Code guichet N° de compte Clé RIB",
		"30066 10041 00010573801 16",
		"N° N° de chèque Tireur Banque du tireur Montant",
	)
	for i, c := range cs {
		line := fmt.Sprintf("%d %s %s", i+1, c.Number, c.Drawer)
		if strings.HasPrefix(c.Drawer, "Œuvres") {
			line = fmt.Sprintf("%d %s Œuvres sociales du Comité", i+1, c.Number)
		}
		mustContain(t, "rows", p, line)
		if c.Bank != "" && !strings.HasPrefix(c.Bank, "Banque Populaire") {
			mustContain(t, "rows", p, c.Bank+" "+plain(c.Amount))
		}
	}
	mustContain(t, "end", p,
		fmt.Sprintf("TOTAL DE LA REMISE — %d chèques %s", count, plain(total)),
		"Nous vous remettons 8 chèques pour un montant total de", plain(total)+", à porter au crédit du compte",
		"FR76 3006 6100 4100 0105 7380 116, sauf bonne fin", "d’encaissement.",
		"SIGNATURE DU REMETTANT", "Fait à Lyon, le 02/12/2026",
		"Remise de chèques CHQ-2026-0007 · Société Cœur d’Épées & Fils · édité le 24/11/2026 à 09:41 Page 1/1",
	)
	if strings.Contains(p, "reporter") || strings.Contains(p, "Exemplaire") {
		t.Error("one page, one copy: no carry line, no Exemplaire expected")
	}
}

var depositCarryRE = regexp.MustCompile(`(À reporter|Report) — (\d+) chèques ([\d ]+,\d\d €)`)

// TestDepositMultiPage: 150 cheques over several pages, in two copies:
// every page numbered within its copy, the table header repeated, the
// count and total carried from page to page, every cheque once per copy.
func TestDepositMultiPage(t *testing.T) {
	cs := testCheques(150)
	b := writeTestDeposit(t, cs, DepositOptions{Copies: 2})
	keepPDF(t, "deposit-150-copies2.pdf", b)
	pages := pdfPages(t, b)
	if len(pages)%2 != 0 || len(pages) < 6 {
		t.Fatalf("%d pages", len(pages))
	}
	per := len(pages) / 2
	numRE := regexp.MustCompile(`(?m)^(\d+) (\d{7}) `)
	for c := range 2 {
		var runN int
		var runT int64
		next := 1
		for i := range per {
			p := squash(pages[c*per+i])
			where := fmt.Sprintf("copy %d page %d", c+1, i+1)
			mustContain(t, where, p, fmt.Sprintf("Exemplaire %d/2 · Page %d/%d", c+1, i+1, per),
				"N° N° de chèque Tireur Banque du tireur Montant", "CHQ-2026-0007")
			carries := depositCarryRE.FindAllStringSubmatch(p, -1)
			if i > 0 {
				if len(carries) == 0 || carries[0][1] != "Report" {
					t.Fatalf("%s: no Report line", where)
				}
				checkCarry(t, where, carries[0], runN, runT)
			}
			for _, m := range numRE.FindAllStringSubmatch(p, -1) {
				n, _ := strconv.Atoi(m[1])
				if n != next || m[2] != cs[n-1].Number {
					t.Fatalf("%s: line %s %s, want %d %s", where, m[1], m[2], next, cs[next-1].Number)
				}
				runN++
				runT += cs[n-1].Amount
				next++
			}
			if i < per-1 {
				if len(carries) == 0 || carries[len(carries)-1][1] != "À reporter" {
					t.Fatalf("%s: no À reporter line", where)
				}
				checkCarry(t, where, carries[len(carries)-1], runN, runT)
			}
		}
		if next != len(cs)+1 {
			t.Errorf("copy %d: %d cheques printed, want %d", c+1, next-1, len(cs))
		}
		count, total := depositSums(cs)
		mustContain(t, "last page", squash(pages[c*per+per-1]),
			fmt.Sprintf("TOTAL DE LA REMISE — %d chèques %s", count, plain(total)), "SIGNATURE DU REMETTANT")
	}
}

// TestDepositErrors: every problem of the header and of the cheques comes
// back at once, each naming its cheque and field, and nothing is finished.
func TestDepositErrors(t *testing.T) {
	cs := testCheques(5)
	cs[1].Number = "12A4567"
	cs[2].Number = "12345678"
	cs[3].Drawer = " "
	cs[3].Number = ""
	cs[4].Amount = 0
	dep := testDeposit()
	dep.Count, dep.Total = 6, 1
	var buf bytes.Buffer
	pages, err := WriteChequeDeposit(&buf, dep, slices.Values(cs), DepositOptions{Now: clock})
	if err == nil || pages != 0 {
		t.Fatalf("pages %d, err %v", pages, err)
	}
	msg := err.Error()
	for _, want := range []string{
		`item 2 (F2026-00002): Number "12A4567": not a cheque number: 1 to 7 digits`,
		`item 3 (F2026-00003): Number "12345678": not a cheque number`,
		`item 4 (F2026-00004): Number "": missing`,
		`item 4 (F2026-00004): Drawer " ": missing`,
		`item 5 (F2026-00005): Amount "0,00 €": amount must be positive`,
		"5 cheques, header says 6: item count differs from the header",
		"header says 0,01 €: sum of the items differs from the header total",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, reason := range []error{ErrChequeNumber, ErrMissing, ErrAmount, ErrCount, ErrTotal} {
		if !errors.Is(err, reason) {
			t.Errorf("errors.Is(err, %v) = false", reason)
		}
	}
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Index != 2 || ie.Field != "Number" {
		t.Errorf("first ItemError %+v", ie)
	}
	if finished(buf.Bytes()) {
		t.Error("a refused remise was finished")
	}

	// The header's own problems, before anything is written.
	dep = ChequeDeposit{IBAN: "FR7630066100410001057380117"}
	buf.Reset()
	_, err = WriteChequeDeposit(&buf, dep, slices.Values(cs[:1]), DepositOptions{})
	for _, want := range []string{"Now: missing", "Holder.Name: missing", "Date: missing", `IBAN "FR7630066100410001057380117": not a valid French bank account`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("header error lacks %q: %v", want, err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for a refused header", buf.Len())
	}
}

// TestDepositDeterministic: the same data and clock give the same bytes;
// another edition time changes them.
func TestDepositDeterministic(t *testing.T) {
	cs := testCheques(3)
	a, b := writeTestDeposit(t, cs, DepositOptions{}), writeTestDeposit(t, cs, DepositOptions{})
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	c := writeTestDeposit(t, cs, DepositOptions{Now: clock.Add(1e9 * 60)})
	if bytes.Equal(a, c) {
		t.Fatal("the edition time is not printed")
	}
}

// seqCheques yields n cheques without holding them, as a cursor would.
func seqCheques(n int) (iter.Seq[DepositCheque], int, int64) {
	cheque := func(i int) DepositCheque {
		return DepositCheque{Number: strconv.Itoa(1000000 + i), Drawer: "Client numéro " + strconv.Itoa(i),
			Bank: "Banque " + strconv.Itoa(i%40), Amount: int64(1000 + (i*7919)%250000)}
	}
	var total int64
	for i := range n {
		total += cheque(i).Amount
	}
	return func(yield func(DepositCheque) bool) {
		for i := range n {
			if !yield(cheque(i)) {
				return
			}
		}
	}, n, total
}

// TestDepositStreamsPages: halfway through 20,000 cheques most of the
// first half is already written (pages are not held), and the page
// numbers, known only at the end, are right.
func TestDepositStreamsPages(t *testing.T) {
	seq, count, total := seqCheques(20_000)
	dep := testDeposit()
	dep.Count, dep.Total = count, total
	var out bytes.Buffer
	var atHalf int
	watched := func(yield func(DepositCheque) bool) {
		i := 0
		for c := range seq {
			if i++; i == count/2 {
				atHalf = out.Len()
			}
			if !yield(c) {
				return
			}
		}
	}
	pages, err := WriteChequeDeposit(&out, dep, watched, DepositOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if atHalf < out.Len()/3 {
		t.Errorf("%d of %d bytes written halfway through: pages are held in memory", atHalf, out.Len())
	}
	text := pdfPages(t, out.Bytes())
	if len(text) != pages {
		t.Fatalf("pdftotext reads %d pages, WriteChequeDeposit says %d", len(text), pages)
	}
	mustContain(t, "last page", squash(text[pages-1]), fmt.Sprintf("Page %d/%d", pages, pages))
}

func BenchmarkChequeDeposit100k(b *testing.B) {
	seq, count, total := seqCheques(100_000)
	dep := testDeposit()
	dep.Count, dep.Total = count, total
	var size, pages int
	for b.Loop() {
		var buf bytes.Buffer
		var err error
		if pages, err = WriteChequeDeposit(&buf, dep, seq, DepositOptions{Now: clock}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB-pdf")
}

// TestDepositMemoryFlat: ten times more cheques, the same live memory.
func TestDepositMemoryFlat(t *testing.T) {
	checkFlat(t, 10_000, func(n int, h *heapProbe) int {
		seq, count, total := seqCheques(n)
		dep := testDeposit()
		dep.Count, dep.Total = count, total
		pages, err := WriteChequeDeposit(&countingWriter{}, dep, probed(seq, 2_000, h), DepositOptions{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return pages
	})
}
