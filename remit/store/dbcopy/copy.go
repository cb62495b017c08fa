package dbcopy

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// Errors of Copy.
var (
	// ErrNotEmpty: the target already holds rows; nothing was copied.
	ErrNotEmpty = errors.New("the target database is not empty")
	// ErrMismatch: what the target holds after the copy differs from the
	// source (rows or content); nothing was committed.
	ErrMismatch = errors.New("the copy differs from the source")
	// ErrSchema: the two databases' tables differ; nothing was copied.
	ErrSchema = errors.New("the two databases' tables differ")
)

// Options tune Copy.
type Options struct {
	// Wait is how long a statement waits for another remit holding either
	// database (SQLite's busy timeout, PostgreSQL's lock_timeout); default
	// 30 s.
	Wait time.Duration
	// Progress, when set, is told how many rows of a table were sent, every
	// so often and once the table is done.
	Progress func(table string, rows int64)
}

// Report says what was copied.
type Report struct {
	From, To string // the databases, passwords hidden
	Tables   []Table
}

// Table is one table copied: its rows and their content hash, the same
// on both sides.
type Table struct {
	Name string `json:"table"`
	Rows int64  `json:"rows"`
	// SHA256 is the hash of the table's rows in key order, each value
	// typed (null, integer, text), so that the same rows give the same
	// hash in SQLite and in PostgreSQL.
	SHA256 string `json:"sha256"`
}

// Rows sums the rows copied.
func (r *Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// Copy copies every table of the remit database from (an SQLite file, or a
// PostgreSQL URL or key=value DSN: see postgres.IsDSN) into the remit
// database to, which must be empty. All of it is written in one
// transaction, committed only when each table's row count and content hash
// read back from the target equal the source's.
func Copy(ctx context.Context, from, to string, o Options) (*Report, error) {
	src, err := openSource(from, o.Wait)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer src.close()
	dst, err := openTarget(to, o.Wait)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	defer dst.close()

	cols, err := sameTables(ctx, src, dst)
	if err != nil {
		return nil, err
	}
	r, err := src.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.name(), err)
	}
	defer r.end()
	w, err := dst.writeTx(ctx, names())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dst.name(), err)
	}
	defer w.rollback()
	full, err := w.nonEmpty(ctx, names())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dst.name(), err)
	}
	if len(full) > 0 {
		return nil, fmt.Errorf("%s: %w (%s hold rows): copy into a new database, or one `remit init` just created",
			dst.name(), ErrNotEmpty, strings.Join(full, ", "))
	}

	rep := &Report{From: src.name(), To: dst.name()}
	for _, t := range tables {
		sent, err := copyTable(ctx, r, w, t, cols[t.name], o)
		if err != nil {
			return nil, err
		}
		got, err := digest(ctx, w, t, cols[t.name])
		if err != nil {
			return nil, fmt.Errorf("%s: reading %s back: %w", dst.name(), t.name, err)
		}
		if got != sent {
			return nil, fmt.Errorf("%s: %w: table %s: %d rows sent (sha256 %s), %d read back (sha256 %s); nothing was committed",
				dst.name(), ErrMismatch, t.name, sent.Rows, sent.SHA256, got.Rows, got.SHA256)
		}
		rep.Tables = append(rep.Tables, sent)
	}
	if err := w.finish(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", dst.name(), err)
	}
	if err := w.commit(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", dst.name(), err)
	}
	return rep, nil
}

func names() []string {
	ns := make([]string, len(tables))
	for i, t := range tables {
		ns[i] = t.name
	}
	return ns
}

// sameTables checks that both databases hold the tables Copy knows, with
// the same columns in the same order and of the same kinds, and returns
// them.
func sameTables(ctx context.Context, src, dst database) (map[string][]column, error) {
	known := names()
	cols := map[string][]column{}
	for _, d := range []database{src, dst} {
		have, err := d.tableNames(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.name(), err)
		}
		slices.Sort(have)
		want := slices.Sorted(slices.Values(known))
		if !slices.Equal(have, want) {
			return nil, fmt.Errorf("%s: %w: it has the tables %s; this remit copies %s", d.name(), ErrSchema,
				strings.Join(have, ", "), strings.Join(want, ", "))
		}
	}
	for _, t := range known {
		a, err := src.columns(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.name(), err)
		}
		b, err := dst.columns(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dst.name(), err)
		}
		if !slices.Equal(a, b) {
			return nil, fmt.Errorf("%w: table %s has the columns %s in %s and %s in %s", ErrSchema, t,
				describe(a), src.name(), describe(b), dst.name())
		}
		cols[t] = a
	}
	return cols, nil
}

