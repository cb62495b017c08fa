package accounting

import (
	"bytes"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// Regression (issue 16, item 4): the FEC and CSV writers put an apostrophe
// before every field starting with - (or =, +, @), numbers included: a
// negative amount, which the administration's format reads as a number,
// would have become text. Only texts are neutralised; numbers, dates and
// amounts are written as they are, and a label starting with "-" keeps its
// apostrophe (README, security notes).
func TestExportsNeutraliseTextsOnly(t *testing.T) {
	lines := []Entry{
		{Journal: "BQ", JournalLabel: "Banque", Number: 7, Line: 1, Date: "2026-12-01", Account: "512000", AccountLabel: "Banques",
			Piece: "F1", PieceDate: "2026-12-01", Label: "-10 % remise", Debit: -550, ValidDate: "2026-12-01"},
		{Journal: "BQ", JournalLabel: "Banque", Number: 7, Line: 2, Date: "2026-12-01", Account: "411000", AccountLabel: "Clients",
			Aux: "411A", AuxLabel: "@home SARL", Piece: "F1", PieceDate: "2026-12-01", Label: "=1+1", Credit: -550, ValidDate: "2026-12-01"},
	}
	var fec bytes.Buffer
	fw, err := NewFECWriter(&fec, remit.EncodingUTF8)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range lines {
		fw.Write(e)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(FECColumns, "\t") + "\r\n" +
		"BQ\tBanque\t7\t20261201\t512000\tBanques\t\t\tF1\t20261201\t'-10 % remise\t-5,50\t0,00\t\t\t20261201\t\t\r\n" +
		"BQ\tBanque\t7\t20261201\t411000\tClients\t411A\t'@home SARL\tF1\t20261201\t'=1+1\t0,00\t-5,50\t\t\t20261201\t\t\r\n"
	if fec.String() != want {
		t.Errorf("FEC:\n%q\nwant\n%q", fec.String(), want)
	}
	var csvOut bytes.Buffer
	cw := NewEntryCSVWriter(&csvOut)
	for _, e := range lines {
		cw.Write(e)
	}
	cw.Close()
	want = strings.Join(CSVColumns, ",") + "\n" +
		"BQ,Banque,7,1,2026-12-01,512000,Banques,,,F1,2026-12-01,'-10 % remise,-5.50,0.00,,,2026-12-01,,\n" +
		"BQ,Banque,7,2,2026-12-01,411000,Clients,411A,'@home SARL,F1,2026-12-01,'=1+1,0.00,-5.50,,,2026-12-01,,\n"
	if csvOut.String() != want {
		t.Errorf("CSV:\n%q\nwant\n%q", csvOut.String(), want)
	}
}
