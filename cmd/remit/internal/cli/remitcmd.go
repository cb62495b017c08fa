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
	"github.com/remit-dev/remit/remit/store"
)

// What the remittance commands (sdd, lcr, cheques, sct, pay-cheques)
// share: each plans and makes the remittances of its kind through
// collect.Run, and its file keeps only its help, its own flags, how it
// reads its options, and which of its errors are the user's.

// remitOptions are a remittance command's: its environment and --dry-run,
// the command once it runs.
type remitOptions struct {
	*Env
	DryRun bool
	cmd    *cobra.Command
}

// newRemitCmd completes a remittance command: no arguments, and run with
// its options filled.
func newRemitCmd(env *Env, cmd *cobra.Command, run func(*remitOptions) error) (*cobra.Command, *remitOptions) {
	opts := &remitOptions{Env: env}
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.cmd = cmd
		return run(opts)
	}
	return cmd, opts
}

// remitFlags are the flags every remittance command has, each with the
// command's own help: --bank, --strict, --no-bordereau and --slip (for a
// kind with a slip: noBordereau given), --dry-run and --format.
type remitFlags struct{ bank, strict, noBordereau string }

func (h remitFlags) add(cmd *cobra.Command, opts *remitOptions) {
	f := cmd.Flags()
	f.String("bank", "", h.bank)
	f.Bool("strict", false, h.strict)
	if h.noBordereau != "" {
		f.Bool("no-bordereau", false, h.noBordereau)
		addSlipFlag(f)
	}
	f.BoolVar(&opts.DryRun, "dry-run", false, "check and print the plan; write nothing")
	addFormat(cmd, "table", "json")
}

// remitCommon reads the options every remittance command has from its
// section of the configuration (flags, environment, file): strict, the
// output folder and the files' names.
func remitCommon(v *viper.Viper, section string) collect.Common {
	return collect.Common{Strict: v.GetBool(section + ".strict"), OutDir: v.GetString("out"), NameTemplate: v.GetString("files.template")}
}

// remitCommonWithSlip is remitCommon for a kind with a slip: no_bordereau
// and the slip too.
func remitCommonWithSlip(v *viper.Viper, section string) (collect.Common, error) {
	c := remitCommon(v, section)
	c.NoBordereau = v.GetBool(section + ".no_bordereau")
	var err error
	c.Slip, err = slipLayout(v, section)
	return c, err
}

// remitRun is how a remittance command runs its job: with a progress bar
// as long as its pointed receivables of method bar (none when bar is
// empty), on a store that keeps payables (payables), and which errors are
// the user's (isUsage: exit 2).
type remitRun struct {
	bar      string
	payables bool
	isUsage  func(error) bool
}

// run opens the store, finds the creditor, runs the job job gives on that
// store, prints what it did and returns the exit status (reportRun).
func (opts *remitOptions) run(r remitRun, job func(st store.Store) collect.Job) error {
	ctx := opts.cmd.Context()
	st, cr, err := opts.storeAndCreditor(opts.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	if r.payables {
		if _, err := payableStore(st); err != nil {
			return err
		}
	}
	var bar *progress
	if r.bar != "" {
		bar = remitProgress(opts.Env, ctx, st, cr, r.bar)
		ctx = remit.WithProgress(ctx, bar.remit(strings.ToUpper(r.bar), bar.total()))
	}
	res, err := collect.Run(ctx, st, cr, job(st))
	bar.finish()
	return reportRun(opts.Env, opts.cmd, res, err, r.isUsage)
}

// remitDate reads an optional date setting, key, given as --flag.
func remitDate(v *viper.Viper, key, flag string) (time.Time, error) {
	s := v.GetString(key)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := remit.ParseDate(s)
	if err != nil {
		return time.Time{}, usageError("--%s %q: %v", flag, s, err)
	}
	return d, nil
}

// batchAndCutoff reads section.batch_booking (true when nothing gives it)
// and section.cutoff (16:00), which sdd and sct share.
func batchAndCutoff(v *viper.Viper, section string) (batch *bool, cutoff time.Duration, err error) {
	bb := "true"
	if v.IsSet(section + ".batch_booking") {
		bb = v.GetString(section + ".batch_booking")
	}
	if batch, err = parseBatchBooking(bb); err != nil {
		return nil, 0, err
	}
	clock := "16:00"
	if v.IsSet(section + ".cutoff") {
		clock = v.GetString(section + ".cutoff")
	}
	if cutoff, err = parseClock(clock); err != nil {
		return nil, 0, usageError("--cutoff: %v", err)
	}
	return batch, cutoff, nil
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
