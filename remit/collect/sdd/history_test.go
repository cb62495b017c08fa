package sdd_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/store/storetest"
)

// The IBANs of the history test: each customer's, and two others.
const (
	ibanA     = "FR7630004008280001012345691"
	ibanB     = "FR7630006000011234567890189"
	ibanC     = "FR1420041010050500013M02606"
	ibanOther = "DE89370400440532013000"
)

// A mandate's latest collection, on both stores, is the latest of those
// made before remit (mandate_history, written by other software: rows out
// of order, twice the same, two IBANs on one day: the greater is kept)
// and of remit's own, whichever came last: remit mandates lists its date,
// and a run collects RCUR and announces a change of account (SMNDA) when
// its IBAN is not the mandate's.
func TestLatestCollectionOverHistoryAndRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, k storetest.Kind) {
		h := newHistoryEnv(t, k)
		h.importDebits("F1 A 2026-12-10", "F2 B 2026-12-10", "F3 C 2026-12-10")
		h.history("A", "2026-08-05", ibanA, "A", "2026-08-05", ibanA, "A", "2026-10-05", ibanA, "A", "2026-10-05", ibanOther,
			"A", "2026-09-05", ibanA, "B", "2026-11-05", ibanB)
		h.wantMandates("before the first run", "A:2026-10-05 B:2026-11-05 C:")
		h.wantRun("first run", "F1:RCUR:2026-12-10: F2:RCUR:2026-12-10: F3:FRST:2026-12-10:")
		h.wantMandates("after the first run", "A:2026-12-10 B:2026-12-10 C:2026-12-10")
		// A collection made elsewhere after remit's, from another account.
		h.history("B", "2027-01-05", ibanOther, "C", "2026-11-30", ibanOther)
		h.wantMandates("history after the run", "A:2026-12-10 B:2027-01-05 C:2026-12-10")
		h.importDebits("F4 A 2027-01-11", "F5 B 2027-01-11", "F6 C 2027-01-11")
		h.wantRun("second run", "F4:RCUR:2027-01-11: F5:RCUR:2027-01-11:SMNDA F6:RCUR:2027-01-11:")
		h.wantMandates("after the second run", "A:2027-01-11 B:2027-01-11 C:2027-01-11")
	})
}

type historyEnv struct {
	t   *testing.T
	k   storetest.Kind
	st  storetest.PayStore
	cr  remit.Creditor
	out string
}

func newHistoryEnv(t *testing.T, k storetest.Kind) *historyEnv {
	st := k.Open(t, func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) })
	cr, err := st.SaveCreditor(context.Background(), remit.Creditor{Code: "ACME", Name: "ACME OUTILLAGE SARL", ICS: "FR72ZZZ123456",
		IBAN: ibanA, BIC: "BNPAFRPP", BankName: "BNP PARIBAS", SIREN: "123456782",
		Address: remit.Address{Street: "Rue de la Paix", Building: "12", Postcode: "75002", Town: "Paris", Country: "FR"}})
	if err != nil {
		t.Fatal(err)
	}
	return &historyEnv{t: t, k: k, st: st, cr: cr, out: t.TempDir()}
}

// importDebits imports pointed direct debits of 10.00, each "document customer due-date",
// customer X debited on mandate RUM-X from its own IBAN.
func (h *historyEnv) importDebits(lines ...string) {
	h.t.Helper()
	ibans := map[string]string{"A": ibanA, "B": ibanB, "C": ibanC}
	var b strings.Builder
	b.WriteString("document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,scheme,town,country,pointed\n")
	for _, l := range lines {
		f := strings.Fields(l)
		fmt.Fprintf(&b, "%s,411%s,Client %s,10.00,%s,sdd,%s,RUM-%s,2025-01-15,CORE,Lyon,FR,yes\n", f[0], f[1], f[1], f[2], ibans[f[1]], f[1])
	}
	_, err := importcsv.Import(context.Background(), h.st, strings.NewReader(b.String()), remit.ImportOptions{Creditor: h.cr,
		File: "debits.csv", RejectPath: filepath.Join(h.t.TempDir(), "rejects.csv")})
	if err != nil {
		h.t.Fatal(err)
	}
}

// history writes collections made before remit, as other software does:
// each three values a customer (its mandate), a date and an IBAN.
func (h *historyEnv) history(v ...string) {
	h.t.Helper()
	for i := 0; i < len(v); i += 3 {
		h.k.Exec(h.t, h.st, fmt.Sprintf(`INSERT INTO mandate_history (mandate_id, collected_on, iban)
			SELECT id, '%s', '%s' FROM mandates WHERE rum = 'RUM-%s'`, v[i+1], v[i+2], v[i]))
	}
}

// wantMandates checks remit mandates' latest collections, "customer:date" by customer.
func (h *historyEnv) wantMandates(step, want string) {
	h.t.Helper()
	ms, err := storetest.MandateList(context.Background(), h.st, h.cr.ID, remit.MandateFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, strings.TrimPrefix(m.RUM, "RUM-")+":"+m.LastCollection)
	}
	slices.Sort(got)
	if g := strings.Join(got, " "); g != want {
		h.t.Errorf("%s: remit mandates\n got %s\nwant %s", step, g, want)
	}
}

// wantRun runs the pointed debits and checks each item's
// document:sequence:collection date:account amendment.
func (h *historyEnv) wantRun(step, want string) {
	h.t.Helper()
	ctx := context.Background()
	res, err := collect.Run(ctx, h.st, h.cr, sdd.Job(sdd.Options{Common: collect.Common{OutDir: h.out}}))
	if err != nil {
		h.t.Fatalf("%s: %v", step, err)
	}
	var got []string
	for _, r := range res.Remittances {
		if err := h.st.Items(ctx, r.ID, store.ItemsAll, func(it *remit.Item) error {
			got = append(got, it.Document+":"+it.Sequence+":"+it.Collection+":"+it.Amendment.Account)
			return nil
		}); err != nil {
			h.t.Fatal(err)
		}
	}
	slices.Sort(got)
	if g := strings.Join(got, " "); g != want {
		h.t.Errorf("%s: items\n got %s\nwant %s", step, g, want)
	}
}
