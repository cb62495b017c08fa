package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// entriesRows dumps every column of every entry, quoted by SQLite (so a
// type difference shows), in id order.
func entriesRows(t *testing.T, q querier) string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), `SELECT quote(id) || '|' || quote(creditor_id) || '|' || quote(number) || '|' ||
		quote(line) || '|' || quote(kind) || '|' || quote(remittance_id) || '|' || quote(item_id) || '|' || quote(receivable_id) || '|' ||
		quote(return_id) || '|' || quote(reverses) || '|' || quote(journal) || '|' || quote(journal_label) || '|' || quote(date) || '|' ||
		quote(account) || '|' || quote(account_label) || '|' || quote(aux_account) || '|' || quote(aux_label) || '|' ||
		quote(counterpart) || '|' || quote(piece_ref) || '|' || quote(piece_date) || '|' || quote(label) || '|' || quote(debit) || '|' ||
		quote(credit) || '|' || quote(lettering) || '|' || quote(lettered_on) || '|' || quote(created_on) FROM entries ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// writeBoth writes remittance r's collection entries with
// writeCollectionEntries and with the line-by-line reference, each in a
// transaction rolled back, and returns both dumps, the errors and whether
// the set path was taken. writeCollectionEntries' écriture may be kept as
// a collection_ecritures row: kept says so, and stored is the dump of the
// set path storing every line instead.
type bothWritten struct {
	set, lines, stored string
	setErr, linesErr   error
	usedSet, kept      bool
}

func writeBoth(t *testing.T, st *Store, o EntryOptions, r remit.Remittance) (set, lines string, setErr, linesErr error, usedSet bool) {
	w := writeAll(t, st, o, r)
	if w.usedSet && w.stored != w.lines {
		t.Errorf("%+v: every line stored:\n%s\nlines:\n%s", o, w.stored, w.lines)
	}
	return w.set, w.lines, w.setErr, w.linesErr, w.usedSet
}

func writeAll(t *testing.T, st *Store, o EntryOptions, r remit.Remittance) (w bothWritten) {
	t.Helper()
	ctx := context.Background()
	o, err := o.normalized()
	if err != nil {
		t.Fatal(err)
	}
	run := func(fn func(tx *sql.Tx) error) (string, error) {
		tx, err := st.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			return "", err
		}
		return entriesRows(t, tx), nil
	}
	w.set, w.setErr = run(func(tx *sql.Tx) error {
		if err := writeCollectionEntries(ctx, tx, o, testNow, r); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT count(*) FROM collection_ecritures WHERE remittance_id = ?`, r.ID).Scan(&w.kept)
	})
	w.lines, w.linesErr = run(func(tx *sql.Tx) error {
		c, err := newCollectionForTest(ctx, tx, o, r)
		if err != nil {
			return err
		}
		if err := c.writeLines(ctx, tx); err != nil {
			return err
		}
		return checkRemittanceBalanced(ctx, tx, r.ID)
	})
	w.stored, _ = run(func(tx *sql.Tx) error {
		c, err := newCollectionForTest(ctx, tx, o, r)
		if err != nil {
			return err
		}
		c.storeLines = true
		w.usedSet, err = c.writeSet(ctx, tx)
		return err
	})
	return w
}

// newCollectionForTest is writeCollectionEntries' set-up.
func newCollectionForTest(ctx context.Context, tx *sql.Tx, o EntryOptions, r remit.Remittance) (*collection, error) {
	c := &collection{o: o, r: r, prior: map[int64]bool{}, remDate: remit.FormatDate(remit.Day(r.CreatedAt)), createdOn: remit.FormatDate(remit.Day(testNow))}
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, r.ID).Scan(&c.creditorID); err != nil {
		return nil, err
	}
	var err error
	c.prior, err = priorEntries(ctx, tx, r.ID)
	return c, err
}

