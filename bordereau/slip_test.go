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
	"time"
)

var threeBlocks = []string{"FRST · CORE · 01/12/2026", "RCUR · CORE · 01/12/2026", "RCUR · CORE · 05/12/2026"}

func writeTestSlip(t testing.TB, items []SlipItem, opts SlipOptions) []byte {
	t.Helper()
	s := testSlip()
	s.Count, s.Total = sum(items)
	if opts.Now.IsZero() {
		opts.Now = clock
	}
	var buf bytes.Buffer
	pages, err := WriteSlip(&buf, s, slices.Values(items), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != pages {
		t.Errorf("WriteSlip says %d pages, the PDF has %d", pages, got)
	}
	return buf.Bytes()
}

// TestSlipZones checks every value of a one-page slip.
func TestSlipZones(t *testing.T) {
	items := testItems(10, threeBlocks[:2])
	b := writeTestSlip(t, items, SlipOptions{})
	keepPDF(t, "slip-small.pdf", b)
	pages := pdfPages(t, b)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	p := squash(pages[0])
	count, total := sum(items)
	mustContain(t, "header", p,
		"BORDEREAU DE REMISE", "RÉFÉRENCE DE LA REMISE", "REM-2026-0042", "Prélèvement SEPA CORE",
		"CRÉANCIER", "Société Cœur d’Épées & Fils", "12, rue de l’Église", "Bâtiment B – 3e étage", "69002 Lyon",
		"ICS FR12ZZZ123456", "N° émetteur 123456",
		"COMPTE À CRÉDITER", "BNP Paribas – Lyon Bellecour", "IBAN FR76 3000 4008 2800 0101 2345 691", "BIC BNPAFRPPLYO",
		"NOMBRE D'OPÉRATIONS", "MONTANT TOTAL", plain(total),
		"Type de remise Prélèvement SEPA CORE",
		"Fichier créé le 24/11/2026 à 09:40",
		"Identifiant du message REMIT-20261124-0042",
		"Échéances du 29/11/2026 au 05/12/2026",
		"Dates de prélèvement 01/12/2026, 05/12/2026",
		"Fichier PRLV-REM-2026-0042.xml",
		"SHA-256 "+strings.Repeat("0123456789abcdef", 4),
		"Pièce Client Nom Compte Échéance Prélèvement Séquence Montant",
	)
	// Rows: every zone of every item, on one line.
	for _, it := range items {
		line := fmt.Sprintf("%s %s %s %s %s %s %s %s", it.Document, it.Customer, it.Name,
			"**** "+it.Account[len(it.Account)-4:], formatDate(it.Due), formatDate(it.Collection), it.Detail, plain(it.Amount))
		if strings.HasPrefix(it.Name, "Établissements Durand") {
			// Cut, with an ellipsis, before its column ends.
			mustContain(t, "rows", p, fmt.Sprintf("%s %s Établissements Durand-Ducasse", it.Document, it.Customer))
			line = fmt.Sprintf("… **** %s %s", it.Account[len(it.Account)-4:], formatDate(it.Due))
		}
		mustContain(t, "rows", p, line)
		if strings.Contains(p, it.Account[4:len(it.Account)-4]) {
			t.Errorf("account %s printed unmasked", it.Account)
		}
	}
	// Block headings, subtotals, total, signature, footer.
	for _, blk := range threeBlocks[:2] {
		var n int
		var sub int64
		for _, it := range items {
			if it.Block == blk {
				n++
				sub += it.Amount
			}
		}
		mustContain(t, "blocks", p, "\n"+blk+"\n",
			fmt.Sprintf("Sous-total %s — %d opérations %s", blk, n, plain(sub)))
	}
	mustContain(t, "end", p,
		fmt.Sprintf("TOTAL DE LA REMISE — %d opérations %s", count, plain(total)),
		"Nous vous remettons 10 opérations pour un montant total de", plain(total)+", à porter au crédit du compte",
		"FR76 3000 4008 2800 0101 2345 691.",
		"CACHET ET SIGNATURE DU REMETTANT", "Fait à Lyon, le 24/11/2026",
		"Bordereau de remise REM-2026-0042 · Société Cœur d’Épées & Fils · édité le 24/11/2026 à 09:41 Page 1/1",
	)
	if strings.Contains(p, "Exemplaire") || strings.Contains(p, "reporter") {
		t.Error("single copy, single page: no Exemplaire, no carry line expected")
	}
}

var carryRE = regexp.MustCompile(`(À reporter|Report) — (\d+) opérations ([\d ]+,\d\d €)`)

// TestSlipMultiPage prints 230 items in 3 blocks over several pages and
// checks page numbers, repeated headers, carried totals and subtotals.
func TestSlipMultiPage(t *testing.T) {
	items := testItems(230, threeBlocks)
	b := writeTestSlip(t, items, SlipOptions{})
	keepPDF(t, "slip.pdf", b)
	pages := pdfPages(t, b)
	n := len(pages)
	if n < 4 {
		t.Fatalf("%d pages, want at least 4", n)
	}
	amounts := map[string]int64{}
	for _, it := range items {
		amounts[it.Document] = it.Amount
	}
	docRE := regexp.MustCompile(`F2026-\d{5}`)
	var runCount int
	var runTotal int64
	seen := map[string]bool{}
	for i, raw := range pages {
		p := squash(raw)
		where := fmt.Sprintf("page %d", i+1)
		mustContain(t, where, p, fmt.Sprintf("Page %d/%d", i+1, n), "REM-2026-0042", "BORDEREAU DE REMISE")
		docs := docRE.FindAllString(p, -1)
		if len(docs) > 0 {
			mustContain(t, where, p, "Pièce Client Nom Compte Échéance Prélèvement Séquence Montant")
			if strings.Index(p, "Pièce Client") > strings.Index(p, docs[0]) {
				t.Errorf("%s: table header after the first row", where)
			}
		}
		carries := carryRE.FindAllStringSubmatch(p, -1)
		if i > 0 && len(docs) > 0 {
			// The report line opens the page with the previous page's totals.
			if len(carries) == 0 || carries[0][1] != "Report" {
				t.Errorf("%s: no Report line at the top", where)
			} else {
				checkCarry(t, where, carries[0], runCount, runTotal)
			}
		}
		for _, d := range docs {
			if seen[d] {
				t.Errorf("%s: %s printed twice", where, d)
			}
			seen[d] = true
			runCount++
			runTotal += amounts[d]
		}
		if i < n-1 && runCount < len(items) {
			last := carries[len(carries)-1]
			if last[1] != "À reporter" {
				t.Errorf("%s: no À reporter line at the bottom", where)
			} else {
				checkCarry(t, where, last, runCount, runTotal)
			}
		}
	}
	if len(seen) != len(items) {
		t.Errorf("%d rows printed, want %d", len(seen), len(items))
	}
	all := squash(strings.Join(pages, "\n"))
	for _, blk := range threeBlocks {
		var c int
		var sub int64
		for _, it := range items {
			if it.Block == blk {
				c++
				sub += it.Amount
			}
		}
		mustContain(t, "subtotals", all, fmt.Sprintf("Sous-total %s — %d opérations %s", blk, c, plain(sub)))
	}
	count, total := sum(items)
	mustContain(t, "total", all, fmt.Sprintf("TOTAL DE LA REMISE — %d opérations %s", count, plain(total)))
	if !strings.Contains(all, "(suite)") {
		t.Error("a block running over a page should repeat its heading with (suite)")
	}
}

func checkCarry(t *testing.T, where string, m []string, count int, total int64) {
	t.Helper()
	if m[2] != strconv.Itoa(count) || m[3] != plain(total) {
		t.Errorf("%s: %q, want %d opérations %s", where, m[0], count, plain(total))
	}
}

func TestSlipCopies(t *testing.T) {
	items := testItems(120, threeBlocks)
	one := pdfPages(t, writeTestSlip(t, items, SlipOptions{}))
	b := writeTestSlip(t, items, SlipOptions{Copies: 3})
	keepPDF(t, "slip-copies.pdf", b)
	pages := pdfPages(t, b)
	per := len(one)
	if len(pages) != 3*per {
		t.Fatalf("%d pages, want 3 × %d", len(pages), per)
	}
	for i, p := range pages {
		c, k := i/per+1, i%per+1
		mustContain(t, fmt.Sprintf("page %d", i+1), squash(p), fmt.Sprintf("Exemplaire %d/3 · Page %d/%d", c, k, per))
	}
}

// TestSlipNoZone: a slip dated by a stored wall-clock time is the same bytes
// whatever zone the reading is in (the machine that regenerates it), and
// its PDF dates carry no offset from UT.
func TestSlipNoZone(t *testing.T) {
	items := testItems(10, threeBlocks)
	wall := time.Date(2026, 11, 24, 9, 41, 0, 0, time.UTC)
	paris := time.Date(2026, 11, 24, 9, 41, 0, 0, time.FixedZone("CET", 3600))
	a := writeTestSlip(t, items, SlipOptions{Now: wall, NoZone: true})
	b := writeTestSlip(t, items, SlipOptions{Now: paris, NoZone: true})
	if !bytes.Equal(a, b) {
		t.Error("NoZone: the same wall-clock time in two zones gives two slips")
	}
	mustContain(t, "info", string(a), "/CreationDate (D:20261124094100) /ModDate (D:20261124094100)")
	mustContain(t, "info", string(writeTestSlip(t, items, SlipOptions{Now: paris})), "/CreationDate (D:20261124094100+01'00')")
}

func TestSlipFrenchText(t *testing.T) {
	items := []SlipItem{{Block: "L’œuvre « Ça coûte 5 € » Ærø ő ★☆\tfin", Document: "Œ-1", Name: "Hôtel Façade", Detail: "Acceptée", Account: "FR7630004008280001012345691", Customer: "411C0000", Due: day(2026, 12, 1), Amount: 100}}
	s := testSlip()
	s.Count, s.Total = 1, 100
	s.Kind = "LCR – code entrée 1 (escompte), valeur 04/12/2026"
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	p := squash(pdfPages(t, buf.Bytes())[0])
	mustContain(t, "text", p, "LCR – code entrée 1 (escompte), valeur 04/12/2026",
		"L’œuvre « Ça coûte 5 € » Ærø o ?? fin", "Œ-1 411C0000 Hôtel Façade **** 5691 01/12/2026 Acceptée 1,00 €")
}

func TestSlipErrors(t *testing.T) {
	items := testItems(6, threeBlocks[:2])
	good := testSlip()
	good.Count, good.Total = sum(items)
	tests := []struct {
		name  string
		slip  func(*Slip)
		items func([]SlipItem) []SlipItem
		opts  SlipOptions
		want  []error
	}{
		{"count", func(s *Slip) { s.Count++ }, nil, SlipOptions{}, []error{ErrCount}},
		{"total", func(s *Slip) { s.Total-- }, nil, SlipOptions{}, []error{ErrTotal}},
		{"amount", nil, func(it []SlipItem) []SlipItem { it[2].Amount = -it[2].Amount; return it }, SlipOptions{}, []error{ErrAmount, ErrTotal}},
		{"grouping", nil, func(it []SlipItem) []SlipItem { it[5].Block = threeBlocks[0]; return it }, SlipOptions{}, []error{ErrNotGrouped}},
		{"copies", nil, nil, SlipOptions{Copies: 10}, []error{ErrCopies}},
		{"negative copies", nil, nil, SlipOptions{Copies: -1}, []error{ErrCopies}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			if tt.slip != nil {
				tt.slip(&s)
			}
			its := slices.Clone(items)
			if tt.items != nil {
				its = tt.items(its)
			}
			tt.opts.Now = clock
			var buf bytes.Buffer
			_, err := WriteSlip(&buf, s, slices.Values(its), tt.opts)
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v, want %v", err, w)
				}
			}
			if finished(buf.Bytes()) {
				t.Error("finished the PDF despite the error")
			}
		})
	}
	// The error names the item.
	its := slices.Clone(items)
	its[2].Amount = 0
	s := good
	s.Total -= items[2].Amount
	_, err := WriteSlip(&bytes.Buffer{}, s, slices.Values(its), SlipOptions{Now: clock})
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Index != 3 || ie.Document != "F2026-00003" || ie.Field != "Amount" {
		t.Errorf("error %v, want item 3 (F2026-00003) Amount", err)
	}
	if want := `item 3 (F2026-00003): Amount "0,00 €": amount must be positive`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// A sequence that changes between copies (a cursor re-queried after new
