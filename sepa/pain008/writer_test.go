package pain008

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa"
)

// The -update flag may be declared by another test file of the package too;
// declare it only once, and read it through the flag package.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

// updateGolden reports whether -update was given: the golden files under
// testdata/writer are then rewritten.
func updateGolden() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	v, _ := g.Get().(bool)
	return v
}

var wrParis = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

func wrDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, wrParis) }

func wrPtr[T any](v T) *T { return &v }

type writerBlock struct {
	pi  PaymentInfo
	txs []Transaction
}

type writerMessage struct {
	h      GroupHeader
	blocks []writerBlock
}

// withTotals fills the declared NbOfTxs and CtrlSum from the transactions,
// as the caller's aggregate query would.
func (m writerMessage) withTotals() writerMessage {
	m.h.NbOfTxs, m.h.CtrlSum = 0, 0
	blocks := make([]writerBlock, len(m.blocks))
	for i, b := range m.blocks {
		b.pi.NbOfTxs, b.pi.CtrlSum = 0, 0
		for _, tx := range b.txs {
			b.pi.NbOfTxs++
			b.pi.CtrlSum += tx.Amount
		}
		m.h.NbOfTxs += b.pi.NbOfTxs
		m.h.CtrlSum += b.pi.CtrlSum
		blocks[i] = b
	}
	m.blocks = blocks
	return m
}

func (m writerMessage) version(v Version) writerMessage {
	m.h.Version = v
	return m
}

func (m writerMessage) write(out io.Writer) error {
	w, err := NewWriter(out, m.h)
	if err != nil {
		return err
	}
	for _, b := range m.blocks {
		if err := w.StartPaymentInfo(b.pi); err != nil {
			return err
		}
		for _, tx := range b.txs {
			if err := w.WriteTransaction(tx); err != nil {
				return err
			}
		}
	}
	return w.Close()
}

var wrAcme = sepa.Party{Name: "ACME SAS", Address: sepa.Address{
	StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}}

// exampleMessage has the content of
// shared/reference/examples/sepa/pain.008.001.08.example.xml.
func exampleMessage() writerMessage {
	creditor := PaymentInfo{
		BatchBooking: wrPtr(true), Scheme: "CORE", CollectionDate: wrDay(2026, 12, 1),
		Creditor: wrAcme, CreditorIBAN: "FR7630006000011234567890189", CreditorBIC: "AGRIFRPPXXX",
		CreditorSchemeID: "FR72ZZZ123456",
	}
	frst, rcur := creditor, creditor
	frst.ID, frst.SeqType = "ACME-SDD-20261201-0001-FRST-CORE", "FRST"
	rcur.ID, rcur.SeqType = "ACME-SDD-20261201-0001-RCUR-CORE", "RCUR"
	rcur.UltimateCreditor = sepa.Party{Name: "ACME Services"}
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "ACME-SDD-20261201-0001",
			CreatedAt: time.Date(2026, 11, 27, 10, 15, 0, 0, wrParis), InitiatingParty: sepa.Party{Name: "ACME SAS"}},
		blocks: []writerBlock{
			{frst, []Transaction{{
				InstrID: "REC-000001", EndToEndID: "INV-2026-000123", Amount: 12000,
				MandateID: "RUM-2026-0001", MandateSigned: wrDay(2026, 11, 2),
				Debtor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{
					PostCode: "69001", TownName: "Lyon", Country: "FR", Lines: []string{"3 place des Terreaux"}}},
				DebtorIBAN: "FR1420041010050500013M02606", Purpose: "OTHR", CreditorReference: "RF98INV2026000123",
			}}},
			{rcur, []Transaction{{
				EndToEndID: "INV-2026-000124", Amount: 20000,
				MandateID: "RUM-2024-0042", MandateSigned: wrDay(2024, 3, 15),
				Amendment: &Amendment{NewDebtorAccount: true},
				DebtorBIC: "ABNANL2A",
				Debtor: sepa.Party{Name: "Jan de Vries", Address: sepa.Address{
					StreetName: "Damrak", BuildingNumber: "1", PostCode: "1012 LG", TownName: "Amsterdam", Country: "NL"}},
				DebtorIBAN: "NL91ABNA0417164300", RemittanceInfo: "Facture 2026-000124 abonnement décembre",
			}, {
				EndToEndID: "INV-2026-000125", Amount: 4050,
				MandateID: "RUM-2023-0007", MandateSigned: wrDay(2023, 1, 10),
				Amendment: &Amendment{OriginalCreditorSchemeID: "DE98ZZZ09999999999"},
				Debtor:    sepa.Party{Name: "Hans Müller"}, DebtorIBAN: "DE89370400440532013000",
				RemittanceInfo: "Facture 2026-000125",
			}}},
		},
	}.withTotals()
}

