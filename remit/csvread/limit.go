package csvread

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/remit-dev/remit/remit"
)

// Limits on a file, checked while reading so that memory stays bounded
// whatever the file holds (a 2 GB line, a header of NULs): a line of an ERP
// export is a few hundred bytes, and nothing remit writes needs a field
// over a kilobyte.
const (
	MaxLine   = 64 << 10  // bytes of one line
	MaxRecord = 256 << 10 // bytes of one record (a quoted field may hold line breaks)
	MaxField  = 1024      // bytes of one field
)

// ErrTooLong means a line or a record is over its limit.
var ErrTooLong = errors.New("too long")

// boundedReader passes a file to the CSV reader and stops it, with a
// *remit.LineError naming the line, at the first line longer than MaxLine
// or record longer than MaxRecord. The CSV reader buffers at most one line
// before it sees the error.
type boundedReader struct {
	r        io.Reader
	line     int   // newlines handed out
	lineLen  int   // bytes of the current line handed out
	read     int64 // bytes handed out
	recStart int64 // offset of the record being read (see recordDone)
	err      error
}

// recordDone says the CSV reader has read a record up to offset (its
// InputOffset).
func (b *boundedReader) recordDone(offset int64) { b.recStart = offset }

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	for rest := p[:n]; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		end := i
		if i < 0 {
			end = len(rest)
		}
		if b.lineLen+end > MaxLine {
			b.err = &remit.LineError{Line: b.line + 1, Err: fmt.Errorf("%w: a line longer than %d bytes (is it a CSV export?)", ErrTooLong, MaxLine)}
			return 0, b.err
		}
		if i < 0 {
			b.lineLen += end
			break
		}
		b.line++
		b.lineLen = 0
		rest = rest[i+1:]
	}
	b.read += int64(n)
	if b.read-b.recStart > MaxRecord+int64(len(p)) {
		b.err = &remit.LineError{Line: b.line + 1, Err: fmt.Errorf("%w: a record longer than %d bytes (a quote left open?)", ErrTooLong, MaxRecord)}
		return 0, b.err
	}
	return n, err
}
