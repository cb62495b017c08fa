package csvin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/payables"
)

// parse reads one record into a payable, with every problem of the line:
// first what cannot be read (a date, an amount, a rate…), then the
// payable's rules (payables.Payable.Validate) for the columns that could.
func (rd *Reader) parse(ln *Line) {
	reported := map[string]bool{}
	bad := func(column, value string, err error) {
		if column != "" && reported[column] {
			return // one problem per column: the first says what to fix
		}
		reported[column] = true
		ln.Problems = append(ln.Problems, &remit.LineError{Line: ln.Num, Column: column, Value: value, Err: err})
	}
	if !rd.rd.Header.CheckWidth(ln.Raw, bad) {
		return
	}
	raw := map[string]string{}
	for _, name := range payables.Columns {
		i := rd.rd.Header.Index(name)
		if i == 0 {
			continue
		}
		v, shown, err := rd.rd.Text(ln.Raw[i-1])
		if err != nil {
			bad(name, shown, err)
			continue
		}
		if v != "" {
			raw[name] = v
			ln.Value.Given = ln.Value.Given.With(name)
		}
	}
	p := readFields(raw, bad)
	for _, fe := range p.Validate() {
		bad(fe.Field, raw[fe.Field], fe.Err) // the line's own text, as the file has it
	}
	ln.Value.Payable, ln.Value.Line = p, ln.Num
}

// readFields turns the line's texts into a payable's values; what cannot
// be read is reported and left zero.
func readFields(raw map[string]string, bad func(column, value string, err error)) payables.Payable {
	p := payables.Payable{
		Document: raw["document"], Supplier: raw["supplier"], Name: raw["name"],
		Currency: strings.ToUpper(raw["currency"]), Journal: raw["journal"],
		IBAN: ident.NormalizeIBAN(raw["iban"]), BIC: strings.ToUpper(raw["bic"]),
		Address: remit.Address{Street: raw["street"], Building: raw["building"], Postcode: raw["postcode"],
			Town: raw["town"], Country: strings.ToUpper(raw["country"])},
		Label: raw["label"], Parent: raw["parent"],
	}
	if p.Currency == "" {
		p.Currency = payables.DefaultCurrency
	}
	if v, ok := raw["amount"]; ok {
		a, err := parseSignedAmount(v)
		if err != nil {
			bad("amount", v, err)
		}
		p.Amount = a
	}
	date := func(name string) time.Time {
		v, ok := raw[name]
		if !ok {
			return time.Time{}
		}
		d, err := remit.ParseDate(v)
		if err != nil {
			bad(name, v, err)
		}
		return d
	}
	p.Due, p.Issue, p.Discount.Until = date("due_date"), date("issue_date"), date("discount_until")
	if v, ok := raw["method"]; ok {
		m, err := payables.ParseMethod(v)
		if err != nil {
			bad("method", v, err)
		}
		p.Method = m
	}
	if v, ok := raw["priority"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > payables.MaxPriority {
			bad("priority", v, payables.ErrPriority)
		} else {
			p.Priority = n
		}
	}
	if v, ok := raw["discount_rate"]; ok {
		r, err := payables.ParseRate(v)
		if err != nil {
			bad("discount_rate", v, err)
		}
		p.Discount.Rate = r
	}
	yesNo := func(name string) bool {
		v, ok := raw[name]
		if !ok {
			return false
		}
		b, known := csvread.YesNo(v)
		if !known {
			bad(name, v, errors.New("want yes or no"))
		}
		return b
	}
	p.Approved = yesNo("approved")
	if yesNo("pointed") {
		p.Status = payables.StatusPointed
	}
	if v, ok := raw["contested"]; ok {
		// yes or no, or the reason of the dispute itself (litige qualité).
		if b, known := csvread.YesNo(v); known {
			p.Contested = b
		} else {
			p.Contested, p.ContestReason = true, v
		}
	}
	return p
}

// parseSignedAmount reads "1234.56", "-150,00" into cents: the
// receivables' remit.ParseAmount for the digits (same forms, same
// messages), and a leading minus for a credit note (avoir).
func parseSignedAmount(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if strings.HasPrefix(digits, "-") || strings.HasPrefix(digits, "+") {
		return 0, remit.ErrAmountFormat
	}
	a, err := remit.ParseAmount(digits)
	if errors.Is(err, remit.ErrAmountSign) {
		return 0, payables.ErrZeroAmount
	}
	if err != nil {
		return 0, err
	}
	if neg {
		a = -a
	}
	return a, nil
}
