package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newSuspenseCmd) }

func newSuspenseCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "suspense",
		Short: "List the credits in the suspense account (compte d'attente); allocate them",
		Long: `suspense lists the statement lines booked to the suspense account (471000,
or entries.suspense_account): credits no remittance, cheque deposit or open
receivable explained, with what is left of each (--all: those allocated in
full too). Each line's number is the one remit suspense allocate takes; its
details say who paid and what the payer wrote.`,
		Example: `  remit suspense
  remit suspense --all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return suspenseRun(cmd, env) },
	}
	cmd.Flags().Bool("all", false, "also the lines allocated in full")
	addFormat(cmd, "table", "json")
	cmd.AddCommand(newAllocateCmd(env))
	return cmd
}

// suspenseJSON is a suspense line in JSON: amounts as decimal strings.
type suspenseJSON struct {
	Line      int64           `json:"line"`
	Bank      string          `json:"bank"`
	Statement int64           `json:"statement"`
	Booked    string          `json:"booked"`
	Amount    string          `json:"amount"`
	Left      string          `json:"left"`
	Label     string          `json:"label"`
	Details   string          `json:"details,omitempty"`
	Reason    string          `json:"reason"`
	Account   string          `json:"account,omitempty"` // booked to; none when entries were off
	Allocated []allocatedJSON `json:"allocated"`
}

type allocatedJSON struct {
	Document string `json:"document"`
	Amount   string `json:"amount"`
	On       string `json:"on"`
}

func suspenseLineJSON(l store.SuspenseLine) suspenseJSON {
	j := suspenseJSON{Line: l.ID, Bank: l.Bank, Statement: l.Statement, Booked: jsonDay(l.Booked), Amount: remit.FormatAmount(l.Amount),
		Left: remit.FormatAmount(l.Left), Label: l.Label, Details: l.Details, Reason: l.Reason, Account: l.Account, Allocated: []allocatedJSON{}}
	for _, a := range l.Allocated {
		j.Allocated = append(j.Allocated, allocatedJSON{Document: a.Document, Amount: remit.FormatAmount(a.Amount), On: jsonDay(a.On)})
	}
	return j
}

func suspenseRun(cmd *cobra.Command, env *Env) error {
	all, _ := cmd.Flags().GetBool("all")
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	w := bufio.NewWriterSize(env.Out, 1<<16)
	emit, done := suspenseTable(w)
	if outputFormat(cmd) == "json" {
		env.wroteJSON = true
		arr := newJSONArray(w)
		emit = func(l *store.SuspenseLine) error { return arr.add(suspenseLineJSON(*l)) }
		done = arr.close
	}
	err = st.SuspenseLines(cmd.Context(), cr.ID, all, emit)
	return endListing(w, err, done)
}

// suspenseTable writes the suspense lines as a table, a line each (and one
// per allocation) as they come, then their count, what is left in all and
// the accounts they were booked to (none when entries were off).
func suspenseTable(w io.Writer) (emit func(*store.SuspenseLine) error, done func() error) {
	var count int
	var left int64
	var accounts []string
	emit = func(l *store.SuspenseLine) error {
		if l.Account != "" && !slices.Contains(accounts, l.Account) {
			accounts = append(accounts, l.Account)
		}
		if count == 0 {
			fmt.Fprintf(w, "%s %s %s %s %s %s\n", right("LINE", 5), fit("BANK", 8), fit("BOOKED", 10), right("AMOUNT", 13), right("LEFT", 13),
				"LABEL")
		}
		count++
		text := l.Label
		if l.Details != "" {
			text += " (" + l.Details + ")"
		}
		row := fmt.Sprintf("%s %s %s %s %s %s", right(strconv.FormatInt(l.ID, 10), 5), fit(l.Bank, 8), frDate(l.Booked),
			right(remit.FormatAmountFR(l.Amount), 13), right(remit.FormatAmountFR(l.Left), 13), text)
		fmt.Fprintln(w, strings.TrimRight(row, " "))
		for _, a := range l.Allocated {
			fmt.Fprintf(w, "%s allocated to %s on %s: %s\n", strings.Repeat(" ", 17), a.Document, frDate(a.On),
				remit.FormatAmountFR(a.Amount))
		}
		left += l.Left
		return nil
	}
	done = func() error {
		if count == 0 {
			_, err := fmt.Fprintln(w, "the suspense account is empty")
			return err
		}
		booked := ""
		if len(accounts) > 0 {
			booked = " (" + strings.Join(accounts, ", ") + ")"
		}
		_, err := fmt.Fprintf(w, "%s, %s in the suspense account%s\n", plural(count, "line", "lines"), remit.FormatAmountFR(left), booked)
		return err
	}
	return emit, done
}

func newAllocateCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "allocate LINE --document DOCUMENT...",
		Short: "Allocate a suspense line to receivables (vidage du compte d'attente): they become paid",
		Long: `allocate takes a line of the suspense account (its number in remit suspense)
