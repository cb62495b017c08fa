package sqlite

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/testtool"
	"github.com/remit-dev/remit/sepa/pain008"
)

var update = flag.Bool("update", false, "rewrite golden files")

const sddHeader = "document,customer,name,amount,due_date,method,iban,bic,mandate,mandate_signed,scheme,mandate_type,mandate_last_collected,street,building,postcode,town,country,currency,pointed,label\n"

// sddLine builds one pointed SDD line; fields left empty get defaults.
func sddLine(doc, cust, amount, due, rum, extra string) string {
	iban := map[string]string{"411A": "FR7630004008280001012345691", "411B": "FR7630006000011234567890189",
		"411C": "FR1420041010050500013M02606", "411D": "DE89370400440532013000"}[cust]
	l := doc + "," + cust + ",Client " + cust + "," + amount + "," + due + ",sdd," + iban + ",," + rum + ",2025-01-15,CORE,,," +
		"Rue des Écoles,3,69002,Lyon,FR,EUR,yes,Facture " + doc + "\n"
	if extra != "" {
		l = extra
	}
	return l
}

type sddEnv struct {
	t   *testing.T
	st  *Store
	cr  remit.Creditor
	out string
}

func newSDDEnv(t *testing.T, csv string) *sddEnv {
	t.Helper()
	st, cr := newTestStore(t)
	if csv != "" {
		if res, err := importString(t, st, cr, sddHeader+csv, remit.ImportOptions{}); err != nil {
			t.Fatalf("import: %v %v", err, res.Problems)
		}
	}
	return &sddEnv{t: t, st: st, cr: cr, out: t.TempDir()}
}

func (e *sddEnv) run(o sdd.Options) *collect.Result {
	e.t.Helper()
	o.OutDir = e.out
	if o.LeadDays == 0 {
		o.LeadDays = 1
	}
	res, err := collect.Run(context.Background(), e.st, e.cr, sdd.Job(o))
	if err != nil {
		e.t.Fatalf("RemitSDD: %v", err)
	}
	for _, r := range res.Remittances {
		for _, f := range r.Files {
			if !strings.HasPrefix(f.Format, "pain.008") {
				continue
			}
			if ok, out := testtool.XMLLint(e.t, f.Format+".xsd", f.Path); !ok {
				e.t.Fatalf("%s does not validate:\n%s", f.Name, out)
			}
		}
	}
	return res
}

func (e *sddEnv) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.st.db.Exec(q, args...); err != nil {
		e.t.Fatal(err)
	}
}

// refreshCollections computes every mandate's summary again from its
// items, as a test that changed them with SQL must.
func (e *sddEnv) refreshCollections() {
	e.t.Helper()
	if err := refreshCollections(context.Background(), e.st.db, `SELECT mandate_id FROM remittance_items`); err != nil {
		e.t.Fatal(err)
	}
}

func (e *sddEnv) point(docs ...string) {
	for _, d := range docs {
		e.exec("UPDATE receivables SET status = 'pointed' WHERE document = ?", d)
	}
}

// seqs returns "doc:SEQ:date" for every item of the run, in file order.
func seqs(res *collect.Result, st *Store) string {
	var out []string
	for _, r := range res.Remittances {
		rows, _ := st.db.Query("SELECT document, sequence_type, collection_date FROM remittance_items WHERE remittance_id = ? ORDER BY block, position", r.ID)
		for rows.Next() {
			var d, s, c string
			rows.Scan(&d, &s, &c)
			out = append(out, d+":"+s+":"+c)
		}
		rows.Close()
	}
	return strings.Join(out, " ")
}

