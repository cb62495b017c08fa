package sepa

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// The Go model is written by hand; this test reads the official XSD (outside
// the repository) only to check that the hand-written model says the same
// thing, element by element and facet by facet, and that it reaches every
// type the schema defines, so no optional corner is left out.

type schemaXSD struct {
	Complex []schemaXSDComplex `xml:"complexType"`
	Simple  []schemaXSDSimple  `xml:"simpleType"`
}

type schemaXSDComplex struct {
	Name          string          `xml:"name,attr"`
	Sequence      *schemaXSDGroup `xml:"sequence"`
	Choice        *schemaXSDGroup `xml:"choice"`
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

type schemaXSDGroup struct {
	Elements []schemaXSDElement `xml:"element"`
	Choice   *schemaXSDGroup    `xml:"choice"`
	Any      *struct{}          `xml:"any"`
}

type schemaXSDElement struct {
	Name      string `xml:"name,attr"`
	Type      string `xml:"type,attr"`
	MinOccurs string `xml:"minOccurs,attr"`
	MaxOccurs string `xml:"maxOccurs,attr"`
}

type schemaXSDValue struct {
	Value string `xml:"value,attr"`
}

type schemaXSDSimple struct {
	Name        string `xml:"name,attr"`
	Restriction struct {
		Base           string           `xml:"base,attr"`
		MinLength      *schemaXSDValue  `xml:"minLength"`
		MaxLength      *schemaXSDValue  `xml:"maxLength"`
		Pattern        *schemaXSDValue  `xml:"pattern"`
		Enumeration    []schemaXSDValue `xml:"enumeration"`
		TotalDigits    *schemaXSDValue  `xml:"totalDigits"`
		FractionDigits *schemaXSDValue  `xml:"fractionDigits"`
		MinInclusive   *schemaXSDValue  `xml:"minInclusive"`
	} `xml:"restriction"`
}

type schemaComparer struct {
	t       *testing.T
	complex map[string]*schemaXSDComplex
	simple  map[string]*schemaXSDSimple
	seen    map[string]*schemaType
}

func TestSchemaModelMatchesXSD(t *testing.T) {
	dir := verifyTestXSDDir(t)
	for _, v := range []Version{V02, V08} {
		t.Run(string(v), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, v.XSD()))
			if err != nil {
				t.Fatal(err)
			}
			var x schemaXSD
			if err := xml.Unmarshal(data, &x); err != nil {
				t.Fatal(err)
			}
			c := &schemaComparer{t: t, complex: map[string]*schemaXSDComplex{}, simple: map[string]*schemaXSDSimple{}, seen: map[string]*schemaType{}}
			for i := range x.Complex {
				c.complex[x.Complex[i].Name] = &x.Complex[i]
			}
			for i := range x.Simple {
				c.simple[x.Simple[i].Name] = &x.Simple[i]
			}
			c.compare("/Document", schemaDocument(v), "Document")
			for name := range c.complex {
				if c.seen[name] == nil {
					t.Errorf("complex type %s is not in the model", name)
				}
			}
			for name := range c.simple {
				if c.seen[name] == nil {
					t.Errorf("simple type %s is not in the model", name)
				}
			}
			t.Logf("%s: %d complex and %d simple types checked", v, len(c.complex), len(c.simple))
		})
	}
}

func (c *schemaComparer) compare(path string, m *schemaType, xsdType string) {
	t := c.t
	if m.name != xsdType {
		t.Errorf("%s: model type %s, schema type %s", path, m.name, xsdType)
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
		t.Errorf("%s: type %s not in the schema", path, xsdType)
		return
	}
	if x.SimpleContent != nil {
		ext := x.SimpleContent.Extension
		if m.content != schemaSimple {
			t.Errorf("%s: %s has simple content in the schema", path, xsdType)
			return
		}
		c.seen[ext.Base] = m
		c.compareSimple(path, m, c.simple[ext.Base])
		if len(ext.Attrs) != len(m.attrs) {
			t.Errorf("%s: %d attributes in the schema, %d in the model", path, len(ext.Attrs), len(m.attrs))
			return
		}
		for i, a := range ext.Attrs {
			ma := m.attrs[i]
			if ma.name != a.Name || ma.required != (a.Use == "required") {
				t.Errorf("%s/@%s: model %+v", path, a.Name, ma)
			}
			c.compareSimple(path+"/@"+a.Name, &schemaType{name: a.Type, facets: ma.facets}, c.simple[a.Type])
		}
		return
	}
	group, kind := x.Sequence, schemaSequence
	if x.Choice != nil {
		group, kind = x.Choice, schemaChoice
	}
	if group != nil && group.Choice != nil && len(group.Elements) == 0 {
		group, kind = group.Choice, schemaChoice // 2009 style: a choice wrapped in a sequence
	}
	if group != nil && group.Any != nil {
		if m.content != schemaAny {
			t.Errorf("%s: %s is a wildcard in the schema", path, xsdType)
		}
		return
	}
	if m.content != kind {
		t.Errorf("%s: %s content kind %d in the model, %d in the schema", path, xsdType, m.content, kind)
		return
	}
	if len(group.Elements) != len(m.elems) {
		t.Errorf("%s: %s has %d elements in the schema, %d in the model", path, xsdType, len(group.Elements), len(m.elems))
	}
	for i, xe := range group.Elements {
		if i >= len(m.elems) {
			break
		}
		me := m.elems[i]
		lo, hi := schemaOccurs(xe.MinOccurs, 1), schemaOccurs(xe.MaxOccurs, 1)
		if me.name != xe.Name || me.min != lo || me.max != hi {
			t.Errorf("%s: element %d is %s[%d..%d] in the schema, %s[%d..%d] in the model", path, i, xe.Name, lo, hi, me.name, me.min, me.max)
			continue
		}
		c.compare(path+"/"+xe.Name, me.typ, xe.Type)
	}
}

func schemaOccurs(s string, def int) int {
	switch s {
	case "":
		return def
	case "unbounded":
		return schemaUnbounded
	}
	n, _ := strconv.Atoi(s)
	return n
}

func (c *schemaComparer) compareSimple(path string, m *schemaType, x *schemaXSDSimple) {
	t := c.t
	if x == nil || m.facets == nil {
		t.Errorf("%s: simple type %s missing", path, m.name)
		return
	}
	f, r := m.facets, x.Restriction
	base := map[string]schemaBase{"xs:string": schemaString, "xs:decimal": schemaDecimal, "xs:date": schemaDate, "xs:dateTime": schemaDateTime, "xs:boolean": schemaBoolean}
	b, ok := base[r.Base]
	if !ok || b != f.base {
		t.Errorf("%s: %s base %s, model %d", path, x.Name, r.Base, f.base)
	}
	num := func(v *schemaXSDValue, unset int) int {
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
		t.Errorf("%s: %s facets: model %s %v, schema %s %v", path, x.Name, got, f.enum, want, enum)
	}
}
