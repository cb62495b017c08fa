package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

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
	e.st.SetEntryOptions(accounting.Options{})
	first := e.run(sdd.Options{})
	// Earlier entries for the receivables of the first remittance, then back to pointed.
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, first.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.st.SetEntryOptions(accounting.Options{Disabled: true})
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

// written is what writeCollection left in a transaction rolled back: the
// entries view's rows, whether the écriture was kept as a row, the error.
type written struct {
	rows string
	kept bool
	err  error
}

func writeRolledBack(t *testing.T, st *Store, o accounting.Options, r remit.Remittance, keep bool) (w written) {
	t.Helper()
	ctx := context.Background()
	o, err := o.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if w.err = writeCollection(ctx, tx, o, testNow, r, keep); w.err != nil {
		return w
	}
	if err := tx.QueryRow(`SELECT count(*) FROM collection_ecritures WHERE remittance_id = ?`, r.ID).Scan(&w.kept); err != nil {
		t.Fatal(err)
	}
	w.rows = entriesRows(t, tx)
	return w
}

// A collection écriture kept as one collection_ecritures row reads back,
// through the entries view, as the lines accounting.Collection gives for
// it, stored one by one: every column, ids and lettering included (the
// receivables of the remittance with earlier entries are lettered again).
// The row is how the store keeps what the rule gives; this checks that it
// keeps it whole, for the options that change what the row holds.
func TestKeptRowReadsBackAsTheRuleGives(t *testing.T) {
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
				o := accounting.Options{Centralize: centralize, Direct: direct, CustomerLabel: label,
					Labels:        map[accounting.Kind]string{accounting.KindCollection: labels[(i+3)%len(labels)]},
					AccountLabels: map[string]string{"09": "Effets", "5112": "Chèques"},
					Journals:      map[string]accounting.JournalOptions{"RT": {Counterpart: "5112", Label: "Remises"}}}
				if !centralize && i%2 == 1 {
					o.Journals = map[string]accounting.JournalOptions{"RT": {Counterpart: []string{"09AAMM00", "4MMAA"}[i%4/2]}}
				}
				row, lines := writeRolledBack(t, st, o, r, true), writeRolledBack(t, st, o, r, false)
				if row.err != nil || lines.err != nil {
					t.Fatalf("%+v: %v, %v", o, row.err, lines.err)
				}
				if row.kept {
					kept++
				}
				if !row.kept || lines.kept || row.rows != lines.rows {
					t.Errorf("%+v: kept %v\nthe row reads back:\n%s\nthe lines:\n%s", o, row.kept, row.rows, lines.rows)
				}
			}
		}
	}
	if kept == 0 {
		t.Fatal("no écriture kept as a row")
	}
	// What a row cannot hold is stored line by line: four item fields in
	// the customer label, several écritures (entries dated by collection
	// date), a masked counterpart whose label differs by month, or a due
	// date that is not a plain date under a masked counterpart.
	for _, o := range []accounting.Options{{CustomerLabel: "{doc}{name}{customer}{doc}"}, {Date: accounting.DateCollection},
		{Counterpart: "09AAMM00", AccountLabels: map[string]string{"0926": "Effets 2026", "0927": "Effets 2027"}}} {
		if w := writeRolledBack(t, st, o, r, true); w.kept || w.err != nil || !strings.Contains(w.rows, "|'collection'|") {
			t.Errorf("%+v: kept %v, %v", o, w.kept, w.err)
		}
	}
	st.db.Exec(`UPDATE remittance_items SET due_date = '2026-12-1' WHERE id = (SELECT max(id) FROM remittance_items)`)
	if w := writeRolledBack(t, st, accounting.Options{Counterpart: "09AAMM00"}, r, true); w.kept || w.err != nil {
		t.Errorf("odd due date: kept %v, %v", w.kept, w.err)
	}
}

