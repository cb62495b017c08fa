package accounting

import (
	"strings"
	"testing"
	"time"
)

// A label replaces its placeholders exactly as strings.NewReplacer did
// (the first that matches at each position wins, "JJ/MM/AAAA" before
// "JJ/MM/AA", no overlap), trimmed; filled for items (ForItems, then each
// item's Expand), it gives the same text, and so does its DocOnly without
// customer and name.
func TestLabelExpandsAsReplacer(t *testing.T) {
	reference := func(tpl string, f LabelFields) string {
		d := f.Date
		r := strings.NewReplacer(
			"JJ/MM/AAAA", d.Format("02/01/2006"), "JJ/MM/AA", d.Format("02/01/06"),
			"{JJ}", d.Format("02"), "{MM}", d.Format("01"), "{AAAA}", d.Format("2006"), "{AA}", d.Format("06"),
			"{doc}", f.Doc, "{customer}", f.Customer, "{name}", f.Name, "{ref}", f.Ref,
			"{reason}", f.Reason, "{journal}", f.Journal)
		return strings.TrimSpace(r.Replace(tpl))
	}
	pieces := []string{"JJ/MM/AAAA", "JJ/MM/AA", "JJ/MM/A", "JJ/", "J", "{JJ}", "{MM}", "{AAAA}", "{AA}", "{AAA}", "{doc}", "{customer}",
		"{name}", "{ref}", "{reason}", "{journal}", "{", "}", "{{", " ", "x", "é", "\u00a0", "{doc", "AA}"}
	fields := []LabelFields{
		{Date: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), Doc: "F1", Customer: "411A", Name: " Dupont {doc} ", Ref: "012", Reason: "AM04", Journal: "BQ"},
		{Doc: "", Name: "\u00a0", Journal: "JJ/MM/AA"},
	}
	n := 0
	var gen func(prefix string, depth int)
	gen = func(prefix string, depth int) {
		l := ParseLabel(prefix)
		for _, f := range fields {
			want := reference(prefix, f)
			if got := l.Expand(f); got != want {
				t.Fatalf("Expand(%q) = %q, want %q", prefix, got, want)
			}
			if got := l.ForItems(f).Expand(f.Doc, f.Customer, f.Name); got != want {
				t.Fatalf("ForItems(%q).Expand = %q, want %q", prefix, got, want)
			}
			il := l.ForItems(f)
			if got, want := il.DocOnly().Expand(f.Doc, "x", "y"), il.Expand(f.Doc, "", ""); got != want {
				t.Fatalf("ForItems(%q).DocOnly().Expand = %q, want %q", prefix, got, want)
			}
			n++
		}
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			gen(prefix+p, depth-1)
		}
	}
	gen("", 3)
	if n < 10000 {
		t.Fatalf("%d templates", n)
	}
}

func TestItemLabelParts(t *testing.T) {
	f := LabelFields{Date: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), Ref: "012", Journal: "BQ"}
	for tpl, want := range map[string]ItemLabel{
		"Recettes au {JJ}/{MM} {ref}": {Runs: []string{"Recettes au 05/12 012"}},
		"  {doc} {name}  ":            {Runs: []string{"  ", " ", "  "}, Fields: []ItemField{FieldDoc, FieldName}},
		"{journal}{customer}":         {Runs: []string{"BQ", ""}, Fields: []ItemField{FieldCustomer}},
	} {
		got := ParseLabel(tpl).ForItems(f)
		if strings.Join(got.Runs, "|") != strings.Join(want.Runs, "|") || len(got.Fields) != len(want.Fields) {
			t.Errorf("%q: %+v, want %+v", tpl, got, want)
			continue
		}
		for i := range got.Fields {
			if got.Fields[i] != want.Fields[i] {
				t.Errorf("%q: %+v, want %+v", tpl, got, want)
			}
		}
	}
}
