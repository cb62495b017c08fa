package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// A file imported a batch at a time (its customers and mandates looked up
// together, lookUp) writes what the same file imported a line at a time
// (SkipInvalid) writes, row for row: known customers and mandates
// unchanged, changed by a line and named again by a later one with other
// details, a mandate's new IBAN, an earlier collection recorded once, new
// customers and mandates among the known ones, known ones after a batch of
// new ones, over several batches.
func TestImportBatchesWriteAsLines(t *testing.T) {
	const header = "document,customer,name,amount,due_date,method,iban,mandate,mandate_signed,scheme,mandate_last_collected,town,country,pointed\n"
	ibans := []string{"FR7630004008280001012345691", "FR7630006000011234567890189", "FR1420041010050500013M02606", "DE89370400440532013000"}
	line := func(doc string, cust int, name string, iban, last, town string) string {
		return fmt.Sprintf("%s,C%04d,%s,12.50,2027-01-05,sdd,%s,RUM-%04d,2025-01-15,CORE,%s,%s,FR,yes\n", doc, cust, name, iban, cust, last, town)
	}
	var first, second strings.Builder
	first.WriteString(header)
	for c := range 400 {
		first.WriteString(line(fmt.Sprintf("A%04d", c), c, fmt.Sprintf("Client %d", c), ibans[c%2], "2026-10-05", "Lyon"))
	}
	second.WriteString(header)
	// A first batch of new customers only: the next ones are inserted
	// first, until one is found there.
	for k := range importBatch {
		second.WriteString(line(fmt.Sprintf("N%04d", k), 2000+k, "New", ibans[0], "", "Lyon"))
	}
	for k := range 600 {
		// Customers 0 to 255, in blocks of 64: each one's first line, then
		// its second (one batch holds two blocks); then new ones.
		c, o := k/128*64+k%64, k%128/64
		name, iban, last, town := fmt.Sprintf("Client %d", c), ibans[c%2], "2026-10-05", "Lyon"
		switch {
		case k >= 512: // new customers and mandates
			c = 1000 + k
		case c%5 == 0:
			name = fmt.Sprintf("Client %d (%d)", c, o) // renamed, and again
		case c%17 == 0 && o == 0:
			name = "Renamed" // and back on its second line
		case c%7 == 0:
			iban = ibans[2+o] // a new account, then another
		case c%19 == 0 && o == 0:
			iban = ibans[3] // and back on its second line
		case c%11 == 0:
			last = fmt.Sprintf("2026-11-%02d", 5+o) // another earlier collection, then a third
		case c%13 == 0:
			town = "" // kept as the database has it
		}
		second.WriteString(line(fmt.Sprintf("B%04d", k), c, name, iban, last, town))
	}
	// Two earlier collections of one mandate, the first named again after
	// the second: recorded once each.
	for k, last := range []string{"2026-11-20", "2026-11-21", "2026-11-20"} {
		second.WriteString(line(fmt.Sprintf("C%04d", k), 300, "Client 300", ibans[0], last, "Lyon"))
	}
	dump := func(skip bool) map[string]string {
		st, cr := newTestStore(t)
		if res, err := importString(t, st, cr, first.String(), remit.ImportOptions{}); err != nil {
			t.Fatalf("first file: %v %v", err, res.Problems)
		}
		res, err := importString(t, st, cr, second.String(), remit.ImportOptions{SkipInvalid: skip})
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("second file (SkipInvalid %v): %v %v", skip, err, res.Problems)
		}
		out := map[string]string{}
		for _, table := range []string{"customers", "mandates", "mandate_history", "receivables"} {
			out[table] = tableRows(t, st.db, table)
		}
		return out
	}
	batched, lines := dump(false), dump(true)
	for table, want := range lines {
		if got := batched[table]; got != want {
			t.Errorf("%s imported in batches:\n%s\na line at a time:\n%s", table, got, want)
		}
	}
	if !strings.Contains(lines["mandates"], ibans[3]) || !strings.Contains(lines["customers"], "(1)") ||
		!strings.Contains(lines["mandate_history"], "2026-11-06") {
		t.Errorf("the second file's changes are not all there:\n%s\n%s", lines["customers"], lines["mandates"])
	}
}
