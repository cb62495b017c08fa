package camt053

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeatReader yields n copies of s without holding them.
type repeatReader struct {
	s   string
	n   int64
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.s[r.off:])
		k += c
		r.off += c
		if r.off == len(r.s) {
			r.off = 0
			r.n--
		}
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

// allocated runs f and returns the bytes it allocated: a bound on the
// memory it can have held.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// hostile splits the reference example where an element's content goes,
// to put something huge there.
func hostile(t *testing.T, before, after string, middle io.Reader) io.Reader {
	doc := string(example(t, "camt.053.001.08.statement.example.xml"))
	i := strings.Index(doc, before)
	j := strings.Index(doc[i:], after)
	if i < 0 || j < 0 {
		t.Fatalf("no %s…%s in the example", before, after)
	}
	return io.MultiReader(strings.NewReader(doc[:i+len(before)]), middle, strings.NewReader(doc[i+j:]))
}

// TestHostile: a huge text, attribute or comment, or elements nested
// without end, stop the reading at the limits of every XML file remit reads
// (MaxToken, MaxDepth) with a located error wrapping ErrTooLarge, after
// allocating a few MB whatever the size of the file (here 256 MB).
func TestHostile(t *testing.T) {
	const size = 256 << 20
	tests := []struct {
		name string
		in   func() io.Reader
		want string
	}{
		{"huge text", func() io.Reader {
			return hostile(t, "<AddtlNtryInf>", "</AddtlNtryInf>", &repeatReader{s: "COMMISSION ", n: size / 11})
		}, "line 291, /Document/BkToCstmrStmt/Stmt/Ntry/AddtlNtryInf: over remit's limits for a bank file: a text, tag or comment longer than 1048576 bytes"},
		{"huge attribute", func() io.Reader {
			return hostile(t, `<Amt Ccy="EUR`, `">12.50`, &repeatReader{s: "EUR", n: size / 3})
		}, "line 33, /Document/BkToCstmrStmt/Stmt/Bal: over remit's limits for a bank file: a text, tag or comment longer than 1048576 bytes"},
		{"huge comment", func() io.Reader {
			return hostile(t, "<Ntry>", "<NtryRef>", io.MultiReader(strings.NewReader("<!--"), &repeatReader{s: "-<>", n: size / 3}, strings.NewReader("-->")))
		}, "line 70, /Document/BkToCstmrStmt/Stmt/Ntry: over remit's limits for a bank file: a text, tag or comment longer than 1048576 bytes"},
		{"nesting without end", func() io.Reader {
			return hostile(t, "<AddtlNtryInf>", "</AddtlNtryInf>", &repeatReader{s: "<Ntry>", n: size / 6})
		}, "line 291, /Document/BkToCstmrStmt/Stmt/Ntry/AddtlNtryInf" + strings.Repeat("/Ntry", MaxDepth-5) + ": over remit's limits for a bank file: elements nested more than 100 deep"},
		{"nesting in a foreign namespace", func() io.Reader {
			return hostile(t, "<AddtlNtryInf>", "</AddtlNtryInf>", &repeatReader{s: `<x:a xmlns:x="urn:x">`, n: size / 20})
		}, "line 291, /Document/BkToCstmrStmt/Stmt/Ntry/AddtlNtryInf" + strings.Repeat("/*", MaxDepth-5) + ": over remit's limits for a bank file: elements nested more than 100 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []string
			n := allocated(func() {
				sts, err := ReadAll(tt.in())
				if len(sts) != 0 {
					t.Errorf("%d statements read", len(sts))
				}
				errs = messages(Flatten(err))
				if !errors.Is(err, ErrTooLarge) {
					t.Errorf("%v does not wrap ErrTooLarge", err)
				}
			})
			if len(errs) != 1 || errs[0] != tt.want {
				t.Fatalf("problems\n got %q\nwant %q", errs, tt.want)
			}
			if n > 16<<20 {
				t.Fatalf("allocated %d MB reading a %d MB file", n>>20, size>>20)
			}
		})
	}
}

// TestHostileLongValue: a value beyond what any element of a statement
// holds (16 KB) is refused as such, and reading goes on.
func TestHostileLongValue(t *testing.T) {
	in := hostile(t, "<AddtlNtryInf>", "</AddtlNtryInf>", &repeatReader{s: "X", n: 20 << 10})
	sts, err := ReadAll(in)
	errs := messages(Flatten(err))
	want := "line 291, /Document/BkToCstmrStmt/Stmt/Ntry/AddtlNtryInf: invalid value: text longer than 16384 bytes"
	if len(sts) != 0 || len(errs) != 1 || errs[0] != want {
		t.Fatalf("%d statements, problems %q", len(sts), errs)
	}
}

// TestHostileOneLine: 50,000 entries on a single line are read, one
// statement; 50,000 broken entries give MaxProblems problems and a count.
func TestHostileOneLine(t *testing.T) {
	head := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>` +
		`<Stmt><Id>S</Id><CreDtTm>2026-12-02T06:00:00</CreDtTm><Acct><Id><IBAN>FR7630004008280001012345691</IBAN></Id></Acct>` +
		`<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>` +
		`<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>`
	tail := `</Stmt></BkToCstmrStmt></Document>`
	entry := `<Ntry><Amt Ccy="EUR">1.25</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BkTxCd/></Ntry>`
	const n = 50000
	sts, err := ReadAll(io.MultiReader(strings.NewReader(fmt.Sprintf(head, "62500.00")), &repeatReader{s: entry, n: n}, strings.NewReader(tail)))
	if err != nil || len(sts) != 1 || len(sts[0].Entries) != n || sts[0].Closing.Amount != 6250000 {
		t.Fatalf("%v", err)
	}
	broken := strings.Replace(entry, `<Amt Ccy="EUR">1.25</Amt>`, "", 1)
	_, err = ReadAll(io.MultiReader(strings.NewReader(fmt.Sprintf(head, "0")), &repeatReader{s: broken, n: n}, strings.NewReader(tail)))
	errs := Flatten(err)
	if len(errs) != MaxProblems+1 || errs[0].Error() != "line 1, /Document/BkToCstmrStmt/Stmt/Ntry: missing: entry without an amount (Amt)" ||
		errs[MaxProblems].Error() != "camt053: 49000 more problems not listed" {
		t.Fatalf("%d problems: %v … %v", len(errs), errs[0], errs[len(errs)-1])
	}
}
