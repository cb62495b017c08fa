package sepa

import (
	"strconv"
	"time"
)

// appendParty appends a party element. A party with only a name is written
// on one line when inline is true; otherwise Nm, PstlAdr and Id each get
// their lines. PstlAdr holds the address elements that are not empty after
// Text, in schema order (the same in PostalAddress6 and PostalAddress24 for
// the elements remit writes); address lines left empty are skipped.
func appendParty(b []byte, indent int, tag string, p *Party, inline bool) []byte {
	a := &p.Address
	hasAddress := a.Country != "" || hasWritableText(a.StreetName) || hasWritableText(a.BuildingNumber) ||
		hasWritableText(a.PostCode) || hasWritableText(a.TownName)
	for _, l := range a.Lines {
		hasAddress = hasAddress || hasWritableText(l)
	}
	if inline && !hasAddress && p.ID.ID == "" {
		b = appendOpen(b, indent, tag)
		b = appendTextElement(b, 0, "Nm", p.Name, MaxName, false)
		return appendClose(b, 0, tag)
	}
	b = appendOpen(b, indent, tag)
	b = append(b, '\n')
	b = appendTextElement(b, indent+2, "Nm", p.Name, MaxName, true)
	if hasAddress {
		b = appendOpen(b, indent+2, "PstlAdr")
		b = append(b, '\n')
		b = appendTextElement(b, indent+4, "StrtNm", a.StreetName, MaxAddressLine, true)
		b = appendTextElement(b, indent+4, "BldgNb", a.BuildingNumber, MaxPostCode, true)
		b = appendTextElement(b, indent+4, "PstCd", a.PostCode, MaxPostCode, true)
		b = appendTextElement(b, indent+4, "TwnNm", a.TownName, MaxTownName, true)
		if a.Country != "" {
			b = appendElement(b, indent+4, "Ctry", a.Country)
		}
		for _, l := range a.Lines {
			b = appendTextElement(b, indent+4, "AdrLine", l, MaxAddressLine, true)
		}
		b = appendClose(b, indent+2, "PstlAdr")
	}
	if id := &p.ID; id.ID != "" {
		kind := "OrgId"
		if id.Private {
			kind = "PrvtId"
		}
		b = append(b, xmlIndent[:indent+2]...)
		b = append(b, "<Id><"...)
		b = append(b, kind...)
		b = append(b, "><Othr><Id>"...)
		b = appendEscaped(b, id.ID)
		b = append(b, "</Id>"...)
		switch {
		case id.SchemeCode != "":
			b = append(b, "<SchmeNm><Cd>"...)
			b = appendEscaped(b, id.SchemeCode)
			b = append(b, "</Cd></SchmeNm>"...)
		case id.SchemeProprietary != "":
			b = append(b, "<SchmeNm><Prtry>"...)
			b = appendEscaped(b, id.SchemeProprietary)
			b = append(b, "</Prtry></SchmeNm>"...)
		}
		if id.Issuer != "" {
			b = append(b, "<Issr>"...)
			b = appendEscaped(b, id.Issuer)
			b = append(b, "</Issr>"...)
		}
		b = append(b, "</Othr></"...)
		b = append(b, kind...)
		b = append(b, "></Id>\n"...)
	}
	return appendClose(b, indent, tag)
}

// xmlIndent holds the spaces the deepest indentation needs.
const xmlIndent = "                    "

// appendOpen appends the indentation and <tag>.
func appendOpen(b []byte, indent int, tag string) []byte {
	b = append(b, xmlIndent[:indent]...)
	b = append(b, '<')
	b = append(b, tag...)
	return append(b, '>')
}

// appendClose appends the indentation, </tag> and a newline.
func appendClose(b []byte, indent int, tag string) []byte {
	b = append(b, xmlIndent[:indent]...)
	b = append(b, "</"...)
	b = append(b, tag...)
	return append(b, ">\n"...)
}

// appendElement appends <tag>value</tag> on its own line, value escaped.
// Identifiers, codes and IBANs go through it: they were validated, never
// transliterated.
func appendElement(b []byte, indent int, tag, value string) []byte {
	b = appendOpen(b, indent, tag)
	b = appendEscaped(b, value)
	return appendClose(b, 0, tag)
}

// appendTextElement appends <tag>Text(s, max)</tag>, followed by a newline
// when newline is true, or nothing when Text leaves nothing.
func appendTextElement(b []byte, indent int, tag, s string, max int, newline bool) []byte {
	mark := len(b)
	b = appendOpen(b, indent, tag)
	open := len(b)
	b = appendEPCText(b, s, max)
	if len(b) == open {
		return b[:mark]
	}
	for _, c := range b[open:] {
		if c == '&' || c == '<' || c == '>' || c == '"' { // defence in depth: Text never leaves them
			b = appendEscaped(b[:open], string(b[open:]))
			break
		}
	}
	if newline {
		return appendClose(b, 0, tag)
	}
	b = append(b, "</"...)
	b = append(b, tag...)
	return append(b, '>')
}

// appendEscaped appends s with the XML specials escaped. After validation or
// Text none of them can occur; this only guards against a future mistake.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// hasWritableText reports whether Text(s, n) is not empty.
func hasWritableText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return len(appendEPCText(nil, s, 1)) > 0
		}
		if epcSubstitute[c] != ' ' {
			return true
		}
	}
	return false
}

// appendAmountCents appends cents as a decimal amount with exactly two
// decimals (1 → 0.01, 12345 → 123.45), by integer arithmetic.
func appendAmountCents(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents // MaxAmount is far from the int64 limit; rules refuse negatives anyway
	}
	b = strconv.AppendInt(b, cents/100, 10)
	r := cents % 100
	return append(b, '.', byte('0'+r/10), byte('0'+r%10))
}

func formatCents(cents int64) string { return string(appendAmountCents(nil, cents)) }

// appendISODate appends t's date as 2006-01-02.
func appendISODate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(m), 2)
	b = append(b, '-')
	return appendDigits(b, d, 2)
}

// appendISODateTime appends t's wall-clock time as 2006-01-02T15:04:05,
// without zone (local time, as the examples and most banks expect).
func appendISODateTime(b []byte, t time.Time) []byte {
	b = appendISODate(b, t)
	h, m, s := t.Clock()
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, m, 2)
	b = append(b, ':')
	return appendDigits(b, s, 2)
}

// appendDigits appends n (0 <= n) zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n >= 10 || width > 1 {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	tmp[i] = byte('0' + n)
	return append(b, tmp[i:]...)
}
