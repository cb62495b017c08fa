package remit

import "strings"

// ChequeCase is a pointed received cheque as a remise de chèques checks it.
type ChequeCase struct {
	Currency string
	Amount   int64
	Number   string // the cheque's number, as on its bottom line
	Drawer   string // the tireur: whose account it is drawn on (the customer's name)
}

// MaxChequeNumber is the length of a cheque's number: 7 digits on the
// bottom line (ligne CMC7) of a French cheque.
const MaxChequeNumber = 7

// CheckCheque is every reason a remise de chèques refuses a cheque: the bank
// takes euros only, and its slip lists each cheque by its number and its
// drawer.
func CheckCheque(c ChequeCase) Reasons {
	var why Reasons
	if c.Currency != "EUR" {
		why.Add(ReasonCurrency, TodoUnpoint, "currency %s: a remise de chèques is in euros only", c.Currency)
	}
	if c.Amount > MaxAmount {
		why.Add(ReasonAmount, TodoUnpoint, "amount %s EUR is over %s EUR", FormatAmountFR(c.Amount), FormatAmountFR(MaxAmount))
	}
	switch n := strings.TrimSpace(c.Number); {
	case n == "":
		why.Add(ReasonChequeNumber, TodoCorrect, "no cheque number: the slip lists each cheque by its number (import it in the cheque_number column)")
	case len(n) > MaxChequeNumber || strings.Trim(n, "0123456789") != "":
		why.Add(ReasonChequeNumber, TodoCorrect, "cheque number %q: want 1 to %d digits, as on the cheque's bottom line", c.Number, MaxChequeNumber)
	}
	if strings.TrimSpace(c.Drawer) == "" {
		why.Add(ReasonName, TodoCorrect, "no drawer: the slip names whose account each cheque is drawn on (the customer's name)")
	}
	return why
}
