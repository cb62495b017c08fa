package collect

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// Item details read back as they were kept, whatever the order read:
// a group after the other, forward (skipping a few), backward, at random,
// with records larger than a chunk.
func TestItemDetailsReadInAnyOrder(t *testing.T) {
	var d ItemDetails
	defer d.Close()
	const n = 2000
	offs := make([]int64, n)
	want := func(i int) remit.Item {
		return remit.Item{EndToEndID: fmt.Sprint("E", i), RUM: "RUM-" + fmt.Sprint(i%7), IBAN: "FR76", Name: "Nom é " + fmt.Sprint(i),
			Address: remit.Address{Street: strings.Repeat("r", i%300), Country: "FR"}, Document: fmt.Sprint("F", i),
			Label: strings.Repeat("L", (i%5)*3000), Amendment: remit.Amendment{ICS: fmt.Sprint(i % 3)}, DrawerBank: "B"}
	}
	for i := range n {
		it := want(i)
		off, err := d.Add(int32(i%5), &it)
		if err != nil {
			t.Fatal(err)
		}
		offs[i] = off
	}
	check := func(order string, idx []int) {
		t.Helper()
		for _, i := range idx {
			got := remit.Item{Amount: 7, Block: 2}
			if err := d.Read(int32(i%5), offs[i], &got); err != nil {
				t.Fatalf("%s: item %d: %v", order, i, err)
			}
			w := want(i)
			w.Amount, w.Block = 7, 2 // what the details do not hold stays
			if got != w {
				t.Fatalf("%s: item %d: got %+v", order, i, got)
			}
		}
	}
	byGroup, every3, backward := []int{}, []int{}, make([]int, n)
	for g := range 5 {
		for i := g; i < n; i += 5 {
			byGroup = append(byGroup, i)
		}
	}
	for i := range n {
		backward[i] = n - 1 - i
		if i%3 == 0 {
			every3 = append(every3, i)
		}
	}
	check("by group", byGroup)
	check("every third", every3)
	check("backward", backward)
	random := rand.New(rand.NewPCG(1, 2)).Perm(n)
	check("random", random)
	if err := d.Read(0, -1, &remit.Item{}); err == nil {
		t.Error("an offset before the stream: no error")
	}
	if err := d.Read(5, 0, &remit.Item{}); err == nil {
		t.Error("a group with no items: no error")
	}
	if _, err := d.Add(0, &remit.Item{}); err == nil {
		t.Error("an item added after the first read: no error")
	}
}

// A dry run's item details keep nothing: no temporary file, no record.
func TestItemDetailsDiscard(t *testing.T) {
	d := ItemDetails{Discard: true}
	defer d.Close()
	it := remit.Item{EndToEndID: "E1", Name: "Nom", Label: strings.Repeat("L", 3*detailsChunk)}
	for i := range 3 {
		off, err := d.Add(int32(i), &it)
		if err != nil || off != 0 {
			t.Fatalf("Add %d: %d, %v; want 0, nil", i, off, err)
		}
	}
	if d.f != nil || len(d.streams) != 0 || d.end != 0 {
		t.Fatalf("a discarding ItemDetails kept something: file %v, %d streams, %d bytes", d.f != nil, len(d.streams), d.end)
	}
	if err := d.Read(0, 0, &it); err == nil {
		t.Fatal("Read of a discarded item: no error")
	}
}
