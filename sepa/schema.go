package sepa

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file holds the small schema language the validator runs on: complex
// types are flat sequences or choices of element declarations (name, type,
// minOccurs, maxOccurs), simple types are a built-in base plus XSD facets.
// That is all the pain.008 schemas use: no nested groups, no substitution,
// no mixed content, one xs:any (SupplementaryData/Envlp). The models
// themselves are written by hand in schema_pain008.go.

// schemaUnbounded is maxOccurs="unbounded".
const schemaUnbounded = int(^uint(0) >> 1)

// schemaBase is the XSD built-in type a simple type restricts.
type schemaBase uint8

const (
	schemaString schemaBase = iota
	schemaDecimal
	schemaDate
	schemaDateTime
	schemaBoolean
)

// schemaContent says what a complex type contains.
type schemaContent uint8

const (
	schemaSequence schemaContent = iota // elements in order, each within its min/max
	schemaChoice                        // exactly one of the elements
	schemaSimple                        // text only (a simple type, possibly with attributes)
	schemaAny                           // one element of any namespace, not validated (lax)
)

// schemaType is an element's type: a complex type, or a simple type wrapped
// so that every element declaration points to the same kind of thing.
type schemaType struct {
	name    string
	content schemaContent
	elems   []schemaElem  // schemaSequence, schemaChoice
	facets  *schemaFacets // schemaSimple
	attrs   []schemaAttr  // schemaSimple only (Ccy on amounts)
}

// schemaElem is an element declaration inside a complex type.
type schemaElem struct {
	name     string
	typ      *schemaType
	min, max int
}

// schemaAttr is an attribute declaration.
type schemaAttr struct {
	name     string
	facets   *schemaFacets
	required bool
}

// schemaFacets is a simple type: its base and the facets the pain.008
// schemas use. Zero values mean "no such facet" except fracDigits, where
// -1 means unset (fractionDigits="0" is used by Number).
type schemaFacets struct {
	base        schemaBase
	minLen      int // characters, not bytes
	maxLen      int // 0: unset
	pattern     *regexp.Regexp
	patternText string // as written in the schema, for messages
	enum        []string
	totalDigits int // 0: unset
	fracDigits  int // -1: unset
	minZero     bool
}

// The constructors below are the DSL; schemaPain008 aliases them to short
// local names so that the model reads like the message definition.

func schemaSeq(name string, elems ...schemaElem) *schemaType {
	return &schemaType{name: name, content: schemaSequence, elems: elems}
}

func schemaChoiceOf(name string, elems ...schemaElem) *schemaType {
	return &schemaType{name: name, content: schemaChoice, elems: elems}
}

func schemaAnyElement(name string) *schemaType {
	return &schemaType{name: name, content: schemaAny}
}

// schemaOne declares a mandatory, non-repeating element.
func schemaOne(name string, t *schemaType) schemaElem { return schemaElem{name, t, 1, 1} }

// schemaOpt declares an optional, non-repeating element.
func schemaOpt(name string, t *schemaType) schemaElem { return schemaElem{name, t, 0, 1} }

// schemaMany declares an element with explicit occurrence bounds.
func schemaMany(name string, t *schemaType, lo, hi int) schemaElem {
	return schemaElem{name, t, lo, hi}
}

func schemaSimpleType(name string, f *schemaFacets) *schemaType {
	return &schemaType{name: name, content: schemaSimple, facets: f}
}

// schemaText is MaxNText: 1 to n characters.
func schemaText(name string, n int) *schemaType {
	return schemaSimpleType(name, &schemaFacets{minLen: 1, maxLen: n, fracDigits: -1})
}

// schemaCode is an ISO external code: free text of minLen to maxLen characters
// whose values are listed outside the schema.
func schemaCode(name string, minLen, maxLen int) *schemaType {
	return schemaSimpleType(name, &schemaFacets{minLen: minLen, maxLen: maxLen, fracDigits: -1})
}

// schemaPattern is a string restricted by an XSD pattern, which matches the
// whole value (XSD patterns are implicitly anchored).
func schemaPattern(name, pattern string) *schemaType {
	return schemaSimpleType(name, &schemaFacets{
		pattern:     regexp.MustCompile(`^(?:` + pattern + `)$`),
		patternText: pattern,
		fracDigits:  -1,
	})
}

