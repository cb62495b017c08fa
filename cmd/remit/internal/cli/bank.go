package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/treasury"
)

func init() { extraCommands = append(extraCommands, newBankCmd) }

// bankOptions are the flags of remit bank add and set.
type bankOptions struct {
	*Env
	cmd                                 *cobra.Command
	iban, bic, name, account, nne, days string
	limit, substitute                   string
	makeDefault                         bool
	add                                 bool // add: the bank must be new, --iban, --name and --account given
}

func newBankCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bank",
		Short: "Add, change or remove a bank account (journal de banque); set its validated balance",
		Long: `bank keeps the company's bank accounts. Each is a treasury journal: its code (BQ1)
is the journal column of the receivables that go to it, and a receivable whose
journal is no bank's goes to the default bank. Each has its IBAN and BIC, its
domiciliation, its account in the books (512…), the numéro national d'émetteur
its CFONB files carry, its value days per type of operation (seed 003: "n est
un paramètre différent pour chaque type d'opération et pour chaque banque"),
its disbursement limit and substitute bank, and its validated balance (solde
validé), from which forecasts start. remit banks lists them.

The creditor's own account (remit creditor set --iban) is the default bank's:
a database made before banks has it as bank BQ, booked on 512000.`,
		Example: `  remit bank add BQ1 --iban FR7630004008280001012345691 --bic BNPAFRPP \
    --name "BNP PARIBAS PARIS OPERA" --account 512100 --nne 123456 --default
  remit bank add BQ2 --iban FR7610096000502468013579016 --bic CMCIFRPP --name "CIC LYON" \
    --account 512200 --value-days sdd=1,lcr=2,chq=1 --limit -5000.00 --substitute BQ1
  remit bank balance BQ1 --amount 12450.30 --date 2026-11-30
  remit bank set BQ2 --default
  remit bank remove BQ3`,
	}
	cmd.AddCommand(newBankPutCmd(env, true), newBankPutCmd(env, false), newBankRemoveCmd(env), newBankBalanceCmd(env))
	return cmd
}

