package bordereau

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
)

// pdfStream writes a PDF page by page: each page's content stream and page
// object go to the output as soon as the page is finished, so memory does
// not grow with the number of pages (a million-line slip is some 20,000
// pages). Only the catalogue objects, written last, and one small record
// per page remain until the end.
//
// It draws what the three documents need and nothing more: the core fonts
// Helvetica (four styles) and Courier in WinAnsiEncoding (cp1252), text,
// lines, rectangles and polygons in RGB, line width and dash pattern.
// Coordinates are millimetres from the top-left corner of an A4 page.
//
// A page number "of N" cannot be known while page 1 is written, so text
// holding pagesAlias is deferred: each such page gets a second content
// stream, written at the end once the alias has its value.
type pdfStream struct {
	out     *bufio.Writer
	written int64 // bytes written to out: the offset of the next object
	err     error
	info    pdfInfo

	xref  []int64 // xref[n] is the offset of object n; 0 until written
	pages []int   // page object numbers, in order
	late  []lateText

	page    bytes.Buffer // content of the current page
	open    bool
	lateNow []deferred // deferred text of the current page
	z       *zlib.Writer
	zbuf    bytes.Buffer
	num     []byte // scratch for number formatting

	gs        graphics // what the content stream has set, on this page
	drawState          // what the next drawing uses

	widths  *[fontCount][256]uint16
	alias   string // the value of pagesAlias, set once known
	started bool   // the header is written
}

type pdfInfo struct {
	now    time.Time
	noZone bool // now's zone is unknown: the dates say nothing of UT
	title  string
}

// graphics is the part of the PDF graphics state already written on the
// current page (the zero value: nothing yet).
type graphics struct {
	nonStroke, stroke       rgb
	nonStrokeSet, strokeSet bool // false: not set yet on this page
	lineW                   float64
	lineSet                 bool
	dash                    []float64 // the pattern in force; nil: solid

	// An open text object (BT) lasts while text follows text: each string
	// then costs a relative move, and the font only when it changes.
	inText bool
	tFont  int
	tSize  float64
	tx, ty int64 // the current text line's origin, in 1/100 point
}

type deferred struct {
	x, y  float64 // right edge and baseline
	font  int
	size  float64
	color rgb
	s     string // cp1252, holds pagesAlias
	count *int   // the pages pagesAlias stands for; nil: those of the document (alias)
}

type lateText struct {
	obj   int
	texts []deferred
}

// The fonts, in the order of their resource names F1..F5.
const (
	fontHelvetica = iota
	fontHelveticaBold
	fontHelveticaOblique
	fontHelveticaBoldOblique
	fontCourier
	fontCount
)

var fontNames = [fontCount]string{"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier"}

// Objects with fixed numbers, written at the end; pages follow them.
const (
	objPages = 1 + iota
	objResources
	objInfo
	objCatalog
	objFont0     // fontCount objects
	objFirstPage = objFont0 + fontCount
)

// k converts millimetres to points.
const k = 72 / 25.4

// fontWidths are the glyph widths (thousandths of the font size) of the
// core fonts in cp1252, taken once from fpdf's font metrics.
var fontWidths = sync.OnceValues(func() (*[fontCount][256]uint16, error) {
	var ws [fontCount][256]uint16
	styles := [fontCount]struct{ family, style string }{
		{"Helvetica", ""}, {"Helvetica", "B"}, {"Helvetica", "I"}, {"Helvetica", "BI"}, {"Courier", ""},
	}
	p := fpdf.New("P", "pt", "A4", "")
	for f, s := range styles {
		p.SetFont(s.family, s.style, 10)
		for c := 1; c < 256; c++ {
			ws[f][c] = uint16(p.GetStringSymbolWidth(string([]byte{byte(c)})))
		}
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("core font metrics: %w", err)
	}
	return &ws, nil
})

func newPDFStream(w io.Writer, now time.Time, noZone bool, title string) *pdfStream {
	p := &pdfStream{info: pdfInfo{now: now, noZone: noZone, title: title}, xref: make([]int64, objFirstPage), drawState: drawState{lineW: 0.2}}
	p.out = bufio.NewWriterSize(w, 64<<10)
	p.z, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	p.widths, p.err = fontWidths()
	return p
}

