package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// pointCSV has what an ERP exports for a month: debits, bills and cheques
// in euros, and what no remittance collects (card, cash-like, no method,
// other currencies).
const pointCSV = `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;currency;priority;town;country
F1;411A;Alpha;100,00;2026-11-25;sdd;FR7630004008280001012345691;RUM-A;2025-01-15;EUR;50;Lyon;FR
F2;411B;Beta;200,00;2026-11-26;lcr;FR1420041010050500013M02606;;;EUR;0;Lille;FR
F3;411C;Gamma;300,00;2026-11-26;chq;;;;EUR;0;Lyon;FR
F4;411D;Delta;400,00;2026-11-27;cb;;;;EUR;0;Lyon;FR
F5;411E;Epsilon;500,00;2026-11-27;;;;;EUR;0;Lyon;FR
F6;411F;Zeta;600,00;2026-11-28;vir;;;;CHF;0;Genève;CH
F7;411G;Eta;700,00;2026-11-28;sdd;FR7630006000011234567890189;RUM-G;2025-01-15;CHF;0;Lyon;FR
F8;411H;Theta;800,00;2026-11-24;sdd;FR7630006000011234567890189;RUM-H;2025-01-15;EUR;0;Lyon;FR
`

// Regression (issue 15, items 7, 8 and 11): point without filters took
// cheques, card, no-method and CHF receivables and re-pointed a rejected
// debit; its total added francs to euros; priority was upside down.
func TestPointTakesWhatARemittanceCollects(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", pointCSV))
	c.must("point", "--document", "F8")
	c.must("sdd")
	c.must("reject", "F8", "--reason", "AM04", "--date", "2026-11-22")

	out := c.must("point")
	want := `F1             411A         Alpha                      2026-11-25         100,00 EUR
F2             411B         Beta                       2026-11-26         200,00 EUR
F3             411C         Gamma                      2026-11-26         300,00 EUR
pointed 3 receivables, total 600,00 EUR
not pointed: 1 receivable without a payment method: no remittance collects it (name it with --document to point it anyway)
not pointed: 1 receivable by card (cb): no remittance collects it (name it with --document to point it anyway)
not pointed: 1 receivable in CHF: SDD remittances are in EUR only (name it with --document to point it anyway)
not pointed: 1 receivable by transfer (vir): no remittance collects it (name it with --document to point it anyway)
not pointed: 1 receivable rejected (it came back unpaid): pointed again only when asked for (point it with --status rejected or --document)
`
	if out != want {
		t.Errorf("point:\n%s\nwant:\n%s", out, want)
	}
	// Asked for by document or by status, they are pointed.
	if out := c.must("point", "--document", "F6"); !strings.HasSuffix(out, "\npointed 1 receivable, total 600,00 CHF\n") {
		t.Errorf("point --document F6:\n%s", out)
	}
	if out := c.must("point", "--status", "rejected"); !strings.HasSuffix(out, "\npointed 1 receivable, total 800,00 EUR\n") {
		t.Errorf("point --status rejected:\n%s", out)
	}
	// Every total per currency, each with its own count.
	out = c.must("list", "--status", "pointed")
	if !strings.HasSuffix(out, "\n1 receivable, total 600,00 CHF\n4 receivables, total 1 400,00 EUR\n") {
		t.Errorf("list:\n%s", out)
	}
	out = c.must("unpoint", "--document", "F6", "--document", "F1")
	want = `F1             411A         Alpha                      2026-11-25         100,00 EUR
F6             411F         Zeta                       2026-11-28         600,00 CHF
unpointed 2 receivables:
  1 receivable, total 600,00 CHF
  1 receivable, total 100,00 EUR
`
	if out != want {
		t.Errorf("unpoint:\n%s\nwant:\n%s", out, want)
	}
}

// Regression (issue 15, item 7): seed 002, "De 0 à 99, 0 est le plus
// prioritaire et 99 le moins": with a target, priority 0 goes first.
func TestPointTargetPriorityZeroFirst(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", pointCSV))
	// F1 (priority 50) is due first; F2 (priority 0) is the most urgent.
	out := c.must("point", "--target", "250", "--order", "priority-due")
	want := `F2             411B         Beta                       2026-11-26         200,00 EUR
pointed 1 receivable, total 200,00 EUR (target 250,00 EUR)
`
	if !strings.HasPrefix(out, want) {
		t.Errorf("point --target:\n%s\nwant first:\n%s", out, want)
	}
}

