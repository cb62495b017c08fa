package remit

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Character sets an import file may be in, besides UTF-8 (EncodingUTF8):
// spreadsheets saved as CSV on a French Windows are in Windows-1252; older
// systems write ISO-8859-15 (EncodingLatin9) or ISO-8859-1.
const (
	EncodingWindows1252 = "windows-1252"
	EncodingLatin1      = "iso-8859-1"
)

// ImportEncodings are the names ParseImportEncoding knows, canonical first.
var ImportEncodings = []string{EncodingUTF8, EncodingWindows1252, EncodingLatin9, EncodingLatin1}

// ParseImportEncoding returns the decoder of a character set by name (in
// any case, with the usual aliases: cp1252, latin9, latin1…); nil for UTF-8.
func ParseImportEncoding(name string) (*charmap.Charmap, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", EncodingUTF8, "utf8":
		return nil, nil
	case EncodingWindows1252, "cp1252", "windows1252", "win1252":
		return charmap.Windows1252, nil
	case EncodingLatin9, "iso8859-15", "latin9", "latin-9":
		return charmap.ISO8859_15, nil
	case EncodingLatin1, "iso8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1, nil
	}
	return nil, fmt.Errorf("want %s, %s, %s or %s", EncodingUTF8, EncodingWindows1252, EncodingLatin9, EncodingLatin1)
}

// MaxFieldLen bounds every CSV field: nothing remit writes needs more, and a
// runaway field is a broken export, not data.
const MaxFieldLen = 1024

// LineError says where an input line is wrong.
type LineError struct {
	Line   int    // 1-based line number in the file
	Column string // column name; empty for the whole line
	Value  string
	Err    error
}

func (e *LineError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, column %s %q: %v", e.Line, clipText(e.Column), clipText(e.Value), e.Err)
}

// clipText cuts what a message quotes from the input to 60 bytes.
func clipText(v string) string {
	if len(v) > 60 {
		v = strings.ToValidUTF8(v[:57], "") + "..."
	}
	return v
}

func (e *LineError) Unwrap() error { return e.Err }

// ImportOptions control Import.
type ImportOptions struct {
	Creditor    Creditor
	File        string // name recorded in the imports table and used for the rejects file
	Encoding    string // the file's character set (ParseImportEncoding); "" is UTF-8
	SkipInvalid bool   // import the valid lines; write the others to RejectPath
	RejectPath  string // default: <file>.rejected.csv beside the input
}

// ImportResult reports what Import did.
type ImportResult struct {
	Lines      int
	Inserted   int
	Updated    int
	Unchanged  int
	Rejected   int
	Problems   []*LineError // every problem found; with SkipInvalid, the rejected lines' reasons
	RejectFile string       // written when SkipInvalid rejected lines
	Warnings   []string     // what was imported but not used, and why
	Kept       []KeptLine   // of Unchanged: remitted receivables whose customer details changed (at most MaxKept)
	KeptCount  int          // all of them
}

// MaxKept bounds ImportResult.Kept: a changed IBAN may repeat on thousands
// of remitted lines of an export.
const MaxKept = 100

// KeptLine is a line about a remitted receivable whose only changes are its
// customer's details (columns): the receivable stays as it was remitted,
// and the new details are for the customer's next collection.
type KeptLine struct {
	Line       int
	Document   string
	Remittance string
	Columns    []string
}

// ErrImportInvalid is returned (wrapped) when lines are invalid and nothing was imported.
var ErrImportInvalid = errors.New("invalid lines: nothing imported")

// Limits on an import file, checked while reading so that memory stays
// bounded whatever the file holds (a 2 GB line, a header of NULs): a line
// of an ERP export is a few hundred bytes.
const (
	MaxImportLine   = 64 << 10  // bytes of one line
	MaxImportRecord = 256 << 10 // bytes of one record (a quoted field may hold line breaks)
)

// ErrTooLong means a line or a record of an import file is over its limit.
var ErrTooLong = errors.New("too long")
