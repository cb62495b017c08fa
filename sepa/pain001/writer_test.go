package pain001

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
)

type block = initiationtest.Block[PaymentInfo, Transaction]

type message struct {
	h      GroupHeader
	blocks []block
}

// withTotals fills the declared NbOfTxs and CtrlSum from the transactions,
// as the caller's aggregate query would.
func (m message) withTotals() message {
	m.h.NbOfTxs, m.h.CtrlSum = 0, 0
	blocks := make([]block, len(m.blocks))
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

func (m message) version(v Version) message {
	m.h.Version = v
	return m
}

func (m message) write(out io.Writer) error {
	w, err := NewWriter(out, m.h)
	if err != nil {
		return err
	}
	_, err = initiationtest.Write(w, m.blocks)
	return err
}

// check runs a Checker over the whole message and returns every problem.
func (m message) check() []error {
	c, errs := NewChecker(m.h)
	for _, b := range m.blocks {
		errs = append(errs, c.PaymentInfo(b.PI)...)
		for _, tx := range b.Txs {
			errs = append(errs, c.Transaction(tx, b.PI)...)
		}
	}
	return errs
}

var acme = sepa.Party{Name: "ACME OUTILLAGE SARL", Address: sepa.Address{
	StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}}

// suppliersMessage is a supplier-payment run as the grouping of issue 20
// would produce it: three debtor banks (three PmtInf blocks, one of them
// without the bank's BIC and on another date), transfers that each pay
// several documents with credit notes netted, an early-payment discount
// taken in the amount and said in the text, creditors with structured,
// hybrid and no address, BIC present and absent, a Swiss creditor (whose
// bank is outside the EEA: the payer's address travels), an RF reference,
// a parent account (centrale) as ultimate creditor, a refund to a person,
// the smallest and largest amounts.
func suppliersMessage() message {
	bnp := PaymentInfo{ID: "ACME-SCT-20261215-0014-BNP", BatchBooking: initiationtest.Ptr(true), CategoryPurpose: "SUPP",
		ExecutionDate: initiationtest.Day(2026, 12, 15), Debtor: acme,
		DebtorIBAN: "FR7630004008280001012345691", DebtorBIC: "BNPAFRPP"}
	agri := PaymentInfo{ID: "ACME-SCT-20261215-0014-CA", BatchBooking: initiationtest.Ptr(false), Priority: "HIGH",
		ExecutionDate: initiationtest.Day(2026, 12, 15), Debtor: acme,
		DebtorIBAN: "FR7630006000011234567890189", DebtorBIC: "AGRIFRPPXXX"}
	poste := PaymentInfo{ID: "ACME-SCT-20261216-0014-LBP",
		ExecutionDate: initiationtest.Day(2026, 12, 16), Debtor: acme, DebtorIBAN: "FR7610278060760001234560136",
		UltimateDebtor: sepa.Party{Name: "ACME Outillage - Etablissement de Lyon",
			ID: sepa.PartyID{ID: "12345678200029", SchemeCode: "SRET", Issuer: "INSEE"}}}
	return message{
		h: GroupHeader{Version: V09, MsgID: "ACME-SCT-20261215-0014",
			CreatedAt: time.Date(2026, 12, 2, 9, 30, 0, 0, initiationtest.Paris),
			InitiatingParty: sepa.Party{Name: "ACME OUTILLAGE SARL",
				ID: sepa.PartyID{ID: "123456782", SchemeCode: "SREN"}}},
		blocks: []block{
			{PI: bnp, Txs: []Transaction{{
				// FA-2026-118 1 200,00 + FA-2026-119 300,00 - avoir AV-2026-007 150,00
				EndToEndID: "ACME-P-000118", Amount: 135000, CreditorBIC: "CMCIFRPP",
				Creditor: sepa.Party{Name: "Quincaillerie Durand & Fils", Address: sepa.Address{
					PostCode: "69002", TownName: "Lyon", Country: "FR",
					Lines: []string{"14 quai Saint-Antoine", "Bâtiment B"}}},
				CreditorIBAN:   "FR7617515900000801234567849",
				RemittanceInfo: "FA-2026-118 1200,00 FA-2026-119 300,00 AV-2026-007 -150,00 net 1350,00",
			}, {
				// FA-2026-120 2 000,00, escompte 2 % taken: 1 960,00
				EndToEndID: "ACME-P-000120", Amount: 196000, CreditorBIC: "SOGEFRPP",
				Creditor: sepa.Party{Name: "Aciéries de Lorraine SA", Address: sepa.Address{
					StreetName: "Avenue de la Liberté", BuildingNumber: "7", PostCode: "57000", TownName: "Metz", Country: "FR"},
					ID: sepa.PartyID{ID: "552100554", SchemeCode: "SREN"}},
				CreditorIBAN:   "FR7630003036200002001234517",
				RemittanceInfo: "FA-2026-120 2000,00 escompte 2 pour cent -40,00 net 1960,00",
			}, {
				EndToEndID: "ACME-P-000131", Amount: 48790,
				Creditor: sepa.Party{Name: "Schraubenwerk Müller GmbH", Address: sepa.Address{
					StreetName: "Große Straße", BuildingNumber: "3", PostCode: "20095", TownName: "Hamburg", Country: "DE"}},
				CreditorIBAN: "DE89370400440532013000",
				// 139 characters, 140 once converted (ß becomes ss, ä a): at the limit.
				RemittanceInfo: "Rechnungen RE-2026-4410 212,40 RE-2026-4411 198,50 RE-2026-4415 127,00 Gutschrift GS-2026-0093 -50,00 " +
					"netto 487,90 Kundennr. 88123 Maßstäbe",
			}}},
			{PI: agri, Txs: []Transaction{{
				EndToEndID: "ACME-P-000140", Amount: 1234567, CreditorBIC: "UBSWCHZH80A",
				Creditor: sepa.Party{Name: "Präzisionswerkzeuge Zürich AG", Address: sepa.Address{
					StreetName: "Bahnhofstrasse", BuildingNumber: "45", PostCode: "8001", TownName: "Zürich", Country: "CH"}},
				CreditorIBAN: "CH9300762011623852957", Purpose: "GDDS", CreditorReference: "RF18539007547034",
			}, {
				InstrID: "ACME-I-000152", EndToEndID: "ACME-P-000152", Amount: 87600,
				Creditor: sepa.Party{Name: "Transports Martin SARL Agence Nord", Address: sepa.Address{
					TownName: "Lille", Country: "FR"}},
				CreditorIBAN: "FR7611315000010400000000178",
				UltimateCreditor: sepa.Party{Name: "Groupe Martin Logistique", Address: sepa.Address{
					StreetName: "Quai du Lazaret", PostCode: "13002", TownName: "Marseille", Country: "FR"},
					ID: sepa.PartyID{ID: "401MARTIN", SchemeCode: "CUST"}},
				RemittanceInfo: "Releve 2026-11 factures FT-881 FT-886 FT-902 avoir AT-77",
			}}},
			{PI: poste, Txs: []Transaction{{
				EndToEndID: "ACME-R-000007", Amount: 1,
				Creditor:     sepa.Party{Name: "Jean Dupont"},
				CreditorIBAN: "FR1420041010050500013M02606", Currency: "EUR",
				RemittanceInfo: "Remboursement trop-percu facture F2026-0042",
			}, {
				EndToEndID: "ACME-P-000999", Amount: sepa.MaxAmount, CreditorBIC: "COBADEFFXXX",
				Creditor: sepa.Party{Name: "Maschinenbau Nord AG", Address: sepa.Address{
					StreetName: "Hafenstraße", BuildingNumber: "1", PostCode: "28195", TownName: "Bremen", Country: "DE"}},
				CreditorIBAN: "DE89370400440532013000", RemittanceInfo: "Anlage 2026 Rate 1",
			}}},
		},
	}.withTotals()
}

// textMessage: transliteration of every free-text field, markup and quotes
// in names, long names cut at 70, a remittance text that folds to nothing,
// and an address-lines-only creditor address in a block executed before
// 15 November 2026.
func textMessage() message {
	pi := PaymentInfo{
		Debtor: sepa.Party{Name: "Société Générale d'Œuvres & Fils — «Le Bœuf»",
			Address: sepa.Address{StreetName: "Allée des Érables\t(bâtiment C)", BuildingNumber: "7°",
				PostCode: "42000", TownName: "Saint-Étienne", Country: "FR"}},
		DebtorIBAN: "FR7630004008280001012345691", DebtorBIC: "BNPAFRPP",
		UltimateDebtor: sepa.Party{Name: "L'Œil & la Plume <SARL>"},
	}
	late, early := pi, pi
	late.ID, late.ExecutionDate = "TXT-LATE", initiationtest.Day(2026, 11, 16)
	early.ID, early.ExecutionDate = "TXT-EARLY", initiationtest.Day(2026, 11, 13)
	return message{
		h: GroupHeader{Version: V09, MsgID: "TXT-2026-11", CreatedAt: time.Date(2026, 11, 10, 9, 0, 0, 0, initiationtest.Paris),
			InitiatingParty: sepa.Party{Name: "Société Générale d'Œuvres & Fils"}},
		blocks: []block{
			{PI: late, Txs: []Transaction{{
				EndToEndID: "T-1", Amount: 123456,
				Creditor: sepa.Party{Name: "Ærøskøbing Straße <b>fett</b>", Address: sepa.Address{
					StreetName: "Große Straße", BuildingNumber: "3", PostCode: "D-20095", TownName: "Hamburg", Country: "DE"}},
				CreditorIBAN:   "DE89370400440532013000",
				RemittanceInfo: "Facture n° 42 — 1 500,00 € TTC ; payée à 100 % _ merci !",
			}, {
				EndToEndID: "T-2", Amount: 5,
				Creditor:         sepa.Party{Name: "</Nm><InstdAmt Ccy=\"EUR\">999</InstdAmt><Nm>Evil & Co"},
				CreditorIBAN:     "FR7630006000011234567890189",
				UltimateCreditor: sepa.Party{Name: "O'Brien \"Bob\"\tand\r\nsons   [Ireland] {IE} @home #1 *star* 50% a=b|c~d^e\\f`g"},
				RemittanceInfo:   strings.Repeat("Abonnement ", 12) + "fin",
			}, {
				EndToEndID: "T-3", Amount: 99,
				Creditor: sepa.Party{Name: strings.Repeat("Établissements Dupont-Durand ", 4), Address: sepa.Address{
					TownName: "Pointe-à-Pitre", Country: "GP", Lines: []string{"Résidence « Les Flamboyants »", "Bât. 4, appt 12"}}},
				CreditorIBAN: "FR7610278060760001234560136", RemittanceInfo: "   ",
			}}},
			{PI: early, Txs: []Transaction{{
				EndToEndID: "T-4", Amount: 1000,
				Creditor: sepa.Party{Name: "Jean Dupont", Address: sepa.Address{Country: "FR",
					Lines: []string{"3 place des Terreaux", "69001 Lyon"}}},
				CreditorIBAN: "FR1420041010050500013M02606",
			}}},
		},
	}.withTotals()
}

var goldenMessages = []struct {
	name string
	msg  func() message
}{
	{"suppliers", suppliersMessage},
	{"text", textMessage},
}

var versionSuffix = map[Version]string{V09: "09", V03: "03"}

// TestWriterGolden writes every scenario in both versions, compares the
// bytes with testdata/writer/<name>_<version>.xml (-update rewrites them)
// and validates each file against the official schema.
func TestWriterGolden(t *testing.T) {
	for _, g := range goldenMessages {
		for _, v := range []Version{V09, V03} {
			name := g.name + "_" + versionSuffix[v] + ".xml"
			t.Run(name, func(t *testing.T) {
				m := g.msg().version(v)
				if errs := m.check(); errs != nil {
					t.Fatalf("the Checker refuses the scenario: %v", errors.Join(errs...))
				}
				var out bytes.Buffer
				if err := m.write(&out); err != nil {
					t.Fatal(err)
				}
				initiationtest.Golden(t, filepath.Join("testdata", "writer", name), out.Bytes(), v.XSD())
			})
		}
	}
}

// TestWriterGoldenContent checks, in the bytes, what the scenarios are
// about: netting and discount in the text, agents with and without BIC in
// both versions, the execution date's form, the 140-character remittance.
func TestWriterGoldenContent(t *testing.T) {
	for _, v := range []Version{V09, V03} {
		var out bytes.Buffer
		if err := suppliersMessage().version(v).write(&out); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		want := []string{
			"<Ustrd>FA-2026-118 1200,00 FA-2026-119 300,00 AV-2026-007 -150,00 net 1350,00</Ustrd>",
			"<InstdAmt Ccy=\"EUR\">1350.00</InstdAmt>",
			"<InstdAmt Ccy=\"EUR\">1960.00</InstdAmt>",
			"<InstdAmt Ccy=\"EUR\">0.01</InstdAmt>",
			"<InstdAmt Ccy=\"EUR\">999999999.99</InstdAmt>",
			"<PmtMtd>TRF</PmtMtd>",
			"<ChrgBr>SLEV</ChrgBr>",
			"<CtgyPurp><Cd>SUPP</Cd></CtgyPurp>",
			"<InstrPrty>HIGH</InstrPrty>",
			"<Nm>Schraubenwerk Muller GmbH</Nm>",
		}
		bicTag := "BICFI"
		if v == V03 {
			bicTag = "BIC"
			want = append(want, "<ReqdExctnDt>2026-12-15</ReqdExctnDt>",
				"<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>")
		} else {
			want = append(want, "<ReqdExctnDt><Dt>2026-12-15</Dt></ReqdExctnDt>", "<DbtrAgt><FinInstnId/></DbtrAgt>")
			if strings.Contains(s, "NOTPROVIDED") {
				t.Errorf("%s: NOTPROVIDED written", v)
			}
		}
		want = append(want, "<CdtrAgt><FinInstnId><"+bicTag+">CMCIFRPP</"+bicTag+"></FinInstnId></CdtrAgt>",
			"<DbtrAgt><FinInstnId><"+bicTag+">BNPAFRPP</"+bicTag+"></FinInstnId></DbtrAgt>")
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: output lacks %s", v, w)
			}
		}
		if n := strings.Count(s, "<CdtrAgt>"); n != 4 {
			t.Errorf("%s: %d CdtrAgt, want 4 (one per creditor BIC)", v, n)
		}
		i := strings.Index(s, "<Ustrd>Rechnungen")
		j := strings.Index(s[i:], "</Ustrd>")
		if got := j - len("<Ustrd>"); got != 140 {
			t.Errorf("%s: long remittance text has %d characters, want exactly 140", v, got)
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
	for _, bad := range []string{"&", "\"EUR\">999", "<b>", "\t", "\r", "é", "Œ", "ß", "€", "<RmtInf><Ustrd></Ustrd>"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if n := strings.Count(s, "<InstdAmt"); n != 4 {
		t.Errorf("%d InstdAmt elements, want 4", n)
	}
	if n := strings.Count(s, "<RmtInf>"); n != 2 {
		t.Errorf("%d RmtInf elements, want 2 (a text that folds to nothing writes none)", n)
	}
	for _, want := range []string{
		"<Nm>/Nm InstdAmt Ccy 'EUR' 999 /InstdAmt Nm Evil + Co</Nm>",
		"<Nm>Societe Generale d'OEuvres + Fils - 'Le Boeuf'</Nm>",
		"<Nm>AEroskobing Strasse b fett /b</Nm>",
		"<Ustrd>Facture no 42 - 1 500,00 EUR TTC , payee a 100 - merci .</Ustrd>",
		"<TwnNm>Saint-Etienne</TwnNm>",
		"<StrtNm>Allee des Erables (batiment C)</StrtNm>",
		"<BldgNb>7o</BldgNb>",
		"<Nm>" + strings.TrimSpace(strings.Repeat("Etablissements Dupont-Durand ", 3)[:70]) + "</Nm>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}

func TestWriterCountMismatch(t *testing.T) {
	tests := []struct {
		name   string
		change func(*message)
		at     string // which call fails
	}{
		{"block count too high", func(m *message) { m.blocks[0].PI.NbOfTxs++; m.h.NbOfTxs++ }, "start"},
		{"block sum too high", func(m *message) { m.blocks[0].PI.CtrlSum++; m.h.CtrlSum++ }, "start"},
		{"block count too low", func(m *message) { m.blocks[1].PI.NbOfTxs--; m.blocks[1].PI.CtrlSum -= 87600 }, "write"},
		{"block sum too low", func(m *message) { m.blocks[1].PI.CtrlSum -= 1 }, "write"},
		{"last block count", func(m *message) { m.blocks[2].PI.NbOfTxs++; m.blocks[2].PI.CtrlSum++ }, "close"},
		{"group count too high", func(m *message) { m.h.NbOfTxs++; m.h.CtrlSum++ }, "close"},
		{"group sum too high", func(m *message) { m.h.CtrlSum += 100 }, "close"},
		{"group count too low", func(m *message) { m.h.NbOfTxs--; m.h.CtrlSum -= sepa.MaxAmount }, "write"},
		{"group sum too low", func(m *message) { m.h.CtrlSum-- }, "write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := suppliersMessage()
			tt.change(&m)
			w, err := NewWriter(io.Discard, m.h)
			if err != nil {
				t.Fatal(err)
			}
			at, err := initiationtest.Write(w, m.blocks)
			if !errors.Is(err, sepa.ErrCount) {
				t.Fatalf("error %v, want sepa.ErrCount", err)
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
			if err2 := w.StartPaymentInfo(m.blocks[0].PI); err2 != err {
				t.Errorf("StartPaymentInfo after error = %v", err2)
			}
		})
	}
}

func TestWriterMisuse(t *testing.T) {
	m := suppliersMessage()
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
	// The same PmtInfId twice.
	w, _ = NewWriter(io.Discard, m.h)
	_ = w.StartPaymentInfo(m.blocks[0].PI)
	for _, tx := range m.blocks[0].Txs {
		_ = w.WriteTransaction(tx)
	}
	again := m.blocks[1].PI
	again.ID = m.blocks[0].PI.ID
	if err := w.StartPaymentInfo(again); !errors.Is(err, sepa.ErrDuplicate) {
		t.Errorf("PmtInfId twice: %v", err)
	}
	// A transaction breaking rules stops the writer, with all its errors.
	w, _ = NewWriter(io.Discard, m.h)
	_ = w.StartPaymentInfo(m.blocks[0].PI)
	tx := m.blocks[0].Txs[0]
	tx.CreditorIBAN = "FR7617515900000801234567848"
	tx.Amount = 0
	tx.Currency = "CHF"
	err := w.WriteTransaction(tx)
	if !errors.Is(err, sepa.ErrIBAN) || !errors.Is(err, sepa.ErrAmount) || !errors.Is(err, sepa.ErrCurrency) {
		t.Errorf("bad transaction: %v", err)
	}
	if w.Close() != err {
		t.Error("error not sticky")
	}
	// Closed writer.
	var out bytes.Buffer
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
	var full bytes.Buffer
	if err := suppliersMessage().write(&full); err != nil {
		t.Fatal(err)
	}
	// The output is buffered: a failure shows at the flush, in Close at the latest.
	for _, n := range []int{0, 100, full.Len() - 1} {
		err := suppliersMessage().write(&initiationtest.FailWriter{N: n})
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("failing after %d bytes: error %v, want disk full", n, err)
		}
	}
}

func TestWriterDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := suppliersMessage().write(&a); err != nil {
		t.Fatal(err)
	}
	if err := suppliersMessage().write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs differ")
	}
}

// benchTransaction is a typical supplier payment: French creditor with a
// structured address, BIC, a remittance text listing three documents, FR
// IBAN (RIB key checked).
func benchTransaction() Transaction {
	return Transaction{
		EndToEndID: "ACME-P-000118", Amount: 135000, CreditorBIC: "CMCIFRPP",
		Creditor: sepa.Party{Name: "Quincaillerie Durand et Fils", Address: sepa.Address{
			StreetName: "Quai Saint-Antoine", BuildingNumber: "14", PostCode: "69002", TownName: "Lyon", Country: "FR"}},
		CreditorIBAN:   "FR7617515900000801234567849",
		RemittanceInfo: "FA-2026-118 1200,00 FA-2026-119 300,00 AV-2026-007 -150,00",
	}
}

func benchHeader(n int, amount int64) (GroupHeader, PaymentInfo) {
	m := suppliersMessage()
	h := m.h
	h.NbOfTxs, h.CtrlSum = n, int64(n)*amount
	pi := m.blocks[0].PI
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

// BenchmarkWriter09 measures one transfer written (rules checked, XML
// built, buffered): go test ./sepa/pain001 -run '^$' -bench Writer09 -benchmem
func BenchmarkWriter09(b *testing.B) { initiationtest.BenchWriter(b, open, benchTransaction()) }

func TestWriterAllocs(t *testing.T) { initiationtest.WriterAllocs(t, open, benchTransaction()) }

func TestWriterMillion(t *testing.T) { initiationtest.WriterMillion(t, open, benchTransaction()) }
