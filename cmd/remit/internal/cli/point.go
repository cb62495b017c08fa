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
		Long: `point marks open receivables as pointed: the next remittance command (remit sdd,
remit lcr, remit run) collects them. It takes only what a remittance collects
(SEPA direct debits and LCR, in euros) and says how many others the filters
selected and why; name a receivable with --document to point it anyway.
A rejected receivable (a debit or bill that came back unpaid) is pointed again
only when asked for: --status rejected, or --document. With --target (in euros)
it points them in --order until the amount is reached, never exceeding it (the
"montant à pointer"); priority 0 is the most urgent, 99 the least. Remitted
receivables are never re-pointed.`,
		Example: `  remit point --method lcr --customer-from 411A --customer-to 411M
  remit point --method sdd --target 25000.00 --order priority-due`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return pointRun(cmd, opts) },
	}
	opts.Sel.register(cmd.Flags(), remit.StatusOpen)
	cmd.Flags().Lookup("status").Usage = "open (default), rejected, or all (both)"
	cmd.Flags().StringVar(&opts.Target, "target", "", "amount to reach without exceeding it, e.g. 25000.00")
	valueKind(cmd.Flags(), "target", "amount")
	cmd.Flags().StringVar(&opts.Order, "order", remit.OrderPriorityDue,
		"with --target: priority-due (priority 0, the most urgent, first; then by due date) or due-priority")
	choices(cmd.Flags(), "order", remit.OrderPriorityDue, remit.OrderDuePriority)
	addFormat(cmd, "table", "json")
	return cmd
}

func pointRun(cmd *cobra.Command, opts *pointOptions) error {
	ctx := cmd.Context()
	f, err := opts.Sel.filter(opts.Now())
	if err != nil {
		return err
	}
	if !cmd.Flags().Changed("status") {
		f.Status = "" // open ones, and rejected ones named by --document
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
	return printPointed(cmd, opts.Env, res, "pointed")
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
			return printPointed(cmd, opts.Env, res, "unpointed")
		},
	}
	opts.Sel.register(cmd.Flags(), "pointed")
	cmd.Flags().Lookup("status").Hidden = true
	addFormat(cmd, "table", "json")
	return cmd
}

// pointedJSON is what point and unpoint print with --format json.
type pointedJSON struct {
	Count       int             `json:"count"`
	Totals      []currencyTotal `json:"totals"` // one per currency, each with its own count
	Target      string          `json:"target,omitempty"`
	Receivables []listJSON      `json:"receivables"` // the first ones (remit.MaxPointItems)
	More        int             `json:"more,omitempty"`
	NotPointed  []notPointed    `json:"not_pointed,omitempty"`
}

type notPointed struct {
	Count  int    `json:"count"`
	Reason string `json:"reason"`
	Hint   string `json:"hint"`
}

// printPointed prints what point or unpoint (verb) changed: a table, or
// with --format json one object.
func printPointed(cmd *cobra.Command, env *Env, res *remit.PointResult, verb string) error {
	if outputFormat(cmd) != "json" {
		writePointed(env.Out, res, verb)
		return nil
	}
	j := pointedJSON{Count: res.Count, Totals: totalsJSON(res.Totals), Receivables: []listJSON{}, More: res.Count - len(res.Items)}
	if res.Target > 0 {
		j.Target = remit.FormatAmount(res.Target)
	}
	status := remit.StatusPointed // what they are now
	if verb == "unpointed" {
		status = remit.StatusOpen
	}
	for _, r := range res.Items {
		j.Receivables = append(j.Receivables, listJSON{Document: r.Document, Customer: r.Customer, Name: r.Name,
			Amount: remit.FormatAmount(r.Amount), Currency: r.Currency, DueDate: r.DueDate.Format(remit.DateLayout),
			Method: r.Method, Journal: r.Journal, Status: status})
	}
	for _, sk := range res.Skipped {
		j.NotPointed = append(j.NotPointed, notPointed{Count: sk.Count, Reason: sk.Reason, Hint: sk.Hint})
	}
	return writeJSON(env, j)
}

func writePointed(w io.Writer, res *remit.PointResult, verb string) {
	for _, r := range res.Items {
		fmt.Fprintf(w, "%s %s %s %s %s %s\n", fit(r.Document, 14), fit(r.Customer, 12), fit(r.Name, 26),
			r.DueDate.Format(remit.DateLayout), right(remit.FormatAmountFR(r.Amount), 14), r.Currency)
	}
	if res.Count > len(res.Items) {
		fmt.Fprintf(w, "… and %d more\n", res.Count-len(res.Items))
	}
	target := ""
	if res.Target > 0 {
		target = fmt.Sprintf(" (target %s EUR)", remit.FormatAmountFR(res.Target))
	}
	switch len(res.Totals) {
	case 0:
		fmt.Fprintf(w, "%s 0 receivables%s\n", verb, target)
	case 1:
		t := res.Totals[0]
		fmt.Fprintf(w, "%s %s, total %s %s%s\n", verb, plural(t.Count, "receivable", "receivables"), remit.FormatAmountFR(t.Total), t.Currency, target)
	default:
		// Amounts of different currencies are never added: one line each.
		fmt.Fprintf(w, "%s %s%s:\n", verb, plural(res.Count, "receivable", "receivables"), target)
		for _, t := range res.Totals {
			fmt.Fprintf(w, "  %s, total %s %s\n", plural(t.Count, "receivable", "receivables"), remit.FormatAmountFR(t.Total), t.Currency)
		}
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(w, "not %s: %s %s (%s)\n", verb, plural(sk.Count, "receivable", "receivables"), sk.Reason, sk.Hint)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
