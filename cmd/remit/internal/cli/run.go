package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/chqout"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sct"
	"github.com/remit-dev/remit/remit/collect/sdd"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newRunCmd) }

type runOptions struct {
	*Env
	FailOnOldRefusals bool
	cmd               *cobra.Command
}

func newRunCmd(env *Env) *cobra.Command {
	opts := &runOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "The nightly job: remit everything that is pointed, for every creditor and method",
		Long: `run remits everything that is pointed, for every creditor of the database and every
method: SEPA direct debits (CORE and B2B, with the national file when sdd.cfonb is
set) and LCR, with the same code paths, options and configuration keys as
remit sdd and remit lcr; then it prints a summary (--json: one object).

Only one run at a time holds a database: a second one waits up to --wait, then
exits 4. Run twice, the second run does nothing. Killed half-way, the next run
finishes the job: every remittance is committed with its files, or not at all.

With --json the summary is one JSON line whatever happens: busy, bad settings
or a failure print it too, with "status" and "exit_status".

Exit status: 0 done or nothing to do, 3 some receivables refused (listed),
5 every receivable refused (nothing done), 1 a creditor or method failed (its
error in the summary; what the other parts did is committed and listed),
2 bad settings, 4 busy.

With --pay (run.pay: true in the configuration) it also pays the pointed
payables: transfers as remit sct does (sct.* keys), then cheques as remit
pay-cheques does (pay-cheques.* keys; their numbers follow the register's
last). A payable is paid once, whatever is killed or run twice.

A refusal counts once: a receivable refused for the same reasons as by an
earlier run (remit sdd, lcr or run) is listed as "already reported", in the
notes and in remit list --refused, but does not make the exit status 3 or 5
again, so that a cron job fails the night a refusal appears and not every
night after. A refusal whose reasons change, or of a receivable pointed
again, is new. --fail-on-old-refusals counts every refusal, every night.`,
		Example: `  15 2 * * *  cd /srv/remit && remit run --config /etc/remit.yaml --json >> /var/log/remit.jsonl`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return runRun(opts)
		},
	}
	addFormat(cmd, "table", "json")
	cmd.Flags().Bool("no-bordereau", false, "do not write the PDF slips")
	addSlipFlag(cmd.Flags())
	cmd.Flags().Bool("pay", false, "also pay the pointed payables: transfers (remit sct), then cheques (remit pay-cheques)")
	cmd.Flags().BoolVar(&opts.FailOnOldRefusals, "fail-on-old-refusals", false,
		"exit 3 (or 5) for refusals already reported by an earlier run too, not only for new ones")
	return cmd
}

// RunSummary is what `remit run --json` prints.
type RunSummary struct {
	RunID       string          `json:"run_id"`
	Start       string          `json:"start"`
	End         string          `json:"end"`
	Remittances []RunRemittance `json:"remittances"`
	Refused     []RunRefusal    `json:"refused"`
	RefusedNew  int             `json:"refused_new"` // of refused, those no earlier run reported
	Notes       []string        `json:"notes,omitempty"`
	Failures    []RunFailure    `json:"failures,omitempty"`
	ExitStatus  int             `json:"exit_status"`
	Status      string          `json:"status"`
	// Error is why a run stopped before its end: busy, bad settings, a failure.
	Error string           `json:"error,omitempty"`
	Files []remit.FileInfo `json:"-"`
}

// RunRemittance is one remittance a run made.
type RunRemittance struct {
	Creditor string           `json:"creditor"`
	Ref      string           `json:"ref"`
	Kind     string           `json:"kind"`
	Scheme   string           `json:"scheme,omitempty"`
	Files    []remit.FileInfo `json:"files"`
	Count    int              `json:"count"`
	Total    string           `json:"total"`
}

// RunRefusal is one receivable a run left pointed.
type RunRefusal struct {
	Creditor string `json:"creditor"`
	Kind     string `json:"kind"`
	remit.Refusal
}

// RunFailure is a creditor and method the run could not do.
type RunFailure struct {
	Creditor string `json:"creditor"`
	Kind     string `json:"kind"`
	Error    string `json:"error"`
}

// maskIBANs hides the account numbers in a log line.
func maskIBANs(s string) string { return ident.MaskIBANs(s) }

// acquireRunLock takes the run lock of an SQLite database, or of the
// creditors of a PostgreSQL one that the run takes (in id order, so that
// two runs never wait for each other crosswise), saying on stderr what it
// waits for when another run holds it.
func acquireRunLock(ctx context.Context, env *Env, db string, creditors []int64, wait time.Duration) (runLock, error) {
	lock, err := lockStore(ctx, db, creditors, 0)
	if err == nil || !errors.Is(err, store.ErrBusy) || wait <= 0 {
		return lock, err
	}
	env.infof("waiting up to %s for another remit run to finish with %s (--wait)…", wait, dbName(db))
	return lockStore(ctx, db, creditors, wait)
}

