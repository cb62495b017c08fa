package bordereau

import (
	"bytes"
	"errors"
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
		if err := WriteSlipDetail(&b, s, slices.Values(items), SlipDetailOptions{Text: guard}); err != nil {
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
	err := WriteSlipDetail(&bytes.Buffer{}, s, slices.Values(bad), SlipDetailOptions{})
	for _, want := range []error{ErrAmount, ErrNotGrouped, ErrTotal} {
		if !errors.Is(err, want) {
			t.Errorf("want %v in %v", want, err)
		}
	}
	s.Count = 3
	if err := WriteSlipDetail(&bytes.Buffer{}, s, slices.Values(items), SlipDetailOptions{}); !errors.Is(err, ErrTotal) || errors.Is(err, ErrCount) {
		t.Errorf("total off by the header: %v", err)
	}
}
