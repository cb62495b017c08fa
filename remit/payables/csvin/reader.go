package csvin

import (
	"errors"
	"fmt"
	"io"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/payables"
)

// Options control the reading of a file.
type Options struct {
	// Encoding is the file's character set, by csvread.ParseEncoding's
	// names (windows-1252, iso-8859-15, iso-8859-1); "" is UTF-8.
	Encoding string
	// SkipInvalid: the valid lines are accepted and the others rejected
	// (written to Rejects), instead of nothing at all.
	SkipInvalid bool
	// Rejects receives, with SkipInvalid, the rejected lines as CSV: the
	// header's named columns and a reason column, each line as it was
	// (nothing when no line is rejected). A csvread.RejectFile writes it
	// under a temporary name and renames it only when the import commits.
	// May be nil.
	Rejects io.Writer
}

// Line is one line of the file, read and checked: its payable (Value)
// or its problems.
type Line = csvread.Line[payables.Incoming]

// Format is the payables import file's, for csvread.
var Format = csvread.Format{Columns: payables.Columns, Required: payables.RequiredColumns, Command: "remit payables import"}

// Reader reads a payables file line by line, in constant memory.
type Reader struct {
	rd *csvread.Reader
}

// NewReader reads the header of a payables file (csvread.Open): UTF-8 (a
// BOM is dropped) or Encoding, the separator , or ; (the one the header
// line holds more of), RFC 4180 quoting. An empty file, a header that
// cannot be read or a character set not known is an error; the header's
// own problems (HeaderProblems) are not.
func NewReader(r io.Reader, o Options) (*Reader, error) {
	rd, err := csvread.Open(r, Format, o.Encoding)
	if err != nil {
		return nil, err
	}
	return &Reader{rd: rd}, nil
}

// HeaderProblems are the header's problems: unknown, unnamed or repeated
// columns, missing required ones. Any of them stops an import.
func (rd *Reader) HeaderProblems() []*remit.LineError { return rd.rd.HeaderProblems() }

// Readable is false when a required column is missing: the lines cannot
// be read (Read returns io.EOF).
func (rd *Reader) Readable() bool { return rd.rd.Readable() }

// Columns are the header's named columns as the file writes them.
func (rd *Reader) Columns() []string { return rd.rd.Header.Columns() }

// Read returns the next line, with its payable or its problems, skipping
// blank lines; io.EOF at the end. A line too long or a record too long
// (csvread.MaxLine, csvread.MaxRecord) is an error, a *remit.LineError,
// after which nothing more can be read.
func (rd *Reader) Read() (*Line, error) { return csvread.ReadLine(rd.rd, rd.parse) }

// Result is what Scan read.
type Result = csvread.Result

// Scan reads a payables file with the receivables import's contract
// (csvread.Scan), and hands each valid line to apply (the store's:
// payables.Compare, then the write), in order. apply returns nil, or the
// line's problems (one or several *remit.LineError, joined), or another
// error, which stops Scan. Every problem of every line is reported, sorted
// by line:
//
//   - without SkipInvalid, the first problem makes the import void: the
//     lines after it are still read and checked (every problem in one
//     pass) but no longer applied, and Scan's error wraps
//     remit.ErrImportInvalid; the caller rolls back;
//   - with SkipInvalid, a line with problems is rejected (written to
//     Rejects with its reasons) and the others applied; a malformed
//     record is rejected and the reading goes on;
//   - a header problem, or a line too long to read, voids the import
//     even with SkipInvalid (the file is not what it seems).
func Scan(r io.Reader, o Options, apply func(payables.Incoming) error) (*Result, error) {
	rd, err := NewReader(r, o)
	var le *remit.LineError
	if errors.As(err, &le) {
		return &Result{Problems: []*remit.LineError{le}}, fmt.Errorf("1 problem: %w", remit.ErrImportInvalid)
	}
	if err != nil {
		return nil, err
	}
	so := csvread.ScanOptions{SkipInvalid: o.SkipInvalid, Rejects: o.Rejects, CountStop: true}
	return csvread.Scan(rd.rd, rd.parse, so, csvread.ApplyFunc[payables.Incoming](func(ln *Line) error { return apply(ln.Value) }))
}

// ReadAll reads a whole file into memory with Scan's contract, for small
// files and tests; the same document on two lines is judged by
// payables.Compare (identical: the second is unchanged; different: a
// problem). Payables holds the accepted lines, once per document; it is
// nil when Scan's error voids the import.
func ReadAll(r io.Reader, o Options, approvalRequired bool) ([]payables.Incoming, *Result, error) {
	var out []payables.Incoming
	seen := map[string]int{} // document → index in out
	res, err := Scan(r, o, func(in payables.Incoming) error {
		if i, ok := seen[in.Document]; ok {
			prev := out[i]
			got := payables.Compare(&payables.Stored{Payable: prev.Payable, Line: prev.Line}, in, approvalRequired)
			if len(got.Problems) > 0 {
				return errors.Join(asErrors(got.Problems)...)
			}
			return nil
		}
		got := payables.Compare(nil, in, approvalRequired)
		if len(got.Problems) > 0 {
			return errors.Join(asErrors(got.Problems)...)
		}
		seen[in.Document] = len(out)
		out = append(out, in)
		return nil
	})
	if err != nil {
		return nil, res, err
	}
	return out, res, nil
}

func asErrors(les []*remit.LineError) []error {
	out := make([]error, len(les))
	for i, le := range les {
		out[i] = le
	}
	return out
}
