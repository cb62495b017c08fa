package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
)

// entryDump lists the entries (all when remID is 0) one per line:
// journal#number.line date account [aux] piece "label" D|C amount [lettering date].
func entryDump(t *testing.T, st *Store, remID int64) string {
	t.Helper()
	q := `SELECT journal, number, line, date, account, aux_account, piece_ref, label, debit, credit, lettering, lettered_on
		FROM entries WHERE ? = 0 OR remittance_id = ? ORDER BY id`
	rows, err := st.db.Query(q, remID, remID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var journal, date, account, aux, piece, label, let, letOn string
		var number, line, debit, credit int64
		if err := rows.Scan(&journal, &number, &line, &date, &account, &aux, &piece, &label, &debit, &credit, &let, &letOn); err != nil {
			t.Fatal(err)
		}
		side, amount := "D", debit
		if credit > 0 {
			side, amount = "C", credit
		}
		if aux != "" {
			account += " " + aux
		}
		fmt.Fprintf(&b, "%s#%d.%d %s %s %s %q %s %s", journal, number, line, date, account, piece, label, side, remit.FormatAmount(amount))
		if let != "" {
			fmt.Fprintf(&b, " %s %s", let, letOn)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func checkDump(t *testing.T, got, want string) {
	t.Helper()
	want = strings.TrimLeft(want, "\n")
	if got != want {
		t.Errorf("entries:\n%s\nwant:\n%s", got, want)
	}
}

// assertBalanced checks that every écriture in the database balances.
func assertBalanced(t *testing.T, st *Store) {
	t.Helper()
	if n := count(t, st, `SELECT count(*) FROM (SELECT 1 FROM entries GROUP BY creditor_id, journal, number HAVING sum(debit) != sum(credit))`); n != 0 {
		t.Errorf("%d unbalanced écritures", n)
	}
}

func TestCollectionEntriesPerPayment(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.50", "2026-12-01", "RUM-B", "")+
		sddLine("F3", "411A", "30.00", "2026-12-15", "RUM-A", ""))
	res := e.run(sdd.Options{})
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
BQ#1.3 2026-11-22 512000 F2 "Recettes au 22/11/26" D 20.50
BQ#1.4 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.50 AAB 2026-11-22
BQ#1.5 2026-11-22 512000 F3 "Recettes au 22/11/26" D 30.00
BQ#1.6 2026-11-22 411000 411A F3 "F3 Client 411A" C 30.00 AAC 2026-11-22
`)
	if err := checkRemittanceBalanced(context.Background(), e.st.db, res.Remittances[0].ID); err != nil {
		t.Error(err)
	}
}

func TestCollectionEntriesCOREAndB2B(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		"F4,411D,Client D,40.00,2026-12-01,sdd,DE89370400440532013000,,RUM-D,2025-01-15,B2B,,,Hauptstr,1,10115,Berlin,DE,EUR,yes,\n")
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 2 {
		t.Fatalf("%d remittances", len(res.Remittances))
	}
	for _, r := range res.Remittances {
		var d, c int64
		e.st.db.QueryRow(`SELECT sum(debit), sum(credit) FROM entries WHERE remittance_id = ?`, r.ID).Scan(&d, &c)
		if d != r.Total || c != r.Total {
			t.Errorf("remittance %s %s: debit %d credit %d, total %d", r.Ref, r.Scheme, d, c, r.Total)
		}
	}
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F4 "Recettes au 22/11/26" D 40.00
BQ#1.2 2026-11-22 411000 411D F4 "F4 Client D" C 40.00 AAB 2026-11-22
BQ#2.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#2.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
`)
}

func TestCollectionEntriesMasksJournalsAndDates(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2027-01-04", "RUM-B", "")+
		sddLine("F3", "411C", "30.00", "2026-12-01", "RUM-C", ""))
	e.exec("UPDATE receivables SET journal = 'rt' WHERE document IN ('F1', 'F2')")
	err := e.st.SetEntryOptions(accounting.Options{Date: accounting.DateCollection,
		Labels:        map[accounting.Kind]string{accounting.KindCollection: "Prélèvements du JJ/MM/AAAA"},
		Journals:      map[string]accounting.JournalOptions{"RT": {Counterpart: "09AAMM00", Label: "Remises"}},
		AccountLabels: map[string]string{"09": "Effets à l'échéance"}})
	if err != nil {
		t.Fatal(err)
	}
	e.run(sdd.Options{})
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-12-01 512000 F3 "Prélèvements du 01/12/2026" D 30.00
BQ#1.2 2026-12-01 411000 411C F3 "F3 Client 411C" C 30.00 AAC 2026-12-01
RT#1.1 2026-12-01 09261200 F1 "Prélèvements du 01/12/2026" D 10.00
RT#1.2 2026-12-01 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-12-01
RT#2.1 2027-01-04 09270100 F2 "Prélèvements du 04/01/2027" D 20.00
RT#2.2 2027-01-04 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2027-01-04
`)
	var jl, al string
	e.st.db.QueryRow(`SELECT journal_label, account_label FROM entries WHERE account = '09261200'`).Scan(&jl, &al)
	if jl != "Remises" || al != "Effets à l'échéance" {
		t.Errorf("labels %q %q", jl, al)
	}
}

func TestCollectionEntriesCentralised(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.50", "2026-12-01", "RUM-B", ""))
	if err := e.st.SetEntryOptions(accounting.Options{Centralize: true, Journal: "bq2", Counterpart: "512100", Direct: true}); err != nil {
		t.Fatal(err)
	}
	// The account of the remittance's bank is debited: the default bank made
	// with these settings is booked on 512100.
	e.exec("UPDATE banks SET account = '512100'")
	e.run(sdd.Options{})
	checkDump(t, entryDump(t, e.st, 0), `
BQ2#1.1 2026-11-22 512100 Remise 001 "Recettes au 22/11/26" D 30.50
BQ2#1.2 2026-11-22 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
BQ2#1.3 2026-11-22 411B F2 "F2 Client 411B" C 20.50 AAB 2026-11-22
`)
	var lib string
	e.st.db.QueryRow(`SELECT account_label FROM entries WHERE account = '411A'`).Scan(&lib)
	if lib != "Client 411A" {
		t.Errorf("direct customer account label %q", lib)
	}
}

func TestCentralisationRefusedWithMask(t *testing.T) {
	for _, o := range []accounting.Options{
		{Centralize: true, Counterpart: "09AAMM00"},
		{Centralize: true, Journals: map[string]accounting.JournalOptions{"RT": {Counterpart: "5112MM"}}},
	} {
		if err := o.Validate(); !errors.Is(err, accounting.ErrMaskedCentralized) {
			t.Errorf("%+v: %v", o, err)
		}
		if err := (&Store{}).SetEntryOptions(o); !errors.Is(err, accounting.ErrMaskedCentralized) {
			t.Errorf("SetEntryOptions %+v: %v", o, err)
		}
	}
	// Options that slipped past the setter are refused at remittance time, and nothing is remitted.
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.st.entryOpts = accounting.Options{Centralize: true, Counterpart: "09AAMM00"}
	_, err := collect.Run(context.Background(), e.st, e.cr, sdd.Job(sdd.Options{LeadDays: 1, Common: collect.Common{OutDir: e.out}}))
	if !errors.Is(err, accounting.ErrMaskedCentralized) || !strings.Contains(err.Error(), "remittance 001: accounting entries: centralisation with 09AAMM00") {
		t.Fatalf("RemitSDD: %v", err)
	}
	if n := count(t, e.st, "SELECT count(*) FROM remittances"); n != 0 {
		t.Errorf("%d remittances recorded", n)
	}
	if n := count(t, e.st, "SELECT count(*) FROM receivables WHERE status = 'pointed'"); n != 1 {
		t.Errorf("receivable not left pointed")
	}
}

func TestEntriesDisabled(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.st.SetEntryOptions(accounting.Options{Disabled: true})
	e.run(sdd.Options{})
	if got := entryDump(t, e.st, 0); got != "" {
		t.Errorf("entries written while disabled:\n%s", got)
	}
}

func TestCancelReversesEntriesAndLettering(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
	res := e.run(sdd.Options{})
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	// Remitted again: the lettering is complete again, on all the receivable's lines.
	e.run(sdd.Options{})
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
BQ#1.3 2026-11-22 512000 F2 "Recettes au 22/11/26" D 20.00
BQ#1.4 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-22
BQ#2.1 2026-11-22 512000 F1 "Annulation remise 001" C 10.00
BQ#2.2 2026-11-22 411000 411A F1 "Annulation remise 001" D 10.00 AAA 2026-11-22
BQ#2.3 2026-11-22 512000 F2 "Annulation remise 001" C 20.00
BQ#2.4 2026-11-22 411000 411B F2 "Annulation remise 001" D 20.00 AAB 2026-11-22
BQ#3.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#3.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
BQ#3.3 2026-11-22 512000 F2 "Recettes au 22/11/26" D 20.00
BQ#3.4 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-22
`)
	assertBalanced(t, e.st)
}

