package payables

import (
	"errors"
	"strings"
	"testing"
)

// line is an import line giving every column of p that is not empty.
func line(p Payable) Incoming {
	in := Incoming{Payable: p, Line: 7}
	for _, c := range Columns {
		if v := p.Column(c); v != "" && v != "no" && !(c == "priority" && v == "0") {
			in.Given = in.Given.With(c)
		}
	}
	return in
}

func TestCompare(t *testing.T) {
	base := inv("FA-1", "401SUN", 120000, "2026-12-15")
	base.Address.Town = "Lyon"
	edit := func(p Payable, f func(*Payable)) Payable { f(&p); return p }
	stored := func(p Payable, status Status) *Stored {
		p.Status = status
		return &Stored{Payable: p, Payment: "014"}
	}
	for _, tc := range []struct {
		name     string
		stored   *Stored
		in       Incoming
		approval bool
		action   Action
		changes  string   // columns changed
		notes    []string // a piece of each note
		kept     string
		problems []string // column: a piece of the reason
	}{
		{"new", nil, line(base), false, ActionInsert, "", nil, "", nil},
		{"new and pointed", nil, line(edit(base, func(p *Payable) { p.Status = StatusPointed })), false, ActionInsert, "", nil, "", nil},
		{"new, pointed but unapproved", nil, line(edit(base, func(p *Payable) { p.Status = StatusPointed })), true, ActionRefuse, "", nil, "",
			[]string{"pointed: a payable is pointed only once approved (bon à payer): remit payables approve FA-1"}},
		{"identical: unchanged", stored(base, StatusOpen), line(base), false, ActionUnchanged, "", nil, "", nil},
		{"empty payee details keep the stored ones", stored(base, StatusOpen),
			line(edit(base, func(p *Payable) { p.Address.Town, p.IBAN = "", "" })), false, ActionUnchanged, "", nil, "", nil},
		{"an empty state keeps remit's", stored(edit(base, func(p *Payable) { p.Approved, p.Contested, p.ContestReason = true, true, "litige" }), StatusOpen),
			line(base), false, ActionUnchanged, "", nil, "", nil},
		{"a changed amount updates", stored(base, StatusOpen), line(edit(base, func(p *Payable) { p.Amount = 125000 })), false,
			ActionUpdate, "amount", nil, "", nil},
		{"the approval is withdrawn when what it approved changes", stored(edit(base, func(p *Payable) { p.Approved = true }), StatusOpen),
			line(edit(base, func(p *Payable) { p.Amount = 125000 })), false, ActionUpdate, "amount,approved",
			[]string{"FA-1: approval withdrawn: the bon à payer was signed before its amount changed"}, "", nil},
		{"unless the line approves again", stored(edit(base, func(p *Payable) { p.Approved = true }), StatusOpen),
			line(edit(base, func(p *Payable) { p.Amount, p.Approved = 125000, true })), false, ActionUpdate, "amount", nil, "", nil},
		{"a label change keeps the approval", stored(edit(base, func(p *Payable) { p.Approved = true }), StatusOpen),
			line(edit(base, func(p *Payable) { p.Label = "fournitures" })), false, ActionUpdate, "label", nil, "", nil},
		{"a new IBAN is noted", stored(base, StatusOpen), line(edit(base, func(p *Payable) { p.IBAN = ibanDurnd })), false, ActionUpdate, "iban",
			[]string{"the supplier's IBAN changes from FR76*******************5691 to FR76*******************7849: check it with the supplier"}, "", nil},
		{"a pointed payable whose amount changes is unpointed", stored(base, StatusPointed),
			line(edit(base, func(p *Payable) { p.Amount = 1 })), false, ActionUpdate, "amount,pointed",
			[]string{"FA-1: unpointed: its amount changed; point it again"}, "", nil},
		{"a pointed payable keeps its pointing for a label", stored(base, StatusPointed),
			line(edit(base, func(p *Payable) { p.Label = "x" })), false, ActionUpdate, "label", nil, "", nil},
		{"a pointed payable contested by the file is unpointed", stored(base, StatusPointed),
			line(edit(base, func(p *Payable) { p.Contested, p.ContestReason = true, "litige qualité" })), false, ActionUpdate, "contested,pointed",
			[]string{"FA-1: unpointed: contested (litige qualité)"}, "", nil},
		{"a line pointing a contested one", stored(edit(base, func(p *Payable) { p.Contested = true }), StatusOpen),
			line(edit(base, func(p *Payable) { p.Status = StatusPointed })), false, ActionRefuse, "", nil, "",
			[]string{"pointed: a contested payable is never pointed"}},
		{"pointed=no unpoints", stored(base, StatusPointed), func() Incoming {
			in := line(base)
			in.Given = in.Given.With("pointed")
			return in
		}(), false, ActionUpdate, "pointed", nil, "", nil},
		{"same document earlier in the file", &Stored{Payable: base, Line: 3}, line(edit(base, func(p *Payable) { p.Amount = 1 })), false,
			ActionRefuse, "", nil, "", []string{"document: appears on line 3 of this file with other values (amount)"}},
		{"same document, same values, earlier in the file", &Stored{Payable: base, Line: 3}, line(base), false, ActionUnchanged, "", nil, "", nil},
		{"paid: its amount cannot change", stored(base, StatusPaid), line(edit(base, func(p *Payable) { p.Amount, p.Due = 125000, day("2026-12-20") })),
			false, ActionRefuse, "", nil, "", []string{
				`amount: FA-1 was paid (payment 014) with "1200.00": a payable in a payment cannot change; import the change under a new document`,
				`due_date: FA-1 was paid (payment 014) with "2026-12-15"`}},
		{"remitted: new payee details are kept as paid", stored(base, StatusRemitted),
			line(edit(base, func(p *Payable) { p.IBAN, p.Address.Town, p.Name = ibanDurnd, "Paris", "SUN CHEMICAL FRANCE" })), false,
			ActionUnchanged, "", nil, "name,iban,town", nil},
		{"remitted: contested now", stored(base, StatusRemitted), line(edit(base, func(p *Payable) { p.Contested = true })), false,
			ActionRefuse, "", nil, "", []string{"contested: FA-1 was remitted (payment 014): it cannot be contested now"}},
		{"remitted: pointed does not apply", stored(base, StatusRemitted), line(edit(base, func(p *Payable) { p.Status = StatusPointed })), false,
			ActionUnchanged, "", nil, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := Compare(tc.stored, tc.in, tc.approval)
			var cols, probs []string
			for _, c := range out.Changes {
				cols = append(cols, c.Column)
			}
			for _, p := range out.Problems {
				if p.Line != 7 {
					t.Errorf("problem on line %d", p.Line)
				}
				probs = append(probs, p.Column+": "+p.Err.Error())
			}
			if out.Action != tc.action || strings.Join(cols, ",") != tc.changes || strings.Join(out.Kept, ",") != tc.kept ||
				len(out.Notes) != len(tc.notes) || len(probs) != len(tc.problems) {
				t.Fatalf("got %s changes %v kept %v notes %q problems %q", out.Action, cols, out.Kept, out.Notes, probs)
			}
			for i, n := range tc.notes {
				if !strings.Contains(out.Notes[i], n) {
					t.Errorf("note %q\nwant %q", out.Notes[i], n)
				}
			}
			for i, p := range tc.problems {
				if !strings.Contains(probs[i], p) {
					t.Errorf("problem %q\nwant %q", probs[i], p)
				}
			}
			if out.Action == ActionUpdate && out.Payable.Document != tc.in.Document {
				t.Errorf("update without the payable: %+v", out.Payable)
			}
		})
	}
	// What the update keeps: the line's values with the stored states.
	out := Compare(stored(edit(base, func(p *Payable) { p.Approved = true }), StatusPointed), line(edit(base, func(p *Payable) { p.Label = "x" })), true)
	if !out.Payable.Approved || out.Payable.Status != StatusPointed || out.Payable.Label != "x" {
		t.Fatalf("%+v", out.Payable)
	}
	paid := Compare(stored(base, StatusPaid), line(edit(base, func(p *Payable) { p.Amount = 1 })), false)
	if !errors.Is(paid.Problems[0], ErrRemitted) {
		t.Fatal(paid.Problems[0])
	}
}
