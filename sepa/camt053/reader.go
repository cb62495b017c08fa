package camt053

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/sepa/internal/schema"
)

// Reasons, wrapped in *Error values that say where; test them with
// errors.Is. Besides these, a statement whose balances do not add up is
// refused with statement.ErrUnbalanced.
var (
	ErrUnsupported = errors.New("unsupported document")
	ErrMalformed   = errors.New("malformed XML")
	ErrTooLarge    = schema.ErrTooLarge // beyond MaxToken or MaxDepth, as for every XML file remit reads
	ErrValue       = errors.New("invalid value")
	ErrMissing     = errors.New("missing")
	ErrCurrency    = errors.New("another currency")
)

// Error is a problem at a place in the file: the line of the element and
// its path.
//
//	line 42, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: invalid value: amount "12,50" is not a decimal number of cents
type Error struct {
	Line int
	Path string // element path, e.g. /Document/BkToCstmrStmt/Stmt/Ntry/Amt
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Path != "" {
			b.WriteString(", ")
		}
	}
	b.WriteString(e.Path)
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// MaxProblems is the number of problems kept for one statement (and by
// ReadAll for a file); the others are counted.
const MaxProblems = 1000

// namespaces are the messages the Reader reads, by namespace.
var namespaces = map[string]string{
	"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02": statement.Camt053V02,
	"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08": statement.Camt053V08,
}

// Depths of the elements the Reader knows: Document/BkToCstmrStmt/Stmt.
const (
	depthRoot    = 1
	depthMessage = 2
	depthStmt    = 3
)