func newBankPutCmd(env *Env, add bool) *cobra.Command {
	opts := &bankOptions{Env: env, add: add}
	cmd := &cobra.Command{
		Use:   "set CODE",
		Short: "Change some of a bank's details",
		Long: `set changes the details given on the command line and keeps the others.
--default makes the bank the default one (the creditor's account becomes its own).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return bankPutRun(opts, strings.ToUpper(strings.TrimSpace(args[0])))
		},
	}
	if add {
		cmd.Use, cmd.Short = "add CODE", "Add a bank account"
		cmd.Long = `add adds a bank account: CODE is its treasury journal (1 to 8 letters or digits), and
--iban, --name and --account are required. The first bank is the default one.`
	}
	f := cmd.Flags()
	f.StringVar(&opts.iban, "iban", "", "the account's IBAN (a SEPA country's)")
	f.StringVar(&opts.bic, "bic", "", "the bank's BIC")
	f.StringVar(&opts.name, "name", "", "domiciliation: the bank and branch, e.g. \"BNP PARIBAS PARIS OPERA\"")
	f.StringVar(&opts.account, "account", "", "its general ledger account (512…)")
	f.StringVar(&opts.nne, "nne", "", "numéro national d'émetteur (6 digits) of its CFONB files")
	f.StringVar(&opts.days, "value-days", "", "value days per type of operation, e.g. sdd=1,lcr=2,chq=1 (types: "+opTypes()+")")
	f.StringVar(&opts.limit, "limit", "", "lowest balance allowed (limite de décaissement), e.g. -5000.00; 0 or '' for none")
	f.StringVar(&opts.substitute, "substitute", "", "the bank supplier payments move to below the limit ('' for none)")
	f.BoolVar(&opts.makeDefault, "default", false, "make it the default bank: receivables of no bank's journal go to it")
	addFormat(cmd, "table", "json")
	return cmd
}

func opTypes() string {
	var s []string
	for _, op := range remit.BankOperations() {
		s = append(s, string(op))
	}
	return strings.Join(s, ", ")
}

// bankProblems is every problem of what the command line asks of the
// banks, each on a line of its own (in JSON, "problems"): exit 2, nothing
// changed.
func bankProblems(cmd *cobra.Command, code string, err error) error {
	se := &settingsError{summary: cmd.CommandPath() + " " + code + ": nothing changed"}
	for _, p := range splitErrors(err) {
		se.problems = append(se.problems, p.Error())
	}
	return &ExitError{Code: ExitUsage, Err: se}
}

// isBankRule reports an error of the banks' rules (a wrong request, exit 2).
func isBankRule(err error) bool {
	var be *remit.BankError
	return errors.As(err, &be) || errors.Is(err, treasury.ErrBanks) || errors.Is(err, treasury.ErrNoBank) ||
		errors.Is(err, treasury.ErrDefaultBank) || errors.Is(err, treasury.ErrSubstitute) || errors.Is(err, treasury.ErrBankExists) ||
		errors.Is(err, treasury.ErrBankInUse)
}

// splitErrors lists the errors err joins (errors.Join), or err alone.
func splitErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// flagProblems are the values of the command line that do not read.
type flagProblems []error

func (p flagProblems) Error() string   { return errors.Join(p...).Error() }
func (p flagProblems) Unwrap() []error { return p }

// missing lists the flags bank add needs that are not given.
func (o *bankOptions) missing() []string {
	var missing []string
	for _, flag := range []string{"iban", "name", "account"} {
		if o.add && !o.cmd.Flags().Changed(flag) {
			missing = append(missing, "--"+flag)
		}
	}
	return missing
}

// changes applies the flags given to b, or says every value that does not read.
func (o *bankOptions) changes(b *remit.Bank) error {
	f := o.cmd.Flags()
	var errs []error
	set := func(flag string, dst *string, val string) {
		if f.Changed(flag) {
			*dst = strings.TrimSpace(val)
		}
	}
	set("iban", &b.IBAN, ident.NormalizeIBAN(o.iban))
	set("bic", &b.BIC, strings.ToUpper(o.bic))
	set("name", &b.Name, o.name)
	set("account", &b.Account, o.account)
	set("nne", &b.NNE, o.nne)
	set("substitute", &b.Substitute, strings.ToUpper(o.substitute))
	if f.Changed("value-days") {
		v, err := remit.ParseValueDays(o.days)
		for _, e := range splitErrors(err) {
			errs = append(errs, &remit.BankError{Bank: b.Code, Field: "value-days", Value: o.days, Err: e})
		}
		b.ValueDays = v
	}
	if f.Changed("limit") {
		b.Limit = 0
		if s := strings.TrimSpace(o.limit); s != "" {
			v, err := remit.ParseSignedAmount(s)
			if err != nil {
				errs = append(errs, &remit.BankError{Bank: b.Code, Field: "limit", Value: o.limit, Err: err})
			}
			b.Limit = v
		}
	}
	if o.makeDefault {
		b.Default = true
	} else if f.Changed("default") && b.Default {
		errs = append(errs, &remit.BankError{Bank: b.Code, Field: "default", Err: errors.New("it is the default bank: make another the default instead (remit bank set CODE --default)")})
	}
	if len(errs) > 0 {
		return flagProblems(errs)
	}
	return nil
}

func bankPutRun(o *bankOptions, code string) error {
	st, cr, err := o.storeAndCreditor(o.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	var saved remit.Bank
	banks, err := st.UpdateBanks(o.cmd.Context(), cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		b, err := treasury.FindBank(banks, code)
		switch {
		case o.add && err == nil:
			return nil, fmt.Errorf("bank %s: %w: remit bank set %s changes it", code, treasury.ErrBankExists, b.Code)
		case o.add:
			b = remit.Bank{Code: code}
		case err != nil:
			return nil, err
		}
		if missing := o.missing(); len(missing) > 0 {
			return nil, usageError("remit bank add %s: %s required", code, strings.Join(missing, ", "))
		}
		// What the flags say and what the banks' rules say, in one list.
		probs := splitErrors(o.changes(&b))
		saved = b
		out, err := treasury.PutBank(banks, b)
		if probs = append(probs, splitErrors(err)...); len(probs) > 0 {
			return nil, flagProblems(probs)
		}
		return out, nil
	})
	if err != nil {
		var fp flagProblems
		if errors.As(err, &fp) || isBankRule(err) {
			return bankProblems(o.cmd, code, err)
		}
		return err
	}
	b, _ := treasury.FindBank(banks, saved.Code)
	if outputFormat(o.cmd) == "json" {
		return writeJSON(o.Env, newBankJSON(b))
	}
	verb := "saved"
	if o.add {
		verb = "added"
	}
	fmt.Fprintf(o.Out, "bank %s %s\n", b.Code, verb)
	printBank(o.Out, b)
	return nil
}

func newBankRemoveCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove CODE",
		Short: "Remove a bank no remittance was made to",
		Long: `remove removes a bank. A bank remittances were made to stays (they are regenerated and
reconciled with it), as does the default bank while others remain and a bank
another names as its substitute.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code := strings.ToUpper(strings.TrimSpace(args[0]))
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			_, err = st.UpdateBanks(cmd.Context(), cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
				return treasury.RemoveBank(banks, code)
			})
			if err != nil {
				if isBankRule(err) {
					return bankProblems(cmd, code, err)
				}
				return err
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, struct {
					Removed    string `json:"removed"`
					Status     string `json:"status"`
					ExitStatus int    `json:"exit_status"`
				}{code, statusName(ExitOK), ExitOK})
			}
			fmt.Fprintf(env.Out, "bank %s removed\n", code)
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

