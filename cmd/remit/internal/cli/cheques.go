package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
)

type chequesOptions struct {
	*Env
	DryRun bool
	cmd    *cobra.Command
}

func init() { extraCommands = append(extraCommands, newChequesCmd) }

func newChequesCmd(env *Env) *cobra.Command {
	opts := &chequesOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "cheques",
		Short: "Deposit the pointed received cheques: a remise de chèques per bank, its slip and entries",
		Long: `cheques takes every pointed receivable with method chq and makes a remise de chèques
per bank (a receivable's journal picks its bank, else the default bank): the
bordereau de versement BORDEREAU.<ref>.pdf that goes to the bank with the
cheques (the account credited, with its RIB; each cheque's number, drawer,
drawer's bank and amount; the count and total), and the entries booking the
cheques on 511200 (chèques à encaisser; entries.cheque_account) until the bank
credits them, when a statement books them on the bank's account.

A cheque without its number (the cheque_number column of the import), or with
more than 7 digits, stays pointed with its reason (remit list --refused lists
them); the exit status is then 3 (5 when every one was refused).`,
		Example: `  remit cheques
  remit cheques --bank BQ2 --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return chequesRun(opts)
		},
	}
	f := cmd.Flags()
	f.String("bank", "", "only the cheques that go to this bank (its code: remit banks); default every bank, a remise each")
	f.Bool("strict", false, "refuse the whole remise when any cheque is refused")
	f.BoolVar(&opts.DryRun, "dry-run", false, "check and print the plan; write nothing")
	addFormat(cmd, "table", "json")
	return cmd
}

// chequesOptionsFromConfig reads the cheques.* keys (flags, environment, file).
func chequesOptionsFromConfig(v *viper.Viper) cheque.Options {
	return cheque.Options{Bank: strings.ToUpper(strings.TrimSpace(v.GetString("cheques.bank"))),
		Account: strings.TrimSpace(v.GetString("entries.cheque_account")),
		Common: collect.Common{Strict: v.GetBool("cheques.strict"), OutDir: v.GetString("out"),
			NameTemplate: v.GetString("files.template")}}
}

func chequesRun(opts *chequesOptions) error {
	ctx := opts.cmd.Context()
	o := chequesOptionsFromConfig(opts.Config)
	o.DryRun = opts.DryRun
	st, cr, err := opts.storeAndCreditor(opts.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := remitProgress(opts.Env, ctx, st, cr, "chq")
	res, err := collect.Run(remit.WithProgress(ctx, bar.remit("CHQ", bar.total())), st, cr, cheque.Job(o))
	bar.finish()
	return reportRun(opts.Env, opts.cmd, res, err, func(err error) bool { return strings.Contains(err.Error(), "cheque account") })
}
