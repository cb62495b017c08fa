package chqout_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/chqout"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/storetest"
	"github.com/remit-dev/remit/remit/testtool"
)

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

const header = "document;supplier;name;amount;due_date;method;street;building;postcode;town;country;discount_rate;discount_until;pointed\n"

func newStore(t *testing.T, k storetest.Kind, lines string) (storetest.PayStore, remit.Creditor) {
	t.Helper()
	st := k.Open(t, func() time.Time { return now })
	ctx := context.Background()
	cr, err := st.SaveCreditor(ctx, remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", IBAN: "FR7630004008280001012345691",
		BIC: "BNPAFRPP", BankName: "BNP PARIBAS PARIS OPERA", Address: remit.Address{Street: "Rue de la Paix", Building: "12",
			Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := disburse.Import(ctx, st, cr, strings.NewReader(header+lines), disburse.ImportOptions{File: "p.csv", Now: now}); err != nil {
		t.Fatal(err)
	}
	if err := disburse.SetRule(ctx, st, cr, payables.Rule{Method: payables.MethodCheque, Active: true, Within: payables.AnyDays}); err != nil {
		t.Fatal(err)
	}
	return st, cr
}

const cheques = `FA-501;401DUPOND;DUPOND SARL;3000.00;2026-12-28;chq;Place du Marché;1;33000;Bordeaux;FR;;;yes
FA-502;401DUPOND;DUPOND SARL;1250.50;2026-12-30;chq;Place du Marché;1;33000;Bordeaux;FR;2;2026-12-10;yes
AV-77;401DUPOND;DUPOND SARL;-250.50;2026-12-20;chq;Place du Marché;1;33000;Bordeaux;FR;;;yes
FA-900;401ZOLA;ZOLA ET CIE;71.20;2026-12-15;chq;Rue Émile Zola;8;59000;Lille;FR;;;yes
`

func register(t *testing.T, st storetest.PayStore, cr remit.Creditor) []store.Cheque {
	t.Helper()
	all, err := st.Cheques(context.Background(), cr.ID)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// Cheques are numbered from --first-number in file order, each number in
// the register; the letters say the amount in figures and in words; the
// next run goes on from the last number; a number used is refused; a
// spoiled cheque is voided and reprinted under the next one; the
// remittance regenerates byte for byte.
func TestChequeRunRegisterAndReissue(t *testing.T) {
	storetest.Each(t, testChequeRunRegisterAndReissue)
}

func testChequeRunRegisterAndReissue(t *testing.T, k storetest.Kind) {
	st, cr := newStore(t, k, cheques)
	ctx := context.Background()
	dir := t.TempDir()
	_, err := collect.Run(ctx, st, cr, chqout.Job(chqout.Options{Common: collect.Common{OutDir: dir}}))
	if !errors.Is(err, chqout.ErrOption) || !strings.Contains(err.Error(), "--first-number") {
		t.Fatalf("without a first number: %v", err)
	}
	res, err := collect.Run(ctx, st, cr, chqout.Job(chqout.Options{FirstNumber: 4500121, Common: collect.Common{OutDir: dir}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Remittances) != 1 || res.Remittances[0].Count != 2 || res.Remittances[0].Total != 400000-2501+7120 {
		t.Fatalf("run: %+v", res.Remittances)
	}
	reg := register(t, st, cr)
	if len(reg) != 2 || reg[0].Number != 4500121 || reg[0].Payee != "401DUPOND" || reg[1].Number != 4500122 || reg[1].Payee != "401ZOLA" {
		t.Fatalf("register: %+v", reg)
	}
	text := pdfText(t, filepath.Join(dir, "CHEQUES.001.pdf"))
	for _, want := range []string{"4500121", "4500122", "Trois mille neuf cent soixante-quatorze euros", "3 974,99",
		"Soixante et onze euros et vingt centimes", "AV-77"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letters do not say %q:\n%s", want, text)
		}
	}
	// The next run goes on from 4500123; a number used is refused.
	more := strings.ReplaceAll(strings.ReplaceAll(cheques, "FA-", "FB-"), "AV-", "AW-")
	if _, err := disburse.Import(ctx, st, cr, strings.NewReader(header+more), disburse.ImportOptions{File: "p2.csv", Now: now}); err != nil {
		t.Fatal(err)
	}
	_, err = collect.Run(ctx, st, cr, chqout.Job(chqout.Options{FirstNumber: 4500122, Common: collect.Common{OutDir: dir}}))
	if !errors.Is(err, chqout.ErrNumber) || !strings.Contains(err.Error(), "4500122") {
		t.Fatalf("a number used: %v", err)
	}
	if _, err := collect.Run(ctx, st, cr, chqout.Job(chqout.Options{Common: collect.Common{OutDir: dir}})); err != nil {
		t.Fatal(err)
	}
	if reg := register(t, st, cr); len(reg) != 4 || reg[3].Number != 4500124 || reg[3].Remittance != "002" {
		t.Fatalf("register after the second run: %+v", reg)
	}
	// Cheque 4500121 is spoiled: void, its payment printed again as 4500125.
	r, err := chqout.Reissue(ctx, st, st, cr, chqout.ReissueOptions{Number: 4500121, Reason: "mal imprimé", OutDir: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != 4500125 || r.Payee != "401DUPOND" || !strings.Contains(pdfText(t, r.File.Path), "4500125") {
		t.Errorf("reissued: %+v", r)
	}
	reg = register(t, st, cr)
	if reg[0].Status != "void" || reg[0].Reason != "mal imprimé" || reg[4].Number != 4500125 || reg[4].Payment != reg[0].Payment {
		t.Errorf("register after the void: %+v", reg)
	}
	if _, err := chqout.Reissue(ctx, st, st, cr, chqout.ReissueOptions{Number: 4500121, Reason: "encore", OutDir: dir, Now: now}); !errors.Is(err, chqout.ErrOption) {
		t.Errorf("voiding a void cheque: %v", err)
	}
	if _, notes, err := collect.Regenerate(ctx, st, collect.NewRegistry(chqout.Kind), cr.ID, 1, dir); err != nil || len(notes) != 0 {
		t.Errorf("regenerate: %v %v", err, notes)
	}
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(testtool.Tool(t, "pdftotext"), "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
