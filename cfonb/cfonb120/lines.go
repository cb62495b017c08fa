package cfonb120

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/remit-dev/remit/cfonb"
)

// lineReader cuts the input into 120-byte records, taking the files banks
// actually send (CFONB120.md §1): records on lines ended by LF or CRLF
// (mixed or not), or back to back without line breaks; trailing blanks
// trimmed in transit; UTF-8 instead of Latin-1. Memory stays at its buffer
// whatever the length of a line.
type lineReader struct {
	br      *bufio.Reader
	started bool
	noEOL   bool // records back to back: cut every 120 bytes
	line    int
	rec     [RecordLen]byte
}

// rawRecord is what next returns: a record of exactly 120 bytes, or the
// problems of a line that is not one.
type rawRecord struct {
	line int
	rec  []byte  // nil when the line is not a record
	errs []error // *cfonb.FieldError values
}

// next returns the next record, io.EOF at the end of the input, or another
// error when the input cannot be read further.
func (l *lineReader) next() (rawRecord, error) {
	if !l.started {
		l.started = true
		if err := l.detect(); err != nil {
			return rawRecord{}, err
		}
	}
	if l.noEOL {
		return l.nextFixed()
	}
	for {
		line, long, err := l.readLine()
		if err != nil {
			return rawRecord{}, err
		}
		if line == nil && long == 0 {
			return rawRecord{}, io.EOF
		}
		l.line++
		if long == 0 && len(line) == 0 {
			continue // an empty line: nothing lost
		}
		return l.record(line, long), nil
	}
}

// record makes a line into a record. A line in UTF-8 whose characters all
// have a Latin-1 form is taken in Latin-1. A shorter line lost its
// trailing blanks in transit and is padded back: whatever it really lost
// shows as a zone problem (a required zone left blank). A longer line is
// refused, unless what exceeds is blanks.
func (l *lineReader) record(line []byte, long int) rawRecord {
	if long == 0 {
		line = fromUTF8(line)
		if len(line) > RecordLen && allBytes(line[RecordLen:], ' ') {
			line = line[:RecordLen]
		}
	}
	n := len(line)
	if long > 0 {
		n = long
	}
	if n > RecordLen {
		fe := &cfonb.FieldError{Line: l.line, Err: fmt.Errorf("%w: %d characters, want %d", cfonb.ErrLength, n, RecordLen)}
		if code := string(line[:min(2, len(line))]); code == "01" || code == "04" || code == "05" || code == "07" {
			fe.Record = code
		}
		return rawRecord{line: l.line, errs: []error{fe}}
	}
	copy(l.rec[:], line)
	for i := len(line); i < RecordLen; i++ {
		l.rec[i] = ' '
	}
	return rawRecord{line: l.line, rec: l.rec[:]}
}

// readLine returns the next line without its line break; for a line too
// long for the buffer, its first bytes and its length.
func (l *lineReader) readLine() (line []byte, long int, err error) {
	line, err = l.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		head := append([]byte(nil), line[:2]...)
		n := len(line)
		for err == bufio.ErrBufferFull {
			line, err = l.br.ReadSlice('\n')
			n += len(line)
		}
		if err != nil && err != io.EOF {
			return nil, 0, fmt.Errorf("line %d: %w", l.line+1, err)
		}
		return head, n - len(lineEnd(line)), nil
	}
	if err != nil && err != io.EOF {
		return nil, 0, fmt.Errorf("line %d: %w", l.line+1, err)
	}
	if len(line) == 0 {
		return nil, 0, nil
	}
	return line[:len(line)-len(lineEnd(line))], 0, nil
}

// nextFixed reads a record of a file without line breaks. Line breaks
// between records (one at the very end, say) are skipped.
func (l *lineReader) nextFixed() (rawRecord, error) {
	for {
		c, err := l.br.ReadByte()
		if err == io.EOF {
			return rawRecord{}, io.EOF
		}
		if err != nil {
			return rawRecord{}, fmt.Errorf("record %d: %w", l.line+1, err)
		}
		if c != '\r' && c != '\n' {
			l.br.UnreadByte()
			break
		}
	}
	l.line++
	n, err := io.ReadFull(l.br, l.rec[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return rawRecord{}, fmt.Errorf("record %d: %w", l.line, err)
	}
	if i := bytes.IndexAny(l.rec[:n], "\r\n"); i >= 0 {
		return rawRecord{}, &cfonb.FieldError{Line: l.line, Err: fmt.Errorf(
			"%w: line break at position %d of a file whose records are not separated by line breaks", cfonb.ErrSeparator, i+1)}
	}
	if n < RecordLen {
		return rawRecord{}, &cfonb.FieldError{Line: l.line, Err: fmt.Errorf("%w: %d characters at the end of the file, want %d", cfonb.ErrLength, n, RecordLen)}
	}
	return rawRecord{line: l.line, rec: l.rec[:]}, nil
}

// detect decides whether the file's records are on lines: they are not
// when the buffer's worth of data has no line break, or its first break
// comes after several records (240, 360… bytes). A lone CR is no
// separator.
func (l *lineReader) detect() error {
	peek, err := l.br.Peek(l.br.Size())
	if err != nil && err != io.EOF {
		return fmt.Errorf("line 1: %w", err)
	}
	i := bytes.IndexAny(peek, "\r\n")
	switch {
	case i < 0 || i > RecordLen && i%RecordLen == 0:
		l.noEOL = true
	case peek[i] == '\r' && (i+1 >= len(peek) || peek[i+1] != '\n'):
		return &cfonb.FieldError{Line: 1, Err: fmt.Errorf("%w: a carriage return alone (CR) is not a record separator", cfonb.ErrSeparator)}
	}
	return nil
}

func lineEnd(line []byte) string {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return "\r\n"
	case bytes.HasSuffix(line, []byte("\n")):
		return "\n"
	}
	return ""
}

// fromUTF8 returns line in Latin-1 when it is UTF-8 text with characters
// beyond ASCII that all have a Latin-1 form, else line itself (plain ASCII,
// Latin-1 already, or something else that the zones will refuse).
func fromUTF8(line []byte) []byte {
	ascii := true
	for _, c := range line {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || !utf8.Valid(line) {
		return line
	}
	out := make([]byte, 0, len(line))
	for _, r := range string(line) {
		if r > 0xFF {
			return line
		}
		out = append(out, byte(r))
	}
	return out
}
