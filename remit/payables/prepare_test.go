package payables

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// prepared renders what Prepare did: each payment with its net, then
// each payable left with its reason code.
func prepared(p *Prepared) string {
	var b strings.Builder
	for _, g := range p.Groups {
		fmt.Fprintf(&b, "pay %s %s net %d on %s\n", g.Payee, strings.Join(g.Documents(), "+"), g.Net, g.Date.Format("2006-01-02"))
	}
	for _, l := range p.Left {
		fmt.Fprintf(&b, "left %s %s\n", l.Document, l.Reason.Code)
	}
	return b.String()
}

func TestPrepareLeftOut(t *testing.T) {
	ok := inv("FA-1", "401SUN", 100000, "2026-12-15")
	ok.Approved = true
	edit := func(doc string, f func(p *Payable)) Payable {
		p := ok
		p.Document = doc
		f(&p)
		return p
	}
	ps := []Payable{
		ok,
		edit("FA-2", func(p *Payable) { p.Contested, p.ContestReason, p.Approved = true, "litige qualité", true }),
		edit("FA-3", func(p *Payable) { p.Approved = false }),
		edit("FA-4", func(p *Payable) { p.Method, p.IBAN = MethodNone, "" }),
		edit("FA-5", func(p *Payable) { p.Currency = "USD" }),
		edit("FA-6", func(p *Payable) { p.Status = StatusPointed }),
		edit("FA-7", func(p *Payable) { p.Status = StatusPaid }),
		edit("FA-8", func(p *Payable) { p.IBAN = ibanTR }),
	}
	res, err := Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, ApprovalRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `pay 401SUN FA-1 net 100000 on 2026-12-15
left FA-2 contested
left FA-3 not-approved
left FA-4 no-method
left FA-5 currency
left FA-6 not-open
left FA-7 not-open
left FA-8 invalid
`
	if got := prepared(res); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	texts := map[string]string{}
	for _, l := range res.Left {
		texts[l.Document] = l.Reason.String()
	}
	for doc, want := range map[string]string{
		"FA-2": "contested (litige qualité): never paid while in dispute: remit payables resolve FA-2 once settled",
		"FA-3": "not approved: the creditor requires a bon à payer: remit payables approve FA-3",
		"FA-4": "without a payment method: no payment run takes it: import it again with method vir or chq",
		"FA-5": "in USD: a transfer pays in EUR only: pay it otherwise, and leave it out of the selection",
		"FA-6": "already pointed",
		"FA-8": `invalid: iban "TR330006100519786457841326": outside SEPA: TR is not a country of the SEPA schemes (EPC409-09): ` +
			"correct it in the ERP's export and import it again (FA-8)",
	} {
		if texts[doc] != want {
			t.Errorf("%s: %q\nwant %q", doc, texts[doc], want)
		}
	}
	// Without approval required, FA-3 is paid (grouped with FA-1 under the rule).
	res, err = Prepare(ps[:3], PrepareOptions{Dates: DateOptions{Now: now}, Rules: Rules{autoVir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := prepared(res); got != "pay 401SUN FA-1+FA-3 net 200000 on 2026-12-15\nleft FA-2 contested\n" {
		t.Fatalf("got\n%s", got)
	}
}

func TestPrepareNetting(t *testing.T) {
	rules := Rules{autoVir}
	fa := inv("FA-1", "401SUN", 100000, "2026-12-15")
	for _, tc := range []struct {
		name  string
		avoir int64
		want  string
	}{
		{"credit note netted", -30000, "pay 401SUN AV-1+FA-1 net 70000 on 2026-12-15\n"},
		{"nets to zero: not paid", -100000, "left AV-1 not-positive\nleft FA-1 not-positive\n"},
		{"negative: not paid", -150000, "left AV-1 not-positive\nleft FA-1 not-positive\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := []Payable{fa, inv("AV-1", "401SUN", tc.avoir, "2026-12-10")}
			res, err := Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, Rules: rules})
			if err != nil {
				t.Fatal(err)
			}
			if got := prepared(res); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
			if len(res.Left) > 0 {
				want := fmt.Sprintf("its payment (AV-1, FA-1) nets to %s EUR: nothing to pay: the credit notes wait for the supplier's next invoices",
					map[int64]string{-100000: "0,00", -150000: "-500,00"}[tc.avoir])
				if got := res.Left[0].Reason.String(); got != want {
					t.Errorf("%q\nwant %q", got, want)
				}
			}
		})
	}
	// A credit note alone (no rule groups it with anything) is never paid.
	res, _ := Prepare([]Payable{inv("AV-1", "401SUN", -100, "2026-12-10")}, PrepareOptions{Dates: DateOptions{Now: now}})
	if got := prepared(res); got != "left AV-1 not-positive\n" {
		t.Fatalf("got\n%s", got)
	}
}