// The entries view renders a kept item's lettering code from its
// receivable's id, and trims its customer label, as accounting does:
// its expressions, taken from the view as stored, are evaluated for
// receivable ids on every digit boundary it handles, for a collection
// (in upper case, or in lower case once reversed) and for its reversal
// (in lower case).
func TestEntriesViewLetteringAndTrim(t *testing.T) {
	st, _ := newTestStore(t)
	var view string
	if err := st.db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'entries'`).Scan(&view); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for rest := view; ; {
		from := strings.Index(rest, "COALESCE(i.lettering, ")
		if from < 0 {
			break
		}
		rest = rest[from+len("COALESCE(i.lettering, "):]
		to := strings.Index(rest, "COALESCE(i.lettered_on")
		if to < 0 {
			break
		}
		exprs = append(exprs, strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(rest[:to]), "),"), "i.receivable_id", "?1"))
	}
	if len(exprs) != 2 {
		t.Fatalf("%d lettering expressions in the view, want the collection's and the reversal's:\n%s", len(exprs), view)
	}
	for _, c := range []struct {
		name, expr string
		lower      bool
	}{
		{"a collection", strings.ReplaceAll(exprs[0], "v.remittance_id", "NULL"), false},
		{"a reversed collection", strings.ReplaceAll(exprs[0], "v.remittance_id", "1"), true},
		{"a reversal", exprs[1], true},
	} {
		for _, id := range []int64{1, 2, 26, 27, 676, 677, 17576, 17577, 17578, 456976, 456977, 456978, 11881376, 11881377, 11881378,
			308915776, 308915777, 308915778, keptLetteringLimit} {
			var got string
			if err := st.db.QueryRow(`SELECT `+c.expr, id).Scan(&got); err != nil {
				t.Fatalf("%s: %s: %v", c.name, c.expr, err)
			}
			want := accounting.LetteringCode(id)
			if c.lower {
				want = strings.ToLower(want)
			}
			if got != want {
				t.Errorf("%s, id %d: view %q, want %q", c.name, id, got, want)
			}
		}
	}
	var chars []string
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			chars = append(chars, fmt.Sprint(r))
		}
	}
	if list := "char(" + strings.Join(chars, ", ") + ")"; !strings.Contains(strings.Join(strings.Fields(view), " "), list) {
		t.Errorf("the view does not trim %s", list)
	}
}

// An amount that is not positive cannot be booked: the error names the
// first such line, in écriture order (the remittance's first item is
// F018).
func TestCollectionEntriesRefuseAmountNotPositive(t *testing.T) {
	st, r := newVariedRemittance(t)
	st.db.Exec(`UPDATE remittance_items SET amount = 0 WHERE id IN (SELECT id FROM remittance_items WHERE remittance_id = ? ORDER BY id LIMIT 2)`, r.ID)
	for o, want := range map[*accounting.Options]string{
		{}:                 "line 1 (512000 F018): debit 0.00, credit 0.00: exactly one must be positive",
		{Centralize: true}: "line 2 (411000 F018): debit 0.00, credit 0.00: exactly one must be positive",
	} {
		if w := writeRolledBack(t, st, *o, r, true); w.err == nil || w.err.Error() != want {
			t.Errorf("%+v: %v, want %q", *o, w.err, want)
		}
	}
}

// The store's errors reach the caller.
func TestCollectionEntriesStoreError(t *testing.T) {
	st, r := newVariedRemittance(t)
	ctx := context.Background()
	for _, table := range []string{"entry_lines", "collection_ecritures"} {
		tx, err := st.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`CREATE TEMP TRIGGER no_entries BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
			t.Fatal(err)
		}
		o, _ := accounting.Options{}.Normalize()
		if table == "collection_ecritures" {
			tx.Exec(`UPDATE remittance_items SET journal = ''`)
		}
		err = writeCollectionEntries(ctx, tx, o, testNow, r)
		if err == nil || !strings.Contains(err.Error(), "refused") || errors.Is(err, accounting.ErrUnbalanced) {
			t.Errorf("%s: error %v", table, err)
		}
		tx.Rollback()
	}
}
