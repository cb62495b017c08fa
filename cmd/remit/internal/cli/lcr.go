package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
)

type lcrOptions struct {
	*Env
	DryRun bool
	cmd    *cobra.Command
}

func init() { extraCommands = append(extraCommands, newLCRCmd) }

func newLCRCmd(env *Env) *cobra.Command {
	opts := &lcrOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "lcr",
		Short: "Turn pointed LCR/BOR receivables into a CFONB 160 remittance",
		Long: `lcr takes every pointed receivable with method lcr and writes one remise of lettres
de change relevé (and billets à ordre) in the CFONB 160-character format,
PAIEMENT.<ref>, with its bordereau BORDEREAU.<ref>.pdf.

The code entrée tells the bank what to do with the remittance:
  1 escompte (needs --value-date)        3 encaissement, crédit forfaitaire après échéance (default)
  2 escompte en valeur (needs --value-date)  4 encaissement, crédit après délai de retour des impayés
Each receivable's acceptance (acceptée, non acceptée, BOR) comes from its import.
A receivable that cannot go in the file (no French RIB, wrong key, passed due date…)
stays pointed with its reason and what to do (remit list --refused lists them);
the exit status is then 3 (5 when every one was refused and nothing was remitted).`,
		Example: `  remit lcr
  remit lcr --entry-code 1 --value-date 2026-12-04
  remit lcr --entry-code 3 --dailly 1 --eol lf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return lcrRun(opts)
		},
	}
	f := cmd.Flags()
	f.Int("entry-code", 3, "code entrée: 1 escompte, 2 escompte en valeur, 3 encaissement, 4 encaissement après délai")
	intRange(f, "entry-code", 1, 4)
	choices(f, "entry-code", "1", "2", "3", "4")
	f.String("value-date", "", "date de valeur for an escompte (codes 1 and 2), not in the past")
	valueKind(f, "value-date", "date")
	f.String("dailly", "", "code Dailly: blank (default), 0, 1 (cession escompte), 2 (nantissement), 3 (hors convention)")
	choices(f, "dailly", "", "0", "1", "2", "3")
	f.String("eol", "crlf", "record separator: crlf, lf or none")
	choices(f, "eol", "crlf", "lf", "none")
	f.String("bank", "", "only the bills that go to this bank (its code: remit banks); default every bank, a remittance each")
	f.Bool("strict", false, "refuse the whole run when any receivable is refused")
	f.Bool("no-bordereau", false, "do not write the PDF remittance slip BORDEREAU.<ref>.pdf")
	addSlipFlag(f)
	f.BoolVar(&opts.DryRun, "dry-run", false, "check and print the plan; write nothing")
	addFormat(cmd, "table", "json")
	return cmd
}

// lcrOptionsFromConfig reads the lcr.* keys (flags, environment, file).
func lcrOptionsFromConfig(v *viper.Viper) (lcr.Options, error) {
	o := lcr.Options{EntryCode: v.GetInt("lcr.entry_code"), Dailly: v.GetString("lcr.dailly"), EOL: strings.ToLower(v.GetString("lcr.eol")),
		Bank: strings.ToUpper(strings.TrimSpace(v.GetString("lcr.bank"))),
		Common: collect.Common{Strict: v.GetBool("lcr.strict"), NoBordereau: v.GetBool("lcr.no_bordereau"),
			OutDir: v.GetString("out"), NameTemplate: v.GetString("files.template")}}
	var err error
	if o.Slip, err = slipLayout(v, "lcr"); err != nil {
		return o, err
	}
	if s := v.GetString("lcr.value_date"); s != "" {
		d, err := remit.ParseDate(s)
		if err != nil {
			return o, usageError("--value-date %q: %v", s, err)
		}
		o.ValueDate = d
	}
	return o, nil
}

func lcrRun(opts *lcrOptions) error {
	ctx := opts.cmd.Context()
	o, err := lcrOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	st, cr, err := opts.storeAndCreditor(opts.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := remitProgress(opts.Env, ctx, st, cr, "lcr")
	res, err := collect.Run(remit.WithProgress(ctx, bar.remit("LCR", bar.total())), st, cr, lcr.Job(o))
	bar.finish()
	return reportRun(opts.Env, opts.cmd, res, err, func(err error) bool {
		m := err.Error()
		return strings.Contains(m, "code entrée") || strings.Contains(m, "date de valeur") || strings.Contains(m, "Dailly") ||
			strings.Contains(m, "separator")
	})
}
