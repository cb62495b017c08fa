package csvread

import (
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
)

// Format is what a kind of file holds: its columns, and the command that
// reads it (named in advice: "save the file as UTF-8, or give its encoding
// (remit import --encoding windows-1252 …)").
type Format struct {
	Columns  []string // the known column names, lower case, in canonical order, the required ones first
	Required int      // how many of Columns a file must have
	Command  string   // "remit import", "remit payables import"
}

// Header is what the first line of a file says.
type Header struct {
	Names []string       // the header line's fields, as the file writes them
	Named int            // fields up to the last named one: spreadsheets add empty columns after it
	index map[string]int // column → its 1-based field; 0: absent
}

// Index returns the 1-based field of a known column; 0 when the header
// does not name it.
func (h *Header) Index(column string) int { return h.index[column] }

// Columns are the header's named columns as the file writes them (the
// empty ones after the last named one left out).
func (h *Header) Columns() []string { return h.Names[:h.Named:h.Named] }

// maxShown bounds the wrong columns reported: a header of a hundred
// thousand unknown columns gets a screenful, not 32 MB.
const maxShown = 20

// readHeader maps the header line's names to f's columns. Names are
// case-insensitive; empty columns at its end (…;due_date;;;, as
// spreadsheets save them) are ignored; an unknown, unnamed or repeated
// column is a problem, each reported once; a missing required column is a
// problem that also makes the lines unreadable (readable false).
func readHeader(names []string, f Format) (h Header, problems []*remit.LineError, readable bool) {
	known := make(map[string]bool, len(f.Columns))
	for _, c := range f.Columns {
		known[c] = true
	}
	h = Header{Names: names, index: map[string]int{}}
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
			h.Named = i + 1
		}
	}
	for i, n := range names[:h.Named] {
		key := strings.ToLower(strings.TrimSpace(n))
		switch {
		case key == "":
			report(&remit.LineError{Line: 1, Err: fmt.Errorf("column %d has no name: name it, or delete the column", i+1)})
		case !known[key]:
			if !unknown[key] {
				err := errors.New("unknown column")
				if len(unknown) == 0 {
					err = fmt.Errorf("unknown column (known: %s)", strings.Join(f.Columns, ", "))
				}
				unknown[key] = true
				report(&remit.LineError{Line: 1, Column: n, Value: n, Err: err})
			}
		case h.index[key] != 0:
			if !twice[key] {
				twice[key] = true
				report(&remit.LineError{Line: 1, Column: n, Value: n, Err: errors.New("column appears twice")})
			}
		default:
			h.index[key] = i + 1 // +1 so that 0 means absent
		}
	}
	if wrong > maxShown {
		problems = append(problems, &remit.LineError{Line: 1, Err: fmt.Errorf("and %d more wrong columns", wrong-maxShown)})
	}
	readable = true
	for _, c := range f.Columns[:f.Required] {
		if h.index[c] == 0 {
			problems = append(problems, &remit.LineError{Line: 1, Column: c, Err: errors.New("required column missing")})
			readable = false
		}
	}
	return h, problems, readable
}