func newBankBalanceCmd(env *Env) *cobra.Command {
	var amount, date string
	cmd := &cobra.Command{
		Use:   "balance CODE",
		Short: "Set a bank's validated balance (solde validé) and its date",
		Long: `balance sets the validated balance of a bank by hand: the balance at the end of
--date, as the bank's statement of that day gives it. A forecast starts from it
(seed 003: "Le calcul prend pour situation de départ le solde validé à la date
validée"), and nothing before that date is reconciled. Importing a statement
sets it too.`,
		Example: `  remit bank balance BQ1 --amount 12450.30 --date 2026-11-30
  remit bank balance BQ2 --amount -1520,00 --date 30/11/2026`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code := strings.ToUpper(strings.TrimSpace(args[0]))
			cents, day, err := balanceFlags(cmd, amount, date, env.Now())
			if err != nil {
				return err
			}
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			var b remit.Bank
			_, err = st.UpdateBanks(cmd.Context(), cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
				if b, err = treasury.FindBank(banks, code); err != nil {
					return nil, err
				}
				b.Balance, b.BalanceDate = cents, day
				return treasury.PutBank(banks, b)
			})
			if err != nil {
				if isBankRule(err) {
					return bankProblems(cmd, code, err)
				}
				return err
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, newBankJSON(b))
			}
			fmt.Fprintf(env.Out, "bank %s: validated balance %s on %s\n", b.Code, remit.FormatAmountFR(b.Balance), b.BalanceDate.Format("02/01/2006"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&amount, "amount", "", "the balance, e.g. 12450.30 or -1520,00")
	f.StringVar(&date, "date", "", "its date: YYYY-MM-DD or DD/MM/YYYY, not after today")
	addFormat(cmd, "table", "json")
	return cmd
}

// balanceFlags reads --amount and --date of remit bank balance.
func balanceFlags(cmd *cobra.Command, amount, date string, now time.Time) (int64, time.Time, error) {
	f := cmd.Flags()
	var probs []string
	if !f.Changed("amount") {
		probs = append(probs, "--amount is required")
	}
	if !f.Changed("date") {
		probs = append(probs, "--date is required")
	}
	if len(probs) > 0 {
		return 0, time.Time{}, usageError("remit bank balance: %s", strings.Join(probs, ", "))
	}
	cents, err := remit.ParseSignedAmount(amount)
	if err != nil {
		probs = append(probs, fmt.Sprintf("--amount %q: %v", amount, err))
	}
	day, err := remit.ParseDate(date)
	switch {
	case err != nil:
		probs = append(probs, fmt.Sprintf("--date %q: %v", date, err))
	case day.After(remit.Day(now)):
		probs = append(probs, fmt.Sprintf("--date %s is after today: a validated balance is one a statement gave", remit.FormatDate(day)))
	}
	if len(probs) > 0 {
		return 0, time.Time{}, usageError("remit bank balance: %s", strings.Join(probs, "; "))
	}
	return cents, day, nil
}

// printBank writes a bank's details, one per line.
func printBank(w io.Writer, b remit.Bank) {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-11s %s\n", k, v)
		}
	}
	row("code", b.Code)
	row("name", b.Name)
	row("IBAN", b.IBAN)
	row("BIC", b.BIC)
	row("account", b.Account)
	row("NNE", b.NNE)
	row("value days", b.ValueDays.String())
	if b.Limit != 0 {
		row("limit", remit.FormatAmountFR(b.Limit))
	}
	row("substitute", b.Substitute)
	if !b.BalanceDate.IsZero() {
		row("balance", remit.FormatAmountFR(b.Balance)+" on "+b.BalanceDate.Format("02/01/2006")+" (validated)")
	}
	if b.Default {
		row("default", "yes: receivables of no bank's journal go to it")
	}
}
