package postgres

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The million-row reads (a run's pointed receivables, a remittance's items
// read back for its files) take each row's values as the server sent them
// rather than through Scan, which allocates a string per column: a row's
// texts are copied at once into one string, and each value is a slice of
// it. A value is then kept only as long as the row's string is.

// rawRow reads the values of one row in the order selected.
type rawRow struct {
	fields []pgconn.FieldDescription
	raw    [][]byte
	text   string // the row's text values, one after the other
	ends   []int  // the end of value i in text (texts only)
	next   int    // the next value
	err    error
}

// load takes the current row of rows.
func (r *rawRow) load(rows pgx.Rows) {
	r.fields, r.raw, r.next, r.err = rows.FieldDescriptions(), rows.RawValues(), 0, nil
	if cap(r.ends) < len(r.raw) {
		r.ends = make([]int, len(r.raw))
	}
	r.ends = r.ends[:len(r.raw)]
	n := 0
	for _, v := range r.raw {
		n += len(v)
	}
	var b strings.Builder
	b.Grow(n)
	for i, v := range r.raw {
		if r.fields[i].DataTypeOID == textOID || r.fields[i].Format == pgx.TextFormatCode {
			b.Write(v)
		}
		r.ends[i] = b.Len()
	}
	r.text = b.String()
}

// textOID is PostgreSQL's text type.
const textOID = 25

var errRawNull = errors.New("NULL")

func (r *rawRow) fail(i int, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("column %d (%s): %w", i, r.fields[i].Name, err)
	}
}

// str returns the next value, a text.
func (r *rawRow) str() string {
	i := r.next
	r.next++
	if r.err != nil {
		return ""
	}
	if i >= len(r.raw) {
		r.err = fmt.Errorf("more values read than the %d selected", len(r.raw))
		return ""
	}
	if r.raw[i] == nil {
		r.fail(i, errRawNull)
		return ""
	}
	if r.fields[i].DataTypeOID != textOID && r.fields[i].Format != pgx.TextFormatCode {
		r.fail(i, fmt.Errorf("type %d is not text", r.fields[i].DataTypeOID))
		return ""
	}
	start := 0
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.text[start:r.ends[i]]
}

// int64 returns the next value, an integer (bigint or integer).
func (r *rawRow) int64() int64 {
	i := r.next
	r.next++
	if r.err != nil {
		return 0
	}
	if i >= len(r.raw) {
		r.err = fmt.Errorf("more values read than the %d selected", len(r.raw))
		return 0
	}
	v := r.raw[i]
	if v == nil {
		r.fail(i, errRawNull)
		return 0
	}
	if r.fields[i].Format == pgx.TextFormatCode {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			r.fail(i, err)
		}
		return n
	}
	switch len(v) {
	case 8:
		return int64(binary.BigEndian.Uint64(v))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(v)))
	case 2:
		return int64(int16(binary.BigEndian.Uint16(v)))
	}
	r.fail(i, fmt.Errorf("an integer of %d bytes", len(v)))
	return 0
}

// int returns the next value, an integer.
func (r *rawRow) int() int { return int(r.int64()) }

// done returns the first error, or one if values were left unread.
func (r *rawRow) done() error {
	if r.err == nil && r.next != len(r.raw) {
		r.err = fmt.Errorf("%d of %d values read", r.next, len(r.raw))
	}
	return r.err
}