// b2bMessage: B2B, OOFF and FNAL, every amendment field, party
// identifications, ultimate debtor, a non-EEA (Swiss) debtor, the smallest
// and largest amounts, BatchBooking false and omitted.
func b2bMessage() writerMessage {
	pi := PaymentInfo{
		Scheme: "B2B", CollectionDate: wrDay(2027, 1, 4), // Monday after New Year
		Creditor: sepa.Party{Name: "Transports Martin SARL",
			Address: sepa.Address{TownName: "Marseille", PostCode: "13002", Country: "FR",
				Lines: []string{"Quai du Lazaret", "Batiment B"}},
			ID: sepa.PartyID{ID: "552100554", SchemeCode: "SREN"}},
		CreditorIBAN: "FR7630004008280001012345691", CreditorBIC: "BNPAFRPP",
		CreditorSchemeID: "FR72ZZZ123456",
	}
	ooff, fnal := pi, pi
	ooff.ID, ooff.SeqType, ooff.BatchBooking = "TM-2027-01-OOFF", "OOFF", wrPtr(false)
	fnal.ID, fnal.SeqType = "TM-2027-01-FNAL", "FNAL"
	fnal.UltimateCreditor = sepa.Party{Name: "Martin Logistique",
		Address: sepa.Address{TownName: "Aix-en-Provence", Country: "FR"}}
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "TM-2027-01", CreatedAt: time.Date(2026, 12, 30, 17, 5, 9, 0, wrParis),
			InitiatingParty: sepa.Party{Name: "Transports Martin", ID: sepa.PartyID{ID: "552100554", SchemeCode: "SREN"}}},
		blocks: []writerBlock{
			{ooff, []Transaction{{
				InstrID: "TM-I-1", EndToEndID: "F2026-0042", Amount: 1,
				MandateID: "B2B-2026-17", MandateSigned: wrDay(2026, 12, 30),
				Amendment: &Amendment{
					OriginalMandateID:        "OLD/MANDATE-17",
					OriginalCreditorSchemeID: "DE98ZZZ09999999999",
					OriginalCreditorName:     "Martin Frères & Cie",
					OriginalDebtorIBAN:       "FR7630006000011234567890189",
				},
				DebtorBIC: "COBADEFFXXX",
				Debtor: sepa.Party{Name: "Boulangerie du Port", Address: sepa.Address{
					StreetName: "Rue de la République", BuildingNumber: "4 bis", PostCode: "13002",
					TownName: "Marseille", Country: "FR"},
					ID: sepa.PartyID{ID: "73282932000074", SchemeCode: "SRET", Issuer: "INSEE"}},
				DebtorIBAN: "FR7617515900000801234567849",
				UltimateDebtor: sepa.Party{Name: "Boulangerie du Port - Succursale Nord",
					Address: sepa.Address{TownName: "Aubagne", Country: "FR"},
					ID:      sepa.PartyID{ID: "CLIENT-99", Private: true, SchemeProprietary: "CUSTOMER"}},
				Purpose: "SUPP", RemittanceInfo: "Facture F2026-0042",
			}}},
			{fnal, []Transaction{{
				EndToEndID: "F2026-0043", Amount: sepa.MaxAmount,
				MandateID: "B2B-2019-3", MandateSigned: wrDay(2019, 6, 1),
				Debtor: sepa.Party{Name: "Chocolats Suisses SA", Address: sepa.Address{
					StreetName: "Bahnhofstrasse", BuildingNumber: "1", PostCode: "8001", TownName: "Zürich", Country: "CH"}},
				DebtorIBAN: "CH9300762011623852957", CreditorReference: "RF18539007547034",
			}, {
				EndToEndID: "F2026-0044", Amount: 100,
				MandateID: "B2B-2020-9", MandateSigned: wrDay(2020, 2, 29),
				Amendment: &Amendment{OriginalMandateID: "B2B-2020-9-OLD"},
				Debtor:    sepa.Party{Name: "SCI Les Tilleuls"}, DebtorIBAN: "FR7630003036200002001234517",
			}}},
		},
	}.withTotals()
}

