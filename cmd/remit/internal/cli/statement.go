package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

func init() { extraCommands = append(extraCommands, newStatementCmd) }

func newStatementCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "statement",
		Short: "Import the banks' statements (CFONB 120, camt.053) and list what each line was matched to",
		Long: `statement import reads bank statements (relevés de compte) and confirms with
them what remit sent each bank (la constatation en banque); statement list
shows the statements imported, line by line, with what each line was matched
to.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newStatementImportCmd(env), newStatementListCmd(env))
	return cmd
}

func newStatementImportCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import bank statements: CFONB 120 or camt.053 (.001.02, .001.08)",
		Long: `import reads each file, a CFONB 120 relevé (records 01, 04, 05, 07) or a
camt.053.001.02 or .001.08 message (told apart by their content), and imports
each statement it holds, in a transaction of its own.

The account names the bank (remit bank add). Each line is matched to what
remit knows, never guessed: a remittance credited in one line (batch booking:
a payment block named by its PmtInfId, or the LCRs of one due date) or
collection by collection (their EndToEndIds); a collection returned or an LCR
unpaid, recorded as remit returns records it (the reason the statement gives,
else MS03); a transfer naming open receivables, which it pays; bank charges.
Operations confirmed get their date de constatation; a credit nothing explains
goes to the suspense account (remit suspense), with an écriture debiting the
bank and crediting 471000 (entries.suspense_account). The statement's closing balance becomes the bank's
validated balance (solde validé), unless it is older than the one it has.

A statement already imported (read from either format) changes nothing. A
statement of an account no bank has, whose balances do not add up, ending
before the bank's validated date or overlapping one imported, is refused with
the reason and nothing of it is recorded. Exit status 3 when some statements
were refused and others imported, 5 when all were refused.`,
		Example: `  remit statement import releve-bq1.txt
  remit statement import bank/camt053-bq2.xml --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return statementImportRun(cmd, env, args) },
	}
	addFormat(cmd, "table", "json")
	return cmd
}

func statementImportRun(cmd *cobra.Command, env *Env, names []string) error {
	// Read every file first: one that cannot be read stops the command
	// before anything changes.
	files := make([]collect.StatementFile, 0, len(names))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		files = append(files, collect.StatementFile{Name: filepath.Base(name), Data: b})
	}
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := collect.ImportStatements(cmd.Context(), st, kinds(), cr, files)
	if err != nil {
		// Each statement has its transaction: those before the failure stay.
		if outputFormat(cmd) != "json" {
			for i := range res {
				printStatementResult(env.Out, &res[i])
				fmt.Fprintln(env.Out)
			}
		}
		return err
	}
	done, refused := 0, 0
	for _, r := range res {
		if r.Status == collect.StatementRefused {
			refused++
		} else {
			done++
		}
	}
	exit := itemsExit(done, refused)
	if outputFormat(cmd) == "json" {
		code := exitCode(exit)
		out := make([]statementJSON, len(res))
		for i := range res {
			out[i] = statementResultJSON(&res[i])
		}
		if err := writeJSON(env, struct {
			Statements []statementJSON `json:"statements"`
			Status     string          `json:"status"`
			ExitStatus int             `json:"exit_status"`
		}{out, statusName(code), code}); err != nil {
			return err
		}
		return exit
	}
	for i := range res {
		if i > 0 {
			fmt.Fprintln(env.Out)
		}
		printStatementResult(env.Out, &res[i])
	}
	return exit
}

// formatName names a statement's format in tables.
func formatName(f string) string {
	switch f {
	case statement.CFONB120:
		return "CFONB 120"
	case "":
		return "statement"
	}
	return f
}

