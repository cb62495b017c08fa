package pain008

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
)

type writerBlock = initiationtest.Block[PaymentInfo, Transaction]

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
		b.PI.NbOfTxs, b.PI.CtrlSum = 0, 0
		for _, tx := range b.Txs {
			b.PI.NbOfTxs++
			b.PI.CtrlSum += tx.Amount
		}
		m.h.NbOfTxs += b.PI.NbOfTxs
		m.h.CtrlSum += b.PI.CtrlSum
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
	_, err = initiationtest.Write(w, m.blocks)
	return err
}

var wrAcme = sepa.Party{Name: "ACME SAS", Address: sepa.Address{
	StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}}

// exampleMessage has the content of
// shared/reference/examples/sepa/pain.008.001.08.example.xml.
func exampleMessage() writerMessage {
	creditor := PaymentInfo{
		BatchBooking: initiationtest.Ptr(true), Scheme: "CORE", CollectionDate: initiationtest.Day(2026, 12, 1),
		Creditor: wrAcme, CreditorIBAN: "FR7630006000011234567890189", CreditorBIC: "AGRIFRPPXXX",
		CreditorSchemeID: "FR72ZZZ123456",
	}
	frst, rcur := creditor, creditor
	frst.ID, frst.SeqType = "ACME-SDD-20261201-0001-FRST-CORE", "FRST"
	rcur.ID, rcur.SeqType = "ACME-SDD-20261201-0001-RCUR-CORE", "RCUR"
	rcur.UltimateCreditor = sepa.Party{Name: "ACME Services"}
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "ACME-SDD-20261201-0001",
			CreatedAt: time.Date(2026, 11, 27, 10, 15, 0, 0, initiationtest.Paris), InitiatingParty: sepa.Party{Name: "ACME SAS"}},
		blocks: []writerBlock{
			{PI: frst, Txs: []Transaction{{
				InstrID: "REC-000001", EndToEndID: "INV-2026-000123", Amount: 12000,
				MandateID: "RUM-2026-0001", MandateSigned: initiationtest.Day(2026, 11, 2),
				Debtor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{
					PostCode: "69001", TownName: "Lyon", Country: "FR", Lines: []string{"3 place des Terreaux"}}},
				DebtorIBAN: "FR1420041010050500013M02606", Purpose: "OTHR", CreditorReference: "RF98INV2026000123",
			}}},
			{PI: rcur, Txs: []Transaction{{
				EndToEndID: "INV-2026-000124", Amount: 20000,
				MandateID: "RUM-2024-0042", MandateSigned: initiationtest.Day(2024, 3, 15),
				Amendment: &Amendment{NewDebtorAccount: true},
				DebtorBIC: "ABNANL2A",
				Debtor: sepa.Party{Name: "Jan de Vries", Address: sepa.Address{
					StreetName: "Damrak", BuildingNumber: "1", PostCode: "1012 LG", TownName: "Amsterdam", Country: "NL"}},
				DebtorIBAN: "NL91ABNA0417164300", RemittanceInfo: "Facture 2026-000124 abonnement décembre",
			}, {
				EndToEndID: "INV-2026-000125", Amount: 4050,
				MandateID: "RUM-2023-0007", MandateSigned: initiationtest.Day(2023, 1, 10),
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
		Scheme: "B2B", CollectionDate: initiationtest.Day(2027, 1, 4), // Monday after New Year
		Creditor: sepa.Party{Name: "Transports Martin SARL",
			Address: sepa.Address{TownName: "Marseille", PostCode: "13002", Country: "FR",
				Lines: []string{"Quai du Lazaret", "Batiment B"}},
			ID: sepa.PartyID{ID: "552100554", SchemeCode: "SREN"}},
		CreditorIBAN: "FR7630004008280001012345691", CreditorBIC: "BNPAFRPP",
		CreditorSchemeID: "FR72ZZZ123456",
	}
	ooff, fnal := pi, pi
	ooff.ID, ooff.SeqType, ooff.BatchBooking = "TM-2027-01-OOFF", "OOFF", initiationtest.Ptr(false)
	fnal.ID, fnal.SeqType = "TM-2027-01-FNAL", "FNAL"
	fnal.UltimateCreditor = sepa.Party{Name: "Martin Logistique",
		Address: sepa.Address{TownName: "Aix-en-Provence", Country: "FR"}}
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "TM-2027-01", CreatedAt: time.Date(2026, 12, 30, 17, 5, 9, 0, initiationtest.Paris),
			InitiatingParty: sepa.Party{Name: "Transports Martin", ID: sepa.PartyID{ID: "552100554", SchemeCode: "SREN"}}},
		blocks: []writerBlock{
			{PI: ooff, Txs: []Transaction{{
				InstrID: "TM-I-1", EndToEndID: "F2026-0042", Amount: 1,
				MandateID: "B2B-2026-17", MandateSigned: initiationtest.Day(2026, 12, 30),
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
			{PI: fnal, Txs: []Transaction{{
				EndToEndID: "F2026-0043", Amount: sepa.MaxAmount,
				MandateID: "B2B-2019-3", MandateSigned: initiationtest.Day(2019, 6, 1),
				Debtor: sepa.Party{Name: "Chocolats Suisses SA", Address: sepa.Address{
					StreetName: "Bahnhofstrasse", BuildingNumber: "1", PostCode: "8001", TownName: "Zürich", Country: "CH"}},
				DebtorIBAN: "CH9300762011623852957", CreditorReference: "RF18539007547034",
			}, {
				EndToEndID: "F2026-0044", Amount: 100,
				MandateID: "B2B-2020-9", MandateSigned: initiationtest.Day(2020, 2, 29),
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
	late.ID, late.CollectionDate = "TXT-LATE", initiationtest.Day(2026, 11, 16)
	early.ID, early.CollectionDate = "TXT-EARLY", initiationtest.Day(2026, 11, 13)
	return writerMessage{
		h: GroupHeader{Version: V08, MsgID: "TXT-2026-11", CreatedAt: time.Date(2026, 11, 10, 9, 0, 0, 0, initiationtest.Paris),
			InitiatingParty: sepa.Party{Name: "Société Générale d'Œuvres & Fils"}},
		blocks: []writerBlock{
			{PI: late, Txs: []Transaction{{
				EndToEndID: "T-1", Amount: 123456, MandateID: "M-1", MandateSigned: initiationtest.Day(2025, 1, 1),
				Debtor: sepa.Party{Name: "Ærøskøbing Straße <b>fett</b>", Address: sepa.Address{
					StreetName: "Große Straße", BuildingNumber: "3", PostCode: "D-20095", TownName: "Hamburg", Country: "DE"}},
				DebtorIBAN:     "DE89370400440532013000",
				RemittanceInfo: "Facture n° 42 — 1 500,00 € TTC ; payée à 100 % _ merci !",
			}, {
				EndToEndID: "T-2", Amount: 5, MandateID: "M-2", MandateSigned: initiationtest.Day(2025, 1, 1),
				Debtor:         sepa.Party{Name: "</Nm><InstdAmt Ccy=\"EUR\">999</InstdAmt><Nm>Evil & Co"},
				DebtorIBAN:     "FR7630006000011234567890189",
				UltimateDebtor: sepa.Party{Name: "O'Brien \"Bob\"\tand\r\nsons   [Ireland] {IE} @home #1 *star* 50% a=b|c~d^e\\f`g"},
				RemittanceInfo: strings.Repeat("Abonnement mensuel ", 10),
			}, {
				EndToEndID: "T-3", Amount: 99, MandateID: "M-3", MandateSigned: initiationtest.Day(2025, 1, 1),
				Debtor: sepa.Party{Name: strings.Repeat("Établissements Dupont-Durand ", 4), Address: sepa.Address{
					TownName: "Pointe-à-Pitre", Country: "GP", Lines: []string{"Résidence « Les Flamboyants »", "Bât. 4, appt 12"}}},
				DebtorIBAN: "FR7610278060760001234560136", RemittanceInfo: "   ",
			}}},
			{PI: early, Txs: []Transaction{{
				EndToEndID: "T-4", Amount: 1000, MandateID: "M-4", MandateSigned: initiationtest.Day(2025, 1, 1),
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
				initiationtest.Golden(t, filepath.Join("testdata", "writer", name), out.Bytes(), v.XSD())
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
			t.Errorf("%s: output differs from the reference example:\n%s", v, initiationtest.FirstDiff(out.String(), string(want)))
		}
	}
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
		{"block count too high", func(m *writerMessage) { m.blocks[0].PI.NbOfTxs++; m.h.NbOfTxs++ }, "start"},
		{"block sum too high", func(m *writerMessage) { m.blocks[0].PI.CtrlSum++; m.h.CtrlSum++ }, "start"},
		{"block count too low", func(m *writerMessage) { m.blocks[1].PI.NbOfTxs--; m.blocks[1].PI.CtrlSum -= 4050 }, "write"},
		{"block sum too low", func(m *writerMessage) { m.blocks[1].PI.CtrlSum -= 1 }, "write"},
		{"last block count", func(m *writerMessage) { m.blocks[1].PI.NbOfTxs++; m.blocks[1].PI.CtrlSum++ }, "close"},
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
			at, err := initiationtest.Write(w, m.blocks)
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
			if err2 := w.WriteTransaction(m.blocks[0].Txs[0]); err2 != err {
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
	if err := w.WriteTransaction(m.blocks[0].Txs[0]); !errors.Is(err, ErrWriterState) {
		t.Errorf("transaction before block: %v", err)
	}
	w, _ = NewWriter(io.Discard, m.h)
	if err := w.Close(); !errors.Is(err, ErrWriterState) {
		t.Errorf("Close without block: %v", err)
	}
	w, _ = NewWriter(io.Discard, m.h)
	m.blocks[0].PI.Scheme = "B2B"
	m.blocks[1].PI.Scheme = "CORE"
	_ = w.StartPaymentInfo(m.blocks[0].PI)
	_ = w.WriteTransaction(m.blocks[0].Txs[0])
	if err := w.StartPaymentInfo(m.blocks[1].PI); !errors.Is(err, sepa.ErrCode) {
		t.Errorf("mixed schemes: %v", err)
	}
	// A transaction breaking rules stops the writer, with all its errors.
	m = exampleMessage()
	w, _ = NewWriter(io.Discard, m.h)
	_ = w.StartPaymentInfo(m.blocks[0].PI)
	tx := m.blocks[0].Txs[0]
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
	if _, err := initiationtest.Write(w, m.blocks); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.StartPaymentInfo(m.blocks[0].PI); !errors.Is(err, ErrWriterState) {
		t.Errorf("StartPaymentInfo after Close: %v", err)
	}
}

func TestWriterOutputError(t *testing.T) {
	m := exampleMessage()
	err := m.write(&initiationtest.FailWriter{N: 100})
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
		EndToEndID: "INV-2026-000123", Amount: 12000, MandateID: "RUM-2026-0001", MandateSigned: initiationtest.Day(2026, 11, 2),
		Debtor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{StreetName: "Place des Terreaux", BuildingNumber: "3",
			PostCode: "69001", TownName: "Lyon", Country: "FR"}},
		DebtorIBAN: "FR1420041010050500013M02606", RemittanceInfo: "Facture 2026-000123 abonnement decembre",
	}
}

func benchHeader(n int, amount int64) (GroupHeader, PaymentInfo) {
	m := exampleMessage()
	h := m.h
	h.NbOfTxs, h.CtrlSum = n, int64(n)*amount
	pi := m.blocks[1].PI
	pi.NbOfTxs, pi.CtrlSum = n, h.CtrlSum
	return h, pi
}

// open starts a Writer for the hot-path tests.
func open(out io.Writer, n int) (initiationtest.Stream[Transaction], func() int, error) {
	tx := benchTransaction()
	h, pi := benchHeader(n, tx.Amount)
	w, err := NewWriter(out, h)
	if err != nil {
		return nil, nil, err
	}
	return w, func() int { return cap(w.s.Buf()) }, w.StartPaymentInfo(pi)
}

func BenchmarkWriter08(b *testing.B) { initiationtest.BenchWriter(b, open, benchTransaction()) }

func TestWriterAllocs(t *testing.T) { initiationtest.WriterAllocs(t, open, benchTransaction()) }

func TestWriterMillion(t *testing.T) { initiationtest.WriterMillion(t, open, benchTransaction()) }
