package bordereau

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// Page geometry shared by every document, in millimetres (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 12.0
	marginR  = 12.0
	marginT  = 12.0
	contentW = pageW - marginL - marginR
	footerY  = pageH - 10.0 // baseline of the footer text
	bodyEnd  = pageH - 16.0 // nothing but the footer below this line
)

type rgb struct{ r, g, b int }

// The palette: a dark slate blue for bands and headings, pale tints for fills.
var (
	colInk    = rgb{33, 37, 41}
	colMuted  = rgb{96, 104, 112}
	colBrand  = rgb{28, 57, 94}
	colTint   = rgb{226, 233, 242}
	colZebra  = rgb{244, 246, 249}
	colRule   = rgb{170, 178, 189}
	colWhite  = rgb{255, 255, 255}
	colOnDark = rgb{205, 217, 232}
)

// doc wraps the streaming PDF writer with cp1252 text and the helpers the
// three documents share. Every string passes through cp1252 exactly once,
// in the text helpers.
type doc struct {
	p      *pdfStream
	footer func() // runs at the end of every page
}

// newDoc starts a deterministic A4 document written to w as its pages are
// finished: fixed dates from the injected clock, no random document ID.
func newDoc(w io.Writer, now time.Time, noZone bool, title string) *doc {
	d := &doc{p: newPDFStream(w, now, noZone, title)}
	d.font("", 9)
	d.color(colInk)
	return d
}

// addPage runs the footer of the current page, if any, and starts the next
// one with the font, colours and line width in use before the footer.
func (d *doc) addPage() {
	if d.p.open && d.footer != nil {
		saved := d.p.state()
		d.footer()
		d.p.restore(saved)
	}
	d.p.addPage()
}

// failed tells whether writing has failed: the writers stop reading their
// rows, and finish returns the error.
func (d *doc) failed() bool { return d.p.err != nil }

// pageNo is the number of the current page, from 1.
func (d *doc) pageNo() int { return d.p.pageNo() }

// setPageCount gives pagesAlias its value.
func (d *doc) setPageCount(n int) { d.p.alias = strconv.Itoa(n) }

// finish runs the last footer, writes the end of the file and returns the
// number of pages.
func (d *doc) finish() (int, error) {
	if d.p.open && d.footer != nil {
		d.footer()
	}
	return d.p.close()
}

// font selects Helvetica in style "", "B", "I" or "BI" at size points.
func (d *doc) font(style string, size float64) {
	f := fontHelvetica
	switch style {
	case "B":
		f = fontHelveticaBold
	case "I":
		f = fontHelveticaOblique
	case "BI":
		f = fontHelveticaBoldOblique
	}
	d.p.setFont(f, size)
}

// courier selects the fixed-pitch font, for checksums and references.
func (d *doc) courier(size float64) { d.p.setFont(fontCourier, size) }

func (d *doc) color(c rgb)     { d.p.text = c }
func (d *doc) fill(c rgb)      { d.p.fillC = c }
func (d *doc) draw(c rgb)      { d.p.drawC = c }
func (d *doc) lineW(w float64) { d.p.lineW = w }

// dash sets the dash pattern of lines (millimetres on, off…); nil for solid.
func (d *doc) dash(pattern ...float64) { d.p.dash = pattern }

// rect fills (and/or strokes, style "F", "D", "FD") a rectangle.
func (d *doc) rect(x, y, w, h float64, style string) { d.p.rect(x, y, w, h, style) }

func (d *doc) line(x1, y1, x2, y2 float64) { d.p.line(x1, y1, x2, y2) }

// width is the printed width of a UTF-8 string in the current font.
func (d *doc) width(s string) float64 { return d.ew(cp1252(s)) }

// ew is the printed width of an encoded string in the current font.
func (d *doc) ew(e string) float64 { return d.p.width(e, d.p.font, d.p.size) }

// text writes s with its baseline at y.
func (d *doc) text(x, y float64, s string) {
	if s != "" {
		d.p.textAt(x, y, cp1252(s))
	}
}

