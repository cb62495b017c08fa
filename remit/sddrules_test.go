package remit

import (
	"strings"
	"testing"
	"time"
)

func debitPolicy(t *testing.T, forced time.Time) DebitPolicy {
	t.Helper()
	dates, err := NewCollectionCalendar(ruleNow, 1, 16*time.Hour, forced)
	if err != nil {
		t.Fatal(err)
	}
	return DebitPolicy{ICS: "FR72ZZZ123456", ExpiryLimit: MandateExpiryLimit(ruleNow), Dates: dates}
}

func TestDecideRefusals(t *testing.T) {
	const fr, de = "FR7630004008280001012345691", "DE89370400440532013000"
	active := MandateHistory{RUM: "R1", Signed: "2025-01-15", Scheme: "CORE", Kind: MandateRecurrent, Status: MandateActive}
	with := func(f func(*MandateHistory)) *MandateHistory { h := active; f(&h); return &h }
	for _, tc := range []struct {
		name   string
		c      DebitCase
		run    MandateRun
		policy func(*DebitPolicy)
		codes  string // the reasons' codes, in order
		todo   Todo
	}{
		{name: "accepted", c: DebitCase{Mandate: &active}},
		{name: "no mandate", c: DebitCase{}, codes: "no-mandate", todo: TodoCorrect},
		{name: "not in euros", c: DebitCase{Currency: "USD", Mandate: &active}, codes: "currency", todo: TodoUnpoint},
		{name: "no amount", c: DebitCase{Amount: 0, Mandate: &active}, codes: "amount", todo: TodoCorrect},
		{name: "larger than a file may carry", c: DebitCase{Amount: 60000, Mandate: &active}, policy: func(p *DebitPolicy) { p.MaxAmount = 50000 },
			codes: "over-file-max", todo: TodoUnpoint},
		{name: "blocked mandate", c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Status = MandateBlocked })},
			codes: "mandate-blocked", todo: TodoCorrect},
		{name: "revoked mandate", c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Status = MandateRevoked })},
			codes: "mandate-status", todo: TodoUnpoint},
		{name: "no signature date", c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Signed = "" })},
			codes: "mandate-unsigned", todo: TodoCorrect},
		{name: "36 months without a collection", c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Signed, h.LastCollection = "2019-01-01", "2023-11-21" })},
			codes: "mandate-expired", todo: TodoUnpoint},
		{name: "one-off mandate used before", c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Kind, h.LastCollection = MandateOneOff, "2026-10-01" })},
			codes: "one-off-used", todo: TodoUnpoint},
		{name: "one-off mandate collected by another receivable of the run",
			c: DebitCase{Mandate: with(func(h *MandateHistory) { h.Kind = MandateOneOff })}, run: MandateRun{OneOffBy: "F0"},
			codes: "one-off-in-run", todo: TodoUnpoint},
		{name: "forced date on the pending first collection",
			c:      DebitCase{Due: "2026-12-03", Mandate: with(func(h *MandateHistory) { h.LastCollection, h.PendingFirst = "2026-12-03", "2026-12-03" })},
			policy: func(p *DebitPolicy) { *p = debitPolicy(t, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) },
			codes:  "first-pending", todo: TodoLater},
		{name: "national file and a German account", c: DebitCase{IBAN: de, Mandate: &active}, policy: func(p *DebitPolicy) { p.National = true },
			codes: "not-french", todo: TodoUnpoint},
		{name: "national file and a French account", c: DebitCase{IBAN: fr, Mandate: &active}, policy: func(p *DebitPolicy) { p.National = true }},
		{name: "every reason at once, in order",
			c:     DebitCase{Currency: "CHF", Amount: 0, Mandate: with(func(h *MandateHistory) { h.Status, h.Signed = MandateBlocked, "" })},
			codes: "currency amount mandate-blocked mandate-unsigned", todo: TodoUnpoint},
	} {
		p := debitPolicy(t, time.Time{})
		if tc.policy != nil {
			tc.policy(&p)
		}
		c := tc.c
		if c.Currency == "" {
			c.Currency = "EUR"
		}
		if c.Amount == 0 && tc.name != "no amount" && !strings.Contains(tc.name, "every reason") {
			c.Amount = 1000
		}
		if c.Due == "" {
			c.Due = "2026-12-01"
		}
		run := tc.run
		d := run.Decide(c, p)
		var codes []string
		for _, r := range d.Reasons {
			codes = append(codes, string(r.Code))
		}
		if got := strings.Join(codes, " "); got != tc.codes || d.Reasons.Todo() != tc.todo {
			t.Errorf("%s: %q (todo %q), want %q (todo %q)\n%+v", tc.name, got, d.Reasons.Todo(), tc.codes, tc.todo, d.Reasons)
		}
		if d.Expired != (tc.codes == "mandate-expired") {
			t.Errorf("%s: expired %v", tc.name, d.Expired)
		}
	}
}

