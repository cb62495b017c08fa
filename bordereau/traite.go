package bordereau

import (
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// Traite is one lettre de change relevé (LCR) or billet à ordre relevé (BOR)
// to print on paper: one per receivable. The drawer (tireur) of a lettre de
// change, who is the beneficiary of a billet à ordre, is the same for all
// and given separately.
type Traite struct {
	Document  string    // invoice number: first reference box, and error messages
	Customer  string    // customer account code: second reference box
	Reference string    // free reference (e.g. the remittance): third reference box
	Drawee    Party     // tiré (LCR) or souscripteur (BOR): NOM et ADRESSE
	SIREN     string    // drawee's SIREN (9 digits), optional
	IBAN      string    // drawee's French IBAN, printed as its R.I.B.
	Bank      string    // DOMICILIATION: the drawee's bank, e.g. "CIC Lyon Part-Dieu"
	Amount    int64     // cents, > 0
	Due       time.Time // ÉCHÉANCE
	Issued    time.Time // DATE DE CRÉATION: the invoice's issue date; zero prints the date of the form (TraiteOptions.Created)
	DraweeRef string    // RÉF. TIRÉ (LCR seulement): the drawee's own reference, optional

	// Promissory prints a billet à ordre: the drawee (souscripteur)
	// promises to pay, where a lettre de change orders the drawee to pay.
	Promissory bool
}

// Traite models: the full form drawn on plain paper, or the values alone at
// the same places, for pre-printed forms.
const (
	ModelStandard   = "standard"
	ModelPreprinted = "preimprime"
)

// TraiteOptions are the options of the "Edition des traites" window.
type TraiteOptions struct {
	Model   string    // ModelStandard (also for "") or ModelPreprinted; others are an error
	Created time.Time // date de remise, printed after "A <Place> le"; zero means Now
	Place   string    // lieu de création, "A <Place>"; empty means the drawer's town
	ValueIn string    // the "Valeur en" zone: what the bill is given for (compte, marchandises…); empty leaves it blank
	Min     int64     // cents: traites below are not printed (0: no minimum)
	Max     int64     // cents: traites above are not printed (0: no maximum)
	Copies  int       // 1 to 9 full sets; 0 means 1
	PerPage int       // traites per A4 page, 1, 2 or 3 (0 means 3), with cut lines between

	// OffsetX and OffsetY move every form right and down by that many
	// millimetres (negative: left and up), at most MaxOffset either way,
	// so that the values fall into the boxes of a printer's paper.
	OffsetX, OffsetY float64

	// Alignment prints one page of forms filled with X (Copies times), to
	// align pre-printed paper; ts, Min and Max are then ignored.
	Alignment bool

	// LeaveOut, when set, makes WriteTraites print the traites that can be
	// printed and leave out those that cannot (a foreign account, no due
	// date…), where it would otherwise print none: it is called once for
	// each left out, in input order, with all its problems, and
	// TraiteCount.Refused counts them. For pointed receivables, not for a
	// remittance, whose bills go together.
	LeaveOut func(t Traite, problems []*ItemError)

	Now time.Time // the clock: PDF dates; zero means time.Now()
}

// MaxOffset bounds TraiteOptions.OffsetX and OffsetY, in millimetres: more
// would push the form off an A4 sheet.
const MaxOffset = 30.0

// TraiteCount says how many traites WriteTraites printed (once, however many
// copies) and how many it skipped for being outside [Min, Max].
type TraiteCount struct {
	Printed    int
	Skipped    int
	Promissory int // of Printed, the billets à ordre
	Pages      int // pages written, all copies included

	// PromissoryPage is the page of each copy where the billets à ordre
	// start, on pre-printed paper: they need other forms, so they come
	// after the lettres de change, from a new page. 0 otherwise.
	PromissoryPage int

	// Refused counts the traites left out (TraiteOptions.LeaveOut); they
	// are not in Printed.
	Refused int
}

// Form geometry, in millimetres. OCA's template frame is about 187 × 78 mm.
const (
	formW = 187.0
	formH = 78.0
	bandY = 67.0 // the "ne rien inscrire au-dessous de cette ligne" line
)

// WriteTraites writes the traites as a PDF to w, PerPage to an A4 page.
//
// ts is ranged over once per copy (see WriteSlip), twice on pre-printed
// paper when billets à ordre come with lettres de change: the lettres de
// change first, then the billets à ordre from a new page, since each needs
// its own forms. Traites outside [Min, Max] are counted as skipped; the
// others are checked (amount, due date, drawee name, French IBAN with a
// valid RIB key, SIREN) and on any problem WriteTraites returns them all
// and does not finish the document; with LeaveOut it prints the others and
// hands the ones left out to LeaveOut. When nothing is left to
// print it returns ErrNoTraite and writes nothing.
func WriteTraites(w io.Writer, drawer Party, ts iter.Seq[Traite], opts TraiteOptions) (TraiteCount, error) {
	var cnt TraiteCount
	frame, perPage, copies, err := opts.check()
	if err != nil {
		return cnt, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	created := opts.Created
	if created.IsZero() {
		created = now
	}
	place := opts.Place
	if place == "" {
		place = drawer.Address.Town
	}
	tw := &traiteWriter{d: newDoc(w, now, false, "Lettres de change relevé"), perPage: perPage, frame: frame,
		dx: opts.OffsetX, dy: opts.OffsetY}

	if opts.Alignment {
		for range copies {
			tw.d.addPage()
			for i := range perPage {
				tw.form(i, alignmentFields())
			}
			tw.cutLines()
		}
		cnt.Pages, err = tw.d.finish()
		return cnt, err
	}

	// One pass prints every traite in order; on pre-printed paper a second
	// pass puts the billets à ordre on forms of their own.
	passes := []func(Traite) bool{func(Traite) bool { return true }}
	if !frame {
		passes = []func(Traite) bool{
			func(t Traite) bool { return !t.Promissory },
			func(t Traite) bool { return t.Promissory },
		}
	}
	var probs problems
	for c := 1; c <= copies; c++ {
		var n TraiteCount
		before := tw.d.pageNo() // the pages of the copies before
		for _, take := range passes {
			tw.slot = perPage // the next form starts a page
			i := 0
			for t := range ts {
				if tw.d.failed() {
					break // the output failed: reading on would be for nothing
				}
				i++
				if !take(t) {
					continue
				}
				if (opts.Min > 0 && t.Amount < opts.Min) || (opts.Max > 0 && t.Amount > opts.Max) {
					n.Skipped++
					continue
				}
				f, errs := traiteValues(drawer, t, place, created, opts.ValueIn)
				for _, e := range errs {
					e.Index = i
				}
				if opts.LeaveOut != nil && len(errs) > 0 {
					n.Refused++
					if c == 1 {
						opts.LeaveOut(t, errs)
					}
					continue
				}
				n.Printed++
				if c == 1 {
					for _, e := range errs {
						probs.add(e)
					}
				}
				if tw.slot == perPage {
					if tw.d.pageNo() > 0 {
						tw.cutLines()
					}
					tw.d.addPage()
					tw.slot = 0
				}
				if t.Promissory {
					if n.Promissory == 0 && !frame {
						n.PromissoryPage = tw.d.pageNo() - before
					}
					n.Promissory++
				}
				tw.form(tw.slot, f)
				tw.slot++
			}
		}
		if tw.d.failed() {
			cnt.Pages, err = tw.d.finish() // the write error, not the traites it left unread
			return cnt, err
		}
		if c == 1 {
			cnt = n
			if err := probs.err(); err != nil {
				return cnt, err
			}
			if n.Printed == 0 {
				return cnt, ErrNoTraite
			}
		} else if n != cnt {
			return cnt, fmt.Errorf("copy %d: %w", c, ErrChanged)
		}
	}
	tw.cutLines()
	cnt.Pages, err = tw.d.finish()
	return cnt, err
}

// check checks the options and returns whether the forms are framed (not
// pre-printed paper), the forms per page and the copies.
func (opts TraiteOptions) check() (frame bool, perPage, copies int, err error) {
	frame = true
	switch opts.Model {
	case "", ModelStandard:
	case ModelPreprinted:
		frame = false
	default:
		return frame, 0, 0, fmt.Errorf("%q (known: %s, %s): %w", opts.Model, ModelStandard, ModelPreprinted, ErrModel)
	}
	perPage = opts.PerPage
	if perPage == 0 {
		perPage = 3
	}
	if perPage < 1 || perPage > 3 {
		return frame, perPage, 0, fmt.Errorf("%d: %w", perPage, ErrPerPage)
	}
	if copies, err = checkCopies(opts.Copies); err != nil {
		return frame, perPage, copies, err
	}
	for _, o := range []float64{opts.OffsetX, opts.OffsetY} {
		if math.IsNaN(o) || math.Abs(o) > MaxOffset {
			return frame, perPage, copies, fmt.Errorf("%g mm: %w", o, ErrOffset)
		}
	}
	return frame, perPage, copies, nil
}

// traiteFields are the printed values of one form, already formatted.
type traiteFields struct {
	drawerName    string
	drawerAddr    []string // up to 3 lines
	orderOf       string   // after "à l'ordre de :"
	place, date   string   // "A …, le …"
	control       string   // MONTANT POUR CONTRÔLE
	created, due  string
	draweeRef     string
	amount        string
	refs          [3]string
	bank, branch  string // code établissement, code guichet
	account, key  string
	domiciliation string
	draweeName    string
	draweeAddr    []string // up to 3 lines
	siren         string
	valueIn       string
	promissory    bool // the billet à ordre form
}

func traiteValues(drawer Party, t Traite, place string, created time.Time, valueIn string) (traiteFields, []*ItemError) {
	var errs []*ItemError
	bad := func(field, value string, err error) {
		errs = append(errs, &ItemError{Document: t.Document, Field: field, Value: value, Err: err})
	}
	if t.Amount <= 0 {
		bad("Amount", plainEUR(t.Amount), ErrAmount)
	}
	if t.Due.IsZero() {
		bad("Due", "", ErrMissing)
	}
	if strings.TrimSpace(t.Drawee.Name) == "" {
		bad("Drawee.Name", "", ErrMissing)
	}
	iban := ident.NormalizeIBAN(t.IBAN)
	rib := ident.RIBFromIBAN(iban)
	if err := ident.ValidateIBAN(iban); err != nil {
		bad("IBAN", t.IBAN, fmt.Errorf("%w: %w", ErrAccount, err))
	} else if cc := iban[:2]; cc != "FR" && cc != "MC" {
		bad("IBAN", t.IBAN, fmt.Errorf("%w: an LCR is drawn on a French account", ErrAccount))
	}
	siren := strings.ReplaceAll(t.SIREN, " ", "")
	if siren != "" {
		if err := ident.ValidateSIREN(siren); err != nil {
			bad("SIREN", t.SIREN, err)
		} else {
			siren = siren[:3] + " " + siren[3:6] + " " + siren[6:]
		}
	}
	issued := t.Issued
	if issued.IsZero() {
		issued = created
	}
	return traiteFields{
		drawerName:    drawer.Name,
		drawerAddr:    addressLines(drawer.Address),
		orderOf:       drawer.Name,
		place:         place,
		date:          formatDate(created),
		control:       formatEUR(t.Amount),
		created:       formatDate(issued),
		due:           formatDate(t.Due),
		draweeRef:     t.DraweeRef,
		amount:        formatEUR(t.Amount),
		refs:          [3]string{t.Document, t.Customer, t.Reference},
		bank:          rib.Bank,
		branch:        rib.Branch,
		account:       rib.Account,
		key:           rib.Key,
		domiciliation: t.Bank,
		draweeName:    t.Drawee.Name,
		draweeAddr:    addressLines(t.Drawee.Address),
		siren:         siren,
		valueIn:       valueIn,
		promissory:    t.Promissory,
	}, errs
}

// alignmentFields fills every zone with X, as long as the zone allows.
func alignmentFields() traiteFields {
	x := func(n int) string { return strings.Repeat("X", n) }
	return traiteFields{
		drawerName: x(28), drawerAddr: []string{x(30), x(30), x(30)},
		orderOf: x(28), place: x(16), date: x(10),
		control: x(12), created: x(10), due: x(10), draweeRef: x(12), amount: x(12),
		refs: [3]string{x(14), x(22), x(14)},
		bank: x(5), branch: x(5), account: x(11), key: x(2),
		domiciliation: x(28) + " " + x(28),
		draweeName:    x(28), draweeAddr: []string{x(32), x(32)},
		siren: x(9), valueIn: x(14),
	}
}

type traiteWriter struct {
	d       *doc
	perPage int
	slot    int // forms already on the current page
	frame   bool
	dx, dy  float64 // the printer's offset, in mm
}

// origin is the top-left corner of the form in slot i of the page: slots
// split the page height evenly, the form centred in its slot, then moved
// by the offset.
func (tw *traiteWriter) origin(i int) (x, y float64) {
	sh := pageH / float64(tw.perPage)
	return (pageW-formW)/2 + tw.dx, float64(i)*sh + (sh-formH)/2 + tw.dy
}

// cutLines draws dashed lines between the slots of the current page, on
// plain paper only: pre-printed forms come already cut or perforated.
func (tw *traiteWriter) cutLines() {
	if !tw.frame {
		return
	}
	d := tw.d
	d.draw(colRule)
	d.lineW(0.2)
	d.dash(2, 1.5)
	sh := pageH / float64(tw.perPage)
	for i := 1; i < tw.perPage; i++ {
		d.line(4, float64(i)*sh, pageW-4, float64(i)*sh)
	}
	d.dash()
}

// Zones: x, y (top) and width of the boxes of one form, relative to its
// top-left corner. Both the frame and the values use them.
var (
	zControl   = box{4, 24.5, 42, 6.5}
	zCreated   = box{48, 24.5, 26, 6.5}
	zDue       = box{76, 24.5, 26, 6.5}
	zDraweeRef = box{104, 24.5, 36, 6.5}
	zAmount    = box{142, 24.5, 41, 6.5}
	zRefs      = [3]box{{4, 33, 42, 4.5}, {48, 33, 52, 4.5}, {106, 33, 34, 4.5}}
	zValueIn   = box{142, 33, 41, 4.5}
	zBank      = box{4, 44, 15, 5.5}
	zBranch    = box{21, 44, 15, 5.5}
	zAccount   = box{38, 44, 34, 5.5}
	zKey       = box{74, 44, 10, 5.5}
	zDomicil   = box{96, 41.5, 87, 8}
	zAccept    = box{4, 51.5, 42, 8.5}
	zDrawee    = box{50, 51.5, 78, 14}
	zSignature = box{132, 51.5, 51, 11.5}
	zSIREN     = box{4, 61.5, 42, 4}
)

type box struct{ x, y, w, h float64 }

// form draws one traite in slot i: the frame and labels (standard model)
// and the values.
func (tw *traiteWriter) form(i int, f traiteFields) {
	ox, oy := tw.origin(i)
	d := tw.d
	at := func(b box) box { return box{ox + b.x, oy + b.y, b.w, b.h} }
	if tw.frame {
		tw.frameAt(ox, oy, f.promissory)
	}

	// Drawer's block (top left) and the beneficiary after the order text.
	d.shrinkToFit("B", 8.5, 80, f.drawerName)
	d.textFit(ox+4, oy+4.6, 80, f.drawerName)
	d.font("", 7.5)
	for j, l := range joinTail(f.drawerAddr, 3) {
		d.textFit(ox+4, oy+8+float64(j)*3.2, 80, l)
	}
	d.shrinkToFit("B", 8.5, 93, f.orderOf)
	d.textFit(ox+90, oy+15.2, 93, f.orderOf)

	// A <lieu>, le <date>
	d.font("", 8.5)
	d.textFit(ox+9, oy+20.3, 38, f.place)
	d.text(ox+56, oy+20.3, f.date)

	// Row of boxes.
	b := at(zControl)
	d.font("B", 9.5)
	d.textFitRight(b.x+b.w-2, b.y+4.6, b.w-4, f.control)
	b = at(zAmount)
	d.font("B", 10)
	d.textFitRight(b.x+b.w-2, b.y+4.7, b.w-4, f.amount)
	d.font("", 9)
	for _, z := range []struct {
		b box
		s string
	}{{zCreated, f.created}, {zDue, f.due}, {zDraweeRef, f.draweeRef}} {
		b := at(z.b)
		d.textFitCenter(b.x+b.w/2, b.y+4.6, b.w-3, z.s)
	}

	// References.
	d.font("", 8)
	for j, z := range zRefs {
		b := at(z)
		d.textFit(b.x+1.5, b.y+3.3, b.w-3, f.refs[j])
	}

	// Valeur en.
	b = at(zValueIn)
	d.font("", 8)
	d.textFit(b.x+12.5, b.y+3.3, b.w-14, f.valueIn)

	// R.I.B. du tiré.
	d.font("B", 9)
	for _, z := range []struct {
		b box
		s string
	}{{zBank, f.bank}, {zBranch, f.branch}, {zAccount, f.account}, {zKey, f.key}} {
		b := at(z.b)
		d.textFitCenter(b.x+b.w/2, b.y+4, b.w-1, z.s)
	}

	// Domiciliation.
	b = at(zDomicil)
	d.font("", 8)
	for j, l := range d.wrap(f.domiciliation, b.w-3, 2) {
		d.rawText(b.x+1.5, b.y+3.3+float64(j)*3.3, l)
	}

	// Drawee: name and two address lines.
	b = at(zDrawee)
	d.shrinkToFit("B", 8.5, b.w-3, f.draweeName) // a legal name: shrink before cutting
	d.textFit(b.x+1.5, b.y+5.8, b.w-3, f.draweeName)
	d.font("", 7.5)
	for j, l := range joinTail(f.draweeAddr, 2) {
		d.textFit(b.x+1.5, b.y+9.2+float64(j)*3.2, b.w-3, l)
	}

	// SIREN.
	b = at(zSIREN)
	d.font("", 8)
	d.text(b.x+20, b.y+3, f.siren)
}

// joinTail keeps at most n lines, joining the extra ones to the last line
// with commas: "69002 Lyon, Belgique".
func joinTail(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	out := append([]string{}, lines[:n-1]...)
	return append(out, strings.Join(lines[n-1:], ", "))
}

// formWords are the words that differ between the lettre de change and the
// billet à ordre form: the first orders the drawee (tiré) to pay, in the
// second the drawee (souscripteur) promises to pay.
type formWords struct {
	contre, name, stipule string // "Contre cette", "LETTRE DE CHANGE", "stipulée"
	pay                   string // the order or the promise
	drawee                string // "TIRÉ" or "SOUSCRIPTEUR"
	draweeRef, accept     string // captions of the RÉF. TIRÉ box and of the acceptance box
	signature, siren      string
}

var (
	lcrWords = formWords{contre: "Contre cette", name: "LETTRE DE CHANGE", stipule: "stipulée",
		pay: "veuillez payer la somme indiquée ci-dessous", drawee: "TIRÉ", draweeRef: "LCR seulement · RÉF. TIRÉ",
		accept: "ACCEPTATION ou AVAL", signature: "Signature du tireur", siren: "N° SIREN du TIRÉ"}
	borWords = formWords{contre: "Contre ce", name: "BILLET À ORDRE", stipule: "stipulé",
		pay: "nous paierons la somme indiquée ci-dessous", drawee: "SOUSCRIPTEUR", draweeRef: "RÉF. SOUSCRIPTEUR",
		accept: "BON POUR AVAL", signature: "Signature du souscripteur", siren: "N° SIREN"}
)

// frameAt draws the printed part of the standard model: a lettre de change,
// or a billet à ordre (promissory).
func (tw *traiteWriter) frameAt(ox, oy float64, promissory bool) {
	d := tw.d
	words := lcrWords
	if promissory {
		words = borWords
	}
	d.draw(colInk)
	d.lineW(0.35)
	d.rect(ox, oy, formW, formH, "D")
	frameOrder(d, ox, oy, words)
	frameBoxes(d, ox, oy, words)
	frameParties(d, ox, oy, words)
}

// frameOrder draws the order (or promise) and the place and date lines of
// a form at (ox, oy).
func frameOrder(d *doc, ox, oy float64, words formWords) {
	// Order (or promise) text.
	d.font("", 7)
	d.text(ox+90, oy+5, words.contre)
	d.font("B", 7)
	x := ox + 90 + d.width(words.contre+" ")
	d.text(x, oy+5, words.name)
	x += d.width(words.name + " ")
	d.font("", 7)
	d.text(x, oy+5, words.stipule)
	x += d.width(words.stipule + " ")
	d.font("B", 7)
	d.text(x, oy+5, "SANS FRAIS")
	d.font("", 7)
	d.text(ox+90, oy+8.3, words.pay)
	d.text(ox+90, oy+11.6, "à l’ordre de :")

	// A … le …
	d.font("B", 7.5)
	d.text(ox+4, oy+20.3, "A")
	d.text(ox+50, oy+20.3, "le")
	d.draw(colRule)
	d.lineW(0.2)
	d.dash(0.4, 0.8)
	d.line(ox+8, oy+21.1, ox+47, oy+21.1)
	d.line(ox+55, oy+21.1, ox+86, oy+21.1)
	d.dash()
}

// frameBoxes draws the row of boxes of a form at (ox, oy), with their
// captions, the reference brackets and the "valeur en" line.
func frameBoxes(d *doc, ox, oy float64, words formWords) {
	at := func(b box) box { return box{ox + b.x, oy + b.y, b.w, b.h} }
	// Row of boxes with their captions above.
	d.draw(colInk)
	d.lineW(0.3)
	for _, z := range []struct {
		b box
		s string
	}{
		{zControl, "MONTANT POUR CONTRÔLE"},
		{zCreated, "DATE DE CRÉATION"},
		{zDue, "ÉCHÉANCE"},
		{zDraweeRef, words.draweeRef},
		{zAmount, "MONTANT EN €"},
	} {
		b := at(z.b)
		d.rect(b.x, b.y, b.w, b.h, "D")
		d.font("", 5.5)
		d.textCenter(b.x+b.w/2, b.y-1.1, z.s)
	}
	d.lineW(0.6)
	b := at(zAmount)
	d.rect(b.x, b.y, b.w, b.h, "D") // the amount box stands out

	// Reference brackets: corners only.
	d.lineW(0.25)
	for _, z := range zRefs {
		b := at(z)
		const c = 1.6
		for _, p := range [][4]float64{
			{b.x, b.y, 1, 1}, {b.x + b.w, b.y, -1, 1}, {b.x, b.y + b.h, 1, -1}, {b.x + b.w, b.y + b.h, -1, -1},
		} {
			d.line(p[0], p[1], p[0]+p[2]*c, p[1])
			d.line(p[0], p[1], p[0], p[1]+p[3]*c)
		}
	}

	// Valeur en: a caption and a dotted line to write on.
	b = at(zValueIn)
	d.font("B", 6)
	d.text(b.x+1.5, b.y+3.3, "Valeur en")
	d.draw(colRule)
	d.lineW(0.2)
	d.dash(0.4, 0.8)
	d.line(b.x+12, b.y+4.1, b.x+b.w, b.y+4.1)
	d.dash()
	d.draw(colInk)
}

// frameParties draws the drawee's R.I.B. and domiciliation, the
// acceptance, the drawee, the signature and the bank band of a form at
// (ox, oy).
func frameParties(d *doc, ox, oy float64, words formWords) {
	at := func(b box) box { return box{ox + b.x, oy + b.y, b.w, b.h} }
	// R.I.B. and domiciliation.
	d.font("B", 6.5)
	d.text(ox+4, oy+40.6, "R.I.B. du "+words.drawee)
	d.lineW(0.3)
	for _, z := range []struct {
		b box
		s string
	}{{zBank, "Code établ."}, {zBranch, "Code guichet"}, {zAccount, "N° de compte"}, {zKey, "Clé RIB"}} {
		b := at(z.b)
		d.rect(b.x, b.y, b.w, b.h, "D")
		d.font("", 5.5)
		d.textCenter(b.x+b.w/2, b.y-1, z.s)
	}
	b := at(zDomicil)
	d.font("B", 6.5)
	d.text(b.x, b.y-0.9, "DOMICILIATION")
	d.lineW(0.25)
	d.rect(b.x, b.y, b.w, b.h, "D")

	// Acceptance (or aval), drawee, signature.
	b = at(zAccept)
	d.rect(b.x, b.y, b.w, b.h, "D")
	d.font("B", 6)
	d.text(b.x+1.5, b.y+2.6, words.accept)
	d.downTriangle(b.x+3+d.width(words.accept), b.y+1.1, 1.8, colInk)
	b = at(zDrawee)
	d.font("B", 6)
	d.text(b.x+1.5, b.y+2.4, "NOM et ADRESSE du "+words.drawee)
	d.lineW(0.25)
	d.line(b.x, b.y, b.x, b.y+b.h)
	b = at(zSignature)
	d.rect(b.x, b.y, b.w, b.h, "D")
	d.font("B", 6)
	d.text(b.x+1.5, b.y+2.6, words.signature)
	b = at(zSIREN)
	d.font("B", 6)
	d.text(b.x, b.y+3, words.siren)

	// Bank band.
	d.lineW(0.35)
	d.line(ox, oy+bandY, ox+formW, oy+bandY)
	d.font("", 6)
	s := "ne rien inscrire au-dessous de cette ligne"
	d.textRight(ox+formW-6, oy+bandY-1, s)
	d.downTriangle(ox+formW-4, oy+bandY-2.6, 1.8, colInk)
}
