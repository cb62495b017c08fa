package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/treasury"
)

// Remittances per bank (issue 19, part 2): a receivable's journal picks
// its bank, each bank's receivables make their own remittances, whose
// files name its account and whose entries debit its account.

// twoBanks gives the test creditor a second bank, BQ2 at the CIC, and
// books its default bank BQ on 512100.
func (e *sddEnv) twoBanks() {
	e.t.Helper()
	_, err := e.st.UpdateBanks(context.Background(), e.cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		bq, _ := treasury.FindBank(banks, "BQ")
		bq.Account, bq.Name = "512100", "BNP PARIBAS PARIS OPERA"
		banks, err := treasury.PutBank(banks, bq)
		if err != nil {
			return nil, err
		}
		return treasury.PutBank(banks, remit.Bank{Code: "BQ2", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", BIC: "CMCIFRPP",
			Account: "512200", NNE: "654321"})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// journal sets a receivable's journal.
func (e *sddEnv) journal(doc, journal string) {
	e.exec(`UPDATE receivables SET journal = ? WHERE document = ?`, journal, doc)
}

// creditorAccounts returns, for each remittance, its bank and the IBAN, BIC
// and NNE its parameters record.
func creditorAccounts(res *collect.Result, st *Store) string {
	var out []string
	for _, r := range res.Remittances {
		rem, err := st.Remittance(context.Background(), 1, r.ID)
		if err != nil {
			return err.Error()
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s %q", rem.Ref, rem.Bank, rem.Issuer.IBAN, rem.Issuer.BIC, rem.Issuer.NNE, rem.Issuer.BankName))
	}
	return strings.Join(out, "\n")
}

var cdtrAcct = regexp.MustCompile(`<CdtrAcct><Id><IBAN>([A-Z0-9]+)</IBAN>`)

func TestSDDRemittancePerBank(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", "")+
		sddLine("F3", "411C", "30.00", "2026-12-15", "RUM-C", "")+sddLine("F4", "411B", "40.00", "2026-12-15", "RUM-B", ""))
	e.twoBanks()
	e.journal("F2", "BQ2")
	e.journal("F4", " bq2 ") // whatever its case and blanks
	e.journal("F3", "RT")    // a journal that is no bank's: the default bank
	res := e.run(sdd.Options{CFONB: true, Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 2 || len(res.Refused) != 0 {
		t.Fatalf("remittances %+v refused %+v", res.Remittances, res.Refused)
	}
	if got := seqs(res, e.st); got != "F1:FRST:2026-12-01 F3:FRST:2026-12-15 F2:FRST:2026-12-01 F4:RCUR:2026-12-15" {
		t.Errorf("items: %s", got)
	}
	want := "001 BQ FR7630004008280001012345691 BNPAFRPP 123456 \"BNP PARIBAS PARIS OPERA\"\n" +
		"002 BQ2 FR7610096000502468013579016 CMCIFRPP 654321 \"CIC LYON\""
	if got := creditorAccounts(res, e.st); got != want {
		t.Errorf("remittances' accounts:\n%s\nwant\n%s", got, want)
	}
	// The files name the bank's account: CdtrAcct, and the RIB and NNE of
	// the national file's headers.
	for i, iban := range []string{"FR7630004008280001012345691", "FR7610096000502468013579016"} {
		for _, f := range res.Remittances[i].Files {
			b, _ := os.ReadFile(f.Path)
			switch f.Format {
			case "pain.008.001.08":
				for _, m := range cdtrAcct.FindAllStringSubmatch(string(b), -1) {
					if m[1] != iban {
						t.Errorf("%s: CdtrAcct %s, want %s", f.Name, m[1], iban)
					}
				}
			case sdd.FormatCFONBDebit:
				rib := iban[4:]
				for _, h := range strings.Split(string(b), "\r\n") {
					if strings.HasPrefix(h, "0308") && (h[12:18] != res.Remittances[i].Issuer.NNE || h[86:91] != rib[5:10] ||
						h[149:154] != rib[:5] || h[91:102] != rib[10:21]) {
						t.Errorf("%s: header %q: want the NNE %s and the RIB of %s", f.Name, h, res.Remittances[i].Issuer.NNE, iban)
					}
				}
			}
		}
	}
	golden(t, res.Remittances[1].Files[1].Path, "bank2_pain.008.001.08.xml")
	golden(t, res.Remittances[1].Files[0].Path, "bank2_national.txt")
	// The entries debit each bank's account.
	checkDump(t, entryDump(t, e.st, 0), `
BQ#1.1 2026-11-22 512100 F1 "Recettes au 22/11/26" D 10.00
BQ#1.2 2026-11-22 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
RT#1.1 2026-11-22 512100 F3 "Recettes au 22/11/26" D 30.00
RT#1.2 2026-11-22 411000 411C F3 "F3 Client 411C" C 30.00 AAC 2026-11-22
BQ2#1.1 2026-11-22 512200 F2 "Recettes au 22/11/26" D 20.00
BQ2#1.2 2026-11-22 411000 411B F2 "F2 Client 411B" C 20.00 AAB 2026-11-22
BQ2#1.3 2026-11-22 512200 F4 "Recettes au 22/11/26" D 40.00
BQ2#1.4 2026-11-22 411000 411B F4 "F4 Client 411B" C 40.00 AAD 2026-11-22
`)
}

// golden compares the file at path with testdata/name (-update rewrites it).
func golden(t *testing.T, path, name string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(file, got, 0o644)
	}
	want, _ := os.ReadFile(file)
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", path, file, got)
	}
}

func TestSDDOneBankOnly(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
	e.twoBanks()
	e.journal("F2", "BQ2")
	// A dry run says which bank each remittance goes to.
	dry := e.run(sdd.Options{Common: collect.Common{DryRun: true}})
	if len(dry.Remittances) != 2 || dry.Remittances[0].Bank != "BQ" || dry.Remittances[1].Bank != "BQ2" {
		t.Errorf("dry run: %+v", dry.Remittances)
	}
	res := e.run(sdd.Options{Bank: "BQ2", Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Bank != "BQ2" || res.Remittances[0].Count != 1 || len(res.Refused) != 0 {
		t.Fatalf("--bank BQ2: %+v %+v", res.Remittances, res.Refused)
	}
	// F1 is still pointed, unrefused: the next run takes it.
	var status, refusal string
	e.st.db.QueryRow(`SELECT status, refusal FROM receivables WHERE document = 'F1'`).Scan(&status, &refusal)
	if status != "pointed" || refusal != "" {
		t.Errorf("F1 after --bank BQ2: %s %q", status, refusal)
	}
	if _, err := collect.Run(context.Background(), e.st, e.cr, sdd.Job(sdd.Options{Bank: "BQ9", Common: collect.Common{OutDir: e.out}})); err == nil ||
		err.Error() != "--bank BQ9: no bank of that code (the creditor's banks: BQ, BQ2)" {
		t.Errorf("--bank BQ9: %v", err)
	}
	if res := e.run(sdd.Options{Common: collect.Common{NoBordereau: true}}); len(res.Remittances) != 1 || res.Remittances[0].Bank != "BQ" {
		t.Errorf("the rest: %+v", res.Remittances)
	}
}

func TestLCRRemittancePerBank(t *testing.T) {
	e := newLCREnv(t, lcrLines+"F2026-0104,411VDV,Van der Velde,10.00,2026-12-31,,lcr,FR7630006000011234567890189,,,,,yes\n")
	e.twoBanks()
	e.journal("F2026-0102", "BQ2")
	e.journal("F2026-0104", "BQ3")
	// BQ3 has a German account: no LCR remise can go to it.
	if _, err := e.st.UpdateBanks(context.Background(), e.cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		return treasury.PutBank(banks, remit.Bank{Code: "BQ3", Name: "COMMERZBANK", IBAN: "DE89370400440532013000", Account: "512300"})
	}); err != nil {
		t.Fatal(err)
	}
	res := e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 2 || res.Remittances[0].Count != 2 || res.Remittances[1].Count != 1 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	want := "001 BQ FR7630004008280001012345691 BNPAFRPP 123456 \"BNP PARIBAS PARIS OPERA\"\n" +
		"002 BQ2 FR7610096000502468013579016 CMCIFRPP 654321 \"CIC LYON\""
	if got := creditorAccounts(res, e.st); got != want {
		t.Errorf("remittances' accounts:\n%s\nwant\n%s", got, want)
	}
	if len(res.Refused) != 1 || res.Refused[0].Document != "F2026-0104" || res.Refused[0].Reasons[0] != "bank BQ3, lcr: bank cannot take this operation: "+
		"an LCR remise (CFONB 160) needs a French account (a RIB): DE89**************3000 is not (remit bank set …, or give the receivable another journal)" {
		t.Errorf("refused: %+v", res.Refused)
	}
	golden(t, res.Remittances[1].Files[0].Path, "bank2_lcr.txt")
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	if h := string(b[:160]); !strings.Contains(h, "BNP PARIBAS PARIS OPERA") || !strings.Contains(h, "E"+"30004"+"00828"+"00010123456") {
		t.Errorf("BQ's header: %q", h)
	}
}

// TestRemittanceBeforeBanks: a remittance made before banks (bank_id NULL)
// regenerates byte for byte and takes returns, whatever its creditor's
// account became since.
func TestRemittanceBeforeBanks(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
	// (A slip made before banks names no journal, as slips always did:
	// bordereau's golden files; this one, made now, would.)
	res := e.run(sdd.Options{CFONB: true, Common: collect.Common{NoBordereau: true}})
	rem := res.Remittances[0]
	// As an upgraded database has it: no bank, the files naming the
	// creditor's account of then.
	e.exec(`UPDATE remittances SET bank_id = NULL`)
	e.cr.IBAN = "FR7610096000502468013579016"
	if _, err := e.st.SaveCreditor(context.Background(), e.cr); err != nil {
		t.Fatal(err)
	}
	old, err := e.st.Remittance(context.Background(), e.cr.ID, rem.ID)
	if err != nil || old.Bank != "" || old.Issuer.IBAN != "FR7630004008280001012345691" {
		t.Fatalf("the remittance before banks: %+v %v", old, err)
	}
	for _, f := range rem.Files {
		os.Remove(f.Path)
	}
	again, notes, err := collect.Regenerate(context.Background(), e.st, testKinds, e.cr.ID, rem.ID, e.out)
	if err != nil || len(notes) != 0 || len(again.Files) != len(rem.Files) {
		t.Fatalf("regenerate: %+v %v %v", again, notes, err)
	}
	for i, f := range again.Files {
		if f.SHA256 != rem.Files[i].SHA256 {
			t.Errorf("%s: regenerated %s, recorded %s", f.Name, f.SHA256, rem.Files[i].SHA256)
		}
	}
	out, err := reject(context.Background(), e.st, e.cr, remit.ManualReject{Document: "F1", Reason: "AM04", Date: day("2026-12-02")})
	if err != nil || outcomes(out) != "applied F1 AM04 [next collection FRST again]" {
		t.Errorf("a return of it: %v %v", out, err)
	}
	// Its entries debited 512000, and its return credits it back.
	if dump := entryDump(t, e.st, 0); !strings.Contains(dump, `BQ#2.2 2026-12-02 512000 F1 "Rejet F1 AM04" C 10.00`) {
		t.Errorf("entries:\n%s", dump)
	}
}

// The counterpart of a remittance's entries: the journal's own, else its
// bank's account, unless entries.counterpart is an intermediate account
// booked instead of the bank's.
func TestCounterpartOfABank(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    accounting.Options
		want string
	}{
		{"the bank's account", accounting.Options{}, "512200"},
		{"over a bank account configured", accounting.Options{Counterpart: "512900"}, "512200"},
		{"the journal's own wins", accounting.Options{Journals: map[string]accounting.JournalOptions{"BQ2": {Counterpart: "517000"}}}, "517000"},
		{"an intermediate account stays", accounting.Options{Counterpart: "511200"}, "511200"},
		{"effets en portefeuille stay", accounting.Options{Counterpart: "413AAMM"}, "4132612"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSDDEnv(t, sddLine("F2", "411B", "20.00", "2026-12-01", "RUM-B", ""))
			e.twoBanks()
			e.journal("F2", "BQ2")
			if err := e.st.SetEntryOptions(tt.o); err != nil {
				t.Fatal(err)
			}
			e.run(sdd.Options{Common: collect.Common{NoBordereau: true}})
			var account string
			e.st.db.QueryRow(`SELECT account FROM entries WHERE line = 1`).Scan(&account)
			if account != tt.want {
				t.Errorf("counterpart %s, want %s", account, tt.want)
			}
		})
	}
}
