// Package schematest holds what the tests of the message packages (pain.001,
// pain.008) use to hold their validators against the official tooling:
// xmllint run over many files at once, and random structural mutations of
// valid files, whose verdicts must agree with xmllint's.
package schematest

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/testtool"
)

// XMLLint validates files against one schema of testtool.XSDDir with a
// single xmllint run (hundreds of files at once) and returns each file's
// verdict and xmllint's output.
func XMLLint(t testing.TB, xsd string, files ...string) (valid map[string]bool, output string) {
	t.Helper()
	bin := testtool.Tool(t, "xmllint")
	args := append([]string{"--noout", "--schema", filepath.Join(testtool.XSDDir(t), xsd)}, files...)
	out, _ := exec.Command(bin, args...).CombinedOutput()
	valid = make(map[string]bool, len(files))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasSuffix(line, " validates"):
			valid[strings.TrimSuffix(line, " validates")] = true
		case strings.HasSuffix(line, " fails to validate"):
			valid[strings.TrimSuffix(line, " fails to validate")] = false
		}
	}
	for _, f := range files {
		if _, ok := valid[f]; !ok {
			valid[f] = false // not parsed at all (xmllint prints the parser error only)
		}
	}
	return valid, string(out)
}

// Seeds adds every *.xml file of dirs to f's seed corpus; a folder that
// does not exist (the shared examples, outside the repository) adds none.
func Seeds(f *testing.F, dirs ...string) {
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
}

// Lines returns the lines of xmllint's output that name file.
func Lines(output, file string) string {
	var b strings.Builder
	for _, line := range strings.Split(output, "\n") {
		if strings.Contains(line, file) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// Node is an element tree, to mutate files structurally.
type Node struct {
	space, name string
	attrs       []xml.Attr
	children    []*Node
	text        string
}

// Parse reads a document into a tree (text of mixed content is kept only
// for leaves, which is all the payment messages have).
func Parse(t testing.TB, s string) *Node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var stack []*Node
	var root *Node
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &Node{space: tk.Name.Space, name: tk.Name.Local}
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
		t.Fatal("no root element")
	}
	return root
}

// String writes the tree back as a document.
func (n *Node) String() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	n.write(&b, "")
	return b.String()
}

func (n *Node) write(b *strings.Builder, parentSpace string) {
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
		c.write(b, n.space)
	}
	b.WriteString("</" + n.name + ">")
}

func (n *Node) clone() *Node {
	c := *n
	c.attrs = slices.Clone(n.attrs)
	c.children = nil
	for _, ch := range n.children {
		c.children = append(c.children, ch.clone())
	}
	return &c
}

// all lists every node but the root with its parent.
func (n *Node) all() (nodes, parents []*Node) {
	var walk func(p *Node)
	walk = func(p *Node) {
		for _, c := range p.children {
			nodes, parents = append(nodes, c), append(parents, p)
			walk(c)
		}
	}
	walk(n)
	return nodes, parents
}

// TrickyValues are values at the edges of the facets the payment schemas use.
var TrickyValues = []string{
	"", " ", "0", "1", "-1", "-0", "00", "1.", ".5", ".", "1.2e+08", "12.345", "123456.789012", "40.50", " 40.50 ",
	"999999999999999999", "1234567890123456789", "0.00000000000000001", "EUR", "eur", "EURO", "FR", "fr", "F", "FRA",
	"2026-12-01", "2026-02-29", "2024-02-29", "2026-12-01Z", "2026-12-01+14:00", " 2026-12-01", "2026-12-01T10:00:00",
	"2026-12-01T24:00:00", "2026-12-01T10:00:00.5+01:00", "2026-12-01T10:00", "true", "false", "TRUE", " true ",
	"SEPA", "CORE", "B2B", "COR1", "FRST", "RCUR", "RPRE", "ALL", "OOFF", "SLEV", "DD", "TRF", "CHK", "TRA", "HIGH", "ADDR",
	"AGRIFRPPXXX", "AGRIFRPP", "agrifrpp", "AGRI1RPP", "1GRIFRPP", "FR7630006000011234567890189", "FR76 3000",
	"529900T8BM49AURSDO55", "+33-142685300", "+33 1", "0f8fad5b-d9cb-469f-a165-70867728950e", "12", "123", "ABCD", "AB1",
	"CHQB", "SPOT", "MLDB", "CCHQ",
	strings.Repeat("x", 4), strings.Repeat("x", 5), strings.Repeat("x", 35), strings.Repeat("x", 36),
	strings.Repeat("y", 70), strings.Repeat("y", 71), strings.Repeat("z", 140), strings.Repeat("z", 141),
	"Caf\u00e9", "a&b<c>", "line\nbreak", "\t",
}

// Mutate applies one random change to the tree (deleting, duplicating,
// swapping, renaming, moving or emptying an element, setting a leaf to a
// tricky value, inserting an element, touching attributes) and describes it.
// vocabulary holds the element names to rename or insert with.
func Mutate(rng *rand.Rand, root *Node, vocabulary []string) string {
	nodes, parents := root.all()
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
		var leaves []*Node
		for _, x := range nodes {
			if len(x.children) == 0 {
				leaves = append(leaves, x)
			}
		}
		l := leaves[rng.IntN(len(leaves))]
		l.text = TrickyValues[rng.IntN(len(TrickyValues))]
		return fmt.Sprintf("value of %s = %q", l.name, l.text)
	case 6:
		name := vocabulary[rng.IntN(len(vocabulary))]
		c := &Node{space: p.space, name: name, text: TrickyValues[rng.IntN(len(TrickyValues))]}
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
			n.attrs = []xml.Attr{{Name: xml.Name{Local: "Ccy"}, Value: TrickyValues[rng.IntN(len(TrickyValues))]}}
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