func TestCancelledLetteringIsPartial(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	res := e.run(sdd.Options{})
	collect.Cancel(ctx, e.st, e.cr.ID, res.Remittances[0].ID)
	if n := count(t, e.st, `SELECT count(*) FROM entries WHERE lettering = 'aaa'`); n != 2 {
		t.Errorf("after cancel, %d customer lines lettered partially, want 2\n%s", n, entryDump(t, e.st, 0))
	}
	// Cancelling twice is refused by Cancel itself; the reversal is never doubled.
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, res.Remittances[0].ID); err == nil {
		t.Error("second cancel accepted")
	}
	if n := count(t, e.st, `SELECT count(*) FROM entries WHERE kind = 'reversal'`); n != 2 {
		t.Errorf("%d reversal lines", n)
	}
}

func TestFECExportExactBytes(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "1234.56", "2026-12-01", "RUM-A", "")+
		"F2,411B,Œuvre Łódź Société,20.00,2026-12-01,sdd,FR7630006000011234567890189,,RUM-B,2025-01-15,CORE,,,Rue,1,69002,Lyon,FR,EUR,yes,\n")
	e.run(sdd.Options{})
	var latin, utf bytes.Buffer
	for enc, buf := range map[string]*bytes.Buffer{"": &latin, remit.EncodingUTF8: &utf} {
		w, err := accounting.NewFECWriter(buf, enc)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.st.Entries(context.Background(), e.cr.ID, accounting.EntryFilter{}, w.Write); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	want := "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n" +
		"BQ\tBanque\t1\t20261122\t512000\tBanques\t\t\tF1\t20261122\tRecettes au 22/11/26\t1234,56\t0,00\t\t\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t411000\tClients\t411A\tClient 411A\tF1\t20261122\tF1 Client 411A\t0,00\t1234,56\tAAA\t20261122\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t512000\tBanques\t\t\tF2\t20261122\tRecettes au 22/11/26\t20,00\t0,00\t\t\t20261122\t\t\r\n" +
		"BQ\tBanque\t1\t20261122\t411000\tClients\t411B\tŒuvre Łódź Société\tF2\t20261122\tF2 Œuvre Łódź Société\t0,00\t20,00\tAAB\t20261122\t20261122\t\t\r\n"
	if utf.String() != want {
		t.Errorf("UTF-8 FEC:\n%q\nwant\n%q", utf.String(), want)
	}
	// ISO-8859-15: Œ is 0xBC, ó 0xF3, é 0xE9; Ł and ź are not in the set and fold to L and z.
	wantLatin := strings.ReplaceAll(want, "Œuvre Łódź Société", "\xbcuvre L\xf3dz Soci\xe9t\xe9")
	if latin.String() != wantLatin {
		t.Errorf("ISO-8859-15 FEC:\n%q\nwant\n%q", latin.String(), wantLatin)
	}
	if _, err := accounting.NewFECWriter(&latin, "cp1252"); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestEntriesFilterAndCSV(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	importString(t, e.st, e.cr, sddHeader+sddLine("F2", "411B", "20.00", "2026-12-10", "RUM-B", ""), remit.ImportOptions{})
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 3) }
	e.run(sdd.Options{})
	var buf bytes.Buffer
	w := accounting.NewEntryCSVWriter(&buf)
	if err := e.st.Entries(ctx, e.cr.ID, accounting.EntryFilter{Remittances: []int64{2}}, w.Write); err != nil {
		t.Fatal(err)
	}
	w.Close()
	want := "journal,journal_label,number,line,date,account,account_label,aux_account,aux_label,piece_ref,piece_date,label,debit,credit,lettering,lettered_on,valid_date,kind,remittance\n" +
		"BQ,Banque,2,1,2026-11-25,512000,Banques,,,F2,2026-11-25,Recettes au 25/11/26,20.00,0.00,,,2026-11-25,collection,002\n" +
		"BQ,Banque,2,2,2026-11-25,411000,Clients,411B,Client 411B,F2,2026-11-25,F2 Client 411B,0.00,20.00,AAB,2026-11-25,2026-11-25,collection,002\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%s\nwant\n%s", buf.String(), want)
	}
	n := 0
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	e.st.Entries(ctx, e.cr.ID, accounting.EntryFilter{From: from}, func(accounting.Entry) error { n++; return nil })
	if n != 2 {
		t.Errorf("from %s: %d lines, want 2", remit.FormatDate(from), n)
	}
	if err := e.st.CheckRemittancesExist(ctx, e.cr.ID, []int64{1, 9}); err == nil || !strings.Contains(err.Error(), "remittance 009") {
		t.Errorf("CheckRemittancesExist: %v", err)
	}
}

