// Package cli is remit's command line: one file per command, each with an
// options struct holding its flag values and injected dependencies (IO
// streams, clock, configuration, store), and a run function tested
// in-process with exact expected output.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// IO is where a command reads and writes.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Env is everything a command depends on from the outside world.
type Env struct {
	IO
	Now    func() time.Time
	Getenv func(string) string
	// Environ lists the environment, for the REMIT_* settings; nil is os.Environ.
	Environ func() []string
	// IsTerminal says whether a stream is a terminal (progress bars,
	// questions, the default log level); nil is never.
	IsTerminal func(stream any) bool
	Config     *viper.Viper
	// Signals makes SIGINT and SIGTERM stop a command at its next safe
	// point (see Interrupted); the real process sets it.
	Signals bool
	// Log writes on stderr at the level and format of the global flags.
	Log *slog.Logger

	logLevel  slog.Level
	logJSON   bool
	wantJSON  bool                     // the command was asked for JSON: its errors are JSON on stdout too
	wroteJSON bool                     // the command printed its JSON
	bar       *progressbar.ProgressBar // being drawn on stderr
	// progressEvery is how often a bar is drawn again (tests: always).
	progressEvery time.Duration
}

// System returns the environment of the real process. REMIT_NOW (RFC 3339)
// fixes the clock, for reproducible runs and the crash tests.
func System() *Env {
	now := time.Now
	if s := os.Getenv("REMIT_NOW"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			now = func() time.Time { return t }
		}
	}
	return &Env{IO: IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, Now: now, Getenv: os.Getenv, Environ: os.Environ,
		IsTerminal: terminal, Signals: true}
}

// Exit statuses.
const (
	ExitOK      = 0 // done, also "nothing to do"
	ExitFailed  = 1 // failed, nothing was changed
	ExitUsage   = 2 // the command line or configuration is wrong
	ExitPartial = 3 // some items were refused and listed, the rest done
	ExitBusy    = 4 // another remit holds the database
	ExitRefused = 5 // every item was refused and listed: nothing was done
)

// ExitError carries an exit status with the error to print.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// errPartial is returned by commands that did part of the work; they have
// already printed what was refused.
var errPartial = &ExitError{Code: ExitPartial, Err: errors.New("some items were refused")}

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, store.ErrSchemaOld), errors.Is(err, store.ErrSchemaNew), errors.Is(err, store.ErrNoDatabase),
		errors.Is(err, remit.ErrCreditorChoice), errors.Is(err, remit.ErrNoCreditor), errors.Is(err, remit.ErrUnknownCreditor),
		errors.Is(err, store.ErrNotRemitDB), errors.Is(err, errHardLinked):
		return ExitUsage
	case isBusy(err), errors.Is(err, store.ErrBusy):
		return ExitBusy
	}
	return ExitFailed
}

// isReadOnlyDB reports SQLite's SQLITE_READONLY: a write to a database
// opened read-only (its folder cannot be written).
func isReadOnlyDB(err error) bool {
	return strings.Contains(err.Error(), "readonly database")
}

func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY")
}

// creditor returns the creditor chosen with --creditor, or the only one.
func (e *Env) creditor(ctx context.Context, st store.Store) (remit.Creditor, error) {
	return st.Creditor(ctx, e.Config.GetString("creditor"))
}