func newRunID(now time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func runRun(opts *runOptions) error {
	start := opts.Now()
	sum := &RunSummary{RunID: newRunID(start), Start: start.Format(time.RFC3339), Remittances: []RunRemittance{}, Refused: []RunRefusal{}}
	err := runAll(opts, sum)
	if err == nil || sum.Status != "" {
		return err
	}
	// Stopped before its end: the summary still says so.
	code := exitCode(err)
	if code == ExitOK {
		code = ExitFailed
	}
	if intr := interruption(opts.cmd.Context()); intr != nil {
		code, err = intr.Code(), intr
		opts.Log.Warn("run interrupted", "run_id", sum.RunID, "signal", signalName(intr.Signal), "exit_status", code)
	}
	sum.End = opts.Now().Format(time.RFC3339)
	sum.ExitStatus, sum.Status, sum.Error = code, statusName(code), maskIBANs(err.Error())
	if outputFormat(opts.cmd) == "json" {
		writeJSONLine(opts.Env, sum)
	}
	return &ExitError{Code: code, Err: err}
}

// runAll is the run; sum is what it did so far.
func runAll(opts *runOptions, sum *RunSummary) error {
	ctx := opts.cmd.Context()
	v := opts.Config
	log := opts.Log
	var st store.Store
	jobs, err := runJobs(v, sum.RunID, func() store.Store { return st })
	if err != nil {
		return err
	}
	st, lock, err := openRun(ctx, opts.Env)
	if err != nil {
		return err
	}
	defer lock.Release()
	defer st.Close()
	log.Info("run started", "run_id", sum.RunID, "db", dbName(v.GetString("db")), "out", v.GetString("out"))
	// What a killed remit left in out/ goes now, even when nothing is pointed.
	if err := collect.CleanOut(ctx, st, v.GetString("out")); err != nil {
		return err
	}
	creditors, pointed, all, err := runCreditors(ctx, st, v.GetString("creditor"))
	if err != nil {
		return err
	}
	var bar *progress
	if all > 0 {
		bar = opts.newProgress(int64(all), "run", "receivables")
	}
	defer bar.finish()
	done, errored := 0, false
	for i, cr := range creditors {
		for _, job := range jobs {
			kind := job.Kind()
			n := pointed[i][kind.Method()]
			if n == 0 || ctx.Err() != nil { // interrupted: no further part
				continue
			}
			pctx := remit.WithProgress(ctx, bar.remit(cr.Code+" "+strings.ToUpper(string(kind.Name())), n))
			res, err := collect.Run(pctx, st, cr, job)
			if err != nil && !errors.Is(err, collect.ErrRefusedStrict) {
				if isBusy(err) || errors.Is(err, store.ErrBusy) {
					return err
				}
				if ctx.Err() != nil {
					continue // interrupted: rolled back, nothing of this part kept
				}
				log.Error("remittance failed", "run_id", sum.RunID, "creditor", cr.Code, "kind", string(kind.Name()), "error", maskIBANs(err.Error()))
				sum.Failures = append(sum.Failures, RunFailure{Creditor: cr.Code, Kind: string(kind.Name()), Error: maskIBANs(err.Error())})
				errored = true
				continue
			}
			done += opts.add(sum, cr, res, err)
		}
	}
	bar.finish()
	return opts.finish(sum, done, errored)
}

// openRun opens the store for a run and takes the run lock: SQLite's
// first, for the whole database; PostgreSQL's once the store tells which
// creditors the run takes (--creditor, else every one).
func openRun(ctx context.Context, env *Env) (store.Store, runLock, error) {
	v := env.Config
	db, wait := v.GetString("db"), v.GetDuration("wait")
	if !isPostgres(db) {
		lock, err := acquireRunLock(ctx, env, db, nil, wait)
		if err != nil {
			return nil, nil, err
		}
		st, err := env.openStore()
		if err != nil {
			lock.Release()
			return nil, nil, err
		}
		return st, lock, nil
	}
	st, err := env.openStore()
	if err != nil {
		return nil, nil, err
	}
	creditors, err := st.Creditors(ctx)
	if code := v.GetString("creditor"); code != "" && err == nil {
		var c remit.Creditor
		c, err = st.Creditor(ctx, code)
		creditors = []remit.Creditor{c}
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	ids := make([]int64, len(creditors))
	for i, c := range creditors {
		ids[i] = c.ID
	}
	slices.Sort(ids)
	lock, err := acquireRunLock(ctx, env, db, ids, wait)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, lock, nil
}

// runJobs are the run's jobs, one per kind of remittance, in order, with
// the options of remit sdd and remit lcr; the supplier payments judge the
// banks' limits on the projected balances of the store open gives.
func runJobs(v *viper.Viper, runID string, open func() store.Store) ([]collect.Job, error) {
	sddOpts, err := sddOptionsFromConfig(v)
	if err != nil {
		return nil, err
	}
	lcrOpts, err := lcrOptionsFromConfig(v)
	if err != nil {
		return nil, err
	}
	if v.GetBool("run.no_bordereau") {
		sddOpts.NoBordereau, lcrOpts.NoBordereau = true, true
	}
	// run.slip, given, is every kind's; else each has its own (sdd.slip…).
	var slip *collect.SlipLayout
	if v.IsSet("run.slip") {
		l, err := slipLayout(v, "run")
		if err != nil {
			return nil, err
		}
		slip = &l
		sddOpts.Slip, lcrOpts.Slip = l, l
	}
	sddOpts.RunID, lcrOpts.RunID = runID, runID
	jobs := []collect.Job{sdd.Job(sddOpts), lcr.Job(lcrOpts)}
	if !v.GetBool("run.pay") {
		return jobs, nil
	}
	sctOpts, err := sctOptionsFromConfig(v)
	if err != nil {
		return nil, err
	}
	chqOpts, err := chequeOptionsFromConfig(v)
	if err != nil {
		return nil, err
	}
	if v.GetBool("run.no_bordereau") {
		sctOpts.NoBordereau, chqOpts.NoBordereau = true, true
	}
	if slip != nil {
		sctOpts.Slip, chqOpts.Slip = *slip, *slip
	}
	sctOpts.RunID, chqOpts.RunID = runID, runID
	// Every night: the numbers go on from the register's last, the
	// setting only starts a book the register does not know.
	chqOpts.BookStart, chqOpts.FirstNumber = chqOpts.FirstNumber, 0
	sctOpts.Treasury = &projectedBanks{store: open, override: sctOpts.Bank}
	chqOpts.Treasury = &projectedBanks{store: open, override: chqOpts.Bank}
	return append(jobs, sct.Job(sctOpts), chqout.Job(chqOpts)), nil
}

// runCreditors are the creditors a run takes (--creditor, else every one),
// their pointed receivables per method, and how many in all.
func runCreditors(ctx context.Context, st store.Store, code string) ([]remit.Creditor, []map[string]int, int, error) {
	creditors, err := st.Creditors(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	if code != "" {
		c, err := st.Creditor(ctx, code)
		if err != nil {
			return nil, nil, 0, err
		}
		creditors = []remit.Creditor{c}
	}
	pointed := make([]map[string]int, len(creditors))
	all := 0
	ps, _ := st.(store.PayableStore)
	for i, cr := range creditors {
		if pointed[i], err = st.PointedByMethod(ctx, cr.ID); err != nil {
			return nil, nil, 0, err
		}
		if pointed[i] == nil {
			pointed[i] = map[string]int{}
		}
		if ps != nil {
			// The payment kinds count the payables they pay ("payables:vir").
			byMethod, err := ps.PointedPayables(ctx, cr.ID)
			if err != nil {
				return nil, nil, 0, err
			}
			for m, n := range byMethod {
				pointed[i]["payables:"+string(m)] = n
			}
		}
		for _, k := range kinds().Kinds() {
			all += pointed[i][k.Method()]
		}
	}
	return creditors, pointed, all, nil
}

// add adds what one kind's run did for a creditor to the summary, and
// returns how many remittances it made.
func (opts *runOptions) add(sum *RunSummary, cr remit.Creditor, res *collect.Result, err error) int {
	ctx, v, log := opts.cmd.Context(), opts.Config, opts.Log
	kind := string(res.Kind)
	for _, r := range res.Remittances {
		files := make([]remit.FileInfo, len(r.Files))
		for i, f := range r.Files {
			if f.Path == "" {
				f.Path = filepath.Join(v.GetString("out"), f.Name)
			}
			files[i] = f
		}
		sum.Remittances = append(sum.Remittances, RunRemittance{Creditor: cr.Code, Ref: r.Ref, Kind: string(r.Kind), Scheme: r.Scheme,
			Files: files, Count: r.Count, Total: r.TotalText})
		log.Info("remittance", "run_id", sum.RunID, "creditor", cr.Code, "ref", r.Ref, "kind", string(r.Kind), "scheme", r.Scheme,
			"count", r.Count, "total", r.TotalText)
	}
	for _, rf := range res.Refused {
		sum.Refused = append(sum.Refused, RunRefusal{Creditor: cr.Code, Kind: kind, Refusal: rf})
		// A refusal already reported is not a warning again: cron mails warnings.
		level := slog.LevelWarn
		if !rf.New {
			level = slog.LevelInfo
		}
		log.Log(ctx, level, "refused", "run_id", sum.RunID, "creditor", cr.Code, "kind", kind, "document", rf.Document,
			"reason", maskIBANs(strings.Join(rf.Reasons, "; ")), "todo", string(rf.Todo), "since", rf.Since, "new", rf.New)
	}
	for _, n := range res.Notes {
		sum.Notes = append(sum.Notes, cr.Code+": "+n)
	}
	if errors.Is(err, collect.ErrRefusedStrict) {
		sum.Failures = append(sum.Failures, RunFailure{Creditor: cr.Code, Kind: kind, Error: maskIBANs(err.Error())})
	}
	return len(res.Remittances)
}

// finish decides the run's status and exit status from what it did
// (done remittances, errored parts), logs and prints its summary.
func (opts *runOptions) finish(sum *RunSummary, done int, errored bool) error {
	ctx, log := opts.cmd.Context(), opts.Log
	sum.End = opts.Now().Format(time.RFC3339)
	// The refusals that count: the new ones, unless --fail-on-old-refusals.
	refused, oldest := 0, ""
	for _, r := range sum.Refused {
		if r.New {
			sum.RefusedNew++
		} else if oldest == "" || r.Since < oldest {
			oldest = r.Since
		}
	}
	refused = sum.RefusedNew
	if old := len(sum.Refused) - sum.RefusedNew; old > 0 {
		if opts.FailOnOldRefusals {
			refused = len(sum.Refused)
		} else {
			sum.Notes = append(sum.Notes, fmt.Sprintf("%s, already reported (the first on %s): remit list --refused",
				plural(old, "receivable still refused", "receivables still refused"), oldest))
		}
	}
	intr := interruption(ctx)
	switch {
	case intr != nil:
		// SIGINT or SIGTERM: what was committed stays (listed), the part
		// under way was rolled back with its files; the next run does it.
		sum.ExitStatus, sum.Status, sum.Error = intr.Code(), "interrupted", intr.Error()
		log.Warn("run interrupted", "run_id", sum.RunID, "signal", signalName(intr.Signal), "remittances", len(sum.Remittances),
			"exit_status", sum.ExitStatus)
	case errored || len(sum.Failures) > 0 && done == 0:
		// A part that failed (a full disk, a file it could not write) is a
		// failure even when the other parts were done: a cron job must not
		// take it for ordinary refusals.
		sum.ExitStatus, sum.Status = ExitFailed, "failed"
	case len(sum.Failures) == 0 && done == 0 && refused > 0:
		sum.ExitStatus, sum.Status = ExitRefused, "refused"
	case len(sum.Failures) > 0 || refused > 0:
		sum.ExitStatus, sum.Status = ExitPartial, "partial"
	case done == 0:
		sum.ExitStatus, sum.Status = ExitOK, "nothing to do"
	default:
		sum.ExitStatus, sum.Status = ExitOK, "done"
	}
	log.Info("run finished", "run_id", sum.RunID, "remittances", len(sum.Remittances), "refused", len(sum.Refused),
		"failures", len(sum.Failures), "exit_status", sum.ExitStatus)
	if outputFormat(opts.cmd) == "json" {
		if err := writeJSONLine(opts.Env, sum); err != nil {
			return err
		}
	} else {
		printRunSummary(opts.Out, sum)
	}
	if intr != nil {
		return &ExitError{Code: sum.ExitStatus, Err: errReported}
	}
	switch sum.ExitStatus {
	case ExitFailed:
		return &ExitError{Code: ExitFailed, Err: errReported}
	case ExitPartial:
		return errPartial
	case ExitRefused:
		return errRefused
	}
	return nil
}

func printRunSummary(w io.Writer, sum *RunSummary) {
	fmt.Fprintf(w, "run %s: %s\n", sum.RunID, sum.Status)
	if sum.Status == "interrupted" {
		fmt.Fprintf(w, "  %s; the next run does the rest\n", sum.Error)
	}
	for _, r := range sum.Remittances {
		names := make([]string, len(r.Files))
		for i, f := range r.Files {
			names[i] = f.Name
		}
		kind := strings.ToUpper(r.Kind)
		if r.Scheme != "" {
			kind += " " + r.Scheme
		}
		fmt.Fprintf(w, "  %s %s %s %s %s  %s\n", fit(r.Creditor, 8), fit(r.Ref, 5), fit(kind, 9), right(fmt.Sprint(r.Count), 8),
			right(frAmount(r.Total), 15), strings.Join(names, ", "))
	}
	for _, n := range sum.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	for _, r := range sum.Refused {
		printRefusal(w, "refused "+r.Creditor+" "+strings.ToUpper(r.Kind)+" "+r.Document+" "+refusedAmount(r.Refusal), r.Refusal)
	}
	for _, f := range sum.Failures {
		fmt.Fprintf(w, "  failed %s %s: %s\n", f.Creditor, strings.ToUpper(f.Kind), f.Error)
	}
}