func TestPrepareDiscount(t *testing.T) {
	fa := inv("FA-1", "401SUN", 120000, "2026-12-31")
	fa.Discount = Discount{Rate: 200, Until: day("2026-12-10")}
	fb := inv("FA-2", "401SUN", 50000, "2026-12-20") // no discount
	o := PrepareOptions{Dates: DateOptions{Now: now}, Rules: Rules{{Method: MethodTransfer, Active: true, Within: AnyDays}}}
	res, err := Prepare([]Payable{fa, fb}, o)
	if err != nil {
		t.Fatal(err)
	}
	// Paid by the discount's last date, 2 % of 1200.00 off.
	if got := prepared(res); got != "pay 401SUN FA-1+FA-2 net 167600 on 2026-12-10\n" {
		t.Fatalf("got\n%s", got)
	}
	g := res.Groups[0]
	if g.Total != 170000 || g.Discount != 2400 || len(g.Discounts) != 1 || g.Discounts[0].Account != "765" || !g.Due.Equal(day("2026-12-20")) {
		t.Fatalf("%+v", g)
	}
	// A requested date after the last date loses it.
	o.Dates.Requested = day("2026-12-11")
	res, _ = Prepare([]Payable{fa, fb}, o)
	if got := prepared(res); got != "pay 401SUN FA-1+FA-2 net 170000 on 2026-12-11\n" {
		t.Fatalf("got\n%s", got)
	}
	// Automatic discounts off: paid on the due date, in full.
	o.Dates.Requested, o.SkipDiscounts = time.Time{}, true
	res, _ = Prepare([]Payable{fa, fb}, o)
	if got := prepared(res); got != "pay 401SUN FA-1+FA-2 net 170000 on 2026-12-18\n" {
		t.Fatalf("got\n%s", got)
	}
	o.Dates.Requested = day("2026-12-01")
	if _, err := Prepare([]Payable{fa}, o); err == nil {
		t.Fatal("a requested date in the past is refused")
	}
}

func TestPrepareTarget(t *testing.T) {
	p := func(doc, supplier string, cents int64, due string, prio int) Payable {
		x := inv(doc, supplier, cents, due)
		x.Priority = prio
		return x
	}
	ps := []Payable{
		p("FA-1", "401A", 300000, "2026-12-20", 0),
		p("FA-2", "401B", 200000, "2026-12-10", 10),
		p("FA-3", "401C", 400000, "2026-12-05", 20),
		p("FA-4", "401D", 50000, "2026-12-30", 30),
	}
	for _, tc := range []struct {
		name   string
		target int64
		order  string
		want   string
	}{
		{"priority then due: takes what fits", 600000, OrderPriorityDue,
			"pay 401A FA-1 net 300000 on 2026-12-18\npay 401B FA-2 net 200000 on 2026-12-10\npay 401D FA-4 net 50000 on 2026-12-30\n" +
				"left FA-3 target\n"},
		{"due then priority", 600000, OrderDuePriority,
			"pay 401C FA-3 net 400000 on 2026-12-04\npay 401B FA-2 net 200000 on 2026-12-10\nleft FA-1 target\nleft FA-4 target\n"},
		{"exactly reached", 500000, "",
			"pay 401A FA-1 net 300000 on 2026-12-18\npay 401B FA-2 net 200000 on 2026-12-10\nleft FA-3 target\nleft FA-4 target\n"},
		{"nothing fits", 10000, "", "left FA-1 target\nleft FA-2 target\nleft FA-3 target\nleft FA-4 target\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, Target: tc.target, Order: tc.order})
			if err != nil {
				t.Fatal(err)
			}
			if got := prepared(res); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	res, _ := Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, Target: 500000})
	if got := res.Left[0].Reason.Text; got != "the target 5 000,00 EUR is reached" {
		t.Errorf("%q", got)
	}
	res, _ = Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, Target: 600000})
	if got := res.Left[0].Reason.Text; got != "does not fit: 1 000,00 EUR left of the target 6 000,00 EUR" {
		t.Errorf("%q", got)
	}
	if _, err := Prepare(ps, PrepareOptions{Order: "amount"}); err == nil {
		t.Error("an unknown order is refused")
	}
	if _, err := Prepare(ps, PrepareOptions{Target: -1}); err == nil {
		t.Error("a negative target is refused")
	}
}

