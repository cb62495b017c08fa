package payables

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// autoVir is the issue's example rule: remit grouping set vir --auto
// --same-supplier --same-iban --same-currency --within-days 30.
var autoVir = Rule{Method: MethodTransfer, Active: true, Party: SameSupplier, Within: 30}

func groupDocs(gs []Group) string {
	var parts []string
	for _, g := range gs {
		parts = append(parts, g.Payee+":"+strings.Join(g.Documents(), "+"))
	}
	return strings.Join(parts, " ")
}

func TestRulesFor(t *testing.T) {
	rules := Rules{
		{Method: MethodTransfer, Active: true, Within: 30},
		{Method: MethodTransfer, Account: "401CENTRALE", Active: true, Party: SameParent, Within: AnyDays},
		{Method: MethodTransfer, Account: "401SUN", Active: false},
		{Method: MethodTransfer, Manual: true, Active: true, Within: 60},
		{Method: MethodCheque, Active: true},
	}
	if errs := rules.Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, tc := range []struct {
		p      Payable
		manual bool
		want   int // index in rules, -1 none
	}{
		{Payable{Method: MethodTransfer, Supplier: "401DURAND"}, false, 0},
		{Payable{Method: MethodTransfer, Supplier: "401DURAND", Parent: "401CENTRALE"}, false, 1}, // the parent's rule
		{Payable{Method: MethodTransfer, Supplier: "401CENTRALE"}, false, 1},                      // the centrale's own
		{Payable{Method: MethodTransfer, Supplier: "401SUN", Parent: "401CENTRALE"}, false, 2},    // the supplier's wins
		{Payable{Method: MethodTransfer, Supplier: "401SUN"}, true, 3},
		{Payable{Method: MethodCheque, Supplier: "401SUN"}, false, 4},
		{Payable{Method: MethodCheque, Supplier: "401SUN"}, true, -1},
		{Payable{Method: MethodNone, Supplier: "401SUN"}, false, -1},
	} {
		got, ok := rules.For(tc.manual, tc.p)
		if (tc.want < 0) != !ok || ok && got != rules[tc.want] {
			t.Errorf("%+v manual %v: got %v %v, want rule %d", tc.p, tc.manual, got, ok, tc.want)
		}
	}
	bad := Rules{{Method: "lcr"}, {Method: MethodCheque, Account: "401B", Party: "any"}, {Method: MethodCheque, Account: "401C", Within: -2},
		{Method: MethodCheque, Account: "401A"}, {Method: MethodCheque, Account: "401A"}}
	if errs := bad.Validate(); len(errs) != 4 || !errors.Is(errs[0], ErrRule) {
		t.Errorf("got %v", errs)
	}
	if s := rules[1].String(); s != "vir auto for 401CENTRALE: same parent" {
		t.Errorf("%q", s)
	}
	if s := autoVir.String(); s != "vir auto: same supplier, due dates within 30 days" {
		t.Errorf("%q", s)
	}
}