// data came in) must not give copies that disagree.
func TestSlipChangedBetweenCopies(t *testing.T) {
	items := testItems(5, threeBlocks[:1])
	s := testSlip()
	s.Count, s.Total = sum(items)
	calls := 0
	var seq iter.Seq[SlipItem] = func(yield func(SlipItem) bool) {
		calls++
		its := items
		if calls > 1 {
			its = items[:4]
		}
		for _, it := range its {
			if !yield(it) {
				return
			}
		}
	}
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, seq, SlipOptions{Copies: 2, Now: clock}); !errors.Is(err, ErrChanged) {
		t.Errorf("error %v, want ErrChanged", err)
	}
	if finished(buf.Bytes()) {
		t.Error("finished the PDF despite the error")
	}
}

func TestSlipEmpty(t *testing.T) {
	s := testSlip()
	var buf bytes.Buffer
	pages, err := WriteSlip(&buf, s, slices.Values([]SlipItem(nil)), SlipOptions{Now: clock})
	if err != nil || pages != 1 {
		t.Fatalf("pages %d, err %v", pages, err)
	}
	mustContain(t, "empty", squash(pdfPages(t, buf.Bytes())[0]), "Aucune opération.", "TOTAL DE LA REMISE — 0 opération 0,00 €")
}

// seqItems yields n generated items without holding them in memory, as a
// database cursor would.
func seqItems(n int) (iter.Seq[SlipItem], int, int64) {
	blocks := threeBlocks
	item := func(i int) SlipItem {
		return SlipItem{
			Block:      blocks[i*len(blocks)/n],
			Document:   "F2026-" + strconv.Itoa(100000+i),
			Customer:   "411C" + strconv.Itoa(i%5000),
			Name:       "Client numéro " + strconv.Itoa(i),
			Account:    "FR7630004008280001012345691",
			Due:        day(2026, 11, 28+i%5),
			Collection: day(2026, 12, 1+i%5),
			Detail:     "RCUR",
			Amount:     int64(1000 + (i*7919)%250000),
		}
	}
	var total int64
	for i := range n {
		total += item(i).Amount
	}
	return func(yield func(SlipItem) bool) {
		for i := range n {
			if !yield(item(i)) {
				return
			}
		}
	}, n, total
}

