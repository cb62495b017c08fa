package camt053

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/remit-dev/remit/sepa/internal/schema"
)

// Limits that keep a hostile file from taking memory or time: the reading
// stops, with ErrTooLarge, at a token (element tag, text, comment) larger
// than MaxToken bytes or at elements nested deeper than MaxDepth. Memory
// then stays within a few MaxToken whatever the file, and the time is
// linear in its size. They are the limits of every XML file remit reads
// (returns, files to verify): the largest token of a real statement is a
// remittance line of a few hundred bytes, and its deepest element is about
// twelve levels down.
const (
	MaxToken = schema.MaxToken
	MaxDepth = schema.MaxDepth
	// maxText is the most text kept for one element: 500 characters
	// (Max500Text, the longest text read) of 4 bytes each, with room for
	// character references.
	maxText = 16 << 10
)

// elem is an open element: its local name ("" for an element of another
// namespace), line and Ccy attribute.
type elem = schema.Open

// scanner reads an ISO 20022 document token by token, within the limits
// above, keeping the stack of open elements and the text of the innermost
// one.
type scanner struct {
	dec     *schema.Decoder
	ns      string // namespace of the document, once its root is read
	stack   []elem
	text    []byte
	tooLong bool // the innermost element's text exceeded maxText
}

func newScanner(r io.Reader) *scanner { return &scanner{dec: schema.NewDecoder(r)} }

func (s *scanner) line() int { return s.dec.Line() }

// path returns the open elements as /Document/BkToCstmrStmt/…, "*" for an
// element of another namespace.
func (s *scanner) path() string { return schema.OpenPath(s.stack) }

// rel returns the names of the open elements below the first depth ones,
// joined by '/': "Ntry/NtryDtls/TxDtls/Refs/EndToEndId" below a Stmt at
// depth 3. ok is false when one of them is of another namespace.
func (s *scanner) rel(depth int) (string, bool) {
	if len(s.stack) <= depth {
		return "", true
	}
	var b strings.Builder
	for i, e := range s.stack[depth:] {
		if e.Name == "" {
			return "", false
		}
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(e.Name)
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
	if err == io.EOF && s.dec.ReadErr() == nil {
		return nil, io.EOF // encoding/xml reports unclosed elements itself
	}
	if err != nil {
		return nil, s.fail(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if schema.TooDeep(len(s.stack)) {
			return nil, &Error{Line: s.line(), Path: s.path(), Err: schema.ErrTooDeep}
		}
		s.stack = append(s.stack, schema.NewOpen(t, s.ns, s.line()))
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
	if rerr := s.dec.ReadErr(); rerr != nil {
		return fmt.Errorf("camt053: reading line %d: %w", s.line(), rerr)
	}
	if errors.Is(err, schema.ErrTooLarge) {
		return &Error{Line: s.line(), Path: s.path(), Err: err}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Line: se.Line, Path: s.path(), Err: fmt.Errorf("%w: %s", ErrMalformed, se.Msg)}
	}
	return &Error{Line: s.line(), Path: s.path(), Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
}

// errorf makes an error at the element being closed.
func (s *scanner) errorf(kind error, format string, args ...any) *Error {
	return &Error{Line: s.top().Line, Path: s.path(), Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}
