package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// This file holds the small schema language the validator runs on: complex
// types are flat sequences or choices of element declarations (name, type,
// minOccurs, maxOccurs), simple types are a built-in base plus XSD facets.
// That is all the ISO 20022 payment initiation schemas use: no nested
// groups, no substitution, no mixed content, one xs:any
// (SupplementaryData/Envlp). The models themselves are written by hand, one
// per message family, in the package that owns the message, with the
// constructors below as their vocabulary.

// Unbounded is maxOccurs="unbounded".
const Unbounded = int(^uint(0) >> 1)

// Base is the XSD built-in type a simple type restricts.
type Base uint8

const (
	String Base = iota
	Decimal
	Date
	DateTime
	Boolean
)

// content says what a complex type contains.
type content uint8

const (
	sequence content = iota // elements in order, each within its min/max
	choice                  // exactly one of the elements
	simple                  // text only (a simple type, possibly with attributes)
	wildcard                // one element of any namespace, not validated (lax)
)

// Type is an element's type: a complex type, or a simple type wrapped so
// that every element declaration points to the same kind of thing.
type Type struct {
	name    string
	content content
	elems   []Elem  // sequence, choice
	facets  *facets // simple
	attrs   []attr  // simple only (Ccy on amounts)
}

// Name returns the ISO type name, e.g. "PostalAddress24".
func (t *Type) Name() string { return t.name }

// Elem is an element declaration inside a complex type.
type Elem struct {
	name     string
	typ      *Type
	min, max int
}

// attr is an attribute declaration.
type attr struct {
	name     string
	facets   *facets
	required bool
}

// facets is a simple type: its base and the facets the payment schemas
// use. Zero values mean "no such facet" except fracDigits, where -1 means
// unset (fractionDigits="0" is used by Number).
type facets struct {
	base        Base
	minLen      int // characters, not bytes
	maxLen      int // 0: unset
	pattern     *regexp.Regexp
	patternText string // as written in the schema, for messages
	enum        []string
	totalDigits int // 0: unset
	fracDigits  int // -1: unset
	minZero     bool
}

// Seq is a complex type whose elements come in order.
func Seq(name string, elems ...Elem) *Type {
	return &Type{name: name, content: sequence, elems: elems}
}

// Choice is a complex type holding exactly one of its elements.
func Choice(name string, elems ...Elem) *Type {
	return &Type{name: name, content: choice, elems: elems}
}

// Any is a complex type holding one element of any namespace, unchecked.
func Any(name string) *Type {
	return &Type{name: name, content: wildcard}
}

// One declares a mandatory, non-repeating element.
func One(name string, t *Type) Elem { return Elem{name, t, 1, 1} }

// Opt declares an optional, non-repeating element.
func Opt(name string, t *Type) Elem { return Elem{name, t, 0, 1} }

// Many declares an element with explicit occurrence bounds.
func Many(name string, t *Type, lo, hi int) Elem { return Elem{name, t, lo, hi} }

func simpleType(name string, f *facets) *Type {
	return &Type{name: name, content: simple, facets: f}
}

// Text is MaxNText: 1 to n characters.
func Text(name string, n int) *Type {
	return simpleType(name, &facets{minLen: 1, maxLen: n, fracDigits: -1})
}

// Code is an ISO external code: free text of minLen to maxLen characters
// whose values are listed outside the schema.
func Code(name string, minLen, maxLen int) *Type {
	return simpleType(name, &facets{minLen: minLen, maxLen: maxLen, fracDigits: -1})
}

// Pattern is a string restricted by an XSD pattern, which matches the whole
// value (XSD patterns are implicitly anchored).
func Pattern(name, pattern string) *Type {
	return simpleType(name, &facets{
		pattern:     regexp.MustCompile(`^(?:` + pattern + `)$`),
		patternText: pattern,
		fracDigits:  -1,
	})
}

// Enum is a code set defined in the schema.
func Enum(name string, values ...string) *Type {
	return simpleType(name, &facets{enum: values, fracDigits: -1})
}

// DecimalType is an xs:decimal with totalDigits, fractionDigits and, when
// minZero, minInclusive 0.
func DecimalType(name string, totalDigits, fracDigits int, minZero bool) *Type {
	return simpleType(name, &facets{base: Decimal, totalDigits: totalDigits, fracDigits: fracDigits, minZero: minZero})
}

// Builtin is a simple type that restricts a built-in type with no facet
// (ISODate, ISODateTime, TrueFalseIndicator…).
func Builtin(name string, base Base) *Type {
	return simpleType(name, &facets{base: base, fracDigits: -1})
}

