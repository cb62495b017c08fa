package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

type listOptions struct {
	*Env
	Sel     selectionFlags
	Refused bool
	Format  string
	Output  string
}

func newListCmd(env *Env) *cobra.Command {
	opts := &listOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List receivables (échéances) with selection filters",
		Long: `list prints the receivables that the filters select, by due date: a table for
people, or --format csv|json for programs. Without date flags the current month
is listed.

A pointed receivable that a run (sdd, lcr, run) could not take shows why, since
when, and what to do. --refused lists them all, whatever their due dates.`,
		Example: `  remit list --due-from 2026-12-01 --due-to 2026-12-31 --method sdd --format json
  remit list --status pointed
  remit list --refused`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return listRun(cmd, opts) },
	}
	opts.Sel.register(cmd.Flags(), "all")
	cmd.Flags().BoolVar(&opts.Refused, "refused", false, "only the pointed receivables a run refused, whatever their due dates (unless given)")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output: table, csv, json or pdf (default pdf with -o FILE.pdf)")
	choices(cmd.Flags(), "format", "table", "csv", "json", "pdf")
	cmd.Flags().Bool("json", false, "shorthand for --format json")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file (a .pdf name means --format pdf)")
	return cmd
}

// listPDF is set by the PDF support (list_pdf.go).
var listPDF func(cmd *cobra.Command, opts *listOptions, st store.Store, cr remit.Creditor, f remit.Filter) error

func listRun(cmd *cobra.Command, opts *listOptions) error {
	ctx := cmd.Context()
	f, err := opts.Sel.filter(opts.Now())
	if err != nil {
		return err
	}
	if opts.Refused {
		f.Refused = true
		if opts.Sel.DueFrom == "" && opts.Sel.DueTo == "" {
			f.DueFrom, f.DueTo = time.Time{}, time.Time{} // refused last month or next: all of them
		}
		if err := f.Validate(); err != nil {
			return usageError("--refused: %v", err)
		}
	}
	opts.Format = outputFormat(cmd)
	if ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(opts.Output), ".")); opts.Output != "" && !cmd.Flags().Changed("format") &&
		!cmd.Flags().Changed("json") && (ext == "pdf" || ext == "csv" || ext == "json") {
		opts.Format = ext // -o x.pdf means --format pdf
	}
	switch opts.Format {
	case "table", "csv", "json":
	case "pdf":
		if listPDF == nil {
			return usageError("--format pdf is not available in this build")
		}
	default:
		return usageError("--format %q: want table, csv, json or pdf", opts.Format)
	}
	st, err := opts.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	cr, err := opts.creditor(ctx, st)
	if err != nil {
		return err
	}
	if opts.Format == "pdf" {
		return listPDF(cmd, opts, st, cr, f)
	}
	if opts.Output != "" {
		return writeOutput(opts.Out, opts.Output, func(w io.Writer) error { return writeList(cmd, opts, st, cr, f, w) })
	}
	w := bufio.NewWriterSize(opts.Out, 1<<16)
	defer w.Flush()
	return writeList(cmd, opts, st, cr, f, w)
}

// writeList writes the receivables as a table, CSV or JSON.
func writeList(cmd *cobra.Command, opts *listOptions, st store.Store, cr remit.Creditor, f remit.Filter, w io.Writer) error {
	ctx := cmd.Context()
	if opts.Format == "json" {
		opts.wroteJSON = true
	}
	// Refusals the dates leave out are pointed out after the list.
	var notes []string
	if opts.Format != "csv" && !f.Refused && (f.Status == "" || f.Status == "all" || f.Status == remit.StatusPointed) {
		n, err := st.RefusedOutside(ctx, cr.ID, f)
		if err != nil {
			return err
		}
		if n > 0 {
			notes = append(notes, fmt.Sprintf("%s outside these due dates: remit list --refused",
				plural(n, "refused receivable is", "refused receivables are")))
		}
	}
	var emit func(remit.Receivable) error
	var done func(count int, totals []remit.CurrencyTotal) error
	switch opts.Format {
	case "table":
		emit, done = tableList(w)
		if len(notes) > 0 {
			table := done
			done = func(count int, totals []remit.CurrencyTotal) error {
				if err := table(count, totals); err != nil {
					return err
				}
				for _, n := range notes {
					if _, err := fmt.Fprintf(w, "note: %s\n", n); err != nil {
						return err
					}
				}
				return nil
			}
		}
	case "csv":
		emit, done = csvList(w)
	case "json":
		emit, done = jsonList(w, notes)
	}
	count, totals := 0, []remit.CurrencyTotal(nil)
	err := st.Receivables(ctx, cr.ID, f, func(r remit.Receivable) error {
		count++
		totals = remit.AddTotal(totals, r.Currency, r.Amount)
		return emit(r)
	})
	if err != nil {
		return err
	}
	return done(count, totals)
}

