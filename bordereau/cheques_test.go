package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var drawerCo = Party{Name: "Société Cœur d’Épées & Fils", Address: Address{
	Street: "12, rue de l’Église", Building: "Bâtiment B – 3ᵉ étage", Postcode: "69002", Town: "Lyon"}}

func testLetters() ChequeLetters {
	return ChequeLetters{Drawer: drawerCo, Bank: "CIC Lyon Part-Dieu Entreprises – 12 boulevard Vivier-Merle, 69003 Lyon",
		FirstNumber: 4500121}
}

// testPayments: a plain invoice, a group with a credit note and a
// discount, and a long one.
func testPayments() []Payment {
	imprimerie := Party{Name: "Imprimerie Leblanc & Cie", Address: Address{Street: "4, quai de la Fosse", Building: "BP 1207",
		Postcode: "44000", Town: "Nantes"}}
	return []Payment{
		{Reference: "PAY-2026-0001", Supplier: "401LEBLANC", Payee: imprimerie, Date: day(2026, 12, 2),
			Documents: []PaidDocument{{Document: "FA-2026-118", Label: "Catalogues hiver", Issued: day(2026, 10, 30), Due: day(2026, 11, 30), Amount: 123456}},
			Amount:    123456},
		{Reference: "PAY-2026-0002", Supplier: "401MUNOZ", Date: day(2026, 12, 2),
			Payee: Party{Name: "Transports Muñoz S.L.", Address: Address{Street: "Calle Mayor 7", Postcode: "28013", Town: "Madrid", Country: "Espagne"}},
			Documents: []PaidDocument{
				{Document: "FA-2026-201", Label: "Livraisons octobre", Issued: day(2026, 10, 31), Due: day(2026, 12, 15), Amount: 800000, Discount: 16000},
				{Document: "FA-2026-214", Label: "Livraisons novembre", Issued: day(2026, 11, 30), Due: day(2026, 12, 30), Amount: 420050},
				{Document: "AV-2026-009", Issued: day(2026, 11, 12), Amount: -35050},
			},
			Amount: 800000 - 16000 + 420050 - 35050},
	}
}

// longPayment settles n documents.
func longPayment(n int) Payment {
	p := Payment{Reference: "PAY-2026-0003", Supplier: "401GROSSISTE", Date: day(2026, 12, 2),
		Payee: Party{Name: "Grossiste Alimentaire du Rhône", Address: Address{Street: "ZI Nord", Postcode: "69140", Town: "Rillieux-la-Pape"}}}
	for i := range n {
		amount := int64(10000 + i*1234)
		p.Documents = append(p.Documents, PaidDocument{Document: fmt.Sprintf("BL-%04d", i+1), Label: "Livraison",
			Issued: day(2026, 11, 1+i%28), Due: day(2026, 12, 1+i%28), Amount: amount})
		p.Amount += amount
	}
	return p
}

func writeTestLetters(t testing.TB, ps []Payment, opts ChequeOptions) ([]byte, ChequeCount) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = clock
	}
	var buf bytes.Buffer
	cnt, err := WriteChequeLetters(&buf, testLetters(), slices.Values(ps), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != cnt.Pages {
		t.Errorf("WriteChequeLetters says %d pages, the PDF has %d", cnt.Pages, got)
	}
	return buf.Bytes(), cnt
}

// Cheque zones in page coordinates, for pdfZone.
func chequeZone(z box, dx, dy float64) (x, y, w, h float64) {
	return chequeX + z.x + dx, chequeY + z.y + dy, z.w, z.h
}

