package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa"
)

func init() { extraCommands = append(extraCommands, newRejectCmd) }

func newRejectCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reject DOCUMENT",
		Short: "Record by hand that a collected receivable came back unpaid (rejet, impayé)",
		Long: `reject records a reject or an unpaid reported outside a bank file (a "rejet
manuel d'encaissement"): the receivable's current collection is marked
rejected, the receivable goes back to rejected (it can be pointed again), the
reversing entries and the bank fee are written, and a reason that says the
mandate or the account is unusable (AC01, AC04, AC06, AG01, MD01, MD07)
blocks the mandate.

--reason is the bank's reason code. A SEPA direct debit takes the ISO 20022
codes of the EPC rulebook's R-transactions (AM04, MD01, MS03, …): any other
is refused with the list. An LCR unpaid takes the bank's code of 2 to 4
letters or digits, kept as given (remit warns when it does not know it). A reject
before settlement makes the mandate's next collection FRST again when this one
was FRST; --after-settlement records a return after settlement instead.
Recording the same reject again changes nothing.`,
		Example: `  remit reject F2026-0042 --reason AM04 --date 2026-12-08 --fee 5.50
  remit reject F2026-0042 --reason MD06 --after-settlement`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return rejectRun(cmd, env, args[0]) },
	}
	f := cmd.Flags()
	f.String("reason", "", "reason code (AM04, MD01, AC04, … or the bank's unpaid code)")
	f.String("date", "", "date of the reject (default today)")
	valueKind(f, "date", "date")
	f.String("fee", "", "bank fee charged for it, e.g. 5.50")
	valueKind(f, "fee", "amount")
	f.Bool("after-settlement", false, "a return after the collection was credited (R-transaction after settlement)")
	addFormat(cmd, "table", "json")
	return cmd
}

func rejectRun(cmd *cobra.Command, env *Env, document string) error {
	v := env.Config
	m := remit.ManualReject{Document: document, AfterSettlement: v.GetBool("reject.after_settlement")}
	var err error
	if m.Reason, err = remit.NormalizeReason(v.GetString("reject.reason")); err != nil {
		if v.GetString("reject.reason") == "" {
			return usageError("--reason is required: the bank's reason code (AM04, MD01, …)")
		}
		return usageError("--reason: %v", err)
	}
	m.Date = env.Now()
	if s := v.GetString("reject.date"); s != "" {
		if m.Date, err = remit.ParseDate(s); err != nil {
			return usageError("--date %q: %v", s, err)
		}
	}
	if s := v.GetString("reject.fee"); s != "" {
		if m.Fee, err = remit.ParseAmount(s); err != nil {
			return usageError("--fee %q: %v", s, err)
		}
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	kind, err := collectedAs(cmd.Context(), st, cr, m.Document)
	if err != nil {
		return err
	}
	note, err := remit.CheckRejectReason(kind, m.Reason)
	if err != nil {
		return usageError("--reason %s for %s, a SEPA direct debit: %v", m.Reason, m.Document, err)
	}
	if note != "" {
		env.warnf("%s: %s", m.Document, note)
	}
	b, err := m.Batch()
	if err != nil {
		return err
	}
	res, err := st.ApplyReturns(cmd.Context(), cr, b)
	if err != nil {
		return err
	}
	return reportReturns(env, res, outputFormat(cmd) == "json", note)
}

// collectedAs says how a receivable was collected: the kind of its last
// remittance (sdd or lcr), else its payment method; "" when there is no
// such receivable (the reject then says so).
func collectedAs(ctx context.Context, st store.Store, cr remit.Creditor, document string) (string, error) {
	var found remit.Receivable
	err := st.Receivables(ctx, cr.ID, remit.Filter{Documents: []string{strings.TrimSpace(document)}, Status: "all"},
		func(r remit.Receivable) error {
			found = r
			return nil
		})
	if err != nil || found.Remittance == "" {
		return found.Method, err
	}
	id, err := remit.ParseRef(found.Remittance)
	if err != nil {
		return "", err
	}
	rem, err := st.Remittance(ctx, cr.ID, id)
	if err != nil {
		return "", err
	}
	return string(rem.Kind), nil
}

// reportReturns prints a result and maps it to the exit status: 0 when
// everything was applied or already recorded, 3 when some were and some
// not, 5 when none could be applied and none was recorded before. A note
// (an LCR unpaid code remit does not know) goes into the JSON too.
func reportReturns(env *Env, res *remit.ReturnsResult, asJSON bool, note string) error {
	exit := returnsExit(res)
	if asJSON {
		code := exitCode(exit)
		var notes []string
		if note != "" {
			notes = []string{note}
		}
		if err := writeJSON(env, struct {
			*remit.ReturnsResult
			Notes      []string `json:"notes,omitempty"`
			Status     string   `json:"status"`
			ExitStatus int      `json:"exit_status"`
		}{res, notes, statusName(code), code}); err != nil {
			return err
		}
	} else {
		printReturns(env.Out, res)
	}
	return exit
}

func returnsExit(res *remit.ReturnsResult) error {
	failed := res.Count(remit.ReturnUnknown) + res.Count(remit.ReturnRefused)
	// A return already recorded is done: only the unknown and refused ones are not.
	return itemsExit(res.Count(remit.ReturnApplied)+res.Count(remit.ReturnAlready), failed)
}

func printReturns(w io.Writer, res *remit.ReturnsResult) {
	if len(res.Outcomes) == 0 {
		fmt.Fprintln(w, "no return in it")
		return
	}
	fmt.Fprintf(w, "%s %s %s %s %s %s %s\n", fit("STATUS", 8), fit("DOCUMENT", 16), fit("CUSTOMER", 12), right("AMOUNT", 12),
		fit("REASON", 36), fit("DATE", 10), "EFFECT")
	for _, o := range res.Outcomes {
		doc := o.Document
		if doc == "" {
			doc = o.EndToEndID
		}
		amount := ""
		if o.AmountText != "" {
			amount = remit.FormatAmountFR(o.Amount)
		}
		reason := o.Reason
		if r, ok := sepa.LookupReason(o.Reason); ok {
			reason += " " + r.French
		}
		var notes []string
		if o.Status == remit.ReturnApplied {
			if o.MandateEffect != "" {
				notes = append(notes, o.MandateEffect)
			}
			if o.Fee > 0 {
				notes = append(notes, "fee "+remit.FormatAmountFR(o.Fee))
			}
		} else {
			msg := o.Message
			if o.Line > 0 {
				msg = fmt.Sprintf("line %d: %s", o.Line, msg)
			}
			notes = append(notes, msg)
		}
		line := fmt.Sprintf("%s %s %s %s %s %s %s", fit(o.Status, 8), fit(doc, 16), fit(o.Customer, 12), right(amount, 12),
			fit(reason, 36), fit(o.Date, 10), strings.Join(notes, "; "))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	var parts []string
	for _, s := range []struct{ status, label string }{
		{remit.ReturnApplied, "applied"}, {remit.ReturnAlready, "already recorded"},
		{remit.ReturnUnknown, "unknown"}, {remit.ReturnRefused, "refused"},
	} {
		if n := res.Count(s.status); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.label))
		}
	}
	fmt.Fprintln(w, strings.Join(parts, ", "))
}
