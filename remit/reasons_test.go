package remit

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckRejectReason(t *testing.T) {
	for _, tt := range []struct {
		kind, code string
		note, err  bool
	}{
		{"sdd", "AM04", false, false},
		{"sdd", "NARR", false, false},
		{"sdd", "XX01", false, true},
		{"sdd", "31", false, true},
		{"lcr", "AM04", false, false},
		{"lcr", "31", true, false},
		{"lcr", "ZZ", true, false},
		{"", "XX01", false, false}, // no such receivable: the reject says so
	} {
		note, err := CheckRejectReason(tt.kind, tt.code)
		if (note != "") != tt.note || (err != nil) != tt.err || (err != nil && !errors.Is(err, ErrUnknownReason)) {
			t.Errorf("%s %s: note %q, err %v", tt.kind, tt.code, note, err)
		}
		if err != nil && !strings.Contains(err.Error(), "AM04, AM05, BE05") {
			t.Errorf("%s %s: %v does not list the codes", tt.kind, tt.code, err)
		}
	}
}