// TestChequeLetters checks the letter and each zone of the cheque of every
// payment, and the numbering from FirstNumber.
func TestChequeLetters(t *testing.T) {
	ps := testPayments()
	b, cnt := writeTestLetters(t, ps, ChequeOptions{})
	keepPDF(t, "cheques.pdf", b)
	if cnt != (ChequeCount{Printed: 2, First: 4500121, Last: 4500122, Pages: 2}) {
		t.Errorf("count %+v", cnt)
	}
	pages := pdfPages(t, b)
	for i, p := range ps {
		page := squash(pages[i])
		number := fmt.Sprintf("%07d", 4500121+i)
		where := "letter " + number
		mustContain(t, where, page,
			"Société Cœur d’Épées & Fils", "12, rue de l’Église", "69002 Lyon",
			"Votre code fournisseur "+p.Supplier, "Notre référence "+p.Reference, "Chèque n° "+number,
			"Lyon, le 02/12/2026", "Objet : règlement par chèque n° "+number, "Madame, Monsieur,",
			"Pièce Date Échéance Libellé Montant Escompte Net",
			fmt.Sprintf("MONTANT DU CHÈQUE — %s %s", plural(len(p.Documents), "pièce"), plain(p.Amount)),
			"Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.",
			"Payez contre ce chèque", "Payable à", "Non endossable sauf au profit d’une banque",
			"ne rien inscrire au-dessous de cette ligne", "Détachez le chèque en suivant le pointillé")
		for _, doc := range p.Documents {
			mustContain(t, where, page, fmt.Sprintf("%s %s %s", doc.Document, formatDate(doc.Issued), formatDate(doc.Due)),
				plain(doc.Amount)+" ")
		}
		// The address in the window of a DL envelope.
		win := pdfZone(t, b, i+1, windowX, windowY, windowW, windowH)
		want := p.Payee.Name + " | " + strings.Join(addressLines(p.Payee.Address), " | ")
		if win != want {
			t.Errorf("%s: window shows %q, want %q", where, win, want)
		}
		// Each value of the cheque in its zone.
		words := capitalize(AmountInWords(p.Amount))
		zone := func(z box) string { x, y, w, h := chequeZone(z, 0, 0); return pdfZone(t, b, i+1, x, y, w, h) }
		if got := zone(zcWords1) + " " + zone(zcWords2); strings.TrimSpace(got) != words {
			t.Errorf("%s: amount in words %q, want %q", where, got, words)
		}
		for _, c := range []struct {
			z    box
			want string
		}{
			{zcAmount, "€ **" + strings.ReplaceAll(formatCents(p.Amount), nbsp, " ") + "**"},
			{zcPayee, p.Payee.Name}, {zcPlace, "Lyon"}, {zcDate, "02/12/2026"},
			{zcNumber, "Chèque n° " + number},
		} {
			if got := zone(c.z); got != c.want {
				t.Errorf("%s: zone %v holds %q, want %q", where, c.z, got, c.want)
			}
		}
		mustContain(t, where, zone(zcDrawer), "Société Cœur d’Épées & Fils", "69002 Lyon")
		mustContain(t, where, zone(zcBank), "CIC Lyon Part-Dieu Entreprises")
	}
	// The group with a credit note and a discount shows how it nets.
	mustContain(t, "letter 2", squash(pages[1]), "Total des factures 12 200,50 €", "Avoirs déduits -350,50 €",
		"Escomptes -160,00 €", "AV-2026-009 12/11/2026 Avoir -350,50 €", "8 000,00 € -160,00 € 7 840,00 €",
		"Transports Muñoz S.L.", "Espagne")
	if strings.Contains(squash(pages[0]), "Total des factures") {
		t.Error("a single invoice needs no netting lines")
	}
}

// TestChequeLettersAbridged: a group too long for the letter lists what
// fits, then how many documents remain and their net, and the cheque is
// still for the whole amount, on one page.
func TestChequeLettersAbridged(t *testing.T) {
	p := longPayment(40)
	b, cnt := writeTestLetters(t, []Payment{p}, ChequeOptions{})
	keepPDF(t, "cheques-abridged.pdf", b)
	if cnt.Pages != 1 || cnt.Abridged != 1 {
		t.Fatalf("count %+v, want 1 page, 1 abridged", cnt)
	}
	page := squash(pdfPages(t, b)[0])
	shown := 0
	for _, doc := range p.Documents {
		if strings.Contains(page, doc.Document+" ") {
			shown++
		}
	}
	var restNet int64
	for _, doc := range p.Documents[shown:] {
		restNet += doc.Amount
	}
	mustContain(t, "abridged", page,
		fmt.Sprintf("… et %d autres pièces, détaillées sur l’avis de paiement joint %s", len(p.Documents)-shown, plain(restNet)),
		fmt.Sprintf("MONTANT DU CHÈQUE — 40 pièces %s", plain(p.Amount)))
	if shown < 8 {
		t.Errorf("only %d documents shown", shown)
	}
	// Nothing of the letter spills below the perforation.
	if below := pdfZone(t, b, 1, 0, perfY-3, pageW, chequeY-perfY+2); below != "Détachez le chèque en suivant le pointillé" {
		t.Errorf("between the letter and the cheque: %q", below)
	}
}

