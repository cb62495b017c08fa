package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/treasury"
)

func init() { extraCommands = append(extraCommands, newWriteOffCmd) }

func newWriteOffCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "writeoff DOCUMENT --reason REASON",
		Short: "Write a receivable off (abandon de créance, passage en pertes): never collected again",
		Long: `writeoff writes off what is open of a receivable (seed 000: "Imputation
analytique: Passage en pertes"): the écriture, in the OD journal dated --date
(default today), debits 654000 (pertes sur créances irrécouvrables;
entries.loss_account) and, with --vat, 445710 for the VAT recovered
(entries.vat_account), and credits the customer, lettered with the
receivable. The receivable is written off: remit point, sdd and lcr never
take it again, and an import cannot point it.

Refused (exit status 5, nothing recorded): a receivable unknown, written off
already, in a remittance not yet collected (its collection or return comes
first), paid, or no --reason.`,
		Example: `  remit writeoff F2026-0031 --reason "liquidation judiciaire"
  remit writeoff F2026-0031 --reason "certificat d'irrécouvrabilité" --vat 191.67 --date 2026-12-31`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return writeOffRun(cmd, env, args[0]) },
	}
	f := cmd.Flags()
	f.String("reason", "", "why it is lost: liquidation judiciaire, certificat d'irrécouvrabilité…")
	f.String("date", "", "date of the écriture (default today)")
	valueKind(f, "date", "date")
	f.String("vat", "", "the VAT included in the open amount, recovered (e.g. 191.67)")
	valueKind(f, "vat", "amount")
	addFormat(cmd, "table", "json")
	return cmd
}

func writeOffRun(cmd *cobra.Command, env *Env, document string) error {
	reason, _ := cmd.Flags().GetString("reason")
	if strings.TrimSpace(reason) == "" {
		return usageError("--reason is required: why the receivable is lost (liquidation judiciaire, …)")
	}
	req := treasury.WriteOffRequest{Document: document, Reason: reason}
	var err error
	if req.Date, err = dateFlag(cmd, env, "date"); err != nil {
		return err
	}
	if s, _ := cmd.Flags().GetString("vat"); s != "" {
		if req.VAT, err = remit.ParseAmount(s); err != nil {
			return usageError("--vat %q: %v", s, err)
		}
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := collect.WriteOff(cmd.Context(), st, cr, req)
	if err != nil {
		return refusedError(err)
	}
	if outputFormat(cmd) == "json" {
		return writeJSON(env, struct {
			Document   string `json:"document"`
			Customer   string `json:"customer"`
			Date       string `json:"date"`
			Reason     string `json:"reason"`
			Amount     string `json:"amount"`
			VAT        string `json:"vat"`
			Loss       string `json:"loss"`
			Status     string `json:"status"`
			ExitStatus int    `json:"exit_status"`
		}{w.Document, w.Customer, jsonDay(w.Date), w.Reason, remit.FormatAmount(w.Amount), remit.FormatAmount(w.VAT),
			remit.FormatAmount(w.Loss), statusName(ExitOK), ExitOK})
	}
	fmt.Fprintf(env.Out, "%s (%s) written off on %s: %s, %s\n", w.Document, w.Customer, frDate(w.Date), remit.FormatAmountFR(w.Amount), w.Reason)
	fmt.Fprintf(env.Out, "  %s debit  %s\n", fit(w.LossAccount, 12), right(remit.FormatAmountFR(w.Loss), 13))
	if w.VAT > 0 {
		fmt.Fprintf(env.Out, "  %s debit  %s\n", fit(w.VATAccount, 12), right(remit.FormatAmountFR(w.VAT), 13))
	}
	fmt.Fprintf(env.Out, "  %s credit %s\n", fit(w.Customer, 12), right(remit.FormatAmountFR(w.Amount), 13))
	return nil
}