func TestSequenceTypes(t *testing.T) {
	// testNow is Sunday 22 Nov 2026, 10:00: with D-1 the earliest collection date is Tuesday 24 Nov.
	t.Run("new mandate is FRST, the next on it RCUR after the first's date", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
			sddLine("F2", "411A", "20.00", "2026-12-01", "RUM-A", "")+
			sddLine("F3", "411A", "30.00", "2026-12-15", "RUM-A", ""))
		got := seqs(e.run(sdd.Options{}), e.st)
		want := "F1:FRST:2026-12-01 F2:RCUR:2026-12-02 F3:RCUR:2026-12-15"
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("collected before remit: RCUR", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A",
			"F1,411A,Client A,10.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM-A,2025-01-15,CORE,,2026-10-01,Rue,1,69002,Lyon,FR,EUR,yes,\n"))
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:RCUR:2026-12-01" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("pending first collection from an earlier run: RCUR after it", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-10", "RUM-A", ""))
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-10" {
			t.Fatalf("first run: %s", got)
		}
		importString(t, e.st, e.cr, sddHeader+sddLine("F2", "411A", "20.00", "2026-12-01", "RUM-A", ""), remit.ImportOptions{})
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F2:RCUR:2026-12-11" {
			t.Errorf("second run: %s", got)
		}
	})
	t.Run("first collection rejected before settlement: FRST again", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
		e.run(sdd.Options{})
		e.exec("UPDATE remittance_items SET status = 'rejected' WHERE document = 'F1'")
		e.refreshCollections()
		e.exec("UPDATE receivables SET status = 'pointed' WHERE document = 'F1'")
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01" {
			t.Errorf("after reject: %s", got)
		}
	})
	t.Run("returned after settlement: the mandate was used, RCUR", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
		e.run(sdd.Options{})
		e.exec("UPDATE remittance_items SET status = 'returned', settled_before_return = 1 WHERE document = 'F1'")
		e.refreshCollections()
		importString(t, e.st, e.cr, sddHeader+sddLine("F2", "411A", "20.00", "2027-01-04", "RUM-A", ""), remit.ImportOptions{})
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F2:RCUR:2027-01-04" {
			t.Errorf("after return: %s", got)
		}
	})
	t.Run("cancelled remittance: FRST again", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
		res := e.run(sdd.Options{})
		if _, err := collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:FRST:2026-12-01" {
			t.Errorf("after cancel: %s", got)
		}
	})
	t.Run("one-off mandate: OOFF", func(t *testing.T) {
		e := newSDDEnv(t, "F1,411A,Client A,10.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM-A,2025-01-15,CORE,oneoff,,Rue,1,69002,Lyon,FR,EUR,yes,\n")
		if got := seqs(e.run(sdd.Options{}), e.st); got != "F1:OOFF:2026-12-01" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("RCUR-only policy is applied and said", func(t *testing.T) {
		// Two new mandates, one with two receivables: two first collections.
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "10.00", "2026-12-01", "RUM-B", "")+
			sddLine("F3", "411B", "10.00", "2026-12-08", "RUM-B", ""))
		res := e.run(sdd.Options{RCUROnly: new(true)})
		if got := seqs(res, e.st); got != "F1:RCUR:2026-12-01 F2:RCUR:2026-12-01 F3:RCUR:2026-12-08" {
			t.Errorf("got %s", got)
		}
		if len(res.Notes) != 1 || res.Notes[0] != "RCUR-only policy applied: 2 first collections sent as RCUR instead of FRST" {
			t.Errorf("notes %q", res.Notes)
		}
	})
	t.Run("the creditor's RCUR-only setting, and a run that overrides it", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
		e.cr.RCUROnly = true
		cr, err := e.st.SaveCreditor(context.Background(), e.cr)
		if err != nil {
			t.Fatal(err)
		}
		e.cr = cr
		if res := e.run(sdd.Options{Common: collect.Common{DryRun: true}}); len(res.Notes) != 1 {
			t.Errorf("dry run with the creditor's setting: notes %q", res.Notes)
		}
		res := e.run(sdd.Options{RCUROnly: new(false)})
		if got := seqs(res, e.st); got != "F1:FRST:2026-12-01" || len(res.Notes) != 0 {
			t.Errorf("--rcur-only=false: %s %q", got, res.Notes)
		}
		collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID)
		res = e.run(sdd.Options{})
		if got := seqs(res, e.st); got != "F1:RCUR:2026-12-01" || len(res.Notes) != 1 {
			t.Errorf("creditor setting: %s %q", got, res.Notes)
		}
	})
	t.Run("due dates move to TARGET2 business days and respect D-1", func(t *testing.T) {
		e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-11-20", "RUM-A", "")+ // past: earliest
			sddLine("F2", "411B", "10.00", "2026-12-25", "RUM-B", "")+ // Christmas Friday → Monday 28
			sddLine("F3", "411C", "10.00", "2027-03-26", "RUM-C", "")) // Good Friday 2027 → Tuesday 30 (Easter Monday closed)
		got := seqs(e.run(sdd.Options{}), e.st)
		want := "F1:FRST:2026-11-24 F2:FRST:2026-12-28 F3:FRST:2027-03-30"
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

func TestAmendmentAnnouncedOnce(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.run(sdd.Options{})
	// The customer moves to another bank under the same mandate.
	changed := strings.Replace(sddLine("F2", "411A", "20.00", "2027-01-04", "RUM-A", ""), "FR7630004008280001012345691", "FR7630006000011234567890189", 1)
	changed2 := strings.Replace(sddLine("F3", "411A", "30.00", "2027-02-01", "RUM-A", ""), "FR7630004008280001012345691", "FR7630006000011234567890189", 1)
	if res, err := importString(t, e.st, e.cr, sddHeader+changed+changed2, remit.ImportOptions{}); err != nil {
		t.Fatal(err, res.Problems)
	}
	res := e.run(sdd.Options{})
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	if n := strings.Count(string(b), "<Id>SMNDA</Id>"); n != 1 {
		t.Errorf("SMNDA written %d times, want once (first collection after the change)", n)
	}
	// Once sent, the next collection does not repeat it.
	importString(t, e.st, e.cr, sddHeader+strings.Replace(changed, "F2", "F4", 1), remit.ImportOptions{})
	res = e.run(sdd.Options{})
	b, _ = os.ReadFile(res.Remittances[0].Files[0].Path)
	if strings.Contains(string(b), "SMNDA") || !strings.Contains(string(b), "<AmdmntInd>false</AmdmntInd>") {
		t.Errorf("amendment repeated:\n%s", b)
	}
}

func TestOriginalRUMAndICSAmendments(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-NEW", ""))
	e.exec("UPDATE mandates SET original_rum = 'RUM-OLD', original_ics = 'DE98ZZZ09999999999'")
	e.exec("INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-01', iban FROM mandates")
	res := e.run(sdd.Options{Version: pain008.V02})
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	for _, want := range []string{"<OrgnlMndtId>RUM-OLD</OrgnlMndtId>", "<Id>DE98ZZZ09999999999</Id>", "<AmdmntInd>true</AmdmntInd>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s", want)
		}
	}
	var rum, ics string
	e.st.db.QueryRow("SELECT original_rum, original_ics FROM mandates").Scan(&rum, &ics)
	if rum != "" || ics != "" {
		t.Errorf("amendment not marked announced: %q %q", rum, ics)
	}
	// Cancelling the remittance makes it due again.
	collect.Cancel(context.Background(), e.st, e.cr.ID, res.Remittances[0].ID)
	e.st.db.QueryRow("SELECT original_rum, original_ics FROM mandates").Scan(&rum, &ics)
	if rum != "RUM-OLD" || ics != "DE98ZZZ09999999999" {
		t.Errorf("cancel did not restore the amendment: %q %q", rum, ics)
	}
}

