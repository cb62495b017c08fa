package bordereau

import (
	"io"
	"iter"
	"strconv"
	"time"
)

// DueList is the header of the "Liste des échéances non réglées".
type DueList struct {
	Title   string // default "Liste des échéances non réglées"
	Company string // the accounting file (dossier) printed
	Filters string // the selection, as the caller words it: "Échéances du 01/11/2026 au 30/11/2026 · Clients 411A à 411M · …"
}

// DueRow is one unpaid due date. Rows must arrive grouped by Customer (the
// list prints a heading per customer and a subtotal when it changes).
type DueRow struct {
	Customer     string    // customer account code
	CustomerName string    // printed in the customer heading
	Document     string    // pièce
	Issued       time.Time // date of the document
	Due          time.Time // échéance
	Method       string    // mode de règlement: "LCR", "Prélèvement", "Chèque", "" when not set
	Journal      string    // treasury journal code, "" when not set
	Status       string    // e.g. "Non réglée", "Partiel"
	Amount       int64     // cents still due; a credit note is negative
	Currency     string    // ISO 4217 code; "" is EUR. Amounts of different currencies are never added
}

// DueListOptions are the printing options.
type DueListOptions struct {
	Now time.Time // the clock: generation date, days overdue, PDF dates; zero means time.Now()
}

var dueCols = []struct {
	title string
	w     float64
	right bool
}{
	{"Pièce", 30, false},
	{"Date pièce", 20, false},
	{"Échéance", 20, false},
	{"Retard (j)", 15, true}, // days overdue; see rightEdge
	{"Mode", 29, false},
	{"Journal", 16, false},
	{"Statut", 28, false},
	{"Montant", 28, true},
}

// WriteDueList writes the list as a PDF to w: rows grouped by customer with
// a subtotal each, then the count and grand total; subtotals and totals are
// per currency, each with its own count. Days overdue are counted
// from opts.Now. Rows are not kept in memory. A customer that comes back
// after another one is an error (ErrNotGrouped) and the document is not finished.
// It returns the number of pages written.
func WriteDueList(w io.Writer, l DueList, rows iter.Seq[DueRow], opts DueListOptions) (pages int, err error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if l.Title == "" {
		l.Title = "Liste des échéances non réglées"
	}
	dw := &dueWriter{d: newDoc(w, now, false, l.Title), l: l, now: now}
	dw.d.footer = dw.footer
	dw.d.addPage()
	dw.y = dw.firstHeader()
	dw.tableHeader()

	var probs problems
	seen := map[string]bool{}
	i := 0
	for r := range rows {
		if dw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		if !dw.inGroup || r.Customer != dw.cust {
			if dw.inGroup {
				dw.endGroup()
			}
			if seen[r.Customer] {
				probs.add(&ItemError{Index: i, Document: r.Document, Field: "Customer", Value: r.Customer, Err: ErrNotGrouped})
			}
			seen[r.Customer] = true
			dw.startGroup(r)
		}
		dw.ensure(rowH)
		dw.row(r)
		dw.totals = addCurrency(dw.totals, r.Currency, r.Amount)
		dw.group = addCurrency(dw.group, r.Currency, r.Amount)
	}
	if err := probs.err(); err != nil {
		return 0, err
	}
	if dw.inGroup {
		dw.endGroup()
	}
	if i == 0 {
		dw.d.font("I", 8)
		dw.d.color(colMuted)
		dw.d.text(marginL+padX, dw.y+3.1, "Aucune échéance ne correspond à la sélection.")
		dw.d.color(colInk)
		dw.y += rowH
	}
	dw.grandTotal()
	dw.d.setPageCount(dw.d.pageNo())
	return dw.d.finish()
}

type dueWriter struct {
	d   *doc
	l   DueList
	now time.Time
	y   float64

	totals []currencyTotal // the whole list
	cust   string
	name   string
	group  []currencyTotal // the current customer

	inGroup bool
	zebra   bool
}

func (dw *dueWriter) ensure(h float64) {
	if dw.y+h <= bodyEnd {
		return
	}
	dw.d.addPage()
	dw.y = dw.nextHeader()
	dw.tableHeader()
	if dw.inGroup {
		dw.groupHeading(dw.cust + " — " + dw.name + " (suite)")
	}
}

