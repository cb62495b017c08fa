package accounting

import (
	"strings"
	"time"
)

// LabelFields are what a label template can use: {JJ} {MM} {AA} {AAAA}
// the entry date (and the literal forms JJ/MM/AAAA and JJ/MM/AA, as seed
// 004 writes them), {doc}, {customer}, {name}, {ref} the remittance,
// {reason}, {journal}.
type LabelFields struct {
	Date                     time.Time
	Doc, Customer, Name, Ref string
	Reason, Journal          string
}

// labelKeys are the placeholders of a label template, in the order
// ParseLabel tries them at each position (the first that matches wins, as
// with strings.NewReplacer: "JJ/MM/AAAA" before "JJ/MM/AA").
var labelKeys = [...]string{"JJ/MM/AAAA", "JJ/MM/AA", "{JJ}", "{MM}", "{AAAA}", "{AA}",
	"{doc}", "{customer}", "{name}", "{ref}", "{reason}", "{journal}"}

// Indexes in labelKeys of the placeholders that differ from item to item
// of a collection écriture.
const (
	keyDoc      = 6
	keyCustomer = 7
	keyName     = 8
)

// An ItemField is a placeholder whose value differs from item to item of
// a collection écriture: the item's document, the debtor's code or name.
type ItemField string

// The item fields.
const (
	FieldDoc      ItemField = "doc"
	FieldCustomer ItemField = "customer"
	FieldName     ItemField = "name"
)

func itemField(k int) ItemField {
	switch k {
	case keyDoc:
		return FieldDoc
	case keyCustomer:
		return FieldCustomer
	case keyName:
		return FieldName
	}
	return ""
}

// labelToken is a run of literal text (key < 0) or a placeholder.
type labelToken struct {
	key int
	lit string
}

// A Label is a parsed label template.
type Label []labelToken

// ParseLabel splits a label template into literal runs and placeholders,
// scanning left to right without overlapping matches, the way
// strings.NewReplacer(placeholders...) would replace them.
func ParseLabel(tpl string) Label {
	var toks Label
	last := 0
	for i := 0; i < len(tpl); {
		k := -1
		if c := tpl[i]; c == '{' || c == 'J' {
			for j, key := range labelKeys {
				if strings.HasPrefix(tpl[i:], key) {
					k = j
					break
				}
			}
		}
		if k < 0 {
			i++
			continue
		}
		if last < i {
			toks = append(toks, labelToken{key: -1, lit: tpl[last:i]})
		}
		toks = append(toks, labelToken{key: k})
		i += len(labelKeys[k])
		last = i
	}
	if last < len(tpl) {
		toks = append(toks, labelToken{key: -1, lit: tpl[last:]})
	}
	return toks
}

// value is what placeholder k stands for.
func (f *LabelFields) value(k int) string {
	switch k {
	case 0:
		return f.Date.Format("02/01/2006")
	case 1:
		return f.Date.Format("02/01/06")
	case 2:
		return f.Date.Format("02")
	case 3:
		return f.Date.Format("01")
	case 4:
		return f.Date.Format("2006")
	case 5:
		return f.Date.Format("06")
	case keyDoc:
		return f.Doc
	case keyCustomer:
		return f.Customer
	case keyName:
		return f.Name
	case 9:
		return f.Ref
	case 10:
		return f.Reason
	case 11:
		return f.Journal
	}
	return ""
}

// Expand fills the label, surrounding white space trimmed.
func (l Label) Expand(f LabelFields) string {
	var b strings.Builder
	for _, t := range l {
		if t.key < 0 {
			b.WriteString(t.lit)
		} else {
			b.WriteString(f.value(t.key))
		}
	}
	return strings.TrimSpace(b.String())
}

// ExpandLabel parses and fills a label template.
func ExpandLabel(tpl string, f LabelFields) string { return ParseLabel(tpl).Expand(f) }

// An ItemLabel is a label whose fields shared by the lines of an écriture
// are filled in: Runs[0] Fields[0] Runs[1] … Fields[n-1] Runs[n], the
// fields being each item's. Without item fields it is Runs[0], trimmed.
type ItemLabel struct {
	Runs   []string
	Fields []ItemField
}

// ForItems fills the label but for its item fields (f's Doc, Customer and
// Name are not used).
func (l Label) ForItems(f LabelFields) ItemLabel {
	var il ItemLabel
	var b strings.Builder
	for _, t := range l {
		switch {
		case itemField(t.key) != "":
			il.Runs = append(il.Runs, b.String())
			il.Fields = append(il.Fields, itemField(t.key))
			b.Reset()
		case t.key < 0:
			b.WriteString(t.lit)
		default:
			b.WriteString(f.value(t.key))
		}
	}
	if len(il.Fields) == 0 {
		il.Runs = []string{strings.TrimSpace(b.String())}
		return il
	}
	il.Runs = append(il.Runs, b.String())
	return il
}

// Expand fills the item fields, surrounding white space trimmed: the same
// text as the label's Expand with every field.
func (il ItemLabel) Expand(doc, customer, name string) string {
	if len(il.Fields) == 0 {
		return il.Runs[0]
	}
	var b strings.Builder
	for i, f := range il.Fields {
		b.WriteString(il.Runs[i])
		switch f {
		case FieldDoc:
			b.WriteString(doc)
		case FieldCustomer:
			b.WriteString(customer)
		case FieldName:
			b.WriteString(name)
		}
	}
	b.WriteString(il.Runs[len(il.Fields)])
	return strings.TrimSpace(b.String())
}

// DocOnly is the label with its customer and name fields empty (a
// reversal's lines have no customer): its other fields are all FieldDoc,
// and its runs are joined where a field emptied parted them. Its Expand
// gives the same text as il's with no customer and no name.
func (il ItemLabel) DocOnly() ItemLabel {
	if len(il.Fields) == 0 {
		return il
	}
	out := ItemLabel{Runs: []string{il.Runs[0]}}
	for i, f := range il.Fields {
		if f == FieldDoc {
			out.Fields = append(out.Fields, f)
			out.Runs = append(out.Runs, il.Runs[i+1])
			continue
		}
		out.Runs[len(out.Runs)-1] += il.Runs[i+1]
	}
	if len(out.Fields) == 0 {
		out.Runs[0] = strings.TrimSpace(out.Runs[0])
	}
	return out
}
