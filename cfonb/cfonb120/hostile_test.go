package cfonb120

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/remit-dev/remit/cfonb"
)

// repeatReader yields n bytes of c without holding them.
type repeatReader struct {
	c byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > r.n {
		k = r.n
	}
	for i := range p[:k] {
		p[i] = r.c
	}
	r.n -= k
	return int(k), nil
}

// allocated runs f and returns the bytes it allocated, a bound on the
// memory it can have held.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileHugeLine: a 256 MB line between two good ones is reported by
// its length, and reading it allocates next to nothing: the Reader never
// holds a line.
func TestHostileHugeLine(t *testing.T) {
	const size = 256 << 20
	in := io.MultiReader(
		strings.NewReader(exampleLines[0]+"\n"),
		&repeatReader{c: 'X', n: size},
		strings.NewReader("\n"+strings.Join(exampleLines[1:], "\n")+"\n"),
	)
	var sts, errs = 0, []string(nil)
	n := allocated(func() {
		got, err := ReadAll(in)
		sts, errs = len(got), messages(cfonb.Flatten(err))
	})
	want := []string{"line 2: wrong record length: 268435456 characters, want 120"}
	if sts != 0 || len(errs) != 1 || errs[0] != want[0] {
		t.Fatalf("%d statements, problems %q, want %q", sts, errs, want)
	}
	if n > 4<<20 {
		t.Fatalf("reading a %d MB line allocated %d MB", size>>20, n>>20)
	}
}

// TestHostileGarbage: 64 MB of garbage without line breaks (558,000
// records of X) gives MaxProblems problems and a count of the others; what
// the Reader keeps does not grow with the file.
func TestHostileGarbage(t *testing.T) {
	var errs []error
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadAll(&repeatReader{c: 'X', n: 64 << 20})
	errs = cfonb.Flatten(err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(errs) != MaxProblems+1 || !strings.HasSuffix(errs[MaxProblems].Error(), "cfonb120: 558241 more problems not listed") {
		t.Fatalf("%d problems, the last %v", len(errs), errs[len(errs)-1])
	}
	if held := int64(after.HeapAlloc) - int64(before.HeapAlloc); held > 4<<20 {
		t.Fatalf("the Reader holds %d MB after 64 MB of garbage", held>>20)
	}
}

// TestHostileBrokenStatement: a statement of 100,000 broken movements
// keeps MaxProblems of its problems and counts the others.
func TestHostileBrokenStatement(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(exampleLines[0] + "\n")
	bad := strings.Replace(exampleLines[1], "0000000012500{", "000000001250??", 1)
	for i := 0; i < 100000; i++ {
		b.WriteString(bad + "\n")
	}
	b.WriteString(exampleLines[16] + "\n")
	_, err := ReadAll(&b)
	errs := cfonb.Flatten(err)
	if len(errs) != MaxProblems+1 || errs[MaxProblems].Error() != "cfonb120: 99000 more problems not listed" {
		t.Fatalf("%d problems, the last %v", len(errs), errs[len(errs)-1])
	}
}
