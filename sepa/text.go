package sepa

import (
	"math"

	"github.com/remit-dev/remit/remit/text"
)

// Maximum lengths, in bytes, of the free-text fields the writer fills. After
// Text every byte is one ASCII character, so bytes and characters agree.
const (
	MaxName        = 70  // Nm: EPC practice; the XSD allows 140
	MaxAddressLine = 70  // AdrLine, StrtNm
	MaxTownName    = 35  // TwnNm
	MaxPostCode    = 16  // PstCd, BldgNb
	MaxRemittance  = 140 // RmtInf/Ustrd
	MaxIdentifier  = 35  // MsgId, PmtInfId, InstrId, EndToEndId, MndtId
)

// epcSubstitute maps every printable ASCII byte to what Text keeps of it: the
// byte itself when it is in the EPC basic set, a close substitute from that
// set, or a space. Bytes outside printable ASCII never reach the table
// (text.Fold has turned them into printable ASCII already).
var epcSubstitute = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		t[c] = ' '
	}
	for c := 0x20; c < 0x7f; c++ {
		if isEPCBasicByte(byte(c)) {
			t[c] = byte(c)
		}
	}
	// Substitutes that keep the meaning; everything else becomes a space.
	t['&'] = '+'  // "Dupont & Fils" -> "Dupont + Fils": short, and + is in the set
	t['"'] = '\'' // quotes stay quotes
	t['_'] = '-'
	t['['], t['{'] = '(', '('
	t[']'], t['}'] = ')', ')'
	t[';'] = ','
	t['!'] = '.'
	t['\\'] = '/'
	return t
}()

// isEPCBasicByte reports whether c is in the EPC basic Latin set:
// a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
func isEPCBasicByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '/', '-', '?', ':', '(', ')', '.', ',', '\'', '+', ' ':
		return true
	}
	return false
}

// Text returns s reduced to the EPC basic character set and cut to at most
// max bytes. It is the one place where remit changes free text on its way to
// a SEPA file, and the writer applies it to every name, address element and
// remittance line:
//
//  1. text.Fold: accents dropped, ligatures and symbols spelled out
//     (é→e, Œ→OE, ß→ss, €→EUR), typographic quotes and dashes straightened,
//     tabs, newlines and other controls turned into spaces;
//  2. characters outside a-z A-Z 0-9 / - ? : ( ) . , ' + and space are
//     replaced: & by + (never emitted raw, not even escaped: banks reject it),
//     " by ', _ by -, [ { by (, ] } by ), ; by a comma, ! by a full stop,
//     \ by /, and anything else (< > @ # * % = …) by a space;
//  3. runs of spaces are squeezed to one, both ends trimmed;
//  4. the result is cut to max bytes (all ASCII by then, so no character is
//     split) and trimmed again.
//
// Identifiers are not passed through Text: they are validated, and an invalid
// one is an error (see CheckTransaction).
func Text(s string, max int) string {
	if fitsEPCText(s, max) {
		return s
	}
	return string(appendEPCText(nil, s, max))
}

// TextLen is the length of s in the EPC basic set, before any cut: Text(s,
// n) keeps all of it when TextLen(s) <= n. Fields that identify (a
// postcode, a town) are checked with it rather than cut.
func TextLen(s string) int {
	if fitsEPCText(s, len(s)) {
		return len(s)
	}
	return len(appendEPCText(nil, s, math.MaxInt))
}

// fitsEPCText reports whether Text would return s unchanged.
func fitsEPCText(s string, max int) bool {
	if len(s) > max || len(s) == 0 {
		return len(s) == 0
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isEPCBasicByte(c) || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// appendEPCText appends Text(s, max) to dst without allocating when s is
// printable ASCII.
func appendEPCText(dst []byte, s string, max int) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			s = text.Fold(s)
			break
		}
	}
	start := len(dst)
	space := true // drops leading spaces and runs of spaces
	for i := 0; i < len(s) && len(dst)-start < max; i++ {
		c := epcSubstitute[s[i]]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, c)
	}
	for len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// hasEPCText reports whether Text(s, n) holds at least one letter or digit,
// for any n > 0: a name folded to "??" (text.Fold's mark for a character
// with no ASCII form) or to punctuation only names nobody.
func hasEPCText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			s = text.Fold(s)
			break
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}