// Changing the creditor identifier with creditor set announces the old one
// at each mandate's next collection, once.
func TestCreditorICSChangeAnnounced(t *testing.T) {
	ctx := context.Background()
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	old := e.cr.ICS
	e.run(sdd.Options{})
	cr := e.cr
	cr.ICS = "FR19ZZZ654321"
	cr, err := e.st.SaveCreditor(ctx, cr)
	if err != nil {
		t.Fatal(err)
	}
	e.cr = cr
	importString(t, e.st, e.cr, sddHeader+sddLine("F2", "411A", "20.00", "2027-01-04", "RUM-A", ""), remit.ImportOptions{})
	res := e.run(sdd.Options{})
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	for _, want := range []string{"<AmdmntInd>true</AmdmntInd>", "<Id>" + old + "</Id>", "<Id>FR19ZZZ654321</Id>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s in\n%s", want, b)
		}
	}
	// Saving the creditor again without a change announces nothing more.
	if _, err := e.st.SaveCreditor(ctx, cr); err != nil {
		t.Fatal(err)
	}
	importString(t, e.st, e.cr, sddHeader+sddLine("F3", "411A", "30.00", "2027-02-01", "RUM-A", ""), remit.ImportOptions{})
	res = e.run(sdd.Options{})
	b, _ = os.ReadFile(res.Remittances[0].Files[0].Path)
	if strings.Contains(string(b), old) || !strings.Contains(string(b), "<AmdmntInd>false</AmdmntInd>") {
		t.Errorf("amendment repeated:\n%s", b)
	}
}