func schemaEnum(name string, values ...string) *schemaType {
	return schemaSimpleType(name, &schemaFacets{enum: values, fracDigits: -1})
}

func schemaDecimalType(name string, totalDigits, fracDigits int, minZero bool) *schemaType {
	return schemaSimpleType(name, &schemaFacets{base: schemaDecimal, totalDigits: totalDigits, fracDigits: fracDigits, minZero: minZero})
}

func schemaBuiltin(name string, base schemaBase) *schemaType {
	return schemaSimpleType(name, &schemaFacets{base: base, fracDigits: -1})
}

// schemaWithAttr returns a copy of a simple type that also carries an attribute.
func schemaWithAttr(name string, t *schemaType, attr string, f *schemaFacets, required bool) *schemaType {
	return &schemaType{name: name, content: schemaSimple, facets: t.facets,
		attrs: []schemaAttr{{name: attr, facets: f, required: required}}}
}

// elem returns the declaration of a child named name, and its position.
func (t *schemaType) elem(name string) (int, *schemaElem) {
	for i := range t.elems {
		if t.elems[i].name == name {
			return i, &t.elems[i]
		}
	}
	return -1, nil
}

// names lists the element names of t.elems[from:], for messages.
func (t *schemaType) names(from int) string {
	var b strings.Builder
	for i := from; i < len(t.elems); i++ {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.elems[i].name)
	}
	return b.String()
}

// check validates a text value against the facets and returns a problem
// message, or "" when the value is valid. typeName names the type in messages.
func (f *schemaFacets) check(value, typeName string) string {
	switch f.base {
	case schemaDecimal:
		return f.checkDecimal(value, typeName)
	case schemaDate:
		if !schemaValidDate(value) {
			return fmt.Sprintf("value %s is not a valid date (YYYY-MM-DD)", schemaQuote(value))
		}
		return ""
	case schemaDateTime:
		if !schemaValidDateTime(value) {
			return fmt.Sprintf("value %s is not a valid date and time (YYYY-MM-DDThh:mm:ss)", schemaQuote(value))
		}
		return ""
	case schemaBoolean:
		switch schemaTrimSpace(value) {
		case "true", "false", "1", "0":
			return ""
		}
		return fmt.Sprintf("value %s is not a boolean (true or false)", schemaQuote(value))
	}
	if f.maxLen > 0 || f.minLen > 0 {
		n := utf8.RuneCountInString(value)
		if n < f.minLen {
			if n == 0 {
				return fmt.Sprintf("empty value; %s needs at least %d character", typeName, f.minLen)
			}
			return fmt.Sprintf("value %s has %d characters; %s needs at least %d", schemaQuote(value), n, typeName, f.minLen)
		}
		if f.maxLen > 0 && n > f.maxLen {
			return fmt.Sprintf("value %s has %d characters; %s allows at most %d", schemaQuote(value), n, typeName, f.maxLen)
		}
	}
	if f.pattern != nil && !f.pattern.MatchString(value) {
		return fmt.Sprintf("value %s does not match the pattern %s of %s", schemaQuote(value), f.patternText, typeName)
	}
	if f.enum != nil {
		for _, e := range f.enum {
			if value == e {
				return ""
			}
		}
		return fmt.Sprintf("value %s is not one of %s (%s)", schemaQuote(value), strings.Join(f.enum, ", "), typeName)
	}
	return ""
}

func (f *schemaFacets) checkDecimal(value, typeName string) string {
	d, ok := schemaParseDecimal(value)
	if !ok {
		return fmt.Sprintf("value %s is not a decimal number (digits, optional '.' and fraction, no exponent)", schemaQuote(value))
	}
	if f.totalDigits > 0 && d.totalDigits() > f.totalDigits {
		return fmt.Sprintf("value %s has %d digits; %s allows at most %d", schemaQuote(value), d.totalDigits(), typeName, f.totalDigits)
	}
	if f.fracDigits >= 0 && len(d.frac) > f.fracDigits {
		return fmt.Sprintf("value %s has %d fraction digits; %s allows at most %d", schemaQuote(value), len(d.frac), typeName, f.fracDigits)
	}
	if f.minZero && d.neg && !d.isZero() {
		return fmt.Sprintf("value %s is negative", schemaQuote(value))
	}
	return ""
}