func TestLCRRemittanceEntriesAndUnpaid(t *testing.T) {
	ctx := context.Background()
	e := newLCREnv(t, lcrLines)
	if err := e.st.SetEntryOptions(accounting.Options{Journal: "RT", Counterpart: "413AAMM"}); err != nil {
		t.Fatal(err)
	}
	res := e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 {
		t.Fatalf("%d remittances", len(res.Remittances))
	}
	checkDump(t, entryDump(t, e.st, 0), `
RT#1.1 2026-11-22 4132612 F2026-0102 "Recettes au 22/11/26" D 1234.56
RT#1.2 2026-11-22 411000 411MARTIN F2026-0102 "F2026-0102 Martin & Fils SA" C 1234.56 AAB 2026-11-22
RT#1.3 2026-11-22 4132612 F2026-0101 "Recettes au 22/11/26" D 4800.00
RT#1.4 2026-11-22 411000 411DUPONT F2026-0101 "F2026-0101 Dupont Matériaux SARL" C 4800.00 AAA 2026-11-22
RT#1.5 2026-11-22 4132701 F2026-0103 "Recettes au 22/11/26" D 89.90
RT#1.6 2026-11-22 411000 411BOUL F2026-0103 "F2026-0103 Boulangerie Durand – Œufs & Farine" C 89.90 AAC 2026-11-22
`)
	// An LCR unpaid, entered by hand with the bank's own code.
	out, err := reject(ctx, e.st, e.cr, remit.ManualReject{Document: "F2026-0101", Reason: "IP", Date: day("2027-01-02"), Fee: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(out); got != "applied F2026-0101 IP" {
		t.Errorf("unpaid: %s", got)
	}
	checkDump(t, entryDump(t, e.st, 0)[strings.Index(entryDump(t, e.st, 0), "RT#2.1"):], `
RT#2.1 2027-01-02 411000 411DUPONT F2026-0101 "Rejet F2026-0101 IP" D 4800.00 aaa 2027-01-02
RT#2.2 2027-01-02 4132612 F2026-0101 "Rejet F2026-0101 IP" C 4800.00
RT#2.3 2027-01-02 627000 F2026-0101 "Frais rejet F2026-0101" D 12.00
RT#2.4 2027-01-02 4132612 F2026-0101 "Frais rejet F2026-0101" C 12.00
`)
	assertBalanced(t, e.st)
}

func TestInitUpgradesVersion1ToEntries(t *testing.T) {
	path := t.TempDir() + "/v1.db"
	db, err := openDB(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations()[0].sql); err != nil {
		t.Fatal(err)
	}
	db.Exec("PRAGMA user_version = 1")
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrSchemaOld) {
		t.Fatalf("Open of a version 1 database: %v", err)
	}
	if from, to, err := Init(path, Options{}); err != nil || from != 1 || to < 2 {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := count(t, st, "SELECT count(*) FROM entries") + count(t, st, "SELECT count(*) FROM returns"); n != 0 {
		t.Errorf("%d rows", n)
	}
}

// A version-3 database's entries are all stored lines: upgraded, the
// entries view shows them unchanged, and the next remittance's écriture
// (kept as a row) takes the journal's next number and the next ids.
func TestInitUpgradesStoredEntries(t *testing.T) {
	path := t.TempDir() + "/v3.db"
	db := oldDatabase(t, path, 3)
	for _, q := range []string{
		`INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, iban) VALUES (1, 1, 1, '411A', 'Alpha SA', 'FR7630006000011234567890189')`,
		`INSERT INTO remittance_items (id, remittance_id, receivable_id, position, block, amount, due_date, collection_date,
				end_to_end_id, document, mandate_id, sequence_type, debtor_id)
			VALUES (7, 1, 1, 1, 1, 10000, '2026-10-05', '2026-10-05', 'F1', 'F1', 1, 'FRST', 1)`,
		`INSERT INTO entries (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, journal, journal_label, date,
				account, account_label, aux_account, aux_label, counterpart, piece_ref, piece_date, label, debit, credit, lettering,
				lettered_on, created_on)
			VALUES (40, 1, 5, 1, 'collection', 1, 7, NULL, 'BQ', 'Banque', '2026-10-01', '512000', 'Banques', '', '', '', 'F1', '2026-10-01',
				'Recettes au 01/10/26', 10000, 0, '', '', '2026-10-01'),
			(41, 1, 5, 2, 'collection', 1, 7, 1, 'BQ', 'Banque', '2026-10-01', '411000', 'Clients', '411A', 'Alpha SA', '512000', 'F1',
				'2026-10-01', 'F1 Alpha SA', 0, 10000, 'AAA', '2026-10-01', '2026-10-01')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before := entriesRows(t, db)
	db.Close()
	if from, to, err := Init(path, Options{}); err != nil || from != 3 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if after := entriesRows(t, st.db); after != before {
		t.Errorf("entries after the upgrade:\n%s\nbefore:\n%s", after, before)
	}
	if _, err := st.db.Exec(`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount, method, mandate_id, status)
		VALUES (1, 'F2', 1, '2026-12-07', 5000, 'sdd', 1, 'pointed')`); err != nil {
		t.Fatal(err)
	}
	cr, err := st.Creditor(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := collect.Run(context.Background(), st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir(), NoBordereau: true}})); err != nil || len(res.Remittances) != 1 {
		t.Fatalf("RemitSDD: %+v %v", res, err)
	}
	var kept int
	var lines string
	st.db.QueryRow(`SELECT count(*) FROM collection_ecritures`).Scan(&kept)
	st.db.QueryRow(`SELECT group_concat(id || ' ' || number || ' ' || line || ' ' || account || ' ' || debit || ' ' || credit || ' ' || lettering, ', ')
		FROM (SELECT * FROM entries WHERE remittance_id = 2 ORDER BY id)`).Scan(&lines)
	if want := "42 6 1 512000 5000 0 , 43 6 2 411000 0 5000 AAB"; kept != 1 || lines != want {
		t.Errorf("next remittance: kept %d, lines %q, want %q", kept, lines, want)
	}
}

// A remittance over two journals has two écritures (stored line by line):
// cancelled the next day, each is reversed by its own, dated that day,
// numbered in its journal, with ids that follow; the lettering of each
// receivable is dated by its latest line.
func TestCancelReversesEachEcriture(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+sddLine("F3", "411C", "30.00", "2026-12-01", "RUM-C", ""))
	if _, err := e.st.db.Exec(`UPDATE receivables SET journal = 'RT' WHERE document = 'F2'`); err != nil {
		t.Fatal(err)
	}
	res := e.run(sdd.Options{})
	e.st.now = func() time.Time { return testNow.AddDate(0, 0, 1) } // cancelled the next day
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	e.run(sdd.Options{})
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-23
BQ#1.3 2026-11-22 512000 F3 "Recettes au 22/11/26" D 30.00
BQ#1.4 2026-11-22 411000 411C F3 "F3 Client 411C" C 30.00 AAC 2026-11-23
RT#1.1 2026-11-22 512000 F2 "Recettes au 22/11/26" D 20.00
RT#1.2 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-23
BQ#2.1 2026-11-23 512000 F1 "Annulation remise 001" C 10.00
BQ#2.2 2026-11-23 411000 411A F1 "Annulation remise 001" D 10.00 AAA 2026-11-23
BQ#2.3 2026-11-23 512000 F3 "Annulation remise 001" C 30.00
BQ#2.4 2026-11-23 411000 411C F3 "Annulation remise 001" D 30.00 AAC 2026-11-23
RT#2.1 2026-11-23 512000 F2 "Annulation remise 001" C 20.00
RT#2.2 2026-11-23 411000 411B F2 "Annulation remise 001" D 20.00 AAB 2026-11-23
BQ#3.1 2026-11-23 512000 F1 "Recettes au 23/11/26" D 10.00
BQ#3.2 2026-11-23 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-23
BQ#3.3 2026-11-23 512000 F3 "Recettes au 23/11/26" D 30.00
BQ#3.4 2026-11-23 411000 411C F3 "F3 Client 411C" C 30.00 AAC 2026-11-23
RT#3.1 2026-11-23 512000 F2 "Recettes au 23/11/26" D 20.00
RT#3.2 2026-11-23 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-23
`)
	var ids string
	e.st.db.QueryRow(`SELECT group_concat(id, ',') FROM (SELECT id FROM entries ORDER BY id)`).Scan(&ids)
	if ids != "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18" {
		t.Errorf("ids %s", ids)
	}
	assertBalanced(t, e.st)
}

// The kind column takes the kinds of entry line accounting.Rules lists, and
// no other: a new kind of entry comes with the migration that adds it.
func TestEntryKindsAreTheRules(t *testing.T) {
	st, _ := newTestStore(t)
	var ddl string
	if err := st.db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entry_lines'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`kind\s+TEXT NOT NULL CHECK \(kind IN \(([^)]*)\)\)`).FindStringSubmatch(ddl)
	if m == nil {
		t.Fatalf("no check of the kind in\n%s", ddl)
	}
	var want []string
	for _, k := range accounting.Kinds() {
		want = append(want, "'"+string(k)+"'")
	}
	if got := strings.Join(strings.Fields(m[1]), " "); got != strings.Join(want, ", ") {
		t.Errorf("entry_lines.kind takes %s; accounting.Rules lists %s", got, strings.Join(want, ", "))
	}
}

// A use case records an écriture a rule gave through the store's
// transaction (store.Tx.RecordEcriture): numbered after the journal's
// last écriture, its receivable lettered again from all its lines. An
// écriture Check refuses is not recorded, and nothing of the transaction
// stays.
func TestRecordEcriture(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	o, _ := accounting.Options{}.Normalize()
	in := accounting.ReturnInput{Remittance: 1, Item: 1, Receivable: 1, Date: "2026-12-03", Document: "F1", Reason: "AM04", Amount: 1000,
		Fee: 150, Booked: &accounting.Booked{Journal: "BQ", JournalLabel: "Banque", Account: "411000", AccountLabel: "Clients", Aux: "411A",
			AuxLabel: "Client 411A", Counterpart: "512000"}}
	ec, ok := accounting.Return(o, in)
	if !ok {
		t.Fatal("nothing to book")
	}
	bad := ec
	bad.Lines = append([]accounting.Line(nil), ec.Lines...)
	bad.Lines[3].Credit = 140
	var number int64
	err := e.st.Update(ctx, func(tx store.Tx) error {
		var err error
		number, err = tx.RecordEcriture(ctx, e.cr.ID, &ec)
		if err != nil {
			return err
		}
		_, err = tx.RecordEcriture(ctx, e.cr.ID, &bad)
		return err
	})
	if !errors.Is(err, accounting.ErrUnbalanced) {
		t.Fatalf("an unbalanced écriture: %v", err)
	}
	before := `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
`
	checkDump(t, entryDump(t, e.st, 0), before)
	if err := e.st.Update(ctx, func(tx store.Tx) error {
		var err error
		number, err = tx.RecordEcriture(ctx, e.cr.ID, &ec)
		return err
	}); err != nil || number != 2 {
		t.Fatalf("écriture %d: %v", number, err)
	}
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512000 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 aaa 2026-12-03
BQ#2.1 2026-12-03 411000 411A F1 "Rejet F1 AM04" D 10.00 aaa 2026-12-03
BQ#2.2 2026-12-03 512000 F1 "Rejet F1 AM04" C 10.00
BQ#2.3 2026-12-03 627000 F1 "Frais rejet F1" D 1.50
BQ#2.4 2026-12-03 512000 F1 "Frais rejet F1" C 1.50
`)
}

// A cancel numbers the lines of each reversal from 1 in the order of the
// lines it reverses, even when those are not numbered 1 to n (remit
// writes none so; a reversal then takes a second, ordered pass).
func TestCancelRenumbersAReversal(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2027-01-04", "RUM-B", ""))
	if err := e.st.SetEntryOptions(accounting.Options{Date: accounting.DateCollection}); err != nil {
		t.Fatal(err)
	}
	res := e.run(sdd.Options{})
	e.exec("UPDATE entry_lines SET line = line + 10 WHERE number = 2")
	if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
		t.Fatal(err)
	}
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-12-01 512000 F1 "Recettes au 01/12/26" D 10.00
BQ#1.2 2026-12-01 411000 411A F1 "F1 Client 411A" C 10.00 aaa 2026-12-01
BQ#2.11 2027-01-04 512000 F2 "Recettes au 04/01/27" D 20.00
BQ#2.12 2027-01-04 411000 411B F2 "F2 Client 411B" C 20.00 aab 2027-01-04
BQ#3.1 2026-12-01 512000 F1 "Annulation remise 001" C 10.00
BQ#3.2 2026-12-01 411000 411A F1 "Annulation remise 001" D 10.00 aaa 2026-12-01
BQ#4.1 2027-01-04 512000 F2 "Annulation remise 001" C 20.00
BQ#4.2 2027-01-04 411000 411B F2 "Annulation remise 001" D 20.00 aab 2027-01-04
`)
}
