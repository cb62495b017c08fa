package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

type initOptions struct {
	*Env
}

func newInitCmd(env *Env) *cobra.Command {
	opts := &initOptions{Env: env}
	return &cobra.Command{
		Use:   "init",
		Short: "Create the database, or upgrade one made by an older remit",
		Long: `init creates the SQLite database (--db, default ./remit.db) or brings an existing
one to this remit's schema. No other command changes the schema.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return initRun(opts) },
	}
}

func initRun(opts *initOptions) error {
	path := opts.Config.GetString("db")
	from, to, err := initStore(path, opts.Now)
	if err != nil {
		return err
	}
	switch {
	case from == 0:
		fmt.Fprintf(opts.Out, "created %s (schema version %d)\n", path, to)
	case from == to:
		fmt.Fprintf(opts.Out, "%s is up to date (schema version %d)\n", path, to)
	default:
		fmt.Fprintf(opts.Out, "upgraded %s from schema version %d to %d\n", path, from, to)
	}
	// remit creates its database 0600; one made otherwise is said so.
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(opts.Err, "remit: note: %s can be read by other users (%04o), and it holds your debtors' bank details: chmod 600 %s\n",
			path, fi.Mode().Perm(), path)
	}
	return nil
}
