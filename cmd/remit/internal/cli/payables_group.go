package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit/disburse"
)

func newPayablesGroupCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "group DOCUMENT...",
		Short: "Group payables into one payment by hand (regroupement manuel)",
		Long: `group makes one payment (one transfer, one cheque) of the payables named, pointing
them: at least two, of one method, one currency, one payee (one supplier, or the
suppliers of one parent account), one IBAN for a transfer, and a positive total
(credit notes are netted). A payable already in a group brings its whole group:
naming one payable of each of two groups merges them (regroupement de
regroupements). The manual grouping rule of the method (remit grouping set …
--manual) must accept the group; without one, any group of one payment is
accepted. Every reason it cannot be is listed.`,
		Example: `  remit payables group FA-2026-118 FA-2026-119 AV-2026-007`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := disburse.Group(cmd.Context(), ps, cr, args, env.Now())
			if err != nil {
				return groupError(err)
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, paymentJSONOf(*p))
			}
			writePayment(env.Out, *p)
			fmt.Fprintf(env.Out, "grouped %s into G%d\n", plural(len(p.Members), "payable", "payables"), p.ID)
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

// groupError makes an unknown document a usage error (exit 2); the other
// refusals (a group the rules refuse, a paid payable) fail (exit 1),
// every reason on a line of its own, nothing changed.
func groupError(err error) error {
	if errors.Is(err, disburse.ErrNotFound) {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return err
}

func newPayablesUngroupCmd(env *Env) *cobra.Command {
	var whole bool
	cmd := &cobra.Command{
		Use:   "ungroup DOCUMENT...",
		Short: "Take payables out of their group (dissociation)",
		Long: `ungroup takes the payables named out of their group: they stay pointed, each a
payment of its own (no automatic rule groups them again). A group left with one
payable dissolves by itself. With --all, the whole group of each payable named
dissolves.`,
		Example: `  remit payables ungroup AV-2026-007
  remit payables ungroup FA-2026-118 --all`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			changed, err := disburse.Ungroup(cmd.Context(), ps, cr, args, whole)
			if err != nil {
				return groupError(err)
			}
			return printChanged(cmd, env, changed, "ungrouped")
		},
	}
	cmd.Flags().BoolVar(&whole, "all", false, "dissolve the whole group of each payable named")
	addFormat(cmd, "table", "json")
	return cmd
}

func newPayablesApproveCmd(env *Env) *cobra.Command {
	var withdraw bool
	cmd := &cobra.Command{
		Use:   "approve DOCUMENT...",
		Short: "Sign the bon à payer of payables",
		Long: `approve signs the bon à payer of the payables named: when the creditor requires it
(remit creditor set --approval-required), only approved payables are pointed and
paid. --withdraw takes it back (a pointed payable is then unpointed). A payable
already in a payment cannot change.`,
		Example: `  remit payables approve FA-2026-118 FA-2026-119`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			changed, err := disburse.Approve(cmd.Context(), ps, cr, args, withdraw, env.Now())
			if err != nil {
				return groupError(err)
			}
			verb := "approved"
			if withdraw {
				verb = "approval withdrawn:"
			}
			return printChanged(cmd, env, changed, verb)
		},
	}
	cmd.Flags().BoolVar(&withdraw, "withdraw", false, "take the bon à payer back")
	addFormat(cmd, "table", "json")
	return cmd
}

func newPayablesContestCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "contest DOCUMENT...",
		Short: "Put payables in dispute (litige): never paid until resolved",
		Long: `contest puts the payables named in dispute, with the reason: a contested payable
is never pointed nor paid (a pointed one goes back to open) until remit payables
resolve. A payable already in a payment cannot be contested: settle the dispute
with the supplier by a credit note.`,
		Example: `  remit payables contest FA-2026-120 --reason "litige qualité"`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			changed, err := disburse.Contest(cmd.Context(), ps, cr, args, reason)
			if err != nil {
				return groupError(err)
			}
			return printChanged(cmd, env, changed, "contested")
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (shown with the payable until resolved)")
	addFormat(cmd, "table", "json")
	return cmd
}

func newPayablesResolveCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "resolve DOCUMENT...",
		Short:   "End the dispute of contested payables",
		Example: `  remit payables resolve FA-2026-120`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			changed, err := disburse.Resolve(cmd.Context(), ps, cr, args)
			if err != nil {
				return groupError(err)
			}
			return printChanged(cmd, env, changed, "resolved")
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}
