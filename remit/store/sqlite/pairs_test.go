package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// TestPairInsertWritesTheLines: the lines pairInsert writes two by two from
// one row of values (an empty text bound as NULL) are the very rows the
// line-by-line insert writes, value for value and type for type; lines
// that are not a pair are refused.
func TestPairInsertWritesTheLines(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	h := accounting.Header{Remittance: 1, Journal: "BQ", JournalLabel: "Banque", Date: "2026-12-02"}
	line := func(seq int64, account, aux string, debit, credit int64, let accounting.Lettering) accounting.Line {
		l := accounting.Line{Kind: accounting.KindCollection, Seq: seq, Item: 1, Account: account, AccountLabel: "Compte " + account,
			Aux: aux, Piece: "F1", PieceDate: "2026-12-01", Label: "F1 " + aux, Debit: debit, Credit: credit, Lettering: let}
		if aux != "" {
			l.Receivable, l.AuxLabel, l.Counterpart = 1, "Client "+aux, "512000"
		}
		return l
	}
	bank, cust := line(1, "512000", "", 1000, 0, accounting.Lettering{}), line(2, "411000", "411A", 0, 1000,
		accounting.Lettering{Code: "AAA", On: "2026-12-02"})
	alone := line(3, "411000", "411A", 0, 250, accounting.Lettering{})
	alone.AccountLabel, alone.Label = "", ""
	const base, number = 1000, 7
	dump := func(write func(tx *sql.Tx) error) string {
		t.Helper()
		tx, err := e.st.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := write(tx); err != nil {
			t.Fatal(err)
		}
		cols := []string{"id", "creditor_id", "number", "line", "kind", "remittance_id", "item_id", "receivable_id", "return_id",
			"reverses", "journal", "journal_label", "date", "account", "account_label", "aux_account", "aux_label", "counterpart",
			"piece_ref", "piece_date", "label", "debit", "credit", "lettering", "lettered_on", "created_on", "payment_id", "payable_id"}
		for i, c := range cols {
			cols[i] = "typeof(" + c + ") || ':' || quote(" + c + ")"
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(cols, " || ' ' || ")+` FROM entry_lines WHERE id > ? ORDER BY id`, base)
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
	want := dump(func(tx *sql.Tx) error {
		ins := newEntryInsert(tx)
		defer ins.close()
		for _, l := range []*accounting.Line{&bank, &cust, &alone} {
			if err := addEntryLine(ctx, ins, base+l.Seq, e.cr.ID, number, &h, l, "2026-11-23"); err != nil {
				return err
			}
		}
		return ins.flush(ctx)
	})
	if strings.Count(want, "\n") != 3 {
		t.Fatalf("the lines written one by one:\n%s", want)
	}
	got := dump(func(tx *sql.Tx) error {
		p, err := newPairInsert(ctx, tx)
		if err != nil {
			return err
		}
		defer p.close()
		if err := p.addHeader(ctx, 0, base, e.cr.ID, number, &h, "2026-11-23"); err != nil {
			return err
		}
		if err := p.add(ctx, 0, &bank, &cust); err != nil {
			return err
		}
		if err := p.add(ctx, 0, nil, &alone); err != nil {
			return err
		}
		return p.flush(ctx)
	})
	if got != want {
		t.Errorf("pairs wrote:\n%s\nthe lines one by one:\n%s", got, want)
	}
	other := cust
	other.Piece = "F2"
	tx, err := e.st.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := newPairInsert(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if err := p.add(ctx, 0, &bank, &other); err == nil || !strings.Contains(err.Error(), "not a pair") {
		t.Errorf("lines of two pieces as a pair: %v", err)
	}
}
