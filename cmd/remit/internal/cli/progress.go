package cli

import (
	"cmp"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/remit-dev/remit/remit"
)

// progress is a bar on stderr for long work: count, rate and time left.
// It is drawn only on a terminal, never with --quiet or JSON logs: a cron
// job's output holds no bar. A nil *progress draws nothing.
type progress struct {
	env   *Env
	bar   *progressbar.ProgressBar
	label string
	stage string
}

// newProgress returns a bar for total items (bytes when unit is "bytes";
// -1 when the total is unknown), or nil when nothing is to be drawn.
func (e *Env) newProgress(total int64, label, unit string) *progress {
	if !e.isTerminal(e.Err) || e.logJSON || e.logLevel >= slog.LevelError {
		return nil
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(e.Err),
		progressbar.OptionSetDescription(label),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(cmp.Or(e.progressEvery, 100*time.Millisecond)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionUseANSICodes(true), // a shorter line clears a longer one
	}
	if unit == "bytes" {
		opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
	}
	p := &progress{env: e, bar: progressbar.NewOptions64(total, opts...), label: label}
	e.bar = p.bar
	return p
}

// openInput opens a file to read (standard input for -) with a bar that
// counts its bytes on a terminal, labelled "<verb> <file name>": what an
// import of receivables or of a bank statement reads. Close closes the file;
// the caller finishes the bar when the reading is done.
func (e *Env) openInput(name, verb string) (io.ReadCloser, *progress, error) {
	if name == "-" {
		bar := e.newProgress(-1, verb+" standard input", "bytes")
		return io.NopCloser(bar.reader(e.In)), bar, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	bar := e.newProgress(size, verb+" "+filepath.Base(name), "bytes")
	return struct {
		io.Reader
		io.Closer
	}{bar.reader(f), f}, bar, nil
}

// reader counts what is read from r on the bar (an import's bytes).
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	rd := progressbar.NewReader(r, p.bar)
	return &rd
}

// remit returns the Progress remit's long operations report to, for
// total receivables: each stage (checking, recording, writing) starts the
// bar again, labelled.
func (p *progress) remit(label string, total int) remit.Progress {
	if p == nil {
		return nil
	}
	return func(stage string, done int) {
		if stage != p.stage || label != p.label {
			p.stage, p.label = stage, label
			p.bar.Clear()
			p.bar.Reset()
			p.bar.ChangeMax(total)
			p.bar.Describe(label + ": " + stage)
		}
		p.bar.Set(done)
	}
}

// total is the bar's length.
func (p *progress) total() int {
	if p == nil {
		return 0
	}
	return int(p.bar.GetMax64())
}

// finish clears the bar: what the command did follows on stdout.
func (p *progress) finish() {
	if p == nil || p.env.bar == nil {
		return
	}
	p.bar.Finish()
	p.bar.Clear()
	p.env.bar = nil
}

// stderr is where the logs go: it clears a bar being drawn before a line
// is written, so that the line does not end in the middle of the bar.
type stderr struct{ env *Env }

func (s stderr) Write(b []byte) (int, error) {
	if s.env.bar != nil {
		s.env.bar.Clear()
	}
	return s.env.Err.Write(b)
}
