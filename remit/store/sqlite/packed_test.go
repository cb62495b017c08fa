package sqlite

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// packedDB is an in-memory SQLite with a table v(id, t, n) to pack values from.
func packedDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE v (id INTEGER PRIMARY KEY, t TEXT, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// readPacked reads cols of row id of v through a packed column, text
// values as text and the last one (an integer) with int64.
func readPacked(t *testing.T, db *sql.DB, id int64, cols packedColumns) ([]string, int64, error) {
	t.Helper()
	rows, err := db.Query(`SELECT `+cols.sql()+` FROM v WHERE id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("row %d: %v", id, rows.Err())
	}
	var r packedRow
	if err := r.scan(rows, cols); err != nil {
		return nil, 0, err
	}
	var texts []string
	for range len(cols) - 1 {
		texts = append(texts, r.text())
	}
	n := r.int64()
	return texts, n, r.done()
}

// Packed values come back byte for byte, whatever they hold: the length
// prefix, not a separator, says where each ends.
func TestPackedRowRoundTrip(t *testing.T) {
	db := packedDB(t)
	for i, v := range []string{
		"",
		":",
		"12:34",
		"3:abc",
		"0:",
		"Société Générale — 東京 €",
		"Zoë:: 5:élan",
		strings.Repeat("é", 300),
		"tab\tline\r\nend",
		"nul\x00byte",
		"1",
		"-7",
	} {
		id := int64(i + 1)
		if _, err := db.Exec(`INSERT INTO v VALUES (?, ?, ?)`, id, v, -9223372036854775807+id); err != nil {
			t.Fatal(err)
		}
		// The value twice, an empty string between, an expression and the integer.
		got, n, err := readPacked(t, db, id, packedColumns{"t", "''", "t", "'x:' || t", "n"})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		want := []string{v, "", v, "x:" + v}
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("%q: got %q, want %q", v, got, want)
		}
		if n != -9223372036854775807+id {
			t.Errorf("%q: integer %d, want %d", v, n, -9223372036854775807+id)
		}
	}
}

// A NULL is refused, as Scan into a string refuses it, not read as "".
func TestPackedRowNull(t *testing.T) {
	db := packedDB(t)
	if _, err := db.Exec(`INSERT INTO v VALUES (1, NULL, NULL), (2, 'a', NULL)`); err != nil {
		t.Fatal(err)
	}
	_, _, err := readPacked(t, db, 1, packedColumns{"'x'", "t", "n"})
	if !errors.Is(err, errPackedNull) || !strings.Contains(err.Error(), "column 1 (t)") {
		t.Errorf("NULL text: got %v, want column 1 (t) NULL", err)
	}
	_, _, err = readPacked(t, db, 2, packedColumns{"t", "n"})
	if !errors.Is(err, errPackedNull) || !strings.Contains(err.Error(), "column 1 (n)") {
		t.Errorf("NULL integer: got %v, want column 1 (n) NULL", err)
	}
	got, n, err := readPacked(t, db, 1, packedColumns{"COALESCE(t, '')", "COALESCE(n, 0)"})
	if err != nil || len(got) != 1 || got[0] != "" || n != 0 {
		t.Errorf("COALESCE: got %q %d %v", got, n, err)
	}
}

// A malformed row, or reading more or fewer values than selected, is an
// error that says which column, never a value cut in the wrong place.
func TestPackedRowErrors(t *testing.T) {
	cols := packedColumns{"a", "b"}
	for _, tc := range []struct {
		name, row string
		reads     int
		want      string
	}{
		{"whole", "1:x3:a:b", 2, ""},
		{"too long", "1:x9:ab", 2, "column 1 (b): no length-prefixed value"},
		{"no colon", "1:x", 2, "column 1 (b): no length-prefixed value"},
		{"bad length", "1:xq:", 2, "column 1 (b): no length-prefixed value"},
		{"negative length", "1:x-1:", 2, "column 1 (b): no length-prefixed value"},
		{"value left", "1:x1:y1:z", 2, "2 of 2 values read"},
		{"read one", "1:x1:y", 1, "1 of 2 values read"},
		{"read three", "1:x1:y", 3, "more values read than the 2 selected"},
	} {
		r := packedRow{cols: cols, rest: tc.row}
		for range tc.reads {
			r.text()
		}
		err := r.done()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	r := packedRow{cols: cols, rest: "2:12" + "3:1.5"}
	if r.int64(); r.err != nil {
		t.Fatal(r.err)
	}
	if r.int64(); r.err == nil || !strings.Contains(r.err.Error(), "column 1 (b)") {
		t.Errorf("1.5 as an integer: got %v", r.err)
	}
}
