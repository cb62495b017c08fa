package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
)

func init() { extraCommands = append(extraCommands, newMandatesCmd) }

func newMandatesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mandates",
		Short: "List SEPA mandates; revoke, unblock, expire them",
		Long: `mandates lists the mandates: RUM, customer, scheme, status, signature date,
last collection and the IBAN, masked.

A mandate is active, blocked (a bank return said the mandate or the account
is unusable: AC01, AC04, AC06, AG01, MD01, MD07), revoked (by the debtor) or
expired (EPC: no collection for 36 months). The SDD run refuses the
receivables of a mandate that is not active. A one-off mandate allows a single
collection: once it is made (sent, and not rejected before settlement) the
mandate shows as used, and the SDD run refuses any other receivable on it.

remit mandates expire marks expired every active mandate unused for 36 months
(its last collection, or its signature date when never used) and lists the
expired ones.`,
		Example: `  remit mandates --status blocked
  remit mandates expire
  remit mandates revoke RUM-2023-0007 --date 2026-12-01
  remit mandates unblock RUM-2023-0007`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			expire, _ := cmd.Flags().GetBool("expired")
			if expire {
				env.warnf("remit mandates --expired is deprecated: it changes data, use remit mandates expire")
			}
			return mandatesRun(cmd, env, expire)
		},
	}
	f := cmd.Flags()
	f.String("status", "all", "active, blocked, revoked, expired or all")
	choices(f, "status", remit.MandateActive, remit.MandateBlocked, remit.MandateRevoked, remit.MandateExpired, "all")
	f.Bool("expired", false, "mark expired the mandates unused for 36 months, and list the expired ones")
	f.Lookup("expired").Hidden = true // it changes data: remit mandates expire
	addFormat(cmd, "table", "json", "csv")
	cmd.AddCommand(newMandateExpireCmd(env), newMandateRevokeCmd(env), newMandateUnblockCmd(env))
	return cmd
}

func newMandateExpireCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "expire",
		Short: "Mark expired the mandates unused for 36 months (EPC rule), and list the expired ones",
		Long: `expire marks expired every active mandate unused for 36 months: no collection since
(or, never used, signed more than 36 months ago). The EPC rulebook makes such a
mandate void; the SDD run refuses its receivables until the debtor signs a new one.
It lists every expired mandate and says how many it marked now.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return mandatesRun(cmd, env, true) },
	}
	addFormat(cmd, "table", "json", "csv")
	return cmd
}

// mandateJSON is a mandate as printed: the IBAN masked.
type mandateJSON struct {
	remit.Mandate
	IBAN string `json:"iban,omitempty"`
}

func mandatesRun(cmd *cobra.Command, env *Env, expired bool) error {
	status := ""
	if f := cmd.Flags().Lookup("status"); f != nil {
		status = strings.ToLower(f.Value.String())
	}
	switch status {
	case "", "all", remit.MandateActive, remit.MandateBlocked, remit.MandateRevoked, remit.MandateExpired:
	default:
		return usageError("--status %q: want active, blocked, revoked, expired or all", status)
	}
	if expired && status != "" && status != "all" && status != remit.MandateExpired {
		return usageError("remit mandates expire lists expired mandates: it cannot go with --status %s", status)
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	w := bufio.NewWriterSize(env.Out, 1<<16)
	var emit func(*remit.Mandate) error
	var done func() error
	switch outputFormat(cmd) {
	case "json":
		env.wroteJSON = true
		arr := newJSONArray(w)
		emit = func(m *remit.Mandate) error { return arr.add(mandateJSON{Mandate: *m, IBAN: maskIBAN(m.IBAN)}) }
		done = arr.close
	case "csv":
		emit, done = mandatesCSV(w)
	default:
		emit, done = mandatesTable(w, expired)
	}
	if expired {
		err = st.ExpireMandates(cmd.Context(), cr.ID, emit)
	} else {
		err = st.Mandates(cmd.Context(), cr.ID, remit.MandateFilter{Status: status}, emit)
	}
	return endListing(w, err, done)
}

// mandatesCSV writes the mandates as CSV, one line each as they come.
func mandatesCSV(w io.Writer) (emit func(*remit.Mandate) error, done func() error) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rum", "customer", "scheme", "status", "signed", "last_collection", "iban", "reason"})
	emit = func(m *remit.Mandate) error {
		return cw.Write([]string{m.RUM, m.Customer, m.Scheme, m.Status, m.Signed, m.LastCollection, maskIBAN(m.IBAN), m.StatusReason})
	}
	done = func() error {
		cw.Flush()
		return cw.Error()
	}
	return emit, done
}

// mandatesTable writes the mandates as a table, a line each as they come;
// the columns have fixed widths. With expired it ends with how many were
// marked expired now.
func mandatesTable(w io.Writer, expired bool) (emit func(*remit.Mandate) error, done func() error) {
	count, newly := 0, 0
	emit = func(m *remit.Mandate) error {
		if count == 0 {
			fmt.Fprintf(w, "%s %s %s %s %s %s %s %s\n", fit("RUM", 20), fit("CUSTOMER", 12), fit("SCHEME", 6), fit("STATUS", 8),
				fit("SIGNED", 10), fit("LAST", 10), fit("IBAN", 13), "REASON")
		}
		count++
		if m.NewlyExpired {
			newly++
		}
		status, reason := m.Status, m.StatusReason
		if m.Used && m.Status == remit.MandateActive {
			status, reason = "used", "one-off mandate: its single collection is made"
		}
		line := fmt.Sprintf("%s %s %s %s %s %s %s %s", fit(m.RUM, 20), fit(m.Customer, 12), fit(m.Scheme, 6), fit(status, 8),
			fit(m.Signed, 10), fit(m.LastCollection, 10), fit(maskIBAN(m.IBAN), 13), reason)
		_, err := fmt.Fprintln(w, strings.TrimRight(line, " "))
		return err
	}
	done = func() error {
		if count == 0 {
			fmt.Fprintln(w, "no mandate matches")
		}
		if expired {
			fmt.Fprintf(w, "%s marked expired now (no collection for 36 months)\n", plural(newly, "mandate", "mandates"))
		}
		return nil
	}
	return emit, done
}

// maskIBAN keeps the country, check digits and last four characters: FR76…5691.
func maskIBAN(iban string) string {
	iban = strings.ReplaceAll(iban, " ", "")
	if len(iban) <= 8 {
		return iban
	}
	return iban[:4] + "…" + iban[len(iban)-4:]
}

func newMandateRevokeCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke RUM",
		Short: "Record that the debtor revoked a mandate: its receivables are no longer collected",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var date time.Time
			if s := env.Config.GetString("mandates.date"); s != "" {
				var err error
				if date, err = remit.ParseDate(s); err != nil {
					return usageError("--date %q: %v", s, err)
				}
			}
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			if env.isTerminal(env.In) {
				var ms []remit.Mandate
				err := st.Mandates(cmd.Context(), cr.ID, remit.MandateFilter{RUM: args[0]}, func(m *remit.Mandate) error {
					ms = append(ms, *m)
					return nil
				})
				if err == nil && len(ms) == 1 && !env.confirm(cmd, fmt.Sprintf("Revoke mandate %s of %s? Its receivables will no longer be collected.",
					ms[0].RUM, ms[0].Customer)) {
					return errNotConfirmed("mandate " + args[0] + " not revoked")
				}
			}
			m, err := st.RevokeMandate(cmd.Context(), cr.ID, args[0], date)
			if err != nil {
				return mandateError(err)
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, mandateJSON{Mandate: m, IBAN: maskIBAN(m.IBAN)})
			}
			fmt.Fprintf(env.Out, "mandate %s (%s) %s\n", m.RUM, m.Customer, m.StatusReason)
			return nil
		},
	}
	cmd.Flags().String("date", "", "revocation date (default today)")
	valueKind(cmd.Flags(), "date", "date")
	cmd.Flags().BoolP("yes", "y", false, "do not ask for confirmation on a terminal")
	addFormat(cmd, "table", "json")
	return cmd
}

func newMandateUnblockCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "unblock RUM",
		Short: "Make a blocked mandate active again, once its cause is fixed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			m, err := st.UnblockMandate(cmd.Context(), cr.ID, args[0])
			if err != nil {
				return mandateError(err)
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, mandateJSON{Mandate: m, IBAN: maskIBAN(m.IBAN)})
			}
			fmt.Fprintf(env.Out, "mandate %s (%s) active again\n", m.RUM, m.Customer)
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

func mandateError(err error) error {
	if errors.Is(err, remit.ErrNoMandate) || errors.Is(err, remit.ErrMandateState) {
		return &ExitError{Code: ExitFailed, Err: err}
	}
	return err
}