// textRight writes s ending at x.
func (d *doc) textRight(x, y float64, s string) {
	if s == "" {
		return
	}
	e := cp1252(s)
	d.p.textAt(x-d.ew(e), y, e)
}

// textCenter writes s centred on x.
func (d *doc) textCenter(x, y float64, s string) {
	if s == "" {
		return
	}
	e := cp1252(s)
	d.p.textAt(x-d.ew(e)/2, y, e)
}

// textFit writes s from x, cut with an ellipsis to fit in w.
func (d *doc) textFit(x, y, w float64, s string) {
	if s != "" {
		d.p.textAt(x, y, d.fit(cp1252(s), w))
	}
}

// textFitCenter writes s centred on x, cut to fit in w.
func (d *doc) textFitCenter(x, y, w float64, s string) {
	if s == "" {
		return
	}
	e := d.fit(cp1252(s), w)
	d.p.textAt(x-d.ew(e)/2, y, e)
}

// textFitRight writes s ending at x, cut to fit in w.
func (d *doc) textFitRight(x, y, w float64, s string) {
	if s == "" {
		return
	}
	e := d.fit(cp1252(s), w)
	d.p.textAt(x-d.ew(e), y, e)
}

// fit cuts an already encoded (single-byte) string with "…" until it fits in
// w. Names longer than their column are common; silently overflowing into the
// next column is not acceptable on a bank document.
func (d *doc) fit(e string, w float64) string {
	if d.ew(e) <= w {
		return e
	}
	const ellipsis = "\x85" // … in cp1252
	// Binary search for the longest prefix that fits with the ellipsis:
	// widths grow with the prefix, and a long name costs log n measures.
	lo, hi := 0, len(e)-1 // e[:lo]+… fits (or lo is 0); e[:hi+1]+… does not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.ew(e[:mid]+ellipsis) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(e[:lo], " ") + ellipsis
}

// wrap splits s into lines no wider than w, at spaces when it can, at most
// max lines; the last kept line ends with an ellipsis when text was dropped.
// It works on the encoded single-byte string.
func (d *doc) wrap(s string, w float64, max int) []string {
	words := strings.Fields(cp1252(s))
	var lines []string
	cur := ""
	for _, word := range words {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if d.ew(next) <= w || cur == "" {
			cur = next
			continue
		}
		lines = append(lines, cur)
		cur = word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		lines[i] = d.fit(l, w) // a single word wider than w
	}
	if len(lines) > max {
		lines = lines[:max]
		lines[max-1] = d.fit(lines[max-1]+"\x85", w)
	}
	return lines
}

// rawText writes an already encoded string (from wrap).
func (d *doc) rawText(x, y float64, e string) { d.p.textAt(x, y, e) }

// shrinkToFit selects style at size, or smaller down to 60 % of it, so that
// s fits in w: a total must never be cut.
func (d *doc) shrinkToFit(style string, size, w float64, s string) {
	d.font(style, size)
	for f := size; f > size*0.6 && d.width(s) > w; f -= 0.5 {
		d.font(style, f-0.5)
	}
}

// label writes a small upper-case caption in the muted colour.
func (d *doc) label(x, y float64, s string) {
	d.font("", 6)
	d.color(colMuted)
	d.text(x, y, s)
	d.color(colInk)
}

// downTriangle draws ▼ (not in cp1252) as a filled triangle of size s whose
// top edge is centred on x at y.
func (d *doc) downTriangle(x, y, s float64, c rgb) {
	d.fill(c)
	d.p.polygon([][2]float64{{x - s/2, y}, {x + s/2, y}, {x, y + s*0.8}}, "F")
}

// addressLines returns the printable lines of an address, empty ones left out.
func addressLines(a Address) []string {
	var lines []string
	for _, l := range []string{a.Street, a.Building} {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if town := strings.TrimSpace(strings.TrimSpace(a.Postcode) + " " + strings.TrimSpace(a.Town)); town != "" {
		lines = append(lines, town)
	}
	if c := strings.TrimSpace(a.Country); c != "" && !strings.EqualFold(c, "FR") && !strings.EqualFold(c, "France") {
		lines = append(lines, c)
	}
	return lines
}
