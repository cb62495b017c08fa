package schema

import (
	"strings"
	"testing"
)

// toy is a small model exercising every kind of content: a sequence with a
// repeating element, a choice, a simple type with an attribute, a wildcard.
var toy = func() *Message {
	amount := WithAttr("Amount", DecimalType("Amount_SimpleType", 18, 5, true), "Ccy", Pattern("Ccy", `[A-Z]{3}`), true)
	item := Seq("Item", One("Id", Text("Max5Text", 5)), Opt("Amt", amount), Many("Note", Text("Max10Text", 10), 0, 2))
	kind := Choice("KindChoice", One("Cd", Enum("KindCode", "A", "B")), One("Prtry", Text("Max5Text", 5)))
	body := Seq("Body", One("Date", Builtin("ISODate", Date)), Opt("Kind", kind), Many("Item", item, 1, Unbounded),
		Opt("Extra", Seq("Extra", One("Envlp", Any("Envelope")))))
	return &Message{Family: "toy", Documents: map[string]*Type{"urn:toy:1": Seq("Document", One("Body", body))},
		Unknown: func(ns string) string { return "namespace " + ns + ": only toy 1" }}
}()

// recorder is Rules that writes down what it is shown.
type recorder struct{ log []string }

func (r *recorder) Start(c *Cursor) { r.log = append(r.log, "start "+c.Path()) }
func (r *recorder) End(c *Cursor)   { r.log = append(r.log, "end "+c.Name()) }
func (r *recorder) Value(c *Cursor, v string, valid bool) {
	r.log = append(r.log, "value "+c.Name()+"="+v+"@"+c.Ancestor(1)+" "+c.Attr()+map[bool]string{true: "", false: " invalid"}[valid])
	if c.Name() == "Note" && v == "flag" {
		c.Problem(ProblemRule, "flagged")
	}
}
func (r *recorder) Finish(c *Cursor) { r.log = append(r.log, "finish") }

func TestValidate(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // problems, as "line: path: message" substrings, in order
		warnings  int
	}{
		{"valid", `<Document xmlns="urn:toy:1"><Body><Date>2026-12-02</Date><Kind><Cd>A</Cd></Kind>
<Item><Id>X1</Id><Amt Ccy="EUR">1.50</Amt><Note>a</Note><Note>b</Note></Item><Item><Id>X2</Id></Item>
<Extra><Envlp><anything xmlns="urn:other">x</anything></Envlp></Extra></Body></Document>`, nil, 0},
		{"prefixed, with a BOM", "\ufeff" + `<t:Document xmlns:t="urn:toy:1"><t:Body><t:Date>2026-12-02</t:Date><t:Item><t:Id>X</t:Id></t:Item></t:Body></t:Document>`, nil, 1},
		{"order, cardinality, facets", `<Document xmlns="urn:toy:1"><Body><Item><Id>TOOLONG</Id><Note>a</Note><Note>b</Note><Note>c</Note></Item>
<Date>2026-02-30</Date><Kind><Cd>C</Cd><Prtry>x</Prtry></Kind><Foo/></Body></Document>`, []string{
			"line 1, /Document/Body/Item: missing mandatory element Date before Item",
			"line 1, /Document/Body/Item[1]/Id: value \"TOOLONG\" has 7 characters; Max5Text allows at most 5",
			"line 1, /Document/Body/Item[1]/Note: element not expected here (after Note): Note occurs at most 2 times",
			"line 2, /Document/Body/Date: element not expected here (after Item)",
			"line 2, /Document/Body/Date: value \"2026-02-30\" is not a valid date",
			"line 2, /Document/Body/Kind: element not expected here (after Item)",
			"line 2, /Document/Body/Kind/Cd: value \"C\" is not one of A, B (KindCode)",
			"line 2, /Document/Body/Kind/Prtry: element not expected here (after Cd): Kind is a choice of one of Cd, Prtry",
			"line 2, /Document/Body/Foo: unknown element Foo in Body; expected one of Item, Extra",
		}, 0},
		{"attributes and amounts", `<Document xmlns="urn:toy:1"><Body><Date>2026-12-02</Date><Item><Id>X</Id><Amt Cur="EUR">-1</Amt><Note>flag</Note></Item></Body></Document>`, []string{
			"/Document/Body/Item[1]/Amt: attribute Cur not allowed on Amt",
			"/Document/Body/Item[1]/Amt: attribute Ccy missing on Amt",
			"/Document/Body/Item[1]/Amt: value \"-1\" is negative",
			"/Document/Body/Item[1]/Note[1]: flagged",
		}, 0},
		{"unknown namespace", `<Document xmlns="urn:toy:2"><Body/></Document>`, []string{`namespace urn:toy:2: only toy 1`}, 0},
		{"not well-formed", `<Document xmlns="urn:toy:1"><Body></Document>`, []string{"not well-formed XML: element Body closed by Document"}, 0},
		{"empty", ``, []string{"no Document element"}, 0},
	}
	for _, tt := range tests {
		rep, err := Validate(strings.NewReader(tt.doc), toy, &recorder{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range rep.Problems {
			got = append(got, p.String())
		}
		if len(got) != len(tt.want) || len(rep.Warnings) != tt.warnings {
			t.Errorf("%s: problems:\n%s\nwarnings %v", tt.name, strings.Join(got, "\n"), rep.Warnings)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: problem %d is %q, want %q", tt.name, i, got[i], w)
			}
		}
	}
}

// TestValidateRules: the rules see in-place complex elements open and
// close, every simple value with its attribute, and Finish once.
func TestValidateRules(t *testing.T) {
	r := &recorder{}
	doc := `<Document xmlns="urn:toy:1"><Body><Date>2026-12-02</Date><Item><Id>X</Id><Amt Ccy="EUR"> 2.5 </Amt></Item></Body></Document>`
	if _, err := Validate(strings.NewReader(doc), toy, r); err != nil {
		t.Fatal(err)
	}
	want := "start /Document/Body|value Date=2026-12-02@Body |start /Document/Body/Item[1]|value Id=X@Item |value Amt=2.5@Item EUR|end Item|end Body|end Document|finish"
	if got := strings.Join(r.log, "|"); got != want {
		t.Errorf("rules saw\n%s\nwant\n%s", got, want)
	}
}
