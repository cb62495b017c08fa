package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newBanksCmd) }

func newBanksCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "banks",
		Short: "List the bank accounts: validated balance and date, projected balance in 30 days",
		Long: `banks lists the company's bank accounts (remit bank add): code (the treasury
journal; * marks the default bank), domiciliation, IBAN, account in the books,
validated balance (solde validé) and its date, the balance projected 30 days
from today (remit forecast: what remittances and receivables are still to
bring in), and the limit.`,
		Example: `  remit banks
  remit banks --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			banks, err := st.Banks(cmd.Context(), cr.ID)
			if err != nil {
				return err
			}
			on := remit.Day(env.Now()).AddDate(0, 0, projectedDays)
			projected, err := projectedBalances(cmd.Context(), st, cr, banks, on)
			if err != nil {
				return err
			}
			if outputFormat(cmd) == "json" {
				out := make([]bankJSON, len(banks))
				for i, b := range banks {
					out[i] = newBankJSON(b)
					if p, ok := projected[b.Code]; ok {
						amount, date := remit.FormatAmount(p), remit.FormatDate(on)
						out[i].Projected, out[i].ProjectedOn = &amount, &date
					}
				}
				return writeJSON(env, out)
			}
			printBanks(env.Out, banks, projected)
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

// bankJSON is a bank as programs read it: amounts as decimal strings.
type bankJSON struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	IBAN        string  `json:"iban"`
	BIC         string  `json:"bic"`
	Account     string  `json:"account"`
	NNE         string  `json:"nne"`
	ValueDays   string  `json:"value_days"`
	Limit       string  `json:"limit"`
	Substitute  string  `json:"substitute"`
	Default     bool    `json:"default"`
	Balance     *string `json:"balance"`      // null: no validated balance yet
	BalanceDate *string `json:"balance_date"` // YYYY-MM-DD
	// Projected is the balance forecast at the end of ProjectedOn, 30 days
	// from today (remit banks only); null without a validated balance.
	Projected   *string `json:"projected,omitempty"`
	ProjectedOn *string `json:"projected_on,omitempty"`
}

// projectedDays is how far remit banks projects each balance.
const projectedDays = 30

// projectedBalances are the balances of the banks with a validated balance
// forecast at the end of day on, by code.
func projectedBalances(ctx context.Context, st store.Store, cr remit.Creditor, banks []remit.Bank, on time.Time) (map[string]int64, error) {
	var only []string
	for _, b := range banks {
		if !b.BalanceDate.IsZero() && !b.BalanceDate.After(on) {
			only = append(only, b.Code)
		}
	}
	out := map[string]int64{}
	if len(only) == 0 {
		return out, nil
	}
	ps, err := collect.Forecast(ctx, st, kinds(), cr, collect.ForecastOptions{Only: only, To: on, Payables: paymentsDue(st), DaysOnly: true})
	if err != nil {
		return nil, fmt.Errorf("projected balances: %w", err)
	}
	for _, p := range ps {
		out[p.Bank] = p.Final
	}
	return out, nil
}

func newBankJSON(b remit.Bank) bankJSON {
	j := bankJSON{Code: b.Code, Name: b.Name, IBAN: b.IBAN, BIC: b.BIC, Account: b.Account, NNE: b.NNE, ValueDays: b.ValueDays.String(),
		Limit: remit.FormatAmount(b.Limit), Substitute: b.Substitute, Default: b.Default}
	if !b.BalanceDate.IsZero() {
		bal, date := remit.FormatAmount(b.Balance), remit.FormatDate(b.BalanceDate)
		j.Balance, j.BalanceDate = &bal, &date
	}
	return j
}

func printBanks(w io.Writer, banks []remit.Bank, projected map[string]int64) {
	if len(banks) == 0 {
		fmt.Fprintln(w, "no bank yet: remit bank add CODE --iban … --name … --account 512… (or remit creditor set --iban)")
		return
	}
	fmt.Fprintf(w, "%s %s %s %s %s %s %s %s\n", fit("BANK", 9), fit("NAME", 24), fit("IBAN", 27), fit("ACCOUNT", 8),
		right("BALANCE", 15), fit("ON", 10), right("IN 30 DAYS", 15), right("LIMIT", 13))
	for _, b := range banks {
		code := b.Code
		if b.Default {
			code += " *"
		}
		balance, on := "none", ""
		if !b.BalanceDate.IsZero() {
			balance, on = remit.FormatAmountFR(b.Balance), b.BalanceDate.Format("02/01/2006")
		}
		limit := ""
		if b.Limit != 0 {
			limit = remit.FormatAmountFR(b.Limit)
		}
		later := ""
		if p, ok := projected[b.Code]; ok {
			later = remit.FormatAmountFR(p)
		}
		line := fmt.Sprintf("%s %s %s %s %s %s %s %s", fit(code, 9), fit(b.Name, 24), fit(b.IBAN, 27), fit(b.Account, 8),
			right(balance, 15), fit(on, 10), right(later, 15), right(limit, 13))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w, "* the default bank: receivables of no bank's journal go to it")
}
