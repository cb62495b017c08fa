package remit

import (
	"errors"
	"strings"

	"github.com/remit-dev/remit/cfonb"
)

// BillCase is a pointed LCR receivable as a run checks it.
type BillCase struct {
	Currency   string
	Amount     int64
	Due, Issue string // YYYY-MM-DD; Issue "" when not known
	IBAN       string // the drawee's
	Name       string // the drawee's
	SIREN      string // the drawee's, "" when not known
}

// BillPolicy is what of a run's options the bill rules read.
type BillPolicy struct {
	Today     string // YYYY-MM-DD
	EntryCode int    // code entrée: 1 and 2 are an escompte, with a date de valeur
	ValueDate string // YYYY-MM-DD, for codes 1 and 2
}

// CheckBill is every reason an LCR run refuses a bill.
func CheckBill(b BillCase, p BillPolicy) Reasons {
	var why Reasons
	if b.Currency != "EUR" {
		why.Add(ReasonCurrency, TodoUnpoint, "currency %s: an LCR is in euros only", b.Currency)
	}
	if b.IBAN == "" {
		why.Add(ReasonNoAccount, TodoCorrect, "no bank account: an LCR needs the drawee's RIB (import the customer's IBAN)")
	} else if _, err := cfonb.AccountFromIBAN(b.IBAN); err != nil {
		if errors.Is(err, cfonb.ErrNotFrench) {
			why.Add(ReasonNotFrench, TodoUnpoint, "IBAN %s is not French: an LCR can only be drawn on a French (or Monegasque) account", b.IBAN)
		} else {
			why.Add(ReasonAccount, TodoCorrect, "drawee account: %v", err)
		}
	}
	if b.Amount > cfonb.MaxLCRAmount {
		why.Add(ReasonOverLCRMax, TodoUnpoint, "amount %s EUR is over the LCR maximum (%s EUR)", FormatAmountFR(b.Amount), FormatAmountFR(cfonb.MaxLCRAmount))
	}
	if b.Due < p.Today {
		why.Add(ReasonDuePassed, TodoUnpoint, "due date %s has passed", b.Due)
	}
	if p.EntryCode <= 2 && b.Due < p.ValueDate {
		why.Add(ReasonBeforeValueDate, TodoLater, "due date %s is before the date de valeur %s", b.Due, p.ValueDate)
	}
	if b.Issue != "" && b.Issue > b.Due {
		why.Add(ReasonIssueAfterDue, TodoCorrect, "issue date %s is after the due date %s", b.Issue, b.Due)
	}
	if strings.TrimSpace(cfonb.Text(b.Name, 24)) == "" {
		why.Add(ReasonName, TodoCorrect, "name %q has nothing left in the CFONB character set", b.Name)
	}
	if b.SIREN != "" && len(b.SIREN) != 9 {
		why.Add(ReasonSIREN, TodoCorrect, "SIREN %q: want 9 digits", b.SIREN)
	}
	return why
}
