package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/payables"
)

type payablesPointOptions struct {
	*Env
	Sel         payableSelection
	Target      string
	Currency    string
	Order       string
	NoDiscounts bool
	LeadDays    int
}

func newPayablesPointCmd(env *Env) *cobra.Command {
	opts := &payablesPointOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "point",
		Short: "Point the open payables the filters select for payment, grouped by the automatic rules",
		Long: `point prepares the payment of the open payables the filters select (seed 002, step 2):
each becomes pointed, and the next remit sct (transfers) or remit pay-cheques
(cheques) pays it. Payables of one supplier (or of one parent account) are
grouped into one payment by the automatic grouping rule of their method (remit
grouping set … --auto): a group is one transfer or one cheque, its credit notes
netted, its early-payment discounts taken when the payment is executed by their
last date. A group that pays nothing (its credit notes at least its invoices)
is not pointed, and says why.

Contested payables, unapproved ones when the creditor requires a bon à payer,
payables without a method and transfers in another currency than the euro are
never pointed: each is listed with the reason and what to do.

With --target (montant à pointer) the payments are taken in --order until the
amount is reached, never exceeding it: priority-due takes the most urgent
priority (0) first, then the earliest due date; due-priority the other way.`,
		Example: `  remit payables point --method vir --due-to 2026-12-31
  remit payables point --method vir --target 50000.00 --order priority-due`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return payablesPointRun(cmd, opts) },
	}
	f := cmd.Flags()
	opts.Sel.register(f, false)
	f.StringVar(&opts.Target, "target", "", "amount to reach without exceeding it (montant à pointer), e.g. 50000.00")
	valueKind(f, "target", "amount")
	f.StringVar(&opts.Currency, "currency", "EUR", "with --target: the currency of the target")
	f.StringVar(&opts.Order, "order", payables.OrderPriorityDue, "with --target: priority-due (priority 0 first, then by due date) or due-priority")
	choices(f, "order", payables.OrderPriorityDue, payables.OrderDuePriority)
	f.BoolVar(&opts.NoDiscounts, "no-discounts", false, "take no early-payment discount (escompte) when reaching the target")
	f.IntVar(&opts.LeadDays, "lead-days", 0, "TARGET2 business days a payment is executed before its due date (as remit sct --lead-days)")
	intRange(f, "lead-days", 0, 30)
	addFormat(cmd, "table", "json")
	return cmd
}