// Reader reads the statements (Stmt) of a camt.053.001.02 or .001.08
// message one at a time, streaming: memory holds one statement, not the
// file. See Next.
type Reader struct {
	s       *scanner
	version string
	done    bool
	stopped bool // by a fatal error: nothing more to say
	stmts   int

	msgID   string
	created time.Time
	orphans []error // problems outside any statement

	cur *builder
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader { return &Reader{s: newScanner(r)} }

// Version returns the message's version, statement.Camt053V02 or
// Camt053V08, once the root element is read.
func (r *Reader) Version() string { return r.version }

// Next returns the next statement and its problems, io.EOF after the last
// one. A statement with problems comes with an error, an *Error or several
// joined by errors.Join (see Flatten), and must not be used; reading goes
// on. Problems outside any statement come with a nil statement. Malformed
// XML, a document that is not a camt.053.001.02 or .08, and input beyond
// the limits (MaxToken, MaxDepth) stop the reading: Next returns that
// error (with the statement it interrupted, if any), then io.EOF.
func (r *Reader) Next() (*statement.Statement, error) {
	for !r.done {
		tok, err := r.s.token()
		if err == io.EOF || err == nil && tok == nil {
			r.done = true
			break
		}
		if err != nil {
			return r.stop(err)
		}
		var done *builder
		switch t := tok.(type) {
		case xml.StartElement:
			err = r.start(t)
		case xml.EndElement:
			done, err = r.end()
			r.s.pop()
		}
		if err != nil {
			return r.stop(err)
		}
		if done != nil {
			return done.result()
		}
	}
	return r.finish()
}

// stop ends the reading on a fatal error.
func (r *Reader) stop(err error) (*statement.Statement, error) {
	r.done, r.stopped = true, true
	if errors.Is(err, io.EOF) {
		err = &Error{Line: r.s.line(), Path: r.s.path(), Err: fmt.Errorf("%w: unexpected end of file", ErrMalformed)}
	}
	if b := r.cur; b != nil {
		r.cur = nil
		b.problem(err)
		return b.result()
	}
	return nil, joinErrors(append(r.takeOrphans(), err))
}

// finish reports, at the end of the input, what was missing.
func (r *Reader) finish() (*statement.Statement, error) {
	switch {
	case r.stopped:
	case r.cur != nil: // cannot happen: encoding/xml reports unclosed elements
		b := r.cur
		r.cur = nil
		return b.result()
	case r.version == "" && r.stmts >= 0:
		r.stmts = -1
		return nil, &Error{Line: 1, Err: fmt.Errorf("%w: no XML element: the file is empty or not XML", ErrMalformed)}
	case r.stmts == 0:
		r.stmts = -1
		r.orphans = append(r.orphans, &Error{Line: r.s.line(), Err: fmt.Errorf("%w: no statement (Stmt) in the message", ErrMissing)})
	}
	if len(r.orphans) > 0 {
		return nil, joinErrors(r.takeOrphans())
	}
	return nil, io.EOF
}

func (r *Reader) takeOrphans() []error {
	errs := r.orphans
	r.orphans = nil
	return errs
}

// problem records a problem: the open statement's, or the file's.
func (r *Reader) problem(err error) {
	if r.cur != nil {
		r.cur.problem(err)
	} else if len(r.orphans) < MaxProblems {
		r.orphans = append(r.orphans, err)
	}
}

func (r *Reader) start(t xml.StartElement) error {
	s := r.s
	depth := len(s.stack)
	e := s.top()
	switch depth {
	case depthRoot:
		return r.startDocument(t, e.Line)
	case depthMessage:
		if e.Name != "BkToCstmrStmt" {
			return &Error{Line: e.Line, Path: s.path(), Err: fmt.Errorf("%w: %s where a %s message has BkToCstmrStmt", ErrUnsupported, t.Name.Local, r.version)}
		}
		return nil
	case depthStmt:
		if e.Name == "Stmt" {
			r.stmts++
			r.cur = newBuilder(r.version, e.Line)
		}
		return nil
	}
	if r.cur != nil {
		if rel, ok := s.rel(depthStmt); ok {
			r.cur.start(rel, e.Line)
		}
	}
	return nil
}

func (r *Reader) startDocument(t xml.StartElement, line int) error {
	ns := t.Name.Space
	version, ok := namespaces[ns]
	if t.Name.Local != "Document" || !ok {
		hint := ""
		switch {
		case strings.Contains(ns, "camt.054") || strings.Contains(ns, "pain.002"):
			hint = " (this is a reject or return report: read it with remit returns)"
		case strings.Contains(ns, "camt.052"):
			hint = " (this is an intraday account report, not a statement)"
		case strings.Contains(ns, "camt.053"):
			hint = " (another version of camt.053: ask the bank for .001.02 or .001.08)"
		}
		return &Error{Line: line, Path: "/" + t.Name.Local, Err: fmt.Errorf(
			"%w: %s; remit reads bank statements camt.053.001.02 and camt.053.001.08%s", ErrUnsupported, schema.RootName(t.Name.Local, ns), hint)}
	}
	r.version = version
	r.s.ns = ns
	return nil
}

// end handles the end of the innermost element; done is the statement it
// closes, if it is a Stmt.
func (r *Reader) end() (done *builder, err error) {
	s := r.s
	e := s.top()
	if e.Name == "" {
		return nil, nil
	}
	depth := len(s.stack)
	switch {
	case depth == depthRoot:
		return nil, nil
	case depth == depthStmt && e.Name == "Stmt" && r.cur != nil:
		b := r.cur
		r.cur = nil
		b.finish(r.msgID, r.created)
		return b, nil
	case depth == depthStmt+1 && s.stack[depthStmt-1].Name == "GrpHdr":
		return nil, r.header(e)
	case depth > depthStmt && r.cur != nil:
		rel, ok := s.rel(depthStmt)
		if !ok {
			return nil, nil
		}
		if err := r.cur.end(s, rel, e); err != nil {
			r.cur.problem(err)
		}
	}
	return nil, nil
}

// header reads GrpHdr/MsgId and GrpHdr/CreDtTm.
func (r *Reader) header(e elem) error {
	switch e.Name {
	case "MsgId":
		v, err := r.s.value()
		if err != nil {
			return err
		}
		r.msgID = v
	case "CreDtTm":
		v, err := r.s.value()
		if err != nil {
			return err
		}
		t, ok := parseDateTime(v)
		if !ok {
			r.problem(r.s.errorf(ErrValue, "date and time %q is not YYYY-MM-DDThh:mm:ss", v))
			return nil
		}
		r.created = t
	}
	return nil
}

// ReadAll reads a whole message and returns the statements without
// problems and every problem found (up to MaxProblems), joined; see
// Flatten. A statement with a problem is left out: the problems say which.
func ReadAll(r io.Reader) ([]statement.Statement, error) {
	rd := NewReader(r)
	var out []statement.Statement
	var errs []error
	more := 0
	for {
		st, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			for _, e := range Flatten(err) {
				var m *moreProblems
				switch {
				case errors.As(e, &m):
					more += m.n
				case len(errs) < MaxProblems:
					errs = append(errs, e)
				default:
					more++
				}
			}
			continue
		}
		out = append(out, *st)
	}
	if more > 0 {
		errs = append(errs, &moreProblems{n: more})
	}
	return out, joinErrors(errs)
}

// Flatten returns the individual errors inside err: those joined by
// errors.Join, or err itself.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// moreProblems counts the problems left out of a list.
type moreProblems struct {
	n    int
	line int // of the statement they belong to; 0 for a file
}

func (e *moreProblems) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("camt053: statement at line %d: %d more problems not listed", e.line, e.n)
	}
	return fmt.Sprintf("camt053: %d more problems not listed", e.n)
}

func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}