// TestChequeLettersPreprinted: on pre-printed stock only the values are
// printed, at the same places moved by the offset; the letter does not move.
func TestChequeLettersPreprinted(t *testing.T) {
	ps := testPayments()[:1]
	const dx, dy = 3.5, -2
	b, _ := writeTestLetters(t, ps, ChequeOptions{Model: ModelPreprinted, OffsetX: dx, OffsetY: dy})
	keepPDF(t, "cheques-preprinted.pdf", b)
	page := squash(pdfPages(t, b)[0])
	for _, caption := range []string{"Payez contre ce chèque", "Payable à", "Non endossable", "Signature", "pointillé", "€ **"} {
		if strings.Contains(page, caption) {
			t.Errorf("pre-printed stock: caption %q printed", caption)
		}
	}
	zone := func(z box) string { x, y, w, h := chequeZone(z, dx, dy); return pdfZone(t, b, 1, x, y, w, h) }
	if got := zone(zcAmount); got != "**1 234,56**" {
		t.Errorf("amount zone moved by the offset holds %q", got)
	}
	if got := zone(zcDate); got != "02/12/2026" {
		t.Errorf("date zone holds %q", got)
	}
	if got := pdfZone(t, b, 1, windowX, windowY, windowW, windowH); !strings.HasPrefix(got, "Imprimerie Leblanc & Cie") {
		t.Errorf("the window (not moved) holds %q", got)
	}
	std, _ := writeTestLetters(t, ps, ChequeOptions{})
	if bytes.Equal(std, b) {
		t.Error("pre-printed and standard give the same bytes")
	}
}

// TestChequeLettersAlignment prints X in every zone, uses no number and
// needs no payment.
func TestChequeLettersAlignment(t *testing.T) {
	var buf bytes.Buffer
	cnt, err := WriteChequeLetters(&buf, ChequeLetters{Drawer: drawerCo}, nil, ChequeOptions{Alignment: true, Model: ModelPreprinted, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if cnt != (ChequeCount{Pages: 1}) {
		t.Errorf("count %+v", cnt)
	}
	keepPDF(t, "cheques-alignment.pdf", buf.Bytes())
	for _, z := range []box{zcWords1, zcWords2, zcAmount, zcPayee, zcPlace, zcDate, zcNumber, zcDrawer, zcBank} {
		x, y, w, h := chequeZone(z, 0, 0)
		if got := pdfZone(t, buf.Bytes(), 1, x, y, w, h); strings.Trim(got, "X |") != "" || got == "" {
			t.Errorf("zone %v holds %q, want only X", z, got)
		}
	}
}

// TestChequeLettersErrors: every problem at once, naming the payment.
func TestChequeLettersErrors(t *testing.T) {
	ps := testPayments()
	ps[0].Amount++                       // does not net
	ps[1].Documents[0].Discount = 900000 // more than the invoice
	ps[1].Documents[2].Discount = 100    // on a credit note
	ps[1].Payee.Name = ""
	ps = append(ps, Payment{Reference: "PAY-X", Payee: Party{Name: "X"}, IBAN: "FR7630004008280001012345690"})
	var buf bytes.Buffer
	l := testLetters()
	l.FirstNumber = 9_999_998
	_, err := WriteChequeLetters(&buf, l, slices.Values(ps), ChequeOptions{Now: clock})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`item 1 (PAY-2026-0001): Amount "1 234,57 €": the documents net to 1 234,56 €: sum of the items differs from the header total`,
		`item 2 (PAY-2026-0002): Payee.Name "": missing`,
		`item 2 (PAY-2026-0002): Documents[0].Discount "9 000,00 €": discount must be between 0 and the invoice's amount`,
		`item 2 (PAY-2026-0002): Documents[2].Discount "1,00 €"`,
		`item 3 (PAY-X): Date "": missing`,
		`item 3 (PAY-X): IBAN "FR76*******************5690": not a valid IBAN`,
		`item 3 (PAY-X): Documents "": missing`,
		`item 3 (PAY-X): Amount "0,00 €": amount must be positive`,
		`item 3 (PAY-X): Number "10000000": not a cheque number`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if finished(buf.Bytes()) {
		t.Error("refused letters were finished")
	}
	for _, c := range []struct {
		l    ChequeLetters
		opts ChequeOptions
		want error
	}{
		{ChequeLetters{Drawer: drawerCo}, ChequeOptions{Now: clock}, ErrChequeNumber},
		{testLetters(), ChequeOptions{}, ErrMissing},
		{testLetters(), ChequeOptions{Now: clock, OffsetY: 31}, ErrOffset},
		{testLetters(), ChequeOptions{Now: clock, Model: "carbone"}, ErrModel},
		{ChequeLetters{FirstNumber: 1}, ChequeOptions{Now: clock}, ErrMissing},
	} {
		buf.Reset()
		if _, err := WriteChequeLetters(&buf, c.l, slices.Values(testPayments()), c.opts); !errors.Is(err, c.want) || buf.Len() > 0 {
			t.Errorf("%+v %+v: err %v (%d bytes), want %v and nothing written", c.l, c.opts, err, buf.Len(), c.want)
		}
	}
}

// TestChequeLettersMemoryFlat: ten times more letters, the same live memory.
func TestChequeLettersMemoryFlat(t *testing.T) {
	checkFlat(t, 1_000, func(n int, h *heapProbe) int {
		cnt, err := WriteChequeLetters(&countingWriter{}, testLetters(), probed(seqPayments(n), 500, h), ChequeOptions{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return cnt.Pages
	})
}
