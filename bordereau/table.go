package bordereau

import (
	"fmt"
	"strings"
	"time"
)

// This file holds what the documents share: a streamed table with carried
// totals, the title band, the parties' boxes, the total band, the signature
// box, the address placed for a window envelope and the footer. (The slip
// draws its band, carry lines, total, signature box and footer with them;
// its table and boxes, and the due list, keep their own code.)

// column is one column of a table.
type column struct {
	title string
	w     float64 // millimetres
	right bool    // amounts and counts: aligned on the right edge
}

// table draws rows under a header band, streaming: when a row does not fit
// on the page, a carry line ("À reporter") closes it, newPage starts the
// next one with the document's running header, and the header band and a
// "Report" line open the table again. Only the running count and total are
// kept, never the rows.
type table struct {
	d       *doc
	cols    []column
	y       float64        // where the next row goes
	bottom  float64        // nothing of the table below this line; 0: bodyEnd
	newPage func() float64 // starts a page and returns where the table goes on it
	noun    string         // what carry lines count ("chèque"); "": no carry lines
	font    float64        // row font size
	rowH    float64

	count int   // rows counted so far (by add)
	total int64 // their amounts
	zebra bool
	cells []string // scratch for row
}

func newTable(d *doc, cols []column, y float64, newPage func() float64) *table {
	return &table{d: d, cols: cols, y: y, newPage: newPage, font: rowFont, rowH: rowH}
}

// end is the lowest line rows may reach, leaving room for the carry line.
func (t *table) end() float64 {
	end := t.bottom
	if end == 0 {
		end = bodyEnd
	}
	if t.noun != "" {
		end -= sumH
	}
	return end
}

// ensure breaks the page when h more millimetres do not fit, and tells
// whether it did.
func (t *table) ensure(h float64) bool {
	if t.y+h <= t.end() {
		return false
	}
	if t.noun != "" {
		t.carryLine("À reporter")
	}
	t.y = t.newPage()
	t.header()
	if t.noun != "" {
		t.carryLine("Report")
	}
	return true
}

// add counts one row and its amount, for the carry lines.
func (t *table) add(amount int64) {
	t.count++
	t.total += amount
}

func (t *table) header() {
	d := t.d
	d.fill(colBrand)
	d.rect(marginL, t.y, contentW, headH, "F")
	d.font("B", 7.5)
	d.color(colWhite)
	x := marginL
	for _, c := range t.cols {
		if c.right {
			d.textFitRight(x+c.w-padX, t.y+4.1, c.w-2*padX, c.title)
		} else {
			d.textFit(x+padX, t.y+4.1, c.w-2*padX, c.title)
		}
		x += c.w
	}
	d.color(colInk)
	t.y += headH
	t.zebra = false
}

// row draws one row of cells (one per column), cut to fit each column;
// the caller has made room with ensure.
func (t *table) row(cells ...string) {
	d := t.d
	if t.zebra {
		d.fill(colZebra)
		d.rect(marginL, t.y, contentW, t.rowH, "F")
	}
	t.zebra = !t.zebra
	base := t.y + t.rowH*0.7
	x := marginL
	d.font("", t.font)
	for i, c := range t.cols {
		if i < len(cells) {
			if c.right {
				d.textFitRight(x+c.w-padX, base, c.w-2*padX, cells[i])
			} else {
				d.textFit(x+padX, base, c.w-2*padX, cells[i])
			}
		}
		x += c.w
	}
	t.y += t.rowH
}

func (t *table) carryLine(caption string) {
	carryLine(t.d, t.y, caption+" — "+plural(t.count, t.noun), t.total)
	t.y += sumH
}

// carryLine draws at y the line that carries a running total from a page
// to the next ("À reporter", "Report").
func carryLine(d *doc, y float64, caption string, total int64) {
	d.draw(colRule)
	d.lineW(0.2)
	d.line(marginL, y, marginL+contentW, y)
	d.font("I", 7.5)
	d.color(colMuted)
	d.text(marginL+padX, y+3.8, caption)
	d.font("BI", 8)
	d.color(colInk)
	d.textRight(marginL+contentW-padX, y+3.8, formatEUR(total))
}

// empty writes the line that stands for no rows.
func (t *table) empty(s string) {
	t.ensure(t.rowH)
	d := t.d
	d.font("I", 8)
	d.color(colMuted)
	d.text(marginL+padX, t.y+3.1, s)
	d.color(colInk)
	t.y += t.rowH
}

// totalBand draws the dark total band at y: caption on the left, amount
// on the right.
func totalBand(d *doc, y float64, caption string, amount int64) {
	d.fill(colBrand)
	d.rect(marginL, y, contentW, totalH, "F")
	d.color(colWhite)
	d.font("B", 9)
	d.textFit(marginL+padX+1, y+5.4, contentW-60, caption)
	d.shrinkToFit("B", 10, 55, formatEUR(amount))
	d.textRight(marginL+contentW-padX-1, y+5.5, formatEUR(amount))
	d.color(colInk)
}

// titleBand draws the dark band at the top of a document's first page:
// title and subtitle on the left, a caption and a reference on the right,
// and under them extra (e.g. "Exemplaire 1/2"). It returns its height.
func titleBand(d *doc, title, subtitle, refCaption, ref, extra string) float64 {
	const h = 19.0
	y := marginT
	d.fill(colBrand)
	d.rect(marginL, y, contentW, h, "F")
	d.color(colWhite)
	d.shrinkToFit("B", 15, 112, title)
	d.text(marginL+4, y+8.5, title)
	d.font("", 9.5)
	d.color(colOnDark)
	d.textFit(marginL+4, y+14.8, 110, subtitle)
	right := marginL + contentW - 4
	d.font("", 6.5)
	d.textRight(right, y+5.2, refCaption)
	d.font("B", 12)
	d.color(colWhite)
	d.textFitRight(right, y+10.8, 66, ref)
	if extra != "" {
		d.font("", 8)
		d.color(colOnDark)
		d.textRight(right, y+15.6, extra)
	}
	d.color(colInk)
	return h
}

