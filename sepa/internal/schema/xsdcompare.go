package schema

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
)

// CompareXSD checks a hand-written model against the official schema it
// transcribes, element by element and facet by facet, and that it reaches
// every type the schema defines, so that no optional corner is left out. It
// returns one line per difference (none when they agree) and how many
// types were compared. Tests call it with the XSD file, which remit never
// needs at run time.
func CompareXSD(doc *Type, xsd []byte) (diffs []string, types int, err error) {
	var x xsdSchema
	if err := xml.Unmarshal(xsd, &x); err != nil {
		return nil, 0, err
	}
	c := &comparer{complex: map[string]*xsdComplex{}, simple: map[string]*xsdSimple{}, seen: map[string]*Type{}}
	for i := range x.Complex {
		c.complex[x.Complex[i].Name] = &x.Complex[i]
	}
	for i := range x.Simple {
		c.simple[x.Simple[i].Name] = &x.Simple[i]
	}
	c.compare("/Document", doc, "Document")
	for name := range c.complex {
		if c.seen[name] == nil {
			c.errorf("complex type %s is not in the model", name)
		}
	}
	for name := range c.simple {
		if c.seen[name] == nil {
			c.errorf("simple type %s is not in the model", name)
		}
	}
	slices.Sort(c.diffs)
	return c.diffs, len(c.complex) + len(c.simple), nil
}

type xsdSchema struct {
	Complex []xsdComplex `xml:"complexType"`
	Simple  []xsdSimple  `xml:"simpleType"`
}

type xsdComplex struct {
	Name          string    `xml:"name,attr"`
	Sequence      *xsdGroup `xml:"sequence"`
	Choice        *xsdGroup `xml:"choice"`
	SimpleContent *struct {
		Extension struct {
			Base  string `xml:"base,attr"`
			Attrs []struct {
				Name string `xml:"name,attr"`
				Type string `xml:"type,attr"`
				Use  string `xml:"use,attr"`
			} `xml:"attribute"`
		} `xml:"extension"`
	} `xml:"simpleContent"`
}

type xsdGroup struct {
	Elements []xsdElement `xml:"element"`
	Choice   *xsdGroup    `xml:"choice"`
	Any      *struct{}    `xml:"any"`
}

type xsdElement struct {
	Name      string `xml:"name,attr"`
	Type      string `xml:"type,attr"`
	MinOccurs string `xml:"minOccurs,attr"`
	MaxOccurs string `xml:"maxOccurs,attr"`
}

type xsdValue struct {
	Value string `xml:"value,attr"`
}

type xsdSimple struct {
	Name        string `xml:"name,attr"`
	Restriction struct {
		Base           string     `xml:"base,attr"`
		MinLength      *xsdValue  `xml:"minLength"`
		MaxLength      *xsdValue  `xml:"maxLength"`
		Pattern        *xsdValue  `xml:"pattern"`
		Enumeration    []xsdValue `xml:"enumeration"`
		TotalDigits    *xsdValue  `xml:"totalDigits"`
		FractionDigits *xsdValue  `xml:"fractionDigits"`
		MinInclusive   *xsdValue  `xml:"minInclusive"`
	} `xml:"restriction"`
}

type comparer struct {
	complex map[string]*xsdComplex
	simple  map[string]*xsdSimple
	seen    map[string]*Type
	diffs   []string
}

func (c *comparer) errorf(format string, args ...any) {
	c.diffs = append(c.diffs, fmt.Sprintf(format, args...))
}