// A creditor identifier written by other software is checked before any
// planning, dry runs included.
func TestCreditorCheckedBeforePlanning(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	e.exec("UPDATE creditors SET ics = 'FR73ZZZ123456'")
	cr, err := e.st.Creditor(context.Background(), e.cr.Code)
	if err != nil {
		t.Fatal(err)
	}
	_, err = collect.Run(context.Background(), e.st, cr, sdd.Job(sdd.Options{LeadDays: 1, Common: collect.Common{DryRun: true, OutDir: e.out}}))
	if err == nil || !strings.Contains(err.Error(), "ics") || !strings.Contains(err.Error(), "cannot collect") {
		t.Errorf("dry run with a bad ICS: %v", err)
	}
}

func TestRefusalsStayPointedWithReasons(t *testing.T) {
	csv := sddLine("OK1", "411A", "10.00", "2026-12-01", "RUM-A", "") +
		"NOEUR,411B,Client B,10.00,2026-12-01,sdd,FR7630006000011234567890189,,RUM-B,2025-01-15,CORE,,,Rue,1,69002,Lyon,FR,CHF,yes,\n" +
		"NOMANDATE,411C,Client C,10.00,2026-12-01,sdd,FR1420041010050500013M02606,,,,,,,Rue,1,69002,Lyon,FR,EUR,yes,\n" +
		"OLD,411D,Client D,10.00,2026-12-01,sdd,DE89370400440532013000,,RUM-D,2021-01-15,CORE,,,Hauptstr,1,10115,,DE,EUR,yes,\n"
	e := newSDDEnv(t, csv)
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 1 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	got := map[string]string{}
	for _, r := range res.Refused {
		got[r.Document] = strings.Join(r.Reasons, "; ")
	}
	want := map[string][]string{
		"NOEUR":     {"currency CHF: SEPA direct debits are in euros only"},
		"NOMANDATE": {"no mandate"},
		"OLD":       {"mandate RUM-D expired: no collection for 36 months (last 2021-01-15)", "debtor address town name"},
	}
	for doc, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[doc], p) {
				t.Errorf("%s: reasons %q lack %q", doc, got[doc], p)
			}
		}
	}
	var status, refusal string
	e.st.db.QueryRow("SELECT status, refusal FROM receivables WHERE document = 'NOEUR'").Scan(&status, &refusal)
	if status != "pointed" || !strings.Contains(refusal, "euros only") {
		t.Errorf("refused receivable: %s %q", status, refusal)
	}
	var mstatus string
	e.st.db.QueryRow("SELECT status FROM mandates WHERE rum = 'RUM-D'").Scan(&mstatus)
	if mstatus != "expired" {
		t.Errorf("mandate status %s, want expired", mstatus)
	}
	// Strict: the whole run is refused, nothing written.
	e2 := newSDDEnv(t, csv)
	res, err := collect.Run(context.Background(), e2.st, e2.cr, sdd.Job(sdd.Options{LeadDays: 1, Common: collect.Common{Strict: true, OutDir: e2.out}}))
	if !errors.Is(err, collect.ErrRefusedStrict) || len(res.Refused) != 3 {
		t.Fatalf("strict: %v %d", err, len(res.Refused))
	}
	if n := count(t, e2.st, "SELECT count(*) FROM remittances"); n != 0 {
		t.Errorf("strict run created %d remittances", n)
	}
	if entries, _ := os.ReadDir(e2.out); len(entries) != 0 {
		t.Errorf("strict run wrote %d files", len(entries))
	}
}

