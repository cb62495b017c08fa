package bordereau

import (
	"iter"
	"runtime"
	"testing"
)

// heapProbe records the largest live heap seen while a document streams:
// sample collects garbage and reads the heap, so what it sees is what the
// writer holds, not what it has allocated and let go.
type heapProbe struct{ peak uint64 }

func (h *heapProbe) sample() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.peak = max(h.peak, m.HeapAlloc)
}

// probed yields seq, sampling the heap every `every` elements and at the end.
func probed[T any](seq iter.Seq[T], every int, h *heapProbe) iter.Seq[T] {
	return func(yield func(T) bool) {
		i := 0
		for v := range seq {
			if i++; i%every == 0 {
				h.sample()
			}
			if !yield(v) {
				return
			}
		}
		h.sample()
	}
}

// countingWriter discards what it is given and counts it: the output of a
// memory test must not itself grow in memory.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(b []byte) (int, error) {
	c.n += int64(len(b))
	return len(b), nil
}

// checkFlat runs write at n and at 10n elements and fails when the live
// heap grows by more than perPage bytes a page (the small record each
// page leaves until the end: its place in the cross-reference table and
// its page number) plus 1 MiB.
func checkFlat(t *testing.T, n int, write func(n int, h *heapProbe) (pages int)) {
	t.Helper()
	if testing.Short() {
		t.Skip("short mode")
	}
	const perPage = 256
	var small, large heapProbe
	write(n, &small) // warm-up: fonts, pools
	small = heapProbe{}
	write(n, &small)
	pages := write(10*n, &large)
	grown := int64(large.peak) - int64(small.peak)
	t.Logf("live heap %d KiB at %d, %d KiB at %d (%d pages)", small.peak>>10, n, large.peak>>10, 10*n, pages)
	if limit := int64(pages*perPage + 1<<20); grown > limit {
		t.Errorf("live heap grew by %d KiB from %d to %d elements (limit %d KiB): memory is not flat",
			grown>>10, n, 10*n, limit>>10)
	}
}
