package cfonb120

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/remit-dev/remit/cfonb"
)

var exampleAccount = Account{Bank: "12345", Branch: "00100", Currency: "EUR", Decimals: 2, Number: "00012345678"}

// TestRecords: each record type, struct → exact line (built from the
// positions of CFONB120.md, not from the zone tables) → parsed back →
// equal. The lines are the examples of CFONB120.md §5-§8.
func TestRecords(t *testing.T) {
	xpf := exampleAccount
	xpf.Currency, xpf.Decimals = "XPF", 0
	acct := map[int]string{1: "", 3: "12345", 12: "00100", 17: "EUR", 20: "2", 22: "00012345678"}
	with := func(code string, a map[int]string, more map[int]string) map[int]string {
		m := map[int]string{1: code}
		for k, v := range a {
			if k != 1 {
				m[k] = v
			}
		}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	xpfZones := map[int]string{3: "12345", 12: "00100", 17: "XPF", 20: "0", 22: "00012345678"}
	tests := []struct {
		name string
		rec  Record
		at   map[int]string
	}{
		{"01 créditeur", &OldBalance{Account: exampleAccount, Date: date(2025, 2, 28), Amount: 1023456},
			with("01", acct, map[int]string{35: "280225", 91: "0000000102345F"})},
		{"01 débiteur", &OldBalance{Account: exampleAccount, Date: date(2025, 1, 31), Amount: -150000},
			with("01", acct, map[int]string{35: "310125", 91: "0000000015000}"})},
		{"01 XPF without decimals", &OldBalance{Account: xpf, Date: date(2025, 1, 31), Amount: 12500000},
			with("01", xpfZones, map[int]string{35: "310125", 91: "0000000012500{"})},
		{"04 SEPA remise", &Movement{Account: exampleAccount, Internal: "RPRL", OpCode: "A1", Date: date(2025, 3, 3),
			ValueDate: date(2025, 3, 3), Label: "REMISE PRLV SEPA CORE", Number: "0000042", Amount: 125000, Reference: "RPRL0303250001"},
			with("04", acct, map[int]string{8: "RPRL", 33: "A1", 35: "030325", 43: "030325", 49: "REMISE PRLV SEPA CORE",
				82: "0000042", 91: "0000000012500{", 105: "RPRL0303250001"})},
		{"04 impayé with motif", &Movement{Account: exampleAccount, Internal: "IPRL", OpCode: "B3", Date: date(2025, 3, 3), RejectReason: "64",
			ValueDate: date(2025, 3, 3), Label: "IMPAYE PRLV SEPA DUPONT JEAN", Number: "0000000", Amount: -8000},
			with("04", acct, map[int]string{8: "IPRL", 33: "B3", 35: "030325", 41: "64", 43: "030325", 49: "IMPAYE PRLV SEPA DUPONT JEAN",
				82: "0000000", 91: "0000000000800}"})},
		{"04 cheque exonéré", &Movement{Account: exampleAccount, Internal: "CHQP", OpCode: "01", Date: date(2025, 3, 3),
			ValueDate: date(2025, 3, 3), Label: "CHEQUE 1234567", Number: "1234567", Exempt: "1", Amount: -4590},
			with("04", acct, map[int]string{8: "CHQP", 33: "01", 35: "030325", 43: "030325", 49: "CHEQUE 1234567",
				82: "1234567", 89: "1", 91: "0000000000459}"})},
		{"04 every digit and sign", &Movement{Account: exampleAccount, OpCode: "99", Date: date(2099, 12, 31),
			ValueDate: date(2000, 1, 1), Unavailable: "0", Amount: -2310975},
			with("04", acct, map[int]string{33: "99", 35: "311299", 43: "010100", 90: "0", 91: "0000000231097N"})},
		{"05 NPY", &Complement{Account: exampleAccount, Internal: "IPRL", OpCode: "B3", Date: date(2025, 3, 3), Qualifier: "NPY", Info: "DUPONT JEAN"},
			with("05", acct, map[int]string{8: "IPRL", 33: "B3", 35: "030325", 46: "NPY", 49: "DUPONT JEAN"})},
		{"05 RCN", &Complement{Account: exampleAccount, Internal: "IPRL", OpCode: "B3", Date: date(2025, 3, 3), Qualifier: "RCN", Info: "REMIT-2025-0000042-002"},
			with("05", acct, map[int]string{8: "IPRL", 33: "B3", 35: "030325", 46: "RCN", 49: "REMIT-2025-0000042-002"})},
		{"05 MMO", &Complement{Account: exampleAccount, Internal: "VIRI", OpCode: "05", Date: date(2025, 3, 3), Qualifier: "MMO", Info: "USD2000000000325500400000010845"},
			with("05", acct, map[int]string{8: "VIRI", 33: "05", 35: "030325", 46: "MMO", 49: "USD2000000000325500400000010845"})},
		{"05 without date", &Complement{Account: exampleAccount, OpCode: "05", Qualifier: "LIB", Info: strings.Repeat("X", 70)},
			with("05", acct, map[int]string{33: "05", 46: "LIB", 49: strings.Repeat("X", 70)})},
		{"07 créditeur", &NewBalance{Account: exampleAccount, Date: date(2025, 3, 3), Amount: 1223206},
			with("07", acct, map[int]string{35: "030325", 91: "0000000122320F"})},
		{"07 débiteur", &NewBalance{Account: exampleAccount, Date: date(2025, 3, 3), Amount: -231075},
			with("07", acct, map[int]string{35: "030325", 91: "0000000023107N"})},
		{"07 XPF", &NewBalance{Account: xpf, Date: date(2025, 1, 31), Amount: 9876500},
			with("07", xpfZones, map[int]string{35: "310125", 91: "0000000009876E"})},
		{"07 largest amount", &NewBalance{Account: exampleAccount, Date: date(2025, 1, 31), Amount: -99999999999999},
			with("07", acct, map[int]string{35: "310125", 91: "9999999999999R"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := layout(t, tt.at)
			b, err := tt.rec.MarshalRecord()
			if err != nil {
				t.Fatalf("MarshalRecord: %v", err)
			}
			if got := string(b[:]); got != want {
				t.Fatalf("encoded\n got %q\nwant %q", got, want)
			}
			back, err := ParseRecord([]byte(want))
			if err != nil {
				t.Fatalf("ParseRecord: %v", err)
			}
			if !reflect.DeepEqual(back, tt.rec) {
				t.Fatalf("parsed back\n got %+v\nwant %+v", back, tt.rec)
			}
		})
	}
}

// TestReferenceExampleLines: the lines of the reference example parse
// without a problem and encode back byte for byte.
func TestReferenceExampleLines(t *testing.T) {
	for i, line := range exampleLines {
		rec, err := ParseRecord([]byte(line))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		b, err := rec.MarshalRecord()
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if string(b[:]) != line {
			t.Fatalf("line %d re-encoded\n got %q\nwant %q", i+1, b[:], line)
		}
	}
}

// TestAmounts: the decoding table of CFONB120.md §3, and the conversion to
// cents of every number of decimals.
func TestAmounts(t *testing.T) {
	tests := []struct {
		zone     string
		decimals int
		cents    int64
	}{
		{"0000000102345F", 2, 1023456},
		{"0000000015000}", 2, -150000},
		{"0000000000125}", 2, -1250},
		{"0000000012500{", 2, 125000},
		{"0000000012500{", 0, 12500000},
		{"0000000023107N", 2, -231075},
		{"0000000000000{", 2, 0},
		{"0000000000000}", 2, 0},
		{"0000000000001A", 1, 110},
		{"0000000001231}", 3, -1231},
		{"0000001234500{", 5, 12345},
		{"0000000000000I", 2, 9},
		{"0000000000000R", 2, -9},
	}
	for _, tt := range tests {
		line := []byte(layout(t, map[int]string{1: "07", 3: "12345", 12: "00100", 17: "EUR", 20: string(rune('0' + tt.decimals)),
			22: "00012345678", 35: "030325", 91: tt.zone}))
		rec, err := ParseRecord(line)
		if err != nil {
			t.Fatalf("%s with %d decimals: %v", tt.zone, tt.decimals, err)
		}
		if got := rec.(*NewBalance).Amount; got != tt.cents {
			t.Errorf("%s with %d decimals: %d cents, want %d", tt.zone, tt.decimals, got, tt.cents)
		}
	}
}

// TestParseProblems: every zone problem is reported with its line, record,
// zone, positions and content, all of them at once.
func TestParseProblems(t *testing.T) {
	base := map[int]string{1: "04", 3: "12345", 8: "RPRL", 12: "00100", 17: "EUR", 20: "2", 22: "00012345678", 33: "A1",
		35: "030325", 43: "030325", 49: "REMISE", 82: "0000042", 91: "0000000012500{"}
	with := func(changes map[int]string) []byte {
		m := map[int]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return []byte(layout(t, m))
	}
	tests := []struct {
		name string
		line []byte
		want []string
	}{
		{"bad sign", with(map[int]string{91: "0000000012500X"}),
			[]string{`record 04, zone montant du mouvement (91-104) "0000000012500X": not a number: last character 'X' is not a signed digit ({, A-I, }, J-R)`}},
		{"lower-case sign", with(map[int]string{91: "0000000012500a"}),
			[]string{`record 04, zone montant du mouvement (91-104) "0000000012500a": not a number: last character 'a' is not a signed digit ({, A-I, }, J-R)`}},
		{"blank amount", with(map[int]string{91: ""}),
			[]string{`record 04, zone montant du mouvement (91-104) "              ": not a number: want 13 digits and a sign character`}},
		{"31 February", with(map[int]string{35: "310225"}),
			[]string{`record 04, zone date de comptabilisation (35-40) "310225": bad date: no such day`}},
		{"blank value date", with(map[int]string{43: ""}),
			[]string{`record 04, zone date de valeur (43-48) "      ": required`}},
		{"date with letters, code banque with a letter, code devise in lower case, decimals X",
			with(map[int]string{3: "1234A", 17: "eur", 20: "X", 43: "0303AA"}),
			[]string{
				`record 04, zone code banque (3-7) "1234A": wrong format: want 5 digits`,
				`record 04, zone code devise (17-19) "eur": wrong format: want 3 capital letters (ISO 4217)`,
				`record 04, zone nombre de décimales (20) "X": wrong format: want one digit`,
				`record 04, zone date de valeur (43-48) "0303AA": bad date: want JJMMAA`,
			}},
		{"blank code opération", with(map[int]string{33: ""}),
			[]string{`record 04, zone code opération interbancaire (33-34) "  ": required`}},
		{"blank account number", with(map[int]string{22: ""}),
			[]string{`record 04, zone numéro de compte (22-32) "           ": required`}},
		{"control character", with(map[int]string{49: "REMISE\tPRLV"}),
			[]string{`record 04, zone libellé (49-79) "REMISE\tPRLV                    ": character outside the CFONB set: byte 0x09 is a control character`}},
		{"finer than a cent", with(map[int]string{20: "3", 91: "0000000012345A"}),
			[]string{`record 04, zone montant du mouvement (91-104) "0000000012345A": amount finer than a cent: the record has 3 decimals, remit counts in cents`}},
		{"unknown record", []byte(layout(t, map[int]string{1: "02", 3: "12345"})),
			[]string{`record 02, zone code enregistrement (1-2) "02": unknown code: want 01, 04, 05 or 07`}},
		{"short", []byte("0412345"),
			[]string{`wrong record length: 7 characters, want 120`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRecord(tt.line)
			if got := messages(cfonb.Flatten(err)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems\n got %q\nwant %q", got, tt.want)
			}
			for _, e := range cfonb.Flatten(err) {
				var fe *cfonb.FieldError
				if !errors.As(e, &fe) {
					t.Fatalf("%v is not a *cfonb.FieldError", e)
				}
			}
		})
	}
}

// TestMarshalProblems: what cannot be written is refused, never cut.
func TestMarshalProblems(t *testing.T) {
	m := Movement{Account: exampleAccount, OpCode: "A1", Date: date(2025, 3, 3), ValueDate: date(2025, 3, 3), Amount: 100}
	tests := []struct {
		name   string
		change func(m *Movement)
		want   []string
	}{
		{"label too long", func(m *Movement) { m.Label = strings.Repeat("L", 32) },
			[]string{`record 04, zone libellé (49-79) "` + strings.Repeat("L", 32) + `": does not fit in the zone: 32 characters, the zone has 31`}},
		{"not Latin-1", func(m *Movement) { m.Label = "PRIX 10€" },
			[]string{`record 04, zone libellé (49-79) "PRIX 10€": character outside the CFONB set: '€' cannot be written (printable Latin-1 only)`}},
		{"code guichet of 4 digits, currency in lower case, 10 decimals", func(m *Movement) { m.Branch, m.Currency, m.Decimals = "0010", "eur", 10 },
			[]string{
				`record 04, zone code guichet (12-16) "0010": wrong format: want 5 digits`,
				`record 04, zone code devise (17-19) "eur": wrong format: want 3 capital letters (ISO 4217)`,
				`record 04, zone nombre de décimales (20) "10": wrong format: want one digit`,
				`record 04, zone montant du mouvement (91-104) "1.00": wrong format: cannot be written with 10 decimals`,
			}},
		{"year 1999, no value date", func(m *Movement) { m.Date, m.ValueDate = date(1999, 12, 31), date(1, 1, 1).AddDate(-1, 0, 0) },
			[]string{`record 04, zone date de comptabilisation (35-40) "1999-12-31": bad date: year 1999 outside 2000-2099`,
				`record 04, zone date de valeur (43-48) "0000-01-01": bad date: year 0 outside 2000-2099`}},
		{"15 digits", func(m *Movement) { m.Amount = 100000000000000 },
			[]string{`record 04, zone montant du mouvement (91-104) "1000000000000.00": does not fit in the zone: more than 14 digits`}},
		{"cents with no decimals", func(m *Movement) { m.Decimals = 0; m.Amount = 150 },
			[]string{`record 04, zone montant du mouvement (91-104) "1.50": wrong format: cannot be written with 0 decimals`}},
		{"no code opération", func(m *Movement) { m.OpCode = "" },
			[]string{`record 04, zone code opération interbancaire (33-34) "": required`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m
			tt.change(&r)
			_, err := r.MarshalRecord()
			if got := messages(cfonb.Flatten(err)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