and gives each receivable named by --document its whole open amount: the
receivable is paid (a pointed one is unpointed), and the écriture debits the
suspense account its credit was booked to (471000, or
entries.suspense_account) and credits each customer, lettered with its
receivable, in the bank's journal, dated --date (default today). What the
line holds beyond them stays in the suspense account, for another allocation.

Refused, with every reason and nothing recorded: a document unknown, given
twice, written off or not open (in a remittance not yet collected, paid), or
receivables adding up to more than is left in the line (exit status 5).`,
		Example: `  remit suspense allocate 17 --document F2026-0042 --document F2026-0043`,
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return allocateRun(cmd, env, args[0]) },
	}
	f := cmd.Flags()
	f.StringArray("document", nil, "a receivable to pay from the line (repeatable)")
	f.String("date", "", "date of the écriture (default today)")
	valueKind(f, "date", "date")
	addFormat(cmd, "table", "json")
	return cmd
}

func allocateRun(cmd *cobra.Command, env *Env, arg string) error {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return usageError("line %q: want the number of a line of the suspense account (remit suspense lists them)", arg)
	}
	docs, _ := cmd.Flags().GetStringArray("document")
	if len(docs) == 0 {
		return usageError("--document is required: the receivables the line pays")
	}
	on, err := dateFlag(cmd, env, "date")
	if err != nil {
		return err
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := collect.AllocateSuspense(cmd.Context(), st, cr, id, docs, on)
	if err != nil {
		return refusedError(err)
	}
	if outputFormat(cmd) == "json" {
		type part struct {
			Document  string `json:"document"`
			Customer  string `json:"customer"`
			Amount    string `json:"amount"`
			Remaining string `json:"remaining"`
			Paid      bool   `json:"paid"`
		}
		out := struct {
			Line       int64  `json:"line"`
			Bank       string `json:"bank"`
			Date       string `json:"date"`
			Allocated  string `json:"allocated"`
			Left       string `json:"left"`
			Parts      []part `json:"parts"`
			Status     string `json:"status"`
			ExitStatus int    `json:"exit_status"`
		}{Line: a.Line.ID, Bank: a.Line.Bank, Date: jsonDay(on), Allocated: remit.FormatAmount(a.Allocated),
			Left: remit.FormatAmount(a.Remaining), Parts: []part{}, Status: statusName(ExitOK)}
		for _, p := range a.Parts {
			out.Parts = append(out.Parts, part{p.Document, p.Customer, remit.FormatAmount(p.Amount), remit.FormatAmount(p.Remaining), p.Paid})
		}
		return writeJSON(env, out)
	}
	fmt.Fprintf(env.Out, "line %d (%s, %s credited on %s): %s allocated on %s\n", a.Line.ID, a.Line.Bank,
		remit.FormatAmountFR(a.Line.Amount), frDate(a.Line.Booked), remit.FormatAmountFR(a.Allocated), frDate(on))
	for _, p := range a.Parts {
		state := "paid"
		if !p.Paid {
			state = remit.FormatAmountFR(p.Remaining) + " still open"
		}
		fmt.Fprintf(env.Out, "  %s %s %s %s\n", fit(p.Document, 16), fit(p.Customer, 12), right(remit.FormatAmountFR(p.Amount), 13), state)
	}
	fmt.Fprintf(env.Out, "left in the suspense account: %s\n", remit.FormatAmountFR(a.Remaining))
	return nil
}

// dateFlag reads a date flag of the command, today when it is not given.
func dateFlag(cmd *cobra.Command, env *Env, name string) (time.Time, error) {
	s, _ := cmd.Flags().GetString(name)
	if s == "" {
		return remit.Day(env.Now()), nil
	}
	t, err := remit.ParseDate(s)
	if err != nil {
		return time.Time{}, usageError("--%s %q: %v", name, s, err)
	}
	return t, nil
}

// refusedError makes a refusal of the treasury rules exit 5 (refused,
// nothing done), each reason on its line; other errors are returned as
// they are.
func refusedError(err error) error {
	if errors.Is(err, collect.ErrRefused) || errors.Is(err, store.ErrNoSuspenseLine) {
		var reasons []string
		for _, e := range problemsOf(err) {
			if !errors.Is(collect.ErrRefused, e) && e.Error() != collect.ErrRefused.Error() {
				reasons = append(reasons, e.Error())
			}
		}
		return &ExitError{Code: ExitRefused, Err: errors.New("refused, nothing recorded:\n  " + strings.Join(reasons, "\n  "))}
	}
	return err
}

// problemsOf splits joined errors into each one.
func problemsOf(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, problemsOf(e)...)
		}
		return out
	}
	return []error{err}
}
