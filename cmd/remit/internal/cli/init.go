package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

type initOptions struct {
	*Env
	cmd *cobra.Command
}

func newInitCmd(env *Env) *cobra.Command {
	opts := &initOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create the database, or upgrade one made by an older remit",
		Long: `init creates the SQLite database (--db, default ./remit.db) or brings an existing
one to this remit's schema. No other command changes the schema.

With a PostgreSQL database (--db postgres://user@host/dbname, or host=… dbname=…),
init creates the database when the server has none of that name and the role may,
then its tables in the first schema of the search_path.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return initRun(opts)
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}

// initJSON is what init prints with --format json.
type initJSON struct {
	DB            string   `json:"db"`
	Action        string   `json:"action"` // created, upgraded or up to date
	SchemaFrom    int      `json:"schema_from"`
	SchemaVersion int      `json:"schema_version"`
	Notes         []string `json:"notes"`
	Status        string   `json:"status"`
	ExitStatus    int      `json:"exit_status"`
}

func initRun(opts *initOptions) error {
	path := opts.Config.GetString("db")
	from, to, err := initStore(path, opts.Now, opts.Config.GetString("entries.counterpart"))
	if err != nil {
		return err
	}
	db := path
	path = dbName(db) // a PostgreSQL URL without its password
	j := initJSON{DB: path, SchemaFrom: from, SchemaVersion: to, Notes: []string{}, Status: statusName(ExitOK), ExitStatus: ExitOK}
	switch {
	case from == 0:
		j.Action = "created"
	case from == to:
		j.Action = "up to date"
	default:
		j.Action = "upgraded"
	}
	// remit creates its database 0600; one made otherwise is said so.
	if fi, err := os.Stat(path); !isPostgres(db) && err == nil && fi.Mode().Perm()&0o077 != 0 {
		j.Notes = append(j.Notes, fmt.Sprintf("%s can be read by other users (%04o), and it holds your debtors' bank details: chmod 600 %s",
			path, fi.Mode().Perm(), path))
	}
	for _, n := range j.Notes {
		fmt.Fprintf(opts.Err, "remit: note: %s\n", n)
	}
	if outputFormat(opts.cmd) == "json" {
		return writeJSON(opts.Env, j)
	}
	switch j.Action {
	case "created":
		fmt.Fprintf(opts.Out, "created %s (schema version %d)\n", path, to)
	case "up to date":
		fmt.Fprintf(opts.Out, "%s is up to date (schema version %d)\n", path, to)
	default:
		fmt.Fprintf(opts.Out, "upgraded %s from schema version %d to %d\n", path, from, to)
	}
	return nil
}