// schemaQuote quotes a value for a message, shortening very long ones.
func schemaQuote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return fmt.Sprintf("%q…", string(r[:max]))
	}
	return fmt.Sprintf("%q", s)
}

// schemaIsSpace reports XML white space (XSD whiteSpace="collapse" strips these).
func schemaIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func schemaTrimSpace(s string) string {
	for len(s) > 0 && schemaIsSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && schemaIsSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// schemaDec is an xs:decimal value: the integer digits without leading zeros
// and the fraction digits without trailing zeros, so that two lexical forms
// of the same value ("1.50", "01.5") are equal.
type schemaDec struct {
	neg  bool
	int  string
	frac string
}

func (d schemaDec) isZero() bool { return d.int == "" && d.frac == "" }

// totalDigits is the XSD totalDigits of the value (at least 1).
func (d schemaDec) totalDigits() int {
	if n := len(d.int) + len(d.frac); n > 0 {
		return n
	}
	return 1
}

// schemaMaxDecimalDigits is libxml2's limit on the digits of a decimal
// (after leading zeros), which the official tooling enforces; we follow it
// so that our verdicts match xmllint's.
const schemaMaxDecimalDigits = 24

// schemaParseDecimal parses the xs:decimal lexical form: optional sign,
// digits with an optional '.' and fraction (".5" and "5." are valid), no
// exponent, surrounding white space allowed (whiteSpace="collapse").
func schemaParseDecimal(s string) (schemaDec, bool) {
	s = schemaTrimSpace(s)
	var d schemaDec
	if s != "" && (s[0] == '+' || s[0] == '-') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	intPart, fracPart, _ := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" {
		return d, false // "", "-", "."
	}
	if !schemaAllDigits(intPart) || !schemaAllDigits(fracPart) {
		return d, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart)+len(fracPart) > schemaMaxDecimalDigits {
		return d, false
	}
	d.int = intPart
	d.frac = strings.TrimRight(fracPart, "0")
	return d, true
}

// cents converts a decimal to an integer number of hundredths. ok is false
// when the value has more than 2 significant decimals or is too large.
func (d schemaDec) cents() (c int64, ok bool) {
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

func schemaAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// schemaDigits reads exactly n digits at the start of s.
func schemaDigits(s string, n int) (int, bool) {
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

// schemaParseDateHead parses -?YYYY-MM-DD at the start of s and returns the
// rest. Like libxml2: a year has at least 4 digits, no leading zero beyond
// 4 digits, is not 0000; days are checked against the month and leap years.
func schemaParseDateHead(s string) (year, month, day int, rest string, ok bool) {
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
	year, _ = schemaDigits(s, n)
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
	month, ok1 = schemaDigits(s[1:], 2)
	day, ok2 = schemaDigits(s[4:], 2)
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 || day > schemaDaysIn(year, month) {
		return 0, 0, 0, "", false
	}
	return year, month, day, s[6:], true
}

func schemaDaysIn(year, month int) int {
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

// schemaValidZone accepts "", "Z" or ±hh:mm within ±14:00.
func schemaValidZone(s string) bool {
	switch {
	case s == "" || s == "Z":
		return true
	case len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':':
		return false
	}
	h, ok1 := schemaDigits(s[1:], 2)
	m, ok2 := schemaDigits(s[4:], 2)
	return ok1 && ok2 && h <= 23 && m <= 59 && h*60+m <= 14*60
}

// schemaValidDate checks xs:date. Unlike the XSD text, which collapses white
// space, libxml2 rejects a padded date; we do the same so that our verdicts
// match xmllint's (and a padded date is a sloppy bank file anyway).
func schemaValidDate(s string) bool {
	_, _, _, rest, ok := schemaParseDateHead(s)
	return ok && schemaValidZone(rest)
}

// schemaValidDateTime checks xs:dateTime: date, 'T', hh:mm:ss with an
// optional fraction of at least one digit, optional zone. 24:00:00 is
// accepted (end of day), like libxml2 does.
func schemaValidDateTime(s string) bool {
	_, _, _, rest, ok := schemaParseDateHead(s)
	if !ok || len(rest) < 9 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':' {
		return false
	}
	h, ok1 := schemaDigits(rest[1:], 2)
	m, ok2 := schemaDigits(rest[4:], 2)
	sec, ok3 := schemaDigits(rest[7:], 2)
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
	return schemaValidZone(rest)
}
