package cfonb

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update;
// then checks that the file reads back clean with the given summary.
func golden(t *testing.T, name string, got []byte, details int, total int64) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update to accept):\n got %q\nwant %q", path, got, want)
	}
	s, errs := verify(bytes.NewReader(got), pivot)
	if len(errs) > 0 || s.Details != details || s.Total != total {
		t.Errorf("read back: %+v %q", s, messages(errs))
	}
}

func TestGoldenLCRRemise(t *testing.T) {
	acct := func(iban string) Account {
		a, err := AccountFromIBAN(iban)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	var buf bytes.Buffer
	w := NewLCRWriter(&buf, WriterOptions{EOL: CRLF})
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(w.WriteHeader(LCRHeader{
		Date: date(2025, 3, 3), Name: "Société Générale & Fils – Œuvres d'Art", BankName: "Crédit Lyonnais, Agence Opéra",
		Entry: EntryDiscount, Dailly: DaillyNone, Account: acct("FR7630004008280001012345691"),
		ValueDate: date(2025, 3, 5), SIREN: "123456782", Reference: "LCR-2025/03",
	}))
	bills := []LCRBill{
		{DraweeRef: "FA-2025-0042", Name: "Boulangerie Lefèvre", BankName: "Caisse d'Épargne", Account: acct("FR1420041010050500013M02606"),
			Amount: 1234567, Due: date(2025, 4, 30), Created: date(2025, 3, 1), SIREN: "100000009", DrawerRef: "C00042"},
		{DraweeRef: "FA-2025-0043", Name: "Müller & Söhne GmbH\tFrance", Acceptance: Accepted, Account: acct("FR7630006000011234567890189"),
			Amount: 1, Due: date(2025, 5, 31), Created: date(2025, 3, 1), DrawerRef: "C00043"},
		{Name: "Œnologie Straße 12 €", Acceptance: PromissoryNote, Account: acct("FR7610278060760001234560136"),
			Amount: MaxLCRAmount - 1234568, Due: date(2025, 6, 30), Created: date(2025, 3, 2)},
	}
	for _, b := range bills {
		check(w.WriteBill(b))
	}
	check(w.Close())
	golden(t, "lcr_remise.golden", buf.Bytes(), 3, MaxLCRAmount)
}

func TestGoldenDebitRemise(t *testing.T) {
	var buf bytes.Buffer
	w := NewDebitWriter(&buf, WriterOptions{EOL: CRLF})
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(w.WriteHeader(DebitHeader{Operation: OpDebitAccelerated, Emitter: "512345", Due: date(2025, 2, 10),
		Name: "Abonnements du Sud S.A.", Reference: "PRL-FÉV", Account: sudAccount}))
	check(w.WriteDebit(Debit{Reference: "ÉCH-2025-0001", Name: "M. Jérôme Bernard", BankName: "Caisse d'Épargne Côte d'Azur",
		Account: bernardAccount, Amount: 4590, Label: "Abonnement février 2025 – n° 17"}))
	check(w.WriteDebit(Debit{Reference: "ÉCH-2025-0002", Name: "Mme Claire Petit", Account: petitAccount,
		Amount: 9_999_999_999_990_000, Label: "Solde"}))
	check(w.Close())
	golden(t, "debit_remise.golden", buf.Bytes(), 2, 9_999_999_999_990_000+4590)
}

func TestGoldenTransferRemise(t *testing.T) {
	var buf bytes.Buffer
	w := NewTransferWriter(&buf, WriterOptions{EOL: LF})
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(w.WriteHeader(TransferHeader{Emitter: "000042", Date: date(2025, 1, 31), Name: "ACME Outillage", Reference: "VIR0125",
		Account: acmeAccount, OrdererID: ")112345678200017"}))
	check(w.WriteTransfer(Transfer{Reference: "FOURN-0042", Name: "Imprimerie Leblanc", BankName: "Banque Populaire",
		Account: dupontAccount, Amount: 75000, Label: ")FACT 2025-117"}))
	check(w.WriteComplement(TransferComplement{Reference: "FOURN-0042", Name: "Imprimerie Leblanc", Account: dupontAccount,
		Label: "et facture 2025-118"}))
	check(w.WriteTransfer(Transfer{Reference: "FOURN-0043", Name: "Transports Roux", Account: durandAccount, Amount: 31250}))
	check(w.Close())
	golden(t, "transfer_remise.golden", buf.Bytes(), 2, 106250)
}
