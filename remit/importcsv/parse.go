package importcsv

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/text"
)

var errRequired = errors.New("required")

// lineParser reads one line into its Receivable, reporting every problem.
type lineParser struct {
	rd *csvread.Reader
	ln *Line
	r  *Receivable
}

// parse is the file's csvread.Parser.
func (f *File) parse(ln *Line) {
	p := &lineParser{rd: f.rd, ln: ln, r: &ln.Value}
	if !f.rd.Header.CheckWidth(ln.Raw, p.bad) {
		return
	}
	p.codes()
	p.payment()
	p.account()
	p.mandate()
	p.details()
	ln.Value.Hash = lineHash(&f.rd.Header, ln.Raw)
}

// bad reports a problem of the line. A column refused already is not
// reported again as "required": that would only repeat it.
func (p *lineParser) bad(column, value string, err error) {
	if column != "" && errors.Is(err, errRequired) {
		for _, le := range p.ln.Problems {
			if le.Column == column {
				return
			}
		}
	}
	p.ln.Problems = append(p.ln.Problems, &remit.LineError{Line: p.ln.Num, Column: column, Value: value, Err: err})
}

// get returns a column's text, trimmed; "" when absent, empty or refused.
func (p *lineParser) get(name string) string {
	i := p.rd.Header.Index(name)
	if i == 0 {
		return ""
	}
	v, shown, err := p.rd.Text(p.ln.Raw[i-1])
	if err != nil {
		p.bad(name, shown, err)
	}
	return v
}

// date returns a date column as YYYY-MM-DD; "" when absent or refused.
func (p *lineParser) date(name string, required bool) string {
	v := p.get(name)
	if v == "" {
		if required {
			p.bad(name, v, errRequired)
		}
		return ""
	}
	t, err := remit.ParseDate(v)
	if err != nil {
		p.bad(name, v, err)
		return ""
	}
	return remit.FormatDate(t)
}

// codes reads what identifies the receivable: its document, its
// customer, the amount and the dates.
func (p *lineParser) codes() {
	r := p.r
	r.Document = p.get("document")
	if r.Document == "" {
		p.bad("document", "", errRequired)
	} else if len(r.Document) > 64 {
		p.bad("document", r.Document, errors.New("longer than 64 characters"))
	} else if c, ok := text.Invisible(r.Document); ok {
		p.bad("document", r.Document, fmt.Errorf("contains the invisible or control character %U", c))
	} else if remit.IsFormula(r.Document) {
		p.bad("document", r.Document, remit.ErrFormula)
	}
	r.Customer.Code = p.get("customer")
	if code := r.Customer.Code; code == "" {
		p.bad("customer", "", errRequired)
	} else if c, ok := text.Invisible(code); ok {
		p.bad("customer", code, fmt.Errorf("contains the invisible or control character %U", c))
	} else if len(code) > 35 {
		p.bad("customer", code, errors.New("longer than 35 characters"))
	} else if remit.IsFormula(code) {
		p.bad("customer", code, remit.ErrFormula)
	}
	r.Customer.Name = p.get("name")
	if r.Customer.Name == "" {
		p.bad("name", "", errRequired)
	}
	if v := p.get("amount"); v == "" {
		p.bad("amount", v, errRequired)
	} else if a, err := remit.ParseAmount(v); err != nil {
		p.bad("amount", v, err)
	} else {
		r.Amount = a
	}
	r.Due = p.date("due_date", true)
	r.Issue = p.date("issue_date", false)
	if r.Issue != "" && r.Due != "" && r.Issue > r.Due {
		p.bad("issue_date", r.Issue, fmt.Errorf("after the due date %s", r.Due))
	}
}

// payment reads how the receivable is paid and booked.
func (p *lineParser) payment() {
	r := p.r
	m := strings.ToLower(p.get("method"))
	if v, ok := remit.PaymentMethods[m]; ok {
		r.Method = v
	} else {
		p.bad("method", m, errors.New("want sdd, lcr, chq, vir, esp, cb or empty"))
	}
	r.Currency = strings.ToUpper(p.get("currency"))
	if r.Currency == "" {
		r.Currency = "EUR"
	} else if len(r.Currency) != 3 || strings.Trim(r.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		p.bad("currency", r.Currency, errors.New("want an ISO 4217 code such as EUR"))
	}
	r.Journal = p.get("journal")
	if len(r.Journal) > 8 {
		p.bad("journal", r.Journal, errors.New("longer than 8 characters"))
	} else if remit.IsFormula(r.Journal) {
		p.bad("journal", r.Journal, remit.ErrFormula)
	}
}

