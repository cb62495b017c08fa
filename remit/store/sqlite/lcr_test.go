package sqlite

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

const lcrHeader = "document,customer,name,amount,due_date,issue_date,method,iban,acceptance,bank_name,siren,currency,pointed\n"

func newLCREnv(t *testing.T, csv string) *sddEnv {
	t.Helper()
	st, cr := newTestStore(t)
	if res, err := importString(t, st, cr, lcrHeader+csv, remit.ImportOptions{}); err != nil {
		t.Fatalf("import: %v %v", err, res.Problems)
	}
	return &sddEnv{t: t, st: st, cr: cr, out: t.TempDir()}
}

func (e *sddEnv) lcr(o lcr.Options) *collect.Result {
	e.t.Helper()
	o.OutDir = e.out
	res, err := collect.Run(context.Background(), e.st, e.cr, lcr.Job(o))
	if err != nil {
		e.t.Fatalf("RemitLCR: %v", err)
	}
	// Every file remit writes reads back clean with the CFONB reader.
	for _, r := range res.Remittances {
		for _, f := range r.Files {
			if f.Format != lcr.FormatCFONBLCR {
				continue
			}
			b, _ := os.ReadFile(f.Path)
			sum, errs := cfonb.Verify(bytes.NewReader(b))
			if len(errs) > 0 {
				e.t.Fatalf("%s does not verify: %v", f.Name, errs)
			}
			_ = sum
		}
	}
	return res
}

const lcrLines = `F2026-0101,411DUPONT,Dupont Matériaux SARL,4800.00,2026-12-31,2026-11-15,lcr,FR1420041010050500013M02606,accepted,LCL PARIS,732829320,,yes
F2026-0102,411MARTIN,Martin & Fils SA,1234.56,2026-12-15,,lcr,FR7630006000011234567890189,not_accepted,CREDIT DU NORD LILLE,,,yes
F2026-0103,411BOUL,Boulangerie Durand – Œufs & Farine,89.90,2027-01-05,2026-11-20,lcr,FR7610278060760001234560136,bor,,,,yes
`

func TestGoldenLCR(t *testing.T) {
	e := newLCREnv(t, lcrLines)
	res := e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 3 || res.Remittances[0].Total != 612446 {
		t.Fatalf("remittances %+v", res.Remittances)
	}
	got, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	golden := filepath.Join("testdata", "lcr_remise.txt")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, _ := os.ReadFile(golden)
	if !bytes.Equal(got, want) {
		t.Errorf("LCR file differs from %s:\n%s", golden, got)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(got), "\r\n"), "\r\n") {
		if len(line) != 160 {
			t.Errorf("record %d has %d characters", i+1, len(line))
		}
	}
}

func TestLCROptionsAndRefusals(t *testing.T) {
	ctx := context.Background()
	e := newLCREnv(t, lcrLines+
		"F2026-0104,411VDV,Van der Velde BV,10.00,2026-12-31,,lcr,NL91ABNA0417164300,,,,,yes\n"+
		"F2026-0105,411OLD,Ancien Client,10.00,2026-11-02,,lcr,FR7630004008280001012345691,,,,,yes\n"+
		"F2026-0106,411CHF,Client Suisse,10.00,2026-12-31,,lcr,FR7630004008280001012345691,,,,CHF,yes\n")
	for _, tt := range []struct {
		o    lcr.Options
		want string
	}{
		{lcr.Options{EntryCode: 1}, "code entrée 1 (escompte) needs a date de valeur"},
		{lcr.Options{EntryCode: 2, ValueDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}, "date de valeur 2026-11-20 is in the past"},
		{lcr.Options{EntryCode: 3, ValueDate: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}, "only for an escompte"},
		{lcr.Options{EntryCode: 5}, "code entrée 5"},
		{lcr.Options{Dailly: "7"}, "code Dailly"},
		{lcr.Options{EOL: "cr"}, "cr"},
	} {
		if _, err := collect.Run(ctx, e.st, e.cr, lcr.Job(tt.o)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.want)
		}
	}
	res := e.lcr(lcr.Options{EntryCode: 1, ValueDate: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), Dailly: "1", EOL: "lf", Common: collect.Common{NoBordereau: true}})
	reasons := map[string]string{}
	for _, r := range res.Refused {
		reasons[r.Document] = strings.Join(r.Reasons, "; ")
	}
	for doc, want := range map[string]string{
		"F2026-0104": "IBAN NL91**********4300 is not French",
		"F2026-0105": "due date 2026-11-02 has passed",
		"F2026-0106": "currency CHF",
	} {
		if !strings.Contains(reasons[doc], want) {
			t.Errorf("%s: %q, want %q", doc, reasons[doc], want)
		}
	}
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	if bytes.Contains(b, []byte("\r")) || len(b) != 5*161 {
		t.Errorf("--eol lf: %d bytes", len(b))
	}
	header := string(b[:160])
	if header[78:81] != "11E" || header[118:124] != "041226" {
		t.Errorf("header code entrée/Dailly %q, date de valeur %q", header[78:81], header[118:124])
	}
}

