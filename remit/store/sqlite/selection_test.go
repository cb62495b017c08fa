package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

func seedSelection(t *testing.T) (*Store, remit.Creditor) {
	st, cr := newTestStore(t)
	in := "document,customer,name,amount,due_date,method,journal,priority\n" +
		"A1,411ALPHA,Alpha,100.00,2026-11-05,sdd,BQ1,5\n" +
		"A2,411ALPHA,Alpha,200.00,2026-11-20,sdd,BQ1,5\n" +
		"B1,411BETA,Beta,300.00,2026-11-10,lcr,LCR,50\n" +
		"M1,411MARTIN,Martin,400.00,2026-11-15,lcr,,0\n" +
		"N1,411NONE,Nobody,500.00,2026-11-25,,,0\n" +
		"Z1,411ZULU,Zulu,600.00,2026-12-05,sdd,BQ1,99\n"
	if _, err := importString(t, st, cr, in, remit.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return st, cr
}

func docs(t *testing.T, st *Store, cr remit.Creditor, f remit.Filter) string {
	t.Helper()
	var out []string
	err := st.Receivables(context.Background(), cr.ID, f, func(r remit.Receivable) error {
		out = append(out, r.Document)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func TestFilters(t *testing.T) {
	st, cr := seedSelection(t)
	nov1, nov30 := remit.MonthBounds(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	tests := []struct {
		name string
		f    remit.Filter
		want string
	}{
		{"all", remit.Filter{}, "A1 B1 M1 A2 N1 Z1"},
		{"month", remit.Filter{DueFrom: nov1, DueTo: nov30}, "A1 B1 M1 A2 N1"},
		{"method sdd", remit.Filter{Method: "sdd"}, "A1 A2 Z1"},
		{"method none", remit.Filter{Method: "none"}, "N1"},
		{"journal none", remit.Filter{Journal: "none"}, "M1 N1"},
		{"journal LCR", remit.Filter{Journal: "LCR"}, "B1"},
		{"customer range with prefix bound", remit.Filter{CustomerFrom: "411B", CustomerTo: "411M"}, "B1 M1"},
		{"customer from", remit.Filter{CustomerFrom: "411N"}, "N1 Z1"},
		{"documents", remit.Filter{Documents: []string{"Z1", "A1"}}, "A1 Z1"},
		{"status", remit.Filter{Status: remit.StatusPointed}, ""},
	}
	for _, tt := range tests {
		if got := docs(t, st, cr, tt.f); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if err := (remit.Filter{Method: "cash"}).Validate(); err == nil {
		t.Error("bad method accepted")
	}
	if err := (remit.Filter{DueFrom: nov30, DueTo: nov1}).Validate(); err == nil {
		t.Error("inverted range accepted")
	}
}

func TestPointToTarget(t *testing.T) {
	// Priority 0 is the most urgent, 99 the least (seed 002). N1 has no
	// payment method: no remittance collects it, so it is never pointed.
	tests := []struct {
		order  string
		target int64
		want   string
		total  int64
	}{
		// M1 (0) 400, A1 (5) 100, A2 (5) 200: 700 reached.
		{remit.OrderPriorityDue, 70000, "A1 M1 A2", 70000},
		// never exceed: M1 400, A1 100 (=500); A2 200 would exceed 650, B1 and Z1 too.
		{remit.OrderPriorityDue, 65000, "A1 M1", 50000},
		// by due date: A1 100, B1 300 (=400); M1 400 would exceed 700; A2 200 (=600); Z1 600 would exceed.
		{remit.OrderDuePriority, 70000, "A1 B1 A2", 60000},
	}
	for _, tt := range tests {
		st, cr := seedSelection(t)
		res, err := st.Point(context.Background(), cr.ID, remit.Filter{}, tt.target, tt.order)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Totals) != 1 || res.Totals[0].Total != tt.total || res.Totals[0].Currency != "EUR" {
			t.Errorf("%s %d: totals %+v, want %d EUR", tt.order, tt.target, res.Totals, tt.total)
		}
		if got := docs(t, st, cr, remit.Filter{Status: remit.StatusPointed}); got != tt.want {
			t.Errorf("%s %d: pointed %q, want %q", tt.order, tt.target, got, tt.want)
		}
	}
}

func TestPointUnpointAndRemittedNeverRepointed(t *testing.T) {
	st, cr := seedSelection(t)
	ctx := context.Background()
	st.db.Exec("UPDATE receivables SET status = 'remitted' WHERE document = 'A1'")
	res, err := st.Point(ctx, cr.ID, remit.Filter{Method: "sdd"}, 0, "")
	if err != nil || res.Count != 2 || res.Totals[0].Total != 80000 {
		t.Fatalf("point: %+v %v", res, err)
	}
	if got := docs(t, st, cr, remit.Filter{Status: remit.StatusRemitted}); got != "A1" {
		t.Errorf("remitted: %q", got)
	}
	if _, err := st.Point(ctx, cr.ID, remit.Filter{Status: remit.StatusRemitted}, 0, ""); err == nil {
		t.Error("pointing remitted receivables accepted")
	}
	res, err = st.Unpoint(ctx, cr.ID, remit.Filter{Documents: []string{"Z1"}})
	if err != nil || res.Count != 1 {
		t.Fatalf("unpoint: %+v %v", res, err)
	}
	if got := docs(t, st, cr, remit.Filter{Status: remit.StatusPointed}); got != "A2" {
		t.Errorf("pointed after unpoint: %q", got)
	}
}
