package accounting

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
)

var rem = remit.Remittance{ID: 2, Ref: "002", CreatedAt: time.Date(2026, 11, 22, 15, 4, 5, 0, time.UTC)}

// book applies the collection rule to items as the store does: groups
// counted first, then the items' lines in order. It returns the lines,
// one per row (écriture: its index, journal and date; line, account [aux],
// piece, label, side, amount [lettering]), sorted by écriture and line.
func book(t *testing.T, o Options, items []CollectionItem) (string, error) {
	return bookBanked(t, o, Banking{}, items)
}

func bookBanked(t *testing.T, o Options, banking Banking, items []CollectionItem) (string, error) {
	t.Helper()
	o, err := o.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ journal, coll string }
	counts := map[key]*ItemGroup{}
	var groups []ItemGroup
	var order []key
	for _, it := range items {
		k := key{it.Journal, ""}
		if o.Date == DateCollection {
			k.coll = it.Collection
		}
		if counts[k] == nil {
			counts[k] = &ItemGroup{Journal: k.journal, Collection: k.coll}
			order = append(order, k)
		}
		counts[k].Count++
		counts[k].Total += it.Amount
	}
	for _, k := range order {
		groups = append(groups, *counts[k])
	}
	c, err := NewCollection(o, rem, banking, groups)
	if err != nil {
		return "", err
	}
	type row struct {
		e   int
		seq int64
		s   string
	}
	var rows []row
	add := func(e *CollectionEcriture, l Line) {
		side, amount := "D", l.Debit
		if l.Credit > 0 {
			side, amount = "C", l.Credit
		}
		account := l.Account
		if l.Aux != "" {
			account += " " + l.Aux
		}
		s := fmt.Sprintf("%d %s %s .%d %s %s %q %s %s", e.Index, e.Journal, e.Date, l.Seq, account, l.Piece, l.Label, side,
			remit.FormatAmount(amount))
		if l.Lettering.Code != "" {
			s += " " + l.Lettering.Code + " " + l.Lettering.On
		}
		rows = append(rows, row{e.Index, l.Seq, s})
	}
	for _, e := range c.Ecritures() {
		if e.Centralized {
			add(e, e.CentralLine())
		}
	}
	var lines []Line
	for i := range items {
		var e *CollectionEcriture
		e, lines = c.Lines(lines[:0], &items[i])
		for _, l := range lines {
			add(e, l)
		}
	}
	if err := c.Err(); err != nil {
		return "", err
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].e < rows[j].e || rows[i].e == rows[j].e && rows[i].seq < rows[j].seq
	})
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.s + "\n")
	}
	return b.String(), nil
}

func item(id int64, doc, customer string, amount int64, due, journal string) CollectionItem {
	return CollectionItem{ID: id, Receivable: id, Amount: amount, Due: due, Collection: due, Document: doc, Customer: customer,
		Name: "Client " + customer, Journal: journal}
}

