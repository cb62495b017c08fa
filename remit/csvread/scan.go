package csvread

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/remit-dev/remit/remit"
)

// Line is one line of a file, read and checked.
type Line[T any] struct {
	Num      int      // the line it starts on
	Raw      []string // its fields as the file has them; nil when Malformed
	Value    T        // what the Parser made of it
	Problems []*remit.LineError
	// Malformed says the CSV itself is broken here (a quote): the lines
	// after it may not be where the file meant them to be.
	Malformed bool
}

// A Parser fills a line's Value from its Raw fields, and its Problems:
// every one of them, each naming the line (Num), the column, the value as
// the file has it and the reason.
type Parser[T any] func(ln *Line[T])

// ReadLine reads and parses the next line; io.EOF at the end. A malformed
// record is a line with its problem (Malformed); a line or a record too
// long, or a read error, is an error after which nothing more can be read.
func ReadLine[T any](rd *Reader, parse Parser[T]) (*Line[T], error) {
	rec, err := rd.Read()
	if err != nil {
		return nil, err
	}
	ln := &Line[T]{Num: rec.Line, Raw: rec.Fields}
	if rec.Malformed != nil {
		ln.Malformed, ln.Problems = true, []*remit.LineError{rec.Malformed}
		return ln, nil
	}
	parse(ln)
	return ln, nil
}

// An Applier writes the valid lines of a file (a store, in a transaction).
type Applier[T any] interface {
	// Apply writes one valid line. It returns nil; or problems: a
	// *remit.LineError, or several joined by errors.Join, which are the
	// line's, except that without SkipInvalid an Applier may hold lines
	// back (a batch) and return theirs later; or another error, which stops
	// Scan as it is.
	Apply(ln *Line[T]) error
	// Flush writes what Apply held back, with the same returns.
	Flush() error
}

// ApplyFunc is an Applier that holds nothing back.
type ApplyFunc[T any] func(ln *Line[T]) error

// Apply calls f.
func (f ApplyFunc[T]) Apply(ln *Line[T]) error { return f(ln) }

// Flush does nothing.
func (f ApplyFunc[T]) Flush() error { return nil }

// ScanOptions control Scan.
type ScanOptions struct {
	// SkipInvalid: the valid lines are applied and the others rejected
	// (written to Rejects), instead of nothing at all.
	SkipInvalid bool
	// Rejects receives, with SkipInvalid, the rejected lines as CSV: the
	// header's named columns and a reason column, each line as the file
	// had it (nothing when no line is rejected). A RejectFile writes it
	// under a temporary name until the import commits. May be nil.
	Rejects io.Writer
	// Reason writes the reason column of a rejected line from its
	// problems; nil is Reasons. A malformed record's reason is always what
	// is broken ("malformed CSV: …").
	Reason func(problems []*remit.LineError) string
	// CountStop counts in Result.Lines the malformed record that stops a
	// reading without SkipInvalid, as the payables import always has; the
	// receivables import leaves it out.
	CountStop bool
}

// Result is what Scan read.
type Result struct {
	Lines    int // lines read, blank lines aside; a malformed record counts when rejected
	Accepted int // lines Apply took
	Rejected int // lines rejected (SkipInvalid)
	Problems []*remit.LineError
}

