package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The million-row reads ask SQLite for one text column per row instead of
// twenty: modernc's driver opens every connection SQLITE_OPEN_FULLMUTEX, so
// each column read through database/sql takes SQLite's mutex three times
// and copies the value into a new string. Packed, a row is one column, one
// copy; its values are cut out of it without copying.

// packedColumns are the SQL expressions of a packed read, in reading order.
// Each is written twice in the query (its length, its text), so they should
// be columns, or expressions cheap enough to compute twice. The lengths are
// in bytes of the database's text encoding, which for remit's databases is
// UTF-8 (the default, which Init never changes): the bytes Go receives.
type packedColumns []string

// sql is the one column holding them all: each value as its length in
// bytes, ':' and its text (an integer as its decimal digits). A NULL comes
// out as ':' alone, which packedRow refuses, as Scan into a string would.
func (c packedColumns) sql() string {
	parts := make([]string, 0, 3*len(c))
	for _, e := range c {
		parts = append(parts, "octet_length("+e+")", "':'", e)
	}
	return "concat(" + strings.Join(parts, ", ") + ")"
}

// packedRow reads the values of one packed row in order. Errors are
// sticky: after the first, every value is zero, and done reports it.
type packedRow struct {
	cols packedColumns
	rest string // the values not read yet
	next int    // the index in cols of the next value
	err  error
}

// scan reads the current row of rows, which selects cols.sql(), then as
// many columns of their own as unpacked gives destinations for: a costly
// expression is cheaper there, computed once.
func (r *packedRow) scan(rows *sql.Rows, cols packedColumns, unpacked ...any) error {
	*r = packedRow{cols: cols}
	if len(unpacked) == 0 {
		r.err = rows.Scan(&r.rest)
		return r.err
	}
	r.err = rows.Scan(append([]any{&r.rest}, unpacked...)...)
	return r.err
}

// text returns the next value.
func (r *packedRow) text() string {
	if r.err != nil {
		return ""
	}
	if r.next >= len(r.cols) {
		r.err = fmt.Errorf("packed row: more values read than the %d selected", len(r.cols))
		return ""
	}
	colon := strings.IndexByte(r.rest, ':')
	if colon == 0 {
		return r.failAt(r.next, errPackedNull)
	}
	if colon < 0 {
		return r.failAt(r.next, errPackedLength)
	}
	n, err := strconv.Atoi(r.rest[:colon])
	if err != nil || n < 0 || colon+1+n > len(r.rest) {
		return r.failAt(r.next, errPackedLength)
	}
	v := r.rest[colon+1 : colon+1+n]
	r.rest, r.next = r.rest[colon+1+n:], r.next+1
	return v
}

var (
	errPackedNull   = errors.New("NULL")
	errPackedLength = errors.New("no length-prefixed value")
)

// failAt records why value i cannot be read.
func (r *packedRow) failAt(i int, err error) string {
	r.err = fmt.Errorf("packed row: column %d (%s): %w", i, r.cols[i], err)
	return ""
}

// int64 returns the next value, an integer.
func (r *packedRow) int64() int64 {
	s := r.text()
	if r.err != nil {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.failAt(r.next-1, err)
	}
	return v
}

// int returns the next value, an integer.
func (r *packedRow) int() int { return int(r.int64()) }

// done returns the first error, or one if values were left unread.
func (r *packedRow) done() error {
	if r.err == nil && (r.next != len(r.cols) || r.rest != "") {
		r.err = fmt.Errorf("packed row: %d of %d values read", r.next, len(r.cols))
	}
	return r.err
}
