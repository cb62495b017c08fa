// Package lettering is what both stores share of lettering again in SQL:
// accounting.LetteringCode written as an SQL expression, in either
// dialect, and the check of a store's codes against accounting's.
//
//	code := lettering.CodeSQL("r.id", lettering.SQLite)
package lettering

import (
	"fmt"
	"math"
	"strings"

	"github.com/remit-dev/remit/remit/accounting"
)

// Dialect is the SQL a store speaks.
type Dialect int

const (
	SQLite Dialect = iota
	PostgreSQL
)

// CodeSQL is the SQL expression of accounting.LetteringCode for the
// receivable id expression id (a positive 64-bit integer): id - 1 in base
// 26 written with letters, at least three, to the fourteen digits an int64
// may have. A ladder on id picks the code's length first, so that a code
// of n letters costs n divisions (a million receivables: five), not
// fourteen and a trim.
func CodeSQL(id string, d Dialect) string {
	letters := func(n int) string {
		var digits []string
		p := int64(1)
		for range n - 1 {
			p *= 26
		}
		for ; p >= 1; p /= 26 {
			digit := fmt.Sprintf("65 + (%s - 1) / %d %% 26", id, p)
			if d == PostgreSQL {
				digit = "chr((" + digit + ")::int)"
			}
			digits = append(digits, digit)
		}
		if d == PostgreSQL {
			return strings.Join(digits, " || ")
		}
		return "char(" + strings.Join(digits, ", ") + ")"
	}
	var b strings.Builder
	b.WriteString("CASE")
	limit := int64(26 * 26 * 26)
	for n := 3; n < 14; n++ {
		// id - 1 < 26^n: n letters.
		fmt.Fprintf(&b, " WHEN %s <= %d THEN %s", id, limit, letters(n))
		limit *= 26
	}
	b.WriteString(" ELSE " + letters(14) + " END")
	return b.String()
}

// Mismatches compares a store's codes (code: what CodeSQL gives for an
// id) with accounting.LetteringCode's for receivable ids whose codes take
// every length a code may have, each at its edges: what the stores' tests
// check CodeSQL with. It lists the ids whose codes differ.
func Mismatches(code func(id int64) (string, error)) ([]string, error) {
	var out []string
	for _, id := range samples {
		got, err := code(id)
		if err != nil {
			return nil, fmt.Errorf("receivable %d: %w", id, err)
		}
		if want := accounting.LetteringCode(id); got != want {
			out = append(out, fmt.Sprintf("receivable %d: SQL %q, LetteringCode %q", id, got, want))
		}
	}
	return out, nil
}

var samples = []int64{1, 2, 26, 27, 676, 677, 17576, 17577, 17578, 456976, 456977, 308915776, 8031810176, 8031810177,
	123456789012, 1 << 40, 2481152873203736576, 2481152873203736577, math.MaxInt64}

// Rows is what either store's query rows give.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Mislettered reads rows of receivables' customer lines, one row each: the
// receivable's id, amount, what its lines settle (credits minus debits),
// its latest line's date, the least and greatest lettering code and date
// among its lines, and how many lines it has. It lists each receivable
// whose lines are not lines in number, all lettered as accounting.Letter
// says from all of them, and returns how many rows it read.
func Mislettered(rows Rows, lines int64) ([]string, int, error) {
	var out []string
	n := 0
	for rows.Next() {
		var id, amount, settled, count int64
		var last, code, code2, on, on2 string
		if err := rows.Scan(&id, &amount, &settled, &last, &code, &code2, &on, &on2, &count); err != nil {
			return nil, n, err
		}
		want := accounting.Letter(id, amount, settled, last)
		if count != lines || code != want.Code || code2 != want.Code || on != want.On || on2 != want.On {
			out = append(out, fmt.Sprintf("receivable %d: %d lines lettered %s…%s on %s…%s, want %d lettered %s on %s",
				id, count, code, code2, on, on2, lines, want.Code, want.On))
		}
		n++
	}
	return out, n, rows.Err()
}