func TestCollection(t *testing.T) {
	items := []CollectionItem{
		item(1, "F1", "411A", 1000, "2026-12-01", ""),
		item(2, "F2", "411B", 2050, "2027-01-04", "rt"),
		item(3, "F3", "411A", 3000, "2026-12-01", " RT "),
		item(4, "F4", "411C", 400, "2026-12-15", "BQ"),
	}
	booked := append([]CollectionItem(nil), items...)
	booked[2].Booked = true
	for _, tc := range []struct {
		name  string
		o     Options
		items []CollectionItem
		want  string
	}{
		{"one line per payment, per journal", Options{}, items, `
0 BQ 2026-11-22 .1 512000 F1 "Recettes au 22/11/26" D 10.00
0 BQ 2026-11-22 .2 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
0 BQ 2026-11-22 .3 512000 F4 "Recettes au 22/11/26" D 4.00
0 BQ 2026-11-22 .4 411000 411C F4 "F4 Client 411C" C 4.00 AAD 2026-11-22
1 RT 2026-11-22 .1 512000 F2 "Recettes au 22/11/26" D 20.50
1 RT 2026-11-22 .2 411000 411B F2 "F2 Client 411B" C 20.50 AAB 2026-11-22
1 RT 2026-11-22 .3 512000 F3 "Recettes au 22/11/26" D 30.00
1 RT 2026-11-22 .4 411000 411A F3 "F3 Client 411A" C 30.00 AAC 2026-11-22
`},
		{"centralised, the customer's code as account", Options{Centralize: true, Direct: true, Journal: "bq2", Counterpart: "512100",
			Journals: map[string]JournalOptions{"rt": {Counterpart: "5112", Label: "Remises"}}}, items, `
0 BQ 2026-11-22 .1 512100 Remise 002 "Recettes au 22/11/26" D 4.00
0 BQ 2026-11-22 .2 411C F4 "F4 Client 411C" C 4.00 AAD 2026-11-22
1 BQ2 2026-11-22 .1 512100 Remise 002 "Recettes au 22/11/26" D 10.00
1 BQ2 2026-11-22 .2 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
2 RT 2026-11-22 .1 5112 Remise 002 "Recettes au 22/11/26" D 50.50
2 RT 2026-11-22 .2 411B F2 "F2 Client 411B" C 20.50 AAB 2026-11-22
2 RT 2026-11-22 .3 411A F3 "F3 Client 411A" C 30.00 AAC 2026-11-22
`},
		{"dated by collection, masked counterpart", Options{Date: DateCollection, Counterpart: "09AAMM00", Labels: map[Kind]string{KindCollection: "Prélèvements du JJ/MM/AAAA"},
			CustomerLabel: "{customer} {doc} {journal}", AccountLabels: map[string]string{"0927": "Effets 2027"}}, items, `
0 BQ 2026-12-01 .1 09261200 F1 "Prélèvements du 01/12/2026" D 10.00
0 BQ 2026-12-01 .2 411000 411A F1 "411A F1 BQ" C 10.00 AAA 2026-12-01
1 RT 2026-12-01 .1 09261200 F3 "Prélèvements du 01/12/2026" D 30.00
1 RT 2026-12-01 .2 411000 411A F3 "411A F3 RT" C 30.00 AAC 2026-12-01
2 BQ 2026-12-15 .1 09261200 F4 "Prélèvements du 15/12/2026" D 4.00
2 BQ 2026-12-15 .2 411000 411C F4 "411C F4 BQ" C 4.00 AAD 2026-12-15
3 RT 2027-01-04 .1 09270100 F2 "Prélèvements du 04/01/2027" D 20.50
3 RT 2027-01-04 .2 411000 411B F2 "411B F2 RT" C 20.50 AAB 2027-01-04
`},
		// A receivable with earlier entries is lettered again once the
		// écriture is recorded (Letter), from all its lines.
		{"a receivable booked before", Options{Journal: "RT"}, booked, `
0 BQ 2026-11-22 .1 512000 F4 "Recettes au 22/11/26" D 4.00
0 BQ 2026-11-22 .2 411000 411C F4 "F4 Client 411C" C 4.00 AAD 2026-11-22
1 RT 2026-11-22 .1 512000 F1 "Recettes au 22/11/26" D 10.00
1 RT 2026-11-22 .2 411000 411A F1 "F1 Client 411A" C 10.00 AAA 2026-11-22
1 RT 2026-11-22 .3 512000 F2 "Recettes au 22/11/26" D 20.50
1 RT 2026-11-22 .4 411000 411B F2 "F2 Client 411B" C 20.50 AAB 2026-11-22
1 RT 2026-11-22 .5 512000 F3 "Recettes au 22/11/26" D 30.00
1 RT 2026-11-22 .6 411000 411A F3 "F3 Client 411A" C 30.00
`},
	} {
		got, err := book(t, tc.o, tc.items)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if want := strings.TrimLeft(tc.want, "\n"); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, want)
		}
	}
}