// width is the width of an encoded string in millimetres.
func (p *pdfStream) width(e string, font int, size float64) float64 {
	if p.widths == nil {
		return 0
	}
	ws := &p.widths[font]
	n := 0
	for i := 0; i < len(e); i++ {
		n += int(ws[e[i]])
	}
	return float64(n) * size / 1000 / k
}

func (p *pdfStream) setFont(font int, size float64) { p.font, p.size = font, size }

// addPage ends the current page, if any, and starts a new one.
func (p *pdfStream) addPage() {
	if p.open {
		p.endPage()
	}
	p.start()
	p.open = true
	p.page.Reset()
	p.gs = graphics{}
	p.page.WriteString("2 J\n") // square line caps
}

// start writes the file header, once.
func (p *pdfStream) start() {
	if !p.started {
		p.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
		p.started = true
	}
}

// pageNo is the number of pages started so far.
func (p *pdfStream) pageNo() int {
	if p.open {
		return len(p.pages) + 1
	}
	return len(p.pages)
}

// endPage writes the current page: its content stream, then its page object.
func (p *pdfStream) endPage() {
	p.endText()
	content := p.newObj()
	p.stream(content, p.page.Bytes())
	contents := strconv.Itoa(content) + " 0 R"
	if len(p.lateNow) > 0 {
		obj := p.reserve()
		p.late = append(p.late, lateText{obj: obj, texts: p.lateNow})
		p.lateNow = nil
		contents = "[" + contents + " " + strconv.Itoa(obj) + " 0 R]"
	}
	page := p.newObj()
	p.printf("%d 0 obj\n<</Type /Page /Parent %d 0 R /Resources %d 0 R /Contents %s>>\nendobj\n",
		page, objPages, objResources, contents)
	p.pages = append(p.pages, page)
	p.open = false
}

// newObj records that the next object, about to be written, starts here.
func (p *pdfStream) newObj() int {
	p.xref = append(p.xref, p.offset())
	return len(p.xref) - 1
}

// reserve takes an object number for an object written later (by begin).
func (p *pdfStream) reserve() int {
	p.xref = append(p.xref, 0)
	return len(p.xref) - 1
}

// begin records the offset of a fixed or reserved object about to be written.
func (p *pdfStream) begin(obj int) { p.xref[obj] = p.offset() }

func (p *pdfStream) offset() int64 { return p.written }

func (p *pdfStream) printf(format string, args ...any) {
	if p.err == nil {
		n, err := fmt.Fprintf(p.out, format, args...)
		p.written, p.err = p.written+int64(n), err
	}
}

// stream writes object obj (already recorded) as a compressed stream.
func (p *pdfStream) stream(obj int, data []byte) {
	p.zbuf.Reset()
	p.z.Reset(&p.zbuf)
	p.z.Write(data)
	p.z.Close()
	p.printf("%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", obj, p.zbuf.Len())
	if p.err == nil {
		n, err := p.out.Write(p.zbuf.Bytes())
		p.written, p.err = p.written+int64(n), err
	}
	p.printf("\nendstream\nendobj\n")
}

// close ends the last page and writes the catalogue, the deferred page
// numbers, the cross-reference table and the trailer. It returns the
// number of pages.
func (p *pdfStream) close() (int, error) {
	if p.open {
		p.endPage()
	}
	if len(p.pages) == 0 && p.err == nil {
		p.err = errNoPage // a PDF needs at least one page
	}
	if p.err != nil {
		return len(p.pages), p.err
	}
	for _, l := range p.late {
		p.page.Reset()
		p.gs = graphics{}
		for _, t := range l.texts {
			p.setFont(t.font, t.size)
			p.text = t.color
			alias := p.alias
			if t.count != nil {
				alias = strconv.Itoa(*t.count)
			}
			s := bytes.ReplaceAll([]byte(t.s), []byte(pagesAlias), []byte(alias))
			p.textAt(t.x-p.width(string(s), t.font, t.size), t.y, string(s))
		}
		p.endText()
		p.begin(l.obj)
		p.stream(l.obj, p.page.Bytes())
	}
	p.begin(objPages)
	p.printf("%d 0 obj\n<</Type /Pages /Count %d /MediaBox [0 0 %.2f %.2f] /Kids [", objPages, len(p.pages), pageW*k, pageH*k)
	for i, pg := range p.pages {
		if i > 0 {
			p.printf(" ")
		}
		p.printf("%d 0 R", pg)
	}
	p.printf("]>>\nendobj\n")
	p.begin(objResources)
	p.printf("%d 0 obj\n<</ProcSet [/PDF /Text] /Font <<", objResources)
	for f := range fontCount {
		p.printf("/F%d %d 0 R ", f+1, objFont0+f)
	}
	p.printf(">>>>\nendobj\n")
	for f := range fontCount {
		p.begin(objFont0 + f)
		p.printf("%d 0 obj\n<</Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding>>\nendobj\n",
			objFont0+f, fontNames[f])
	}
	date := pdfDate(p.info.now, p.info.noZone)
	p.begin(objInfo)
	p.printf("%d 0 obj\n<</Producer (remit) /Creator (remit) /Title %s /CreationDate (%s) /ModDate (%s)>>\nendobj\n",
		objInfo, utf16Text(p.info.title), date, date)
	p.begin(objCatalog)
	p.printf("%d 0 obj\n<</Type /Catalog /Pages %d 0 R /Lang (fr-FR)>>\nendobj\n", objCatalog, objPages)
	xref := p.offset()
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.xref))
	for _, off := range p.xref[1:] {
		p.printf("%010d 00000 n \n", off)
	}
	p.printf("trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(p.xref), objCatalog, objInfo, xref)
	if p.err == nil {
		p.err = p.out.Flush()
	}
	return len(p.pages), p.err
}

