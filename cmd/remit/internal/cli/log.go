package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// What remit writes on stderr: errors always; warnings (refused
// receivables, busy) and information (a run's steps, what it waits for) by
// level. --log-format json makes every line of stderr a JSON object, for
// log collectors. The default level is info on a terminal and for JSON
// logs, warn otherwise: a cron job's mail holds only what needs a person.

// terminal reports whether a stream is a terminal (System's test).
func terminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// isTerminal reports whether a stream is a terminal, as the environment says.
func (e *Env) isTerminal(stream any) bool {
	return e.IsTerminal != nil && e.IsTerminal(stream)
}

// confirm asks a person at a terminal to confirm what a command is about to
// change, and reports the answer; a script (no terminal) or --yes goes on.
func (e *Env) confirm(cmd *cobra.Command, question string) bool {
	if yes, _ := cmd.Flags().GetBool("yes"); yes || !e.isTerminal(e.In) || !e.isTerminal(e.Err) {
		return true
	}
	fmt.Fprintf(e.Err, "%s [y/N] ", question)
	line, _ := bufio.NewReader(e.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "o", "oui":
		return true
	}
	return false
}

// errNotConfirmed is the answer no: nothing was changed.
func errNotConfirmed(what string) error {
	return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%s: not confirmed, nothing changed (--yes confirms without asking)", what)}
}

// logSettings are the global flags that shape stderr.
type logSettings struct {
	format  string // text or json
	level   string // debug, info, warn, error or "" for the default
	quiet   bool
	verbose bool
}

// setupLog makes env.Log from the settings.
func (e *Env) setupLog(s logSettings) error {
	var level slog.Level
	switch {
	case s.quiet && s.verbose:
		return usageError("--quiet and --verbose: choose one")
	case s.level != "" && (s.quiet || s.verbose):
		return usageError("--log-level with --quiet or --verbose: choose one")
	case s.quiet:
		level = slog.LevelError
	case s.verbose:
		level = slog.LevelDebug
	case s.level != "":
		if err := level.UnmarshalText([]byte(s.level)); err != nil {
			return usageError("--log-level %q: want debug, info, warn or error", s.level)
		}
	case s.format == "json" || e.isTerminal(e.Err):
		level = slog.LevelInfo
	default:
		level = slog.LevelWarn
	}
	e.logLevel = level
	e.logJSON = s.format == "json"
	opts := &slog.HandlerOptions{Level: level}
	if e.logJSON {
		e.Log = slog.New(slog.NewJSONHandler(stderr{e}, opts))
	} else {
		e.Log = slog.New(slog.NewTextHandler(stderr{e}, opts))
	}
	return nil
}

// logs reports whether a message of that level is written.
func (e *Env) logs(level slog.Level) bool { return level >= e.logLevel }

// warnf writes a warning a person should read: "remit: warning: …", or a
// JSON record.
func (e *Env) warnf(format string, args ...any) {
	e.say(slog.LevelWarn, fmt.Sprintf(format, args...))
}

// infof writes what remit is doing: "remit: …", or a JSON record.
func (e *Env) infof(format string, args ...any) {
	e.say(slog.LevelInfo, fmt.Sprintf(format, args...))
}

func (e *Env) say(level slog.Level, msg string) {
	if !e.logs(level) {
		return
	}
	if e.logJSON {
		e.Log.Log(context.Background(), level, msg)
		return
	}
	prefix := "remit: "
	if level == slog.LevelWarn {
		prefix = "remit: warning: "
	}
	fmt.Fprintf(stderr{e}, "%s%s\n", prefix, msg)
}

// problemf writes a line about a problem on stderr as it is, or as an
// error record under --log-format json; it is shown whatever the level.
func (e *Env) problemf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if e.logJSON {
		e.Log.Error(msg)
		return
	}
	fmt.Fprintln(stderr{e}, msg)
}

