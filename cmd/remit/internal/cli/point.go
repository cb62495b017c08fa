package cli

import (
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
)

type pointOptions struct {
	*Env
	Sel    selectionFlags
	Target string
	Order  string
}

func newPointCmd(env *Env) *cobra.Command {
	opts := &pointOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "point",
		Short: "Point (select for collection) the receivables the filters select",
		Long: `point marks open or rejected receivables as pointed: the next remittance
command (remit sdd, remit lcr, remit run) collects them. With --target it
points them in --order until the amount is reached, never exceeding it
(seed 002's "montant à pointer"). Remitted receivables are never re-pointed.`,
		Example: `  remit point --method lcr --customer-from 411A --customer-to 411M
  remit point --method sdd --target 25000.00 --order priority-due`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return pointRun(cmd, opts) },
	}
	opts.Sel.register(cmd.Flags(), "all")
	cmd.Flags().StringVar(&opts.Target, "target", "", "amount to reach without exceeding it, e.g. 25000.00")
	cmd.Flags().StringVar(&opts.Order, "order", remit.OrderPriorityDue, "with --target: priority-due or due-priority")
	return cmd
}

func pointRun(cmd *cobra.Command, opts *pointOptions) error {
	ctx := cmd.Context()
	f, err := opts.Sel.filter(opts.Now())
	if err != nil {
		return err
	}
	var target int64
	if opts.Target != "" {
		if target, err = remit.ParseAmount(opts.Target); err != nil {
			return usageError("--target %q: %v", opts.Target, err)
		}
	}
	if opts.Order != remit.OrderPriorityDue && opts.Order != remit.OrderDuePriority {
		return usageError("--order %q: want %s or %s", opts.Order, remit.OrderPriorityDue, remit.OrderDuePriority)
	}
	st, err := opts.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	cr, err := opts.creditor(ctx, st)
	if err != nil {
		return err
	}
	res, err := st.Point(ctx, cr.ID, f, target, opts.Order)
	if err != nil {
		return usageOr(err)
	}
	printPointed(opts.Out, res, "pointed")
	return nil
}

func usageOr(err error) error {
	if err == remit.ErrNotPointable {
		return usageError("%v", err)
	}
	return err
}

func newUnpointCmd(env *Env) *cobra.Command {
	opts := &pointOptions{Env: env}
	cmd := &cobra.Command{
		Use:     "unpoint",
		Short:   "Put pointed receivables back to open",
		Example: `  remit unpoint --document F2026-0042`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f, err := opts.Sel.filter(opts.Now())
			if err != nil {
				return err
			}
			st, err := opts.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			cr, err := opts.creditor(ctx, st)
			if err != nil {
				return err
			}
			res, err := st.Unpoint(ctx, cr.ID, f)
			if err != nil {
				return err
			}
			printPointed(opts.Out, res, "unpointed")
			return nil
		},
	}
	opts.Sel.register(cmd.Flags(), "pointed")
	cmd.Flags().Lookup("status").Hidden = true
	return cmd
}

func printPointed(w io.Writer, res *remit.PointResult, verb string) {
	for _, r := range res.Items {
		fmt.Fprintf(w, "%s %s %s %s %s\n", fit(r.Document, 14), fit(r.Customer, 12), fit(r.Name, 26),
			r.DueDate.Format(remit.DateLayout), right(remit.FormatAmountFR(r.Amount), 14))
	}
	if res.Count > len(res.Items) {
		fmt.Fprintf(w, "… and %d more\n", res.Count-len(res.Items))
	}
	fmt.Fprintf(w, "%s %s, total %s", verb, plural(res.Count, "receivable", "receivables"), remit.FormatAmountFR(res.Total))
	if res.Target > 0 {
		fmt.Fprintf(w, " (target %s)", remit.FormatAmountFR(res.Target))
	}
	fmt.Fprintln(w)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
