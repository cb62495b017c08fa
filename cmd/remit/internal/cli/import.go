package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
)

type importOptions struct {
	*Env
	File        string
	SkipInvalid bool
}

func newImportCmd(env *Env) *cobra.Command {
	opts := &importOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import receivables from a CSV file (all or nothing)",
		Long: `import reads receivables (échéances) from a CSV file exported by any ERP: UTF-8,
separator , or ; (detected from the header), RFC 4180 quoting, header names in
any case. The whole file is one transaction: when a line is invalid nothing is
imported and every problem is listed. See README.md for the columns.

Re-importing an identical line changes nothing; a changed line updates a
receivable that is not yet remitted. Use - to read standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return importRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.SkipInvalid, "skip-invalid", false, "import the valid lines; write the others, with a reason column, to FILE.rejected.csv")
	return cmd
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
	in := opts.In
	if opts.File != "-" {
		f, err := os.Open(opts.File)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	res, err := st.Import(ctx, in, remit.ImportOptions{Creditor: cr, File: opts.File, SkipInvalid: opts.SkipInvalid})
	if err != nil {
		if res != nil && errors.Is(err, remit.ErrImportInvalid) {
			for _, p := range res.Problems {
				fmt.Fprintf(opts.Err, "%s: %v\n", opts.File, p)
			}
			fmt.Fprintf(opts.Err, "remit: %s: %s, nothing imported\n", opts.File, plural(len(res.Problems), "problem", "problems"))
			return &ExitError{Code: ExitFailed, Err: errReported}
		}
		if errors.Is(err, remit.ErrImportInvalid) {
			return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%s: %w", opts.File, err)}
		}
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(opts.Err, "%s: warning: %s\n", opts.File, w)
	}
	fmt.Fprintf(opts.Out, "%s: %s read: %d new, %d updated, %d unchanged", opts.File,
		plural(res.Lines, "line", "lines"), res.Inserted, res.Updated, res.Unchanged)
	if res.Rejected > 0 {
		fmt.Fprintf(opts.Out, ", %d rejected (see %s)\n", res.Rejected, res.RejectFile)
		for _, p := range res.Problems {
			fmt.Fprintf(opts.Err, "%s: %v\n", opts.File, p)
		}
		return errPartial
	}
	fmt.Fprintln(opts.Out)
	return nil
}
