package remit

import (
	"errors"
	"strings"
)

// FEC encodings. The administration accepts both (BOI-CF-IOR-60-40-20);
// ISO-8859-15 is the default because it is what most French accounting
// software imports without asking.
const (
	EncodingLatin9 = "iso-8859-15"
	EncodingUTF8   = "utf-8"
)

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
