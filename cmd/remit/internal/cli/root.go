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

	"github.com/remit-dev/remit/remit/store"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

// Main runs remit with args and returns the exit status.
func Main(args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Environ == nil {
		env.Environ = os.Environ
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	env.Config = viper.New()
	// Until the flags are parsed, the raw arguments say how to report an error.
	early, asJSON := scanArgs(args)
	env.setupLog(early)
	env.wantJSON = asJSON
	root := NewRootCmd(env)
	root.SetArgs(args)
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	ctx := context.Background()
	if env.Signals {
		var stop func()
		ctx, stop = interruptContext(ctx)
		defer stop()
	}
	root.SetContext(ctx)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK // done, even if a signal came too late to stop it
	}
	if intr := interruption(ctx); intr != nil {
		if !errors.Is(err, errReported) {
			err = &ExitError{Code: intr.Code(), Err: intr}
		} else {
			err = &ExitError{Code: intr.Code(), Err: errReported}
		}
	}
	if cmd != nil && cmd.CalledAs() == "" {
		// cobra found no command to run: `remit nosuch`.
		err = &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s\nSee 'remit --help'.", strings.TrimRight(err.Error(), "\n"))}
	}
	code := exitCode(err)
	if code == ExitOK {
		code = ExitFailed
	}
	if isBusy(err) && !errors.Is(err, store.ErrBusy) {
		// SQLite's own text ("database is locked (5) (SQLITE_BUSY)") says nothing to the user.
		err = fmt.Errorf("busy: another remit is using the database (waited %s); try again later or raise --wait",
			env.Config.GetDuration("wait"))
	}
	if isReadOnlyDB(err) && !errors.Is(err, store.ErrReadOnly) {
		// SQLite's "attempt to write a readonly database (8)": say why.
		err = readOnlyReason(env.Config.GetString("db"))
	}
	if env.wantJSON && !env.wroteJSON {
		writeJSONLine(env, outcomeOf(err, code))
	}
	if !errors.Is(err, errPartial) && !errors.Is(err, errReported) && !errors.Is(err, errRefused) {
		env.reportError(err, code)
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
		Long: `remit keeps receivables (échéances) in an SQLite file (or a PostgreSQL database), lets you point the ones
to collect, and writes what the bank accepts: SEPA direct debits (pain.008),
CFONB 160 LCR remittances, PDF traites and bordereaux, and accounting entries.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return prepare(cmd, env)
		},
		// remit alone prints its help; remit --version is remit version,
		// --format json and --json included.
		RunE: func(cmd *cobra.Command, args []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				return printVersion(cmd, env)
			}
			if cmd.Flags().Changed("format") || cmd.Flags().Changed("json") {
				return usageError("remit alone prints its help, not JSON: give a command, or --version\nSee 'remit --help'.")
			}
			return cmd.Help()
		},
	}
	root.Flags().Bool("version", false, "print remit's version")
	addFormat(root, "table", "json")
	root.Flags().Lookup("format").Usage = "with --version: table or json"
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%v\nSee '%s --help'.", err, c.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.String("config", "", "configuration file (default ./remit.yaml when present)")
	pf.String("db", "remit.db", "the database: an SQLite file, or a PostgreSQL URL (postgres://user@host/dbname, or host=… dbname=…)")
	pf.String("out", "out", "folder for the files remit writes")
	pf.String("creditor", "", "creditor code, when several companies share the database")
	pf.Duration("wait", 30*time.Second, "how long to wait for another remit holding the database")
	pf.String("log-format", "text", "stderr as text, or json: one JSON object per line, for log collectors")
	choices(pf, "log-format", "text", "json")
	pf.String("log-level", "", "what stderr shows: debug, info, warn or error (default info on a terminal or with --log-format json, else warn)")
	choices(pf, "log-level", "debug", "info", "warn", "error")
	pf.BoolP("quiet", "q", false, "on stderr, errors only (--log-level error) and no progress")
	pf.BoolP("verbose", "v", false, "on stderr, everything remit does (--log-level debug)")

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
	registerCompletions(root, env)
	return root
}

// extraCommands lets each command file register itself.
var extraCommands []func(*Env) *cobra.Command

// wrapArgs makes argument-count errors usage errors (exit 2), and an
// unknown subcommand of a group (remit creditor nosuch) one too.
func wrapArgs(c *cobra.Command) {
	if c.HasParent() && !c.Runnable() && c.HasSubCommands() {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return usageError("unknown command %q for %q\nSee '%s --help'.", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
	}
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

// prepare runs before every command: it checks every setting (flags,
// REMIT_* environment variables, the configuration file), gives each flag
// its value from the environment or the file, and sets up stderr.
func prepare(cmd *cobra.Command, env *Env) error {
	switch cmd.Name() {
	case "help", "completion", "version", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return nil
	}
	if !cmd.HasParent() {
		return nil // remit alone, or remit --version
	}
	if cmd.HasParent() && cmd.Parent().Name() == "completion" {
		return nil
	}
	file, err := configFile(cmd, env)
	if err != nil {
		return err
	}
	checkErr := checkSettings(cmd, file, env.Environ())
	f := cmd.Flags()
	quiet, _ := f.GetBool("quiet")
	verbose, _ := f.GetBool("verbose")
	s := logSettings{format: f.Lookup("log-format").Value.String(), level: f.Lookup("log-level").Value.String(),
		quiet: quiet, verbose: verbose}
	if s.format != "json" {
		s.format = "text"
	}
	logErr := env.setupLog(s)
	if format := outputFormat(cmd); format != "" {
		env.wantJSON = format == "json"
	}
	if checkErr != nil {
		return checkErr
	}
	if logErr != nil {
		return logErr
	}
	if err := checkFormat(cmd); err != nil {
		return err
	}
	return loadConfig(cmd, env, file)
}

// configFile is --config (or REMIT_CONFIG), else ./remit.yaml when present.
func configFile(cmd *cobra.Command, env *Env) (string, error) {
	file := cmd.Flags().Lookup("config").Value.String()
	if !cmd.Flags().Changed("config") {
		for _, kv := range env.Environ() {
			if v, ok := strings.CutPrefix(kv, "REMIT_CONFIG="); ok && v != "" {
				file = v
			}
		}
	}
	if file != "" {
		if _, err := os.Stat(file); err != nil {
			return "", usageError("configuration %s: %v", file, errors.Unwrap(err))
		}
		return file, nil
	}
	if _, err := os.Stat("remit.yaml"); err == nil {
		return "remit.yaml", nil
	}
	return "", nil
}

// loadConfig fills env.Config with viper's precedence: a flag given on the
// command line, then REMIT_* environment variables (sdd.lead_days →
// REMIT_SDD_LEAD_DAYS), then the configuration file, then the flag's default.
// The settings are checked already (checkSettings).
func loadConfig(cmd *cobra.Command, env *Env, file string) error {
	v := env.Config
	v.SetEnvPrefix("REMIT")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	bind := func(f *pflag.Flag) { _ = v.BindPFlag(configKey(cmd, f.Name), f) }
	cmd.Flags().VisitAll(bind)
	cmd.InheritedFlags().VisitAll(bind)
	if file == "" {
		return nil
	}
	v.SetConfigFile(file)
	v.SetConfigType("yaml")
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
