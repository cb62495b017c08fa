// Package text folds Unicode text to plain ASCII for bank files, which carry
// only small character sets: the EPC basic Latin set for SEPA XML and an
// upper-case set for CFONB 160 records.
//
// Fold does the language-neutral part (accents dropped, ligatures and
// specials spelled out, typographic punctuation straightened, control
// characters turned into spaces); each file format then filters the result
// to its own set and cuts it to the zone:
//
//	text.Fold("Société Générale – Œuvre & Fils") // "Societe Generale - OEuvre & Fils"
package text

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// specials are the characters NFKD does not decompose to ASCII.
var specials = map[rune]string{
	'Œ': "OE", 'œ': "oe", 'Æ': "AE", 'æ': "ae", 'ß': "ss", 'ẞ': "SS",
	'Ø': "O", 'ø': "o", 'Đ': "D", 'đ': "d", 'Ł': "L", 'ł': "l", 'ı': "i",
	'Þ': "TH", 'þ': "th", 'Ð': "D", 'ð': "d", 'Ŋ': "N", 'ŋ': "n",
	'€': "EUR", '£': "GBP", '$': "USD", '©': "(C)", '®': "(R)", '°': "o", 'º': "o", 'ª': "a",
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '`': "'", '´': "'",
	'“': "\"", '”': "\"", '„': "\"", '«': "\"", '»': "\"", '″': "\"",
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-",
	'…': "...", '•': ".", '·': ".", '×': "x", '÷': "/", '½': "1/2", '¼': "1/4", '¾': "3/4",
}

// Fold returns s as printable ASCII: combining accents are dropped after
// NFKD decomposition, ligatures and symbols spelled out (œ→oe, ß→ss, €→EUR),
// typographic quotes and dashes straightened, every control or white-space
// character (tab, newline, NBSP) turned into a space. Greek and Cyrillic
// are transliterated by the EPC's table (EPC217-08: "Παπαδόπουλος" →
// "Papadopoulos", "Иванов" → "Ivanov"), other scripts by unidecode
// ("北京" → "Bei Jing "), so that a debtor named only in them can still be
// collected. Characters with no ASCII form at all are replaced by '?';
// callers filter further. Invalid UTF-8 bytes are replaced by '?' too.
func Fold(s string) string {
	if isPrintableASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		next, _ := utf8.DecodeRuneInString(s[i:]) // RuneError at the end: neither upper nor lower case
		switch {
		case r < utf8.RuneSelf && r >= 0x20 && r != 0x7f:
			b.WriteRune(r)
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteByte('?')
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
			continue
		}
		if rep, ok := specials[r]; ok {
			b.WriteString(rep)
			continue
		}
		if _, ok := epc217[r]; ok {
			b.WriteString(transliterate(r, next))
			continue
		}
		rep, wrote := decomposed(r)
		b.WriteString(rep)
		if !wrote && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if rep := transliterate(r, next); rep != "" {
				b.WriteString(rep)
				wrote = true
			}
		}
		if !wrote {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// decomposed is what r's NFKD decomposition gives in ASCII (combining
// marks dropped, specials spelled out), and whether it gave anything. The
// letters of the Latin scripts (U+0080 to U+024F), which most names that
// are not plain ASCII are made of, are decomposed once, on first use: NFKD
// allocates at each call, and a million debtors in "Rue de la République"
// would decompose its é a million times.
func decomposed(r rune) (string, bool) {
	if r < utf8.RuneSelf || r >= latinEnd {
		return nfkdASCII(r)
	}
	latin.once.Do(func() {
		for i := range latin.rep {
			latin.rep[i].s, latin.rep[i].ok = nfkdASCII(utf8.RuneSelf + rune(i))
		}
	})
	d := &latin.rep[r-utf8.RuneSelf]
	return d.s, d.ok
}

// latinEnd ends the runes whose decomposition latin keeps.
const latinEnd = 0x250

var latin struct {
	once sync.Once
	rep  [latinEnd - utf8.RuneSelf]struct {
		s  string
		ok bool
	}
}

// nfkdASCII is decomposed without the table.
func nfkdASCII(r rune) (string, bool) {
	var b strings.Builder
	wrote := false
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if d < utf8.RuneSelf && d >= 0x20 && d != 0x7f {
			b.WriteRune(d)
			wrote = true
		} else if rep, ok := specials[d]; ok {
			b.WriteString(rep)
			wrote = true
		} else if rep, ok := epc217[d]; ok {
			b.WriteString(rep)
			wrote = true
		}
	}
	return b.String(), wrote
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Filter keeps the bytes of an ASCII string for which keep is true and
// replaces the others by repl (dropped when repl is 0).
func Filter(s string, keep func(byte) bool, repl byte) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if !keep(s[i]) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case keep(s[i]):
			b = append(b, s[i])
		case repl != 0:
			b = append(b, repl)
		}
	}
	return string(b)
}

// Squeeze collapses runs of spaces into one and trims both ends.
func Squeeze(s string) string {
	if !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Cut returns at most n bytes of an ASCII string, without trailing spaces.
func Cut(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, " ")
}

// CutRunes returns at most n runes of s, never splitting a character.
func CutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// Invisible finds the first control or format character of s (tab,
// newline, BOM, zero-width space, direction mark): in an identifier, "F1"
// and "F1" with an invisible mark would be two documents for one invoice.
func Invisible(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}