func payablesPointRun(cmd *cobra.Command, opts *payablesPointOptions) error {
	f, err := opts.Sel.filter()
	if err != nil {
		return err
	}
	var target int64
	if opts.Target != "" {
		if target, err = remit.ParseAmount(opts.Target); err != nil {
			return usageError("--target %q: %v", opts.Target, err)
		}
	}
	st, ps, cr, err := opts.openPayables(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := disburse.Point(cmd.Context(), ps, cr, f, disburse.PointOptions{Now: opts.Now(), Lead: opts.LeadDays, Target: target,
		TargetCurrency: strings.ToUpper(opts.Currency), Order: opts.Order, SkipDiscounts: opts.NoDiscounts})
	if err != nil {
		return err
	}
	if outputFormat(cmd) == "json" {
		return writeJSON(opts.Env, pointJSONOf(res))
	}
	writePayablesPointed(opts.Out, res)
	return nil
}

// paymentJSON is a prepared payment as point and group print it.
type paymentJSON struct {
	Group     string      `json:"group,omitempty"`
	Method    string      `json:"method"`
	Payee     string      `json:"payee"`
	Name      string      `json:"name"`
	Currency  string      `json:"currency"`
	Documents []string    `json:"documents"`
	Total     string      `json:"total"`
	Discount  string      `json:"discount"`
	Net       string      `json:"net"`
	Date      string      `json:"execution_date"`
	Discounts []takenJSON `json:"discounts,omitempty"`
}

type takenJSON struct {
	Document string `json:"document"`
	Rate     string `json:"rate"`
	Amount   string `json:"amount"`
}

type leftJSON struct {
	Document string          `json:"document"`
	Supplier string          `json:"supplier"`
	Amount   string          `json:"amount"`
	Currency string          `json:"currency"`
	DueDate  string          `json:"due_date"`
	Reason   payables.Reason `json:"reason"`
}

type payablesPointJSON struct {
	Payments   []paymentJSON   `json:"payments"`
	NotPointed []leftJSON      `json:"not_pointed"`
	Totals     []currencyTotal `json:"totals"`
	Target     string          `json:"target,omitempty"`
	Problems   []string        `json:"problems,omitempty"`
}

func paymentJSONOf(p disburse.Payment) paymentJSON {
	j := paymentJSON{Method: string(p.Method), Payee: p.Payee, Name: p.Name, Currency: p.Currency, Documents: p.Documents(),
		Total: remit.FormatAmount(p.Total), Discount: remit.FormatAmount(p.Discount), Net: remit.FormatAmount(p.Net),
		Date: remit.FormatDate(p.Date)}
	if p.ID != 0 {
		j.Group = fmt.Sprintf("G%d", p.ID)
	}
	for _, t := range p.Discounts {
		j.Discounts = append(j.Discounts, takenJSON{Document: t.Document, Rate: t.Rate.Decimal(), Amount: remit.FormatAmount(t.Amount)})
	}
	return j
}

func pointJSONOf(res *disburse.PointResult) payablesPointJSON {
	j := payablesPointJSON{Payments: []paymentJSON{}, NotPointed: []leftJSON{}, Totals: totalsJSON(res.Totals), Problems: res.Problems}
	if res.Target > 0 {
		j.Target = remit.FormatAmount(res.Target)
	}
	for _, p := range res.Payments {
		j.Payments = append(j.Payments, paymentJSONOf(p))
	}
	for _, l := range res.Left {
		j.NotPointed = append(j.NotPointed, leftJSON{Document: l.Document, Supplier: l.Supplier, Amount: remit.FormatAmount(l.Amount),
			Currency: l.Currency, DueDate: remit.FormatDate(l.Due), Reason: l.Reason})
	}
	return j
}

// writePayment prints one prepared payment: its payee, what it pays, its
// documents and discounts.
func writePayment(w io.Writer, p disburse.Payment) {
	group := ""
	if p.ID != 0 {
		group = fmt.Sprintf(" (G%d)", p.ID)
	}
	fmt.Fprintf(w, "%s %s %s %s %s %s%s\n", fit(string(p.Method), 3), fit(p.Payee, 12), fit(p.Name, 26), remit.FormatDate(p.Date),
		right(remit.FormatAmountFR(p.Net), 14), p.Currency, group)
	if len(p.Members) > 1 || p.Discount != 0 {
		for _, m := range p.Members {
			fmt.Fprintf(w, "    %s %s %s\n", fit(m.Document, 20), remit.FormatDate(m.Due), right(remit.FormatAmountFR(m.Amount), 14))
		}
		for _, t := range p.Discounts {
			fmt.Fprintf(w, "    %s %s\n", fit("escompte "+t.Rate.String()+" "+t.Document, 31), right(remit.FormatAmountFR(-t.Amount), 14))
		}
	}
}

func writePayablesPointed(w io.Writer, res *disburse.PointResult) {
	for _, p := range res.Payments {
		writePayment(w, p)
	}
	target := ""
	if res.Target > 0 {
		target = fmt.Sprintf(" (target %s)", remit.FormatAmountFR(res.Target))
	}
	n := 0
	for _, p := range res.Payments {
		n += len(p.Members)
	}
	switch len(res.Totals) {
	case 0:
		fmt.Fprintf(w, "pointed 0 payables%s\n", target)
	default:
		fmt.Fprintf(w, "pointed %s in %s%s:\n", plural(n, "payable", "payables"), plural(len(res.Payments), "payment", "payments"), target)
		for _, t := range res.Totals {
			fmt.Fprintf(w, "  %s, total %s %s\n", plural(t.Count, "payment", "payments"), remit.FormatAmountFR(t.Total), t.Currency)
		}
	}
	for _, l := range res.Left {
		fmt.Fprintf(w, "not pointed: %s %s %s %s: %s\n", l.Document, l.Supplier, remit.FormatAmountFR(l.Amount), l.Currency, l.Reason)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "note: %s; paid one by one\n", p)
	}
}

func newPayablesUnpointCmd(env *Env) *cobra.Command {
	var sel payableSelection
	cmd := &cobra.Command{
		Use:   "unpoint",
		Short: "Put pointed payables back to open (annulation des préparations)",
		Long: `unpoint puts the pointed payables the filters select back to open, out of their
groups: the next payment run leaves them. A group left with one payable dissolves.`,
		Example: `  remit payables unpoint --document FA-2026-118
  remit payables unpoint --method chq`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := sel.filter()
			if err != nil {
				return err
			}
			st, ps, cr, err := env.openPayables(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			changed, err := disburse.Unpoint(cmd.Context(), ps, cr, f)
			if err != nil {
				return err
			}
			return printChanged(cmd, env, changed, "unpointed")
		},
	}
	sel.register(cmd.Flags(), false)
	addFormat(cmd, "table", "json")
	return cmd
}

// printChanged prints the payables a command changed: one line each, and
// the count; with --format json an object.
func printChanged(cmd *cobra.Command, env *Env, changed []disburse.Changed, verb string) error {
	if outputFormat(cmd) == "json" {
		if changed == nil {
			changed = []disburse.Changed{}
		}
		return writeJSON(env, struct {
			Payables []disburse.Changed `json:"payables"`
			Count    int                `json:"count"`
		}{changed, countPayables(changed)})
	}
	for _, c := range changed {
		if c.Document == "" {
			fmt.Fprintf(env.Out, "note: %s\n", c.Note)
			continue
		}
		note := ""
		if c.Note != "" {
			note = ": " + c.Note
		}
		fmt.Fprintf(env.Out, "%s %s %s%s\n", fit(c.Document, 14), fit(c.Supplier, 12), c.Status, note)
	}
	fmt.Fprintf(env.Out, "%s %s\n", verb, plural(countPayables(changed), "payable", "payables"))
	return nil
}

func countPayables(changed []disburse.Changed) int {
	n := 0
	for _, c := range changed {
		if c.Document != "" {
			n++
		}
	}
	return n
}