func describe(cols []column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.name)
		if c.integer {
			b.WriteString(" integer")
		} else {
			b.WriteString(" text")
		}
	}
	return b.String()
}

// copyTable sends a table's rows from r to w and returns their count and
// hash.
func copyTable(ctx context.Context, r reader, w writer, t table, cols []column, o Options) (Table, error) {
	it, err := r.rows(ctx, t, cols)
	if err != nil {
		return Table{}, fmt.Errorf("reading %s: %w", t.name, err)
	}
	defer it.Close()
	s := &stream{it: it, t: t, cols: cols, h: newRowHash(), progress: o.Progress}
	n, err := w.write(ctx, t, cols, s)
	if s.err != nil { // the source's row, not the target, is at fault
		return Table{}, s.err
	}
	if err != nil {
		return Table{}, fmt.Errorf("writing %s (%s): %w", t.name, s.where(), err)
	}
	if err := it.Err(); err != nil {
		return Table{}, fmt.Errorf("reading %s: %w", t.name, err)
	}
	if n != s.n {
		return Table{}, fmt.Errorf("%w: table %s: %d rows read, %d written", ErrMismatch, t.name, s.n, n)
	}
	if o.Progress != nil {
		o.Progress(t.name, s.n)
	}
	return Table{Name: t.name, Rows: s.n, SHA256: s.h.sum()}, nil
}

// digest counts and hashes a table's rows as the database holds them.
func digest(ctx context.Context, r reader, t table, cols []column) (Table, error) {
	it, err := r.rows(ctx, t, cols)
	if err != nil {
		return Table{}, err
	}
	defer it.Close()
	h := newRowHash()
	var n int64
	for it.Next() {
		row, err := it.Values()
		if err != nil {
			return Table{}, err
		}
		for i, v := range row {
			c, err := canon(v, cols[i])
			if err != nil {
				return Table{}, fmt.Errorf("%s: column %s: %w", rowKey(t, cols, row), cols[i].name, err)
			}
			h.add(c)
		}
		n++
	}
	if err := it.Err(); err != nil {
		return Table{}, err
	}
	return Table{Name: t.name, Rows: n, SHA256: h.sum()}, nil
}

// stream passes a source table's rows to a target, each checked against
// the column it goes to, counted and hashed. It is a pgx.CopyFromSource.
type stream struct {
	it       rowIter
	t        table
	cols     []column
	h        *rowHash
	n        int64
	row      []any
	err      error // a row the target cannot take
	progress func(string, int64)
}

func (s *stream) Next() bool {
	if s.err != nil || !s.it.Next() {
		return false
	}
	row, err := s.it.Values()
	if err != nil {
		s.err = fmt.Errorf("reading %s: %w", s.t.name, err)
		return false
	}
	for i, v := range row {
		c, err := canon(v, s.cols[i])
		if err != nil {
			s.err = fmt.Errorf("table %s, %s: column %s: %w; correct it in the source, then copy again", s.t.name,
				rowKey(s.t, s.cols, row), s.cols[i].name, err)
			return false
		}
		row[i] = c
		s.h.add(c)
	}
	s.row = row
	s.n++
	if s.progress != nil && s.n%65536 == 0 {
		s.progress(s.t.name, s.n)
	}
	return true
}

func (s *stream) Values() ([]any, error) { return s.row, nil }

func (s *stream) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.it.Err()
}

// where says which row the target refused (the last one sent).
func (s *stream) where() string {
	if s.row == nil {
		return "before the first row"
	}
	return "at " + rowKey(s.t, s.cols, s.row) + " or the rows just before"
}

