package bordereau

import (
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// ChequeDeposit is the header of a remise de chèques, the bordereau de
// versement that goes to the bank with the received cheques: whose account
// is credited, at which bank, and the count and total the caller announces
// (from the same query that lists the cheques); WriteChequeDeposit checks
// the cheques against them.
type ChequeDeposit struct {
	Holder    Party     // titulaire du compte: the company that deposits
	Bank      string    // domiciliation of the account, e.g. "CIC Lyon Part-Dieu"
	IBAN      string    // account credited, the holder's own: printed in full, with its RIB when French
	BIC       string    // optional
	Reference string    // référence de la remise
	Date      time.Time // date de la remise, also that of "Fait à …, le …"
	Count     int       // number of cheques announced
	Total     int64     // their sum, in cents
}

// DepositCheque is one received cheque on the slip.
type DepositCheque struct {
	Number   string // numéro du chèque: up to 7 digits, as on the cheque's bottom line
	Drawer   string // tireur: whose account the cheque is drawn on
	Bank     string // the drawer's bank (établissement tiré), optional
	Document string // what the cheque pays, named in error messages only
	Amount   int64  // cents, > 0
}

// DepositOptions are the printing options of a remise de chèques.
type DepositOptions struct {
	Copies int       // 1 to 9 full sets of pages (the bank's, the holder's…), marked "Exemplaire k/n"; 0 means 1
	Now    time.Time // the edition date: footer and PDF dates; required
	NoZone bool      // Now is a wall-clock reading of unknown zone (see SlipOptions)
}

// WriteChequeDeposit writes the remise de chèques as a PDF to w: the
// holder, the account credited (IBAN and RIB), the reference and date, one
// line per cheque (number, drawer, drawer's bank, amount), the count and
// total, and the box for the remitter's signature.
//
// cheques is ranged over once per copy and must yield the same cheques each
// time (see WriteSlip); neither cheques nor pages are kept in memory. The
// header and every cheque are checked (number, drawer, amount; count and
// total against the header) and every problem is returned at once, with 0
// pages, without finishing the document. Otherwise it returns the number
// of pages, all copies included.
func WriteChequeDeposit(w io.Writer, dep ChequeDeposit, cheques iter.Seq[DepositCheque], opts DepositOptions) (pages int, err error) {
	copies, err := checkCopies(opts.Copies)
	if err != nil {
		return 0, err
	}
	if err := dep.check(opts.Now); err != nil {
		return 0, err
	}
	dw := &depositWriter{
		d:      newDoc(w, opts.Now, opts.NoZone, "Remise de chèques "+dep.Reference),
		dep:    dep,
		now:    opts.Now,
		copies: copies,
	}
	dw.d.footer = dw.footer
	var first slipSums
	perCopy := 0
	for c := 1; c <= copies; c++ {
		dw.writeCopy(c, cheques)
		if dw.d.failed() {
			return dw.d.finish() // the write error, not the cheques it left unread
		}
		sums := slipSums{dw.t.count, dw.t.total}
		if c == 1 {
			if err := dw.probs.err(); err != nil {
				return 0, err
			}
			first, perCopy = sums, dw.d.pageNo()
			dw.d.setPageCount(perCopy)
		} else if sums != first || dw.d.pageNo() != c*perCopy {
			return 0, fmt.Errorf("copy %d: %w", c, ErrChanged)
		}
	}
	return dw.d.finish()
}

// check returns every problem of the header.
func (dep ChequeDeposit) check(now time.Time) error {
	var probs problems
	if err := checkNow(now); err != nil {
		probs.add(err)
	}
	if strings.TrimSpace(dep.Holder.Name) == "" {
		probs.add(fmt.Errorf("Holder.Name: %w", ErrMissing))
	}
	if dep.Date.IsZero() {
		probs.add(fmt.Errorf("Date: %w: the date of the remise", ErrMissing))
	}
	if err := ident.ValidateIBAN(ident.NormalizeIBAN(dep.IBAN)); err != nil {
		probs.add(fmt.Errorf("IBAN %q: %w: %w", dep.IBAN, ErrAccount, err))
	}
	return probs.err()
}

type depositWriter struct {
	d      *doc
	dep    ChequeDeposit
	now    time.Time
	copies int
	copy   int
	first  int // first page of the current copy
	t      *table
	probs  problems
}

// Deposit table columns: line number, cheque number and amount fixed, the
// rest shared by the drawers and their banks.
const (
	depColLine   = 10.0
	depColNumber = 24.0
	depFont      = 8.5
	depRowH      = 5.2
)

func (dw *depositWriter) columns() []column {
	d := dw.d
	d.font("", depFont)
	amountW := max(d.width(formatEUR(dw.dep.Total)), 18) + 2*padX + 1
	free := contentW - depColLine - depColNumber - amountW
	return []column{
		{"N°", depColLine, true},
		{"N° de chèque", depColNumber, false},
		{"Tireur", free * 0.55, false},
		{"Banque du tireur", free * 0.45, false},
		{"Montant", amountW, true},
	}
}

func (dw *depositWriter) writeCopy(c int, cheques iter.Seq[DepositCheque]) {
	dw.d.addPage() // the footer of the previous copy's last page runs here
	dw.copy, dw.first = c, dw.d.pageNo()
	dw.t = newTable(dw.d, dw.columns(), dw.firstHeader(), dw.nextPage)
	dw.t.noun, dw.t.font, dw.t.rowH = "chèque", depFont, depRowH
	dw.t.header()
	i := 0
	for ch := range cheques {
		if dw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		if c == 1 {
			dw.check(i, ch)
		}
		dw.t.ensure(dw.t.rowH)
		dw.t.row(formatInt(i), ch.Number, ch.Drawer, ch.Bank, formatEUR(ch.Amount))
		dw.t.add(ch.Amount)
	}
	if i == 0 {
		dw.t.empty("Aucun chèque.")
	}
	t := dw.t
	// The total never goes without the signature box (see the slip).
	t.ensure(totalH + sigGap + sigH)
	totalBand(dw.d, t.y, "TOTAL DE LA REMISE — "+plural(t.count, "chèque"), t.total)
	t.y += totalH
	dw.signature(t.y + sigGap)
	if c == 1 {
		if t.count != dw.dep.Count {
			dw.probs.add(fmt.Errorf("%d cheques, header says %d: %w", t.count, dw.dep.Count, ErrCount))
		}
		if t.total != dw.dep.Total {
			dw.probs.add(fmt.Errorf("cheques sum to %s, header says %s: %w", plainEUR(t.total), plainEUR(dw.dep.Total), ErrTotal))
		}
	}
}

// check collects the problems of cheque i.
func (dw *depositWriter) check(i int, ch DepositCheque) {
	bad := func(field, value string, err error) {
		dw.probs.add(&ItemError{Index: i, Document: ch.Document, Field: field, Value: value, Err: err})
	}
	if n := strings.TrimSpace(ch.Number); n == "" {
		bad("Number", ch.Number, ErrMissing)
	} else if len(n) > 7 || strings.Trim(n, "0123456789") != "" {
		bad("Number", ch.Number, ErrChequeNumber)
	}
	if strings.TrimSpace(ch.Drawer) == "" {
		bad("Drawer", ch.Drawer, ErrMissing)
	}
	if ch.Amount <= 0 {
		bad("Amount", plainEUR(ch.Amount), ErrAmount)
	}
}

// firstHeader draws the band, the holder, the account with its RIB and the
// totals, and returns where the table starts.
func (dw *depositWriter) firstHeader() float64 {
	d, dep := dw.d, dw.dep
	y := marginT + titleBand(d, "REMISE DE CHÈQUES", "Bordereau de versement", "RÉFÉRENCE DE LA REMISE",
		dep.Reference, copyLabel(dw.copy, dw.copies)) + 4

	const gap, w1, w2 = 4.0, 64.0, 68.0
	w3 := contentW - w1 - w2 - 2*gap
	x1, x2, x3 := marginL, marginL+w1+gap, marginL+w1+w2+2*gap
	iban := ident.NormalizeIBAN(dep.IBAN)
	acct := []string{"IBAN " + groupIBAN(iban)}
	if dep.BIC != "" {
		acct = append(acct, "BIC "+dep.BIC)
	}
	d.font("B", 9.5)
	holder, bank := d.wrap(dep.Holder.Name, w1-6, 2), d.wrap(dep.Bank, w2-6, 2)
	addr := addressLines(dep.Holder.Address)
	h := boxHeight(max(len(holder)+len(addr), len(bank)+len(acct), 5))
	infoBox(d, x1, y, w1, h, "TITULAIRE DU COMPTE", holder, addr)
	infoBox(d, x2, y, w2, h, "COMPTE À CRÉDITER", bank, acct)

	d.fill(colTint)
	d.rect(x3, y, w3, h, "F")
	d.label(x3+3, y+4, "DATE DE LA REMISE")
	d.font("B", 10)
	d.text(x3+3, y+8.6, formatDate(dep.Date))
	d.label(x3+3, y+12.6, "NOMBRE DE CHÈQUES")
	d.shrinkToFit("B", 10, w3-6, formatInt(dep.Count))
	d.text(x3+3, y+17.2, formatInt(dep.Count))
	d.label(x3+3, y+21.2, "MONTANT TOTAL")
	d.shrinkToFit("B", 12, w3-6, formatEUR(dep.Total))
	d.color(colBrand)
	d.text(x3+3, y+26.4, formatEUR(dep.Total))
	d.color(colInk)
	y += h + gap

	// The account in the RIB boxes of the bank's forms, for a French one.
	if rib := ident.RIBFromIBAN(iban); (iban[:2] == "FR" || iban[:2] == "MC") && rib.Validate() == nil {
		d.label(marginL, y+3, "RELEVÉ D'IDENTITÉ BANCAIRE DU COMPTE À CRÉDITER")
		x := marginL
		for _, z := range []struct {
			caption, value string
			w              float64
		}{{"Code banque", rib.Bank, 22}, {"Code guichet", rib.Branch, 22}, {"N° de compte", rib.Account, 40}, {"Clé RIB", rib.Key, 14}} {
			d.font("", 5.5)
			d.color(colMuted)
			d.textCenter(x+z.w/2, y+6.8, z.caption)
			d.color(colInk)
			d.draw(colInk)
			d.lineW(0.3)
			d.rect(x, y+7.8, z.w, 6.5, "D")
			d.courier(10)
			d.textCenter(x+z.w/2, y+12.5, z.value)
			x += z.w + 2
		}
		d.font("I", 7.5)
		d.color(colMuted)
		for i, l := range d.wrap("Chèques tirés sur des banques établies en France, endossés à l’ordre de la banque. "+
			"Crédit sauf bonne fin d’encaissement.", marginL+contentW-x-2, 3) {
			d.rawText(x+2, y+9+float64(i)*3.4, l)
		}
		d.color(colInk)
		y += 18
	}
	return y + 2
}

func (dw *depositWriter) nextPage() float64 {
	dw.d.addPage()
	return runningHeader(dw.d, "REMISE DE CHÈQUES", formatDate(dw.dep.Date), "Réf. "+dw.dep.Reference,
		dw.dep.Holder.Name, copyLabel(dw.copy, dw.copies))
}

// signature closes the slip: the recap sentence, place and date, and the
// box for the remitter's signature.
func (dw *depositWriter) signature(y float64) {
	d, t := dw.d, dw.t
	d.font("", 8.5)
	recap := fmt.Sprintf("Nous vous remettons %s pour un montant total de %s, à porter au crédit du compte %s, sauf bonne fin d’encaissement.",
		plural(t.count, "chèque"), formatEUR(t.total), strings.ReplaceAll(groupIBAN(ident.NormalizeIBAN(dw.dep.IBAN)), " ", nbsp))
	for i, l := range d.wrap(recap, 92, 4) {
		d.rawText(marginL, y+4+float64(i)*4.2, l)
	}
	d.textFit(marginL, y+21, 92, doneAt(dw.dep.Holder.Address.Town, dw.dep.Date))
	signatureBox(d, marginL+contentW-88, y, 88, sigH-4, "SIGNATURE DU REMETTANT")
	dw.t.y = y + sigH
}

func (dw *depositWriter) footer() {
	page := fmt.Sprintf("Page %d/%s", dw.d.pageNo()-dw.first+1, pagesAlias)
	if dw.copies > 1 {
		page = copyLabel(dw.copy, dw.copies) + " · " + page
	}
	footerLine(dw.d, "Remise de chèques "+dw.dep.Reference+" · "+dw.dep.Holder.Name+" · édité le "+formatDateTime(dw.now), page, nil)
}
