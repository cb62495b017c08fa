package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

func init() { extraCommands = append(extraCommands, newForecastCmd) }

type forecastOptions struct {
	*Env
	cmd    *cobra.Command
	banks  []string
	to     string
	output string
}

func newForecastCmd(env *Env) *cobra.Command {
	opts := &forecastOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "forecast",
		Short: "Project each bank's balance day by day (soldes prévisionnels): table, JSON or a PDF with the curve",
		Long: `forecast projects each bank's balance day by day to --to, from its validated balance
(solde validé: remit bank balance, or the last statement imported), as seed 003's
treasury module does:
  - remittances not yet credited by a statement, on their expected value date:
    their collection date (SDD), due date (LCR) or deposit day (cheques) plus
    the bank's value days for that type of operation (remit bank --value-days),
    in TARGET2 business days;
  - receivables not yet remitted (open, pointed or rejected), on their due date
    plus the value days of their method, at the bank of their journal;
  - payments to make (supplier payments, once they exist), out of their bank.
An operation expected on or before the validated date and not yet reconciled is
counted the day after it (seed 003: "le système prévoira que cette opération aura
lieu le lendemain de la date de validation du compte").

--format pdf writes PREVISION.<to>.pdf into --out (or -o FILE): each bank on a
page of its own, the curve of its balance with its limit, and the days with
movements. Without --bank, the banks without a validated balance are left out
and named.`,
		Example: `  remit forecast --to 2027-01-31
  remit forecast --bank BQ1 --to 2027-01-31 --format pdf
  remit forecast --to 2027-01-31 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return forecastRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.banks, "bank", nil, "only this bank (its code); repeat for several; default every bank with a validated balance")
	f.StringVar(&opts.to, "to", "", "the last day of the forecast (YYYY-MM-DD or DD/MM/YYYY); required")
	valueKind(f, "to", "date")
	f.StringVarP(&opts.output, "output", "o", "", "with --format pdf: the file to write (default PREVISION.<to>.pdf in --out)")
	addFormat(cmd, "table", "json", "pdf")
	return cmd
}

// forecastJSON is what forecast --format json prints.
type forecastJSON struct {
	To    string                `json:"to"`
	Banks []treasury.Projection `json:"banks"`
	// Left are the banks left out: without a validated balance.
	Left []string `json:"left_out,omitempty"`
}

func forecastRun(o *forecastOptions) error {
	if strings.TrimSpace(o.to) == "" {
		return usageError("remit forecast: --to is required (the last day of the forecast)")
	}
	to, err := remit.ParseDate(o.to)
	if err != nil {
		return usageError("--to %q: %v", o.to, err)
	}
	ctx := o.cmd.Context()
	st, cr, err := o.storeAndCreditor(o.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	ps, left, err := forecast(ctx, st, cr, o.banks, to, outputFormat(o.cmd) != "json")
	if err != nil {
		return err
	}
	res := forecastJSON{To: remit.FormatDate(to), Banks: ps, Left: left}
	switch outputFormat(o.cmd) {
	case "pdf":
		_, err := writeDocument(o.Env, st, o.output, "PREVISION."+remit.FormatDate(to)+".pdf", "", func(w io.Writer) error {
			_, err := bordereau.WriteForecast(w, bordereau.Forecast{Company: cr.Name, To: to}, treasury.ForecastAccounts(ps),
				bordereau.ForecastOptions{Now: o.Now()})
			return err
		})
		if err != nil {
			return err
		}
		for _, l := range left {
			o.warnf("%s", l)
		}
		return nil
	case "json":
		return writeJSON(o.Env, res)
	}
	for i := range ps {
		if i > 0 {
			fmt.Fprintln(o.Out)
		}
		printProjection(o.Out, &ps[i])
	}
	for _, l := range left {
		fmt.Fprintf(o.Out, "note: %s\n", l)
	}
	return nil
}

// forecast projects the banks only names (every bank with a validated
// balance when none), and says which were left out.
func forecast(ctx context.Context, st store.Store, cr remit.Creditor, only []string, to time.Time, daysOnly bool) ([]treasury.Projection, []string, error) {
	var left []string
	if len(only) == 0 {
		banks, err := st.Banks(ctx, cr.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(banks) == 0 {
			return nil, nil, usageError("no bank yet: remit bank add CODE --iban … --name … --account 512… (or remit creditor set --iban)")
		}
		for _, b := range banks {
			if b.BalanceDate.IsZero() {
				left = append(left, fmt.Sprintf("bank %s has no validated balance: set it (remit bank balance %s --amount … --date …) or import a statement",
					b.Code, b.Code))
				continue
			}
			only = append(only, b.Code)
		}
		if len(only) == 0 {
			return nil, nil, usageError("%s", strings.Join(left, "; "))
		}
	}
	for i := range only {
		only[i] = strings.ToUpper(strings.TrimSpace(only[i]))
	}
	ps, err := collect.Forecast(ctx, st, kinds(), cr, collect.ForecastOptions{Only: only, To: to, Payables: paymentsDue(st),
		DaysOnly: daysOnly})
	if errors.Is(err, treasury.ErrNoBalance) || errors.Is(err, treasury.ErrPeriod) || errors.Is(err, treasury.ErrNoBank) {
		return nil, nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return ps, left, err
}

// printProjection writes a bank's forecast as a table: the days with
// movements and the balance at the end of each.
func printProjection(w io.Writer, p *treasury.Projection) {
	fmt.Fprintf(w, "bank %s  %s  %s\n", p.Bank, p.Name, p.IBAN)
	limit := "none"
	if p.Limit != 0 {
		limit = remit.FormatAmountFR(p.Limit)
	}
	fmt.Fprintf(w, "  validated balance %s on %s, limit %s\n", remit.FormatAmountFR(p.Balance), p.BalanceDate.Format("02/01/2006"), limit)
	if len(p.Days) > 0 {
		fmt.Fprintf(w, "  %s %s %s %s\n", fit("DATE", 10), right("IN", 14), right("OUT", 14), right("BALANCE", 15))
	}
	for _, d := range p.Days {
		mark := ""
		if d.BelowLimit {
			mark = "  below the limit"
		}
		fmt.Fprintf(w, "  %s %s %s %s%s\n", d.Date.Format("02/01/2006"), right(remit.FormatAmountFR(d.In), 14),
			right(remit.FormatAmountFR(d.Out), 14), right(remit.FormatAmountFR(d.Balance), 15), mark)
	}
	fmt.Fprintf(w, "  balance on %s: %s; lowest %s on %s\n", p.To.Format("02/01/2006"), remit.FormatAmountFR(p.Final),
		remit.FormatAmountFR(p.Lowest), p.LowestDate.Format("02/01/2006"))
	if !p.FirstBelow.IsZero() {
		fmt.Fprintf(w, "  below the limit from %s\n", p.FirstBelow.Format("02/01/2006"))
	}
	if n := p.LaterCount; n > 0 {
		fmt.Fprintf(w, "  later: %s expected after %s (%s)\n", plural(n, "operation", "operations"), p.To.Format("02/01/2006"),
			remit.FormatAmountFR(p.LaterTotal))
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// paymentsDue gives a forecast the supplier payments still to leave the
// banks, when the store keeps them.
func paymentsDue(st store.Store) collect.Payables {
	if pf, ok := st.(store.PaymentForecaster); ok {
		return pf.PaymentsDue
	}
	return nil
}