// warnLinef writes a warning line on stderr as it is ("FILE: warning: …"),
// or as a warning record under --log-format json; --quiet hides it.
func (e *Env) warnLinef(format string, args ...any) {
	if !e.logs(slog.LevelWarn) {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if e.logJSON {
		e.Log.Warn(msg)
		return
	}
	fmt.Fprintln(stderr{e}, msg)
}

// reportError writes the error that ends a command on stderr: "remit: …"
// (one line per problem), or one JSON record.
func (e *Env) reportError(err error, code int) {
	var se *settingsError
	var lines []string
	if errors.As(err, &se) && len(se.problems) > 0 {
		lines = se.problems
	} else {
		lines = []string{err.Error()}
	}
	if e.logJSON {
		attrs := []any{"exit_status", code, "status", statusName(code)}
		msg := lines[0]
		if se != nil {
			msg = se.what()
			attrs = append(attrs, "problems", se.problems)
		}
		e.Log.Error(msg, attrs...)
		return
	}
	for _, l := range lines {
		fmt.Fprintf(stderr{e}, "remit: %s\n", l)
	}
}

// Outcome is the JSON object a command asked for JSON prints on stdout
// when it ends before it could print its own: busy, bad settings, failure.
type Outcome struct {
	Status     string   `json:"status"`
	ExitStatus int      `json:"exit_status"`
	Error      string   `json:"error"`
	Problems   []string `json:"problems,omitempty"`
}

func outcomeOf(err error, code int) Outcome {
	o := Outcome{Status: statusName(code), ExitStatus: code, Error: err.Error()}
	var se *settingsError
	if errors.As(err, &se) {
		o.Error = se.what()
		o.Problems = se.problems
	}
	return o
}

// statusName is the word for an exit status, as JSON summaries say it.
func statusName(code int) string {
	switch code {
	case ExitOK:
		return "done"
	case ExitFailed:
		return "failed"
	case ExitUsage:
		return "usage"
	case ExitPartial:
		return "partial"
	case ExitBusy:
		return "busy"
	case ExitRefused:
		return "refused"
	}
	if code > 128 {
		return "interrupted" // 128 and a signal's number (Interrupted)
	}
	return "failed"
}

// writeJSON prints v as indented JSON on stdout and records that the
// command's JSON was printed.
func writeJSON(env *Env, v any) error {
	env.wroteJSON = true
	enc := json.NewEncoder(env.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonMembers writes an object whose first member is a long array, an
// element a line as a listing streams them ({"key": [\n    e,\n    e\n  ],
// then the members end returns is followed by, each the caller's).
type jsonMembers struct {
	w   io.Writer
	key string
	n   int
}

// add writes v, compact, as the array's next element.
func (m *jsonMembers) add(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sep := ",\n    "
	if m.n == 0 {
		sep = "{\n  \"" + m.key + "\": [\n    "
	}
	m.n++
	if _, err := io.WriteString(m.w, sep); err != nil {
		return err
	}
	_, err = m.w.Write(b)
	return err
}

// end is what closes the array, up to the next member's indentation.
func (m *jsonMembers) end() string {
	if m.n == 0 {
		return "{\n  \"" + m.key + "\": [],\n"
	}
	return "\n  ],\n"
}

// jsonArray writes a JSON array an element at a time, byte for byte as
// writeJSON writes the whole slice, so that a long listing streams.
type jsonArray struct {
	w io.Writer
	n int
}

func newJSONArray(w io.Writer) *jsonArray { return &jsonArray{w: w} }

// add writes v, indented as an element of the array.
func (a *jsonArray) add(v any) error {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if a.n == 0 {
		sep = "[\n  "
	}
	a.n++
	if _, err := io.WriteString(a.w, sep); err != nil {
		return err
	}
	_, err = a.w.Write(b)
	return err
}

// close ends the array.
func (a *jsonArray) close() error {
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}

// writeJSONLine writes v as one line, so that a log of runs is JSON Lines.
func writeJSONLine(env *Env, v any) error {
	env.wroteJSON = true
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = env.Out.Write(append(b, '\n'))
	return err
}

// scanArgs reads the flags that shape the error output from the raw
// arguments, for errors that come before cobra has parsed them.
func scanArgs(args []string) (s logSettings, asJSON bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		switch {
		case a == "--json" || a == "--json=true" || a == "--format=json" || (a == "--format" && next == "json"):
			asJSON = true
		case a == "--log-format=json" || (a == "--log-format" && next == "json"):
			s.format = "json"
		case a == "--quiet" || a == "-q":
			s.quiet = true
		}
	}
	return s, asJSON
}
