package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// Interrupted is the cause of a command's context once remit received
// SIGINT or SIGTERM: the command stops at its next safe point (a database
// call, a row read while writing a file), its transaction rolls back, and
// the files it was writing go with it; what it committed before stays.
type Interrupted struct{ Signal syscall.Signal }

func (i *Interrupted) Error() string {
	return "interrupted by " + signalName(i.Signal) + ": stopped at a safe point; what was not committed was rolled back and its files removed"
}

// Code is the exit status of an interrupted command: 128 and the signal's
// number, as a shell reports a process a signal ended (130 for SIGINT,
// 143 for SIGTERM).
func (i *Interrupted) Code() int { return 128 + int(i.Signal) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// interruptContext returns a context cancelled, with an *Interrupted cause,
// by the first SIGINT or SIGTERM. Once it came, the signals have their
// default effect again: a second one ends remit at once (which a crash
// already leaves safe). stop releases the signals.
func interruptContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(&Interrupted{Signal: s.(syscall.Signal)})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// interruption returns the *Interrupted cause of ctx, or nil.
func interruption(ctx context.Context) *Interrupted {
	var intr *Interrupted
	if errors.As(context.Cause(ctx), &intr) {
		return intr
	}
	return nil
}
