package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit/store/sqlite"
)

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print remit's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(env.Out, "remit %s (schema %d, %s)\n", Version, sqlite.SchemaVersion(), runtime.Version())
			return nil
		},
	}
}
