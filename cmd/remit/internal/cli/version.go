package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

func newVersionCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print remit's version",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return printVersion(cmd, env) },
	}
	addFormat(cmd, "table", "json")
	return cmd
}

// versionJSON is what remit version --format json prints.
type versionJSON struct {
	Version string `json:"version"`
	Schema  int    `json:"schema"` // the database schema this remit writes
	Go      string `json:"go"`
}

// printVersion prints remit's version for remit version and remit --version.
func printVersion(cmd *cobra.Command, env *Env) error {
	if err := checkFormat(cmd); err != nil {
		return err
	}
	v := versionJSON{Version: Version, Schema: schemaVersion(), Go: runtime.Version()}
	if outputFormat(cmd) == "json" {
		return writeJSON(env, v)
	}
	fmt.Fprintf(env.Out, "remit %s (schema %d, %s)\n", v.Version, v.Schema, v.Go)
	return nil
}
