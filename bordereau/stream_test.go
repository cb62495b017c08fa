package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStreamFixed(t *testing.T) {
	for _, c := range []struct {
		v     float64
		scale int64
		want  string
	}{
		{0, 100, "0.00"}, {841.8897, 100, "841.89"}, {-34.015, 100, "-34.02"}, {0.004, 100, "0.00"},
		{12.5, 100, "12.50"}, {1, 1000, "1.000"}, {33.0 / 255, 1000, "0.129"}, {-0.0004, 1000, "0.000"},
	} {
		p := newPDFStream(new(bytes.Buffer), time.Time{}, false, "")
		p.fixed(c.v, c.scale)
		if got := p.page.String(); got != c.want {
			t.Errorf("fixed(%v, %d) = %q, want %q", c.v, c.scale, got, c.want)
		}
	}
}

// TestStreamStructure checks, on a slip of several hundred pages (far more
// than the writer's buffer), what a PDF reader relies on and pdftotext
// would silently repair: every cross-reference offset points at its object,
// startxref at the table, each stream's /Length at its end; and that
// parentheses, backslashes and CR in text are escaped.
func TestStreamStructure(t *testing.T) {
	seq, count, total := seqItems(30_000)
	s := testSlip()
	s.Count, s.Total, s.Reference = count, total, `R(1)\x`+"\r"
	var buf bytes.Buffer
	pages, err := WriteSlip(&buf, s, seq, SlipOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if len(b) < 1<<20 {
		t.Fatalf("%d bytes: too small to cross the output buffer many times", len(b))
	}
	checkPDFStructure(t, b, pages)
	first := squash(pdfPages(t, b)[0])
	mustContain(t, "escaped reference", first, `R(1)\x`)
}

// checkPDFStructure checks what a PDF reader relies on and pdftotext would
// silently repair: every cross-reference offset points at its object,
// startxref at the table, each stream's /Length at its end.
func checkPDFStructure(t *testing.T, b []byte, pages int) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(b[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for obj := 1; obj < n; obj++ {
		off, _ := strconv.Atoi(strings.Fields(lines[2+obj])[0])
		if want := fmt.Sprintf("%d 0 obj\n", obj); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("xref entry %d: offset %d holds %q", obj, off, b[off:min(off+20, len(b))])
		}
	}
	streams := regexp.MustCompile(`/Length (\d+)>>\nstream\n`).FindAllSubmatchIndex(b, -1)
	if len(streams) < pages {
		t.Fatalf("%d streams for %d pages", len(streams), pages)
	}
	for _, st := range streams {
		length, _ := strconv.Atoi(string(b[st[2]:st[3]]))
		if end := st[1] + length; !bytes.HasPrefix(b[end:], []byte("\nendstream\n")) {
			t.Fatalf("stream at %d: /Length %d does not end at endstream", st[0], length)
		}
	}
}

// TestStreamStructureParts: the documents whose page numbers count the
// pages of each part (advices) or that draw paths (forecast) are sound too.
func TestStreamStructureParts(t *testing.T) {
	b, pages := writeTestAdvices(t, advicePayments())
	checkPDFStructure(t, b, pages)
	b, pages = writeTestForecast(t, forecastAccounts())
	checkPDFStructure(t, b, pages)
}

// A write error stops the writer, which returns it.
func TestStreamWriteError(t *testing.T) {
	seq, count, total := seqItems(5_000)
	s := testSlip()
	s.Count, s.Total = count, total
	read := 0
	counted := func(yield func(SlipItem) bool) {
		for it := range seq {
			read++
			if !yield(it) {
				return
			}
		}
	}
	_, err := WriteSlip(failingWriter{}, s, counted, SlipOptions{Now: clock})
	if !errors.Is(err, errDiskFull) {
		t.Errorf("error %v, want the write error", err)
	}
	if read == count {
		t.Errorf("read all %d items after the output failed", read)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// TestStreamWriteErrorNewDocuments: the remise de chèques, the letters and
// the advices return the write error and stop reading their input.
func TestStreamWriteErrorNewDocuments(t *testing.T) {
	const n = 5_000
	counted := func(read *int, seq func(func(Payment) bool)) func(func(Payment) bool) {
		return func(yield func(Payment) bool) {
			for p := range seq {
				*read++
				if !yield(p) {
					return
				}
			}
		}
	}
	var read int
	_, err := WritePaymentAdvices(failingWriter{}, testAdvices(), counted(&read, seqPayments(n)), AdviceOptions{Now: clock})
	if !errors.Is(err, errDiskFull) || read == n {
		t.Errorf("advices: error %v after reading %d of %d", err, read, n)
	}
	read = 0
	_, err = WriteChequeLetters(failingWriter{}, testLetters(), counted(&read, seqPayments(n)), ChequeOptions{Now: clock})
	if !errors.Is(err, errDiskFull) || read == n {
		t.Errorf("letters: error %v after reading %d of %d", err, read, n)
	}
	seq, count, total := seqCheques(50_000)
	dep := testDeposit()
	dep.Count, dep.Total = count, total
	read = 0
	cheques := func(yield func(DepositCheque) bool) {
		for c := range seq {
			read++
			if !yield(c) {
				return
			}
		}
	}
	if _, err := WriteChequeDeposit(failingWriter{}, dep, cheques, DepositOptions{Now: clock}); !errors.Is(err, errDiskFull) || read == count {
		t.Errorf("deposit: error %v after reading %d of %d", err, read, count)
	}
}
