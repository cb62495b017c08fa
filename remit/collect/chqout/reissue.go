package chqout

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// ReissueOptions say which cheque is spoiled, why, and under which number
// its payment is printed again.
type ReissueOptions struct {
	Bank   string // the bank it is drawn on; "" when only one bank has that number
	Number int64
	Reason string // why it is void: "mal imprimé", "déchiré"…
	Next   int64  // the number to print it under; 0: the one after the last used on its bank
	OutDir string
	Now    time.Time
}

// Reissued is what Reissue did.
type Reissued struct {
	Void      int64
	Number    int64
	Bank      string
	Reference string // the payment's reference
	Payee     string
	Amount    int64
	File      remit.FileInfo
}

// Reissue voids a spoiled cheque and prints its payment's lettre-chèque
// again under the next number (or Next) into CHEQUE.<number>.pdf in the out
// folder, recording both in the register, in one transaction: the file is
// written before the commit and removed if it fails. The payment, its
// entries and its remittance are unchanged (its number is not in them);
// the remittance's own CHEQUES file keeps the numbers first printed.
func Reissue(ctx context.Context, st store.Store, cs store.ChequeStore, cr remit.Creditor, o ReissueOptions) (*Reissued, error) {
	if strings.TrimSpace(o.Reason) == "" {
		return nil, payplan.Optionf("say why the cheque is void (--reason)")
	}
	var out *Reissued
	var written string
	err := cs.UpdateCheques(ctx, func(tx store.ChequeTx) error {
		c, ok, err := tx.Cheque(ctx, cr.ID, o.Bank, o.Number)
		if err != nil {
			return err
		}
		if !ok {
			return payplan.Optionf("no cheque %07d in the register (remit cheque-register lists them)", o.Number)
		}
		if c.Status != "issued" {
			return payplan.Optionf("cheque %07d of %s is already void (%s)", c.Number, c.Bank, c.Reason)
		}
		remID, err := remit.ParseRef(c.Remittance)
		if err != nil {
			return err
		}
		rem, err := st.Remittance(ctx, cr.ID, remID)
		if err != nil {
			return err
		}
		if rem.Status == remit.RemittanceCancelled {
			return payplan.Optionf("cheque %07d: remittance %s is cancelled: nothing to reprint", c.Number, rem.Ref)
		}
		p, err := ParamsOf(rem)
		if err != nil {
			return err
		}
		next := o.Next
		if next == 0 {
			last, err := tx.LastCheque(ctx, cr.ID, c.Bank)
			if err != nil {
				return err
			}
			next = last + 1
		}
		if used, err := tx.ChequesUsed(ctx, cr.ID, c.Bank, next, next); err != nil || len(used) > 0 {
			if err == nil {
				err = fmt.Errorf("%w: cheque %07d of %s is already in the register", ErrNumber, next, c.Bank)
			}
			return err
		}
		if next > MaxNumber {
			return payplan.Optionf("cheque number %d is over %d", next, MaxNumber)
		}
		pay, err := tx.Payment(ctx, c.Payment)
		if err != nil {
			return err
		}
		if err := tx.Void(ctx, cr.ID, c.Bank, c.Number, o.Reason, o.Now); err != nil {
			return err
		}
		name := ReissueName(next)
		if err := tx.Reissue(ctx, cr.ID, c.Bank, next, c.Payment, name, o.Now); err != nil {
			return err
		}
		f, err := outdir.WriteFile(o.OutDir, name, FormatLetters, func(w io.Writer) error {
			_, err := writeLetters(ctx, single{pay}, 0, p, next, o.Now, w)
			return err
		})
		if err != nil {
			return err
		}
		written = filepath.Join(o.OutDir, name)
		out = &Reissued{Void: c.Number, Number: next, Bank: c.Bank, Reference: pay.EndToEndID, Payee: pay.Payee, Amount: pay.Amount, File: f}
		return nil
	})
	if err != nil {
		if written != "" {
			os.Remove(written)
		}
		return nil, err
	}
	return out, nil
}

// single reads one payment.
type single struct{ p store.PaymentRow }

func (s single) Payments(_ context.Context, _ int64, fn func(*store.PaymentRow) error) error {
	return fn(&s.p)
}
