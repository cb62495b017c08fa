package csvread

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Character sets a file may be in: UTF-8, or what spreadsheets saved as
// CSV on a French Windows write (Windows-1252), or what older systems write
// (ISO-8859-15, ISO-8859-1).
const (
	UTF8        = "utf-8"
	Windows1252 = "windows-1252"
	Latin9      = "iso-8859-15"
	Latin1      = "iso-8859-1"
)

// Encodings are the names ParseEncoding knows, canonical first.
var Encodings = []string{UTF8, Windows1252, Latin9, Latin1}

// ParseEncoding returns the decoder of a character set by name (in any
// case, with the usual aliases: cp1252, latin9, latin1…); nil for UTF-8.
func ParseEncoding(name string) (*charmap.Charmap, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", UTF8, "utf8":
		return nil, nil
	case Windows1252, "cp1252", "windows1252", "win1252":
		return charmap.Windows1252, nil
	case Latin9, "iso8859-15", "latin9", "latin-9":
		return charmap.ISO8859_15, nil
	case Latin1, "iso8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1, nil
	}
	return nil, fmt.Errorf("want %s, %s, %s or %s", UTF8, Windows1252, Latin9, Latin1)
}
