package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
)

// Options control the reading of a file.
type Options struct {
	// Encoding is the file's character set, by remit.ParseImportEncoding's
	// names (windows-1252, iso-8859-15, iso-8859-1); "" is UTF-8.
	Encoding string
	// SkipInvalid: the valid lines are accepted and the others rejected
	// (written to Rejects), instead of nothing at all.
	SkipInvalid bool
	// Rejects receives, with SkipInvalid, the rejected lines as CSV: the
	// header's named columns and a reason column, each line as it was.
	// The caller writes it under a temporary name and renames it only
	// when the import commits. May be nil.
	Rejects io.Writer
}

// Line is one line of the file, read and checked.
type Line struct {
	Num      int
	Raw      []string
	Incoming payables.Incoming
	Problems []*remit.LineError
	// Malformed: the CSV itself is broken here (a quote); the lines after
	// it may not be where the file meant them to be.
	Malformed bool
}

// Reader reads a payables file line by line, in constant memory.
type Reader struct {
	cr       *csv.Reader
	lim      *boundedReader
	head     header
	names    []string
	problems []*remit.LineError
	readable bool
	err      error // sticky: the rest of the file cannot be read
}

// NewReader reads the header of a payables file: UTF-8 (a BOM is
// dropped) or Encoding, the separator , or ; (the one the header line
// holds more of), RFC 4180 quoting. An empty file, a header that cannot be
// read or a character set not known is an error; the header's own
// problems (HeaderProblems) are not.
func NewReader(r io.Reader, o Options) (*Reader, error) {
	charset, err := remit.ParseImportEncoding(o.Encoding)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", o.Encoding, err)
	}
	if charset != nil {
		r = charset.NewDecoder().Reader(r)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if len(bytes.TrimSpace(first)) == 0 {
		return nil, &remit.LineError{Line: 1, Err: errors.New("empty file: the first line must name the columns")}
	}
	rd := &Reader{lim: &boundedReader{r: br}}
	rd.cr = csv.NewReader(rd.lim)
	if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
		rd.cr.Comma = ';'
	}
	rd.cr.FieldsPerRecord = -1
	names, err := rd.cr.Read()
	var le *remit.LineError
	if errors.As(err, &le) {
		return nil, le
	}
	if err != nil {
		return nil, &remit.LineError{Line: 1, Err: fmt.Errorf("cannot read the header: %v", err)}
	}
	rd.lim.recordDone(rd.cr.InputOffset())
	rd.head, rd.problems, rd.readable = mapColumns(names)
	rd.names = names[:rd.head.named:rd.head.named]
	return rd, nil
}

// HeaderProblems are the header's problems: unknown, unnamed or repeated
// columns, missing required ones. Any of them stops an import.
func (rd *Reader) HeaderProblems() []*remit.LineError { return rd.problems }

// Readable is false when a required column is missing: the lines cannot
// be read (Read returns io.EOF).
func (rd *Reader) Readable() bool { return rd.readable }

// Columns are the header's named columns as the file writes them.
func (rd *Reader) Columns() []string { return rd.names }

// Read returns the next line, with its payable or its problems, skipping
// blank lines; io.EOF at the end. A line too long or a record too long
// (remit.MaxImportLine, remit.MaxImportRecord) is an error, a
// *remit.LineError, after which nothing more can be read.
func (rd *Reader) Read() (*Line, error) {
	if rd.err != nil {
		return nil, rd.err
	}
	if !rd.readable {
		return nil, io.EOF
	}
	for {
		rec, err := rd.cr.Read()
		if err == io.EOF {
			rd.err = io.EOF
			return nil, err
		}
		rd.lim.recordDone(rd.cr.InputOffset())
		var pe *csv.ParseError
		var le *remit.LineError
		switch {
		case errors.As(err, &le):
			rd.err = le
			return nil, le
		case errors.As(err, &pe):
			return &Line{Num: pe.StartLine, Malformed: true, Problems: []*remit.LineError{{Line: pe.StartLine,
				Err: fmt.Errorf("malformed CSV: %v", pe.Err)}}}, nil
		case err != nil:
			rd.err = err
			return nil, err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		num, _ := rd.cr.FieldPos(0)
		return parseLine(num, rec, rd.head), nil
	}
}

// Result is what Scan read.
type Result struct {
	Lines    int // lines read, blank lines aside
	Accepted int // lines apply took
	Rejected int // lines rejected (SkipInvalid)
	Problems []*remit.LineError
}

// Scan reads a payables file with the receivables import's contract, and
// hands each valid line to apply (the store's: payables.Compare, then the
// write), in order. apply returns nil, or the line's problems (one or
// several *remit.LineError, joined), or another error, which stops Scan.
// Every problem of every line is reported, sorted by line:
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
	res := &Result{Problems: slices.Clone(rd.HeaderProblems())}
	if !rd.Readable() {
		return res, fmt.Errorf("%d problem(s) in the header: %w", len(res.Problems), remit.ErrImportInvalid)
	}
	void := len(res.Problems) > 0 // the header is wrong: check the lines, apply none
	var rejects *csv.Writer
	if o.SkipInvalid && o.Rejects != nil {
		rejects = csv.NewWriter(o.Rejects)
		if err := rejects.Write(append(slices.Clone(rd.Columns()), "reason")); err != nil {
			return nil, err
		}
	}
	unreadable := false
	for {
		ln, err := rd.Read()
		if err == io.EOF {
			break
		}
		if errors.As(err, &le) {
			res.Problems = append(res.Problems, le)
			unreadable = true
			break
		}
		if err != nil {
			return nil, err
		}
		res.Lines++
		if len(ln.Problems) == 0 && !void && (o.SkipInvalid || len(res.Problems) == 0) {
			if err := apply(ln.Incoming); err != nil {
				les, ok := lineErrors(err)
				if !ok {
					return nil, err
				}
				ln.Problems = les
			} else {
				res.Accepted++
			}
		}
		if len(ln.Problems) == 0 {
			continue
		}
		res.Problems = append(res.Problems, ln.Problems...)
		if !o.SkipInvalid {
			if ln.Malformed {
				break // the reader cannot resync reliably after a quoting error
			}
			continue
		}
		res.Rejected++
		if rejects != nil {
			row := make([]string, len(rd.Columns())+1)
			copy(row, ln.Raw)
			row[len(row)-1] = reasons(ln.Problems)
			if err := rejects.Write(row); err != nil {
				return nil, err
			}
		}
	}
	if rejects != nil {
		rejects.Flush()
		if err := rejects.Error(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Line < res.Problems[j].Line })
	if len(res.Problems) > 0 && (!o.SkipInvalid || void || unreadable) {
		return res, fmt.Errorf("%d problem(s): %w", len(res.Problems), remit.ErrImportInvalid)
	}
	return res, nil
}

// lineErrors returns the line problems err holds: one *remit.LineError,
// or several joined by errors.Join.
func lineErrors(err error) ([]*remit.LineError, bool) {
	var out []*remit.LineError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			les, ok := lineErrors(e)
			if !ok {
				return nil, false
			}
			out = append(out, les...)
		}
		return out, len(out) > 0
	}
	var le *remit.LineError
	if errors.As(err, &le) {
		return []*remit.LineError{le}, true
	}
	return nil, false
}

// reasons writes a line's problems for the rejects file's reason column.
func reasons(errs []*remit.LineError) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msg := strings.TrimPrefix(e.Error(), fmt.Sprintf("line %d, ", e.Line))
		msgs[i] = strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", e.Line))
	}
	return strings.Join(msgs, "; ")
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

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