// newVariedRemittance is a store with, first, a remittance whose entries
// were written then reversed (its receivables have earlier entries), and a
// second remittance without entries, over items that exercise the edge
// cases of the entries: several journal spellings, partial amounts, names
// with surrounding spaces, Unicode, placeholders, several blocks and dates.
func newVariedRemittance(t *testing.T) (*Store, remit.Remittance) {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	ibans := []string{"FR7630004008280001012345691", "FR7630006000011234567890189", "FR1420041010050500013M02606"}
	for i := 0; i < 60; i++ {
		due := fmt.Sprintf("2026-12-%02d", 1+i%9)
		if i%5 == 0 {
			due = fmt.Sprintf("2027-01-%02d", 4+i%7)
		}
		fmt.Fprintf(&b, "F%03d,411C%03d,Client %d,%d.%02d,%s,sdd,%s,,RUM-%03d,2025-01-15,CORE,,,Rue,1,69002,Lyon,FR,EUR,yes,\n",
			i, i, i, 10+i, i%100, due, ibans[i%3], i)
	}
	e := newSDDEnv(t, b.String())
	e.st.SetEntryOptions(EntryOptions{})
	first := e.run(sdd.Options{})
	// Earlier entries for the receivables of the first remittance, then back to pointed.
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, first.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.st.SetEntryOptions(EntryOptions{Disabled: true})
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 2) }
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 1 {
		t.Fatalf("%d remittances", len(res.Remittances))
	}
	r := res.Remittances[0]
	for _, q := range []string{
		`UPDATE remittance_items SET journal = CASE id % 7 WHEN 1 THEN 'rt' WHEN 2 THEN ' RT ' WHEN 3 THEN 'Rt' WHEN 4 THEN 'bq' WHEN 5 THEN 'é2' ELSE '' END`,
		`UPDATE remittance_items SET amount = amount + 100 WHERE id % 4 = 1`, // amounts the receivables do not say
		`UPDATE debtor_snapshots SET name = CASE id % 6 WHEN 0 THEN '  Dupont ' || char(160) WHEN 1 THEN 'Œuvre Łódź {doc} JJ/MM/AA'
			WHEN 2 THEN char(8195) || 'Müller' || char(9) WHEN 3 THEN '' ELSE name END`,
		`UPDATE remittance_items SET document = '' WHERE id % 11 = 3`,
		`UPDATE debtor_snapshots SET customer = '411-x.y_z' WHERE id % 13 = 5`,
	} {
		if _, err := e.st.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return e.st, r
}

func TestCollectionEntriesSetMatchesLines(t *testing.T) {
	st, r := newVariedRemittance(t)
	journals := map[string]JournalOptions{"RT": {Counterpart: "5112", Label: "Remises"}, "É2": {Counterpart: "09AAMM00"}}
	labels := []string{"", "{doc} {name}", "  {name}{customer}{doc}  ", "Prélèvement JJ/MM/AAAA {ref} {journal}", "{AAAA}-{MM}-{JJ} {doc}/{AA}",
		"x{reason}{doc}{doc}y{name}", "JJ/MM/AA{JJ}"}
	var cases []EntryOptions
	for _, centralize := range []bool{false, true} {
		for _, direct := range []bool{false, true} {
			for _, date := range []string{EntryDateRemittance, EntryDateCollection} {
				for i, label := range labels {
					o := EntryOptions{Centralize: centralize, Direct: direct, Date: date, CustomerLabel: label, Label: labels[(i+3)%len(labels)],
						AccountLabels: map[string]string{"09": "Effets", "5112": "Chèques"}}
					if !centralize {
						o.Journals = journals
						if i%2 == 1 {
							o.Counterpart = "4MMAA"
						}
					} else if i%2 == 1 {
						o.Journals = map[string]JournalOptions{"RT": {Counterpart: "5112"}}
					}
					cases = append(cases, o)
				}
			}
		}
	}
	for i, o := range cases {
		set, lines, setErr, linesErr, usedSet := writeBoth(t, st, o, r)
		if setErr != nil || linesErr != nil {
			t.Fatalf("case %d %+v: set %v, lines %v", i, o, setErr, linesErr)
		}
		if !usedSet {
			t.Errorf("case %d %+v: the set path was not used", i, o)
		}
		if set != lines {
			t.Errorf("case %d %+v:\nset:\n%s\nlines:\n%s", i, o, set, lines)
		}
	}
}

