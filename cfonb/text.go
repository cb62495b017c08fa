package cfonb

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/text"
)

// charset maps every byte to its CFONB form: the allowed set
// A-Z 0-9 space * ( ) . , / + - : maps to itself, a-z to upper case, every
// other byte to a space ('&' is handled apart, see Text).
var charset [256]byte

func init() {
	for i := range charset {
		charset[i] = ' '
	}
	for c := byte('A'); c <= 'Z'; c++ {
		charset[c] = c
		charset[c+'a'-'A'] = c
	}
	for c := byte('0'); c <= '9'; c++ {
		charset[c] = c
	}
	for _, c := range []byte("*().,/+-:") {
		charset[c] = c
	}
}

// inCharset reports whether c belongs to the CFONB character set.
func inCharset(c byte) bool { return charset[c] == c }

// Text returns s as the content of an n-character alphanumeric (AN) zone,
// the one transliteration applied to every text zone of every record:
//
//  1. text.Fold: accents dropped, ligatures and symbols spelled out
//     (Œ→OE, ß→SS, €→EUR), typographic quotes and dashes straightened,
//     tabs, newlines and other control characters turned into spaces;
//  2. upper case;
//  3. '&' becomes "ET", with a space added on either side where there is
//     none ("R&D" → "R ET D");
//  4. every character outside A-Z 0-9 space * ( ) . , / + - : becomes a
//     space (the apostrophe too: "L'ARTISAN" → "L ARTISAN");
//  5. leading spaces are dropped; inner runs of spaces are kept as they are,
//     so that a zone read from a file is written back unchanged;
//  6. the result is cut to n bytes and padded to n with spaces.
//
// The output is plain ASCII of exactly n bytes, so no input can shift the
// columns that follow.
func Text(s string, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	putText(b, s)
	return string(b)
}

// putText writes Text(s, len(dst)) into dst, without allocating for the
// usual Latin text.
func putText(dst []byte, s string) {
	if isASCII(s) {
		putFolded(dst, s)
		return
	}
	var buf [128]byte
	putFolded(dst, fold(buf[:0], s))
}

// putFolded does the steps of Text after text.Fold.
func putFolded[T string | []byte](dst []byte, s T) {
	n := 0
	for i := 0; i < len(s) && n < len(dst); i++ {
		c := s[i]
		if c == '&' {
			if n > 0 && dst[n-1] != ' ' {
				dst[n] = ' '
				n++
			}
			n += copy(dst[n:], "ET")
			if i+1 < len(s) && charset[s[i+1]] != ' ' && n < len(dst) {
				dst[n] = ' '
				n++
			}
			continue
		}
		m := charset[c]
		if m == ' ' && n == 0 {
			continue // leading space
		}
		dst[n] = m
		n++
	}
	for ; n < len(dst); n++ {
		dst[n] = ' '
	}
}

// blankText reports whether Text(s, n) would be all spaces for any n.
func blankText(s string) bool {
	if isASCII(s) {
		return blankFolded(s)
	}
	var buf [128]byte
	return blankFolded(fold(buf[:0], s))
}

func blankFolded[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if charset[s[i]] != ' ' || s[i] == '&' {
			return false
		}
	}
	return true
}

// fold appends text.Fold(s) to dst. text.Fold works rune by rune on the
// Latin blocks, so their runes are folded once, into a table; a string with
// runes of other scripts goes to text.Fold whole (a Cyrillic capital is
// spelt after what follows it: "Жуков" → "Zhukov").
func fold(dst []byte, s string) []byte {
	foldOnce.Do(func() {
		for r := range foldTable {
			foldTable[r] = text.Fold(string(rune(r)))
		}
	})
	for _, r := range s {
		if r >= rune(len(foldTable)) {
			return append(dst, text.Fold(s)...)
		}
	}
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			dst = append(dst, ' ')
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		default:
			dst = append(dst, foldTable[r]...)
		}
	}
	return dst
}

// foldTable holds text.Fold of the runes up to Latin Extended-B.
var (
	foldOnce  sync.Once
	foldTable [0x250]string
)

// trimText is the value a text zone holds after Text, as the Reader
// returns it: Text(s, n) without its trailing spaces.
func trimText(s string, n int) string { return strings.TrimRight(Text(s, n), " ") }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
