package sepa

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestVerifyAgreesWithXMLLint mutates valid files at random (deleting,
// duplicating, moving, renaming elements, replacing values with tricky
// ones, adding attributes…) and checks that our schema verdict equals
// xmllint's on every mutant. Seeds are fixed, so failures reproduce.
func TestVerifyAgreesWithXMLLint(t *testing.T) {
	// REMIT_VERIFY_MUTANTS=n[,seed] runs a longer campaign.
	perBase, seed := 250, uint64(2026)
	if testing.Short() {
		perBase = 40
	}
	if env := os.Getenv("REMIT_VERIFY_MUTANTS"); env != "" {
		fmt.Sscanf(strings.ReplaceAll(env, ",", " "), "%d %d", &perBase, &seed)
	}
	vocabulary := verifyVocabulary()
	dir := t.TempDir()
	type mutant struct {
		path, ops string
	}
	var mutants []mutant
	bySchema := map[Version][]string{}
	for bi, base := range []string{"v08", "v02", "full08", "full02"} {
		text, v := verifyTestBase(t, base)
		rng := rand.New(rand.NewPCG(uint64(bi)+1, seed))
		for i := 0; i < perBase; i++ {
			root := verifyParseTree(t, text)
			var ops []string
			for n := 1 + rng.IntN(2); n > 0; n-- {
				ops = append(ops, verifyMutate(rng, root, vocabulary))
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-%03d.xml", base, i))
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
			verifyWriteTree(&b, root, "")
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			mutants = append(mutants, mutant{path, strings.Join(ops, "; ")})
			bySchema[v] = append(bySchema[v], path)
		}
	}
	lint, out := verifyTestLint(t, bySchema)
	disagree, rejected := 0, 0
	for _, m := range mutants {
		r := verifyTestFile(t, m.path)
		ours := r.Count(ProblemSchema) == 0
		if !lint[m.path] {
			rejected++
		}
		if ours != lint[m.path] {
			disagree++
			if disagree <= 10 {
				t.Errorf("%s (%s): we say schema-valid=%v, xmllint %v\nours:%s\nxmllint:\n%s", filepath.Base(m.path), m.ops, ours, lint[m.path], verifyProblems(r), out[m.path])
			}
		}
	}
	t.Logf("%d mutants, %d rejected by xmllint, %d disagreements", len(mutants), rejected, disagree)
}

// verifyNode is a test-only element tree, to mutate files structurally.
type verifyNode struct {
	space, name string
	attrs       []xml.Attr
	children    []*verifyNode
	text        string
}

func verifyParseTree(t *testing.T, s string) *verifyNode {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var stack []*verifyNode
	var root *verifyNode
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &verifyNode{space: tk.Name.Space, name: tk.Name.Local}
			for _, a := range tk.Attr {
				if a.Name.Space == "" && a.Name.Local != "xmlns" {
					n.attrs = append(n.attrs, a)
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil {
		t.Fatal("no root")
	}
	return root
}

func verifyWriteTree(b *strings.Builder, n *verifyNode, parentSpace string) {
	b.WriteString("<" + n.name)
	if n.space != parentSpace {
		fmt.Fprintf(b, ` xmlns="%s"`, n.space)
	}
	for _, a := range n.attrs {
		fmt.Fprintf(b, ` %s="`, a.Name.Local)
		xml.EscapeText(b, []byte(a.Value))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	if len(n.children) == 0 {
		xml.EscapeText(b, []byte(n.text))
	}
	for _, c := range n.children {
		verifyWriteTree(b, c, n.space)
	}
	b.WriteString("</" + n.name + ">")
}

func (n *verifyNode) clone() *verifyNode {
	c := *n
	c.attrs = slices.Clone(n.attrs)
	c.children = nil
	for _, ch := range n.children {
		c.children = append(c.children, ch.clone())
	}
	return &c
}

// verifyAll lists every node but the root with its parent.
func verifyAll(root *verifyNode) (nodes, parents []*verifyNode) {
	var walk func(p *verifyNode)
	walk = func(p *verifyNode) {
		for _, c := range p.children {
			nodes, parents = append(nodes, c), append(parents, p)
			walk(c)
		}
	}
	walk(root)
	return nodes, parents
}

var verifyTrickyValues = []string{
	"", " ", "0", "1", "-1", "-0", "00", "1.", ".5", ".", "1.2e+08", "12.345", "123456.789012", "40.50", " 40.50 ",
	"999999999999999999", "1234567890123456789", "0.00000000000000001", "EUR", "eur", "EURO", "FR", "fr", "F", "FRA",
	"2026-12-01", "2026-02-29", "2024-02-29", "2026-12-01Z", "2026-12-01+14:00", " 2026-12-01", "2026-12-01T10:00:00",
	"2026-12-01T24:00:00", "2026-12-01T10:00:00.5+01:00", "2026-12-01T10:00", "true", "false", "TRUE", " true ",
	"SEPA", "CORE", "B2B", "COR1", "FRST", "RCUR", "RPRE", "ALL", "OOFF", "SLEV", "DD", "TRF", "HIGH", "ADDR",
	"AGRIFRPPXXX", "AGRIFRPP", "agrifrpp", "AGRI1RPP", "1GRIFRPP", "FR7630006000011234567890189", "FR76 3000",
	"529900T8BM49AURSDO55", "+33-142685300", "+33 1", "0f8fad5b-d9cb-469f-a165-70867728950e", "12", "123", "ABCD", "AB1",
	strings.Repeat("x", 4), strings.Repeat("x", 5), strings.Repeat("x", 35), strings.Repeat("x", 36),
	strings.Repeat("y", 70), strings.Repeat("y", 71), strings.Repeat("z", 140), strings.Repeat("z", 141),
	"Caf\u00e9", "a&b<c>", "line\nbreak", "\t",
}

// verifyVocabulary is every element name of both models.
func verifyVocabulary() []string {
	seen := map[string]bool{}
	var walk func(t *schemaType)
	visited := map[*schemaType]bool{}
	walk = func(t *schemaType) {
		if visited[t] {
			return
		}
		visited[t] = true
		for _, e := range t.elems {
			seen[e.name] = true
			walk(e.typ)
		}
	}
	walk(schemaDocument(V02))
	walk(schemaDocument(V08))
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return append(names, "Foo")
}

// verifyMutate applies one random change and describes it.
func verifyMutate(rng *rand.Rand, root *verifyNode, vocabulary []string) string {
	nodes, parents := verifyAll(root)
	if len(nodes) == 0 {
		return "no-op (empty root)"
	}
	i := rng.IntN(len(nodes))
	n, p := nodes[i], parents[i]
	at := slices.Index(p.children, n)
	switch rng.IntN(10) {
	case 0:
		p.children = slices.Delete(p.children, at, at+1)
		return "delete " + n.name
	case 1:
		p.children = slices.Insert(p.children, at+1, n.clone())
		return "duplicate " + n.name
	case 2:
		if at+1 < len(p.children) {
			p.children[at], p.children[at+1] = p.children[at+1], p.children[at]
			return "swap " + n.name + " with next"
		}
		return "no-op"
	case 3:
		old := n.name
		n.name = vocabulary[rng.IntN(len(vocabulary))]
		return "rename " + old + " to " + n.name
	case 4, 5:
		leaves := []*verifyNode{}
		for _, x := range nodes {
			if len(x.children) == 0 {
				leaves = append(leaves, x)
			}
		}
		l := leaves[rng.IntN(len(leaves))]
		l.text = verifyTrickyValues[rng.IntN(len(verifyTrickyValues))]
		return fmt.Sprintf("value of %s = %q", l.name, l.text)
	case 6:
		name := vocabulary[rng.IntN(len(vocabulary))]
		c := &verifyNode{space: p.space, name: name, text: verifyTrickyValues[rng.IntN(len(verifyTrickyValues))]}
		pos := rng.IntN(len(p.children) + 1)
		p.children = slices.Insert(p.children, pos, c)
		return fmt.Sprintf("insert %s in %s at %d", name, p.name, pos)
	case 7:
		p.children = slices.Delete(p.children, at, at+1)
		pos := rng.IntN(len(p.children) + 1)
		p.children = slices.Insert(p.children, pos, n)
		return fmt.Sprintf("move %s to %d", n.name, pos)
	case 8:
		switch rng.IntN(3) {
		case 0:
			n.attrs = nil
			return "drop attributes of " + n.name
		case 1:
			n.attrs = []xml.Attr{{Name: xml.Name{Local: "Ccy"}, Value: verifyTrickyValues[rng.IntN(len(verifyTrickyValues))]}}
			return "Ccy on " + n.name
		default:
			n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Local: "Foo"}, Value: "1"})
			return "attribute Foo on " + n.name
		}
	default:
		if len(n.children) == 1 {
			p.children[at] = n.children[0]
			return "unwrap " + n.name
		}
		n.children = nil
		return "empty " + n.name
	}
}
