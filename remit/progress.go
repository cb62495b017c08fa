package remit

import "context"

// Progress is told how far a long operation is: the stage it is in and
// how many items (receivables) it has done in that stage. The command line
// draws it as a progress bar on a terminal.
type Progress func(stage string, done int)

// The stages of a remittance run, in order.
const (
	StageCheck  = "checking"  // reading and checking the pointed receivables
	StageRecord = "recording" // recording the remittance's items
	StageWrite  = "writing"   // writing its files
)

type progressKey struct{}

// WithProgress returns a context whose long operations report to fn.
func WithProgress(ctx context.Context, fn Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// ProgressCounter counts a stage's items and tells the context's Progress,
// every 1024 items and at the end: cheap enough for a loop over a million.
type ProgressCounter struct {
	fn    Progress
	stage string
	n     int
}

// StartProgress starts counting a stage for the context's Progress; nil
// (which counts nothing) when the context has none.
func StartProgress(ctx context.Context, stage string) *ProgressCounter {
	fn, _ := ctx.Value(progressKey{}).(Progress)
	if fn == nil {
		return nil
	}
	fn(stage, 0)
	return &ProgressCounter{fn: fn, stage: stage}
}

// Add counts one item.
func (c *ProgressCounter) Add() {
	if c == nil {
		return
	}
	c.n++
	if c.n&1023 == 0 {
		c.fn(c.stage, c.n)
	}
}

// Done says the stage's count.
func (c *ProgressCounter) Done() {
	if c != nil {
		c.fn(c.stage, c.n)
	}
}
