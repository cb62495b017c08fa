package spill

import (
	"cmp"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

type rec struct{ grp, id, seq int64 }

func byGrpThenID(a, b rec) int {
	if a.grp != b.grp {
		return cmp.Compare(a.grp, b.grp)
	}
	return cmp.Compare(a.id, b.id)
}

func putRec(b []byte, v rec) {
	binary.LittleEndian.PutUint64(b, uint64(v.grp))
	binary.LittleEndian.PutUint64(b[8:], uint64(v.id))
	binary.LittleEndian.PutUint64(b[16:], uint64(v.seq))
}

func getRec(b []byte) rec {
	return rec{int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint64(b[8:])), int64(binary.LittleEndian.Uint64(b[16:]))}
}

func TestSpillMergesChunksAndRanges(t *testing.T) {
	for _, chunk := range []int{1, 3, 64, 1 << 16} {
		old := Chunk
		Chunk = chunk
		r := rand.New(rand.NewPCG(1, uint64(chunk)))
		s := New(byGrpThenID, 24, putRec, getRec)
		var want []rec
		for i := 0; i < 1000; i++ {
			it := rec{grp: r.Int64N(7), id: r.Int64N(500), seq: int64(i)}
			want = append(want, it)
			if err := s.Add(it); err != nil {
				t.Fatal(err)
			}
		}
		slices.SortStableFunc(want, byGrpThenID)
		collect := func(from, to *rec) []rec {
			var got []rec
			if err := s.Each(from, to, func(it rec) error { got = append(got, it); return nil }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		same := func(a, b []rec) bool {
			return slices.EqualFunc(a, b, func(x, y rec) bool { return byGrpThenID(x, y) == 0 })
		}
		if got := collect(nil, nil); len(got) != len(want) || !same(got, want) || s.Len() != 1000 {
			t.Fatalf("chunk %d: whole spill out of order or incomplete (%d of %d)", chunk, len(got), len(want))
		}
		// Every range of a group, including empty ones.
		for _, b := range [][4]int64{{0, 0, 1, 0}, {3, 100, 3, 300}, {6, 499, 7, 0}, {2, 250, 2, 250}, {9, 0, 10, 0}} {
			from, to := rec{grp: b[0], id: b[1]}, rec{grp: b[2], id: b[3]}
			var in []rec
			for _, it := range want {
				if byGrpThenID(it, from) >= 0 && byGrpThenID(it, to) < 0 {
					in = append(in, it)
				}
			}
			if got := collect(&from, &to); !same(got, in) {
				t.Errorf("chunk %d: range %v: got %d records, want %d", chunk, b, len(got), len(in))
			}
		}
		if chunk < 1000 && s.f == nil {
			t.Errorf("chunk %d: nothing was spilled to the file", chunk)
		}
		s.Close()
		Chunk = old
	}
}
