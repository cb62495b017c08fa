package remit

import (
	"errors"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  error
	}{
		{"1234.56", 123456, nil},
		{"1234,56", 123456, nil},
		{"0.01", 1, nil},
		{"12", 1200, nil},
		{"12.5", 1250, nil},
		{" 7,10 ", 710, nil},
		{"999999999.99", 99999999999, nil},
		{"1000000000.00", 0, ErrAmountTooLarge},
		{"0", 0, ErrAmountSign},
		{"-5.00", 0, ErrAmountSign},
		{"1.234", 0, ErrAmountDecimals},
		{"1,234.56", 0, ErrAmountFormat},
		{"1 234,56", 0, ErrAmountFormat},
		{"1.2e+08", 0, ErrAmountFormat},
		{"12€", 0, ErrAmountFormat},
		{"", 0, ErrAmountFormat},
		{"abc", 0, ErrAmountFormat},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		cents   int64
		dot, fr string
	}{
		{1, "0.01", "0,01"},
		{100, "1.00", "1,00"},
		{123456, "1234.56", "1 234,56"},
		{99999999999, "999999999.99", "999 999 999,99"},
		{-550, "-5.50", "-5,50"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.cents); got != tt.dot {
			t.Errorf("FormatAmount(%d) = %s", tt.cents, got)
		}
		if got := FormatAmountFR(tt.cents); got != tt.fr {
			t.Errorf("FormatAmountFR(%d) = %s", tt.cents, got)
		}
	}
}

func TestParseSignedAmount(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  error
	}{
		{"12450.30", 1245030, nil}, {"-5000.00", -500000, nil}, {"-5000,5", -500050, nil}, {"+3", 300, nil},
		{"0", 0, nil}, {"0.00", 0, nil}, {"-0", 0, nil}, {" 00,0 ", 0, nil},
		{"", 0, ErrAmountFormat}, {"-", 0, ErrAmountFormat}, {"--3", 0, ErrAmountFormat}, {"-+3", 0, ErrAmountFormat},
		{"0.001", 0, ErrAmountDecimals}, {"1.234", 0, ErrAmountDecimals}, {"1 000", 0, ErrAmountFormat}, {".", 0, ErrAmountFormat},
	} {
		got, err := ParseSignedAmount(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseSignedAmount(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
