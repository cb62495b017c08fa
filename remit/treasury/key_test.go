package treasury

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/sepa/camt053"
)

// dayStatement is one day of BQ2's account, 1 December 2026: an SDD block
// credited, a collection returned, a transfer received, a fee.
func dayStatement() statement.Statement {
	d := date(2026, 12, 1)
	return statement.Statement{
		Account: statement.Account{IBAN: "FR7610096000502468013579016"}, Currency: "EUR",
		Opening: statement.Balance{Date: date(2026, 11, 30), Amount: 100000},
		Closing: statement.Balance{Date: d, Amount: 100000 + 25000 - 10000 + 30000 - 450},
		Entries: []statement.Entry{
			{Amount: 25000, Status: statement.StatusBook, BookingDate: d, ValueDate: d, Code: statement.Code{Proprietary: "A2", Issuer: statement.IssuerCFONB},
				Label: "REMISE PRLV SEPA B2B", Details: []statement.Detail{{PmtInfID: "REMIT-2026-0000002", Amount: 25000}}},
			{Amount: -10000, Status: statement.StatusBook, BookingDate: d, ValueDate: d, Code: statement.Code{Proprietary: "B4", Issuer: statement.IssuerCFONB},
				Label: "IMPAYE PRLV SEPA", Details: []statement.Detail{{EndToEndID: "F2026-0051", Amount: -10000}}},
			{Amount: 30000, Status: statement.StatusBook, BookingDate: d, ValueDate: d, Code: statement.Code{Proprietary: "05", Issuer: statement.IssuerCFONB},
				Label: "VIR SEPA RECU", Details: []statement.Detail{{EndToEndID: "F2026-0077", Amount: 30000, Remittance: []string{"FACTURE F2026-0077"}}}},
			{Amount: -450, Status: statement.StatusBook, BookingDate: d, ValueDate: d, Code: statement.Code{Proprietary: "62", Issuer: statement.IssuerCFONB},
				Label: "FRAIS"},
		},
	}
}

