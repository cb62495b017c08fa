package schema

import (
	"bufio"
	"errors"
	"fmt"
)

// Limits on the XML files remit reads (files to verify, bank returns and
// statements), checked while reading, so that a hostile file costs memory
// and time in proportion to its size, never more: encoding/xml holds a
// whole text, tag or comment in memory before it returns it, and deep
// nesting costs each element a walk of the open ones.
const (
	// MaxToken is the longest text, tag or comment accepted: the longest
	// value the ISO 20022 schemas allow is 2,048 characters.
	MaxToken = 1 << 20
	// MaxDepth is the deepest nesting accepted: ISO 20022 messages nest
	// about 15 levels.
	MaxDepth = 100
)

// ErrTooLarge means an XML file holds a text, tag or comment longer than
// MaxToken, or nests deeper than MaxDepth.
var ErrTooLarge = errors.New("over remit's limits for a bank file")

// ErrTooDeep is ErrTooLarge for nesting.
var ErrTooDeep = fmt.Errorf("%w: elements nested more than %d deep", ErrTooLarge, MaxDepth)

var errTokenTooLong = fmt.Errorf("%w: a text, tag or comment longer than %d bytes", ErrTooLarge, MaxToken)

// Limiter feeds an xml.Decoder (which reads it byte by byte, as an
// io.ByteReader) and fails once more than MaxToken bytes have been read
// since the decoder returned its last token: call TokenDone after each.
type Limiter struct {
	r    *bufio.Reader
	n    int64 // bytes handed out
	mark int64 // n when the last token was returned
}

// NewLimiter returns a Limiter reading r.
func NewLimiter(r *bufio.Reader) *Limiter { return &Limiter{r: r} }

// TokenDone says the decoder returned a token.
func (l *Limiter) TokenDone() { l.mark = l.n }

func (l *Limiter) ReadByte() (byte, error) {
	if l.n-l.mark >= MaxToken {
		return 0, errTokenTooLong
	}
	b, err := l.r.ReadByte()
	if err == nil {
		l.n++
	}
	return b, err
}

// Read serves a charset reader the decoder switched to (ISO-8859-1): it
// reads ahead, so the limit holds within one buffer.
func (l *Limiter) Read(p []byte) (int, error) {
	if l.n-l.mark >= MaxToken {
		return 0, errTokenTooLong
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}
