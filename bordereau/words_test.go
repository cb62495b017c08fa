package bordereau

import (
	"math"
	"strings"
	"testing"
)

func TestAmountInWords(t *testing.T) {
	euros := func(n int64) int64 { return n * 100 }
	for _, c := range []struct {
		cents int64
		want  string
	}{
		// Zero, singulars, centimes alone.
		{0, "zéro euro"},
		{1, "un centime"},
		{2, "deux centimes"},
		{50, "cinquante centimes"},
		{99, "quatre-vingt-dix-neuf centimes"},
		{euros(1), "un euro"},
		{euros(1) + 1, "un euro et un centime"},
		{euros(2), "deux euros"},
		{123456, "mille deux cent trente-quatre euros et cinquante-six centimes"},
		// Units and teens.
		{euros(10), "dix euros"},
		{euros(11), "onze euros"},
		{euros(16), "seize euros"},
		{euros(17), "dix-sept euros"},
		{euros(19), "dix-neuf euros"},
		// Tens: "et un" up to soixante, hyphens otherwise.
		{euros(20), "vingt euros"},
		{euros(21), "vingt et un euros"},
		{euros(22), "vingt-deux euros"},
		{euros(31), "trente et un euros"},
		{euros(41), "quarante et un euros"},
		{euros(51), "cinquante et un euros"},
		{euros(61), "soixante et un euros"},
		{euros(69), "soixante-neuf euros"},
		// Soixante-dix, quatre-vingts, quatre-vingt-dix.
		{euros(70), "soixante-dix euros"},
		{euros(71), "soixante et onze euros"},
		{euros(72), "soixante-douze euros"},
		{euros(77), "soixante-dix-sept euros"},
		{euros(79), "soixante-dix-neuf euros"},
		{euros(80), "quatre-vingts euros"},
		{euros(81), "quatre-vingt-un euros"},
		{euros(82), "quatre-vingt-deux euros"},
		{euros(90), "quatre-vingt-dix euros"},
		{euros(91), "quatre-vingt-onze euros"},
		{euros(99), "quatre-vingt-dix-neuf euros"},
		{80, "quatre-vingts centimes"},
		{81, "quatre-vingt-un centimes"},
		{71, "soixante et onze centimes"},
		{21, "vingt et un centimes"},
		// Cent: alone, plural only when multiplied and ending the number.
		{euros(100), "cent euros"},
		{euros(101), "cent un euros"},
		{euros(111), "cent onze euros"},
		{euros(121), "cent vingt et un euros"},
		{euros(171), "cent soixante et onze euros"},
		{euros(180), "cent quatre-vingts euros"},
		{euros(181), "cent quatre-vingt-un euros"},
		{euros(200), "deux cents euros"},
		{euros(201), "deux cent un euros"},
		{euros(280), "deux cent quatre-vingts euros"},
		{euros(999), "neuf cent quatre-vingt-dix-neuf euros"},
		// Mille: invariable, no "un", vingt and cent singular before it.
		{euros(1000), "mille euros"},
		{euros(1001), "mille un euros"},
		{euros(1021), "mille vingt et un euros"},
		{euros(1080), "mille quatre-vingts euros"},
		{euros(1100), "mille cent euros"},
		{euros(1200), "mille deux cents euros"},
		{euros(2000), "deux mille euros"},
		{euros(2001), "deux mille un euros"},
		{euros(21000), "vingt et un mille euros"},
		{euros(71000), "soixante et onze mille euros"},
		{euros(80000), "quatre-vingt mille euros"},
		{euros(81000), "quatre-vingt-un mille euros"},
		{euros(100000), "cent mille euros"},
		{euros(180000), "cent quatre-vingt mille euros"},
		{euros(200000), "deux cent mille euros"},
		{euros(200200), "deux cent mille deux cents euros"},
		{euros(999999), "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf euros"},
		// Million and milliard: nouns, "d'euros" after a round number of them.
		{euros(1000000), "un million d'euros"},
		{euros(1000000) + 50, "un million d'euros et cinquante centimes"},
		{euros(1000001), "un million un euros"},
		{euros(1001000), "un million mille euros"},
		{euros(1200000), "un million deux cent mille euros"},
		{euros(2000000), "deux millions d'euros"},
		{euros(2000080), "deux millions quatre-vingts euros"},
		{euros(10000000), "dix millions d'euros"},
		{euros(21000000), "vingt et un millions d'euros"},
		{euros(80000000), "quatre-vingts millions d'euros"},
		{euros(80000080), "quatre-vingts millions quatre-vingts euros"},
		{euros(99000000), "quatre-vingt-dix-neuf millions d'euros"},
		{euros(200000000), "deux cents millions d'euros"},
		{euros(200000200), "deux cents millions deux cents euros"},
		{euros(280080280), "deux cent quatre-vingts millions quatre-vingt mille deux cent quatre-vingts euros"},
		{euros(1000000000), "un milliard d'euros"},
		{euros(3000000000), "trois milliards d'euros"},
		{euros(1002003004), "un milliard deux millions trois mille quatre euros"},
		{99999999999, "neuf cent quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes"},
		// Negative.
		{-150, "moins un euro et cinquante centimes"},
	} {
		if got := AmountInWords(c.cents); got != c.want {
			t.Errorf("AmountInWords(%d) = %q\n                            want %q", c.cents, got, c.want)
		}
	}
}

