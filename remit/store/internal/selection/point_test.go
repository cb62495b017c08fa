package selection

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// TestTarget: each receivable that still fits is taken, in order, never
// more than the target, and the walk stops once it is reached.
func TestTarget(t *testing.T) {
	for _, tc := range []struct {
		target  int64
		amounts []int64
		taken   string
		stopped bool
	}{
		{1000, []int64{400, 700, 500, 100, 50}, "0 2 3", true},
		{1000, []int64{1200, 300}, "1", false},
		{1000, []int64{1000, 1}, "0", true},
		{1000, nil, "", false},
	} {
		tg := NewTarget(tc.target)
		stopped := false
		for i, a := range tc.amounts {
			if !tg.Take(remit.Receivable{ID: int64(i), Amount: a, Currency: "EUR"}) {
				stopped = true
				break
			}
		}
		got := strings.Trim(fmt.Sprint(tg.IDs), "[]")
		res := tg.Result()
		var total int64
		for _, r := range res.Items {
			total += r.Amount
			if r.Status != remit.StatusPointed {
				t.Errorf("%v: item %d listed %s", tc.amounts, r.ID, r.Status)
			}
		}
		if got != tc.taken || stopped != tc.stopped || res.Count != len(tg.IDs) || total > tc.target || res.Target != tc.target {
			t.Errorf("%d of %v: took %q (stopped %v), %+v; want %q (stopped %v)", tc.target, tc.amounts, got, stopped, res, tc.taken, tc.stopped)
		}
	}
}

// counts answers Plan.Skipped's questions from a table.
type counts map[string]int

func (c counts) Count(_ context.Context, cond string) (int, error) { return c[cond], nil }

func (c counts) ByMethod(_ context.Context, cond string) ([]MethodCount, error) {
	if !strings.Contains(cond, "NOT "+CollectableSQL()) {
		return nil, fmt.Errorf("by method: %s", cond)
	}
	return []MethodCount{{"", "EUR", 1}, {"sdd", "USD", 2}, {"vir", "EUR", 1}, {"vir", "USD", 3}}, nil
}

// TestSkipped: uncollectable receivables go together by reason, each
// said with its count, then the rejected and the written off.
func TestSkipped(t *testing.T) {
	plan, err := NewPlan(remit.Filter{}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Skipped(context.Background(), counts{"r.status = 'rejected'": 1, "r.status = 'written_off'": 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []remit.Skipped{remit.SkippedUncollectable(1, "", "EUR"), remit.SkippedUncollectable(2, "sdd", "USD"),
		remit.SkippedUncollectable(4, "vir", "EUR"), remit.SkippedRejected(1),
		{Count: 2, Reason: "written off (remit writeoff)", Hint: "never collected again"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("skipped:\n%v\nwant\n%v", got, want)
	}
	if _, err := NewPlan(remit.Filter{Status: remit.StatusPointed}, 0, ""); err == nil {
		t.Error("pointing the pointed was planned")
	}
	if _, err := NewPlan(remit.Filter{}, 100, "sideways"); err == nil {
		t.Error("an unknown order was planned")
	}
}
