package accounting

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/remit-dev/remit/remit"
)

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
	cell := remit.SpreadsheetCell // on texts; numbers, dates and amounts as they are
	return cw.w.Write([]string{cell(e.Journal), cell(e.JournalLabel), strconv.FormatInt(e.Number, 10), strconv.Itoa(e.Line), e.Date,
		cell(e.Account), cell(e.AccountLabel), cell(e.Aux), cell(e.AuxLabel), cell(e.Piece), e.PieceDate, cell(e.Label),
		remit.FormatAmount(e.Debit), remit.FormatAmount(e.Credit), cell(e.Lettering), e.LetteredOn, e.ValidDate, string(e.Kind), e.Remittance})
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
