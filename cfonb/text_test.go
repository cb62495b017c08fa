package cfonb

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/text"
)

func TestText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"Société Générale & Fils – Œuvre", 40, "SOCIETE GENERALE ET FILS - OEUVRE       "},
		{"Société Générale & Fils – Œuvre", 24, "SOCIETE GENERALE ET FILS"},
		{"Straße", 10, "STRASSE   "},
		{"Prix 12 €", 12, "PRIX 12 EUR "},
		{"R&D", 8, "R ET D  "},
		{"A & B", 8, "A ET B  "},
		{"&Co", 6, "ET CO "},
		{"A&", 6, "A ET  "},
		{"AB&", 4, "AB E"},              // cut inside the ET
		{"L'Atelier", 10, "L ATELIER "}, // apostrophe not in the set
		{"l’été", 6, "L ETE "},
		{"«Dupont»", 8, "DUPONT  "},
		{"a\tb\nc\r\nd", 10, "A B C  D  "}, // controls become spaces, never shift
		{"   leading", 8, "LEADING "},
		{"\t\nleading", 8, "LEADING "},
		{"in  side", 9, "IN  SIDE "}, // inner runs kept
		{"keep *().,/+-:", 14, "KEEP *().,/+-:"},
		{"drop @#$%_=!?\"';<>[]{}|\\~^`", 6, "DROP  "},
		{"Ærø Ñandú ÇA", 13, "AERO NANDU CA"},
		{"★☆♥ ok", 8, "OK      "}, // no ASCII form: '?' then space, dropped as leading
		{"x★☆♥y", 6, "X   Y "},
		{"Иванов Παπαδόπουλος 王伟", 32, "IVANOV PAPADOPOYLOS WANG WEI    "}, // issue 15, item 13
		{"\xff\xfebad", 6, "BAD   "}, // invalid UTF-8
		{"e\u0301te", 4, "E TE"},     // a combining accent alone has no ASCII form
		{"", 3, "   "},
		{"toolongvalue", 4, "TOOL"},
		{"x", 0, ""},
	}
	for _, tt := range tests {
		got := Text(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("Text(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// Text's output is n bytes of the CFONB set whatever the input, and a value
// it produced is written back unchanged.
func TestTextInvariants(t *testing.T) {
	inputs := []string{"Société Générale & Fils – Œuvre", "ß€œ\t\n\r\x00\x7f", "日本語", "\xff", "a&&&&&b", strings.Repeat("é", 100), "  & "}
	for _, in := range inputs {
		for _, n := range []int{1, 2, 5, 24, 31} {
			out := Text(in, n)
			if len(out) != n || !utf8.ValidString(out) {
				t.Errorf("Text(%q, %d) = %q: %d bytes", in, n, out, len(out))
			}
			for i := 0; i < len(out); i++ {
				if !inCharset(out[i]) {
					t.Errorf("Text(%q, %d) = %q: byte %q outside the set", in, n, out, out[i])
				}
			}
			if again := Text(strings.TrimRight(out, " "), n); again != out {
				t.Errorf("Text(Text(%q)) = %q, want %q", in, again, out)
			}
		}
	}
}

// fold, with its table, gives exactly text.Fold.
func TestFoldMatchesTextFold(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	for _, s := range []string{all.String(), "e\u0301", "\xff\xfe", "ﬁ ﬀ ™ ①"} {
		if got, want := string(fold(nil, s)), text.Fold(s); got != want {
			t.Errorf("fold(%.40q) differs from text.Fold", s)
		}
	}
}

// A name with accents or a tab in any text zone never moves the zones after
// it.
func TestTextNeverShiftsColumns(t *testing.T) {
	b := exampleLCRBills[0]
	b.Name = "Dupont\tMatériaux «Œuvre» – 日本"
	b.BankName = "Crédit\r\nAgricole"
	line, err := b.MarshalRecord()
	if err != nil {
		t.Fatal(err)
	}
	want := layout(t, map[int]string{1: "066000000002", 21: "F2025001", 31: "DUPONT MATERIAUX  OEUVRE", 55: "CREDIT  AGRICOLE", 79: "0",
		82: "20041010050500013M026000000123456", 119: "280225150125", 151: "FA2025001"})
	if string(line[:]) != want {
		t.Errorf("got  %q\nwant %q", line, want)
	}
}
