package remit

import (
	"strings"
	"testing"
)

func TestCheckCheque(t *testing.T) {
	ok := ChequeCase{Currency: "EUR", Amount: 15000, Number: "0001234", Drawer: "Dupont SA"}
	for _, tt := range []struct {
		name   string
		change func(*ChequeCase)
		codes  string
		todo   Todo
		text   string
	}{
		{"good", func(*ChequeCase) {}, "", "", ""},
		{"one digit", func(c *ChequeCase) { c.Number = "7" }, "", "", ""},
		{"no number", func(c *ChequeCase) { c.Number = " " }, "cheque-number", TodoCorrect,
			"no cheque number: the slip lists each cheque by its number (import it in the cheque_number column)"},
		{"eight digits", func(c *ChequeCase) { c.Number = "12345678" }, "cheque-number", TodoCorrect,
			`cheque number "12345678": want 1 to 7 digits, as on the cheque's bottom line`},
		{"letters", func(c *ChequeCase) { c.Number = "12A4" }, "cheque-number", TodoCorrect, `cheque number "12A4": want 1 to 7 digits, as on the cheque's bottom line`},
		{"no drawer", func(c *ChequeCase) { c.Drawer = "" }, "name", TodoCorrect, "no drawer: the slip names whose account each cheque is drawn on (the customer's name)"},
		{"francs suisses", func(c *ChequeCase) { c.Currency = "CHF" }, "currency", TodoUnpoint, "currency CHF: a remise de chèques is in euros only"},
		{"everything", func(c *ChequeCase) { *c = ChequeCase{Currency: "USD", Amount: MaxAmount + 1} }, "currency amount cheque-number name", TodoUnpoint, ""},
	} {
		c := ok
		tt.change(&c)
		why := CheckCheque(c)
		var codes []string
		for _, r := range why {
			codes = append(codes, string(r.Code))
		}
		if got := strings.Join(codes, " "); got != tt.codes {
			t.Errorf("%s: reasons %q, want %q", tt.name, got, tt.codes)
		}
		if len(why) > 0 && (why.Todo() != tt.todo || (tt.text != "" && why[0].Text != tt.text)) {
			t.Errorf("%s: %v (todo %s), want %q (todo %s)", tt.name, why.Texts(), why.Todo(), tt.text, tt.todo)
		}
	}
}
