package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newLCRCmd) }

func newLCRCmd(env *Env) *cobra.Command {
	cmd, opts := newRemitCmd(env, &cobra.Command{
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
	}, lcrRun)
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
	remitFlags{bank: "only the bills that go to this bank (its code: remit banks); default every bank, a remittance each",
		strict: "refuse the whole run when any receivable is refused", noBordereau: "do not write the PDF remittance slip BORDEREAU.<ref>.pdf"}.add(cmd, opts)
	return cmd
}

// lcrOptionsFromConfig reads the lcr.* keys (flags, environment, file).
func lcrOptionsFromConfig(v *viper.Viper) (lcr.Options, error) {
	o := lcr.Options{EntryCode: v.GetInt("lcr.entry_code"), Dailly: v.GetString("lcr.dailly"), EOL: strings.ToLower(v.GetString("lcr.eol")),
		Bank: strings.ToUpper(strings.TrimSpace(v.GetString("lcr.bank")))}
	var err error
	if o.Common, err = remitCommonWithSlip(v, "lcr"); err != nil {
		return o, err
	}
	o.ValueDate, err = remitDate(v, "lcr.value_date", "value-date")
	return o, err
}

func lcrRun(opts *remitOptions) error {
	o, err := lcrOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	return opts.run(remitRun{bar: "lcr", isUsage: func(err error) bool {
		m := err.Error()
		return strings.Contains(m, "code entrée") || strings.Contains(m, "date de valeur") || strings.Contains(m, "Dailly") ||
			strings.Contains(m, "separator")
	}}, func(store.Store) collect.Job { return lcr.Job(o) })
}
