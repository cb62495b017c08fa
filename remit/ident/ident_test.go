package ident

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestValidateIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want error
	}{
		{"FR1420041010050500013M02606", nil},
		{"FR7630006000011234567890189", nil},
		{"FR7630004008280001012345691", nil},
		{"FR7617515900000801234567849", nil},
		{"FR7630003036200002001234517", nil},
		{"FR7611315000010400000000178", nil},
		{"FR7610278060760001234560136", nil},
		{"DE89370400440532013000", nil},
		{"NL91ABNA0417164300", nil},
		{"GB29NWBK60161331926819", nil},
		{"BE68539007547034", nil},
		{"", ErrEmpty},
		{"FR7630004008280001012345692", ErrCheckDigits},
		{"FR763000400828000101234569", ErrLength},
		{"DE8937040044053201300", ErrLength},
		{"XX89370400440532013000", ErrCountry},
		{"FR76-3000400828000101234569", ErrCharacters},
		{"fr7630004008280001012345691", ErrCharacters},
		// IBAN check digits right, RIB key wrong: 12345678901 with key 88 re-keyed.
		{RIB{"30006", "00001", "12345678901", "88"}.IBAN(), ErrRIBKey},
	}
	for _, tt := range tests {
		err := ValidateIBAN(tt.iban)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidateIBAN(%q) = %v, want %v", tt.iban, err, tt.want)
		}
	}
}

func TestRIBKey(t *testing.T) {
	tests := []struct{ bank, branch, account, key string }{
		{"20041", "01005", "0500013M026", "06"},
		{"30006", "00001", "12345678901", "89"},
		{"30004", "00828", "00010123456", "91"},
		{"12345", "12345", "ABCDEFGHIJK", ""}, // computed below for letters S-Z
	}
	for _, tt := range tests[:3] {
		got, err := RIBKey(tt.bank, tt.branch, tt.account)
		if err != nil || got != tt.key {
			t.Errorf("RIBKey(%s %s %s) = %s, %v; want %s", tt.bank, tt.branch, tt.account, got, err, tt.key)
		}
		r := RIB{tt.bank, tt.branch, tt.account, tt.key}
		if err := ValidateIBAN(r.IBAN()); err != nil {
			t.Errorf("IBAN of %v: %v", r, err)
		}
	}
	// S maps to 2, not 1: "S" and "2" must give the same key, "S" and "1" must not.
	ks, _ := RIBKey("30004", "00828", "0001012345S")
	k2, _ := RIBKey("30004", "00828", "00010123452")
	k1, _ := RIBKey("30004", "00828", "00010123451")
	if ks != k2 || ks == k1 {
		t.Errorf("letter S: key %s, with 2: %s, with 1: %s", ks, k2, k1)
	}
	if _, err := RIBKey("3000A", "00828", "00010123456"); !errors.Is(err, ErrFormat) {
		t.Errorf("non-digit bank code: %v", err)
	}
	if _, err := RIBKey("30004", "00828", "0001012345é"); err == nil {
		t.Error("accented account accepted")
	}
}

func TestRIBFromIBAN(t *testing.T) {
	r := RIBFromIBAN("FR1420041010050500013M02606")
	want := RIB{"20041", "01005", "0500013M026", "06"}
	if r != want {
		t.Fatalf("got %+v, want %+v", r, want)
	}
	if r.IBAN() != "FR1420041010050500013M02606" {
		t.Errorf("IBAN() = %s", r.IBAN())
	}
}

func TestValidateBIC(t *testing.T) {
	tests := []struct {
		bic  string
		want error
	}{
		{"BNPAFRPP", nil},
		{"AGRIFRPPXXX", nil},
		{"COBADEFFXXX", nil},
		{"ABNANL2A", nil},
		{"", ErrEmpty},
		{"BNPAFRP", ErrLength},
		{"BNPAFRPPXX", ErrLength},
		{"BNP1FRPP", ErrCharacters},
		{"BNPAQQPP", ErrCountry},
		{"bnpafrpp", ErrCharacters},
	}
	for _, tt := range tests {
		err := ValidateBIC(tt.bic)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidateBIC(%q) = %v, want %v", tt.bic, err, tt.want)
		}
	}
}

func TestValidateICS(t *testing.T) {
	tests := []struct {
		ics  string
		want error
	}{
		{"FR72ZZZ123456", nil},
		{"DE98ZZZ09999999999", nil},
		{"FR73ZZZ123456", ErrCheckDigits},
		{"FR72ABC123456", nil}, // the business code is outside the check
		{"FR72ZZZ1234567", ErrLength},
		{"", ErrEmpty},
		{"F172ZZZ123456", ErrCharacters},
		{"QQ72ZZZ123456", ErrCountry},
	}
	for _, tt := range tests {
		err := ValidateICS(tt.ics)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidateICS(%q) = %v, want %v", tt.ics, err, tt.want)
		}
	}
}

func TestValidateSIREN(t *testing.T) {
	tests := []struct {
		siren string
		want  error
	}{
		{"123456782", nil},
		{"732829320", nil},
		{"552100554", nil},
		{"123456789", ErrCheckDigits},
		{"12345678", ErrFormat},
		{"12345678A", ErrFormat},
		{"", ErrEmpty},
	}
	for _, tt := range tests {
		err := ValidateSIREN(tt.siren)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidateSIREN(%q) = %v, want %v", tt.siren, err, tt.want)
		}
	}
}

