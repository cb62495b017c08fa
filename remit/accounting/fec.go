package accounting

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/text"
)

// FECColumns are the 18 columns of article A. 47 A-1 of the LPF, in order.
var FECColumns = []string{"JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
	"CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
	"ValidDate", "Montantdevise", "Idevise"}

// FECWriter writes entries in the FEC layout: a header line, one line per
// entry line, fields separated by tabs, lines ended by CR LF, dates
// AAAAMMJJ, amounts with a comma and two decimals and no thousands
// separator. Errors are sticky; Close flushes (and writes the header of an
// empty file).
type FECWriter struct {
	w         *bufio.Writer
	latin9    bool
	header    bool
	err       error
	debit     int64
	credit    int64
	lineCount int
}

// NewFECWriter returns a writer in the given encoding ("" is ISO-8859-15).
func NewFECWriter(w io.Writer, encoding string) (*FECWriter, error) {
	switch strings.ToLower(encoding) {
	case "", remit.EncodingLatin9, "latin9", "latin-9", "iso8859-15":
		return &FECWriter{w: bufio.NewWriter(w), latin9: true}, nil
	case remit.EncodingUTF8, "utf8":
		return &FECWriter{w: bufio.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("encoding %q: want iso-8859-15 or utf-8", encoding)
}

func (fw *FECWriter) writeFields(fields []string) {
	if fw.err != nil {
		return
	}
	for i, f := range fields {
		if i > 0 {
			fw.w.WriteByte('\t')
		}
		fw.w.WriteString(fw.encode(f))
	}
	_, fw.err = fw.w.WriteString("\r\n")
}

// encode makes a field safe for the file: tabs and line breaks become
// spaces (they would break the layout), and in ISO-8859-15 a character the
// set lacks is folded to ASCII (ł → l, “ → ") — deliberately, never dropped.
func (fw *FECWriter) encode(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if !fw.latin9 {
		return strings.ToValidUTF8(s, "?")
	}
	var b strings.Builder
	enc := charmap.ISO8859_15
	for _, r := range s {
		if c, ok := enc.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		if r == utf8.RuneError {
			b.WriteByte('?')
			continue
		}
		b.WriteString(text.Fold(string(r)))
	}
	return b.String()
}

// Write writes one entry line.
func (fw *FECWriter) Write(e Entry) error {
	if !fw.header {
		fw.writeFields(FECColumns)
		fw.header = true
	}
	// A text a spreadsheet would run as a formula gets a leading apostrophe
	// (SpreadsheetCell); numbers, dates and amounts are written as they are,
	// as the administration's format wants them.
	cell := remit.SpreadsheetCell
	fw.writeFields([]string{cell(e.Journal), cell(e.JournalLabel), strconv.FormatInt(e.Number, 10), fecDate(e.Date), cell(e.Account),
		cell(e.AccountLabel), cell(e.Aux), cell(e.AuxLabel), cell(e.Piece), fecDate(e.PieceDate), cell(e.Label), fecAmount(e.Debit),
		fecAmount(e.Credit), cell(e.Lettering), fecDate(e.LetteredOn), fecDate(e.ValidDate), "", ""})
	fw.debit += e.Debit
	fw.credit += e.Credit
	fw.lineCount++
	return fw.err
}

// Close flushes the file; it fails if the lines written do not balance.
func (fw *FECWriter) Close() error {
	if !fw.header {
		fw.writeFields(FECColumns)
		fw.header = true
	}
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	if fw.err == nil && fw.debit != fw.credit {
		fw.err = fmt.Errorf("%d lines: debit %s, credit %s: %w", fw.lineCount, remit.FormatAmount(fw.debit), remit.FormatAmount(fw.credit), ErrUnbalanced)
	}
	return fw.err
}

// fecDate writes a stored date as AAAAMMJJ.
func fecDate(d string) string { return strings.ReplaceAll(d, "-", "") }

// fecAmount writes cents as 1234,56.
func fecAmount(cents int64) string { return strings.Replace(remit.FormatAmount(cents), ".", ",", 1) }