func TestNationalFileBesideSEPA(t *testing.T) {
	e := newSDDEnv(t, sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "")+sddLine("F2", "411B", "20.00", "2026-12-15", "RUM-B", "")+
		sddLine("F3", "411D", "30.00", "2026-12-01", "RUM-D", ""))
	res := e.run(sdd.Options{CFONB: true, Common: collect.Common{NoBordereau: true}})
	if len(res.Refused) != 1 || !strings.Contains(res.Refused[0].Reasons[0], "cannot go in the national direct-debit file") {
		t.Errorf("German IBAN with --cfonb: %+v", res.Refused)
	}
	files := res.Remittances[0].Files
	if len(files) != 2 || files[0].Name != "PAIEMENT.001" || files[1].Name != "PAIEMENT.001.xml" {
		t.Fatalf("files %+v", files)
	}
	b, _ := os.ReadFile(files[0].Path)
	sum, errs := cfonb.Verify(bytes.NewReader(b))
	if len(errs) > 0 {
		t.Fatalf("national file: %v", errs)
	}
	if len(sum.Remises) != 2 {
		t.Errorf("one remise per collection date: %+v", sum)
	}
	lines := strings.Split(string(b), "\r\n")
	if !strings.HasPrefix(lines[0], "0308        123456       01126") || !strings.HasPrefix(lines[3], "0308        123456       15126") {
		t.Errorf("headers:\n%s\n%s", lines[0], lines[3])
	}
	// Regenerate rewrites both, identical.
	os.Remove(files[0].Path)
	if _, _, err := collect.Regenerate(context.Background(), e.st, testKinds, e.cr.ID, res.Remittances[0].ID, e.out); err != nil {
		t.Fatal(err)
	}
	// Without its bank's NNE, --cfonb refuses the bank's receivables, saying
	// what the bank lacks (F3, still pointed).
	e.exec("UPDATE banks SET nne = ''")
	res, err := collect.Run(context.Background(), e.st, e.cr, sdd.Job(sdd.Options{CFONB: true, Common: collect.Common{OutDir: e.out}}))
	if err != nil || len(res.Remittances) != 0 || len(res.Refused) != 1 || !strings.Contains(strings.Join(res.Refused[0].Reasons, "; "),
		"bank BQ, sdd: bank cannot take this operation: the national direct-debit file (CFONB 160) needs the bank's numéro national d'émetteur (NNE) "+
			"(remit bank set …, or give the receivable another journal)") {
		t.Errorf("no NNE: %+v %v", res, err)
	}
}

// Regression (found by make bench): bills adding up to more than the
// 12-digit total of an LCR remise made the whole run fail; they are split.
func TestLCRTotalOverLimitIsSplit(t *testing.T) {
	var csv strings.Builder
	// 11 bills of 999 999 999,99 €: ten fit in a remise (9 999 999 999,90), the eleventh starts another.
	for i := 10; i <= 20; i++ {
		csv.WriteString("F" + strconv.Itoa(i) + ",411A,Client A,999999999.99,2026-12-31,,lcr,FR7630006000011234567890189,,,,,yes\n")
	}
	e := newLCREnv(t, csv.String())
	res := e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 2 || res.Remittances[0].Count != 10 || res.Remittances[1].Count != 1 || len(res.Notes) != 1 {
		t.Fatalf("remittances %+v notes %q", res.Remittances, res.Notes)
	}
	if res.Remittances[0].Total != 999999999990 || res.Remittances[1].Ref != "002" {
		t.Errorf("first total %d, second ref %s", res.Remittances[0].Total, res.Remittances[1].Ref)
	}
}