// Regression (issue 15, item 8): remit list --format json was a bare array
// with no totals, so a program had to add the amounts itself, francs and
// euros together. It prints the receivables, then one total per currency
// with its own count, and the note the table prints.
func TestListJSONTotalsPerCurrency(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", pointCSV))
	c.must("point", "--document", "F7")
	// F7 is refused (an SDD is in euros): its amount says its currency,
	// in the text and in the JSON.
	out, _, code := c.run("", "sdd")
	if want := "  F7 411G 700,00 CHF: currency CHF: SEPA direct debits are in euros only\n"; code != 5 || !strings.Contains(out, want) {
		t.Errorf("sdd: exit %d\n%s\nwant\n%s", code, out, want)
	}
	out, _, code = c.run("", "sdd", "--json")
	if !strings.Contains(out, `"amount": "700.00",
      "currency": "CHF",`) {
		t.Errorf("sdd --json: the refusal has no currency:\n%s", out)
	}
	// The outcome is in the object, as remit run says it (issue 17, item 3).
	if !strings.HasSuffix(out, "\"status\": \"refused\",\n  \"exit_status\": 5\n}\n") || code != 5 {
		t.Errorf("sdd --json: exit %d, want the status refused, exit 5, in the object:\n%s", code, out)
	}
	if out, _, code := c.run("", "lcr", "--json"); code != 0 || !strings.HasSuffix(out, "\"status\": \"nothing to do\",\n  \"exit_status\": 0\n}\n") {
		t.Errorf("lcr --json with nothing pointed: exit %d\n%s", code, out)
	}
	out = c.must("list", "--document", "F1", "--document", "F6", "--document", "F8", "--json")
	want := `{
  "receivables": [
    {"document":"F8","customer":"411H","name":"Theta","amount":"800.00","currency":"EUR","due_date":"2026-11-24","method":"sdd","journal":"","status":"open","remittance":null},
    {"document":"F1","customer":"411A","name":"Alpha","amount":"100.00","currency":"EUR","due_date":"2026-11-25","method":"sdd","journal":"","status":"open","remittance":null},
    {"document":"F6","customer":"411F","name":"Zeta","amount":"600.00","currency":"CHF","due_date":"2026-11-28","method":"vir","journal":"","status":"open","remittance":null}
  ],
  "totals": [{"currency":"CHF","count":1,"total":"600.00"},{"currency":"EUR","count":2,"total":"900.00"}]
}
`
	if out != want {
		t.Errorf("list --json:\n%s\nwant:\n%s", out, want)
	}
	var got struct {
		Receivables []map[string]any
		Totals      []struct {
			Currency, Total string
			Count           int
		}
		Notes []string
	}
	out = c.must("list", "--json", "--due-from", "2026-12-01", "--due-to", "2026-12-31")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(got.Receivables) != 0 || got.Totals == nil || len(got.Totals) != 0 ||
		len(got.Notes) != 1 || got.Notes[0] != "1 refused receivable is outside these due dates: remit list --refused" {
		t.Errorf("an empty list --json: %+v\n%s", got, out)
	}
}

// point and unpoint take --format json (issue 17, item 10), with one total
// per currency (issue 15, item 8) and what was not pointed, and why.
func TestPointJSON(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", pointCSV))
	var got struct {
		Count  int
		Totals []struct {
			Currency, Total string
			Count           int
		}
		Receivables []struct{ Document, Status, Currency string }
		NotPointed  []struct {
			Count  int
			Reason string
		} `json:"not_pointed"`
	}
	out := c.must("point", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("point --json: %v\n%s", err, out)
	}
	if got.Count != 4 || len(got.Totals) != 1 || got.Totals[0] != (struct {
		Currency, Total string
		Count           int
	}{"EUR", "1400.00", 4}) ||
		len(got.Receivables) != 4 || got.Receivables[0].Status != "pointed" || len(got.NotPointed) != 4 {
		t.Errorf("point --json: %+v\n%s", got, out)
	}
	c.must("point", "--document", "F6")
	out = c.must("unpoint", "--format", "json", "--document", "F1", "--document", "F6")
	got.Receivables, got.Totals, got.NotPointed = nil, nil, nil
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("unpoint --json: %v\n%s", err, out)
	}
	type total = struct {
		Currency, Total string
		Count           int
	}
	if got.Count != 2 || len(got.Totals) != 2 || got.Totals[0] != (total{"CHF", "600.00", 1}) ||
		got.Totals[1] != (total{"EUR", "100.00", 1}) || got.Receivables[0].Status != "open" || got.NotPointed != nil {
		t.Errorf("unpoint --json: %+v\n%s", got, out)
	}
}

