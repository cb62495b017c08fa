package accounting

import "testing"

func TestLetteringCode(t *testing.T) {
	for id, want := range map[int64]string{-5: "AAA", 0: "AAA", 1: "AAA", 2: "AAB", 26: "AAZ", 27: "ABA", 676: "AZZ", 677: "BAA",
		17576: "ZZZ", 17577: "BAAA", 456977: "BAAAA", 8031810176: "ZZZZZZZ", 8031810177: "BAAAAAAA"} {
		if got := LetteringCode(id); got != want {
			t.Errorf("LetteringCode(%d) = %s, want %s", id, got, want)
		}
	}
}

// A receivable's customer lines are lettered complete (upper case) when
// they settle it exactly, partial (lower case) otherwise, dated the
// latest line.
func TestLetter(t *testing.T) {
	for _, tc := range []struct {
		name            string
		amount, settled int64
		last            string
		want            Lettering
	}{
		{"collected", 1000, 1000, "2026-12-01", Lettering{"ABA", "2026-12-01"}},
		{"rejected", 1000, 0, "2026-12-08", Lettering{"aba", "2026-12-08"}},
		{"collected again after the reject", 1000, 1000, "2026-12-15", Lettering{"ABA", "2026-12-15"}},
		{"collected for more than it says", 1000, 1100, "2026-12-01", Lettering{"aba", "2026-12-01"}},
		{"collected twice", 1000, 2000, "2026-12-01", Lettering{"aba", "2026-12-01"}},
	} {
		if got := Letter(27, tc.amount, tc.settled, tc.last); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
