package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/importcsv"
)

type importOptions struct {
	*Env
	File        string
	SkipInvalid bool
	Encoding    string
}

func newImportCmd(env *Env) *cobra.Command {
	opts := &importOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import receivables from a CSV file (all or nothing)",
		Long: `import reads receivables (échéances) from a CSV file exported by any ERP: UTF-8
(or --encoding windows-1252 for a spreadsheet saved as CSV by Excel, or
iso-8859-15), separator , or ; (detected from the header), RFC 4180 quoting,
header names in any case; empty columns after the last named one are ignored.
The whole file is one transaction: when a line is invalid nothing is imported
and every problem is listed. See README.md for the columns.

Re-importing an identical line changes nothing; a changed line updates a
receivable that is not yet remitted. Use - to read standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return importRun(cmd, opts)
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

// importJSON is what import --json prints.
type importJSON struct {
	File       string   `json:"file"`
	Lines      int      `json:"lines"`
	Inserted   int      `json:"inserted"`
	Updated    int      `json:"updated"`
	Unchanged  int      `json:"unchanged"`
	Rejected   int      `json:"rejected"`
	RejectFile string   `json:"reject_file,omitempty"`
	Problems   []string `json:"problems"`
	Notes      []string `json:"notes,omitempty"`
	Status     string   `json:"status"`
	ExitStatus int      `json:"exit_status"`
}

func importRun(cmd *cobra.Command, opts *importOptions) error {
	ctx := cmd.Context()
	st, err := opts.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	cr, err := opts.creditor(ctx, st)
	if err != nil {
		return err
	}
	in, bar, err := opts.openInput(opts.File, "importing")
	if err != nil {
		return err
	}
	defer in.Close()
	res, err := importcsv.Import(ctx, st, in, remit.ImportOptions{Creditor: cr, File: opts.File, SkipInvalid: opts.SkipInvalid,
		Encoding: opts.Encoding})
	bar.finish()
	if outputFormat(cmd) == "json" && res != nil && (err == nil || errors.Is(err, remit.ErrImportInvalid)) {
		code := ExitOK
		if err != nil {
			code = ExitFailed
		} else {
			code = exitCode(itemsExit(res.Inserted+res.Updated+res.Unchanged, res.Rejected))
		}
		j := importJSON{File: opts.File, Lines: res.Lines, Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged,
			Rejected: res.Rejected, RejectFile: res.RejectFile, Problems: []string{}, Status: statusName(code), ExitStatus: code}
		if err != nil {
			j.Inserted, j.Updated, j.Unchanged = 0, 0, 0
		}
		for _, p := range res.Problems {
			j.Problems = append(j.Problems, csvread.Shown(p).Error())
		}
		if err == nil {
			j.Notes = keptNotes(res)
		}
		writeJSON(opts.Env, j)
	}
	if err != nil {
		if res != nil && errors.Is(err, remit.ErrImportInvalid) {
			for _, p := range res.Problems {
				opts.problemf("%s: %v", opts.File, csvread.Shown(p))
			}
			opts.problemf("remit: %s: %s, nothing imported", opts.File, plural(len(res.Problems), "problem", "problems"))
			return &ExitError{Code: ExitFailed, Err: errReported}
		}
		if errors.Is(err, remit.ErrImportInvalid) {
			return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%s: %w", opts.File, err)}
		}
		return err
	}
	for _, w := range res.Warnings {
		opts.warnLinef("%s: warning: %s", opts.File, w)
	}
	out := opts.Out
	if opts.wroteJSON {
		out = io.Discard
	}
	fmt.Fprintf(out, "%s: %s read: %d new, %d updated, %d unchanged", opts.File,
		plural(res.Lines, "line", "lines"), res.Inserted, res.Updated, res.Unchanged)
	defer func() {
		for _, n := range keptNotes(res) {
			fmt.Fprintf(out, "%s: %s\n", opts.File, n)
		}
	}()
	if res.Rejected > 0 {
		fmt.Fprintf(out, ", %d rejected (see %s)\n", res.Rejected, res.RejectFile)
		for _, p := range res.Problems {
			opts.problemf("%s: %v", opts.File, csvread.Shown(p))
		}
		return itemsExit(res.Inserted+res.Updated+res.Unchanged, res.Rejected)
	}
	fmt.Fprintln(out)
	return nil
}

// keptNotes says which remitted receivables came with new customer details
// (a changed IBAN…): they stay as remitted, the details are for the next
// collection. One note per set of columns, naming the first documents.
func keptNotes(res *remit.ImportResult) []string {
	if res.KeptCount == 0 {
		return nil
	}
	type group struct {
		n    int
		docs []string
	}
	groups := map[string]*group{}
	var order []string
	for _, k := range res.Kept {
		cols := strings.Join(k.Columns, ", ")
		g := groups[cols]
		if g == nil {
			g = &group{}
			groups[cols] = g
			order = append(order, cols)
		}
		g.n++
		if len(g.docs) < 3 {
			g.docs = append(g.docs, fmt.Sprintf("%s (line %d, remittance %s)", k.Document, k.Line, k.Remittance))
		}
	}
	var notes []string
	for _, cols := range order {
		g := groups[cols]
		docs := strings.Join(g.docs, ", ")
		if g.n > len(g.docs) {
			docs += fmt.Sprintf(" and %d more", g.n-len(g.docs))
		}
		notes = append(notes, fmt.Sprintf("%s: remitted with other customer details (%s): kept as remitted; "+
			"the new ones apply from the customer's next collection", docs, cols))
	}
	if n := res.KeptCount - len(res.Kept); n > 0 {
		notes = append(notes, fmt.Sprintf("and %s with new customer details, kept as remitted",
			plural(n, "more remitted receivable", "more remitted receivables")))
	}
	return notes
}
