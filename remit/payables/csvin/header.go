package csvin

import (
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
)

// header is what the first line of a file says.
type header struct {
	idx   map[string]int // column → its 1-based field; 0: absent
	named int            // fields up to the last named one: spreadsheets add empty columns after it
	width int            // fields in the header line
}

// maxShown bounds the wrong columns reported: a header of a hundred
// thousand unknown columns gets a screenful, not 32 MB.
const maxShown = 20

// mapColumns reads the header line, with the receivables import's rules
// and messages: names are case-insensitive; empty columns at its end
// (…;due_date;;;, as spreadsheets save them) are ignored; an unknown,
// unnamed or repeated column is a problem, each reported once; a missing
// required column is a problem that also makes the lines unreadable (ok
// false).
func mapColumns(names []string) (h header, problems []*remit.LineError, ok bool) {
	h = header{idx: map[string]int{}, width: len(names)}
	unknown, twice := map[string]bool{}, map[string]bool{}
	wrong := 0
	report := func(le *remit.LineError) {
		wrong++
		if wrong <= maxShown {
			problems = append(problems, le)
		}
	}
	for i, n := range names {
		if strings.TrimSpace(n) != "" {
			h.named = i + 1
		}
	}
	for i, n := range names[:h.named] {
		key := strings.ToLower(strings.TrimSpace(n))
		switch {
		case key == "":
			report(&remit.LineError{Line: 1, Err: fmt.Errorf("column %d has no name: name it, or delete the column", i+1)})
		case !payables.IsColumn(key):
			if !unknown[key] {
				err := errors.New("unknown column")
				if len(unknown) == 0 {
					err = fmt.Errorf("unknown column (known: %s)", strings.Join(payables.Columns, ", "))
				}
				unknown[key] = true
				report(&remit.LineError{Line: 1, Column: n, Value: n, Err: err})
			}
		case h.idx[key] != 0:
			if !twice[key] {
				twice[key] = true
				report(&remit.LineError{Line: 1, Column: n, Value: n, Err: errors.New("column appears twice")})
			}
		default:
			h.idx[key] = i + 1
		}
	}
	if wrong > maxShown {
		problems = append(problems, &remit.LineError{Line: 1, Err: fmt.Errorf("and %d more wrong columns", wrong-maxShown)})
	}
	ok = true
	for _, c := range payables.Columns[:payables.RequiredColumns] {
		if h.idx[c] == 0 {
			problems = append(problems, &remit.LineError{Line: 1, Column: c, Err: errors.New("required column missing")})
			ok = false
		}
	}
	return h, problems, ok
}
