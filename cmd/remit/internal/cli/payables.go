package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/disburse"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newPayablesCmd, newGroupingCmd) }

func newPayablesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payables",
		Short: "Supplier payments: import, list, approve, contest, point and group the payables (effets à payer)",
		Long: `payables keeps what the company owes its suppliers (effets à payer: invoices, and
credit notes, avoirs, as negative amounts) and prepares their payment, as the
wizard of the accounting software does (seed 002, "Règlement multi-fournisseurs"):
select them (list), sign their bon à payer when the creditor requires one
(approve; remit creditor set --approval-required), put the disputed ones aside
(contest, resolve), point them for payment (point, with the automatic grouping
rules of remit grouping and a target amount), group or ungroup them by hand.
remit sct then pays the pointed transfers, remit pay-cheques the cheques.`,
	}
	cmd.AddCommand(newPayablesImportCmd(env), newPayablesListCmd(env), newPayablesApproveCmd(env), newPayablesContestCmd(env),
		newPayablesResolveCmd(env), newPayablesPointCmd(env), newPayablesUnpointCmd(env), newPayablesGroupCmd(env),
		newPayablesUngroupCmd(env))
	return cmd
}

// payableStore is the payables side of the configured store.
func payableStore(st store.Store) (store.PayableStore, error) {
	ps, ok := st.(store.PayableStore)
	if !ok {
		return nil, &ExitError{Code: ExitUsage, Err: errors.New("this database keeps no payables: supplier payments need remit's SQLite or PostgreSQL store")}
	}
	return ps, nil
}

// openPayables opens the store, its payables and the creditor.
func (e *Env) openPayables(cmd *cobra.Command) (store.Store, store.PayableStore, remit.Creditor, error) {
	st, err := e.openStore()
	if err != nil {
		return nil, nil, remit.Creditor{}, err
	}
	ps, err := payableStore(st)
	if err != nil {
		st.Close()
		return nil, nil, remit.Creditor{}, err
	}
	cr, err := e.creditor(cmd.Context(), st)
	if err != nil {
		st.Close()
		return nil, nil, remit.Creditor{}, err
	}
	return st, ps, cr, nil
}

type payablesImportOptions struct {
	*Env
	File        string
	SkipInvalid bool
	Encoding    string
}

func newPayablesImportCmd(env *Env) *cobra.Command {
	opts := &payablesImportOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import payables from a CSV file (all or nothing)",
		Long: `import reads payables (effets à payer) from a CSV file exported by the ERP, with the
contract of remit import: UTF-8 (or --encoding windows-1252, iso-8859-15), separator
, or ; (from the header), RFC 4180 quoting, column names in any case. The whole
file is one transaction: when a line is invalid nothing is imported and every
problem is listed, line, column, value and reason (--skip-invalid imports the
valid lines and writes the others, with a reason column, to FILE.rejected.csv).

Columns: document, supplier, name, amount, due_date (required); method (vir,
chq or empty), currency, issue_date, journal, iban, bic, street, building,
postcode, town, country, priority (0 the most urgent to 99), label,
discount_rate (2, 1.5 or 1,25 %), discount_until, parent, approved (yes/no),
contested (yes/no, or the reason), pointed (yes/no). An amount is negative for a
credit note (avoir).

Importing the same file again changes nothing; a changed line updates a payable
not yet paid (a change of supplier, amount, currency, method or IBAN withdraws
its bon à payer, a changed IBAN is pointed out); a paid payable cannot change.
Use - to read standard input.`,
		Example: `  remit payables import factures-fournisseurs.csv
  remit payables import export.csv --encoding windows-1252 --skip-invalid`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return payablesImportRun(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.SkipInvalid, "skip-invalid", false, "import the valid lines; write the others, with a reason column, to FILE.rejected.csv")
	f.StringVar(&opts.Encoding, "encoding", csvread.UTF8, "the file's character set: utf-8, windows-1252 (Excel's CSV), iso-8859-15 or iso-8859-1")
	choices(f, "encoding", csvread.Encodings...)
	valueKind(f, "encoding", "import-encoding")
	addFormat(cmd, "table", "json")
	return cmd
}

func payablesImportRun(cmd *cobra.Command, opts *payablesImportOptions) error {
	ctx := cmd.Context()
	st, ps, cr, err := opts.openPayables(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	in, bar, err := opts.openInput(opts.File, "importing")
	if err != nil {
		return err
	}
	defer in.Close()
	res, err := disburse.Import(ctx, ps, cr, in, disburse.ImportOptions{File: opts.File, Encoding: opts.Encoding,
		SkipInvalid: opts.SkipInvalid, Now: opts.Now()})
	bar.finish()
	invalid := errors.Is(err, remit.ErrImportInvalid)
	if err != nil && !invalid {
		return err
	}
	code := ExitFailed
	if !invalid {
		code = exitCode(itemsExit(res.Inserted+res.Updated+res.Unchanged, res.Rejected))
	}
	if outputFormat(cmd) == "json" {
		j := importJSON{File: opts.File, Lines: res.Lines, Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged,
			Rejected: res.Rejected, RejectFile: res.RejectFile, Problems: []string{}, Notes: res.Notes, Status: statusName(code),
			ExitStatus: code}
		for _, p := range res.Problems {
			j.Problems = append(j.Problems, csvread.Shown(p).Error())
		}
		if invalid {
			j.Notes = nil
		}
		writeJSON(opts.Env, j)
	}
	if invalid {
		for _, p := range res.Problems {
			opts.problemf("%s: %v", opts.File, csvread.Shown(p))
		}
		opts.problemf("remit: %s: %s, nothing imported", opts.File, plural(len(res.Problems), "problem", "problems"))
		return &ExitError{Code: ExitFailed, Err: errReported}
	}
	out := opts.Out
	if opts.wroteJSON {
		out = io.Discard
	}
	fmt.Fprintf(out, "%s: %s read: %d new, %d updated, %d unchanged", opts.File,
		plural(res.Lines, "line", "lines"), res.Inserted, res.Updated, res.Unchanged)
	if res.Rejected > 0 {
		fmt.Fprintf(out, ", %d rejected (see %s)", res.Rejected, res.RejectFile)
	}
	fmt.Fprintln(out)
	for _, n := range res.Notes {
		fmt.Fprintf(out, "%s: %s\n", opts.File, n)
	}
	if n := res.NotesCount - len(res.Notes); n > 0 {
		fmt.Fprintf(out, "%s: and %d more notes\n", opts.File, n)
	}
	if res.Dissolved > 0 {
		fmt.Fprintf(out, "%s: %s left with one payable: each paid on its own\n", opts.File, plural(res.Dissolved, "group", "groups"))
	}
	for _, p := range res.Problems {
		opts.problemf("%s: %v", opts.File, csvread.Shown(p))
	}
	return itemsExit(res.Inserted+res.Updated+res.Unchanged, res.Rejected)
}
