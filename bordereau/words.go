package bordereau

import "strings"

// AmountInWords writes an amount of cents in French words, as on a cheque:
// "mille deux cent trente-quatre euros et cinquante-six centimes".
//
// It follows the traditional spelling (before the 1990 rectifications,
// still the usage on cheques): hyphens between tens and units below one
// hundred except around "et" (vingt et un, soixante et onze, but
// quatre-vingt-un); "vingt" and "cent" take an s when multiplied and ending
// the number or followed by million or milliard (quatre-vingts, deux cents,
// deux cents millions) but not before mille, which is invariable (quatre-vingt
// mille, deux cent mille) and never preceded by "un"; "un million", "deux
// millions", and "d'euros" after a round number of millions ("un million
// d'euros"). Singulars for one: "un euro", "un centime"; no centimes are
// written when there are none, and no euros when there are only centimes
// ("cinquante centimes"); zero is "zéro euro". A negative amount starts
// with "moins".
func AmountInWords(cents int64) string {
	var b strings.Builder
	u := uint64(cents)
	if cents < 0 {
		b.WriteString("moins ")
		u = -u // two's complement: also right for math.MinInt64
	}
	euros, centimes := u/100, u%100
	if euros == 0 && centimes == 0 {
		return b.String() + "zéro euro"
	}
	if euros > 0 {
		appendNumber(&b, euros)
		switch {
		case euros == 1:
			b.WriteString(" euro")
		case euros%1_000_000 == 0:
			b.WriteString(" d'euros") // un million d'euros, but deux cents euros
		default:
			b.WriteString(" euros")
		}
		if centimes > 0 {
			b.WriteString(" et ")
		}
	}
	if centimes > 0 {
		appendBelow1000(&b, centimes, true)
		b.WriteString(" centime")
		if centimes > 1 {
			b.WriteByte('s')
		}
	}
	return b.String()
}

// scales are the names of the powers of a thousand from a million up, in the
// long scale French uses: 10^6, 10^9, 10^12, 10^15, 10^18.
var scales = []string{"million", "milliard", "billion", "billiard", "trillion"}

// appendNumber writes n > 0 in words.
func appendNumber(b *strings.Builder, n uint64) {
	// Groups of three digits, from the units up.
	var groups [7]uint64
	top := 0
	for v := n; v > 0; v /= 1000 {
		groups[top] = v % 1000
		top++
	}
	first := true
	for i := top - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		switch i {
		case 0:
			appendBelow1000(b, g, true)
		case 1: // mille: invariable, never "un mille", and vingt/cent before it stay singular
			if g > 1 {
				appendBelow1000(b, g, false)
				b.WriteByte(' ')
			}
			b.WriteString("mille")
		default: // million, milliard…: nouns, so vingt/cent before them agree
			appendBelow1000(b, g, true)
			b.WriteByte(' ')
			b.WriteString(scales[i-2])
			if g > 1 {
				b.WriteByte('s')
			}
		}
	}
}

var (
	unitWords = [...]string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
		"dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}
	tenWords = [...]string{2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
)

// appendBelow1000 writes 0 < n < 1000. final says the number ends here or
// is followed by a noun (million, euros): "cent" and "quatre-vingt" then
// take their plural s when nothing follows them.
func appendBelow1000(b *strings.Builder, n uint64, final bool) {
	hundreds, rest := n/100, n%100
	if hundreds > 0 {
		if hundreds > 1 {
			b.WriteString(unitWords[hundreds])
			b.WriteByte(' ')
		}
		b.WriteString("cent")
		if rest == 0 {
			if hundreds > 1 && final {
				b.WriteByte('s')
			}
			return
		}
		b.WriteByte(' ')
	}
	appendBelow100(b, rest, final)
}

// appendBelow100 writes 0 < n < 100.
func appendBelow100(b *strings.Builder, n uint64, final bool) {
	switch {
	case n < 20:
		b.WriteString(unitWords[n])
	case n < 70:
		b.WriteString(tenWords[n/10])
		switch u := n % 10; u {
		case 0:
		case 1:
			b.WriteString(" et un")
		default:
			b.WriteByte('-')
			b.WriteString(unitWords[u])
		}
	case n < 80: // soixante-dix… soixante-dix-neuf, with "soixante et onze"
		b.WriteString("soixante")
		if n == 71 {
			b.WriteString(" et onze")
		} else {
			b.WriteByte('-')
			b.WriteString(unitWords[n-60])
		}
	default: // quatre-vingts, quatre-vingt-un… quatre-vingt-dix-neuf: never "et"
		b.WriteString("quatre-vingt")
		if n == 80 {
			if final {
				b.WriteByte('s')
			}
			return
		}
		b.WriteByte('-')
		b.WriteString(unitWords[n-80])
	}
}
