package collect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// ErrRefused wraps the reasons an allocation or a write-off is refused
// (treasury's): nothing was recorded.
var ErrRefused = errors.New("refused")

// Allocation is a suspense line allocated (vidage du compte d'attente).
type Allocation struct {
	Line store.SuspenseLine // before the allocation
	treasury.Allocation
}

// AllocateSuspense allocates suspense line id to the receivables of the
// documents, each its whole open amount (seed 000: "le système les ramène
// avec leur montant impayé"): they become paid, the écriture debits the
// suspense account and credits each customer, dated on. What the line
// holds beyond them stays in suspense. Refused, every reason at once and
// nothing recorded, when a document is unknown or not open, written off,
// given twice, or the receivables add up to more than the line holds.
func AllocateSuspense(ctx context.Context, st store.Store, cr remit.Creditor, id int64, documents []string, on time.Time) (Allocation, error) {
	var out Allocation
	err := st.Treasury(ctx, func(tx store.TreasuryTx) error {
		line, err := tx.SuspenseLine(ctx, cr.ID, id)
		if err != nil {
			return err
		}
		rs, err := tx.Receivables(ctx, cr.ID, documents)
		if err != nil {
			return err
		}
		reqs := make([]treasury.AllocationRequest, len(documents))
		for i, d := range documents {
			reqs[i] = treasury.AllocationRequest{Document: strings.TrimSpace(d)}
		}
		acc := tx.Accounts()
		if line.Account != "" {
			// Debit the account the credit went to, whatever the setting says now.
			acc.Suspense = line.Account
		}
		a, err := treasury.Allocate(treasury.SuspenseLine{ID: strconv.FormatInt(line.ID, 10), Amount: line.Left}, rs, reqs, acc)
		if err != nil {
			return errors.Join(ErrRefused, err)
		}
		out = Allocation{Line: line, Allocation: a}
		return tx.Allocate(ctx, cr, line, a, on)
	})
	return out, err
}

// WriteOff writes off the open amount of a receivable (abandon de
// créance, passage en pertes, seed 000): the écriture debits the loss
// account (and the VAT recovered) and credits the customer, dated req.Date;
// the receivable is written off, never collected again. Refused, every
// reason at once and nothing recorded, for a receivable unknown, written
// off already, not open (in a remittance not yet collected: its
// collection or return comes first; paid), or without a reason.
func WriteOff(ctx context.Context, st store.Store, cr remit.Creditor, req treasury.WriteOffRequest) (treasury.WriteOff, error) {
	var out treasury.WriteOff
	err := st.Treasury(ctx, func(tx store.TreasuryTx) error {
		rs, err := tx.Receivables(ctx, cr.ID, []string{req.Document})
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return errors.Join(ErrRefused, fmt.Errorf("receivable %s: %w", req.Document, treasury.ErrUnknown))
		}
		w, err := treasury.WriteOffReceivable(rs[0], req, tx.Accounts())
		if err != nil {
			return errors.Join(ErrRefused, err)
		}
		out = w
		return tx.WriteOff(ctx, cr, w)
	})
	return out, err
}