func BenchmarkSlip100k(b *testing.B) {
	seq, count, total := seqItems(100_000)
	s := testSlip()
	s.Count, s.Total = count, total
	var size int
	var pages int
	for b.Loop() {
		var buf bytes.Buffer
		var err error
		pages, err = WriteSlip(&buf, s, seq, SlipOptions{Now: clock})
		if err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB-pdf")
}

// TestSlipStreamsPages checks that pages reach w while items are still
// being read, so that memory does not grow with the slip: halfway through
// 20,000 items (some 370 pages), most of the first half must be written.
// The page numbers, known only at the end, must still be right.
func TestSlipStreamsPages(t *testing.T) {
	seq, count, total := seqItems(20_000)
	s := testSlip()
	s.Count, s.Total = count, total
	var out bytes.Buffer
	var atHalf int
	watched := func(yield func(SlipItem) bool) {
		i := 0
		for it := range seq {
			if i++; i == 10_000 {
				atHalf = out.Len()
			}
			if !yield(it) {
				return
			}
		}
	}
	pages, err := WriteSlip(&out, s, watched, SlipOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if atHalf < out.Len()/3 {
		t.Errorf("%d of %d bytes written halfway through the items: pages are held in memory", atHalf, out.Len())
	}
	text := pdfPages(t, out.Bytes())
	if len(text) != pages {
		t.Fatalf("pdftotext reads %d pages, WriteSlip says %d", len(text), pages)
	}
	last := fmt.Sprintf("Page %d/%d", pages, pages)
	mustContain(t, "last page", squash(text[pages-1]), last)
	mustContain(t, "first page", squash(text[0]), fmt.Sprintf("Page 1/%d", pages))
}

// lcrSlip is the slip of an LCR remise: the drawees' banks in a column of
// their own, the due dates as a range, long customer codes.
func lcrSlip(t testing.TB) ([]byte, []SlipItem) {
	t.Helper()
	items := []SlipItem{
		{Document: "F2026-0064", Customer: "411IMPRIMERIE-LEBLANC", Name: "Imprimerie Leblanc & Cie", Bank: "CIC NANTES",
			Account: "FR7630047144980002014560131", Due: day(2026, 12, 5), Detail: "BOR", Amount: 61540},
		{Document: "F2026-0069", Customer: "411ELEC", Name: "Électricité Générale Nguyen", Bank: "CAISSE D'EPARGNE CEPAC MARSEILLE PRADO",
			Account: "FR7611315000010400000000178", Due: day(2026, 12, 8), Detail: "Non acceptée", Amount: 45678},
		{Document: "F2026-0061", Customer: "411MARTIN", Name: "Martin & Fils SA", Bank: "CREDIT AGRICOLE NORD",
			Account: "FR7630006000011234567890189", Due: day(2027, 1, 26), Detail: "Acceptée", Amount: 500000},
	}
	for i := range items {
		items[i].Block = "LCR · code entrée 3"
	}
	s := testSlip()
	s.Kind, s.ICS, s.MessageID = "LCR – code entrée 3 (encaissement, crédit forfaitaire après échéance)", "", ""
	s.Files = []File{{Name: "PAIEMENT.003", SHA256: strings.Repeat("0123456789abcdef", 4)}}
	s.DueFrom, s.DueTo, s.Dates, s.DatesLabel = day(2026, 12, 5), day(2027, 1, 26), nil, ""
	s.CollectionDates, s.DraweeBanks, s.DetailTitle = false, true, "Acceptation"
	s.LongestCustomer = "411IMPRIMERIE-LEBLANC"
	s.Count, s.Total = sum(items)
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), items
}

// The LCR slip shows each drawee's bank, its due dates as a range that
// reads as one, whole customer codes, and where it was signed (issue 17,
// item 12).
func TestSlipLCR(t *testing.T) {
	b, items := lcrSlip(t)
	keepPDF(t, "slip-lcr.pdf", b)
	p := squash(pdfPages(t, b)[0])
	mustContain(t, "LCR slip", p,
		"Échéances du 05/12/2026 au 26/01/2027",
		"Pièce Client Nom Domiciliation Compte Échéance Acceptation Montant",
		"F2026-0064 411IMPRIMERIE-LEBLANC Imprimerie Leblanc & Cie CIC NANTES **** 0131 05/12/2026 BOR 615,40 €",
		"F2026-0061 411MARTIN Martin & Fils SA CREDIT AGRIC", "**** 0189 26/01/2027 Acceptée 5 000,00 €",
		"Fait à Lyon, le 24/11/2026")
	if strings.Contains(p, "Prélèvement") || strings.Contains(p, "05/12/2026, 26/01/2027") {
		t.Errorf("LCR slip: no collection date column, and a range, not a list:\n%s", p)
	}
	// Each value in its column: the names and banks are cut, never the codes.
	for _, it := range items {
		mustContain(t, "rows", p, it.Document+" "+it.Customer+" ")
	}
}

// A customer code wider than the room the names leave is printed smaller,
// rather than cut: 35 W, the widest code there can be, still fits.
func TestSlipCustomerCodes(t *testing.T) {
	long := "411" + strings.Repeat("W", 32) // 35 characters, the longest a code may be
	items := []SlipItem{{Block: "RCUR", Document: "F1", Customer: long, Name: "Wide", Account: "FR7630004008280001012345691",
		Due: day(2026, 12, 1), Collection: day(2026, 12, 1), Detail: "RCUR", Amount: 100},
		{Block: "RCUR", Document: "F2", Customer: "411" + strings.Repeat("W", 20), Name: "Less wide", Account: "FR7630004008280001012345691",
			Due: day(2026, 12, 1), Collection: day(2026, 12, 1), Detail: "RCUR", Amount: 100}}
	s := testSlip()
	s.LongestCustomer = long
	s.Count, s.Total = sum(items)
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	p := squash(pdfPages(t, buf.Bytes())[0])
	mustContain(t, "codes", p, "F2 411"+strings.Repeat("W", 20)+" Less wide", "F1 "+long+" Wide")
}

// A document number wider than the Pièce column was cut with "…"
// ("FB-2026-000…"): the slip no longer said which receivable a line was. It
// is printed smaller, as customer codes are, and whole.
func TestSlipDocumentsWhole(t *testing.T) {
	docs := []string{"FB-2026-000123", "FACT-2026-12-000042", "F2"}
	var items []SlipItem
	for _, doc := range docs {
		items = append(items, SlipItem{Block: "RCUR", Document: doc, Customer: "411A", Name: "Alpha", Account: "FR7630004008280001012345691",
			Due: day(2026, 12, 1), Collection: day(2026, 12, 1), Detail: "RCUR", Amount: 100})
	}
	s := testSlip()
	s.Count, s.Total = sum(items)
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "slip-documents.pdf", buf.Bytes())
	p := squash(pdfPages(t, buf.Bytes())[0])
	for _, doc := range docs {
		mustContain(t, "documents", p, doc+" 411A Alpha")
	}
}

// A cancelled remittance's slip, printed again, says ANNULÉE on every page
// (issue 15, item 10).
func TestSlipCancelled(t *testing.T) {
	items := testItems(120, threeBlocks)
	s := testSlip()
	s.Count, s.Total = sum(items)
	s.Cancelled = true
	var buf bytes.Buffer
	if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "slip-cancelled.pdf", buf.Bytes())
	pages := pdfPages(t, buf.Bytes())
	if len(pages) < 2 {
		t.Fatalf("%d pages, want several", len(pages))
	}
	mustContain(t, "page 1", squash(pages[0]), "ANNULÉE", "Remise annulée avant envoi : ne pas remettre ce bordereau ni son fichier à la banque")
	for i, p := range pages[1:] {
		mustContain(t, fmt.Sprintf("page %d", i+2), squash(p), "Réf. "+s.Reference+" — ANNULÉE")
	}
	if got := squash(pdfPages(t, writeTestSlip(t, items[:3], SlipOptions{}))[0]); strings.Contains(got, "ANNULÉE") {
		t.Error("a slip not cancelled says ANNULÉE")
	}
}