func (dw *dueWriter) tableHeader() {
	d := dw.d
	d.fill(colBrand)
	d.rect(marginL, dw.y, contentW, headH, "F")
	d.font("B", 7.5)
	d.color(colWhite)
	x := marginL
	for i, c := range dueCols {
		if c.right {
			d.textRight(rightEdge(i, x, c.w), dw.y+4.1, c.title)
		} else {
			d.text(x+padX, dw.y+4.1, c.title)
		}
		x += c.w
	}
	d.color(colInk)
	dw.y += headH
}

func (dw *dueWriter) startGroup(r DueRow) {
	dw.ensure(headH + rowH)
	dw.cust, dw.name, dw.inGroup = r.Customer, r.CustomerName, true
	dw.group = dw.group[:0]
	heading := r.Customer
	if r.CustomerName != "" {
		heading += " — " + r.CustomerName
	}
	dw.groupHeading(heading)
}

func (dw *dueWriter) groupHeading(s string) {
	d := dw.d
	d.fill(colTint)
	d.rect(marginL, dw.y+0.6, contentW, headH-0.6, "F")
	d.fill(colBrand)
	d.rect(marginL, dw.y+0.6, 1.2, headH-0.6, "F")
	d.font("B", 8)
	d.color(colBrand)
	d.textFit(marginL+3, dw.y+4.5, contentW-6, s)
	d.color(colInk)
	dw.y += headH
	dw.zebra = false
}

func (dw *dueWriter) row(r DueRow) {
	d := dw.d
	if dw.zebra {
		d.fill(colZebra)
		d.rect(marginL, dw.y, contentW, rowH, "F")
	}
	dw.zebra = !dw.zebra
	d.font("", 7.5)
	base := dw.y + 3.1
	late := ""
	if !r.Due.IsZero() {
		if n := daysBetween(r.Due, dw.now); n > 0 {
			late = strconv.Itoa(n)
		}
	}
	cells := [...]string{r.Document, formatDate(r.Issued), formatDate(r.Due), late, r.Method, r.Journal, r.Status, formatMoney(r.Amount, r.Currency)}
	x := marginL
	for i, v := range cells {
		c := dueCols[i]
		if c.right {
			d.textFitRight(rightEdge(i, x, c.w), base, c.w-2*padX, v)
		} else {
			d.textFit(x+padX, base, c.w-2*padX, v)
		}
		x += c.w
	}
	dw.y += rowH
}

// rightEdge is where right-aligned column i (at x, w wide) ends; the last
// one is flush with the table, the others keep clear of the next column.
func rightEdge(i int, x, w float64) float64 {
	if i == len(dueCols)-1 {
		return x + w - padX
	}
	return x + w - padX - 3
}

// daysBetween counts calendar days from a to b (negative when b is before
// a), ignoring the time of day and time zones.
func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

func (dw *dueWriter) endGroup() {
	for _, t := range dw.group { // the customer counts once in each of its currencies
		for j := range dw.totals {
			if dw.totals[j].currency == t.currency {
				dw.totals[j].customers++
			}
		}
	}
	for i, t := range dw.group {
		dw.ensure(sumH)
		d := dw.d
		if i == 0 {
			d.draw(colBrand)
			d.lineW(0.3)
			d.line(marginL+contentW-60, dw.y, marginL+contentW, dw.y)
		}
		d.font("B", 7.5)
		d.textFit(marginL+padX, dw.y+3.9, contentW-50, "Total "+dw.cust+" — "+plural(t.count, "échéance")+currencyLabel(t.currency, len(dw.group)))
		d.textRight(marginL+contentW-padX, dw.y+3.9, formatMoney(t.total, t.currency))
		dw.y += sumH
	}
	dw.y += 1.5
	dw.inGroup = false
}