var errNoPage = errors.New("bordereau: a document without pages")

// pdfDate is a PDF date string with the time zone offset, or without one
// when the zone is unknown (ISO 32000-1 §7.9.4: the relation to UT is then
// unknown).
func pdfDate(t time.Time, noZone bool) string {
	if noZone {
		return "D:" + t.Format("20060102150405")
	}
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// utf16Text is a PDF text string in UTF-16BE with its byte order mark, as hex.
func utf16Text(s string) string {
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}

// Drawing on the current page.

// n writes v with two decimals: page coordinates in points need no more.
func (p *pdfStream) n(v float64) { p.fixed(v, 100) }

// fixed writes v rounded to 1/scale (scale 100 or 1000), without the
// float formatting that would cost more than the rest of a page.
func (p *pdfStream) fixed(v float64, scale int64) {
	p.scaled(int64(math.Round(v*float64(scale))), scale)
}

// scaled writes i/scale with as many decimals as scale has zeros.
func (p *pdfStream) scaled(i, scale int64) {
	if i < 0 {
		p.page.WriteByte('-')
		i = -i
	}
	p.num = strconv.AppendInt(p.num[:0], i/scale, 10)
	p.num = append(p.num, '.')
	for d := scale / 10; d > 0; d /= 10 {
		p.num = append(p.num, byte('0'+i/d%10))
	}
	p.page.Write(p.num)
}

func (p *pdfStream) nn(x, y float64) {
	p.n(x * k)
	p.page.WriteByte(' ')
	p.n((pageH - y) * k)
	p.page.WriteByte(' ')
}

func (p *pdfStream) color(c rgb, op string) {
	for _, v := range [3]int{c.r, c.g, c.b} {
		p.fixed(float64(v)/255, 1000)
		p.page.WriteByte(' ')
	}
	p.page.WriteString(op)
	p.page.WriteByte('\n')
}

// useNonStroke makes c the fill (and text) colour of the page.
func (p *pdfStream) useNonStroke(c rgb) {
	if !p.gs.nonStrokeSet || p.gs.nonStroke != c {
		p.color(c, "rg")
		p.gs.nonStroke, p.gs.nonStrokeSet = c, true
	}
}

// useStroke sets what lines are drawn with.
func (p *pdfStream) useStroke() {
	if !p.gs.strokeSet || p.gs.stroke != p.drawC {
		c := p.drawC
		p.color(c, "RG")
		p.gs.stroke, p.gs.strokeSet = c, true
	}
	if !p.gs.lineSet || p.gs.lineW != p.lineW {
		p.n(p.lineW * k)
		p.page.WriteString(" w\n")
		p.gs.lineW, p.gs.lineSet = p.lineW, true
	}
	if !slices.Equal(p.dash, p.gs.dash) {
		p.page.WriteByte('[')
		for i, v := range p.dash {
			if i > 0 {
				p.page.WriteByte(' ')
			}
			p.n(v * k)
		}
		p.page.WriteString("] 0 d\n")
		p.gs.dash = p.dash
	}
}

// textAt writes an encoded string with its baseline at y.
func (p *pdfStream) textAt(x, y float64, e string) {
	p.useNonStroke(p.text)
	g := &p.gs
	if !g.inText {
		p.page.WriteString("BT\n")
		g.inText, g.tFont, g.tx, g.ty = true, -1, 0, 0
	}
	if g.tFont != p.font || g.tSize != p.size {
		p.page.WriteString("/F")
		p.page.WriteByte(byte('1' + p.font))
		p.page.WriteByte(' ')
		p.n(p.size)
		p.page.WriteString(" Tf\n")
		g.tFont, g.tSize = p.font, p.size
	}
	// Moves are computed on rounded positions, so that they add up to
	// exactly where each string would be written on its own.
	tx, ty := int64(math.Round(x*k*100)), int64(math.Round((pageH-y)*k*100))
	p.scaled(tx-g.tx, 100)
	p.page.WriteByte(' ')
	p.scaled(ty-g.ty, 100)
	g.tx, g.ty = tx, ty
	p.page.WriteString(" Td (")
	for i := 0; i < len(e); i++ {
		switch c := e[i]; c {
		case '(', ')', '\\':
			p.page.WriteByte('\\')
			p.page.WriteByte(c)
		case '\r':
			p.page.WriteString(`\r`)
		default:
			p.page.WriteByte(c)
		}
	}
	p.page.WriteString(") Tj\n")
}

// endText closes the open text object, before anything else is drawn.
func (p *pdfStream) endText() {
	if p.gs.inText {
		p.page.WriteString("ET\n")
		p.gs.inText = false
	}
}

// deferText writes e, which holds pagesAlias, ending at x once the alias is known.
func (p *pdfStream) deferText(x, y float64, e string) { p.deferCount(x, y, e, nil) }

// deferCount is deferText for a part of the document (a letter, an advice):
// pagesAlias becomes *count, read at the end, or the document's alias when
// count is nil.
func (p *pdfStream) deferCount(x, y float64, e string, count *int) {
	p.lateNow = append(p.lateNow, deferred{x: x, y: y, font: p.font, size: p.size, color: p.text, s: e, count: count})
}

// rect paints a rectangle: style "F" fills, "D" strokes, "FD" both.
func (p *pdfStream) rect(x, y, w, h float64, style string) {
	p.endText()
	op := p.paint(style)
	p.nn(x, y)
	p.n(w * k)
	p.page.WriteByte(' ')
	p.n(-h * k)
	p.page.WriteString(" re ")
	p.page.WriteString(op)
	p.page.WriteByte('\n')
}

// paint sets the colours style needs and returns its painting operator.
func (p *pdfStream) paint(style string) string {
	switch style {
	case "F":
		p.useNonStroke(p.fillC)
		return "f"
	case "FD", "DF":
		p.useNonStroke(p.fillC)
		p.useStroke()
		return "B"
	default:
		p.useStroke()
		return "S"
	}
}

func (p *pdfStream) line(x1, y1, x2, y2 float64) {
	p.endText()
	p.useStroke()
	p.nn(x1, y1)
	p.page.WriteString("m ")
	p.nn(x2, y2)
	p.page.WriteString("l S\n")
}

// polygon paints the closed path through pts (x, y pairs).
func (p *pdfStream) polygon(pts [][2]float64, style string) {
	p.endText()
	op := p.paint(style)
	for i, pt := range pts {
		p.nn(pt[0], pt[1])
		if i == 0 {
			p.page.WriteString("m ")
		} else {
			p.page.WriteString("l ")
		}
	}
	p.page.WriteString("h ")
	p.page.WriteString(op)
	p.page.WriteByte('\n')
}

// polyline strokes the open path through pts (x, y pairs): the curves of
// a chart.
func (p *pdfStream) polyline(pts [][2]float64) {
	if len(pts) < 2 {
		return
	}
	p.endText()
	p.useStroke()
	for i, pt := range pts {
		p.nn(pt[0], pt[1])
		if i == 0 {
			p.page.WriteString("m\n")
		} else {
			p.page.WriteString("l\n")
		}
	}
	p.page.WriteString("S\n")
}

// drawState is what the next drawing uses: a page footer may change it,
// and the next page must not inherit that.
type drawState struct {
	font               int     // fontHelvetica…
	size               float64 // points
	lineW              float64 // millimetres
	text, fillC, drawC rgb
	dash               []float64
}

func (p *pdfStream) state() drawState { return p.drawState }

func (p *pdfStream) restore(s drawState) { p.drawState = s }
