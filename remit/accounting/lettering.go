package accounting

import "strings"

// Lettering (lettrage) ties the customer lines of one receivable together:
// they all carry the receivable's code, in upper case when they settle it
// exactly (complete: collected and not returned), in lower case otherwise
// (partial: after a reject, a return or a cancelled remittance, the lines
// no longer settle it), dated the receivable's latest line.
type Lettering struct {
	Code string // EcritureLet; "" when the line is not lettered
	On   string // DateLet, a stored date
}

// LetteringCode is a receivable's lettering code in upper case: its id
// minus one in base 26 written with letters, at least three (AAA, AAB, …
// ZZZ, then BAAA: a longer code never repeats a shorter one).
func LetteringCode(receivable int64) string {
	n := receivable - 1
	if n < 0 {
		n = 0
	}
	var b []byte
	for n > 0 || len(b) < 3 {
		b = append(b, byte('A'+n%26))
		n /= 26
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// Letter letters the customer lines of a receivable of the given amount
// whose lines credit it settled in all (credits minus debits), the latest
// dated last: complete when they settle it exactly, partial otherwise.
func Letter(receivable, amount, settled int64, last string) Lettering {
	if settled == amount {
		return complete(receivable, last)
	}
	return Lettering{Code: strings.ToLower(LetteringCode(receivable)), On: last}
}

// complete is the lettering of lines that settle their receivable.
func complete(receivable int64, on string) Lettering {
	return Lettering{Code: LetteringCode(receivable), On: on}
}
