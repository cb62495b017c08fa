package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/payables"
)

func init() { extraCommands = append(extraCommands, newRefundCmd) }

func newRefundCmd(env *Env) *cobra.Command {
	var amount, source, journal, label string
	cmd := &cobra.Command{
		Use:   "refund CUSTOMER --amount AMOUNT",
		Short: "Pay a customer's overpayment back by transfer (the next remit sct pays it)",
		Long: `refund turns what a customer paid too much (a payment in suspense, a credit note)
into a transfer payable to the customer's account (its IBAN, name and address as
remit knows them from the receivables' imports), approved and pointed: the next
remit sct pays it, and its entry debits the customer's account (411…). --source
says what it comes from ("suspense 17", "avoir AV-2026-007"): it goes into the
label. The refund's document is REMB-<date>-<n>; remit payables list shows it, and
remit payables unpoint takes it back before it is paid.

The amount is at most what the customer is owed and not yet refunded: what is left
in the suspense account of the statement lines allocated to its receivables alone
(remit suspense allocate), plus its open credit notes, less its earlier refunds.
Beyond it the refund is refused with what is available, nothing recorded (exit 5).`,
		Example: `  remit refund 411DUPONT --amount 120.00 --source "avoir AV-2026-007"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cents, err := remit.ParseAmount(amount)
			if err != nil || amount == "" {
				return usageError("--amount %q: %v", amount, orMissing(err))
			}
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := disburse.Refund(cmd.Context(), ps, cr, disburse.RefundOptions{Customer: args[0], Amount: cents, Source: source,
				Journal: journal, Label: label, Now: env.Now()})
			switch {
			case errors.Is(err, disburse.ErrNoCustomer), errors.Is(err, payables.ErrRefundAmount):
				return usageError("%v", err)
			case errors.Is(err, payables.ErrRefundTooLarge), errors.Is(err, payables.ErrNothingToRefund):
				return &ExitError{Code: ExitRefused, Err: fmt.Errorf("refused, nothing recorded: %w", err)}
			case err != nil:
				return err
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, map[string]any{"document": p.Document, "customer": p.Supplier, "name": p.Name,
					"amount": remit.FormatAmount(p.Amount), "iban": ident.MaskIBAN(p.IBAN), "label": p.Label, "status": string(p.Status)})
			}
			fmt.Fprintf(env.Out, "refund %s to %s %s: %s EUR to %s, pointed: the next remit sct pays it\n", p.Document, p.Supplier, p.Name,
				remit.FormatAmountFR(p.Amount), ident.MaskIBAN(p.IBAN))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&amount, "amount", "", "the amount to pay back, e.g. 120.00 (required)")
	f.StringVar(&source, "source", "", "what the customer is owed from: \"suspense 17\", \"avoir AV-2026-007\"")
	f.StringVar(&journal, "journal", "", "the bank to pay from (default: the default bank)")
	f.StringVar(&label, "label", "", "the payable's label (default \"Remboursement trop-perçu\" and the source)")
	addFormat(cmd, "table", "json")
	return cmd
}

func orMissing(err error) error {
	if err == nil {
		return errors.New("required")
	}
	return err
}
