package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestWriteSlipDetail(t *testing.T) {
	items := []SlipItem{
		{Block: "FRST · CORE · 01/12/2026", Document: "F-1", Customer: "C1", Name: "Dupont; \"fils\"", Account: "FR7630004008280001012345691",
			Due: day(2026, 11, 29), Collection: day(2026, 12, 1), Detail: "FRST", Amount: 105},
		{Block: "FRST · CORE · 01/12/2026", Document: "F-2", Customer: "C2", Name: "=HYPERLINK(\"x\")", Account: "1234",
			Due: day(2026, 11, 29), Collection: day(2026, 12, 1), Detail: "FRST", Amount: 123456789},
		{Block: "RCUR · CORE · 05/12/2026", Document: "F-3", Customer: "C3", Name: "Élodie Œuvre", Account: "FR7612345",
			Due: day(2026, 12, 5), Collection: day(2026, 12, 5), Detail: "RCUR", Amount: 100},
	}
	guard := func(s string) string {
		if strings.HasPrefix(s, "=") {
			return "'" + s
		}
		return s
	}
	cases := []struct {
		name string
		edit func(s *Slip)
		want string
	}{
		{"sdd", func(*Slip) {}, "\ufeffBloc;Pièce;Client;Nom;Compte;Échéance;Prélèvement;Séquence;Montant\r\n" +
			"FRST · CORE · 01/12/2026;F-1;C1;\"Dupont; \"\"fils\"\"\";**** 5691;29/11/2026;01/12/2026;FRST;1,05\r\n" +
			"FRST · CORE · 01/12/2026;F-2;C2;\"'=HYPERLINK(\"\"x\"\")\";****;29/11/2026;01/12/2026;FRST;1234567,89\r\n" +
			"RCUR · CORE · 05/12/2026;F-3;C3;Élodie Œuvre;**** 2345;05/12/2026;05/12/2026;RCUR;1,00\r\n"},
		{"lcr", func(s *Slip) { s.CollectionDates, s.DraweeBanks, s.DetailTitle = false, true, "Acceptation" },
			"\ufeffBloc;Pièce;Client;Nom;Domiciliation;Compte;Échéance;Acceptation;Montant\r\n"},
		{"payments", func(s *Slip) { s.Payments, s.DetailTitle = true, "" },
			"\ufeffBloc;Pièce;Fournisseur;Nom;Compte;Échéance;Exécution;Type;Montant\r\n"},
	}
	for _, c := range cases {
		s := testSlip()
		s.Count, s.Total = 3, 105+123456789+100
		c.edit(&s)
		var b bytes.Buffer
		if _, err := WriteSlipDetail(&b, s, slices.Values(items), SlipDetailOptions{Text: guard}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !strings.HasPrefix(b.String(), c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, b.String(), c.want)
		}
	}

	// Checked as the slip is: the count, the total, positive amounts, blocks together.
	s := testSlip()
	s.Count, s.Total = 4, 1
	bad := append(slices.Clone(items), SlipItem{Block: "FRST · CORE · 01/12/2026", Document: "F-4", Amount: -5})
	_, err := WriteSlipDetail(&bytes.Buffer{}, s, slices.Values(bad), SlipDetailOptions{})
	for _, want := range []error{ErrAmount, ErrNotGrouped, ErrTotal} {
		if !errors.Is(err, want) {
			t.Errorf("want %v in %v", want, err)
		}
	}
	s.Count = 3
	if _, err := WriteSlipDetail(&bytes.Buffer{}, s, slices.Values(items), SlipDetailOptions{}); !errors.Is(err, ErrTotal) || errors.Is(err, ErrCount) {
		t.Errorf("total off by the header: %v", err)
	}
}

// WriteSlipSummary, from the blocks WriteSlipDetail summed, prints the very
// bytes of WriteSlip's summary, which reads the items again: on a summary of
// several pages (carried totals) and with copies.
func TestWriteSlipSummaryFromBlocks(t *testing.T) {
	var items []SlipItem
	var total int64
	for i := range 3000 {
		d := day(2026, 12, 1).AddDate(0, 0, i/20)
		items = append(items, SlipItem{Block: "RCUR · CORE · prélèvement le " + formatDate(d), Document: fmt.Sprintf("F-%d", i),
			Customer: "C", Name: "N", Account: "FR7630004008280001012345691", Due: d, Collection: d, Detail: "RCUR", Amount: int64(100 + i)})
		total += int64(100 + i)
	}
	s := testSlip()
	s.Count, s.Total = len(items), total
	blocks, err := WriteSlipDetail(&bytes.Buffer{}, s, slices.Values(items), SlipDetailOptions{})
	if err != nil || len(blocks) != 150 || blocks[0].Count != 20 || blocks[0].Total != 20*100+190 {
		t.Fatalf("blocks %d, first %+v: %v", len(blocks), blocks[0], err)
	}
	var fromItems, fromBlocks bytes.Buffer
	opts := SlipOptions{Now: clock, Copies: 2, Summary: true}
	p1, err := WriteSlip(&fromItems, s, slices.Values(items), opts)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := WriteSlipSummary(&fromBlocks, s, blocks, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p1 != p2 || p1 < 4 || !bytes.Equal(fromItems.Bytes(), fromBlocks.Bytes()) {
		t.Errorf("from the items %d pages, %d bytes; from the blocks %d pages, %d bytes", p1, fromItems.Len(), p2, fromBlocks.Len())
	}
	keepPDF(t, "slip-summary-blocks.pdf", fromBlocks.Bytes())

	// The blocks are checked as the items are.
	bad := append(slices.Clone(blocks), SlipBlock{Label: blocks[0].Label, Count: 0, Total: -1})
	_, err = WriteSlipSummary(&bytes.Buffer{}, s, bad, SlipOptions{Now: clock})
	for _, want := range []error{ErrAmount, ErrNotGrouped, ErrTotal} {
		if !errors.Is(err, want) {
			t.Errorf("want %v in %v", want, err)
		}
	}
	if _, err := WriteSlipSummary(&bytes.Buffer{}, s, blocks[1:], SlipOptions{Now: clock}); !errors.Is(err, ErrCount) {
		t.Errorf("a block left out: %v", err)
	}
}
