package cfonb

import (
	"bytes"
	"testing"
)

// The shared examples are read back without a problem and re-written byte
// for byte, with the separator they use.
func TestSharedExamplesRoundTrip(t *testing.T) {
	tests := []struct {
		file    string
		eol     EOL
		kind    Kind
		op      Operation
		records int
		details int
		total   int64
	}{
		{"lcr_3_bills.txt", CRLF, KindLCR, OpLCR, 5, 3, 182446},
		{"prelevement_2_debits.txt", CRLF, KindDebit, OpDebit, 4, 2, 16590},
		{"virement_2_credits.txt", None, KindTransfer, OpTransfer, 4, 2, 106250},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := sharedExample(t, tt.file)
			s, errs := verify(bytes.NewReader(data), pivot)
			if len(errs) > 0 {
				t.Fatalf("Verify: %q", messages(errs))
			}
			if s.EOL != tt.eol || s.Kind != tt.kind || s.Operation != tt.op || s.Records != tt.records ||
				s.Details != tt.details || s.Total != tt.total || len(s.Remises) != 1 {
				t.Errorf("summary = %+v", s)
			}
			recs, _ := readAll(data)
			out, err := rewrite(recs, s.EOL)
			if err != nil {
				t.Fatalf("rewrite: %v", err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("rewritten file differs:\n got %q\nwant %q", out, data)
			}
		})
	}
}
