package bordereau

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestFormatEUR(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "0,00 €"},
		{5, "0,05 €"},
		{100, "1,00 €"},
		{123456, "1 234,56 €"},
		{100000000, "1 000 000,00 €"},
		{-123456, "-1 234,56 €"},
		{-5, "-0,05 €"},
		{math.MaxInt64, "92 233 720 368 547 758,07 €"},
		{math.MinInt64, "-92 233 720 368 547 758,08 €"},
	}
	for _, tt := range tests {
		got := formatEUR(tt.cents)
		if strings.ReplaceAll(got, nbsp, " ") != tt.want {
			t.Errorf("formatEUR(%d) = %q, want %q", tt.cents, got, tt.want)
		}
		if strings.Contains(got, " ") {
			t.Errorf("formatEUR(%d) = %q: separators must be no-break spaces", tt.cents, got)
		}
	}
	if got := formatInt(100000); got != "100"+nbsp+"000" {
		t.Errorf("formatInt = %q", got)
	}
}

func TestFormatDates(t *testing.T) {
	tm := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if got := formatDate(tm); got != "04/03/2026" {
		t.Errorf("formatDate = %q", got)
	}
	if got := formatDateTime(tm); got != "04/03/2026 à 05:06" {
		t.Errorf("formatDateTime = %q", got)
	}
	if formatDate(time.Time{}) != "" {
		t.Error("zero date should print empty")
	}
	if got := daysBetween(time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 1, 0, 0, 0, time.FixedZone("", 3600))); got != 30 {
		t.Errorf("daysBetween = %d", got)
	}
}

func TestMaskAccount(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FR7630004008280001012345691", "**** 5691"},
		{"FR76 3000 4008 2800 0101 2345 691", "**** 5691"},
		{"30004 00828 00010123456 91", "**** 5691"},
		{"1234", "****"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := maskAccount(tt.in); got != tt.want {
			t.Errorf("maskAccount(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCP1252(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"é è ê ç à ù", "\xe9 \xe8 \xea \xe7 \xe0 \xf9"},
		{"œ Œ € « » ’ …", "\x9c \x8c \x80 \xab \xbb \x92 \x85"},
		{"1\u00a0234", "1\xa0234"},
		{"Łódź ő", "L\xf3dz o"},                                    // Ł ź ő are outside cp1252: folded; ó is in it
		{"★ ▼", "? ?"},                                             // no ASCII form
		{"Жуков Παπαδόπουλος 王伟", "Zhukov Papadopoylos Wang Wei "}, // transliterated (issue 15, item 13)
		{"a\tb\nc", "a b c"},
		{"bad \xff", "bad ?"},
	}
	for _, tt := range tests {
		if got := cp1252(tt.in); got != tt.want {
			t.Errorf("cp1252(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGroupIBAN(t *testing.T) {
	if got := groupIBAN("FR7630004008280001012345691"); got != "FR76 3000 4008 2800 0101 2345 691" {
		t.Errorf("groupIBAN = %q", got)
	}
}
