package sdd

import (
	"fmt"
	"runtime"
	"slices"
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

// TestNationalRefsMemory: a run of documents carried as they are keeps 8
// bytes a debit, its hash, not the strings nor a map entry (sdd --cfonb of
// 1,000,000 debits peaked at 240 MB with the strings, 108 MB with a map of
// hashes, against 58 MB without --cfonb).
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
	if perDebit > 10 {
		t.Errorf("%.1f bytes a debit held for the national references; want at most 10", perDebit)
	}
	runtime.KeepAlive(&n)
}

// TestHashSet: a hash is found whether it is among the latest or in a run,
// merged or not, and one never added is not.
func TestHashSet(t *testing.T) {
	const n = 3*hashSetRun + hashSetTail + 7 // full runs, a merged one, the tail
	hash := func(i uint64) uint64 { return i * 0x9E3779B97F4A7C15 }
	var s hashSet
	for i := range uint64(n) {
		if i%61 == 0 && s.has(hash(i)) {
			t.Fatalf("%d: found before it was added", i)
		}
		s.add(hash(i))
	}
	for i := range uint64(n) {
		if !s.has(hash(i)) {
			t.Fatalf("%d: not found", i)
		}
	}
	if s.has(hash(n)) || s.has(hash(n+1)) {
		t.Error("found a hash never added")
	}
	for _, run := range s.runs {
		if len(run) > hashSetRun || !slices.IsSorted(run) {
			t.Fatalf("a run of %d hashes, sorted %v", len(run), slices.IsSorted(run))
		}
	}
}
