package remit

import (
	"strings"
	"testing"
)

func TestTodoAdvice(t *testing.T) {
	var why reasons
	why.add(TodoLater, "a")
	why.add(TodoUnpoint, "b")
	why.add(TodoCorrect, "c")
	if why.todo != TodoUnpoint || len(why.list) != 3 {
		t.Errorf("the most to do wins: %+v", why)
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