// grandTotal prints the total of the list, one band per currency.
func (dw *dueWriter) grandTotal() {
	totals := dw.totals
	if len(totals) == 0 {
		totals = []currencyTotal{{currency: "EUR"}}
	}
	for i, t := range totals {
		dw.ensure(totalH)
		d := dw.d
		d.fill(colBrand)
		d.rect(marginL, dw.y, contentW, totalH, "F")
		d.color(colWhite)
		d.font("B", 9)
		// Each currency with its own counts: 38 échéances, 15 clients en EUR.
		label := "TOTAL GÉNÉRAL — " + plural(t.count, "échéance") + ", " + plural(t.customers, "client")
		d.text(marginL+padX+1, dw.y+5.4, label+currencyLabel(t.currency, len(totals)))
		d.font("B", 10)
		d.textRight(marginL+contentW-padX-1, dw.y+5.5, formatMoney(t.total, t.currency))
		d.color(colInk)
		dw.y += totalH
		if i < len(totals)-1 {
			dw.y += 0.8
		}
	}
}

// currencyTotal is the count and total of one currency.
type currencyTotal struct {
	currency  string
	count     int
	total     int64
	customers int // in the list's totals: the customers with receivables in it
}

// addCurrency adds an amount to its currency, in the order currencies come.
func addCurrency(totals []currencyTotal, currency string, amount int64) []currencyTotal {
	if currency == "" {
		currency = "EUR"
	}
	for i := range totals {
		if totals[i].currency == currency {
			totals[i].count++
			totals[i].total += amount
			return totals
		}
	}
	return append(totals, currencyTotal{currency: currency, count: 1, total: amount})
}

// currencyLabel names the currency of a total line when there are several.
func currencyLabel(currency string, currencies int) string {
	if currencies < 2 {
		return ""
	}
	return " en " + currency
}

func (dw *dueWriter) firstHeader() float64 {
	d, l := dw.d, dw.l
	y := marginT
	d.fill(colBrand)
	d.rect(marginL, y, contentW, 17, "F")
	d.color(colWhite)
	d.font("B", 14)
	d.textFit(marginL+4, y+8, 120, l.Title)
	d.font("", 9.5)
	d.color(colOnDark)
	d.textFit(marginL+4, y+13.8, 120, l.Company)
	d.font("", 6.5)
	d.textRight(marginL+contentW-4, y+5.2, "ÉDITÉ LE")
	d.font("B", 10)
	d.color(colWhite)
	d.textRight(marginL+contentW-4, y+10.5, formatDateTime(dw.now))
	d.color(colInk)
	y += 20
	if l.Filters != "" {
		d.font("", 8)
		lines := d.wrap(l.Filters, contentW-30, 3)
		h := 3 + float64(len(lines))*4
		d.draw(colRule)
		d.lineW(0.25)
		d.rect(marginL, y, contentW, h, "D")
		d.font("", 7.5)
		d.color(colMuted)
		d.text(marginL+3, y+4.7, "Sélection")
		d.color(colInk)
		d.font("", 8)
		for i, line := range lines {
			d.rawText(marginL+24, y+4.7+float64(i)*4, line)
		}
		y += h + 4
	}
	return y
}

func (dw *dueWriter) nextHeader() float64 {
	d := dw.d
	y := marginT
	d.font("B", 10)
	d.color(colBrand)
	d.textFit(marginL, y+4, 120, dw.l.Title)
	d.font("", 8)
	d.color(colMuted)
	d.textFit(marginL, y+8.5, 120, dw.l.Company)
	d.textRight(marginL+contentW, y+8.5, "Édité le "+formatDateTime(dw.now))
	d.color(colInk)
	d.draw(colBrand)
	d.lineW(0.4)
	d.line(marginL, y+10.5, marginL+contentW, y+10.5)
	return y + 13
}

func (dw *dueWriter) footer() {
	d := dw.d
	d.draw(colRule)
	d.lineW(0.2)
	d.line(marginL, footerY-3.5, marginL+contentW, footerY-3.5)
	d.font("", 7)
	d.color(colMuted)
	d.textFit(marginL, footerY, 120, dw.l.Title+" · "+dw.l.Company+" · édité le "+formatDateTime(dw.now))
	pageNumber(d, "Page "+strconv.Itoa(d.pageNo())+"/"+pagesAlias)
	d.color(colInk)
}
