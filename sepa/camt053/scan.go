package camt053

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits that keep a hostile file from taking memory or time: the reading
// stops, with ErrTooLarge, at a token (element tag, text, comment) larger
// than MaxToken bytes or at elements nested deeper than MaxDepth. Memory
// then stays within a few MaxToken whatever the file, and the time is
// linear in its size. The largest token of a real statement is a
// remittance line of a few hundred bytes, and its deepest element is about
// twelve levels down.
const (
	MaxToken = 1 << 20
	MaxDepth = 64
	// maxText is the most text kept for one element: 500 characters
	// (Max500Text, the longest text read) of 4 bytes each, with room for
	// character references.
	maxText = 16 << 10
)

// elem is an open element.
type elem struct {
	name string // local name; "" for an element of another namespace
	line int
	ccy  string // Ccy attribute of an amount
}

// scanner reads an ISO 20022 document token by token through
// encoding/xml, within the limits above, keeping the stack of open
// elements and the text of the innermost one.
type scanner struct {
	src     *guard
	dec     *xml.Decoder
	ns      string // namespace of the document, once its root is read
	stack   []elem
	text    []byte
	tooLong bool // the innermost element's text exceeded maxText
}

// guard is the decoder's input: it remembers a read error, to tell it
// apart from malformed XML, and fails the read once the token being
// decoded has grown beyond MaxToken.
type guard struct {
	r        io.Reader
	dec      *xml.Decoder
	tokStart int64 // input offset where the current token starts
	err      error // error of r
	tooBig   bool
}

var errTokenTooBig = errors.New("token too large")

func (g *guard) Read(p []byte) (int, error) {
	if g.dec != nil && g.dec.InputOffset()-g.tokStart > MaxToken {
		g.tooBig = true
		return 0, errTokenTooBig
	}
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		g.err = err
	}
	return n, err
}

func newScanner(r io.Reader) *scanner {
	g := &guard{r: r}
	// encoding/xml reads through a bufio.Reader of its own: 64 KB at a
	// time from the guard, which checks between two reads.
	dec := xml.NewDecoder(bufio.NewReaderSize(g, 64<<10))
	g.dec = dec
	dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "iso-8859-1", "latin1", "iso_8859-1", "us-ascii", "ascii":
			return &latin1Reader{r: bufio.NewReader(input)}, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported (UTF-8 or ISO-8859-1 expected)", charset)
	}
	return &scanner{src: g, dec: dec}
}

func (s *scanner) line() int {
	l, _ := s.dec.InputPos()
	return l
}

// path returns the open elements as /Document/BkToCstmrStmt/…, "*" for an
// element of another namespace.
func (s *scanner) path() string {
	var b strings.Builder
	for _, e := range s.stack {
		b.WriteByte('/')
		if e.name == "" {
			b.WriteByte('*')
		} else {
			b.WriteString(e.name)
		}
	}
	return b.String()
}

// rel returns the names of the open elements below the first depth ones,
// joined by '/': "Ntry/NtryDtls/TxDtls/Refs/EndToEndId" below a Stmt at
// depth 3. ok is false when one of them is of another namespace.
func (s *scanner) rel(depth int) (string, bool) {
	if len(s.stack) <= depth {
		return "", true
	}
	var b strings.Builder
	for i, e := range s.stack[depth:] {
		if e.name == "" {
			return "", false
		}
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(e.name)
	}
	return b.String(), true
}

// token returns the next token. A start element is pushed on the stack
// and an end element leaves the element on it (pop removes it) so that
// the caller sees the element it closes; text goes to s.text. Errors are
// *Error values: ErrMalformed, ErrTooLarge, or the read error of the
// source.
func (s *scanner) token() (xml.Token, error) {
	tok, err := s.dec.Token()
	s.src.tokStart = s.dec.InputOffset()
	if err == io.EOF && s.src.err == nil && !s.src.tooBig {
		return nil, io.EOF // encoding/xml reports unclosed elements itself
	}
	if err != nil {
		return nil, s.fail(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(s.stack) >= MaxDepth {
			return nil, &Error{Line: s.line(), Path: s.path(), Err: fmt.Errorf("%w: elements nested deeper than %d levels", ErrTooLarge, MaxDepth)}
		}
		e := elem{name: t.Name.Local, line: s.line()}
		if s.ns != "" && t.Name.Space != s.ns {
			e.name = ""
		}
		for _, a := range t.Attr {
			if a.Name.Local == "Ccy" && a.Name.Space == "" {
				e.ccy = a.Value
			}
		}
		s.stack = append(s.stack, e)
		s.text, s.tooLong = s.text[:0], false
	case xml.CharData:
		if len(s.text)+len(t) > maxText {
			s.tooLong = true
		} else {
			s.text = append(s.text, t...)
		}
	case xml.Directive:
		return nil, &Error{Line: s.line(), Path: s.path(), Err: fmt.Errorf("%w: a DOCTYPE or other declaration has no place in a bank statement", ErrUnsupported)}
	}
	return tok, nil
}

// value returns the text of the element being closed, trimmed, or an
// error when it was longer than maxText.
func (s *scanner) value() (string, error) {
	if s.tooLong {
		return "", s.errorf(ErrValue, "text longer than %d bytes", maxText)
	}
	return strings.TrimSpace(string(s.text)), nil
}

// pop closes the innermost element.
func (s *scanner) pop() {
	s.stack = s.stack[:len(s.stack)-1]
	s.text, s.tooLong = s.text[:0], false
}

// top returns the innermost open element.
func (s *scanner) top() elem { return s.stack[len(s.stack)-1] }

func (s *scanner) fail(err error) error {
	switch {
	case s.src.err != nil:
		return fmt.Errorf("camt053: reading line %d: %w", s.line(), s.src.err)
	case s.src.tooBig:
		return &Error{Line: s.line(), Path: s.path(), Err: fmt.Errorf("%w: a tag, text or comment longer than %d bytes", ErrTooLarge, MaxToken)}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Line: se.Line, Path: s.path(), Err: fmt.Errorf("%w: %s", ErrMalformed, se.Msg)}
	}
	return &Error{Line: s.line(), Path: s.path(), Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
}

// errorf makes an error at the element being closed.
func (s *scanner) errorf(kind error, format string, args ...any) *Error {
	return &Error{Line: s.top().line, Path: s.path(), Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}

// latin1Reader decodes ISO-8859-1, which maps byte for byte to Unicode.
type latin1Reader struct {
	r   *bufio.Reader
	buf [2]byte
	n   int
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	i := 0
	for i < len(p) {
		if l.n > 0 {
			p[i] = l.buf[2-l.n]
			l.n--
			i++
			continue
		}
		c, err := l.r.ReadByte()
		if err != nil {
			if i > 0 {
				return i, nil
			}
			return 0, err
		}
		if c < 0x80 {
			p[i] = c
			i++
			continue
		}
		l.buf = [2]byte{0xC0 | c>>6, 0x80 | c&0x3F}
		l.n = 2
	}
	return i, nil
}