// writeCFONB writes sts as a CFONB 120 file.
func writeCFONB(t testing.TB, sts ...statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := cfonb120.NewWriter(&buf, cfonb120.WriterOptions{EOL: cfonb.LF})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeCamt writes sts as a camt.053 message of version v.
func writeCamt(t testing.TB, v string, sts ...statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := camt053.NewWriter(&buf, camt053.WriterOptions{Version: v, MsgID: "TEST-MSG-1", Created: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)})
	for i := range sts {
		if err := w.Write(&sts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestKeySameInBothFormats: the same day written as CFONB 120 and as
// camt.053 (.02 and .08, with the opening balance dated the period's
// first day as ISO has it, under a statement id) is one statement.
func TestKeySameInBothFormats(t *testing.T) {
	st := dayStatement()
	fromCFONB := readCFONB(t, writeCFONB(t, st))
	camt := dayStatement()
	camt.ID, camt.Sequence = "BQ2-20261201", "12"
	camt.Opening.Date = date(2026, 12, 1)
	want := KeyOf(&fromCFONB)
	for _, v := range []string{statement.Camt053V02, statement.Camt053V08} {
		fromCamt := readCamt(t, writeCamt(t, v, camt))
		got := KeyOf(&fromCamt)
		if got.ID() != want.ID() {
			t.Errorf("%s: %s, CFONB 120 %s\n%+v\n%+v", v, got.ID(), want.ID(), got, want)
		}
		if got.Ref != "BQ2-20261201" || got.Sequence != "12" || !got.From.Equal(date(2026, 12, 1)) {
			t.Errorf("%s: %+v", v, got)
		}
	}
	if !want.From.Equal(date(2026, 12, 1)) || !want.Date.Equal(date(2026, 12, 1)) || want.Booked != 4 {
		t.Errorf("CFONB 120 key %+v", want)
	}
	if id := want.ID(); id[:len("FR7610096000502468013579016/2026-12-01/")] != "FR7610096000502468013579016/2026-12-01/" || len(id) != 39+24 {
		t.Errorf("ID %s", id)
	}
}

func TestKeyID(t *testing.T) {
	base := dayStatement()
	id := KeyOf(&base).ID()
	for _, tt := range []struct {
		name   string
		change func(*statement.Statement)
		same   bool
	}{
		{"entries in another order", func(s *statement.Statement) { slices.Reverse(s.Entries) }, true},
		{"another label, references, value date", func(s *statement.Statement) {
			s.Entries[0].Label, s.Entries[0].Details, s.Entries[0].ValueDate = "X", nil, date(2026, 12, 3)
		}, true},
		{"a statement id and another message", func(s *statement.Statement) { s.ID, s.MessageID, s.Sequence = "A", "B", "7" }, true},
		{"a pending entry added", func(s *statement.Statement) {
			s.Entries = append(s.Entries, statement.Entry{Amount: 999, Status: "PDNG"})
		}, true},
		{"the opening date", func(s *statement.Statement) { s.Opening.Date = date(2026, 12, 1) }, true},
		{"another closing date", func(s *statement.Statement) { s.Closing.Date = date(2026, 12, 2) }, false},
		{"another account", func(s *statement.Statement) { s.Account.IBAN = refIBAN }, false},
		{"another currency", func(s *statement.Statement) { s.Currency = "CHF" }, false},
		{"one amount split in two", func(s *statement.Statement) {
			s.Entries[2].Amount = 20000
			s.Entries = append(s.Entries, statement.Entry{Amount: 10000, Status: statement.StatusBook})
		}, false},
		{"amounts moved between balances and entries", func(s *statement.Statement) {
			s.Opening.Amount += 450
			s.Entries[3].Amount = -900
		}, false},
	} {
		s := dayStatement()
		tt.change(&s)
		if got := KeyOf(&s).ID(); (got == id) != tt.same {
			t.Errorf("%s: %s, was %s", tt.name, got, id)
		}
	}
}

func TestKeyOverlaps(t *testing.T) {
	key := func(acct string, from, to time.Time) Key { return Key{Account: acct, From: from, Date: to} }
	dec := func(d int) time.Time { return date(2026, 12, d) }
	for _, tt := range []struct {
		a, b Key
		want bool
	}{
		{key("A", dec(1), dec(1)), key("A", dec(2), dec(2)), false}, // the next day
		{key("A", dec(1), dec(1)), key("A", dec(1), dec(1)), true},
		{key("A", dec(1), dec(7)), key("A", dec(3), dec(3)), true}, // a week and a day of it
		{key("A", dec(3), dec(3)), key("A", dec(1), dec(7)), true},
		{key("A", dec(1), dec(3)), key("A", dec(3), dec(5)), true},
		{key("A", dec(1), dec(3)), key("A", dec(4), dec(5)), false},
		{key("A", dec(1), dec(1)), key("B", dec(1), dec(1)), false}, // another account
	} {
		if got := tt.a.Overlaps(tt.b); got != tt.want {
			t.Errorf("%+v overlaps %+v: %v", tt.a, tt.b, got)
		}
	}
	// Two daily CFONB 120 statements of one file follow each other.
	day1, day2 := dayStatement(), dayStatement()
	day2.Opening, day2.Closing.Date = statement.Balance{Date: date(2026, 12, 1), Amount: day1.Closing.Amount}, date(2026, 12, 2)
	day2.Closing.Amount = day1.Closing.Amount + day1.Closing.Amount - day1.Opening.Amount
	for i := range day2.Entries {
		day2.Entries[i].BookingDate, day2.Entries[i].ValueDate = date(2026, 12, 2), date(2026, 12, 2)
	}
	sts, err := cfonb120.ReadAll(bytes.NewReader(writeCFONB(t, day1, day2)))
	if err != nil || len(sts) != 2 {
		t.Fatal(len(sts), err)
	}
	if k1, k2 := KeyOf(&sts[0]), KeyOf(&sts[1]); k1.Overlaps(k2) || k1.ID() == k2.ID() {
		t.Errorf("%+v and %+v", k1, k2)
	}
}