// Regression: "1 receivable by card (cb): no remittance collects them":
// what point says of what it left agrees with the count, one or many.
func TestPointSaysItOrThem(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;currency;town;country
F1;411A;Alpha;100,00;2026-11-25;cb;;;;EUR;Lyon;FR
F2;411B;Beta;200,00;2026-11-26;cb;;;;EUR;Lyon;FR
F3;411C;Gamma;300,00;2026-11-26;vir;;;;EUR;Lyon;FR
F4;411D;Delta;400,00;2026-11-27;vir;;;;CHF;Genève;CH
F5;411E;Epsilon;500,00;2026-11-27;esp;;;;EUR;Lyon;FR
F6;411F;Zeta;600,00;2026-11-28;sdd;FR7630006000011234567890189;RUM-F;2025-01-15;CHF;Lyon;FR
F7;411G;Eta;700,00;2026-11-28;sdd;FR7630004008280001012345691;RUM-G;2025-01-15;CHF;Lyon;FR
F8;411H;Theta;800,00;2026-11-24;sdd;FR7630006000011234567890189;RUM-H;2025-01-15;EUR;Lyon;FR
F9;411I;Iota;900,00;2026-11-24;sdd;FR7630004008280001012345691;RUM-I;2025-01-15;EUR;Lyon;FR
`))
	c.must("point", "--document", "F8", "--document", "F9")
	c.must("sdd")
	c.must("reject", "F8", "--reason", "AM04")
	c.must("reject", "F9", "--reason", "AM04")
	want := `pointed 0 receivables
not pointed: 2 receivables by card (cb): no remittance collects them (name them with --document to point them anyway)
not pointed: 1 receivable in cash (esp): no remittance collects it (name it with --document to point it anyway)
not pointed: 2 receivables in CHF: SDD remittances are in EUR only (name them with --document to point them anyway)
not pointed: 2 receivables by transfer (vir): no remittance collects them (name them with --document to point them anyway)
not pointed: 2 receivables rejected (they came back unpaid): pointed again only when asked for (point them with --status rejected or --document)
`
	if out := c.must("point"); out != want {
		t.Errorf("point:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("point", "--document", "F6", "--document", "F7", "--target", "100"); !strings.HasSuffix(out,
		"not pointed: 2 receivables not in euros: the target is an amount in euros (point them without --target)\n") {
		t.Errorf("point --target, two in CHF:\n%s", out)
	}
	if out := c.must("point", "--document", "F6", "--target", "100"); !strings.HasSuffix(out,
		"not pointed: 1 receivable not in euros: the target is an amount in euros (point it without --target)\n") {
		t.Errorf("point --target, one in CHF:\n%s", out)
	}
	// The JSON says it alike.
	c.must("point", "--document", "F6", "--document", "F7")
	out := c.must("unpoint", "--document", "F7")
	if !strings.HasPrefix(out, "F7 ") {
		t.Errorf("unpoint F7:\n%s", out)
	}
	out = c.must("point", "--json", "--method", "esp")
	if !strings.Contains(out, `"reason": "in cash (esp): no remittance collects it",`) ||
		!strings.Contains(out, `"hint": "name it with --document to point it anyway"`) {
		t.Errorf("point --json:\n%s", out)
	}
	// So does sdd of what it refused.
	c.must("point", "--document", "F7")
	if out, _, code := c.run("", "sdd"); code != ExitRefused || !strings.Contains(out, "refused 2 receivables (left pointed; remit list --refused lists them):\n") {
		t.Errorf("sdd, two refused: exit %d\n%s", code, out)
	}
}