func tableList(w io.Writer) (func(remit.Receivable) error, func(int, []remit.CurrencyTotal) error) {
	header := false
	emit := func(r remit.Receivable) error {
		if !header {
			header = true
			fmt.Fprintf(w, "%s %s %s %s %s %s %s %s %s %s\n", fit("DOCUMENT", 14), fit("CUSTOMER", 12), fit("NAME", 26),
				fit("DUE", 10), fit("METHOD", 6), fit("JOURNAL", 7), fit("STATUS", 8), right("AMOUNT", 14), fit("CUR", 3), "REMIT")
		}
		method := r.Method
		if method == "" {
			method = "-"
		}
		// written_off takes room from the amount's padding: the amounts stay aligned.
		status, amountWidth := fit(r.Status, 8), 14
		if n := utf8.RuneCountInString(r.Status); n > 8 {
			status, amountWidth = r.Status, 14-(n-8)
		}
		_, err := fmt.Fprintf(w, "%s %s %s %s %s %s %s %s %s %s\n", fit(r.Document, 14), fit(r.Customer, 12), fit(r.Name, 26),
			r.DueDate.Format(remit.DateLayout), fit(method, 6), fit(r.Journal, 7), status,
			right(remit.FormatAmountFR(r.Amount), amountWidth), fit(r.Currency, 3), r.Remittance)
		switch {
		case err != nil:
		case r.Todo != "":
			_, err = fmt.Fprintf(w, "%s refused (since %s): %s\n%s to do: %s\n", fit("", 14), r.RefusedAt, r.Refusal,
				fit("", 14), r.Todo.Advice(r.Document))
		case r.Refusal != "":
			_, err = fmt.Fprintf(w, "%s refused: %s\n", fit("", 14), r.Refusal)
		}
		return err
	}
	done := func(count int, totals []remit.CurrencyTotal) error {
		if count == 0 {
			fmt.Fprintln(w, "no receivable matches")
			return nil
		}
		// One line per currency, each with its own count: amounts of
		// different currencies are never added.
		for _, t := range totals {
			fmt.Fprintf(w, "%s, total %s %s\n", plural(t.Count, "receivable", "receivables"), remit.FormatAmountFR(t.Total), t.Currency)
		}
		return nil
	}
	return emit, done
}

var listColumns = []string{"document", "customer", "name", "amount", "currency", "due_date", "method", "journal", "status", "remittance",
	"refusal", "refused_since", "todo"}

func csvList(w io.Writer) (func(remit.Receivable) error, func(int, []remit.CurrencyTotal) error) {
	cw := csv.NewWriter(w)
	cw.Write(listColumns)
	emit := func(r remit.Receivable) error {
		rec := []string{r.Document, r.Customer, r.Name, remit.FormatAmount(r.Amount), r.Currency,
			r.DueDate.Format(remit.DateLayout), r.Method, r.Journal, r.Status, r.Remittance, r.Refusal, r.RefusedAt, string(r.Todo)}
		for i, f := range rec {
			rec[i] = remit.SpreadsheetCell(f) // =HYPERLINK(…) in a name is shown, never run
		}
		return cw.Write(rec)
	}
	done := func(int, []remit.CurrencyTotal) error { cw.Flush(); return cw.Error() }
	return emit, done
}

type listJSON struct {
	Document   string  `json:"document"`
	Customer   string  `json:"customer"`
	Name       string  `json:"name"`
	Amount     string  `json:"amount"`
	Currency   string  `json:"currency"`
	DueDate    string  `json:"due_date"`
	Method     string  `json:"method"`
	Journal    string  `json:"journal"`
	Status     string  `json:"status"`
	Remittance *string `json:"remittance"`
	Refusal    string  `json:"refusal,omitempty"`
	Since      string  `json:"refused_since,omitempty"`
	Todo       string  `json:"todo,omitempty"`   // later, correct or unpoint
	Advice     string  `json:"advice,omitempty"` // what to do, in a sentence
}

// jsonList writes {"receivables": [...], "totals": [...]}: one receivable
// a line, as they stream, then one total per currency with its own count
// (amounts of different currencies are never added), and the notes.
func jsonList(w io.Writer, notes []string) (func(remit.Receivable) error, func(int, []remit.CurrencyTotal) error) {
	m := &jsonMembers{w: w, key: "receivables"}
	emit := func(r remit.Receivable) error {
		j := listJSON{Document: r.Document, Customer: r.Customer, Name: r.Name, Amount: remit.FormatAmount(r.Amount),
			Currency: r.Currency, DueDate: r.DueDate.Format(remit.DateLayout), Method: r.Method, Journal: r.Journal,
			Status: r.Status, Refusal: r.Refusal, Since: r.RefusedAt, Todo: string(r.Todo)}
		if r.Todo != "" {
			j.Advice = r.Todo.Advice(r.Document)
		}
		if r.Remittance != "" {
			ref := r.Remittance
			j.Remittance = &ref
		}
		return m.add(j)
	}
	done := func(_ int, totals []remit.CurrencyTotal) error {
		end := m.end()
		t, err := json.Marshal(totalsJSON(totals))
		if err != nil {
			return err
		}
		tail := end + `  "totals": ` + string(t)
		if len(notes) > 0 {
			n, err := json.Marshal(notes)
			if err != nil {
				return err
			}
			tail += ",\n  \"notes\": " + string(n)
		}
		_, err = io.WriteString(w, tail+"\n}\n")
		return err
	}
	return emit, done
}
