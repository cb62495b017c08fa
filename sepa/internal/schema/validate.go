package schema

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Kind says whether a problem breaks the ISO 20022 schema (the bank rejects
// the file unread) or a rule of the SEPA rulebooks that no XSD expresses
// (the bank or the scheme rejects the file or transactions later).
type Kind uint8

const (
	ProblemSchema Kind = iota + 1
	ProblemRule
)

func (k Kind) String() string {
	switch k {
	case ProblemSchema:
		return "schema"
	case ProblemRule:
		return "rule"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Problem is one thing wrong in a file, with where it is.
type Problem struct {
	Line int    // 1-based line of the element's start tag; 0 when not tied to a line
	Path string // e.g. /Document/CstmrCdtTrfInitn/PmtInf[2]/CdtTrfTxInf[1]/Purp
	Msg  string
	Kind Kind
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d, ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// MaxProblems caps the problems a Report lists; a broken generator can
// repeat the same mistake in every one of a million transactions.
const MaxProblems = 1000

// Report is the outcome of Validate.
type Report struct {
	Namespace string // of the Document element, as found in the file
	Known     bool   // Namespace is one of the Message's
	Problems  []Problem
	// Warnings are things worth knowing that do not make the file unsound
	// (a byte order mark): OK ignores them.
	Warnings []Problem
	// Omitted counts the problems found beyond MaxProblems, which are not
	// listed: print "and N more" after the list.
	Omitted int

	omitted [3]int // by kind
}

// OK reports whether the file has no problem of any kind.
func (r *Report) OK() bool { return len(r.Problems) == 0 && r.Omitted == 0 }

// Count returns the number of problems of a kind, listed or omitted.
func (r *Report) Count(k Kind) int {
	n := 0
	for _, p := range r.Problems {
		if p.Kind == k {
			n++
		}
	}
	if int(k) < len(r.omitted) {
		n += r.omitted[k]
	}
	return n
}

// Message describes the message family a file should hold.
type Message struct {
	Family    string           // e.g. "pain.001", for messages
	Documents map[string]*Type // namespace → model of its Document element
	// Unknown, when set, says what is wrong with a namespace that is not one
	// of Documents ("" when the Document has none), e.g. to name the
	// versions expected or to point at the command that reads that file.
	Unknown func(namespace string) string
}

// Rules are the checks a message family runs in the same pass as the
// schema. The Cursor tells where the validator is; its Problem methods
// report. Start and End see complex elements that are in their place (an
// element out of order is schema-checked, but not shown to the rules);
// Value sees every simple element, with its value (white space collapsed
// for non-string types) and whether it passed the facets.
type Rules interface {
	Start(c *Cursor)
	End(c *Cursor)
	Value(c *Cursor, value string, valid bool)
	Finish(c *Cursor)
}

// Validate reads a document and checks it against the model its namespace
// selects in m (element order and cardinality, unexpected elements, value
// facets, attributes) and against rules, in one streaming pass: memory holds
// the element stack, not the document.
//
// Every problem is collected, up to MaxProblems. Malformed XML stops the
// reading and is reported as a schema problem with its line. The error is
// non-nil only when reading r fails; the partial report comes with it.
func Validate(r io.Reader, m *Message, rules Rules) (*Report, error) {
	v := &validator{report: &Report{}, src: &Source{R: r}, msg: m, rules: rules}
	v.cur.v = v
	br := bufio.NewReaderSize(v.src, 64<<10)
	if head, _ := br.Peek(len(utf8BOM)); string(head) == utf8BOM {
		br.Discard(len(utf8BOM))
		v.report.Warnings = append(v.report.Warnings, Problem{Line: 1, Kind: ProblemRule,
			Msg: "the file starts with a UTF-8 byte order mark (BOM): XML allows it and remit reads it, but a few bank portals refuse it"})
	}
	v.lim = NewLimiter(br)
	v.dec = xml.NewDecoder(v.lim)
	v.dec.CharsetReader = v.charsetReader
	err := v.run()
	if v.report.Known {
		rules.Finish(&v.cur)
	}
	sort.SliceStable(v.report.Problems, func(i, j int) bool {
		return v.report.Problems[i].Line < v.report.Problems[j].Line
	})
	return v.report, err
}

// utf8BOM is the byte order mark some Windows tools put before the XML.
const utf8BOM = "\ufeff"

// Source reads R and remembers its read error in Err, to tell it apart from
// malformed XML (encoding/xml returns both the same way).
type Source struct {
	R   io.Reader
	Err error
}

func (s *Source) Read(p []byte) (int, error) {
	n, err := s.R.Read(p)
	if err != nil && err != io.EOF {
		s.Err = err
	}
	return n, err
}

// maxText bounds the text kept for one element: the longest value the
// schemas allow is 2048 characters, at most 4 bytes each.
const maxText = 16 << 10

// frame is an open element.
type frame struct {
	name      string
	index     int // occurrence number among its repeatable siblings, 0 if it cannot repeat
	line      int
	typ       *Type
	pos       int    // position in typ.elems of the last child accepted, -1 before the first
	count     int    // occurrences of typ.elems[pos]
	last      string // last child accepted, for "after X" messages
	text      []byte // simple content
	tooLong   bool   // text exceeded maxText
	textNoted bool   // stray text in element content already reported
	misplaced bool   // this element or an ancestor is out of place: schema-checked, but not shown to Start and End
	attr      string // value of the type's declared attribute (Ccy on amounts)
}

type validator struct {
	dec    *xml.Decoder
	lim    *Limiter
	src    *Source
	report *Report
	msg    *Message
	rules  Rules
	cur    Cursor
	ns     string
	stack  []frame
	depth  int  // len of the live part of stack
	skip   int  // depth inside an unchecked subtree (unknown element, xs:any content)
	ended  bool // the Document element is closed
	stop   bool

	// The decoder runs in raw mode, which is much faster but leaves tag
	// matching and namespace resolution to us.
	open     []xml.Name // raw names of all open elements, checked or not
	bindings []binding  // namespace declarations in scope
}

// binding is a namespace declaration: prefix ("" for the default
// namespace) bound to uri on the element at depth.
type binding struct {
	prefix, uri string
	depth       int
}

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

func (v *validator) run() error {
	for !v.stop {
		tok, err := v.dec.RawToken()
		v.lim.TokenDone()
		if err == io.EOF {
			switch {
			case len(v.open) > 0:
				v.problemAt(v.line(), v.path(), ProblemSchema, fmt.Sprintf("not well-formed XML: unexpected end of file, %s not closed", v.open[len(v.open)-1].Local))
			case !v.ended && v.report.Namespace == "":
				v.problemAt(1, "", ProblemSchema, "no Document element: the file is empty or not XML")
			}
			return nil
		}
		if err != nil {
			if v.src.Err != nil {
				return fmt.Errorf("verify: %w", v.src.Err)
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				v.problemAt(se.Line, v.path(), ProblemSchema, "not well-formed XML: "+se.Msg)
			} else {
				v.problemAt(v.line(), v.path(), ProblemSchema, "cannot read the XML: "+err.Error())
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if TooDeep(len(v.open)) {
				v.problemAt(v.line(), v.path(), ProblemSchema, "cannot read the XML: "+ErrTooDeep.Error())
				return nil
			}
			if v.resolve(&t) {
				v.start(t)
			}
		case xml.EndElement:
			if v.close(t) {
				v.end()
			}
		case xml.CharData:
			v.chars(t)
		case xml.Directive:
			v.problemAt(v.line(), v.path(), ProblemRule, "a DOCTYPE or other declaration is not allowed in a bank file")
		}
	}
	return nil
}

// charsetReader accepts ISO-8859-1, which maps byte for byte to Unicode, so
// that such a file is still checked; SEPA files must be UTF-8, which is a
// problem on its own.
func (v *validator) charsetReader(charset string, input io.Reader) (io.Reader, error) {
	if IsLatin1(charset) {
		v.problemAt(1, "", ProblemRule, fmt.Sprintf("encoding %s: SEPA files must be UTF-8", charset))
		return Latin1Reader(input), nil
	}
	return nil, fmt.Errorf("encoding %q is not supported: SEPA files must be UTF-8", charset)
}

// Latin1Reader returns the UTF-8 form of an ISO-8859-1 text, which maps
// byte for byte to Unicode.
func Latin1Reader(r io.Reader) io.Reader { return &latin1Reader{r: bufio.NewReader(r)} }

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

// resolve records a raw start tag, applies its namespace declarations and
// replaces prefixes by namespace names, as Decoder.Token would.
func (v *validator) resolve(t *xml.StartElement) bool {
	depth := len(v.open)
	v.open = append(v.open, t.Name)
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			v.bindings = append(v.bindings, binding{"", a.Value, depth})
		case a.Name.Space == "xmlns":
			v.bindings = append(v.bindings, binding{a.Name.Local, a.Value, depth})
		}
	}
	ns, ok := v.lookup(t.Name.Space)
	if !ok {
		v.problemAt(v.line(), v.path()+"/"+t.Name.Local, ProblemSchema,
			fmt.Sprintf("not well-formed XML: namespace prefix %s is not declared", t.Name.Space))
		v.stop = true
		return false
	}
	t.Name.Space = ns
	for i := range t.Attr {
		a := &t.Attr[i]
		if a.Name.Space == "" || a.Name.Space == "xmlns" {
			continue
		}
		if ns, ok := v.lookup(a.Name.Space); ok {
			a.Name.Space = ns
		}
	}
	return true
}

func (v *validator) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	for i := len(v.bindings) - 1; i >= 0; i-- {
		if v.bindings[i].prefix == prefix {
			return v.bindings[i].uri, true
		}
	}
	return "", prefix == ""
}

// close checks that an end tag matches the open element and drops the
// namespace declarations that go out of scope.
func (v *validator) close(t xml.EndElement) bool {
	n := len(v.open)
	if n == 0 || v.open[n-1] != t.Name {
		msg := "not well-formed XML: unexpected end tag " + rawName(t.Name)
		if n > 0 {
			msg = fmt.Sprintf("not well-formed XML: element %s closed by %s", rawName(v.open[n-1]), rawName(t.Name))
		}
		v.problemAt(v.line(), v.path(), ProblemSchema, msg)
		v.stop = true
		return false
	}
	v.open = v.open[:n-1]
	for len(v.bindings) > 0 && v.bindings[len(v.bindings)-1].depth >= n-1 {
		v.bindings = v.bindings[:len(v.bindings)-1]
	}
	return true
}

func rawName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (v *validator) line() int {
	l, _ := v.dec.InputPos()
	return l
}

func (v *validator) top() *frame {
	if v.depth == 0 {
		return nil
	}
	return &v.stack[v.depth-1]
}

// path renders the open elements, e.g. /Document/CstmrCdtTrfInitn/PmtInf[2].
func (v *validator) path() string { return v.pathTo(v.depth) }

func (v *validator) pathTo(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		f := &v.stack[i]
		b.WriteByte('/')
		b.WriteString(f.name)
		if f.index > 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// childPath renders the path of an element about to be opened.
func (v *validator) childPath(name string) string { return v.path() + "/" + name }

func (v *validator) problemAt(line int, path string, kind Kind, msg string) {
	r := v.report
	if len(r.Problems) >= MaxProblems {
		r.Omitted++
		r.omitted[kind]++
		return
	}
	r.Problems = append(r.Problems, Problem{Line: line, Path: path, Msg: msg, Kind: kind})
}

// problem reports at the top element.
func (v *validator) problem(kind Kind, msg string) {
	f := v.top()
	v.problemAt(f.line, v.path(), kind, msg)
}

func (v *validator) push(name string, index, line int, typ *Type, misplaced bool) *frame {
	if v.depth == len(v.stack) {
		v.stack = append(v.stack, frame{})
	}
	f := &v.stack[v.depth]
	v.depth++
	*f = frame{name: name, index: index, line: line, typ: typ, pos: -1, misplaced: misplaced, text: f.text[:0]}
	return f
}

func (v *validator) start(t xml.StartElement) {
	if v.skip > 0 {
		v.skip++
		return
	}
	line := v.line()
	name := t.Name.Local
	if v.depth == 0 {
		v.startDocument(t, line)
		return
	}
	parent := v.top()
	if t.Name.Space != v.ns && parent.typ.content != wildcard {
		v.problemAt(line, v.childPath(name), ProblemSchema,
			fmt.Sprintf("element %s in namespace %q not expected: %s elements are in %q", name, t.Name.Space, v.msg.Family, v.ns))
		v.skip = 1
		return
	}
	decl, index, ok := v.accept(parent, name, line)
	if !ok {
		v.skip = 1
		return
	}
	misplaced := parent.misplaced || decl == nil
	if decl == nil {
		// Known to the parent's type but out of place: check its content
		// anyway, so that one misplaced element does not hide others.
		_, d := parent.typ.elem(name)
		decl = d
	}
	f := v.push(name, index, line, decl.typ, misplaced)
	v.attributes(f, t.Attr)
	if f.typ.content != simple && !f.misplaced {
		v.rules.Start(&v.cur)
	}
}

func (v *validator) startDocument(t xml.StartElement, line int) {
	if v.ended {
		v.problemAt(line, "/"+t.Name.Local, ProblemSchema, "not well-formed XML: content after the Document element")
		v.stop = true
		return
	}
	ns := t.Name.Space
	v.report.Namespace = ns
	if t.Name.Local != "Document" {
		v.problemAt(line, "/"+t.Name.Local, ProblemSchema,
			fmt.Sprintf("root element is %s; a %s file starts with Document", t.Name.Local, v.msg.Family))
		v.stop = true
		return
	}
	doc, known := v.msg.Documents[ns]
	if !known {
		var msg string
		if v.msg.Unknown != nil {
			msg = v.msg.Unknown(ns)
		} else {
			var expected []string
			for n := range v.msg.Documents {
				expected = append(expected, n)
			}
			sort.Strings(expected)
			msg = fmt.Sprintf("namespace %q is not one of %s", ns, strings.Join(expected, ", "))
		}
		v.problemAt(line, "/Document", ProblemSchema, msg)
		v.stop = true
		return
	}
	v.report.Known = true
	v.ns = ns
	f := v.push("Document", 0, line, doc, false)
	v.attributes(f, t.Attr)
}

// accept moves the parent's content model over a child element. It returns
// the child's declaration and occurrence index; decl is nil (with ok true)
// when the element is declared by the parent's type but not allowed at this
// point, and ok is false when the element is unknown there (or the parent
// cannot have children), in which case its subtree is skipped.
func (v *validator) accept(p *frame, name string, line int) (decl *Elem, index int, ok bool) {
	t := p.typ
	switch t.content {
	case simple:
		v.problemAt(line, v.childPath(name), ProblemSchema,
			fmt.Sprintf("element %s not expected: %s has a text value, not elements", name, p.name))
		return nil, 0, false
	case wildcard:
		p.count++
		if p.count > 1 {
			v.problemAt(line, v.childPath(name), ProblemSchema,
				fmt.Sprintf("element %s not expected: %s holds exactly one element", name, p.name))
		}
		return nil, 0, false // lax wildcard content is not checked
	case choice:
		i, d := t.elem(name)
		switch {
		case d == nil:
			v.problemAt(line, v.childPath(name), ProblemSchema,
				fmt.Sprintf("unknown element %s; expected one of %s", name, t.names(0)))
			return nil, 0, false
		case p.pos < 0:
			p.pos, p.count, p.last = i, 1, name
			return d, 0, true
		case p.pos == i && p.count < d.max:
			p.count++
			return d, p.count, true
		default:
			v.problemAt(line, v.childPath(name), ProblemSchema,
				fmt.Sprintf("element not expected here (after %s): %s is a choice of one of %s", p.last, p.name, t.names(0)))
			return nil, 0, true
		}
	}
	// Sequence: stay on the current particle while it may repeat, else look
	// ahead; every particle skipped on the way must be optional.
	if p.pos >= 0 && t.elems[p.pos].name == name {
		d := &t.elems[p.pos]
		if p.count < d.max {
			p.count++
			if d.max > 1 {
				index = p.count
			}
			return d, index, true
		}
		v.problemAt(line, v.childPath(name), ProblemSchema,
			fmt.Sprintf("element not expected here (after %s): %s occurs at most %d time%s", p.last, name, d.max, plural(d.max)))
		return nil, 0, true
	}
	from := p.pos + 1
	for j := from; j < len(t.elems); j++ {
		if t.elems[j].name != name {
			continue
		}
		var missing []string
		if p.pos >= 0 && p.count < t.elems[p.pos].min {
			missing = append(missing, t.elems[p.pos].name)
		}
		for k := from; k < j; k++ {
			if t.elems[k].min > 0 {
				missing = append(missing, t.elems[k].name)
			}
		}
		if len(missing) > 0 {
			v.problemAt(line, v.childPath(name), ProblemSchema,
				fmt.Sprintf("missing mandatory element%s %s before %s", plural(len(missing)), strings.Join(missing, ", "), name))
		}
		d := &t.elems[j]
		p.pos, p.count, p.last = j, 1, name
		if d.max > 1 {
			index = 1
		}
		return d, index, true
	}
	if i, _ := t.elem(name); i >= 0 {
		after := p.last
		if after == "" {
			after = "start of " + p.name
		}
		v.problemAt(line, v.childPath(name), ProblemSchema, fmt.Sprintf("element not expected here (after %s)", after))
		return nil, 0, true
	}
	expected := t.names(max(p.pos, 0))
	if p.pos >= 0 && p.count >= t.elems[p.pos].max {
		expected = t.names(p.pos + 1)
	}
	msg := fmt.Sprintf("unknown element %s in %s", name, p.name)
	if expected != "" {
		msg += "; expected one of " + expected
	} else {
		msg += "; no more elements expected"
	}
	v.problemAt(line, v.childPath(name), ProblemSchema, msg)
	return nil, 0, false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// attributes checks the attributes of a just-opened element: namespace
// declarations and xsi:schemaLocation are always fine, the declared ones
// are checked, anything else is a schema problem.
func (v *validator) attributes(f *frame, attrs []xml.Attr) {
	var seen uint8 // bit i: f.typ.attrs[i] present
	for _, a := range attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" &&
			(a.Name.Local == "schemaLocation" || a.Name.Local == "noNamespaceSchemaLocation") {
			continue
		}
		known := false
		if a.Name.Space == "" {
			for i, d := range f.typ.attrs {
				if d.name == a.Name.Local {
					known = true
					seen |= 1 << i
					if msg := d.facets.check(a.Value, "attribute "+d.name); msg != "" {
						v.problem(ProblemSchema, "attribute "+d.name+": "+msg)
					}
					if i == 0 {
						f.attr = a.Value
					}
				}
			}
		}
		if !known {
			name := a.Name.Local
			if a.Name.Space != "" {
				name = a.Name.Space + ":" + name
			}
			v.problem(ProblemSchema, fmt.Sprintf("attribute %s not allowed on %s", name, f.name))
		}
	}
	for i, d := range f.typ.attrs {
		if d.required && seen&(1<<i) == 0 {
			v.problem(ProblemSchema, fmt.Sprintf("attribute %s missing on %s", d.name, f.name))
		}
	}
}

func (v *validator) chars(c xml.CharData) {
	if v.skip > 0 {
		return
	}
	f := v.top()
	if f == nil {
		for _, b := range c {
			if !isSpace(b) {
				v.problemAt(v.line(), "", ProblemSchema, "not well-formed XML: text outside the Document element")
				v.stop = true
				return
			}
		}
		return
	}
	if f.typ.content == simple {
		if len(f.text)+len(c) > maxText {
			f.tooLong = true
			return
		}
		f.text = append(f.text, c...)
		return
	}
	if f.textNoted {
		return
	}
	for _, b := range c {
		if !isSpace(b) {
			f.textNoted = true
			v.problem(ProblemSchema, fmt.Sprintf("text not allowed in %s, which holds only elements", f.name))
			return
		}
	}
}

func (v *validator) end() {
	if v.skip > 0 {
		v.skip--
		return
	}
	f := v.top()
	switch f.typ.content {
	case simple:
		v.endSimple(f)
	case wildcard:
		if f.count == 0 {
			v.problem(ProblemSchema, fmt.Sprintf("missing content: %s holds exactly one element", f.name))
		}
	case choice:
		if f.pos < 0 {
			v.problem(ProblemSchema, fmt.Sprintf("missing element: %s needs one of %s", f.name, f.typ.names(0)))
		}
		if !f.misplaced {
			v.rules.End(&v.cur)
		}
	case sequence:
		var missing []string
		t := f.typ
		if f.pos >= 0 && f.count < t.elems[f.pos].min {
			missing = append(missing, t.elems[f.pos].name)
		}
		for k := f.pos + 1; k < len(t.elems); k++ {
			if t.elems[k].min > 0 {
				missing = append(missing, t.elems[k].name)
			}
		}
		if len(missing) > 0 {
			v.problem(ProblemSchema, fmt.Sprintf("missing mandatory element%s %s", plural(len(missing)), strings.Join(missing, ", ")))
		}
		if !f.misplaced {
			v.rules.End(&v.cur)
		}
	}
	v.depth--
	if v.depth == 0 {
		v.ended = true
	}
}

func (v *validator) endSimple(f *frame) {
	if f.tooLong {
		v.problem(ProblemSchema, fmt.Sprintf("value longer than %d bytes; %s allows far less", maxText, f.typ.name))
		return
	}
	raw := string(f.text)
	msg := f.typ.facets.check(raw, f.typ.name)
	value := raw
	if f.typ.facets.base != String {
		value = TrimSpace(raw) // whiteSpace="collapse": the padding is not content
	}
	if msg != "" {
		v.problem(ProblemSchema, msg)
	}
	v.rules.Value(&v.cur, value, msg == "")
}

// Cursor is the rules' view of the validator: the element being opened,
// closed or read (the "top") and its ancestors.
type Cursor struct{ v *validator }

// Name returns the top element's local name.
func (c *Cursor) Name() string { return c.v.top().name }

// Line returns the line of the top element's start tag.
func (c *Cursor) Line() int { return c.v.top().line }

// Path renders the open elements, e.g. /Document/CstmrCdtTrfInitn/PmtInf[2].
func (c *Cursor) Path() string { return c.v.path() }

// Ancestor returns the name of the k-th open element above the top (0: the
// top itself), or "".
func (c *Cursor) Ancestor(k int) string {
	if k >= c.v.depth {
		return ""
	}
	return c.v.stack[c.v.depth-1-k].name
}

// HasChildren reports whether the top element has had a child element in
// its place so far (at End: whether it holds any).
func (c *Cursor) HasChildren() bool { return c.v.top().pos >= 0 }

// Misplaced reports whether the top element, or one of its ancestors, is
// out of place in the schema.
func (c *Cursor) Misplaced() bool { return c.v.top().misplaced }

// Attr returns the value of the top element's declared attribute (Ccy on
// amounts), or "".
func (c *Cursor) Attr() string { return c.v.top().attr }

// Namespace returns the Document's namespace.
func (c *Cursor) Namespace() string { return c.v.ns }

// Problem reports a problem at the top element.
func (c *Cursor) Problem(kind Kind, msg string) { c.v.problem(kind, msg) }

// ProblemAt reports a problem at a line and path recorded earlier.
func (c *Cursor) ProblemAt(line int, path string, kind Kind, msg string) {
	c.v.problemAt(line, path, kind, msg)
}
