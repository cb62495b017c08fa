package remit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxAmount is the largest amount remit accepts, in cents: 999 999 999,99,
// the SEPA maximum (and within CFONB's 12-digit LCR zone).
const MaxAmount int64 = 99_999_999_999

// Reasons an amount is refused.
var (
	ErrAmountFormat   = errors.New("not an amount (write 1234.56 or 1234,56, no thousands separator)")
	ErrAmountDecimals = errors.New("more than 2 decimals")
	ErrAmountSign     = errors.New("must be greater than 0")
	ErrAmountTooLarge = errors.New("larger than 999999999.99")
)

// ParseAmount reads an input amount, "1234.56" or "1234,56", into cents.
// The decimal library is used only here, to read the text exactly; from
// here on amounts are int64 cents.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrAmountFormat
	}
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 || strings.ContainsAny(s, " _'eE") {
		return 0, ErrAmountFormat
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != ',' && c != '.' && c != '-' && c != '+' {
			return 0, ErrAmountFormat
		}
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil {
		return 0, ErrAmountFormat
	}
	if d.Sign() <= 0 {
		return 0, ErrAmountSign
	}
	if d.Exponent() < -2 {
		return 0, ErrAmountDecimals
	}
	cents := d.Shift(2)
	if cents.GreaterThan(decimal.NewFromInt(MaxAmount)) {
		return 0, ErrAmountTooLarge
	}
	return cents.IntPart(), nil
}

// ParseSignedAmount reads a balance or a limit, which may be zero or
// negative: "-5000.00", "0", "12450,30". What follows the sign is read as
// ParseAmount reads an amount.
func ParseSignedAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	neg, digits := false, s
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, digits = s[0] == '-', s[1:]
	}
	if strings.ContainsAny(digits, "-+") {
		return 0, ErrAmountFormat
	}
	if isZeroAmount(digits) {
		return 0, nil
	}
	c, err := ParseAmount(digits)
	if err != nil {
		return 0, err
	}
	if neg {
		c = -c
	}
	return c, nil
}

// isZeroAmount reports whether s writes zero: 0, 00, 0.0, 0,00.
func isZeroAmount(s string) bool {
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	return whole != "" && strings.Trim(whole, "0") == "" && len(frac) <= 2 && strings.Trim(frac, "0") == ""
}

// FormatAmount writes cents as "1234.56", the form for files and programs.
func FormatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// FormatAmountFR writes cents the French way for people: "1 234,56".
func FormatAmountFR(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	units := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s%s,%02d", sign, b.String(), cents%100)
}
