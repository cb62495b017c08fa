package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

func init() {
	extraCommands = append(extraCommands, newRemittancesCmd, newShowCmd, newCancelCmd, newRegenerateCmd, newMarkSentCmd)
}

func newRemittancesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remittances",
		Short: "List the remittances: reference, kind, date, count, total, status",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			all, err := st.Remittances(cmd.Context(), cr.ID)
			if err != nil {
				return err
			}
			if outputFormat(cmd) == "json" {
				for i := range all {
					withPaths(env, &all[i])
				}
				return writeJSON(env, all)
			}
			if outputFormat(cmd) == "csv" {
				cw := csv.NewWriter(env.Out)
				cw.Write([]string{"ref", "kind", "scheme", "created", "count", "total", "status", "bank"})
				for _, r := range all {
					cw.Write([]string{r.Ref, string(r.Kind), r.Scheme, r.CreatedAt.Format(time.RFC3339), strconv.Itoa(r.Count),
						remit.FormatAmount(r.Total), r.Status, r.Bank})
				}
				cw.Flush()
				return cw.Error()
			}
			if len(all) == 0 {
				fmt.Fprintln(env.Out, "no remittance yet")
				return nil
			}
			fmt.Fprintf(env.Out, "%s %s %s %s %s %s %s\n", fit("REF", 5), fit("KIND", 28), fit("BANK", 8), fit("CREATED", 16), right("COUNT", 7),
				right("TOTAL", 16), "STATUS")
			for _, r := range all {
				fmt.Fprintf(env.Out, "%s %s %s %s %s %s %s\n", fit(r.Ref, 5), fit(kindLabel(r), 28), fit(r.Bank, 8),
					r.CreatedAt.Format("2006-01-02 15:04"), right(strconv.Itoa(r.Count), 7), right(remit.FormatAmountFR(r.Total), 16), r.Status)
			}
			return nil
		},
	}
	addFormat(cmd, "table", "json", "csv")
	return cmd
}

// withPaths gives a remittance's files their path in --out.
func withPaths(env *Env, r *remit.Remittance) {
	for i, f := range r.Files {
		if f.Path == "" {
			r.Files[i].Path = filepath.Join(env.Config.GetString("out"), f.Name)
		}
	}
}

func (e *Env) storeAndCreditor(cmd *cobra.Command) (store.Store, remit.Creditor, error) {
	st, err := e.openStore()
	if err != nil {
		return nil, remit.Creditor{}, err
	}
	cr, err := e.creditor(cmd.Context(), st)
	if err != nil {
		st.Close()
		return nil, remit.Creditor{}, err
	}
	return st, cr, nil
}

// withRemittance parses a remittance reference, opens the store and finds
// the creditor, then runs fn: the shape of every single-remittance command.
func (e *Env) withRemittance(cmd *cobra.Command, ref string, fn func(st store.Store, cr remit.Creditor, id int64) error) error {
	id, err := refArg(ref)
	if err != nil {
		return err
	}
	st, cr, err := e.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st, cr, id)
}

func refArg(s string) (int64, error) {
	id, err := remit.ParseRef(s)
	if err != nil {
		return 0, usageError("%v", err)
	}
	return id, nil
}

func newShowCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show what a remittance holds: files, blocks, counts, totals, sha256",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.withRemittance(cmd, args[0], func(st store.Store, cr remit.Creditor, id int64) error {
				r, err := st.Remittance(cmd.Context(), cr.ID, id)
				if err != nil {
					return err
				}
				if outputFormat(cmd) == "json" {
					withPaths(env, &r)
					return writeJSON(env, r)
				}
				w := env.Out
				fmt.Fprintf(w, "remittance %s  %s  %s\n", r.Ref, kindLabel(r), r.Status)
				fmt.Fprintf(w, "  creditor   %s (%s)\n", r.Issuer.Name, r.Creditor)
				if r.Bank != "" {
					fmt.Fprintf(w, "  bank       %s  %s  %s\n", r.Bank, r.Issuer.BankName, r.Issuer.IBAN)
				}
				if r.MsgID != "" {
					fmt.Fprintf(w, "  message id %s\n", r.MsgID)
				}
				fmt.Fprintf(w, "  created    %s\n", r.CreatedAt.Format("2006-01-02 15:04:05"))
				for _, b := range r.Blocks {
					label := b.SequenceType
					if label == "" {
						label = "items"
					}
					fmt.Fprintf(w, "  block %d    %s %s %s %s\n", b.Number, fit(label, 5), b.Date, right(strconv.Itoa(b.Count), 8),
						right(remit.FormatAmountFR(b.Total), 16))
				}
				fmt.Fprintf(w, "  total      %s %s\n", right(strconv.Itoa(r.Count), 25), right(remit.FormatAmountFR(r.Total), 16))
				for _, f := range r.Files {
					fmt.Fprintf(w, "  file       %s  %s  %d bytes  sha256 %s\n", filepath.Join(env.Config.GetString("out"), f.Name), f.Format, f.Size, f.SHA256)
				}
				return nil
			})
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

func newCancelCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cancel REF",
		Short: "Cancel a remittance not yet sent: its receivables go back to pointed",
		Long: `cancel withdraws a remittance that was not sent to the bank: its receivables go
back to pointed (the next run collects them again) and its accounting entries
are reversed. Its files move out of --out's top level into --out/cancelled/,
renamed CANCELLED.<name>, so that no script uploading out/PAIEMENT.* can send
them; remit bordereau prints its slip again marked ANNULÉE. Cancelling a
remittance cancelled by an older remit moves its files too. On a terminal it
asks for confirmation first; --yes does not ask.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.withRemittance(cmd, args[0], func(st store.Store, cr remit.Creditor, id int64) error {
				if env.isTerminal(env.In) {
					r, err := st.Remittance(cmd.Context(), cr.ID, id)
					if err != nil {
						return err
					}
					w := wordsOf(r.Kind)
					if r.Status != remit.RemittanceCancelled && !env.confirm(cmd, fmt.Sprintf("Cancel remittance %s (%s, %s, %s)? Its %s go back to pointed; do not send its files.",
						r.Ref, kindLabel(r), plural(r.Count, w.unit, w.units), remit.FormatAmountFR(r.Total), w.items)) {
						return errNotConfirmed("remittance " + r.Ref + " not cancelled")
					}
				}
				out := env.Config.GetString("out")
				r, err := collect.Cancel(cmd.Context(), st, cr.ID, id)
				again := errors.Is(err, remit.ErrAlreadyCancelled)
				if err != nil && !again {
					return err
				}
				moved, merr := collect.RetireFiles(cmd.Context(), st, cr.ID, id, out)
				if again && (merr != nil || len(moved) == 0) {
					return errors.Join(err, merr)
				}
				if outputFormat(cmd) == "json" {
					// Cancelled (and its files moved, unless merr says why not).
					if err := printRemittanceJSON(cmd, env, st, cr, id, map[string]any{"already_cancelled": again}); err != nil {
						return err
					}
					return merr
				}
				if again {
					fmt.Fprintf(env.Out, "remittance %s was already cancelled", remit.Ref(id))
				} else {
					w := wordsOf(r.Kind)
					fmt.Fprintf(env.Out, "remittance %s cancelled: %s back to pointed", r.Ref, plural(r.Count, w.unit, w.units))
					if w.unit != w.item {
						fmt.Fprintf(env.Out, " (their %s)", w.items)
					}
				}
				if len(moved) > 0 {
					names := make([]string, len(moved))
					for i, f := range moved {
						names[i] = filepath.Base(f.Name)
					}
					fmt.Fprintf(env.Out, "; its files moved to %s (%s): do not send them\n",
						filepath.Join(out, remit.CancelledFolder)+string(filepath.Separator), strings.Join(names, ", "))
				} else {
					fmt.Fprintf(env.Out, "; its files are not in %s: wherever they are, do not send them\n", out)
				}
				return merr
			})
		},
	}
	cmd.Flags().BoolP("yes", "y", false, "do not ask for confirmation on a terminal")
	addFormat(cmd, "table", "json")
	return cmd
}

// printRemittanceJSON prints a remittance as remit show --json does, after
// the command changed it, with what the command adds (extra, may be nil).
func printRemittanceJSON(cmd *cobra.Command, env *Env, st store.Store, cr remit.Creditor, id int64, extra map[string]any) error {
	r, err := st.Remittance(cmd.Context(), cr.ID, id)
	if err != nil {
		return err
	}
	withPaths(env, &r)
	if len(extra) == 0 {
		return writeJSON(env, r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range extra {
		m[k] = v
	}
	return writeJSON(env, m)
}

func newRegenerateCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "regenerate REF",
		Short: "Rewrite a remittance's files from the database, byte for byte",
		Long: `regenerate writes a remittance's files again into --out from what the database
recorded, its bordereau included, and checks each against the sha256 recorded
when it was created before it overwrites anything. Exit status 3 when a slip
printed by an older remit (dated by the clock) could not be printed again.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.withRemittance(cmd, args[0], func(st store.Store, cr remit.Creditor, id int64) error {
				r, notes, err := collect.Regenerate(cmd.Context(), st, kinds(), cr.ID, id, env.Config.GetString("out"))
				if err != nil {
					return err
				}
				if outputFormat(cmd) == "json" {
					// The files written, each identical to the original, and what was not.
					withPaths(env, &r)
					if notes == nil {
						notes = []string{}
					}
					if err := writeJSON(env, map[string]any{"ref": r.Ref, "files": r.Files, "not_regenerated": notes}); err != nil {
						return err
					}
				} else {
					for _, f := range r.Files {
						fmt.Fprintf(env.Out, "%s  sha256 %s (identical to the original)\n", f.Path, f.SHA256)
					}
				}
				for _, n := range notes {
					env.problemf("remit: not regenerated: %s", n)
				}
				if len(notes) > 0 {
					return errPartial
				}
				return nil
			})
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

func newMarkSentCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mark-sent REF",
		Short: "Record that a remittance went to the bank (it can no longer be cancelled)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.withRemittance(cmd, args[0], func(st store.Store, cr remit.Creditor, id int64) error {
				r, err := collect.MarkSent(cmd.Context(), st, cr.ID, id)
				if err != nil {
					return err
				}
				if outputFormat(cmd) == "json" {
					return printRemittanceJSON(cmd, env, st, cr, id, nil)
				}
				fmt.Fprintf(env.Out, "remittance %s marked sent\n", r.Ref)
				return nil
			})
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}
