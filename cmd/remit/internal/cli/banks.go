package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
)

func init() { extraCommands = append(extraCommands, newBanksCmd) }

func newBanksCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "banks",
		Short: "List the bank accounts: validated balance and date",
		Long: `banks lists the company's bank accounts (remit bank add): code (the treasury
journal; * marks the default bank), domiciliation, IBAN, account in the books,
validated balance (solde validé) and its date, and the limit.`,
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
			if outputFormat(cmd) == "json" {
				out := make([]bankJSON, len(banks))
				for i, b := range banks {
					out[i] = newBankJSON(b)
				}
				return writeJSON(env, out)
			}
			printBanks(env.Out, banks)
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

func printBanks(w io.Writer, banks []remit.Bank) {
	if len(banks) == 0 {
		fmt.Fprintln(w, "no bank yet: remit bank add CODE --iban … --name … --account 512… (or remit creditor set --iban)")
		return
	}
	fmt.Fprintf(w, "%s %s %s %s %s %s %s\n", fit("BANK", 9), fit("NAME", 24), fit("IBAN", 34), fit("ACCOUNT", 8),
		right("BALANCE", 15), fit("ON", 10), right("LIMIT", 13))
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
		line := fmt.Sprintf("%s %s %s %s %s %s %s", fit(code, 9), fit(b.Name, 24), fit(b.IBAN, 34), fit(b.Account, 8),
			right(balance, 15), fit(on, 10), right(limit, 13))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w, "* the default bank: receivables of no bank's journal go to it")
}
