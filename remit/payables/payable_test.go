package payables

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

// Test accounts: valid IBANs of SEPA countries, and one outside SEPA.
const (
	ibanSun   = "FR7630004008280001012345691"
	ibanDurnd = "FR7617515900000801234567849"
	ibanCentr = "FR7630006000011234567890189"
	ibanDE    = "DE89370400440532013000"
	ibanTR    = "TR330006100519786457841326"
)

func day(s string) time.Time {
	t, err := time.Parse(remit.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// inv returns a valid transfer payable: an invoice, or a credit note for
// a negative amount.
func inv(doc, supplier string, cents int64, due string) Payable {
	return Payable{Document: doc, Supplier: supplier, Name: "SUN CHEMICAL", Amount: cents, Currency: "EUR",
		Due: day(due), Method: MethodTransfer, IBAN: ibanSun, Priority: 50}
}

func TestValidate(t *testing.T) {
	ok := inv("FA-2026-118", "401SUN", 120000, "2026-12-15")
	for _, tc := range []struct {
		name string
		edit func(p *Payable)
		want []string // "field: sentinel text" of each problem, in order
		is   []error
	}{
		{"valid invoice", func(p *Payable) {}, nil, nil},
		{"valid credit note", func(p *Payable) { p.Amount = -15000 }, nil, nil},
		{"valid cheque without IBAN", func(p *Payable) { p.Method, p.IBAN = MethodCheque, "" }, nil, nil},
		{"valid without method", func(p *Payable) { p.Method, p.IBAN = MethodNone, "" }, nil, nil},
		{"every required field missing at once", func(p *Payable) { *p = Payable{Currency: "EUR"} },
			[]string{"document", "supplier", "name", "amount", "due_date"},
			[]error{ErrRequired, ErrRequired, ErrRequired, ErrZeroAmount, ErrRequired}},
		{"transfer needs an IBAN", func(p *Payable) { p.IBAN = "" }, []string{"iban"}, []error{ErrNeedsIBAN}},
		{"transfer to a non-SEPA IBAN", func(p *Payable) { p.IBAN = ibanTR }, []string{"iban"}, []error{ident.ErrNotSEPA}},
		{"cheque payable with a Turkish IBAN is fine", func(p *Payable) { p.Method, p.IBAN = MethodCheque, ibanTR }, nil, nil},
		{"bad check digits", func(p *Payable) { p.IBAN = "FR7630004008280001012345692" }, []string{"iban"}, []error{ident.ErrCheckDigits}},
		{"bad BIC", func(p *Payable) { p.BIC = "BNPA1RPP" }, []string{"bic"}, []error{ident.ErrCharacters}},
		{"issue after due", func(p *Payable) { p.Issue = day("2026-12-16") }, []string{"issue_date"}, []error{ErrIssueAfterDue}},
		{"unknown method", func(p *Payable) { p.Method = "lcr" }, []string{"method"}, []error{ErrMethod}},
		{"currency", func(p *Payable) { p.Currency = "euro" }, []string{"currency"}, []error{ErrCurrency}},
		{"priority", func(p *Payable) { p.Priority = 100 }, []string{"priority"}, []error{ErrPriority}},
		{"formula document", func(p *Payable) { p.Document = "=HYPERLINK(1)" }, []string{"document"}, []error{ErrFormula}},
		{"invisible supplier", func(p *Payable) { p.Supplier = "401\u200bSUN" }, []string{"supplier"}, []error{ErrInvisible}},
		{"long journal", func(p *Payable) { p.Journal = "BANQUE001" }, []string{"journal"}, []error{ErrTooLong}},
		{"too large", func(p *Payable) { p.Amount = -remit.MaxAmount - 1 }, []string{"amount"}, []error{ErrAmountTooLarge}},
		{"country", func(p *Payable) { p.Address.Country = "XX" }, []string{"country"}, []error{ident.ErrCountry}},
		{"discount rate without date", func(p *Payable) { p.Discount.Rate = 200 }, []string{"discount_until"}, []error{ErrDiscountDate}},
		{"discount date without rate", func(p *Payable) { p.Discount.Until = day("2026-12-10") }, []string{"discount_rate"}, []error{ErrDiscountDate}},
		{"discount on a credit note", func(p *Payable) { p.Amount, p.Discount = -100, Discount{Rate: 200, Until: day("2026-12-10")} },
			[]string{"discount_rate"}, []error{ErrDiscountCredit}},
		{"parent is the supplier", func(p *Payable) { p.Parent = p.Supplier }, []string{"parent"}, []error{ErrSelfParent}},
		{"reason without contest", func(p *Payable) { p.ContestReason = "litige" }, []string{"contested"}, []error{ErrContestReason}},
		{"contested and pointed", func(p *Payable) { p.Contested, p.Status = true, StatusPointed }, []string{"pointed"}, []error{ErrPointedBlocked}},
		{"several at once", func(p *Payable) { p.Amount, p.IBAN, p.Priority = 0, "", -1 },
			[]string{"amount", "iban", "priority"}, []error{ErrZeroAmount, ErrNeedsIBAN, ErrPriority}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			errs := p.Validate()
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
			}
			if strings.Join(fields, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("fields %v, want %v: %v", fields, tc.want, errs)
			}
			for i, e := range errs {
				if !errors.Is(e, tc.is[i]) {
					t.Errorf("problem %d: %v, want %v", i, e, tc.is[i])
				}
				if !strings.HasPrefix(e.Error(), "payable ") {
					t.Errorf("problem %d does not name the payable: %v", i, e)
				}
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	p := inv("FA-2026-118", "401SUN", 120000, "2026-12-15")
	p.IBAN = "FR7630004008280001012345692"
	errs := p.Validate()
	if len(errs) != 1 || errs[0].Error() != `payable FA-2026-118: iban "FR7630004008280001012345692": bad check digits` {
		t.Fatalf("got %v", errs)
	}
}

func TestParseMethod(t *testing.T) {
	for in, want := range map[string]Method{"vir": MethodTransfer, "CHQ": MethodCheque, " ": MethodNone, "": MethodNone} {
		if got, err := ParseMethod(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	if _, err := ParseMethod("sdd"); !errors.Is(err, ErrMethod) {
		t.Errorf("sdd: %v", err)
	}
}
