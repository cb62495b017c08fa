package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

// Main runs remit with args and returns the exit status.
func Main(args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	env.Config = viper.New()
	root := NewRootCmd(env)
	root.SetArgs(args)
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	if code == ExitOK {
		code = ExitFailed
	}
	switch {
	case isBusy(err):
		// SQLite's own text ("database is locked (5) (SQLITE_BUSY)") says nothing to the user.
		fmt.Fprintf(env.Err, "remit: busy: another remit is using the database (waited %s); try again later or raise --wait\n",
			env.Config.GetDuration("wait"))
	case !errors.Is(err, errPartial) && !errors.Is(err, errReported):
		fmt.Fprintf(env.Err, "remit: %v\n", err)
	}
	return code
}

// errReported is returned by commands that printed their own error report.
var errReported = errors.New("reported")

// NewRootCmd builds the command tree.
func NewRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "remit",
		Short: "Turn pointed receivables into bank remittance files",
		Long: `remit keeps receivables (échéances) in an SQLite database, lets you point the ones
to collect, and writes what the bank accepts: SEPA direct debits (pain.008),
CFONB 160 LCR remittances, PDF traites and bordereaux, and accounting entries.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return loadConfig(cmd, env)
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%v\nSee '%s --help'.", err, c.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.String("config", "", "configuration file (default ./remit.yaml when present)")
	pf.String("db", "remit.db", "SQLite database")
	pf.String("out", "out", "folder for the files remit writes")
	pf.String("creditor", "", "creditor code, when several companies share the database")
	pf.Duration("wait", 30*time.Second, "how long to wait for another remit holding the database")

	root.AddCommand(
		newInitCmd(env),
		newCreditorCmd(env),
		newImportCmd(env),
		newListCmd(env),
		newPointCmd(env),
		newUnpointCmd(env),
		newVersionCmd(env),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(env))
	}
	wrapArgs(root)
	return root
}

// extraCommands lets each command file register itself.
var extraCommands []func(*Env) *cobra.Command

// wrapArgs makes argument-count errors usage errors (exit 2).
func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%v\nSee '%s --help'.", err, cmd.CommandPath())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

// loadConfig fills env.Config with viper's precedence: a flag given on the
// command line, then REMIT_* environment variables (sdd.lead_days →
// REMIT_SDD_LEAD_DAYS), then the configuration file, then the flag's default.
func loadConfig(cmd *cobra.Command, env *Env) error {
	v := env.Config
	v.SetEnvPrefix("REMIT")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	bind := func(f *pflag.Flag) { _ = v.BindPFlag(configKey(cmd, f.Name), f) }
	cmd.Flags().VisitAll(bind)
	cmd.InheritedFlags().VisitAll(bind)

	file := v.GetString("config")
	if file == "" {
		if _, err := os.Stat("remit.yaml"); err != nil {
			return nil
		}
		file = "remit.yaml"
	}
	v.SetConfigFile(file)
	if err := v.ReadInConfig(); err != nil {
		return usageError("configuration %s: %v", file, err)
	}
	return nil
}

// configKey maps a flag to its configuration key: global flags keep their
// name; a command's own flags live under the command's section (sdd.lead-days
// → sdd.lead_days) unless the flag is one of the shared selection flags.
func configKey(cmd *cobra.Command, flag string) string {
	name := strings.ReplaceAll(flag, "-", "_")
	if cmd.Root().PersistentFlags().Lookup(flag) != nil {
		return name
	}
	section := cmd.Name()
	if p := cmd.Parent(); p != nil && p != cmd.Root() {
		section = p.Name()
	}
	return section + "." + name
}