func TestAutoGroup(t *testing.T) {
	sunA := inv("FA-1", "401SUN", 100000, "2026-12-01")
	sunB := inv("FA-2", "401SUN", 50000, "2026-12-20")
	sunC := inv("FA-3", "401SUN", 30000, "2027-01-05") // 35 days after FA-1
	sunAvoir := inv("AV-1", "401SUN", -20000, "2026-12-10")
	durand := inv("FA-9", "401DURAND", 70000, "2026-12-05")
	durand.IBAN, durand.Name = ibanDurnd, "DURAND"
	withIBAN := func(p Payable, iban string) Payable { p.IBAN = iban; return p }
	withJournal := func(p Payable, j string) Payable { p.Journal = j; return p }
	cheque := func(p Payable) Payable { p.Method = MethodCheque; return p }
	under := func(p Payable, parent string) Payable { p.Parent = parent; return p }
	ccy := func(p Payable, c string) Payable { p.Currency = c; return p }

	for _, tc := range []struct {
		name  string
		rules Rules
		ps    []Payable
		want  string
	}{
		{"no rule: one payment each", nil, []Payable{sunA, sunB}, "401SUN:FA-1 401SUN:FA-2"},
		{"inactive rule", Rules{{Method: MethodTransfer, Within: AnyDays}}, []Payable{sunA, sunB}, "401SUN:FA-1 401SUN:FA-2"},
		{"same supplier within 30 days, credit note inside", Rules{autoVir}, []Payable{sunA, sunB, sunAvoir, durand},
			"401DURAND:FA-9 401SUN:AV-1+FA-1+FA-2"},
		{"due dates too far apart: a run starts again", Rules{autoVir}, []Payable{sunC, sunA, sunB},
			"401SUN:FA-1+FA-2 401SUN:FA-3"},
		{"within 0 days: same due date only", Rules{{Method: MethodTransfer, Active: true, Within: 0}},
			[]Payable{sunA, inv("FA-4", "401SUN", 1, "2026-12-01"), sunB}, "401SUN:FA-1+FA-4 401SUN:FA-2"},
		{"no day limit", Rules{{Method: MethodTransfer, Active: true, Within: AnyDays}}, []Payable{sunC, sunA}, "401SUN:FA-1+FA-3"},
		{"two IBANs are two transfers", Rules{autoVir}, []Payable{sunA, withIBAN(sunB, ibanDE)}, "401SUN:FA-1 401SUN:FA-2"},
		{"two IBANs in one cheque", Rules{{Method: MethodCheque, Active: true, Within: 30}},
			[]Payable{cheque(sunA), cheque(withIBAN(sunB, ibanDE))}, "401SUN:FA-1+FA-2"},
		{"two currencies never", Rules{autoVir}, []Payable{sunA, ccy(sunB, "USD")}, "401SUN:FA-1 401SUN:FA-2"},
		{"two methods never", Rules{autoVir, {Method: MethodCheque, Active: true, Within: AnyDays}},
			[]Payable{sunA, cheque(sunB)}, "401SUN:FA-1 401SUN:FA-2"},
		{"same bank asked: two journals", Rules{{Method: MethodTransfer, Active: true, SameBank: true, Within: AnyDays}},
			[]Payable{withJournal(sunA, "BQ1"), withJournal(sunB, "BQ2")}, "401SUN:FA-1 401SUN:FA-2"},
		{"bank free: two journals in one", Rules{{Method: MethodTransfer, Active: true, Within: AnyDays}},
			[]Payable{withJournal(sunA, "BQ1"), withJournal(sunB, "BQ2")}, "401SUN:FA-1+FA-2"},
		{"same parent: the centrale is paid", Rules{{Method: MethodTransfer, Active: true, Party: SameParent, Within: AnyDays}},
			[]Payable{under(withIBAN(sunA, ibanCentr), "401CENTRALE"), under(withIBAN(durand, ibanCentr), "401CENTRALE"),
				func() Payable {
					p := inv("FC-1", "401CENTRALE", 1000, "2026-12-03")
					p.IBAN, p.Name = ibanCentr, "CENTRALE D'ACHAT"
					return p
				}()},
			"401CENTRALE:FA-1+FA-9+FC-1"},
		{"same supplier rule ignores the parent", Rules{autoVir},
			[]Payable{under(withIBAN(sunA, ibanCentr), "401CENTRALE"), under(withIBAN(durand, ibanCentr), "401CENTRALE")},
			"401DURAND:FA-9 401SUN:FA-1"},
		{"a rule set for one supplier", Rules{{Method: MethodTransfer, Account: "401SUN", Active: true, Within: AnyDays}},
			[]Payable{sunA, sunC, durand, func() Payable { p := durand; p.Document = "FA-10"; return p }()},
			"401DURAND:FA-10 401DURAND:FA-9 401SUN:FA-1+FA-3"},
		{"a supplier's rule turns grouping off for it", Rules{autoVir, {Method: MethodTransfer, Account: "401SUN"}},
			[]Payable{sunA, sunB}, "401SUN:FA-1 401SUN:FA-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gs, problems := AutoGroup(tc.ps, tc.rules, nil)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			if got := groupDocs(gs); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestAutoGroupPayee(t *testing.T) {
	rule := Rules{{Method: MethodTransfer, Active: true, Party: SameParent, Within: AnyDays}}
	a := inv("FA-1", "401SUN", 100, "2026-12-01")
	b := inv("FA-2", "401DURAND", 100, "2026-12-01")
	a.Parent, b.Parent = "401CENTRALE", "401CENTRALE"
	// The centrale has no payable of its own and the lookup does not know
	// it: the group cannot name its payee, so each is paid alone.
	gs, problems := AutoGroup([]Payable{a, b}, rule, nil)
	if len(problems) != 1 || !errors.Is(problems[0], ErrGroup) || groupDocs(gs) != "401DURAND:FA-2 401SUN:FA-1" {
		t.Fatalf("%v %s", problems, groupDocs(gs))
	}
	lookup := func(acct string) (string, remit.Address, bool) {
		return "CENTRALE " + acct, remit.Address{Town: "Lyon", Country: "FR"}, acct == "401CENTRALE"
	}
	gs, problems = AutoGroup([]Payable{a, b}, rule, lookup)
	if len(problems) != 0 || len(gs) != 1 || gs[0].Payee != "401CENTRALE" || gs[0].Name != "CENTRALE 401CENTRALE" || gs[0].Address.Town != "Lyon" {
		t.Fatalf("%v %+v", problems, gs)
	}
	// One supplier: its newest document gives the name, address and IBAN.
	old := inv("FA-1", "401SUN", 100, "2026-12-01")
	old.Name, old.Issue = "SUN OLD NAME", day("2026-10-01")
	recent := inv("FA-2", "401SUN", 100, "2026-12-01")
	recent.Name, recent.Issue, recent.BIC, recent.Journal = "SUN CHEMICAL", day("2026-11-01"), "BNPAFRPP", "BQ2"
	gs, _ = AutoGroup([]Payable{recent, old}, Rules{autoVir}, nil)
	if len(gs) != 1 || gs[0].Name != "SUN CHEMICAL" || gs[0].BIC != "BNPAFRPP" || gs[0].Journal != "BQ2" || gs[0].IBAN != ibanSun {
		t.Fatalf("%+v", gs)
	}
}

func TestCheckGroup(t *testing.T) {
	a := inv("FA-1", "401SUN", 100000, "2026-12-01")
	b := inv("FA-2", "401SUN", 50000, "2026-12-20")
	avoir := inv("AV-1", "401SUN", -20000, "2026-12-10")
	manual := func(r Rule) Rules { r.Method, r.Manual = MethodTransfer, true; return Rules{r} }
	for _, tc := range []struct {
		name     string
		ps       []Payable
		rules    Rules
		approval bool
		want     []string // a piece of each problem, in order
	}{
		{"no rule: anything one payment allows", []Payable{a, b, avoir}, nil, false, nil},
		{"one payable", []Payable{a}, nil, false, []string{"at least two"}},
		{"named twice", []Payable{a, a}, nil, false, []string{"FA-1 is named twice"}},
		{"two suppliers without a common parent", []Payable{a, func() Payable { p := b; p.Supplier = "401DURAND"; return p }()}, nil, false,
			[]string{"several payees (a payment has one payee: one supplier, or the suppliers of one parent account): 401SUN for FA-1; 401DURAND for FA-2"}},
		{"two IBANs", []Payable{a, func() Payable { p := b; p.IBAN = ibanDE; return p }()}, nil, false,
			[]string{"several IBANs (a transfer credits one account): " + ibanSun + " for FA-1; " + ibanDE + " for FA-2"}},
		{"two methods and currencies", []Payable{a, func() Payable { p := b; p.Method, p.Currency = MethodCheque, "USD"; return p }()}, nil, false,
			[]string{"several methods: vir for FA-1; chq for FA-2", "several currencies: EUR for FA-1; USD for FA-2"}},
		{"nets to zero", []Payable{func() Payable { p := avoir; p.Amount = -100000; return p }(), a}, nil, false,
			[]string{"the payables net to 0,00 EUR: nothing to pay"}},
		{"contested and unapproved", []Payable{func() Payable { p := a; p.Contested, p.ContestReason = true, "litige qualité"; return p }(), b}, nil, true,
			[]string{"FA-1 is contested (litige qualité): never paid while in dispute", "FA-2 is not approved"}},
		{"a paid one", []Payable{a, func() Payable { p := b; p.Status = StatusPaid; return p }()}, nil, false, []string{"FA-2 is already paid"}},
		{"pointed ones may be regrouped", []Payable{func() Payable { p := a; p.Status = StatusPointed; return p }(), b}, nil, false, nil},
		{"manual grouping off", []Payable{a, b}, manual(Rule{Active: false}), false, []string{"(vir manual: off) allows no manual group"}},
		{"manual rule: due dates", []Payable{a, b}, manual(Rule{Active: true, Within: 10}), false,
			[]string{"wants due dates at most 10 days apart: FA-1 is due 2026-12-01, FA-2 2026-12-20 (19 days)"}},
		{"manual rule: bank", []Payable{a, func() Payable { p := b; p.Journal = "BQ2"; return p }()}, manual(Rule{Active: true, SameBank: true, Within: AnyDays}), false,
			[]string{`wants one bank: FA-1 names "", FA-2 names "BQ2"`}},
		{"manual rule: same parent lets the centrale's suppliers in", []Payable{
			func() Payable { p := a; p.Parent = "401CENTRALE"; return p }(),
			func() Payable { p := b; p.Supplier, p.Parent = "401DURAND", "401CENTRALE"; return p }(),
			func() Payable { p := b; p.Document, p.Supplier = "FC-1", "401CENTRALE"; return p }()},
			manual(Rule{Active: true, Party: SameParent, Within: AnyDays}), false, nil},
		{"manual rule: same supplier refuses them", []Payable{
			func() Payable { p := a; p.Parent = "401CENTRALE"; return p }(),
			func() Payable { p := b; p.Supplier, p.Parent = "401DURAND", "401CENTRALE"; return p }()},
			manual(Rule{Active: true, Within: AnyDays}), false, []string{"wants one supplier: FA-1 is 401SUN's, FA-2 is 401DURAND's"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, errs := CheckGroup(tc.ps, tc.rules, tc.approval, nil)
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d problems, want %d: %v", len(errs), len(tc.want), errs)
			}
			for i, e := range errs {
				if !strings.Contains(e.Error(), tc.want[i]) || !errors.Is(e, ErrGroup) {
					t.Errorf("problem %d: %v\nwant it to say %q", i, e, tc.want[i])
				}
			}
			if len(errs) == 0 && (!g.Manual || len(g.Members) != len(tc.ps)) {
				t.Errorf("group %+v", g)
			}
		})
	}
}

func TestUngroup(t *testing.T) {
	g, errs := CheckGroup([]Payable{inv("FA-1", "401SUN", 100, "2026-12-01"), inv("FA-2", "401SUN", 100, "2026-12-01"),
		inv("FA-3", "401SUN", 100, "2026-12-01")}, nil, false, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	docs := func(ps []Payable) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Document)
		}
		return strings.Join(s, "+")
	}
	rest, out, err := Ungroup(g, "FA-2")
	if err != nil || docs(rest) != "FA-1+FA-3" || docs(out) != "FA-2" {
		t.Fatalf("%s / %s %v", docs(rest), docs(out), err)
	}
	// One left: the group dissolves by itself.
	rest, out, err = Ungroup(g, "FA-2", "FA-3")
	if err != nil || rest != nil || docs(out) != "FA-1+FA-2+FA-3" {
		t.Fatalf("%s / %s %v", docs(rest), docs(out), err)
	}
	rest, out, err = Ungroup(g)
	if err != nil || rest != nil || len(out) != 3 {
		t.Fatalf("%s / %s %v", docs(rest), docs(out), err)
	}
	if _, _, err := Ungroup(g, "FA-2", "FA-9", "FA-8"); err == nil || err.Error() != "not in the group: FA-8, FA-9" {
		t.Fatalf("%v", err)
	}
	// Groups of groups: the union of a group and another payable (or
	// group) is one flat group again.
	g3, errs := CheckGroup(slices.Concat(g.Members, []Payable{inv("FA-4", "401SUN", 100, "2026-12-01")}), nil, false, nil)
	if len(errs) > 0 || docs(g3.Members) != "FA-1+FA-2+FA-3+FA-4" {
		t.Fatal(errs, docs(g3.Members))
	}
}