func TestSplits(t *testing.T) {
	csv := sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "") +
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "") +
		sddLine("F3", "411C", "30.00", "2026-12-01", "RUM-C", "") +
		"F4,411D,Client D,40.00,2026-12-01,sdd,DE89370400440532013000,,RUM-D,2025-01-15,B2B,,,Hauptstr,1,10115,Berlin,DE,EUR,yes,\n"
	history := func(e *sddEnv) {
		e.exec("INSERT INTO mandate_history (mandate_id, collected_on, iban) SELECT id, '2026-10-01', iban FROM mandates WHERE rum IN ('RUM-B', 'RUM-C')")
	}
	tests := []struct {
		name  string
		o     sdd.Options
		files []string // per file: scheme and "count" per block
	}{
		{"none: one file per scheme", sdd.Options{}, []string{"B2B FRST1", "CORE FRST1 RCUR2"}},
		{"sequence", sdd.Options{Split: sdd.SplitSequence}, []string{"B2B FRST1", "CORE FRST1", "CORE RCUR2"}},
		{"pmtinf", sdd.Options{Split: sdd.SplitPmtInf}, []string{"B2B FRST1", "CORE FRST1", "CORE RCUR2"}},
		{"max-tx 2", sdd.Options{MaxTx: 2}, []string{"B2B FRST1", "CORE FRST1 RCUR1", "CORE RCUR1"}},
		{"max-amount 40.00", sdd.Options{MaxAmount: 4000}, []string{"B2B FRST1", "CORE FRST1 RCUR1", "CORE RCUR1"}},
		{"scheme B2B only", sdd.Options{Scheme: "B2B"}, []string{"B2B FRST1"}},
		// F3 (30.00) and F4 (40.00) fit in no file: refused, the rest goes.
		{"max-amount 25.00", sdd.Options{MaxAmount: 2500}, []string{"CORE FRST1", "CORE RCUR1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSDDEnv(t, csv)
			history(e)
			res := e.run(tt.o)
			var got []string
			for _, r := range res.Remittances {
				s := r.Scheme
				for i, b := range r.Blocks {
					if i == 0 {
						s += " "
					} else {
						s += " "
					}
					s += b.SequenceType + strings.TrimSpace(strings.Repeat(" ", 0)) + itoa(b.Count)
				}
				got = append(got, s)
			}
			if strings.Join(got, " | ") != strings.Join(tt.files, " | ") {
				t.Errorf("got  %s\nwant %s", strings.Join(got, " | "), strings.Join(tt.files, " | "))
			}
			if tt.o.MaxAmount == 2500 {
				if len(res.Refused) != 2 || !strings.Contains(res.Refused[0].Reasons[0], "larger than --max-amount 25,00 EUR") {
					t.Errorf("refused %+v", res.Refused)
				}
			}
		})
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+n))) }

func TestDryRunRerunCancelRegenerate(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-02", "RUM-B", ""))
	ctx := context.Background()
	dry := e.run(sdd.Options{Common: collect.Common{DryRun: true}})
	if len(dry.Remittances) != 1 || dry.Remittances[0].Count != 2 {
		t.Fatalf("dry run plan %+v", dry.Remittances)
	}
	if n := count(t, e.st, "SELECT count(*) FROM remittances"); n != 0 {
		t.Fatal("dry run created a remittance")
	}
	if entries, _ := os.ReadDir(e.out); len(entries) != 0 {
		t.Fatal("dry run wrote files")
	}
	res := e.run(sdd.Options{})
	rem := res.Remittances[0]
	if rem.Ref != "001" || rem.Files[0].Name != "PAIEMENT.001.xml" {
		t.Errorf("ref %s file %s", rem.Ref, rem.Files[0].Name)
	}
	if fi, err := os.Stat(rem.Files[0].Path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode: %v %v", fi.Mode(), err)
	}
	again := e.run(sdd.Options{})
	if len(again.Remittances) != 0 || len(again.Refused) != 0 {
		t.Errorf("rerun did something: %+v", again)
	}
	orig, _ := os.ReadFile(rem.Files[0].Path)
	os.Remove(rem.Files[0].Path)
	if _, _, err := collect.Regenerate(ctx, e.st, testKinds, e.cr.ID, rem.ID, e.out); err != nil {
		t.Fatal(err)
	}
	regen, _ := os.ReadFile(rem.Files[0].Path)
	if string(orig) != string(regen) {
		t.Error("regenerated file differs")
	}
	if _, err := collect.MarkSent(ctx, e.st, e.cr.ID, rem.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, rem.ID); !errors.Is(err, remit.ErrAlreadySent) {
		t.Errorf("cancel of a sent remittance: %v", err)
	}
	e.exec("UPDATE remittances SET status = 'created'")
	if _, err := collect.Cancel(ctx, e.st, e.cr.ID, rem.ID); err != nil {
		t.Fatal(err)
	}
	if got := docs(t, e.st, e.cr, remit.Filter{Status: remit.StatusPointed}); got != "F1 F2" {
		t.Errorf("after cancel pointed: %q", got)
	}
	res = e.run(sdd.Options{})
	if res.Remittances[0].Ref != "002" {
		t.Errorf("after cancel, new ref %s", res.Remittances[0].Ref)
	}
}

