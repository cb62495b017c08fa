package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func testDueRows(customers, per int) []DueRow {
	names := []string{"Boulangerie Lefèvre", "Garage Muñoz & Cie", "Œuvres sociales du Comité", "Café « Le Relais »"}
	methods := []string{"LCR", "Prélèvement", "Chèque", ""}
	var rows []DueRow
	for c := range customers {
		for i := range per {
			amount := int64(5000 + (c*131+i*977)%900000)
			status := "Non réglée"
			if i == 1 {
				amount = -amount / 10 // credit note
				status = "Avoir"
			}
			rows = append(rows, DueRow{
				Customer:     fmt.Sprintf("411C%03d", c),
				CustomerName: names[c%len(names)],
				Document:     fmt.Sprintf("F2026-%03d-%02d", c, i),
				Issued:       day(2026, 10, 1+i%28),
				Due:          day(2026, 11, 1+(c+i)%30),
				Method:       methods[(c+i)%len(methods)],
				Journal:      "BQ1",
				Status:       status,
				Amount:       amount,
			})
		}
	}
	return rows
}

var testDueHeader = DueList{
	Company: "Société Cœur d’Épées & Fils",
	Filters: "Échéances du 01/11/2026 au 30/11/2026 · Clients : tous · Mode de règlement : tous · Journal : tous",
}

func writeTestDueList(t testing.TB, rows []DueRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	pages, err := WriteDueList(&buf, testDueHeader, slices.Values(rows), DueListOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != pages {
		t.Errorf("WriteDueList says %d pages, the PDF has %d", pages, got)
	}
	return buf.Bytes()
}

func TestDueList(t *testing.T) {
	rows := testDueRows(12, 7)
	b := writeTestDueList(t, rows)
	keepPDF(t, "duelist.pdf", b)
	pages := pdfPages(t, b)
	n := len(pages)
	if n < 2 {
		t.Fatalf("%d pages, want several", n)
	}
	for i, raw := range pages {
		p := squash(raw)
		mustContain(t, fmt.Sprintf("page %d", i+1), p, "Liste des échéances non réglées", "Société Cœur d’Épées & Fils",
			"Pièce Date pièce Échéance Retard (j) Mode Journal Statut Montant", fmt.Sprintf("Page %d/%d", i+1, n))
	}
	first := squash(pages[0])
	mustContain(t, "page 1", first, "ÉDITÉ LE", "24/11/2026 à 09:41",
		"Sélection Échéances du 01/11/2026 au 30/11/2026 · Clients : tous · Mode de règlement : tous · Journal : tous")
	all := squash(strings.Join(pages, "\n"))
	var total int64
	byCustomer := map[string]int64{}
	for _, r := range rows {
		late := ""
		if d := daysBetween(r.Due, clock); d > 0 {
			late = fmt.Sprint(d)
		}
		line := strings.Join(strings.Fields(strings.Join([]string{r.Document, formatDate(r.Issued), formatDate(r.Due),
			late, r.Method, r.Journal, r.Status, plain(r.Amount)}, " ")), " ")
		mustContain(t, "rows", all, "\n"+line+"\n")
		total += r.Amount
		byCustomer[r.Customer] += r.Amount
	}
	for c := range 12 {
		code := fmt.Sprintf("411C%03d", c)
		mustContain(t, "customers", all, code+" — "+rows[c*7].CustomerName,
			fmt.Sprintf("Total %s — 7 échéances %s", code, plain(byCustomer[code])))
	}
	mustContain(t, "total", all, fmt.Sprintf("TOTAL GÉNÉRAL — 84 échéances, 12 clients %s", plain(total)))
	// Overdue days from the clock: due 01/11/2026, printed 24/11/2026.
	mustContain(t, "late", all, "F2026-000-00 01/10/2026 01/11/2026 23 LCR BQ1 Non réglée")
	// A credit note is negative.
	if !regexp.MustCompile(`Avoir -\d+,\d\d €`).MatchString(all) {
		t.Error("credit notes should print as negative amounts")
	}
}

func TestDueListErrors(t *testing.T) {
	rows := testDueRows(3, 2)
	rows[5].Customer = rows[0].Customer
	var buf bytes.Buffer
	_, err := WriteDueList(&buf, testDueHeader, slices.Values(rows), DueListOptions{Now: clock})
	if !errors.Is(err, ErrNotGrouped) || !strings.Contains(err.Error(), "item 6 (F2026-002-01): Customer \"411C000\"") {
		t.Errorf("error %v", err)
	}
	if finished(buf.Bytes()) {
		t.Error("finished the PDF despite the error")
	}
	buf.Reset()
	if _, err := WriteDueList(&buf, DueList{Company: "X"}, slices.Values([]DueRow(nil)), DueListOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "empty", squash(pdfPages(t, buf.Bytes())[0]), "Aucune échéance ne correspond à la sélection.",
		"TOTAL GÉNÉRAL — 0 échéance, 0 client 0,00 €")
}

// Regression (issue 15, item 8): a CHF receivable printed with € and added
// into the euro total. Each currency gets its own amounts, subtotal and
// total, with its own counts of receivables and customers.
func TestDueListCurrencies(t *testing.T) {
	rows := []DueRow{
		{Customer: "411A", CustomerName: "Alpha", Document: "F1", Due: day(2026, 12, 1), Status: "Non réglée", Amount: 100000},
		{Customer: "411A", CustomerName: "Alpha", Document: "F2", Due: day(2026, 12, 2), Status: "Non réglée", Amount: 50000, Currency: "CHF"},
		{Customer: "411B", CustomerName: "Beta", Document: "F3", Due: day(2026, 12, 3), Status: "Non réglée", Amount: 25000, Currency: "EUR"},
		{Customer: "411C", CustomerName: "Gamma", Document: "F4", Due: day(2026, 12, 4), Status: "Non réglée", Amount: 10000, Currency: "CHF"},
	}
	b := writeTestDueList(t, rows)
	keepPDF(t, "duelist-currencies.pdf", b)
	all := squash(strings.Join(pdfPages(t, b), "\n"))
	mustContain(t, "rows", all, "F2 02/12/2026 Non réglée 500,00 CHF\n", "F1 01/12/2026 Non réglée 1 000,00 €\n")
	mustContain(t, "subtotals", all, "Total 411A — 1 échéance en EUR 1 000,00 €", "Total 411A — 1 échéance en CHF 500,00 CHF",
		"Total 411B — 1 échéance 250,00 €")
	// Each currency counts its own receivables and customers (the count of
	// customers went on the first line only, all currencies together).
	mustContain(t, "totals", all, "TOTAL GÉNÉRAL — 2 échéances, 2 clients en EUR 1 250,00 €",
		"TOTAL GÉNÉRAL — 2 échéances, 2 clients en CHF 600,00 CHF")
	if strings.Contains(all, "1 750,00") || strings.Contains(all, "1 850,00") {
		t.Error("euros and francs added together")
	}
}