// TestAmountInWordsExtremes: the largest amounts write every group of three
// digits without panicking, up to the billiards.
func TestAmountInWordsExtremes(t *testing.T) {
	got := AmountInWords(math.MaxInt64)
	want := "quatre-vingt-douze billiards deux cent trente-trois billions sept cent vingt milliards " +
		"trois cent soixante-huit millions cinq cent quarante-sept mille sept cent cinquante-huit euros et sept centimes"
	if got != want {
		t.Errorf("MaxInt64 = %q\nwant %q", got, want)
	}
	if got := AmountInWords(math.MinInt64); !strings.HasPrefix(got, "moins quatre-vingt-douze billiards") ||
		!strings.HasSuffix(got, "cinquante-huit euros et huit centimes") {
		t.Errorf("MinInt64 = %q", got)
	}
}

// TestAmountInWordsShape checks, on every amount up to 3,000 euros in steps
// and around each power of a thousand, what every correct spelling shares:
// no double spaces, "et" only before un or onze, "cents"/"vingts" only
// at the end or before million(s), milliard(s), billion(s)…, euros or
// d'euros, never
// "un mille" or "un cent".
func TestAmountInWordsShape(t *testing.T) {
	check := func(c int64) {
		s := AmountInWords(c)
		w := strings.Fields(s)
		if strings.Join(w, " ") != s {
			t.Errorf("%d: %q has stray spaces", c, s)
		}
		for i, x := range w {
			next := ""
			if i+1 < len(w) {
				next = w[i+1]
			}
			joint := i > 0 && (w[i-1] == "euro" || strings.HasSuffix(w[i-1], "euros")) // … euros et … centimes
			if x == "et" && next != "un" && next != "onze" && !joint {
				t.Errorf("%d: %q: 'et' before %q", c, s, next)
			}
			if (x == "cents" || strings.HasSuffix(x, "-vingts")) && next != "" && next != "euros" && next != "d'euros" &&
				next != "centimes" && !strings.HasPrefix(next, "milli") && !strings.HasPrefix(next, "billi") {
				t.Errorf("%d: %q: %q before %q", c, s, x, next)
			}
			if x == "un" && (next == "mille" || next == "cent") {
				t.Errorf("%d: %q: un %s", c, s, next)
			}
		}
	}
	for e := int64(0); e <= 3000; e++ {
		check(e*100 + e%100)
	}
	for _, p := range []int64{1e3, 1e6, 1e9, 1e12} {
		for d := int64(-3); d <= 3; d++ {
			for _, m := range []int64{1, 2, 80, 100, 200} {
				check((p*m + d) * 100)
			}
		}
	}
}