// A remittance's files are recorded as they always were: a slip with its
// copies, a bank file with the column's default, 1.
func TestRecordedFileCopies(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", ""))
	res := e.run(sdd.Options{})
	rows, err := e.st.db.Query("SELECT format, copies FROM remittance_files WHERE remittance_id = ? ORDER BY rowid", res.Remittances[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var format string
		var copies int
		if err := rows.Scan(&format, &copies); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%d", format, copies))
	}
	if want := "pain.008.001.08:1 bordereau:1"; strings.Join(got, " ") != want {
		t.Errorf("remittance_files %q, want %q", strings.Join(got, " "), want)
	}
}

func TestEndToEndID(t *testing.T) {
	tests := map[string]string{
		"F2026-0042":            "F2026-0042",
		"FACT 2026/12":          "FACT-2026/12-",
		"Fäcture_1":             "Facture-1-",
		strings.Repeat("A", 40): strings.Repeat("A", 26) + "-",
		"/lead":                 "lead-",
	}
	for in, prefix := range tests {
		got := remit.EndToEndID(in)
		if !strings.HasPrefix(got, prefix) || len(got) > 35 || remit.EndToEndID(in) != got {
			t.Errorf("remit.EndToEndID(%q) = %q, want prefix %q, ≤ 35, stable", in, got, prefix)
		}
	}
}

// TestGoldenSDD pins a whole remittance, both pain versions, byte for byte.
func TestGoldenSDD(t *testing.T) {
	for _, v := range []pain008.Version{pain008.V08, pain008.V02} {
		t.Run(string(v), func(t *testing.T) {
			csv := sddLine("F2026-0001", "411A", "1234.56", "2026-12-01", "RUM-A", "") +
				sddLine("F2026-0002", "411A", "0.01", "2026-12-01", "RUM-A", "") +
				"F2026-0003,411B,Œnologie & Fils <Sàrl>,99.90,2026-12-01,sdd,FR7630006000011234567890189,AGRIFRPP,RUM-B,2024-02-29,CORE,,2026-11-01,Straße des Écoles,12 bis,75002,Paris,FR,EUR,yes,\"Facture \"\"décembre\"\" – abonnement\"\n" +
				"F2026-0004,411D,Müller GmbH,500.00,2026-12-01,sdd,DE89370400440532013000,COBADEFFXXX,RUM-D,2025-06-30,CORE,,2026-11-01,,,,Berlin,DE,EUR,yes,\n"
			e := newSDDEnv(t, csv)
			e.exec("UPDATE mandate_history SET iban = 'DE27100777770209299700' WHERE mandate_id = (SELECT id FROM mandates WHERE rum = 'RUM-D')")
			res := e.run(sdd.Options{Version: v})
			got, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
			golden := filepath.Join("testdata", "sdd_"+string(v)+".xml")
			if *update {
				os.MkdirAll("testdata", 0o755)
				os.WriteFile(golden, got, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s (run with -update after checking the change)", res.Remittances[0].Files[0].Name, golden)
			}
		})
	}
}

// TestRemittanceRunKeepsForeignKeysOn: a run writes with the checks off on
// its own connection; the pool must get every connection back with them on.
func TestRemittanceRunKeepsForeignKeysOn(t *testing.T) {
	st, cr := newTestStore(t)
	if _, err := importString(t, st, cr, csvHeader+
		"F1,411A,Alpha,100.00,2026-12-01,sdd,FR7630004008280001012345691,,RUM-1,2026-01-01,CORE,Paris,FR\n", remit.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`UPDATE receivables SET status = 'pointed'`); err != nil {
		t.Fatal(err)
	}
	if _, err := collect.Run(context.Background(), st, cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: t.TempDir(), NoBordereau: true}})); err != nil {
		t.Fatal(err)
	}
	st.db.SetMaxOpenConns(1) // the one connection the run used
	_, err := st.db.Exec(`INSERT INTO receivables (creditor_id, document, customer_id, due_date, amount) VALUES (1, 'X', 999, '2026-12-01', 1)`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("insert with a missing customer after a run: %v, want a foreign key error", err)
	}
}