// Scan reads the lines of a file and hands each valid one to apply, in
// order: reading and checking run on a goroutine of their own, ahead of
// apply, which runs on the caller's. Every problem of every line is
// reported, sorted by line:
//
//   - without SkipInvalid, the first problem makes the import void: the
//     lines after it are still read and checked (every problem in one
//     pass) but no longer applied, and Scan's error wraps
//     remit.ErrImportInvalid; the caller rolls back. A malformed record
//     stops the reading (the lines after it cannot be trusted);
//   - with SkipInvalid, a line with problems is rejected (written to
//     Rejects with its reasons) and the others applied; a malformed record
//     is rejected and the reading goes on;
//   - a header problem, or a line or record too long to read, voids the
//     import even with SkipInvalid (the file is not what it seems).
//
// An error that is not about the input (a read error, Apply's) is
// returned as it is, with no Result.
func Scan[T any](rd *Reader, parse Parser[T], o ScanOptions, apply Applier[T]) (*Result, error) {
	res := &Result{Problems: slices.Clone(rd.HeaderProblems())}
	if err := rd.HeaderError(); err != nil {
		return res, err
	}
	// A header problem (an unknown or repeated column) voids the import,
	// but the lines are still read and checked: every problem in one pass.
	void := len(res.Problems) > 0
	ahead := readAhead(rd, parse)
	defer ahead.stop()
	rejects := &rejectRows{o: o, header: rd.Header.Columns()}
	// ended: every line read went through the loop, so ahead.err says
	// why the reading stopped before the end of the file, if it did.
	ended := true
	unreadable := false // the rest of the file cannot be read
	for ln := range ahead.lines {
		if ln.Malformed && !o.SkipInvalid {
			res.Problems = append(res.Problems, ln.Problems...)
			if o.CountStop {
				res.Lines++
			}
			ended = false // the reader cannot resync reliably after a quoting error
			break
		}
		res.Lines++
		if len(ln.Problems) == 0 && !void && (o.SkipInvalid || len(res.Problems) == 0) {
			if err := apply.Apply(ln); err != nil {
				les, ok := AsProblems(err)
				if !ok {
					return nil, err
				}
				ln.Problems = append(ln.Problems, les...)
			} else {
				res.Accepted++
			}
		}
		if len(ln.Problems) == 0 {
			continue
		}
		res.Problems = append(res.Problems, ln.Problems...)
		if o.SkipInvalid {
			res.Rejected++
			if err := rejects.write(ln.Raw, ln.Problems, ln.Malformed); err != nil {
				return nil, err
			}
		}
	}
	if ended && ahead.err != nil {
		var le *remit.LineError
		if !errors.As(ahead.err, &le) {
			return nil, ahead.err
		}
		res.Problems = append(res.Problems, le)
		unreadable = true
	}
	if !void && (len(res.Problems) == 0 || o.SkipInvalid) {
		if err := apply.Flush(); err != nil {
			les, ok := AsProblems(err)
			if !ok {
				return nil, err
			}
			res.Problems = append(res.Problems, les...)
		}
	}
	if err := rejects.flush(); err != nil {
		return nil, err
	}
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Line < res.Problems[j].Line })
	if len(res.Problems) > 0 && (!o.SkipInvalid || void || unreadable) {
		return res, fmt.Errorf("%d problem(s): %w", len(res.Problems), remit.ErrImportInvalid)
	}
	return res, nil
}

// ahead reads and parses the lines of a file on a goroutine of its own, in
// order, through a bounded channel.
type ahead[T any] struct {
	lines chan *Line[T]
	done  chan struct{}
	err   error // why the reading stopped before the end of the file; set before lines is closed
}

func readAhead[T any](rd *Reader, parse Parser[T]) *ahead[T] {
	a := &ahead[T]{lines: make(chan *Line[T], 1024), done: make(chan struct{})}
	go func() {
		defer close(a.lines)
		for {
			ln, err := ReadLine(rd, parse)
			if err != nil {
				if err != io.EOF {
					a.err = err
				}
				return
			}
			select {
			case a.lines <- ln:
			case <-a.done:
				return
			}
		}
	}()
	return a
}

// stop tells the goroutine to stop at its next line, if it has not ended.
func (a *ahead[T]) stop() { close(a.done) }

// rejectRows writes the rejected lines to ScanOptions.Rejects, the header
// before the first.
type rejectRows struct {
	o      ScanOptions
	header []string // the file's named columns
	w      *csv.Writer
}

func (r *rejectRows) write(raw []string, problems []*remit.LineError, malformed bool) error {
	if r.o.Rejects == nil {
		return nil
	}
	if r.w == nil {
		r.w = csv.NewWriter(r.o.Rejects)
		if err := r.w.Write(append(slices.Clone(r.header), "reason")); err != nil {
			return err
		}
	}
	reason := Reasons
	if r.o.Reason != nil && !malformed {
		reason = r.o.Reason
	}
	row := make([]string, len(r.header)+1)
	copy(row, raw)
	row[len(row)-1] = reason(problems)
	return r.w.Write(row)
}

func (r *rejectRows) flush() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	return r.w.Error()
}

// Reasons writes a line's problems for the reason column of a rejects
// file: each problem without its line number, joined by "; ".
func Reasons(problems []*remit.LineError) string {
	msgs := make([]string, len(problems))
	for i, e := range problems {
		msg := strings.TrimPrefix(e.Error(), fmt.Sprintf("line %d, ", e.Line))
		msgs[i] = strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", e.Line))
	}
	return strings.Join(msgs, "; ")
}

// AsProblems returns the line problems err holds: one *remit.LineError, or
// several joined by errors.Join; ok is false when err holds anything else.
func AsProblems(err error) (problems []*remit.LineError, ok bool) {
	if j, isJoin := err.(interface{ Unwrap() []error }); isJoin {
		for _, e := range j.Unwrap() {
			les, ok := AsProblems(e)
			if !ok {
				return nil, false
			}
			problems = append(problems, les...)
		}
		return problems, len(problems) > 0
	}
	var le *remit.LineError
	if errors.As(err, &le) {
		return []*remit.LineError{le}, true
	}
	return nil, false
}
