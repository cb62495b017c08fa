package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// Regression: "and 1 more remitted receivables with new customer details":
// past the receivables an import names, the count agrees with its noun.
func TestKeptNotesAgree(t *testing.T) {
	for _, more := range []int{1, 2} {
		res := &remit.ImportResult{KeptCount: remit.MaxKept + more}
		for i := range remit.MaxKept {
			res.Kept = append(res.Kept, remit.KeptLine{Line: i + 2, Document: fmt.Sprint("F", i), Remittance: "001", Columns: []string{"iban"}})
		}
		notes := keptNotes(res)
		want := "and 1 more remitted receivable with new customer details, kept as remitted"
		if more == 2 {
			want = "and 2 more remitted receivables with new customer details, kept as remitted"
		}
		if len(notes) != 2 || notes[1] != want || !strings.HasSuffix(notes[0], "F2 (line 4, remittance 001) and 97 more: remitted with other customer details (iban): kept as remitted; "+
			"the new ones apply from the customer's next collection") {
			t.Errorf("%d more: %q", more, notes)
		}
	}
}

// Regression: verify said "… and 1 more problems".
func TestVerifyMoreProblemsAgree(t *testing.T) {
	for more, want := range map[int]string{1: "x.xml: … and 1 more problem\n", 7: "x.xml: … and 7 more problems\n"} {
		var b strings.Builder
		fileReport{Path: "x.xml", Problems: []string{"p"}, More: more, desc: "pain.008"}.print(&b)
		if !strings.Contains(b.String(), "\n"+want) {
			t.Errorf("%d more:\n%s", more, b.String())
		}
	}
}
