package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store/internal/lettering"
	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// A cancel numbers the lines of each reversal from 1 in the order of the
// lines it reverses, even when those are not numbered 1 to n (remit
// writes none so; a reversal then takes a second, ordered pass).
func TestCancelRenumbersAReversal(t *testing.T) {
	ctx := context.Background()
	st, cr, rem := runAndCancel(t, accounting.Options{Date: accounting.DateCollection}, func(dsn string) {
		run(t, dsn, "UPDATE entry_lines SET line = line + 100")
	})
	type key struct {
		journal string
		number  int64
	}
	next, n := map[key]int{}, 0
	if err := st.Entries(ctx, cr.ID, accounting.EntryFilter{Remittances: []int64{rem.ID}}, func(en accounting.Entry) error {
		if en.Kind == accounting.KindReversal {
			k := key{en.Journal, en.Number}
			if next[k]++; en.Line != next[k] {
				t.Errorf("reversal %s/%d: line %d, want %d", en.Journal, en.Number, en.Line, next[k])
			}
			n++
		}
		return nil
	}); err != nil || n == 0 {
		t.Fatalf("%d reversal lines, %v", n, err)
	}
}

// runAndCancel collects the fixtures' receivables under entry options o
// and cancels the last remittance made, once before(dsn) has run.
func runAndCancel(t *testing.T, o accounting.Options, before func(dsn string)) (*postgres.Store, remit.Creditor, remit.Remittance) {
	t.Helper()
	return runAndCancelAt(t, o, before, new(time.Time))
}