// WithAttr returns a copy of a simple type that also carries an attribute
// whose values are those of the simple type a.
func WithAttr(name string, t *Type, attrName string, a *Type, required bool) *Type {
	return &Type{name: name, content: simple, facets: t.facets,
		attrs: []attr{{name: attrName, facets: a.facets, required: required}}}
}

// elem returns the declaration of a child named name, and its position.
func (t *Type) elem(name string) (int, *Elem) {
	for i := range t.elems {
		if t.elems[i].name == name {
			return i, &t.elems[i]
		}
	}
	return -1, nil
}

// names lists the element names of t.elems[from:], for messages.
func (t *Type) names(from int) string {
	var b strings.Builder
	for i := from; i < len(t.elems); i++ {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.elems[i].name)
	}
	return b.String()
}

// ElementNames returns the names of every element the model declares,
// below t, sorted and without repeats (for tests that mutate files).
func (t *Type) ElementNames() []string {
	seen := map[string]bool{}
	visited := map[*Type]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		if visited[t] {
			return
		}
		visited[t] = true
		for _, e := range t.elems {
			seen[e.name] = true
			walk(e.typ)
		}
	}
	walk(t)
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// check validates a text value against the facets and returns a problem
// message, or "" when the value is valid. typeName names the type in messages.
func (f *facets) check(value, typeName string) string {
	switch f.base {
	case Decimal:
		return f.checkDecimal(value, typeName)
	case Date:
		if !validDate(value) {
			return fmt.Sprintf("value %s is not a valid date (YYYY-MM-DD)", quote(value))
		}
		return ""
	case DateTime:
		if !validDateTime(value) {
			return fmt.Sprintf("value %s is not a valid date and time (YYYY-MM-DDThh:mm:ss)", quote(value))
		}
		return ""
	case Boolean:
		switch TrimSpace(value) {
		case "true", "false", "1", "0":
			return ""
		}
		return fmt.Sprintf("value %s is not a boolean (true or false)", quote(value))
	}
	if f.maxLen > 0 || f.minLen > 0 {
		n := utf8.RuneCountInString(value)
		if n < f.minLen {
			if n == 0 {
				return fmt.Sprintf("empty value; %s needs at least %d character", typeName, f.minLen)
			}
			return fmt.Sprintf("value %s has %d characters; %s needs at least %d", quote(value), n, typeName, f.minLen)
		}
		if f.maxLen > 0 && n > f.maxLen {
			return fmt.Sprintf("value %s has %d characters; %s allows at most %d", quote(value), n, typeName, f.maxLen)
		}
	}
	if f.pattern != nil && !f.pattern.MatchString(value) {
		return fmt.Sprintf("value %s does not match the pattern %s of %s", quote(value), f.patternText, typeName)
	}
	if f.enum != nil {
		for _, e := range f.enum {
			if value == e {
				return ""
			}
		}
		return fmt.Sprintf("value %s is not one of %s (%s)", quote(value), strings.Join(f.enum, ", "), typeName)
	}
	return ""
}

func (f *facets) checkDecimal(value, typeName string) string {
	d, ok := ParseDecimal(value)
	if !ok {
		return fmt.Sprintf("value %s is not a decimal number (digits, optional '.' and fraction, no exponent)", quote(value))
	}
	if f.totalDigits > 0 && d.totalDigits() > f.totalDigits {
		return fmt.Sprintf("value %s has %d digits; %s allows at most %d", quote(value), d.totalDigits(), typeName, f.totalDigits)
	}
	if f.fracDigits >= 0 && len(d.frac) > f.fracDigits {
		return fmt.Sprintf("value %s has %d fraction digits; %s allows at most %d", quote(value), len(d.frac), typeName, f.fracDigits)
	}
	if f.minZero && d.neg && !d.isZero() {
		return fmt.Sprintf("value %s is negative", quote(value))
	}
	return ""
}

// quote quotes a value for a message, shortening very long ones.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return fmt.Sprintf("%q…", string(r[:max]))
	}
	return fmt.Sprintf("%q", s)
}

// isSpace reports XML white space (XSD whiteSpace="collapse" strips these).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// TrimSpace removes XML white space at both ends.
func TrimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// Dec is an xs:decimal value: the integer digits without leading zeros and
// the fraction digits without trailing zeros, so that two lexical forms of
// the same value ("1.50", "01.5") are equal.
type Dec struct {
	neg  bool
	int  string
	frac string
}

func (d Dec) isZero() bool { return d.int == "" && d.frac == "" }

// FracDigits returns the number of significant fraction digits.
func (d Dec) FracDigits() int { return len(d.frac) }

