package payables

import (
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Columns are the payables import's columns, in canonical order; the
// first RequiredColumns are required. Field errors name them too.
var Columns = []string{
	"document", "supplier", "name", "amount", "due_date",
	"method", "currency", "issue_date", "journal", "iban", "bic",
	"street", "building", "postcode", "town", "country",
	"priority", "label", "discount_rate", "discount_until", "parent",
	"approved", "contested", "pointed",
}

// RequiredColumns is how many of Columns a file must have.
const RequiredColumns = 5

var columnIndex = func() map[string]int {
	m := make(map[string]int, len(Columns))
	for i, c := range Columns {
		m[c] = i
	}
	return m
}()

// IsColumn reports whether name is one of Columns.
func IsColumn(name string) bool {
	_, ok := columnIndex[name]
	return ok
}

// ColumnSet is a set of Columns.
type ColumnSet uint32

// With returns s with the named column in it (an unknown name changes nothing).
func (s ColumnSet) With(name string) ColumnSet {
	if i, ok := columnIndex[name]; ok {
		return s | 1<<i
	}
	return s
}

// Has reports whether the named column is in s.
func (s ColumnSet) Has(name string) bool {
	i, ok := columnIndex[name]
	return ok && s&(1<<i) != 0
}

// Column returns p's value for an import column, in the canonical form a
// file would hold it: amounts "1234.56", dates YYYY-MM-DD, booleans yes or
// no, the contest its reason (or yes), the rate a decimal percentage.
func (p Payable) Column(name string) string {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(remit.DateLayout)
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	switch name {
	case "document":
		return p.Document
	case "supplier":
		return p.Supplier
	case "name":
		return p.Name
	case "amount":
		return remit.FormatAmount(p.Amount)
	case "due_date":
		return date(p.Due)
	case "method":
		return string(p.Method)
	case "currency":
		return p.Currency
	case "issue_date":
		return date(p.Issue)
	case "journal":
		return p.Journal
	case "iban":
		return p.IBAN
	case "bic":
		return p.BIC
	case "street":
		return p.Address.Street
	case "building":
		return p.Address.Building
	case "postcode":
		return p.Address.Postcode
	case "town":
		return p.Address.Town
	case "country":
		return p.Address.Country
	case "priority":
		return strconv.Itoa(p.Priority)
	case "label":
		return p.Label
	case "discount_rate":
		if p.Discount.Rate == 0 {
			return ""
		}
		return p.Discount.Rate.Decimal()
	case "discount_until":
		return date(p.Discount.Until)
	case "parent":
		return p.Parent
	case "approved":
		return yes(p.Approved)
	case "contested":
		if p.Contested && p.ContestReason != "" {
			return p.ContestReason
		}
		return yes(p.Contested)
	case "pointed":
		return yes(p.status() == StatusPointed)
	}
	return ""
}