// textMessage: transliteration of every free-text field, markup and
// quotes in names, long values cut, and an address-lines-only debtor
// address in a block that settles before 15 November 2026.
func textMessage() writerMessage {
	pi := PaymentInfo{
		Scheme: "CORE", SeqType: "RCUR",
		Creditor: sepa.Party{Name: "Société Générale d'Œuvres & Fils — «Le Bœuf»",
			Address: sepa.Address{StreetName: "Allée des Érables\t(bâtiment C)", BuildingNumber: "7°",
				PostCode: "42000", TownName: "Saint-Étienne", Country: "FR"}},
		CreditorIBAN: "FR7611315000010400000000178", CreditorSchemeID: "FR72ZZZ123456",
		UltimateCreditor: sepa.Party{Name: "L'Œil & la Plume <SARL>"},
	}
	late, early := pi, pi
	late.ID, late.CollectionDate = "TXT-LATE", wrDay(2026, 11, 16)
	early.ID, early.CollectionDate = "TXT-EARLY", wrDay(2026, 11, 13)
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "TXT-2026-11", CreatedAt: time.Date(2026, 11, 10, 9, 0, 0, 0, wrParis),
			InitiatingParty: sepa.Party{Name: "Société Générale d'Œuvres & Fils"}},
		blocks: []writerBlock{
			{late, []Transaction{{
				EndToEndID: "T-1", Amount: 123456, MandateID: "M-1", MandateSigned: wrDay(2025, 1, 1),
				Debtor: sepa.Party{Name: "Ærøskøbing Straße <b>fett</b>", Address: sepa.Address{
					StreetName: "Große Straße", BuildingNumber: "3", PostCode: "D-20095", TownName: "Hamburg", Country: "DE"}},
				DebtorIBAN:     "DE89370400440532013000",
				RemittanceInfo: "Facture n° 42 — 1 500,00 € TTC ; payée à 100 % _ merci !",
			}, {
				EndToEndID: "T-2", Amount: 5, MandateID: "M-2", MandateSigned: wrDay(2025, 1, 1),
				Debtor:         sepa.Party{Name: "</Nm><InstdAmt Ccy=\"EUR\">999</InstdAmt><Nm>Evil & Co"},
				DebtorIBAN:     "FR7630006000011234567890189",
				UltimateDebtor: sepa.Party{Name: "O'Brien \"Bob\"\tand\r\nsons   [Ireland] {IE} @home #1 *star* 50% a=b|c~d^e\\f`g"},
				RemittanceInfo: strings.Repeat("Abonnement mensuel ", 10),
			}, {
				EndToEndID: "T-3", Amount: 99, MandateID: "M-3", MandateSigned: wrDay(2025, 1, 1),
				Debtor: sepa.Party{Name: strings.Repeat("Établissements Dupont-Durand ", 4), Address: sepa.Address{
					TownName: "Pointe-à-Pitre", Country: "GP", Lines: []string{"Résidence « Les Flamboyants »", "Bât. 4, appt 12"}}},
				DebtorIBAN: "FR7610278060760001234560136", RemittanceInfo: "   ",
			}}},
			{early, []Transaction{{
				EndToEndID: "T-4", Amount: 1000, MandateID: "M-4", MandateSigned: wrDay(2025, 1, 1),
				Debtor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{Country: "FR",
					Lines: []string{"3 place des Terreaux", "69001 Lyon"}}},
				DebtorIBAN: "FR1420041010050500013M02606",
			}}},
		},
	}.withTotals()
}