// runAndCancelAt is runAndCancel on the day *now says (set to 2 December
// 2026 first), which the caller may move afterwards.
func runAndCancelAt(t *testing.T, o accounting.Options, before func(dsn string), clock *time.Time) (*postgres.Store, remit.Creditor, remit.Remittance) {
	t.Helper()
	ctx := context.Background()
	*clock = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	now := *clock
	dsn := pgtest.DSN(t)
	if _, _, err := postgres.Init(dsn, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(dsn, postgres.Options{Now: func() time.Time { return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME", ICS: "FR72ZZZ123456", IBAN: "FR7630004008280001012345691",
		BIC: "BNPAFRPP", NNE: "123456", Address: remit.Address{Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fixtures.Dated("receivables.csv", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importcsv.Import(ctx, st, bytes.NewReader(data), remit.ImportOptions{Creditor: cr, File: "receivables.csv",
		RejectPath: filepath.Join(t.TempDir(), "rejects.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Point(ctx, cr.ID, remit.Filter{DueTo: now.AddDate(0, 0, 60)}, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryOptions(o); err != nil {
		t.Fatal(err)
	}
	res, err := collect.Run(ctx, st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir()}, LeadDays: 1}))
	if err != nil || len(res.Remittances) == 0 {
		t.Fatalf("sdd: %+v, %v", res, err)
	}
	rem := res.Remittances[len(res.Remittances)-1]
	before(dsn)
	if _, err := collect.Cancel(ctx, st, cr.ID, rem.ID); err != nil {
		t.Fatal(err)
	}
	return st, cr, rem
}

// A remittance whose collection écriture is kept as one row is reversed
// by one collection_reversals row, no line stored but a centralised
// line's reversal; the entries show line k of the reversal as line k of
// the collection, debit and credit swapped.
func TestCancelReversesKeptCollectionByOneRow(t *testing.T) {
	for name, o := range map[string]accounting.Options{"defaults": {}, "centralised": {Centralize: true}} {
		t.Run(name, func(t *testing.T) {
			var dsn string
			st, cr, rem := runAndCancel(t, o, func(d string) { dsn = d })
			pool, err := pgxpool.New(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			var rows, stored int64
			if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM collection_reversals),
				(SELECT count(*) FROM entry_lines WHERE kind = 'reversal')`).Scan(&rows, &stored); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int64{true: 1}[o.Centralize]; rows != 1 || stored != want {
				t.Errorf("%d reversal rows (want 1), %d stored reversal lines (want %d)", rows, stored, want)
			}
			lines := map[int][2]int64{}
			var reversed int
			if err := st.Entries(context.Background(), cr.ID, accounting.EntryFilter{Remittances: []int64{rem.ID}}, func(en accounting.Entry) error {
				if en.Kind != accounting.KindReversal {
					lines[en.Line] = [2]int64{en.Debit, en.Credit}
					return nil
				}
				if c, ok := lines[en.Line]; !ok || c != [2]int64{en.Credit, en.Debit} {
					t.Errorf("reversal line %d: debit %d, credit %d; the collection's: %v", en.Line, en.Debit, en.Credit, c)
				}
				reversed++
				return nil
			}); err != nil || reversed == 0 || reversed != len(lines) {
				t.Fatalf("%d reversal lines, %d collection lines, %v", reversed, len(lines), err)
			}
		})
	}
}

// undoCollectionReversals are the statements that take a database back to
// the version before kept reversals: their lines stored, as that version
// wrote them, and the entries view as it was.
func undoCollectionReversals(t *testing.T) []string {
	t.Helper()
	schema, err := os.ReadFile("migrations/0007_schema.sql") // its entries view is the one before
	if err != nil {
		t.Fatal(err)
	}
	view := string(schema[bytes.Index(schema, []byte("CREATE VIEW entries AS")):])
	cols := `id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses, journal, journal_label, date,
		account, account_label, aux_account, aux_label, counterpart, piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on`
	return []string{`INSERT INTO entry_lines (` + cols + `) SELECT ` + cols + ` FROM entries WHERE kind = 'reversal'
			AND remittance_id IN (SELECT remittance_id FROM collection_reversals) AND id NOT IN (SELECT id FROM entry_lines)`,
		`DROP VIEW entries`, `DROP TABLE collection_reversals`, view[:strings.Index(view, ";")]}
}

// A database of the version before, holding a reversal stored line by
// line: the migration keeps its lines and the entries read the same.
func TestMigrationKeepsStoredReversals(t *testing.T) {
	ctx := context.Background()
	var dsn string
	runAndCancel(t, accounting.Options{}, func(d string) { dsn = d })
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	made := migrationVersion(t, "_collection_reversals.sql")
	for _, s := range append(undoCollectionReversals(t), fmt.Sprintf(`UPDATE schema_version SET version = %d`, made-1)) {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	all := `SELECT * FROM entries ORDER BY id`
	_, want := pgRows(t, pool, all)
	if n := strings.Count(fmt.Sprint(want), "reversal"); n == 0 {
		t.Fatal("no stored reversal line")
	}
	if from, to, err := postgres.Init(dsn, postgres.Options{}); err != nil || from != made-1 || to != postgres.SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	if _, got := pgRows(t, pool, all); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the entries changed with the migration:\n%v\nwant\n%v", got, want)
	}
}

// collectAgain points, two days on, what falls due within 60 days and
// runs the direct debits; it returns the last remittance made.
func collectAgain(t *testing.T, st *postgres.Store, cr remit.Creditor, clock *time.Time) remit.Remittance {
	t.Helper()
	ctx := context.Background()
	*clock = clock.AddDate(0, 0, 2)
	if _, err := st.Point(ctx, cr.ID, remit.Filter{DueTo: clock.AddDate(0, 0, 60)}, 0, ""); err != nil {
		t.Fatal(err)
	}
	res, err := collect.Run(ctx, st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir()}, LeadDays: 1}))
	if err != nil || len(res.Remittances) == 0 {
		t.Fatalf("sdd again: %+v, %v", res, err)
	}
	return res.Remittances[len(res.Remittances)-1]
}

// checkLettered fails t unless each receivable of the remittance has
// lines customer lines, all lettered as accounting.Letter says from all of
// them; it returns how many receivables it read.
func checkLettered(t *testing.T, pool *pgxpool.Pool, remittance, lines int64) int {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT e.receivable_id, r.amount, sum(e.credit) - sum(e.debit), max(e.date),
			min(e.lettering), max(e.lettering), min(e.lettered_on), max(e.lettered_on), count(*)
		FROM entries e JOIN receivables r ON r.id = e.receivable_id
		WHERE e.receivable_id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = $1)
		GROUP BY e.receivable_id, r.amount ORDER BY e.receivable_id`, remittance)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	wrong, n, err := lettering.Mislettered(rows, lines)
	if err != nil || n == 0 || len(wrong) > 0 {
		t.Fatalf("%d receivables read (%v); %v", n, err, wrong)
	}
	return n
}

// Collected again two days after the cancel, each receivable's customer
// lines are lettered as accounting.Letter says from all of them; the new
// items store no lettering (the view shows it without), the cancelled
// ones theirs, dated the new écriture's day (sqlite's
// TestCollectedAgainAfterCancelLetteredFromAllLines).
func TestCollectedAgainAfterCancelLetteredFromAllLines(t *testing.T) {
	ctx := context.Background()
	var dsn string
	clock := new(time.Time)
	st, cr, rem := runAndCancelAt(t, accounting.Options{}, func(d string) { dsn = d }, clock)
	again := collectAgain(t, st, cr, clock)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	n := checkLettered(t, pool, rem.ID, 3)
	var storedAgain, storedFirst int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM remittance_items WHERE remittance_id = $1 AND lettering IS NOT NULL),
		(SELECT count(*) FROM remittance_items WHERE remittance_id = $2 AND lettering IS NOT NULL)`, again.ID, rem.ID).Scan(&storedAgain, &storedFirst); err != nil {
		t.Fatal(err)
	}
	if storedAgain != 0 || storedFirst != int64(n) {
		t.Errorf("items storing their lettering: %d collected again (want 0), %d cancelled (want %d)", storedAgain, storedFirst, n)
	}
}

// Cancelled, each receivable's two customer lines are lettered as
// accounting.Letter says (partial, in lower case, dated the reversal),
// and the cancelled items store no lettering: the view shows exactly that
// once their écriture is reversed. Collected again and cancelled again,
// the four lines of each are lettered from all of them: the first
// cancelled items store that, the second ones nothing (sqlite's
// TestCancelledItemsShowTheirLettering).
func TestCancelledItemsShowTheirLettering(t *testing.T) {
	ctx := context.Background()
	var dsn string
	clock := new(time.Time)
	st, cr, rem := runAndCancelAt(t, accounting.Options{}, func(d string) { dsn = d }, clock)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	check := func(lines int64, cancelled ...int64) {
		t.Helper()
		n := checkLettered(t, pool, rem.ID, lines)
		for k, id := range cancelled {
			var stored int64
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM remittance_items WHERE remittance_id = $1
				AND (lettering IS NOT NULL OR lettered_on IS NOT NULL)`, id).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int64{true: int64(n)}[k < len(cancelled)-1]; stored != want {
				t.Errorf("%d items of the cancelled remittance %d store a lettering, want %d", stored, id, want)
			}
		}
	}
	check(2, rem.ID)
	again := collectAgain(t, st, cr, clock)
	*clock = clock.AddDate(0, 0, 1)
	if _, err := collect.Cancel(ctx, st, cr.ID, again.ID); err != nil {
		t.Fatal(err)
	}
	check(4, rem.ID, again.ID)
}

// A database of the version before, whose reversed collection's items
// store no lettering, or no date: the upgrade stores what they showed
// (the upper-case code dated the collection), and the entries read the
// same (sqlite's TestReversedLetteringMigrationKeepsLines).
func TestReversedLetteringMigrationKeepsLines(t *testing.T) {
	ctx := context.Background()
	var dsn string
	_, _, rem := runAndCancel(t, accounting.Options{}, func(d string) { dsn = d })
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	m18, err := os.ReadFile("migrations/0018_collection_reversals.sql")
	if err != nil {
		t.Fatal(err)
	}
	made := migrationVersion(t, "_reversed_lettering.sql")
	for _, s := range []string{string(m18[bytes.Index(m18, []byte("DROP VIEW entries;")):]),
		`UPDATE remittance_items SET lettering = 'xyz', lettered_on = NULL
			WHERE id = (SELECT max(id) FROM remittance_items WHERE remittance_id = ` + fmt.Sprint(rem.ID) + `)`,
		fmt.Sprintf(`UPDATE schema_version SET version = %d`, made-1)} {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	all := `SELECT * FROM entries ORDER BY id`
	_, want := pgRows(t, pool, all)
	if !strings.Contains(fmt.Sprint(want), "xyz") {
		t.Fatal("no item storing a lettering without a date")
	}
	if from, to, err := postgres.Init(dsn, postgres.Options{}); err != nil || from != made-1 || to != postgres.SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	if _, got := pgRows(t, pool, all); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the entries changed with the migration:\n%v\nwant\n%v", got, want)
	}
}