// A masked counterpart's label follows the account of each due date.
func TestCollectionCounterpartByDueDate(t *testing.T) {
	o, _ := Options{Counterpart: "09AAMM00", AccountLabels: map[string]string{"0926": "Effets 2026", "092701": "Effets janvier"}}.Normalize()
	c, _ := NewCollection(o, rem, Banking{}, []ItemGroup{{Count: 1, Total: 100}})
	e := c.Ecritures()[0]
	for due, want := range map[string]string{"2026-12-15": "09261200 Effets 2026", "2027-01-04": "09270100 Effets janvier",
		"2027-02-01": "09270200 Compte 09270200"} {
		if a, l := e.CounterpartFor(due); a+" "+l != want {
			t.Errorf("%s: %s %s, want %s", due, a, l, want)
		}
	}
	if !e.Masked() || e.Lines() != 2 {
		t.Errorf("masked %v, %d lines", e.Masked(), e.Lines())
	}
}

// An amount that is not positive cannot be booked: Err names the first
// such line in écriture order, whatever order the items come in.
func TestCollectionRefusesAmountNotPositive(t *testing.T) {
	items := []CollectionItem{
		item(1, "F1", "411A", 1000, "2026-12-01", "RT"),
		item(2, "F2", "411B", 0, "2026-12-01", "RT"),
		item(3, "F3", "411C", -500, "2026-12-01", ""),
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{}, "line 1 (512000 F3): debit -5.00, credit 0.00: exactly one must be positive"},
		{Options{Centralize: true}, "line 1 (512000 Remise 002): debit -5.00, credit 0.00: exactly one must be positive"},
		{Options{Journal: "RT", Journals: map[string]JournalOptions{"RT": {Counterpart: "5112"}}},
			"line 3 (5112 F2): debit 0.00, credit 0.00: exactly one must be positive"},
	} {
		if _, err := book(t, tc.o, items); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

// A remittance's bank is debited when the configured counterpart is a
// bank's account; an intermediate account (511, 413, a masked one) and a
// journal's own counterpart are kept; the account a kind books its
// remittances on (a remise de chèques, 511…) wins over all.
func TestCollectionBanking(t *testing.T) {
	items := []CollectionItem{item(1, "F1", "411A", 1000, "2026-12-01", ""), item(2, "F2", "411B", 2050, "2026-12-15", "RT")}
	bank := Banking{Bank: "BQ2", Account: "512200"}
	rt := map[string]JournalOptions{"RT": {Counterpart: "5112"}}
	for _, tc := range []struct {
		name string
		o    Options
		b    Banking
		want string
	}{
		{"the bank's account for the configured 512000", Options{Journals: rt}, bank, `
0 BQ 2026-11-22 .1 512200 F1 "Recettes au 22/11/26" D 10.00
1 RT 2026-11-22 .1 5112 F2 "Recettes au 22/11/26" D 20.50
`},
		{"an intermediate account kept", Options{Counterpart: "511200"}, bank, `
0 BQ 2026-11-22 .1 511200 F1 "Recettes au 22/11/26" D 10.00
1 RT 2026-11-22 .1 511200 F2 "Recettes au 22/11/26" D 20.50
`},
		{"no bank: the configured account", Options{}, Banking{}, `
0 BQ 2026-11-22 .1 512000 F1 "Recettes au 22/11/26" D 10.00
1 RT 2026-11-22 .1 512000 F2 "Recettes au 22/11/26" D 20.50
`},
		{"booked on 511 by its kind", Options{Journals: rt}, Banking{Bank: "BQ2", Account: "512200", BookedOn: "511200"}, `
0 BQ 2026-11-22 .1 511200 F1 "Recettes au 22/11/26" D 10.00
1 RT 2026-11-22 .1 511200 F2 "Recettes au 22/11/26" D 20.50
`},
	} {
		got, err := bookBanked(t, tc.o, tc.b, items)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var debits []string
		for _, l := range strings.SplitAfter(got, "\n") {
			if strings.Contains(l, "\" D ") {
				debits = append(debits, l)
			}
		}
		if want := strings.TrimLeft(tc.want, "\n"); strings.Join(debits, "") != want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, want)
		}
	}
	o, _ := Options{Centralize: true}.Normalize()
	_, err := NewCollection(o, rem, Banking{Bank: "BQ9", Account: "512AAMM"}, nil)
	if !errors.Is(err, ErrMaskedCentralized) || !strings.HasPrefix(err.Error(), "centralisation with bank BQ9's account 512AAMM: ") {
		t.Errorf("a masked bank's account centralised: %v", err)
	}
}
