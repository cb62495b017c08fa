package remit

import (
	"strings"
	"testing"
)

func TestTodoAdvice(t *testing.T) {
	var why Reasons
	why.Add(ReasonDuePassed, TodoLater, "a")
	why.Add(ReasonCurrency, TodoUnpoint, "b")
	why.Add(ReasonName, TodoCorrect, "c")
	if why.Todo() != TodoUnpoint || len(why) != 3 {
		t.Errorf("the most to do wins: %+v", why)
	}
	if got := (Reasons{{Todo: TodoLater}, {Todo: TodoLater}}).Todo(); got != TodoLater {
		t.Errorf("later only: %q", got)
	}
	if got := (Reasons{}).Todo(); got != "" {
		t.Errorf("nothing refused: %q", got)
	}
	masked := (Reasons{{Text: "IBAN DE89370400440532013000 is not French"}}).Texts()[0]
	if strings.Contains(masked, "0532013000") {
		t.Errorf("an IBAN is masked in the stored text: %s", masked)
	}
	for doc, want := range map[string]string{
		"F2026-0079":  "remit unpoint --document F2026-0079,",
		"F 2026/1":    "remit unpoint --document 'F 2026/1',",
		"L'atelier;1": `remit unpoint --document 'L'\''atelier;1',`,
	} {
		if got := TodoUnpoint.Advice(doc); !strings.Contains(got, want) {
			t.Errorf("%q: %s", doc, got)
		}
	}
}
