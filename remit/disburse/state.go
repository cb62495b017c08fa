package disburse

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// ErrNotFound means a document named is not one of the creditor's payables.
var ErrNotFound = errors.New("no such payable")

// ErrPaid means a payable in a payment was named for a change only an
// unpaid one takes.
var ErrPaid = errors.New("already in a payment")

// Changed is a payable a command changed, as it is now.
type Changed struct {
	Document string `json:"document"`
	Supplier string `json:"supplier"`
	Status   string `json:"status"`
	Note     string `json:"note,omitempty"` // what else changed: unpointed, out of its group, already so
}

// named reads the payables the documents name, in the order given, with
// every unknown document at once.
func named(ctx context.Context, tx store.PayablesTx, cr remit.Creditor, documents []string) ([]store.PayableRow, error) {
	if len(documents) == 0 {
		return nil, errors.New("name at least one document")
	}
	var rows []store.PayableRow
	var missing []string
	seen := map[string]bool{}
	for _, d := range documents {
		if seen[d] {
			continue
		}
		seen[d] = true
		r, ok, err := tx.Payable(ctx, cr.ID, d)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, d)
			continue
		}
		rows = append(rows, r)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s (remit payables list shows them)", ErrNotFound, strings.Join(missing, ", "))
	}
	return rows, nil
}

// unpaid refuses the payables already in a payment, naming each.
func unpaid(rows []store.PayableRow, what string) error {
	var errs []error
	for _, r := range rows {
		if s := r.Status; s == payables.StatusRemitted || s == payables.StatusPaid {
			pay := ""
			if r.Payment != "" {
				pay = " (remittance " + r.Payment + ")"
			}
			errs = append(errs, fmt.Errorf("%s: %w%s: it cannot be %s now", r.Document, ErrPaid, pay, what))
		}
	}
	return errors.Join(errs...)
}

func ids(rows []store.PayableRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// Approve signs the bon à payer of the payables named (seed 002: "Le
// bouton « Bon à payer » permet de signer le bon à payer"), or with
// withdraw takes it back: a pointed payable whose approval the creditor
// requires is then unpointed. A payable in a payment is refused.
func Approve(ctx context.Context, ps store.PayableStore, cr remit.Creditor, documents []string, withdraw bool, now time.Time) ([]Changed, error) {
	var out []Changed
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rows, err := named(ctx, tx, cr, documents)
		if err != nil {
			return err
		}
		what := "approved"
		if withdraw {
			what = "unapproved"
		}
		if err := unpaid(rows, what); err != nil {
			return err
		}
		if err := tx.SetApproved(ctx, ids(rows), !withdraw, now); err != nil {
			return err
		}
		var unpoint []int64
		for _, r := range rows {
			c := Changed{Document: r.Document, Supplier: r.Supplier, Status: string(r.Status)}
			switch {
			case r.Approved == !withdraw:
				c.Note = "already " + what
			case withdraw && cr.ApprovalRequired && r.Status == payables.StatusPointed:
				unpoint = append(unpoint, r.ID)
				c.Status, c.Note = string(payables.StatusOpen), "unpointed: the creditor requires a bon à payer"
			}
			out = append(out, c)
		}
		if err := tx.Unpoint(ctx, unpoint); err != nil {
			return err
		}
		_, err = tx.DissolveSmallGroups(ctx, cr.ID)
		return err
	})
	return out, err
}

// Contest puts the payables named in dispute (litige), with the reason: a
// contested payable is never pointed (seed 002: "Les effets contestés …
// apparaissent en anomalie"): a pointed one goes back to open, out of its
// group, until Resolve. A payable in a payment is refused: settle it with
// the supplier by a credit note.
func Contest(ctx context.Context, ps store.PayableStore, cr remit.Creditor, documents []string, reason string) ([]Changed, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) > payables.MaxText {
		return nil, fmt.Errorf("--reason: %d characters, at most %d", len(reason), payables.MaxText)
	}
	var out []Changed
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rows, err := named(ctx, tx, cr, documents)
		if err != nil {
			return err
		}
		if err := unpaid(rows, "contested (settle the dispute with the supplier by a credit note)"); err != nil {
			return err
		}
		if err := tx.SetContest(ctx, ids(rows), true, reason); err != nil {
			return err
		}
		for _, r := range rows {
			c := Changed{Document: r.Document, Supplier: r.Supplier, Status: string(r.Status)}
			if r.Status == payables.StatusPointed {
				c.Status, c.Note = string(payables.StatusOpen), "unpointed: never paid while in dispute"
			}
			out = append(out, c)
		}
		_, err = tx.DissolveSmallGroups(ctx, cr.ID)
		return err
	})
	return out, err
}

// Resolve ends the dispute of the payables named (seed 002: "Régler la
// contestation"): they can be pointed again.
func Resolve(ctx context.Context, ps store.PayableStore, cr remit.Creditor, documents []string) ([]Changed, error) {
	var out []Changed
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rows, err := named(ctx, tx, cr, documents)
		if err != nil {
			return err
		}
		if err := tx.SetContest(ctx, ids(rows), false, ""); err != nil {
			return err
		}
		for _, r := range rows {
			c := Changed{Document: r.Document, Supplier: r.Supplier, Status: string(r.Status)}
			if !r.Contested {
				c.Note = "was not contested"
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// SetRule records a grouping rule (remit grouping set), replacing the one
// of the same method, account and mode; the rules together are checked
// first (payables.Rules.Validate).
func SetRule(ctx context.Context, ps store.PayableStore, cr remit.Creditor, r payables.Rule) error {
	return ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rules, err := tx.GroupingRules(ctx, cr.ID)
		if err != nil {
			return err
		}
		next := payables.Rules{r}
		for _, old := range rules {
			if old.Method != r.Method || old.Account != r.Account || old.Manual != r.Manual {
				next = append(next, old)
			}
		}
		if errs := next.Validate(); len(errs) > 0 {
			return errors.Join(errs...)
		}
		return tx.SaveGroupingRule(ctx, cr.ID, r)
	})
}

// DeleteRule removes a grouping rule; ok false when there was none.
func DeleteRule(ctx context.Context, ps store.PayableStore, cr remit.Creditor, method payables.Method, account string, manual bool) (ok bool, err error) {
	err = ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		ok, err = tx.DeleteGroupingRule(ctx, cr.ID, method, account, manual)
		return err
	})
	return ok, err
}