// A remittance's only écriture is kept as one row whose lines are its
// items: the entries view shows the same lines, ids and lettering
// included, as the line-by-line reference, and so after a return.
func TestCollectionEntriesKeptAsRowMatchLines(t *testing.T) {
	st, r := newVariedRemittance(t)
	if _, err := st.db.Exec(`UPDATE remittance_items SET journal = 'rt'`); err != nil {
		t.Fatal(err)
	}
	labels := []string{"", "{doc} {name}", "  {name}{customer}{doc}  ", "Prélèvement JJ/MM/AAAA {ref} {journal}",
		"x{reason}{doc}{doc}y{name}", "JJ/MM/AA{JJ}", " {customer}"}
	kept := 0
	for _, centralize := range []bool{false, true} {
		for _, direct := range []bool{false, true} {
			for i, label := range labels {
				o := EntryOptions{Centralize: centralize, Direct: direct, CustomerLabel: label, Label: labels[(i+3)%len(labels)],
					AccountLabels: map[string]string{"09": "Effets", "5112": "Chèques"},
					Journals:      map[string]JournalOptions{"RT": {Counterpart: "5112", Label: "Remises"}}}
				if !centralize && i%2 == 1 {
					o.Journals = map[string]JournalOptions{"RT": {Counterpart: []string{"09AAMM00", "4MMAA"}[i%4/2]}}
				}
				w := writeAll(t, st, o, r)
				if w.setErr != nil || w.linesErr != nil {
					t.Fatalf("%+v: %v, %v", o, w.setErr, w.linesErr)
				}
				if w.kept {
					kept++
				}
				if !w.kept || w.set != w.lines || w.stored != w.lines {
					t.Errorf("%+v: kept %v\nset:\n%s\nlines:\n%s\nstored:\n%s", o, w.kept, w.set, w.lines, w.stored)
				}
			}
		}
	}
	if kept == 0 {
		t.Fatal("no écriture kept as a row")
	}
	// Four item fields in the customer label, or entries dated by
	// collection date (several écritures): every line is stored.
	for _, o := range []EntryOptions{{CustomerLabel: "{doc}{name}{customer}{doc}"}, {Date: EntryDateCollection}} {
		if w := writeAll(t, st, o, r); w.kept || w.set != w.lines || w.setErr != nil {
			t.Errorf("%+v: kept %v, equal %v, %v", o, w.kept, w.set == w.lines, w.setErr)
		}
	}
}

func TestCollectionEntriesSetFallsBack(t *testing.T) {
	st, r := newVariedRemittance(t)
	// A masked account whose label depends on the month: written line by line.
	o := EntryOptions{Counterpart: "09AAMM00", AccountLabels: map[string]string{"0926": "Effets 2026", "0927": "Effets 2027"}}
	set, lines, setErr, linesErr, usedSet := writeBoth(t, st, o, r)
	if setErr != nil || linesErr != nil || usedSet || set != lines || !strings.Contains(set, "'Effets 2027'") {
		t.Errorf("label per month: set path %v, errors %v %v, equal %v", usedSet, setErr, linesErr, set == lines)
	}
	// An odd due date with a mask: line by line.
	st.db.Exec(`UPDATE remittance_items SET due_date = '2026-12-1' WHERE id = (SELECT max(id) FROM remittance_items)`)
	set, lines, setErr, linesErr, usedSet = writeBoth(t, st, EntryOptions{Counterpart: "09AAMM00"}, r)
	if setErr != nil || linesErr != nil || usedSet || set != lines {
		t.Errorf("odd due date: set path %v, errors %v %v, equal %v", usedSet, setErr, linesErr, set == lines)
	}
	// An amount that is not positive: writeEcriture's error.
	st.db.Exec(`UPDATE remittance_items SET amount = 0 WHERE id = (SELECT min(id) FROM remittance_items WHERE remittance_id = ?)`, r.ID)
	for _, o := range []EntryOptions{{}, {Centralize: true}} {
		_, _, setErr, linesErr, usedSet = writeBoth(t, st, o, r)
		if setErr == nil || linesErr == nil || setErr.Error() != linesErr.Error() || usedSet ||
			!strings.Contains(setErr.Error(), "exactly one must be positive") {
			t.Errorf("zero amount %+v: set path %v, errors %v / %v", o, usedSet, setErr, linesErr)
		}
	}
}

func TestLetteringSQL(t *testing.T) {
	st, _ := newTestStore(t)
	ids := []int64{-5, 0, 1, 2, 26, 27, 17576, 17577, 17578, 456976, 456977, 456978, 11881376, 11881377, 308915777,
		1<<40 + 12345, 2481152873203736576, 2481152873203736577, 1<<62 + 7, 1<<63 - 1}
	for i := int64(1); i < 2000; i += 37 {
		ids = append(ids, i*i*i)
	}
	for _, id := range ids {
		var got string
		if err := st.db.QueryRow(`SELECT `+letteringSQL("n")+` FROM (SELECT max(? - 1, 0) AS n)`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := LetteringCode(id); got != want {
			t.Errorf("id %d: SQL %q, LetteringCode %q", id, got, want)
		}
	}
}

func TestTrimIsTrimSpace(t *testing.T) {
	st, _ := newTestStore(t)
	for _, s := range []string{"", " ", "a", " a ", "\t\n\v\f\r a b \r\n", "\u00a0x\u0085", "\u3000\u2000x\u205f\u202f", "\u1680",
		"x\u200b", "\u180ex\ufeff", "\xc2 a\xa0", "\xe2\x80\x80\xff", "é ", " \x00 a\x00"} {
		var got string
		if err := st.db.QueryRow(`SELECT trim(?, ?)`, s, whiteSpace).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, strings.TrimSpace %q", s, got, want)
		}
	}
}