// A run's receivables on one mandate, in the order the run meets them.
func TestDecideAlongAMandate(t *testing.T) {
	type step struct{ doc, due, want string } // want: "SEQ date [amendment]"
	fresh := MandateHistory{RUM: "R1", Signed: "2025-01-15", Scheme: "CORE", Kind: MandateRecurrent, Status: MandateActive}
	for _, tc := range []struct {
		name     string
		h        MandateHistory
		iban     string
		rcurOnly bool
		forced   time.Time
		steps    []step
		policy   int // receivables counted as first collections sent as RCUR
	}{
		{name: "a new mandate: FRST, then RCUR after the first's date", h: fresh, steps: []step{
			{"F1", "2026-12-01", "FRST 2026-12-01"}, {"F2", "2026-12-01", "RCUR 2026-12-02"}, {"F3", "2026-12-15", "RCUR 2026-12-15"}}},
		{name: "a first collection still at the bank", h: func() MandateHistory {
			h := fresh
			h.LastCollection, h.LastIBAN, h.PendingFirst = "2026-11-30", "FR7630004008280001012345691", "2026-11-30"
			return h
		}(), iban: "FR7630004008280001012345691", steps: []step{
			{"F1", "2026-11-25", "RCUR 2026-12-01"}, {"F2", "2026-12-10", "RCUR 2026-12-10"}}},
		{name: "RCUR-only policy: every collection RCUR, counted once", h: fresh, rcurOnly: true, steps: []step{
			{"F1", "2026-12-01", "RCUR 2026-12-01"}, {"F2", "2026-12-01", "RCUR 2026-12-01"}}, policy: 1},
		{name: "a new account announced once", h: func() MandateHistory {
			h := fresh
			h.LastCollection, h.LastIBAN = "2026-10-01", "FR1420041010050500013M02606"
			return h
		}(), iban: "FR7630004008280001012345691", steps: []step{
			{"F1", "2026-12-01", "RCUR 2026-12-01 SMNDA"}, {"F2", "2026-12-08", "RCUR 2026-12-08"}}},
		{name: "a one-off mandate", h: func() MandateHistory { h := fresh; h.Kind = MandateOneOff; return h }(), steps: []step{
			{"F1", "2026-12-01", "OOFF 2026-12-01"}, {"F2", "2026-12-02", "refused one-off-in-run"}}},
		{name: "a forced date", h: fresh, forced: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), steps: []step{
			{"F1", "2026-12-20", "FRST 2026-12-03"}, {"F2", "2026-12-21", "refused first-pending"}}},
	} {
		p := debitPolicy(t, tc.forced)
		p.RCUROnly = tc.rcurOnly
		var run MandateRun
		policy := 0
		for _, s := range tc.steps {
			h := tc.h
			c := DebitCase{Document: s.doc, Currency: "EUR", Amount: 1000, Due: s.due, Mandate: &h, IBAN: tc.iban}
			d := run.Decide(c, p)
			got := d.Sequence + " " + d.Collection
			if d.Amendment.Account != "" {
				got += " " + d.Amendment.Account
			}
			if len(d.Reasons) > 0 {
				got = "refused " + string(d.Reasons[0].Code)
			} else if run.Accept(d, c, tc.rcurOnly) {
				policy++
			}
			if got != s.want {
				t.Errorf("%s, %s: %s, want %s", tc.name, s.doc, got, s.want)
			}
		}
		if policy != tc.policy {
			t.Errorf("%s: %d first collections counted as RCUR, want %d", tc.name, policy, tc.policy)
		}
	}
}