func TestValidateRUM(t *testing.T) {
	tests := []struct {
		rum  string
		want error
	}{
		{"RUM-2024-0042", nil},
		{"ACME/2026/0001", nil},
		{"M 12 (a)", nil},
		{"", ErrEmpty},
		{"123456789012345678901234567890123456", ErrLength},
		{"RUM_2024", ErrCharacters},
		{"RUMÉ", ErrCharacters},
		{"/RUM1", ErrFormat},
		{"RUM1/", ErrFormat},
		{"RUM//1", ErrFormat},
		{" RUM1", ErrFormat},
	}
	for _, tt := range tests {
		err := ValidateRUM(tt.rum)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidateRUM(%q) = %v, want %v", tt.rum, err, tt.want)
		}
	}
}

func TestCountry(t *testing.T) {
	for _, c := range []string{"FR", "DE", "MC", "GP", "RE", "CH", "GB"} {
		if err := ValidateCountry(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, c := range []string{"", "XX", "fr", "FRA", "UK"} {
		if ValidateCountry(c) == nil {
			t.Errorf("%q accepted", c)
		}
	}
}

func TestMaskIBAN(t *testing.T) {
	if got := MaskIBAN("FR7630004008280001012345691"); got != "FR76*******************5691" {
		t.Errorf("MaskIBAN = %s", got)
	}
}

// The SEPA scheme countries (EPC409-09 v8.0): 30 in the EEA, 11 outside it
// and Gibraltar; valid IBANs of other countries are refused (issue 15, item 1).
func TestSEPACountries(t *testing.T) {
	eea := strings.Fields("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO")
	outside := strings.Fields("AD AL CH GB GI MC MD ME MK RS SM VA")
	if len(eea) != 30 || len(sepaCountries) != 42 {
		t.Fatalf("%d EEA countries, %d in the table", len(eea), len(sepaCountries))
	}
	for _, cc := range eea {
		if !SEPACountry(cc) || OutsideEEA(cc) {
			t.Errorf("%s: SEPA %v, outside the EEA %v", cc, SEPACountry(cc), OutsideEEA(cc))
		}
		if _, ok := ibanLengths[cc]; !ok {
			t.Errorf("%s has no IBAN length", cc)
		}
	}
	for _, cc := range outside {
		if !SEPACountry(cc) || !OutsideEEA(cc) {
			t.Errorf("%s: SEPA %v, outside the EEA %v", cc, SEPACountry(cc), OutsideEEA(cc))
		}
		if _, ok := ibanLengths[cc]; !ok {
			t.Errorf("%s has no IBAN length", cc)
		}
	}
	for _, cc := range strings.Fields("TR BR SA XK US RU UA BA GE") {
		if SEPACountry(cc) {
			t.Errorf("%s is not a SEPA country", cc)
		}
	}
	tr := "TR" + IBANCheckDigits("TR", "0006100519786457841326") + "0006100519786457841326"
	if err := ValidateIBAN(tr); err != nil {
		t.Fatal(err)
	}
	if err := ValidateSEPAIBAN(tr); !errors.Is(err, ErrNotSEPA) {
		t.Errorf("ValidateSEPAIBAN(%s) = %v", tr, err)
	}
	if err := ValidateSEPAIBAN("CH9300762011623852957"); err != nil {
		t.Errorf("Swiss IBAN: %v", err)
	}
}

// TestReason: Reason drops the value an error quotes, plain or quoted,
// and keeps the sentinel for errors.Is.
func TestReason(t *testing.T) {
	tests := []struct {
		value string
		err   error
		want  string
		is    error
	}{
		{"FR7630004008280001012345692", ValidateIBAN("FR7630004008280001012345692"), "bad check digits", ErrCheckDigits},
		{"RUM_2", ValidateRUM("RUM_2"), "invalid characters at position 4", ErrCharacters},
		{"123", ValidateSIREN("123"), "wrong format: want 9 digits", nil},
		{"", errors.New("no value quoted"), "no value quoted", nil},
	}
	for _, tt := range tests {
		got := Reason(tt.err, tt.value)
		if got.Error() != tt.want || tt.is != nil && !errors.Is(got, tt.is) || !errors.Is(got, tt.err) {
			t.Errorf("Reason(%v, %q) = %v, want %q (wrapping %v)", tt.err, tt.value, got, tt.want, tt.is)
		}
	}
}

// mod97 reduces only when its accumulator could overflow: on long strings
// of digits and letters, read whole or in two pieces, it must agree with
// the number computed exactly.
func TestMod97AgreesWithBigIntegers(t *testing.T) {
	rng := rand.New(rand.NewPCG(97, 10))
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for range 2000 {
		b := make([]byte, 1+rng.IntN(80))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		var digits strings.Builder
		for _, c := range strings.ToUpper(string(b)) {
			if c >= 'A' {
				digits.WriteString(strconv.Itoa(int(c-'A') + 10))
			} else {
				digits.WriteRune(c)
			}
		}
		n, _ := new(big.Int).SetString(digits.String(), 10)
		want := int(new(big.Int).Mod(n, big.NewInt(97)).Int64())
		cut := rng.IntN(len(b) + 1)
		if got := mod97(string(b)); got != want {
			t.Fatalf("mod97(%s) = %d, want %d", b, got, want)
		}
		if got := mod97From(mod97(string(b[:cut])), string(b[cut:])); got != want {
			t.Fatalf("mod97 of %s read as %s then %s = %d, want %d", b, b[:cut], b[cut:], got, want)
		}
	}
	if mod97("FR76-3000") != -1 || mod97From(-1, "12") != -1 {
		t.Error("a character outside 0-9, A-Z, a-z must give -1")
	}
}