func printStatementResult(w io.Writer, r *collect.StatementResult) {
	where := r.File
	if r.Line > 0 {
		where += ", line " + strconv.Itoa(r.Line)
	}
	what := formatName(r.Format)
	if r.Bank != "" {
		what += " of " + r.Bank + " (" + r.Account + ")"
	} else if r.Account != "" {
		what += " of " + r.Account
	}
	if !r.To.IsZero() {
		what += ", " + frDate(r.From) + " to " + frDate(r.To)
	}
	switch r.Status {
	case collect.StatementRefused:
		fmt.Fprintf(w, "%s: %s: refused, nothing recorded\n", where, what)
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return
	case collect.StatementAlready:
		fmt.Fprintf(w, "%s: %s: already imported, nothing changed\n", where, what)
		return
	}
	fmt.Fprintf(w, "%s: %s: imported\n", where, what)
	balance := fmt.Sprintf("  opening balance %s, closing balance %s", remit.FormatAmountFR(r.Opening), remit.FormatAmountFR(r.Closing))
	if r.BalanceSet {
		balance += fmt.Sprintf(": the validated balance of %s on %s", r.Bank, frDate(r.To))
	}
	fmt.Fprintln(w, balance)
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "  note: %s\n", warn)
	}
	lines := make([]lineRow, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = lineRow{id: l.ID, fileLine: l.Line, booked: l.Booked, amount: l.Amount, code: l.Code, label: l.Label,
			outcome: l.Outcome, suspense: l.Suspense, left: l.Amount, reason: l.Reason, returnReason: l.ReturnReason}
		for _, t := range l.Targets {
			ret, _ := strconv.ParseInt(t.Return, 10, 64)
			lines[i].targets = append(lines[i].targets, store.LineTarget{Remittance: t.Remittance, Block: t.Block, LotDate: t.Date,
				Document: t.Document, Return: ret, Confirmed: ret != 0, Amount: t.Amount})
		}
	}
	printLines(w, lines)
}

// lineRow is a statement line as tables print it.
type lineRow struct {
	id           int64
	fileLine     int
	booked       time.Time
	amount       int64
	code, label  string
	outcome      treasury.Outcome
	suspense     bool
	left         int64
	reason       string
	returnReason string
	targets      []store.LineTarget
}

func printLines(w io.Writer, lines []lineRow) {
	if len(lines) == 0 {
		fmt.Fprintln(w, "  no movement")
		return
	}
	fmt.Fprintf(w, "  %s %s %s %s %s %s %s\n", right("LINE", 5), right("AT", 5), fit("BOOKED", 10), right("AMOUNT", 13), fit("CODE", 14),
		fit("OUTCOME", 10), "MATCHED")
	counts := map[string]int{}
	var order []string
	for _, l := range lines {
		word := outcomeWord(l.outcome, l.suspense)
		if counts[word] == 0 {
			order = append(order, word)
		}
		counts[word]++
		row := fmt.Sprintf("  %s %s %s %s %s %s %s", right(strconv.FormatInt(l.id, 10), 5), right(strconv.Itoa(l.fileLine), 5),
			frDate(l.booked), right(remit.FormatAmountFR(l.amount), 13), fit(l.code, 14), fit(word, 10), matched(l))
		fmt.Fprintln(w, strings.TrimRight(row, " "))
	}
	parts := make([]string, len(order))
	for i, word := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[word], word)
	}
	fmt.Fprintf(w, "  %s: %s\n", plural(len(lines), "line", "lines"), strings.Join(parts, ", "))
}

// outcomeWord names an outcome in tables.
func outcomeWord(o treasury.Outcome, suspense bool) string {
	switch o {
	case treasury.LotCredited, treasury.ItemsCredited:
		return "credited"
	case treasury.ReceivablesPaid:
		return "paid"
	case treasury.NotBooked:
		return "not booked"
	case treasury.Unmatched:
		if suspense {
			return "suspense"
		}
		return "unmatched"
	}
	return string(o)
}

// matched says what a line was matched to, or why nothing.
func matched(l lineRow) string {
	var parts []string
	for _, t := range l.targets {
		switch {
		case t.Remittance != "" && t.Document == "":
			s := "remittance " + t.Remittance
			if t.Block > 0 {
				s += " block " + strconv.Itoa(t.Block)
			}
			if !t.LotDate.IsZero() {
				s += " of " + frDate(t.LotDate)
			}
			parts = append(parts, s)
		case t.Remittance != "" && l.outcome == treasury.Returned && t.Confirmed:
			parts = append(parts, fmt.Sprintf("%s (remittance %s): confirms return %d", t.Document, t.Remittance, t.Return))
		case t.Remittance != "":
			parts = append(parts, t.Document+" (remittance "+t.Remittance+")")
		default:
			parts = append(parts, t.Document)
		}
	}
	s := strings.Join(parts, ", ")
	if l.returnReason != "" {
		s += " motif " + l.returnReason
	}
	switch {
	case l.outcome == treasury.BankFee || l.outcome == treasury.NotBooked:
		s = l.label
	case l.outcome == treasury.Unmatched:
		s = l.label + ": " + l.reason
		if l.suspense && l.left != l.amount {
			s += fmt.Sprintf(" (%s left)", remit.FormatAmountFR(l.left))
		}
	case l.reason != "":
		s += "; " + l.reason
	}
	return s
}

