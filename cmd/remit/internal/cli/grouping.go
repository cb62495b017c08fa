package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/payables"
)

func newGroupingCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grouping",
		Short: "Set or show the grouping rules of supplier payments (règles de regroupement)",
		Long: `grouping holds the rules that say when payables become one payment (seed 002,
"Règles de regroupement"): per method (vir, chq), an automatic rule applied by
remit payables point, and a manual rule that remit payables group must satisfy;
each may be set for one account (a supplier, or a parent account) instead of
every supplier, and the most precise rule governs a payable. Without an
automatic rule each payable is paid on its own; without a manual rule any group
of one payment is accepted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return groupingShow(cmd, env) },
	}
	addFormat(cmd, "table", "json")
	cmd.AddCommand(newGroupingSetCmd(env), newGroupingShowCmd(env), newGroupingDeleteCmd(env))
	return cmd
}

type groupingSetOptions struct {
	Auto, Manual, Off        bool
	SameSupplier, SameParent bool
	SameBank                 bool
	SameIBAN, SameCurrency   bool
	WithinDays               int
	For                      string
}

func newGroupingSetCmd(env *Env) *cobra.Command {
	o := &groupingSetOptions{}
	cmd := &cobra.Command{
		Use:   "set METHOD",
		Short: "Set the automatic or manual grouping rule of a method (vir or chq)",
		Long: `set records the grouping rule of METHOD (vir or chq), replacing the one of the same
mode and account: --auto (the default) for the rule remit payables point applies,
--manual for the one remit payables group checks; --for ACCOUNT sets it for one
supplier or parent account only. The criteria (seed 002): --same-supplier (the
default: tiers identiques) or --same-parent (several suppliers of one parent
account, centrale identique), --same-bank (the payables name the same bank, or
none), --within-days N (due dates at most N days apart). --same-currency and
--same-iban are always in force: a payment has one currency and, for a transfer,
credits one account. --off keeps the rule but makes it inactive: an inactive
automatic rule groups nothing, an inactive manual rule refuses every manual group.`,
		Example: `  remit grouping set vir --auto --same-supplier --same-iban --same-currency --within-days 30
  remit grouping set chq --manual --same-parent
  remit grouping set vir --for 401SUNCHEM --within-days 60`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			method, err := payables.ParseMethod(args[0])
			if err != nil || method == payables.MethodNone {
				return usageError("method %q: want vir or chq", args[0])
			}
			f := cmd.Flags()
			switch {
			case o.Auto && o.Manual:
				return usageError("--auto and --manual: a rule is one or the other; set each in turn")
			case o.SameSupplier && o.SameParent:
				return usageError("--same-supplier and --same-parent: choose one")
			case f.Changed("same-iban") && !o.SameIBAN, f.Changed("same-currency") && !o.SameCurrency:
				return usageError("a payment always has one currency and, for a transfer, credits one IBAN: --same-currency and --same-iban cannot be turned off")
			case o.WithinDays < payables.AnyDays:
				return usageError("--within-days %d: want 0 or more days (-1 for no limit)", o.WithinDays)
			}
			r := payables.Rule{Method: method, Account: o.For, Manual: o.Manual, Active: !o.Off, Party: payables.SameSupplier,
				SameBank: o.SameBank, Within: o.WithinDays}
			if o.SameParent {
				r.Party = payables.SameParent
			}
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := disburse.SetRule(cmd.Context(), ps, cr, r); err != nil {
				return err
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, ruleJSONOf(r))
			}
			fmt.Fprintf(env.Out, "grouping rule set: %s\n", r)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Auto, "auto", false, "the automatic rule, applied when pointing (default)")
	f.BoolVar(&o.Manual, "manual", false, "the manual rule, checked by remit payables group")
	f.BoolVar(&o.Off, "off", false, "keep the rule, inactive")
	f.BoolVar(&o.SameSupplier, "same-supplier", false, "one supplier (tiers identiques; the default)")
	f.BoolVar(&o.SameParent, "same-parent", false, "the suppliers of one parent account (centrale identique)")
	f.BoolVar(&o.SameBank, "same-bank", false, "the payables name the same bank (banque prévue identique)")
	f.BoolVar(&o.SameIBAN, "same-iban", true, "always: a transfer credits one account")
	f.BoolVar(&o.SameCurrency, "same-currency", true, "always: a payment has one currency")
	f.IntVar(&o.WithinDays, "within-days", payables.AnyDays, "due dates at most this many days apart (-1: no limit)")
	f.StringVar(&o.For, "for", "", "set the rule for this supplier or parent account only")
	addFormat(cmd, "table", "json")
	return cmd
}

func newGroupingShowCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the grouping rules",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return groupingShow(cmd, env) },
	}
	addFormat(cmd, "table", "json")
	return cmd
}

// ruleJSON is a grouping rule as grouping show prints it.
type ruleJSON struct {
	Method     string `json:"method"`
	Mode       string `json:"mode"` // auto or manual
	Account    string `json:"account,omitempty"`
	Active     bool   `json:"active"`
	Party      string `json:"party"`
	SameBank   bool   `json:"same_bank"`
	WithinDays *int   `json:"within_days"` // null: no limit
	Text       string `json:"text"`
}

func ruleJSONOf(r payables.Rule) ruleJSON {
	party := r.Party
	if party == "" {
		party = payables.SameSupplier
	}
	j := ruleJSON{Method: string(r.Method), Mode: "auto", Account: r.Account, Active: r.Active, Party: string(party),
		SameBank: r.SameBank, Text: r.String()}
	if r.Manual {
		j.Mode = "manual"
	}
	if r.Within >= 0 {
		n := r.Within
		j.WithinDays = &n
	}
	return j
}

func groupingShow(cmd *cobra.Command, env *Env) error {
	st, ps, cr, err := env.openPayables(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	rules, err := ps.GroupingRules(cmd.Context(), cr.ID)
	if err != nil {
		return err
	}
	if outputFormat(cmd) == "json" {
		out := []ruleJSON{}
		for _, r := range rules {
			out = append(out, ruleJSONOf(r))
		}
		return writeJSON(env, out)
	}
	if len(rules) == 0 {
		fmt.Fprintln(env.Out, "no grouping rule: each payable is paid on its own, and any manual group of one payment is accepted")
		return nil
	}
	for _, r := range rules {
		fmt.Fprintln(env.Out, r)
	}
	return nil
}

func newGroupingDeleteCmd(env *Env) *cobra.Command {
	var manual bool
	var account string
	cmd := &cobra.Command{
		Use:     "delete METHOD",
		Short:   "Delete the automatic (or --manual) grouping rule of a method",
		Example: `  remit grouping delete vir --manual --for 401SUNCHEM`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			method, err := payables.ParseMethod(args[0])
			if err != nil || method == payables.MethodNone {
				return usageError("method %q: want vir or chq", args[0])
			}
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			ok, err := disburse.DeleteRule(cmd.Context(), ps, cr, method, account, manual)
			if err != nil {
				return err
			}
			r := payables.Rule{Method: method, Account: account, Manual: manual}
			what := r.String()
			what = what[:len(what)-len(": off")]
			if !ok {
				return usageError("no grouping rule %s", what)
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, map[string]string{"deleted": what})
			}
			fmt.Fprintf(env.Out, "grouping rule deleted: %s\n", what)
			return nil
		},
	}
	cmd.Flags().BoolVar(&manual, "manual", false, "the manual rule")
	cmd.Flags().StringVar(&account, "for", "", "the rule of this account")
	addFormat(cmd, "table", "json")
	return cmd
}