// runningHeader is the compact header of the pages after the first: the
// title, a subtitle, the reference on the right, a muted second line
// (name, and extra on the right) and a rule. It returns where the body
// starts.
func runningHeader(d *doc, title, subtitle, ref, name, extra string) float64 {
	y := marginT
	d.font("B", 10)
	d.color(colBrand)
	d.text(marginL, y+4, title)
	x := marginL + d.width(title) + 4
	d.font("", 8.5)
	d.color(colInk)
	d.textFit(x, y+4, marginL+contentW-62-x, subtitle)
	d.font("B", 9)
	d.textFitRight(marginL+contentW, y+4, 60, ref)
	d.font("", 8)
	d.color(colMuted)
	d.textFit(marginL, y+8.5, 120, name)
	d.textRight(marginL+contentW, y+8.5, extra)
	d.color(colInk)
	d.draw(colBrand)
	d.lineW(0.4)
	d.line(marginL, y+10.5, marginL+contentW, y+10.5)
	return y + 13
}

// infoBox draws a framed box with a caption, a bold name (up to two
// lines) and lines of text; it returns nothing, the caller gave its height
// (boxLines tells how many lines it needs).
func infoBox(d *doc, x, y, w, h float64, caption string, name []string, rest []string) {
	d.draw(colRule)
	d.lineW(0.25)
	d.rect(x, y, w, h, "D")
	d.label(x+3, y+4, caption)
	yy := y + 9
	d.font("B", 9.5)
	for _, l := range name {
		d.rawText(x+3, yy, l)
		yy += 4.1
	}
	d.font("", 8)
	for _, l := range rest {
		d.textFit(x+3, yy+0.1, w-6, l)
		yy += 3.9
	}
}

// boxHeight is the height of info boxes holding at most lines lines.
func boxHeight(lines int) float64 { return 7.6 + float64(lines)*3.9 }

// signatureBox draws the framed box for a stamp and signature.
func signatureBox(d *doc, x, y, w, h float64, caption string) {
	d.draw(colRule)
	d.lineW(0.3)
	d.rect(x, y, w, h, "D")
	d.label(x+2, y+3.5, caption)
}

// doneAt is "Fait à <town>, le <date>", or "Fait le <date>" without a town.
func doneAt(town string, date time.Time) string {
	if town = strings.TrimSpace(town); town != "" {
		return "Fait à " + town + ", le " + formatDate(date)
	}
	return "Fait le " + formatDate(date)
}

// Where the recipient's address goes on a letter folded in three, so that
// it shows through the window of a DL envelope (110 × 220 mm, window on the
// right as French envelopes have it: 45 × 100 mm, 20 mm from the right edge
// and 15 mm from the bottom). The top third of the sheet (99 × 210 mm) can
// slide 11 mm down and 10 mm right inside the envelope, so the window always
// shows x 100 to 190 mm and y 50 to 84 mm of the sheet: the block stays in
// there, 5 mm clear of the sides.
const (
	windowX = 105.0
	windowY = 50.0
	windowW = 80.0
	windowH = 34.0
)

// addressWindow writes a party's name and address in the envelope window
// zone, starting at its top: up to six lines (La Poste's maximum), the name
// in bold, the address lines after it, extra lines joined to the last.
func addressWindow(d *doc, p Party, dx, dy float64) {
	x, y := windowX+dx, windowY+dy
	d.shrinkToFit("B", 10, windowW, p.Name)
	d.textFit(x, y+4, windowW, p.Name)
	d.font("", 9.5)
	for i, l := range joinTail(addressLines(p.Address), 5) {
		d.textFit(x, y+8.6+float64(i)*4.3, windowW, l)
	}
}

// senderBlock writes the company's name and address at the top left of a
// letter and returns the height it took.
func senderBlock(d *doc, p Party, x, y, w float64) float64 {
	d.font("B", 11)
	d.color(colBrand)
	lines := d.wrap(p.Name, w, 2)
	for i, l := range lines {
		d.rawText(x, y+4.5+float64(i)*4.8, l)
	}
	d.color(colInk)
	h := 4.5 + float64(len(lines)-1)*4.8
	d.font("", 8.5)
	for _, l := range addressLines(p.Address) {
		h += 4
		d.textFit(x, y+h, w, l)
	}
	return h + 2
}

// footerLine draws the footer of a page: a rule, left on the left, and the
// page number ("Page p/{nb}", {nb} replaced at the end by *count, or by
// the document's page count when count is nil) on the right.
func footerLine(d *doc, left, page string, count *int) {
	d.draw(colRule)
	d.lineW(0.2)
	d.line(marginL, footerY-3.5, marginL+contentW, footerY-3.5)
	d.font("", 7)
	d.color(colMuted)
	d.textFit(marginL, footerY, 120, left)
	d.p.deferCount(marginL+contentW, footerY, cp1252(page), count)
	d.color(colInk)
}

// copyLabel is "Exemplaire k/n", or "" for a single copy.
func copyLabel(k, n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf("Exemplaire %d/%d", k, n)
}

// checkNow refuses a zero clock: the documents written after the slip
// take their dates from the caller only, so that the same data always
// gives the same bytes.
func checkNow(now time.Time) error {
	if now.IsZero() {
		return fmt.Errorf("Now: %w: the edition date comes from the caller", ErrMissing)
	}
	return nil
}
