package remit

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/remit-dev/remit/remit/text"
)

// Entry is one stored entry line, as exported.
type Entry struct {
	Journal      string `json:"journal"`
	JournalLabel string `json:"journal_label"`
	Number       int64  `json:"number"`
	Line         int    `json:"line"`
	Kind         string `json:"kind"`
	Remittance   string `json:"remittance"`
	Date         string `json:"date"`
	Account      string `json:"account"`
	AccountLabel string `json:"account_label"`
	Aux          string `json:"aux_account,omitempty"`
	AuxLabel     string `json:"aux_label,omitempty"`
	Piece        string `json:"piece_ref"`
	PieceDate    string `json:"piece_date"`
	Label        string `json:"label"`
	Debit        int64  `json:"debit"`
	Credit       int64  `json:"credit"`
	Lettering    string `json:"lettering,omitempty"`
	LetteredOn   string `json:"lettered_on,omitempty"`
	ValidDate    string `json:"valid_date"`
}

// EntryFilter selects entries: those of the given remittances (their
// collection, returns, fees and reversals), all when none is given, dated
// From to To inclusive (zero: unbounded).
type EntryFilter struct {
	Remittances []int64
	From, To    time.Time
}

// FEC encodings. The administration accepts both (BOI-CF-IOR-60-40-20);
// ISO-8859-15 is the default because it is what most French accounting
// software imports without asking.
const (
	EncodingLatin9 = "iso-8859-15"
	EncodingUTF8   = "utf-8"
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
	case "", EncodingLatin9, "latin9", "latin-9", "iso8859-15":
		return &FECWriter{w: bufio.NewWriter(w), latin9: true}, nil
	case EncodingUTF8, "utf8":
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
	cell := SpreadsheetCell
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
		fw.err = fmt.Errorf("%d lines: debit %s, credit %s: %w", fw.lineCount, FormatAmount(fw.debit), FormatAmount(fw.credit), ErrUnbalanced)
	}
	return fw.err
}

// fecDate writes a stored date as AAAAMMJJ.
func fecDate(d string) string { return strings.ReplaceAll(d, "-", "") }

// fecAmount writes cents as 1234,56.
func fecAmount(cents int64) string { return strings.Replace(FormatAmount(cents), ".", ",", 1) }

// IsFormula reports whether a spreadsheet would take s for a formula: it
// starts with =, +, -, @, a tab or a carriage return (OWASP's list for CSV
// injection).
func IsFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// ErrFormula refuses a code that a spreadsheet would run as a formula.
var ErrFormula = errors.New("starts with =, +, - or @: a spreadsheet opening an export would run it as a formula; a code cannot start so")

// SpreadsheetCell neutralises a value for a CSV or FEC export: one a
// spreadsheet would take for a formula (IsFormula) gets a leading
// apostrophe, so that =HYPERLINK(…) is shown, never run. Every exported
// text goes through it.
func SpreadsheetCell(s string) string {
	if IsFormula(s) {
		return "'" + s
	}
	return s
}

// CSVColumns are the columns of the plain CSV export.
var CSVColumns = []string{"journal", "journal_label", "number", "line", "date", "account", "account_label", "aux_account",
	"aux_label", "piece_ref", "piece_date", "label", "debit", "credit", "lettering", "lettered_on", "valid_date", "kind", "remittance"}

// EntryCSVWriter writes entries as plain CSV for programs: UTF-8, commas,
// a header line, ISO dates, amounts 1234.56.
type EntryCSVWriter struct {
	w      *csv.Writer
	header bool
}

// NewEntryCSVWriter returns a CSV entry writer.
func NewEntryCSVWriter(w io.Writer) *EntryCSVWriter { return &EntryCSVWriter{w: csv.NewWriter(w)} }

// Write writes one entry line.
func (cw *EntryCSVWriter) Write(e Entry) error {
	if !cw.header {
		cw.w.Write(CSVColumns)
		cw.header = true
	}
	cell := SpreadsheetCell // on texts; numbers, dates and amounts as they are
	return cw.w.Write([]string{cell(e.Journal), cell(e.JournalLabel), strconv.FormatInt(e.Number, 10), strconv.Itoa(e.Line), e.Date,
		cell(e.Account), cell(e.AccountLabel), cell(e.Aux), cell(e.AuxLabel), cell(e.Piece), e.PieceDate, cell(e.Label),
		FormatAmount(e.Debit), FormatAmount(e.Credit), cell(e.Lettering), e.LetteredOn, e.ValidDate, e.Kind, e.Remittance})
}

// Close flushes the file.
func (cw *EntryCSVWriter) Close() error {
	if !cw.header {
		cw.w.Write(CSVColumns)
		cw.header = true
	}
	cw.w.Flush()
	return cw.w.Error()
}

// Errors about entry settings and entries.
var (
	ErrMaskedCentralized = errors.New("a counterpart account with the masks AA or MM cannot be centralised (the account differs by due date): use one line per payment or an account without mask")
	ErrUnbalanced        = errors.New("entries do not balance")
)
