package remit

import (
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2026-12-01", "01/12/2026", "2028-02-29"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"2026-02-30", "31/04/2026", "2026-13-01", "1/12/2026", "2026-12-1", "", "20261201", "2027-02-29"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
