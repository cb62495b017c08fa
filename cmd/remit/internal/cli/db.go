package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit/store/dbcopy"
	"github.com/remit-dev/remit/remit/store/postgres"
)

func init() { extraCommands = append(extraCommands, newDBCmd) }

func newDBCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Move a remit database between SQLite and PostgreSQL",
	}
	cmd.AddCommand(newDBCopyCmd(env))
	return cmd
}

type dbCopyOptions struct {
	*Env
	From, To string
}

func newDBCopyCmd(env *Env) *cobra.Command {
	opts := &dbCopyOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "copy",
		Short: "Copy every table of a database into an empty one (SQLite to PostgreSQL, or back)",
		Long: `copy copies every table of the database --from (default --db) into the database --to,
which must be empty: an SQLite file that does not exist yet or a PostgreSQL database
(a URL postgres://… or postgresql://…, or host=… dbname=…) that the server does not
have yet or that holds no tables is given the schema first. Both must be at this
remit's schema version (remit init upgrades an older one).

The source is read in one snapshot; the target is written in one transaction,
committed only once each table's rows, read back from it, have the count and the
sha256 read from the source (both printed). Nothing is written when anything
differs, when the target holds a row, or when a value of the source cannot be
kept (a text in an integer column, a text that is not UTF-8: it is named, to
correct it in the source). PostgreSQL's sequences are set past the ids copied.

Stop remit on the source while copying: what is changed after the copy began
is not in the copy.`,
		Example: `  remit db copy --to postgres://remit@db.example/remit
  remit db copy --from postgres://remit@db.example/remit --to remit-copy.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return dbCopyRun(cmd, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "the database to copy (default --db): an SQLite file or a PostgreSQL URL")
	f.StringVar(&opts.To, "to", "", "the empty database to copy into: an SQLite file or a PostgreSQL URL")
	addFormat(cmd, "table", "json")
	return cmd
}

// dbCopySummary is what remit db copy --format json prints.
type dbCopySummary struct {
	From       string         `json:"from"`
	To         string         `json:"to"`
	Tables     []dbcopy.Table `json:"tables"`
	Rows       int64          `json:"rows"`
	Status     string         `json:"status"`
	ExitStatus int            `json:"exit_status"`
}

func dbCopyRun(cmd *cobra.Command, opts *dbCopyOptions) error {
	if err := checkFormat(cmd); err != nil {
		return err
	}
	from, to := opts.From, opts.To
	if from == "" {
		from = opts.Config.GetString("db")
	}
	if to == "" {
		return usageError("db copy: --to is required: the empty database to copy into (an SQLite file or postgres://…)")
	}
	rep, err := dbcopy.Copy(cmd.Context(), from, to, dbcopy.Options{
		Wait:     opts.Config.GetDuration("wait"),
		Progress: func(table string, rows int64) { opts.Log.Debug("copying", "table", table, "rows", rows) },
	})
	if err != nil {
		return dbCopyError(err)
	}
	if outputFormat(cmd) == "json" {
		return writeJSON(opts.Env, dbCopySummary{From: rep.From, To: rep.To, Tables: rep.Tables, Rows: rep.Rows(),
			Status: statusName(ExitOK), ExitStatus: ExitOK})
	}
	fmt.Fprintf(opts.Out, "copied %s to %s: %d rows in %d tables, each read back with the same count and sha256\n",
		rep.From, rep.To, rep.Rows(), len(rep.Tables))
	for _, t := range rep.Tables {
		fmt.Fprintf(opts.Out, "  %-22s %9d  %s\n", t.Name, t.Rows, t.SHA256)
	}
	return nil
}

// dbCopyError gives a copy's failure its exit status: the wrong database
// (not empty, another version or program, not UTF8) is a usage error, a
// database held by another remit is busy.
func dbCopyError(err error) error {
	for _, usage := range []error{dbcopy.ErrNotEmpty, dbcopy.ErrSchema, postgres.ErrNoDatabase, postgres.ErrSchemaOld,
		postgres.ErrSchemaNew, postgres.ErrNotRemitDB, postgres.ErrEncoding} {
		if errors.Is(err, usage) {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	if errors.Is(err, postgres.ErrBusy) {
		return &ExitError{Code: ExitBusy, Err: err}
	}
	return err
}