func (c *comparer) compare(path string, m *Type, xsdType string) {
	if m.name != xsdType {
		c.errorf("%s: model type %s, schema type %s", path, m.name, xsdType)
		return
	}
	if c.seen[xsdType] == m {
		return // shared type, compared already; another model object with the same name is compared again
	}
	c.seen[xsdType] = m
	if s, ok := c.simple[xsdType]; ok {
		c.compareSimple(path, m, s)
		return
	}
	x, ok := c.complex[xsdType]
	if !ok {
		c.errorf("%s: type %s not in the schema", path, xsdType)
		return
	}
	if x.SimpleContent != nil {
		ext := x.SimpleContent.Extension
		if m.content != simple {
			c.errorf("%s: %s has simple content in the schema", path, xsdType)
			return
		}
		c.seen[ext.Base] = m
		c.compareSimple(path, m, c.simple[ext.Base])
		if len(ext.Attrs) != len(m.attrs) {
			c.errorf("%s: %d attributes in the schema, %d in the model", path, len(ext.Attrs), len(m.attrs))
			return
		}
		for i, a := range ext.Attrs {
			ma := m.attrs[i]
			if ma.name != a.Name || ma.required != (a.Use == "required") {
				c.errorf("%s/@%s: model %+v", path, a.Name, ma)
			}
			c.compareSimple(path+"/@"+a.Name, &Type{name: a.Type, facets: ma.facets}, c.simple[a.Type])
		}
		return
	}
	group, kind := x.Sequence, sequence
	if x.Choice != nil {
		group, kind = x.Choice, choice
	}
	if group != nil && group.Choice != nil && len(group.Elements) == 0 {
		group, kind = group.Choice, choice // 2009 style: a choice wrapped in a sequence
	}
	if group != nil && group.Any != nil {
		if m.content != wildcard {
			c.errorf("%s: %s is a wildcard in the schema", path, xsdType)
		}
		return
	}
	if group == nil {
		c.errorf("%s: %s has no content model in the schema", path, xsdType)
		return
	}
	if m.content != kind {
		c.errorf("%s: %s content kind %d in the model, %d in the schema", path, xsdType, m.content, kind)
		return
	}
	if len(group.Elements) != len(m.elems) {
		c.errorf("%s: %s has %d elements in the schema, %d in the model", path, xsdType, len(group.Elements), len(m.elems))
	}
	for i, xe := range group.Elements {
		if i >= len(m.elems) {
			break
		}
		me := m.elems[i]
		lo, hi := occurs(xe.MinOccurs), occurs(xe.MaxOccurs)
		if me.name != xe.Name || me.min != lo || me.max != hi {
			c.errorf("%s: element %d is %s[%d..%d] in the schema, %s[%d..%d] in the model", path, i, xe.Name, lo, hi, me.name, me.min, me.max)
			continue
		}
		c.compare(path+"/"+xe.Name, me.typ, xe.Type)
	}
}

// occurs reads minOccurs or maxOccurs (1 when absent).
func occurs(s string) int {
	switch s {
	case "":
		return 1
	case "unbounded":
		return Unbounded
	}
	n, _ := strconv.Atoi(s)
	return n
}

func (c *comparer) compareSimple(path string, m *Type, x *xsdSimple) {
	if x == nil || m.facets == nil {
		c.errorf("%s: simple type %s missing", path, m.name)
		return
	}
	f, r := m.facets, x.Restriction
	base := map[string]Base{"xs:string": String, "xs:decimal": Decimal, "xs:date": Date, "xs:dateTime": DateTime, "xs:boolean": Boolean}
	b, ok := base[r.Base]
	if !ok || b != f.base {
		c.errorf("%s: %s base %s, model %d", path, x.Name, r.Base, f.base)
	}
	num := func(v *xsdValue, unset int) int {
		if v == nil {
			return unset
		}
		n, _ := strconv.Atoi(v.Value)
		return n
	}
	var enum []string
	for _, e := range r.Enumeration {
		enum = append(enum, e.Value)
	}
	pattern := ""
	if r.Pattern != nil {
		pattern = r.Pattern.Value
	}
	got := fmt.Sprint(f.minLen, f.maxLen, f.patternText, f.totalDigits, f.fracDigits, f.minZero)
	want := fmt.Sprint(num(r.MinLength, 0), num(r.MaxLength, 0), pattern, num(r.TotalDigits, 0), num(r.FractionDigits, -1), r.MinInclusive != nil && r.MinInclusive.Value == "0")
	if got != want || !slices.Equal(enum, f.enum) {
		c.errorf("%s: %s facets: model %s %v, schema %s %v", path, x.Name, got, f.enum, want, enum)
	}
}
