package remit

import (
	"errors"
	"fmt"
	"strings"
)

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
	Encoding    string // the file's character set (csvread.ParseEncoding); "" is UTF-8
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