func TestPrepareTargetGroups(t *testing.T) {
	rules := Rules{{Method: MethodTransfer, Active: true, Within: AnyDays}}
	fa1 := inv("FA-1", "401SUN", 100000, "2026-12-10")
	fa1.Priority = 0
	fa2 := inv("FA-2", "401SUN", 50000, "2026-12-12")
	av := inv("AV-1", "401SUN", -20000, "2026-12-20")
	usd := inv("FU-1", "401US", 10000, "2026-12-10")
	usd.Method, usd.Currency, usd.IBAN = MethodCheque, "USD", ""
	for _, tc := range []struct {
		name   string
		target int64
		want   string
	}{
		{"the whole group fits", 130000, "pay 401SUN AV-1+FA-1+FA-2 net 130000 on 2026-12-10\nleft FU-1 target-currency\n"},
		// The credit note makes room: 1000 − 200 = 800 fits under 900, 500 more does not.
		{"part of a group, credit note netted", 90000, "pay 401SUN AV-1+FA-1 net 80000 on 2026-12-10\nleft FA-2 target\nleft FU-1 target-currency\n"},
		{"the credit note lets the larger invoice in", 80000, "pay 401SUN AV-1+FA-1 net 80000 on 2026-12-10\nleft FA-2 target\nleft FU-1 target-currency\n"},
		{"only the small one fits", 40000, "pay 401SUN AV-1+FA-2 net 30000 on 2026-12-10\nleft FA-1 target\nleft FU-1 target-currency\n"},
		{"a part that pays nothing is not taken", 10000, "left AV-1 target\nleft FA-1 target\nleft FA-2 target\nleft FU-1 target-currency\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Prepare([]Payable{fa1, fa2, av, usd}, PrepareOptions{Dates: DateOptions{Now: now}, Rules: rules, Target: tc.target})
			if err != nil {
				t.Fatal(err)
			}
			if got := prepared(res); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestPrepareTargetNeverExceeded: whatever the payables, rules and order,
// what Prepare points never exceeds the target, every payment pays
// something, its figures add up, and every payable is pointed or left
// exactly once.
func TestPrepareTargetNeverExceeded(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 12))
	suppliers := []string{"401A", "401B", "401C"}
	for round := 0; round < 300; round++ {
		var ps []Payable
		for i := 0; i < 1+rng.IntN(25); i++ {
			amount := int64(1 + rng.IntN(500000))
			if rng.IntN(4) == 0 {
				amount = -amount / 3
			}
			p := inv(fmt.Sprintf("D-%d", i), suppliers[rng.IntN(3)], amount, fmt.Sprintf("2026-12-%02d", 1+rng.IntN(28)))
			p.Priority = rng.IntN(5)
			if amount > 0 && rng.IntN(3) == 0 {
				p.Discount = Discount{Rate: Rate(1 + rng.IntN(500)), Until: day(fmt.Sprintf("2026-12-%02d", 1+rng.IntN(28)))}
			}
			ps = append(ps, p)
		}
		rules := Rules{{Method: MethodTransfer, Active: rng.IntN(4) > 0, Within: rng.IntN(20) - 1}}
		target := int64(rng.IntN(1500000))
		order := []string{OrderPriorityDue, OrderDuePriority}[rng.IntN(2)]
		res, err := Prepare(ps, PrepareOptions{Dates: DateOptions{Now: now}, Rules: rules, Target: target, Order: order})
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		seen := map[string]int{}
		for _, g := range res.Groups {
			var sum, disc int64
			for _, m := range g.Members {
				seen[m.Document]++
				sum += m.Amount
			}
			for _, d := range g.Discounts {
				disc += d.Amount
			}
			if g.Net <= 0 || g.Total != sum || g.Discount != disc || g.Net != sum-disc {
				t.Fatalf("round %d: group %s: total %d (Σ %d), discount %d (Σ %d), net %d", round, g.Documents(), g.Total, sum, g.Discount, disc, g.Net)
			}
			total += g.Net
		}
		for _, l := range res.Left {
			seen[l.Document]++
		}
		if target > 0 && total > target {
			t.Fatalf("round %d: pointed %d over the target %d\n%s", round, total, target, prepared(res))
		}
		for _, p := range ps {
			if seen[p.Document] != 1 {
				t.Fatalf("round %d: %s appears %d times\n%s", round, p.Document, seen[p.Document], prepared(res))
			}
		}
		if len(res.Totals) > 0 && res.Totals[0].Total != total {
			t.Fatalf("round %d: totals %+v, pointed %d", round, res.Totals, total)
		}
		// Greedy: a group left for the target with a positive net that
		// fits in what is left at the end would have been taken.
		if target > 0 {
			left := map[string]bool{}
			for _, l := range res.Left {
				if l.Reason.Code == CodeTarget {
					left[l.Document] = true
				}
			}
			for _, p := range ps {
				if left[p.Document] && p.Amount > 0 && p.Discount.IsZero() && p.Amount <= target-total &&
					!slices.ContainsFunc(ps, func(q Payable) bool { return q.Supplier == p.Supplier && q.Amount < 0 }) && !rules[0].Active {
					t.Fatalf("round %d: %s (%d) fits in the %d left\n%s", round, p.Document, p.Amount, target-total, prepared(res))
				}
			}
		}
	}
}