// frDate writes a date as tables do: 03/12/2026.
func frDate(t time.Time) string {
	if t.IsZero() {
		return strings.Repeat(" ", 10)
	}
	return t.Format("02/01/2006")
}

func newStatementListCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the statements imported, each line with what it was matched to",
		Long: `list shows the statements imported, oldest first (of one bank with --bank):
the file, the period, the opening and closing balances, then each line: its
number in remit (remit suspense allocate takes it), its line in the file, the
date it was booked (date de constatation), the amount (negative: a debit), its
operation code, and what it was: credited (a remittance, or collections of
it), returned, paid (receivables a transfer named), fee, suspense (a credit
nothing explains, in the suspense account), unmatched (a debit remit did not
make) or not booked (pending, for information).`,
		Example: `  remit statement list --bank BQ1
  remit statement list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return statementListRun(cmd, env) },
	}
	cmd.Flags().String("bank", "", "only the statements of this bank (its code)")
	addFormat(cmd, "table", "json")
	return cmd
}

func statementListRun(cmd *cobra.Command, env *Env) error {
	bank, _ := cmd.Flags().GetString("bank")
	st, cr, err := env.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	if bank != "" {
		banks, err := st.Banks(cmd.Context(), cr.ID)
		if err != nil {
			return err
		}
		found := false
		for _, b := range banks {
			if strings.EqualFold(b.Code, bank) {
				bank, found = b.Code, true
			}
		}
		if !found {
			return usageError("--bank %s: no such bank (remit banks lists them)", bank)
		}
	}
	w := bufio.NewWriterSize(env.Out, 1<<16)
	emit, done := statementsTable(w)
	if outputFormat(cmd) == "json" {
		env.wroteJSON = true
		arr := newJSONArray(w)
		emit = func(s *store.StatementRecord) error { return arr.add(statementRecordJSON(s)) }
		done = arr.close
	}
	return endListing(w, st.Statements(cmd.Context(), cr.ID, bank, emit), done)
}

// statementsTable writes each statement as it comes: its file, period and
// balances, then its lines.
func statementsTable(w io.Writer) (emit func(*store.StatementRecord) error, done func() error) {
	count := 0
	emit = func(s *store.StatementRecord) error {
		if count > 0 {
			fmt.Fprintln(w)
		}
		count++
		fmt.Fprintf(w, "statement %d: %s %s, %s, %s to %s, imported %s\n", s.ID, s.Bank, formatName(s.Format), s.File,
			frDate(s.From), frDate(s.To), strings.Replace(s.ImportedAt, "T", " ", 1))
		balance := fmt.Sprintf("  opening balance %s, closing balance %s", remit.FormatAmountFR(s.Opening), remit.FormatAmountFR(s.Closing))
		if s.BalanceSet {
			balance += " (made the validated balance)"
		}
		fmt.Fprintln(w, balance)
		lines := make([]lineRow, len(s.Lines))
		for j, l := range s.Lines {
			lines[j] = lineRow{id: l.ID, fileLine: l.FileLine, booked: l.Booked, amount: l.Amount, code: l.Code, label: l.Label,
				outcome: l.Outcome, suspense: l.Suspense, left: l.Left, reason: l.Reason, returnReason: l.ReturnReason, targets: l.Targets}
		}
		printLines(w, lines)
		return nil
	}
	done = func() error {
		if count == 0 {
			_, err := fmt.Fprintln(w, "no statement imported")
			return err
		}
		return nil
	}
	return emit, done
}

// The JSON of statements: amounts as decimal strings ("1234.56", negative
// for a debit or an overdrawn balance), dates as 2006-01-02.

type statementJSON struct {
	File       string     `json:"file,omitempty"`
	Line       int        `json:"line,omitempty"`
	ID         int64      `json:"id,omitempty"`
	Format     string     `json:"format,omitempty"`
	Bank       string     `json:"bank,omitempty"`
	Account    string     `json:"account,omitempty"`
	From       string     `json:"from,omitempty"`
	To         string     `json:"to,omitempty"`
	Opening    string     `json:"opening,omitempty"`
	Closing    string     `json:"closing,omitempty"`
	Status     string     `json:"status,omitempty"`
	Problems   []string   `json:"problems,omitempty"`
	Warnings   []string   `json:"warnings,omitempty"`
	BalanceSet bool       `json:"balance_set"`
	ImportedAt string     `json:"imported_at,omitempty"`
	Lines      []lineJSON `json:"lines"`
}

type lineJSON struct {
	ID           int64        `json:"id"`
	Line         int          `json:"line"`
	Booked       string       `json:"booked"`
	Amount       string       `json:"amount"`
	Code         string       `json:"code,omitempty"`
	Label        string       `json:"label"`
	Details      string       `json:"details,omitempty"`
	Outcome      string       `json:"outcome"`
	Op           string       `json:"op,omitempty"`
	ReturnReason string       `json:"return_reason,omitempty"`
	Suspense     bool         `json:"suspense,omitempty"`
	Left         string       `json:"left,omitempty"`
	Reason       string       `json:"reason,omitempty"`
	Targets      []targetJSON `json:"targets"`
}

type targetJSON struct {
	Remittance string `json:"remittance,omitempty"`
	Block      int    `json:"block,omitempty"`
	Date       string `json:"date,omitempty"`
	Document   string `json:"document,omitempty"`
	EndToEndID string `json:"end_to_end_id,omitempty"`
	Return     string `json:"return,omitempty"`
	Amount     string `json:"amount"`
}

func jsonDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(remit.DateLayout)
}

func statementResultJSON(r *collect.StatementResult) statementJSON {
	j := statementJSON{File: r.File, Line: r.Line, Format: r.Format, Bank: r.Bank, Account: r.Account, From: jsonDay(r.From),
		To: jsonDay(r.To), Status: r.Status, Problems: r.Problems, Warnings: r.Warnings, BalanceSet: r.BalanceSet, Lines: []lineJSON{}}
	if r.Status != collect.StatementRefused || !r.To.IsZero() {
		j.Opening, j.Closing = remit.FormatAmount(r.Opening), remit.FormatAmount(r.Closing)
	}
	for _, l := range r.Lines {
		lj := lineJSON{ID: l.ID, Line: l.Line, Booked: jsonDay(l.Booked), Amount: remit.FormatAmount(l.Amount), Code: l.Code,
			Label: l.Label, Outcome: string(l.Outcome), Op: string(l.Op), ReturnReason: l.ReturnReason, Suspense: l.Suspense,
			Reason: l.Reason, Targets: []targetJSON{}}
		for _, t := range l.Targets {
			lj.Targets = append(lj.Targets, targetJSON{Remittance: t.Remittance, Block: t.Block, Date: jsonDay(t.Date), Document: t.Document,
				EndToEndID: t.EndToEndID, Return: t.Return, Amount: remit.FormatAmount(t.Amount)})
		}
		j.Lines = append(j.Lines, lj)
	}
	return j
}

func statementRecordJSON(s *store.StatementRecord) statementJSON {
	j := statementJSON{ID: s.ID, File: s.File, Format: s.Format, Bank: s.Bank, Account: s.Account, From: jsonDay(s.From), To: jsonDay(s.To),
		Opening: remit.FormatAmount(s.Opening), Closing: remit.FormatAmount(s.Closing), BalanceSet: s.BalanceSet,
		ImportedAt: s.ImportedAt, Lines: []lineJSON{}}
	for _, l := range s.Lines {
		lj := lineJSON{ID: l.ID, Line: l.FileLine, Booked: jsonDay(l.Booked), Amount: remit.FormatAmount(l.Amount), Code: l.Code,
			Label: l.Label, Details: l.Details, Outcome: string(l.Outcome), Op: l.Op, ReturnReason: l.ReturnReason, Suspense: l.Suspense,
			Reason: l.Reason, Targets: []targetJSON{}}
		if l.Suspense {
			lj.Left = remit.FormatAmount(l.Left)
		}
		for _, t := range l.Targets {
			tj := targetJSON{Remittance: t.Remittance, Block: t.Block, Date: jsonDay(t.LotDate), Document: t.Document,
				Amount: remit.FormatAmount(t.Amount)}
			if t.Return != 0 {
				tj.Return = strconv.FormatInt(t.Return, 10)
			}
			lj.Targets = append(lj.Targets, tj)
		}
		j.Lines = append(j.Lines, lj)
	}
	return j
}
