package sdd

import (
	"fmt"
	"runtime"
	"testing"
)

// TestNationalRefsSeen: in the 12-character zone, a cut or transliterated
// reference reads like a document carried as it is, or like another cut
// one, whichever came first; two documents carried as they are never meet
// (documents are unique among a creditor's receivables).
func TestNationalRefsSeen(t *testing.T) {
	accept := func(n *nationalRefs, doc string) {
		ref, moved := nationalReference(doc)
		if first, ok := n.seen(ref, doc); ok {
			t.Fatalf("%s: refused as %s's, though nothing reads like it", doc, first)
		}
		n.accept(ref, doc, moved)
	}
	for _, c := range []struct{ before, after, first string }{
		{"-2026-000123", "FA-2026-000123", "-2026-000123"},   // carried as it is, then cut to read as it
		{"FA-2026-000123", "-2026-000123", "FA-2026-000123"}, // cut, then a document reading as the cut one
		{"FA-2026-000123", "FB-2026-000123", "FA-2026-000123"},
		{"ÉTÉ-1", "ETE-1", "ÉTÉ-1"}, // transliterated, then the plain one
		{"ETE-1", "ÉTÉ-1", "ETE-1"},
	} {
		n := newNationalRefs()
		accept(&n, "F2026-0042")
		accept(&n, c.before)
		ref, _ := nationalReference(c.after)
		first, ok := n.seen(ref, c.after)
		if !ok || first != c.first {
			t.Errorf("%s after %s: seen = %q, %v; want %q", c.after, c.before, first, ok, c.first)
		}
	}
	n := newNationalRefs()
	for _, doc := range []string{"FA-2026-000123", "F2026-0042", "ETE-1", "A"} {
		accept(&n, doc)
	}
	if n.cut != 1 || n.example != "FA-2026-000123 → -2026-000123" {
		t.Errorf("cut = %d, example %q", n.cut, n.example)
	}
}

// TestNationalRefsMemory: a run of documents carried as they are keeps a
// hash a debit, not the strings (sdd --cfonb of 1,000,000 debits peaked at
// 240 MB, against 55 MB without --cfonb).
func TestNationalRefsMemory(t *testing.T) {
	const debits = 200_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := newNationalRefs()
	for i := range debits {
		doc := fmt.Sprintf("FA%010d", i) // as a run reads it: a string of its own
		ref, moved := nationalReference(doc)
		n.accept(ref, doc, moved)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perDebit := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / debits
	if perDebit > 24 {
		t.Errorf("%.0f bytes a debit held for the national references; want at most 24", perDebit)
	}
	runtime.KeepAlive(&n)
}