// Regression (issue 15, item 12): the référence tiré and tireur zones hold
// 10 characters; documents cut to them could read the same within one
// remise, and nothing said so. A longer document is carried by its last 10
// characters, where an ERP's numbers differ, and the run says so; a bill
// whose reference still reads as an earlier bill's is refused (it goes in
// the next remise).
func TestLCRReferencesNeverRepeatInARemise(t *testing.T) {
	e := newLCREnv(t, ""+
		"F2026-0042,411A,Alpha,10.00,2026-12-31,,lcr,FR7630004008280001012345691,,,,,yes\n"+
		"f2026-0042,411B,Beta,20.00,2026-12-31,,lcr,FR7630006000011234567890189,,,,,yes\n"+
		"FA-2026-0043,411C,Gamma,30.00,2026-12-31,,lcr,FR1420041010050500013M02606,,,,,yes\n"+
		"FB-2026-0043,411D,Delta,40.00,2026-12-31,,lcr,FR7610278060760001234560136,,,,,yes\n"+
		"FA2026-00123,411E,Epsilon,50.00,2026-12-31,,lcr,FR7610278060760001234560136,,,,,yes\n"+
		"FA2026-00124,411E,Epsilon,60.00,2026-12-31,,lcr,FR7610278060760001234560136,,,,,yes\n")
	res := e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 4 {
		t.Fatalf("remittances: %+v", res.Remittances)
	}
	want := map[string]string{
		"f2026-0042":   `its reference reads "F2026-0042" in the 10-character référence tiré and tireur zones, as F2026-0042's in the same remise: the bank could not tell the bills apart; it goes in the next remise (run remit lcr again)`,
		"FB-2026-0043": `its reference reads "-2026-0043" in the 10-character référence tiré and tireur zones, as FA-2026-0043's in the same remise: the bank could not tell the bills apart; it goes in the next remise (run remit lcr again)`,
	}
	if len(res.Refused) != 2 {
		t.Fatalf("refused: %+v", res.Refused)
	}
	for _, r := range res.Refused {
		if got := strings.Join(r.Reasons, "; "); got != want[r.Document] {
			t.Errorf("%s refused for %q", r.Document, got)
		}
	}
	if len(res.Notes) != 1 || res.Notes[0] != "3 bills carry the last 10 characters of their documents in the référence tiré and tireur zones "+
		"(FA-2026-0043 → -2026-0043); each reads differently from the others of the remise" {
		t.Errorf("notes: %q", res.Notes)
	}
	b, _ := os.ReadFile(res.Remittances[0].Files[0].Path)
	for _, ref := range []string{"2026-00123", "2026-00124", "-2026-0043", "F2026-0042"} {
		if n := bytes.Count(b, []byte(ref)); n != 2 { // the référence tiré and tireur of one bill
			t.Errorf("%s appears %d times in the file", ref, n)
		}
	}
	// The next run takes the refused ones.
	res = e.lcr(lcr.Options{Common: collect.Common{NoBordereau: true}})
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 2 || len(res.Refused) != 0 {
		t.Errorf("second run: %+v, refused %+v", res.Remittances, res.Refused)
	}
	// A remittance made before (first 10 characters) regenerates as it was.
	e.exec(`UPDATE remittances SET params = json_remove(params, '$.ref_tail') WHERE id = 1`)
	rem, _, err := collect.Regenerate(context.Background(), e.st, testKinds, e.cr.ID, 1, t.TempDir())
	if err == nil || !errors.Is(err, collect.ErrRegenerateMismatch) {
		t.Errorf("regenerate with the old references: %v (%+v)", err, rem.Files)
	}
}
