package remit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/sepa"
)

// ErrUnknownReason is returned for a reject of a SEPA direct debit entered
// by hand with a code that is not one of the SDD R-transactions' reason codes.
var ErrUnknownReason = errors.New("not a reason code of SEPA direct debits")

// CheckRejectReason checks the reason code of a reject entered by hand for
// a collection of that kind (sdd or lcr), once NormalizeReason has checked
// its form. A SEPA direct debit comes back with an ISO 20022 status or
// return reason code of the EPC rulebook's R-transactions (AM04, MD01, …):
// any other is refused, with the list. An LCR unpaid carries the bank's
// code (CFONB), which remit records as given: note says when remit does not
// know it, so that a typing error can be caught.
func CheckRejectReason(kind, code string) (note string, err error) {
	_, known := sepa.LookupReason(code)
	switch {
	case known:
		return "", nil
	case kind == "sdd":
		return "", fmt.Errorf("%w; use one of the ISO 20022 codes of the EPC R-transactions: %s", ErrUnknownReason,
			strings.Join(sepa.ReasonCodes(), ", "))
	case kind == "lcr":
		return fmt.Sprintf("LCR unpaid code %s is not a code remit knows (it knows the ISO 20022 codes of SEPA direct debits, "+
			"not the CFONB list of unpaid codes): recorded as given; check it against the bank's unpaid notice (avis d'impayé)", code), nil
	}
	return "", nil
}
