// Package spill holds the records of a run (its plan, its staged items) in
// bounded memory: sorted chunks written to an unlinked temporary file, read
// back merged in order. A run of a million receivables keeps 2 MB of them.
//
//	s := spill.New(byBlockThenID, 28, put, get)
//	defer s.Close()
//	s.Add(rec) ...
//	s.Each(nil, nil, func(r rec) error { ... }) // in byBlockThenID order
package spill

import (
	"bufio"
	"container/heap"
	"errors"
	"io"
	"os"
	"slices"
	"sort"
	"sync"
)

// Chunk is how many records a spill keeps in memory before it writes
// them, sorted, to its temporary file: 65,536 records of up to 32 bytes,
// 2 MB, whatever the size of the run. Tests lower it to exercise the file.
var Chunk = 1 << 16

// Spill holds the records of a run (its plan, its staged items) in bounded
// memory: every Chunk records are sorted and written to a temporary
// file, unlinked as soon as it is created so that nothing is left behind,
// even by a crash. Reading merges the sorted chunks, so records come back
// in the spill's order however many there are.
type Spill[T any] struct {
	cmp    func(a, b T) int
	size   int
	put    func(b []byte, v T)
	get    func(b []byte) T
	mem    []T
	mu     sync.Mutex // guards the sort of mem by the first Each: two may read at once (a run writes its files while it records)
	sorted bool
	f      *os.File
	runs   []spillRun
	end    int64
	n      int
}

type spillRun struct{ off, n int64 }

// New is an empty spill of records of size bytes in the order cmp gives;
// put and get write and read one record.
func New[T any](cmp func(a, b T) int, size int, put func([]byte, T), get func([]byte) T) *Spill[T] {
	return &Spill[T]{cmp: cmp, size: size, put: put, get: get}
}

// Len is how many records the spill holds.
func (s *Spill[T]) Len() int { return s.n }

// Add appends a record.
func (s *Spill[T]) Add(v T) error {
	s.mem = append(s.mem, v)
	s.sorted = false
	s.n++
	if len(s.mem) >= Chunk {
		return s.flush()
	}
	return nil
}

func (s *Spill[T]) flush() error {
	if s.f == nil {
		f, err := os.CreateTemp("", "remit-spill-*")
		if err != nil {
			return err
		}
		// Unlinked at once where the system allows it: the space comes back
		// when the file is closed or the process dies. Elsewhere close removes it.
		os.Remove(f.Name())
		s.f = f
	}
	slices.SortFunc(s.mem, s.cmp)
	buf := make([]byte, len(s.mem)*s.size)
	for i, v := range s.mem {
		s.put(buf[i*s.size:], v)
	}
	if _, err := s.f.WriteAt(buf, s.end); err != nil {
		return err
	}
	s.runs = append(s.runs, spillRun{off: s.end, n: int64(len(s.mem))})
	s.end += int64(len(buf))
	s.mem = s.mem[:0]
	return nil
}

// Close releases the temporary file.
func (s *Spill[T]) Close() {
	if s.f != nil {
		name := s.f.Name()
		s.f.Close()
		os.Remove(name) // already gone where the system allowed unlinking an open file
		s.f = nil
	}
	s.mem, s.runs, s.n, s.end = nil, nil, 0, 0
}

// Each calls fn on the records r with from <= r < to in the spill's order
// (nil bounds are open). Calls of Each may run at once on several
// goroutines, none of them at once with Add.
func (s *Spill[T]) Each(from, to *T, fn func(T) error) error {
	s.mu.Lock()
	if !s.sorted {
		slices.SortFunc(s.mem, s.cmp)
		s.sorted = true
	}
	s.mu.Unlock()
	var cs cursors[T]
	cs.cmp = s.cmp
	lo := 0
	if from != nil {
		lo = sort.Search(len(s.mem), func(i int) bool { return s.cmp(s.mem[i], *from) >= 0 })
	}
	if lo < len(s.mem) {
		cs.add(&cursor[T]{mem: s.mem[lo:]})
	}
	for _, r := range s.runs {
		i := int64(0)
		if from != nil {
			var err error
			if i, err = s.lowerBound(r, *from); err != nil {
				return err
			}
		}
		if i < r.n {
			c := &cursor[T]{r: bufio.NewReaderSize(io.NewSectionReader(s.f, r.off+i*int64(s.size), (r.n-i)*int64(s.size)), 16<<10),
				left: r.n - i, buf: make([]byte, s.size), get: s.get}
			cs.add(c)
		}
	}
	for i := 0; i < len(cs.h); {
		ok, err := cs.h[i].next()
		if err != nil {
			return err
		}
		if !ok {
			cs.h = slices.Delete(cs.h, i, i+1)
			continue
		}
		i++
	}
	heap.Init(&cs)
	for len(cs.h) > 0 {
		c := cs.h[0]
		if to != nil && s.cmp(c.v, *to) >= 0 {
			// Every cursor is sorted, and this is the smallest head: nothing further is in range.
			return nil
		}
		if err := fn(c.v); err != nil {
			return err
		}
		ok, err := c.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&cs, 0)
		} else {
			heap.Pop(&cs)
		}
	}
	return nil
}

// lowerBound is the index in run r of its first record >= v.
func (s *Spill[T]) lowerBound(r spillRun, v T) (int64, error) {
	buf := make([]byte, s.size)
	var ferr error
	i := sort.Search(int(r.n), func(i int) bool {
		if ferr != nil {
			return true
		}
		if _, err := s.f.ReadAt(buf, r.off+int64(i)*int64(s.size)); err != nil {
			ferr = err
			return true
		}
		return s.cmp(s.get(buf), v) >= 0
	})
	return int64(i), ferr
}

// cursor reads one sorted chunk, from memory or from the file.
type cursor[T any] struct {
	v    T
	mem  []T
	r    *bufio.Reader
	left int64
	buf  []byte
	get  func([]byte) T
}

func (c *cursor[T]) next() (bool, error) {
	if c.r == nil {
		if len(c.mem) == 0 {
			return false, nil
		}
		c.v, c.mem = c.mem[0], c.mem[1:]
		return true, nil
	}
	if c.left == 0 {
		return false, nil
	}
	if _, err := io.ReadFull(c.r, c.buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return false, err
	}
	c.left--
	c.v = c.get(c.buf)
	return true, nil
}

// cursors is a min-heap of cursors by their current record.
type cursors[T any] struct {
	h   []*cursor[T]
	cmp func(a, b T) int
}

func (cs *cursors[T]) add(c *cursor[T])   { cs.h = append(cs.h, c) }
func (cs *cursors[T]) Len() int           { return len(cs.h) }
func (cs *cursors[T]) Less(i, j int) bool { return cs.cmp(cs.h[i].v, cs.h[j].v) < 0 }
func (cs *cursors[T]) Swap(i, j int)      { cs.h[i], cs.h[j] = cs.h[j], cs.h[i] }
func (cs *cursors[T]) Push(x any)         { cs.h = append(cs.h, x.(*cursor[T])) }
func (cs *cursors[T]) Pop() any {
	c := cs.h[len(cs.h)-1]
	cs.h = cs.h[:len(cs.h)-1]
	return c
}
