package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa"
)

func init() { extraCommands = append(extraCommands, newReturnsCmd) }

func newReturnsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "returns FILE...",
		Short: "Apply the bank's reject reports (pain.002) and return notifications (camt.054)",
		Long: `returns reads bank files and records the collections they say came back:
pain.002.001.03 or .10 status reports (RJCT of transactions, payment blocks or
the whole message: rejects before settlement) and camt.054.001.02 or .08 debit
notifications with return information (returns after settlement).

Each collection is found by its EndToEndId, within the original message when
the file names it; one the file does not identify is reported, never guessed.
A return marks the collection rejected or returned, puts the receivable back
to rejected (it can be pointed again), writes the reversing entries (and
--fee, the bank fee per return), and blocks the mandate for AC01, AC04, AC06,
AG01, MD01 and MD07. A first collection rejected before settlement makes the
next one FRST again.

Supplier payments too: a pain.002 rejecting transfers of a pain.001 remit sct
wrote, a camt.054 credit with return information (a transfer that came back).
The payment is found by its reference (EndToEndId P-000123); its payables go
back to pointed with the bank's reason (remit payables list --refused), its
entries are reversed and the next remit sct pays them again.

A file applied twice changes nothing: its returns are reported as already
recorded. Exit status 3 when some returns were applied (or recorded before)
and others not, 5 when none could be.`,
		Example: `  remit returns out/bank/pain.002.xml
  remit returns out/bank/camt.054.xml --fee 2.50 --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return returnsRun(cmd, env, args) },
	}
	cmd.Flags().String("fee", "", "bank fee charged per return, e.g. 2.50")
	valueKind(cmd.Flags(), "fee", "amount")
	addFormat(cmd, "table", "json")
	return cmd
}

func returnsRun(cmd *cobra.Command, env *Env, files []string) error {
	v := env.Config
	var fee int64
	if s := v.GetString("returns.fee"); s != "" {
		var err error
		if fee, err = remit.ParseAmount(s); err != nil {
			return usageError("--fee %q: %v", s, err)
		}
	}
	// Read every file first: a broken one stops the command before anything changes.
	batches := make([]remit.ReturnBatch, 0, len(files))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		rf, err := sepa.ReadReturns(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		sum := sha256.Sum256(b)
		batches = append(batches, remit.ReturnBatchFromFile(rf, filepath.Base(name), hex.EncodeToString(sum[:]), fee))
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	all := &remit.ReturnsResult{Outcomes: []remit.ReturnOutcome{}}
	var results []*remit.ReturnsResult
	for i, b := range batches {
		res, err := st.ApplyReturns(cmd.Context(), cr, b)
		if err != nil {
			return fmt.Errorf("%s: %w", files[i], err)
		}
		results = append(results, res)
		all.Outcomes = append(all.Outcomes, res.Outcomes...)
	}
	exit := returnsExit(all)
	if outputFormat(cmd) == "json" {
		// One object: each file's returns, and the outcome.
		code := exitCode(exit)
		if err := writeJSON(env, struct {
			Files      []*remit.ReturnsResult `json:"files"`
			Status     string                 `json:"status"`
			ExitStatus int                    `json:"exit_status"`
		}{results, statusName(code), code}); err != nil {
			return err
		}
	} else {
		for i, res := range results {
			if i > 0 {
				fmt.Fprintln(env.Out)
			}
			fmt.Fprintf(env.Out, "%s: %s %s\n", files[i], res.Version, res.MsgID)
			printReturns(env.Out, res)
		}
	}
	return exit
}
