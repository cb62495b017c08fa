package collect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// ErrUnknownBank is returned for a --bank no bank of the creditor has.
var ErrUnknownBank = errors.New("no bank of that code")

// RunBanks are the banks a run's receivables go to (seed 004: "Est
// proposé le numéro et le RIB renseignés sur le journal"): a receivable's
// journal picks its bank, else the default bank (treasury.BankFor). Each
// bank's receivables make remittances of their own, whose files name its
// account. A run sorts its remittances by bank, in code order.
type RunBanks struct {
	banks []remit.Bank
	only  int // the bank of --bank; -1: every bank
	// none: the creditor has no banks (other software wrote it): its own
	// account is the one bank, recorded as none.
	none      bool
	unusable  []error        // per bank: why it cannot take the kind's operation
	byJournal map[string]int // journal → bank index
}

// LoadBanks reads the creditor's banks in tx for a run of operations of
// type op: which of them can take it (treasury.CheckOperation with needs)
// and, when only is not empty, the one bank the run takes
// (ErrUnknownBank if the creditor has none of that code).
func LoadBanks(ctx context.Context, tx store.RunTx, cr remit.Creditor, op remit.BankOperation, needs treasury.Needs, only string) (*RunBanks, error) {
	banks, err := tx.Banks(ctx, cr.ID)
	if err != nil {
		return nil, err
	}
	rb := &RunBanks{banks: banks, only: -1, byJournal: map[string]int{}}
	if len(banks) == 0 {
		rb.banks, rb.none = []remit.Bank{treasury.CreditorBank(cr, "")}, true
	}
	if only != "" {
		i := indexOfBank(rb.banks, only)
		if i < 0 || rb.none {
			codes := make([]string, 0, len(banks))
			for _, b := range banks {
				codes = append(codes, b.Code)
			}
			return nil, fmt.Errorf("--bank %s: %w (the creditor's banks: %s)", only, ErrUnknownBank, strings.Join(codes, ", "))
		}
		rb.only = i
	}
	rb.unusable = make([]error, len(rb.banks))
	for i, b := range rb.banks {
		rb.unusable[i] = treasury.CheckOperation(b, op, needs)
	}
	return rb, nil
}

func indexOfBank(banks []remit.Bank, code string) int {
	for i, b := range banks {
		if strings.EqualFold(b.Code, code) {
			return i
		}
	}
	return -1
}

// Of returns the bank of a receivable of that journal: its index, whether
// this run takes it (another --bank leaves it pointed), and why the bank
// cannot take it (nil when it can).
func (rb *RunBanks) Of(journal string) (bank int, take bool, why error) {
	i, ok := rb.byJournal[journal]
	if !ok {
		i = 0
		if !rb.none {
			c, err := treasury.BankFor(rb.banks, journal)
			if err != nil {
				// Banks without a default: other software wrote them.
				rb.byJournal[journal] = -1
				return -1, rb.only < 0, err
			}
			i = indexOfBank(rb.banks, c.Bank.Code)
		}
		rb.byJournal[journal] = i
	}
	if i < 0 {
		_, err := treasury.BankFor(rb.banks, journal)
		return -1, rb.only < 0, err
	}
	return i, rb.only < 0 || rb.only == i, rb.unusable[i]
}

// Code is the code of bank i as its remittances record it: empty when the
// creditor has no banks.
func (rb *RunBanks) Code(i int) string {
	if rb.none {
		return ""
	}
	return rb.banks[i].Code
}

// Issuer is the creditor as bank i's remittances name it: the bank's
// account, BIC, domiciliation and numéro national d'émetteur.
func (rb *RunBanks) Issuer(cr remit.Creditor, i int) remit.Creditor {
	if rb.none {
		return cr
	}
	b := rb.banks[i]
	cr.IBAN, cr.BIC, cr.BankName, cr.NNE = b.IBAN, b.BIC, b.Name, b.NNE
	return cr
}

// BankReason is the refusal of a receivable whose bank cannot take it.
func BankReason(why error) remit.Reason {
	return remit.Reason{Code: remit.ReasonBank, Todo: remit.TodoCorrect,
		Text: why.Error() + " (remit bank set …, or give the receivable another journal)"}
}