// canon returns a value as Copy compares and sends it: nil, int64 or a
// string, of the column's kind. SQLite may hold a text in an integer
// column (it converts only what looks like a number), a real or a blob;
// PostgreSQL holds UTF-8 without NUL only.
func canon(v any, c column) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int64:
		if c.integer {
			return x, nil
		}
		return nil, fmt.Errorf("the integer %d in a text column", x)
	case int32:
		return canon(int64(x), c)
	case int16:
		return canon(int64(x), c)
	case int:
		return canon(int64(x), c)
	case string:
		if c.integer {
			return nil, fmt.Errorf("the text %q in an integer column", clip(x))
		}
		if !utf8.ValidString(x) {
			return nil, fmt.Errorf("%q is not valid UTF-8", clip(x))
		}
		if strings.IndexByte(x, 0) >= 0 {
			return nil, fmt.Errorf("%q holds a NUL character, which PostgreSQL cannot store", clip(x))
		}
		return x, nil
	case []byte:
		return nil, fmt.Errorf("a blob of %d bytes where remit keeps %s", len(x), kind(c))
	case float64:
		return nil, fmt.Errorf("the real number %v where remit keeps %s", x, kind(c))
	default:
		return nil, fmt.Errorf("a value of type %T where remit keeps %s", v, kind(c))
	}
}

func kind(c column) string {
	if c.integer {
		return "integers"
	}
	return "text"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// rowKey names a row by its key columns' values, e.g. "id 12".
func rowKey(t table, cols []column, row []any) string {
	key := t.key
	if key == nil {
		for _, c := range cols {
			key = append(key, c.name)
		}
	}
	var parts []string
	for _, k := range key {
		for i, c := range cols {
			if c.name == k && i < len(row) {
				parts = append(parts, fmt.Sprintf("%s %v", k, row[i]))
			}
		}
	}
	return "row " + strings.Join(parts, ", ")
}

// rowHash hashes values in a self-delimiting, typed encoding: 0 for null,
// 1 and 8 bytes big-endian for an integer, 2, the length (uvarint) and the
// bytes for a text.
type rowHash struct {
	h   hash.Hash
	buf []byte
}

func newRowHash() *rowHash { return &rowHash{h: sha256.New(), buf: make([]byte, 0, 16)} }

func (r *rowHash) add(v any) {
	b := r.buf[:0]
	switch x := v.(type) {
	case nil:
		b = append(b, 0)
	case int64:
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, uint64(x))
	case string:
		b = append(b, 2)
		b = binary.AppendUvarint(b, uint64(len(x)))
		r.h.Write(b)
		r.h.Write([]byte(x))
		return
	}
	r.h.Write(b)
}

func (r *rowHash) sum() string { return hex.EncodeToString(r.h.Sum(nil)) }

// database is one side of a copy.
type database interface {
	name() string
	// tableNames lists the schema's tables, without the schema's version.
	tableNames(ctx context.Context) ([]string, error)
	columns(ctx context.Context, table string) ([]column, error)
	// readTx starts a read-only snapshot.
	readTx(ctx context.Context) (reader, error)
	// writeTx starts the target's transaction, the tables locked against
	// other writers.
	writeTx(ctx context.Context, tables []string) (writer, error)
	close()
}

type column struct {
	name    string
	integer bool // else text
}

type reader interface {
	// rows reads a table's columns in key order.
	rows(ctx context.Context, t table, cols []column) (rowIter, error)
	end()
}

type writer interface {
	reader
	// nonEmpty names the tables holding rows.
	nonEmpty(ctx context.Context, tables []string) ([]string, error)
	write(ctx context.Context, t table, cols []column, s *stream) (int64, error)
	// finish does what the database needs once the rows are in.
	finish(ctx context.Context) error
	commit(ctx context.Context) error
	rollback()
}

type rowIter interface {
	Next() bool
	Values() ([]any, error)
	Err() error
	Close()
}

func openSource(dsn string, wait time.Duration) (database, error) {
	if postgres.IsDSN(dsn) {
		return openPostgres(dsn, false, wait)
	}
	return openSQLite(dsn, false, wait)
}

func openTarget(dsn string, wait time.Duration) (database, error) {
	if postgres.IsDSN(dsn) {
		return openPostgres(dsn, true, wait)
	}
	return openSQLite(dsn, true, wait)
}

// orderBy is a table's ORDER BY list.
func orderBy(t table, cols []column, quote func(string) string) string {
	key := t.key
	if key == nil {
		for _, c := range cols {
			key = append(key, c.name)
		}
	}
	q := make([]string, len(key))
	for i, k := range key {
		q[i] = quote(k)
	}
	return strings.Join(q, ", ")
}

func columnList(cols []column, quote func(string) string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quote(c.name)
	}
	return strings.Join(q, ", ")
}