// Other software may write a receivable whose customer is not its mandate's
// (a group paying for a subsidiary): the file names the receivable's
// customer, debited on the mandate's account, and the mandate's own
// customer keeps its name on its own receivables read just before.
func TestReceivableOfAnotherCustomerOnAMandate(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-10", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-11", "RUM-B", "")+
		sddLine("F3", "411A", "30.00", "2026-12-12", "RUM-A", "")+
		sddLine("F4", "411B", "40.00", "2026-12-13", "RUM-B", ""))
	e.exec(`UPDATE receivables SET mandate_id = (SELECT id FROM mandates WHERE rum = 'RUM-A') WHERE document IN ('F2', 'F4')`)
	e.exec(`UPDATE receivables SET currency = 'USD' WHERE document = 'F4'`)
	res := e.run(sdd.Options{})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 3 {
		t.Fatalf("want three remitted in one remittance, got %+v", res)
	}
	if len(res.Refused) != 1 || res.Refused[0].Customer != "411B" || res.Refused[0].Name != "Client 411B" {
		t.Errorf("want F4 refused under its own customer 411B, got %+v", res.Refused)
	}
	rows, err := e.st.db.Query(`SELECT document, name, iban, rum FROM remittance_lines ORDER BY document`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var d, n, i, r string
		rows.Scan(&d, &n, &i, &r)
		got = append(got, d+"|"+n+"|"+i+"|"+r)
	}
	want := []string{"F1|Client 411A|FR7630004008280001012345691|RUM-A", "F2|Client 411B|FR7630004008280001012345691|RUM-A",
		"F3|Client 411A|FR7630004008280001012345691|RUM-A"}
	if !slices.Equal(got, want) {
		t.Errorf("items:\n got %q\nwant %q", got, want)
	}
}

// A remittance that is most of its table rebuilds the item and pointed
// indexes instead of updating them row by row (itemStage.record): they must
// come back exactly as the migrations define them, and be used. A small
// remittance after it keeps them (the other path) with the same result.
func TestLargeRemittanceRebuildsIndexes(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+
		sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+sddLine("F3", "411C", "30.00", "2026-12-02", "RUM-C", "")+
		sddLine("F4", "411A", "40.00", "2026-12-03", "RUM-A", ""))
	query := func(q string, args ...any) []string {
		t.Helper()
		rows, err := e.st.db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.TrimSpace(fmt.Sprintln(vals...)))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	indexes := func() string {
		return strings.Join(query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`), "\n")
	}
	before := indexes()
	check := func(step string, remittance int64) {
		t.Helper()
		if after := indexes(); after != before {
			t.Errorf("%s: indexes\n%s\nbefore:\n%s", step, after, before)
		}
		if got := query(`PRAGMA integrity_check`); len(got) != 1 || got[0] != "ok" {
			t.Errorf("%s: integrity_check %q", step, got)
		}
		plan := strings.Join(query(`EXPLAIN QUERY PLAN SELECT receivable_id FROM remittance_items WHERE remittance_id = ?`, remittance), " ")
		if !strings.Contains(plan, "remittance_items_remittance") {
			t.Errorf("%s: items of a remittance read without their index: %s", step, plan)
		}
		pointed := query(`SELECT document FROM receivables INDEXED BY receivables_pointed
			WHERE creditor_id = 1 AND method = 'sdd' AND status = 'pointed'`)
		if len(pointed) != 0 {
			t.Errorf("%s: %v still in the pointed index", step, pointed)
		}
	}
	e.exec(`UPDATE receivables SET status = 'open' WHERE document = 'F4'`) // the import points every line
	// 3 items into an empty table: rebuilt.
	res := e.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 3 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	check("large remittance", res.Remittances[0].ID)
	e.point("F4") // 1 item beside 3: kept
	res = e.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 1 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	check("small remittance", res.Remittances[0].ID)
	if got := query(`SELECT document, status FROM receivables ORDER BY document`); strings.Join(got, ",") != "F1 remitted,F2 remitted,F3 remitted,F4 remitted" {
		t.Errorf("receivables %v", got)
	}
}