// expandLabel must replace exactly as strings.NewReplacer did.
func TestExpandLabelMatchesReplacer(t *testing.T) {
	reference := func(tpl string, f labelFields) string {
		d := f.date
		r := strings.NewReplacer(
			"JJ/MM/AAAA", d.Format("02/01/2006"), "JJ/MM/AA", d.Format("02/01/06"),
			"{JJ}", d.Format("02"), "{MM}", d.Format("01"), "{AAAA}", d.Format("2006"), "{AA}", d.Format("06"),
			"{doc}", f.doc, "{customer}", f.customer, "{name}", f.name, "{ref}", f.ref,
			"{reason}", f.reason, "{journal}", f.journal)
		return strings.TrimSpace(r.Replace(tpl))
	}
	pieces := []string{"JJ/MM/AAAA", "JJ/MM/AA", "JJ/MM/A", "JJ/", "J", "{JJ}", "{MM}", "{AAAA}", "{AA}", "{AAA}", "{doc}", "{customer}",
		"{name}", "{ref}", "{reason}", "{journal}", "{", "}", "{{", " ", "x", "é", "\u00a0", "{doc", "AA}"}
	fields := []labelFields{
		{date: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), doc: "F1", customer: "411A", name: " Dupont {doc} ", ref: "012", reason: "AM04", journal: "BQ"},
		{doc: "", name: "\u00a0", journal: "JJ/MM/AA"},
	}
	n := 0
	var gen func(prefix string, depth int)
	gen = func(prefix string, depth int) {
		for _, f := range fields {
			if got, want := expandLabel(prefix, f), reference(prefix, f); got != want {
				t.Fatalf("expandLabel(%q) = %q, want %q", prefix, got, want)
			}
			n++
		}
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			gen(prefix+p, depth-1)
		}
	}
	gen("", 3)
	if n < 10000 {
		t.Fatalf("%d templates", n)
	}
}

// The errors of the set path reach the caller.
func TestCollectionEntriesSetError(t *testing.T) {
	st, r := newVariedRemittance(t)
	ctx := context.Background()
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TEMP TRIGGER no_entries BEFORE INSERT ON entry_lines BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	o, _ := EntryOptions{}.normalized()
	if err := writeCollectionEntries(ctx, tx, o, testNow, r); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %v", err)
	}
	if errors.Is(err, accounting.ErrUnbalanced) {
		t.Error(err)
	}
}

// The entries view letters and trims the way LetteringCode and
// strings.TrimSpace do: its expressions, taken from the view as stored,
// are evaluated for receivable ids on every digit boundary it handles.
func TestEntriesViewLetteringAndTrim(t *testing.T) {
	st, _ := newTestStore(t)
	var view string
	if err := st.db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'entries'`).Scan(&view); err != nil {
		t.Fatal(err)
	}
	from, to := strings.Index(view, "COALESCE(i.lettering, "), strings.Index(view, "COALESCE(i.lettered_on")
	if from < 0 || to < from {
		t.Fatalf("no lettering expression in the view:\n%s", view)
	}
	expr := strings.TrimSuffix(strings.TrimSpace(view[from+len("COALESCE(i.lettering, "):to]), "),")
	expr = strings.ReplaceAll(expr, "i.receivable_id", "?1")
	for _, id := range []int64{1, 2, 26, 27, 676, 677, 17576, 17577, 17578, 456976, 456977, 456978, 11881376, 11881377, 11881378,
		308915776, 308915777, 308915778, 8031810176} {
		var got string
		if err := st.db.QueryRow(`SELECT `+expr, id).Scan(&got); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if want := LetteringCode(id); got != want {
			t.Errorf("id %d: view %q, LetteringCode %q", id, got, want)
		}
	}
	if pow26(7) != 8031810176 {
		t.Fatal("keepAsRow's limit is not the view's")
	}
	var chars []string
	for _, r := range whiteSpace {
		chars = append(chars, fmt.Sprint(r))
	}
	if list := "char(" + strings.Join(chars, ", ") + ")"; !strings.Contains(strings.Join(strings.Fields(view), " "), list) {
		t.Errorf("the view does not trim %s", list)
	}
}
