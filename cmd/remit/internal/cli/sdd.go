package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa/pain008"
)

func init() { extraCommands = append(extraCommands, newSDDCmd) }

func newSDDCmd(env *Env) *cobra.Command {
	cmd, opts := newRemitCmd(env, &cobra.Command{
		Use:   "sdd",
		Short: "Turn pointed SEPA direct-debit receivables into pain.008 remittances",
		Long: `sdd takes every pointed receivable with method sdd, decides each one's sequence type
(FRST, RCUR, OOFF) from its mandate's history and its requested collection date
(the due date moved to a TARGET2 business day, no earlier than the bank's lead
days allow), checks the EPC rules, and writes PAIEMENT.<ref>.xml files into --out.

A receivable that breaks a rule stays pointed with its reason and what to do
(remit list --refused lists them); the others are remitted and the exit status
is 3 (5 when every one was refused and nothing was remitted).
Run again with nothing new pointed, it writes nothing and exits 0.`,
		Example: `  remit sdd
  remit sdd --scheme B2B --pain 02 --split sequence --dry-run
  remit sdd --max-tx 500 --batch-booking=false --json`,
	}, sddRun)
	f := cmd.Flags()
	f.String("scheme", "", "CORE or B2B only (default: both, in separate files)")
	choices(f, "scheme", "CORE", "B2B", "")
	f.String("pain", "08", "pain.008 version: 08 (pain.008.001.08) or 02 (pain.008.001.02)")
	choices(f, "pain", "08", "02")
	valueKind(f, "pain", "pain")
	f.String("split", sdd.SplitNone, "none (one file per scheme), sequence (FRST and RCUR apart) or pmtinf (one payment block per file)")
	choices(f, "split", sdd.SplitNone, sdd.SplitSequence, sdd.SplitPmtInf)
	f.Int("max-tx", 0, "at most this many transactions per file")
	intRange(f, "max-tx", 0, 1<<30)
	f.String("max-amount", "", "at most this amount per file, e.g. 500000.00")
	valueKind(f, "max-amount", "amount")
	f.String("batch-booking", "true", "BtchBookg: true (one line on the statement), false (one per debit) or omit")
	choices(f, "batch-booking", "true", "false", "omit")
	valueKind(f, "batch-booking", "batch-booking")
	f.Bool("rcur-only", false, "send first collections as RCUR (EPC allows it since 2016); default: the creditor's setting")
	f.String("collection-date", "", "request this collection date for every debit (YYYY-MM-DD)")
	valueKind(f, "collection-date", "date")
	f.Int("lead-days", 1, "TARGET2 business days the bank needs before the collection date (D-1 = 1)")
	intRange(f, "lead-days", 0, 30)
	f.String("cutoff", "16:00", "the bank's daily cut-off time: files sent later count from the next business day")
	valueKind(f, "cutoff", "clock")
	f.Bool("cfonb", false, "also write the national direct-debit file PAIEMENT.<ref> (CFONB 160, operation 08)")
	remitFlags{bank: "only the receivables that go to this bank (its code: remit banks); default every bank, a remittance each",
		strict: "refuse the whole run when any receivable is refused", noBordereau: "do not write the PDF remittance slip BORDEREAU.<ref>.pdf"}.add(cmd, opts)
	return cmd
}

// sddOptionsFromConfig reads the sdd.* keys (flags, environment, file).
func sddOptionsFromConfig(v *viper.Viper) (sdd.Options, error) {
	o := sdd.Options{Scheme: strings.ToUpper(v.GetString("sdd.scheme")), Split: v.GetString("sdd.split"),
		MaxTx: v.GetInt("sdd.max_tx"), LeadDays: v.GetInt("sdd.lead_days"), CFONB: v.GetBool("sdd.cfonb"),
		Bank: strings.ToUpper(strings.TrimSpace(v.GetString("sdd.bank")))}
	if !v.IsSet("sdd.lead_days") {
		o.LeadDays = 1
	}
	if v.IsSet("sdd.rcur_only") {
		// Given (flag, environment or file), it overrides the creditor's
		// setting either way: --rcur-only=false sends FRST for one run.
		o.RCUROnly = new(v.GetBool("sdd.rcur_only"))
	}
	var err error
	if o.Common, err = remitCommonWithSlip(v, "sdd"); err != nil {
		return o, err
	}
	pain := v.GetString("sdd.pain")
	if pain == "" {
		pain = "08"
	}
	if o.Version, err = pain008.ParseVersion(pain); err != nil {
		return o, usageError("--pain: %v", err)
	}
	if s := v.GetString("sdd.max_amount"); s != "" {
		if o.MaxAmount, err = remit.ParseAmount(s); err != nil {
			return o, usageError("--max-amount %q: %v", s, err)
		}
	}
	if o.BatchBooking, o.Cutoff, err = batchAndCutoff(v, "sdd"); err != nil {
		return o, err
	}
	o.CollectionDate, err = remitDate(v, "sdd.collection_date", "collection-date")
	return o, err
}

func sddRun(opts *remitOptions) error {
	o, err := sddOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	return opts.run(remitRun{bar: "sdd", isUsage: func(err error) bool { return strings.Contains(err.Error(), ": want ") }},
		func(store.Store) collect.Job { return sdd.Job(o) })
}
