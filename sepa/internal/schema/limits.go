package schema

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
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

// Decoder is an xml.Decoder on a bank file (a return, a statement) within
// the limits: Token fails, with an error wrapping ErrTooLarge, at a token
// longer than MaxToken (the reader checks its own depth against MaxDepth
// with TooDeep); ISO-8859-1 is decoded; ReadErr tells a failure of the
// source apart from malformed XML.
type Decoder struct {
	*xml.Decoder
	src *Source
	lim *Limiter
}

// NewDecoder returns a Decoder reading r.
func NewDecoder(r io.Reader) *Decoder {
	src := &Source{R: r}
	lim := NewLimiter(bufio.NewReaderSize(src, 64<<10))
	d := &Decoder{Decoder: xml.NewDecoder(lim), src: src, lim: lim}
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if IsLatin1(charset) {
			return Latin1Reader(input), nil
		}
		return nil, fmt.Errorf("encoding %q is not supported (UTF-8 or ISO-8859-1 expected)", charset)
	}
	return d
}

// Token returns the next token, as xml.Decoder.Token does.
func (d *Decoder) Token() (xml.Token, error) {
	tok, err := d.Decoder.Token()
	d.lim.TokenDone()
	return tok, err
}

// ReadErr returns the error of the source, if reading it failed.
func (d *Decoder) ReadErr() error { return d.src.Err }

// Line returns the line the decoder is at.
func (d *Decoder) Line() int {
	l, _ := d.InputPos()
	return l
}

// TooDeep reports whether an element opened inside depth open ones
// would nest deeper than MaxDepth.
func TooDeep(depth int) bool { return depth >= MaxDepth }

// IsLatin1 reports whether an XML declaration's encoding is ISO-8859-1
// (or its subset US-ASCII), which the readers decode.
func IsLatin1(charset string) bool {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "iso_8859-1", "us-ascii", "ascii":
		return true
	}
	return false
}

// RootName describes a root element that is not a message the reader
// reads: "root element X in namespace "urn:…"", or "root element X
// without namespace".
func RootName(local, ns string) string {
	if ns == "" {
		return fmt.Sprintf("root element %s without namespace", local)
	}
	return fmt.Sprintf("root element %s in namespace %q", local, ns)
}

// Open is an element open in a bank file being read.
type Open struct {
	Name string // local name; "" for an element of another namespace than ns
	Line int
	Ccy  string // Ccy attribute of an amount
}

// NewOpen returns the element t opens at line, in a document of namespace
// ns ("" before the root is read).
func NewOpen(t xml.StartElement, ns string, line int) Open {
	e := Open{Name: t.Name.Local, Line: line}
	if ns != "" && t.Name.Space != ns {
		e.Name = "" // extensions (SplmtryData…) never match the paths a reader knows
	}
	for _, a := range t.Attr {
		if a.Name.Local == "Ccy" && a.Name.Space == "" {
			e.Ccy = a.Value
		}
	}
	return e
}

// OpenPath renders open elements as /Document/BkToCstmrStmt/…, "*" for an
// element of another namespace.
func OpenPath(stack []Open) string {
	var b strings.Builder
	for _, e := range stack {
		b.WriteByte('/')
		if e.Name == "" {
			b.WriteByte('*')
		} else {
			b.WriteString(e.Name)
		}
	}
	return b.String()
}
