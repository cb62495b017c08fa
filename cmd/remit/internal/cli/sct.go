package cli

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sct"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa/pain001"
)

func init() { extraCommands = append(extraCommands, newSCTCmd) }

func newSCTCmd(env *Env) *cobra.Command {
	cmd, opts := newRemitCmd(env, &cobra.Command{
		Use:   "sct",
		Short: "Pay the pointed transfer payables: pain.001 per bank, slip, entries",
		Long: `sct pays every pointed payable with method vir (remit payables point) by SEPA credit
transfer: its payments (a group of a supplier's payables, credit notes netted, is
one transfer) are dated (the due date, --lead-days business days before it, or the
last date of an early-payment discount when it comes first; --execution-date for
all), each is assigned to a bank (the payables' bank, else the default; moved to
the bank's substitute when its projected balance (remit forecast) would fall below its
disbursement limit, and the output says so; --bank for all, whatever the limit),
the EPC SCT rules are checked, and each bank's payments become one
PAIEMENT.<ref>.xml in --out (pain.001.001.09, or --pain 03), one payment block per
execution date, with its bordereau de paiements BORDEREAU.<ref>.pdf.

A payment that cannot be made leaves its payables pointed with the reason and
what to do (remit payables list --refused); the exit status is then 3 (5 when
nothing was paid). Run again with nothing new pointed, it writes nothing and
exits 0.`,
		Example: `  remit sct
  remit sct --pain 03 --bank BQ2 --execution-date 2026-12-15 --dry-run
  remit sct --cfonb`,
	}, sctRun)
	f := cmd.Flags()
	f.String("pain", "09", "pain.001 version: 09 (pain.001.001.09) or 03 (pain.001.001.03)")
	choices(f, "pain", "09", "03")
	f.String("execution-date", "", "execute every transfer on this date (moved to the next TARGET2 business day), not in the past")
	valueKind(f, "execution-date", "date")
	f.Int("lead-days", 0, "TARGET2 business days a transfer is executed before its due date")
	intRange(f, "lead-days", 0, 30)
	f.String("cutoff", "16:00", "the bank's daily cut-off time: after it, today is no longer an execution date")
	valueKind(f, "cutoff", "clock")
	f.String("batch-booking", "true", "BtchBookg: true (one line on the statement per block), false (one per transfer) or omit")
	choices(f, "batch-booking", "true", "false", "omit")
	valueKind(f, "batch-booking", "batch-booking")
	f.Bool("cfonb", false, "also write the CFONB 160 virement file PAIEMENT.<ref> (French accounts only)")
	f.Bool("no-discounts", false, "take no early-payment discount (escompte)")
	f.Bool("no-advices", false, "do not write the avis de paiement AVIS.<ref>.pdf (one per supplier)")
	remitFlags{bank: "pay every transfer from this bank (journal code), whatever its limit",
		strict: "refuse the whole run when any payable is refused", noBordereau: "do not write the PDF slip BORDEREAU.<ref>.pdf"}.add(cmd, opts)
	return cmd
}

// sctOptionsFromConfig reads the sct.* keys (flags, environment, file).
func sctOptionsFromConfig(v *viper.Viper) (sct.Options, error) {
	o := sct.Options{Bank: v.GetString("sct.bank"), LeadDays: v.GetInt("sct.lead_days"), CFONB: v.GetBool("sct.cfonb"),
		NoDiscounts: v.GetBool("sct.no_discounts"), NoAdvices: v.GetBool("sct.no_advices")}
	var err error
	if o.Common, err = remitCommonWithSlip(v, "sct"); err != nil {
		return o, err
	}
	pain := v.GetString("sct.pain")
	if pain == "" {
		pain = "09"
	}
	if o.Version, err = pain001.ParseVersion(pain); err != nil {
		return o, usageError("--pain: %v", err)
	}
	if o.BatchBooking, o.Cutoff, err = batchAndCutoff(v, "sct"); err != nil {
		return o, err
	}
	o.ExecutionDate, err = remitDate(v, "sct.execution_date", "execution-date")
	return o, err
}

func sctRun(opts *remitOptions) error {
	o, err := sctOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	return opts.run(remitRun{payables: true, isUsage: func(err error) bool {
		return errors.Is(err, sct.ErrOption) || errors.Is(err, payables.ErrBank)
	}}, func(st store.Store) collect.Job {
		o.Treasury = &projectedBanks{store: func() store.Store { return st }, override: o.Bank}
		return sct.Job(o)
	})
}