// account reads the customer's bank account.
func (p *lineParser) account() {
	c := &p.r.Customer
	if v := p.get("iban"); v != "" {
		c.IBAN = ident.NormalizeIBAN(v)
		if err := ident.ValidateIBAN(c.IBAN); err != nil {
			p.bad("iban", v, ident.Reason(err, c.IBAN))
		}
	}
	if v := p.get("bic"); v != "" {
		c.BIC = strings.ToUpper(v)
		if err := ident.ValidateBIC(c.BIC); err != nil {
			p.bad("bic", v, ident.Reason(err, c.BIC))
		}
	}
}

// mandate reads the mandate the line names, if any.
func (p *lineParser) mandate() {
	r, m := p.r, &p.r.Mandate
	m.RUM = p.get("mandate")
	if m.RUM != "" {
		if err := ident.ValidateRUM(m.RUM); err != nil {
			p.bad("mandate", m.RUM, ident.Reason(err, m.RUM))
		}
	}
	m.Signed = p.date("mandate_signed", false)
	m.Scheme = strings.ToUpper(p.get("scheme"))
	switch m.Scheme {
	case "", "CORE", "B2B":
	default:
		p.bad("scheme", m.Scheme, errors.New("want CORE or B2B"))
	}
	m.Kind = strings.ToLower(p.get("mandate_type"))
	switch m.Kind {
	case "", remit.MandateRecurrent, remit.MandateOneOff:
	default:
		p.bad("mandate_type", m.Kind, errors.New("want recurrent or oneoff"))
	}
	m.LastCollected = p.date("mandate_last_collected", false)
	if m.RUM != "" {
		return
	}
	// A date says something happened to a mandate the line does not name:
	// an error. ERPs fill the scheme and the type of every line by default:
	// they describe a mandate, so without one they are ignored (remit sdd
	// refuses the receivable for its missing mandate).
	for _, c := range []string{"mandate_signed", "mandate_last_collected"} {
		if p.get(c) != "" {
			p.bad(c, p.get(c), errors.New("given without a mandate"))
		}
	}
	var unused []string
	for _, c := range []string{"scheme", "mandate_type"} {
		if p.get(c) != "" {
			unused = append(unused, c)
		}
	}
	r.unused = strings.Join(unused, " and ")
	m.Scheme, m.Kind = "", ""
}

// details reads the rest: the bill's acceptance, the customer's address,
// bank, SIREN and priority, the label, the cheque's number and drawer's
// bank, and the pointed column.
func (p *lineParser) details() {
	r, c := p.r, &p.r.Customer
	switch a := strings.ToLower(p.get("acceptance")); a {
	case "", "not_accepted":
		r.Acceptance = "not_accepted"
	case "accepted", "bor":
		r.Acceptance = a
	default:
		p.bad("acceptance", a, errors.New("want accepted, not_accepted or bor"))
	}
	c.Address = remit.Address{Street: p.get("street"), Building: p.get("building"), Postcode: p.get("postcode"), Town: p.get("town"),
		Country: strings.ToUpper(p.get("country"))}
	if c.Address.Country != "" {
		if err := ident.ValidateCountry(c.Address.Country); err != nil {
			p.bad("country", c.Address.Country, errors.New("not an ISO 3166 country code such as FR"))
		}
	}
	c.BankName = p.get("bank_name")
	if v := p.get("siren"); v != "" {
		c.SIREN = strings.ReplaceAll(v, " ", "")
		if err := ident.ValidateSIREN(c.SIREN); err != nil {
			p.bad("siren", v, ident.Reason(err, c.SIREN))
		}
	}
	if v := p.get("priority"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 99 {
			p.bad("priority", v, errors.New("want a whole number from 0 to 99"))
		}
		c.Priority = n
	}
	r.Label = p.get("label")
	if v := strings.ReplaceAll(p.get("cheque_number"), " ", ""); v != "" {
		r.Cheque = v
		if len(v) > remit.MaxChequeNumber || strings.Trim(v, "0123456789") != "" {
			p.bad("cheque_number", v, fmt.Errorf("want 1 to %d digits, as on the cheque's bottom line", remit.MaxChequeNumber))
		}
	}
	r.DrawerBank = p.get("drawer_bank")
	if v := strings.ToLower(p.get("pointed")); v != "" {
		switch yes, known := csvread.YesNo(v); {
		case !known:
			p.bad("pointed", v, errors.New("want yes or no"))
		case yes:
			r.Pointed = PointedYes
		default:
			r.Pointed = PointedNo
		}
	}
}

// lineHash sums a line's columns, in canonical order, each named.
func lineHash(h *csvread.Header, rec []string) string {
	sum := sha256.New()
	for _, c := range Columns {
		if i := h.Index(c); i != 0 {
			io.WriteString(sum, c)
			sum.Write([]byte{0x1f})
			io.WriteString(sum, strings.TrimSpace(rec[i-1]))
			sum.Write([]byte{0x1e})
		}
	}
	return hex.EncodeToString(sum.Sum(nil)[:16])
}
