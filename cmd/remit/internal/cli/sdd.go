package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa/pain008"
)

type sddOptions struct {
	*Env
	DryRun bool
	cmd    *cobra.Command
}

func init() { extraCommands = append(extraCommands, newSDDCmd) }

func newSDDCmd(env *Env) *cobra.Command {
	opts := &sddOptions{Env: env}
	cmd := &cobra.Command{
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
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return sddRun(opts)
		},
	}
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
	f.String("bank", "", "only the receivables that go to this bank (its code: remit banks); default every bank, a remittance each")
	f.Bool("strict", false, "refuse the whole run when any receivable is refused")
	f.Bool("no-bordereau", false, "do not write the PDF remittance slip BORDEREAU.<ref>.pdf")
	addSlipFlag(f)
	f.BoolVar(&opts.DryRun, "dry-run", false, "check and print the plan; write nothing")
	addFormat(cmd, "table", "json")
	return cmd
}

// sddOptionsFromConfig reads the sdd.* keys (flags, environment, file).
func sddOptionsFromConfig(v *viper.Viper) (sdd.Options, error) {
	o := sdd.Options{Scheme: strings.ToUpper(v.GetString("sdd.scheme")), Split: v.GetString("sdd.split"),
		MaxTx: v.GetInt("sdd.max_tx"), LeadDays: v.GetInt("sdd.lead_days"), CFONB: v.GetBool("sdd.cfonb"),
		Bank: strings.ToUpper(strings.TrimSpace(v.GetString("sdd.bank"))),
		Common: collect.Common{Strict: v.GetBool("sdd.strict"), NoBordereau: v.GetBool("sdd.no_bordereau"),
			OutDir: v.GetString("out"), NameTemplate: v.GetString("files.template")}}
	if !v.IsSet("sdd.lead_days") {
		o.LeadDays = 1
	}
	if v.IsSet("sdd.rcur_only") {
		// Given (flag, environment or file), it overrides the creditor's
		// setting either way: --rcur-only=false sends FRST for one run.
		o.RCUROnly = new(v.GetBool("sdd.rcur_only"))
	}
	var err error
	if o.Slip, err = slipLayout(v, "sdd"); err != nil {
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
	bb := "true"
	if v.IsSet("sdd.batch_booking") {
		bb = v.GetString("sdd.batch_booking")
	}
	if o.BatchBooking, err = parseBatchBooking(bb); err != nil {
		return o, err
	}
	cutoff := "16:00"
	if v.IsSet("sdd.cutoff") {
		cutoff = v.GetString("sdd.cutoff")
	}
	if o.Cutoff, err = parseClock(cutoff); err != nil {
		return o, usageError("--cutoff: %v", err)
	}
	if s := v.GetString("sdd.collection_date"); s != "" {
		if o.CollectionDate, err = remit.ParseDate(s); err != nil {
			return o, usageError("--collection-date %q: %v", s, err)
		}
	}
	return o, nil
}

func sddRun(opts *sddOptions) error {
	ctx := opts.cmd.Context()
	o, err := sddOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	st, err := opts.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	cr, err := opts.creditor(ctx, st)
	if err != nil {
		return err
	}
	bar := remitProgress(opts.Env, ctx, st, cr, "sdd")
	res, err := collect.Run(remit.WithProgress(ctx, bar.remit("SDD", bar.total())), st, cr, sdd.Job(o))
	bar.finish()
	return reportRun(opts.Env, opts.cmd, res, err, func(err error) bool { return strings.Contains(err.Error(), ": want ") })
}

// remitProgress is the bar of a remittance command, as long as the
// creditor's pointed receivables of that kind; nil off a terminal.
func remitProgress(env *Env, ctx context.Context, st store.Store, cr remit.Creditor, kind string) *progress {
	if !env.isTerminal(env.Err) {
		return nil
	}
	pointed, err := st.PointedByMethod(ctx, cr.ID)
	if err != nil || pointed[kind] == 0 {
		return nil
	}
	return env.newProgress(int64(pointed[kind]), strings.ToUpper(kind), "receivables")
}

// reportRun prints what a remittance command did and maps the outcome to
// the exit status: a refused option is a usage error (2), a strict run that
// refused receivables fails (1), refused receivables make it partial (3),
// or refused (5) when nothing was remitted.
func reportRun(env *Env, cmd *cobra.Command, res *collect.Result, err error, isUsage func(error) bool) error {
	if err != nil && !errors.Is(err, collect.ErrRefusedStrict) {
		if isUsage(err) || errors.Is(err, collect.ErrUnknownBank) {
			return usageError("%v", err)
		}
		return err
	}
	exit := itemsExit(len(res.Remittances), len(res.Refused))
	if errors.Is(err, collect.ErrRefusedStrict) {
		exit = &ExitError{Code: ExitFailed, Err: err}
	}
	if outputFormat(cmd) == "json" {
		// The outcome in the object too, as remit run and import say it.
		code := exitCode(exit)
		status := statusName(code)
		if code == ExitOK && len(res.Remittances) == 0 {
			status = "nothing to do"
		}
		writeJSON(env, struct {
			*collect.Result
			Status     string `json:"status"`
			ExitStatus int    `json:"exit_status"`
		}{res, status, code})
	} else {
		printRun(env.Out, res)
	}
	return exit
}

func parseBatchBooking(s string) (*bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "1":
		t := true
		return &t, nil
	case "false", "no", "0":
		f := false
		return &f, nil
	case "omit", "":
		return nil, nil
	}
	return nil, usageError("--batch-booking %q: want true, false or omit", s)
}

