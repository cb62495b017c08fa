package sepa

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Jean Dupont", 70, "Jean Dupont"},
		{"", 70, ""},
		{"Société Générale", 70, "Societe Generale"},
		{"Œuvre & Fils", 70, "OEuvre + Fils"},
		{"Straße", 70, "Strasse"},
		{"12 € TTC", 70, "12 EUR TTC"},
		{"l’été — «bonjour»", 70, "l'ete - 'bonjour'"},
		{`O'Brien "Bob"`, 70, "O'Brien 'Bob'"},
		{"tab\there\r\nnew  line", 70, "tab here new line"},
		{"  leading and trailing  ", 70, "leading and trailing"},
		{"</Nm><InstdAmt>", 70, "/Nm InstdAmt"},
		{"a&b<c>d", 70, "a+b c d"},
		{"under_score;semi!bang", 70, "under-score,semi.bang"},
		{`[x]{y}\z`, 70, "(x)(y)/z"},
		{"mail@example.com #1 50% *", 70, "mail example.com 1 50"},
		{"a=b|c~d^e`f$g", 70, "a b c d e f g"}, // printable ASCII is not folded: ` and $ become spaces
		{"★☆", 70, "??"},
		{"Παπαδόπουλος Ιωάννης", 70, "Papadopoylos Ioannis"}, // EPC217-08 (issue 15, item 13)
		{"Жуков & Щукин", 70, "Zhukov + Shtukin"},
		{"王伟", 70, "Wang Wei"},
		{"\x00\x01ctl", 70, "ctl"},
		{"ab cd", 3, "ab"},    // cut, then trailing space trimmed
		{"abcdef", 4, "abcd"}, // cut in bytes
		{"éééé", 2, "ee"},     // folded first: never splits a character
		{strings.Repeat("x", 200), 140, strings.Repeat("x", 140)},
		{"allowed / - ? : ( ) . , ' +", 70, "allowed / - ? : ( ) . , ' +"},
	}
	for _, tt := range tests {
		got := Text(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("Text(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if again := Text(got, tt.max); again != got {
			t.Errorf("Text not idempotent on %q: %q", got, again)
		}
	}
}

// TestTextOnlyBasicSet: whatever the input byte, Text's output is in the
// EPC basic set, so never carries an XML special.
func TestTextOnlyBasicSet(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
		all.WriteString(" x")
	}
	all.WriteString("àéîõüçñÆŒßæœ€£©«»“”‘’–—…日本")
	out := Text(all.String(), 1<<20)
	for i := 0; i < len(out); i++ {
		if !isEPCBasicByte(out[i]) {
			t.Fatalf("byte %q at %d outside the EPC set in %q", out[i], i, out)
		}
	}
	for c := 0; c < 256; c++ {
		if s := epcSubstitute[c]; !isEPCBasicByte(s) {
			t.Errorf("substitute of %q is %q", byte(c), s)
		}
	}
}

func TestTextNoAllocation(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		buf = appendEPCText(buf[:0], "Dupont & Fils <SARL>  12 rue_de la Paix", 70)
		_ = hasEPCText("Jean Dupont")
		_ = Text("Jean Dupont", 70)
	})
	if allocs != 0 {
		t.Errorf("%.0f allocations for ASCII text", allocs)
	}
}

func TestTextHasLetters(t *testing.T) {
	for s, want := range map[string]bool{
		"Jean": true, "42": true, "é": true, "": false, "   ": false, "★☆": false, "日本": true, "Жуков": true, "?? -- ..": false, "&": false,
	} {
		if got := hasEPCText(s); got != want {
			t.Errorf("hasEPCText(%q) = %v", s, got)
		}
	}
}