var goldenMessages = []struct {
	name string
	msg  func() writerMessage
}{
	{"example", exampleMessage},
	{"b2b", b2bMessage},
	{"text", textMessage},
}

var versionSuffix = map[Version]string{V08: "08", V02: "02"}

// TestWriterGolden writes every scenario in both versions, compares the
// bytes with testdata/writer/<name>_<version>.xml (-update rewrites them)
// and validates each file against the official schema.
func TestWriterGolden(t *testing.T) {
	for _, g := range goldenMessages {
		for _, v := range []Version{V08, V02} {
			name := g.name + "_" + versionSuffix[v] + ".xml"
			t.Run(name, func(t *testing.T) {
				var out bytes.Buffer
				if err := g.msg().version(v).write(&out); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "writer", name)
				if updateGolden() {
					if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./sepa -run TestWriterGolden -update)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("output differs from %s (run with -update after checking the diff):\n%s", path, wrFirstDiff(out.String(), string(want)))
				}
				// Every golden file validates against the official schema
				// (and so does the output, when it differs from its golden file).
				files := []string{path}
				if !bytes.Equal(out.Bytes(), want) {
					tmp := filepath.Join(t.TempDir(), name)
					if err := os.WriteFile(tmp, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					files = append(files, tmp)
				}
				for _, f := range files {
					if ok, msg := testtool.XMLLint(t, v.XSD(), f); !ok {
						t.Errorf("%s does not validate against %s:\n%s", f, v.XSD(), msg)
					}
				}
			})
		}
	}
}

// TestWriterExampleBytes checks that the writer reproduces the reference
// examples byte for byte: same content, same layout.
func TestWriterExampleBytes(t *testing.T) {
	dir := filepath.Join(testtool.SharedDir(t), "reference", "examples", "sepa")
	for _, v := range []Version{V08, V02} {
		want, err := os.ReadFile(filepath.Join(dir, v.String()+".example.xml"))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := exampleMessage().version(v).write(&out); err != nil {
			t.Fatal(err)
		}
		if out.String() != string(want) {
			t.Errorf("%s: output differs from the reference example:\n%s", v, wrFirstDiff(out.String(), string(want)))
		}
	}
}

func wrFirstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(no difference)"
}

