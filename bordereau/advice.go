package bordereau

import (
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
)

// PaymentAdvices is what the avis de paiement of one run share: the
// company that pays, where they are dated from, and the bank the payments
// leave from.
type PaymentAdvices struct {
	Payer Party  // the company paying: the letterhead
	Place string // "<Place>, le <date of Now>"; empty: the payer's town
	Bank  string // the payer's bank the payments are issued from, optional
}

// AdviceOptions are the printing options of avis de paiement.
type AdviceOptions struct {
	Now    time.Time // the edition date: the advices' date, footer and PDF dates; required
	NoZone bool      // Now is a wall-clock reading of unknown zone (see SlipOptions)
}

// WritePaymentAdvices writes one avis de paiement per payment as a PDF to
// w, each from a new page: the letter to the supplier, its address placed
// for a window envelope, the execution date, the method, the supplier's
// account (masked), the payer's reference, and the documents paid with
// the credit notes netted and the discounts taken, down to the amount. A
// long list goes on over the next pages with its running total; pages
// are numbered within each advice.
//
// payments is ranged over once; neither payments nor pages are kept. Each
// payment is checked as WriteChequeLetters does, and on any problem every
// problem is returned, with 0 pages, and the document is not finished.
// Otherwise it returns the number of pages.
func WritePaymentAdvices(w io.Writer, a PaymentAdvices, payments iter.Seq[Payment], opts AdviceOptions) (pages int, err error) {
	var probs problems
	if err := checkNow(opts.Now); err != nil {
		probs.add(err)
	}
	if strings.TrimSpace(a.Payer.Name) == "" {
		probs.add(fmt.Errorf("Payer.Name: %w", ErrMissing))
	}
	if err := probs.err(); err != nil {
		return 0, err
	}
	place := a.Place
	if place == "" {
		place = a.Payer.Address.Town
	}
	aw := &adviceWriter{d: newDoc(w, opts.Now, opts.NoZone, "Avis de paiement"), a: a, place: place, now: opts.Now}
	aw.d.footer = aw.footer
	i := 0
	for p := range payments {
		if aw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		errs, sums := checkPayment(i, p)
		for _, e := range errs {
			probs.add(e)
		}
		aw.advice(p, sums)
	}
	if aw.d.failed() {
		return aw.d.finish() // the write error, not the payments it left unread
	}
	if err := probs.err(); err != nil {
		return 0, err
	}
	if i == 0 {
		return 0, fmt.Errorf("%w: no payment", ErrMissing)
	}
	return aw.d.finish()
}

type adviceWriter struct {
	d     *doc
	a     PaymentAdvices
	place string
	now   time.Time

	p     Payment // the advice being written
	first int     // its first page
	pages *int    // its page count, read when the document ends
}

// advice writes the pages of one payment.
func (aw *adviceWriter) advice(p Payment, sums paymentSums) {
	d := aw.d
	d.addPage() // the previous advice's last footer runs here, with its own count
	aw.p, aw.first, aw.pages = p, d.pageNo(), new(int)

	senderBlock(d, aw.a.Payer, marginL, marginT, 88)
	addressWindow(d, p.Payee, 0, 0)
	references(d, []string{"Votre code fournisseur", "Notre référence"}, []string{p.Supplier, p.Reference})
	d.font("", 9)
	d.textRight(marginL+contentW, 92, datedAt(aw.place, aw.now))
	d.font("B", 14)
	d.color(colBrand)
	d.text(marginL, 99, "AVIS DE PAIEMENT")
	d.color(colInk)

	// The strip: when, how, where to, how much.
	y := 103.0
	const h = 14.0
	d.fill(colTint)
	d.rect(marginL, y, contentW, h, "F")
	// A transfer is executed on a date, to an account; a cheque is dated.
	type cell struct {
		caption, value string
		w              float64
	}
	cells := []cell{{"DATE DU RÈGLEMENT", formatDate(p.Date), 27}, {"MODE DE RÈGLEMENT", p.Method, 37}}
	if p.IBAN != "" {
		cells[0].caption = "DATE D'EXÉCUTION"
		cells = append(cells, cell{"COMPTE CRÉDITÉ", maskAccount(p.IBAN), 25})
	}
	const amountW = 42.0
	if aw.a.Bank != "" {
		used := 3 + amountW
		for _, c := range cells {
			used += c.w
		}
		cells = append(cells, cell{"ÉMIS DEPUIS", aw.a.Bank, contentW - used})
	}
	x := marginL + 3
	for _, c := range cells {
		d.label(x, y+4.5, c.caption)
		d.shrinkToFit("B", 9, c.w-4, c.value)
		d.textFit(x, y+10, c.w-4, c.value)
		x += c.w
	}
	right := marginL + contentW - 3
	d.font("", 6)
	d.color(colMuted)
	d.textRight(right, y+4.5, "MONTANT PAYÉ")
	d.shrinkToFit("B", 13, amountW-3, formatEUR(p.Amount))
	d.color(colBrand)
	d.textRight(right, y+10.5, formatEUR(p.Amount))
	d.color(colInk)

	d.font("", 9)
	d.text(marginL, y+h+7, "Madame, Monsieur,")
	d.text(marginL, y+h+12, "Nous vous informons du règlement des pièces ci-dessous.")

	t := newTable(d, documentColumns(d, largestAmount(p)), y+h+16, aw.nextPage)
	t.noun = "pièce"
	t.header()
	for _, doc := range p.Documents {
		t.ensure(t.rowH)
		documentRow(t, doc)
		t.add(doc.Amount - doc.Discount)
	}
	sumsH := nettingHeight(sums)
	t.ensure(1 + sumsH + totalH)
	t.y += 1
	t.y += sumsBlock(d, t.y, sums)
	totalBand(d, t.y, "MONTANT PAYÉ — "+plural(sums.documents, "pièce"), p.Amount)
}

// nextPage goes on with the current advice on a new page.
func (aw *adviceWriter) nextPage() float64 {
	aw.d.addPage()
	return runningHeader(aw.d, "AVIS DE PAIEMENT", aw.p.Payee.Name, "Réf. "+aw.p.Reference, aw.a.Payer.Name,
		"Suite — "+formatDate(aw.p.Date))
}

func (aw *adviceWriter) footer() {
	n := aw.d.pageNo() - aw.first + 1
	*aw.pages = n // the last footer of the advice leaves its count
	footerLine(aw.d, "Avis de paiement "+aw.p.Reference+" · "+aw.a.Payer.Name+" · édité le "+formatDateTime(aw.now),
		fmt.Sprintf("Page %d/%s", n, pagesAlias), aw.pages)
}
