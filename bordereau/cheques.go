package bordereau

import (
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ChequeLetters is what the lettres-chèques of one run share: the company
// that pays (the drawer of the cheques), its bank, where the cheques are
// made out and the number of the first one.
type ChequeLetters struct {
	Drawer      Party  // tireur: the company paying, on the letter and the cheque
	Bank        string // the drawer's bank and branch, printed after "Payable à"
	Place       string // "À <Place>, le <date>"; empty: the drawer's town
	FirstNumber int    // the number of the first cheque (1 to 9,999,999); the next ones follow
}

// ChequeOptions are the printing options of lettres-chèques. There are no
// copies: a cheque exists once.
type ChequeOptions struct {
	// Model is ModelStandard ("" too): the cheque's frame and captions
	// are drawn with the values, for blank lettre-chèque stock; or
	// ModelPreprinted: the values alone, at the same places, for stock
	// whose cheque is printed already.
	Model string

	// OffsetX and OffsetY move the cheque (not the letter, which the
	// window envelope places) right and down by that many millimetres
	// (negative: left and up), at most MaxOffset either way, so that the
	// values fall into the boxes of the stock.
	OffsetX, OffsetY float64

	// Alignment prints one page with every zone of the cheque (and the
	// address window) filled with X, on plain paper to hold against the
	// stock; the payments are then ignored and no number is used.
	Alignment bool

	Now    time.Time // the edition date: PDF dates; required
	NoZone bool      // Now is a wall-clock reading of unknown zone (see SlipOptions)
}

// ChequeCount says what WriteChequeLetters printed: one page, one cheque
// and one number per payment, from First to Last.
type ChequeCount struct {
	Printed     int
	First, Last int // the cheque numbers used; both 0 when none
	Pages       int

	// Abridged counts the letters whose documents did not all fit above
	// the cheque: the letter lists the first ones and the total, and says
	// the rest is on the payment advice (WritePaymentAdvices), which the
	// caller sends with it.
	Abridged int
}

// Lettre-chèque geometry, in millimetres from the top-left corner of the
// sheet. The cheque is the French format (175 × 80 mm) in the bottom
// third, below a perforation at 198 mm, the fold of a letter in three.
const (
	chequeW    = 175.0
	chequeH    = 80.0
	chequeX    = (pageW - chequeW) / 2
	chequeY    = 207.0
	perfY      = 198.0
	chequeBand = 70.0 // "ne rien inscrire au-dessous de cette ligne": the CMC7 line below

	letterTable = 116.0 // where the letter's table of documents starts
	letterRowH  = 4.2
)

// WriteChequeLetters writes one lettre-chèque per payment as a PDF to w:
// the letter to the supplier, its address placed for a window envelope,
// the documents paid, credit notes and discounts and the total, and at the
// bottom the detachable cheque: amount in figures and in French words,
// payee, place and date, the drawer and the cheque's number. Cheques are
// numbered from l.FirstNumber in the order of payments; a spoiled cheque
// is reprinted by calling again with the payment under the next number
// (the writer prints what it is given).
//
// payments is ranged over once; neither payments nor pages are kept. Each
// payment is checked (payee, date, documents netting to the amount, a
// positive amount, a number within 7 digits) and on any problem every
// problem is returned, with the count so far, and the document is not
// finished.
func WriteChequeLetters(w io.Writer, l ChequeLetters, payments iter.Seq[Payment], opts ChequeOptions) (ChequeCount, error) {
	var cnt ChequeCount
	frame := true
	switch opts.Model {
	case "", ModelStandard:
	case ModelPreprinted:
		frame = false
	default:
		return cnt, fmt.Errorf("%q (known: %s, %s): %w", opts.Model, ModelStandard, ModelPreprinted, ErrModel)
	}
	var probs problems
	for _, o := range []float64{opts.OffsetX, opts.OffsetY} {
		if math.IsNaN(o) || math.Abs(o) > MaxOffset {
			probs.add(fmt.Errorf("%g mm: %w", o, ErrOffset))
		}
	}
	if err := checkNow(opts.Now); err != nil {
		probs.add(err)
	}
	if strings.TrimSpace(l.Drawer.Name) == "" {
		probs.add(fmt.Errorf("Drawer.Name: %w", ErrMissing))
	}
	if !opts.Alignment && (l.FirstNumber < 1 || l.FirstNumber > maxChequeNumber) {
		probs.add(fmt.Errorf("FirstNumber %d: %w", l.FirstNumber, ErrChequeNumber))
	}
	if err := probs.err(); err != nil {
		return cnt, err
	}
	place := l.Place
	if place == "" {
		place = l.Drawer.Address.Town
	}
	cw := &chequeWriter{d: newDoc(w, opts.Now, opts.NoZone, "Lettres-chèques"), l: l, place: place, frame: frame,
		dx: opts.OffsetX, dy: opts.OffsetY}

	if opts.Alignment {
		cw.d.addPage()
		cw.alignmentPage()
		var err error
		cnt.Pages, err = cw.d.finish()
		return cnt, err
	}
	i := 0
	for p := range payments {
		if cw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		number := l.FirstNumber + i - 1
		errs, sums := checkPayment(i, p)
		if number > maxChequeNumber {
			errs = append(errs, &ItemError{Index: i, Document: p.Reference, Field: "Number",
				Value: strconv.Itoa(number), Err: ErrChequeNumber})
		}
		for _, e := range errs {
			probs.add(e)
		}
		cw.d.addPage()
		if cw.letter(p, chequeNumber(number), sums) {
			cnt.Abridged++
		}
		cw.cheque(cw.fields(p, chequeNumber(number)))
		cnt.Printed++
		cnt.First, cnt.Last = l.FirstNumber, number
	}
	if cw.d.failed() {
		var err error
		cnt.Pages, err = cw.d.finish() // the write error, not the payments it left unread
		return cnt, err
	}
	if err := probs.err(); err != nil {
		return cnt, err
	}
	if cnt.Printed == 0 {
		return cnt, fmt.Errorf("%w: no payment", ErrMissing)
	}
	var err error
	cnt.Pages, err = cw.d.finish()
	return cnt, err
}

// maxChequeNumber is the largest number of the 7-digit zone of a French
// cheque's bottom line.
const maxChequeNumber = 9_999_999

func chequeNumber(n int) string { return fmt.Sprintf("%07d", n) }

type chequeWriter struct {
	d      *doc
	l      ChequeLetters
	place  string
	frame  bool
	dx, dy float64
}

// letter draws the upper two thirds: sender, references, the address in
// the window, the object, the documents and the total. It tells whether
// the documents had to be abridged.
func (cw *chequeWriter) letter(p Payment, number string, sums paymentSums) (abridged bool) {
	d := cw.d
	senderBlock(d, cw.l.Drawer, marginL, marginT, 88)
	addressWindow(d, p.Payee, 0, 0)
	references(d, []string{"Votre code fournisseur", "Notre référence", "Chèque n°"},
		[]string{p.Supplier, p.Reference, number})

	d.font("", 9)
	d.textRight(marginL+contentW, 92, datedAt(cw.place, p.Date))
	d.font("B", 9.5)
	d.text(marginL, 98, "Objet : règlement par chèque n° "+number)
	d.font("", 9)
	d.text(marginL, 105, "Madame, Monsieur,")
	body := fmt.Sprintf("Veuillez trouver ci-dessous notre chèque n° %s d’un montant de %s en règlement des pièces suivantes :",
		number, formatEUR(p.Amount))
	for i, line := range d.wrap(body, contentW, 2) {
		d.rawText(marginL, 110.5+float64(i)*4.2, line)
	}

	t := newTable(d, documentColumns(d, largestAmount(p)), letterTable, nil)
	t.rowH = letterRowH
	t.header()
	closing := 7.0
	sumsH := nettingHeight(sums)
	room := int((perfY - 6 - closing - totalH - sumsH - t.y) / t.rowH)
	shown := len(p.Documents)
	if shown > room {
		shown, abridged = room-1, true
	}
	for _, doc := range p.Documents[:shown] {
		documentRow(t, doc)
	}
	if abridged {
		rest := p.Documents[shown:]
		var net int64
		for _, doc := range rest {
			net += doc.Amount - doc.Discount
		}
		d.font("I", 7.5)
		d.color(colMuted)
		more := "… et 1 autre pièce, détaillée sur l’avis de paiement joint"
		if len(rest) > 1 {
			more = "… et " + formatInt(len(rest)) + " autres pièces, détaillées sur l’avis de paiement joint"
		}
		d.textFit(marginL+padX, t.y+t.rowH*0.7, contentW-40, more)
		d.color(colInk)
		d.textRight(marginL+contentW-padX, t.y+t.rowH*0.7, formatEUR(net))
		t.y += t.rowH
	}
	t.y += 1
	t.y += sumsBlock(d, t.y, sums)
	totalBand(d, t.y, "MONTANT DU CHÈQUE — "+plural(sums.documents, "pièce"), p.Amount)
	d.font("", 9)
	d.text(marginL, t.y+totalH+5.5, "Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.")
	return abridged
}

// references writes the captions and values under the sender's block, on
// the left of the address window.
func references(d *doc, captions, values []string) {
	y := windowY + 4
	for i, c := range captions {
		if values[i] == "" {
			continue
		}
		d.font("", 7)
		d.color(colMuted)
		d.text(marginL, y, c)
		d.color(colInk)
		d.font("B", 8.5)
		d.textFit(marginL+32, y, windowX-marginL-36, values[i])
		y += 4.6
	}
}

// datedAt is "<place>, le <date>", or "Le <date>" without a place.
func datedAt(place string, date time.Time) string {
	if place = strings.TrimSpace(place); place != "" {
		return place + ", le " + formatDate(date)
	}
	return "Le " + formatDate(date)
}

// chequeFields are the values printed on one cheque, already formatted.
type chequeFields struct {
	words       string // the amount in words
	amount      string // in figures, between asterisks
	payee       string
	bank        string
	place, date string
	drawerName  string
	drawerAddr  []string
	number      string
	alignment   bool // every zone filled with X
}

func (cw *chequeWriter) fields(p Payment, number string) chequeFields {
	return chequeFields{
		words:      capitalize(AmountInWords(p.Amount)),
		amount:     "**" + formatCents(p.Amount) + "**",
		payee:      p.Payee.Name,
		bank:       cw.l.Bank,
		place:      cw.place,
		date:       formatDate(p.Date),
		drawerName: cw.l.Drawer.Name,
		drawerAddr: addressLines(cw.l.Drawer.Address),
		number:     number,
	}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Cheque zones, relative to the cheque's top-left corner.
var (
	zcWords1 = box{37, 3.5, 92, 6}  // first line of the amount in words, after "Payez contre ce chèque"
	zcWords2 = box{4, 10, 125, 6}   // second line
	zcPayee  = box{8, 17, 121, 6}   // after "à"
	zcAmount = box{133, 4, 38, 9}   // amount in figures, after "€"
	zcBank   = box{4, 27, 80, 8}    // after "Payable à"
	zcPlace  = box{100, 27, 40, 5}  // after "À"
	zcDate   = box{147, 27, 24, 5}  // after "le"
	zcDrawer = box{4, 38, 90, 16}   // the drawer's name and address
	zcNumber = box{4, 57, 40, 5}    // "Chèque n°"
	zcSign   = box{112, 36, 59, 27} // signature
)

// cheque draws the cheque at the bottom of the page: its frame and
// captions on the standard model, and the values.
func (cw *chequeWriter) cheque(f chequeFields) {
	d := cw.d
	ox, oy := chequeX+cw.dx, chequeY+cw.dy
	at := func(b box) box { return box{ox + b.x, oy + b.y, b.w, b.h} }
	if cw.frame {
		cw.chequeFrame(ox, oy)
	}

	// The amount in words on two lines, smaller rather than cut, then a
	// stroke to the end of the zone so that nothing can be added.
	w1, w2 := at(zcWords1), at(zcWords2)
	size := 9.5
	var l1, l2 string
	for ; size >= 6.5; size -= 0.5 {
		d.font("B", size)
		if l1, l2 = splitLine(d, f.words, w1.w); d.width(l2) <= w2.w {
			break
		}
	}
	d.textFit(w1.x, w1.y+4.3, w1.w, l1)
	d.textFit(w2.x, w2.y+4.3, w2.w, l2)
	d.draw(colInk)
	d.lineW(0.35)
	end := w2.x + d.width(l2) + 1.5
	if l2 == "" {
		if e1 := w1.x + d.width(l1) + 1.5; e1 < w1.x+w1.w {
			d.line(e1, w1.y+3.2, w1.x+w1.w, w1.y+3.2)
		}
		end = w2.x
	}
	if end < w2.x+w2.w {
		d.line(end, w2.y+3.2, w2.x+w2.w, w2.y+3.2)
	}

	b := at(zcPayee)
	d.shrinkToFit("B", 9.5, b.w, f.payee)
	d.textFit(b.x, b.y+4.3, b.w, f.payee)

	b = at(zcAmount)
	d.shrinkToFit("B", 11, b.w-7, f.amount)
	d.textFitRight(b.x+b.w-2, b.y+6.2, b.w-7, f.amount)

	b = at(zcBank)
	d.font("", 7.5)
	for i, l := range d.wrap(f.bank, b.w, 2) {
		d.rawText(b.x, b.y+3+float64(i)*3.4, l)
	}
	d.font("", 9)
	b = at(zcPlace)
	d.textFit(b.x, b.y+3.6, b.w, f.place)
	b = at(zcDate)
	d.textFit(b.x, b.y+3.6, b.w, f.date)

	b = at(zcDrawer)
	d.shrinkToFit("B", 8.5, b.w, f.drawerName)
	d.textFit(b.x, b.y+3.4, b.w, f.drawerName)
	d.font("", 7.5)
	for i, l := range joinTail(f.drawerAddr, 3) {
		d.textFit(b.x, b.y+7+float64(i)*3.2, b.w, l)
	}
	b = at(zcNumber)
	d.courier(10)
	d.text(b.x+18, b.y+3.8, f.number)
}

// splitLine cuts s at a space so that the first part fits in w (at least
// one word); the second part is the rest.
func splitLine(d *doc, s string, w float64) (first, rest string) {
	words := strings.Fields(s)
	n := 1
	for n < len(words) && d.width(strings.Join(words[:n+1], " ")) <= w {
		n++
	}
	return strings.Join(words[:n], " "), strings.Join(words[n:], " ")
}

// chequeFrame draws the printed part of the cheque: border, captions,
// guides, the crossing mention and the band of the bank's line.
func (cw *chequeWriter) chequeFrame(ox, oy float64) {
	d := cw.d
	at := func(b box) box { return box{ox + b.x, oy + b.y, b.w, b.h} }
	d.draw(colMuted)
	d.lineW(0.2)
	d.dash(2, 1.5)
	d.line(4, perfY, pageW-4, perfY)
	d.dash()
	d.font("", 6)
	d.color(colMuted)
	d.textCenter(pageW/2, perfY-1.2, "Détachez le chèque en suivant le pointillé")
	d.color(colInk)

	d.draw(colInk)
	d.lineW(0.35)
	d.rect(ox, oy, chequeW, chequeH, "D")
	d.font("", 7.5)
	d.text(ox+4, oy+7.8, "Payez contre ce chèque")
	d.text(ox+4, oy+21.3, "à")
	d.draw(colRule)
	d.lineW(0.2)
	d.dash(0.4, 0.8)
	for _, z := range []box{zcWords1, zcWords2, zcPayee} {
		b := at(z)
		d.line(b.x, b.y+5, b.x+b.w, b.y+5)
	}
	d.dash()

	b := at(zcAmount)
	d.draw(colInk)
	d.lineW(0.5)
	d.rect(b.x, b.y, b.w, b.h, "D")
	d.font("B", 11)
	d.text(b.x+1.8, b.y+6.2, "€")

	d.font("B", 6.5)
	d.text(ox+4, oy+26.2, "Payable à")
	b = at(zcPlace)
	d.font("B", 7.5)
	d.text(b.x-4, b.y+3.6, "À")
	d.text(at(zcDate).x-4.5, b.y+3.6, "le")
	d.draw(colRule)
	d.lineW(0.2)
	d.dash(0.4, 0.8)
	d.line(b.x, b.y+4.4, b.x+b.w, b.y+4.4)
	b = at(zcDate)
	d.line(b.x, b.y+4.4, b.x+b.w, b.y+4.4)
	d.dash()

	b = at(zcNumber)
	d.font("B", 6.5)
	d.text(b.x, b.y+3.8, "Chèque n°")
	b = at(zcSign)
	d.draw(colRule)
	d.lineW(0.25)
	d.rect(b.x, b.y, b.w, b.h, "D")
	d.font("", 6)
	d.color(colMuted)
	d.text(b.x+1.5, b.y+2.8, "Signature")
	d.textFit(ox+4, oy+66.5, 104, "Non endossable sauf au profit d’une banque, d’une caisse d’épargne ou d’un établissement assimilé")
	d.color(colInk)

	d.draw(colInk)
	d.lineW(0.35)
	d.line(ox, oy+chequeBand, ox+chequeW, oy+chequeBand)
	d.font("", 6)
	d.textRight(ox+chequeW-6, oy+chequeBand-1, "ne rien inscrire au-dessous de cette ligne")
	d.downTriangle(ox+chequeW-4, oy+chequeBand-2.6, 1.8, colInk)
}

// alignmentPage fills the address window and every zone of the cheque with
// X, as long as each zone allows.
func (cw *chequeWriter) alignmentPage() {
	d := cw.d
	x := func(n int) string { return strings.Repeat("X", n) }
	addressWindow(d, Party{Name: x(30), Address: Address{Street: x(34), Building: x(34), Postcode: x(5), Town: x(28)}}, 0, 0)
	d.font("B", 11)
	d.text(marginL, 110, "Page d’alignement des lettres-chèques")
	d.font("", 9)
	for i, l := range d.wrap("Imprimée sur papier blanc, cette page se superpose à une formule de lettre-chèque : "+
		"chaque zone de X doit tomber dans sa case, l’adresse dans la fenêtre de l’enveloppe. "+
		"Sinon, corrigez le décalage (en millimètres, vers la droite et vers le bas) et imprimez-la de nouveau. "+
		"Aucun numéro de chèque n’est consommé.", contentW, 5) {
		d.rawText(marginL, 118+float64(i)*4.4, l)
	}
	cw.cheque(chequeFields{
		words: x(26) + " " + x(38) + " " + x(10), amount: x(12), payee: x(40), bank: x(30) + " " + x(30),
		place: x(14), date: x(10), drawerName: x(30), drawerAddr: []string{x(36), x(36), x(36)}, number: x(7),
	})
}
