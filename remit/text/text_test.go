package text

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ASCII 123", "plain ASCII 123"},
		{"Société Générale", "Societe Generale"},
		{"Œuvre cœur", "OEuvre coeur"},
		{"Straße", "Strasse"},
		{"ÇA COÛTE 12 €", "CA COUTE 12 EUR"},
		{"l’été — «bonjour»", "l'ete - \"bonjour\""},
		{"tab\there\nnew\r\nline", "tab here new  line"},
		{"Łódź Ærøskøbing", "Lodz AEroskobing"},
		{"ﬁnance", "finance"}, // NFKD ligature
		{"★☆", "??"},          // no ASCII form
		// Greek and Cyrillic by EPC217-08, other scripts by unidecode (issue 15, item 13).
		{"Παπαδόπουλος ΘΕΟΔΩΡΟΣ", "Papadopoylos THEODOROS"}, // EPC217-08 goes letter by letter: ου is "oy"
		{"Ђорђе", "Djordje"},
		{"Жуков Щукин ЧЕХОВ", "Zhukov Shtukin CHEHOV"},
		{"Ёлка Україна", "Elka Ukrayina"},
		{"王伟", "Wang Wei "},
		{"東京", "Dong Jing "},
		{"bad \xff byte", "bad ? byte"},
		{"nbsp\u00a0here", "nbsp here"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFilterCut(t *testing.T) {
	digits := func(c byte) bool { return c >= '0' && c <= '9' }
	if got := Filter("a1b2", digits, 0); got != "12" {
		t.Errorf("Filter drop = %q", got)
	}
	if got := Filter("a1b2", digits, '-'); got != "-1-2" {
		t.Errorf("Filter repl = %q", got)
	}
	if got := Cut("abc def", 4); got != "abc" {
		t.Errorf("Cut = %q", got)
	}
	if got := CutRunes("éèà", 2); got != "éè" {
		t.Errorf("CutRunes = %q", got)
	}
	if got := Squeeze("  a   b "); got != "a b" {
		t.Errorf("Squeeze = %q", got)
	}
}

func TestInvisible(t *testing.T) {
	tests := []struct {
		in   string
		want rune
		ok   bool
	}{
		{"F2026-0042", 0, false},
		{"Société Générale", 0, false},
		{"F\t1", '\t', true},
		{"F1\n", '\n', true},
		{"\ufeffF1", '\ufeff', true}, // BOM
		{"F1\u200b", '\u200b', true}, // zero-width space
		{"\u200fF1", '\u200f', true}, // right-to-left mark
		{"F1\x00", 0, true},          // NUL is a control character
		{"F\u00a01", 0, false},       // a no-break space is visible
	}
	for _, tt := range tests {
		got, ok := Invisible(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Invisible(%q) = %U, %v; want %U, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFoldDecomposesLatinOnce: an accented Latin letter is decomposed once
// (a table kept after the first use), not by NFKD at every Fold: folding
// a name that has one allocates only its result. The table gives what
// NFKD gives.
func TestFoldDecomposesLatinOnce(t *testing.T) {
	for r := rune(utf8.RuneSelf); r < latinEnd; r++ {
		s, ok := decomposed(r)
		if ws, wok := nfkdASCII(r); s != ws || ok != wok {
			t.Errorf("%U: %q %v, NFKD gives %q %v", r, s, ok, ws, wok)
		}
	}
	name := "Rue de la République, Châteauneuf-lès-Martigues"
	if got := Fold(name); got != "Rue de la Republique, Chateauneuf-les-Martigues" {
		t.Errorf("Fold(%q) = %q", name, got)
	}
	if n := testing.AllocsPerRun(100, func() { Fold(name) }); n > 1 {
		t.Errorf("Fold(%q): %v allocations, want 1", name, n)
	}
}
