package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/testtool"
)

func mandateLine(m remit.Mandate) string {
	return fmt.Sprintf("%s %s %s %s signed=%s last=%s newly=%v %s", m.RUM, m.Customer, m.Scheme, m.Status, m.Signed,
		m.LastCollection, m.NewlyExpired, m.StatusReason)
}

func TestMandatesListExpireRevoke(t *testing.T) {
	ctx := context.Background()
	// testNow is 2026-11-22: the 36-month limit is 2023-11-22.
	csv := sddLine("F1", "411A", "10.00", "2026-12-01", "RUM-A", "") +
		"F2,411B,Client B,10.00,2026-12-01,sdd,FR7630006000011234567890189,,RUM-OLD,2023-11-21,CORE,,,Rue,1,69002,Lyon,FR,EUR,,\n" +
		"F3,411C,Client C,10.00,2026-12-01,sdd,FR1420041010050500013M02606,,RUM-USED,2020-01-15,B2B,,2023-11-22,Rue,1,69002,Lyon,FR,EUR,,\n" +
		"F4,411D,Client D,10.00,2026-12-01,sdd,DE89370400440532013000,,RUM-STALE,2020-01-15,CORE,,2023-11-21,Rue,1,10115,Berlin,DE,EUR,,\n"
	e := newSDDEnv(t, csv)
	e.run(sdd.Options{})
	ms, err := mandateList(ctx, e.st, e.cr.ID, remit.MandateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, mandateLine(m))
	}
	want := `RUM-A 411A CORE active signed=2025-01-15 last=2026-12-01 newly=false 
RUM-OLD 411B CORE active signed=2023-11-21 last= newly=false 
RUM-USED 411C B2B active signed=2020-01-15 last=2023-11-22 newly=false 
RUM-STALE 411D CORE active signed=2020-01-15 last=2023-11-21 newly=false `
	if strings.Join(got, "\n") != want {
		t.Errorf("list:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	if ms[0].IBAN != "FR7630004008280001012345691" {
		t.Errorf("IBAN %s", ms[0].IBAN)
	}
	exp, err := expiredList(ctx, e.st, e.cr.ID)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, m := range exp {
		got = append(got, mandateLine(m))
	}
	want = `RUM-OLD 411B CORE expired signed=2023-11-21 last= newly=true never used in 36 months (signed 2023-11-21)
RUM-STALE 411D CORE expired signed=2020-01-15 last=2023-11-21 newly=true no collection for 36 months (last 2023-11-21)`
	if strings.Join(got, "\n") != want {
		t.Errorf("expired:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	// Listing again marks nothing new.
	exp, _ = expiredList(ctx, e.st, e.cr.ID)
	if len(exp) != 2 || exp[0].NewlyExpired || exp[1].NewlyExpired {
		t.Errorf("second expiry: %+v", exp)
	}
	m, err := e.st.RevokeMandate(ctx, e.cr.ID, "RUM-A", day("2026-11-30"))
	if err != nil || m.Status != remit.MandateRevoked || m.StatusReason != "revoked on 2026-11-30" {
		t.Errorf("revoke: %+v %v", m, err)
	}
	if _, err := e.st.RevokeMandate(ctx, e.cr.ID, "RUM-A", day("2026-11-30")); !errors.Is(err, remit.ErrMandateState) {
		t.Errorf("second revoke: %v", err)
	}
	if _, err := e.st.UnblockMandate(ctx, e.cr.ID, "RUM-USED"); !errors.Is(err, remit.ErrMandateState) {
		t.Errorf("unblock of an active mandate: %v", err)
	}
	if _, err := e.st.RevokeMandate(ctx, e.cr.ID, "NOPE", day("2026-11-30")); !errors.Is(err, remit.ErrNoMandate) {
		t.Errorf("unknown mandate: %v", err)
	}
	if ms, _ := mandateList(ctx, e.st, e.cr.ID, remit.MandateFilter{Status: remit.MandateRevoked}); len(ms) != 1 || ms[0].RUM != "RUM-A" {
		t.Errorf("revoked: %+v", ms)
	}
	if _, err := mandateList(ctx, e.st, e.cr.ID, remit.MandateFilter{Status: "gone"}); err == nil {
		t.Error("bad status accepted")
	}
	// A revoked mandate's receivables are refused by the next run.
	importString(t, e.st, e.cr, sddHeader+sddLine("F5", "411A", "10.00", "2027-01-04", "RUM-A", ""), remit.ImportOptions{})
	if res := e.run(sdd.Options{}); len(res.Refused) != 1 || res.Refused[0].Reasons[0] != "mandate RUM-A is revoked" {
		t.Errorf("after revoke: %+v", res.Refused)
	}
}

// mandateList collects what st.Mandates streams.
func mandateList(ctx context.Context, st *Store, creditorID int64, f remit.MandateFilter) ([]remit.Mandate, error) {
	return testtool.Collect(func(fn func(*remit.Mandate) error) error { return st.Mandates(ctx, creditorID, f, fn) })
}

// expiredList collects what st.ExpireMandates streams.
func expiredList(ctx context.Context, st *Store, creditorID int64) ([]remit.Mandate, error) {
	return testtool.Collect(func(fn func(*remit.Mandate) error) error { return st.ExpireMandates(ctx, creditorID, fn) })
}