// TestWriterNoMarkupLeaks: whatever the input text, the only '<' in the
// output open or close elements the writer wrote, and there is no '&'.
func TestWriterNoMarkupLeaks(t *testing.T) {
	var out bytes.Buffer
	if err := textMessage().write(&out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, bad := range []string{"&", "\"EUR\">999", "<b>", "InstdAmt Ccy=\"EUR\">999", "\t", "\r", "é", "Œ", "ß", "€"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if n := strings.Count(s, "<InstdAmt"); n != 4 {
		t.Errorf("%d InstdAmt elements, want 4", n)
	}
	for _, want := range []string{
		"<Nm>/Nm InstdAmt Ccy 'EUR' 999 /InstdAmt Nm Evil + Co</Nm>",
		"<Nm>Societe Generale d'OEuvres + Fils - 'Le Boeuf'</Nm>",
		"<Nm>AEroskobing Strasse b fett /b</Nm>",
		"<Ustrd>Facture no 42 - 1 500,00 EUR TTC , payee a 100 - merci .</Ustrd>",
		"<TwnNm>Saint-Etienne</TwnNm>",
		"<StrtNm>Allee des Erables (batiment C)</StrtNm>",
		"<BldgNb>7o</BldgNb>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}

func TestWriterCountMismatch(t *testing.T) {
	tests := []struct {
		name   string
		change func(*writerMessage)
		at     string // which call fails
	}{
		{"block count too high", func(m *writerMessage) { m.blocks[0].pi.NbOfTxs++; m.h.NbOfTxs++ }, "start"},
		{"block sum too high", func(m *writerMessage) { m.blocks[0].pi.CtrlSum++; m.h.CtrlSum++ }, "start"},
		{"block count too low", func(m *writerMessage) { m.blocks[1].pi.NbOfTxs--; m.blocks[1].pi.CtrlSum -= 4050 }, "write"},
		{"block sum too low", func(m *writerMessage) { m.blocks[1].pi.CtrlSum -= 1 }, "write"},
		{"last block count", func(m *writerMessage) { m.blocks[1].pi.NbOfTxs++; m.blocks[1].pi.CtrlSum++ }, "close"},
		{"group count too high", func(m *writerMessage) { m.h.NbOfTxs++; m.h.CtrlSum++ }, "close"},
		{"group sum too high", func(m *writerMessage) { m.h.CtrlSum += 100 }, "close"},
		{"group count too low", func(m *writerMessage) { m.h.NbOfTxs--; m.h.CtrlSum -= 4050 }, "write"},
		{"group sum too low", func(m *writerMessage) { m.h.CtrlSum-- }, "write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := exampleMessage()
			blocks := make([]writerBlock, len(m.blocks))
			copy(blocks, m.blocks)
			m.blocks = blocks
			tt.change(&m)
			w, err := NewWriter(io.Discard, m.h)
			if err != nil {
				t.Fatal(err)
			}
			var at string
			for _, b := range m.blocks {
				if err = w.StartPaymentInfo(b.pi); err != nil {
					at = "start"
					break
				}
				for _, tx := range b.txs {
					if err = w.WriteTransaction(tx); err != nil {
						at = "write"
						break
					}
				}
				if err != nil {
					break
				}
			}
			if err == nil {
				err = w.Close()
				at = "close"
			}
			if !errors.Is(err, sepa.ErrCount) {
				t.Fatalf("error %v, want ErrCount", err)
			}
			if at != tt.at {
				t.Errorf("failed at %s, want %s: %v", at, tt.at, err)
			}
			// Sticky: every later call returns the same error.
			if err2 := w.Close(); err2 != err {
				t.Errorf("Close after error = %v, want %v", err2, err)
			}
			if err2 := w.WriteTransaction(m.blocks[0].txs[0]); err2 != err {
				t.Errorf("WriteTransaction after error = %v", err2)
			}
		})
	}
}

func TestWriterMisuse(t *testing.T) {
	m := exampleMessage()
	if _, err := NewWriter(io.Discard, GroupHeader{}); !errors.Is(err, ErrVersion) || !errors.Is(err, sepa.ErrIdentifier) {
		t.Errorf("empty header: %v", err)
	}
	w, _ := NewWriter(io.Discard, m.h)
	if err := w.WriteTransaction(m.blocks[0].txs[0]); !errors.Is(err, ErrWriterState) {
		t.Errorf("transaction before block: %v", err)
	}
	w, _ = NewWriter(io.Discard, m.h)
	if err := w.Close(); !errors.Is(err, ErrWriterState) {
		t.Errorf("Close without block: %v", err)
	}
	w, _ = NewWriter(io.Discard, m.h)
	m.blocks[0].pi.Scheme = "B2B"
	m.blocks[1].pi.Scheme = "CORE"
	_ = w.StartPaymentInfo(m.blocks[0].pi)
	_ = w.WriteTransaction(m.blocks[0].txs[0])
	if err := w.StartPaymentInfo(m.blocks[1].pi); !errors.Is(err, sepa.ErrCode) {
		t.Errorf("mixed schemes: %v", err)
	}
	// A transaction breaking rules stops the writer, with all its errors.
	m = exampleMessage()
	w, _ = NewWriter(io.Discard, m.h)
	_ = w.StartPaymentInfo(m.blocks[0].pi)
	tx := m.blocks[0].txs[0]
	tx.DebtorIBAN = "FR1420041010050500013M02607"
	tx.Amount = 0
	err := w.WriteTransaction(tx)
	if !errors.Is(err, sepa.ErrIBAN) || !errors.Is(err, sepa.ErrAmount) {
		t.Errorf("bad transaction: %v", err)
	}
	if w.Close() != err {
		t.Error("error not sticky")
	}
	// Closed writer.
	var out bytes.Buffer
	m = exampleMessage()
	w, _ = NewWriter(&out, m.h)
	for _, b := range m.blocks {
		_ = w.StartPaymentInfo(b.pi)
		for _, tx := range b.txs {
			_ = w.WriteTransaction(tx)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.StartPaymentInfo(m.blocks[0].pi); !errors.Is(err, ErrWriterState) {
		t.Errorf("StartPaymentInfo after Close: %v", err)
	}
}

type wrFailWriter struct{ n int }

func (f *wrFailWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterOutputError(t *testing.T) {
	m := exampleMessage()
	err := m.write(&wrFailWriter{n: 100})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v, want disk full", err)
	}
}

func TestWriterDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := b2bMessage().write(&a); err != nil {
		t.Fatal(err)
	}
	if err := b2bMessage().write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs differ")
	}
}

// benchTransaction is a typical French transaction: hybrid address,
// remittance text, FR IBAN (RIB key checked), no BIC.
func benchTransaction() Transaction {
	return Transaction{
		EndToEndID: "INV-2026-000123", Amount: 12000, MandateID: "RUM-2026-0001", MandateSigned: wrDay(2026, 11, 2),
		Debtor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{StreetName: "Place des Terreaux", BuildingNumber: "3",
			PostCode: "69001", TownName: "Lyon", Country: "FR"}},
		DebtorIBAN: "FR1420041010050500013M02606", RemittanceInfo: "Facture 2026-000123 abonnement decembre",
	}
}

func benchHeader(n int, amount int64) (GroupHeader, PaymentInfo) {
	m := exampleMessage()
	h := m.h
	h.NbOfTxs, h.CtrlSum = n, int64(n)*amount
	pi := m.blocks[1].pi
	pi.NbOfTxs, pi.CtrlSum = n, h.CtrlSum
	return h, pi
}

type wrCountWriter struct{ n int64 }

func (c *wrCountWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkWriter08(b *testing.B) {
	tx := benchTransaction()
	h, pi := benchHeader(b.N, tx.Amount)
	var out wrCountWriter
	w, err := NewWriter(&out, h)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.StartPaymentInfo(pi); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.WriteTransaction(tx); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(out.n / int64(b.N))
}

// TestWriterAllocs guards the hot path: one transaction costs at most two
// allocations (the FR RIB key check in package ident allocates).
func TestWriterAllocs(t *testing.T) {
	tx := benchTransaction()
	h, pi := benchHeader(1<<20, tx.Amount)
	w, err := NewWriter(io.Discard, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.StartPaymentInfo(pi); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if err := w.WriteTransaction(tx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("%.1f allocations per transaction, want at most 2", allocs)
	}
}

// TestWriterMillion writes a million transactions and checks memory stays
// flat (the writer keeps nothing per transaction).
func TestWriterMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	const n = 1_000_000
	tx := benchTransaction()
	h, pi := benchHeader(n, tx.Amount)
	var out wrCountWriter
	w, err := NewWriter(&out, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.StartPaymentInfo(pi); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := w.WriteTransaction(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d transactions, %d MB in %v", n, out.n>>20, time.Since(start))
	if got := cap(w.s.Buf()); got > 64<<10 {
		t.Errorf("scratch buffer grew to %d bytes", got)
	}
}
