package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
)

// epc217 is the Greek and Cyrillic part of the EPC's conversion table to
// the basic Latin set, EPC217-08 "SEPA Requirements for an Extended
// Character Set (UNICODE Subset) – Best Practices" (its spreadsheet
// "SEPA Conversion Table"): Greek letters with and without tonos, and the
// Cyrillic letters А to я, transliterated as Bulgarian is (Щ → SHT, Ъ → A).
// One deliberate difference: the table gives я as "a", a slip beside Я
// "YA"; "ya" is used. The letters the table leaves out (Ё, Ы, Э, the
// Ukrainian, Serbian and Macedonian letters) go through unidecode.
var epc217 = map[rune]string{
	// Greek
	'Ά': "A", 'Έ': "E", 'Ή': "I", 'Ί': "I", 'Ό': "O", 'Ύ': "Y", 'Ώ': "O", 'ΐ': "i",
	'Α': "A", 'Β': "V", 'Γ': "G", 'Δ': "D", 'Ε': "E", 'Ζ': "Z", 'Η': "I", 'Θ': "TH", 'Ι': "I", 'Κ': "K",
	'Λ': "L", 'Μ': "M", 'Ν': "N", 'Ξ': "X", 'Ο': "O", 'Π': "P", 'Ρ': "R", 'Σ': "S", 'Τ': "T", 'Υ': "Y",
	'Φ': "F", 'Χ': "CH", 'Ψ': "PS", 'Ω': "O", 'Ϊ': "I", 'Ϋ': "Y",
	'ά': "a", 'έ': "e", 'ή': "i", 'ί': "i", 'ΰ': "y",
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'ς': "s", 'σ': "s", 'τ': "t",
	'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o", 'ϊ': "i", 'ϋ': "y", 'ό': "o", 'ύ': "y", 'ώ': "o",
	// Cyrillic
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Д': "D", 'Е': "E", 'Ж': "ZH", 'З': "Z", 'И': "I", 'Й': "Y",
	'К': "K", 'Л': "L", 'М': "M", 'Н': "N", 'О': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'У': "U",
	'Ф': "F", 'Х': "H", 'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SHT", 'Ъ': "A", 'Ь': "Y", 'Ю': "YU", 'Я': "YA",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y", 'ю': "yu", 'я': "ya",
}

// transliterate returns the ASCII form of the letter or digit r from the
// EPC217-08 table, or from unidecode for the scripts the table leaves out
// (Chinese, Japanese, Korean, Arabic, Hebrew…), or "" when neither has one. next is the rune
// that follows r (0 at the end): a capital spelt with several letters is
// written in title case before a small letter ("Жуков" → "Zhukov", not
// "ZHukov").
func transliterate(r, next rune) string {
	rep, ok := epc217[r]
	if !ok {
		rep = printableASCII(unidecode.Unidecode(string(r)))
	}
	if len(rep) > 1 && unicode.IsUpper(r) && unicode.IsLower(next) {
		rep = rep[:1] + strings.ToLower(rep[1:])
	}
	return rep
}

// printableASCII keeps the printable ASCII bytes of s.
func printableASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= utf8.RuneSelf || s[i] == 0x7f {
			return Filter(s, func(c byte) bool { return c >= 0x20 && c < 0x7f }, 0)
		}
	}
	return s
}
