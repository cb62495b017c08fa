package bordereau

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/text"
)

// nbsp separates thousands and the euro sign. It is typographically right (an
// amount never breaks across lines), exists in cp1252 (0xA0), and pdftotext
// extracts it as a plain space.
const nbsp = "\u00a0"

// formatEUR formats cents the French way, "-1 234 567,89 €", with integer
// arithmetic only.
func formatEUR(cents int64) string {
	return formatCents(cents) + nbsp + "€"
}

// formatMoney formats cents in a currency: the euro sign for EUR (or ""),
// the ISO code otherwise ("1 234,56 CHF").
func formatMoney(cents int64, currency string) string {
	if currency == "" || currency == "EUR" {
		return formatEUR(cents)
	}
	return formatCents(cents) + nbsp + currency
}

// formatCents is formatEUR without the currency sign.
func formatCents(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u // two's complement: also right for math.MinInt64
	}
	units, frac := u/100, u%100
	digits := []byte{}
	digits = appendUint(digits, units)
	var b strings.Builder
	b.Grow(len(digits)*2 + 6)
	if neg {
		b.WriteByte('-')
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteByte(d)
	}
	b.WriteByte(',')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

func appendUint(b []byte, u uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

// formatInt groups the digits of a count by thousands: "100 000".
func formatInt(n int) string {
	c := formatCents(int64(n) * 100)
	return c[:len(c)-3]
}

// formatDate gives JJ/MM/AAAA, or "" for the zero time. A slip formats two
// dates per row: this costs a tenth of time.Format.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format("02/01/2006")
	}
	b := [10]byte{byte('0' + d/10), byte('0' + d%10), '/', byte('0' + m/10), byte('0' + m%10), '/',
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)}
	return string(b[:])
}

// formatDateTime gives "JJ/MM/AAAA à HH:MM".
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006") + " à " + t.Format("15:04")
}

// plural returns "n opération" or "n opérations".
func plural(n int, word string) string {
	s := formatInt(n) + " " + word
	if n > 1 || n < -1 {
		s += "s"
	}
	return s
}

// maskAccount hides a bank account but its last four characters, so that no
// printed slip carries a usable account number: "**** 5691".
func maskAccount(acc string) string {
	acc = strings.ReplaceAll(strings.TrimSpace(acc), " ", "")
	if acc == "" {
		return ""
	}
	n := utf8.RuneCountInString(acc)
	if n <= 4 {
		return strings.Repeat("*", n)
	}
	r := []rune(acc)
	return "**** " + string(r[n-4:])
}

// groupIBAN prints an IBAN in its paper form, groups of four: "FR76 3000 …".
func groupIBAN(iban string) string {
	iban = strings.ReplaceAll(iban, " ", "")
	var b strings.Builder
	for i := 0; i < len(iban); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(iban[i:min(i+4, len(iban))])
	}
	return b.String()
}

// cp1252High maps the Unicode characters that Windows-1252 places in
// 0x80-0x9F; 0xA0-0xFF are the same as U+00A0-U+00FF.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// cp1252 encodes s for the PDF core fonts (WinAnsiEncoding). This is the one
// place where text is degraded: characters outside cp1252 are folded to
// ASCII (ő→o, ł→l, “…” kept, ▼→?) by text.Fold, control characters and
// line breaks become spaces. Invalid UTF-8 becomes '?'.
func cp1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	b := make([]byte, 0, len(s))
	fold := -1 // start of the runes outside cp1252, folded together (Cyrillic is spelt after what follows)
	for i, r := range s {
		if inCP1252(r) {
			if fold >= 0 {
				b = append(b, text.Fold(s[fold:i])...)
				fold = -1
			}
		}
		switch {
		case r >= 0x20 && r < 0x7f:
			b = append(b, byte(r))
		case r >= 0xA0 && r <= 0xFF:
			b = append(b, byte(r))
		case cp1252High[r] != 0:
			b = append(b, cp1252High[r])
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xA0):
			b = append(b, ' ')
		default:
			if fold < 0 {
				fold = i
			}
		}
	}
	if fold >= 0 {
		b = append(b, text.Fold(s[fold:])...)
	}
	return string(b)
}

// inCP1252 reports whether cp1252 writes r without folding it: a byte of
// cp1252, or a space for a control character.
func inCP1252(r rune) bool { return r < 0x100 || cp1252High[r] != 0 }
