package bordereau

import (
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
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

// font is the PDF core font used everywhere: it needs no embedding, so files
// stay small and fast to write, and cp1252 covers French (é è ç à œ Œ € « » ’).
const font = "Helvetica"

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

// doc wraps fpdf with cp1252 text and the helpers the three documents share.
// Every string passes through cp1252 exactly once, in the text helpers.
type doc struct {
	pdf *fpdf.Fpdf
}

// newDoc starts a deterministic A4 document: fixed dates from the injected
// clock, sorted resource catalogues (fpdf otherwise ranges over maps), no
// random document ID (fpdf writes none unless encrypting).
func newDoc(now time.Time, title string) *doc {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetProducer("remit", true)
	pdf.SetCreator("remit", true)
	pdf.SetTitle(title, true)
	pdf.SetLang("fr-FR")
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0) // page breaks are ours: they carry totals
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetLineCapStyle("square")
	d := &doc{pdf: pdf}
	d.font("", 9)
	d.color(colInk)
	return d
}

// output writes the PDF and returns its page count.
func (d *doc) output(w io.Writer) (int, error) {
	if err := d.pdf.Error(); err != nil {
		return 0, err
	}
	n := d.pdf.PageNo()
	if err := d.pdf.Output(w); err != nil {
		return 0, err
	}
	return n, nil
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont(font, style, size) }

func (d *doc) color(c rgb)     { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fill(c rgb)      { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *doc) draw(c rgb)      { d.pdf.SetDrawColor(c.r, c.g, c.b) }
func (d *doc) lineW(w float64) { d.pdf.SetLineWidth(w) }

// rect fills (and/or strokes, style "F", "D", "FD") a rectangle.
func (d *doc) rect(x, y, w, h float64, style string) { d.pdf.Rect(x, y, w, h, style) }

func (d *doc) line(x1, y1, x2, y2 float64) { d.pdf.Line(x1, y1, x2, y2) }

// width is the printed width of a UTF-8 string in the current font.
func (d *doc) width(s string) float64 { return d.pdf.GetStringWidth(cp1252(s)) }

// text writes s with its baseline at y.
func (d *doc) text(x, y float64, s string) {
	if s != "" {
		d.pdf.Text(x, y, cp1252(s))
	}
}

// textRight writes s ending at x.
func (d *doc) textRight(x, y float64, s string) {
	if s == "" {
		return
	}
	e := cp1252(s)
	d.pdf.Text(x-d.pdf.GetStringWidth(e), y, e)
}

// textCenter writes s centred on x.
func (d *doc) textCenter(x, y float64, s string) {
	if s == "" {
		return
	}
	e := cp1252(s)
	d.pdf.Text(x-d.pdf.GetStringWidth(e)/2, y, e)
}

// textFit writes s from x, cut with an ellipsis to fit in w.
func (d *doc) textFit(x, y, w float64, s string) {
	if s != "" {
		d.pdf.Text(x, y, d.fit(cp1252(s), w))
	}
}

// textFitCenter writes s centred on x, cut to fit in w.
func (d *doc) textFitCenter(x, y, w float64, s string) {
	if s == "" {
		return
	}
	e := d.fit(cp1252(s), w)
	d.pdf.Text(x-d.pdf.GetStringWidth(e)/2, y, e)
}

// textFitRight writes s ending at x, cut to fit in w.
func (d *doc) textFitRight(x, y, w float64, s string) {
	if s == "" {
		return
	}
	e := d.fit(cp1252(s), w)
	d.pdf.Text(x-d.pdf.GetStringWidth(e), y, e)
}

// fit cuts an already encoded (single-byte) string with "…" until it fits in
// w. Names longer than their column are common; silently overflowing into the
// next column is not acceptable on a bank document.
func (d *doc) fit(e string, w float64) string {
	if d.pdf.GetStringWidth(e) <= w {
		return e
	}
	const ellipsis = "\x85" // … in cp1252
	// Binary search for the longest prefix that fits with the ellipsis:
	// widths grow with the prefix, and a long name costs log n measures.
	lo, hi := 0, len(e)-1 // e[:lo]+… fits (or lo is 0); e[:hi+1]+… does not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.pdf.GetStringWidth(e[:mid]+ellipsis) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(e[:lo], " ") + ellipsis
}

// wrap splits s into lines no wider than w, at spaces when it can, at most
// max lines; the last kept line ends with an ellipsis when text was dropped.
// It works on the encoded single-byte string (fpdf's SplitText wants UTF-8).
func (d *doc) wrap(s string, w float64, max int) []string {
	words := strings.Fields(cp1252(s))
	var lines []string
	cur := ""
	for _, word := range words {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if d.pdf.GetStringWidth(next) <= w || cur == "" {
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
func (d *doc) rawText(x, y float64, e string) { d.pdf.Text(x, y, e) }

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
	d.pdf.Polygon([]fpdf.PointType{{X: x - s/2, Y: y}, {X: x + s/2, Y: y}, {X: x, Y: y + s*0.8}}, "F")
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