// totalDigits is the XSD totalDigits of the value (at least 1).
func (d Dec) totalDigits() int {
	if n := len(d.int) + len(d.frac); n > 0 {
		return n
	}
	return 1
}

// maxDecimalDigits is libxml2's limit on the digits of a decimal (after
// leading zeros), which the official tooling enforces; we follow it so that
// our verdicts match xmllint's.
const maxDecimalDigits = 24

// ParseDecimal parses the xs:decimal lexical form: optional sign, digits
// with an optional '.' and fraction (".5" and "5." are valid), no exponent,
// surrounding white space allowed (whiteSpace="collapse").
func ParseDecimal(s string) (Dec, bool) {
	s = TrimSpace(s)
	var d Dec
	if s != "" && (s[0] == '+' || s[0] == '-') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	intPart, fracPart, _ := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" {
		return d, false // "", "-", "."
	}
	if !allDigits(intPart) || !allDigits(fracPart) {
		return d, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart)+len(fracPart) > maxDecimalDigits {
		return d, false
	}
	d.int = intPart
	d.frac = strings.TrimRight(fracPart, "0")
	return d, true
}

// Cents converts a decimal to an integer number of hundredths. ok is false
// when the value has more than 2 significant decimals or is too large.
func (d Dec) Cents() (c int64, ok bool) {
	if len(d.frac) > 2 || len(d.int) > 16 {
		return 0, false
	}
	for i := 0; i < len(d.int); i++ {
		c = c*10 + int64(d.int[i]-'0')
	}
	frac := d.frac + "00"[len(d.frac):]
	c = c*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if d.neg {
		c = -c
	}
	return c, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digits reads exactly n digits at the start of s.
func digits(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// parseDateHead parses -?YYYY-MM-DD at the start of s and returns the rest.
// Like libxml2: a year has at least 4 digits, no leading zero beyond 4
// digits, is not 0000; days are checked against the month and leap years.
func parseDateHead(s string) (year, month, day int, rest string, ok bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg = true
		s = s[1:]
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n < 4 || n > 9 || (n > 4 && s[0] == '0') {
		return 0, 0, 0, "", false
	}
	year, _ = digits(s, n)
	if year == 0 {
		return 0, 0, 0, "", false
	}
	if neg {
		year = -year
	}
	s = s[n:]
	if len(s) < 6 || s[0] != '-' || s[3] != '-' {
		return 0, 0, 0, "", false
	}
	var ok1, ok2 bool
	month, ok1 = digits(s[1:], 2)
	day, ok2 = digits(s[4:], 2)
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, "", false
	}
	return year, month, day, s[6:], true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if (year%4 == 0 && year%100 != 0) || year%400 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validZone accepts "", "Z" or ±hh:mm within ±14:00.
func validZone(s string) bool {
	switch {
	case s == "" || s == "Z":
		return true
	case len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':':
		return false
	}
	h, ok1 := digits(s[1:], 2)
	m, ok2 := digits(s[4:], 2)
	return ok1 && ok2 && h <= 23 && m <= 59 && h*60+m <= 14*60
}

// ParseDate reads an xs:date (YYYY-MM-DD with an optional zone, which is
// not applied).
func ParseDate(s string) (year, month, day int, ok bool) {
	year, month, day, rest, ok := parseDateHead(s)
	if !ok || !validZone(rest) {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

// validDate checks xs:date. Unlike the XSD text, which collapses white
// space, libxml2 rejects a padded date; we do the same so that our verdicts
// match xmllint's (and a padded date is a sloppy bank file anyway).
func validDate(s string) bool {
	_, _, _, rest, ok := parseDateHead(s)
	return ok && validZone(rest)
}

// validDateTime checks xs:dateTime: date, 'T', hh:mm:ss with an optional
// fraction of at least one digit, optional zone. 24:00:00 is accepted (end
// of day), like libxml2 does.
func validDateTime(s string) bool {
	_, _, _, rest, ok := parseDateHead(s)
	if !ok || len(rest) < 9 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':' {
		return false
	}
	h, ok1 := digits(rest[1:], 2)
	m, ok2 := digits(rest[4:], 2)
	sec, ok3 := digits(rest[7:], 2)
	if !ok1 || !ok2 || !ok3 || m > 59 || sec > 59 {
		return false
	}
	rest = rest[9:]
	fracZero := true
	if rest != "" && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			if rest[n] != '0' {
				fracZero = false
			}
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	if h > 23 && !(h == 24 && m == 0 && sec == 0 && fracZero) {
		return false
	}
	return validZone(rest)
}
