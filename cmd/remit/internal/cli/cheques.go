package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newChequesCmd) }

func newChequesCmd(env *Env) *cobra.Command {
	cmd, opts := newRemitCmd(env, &cobra.Command{
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
	}, chequesRun)
	remitFlags{bank: "only the cheques that go to this bank (its code: remit banks); default every bank, a remise each",
		strict: "refuse the whole remise when any cheque is refused"}.add(cmd, opts)
	return cmd
}

// chequesOptionsFromConfig reads the cheques.* keys (flags, environment, file).
func chequesOptionsFromConfig(v *viper.Viper) cheque.Options {
	return cheque.Options{Bank: strings.ToUpper(strings.TrimSpace(v.GetString("cheques.bank"))),
		Account: strings.TrimSpace(v.GetString("entries.cheque_account")), Common: remitCommon(v, "cheques")}
}

func chequesRun(opts *remitOptions) error {
	o := chequesOptionsFromConfig(opts.Config)
	o.DryRun = opts.DryRun
	return opts.run(remitRun{bar: "chq", isUsage: func(err error) bool { return strings.Contains(err.Error(), "cheque account") }},
		func(store.Store) collect.Job { return cheque.Job(o) })
}
