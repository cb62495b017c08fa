package csvread

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit"
)

// Reader reads a file record by record, in constant memory.
type Reader struct {
	Header   Header
	cr       *csv.Reader
	lim      *boundedReader
	problems []*remit.LineError // the header's
	readable bool
	notUTF8  error // the advice for a field that is not UTF-8
	err      error // sticky: the rest of the file cannot be read
}

// Open reads the header of a file in encoding (ParseEncoding's names; ""
// is UTF-8, a BOM dropped): the separator is , or ; (the one the header
// line holds more of), the quoting RFC 4180's. An unknown encoding, an
// empty file, a header that cannot be read (a *remit.LineError, wrapping
// ErrTooLong when the header line is over MaxLine) or a read error is an
// error; the header's own problems (HeaderProblems) are not.
func Open(r io.Reader, f Format, encoding string) (*Reader, error) {
	charset, err := ParseEncoding(encoding)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", encoding, err)
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
	rd := &Reader{lim: &boundedReader{r: br}, notUTF8: errors.New("not valid UTF-8: save the file as UTF-8, or give its encoding " +
		"(" + f.Command + " --encoding windows-1252 for a spreadsheet saved by Excel)")}
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
	rd.Header, rd.problems, rd.readable = readHeader(names, f)
	return rd, nil
}

// HeaderProblems are the header's problems: unknown, unnamed or repeated
// columns, missing required ones. Any of them voids an import.
func (rd *Reader) HeaderProblems() []*remit.LineError { return rd.problems }

// Readable is false when a required column is missing: the lines cannot
// be read (Read returns io.EOF).
func (rd *Reader) Readable() bool { return rd.readable }

// HeaderError is the error of an import whose header makes the lines
// unreadable, nil when they can be read.
func (rd *Reader) HeaderError() error {
	if rd.readable {
		return nil
	}
	return fmt.Errorf("%d problem(s) in the header: %w", len(rd.problems), remit.ErrImportInvalid)
}

// Record is one record of a file.
type Record struct {
	Line   int      // the line it starts on
	Fields []string // as the file has them
	// Malformed says the CSV itself is broken here (a quote), with the
	// line and the reason: Fields is nil, and the records after it may not
	// be where the file meant them to be.
	Malformed *remit.LineError
}

// Read returns the next record, blank lines skipped; io.EOF at the end. A
// line or a record too long (MaxLine, MaxRecord) is an error, a
// *remit.LineError wrapping ErrTooLong, after which nothing more can be
// read; so is a read error.
func (rd *Reader) Read() (Record, error) {
	if rd.err != nil {
		return Record{}, rd.err
	}
	if !rd.readable {
		return Record{}, io.EOF
	}
	for {
		rec, err := rd.cr.Read()
		if err == io.EOF {
			rd.err = io.EOF
			return Record{}, err
		}
		rd.lim.recordDone(rd.cr.InputOffset())
		if err != nil {
			return rd.readError(err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		line, _ := rd.cr.FieldPos(0)
		return Record{Line: line, Fields: rec}, nil
	}
}

// readError is Read's return for the CSV reader's error: a malformed
// record, or what stops the reading.
func (rd *Reader) readError(err error) (Record, error) {
	var le *remit.LineError
	var pe *csv.ParseError
	switch {
	case errors.As(err, &le):
		rd.err = le
		return Record{}, le
	case errors.As(err, &pe):
		return Record{Line: pe.StartLine, Malformed: &remit.LineError{Line: pe.StartLine,
			Err: fmt.Errorf("malformed CSV: %v", pe.Err)}}, nil
	}
	rd.err = err
	return Record{}, err
}

// CheckWidth checks a record's fields against the header, reporting each
// problem to bad: more fields than the header, fewer than it names, text
// in a column it does not name. ok is false when the fields cannot be
// matched to the columns (the first two).
func (h *Header) CheckWidth(rec []string, bad func(column, value string, err error)) (ok bool) {
	switch {
	case len(rec) > len(h.Names):
		bad("", "", fmt.Errorf("%d fields, the header has %d", len(rec), len(h.Names)))
		return false
	case len(rec) < h.Named:
		bad("", "", fmt.Errorf("%d fields, the header names %d columns", len(rec), h.Named))
		return false
	}
	for i := h.Named; i < len(rec); i++ {
		if v := strings.TrimSpace(rec[i]); v != "" {
			bad("", "", fmt.Errorf("field %d %q is in a column the header does not name", i+1, v))
		}
	}
	return true
}

// Text checks a field as the file has it: valid UTF-8 (else the advice to
// give the encoding), no NUL byte, at most MaxField bytes. It returns the
// text trimmed, or the problem and the value a message may show (made
// printable and short).
func (rd *Reader) Text(raw string) (text, shown string, err error) {
	switch {
	case !utf8.ValidString(raw):
		return "", strings.ToValidUTF8(raw, "?"), rd.notUTF8
	case strings.ContainsRune(raw, 0):
		return "", strings.ReplaceAll(raw, "\x00", `\0`), errors.New("contains a NUL byte")
	case len(raw) > MaxField:
		return "", raw[:40], fmt.Errorf("%d bytes, at most %d", len(raw), MaxField)
	}
	return strings.TrimSpace(raw), "", nil
}

// YesNo reads the yes/no words of a column (yes, y, oui, o, true, 1; no,
// n, non, false, 0), in any case; known is false for any other text.
func YesNo(v string) (yes, known bool) {
	switch strings.ToLower(v) {
	case "yes", "y", "oui", "o", "true", "1":
		return true, true
	case "no", "n", "non", "false", "0":
		return false, true
	}
	return false, false
}
