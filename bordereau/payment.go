package bordereau

import (
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// Payment is one payment to a supplier (décaissement): a transfer or a
// cheque that settles a group of the supplier's documents, credit notes
// netted and discounts taken. The lettres-chèques (WriteChequeLetters) and
// the avis de paiement (WritePaymentAdvices) print it.
type Payment struct {
	Reference string    // the payer's reference of the payment (EndToEndId, payment number): "Notre référence"
	Supplier  string    // the supplier's account code (401…): "Votre code fournisseur"
	Payee     Party     // the supplier: name and postal address, placed for a window envelope
	IBAN      string    // the supplier's account credited by a transfer, optional; only its last 4 characters are printed
	Method    string    // mode de règlement as the advice prints it: "Virement SEPA", "Chèque n° 4500121"
	Date      time.Time // execution date of a transfer, date of a cheque
	Documents []PaidDocument
	Amount    int64 // net amount paid, in cents: Σ Amount − Σ Discount of the documents, > 0
}

// PaidDocument is one supplier document a payment settles: an invoice, or
// a credit note (avoir) netted inside the payment's group.
type PaidDocument struct {
	Document string    // the supplier's document number (pièce)
	Label    string    // libellé, optional
	Issued   time.Time // date of the document, optional
	Due      time.Time // échéance, optional
	Amount   int64     // cents: positive for an invoice, negative for a credit note
	Discount int64     // escompte taken on an invoice, cents, 0 to Amount: deducted from what is paid
}

// paymentSums are the figures a letter or an advice prints under its
// documents, from the documents themselves.
type paymentSums struct {
	documents int
	invoices  int64 // Σ of the positive amounts
	credits   int64 // Σ of the credit notes (negative or zero)
	discounts int64 // Σ of the discounts taken (positive)
}

func (s paymentSums) net() int64 { return s.invoices + s.credits - s.discounts }

func (s *paymentSums) add(doc PaidDocument) {
	s.documents++
	if doc.Amount >= 0 {
		s.invoices += doc.Amount
	} else {
		s.credits += doc.Amount
	}
	s.discounts += doc.Discount
}

// checkPayment returns the problems of payment i (1-based) and its sums.
func checkPayment(i int, p Payment) ([]*ItemError, paymentSums) {
	var errs []*ItemError
	bad := func(field, value string, err error) {
		errs = append(errs, &ItemError{Index: i, Document: p.Reference, Field: field, Value: value, Err: err})
	}
	if strings.TrimSpace(p.Payee.Name) == "" {
		bad("Payee.Name", p.Payee.Name, ErrMissing)
	}
	if p.Date.IsZero() {
		bad("Date", "", ErrMissing)
	}
	if p.IBAN != "" {
		if err := ident.ValidateIBAN(ident.NormalizeIBAN(p.IBAN)); err != nil {
			bad("IBAN", ident.MaskIBAN(ident.NormalizeIBAN(p.IBAN)), fmt.Errorf("%w: %w", ErrIBAN, err))
		}
	}
	if len(p.Documents) == 0 {
		bad("Documents", "", ErrMissing)
	}
	var s paymentSums
	for j, doc := range p.Documents {
		field := fmt.Sprintf("Documents[%d].", j)
		if strings.TrimSpace(doc.Document) == "" {
			bad(field+"Document", doc.Document, ErrMissing)
		}
		if doc.Discount < 0 || (doc.Discount > 0 && doc.Discount > doc.Amount) {
			bad(field+"Discount", plainEUR(doc.Discount), ErrDiscount)
		}
		s.add(doc)
	}
	if p.Amount <= 0 {
		bad("Amount", plainEUR(p.Amount), ErrAmount)
	} else if len(p.Documents) > 0 && s.net() != p.Amount {
		bad("Amount", plainEUR(p.Amount), fmt.Errorf("the documents net to %s: %w", plainEUR(s.net()), ErrTotal))
	}
	return errs, s
}

// documentColumns are the columns of a table of paid documents: pièce,
// dates, label, amount, discount and net; the label takes what is left.
func documentColumns(d *doc, largest int64) []column {
	d.font("", rowFont)
	money := max(d.width(formatEUR(-largest)), d.width("Escompte")) + 2*padX + 1
	const docW, dateW = 28.0, 17.0
	label := contentW - docW - 2*dateW - 3*money
	return []column{
		{"Pièce", docW, false}, {"Date", dateW, false}, {"Échéance", dateW, false}, {"Libellé", label, false},
		{"Montant", money, true}, {"Escompte", money, true}, {"Net", money, true},
	}
}

// documentRow draws one paid document in a table of documentColumns.
func documentRow(t *table, doc PaidDocument) {
	label := doc.Label
	if label == "" && doc.Amount < 0 {
		label = "Avoir"
	}
	discount := ""
	if doc.Discount != 0 {
		discount = formatEUR(-doc.Discount)
	}
	t.row(doc.Document, formatDate(doc.Issued), formatDate(doc.Due), label,
		formatEUR(doc.Amount), discount, formatEUR(doc.Amount-doc.Discount))
}

// largestAmount is the largest absolute amount a payment's table prints,
// to size its money columns.
func largestAmount(p Payment) int64 {
	m := abs(p.Amount)
	var s paymentSums
	for _, doc := range p.Documents {
		m = max(m, abs(doc.Amount), abs(doc.Discount))
		s.add(doc)
	}
	return max(m, s.invoices, -s.credits, s.discounts)
}

func abs(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// nettingLines are the lines that lead from the documents to the amount
// paid: invoices, credit notes and discounts, when there are credit notes
// or discounts (otherwise the net says it all).
func (s paymentSums) nettingLines() []nettingLine {
	if s.credits == 0 && s.discounts == 0 {
		return nil
	}
	lines := []nettingLine{{"Total des factures", s.invoices}}
	if s.credits != 0 {
		lines = append(lines, nettingLine{"Avoirs déduits", s.credits})
	}
	if s.discounts != 0 {
		lines = append(lines, nettingLine{"Escomptes", -s.discounts})
	}
	return lines
}

type nettingLine struct {
	caption string
	amount  int64
}

const nettingH = 4.4

// nettingHeight is the height sumsBlock takes.
func nettingHeight(s paymentSums) float64 {
	if n := len(s.nettingLines()); n > 0 {
		return float64(n)*nettingH + 1.5
	}
	return 0
}

// sumsBlock writes the netting lines right-aligned at the table's right
// edge from y, and returns the height it took.
func sumsBlock(d *doc, y float64, s paymentSums) float64 {
	right := marginL + contentW - padX
	for i, l := range s.nettingLines() {
		d.font("", 8)
		d.color(colMuted)
		d.textRight(right-34, y+3.8+float64(i)*nettingH, l.caption)
		d.color(colInk)
		d.textRight(right, y+3.8+float64(i)*nettingH, formatEUR(l.amount))
	}
	return nettingHeight(s)
}