// parseClock reads "16:00" as a duration since midnight.
func parseClock(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q: want HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// kindLabel names a remittance in lists, as its kind does.
func kindLabel(r remit.Remittance) string { return kinds().Label(r) }

// printRun prints what a remittance run did: each remittance with its
// files and blocks (SDD) or value date (LCR), then the refused receivables.
func printRun(w io.Writer, res *collect.Result) {
	words := wordsOf(res.Kind)
	if len(res.Remittances) == 0 && len(res.Refused) == 0 {
		fmt.Fprintf(w, "nothing to remit: no pointed %s %s\n", strings.ToUpper(string(res.Kind)), words.item)
	}
	for _, r := range res.Remittances {
		names := make([]string, len(r.Files))
		for i, f := range r.Files {
			names[i] = f.Name
		}
		file := strings.Join(names, ", ")
		if res.DryRun {
			file = "(dry run: no file written)"
		}
		report := collect.Report{Label: string(r.Kind)}
		if k, err := kinds().Kind(r.Kind); err == nil {
			report = k.Report(r)
		}
		if r.Bank != "" {
			file = "bank " + r.Bank + "  " + file
		}
		fmt.Fprintf(w, "remittance %s  %s  %s\n", r.Ref, report.Label, file)
		if report.ValueDate != "" {
			fmt.Fprintf(w, "  date de valeur %s\n", report.ValueDate)
		}
		if report.Blocks {
			for _, b := range r.Blocks {
				fmt.Fprintf(w, "  %s %s %s %s\n", fit(b.SequenceType, 5), b.Date, right(strconv.Itoa(b.Count), 8),
					right(remit.FormatAmountFR(b.Total), 16))
			}
		}
		fmt.Fprintf(w, "  %s %s %s\n", fit("total", 16), right(strconv.Itoa(r.Count), 8), right(remit.FormatAmountFR(r.Total), 16))
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(res.Refused) > 0 {
		fmt.Fprintf(w, "refused %s (left pointed; %s --refused lists %s):\n", plural(len(res.Refused), words.item, words.items), words.list,
			pronoun(len(res.Refused)))
		for _, r := range res.Refused {
			printRefusal(w, r.Document+" "+r.Customer+" "+refusedAmount(r), r)
		}
	}
}

// refusedAmount is a refused receivable's amount as tables write it, with
// its currency when it is not the euro of every remittance: 89,90 CHF.
func refusedAmount(r remit.Refusal) string {
	if r.Currency != "" && r.Currency != "EUR" {
		return frAmount(r.Amount) + " " + r.Currency
	}
	return frAmount(r.Amount)
}

// printRefusal prints a refused receivable, what it was refused for and
// what to do about it; a refusal an earlier run gave says since when.
func printRefusal(w io.Writer, what string, r remit.Refusal) {
	if !r.New && r.Since != "" {
		what += " (already reported on " + r.Since + ")"
	}
	fmt.Fprintf(w, "  %s: %s\n", what, strings.Join(r.Reasons, "; "))
	if r.Advice != "" {
		fmt.Fprintf(w, "    to do: %s\n", r.Advice)
	}
}
