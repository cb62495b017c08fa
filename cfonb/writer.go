package cfonb

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriterOptions configure the writers of the three kinds of remise.
type WriterOptions struct {
	// EOL is the record separator, written after every record, the last
	// one included: CRLF (the zero value), LF or None.
	EOL EOL
	// KeylessAccounts accepts accounts without a clé RIB, as the Reader
	// returns them (the key is never in the file), to re-write a file that
	// was read. By default every account must carry its key, which is
	// checked: the file itself cannot prove the account exists.
	KeylessAccounts bool
}

const (
	stateNew = iota
	stateOpen
	stateClosed
)

// writer is the part the three writers share: the record buffer, the
// separator, the sticky error, the running count and sum. The writers call
// each record's check and encode directly, not through the Record
// interface, so that the record given by value stays on the stack: no
// allocation per record.
type writer struct {
	bw          *bufio.Writer
	rec         [RecordLen + 2]byte // the record and its separator
	eol         int
	keyRequired bool
	lines       int   // records written
	details     int   // 06 records written
	sum         int64 // sum of the 06 amounts
	state       int
	err         error
}

func (w *writer) init(out io.Writer, opts WriterOptions) {
	w.bw = bufio.NewWriterSize(out, 64<<10)
	w.eol = copy(w.rec[RecordLen:], opts.EOL.bytes())
	w.keyRequired = !opts.KeylessAccounts
}

func (w *writer) buf() *[RecordLen]byte { return (*[RecordLen]byte)(w.rec[:RecordLen]) }

// begin checks that the writer is usable and in the state the method
// needs, and returns the collector for the record about to be written.
func (w *writer) begin(state int, method, code string) (fieldErrs, error) {
	c := fieldErrs{line: w.lines + 1, code: code}
	if w.err != nil {
		return c, w.err
	}
	if w.state != state {
		var why string
		switch w.state {
		case stateNew:
			why = "before WriteHeader"
		case stateOpen:
			why = "after WriteHeader"
		default:
			why = "after Close"
		}
		w.err = fmt.Errorf("cfonb: %s %s: %w", method, why, ErrWriterState)
		return c, w.err
	}
	return c, nil
}

// encoder starts the record in the buffer.
func (w *writer) encoder(c *fieldErrs, code string, op Operation) encoder {
	e := encoder{b: w.buf(), fieldErrs: c}
	e.start(code, op)
	return e
}

// addAmount adds a detail's amount to the running sum, refusing a total
// that would not fit its zone.
func (w *writer) addAmount(c *fieldErrs, z zone, amount, max int64) {
	if len(c.errs) == 0 && amount > max-w.sum {
		c.fail(z, strconv.FormatInt(amount, 10),
			fmt.Errorf("%w: the remise's total would exceed %d digits", ErrOverflow, len(strconv.FormatInt(max, 10))))
	}
}

// emit writes the record in the buffer, or makes the record's problems the
// writer's sticky error.
func (w *writer) emit(c *fieldErrs) error {
	if err := c.err(); err != nil {
		w.err = err
		return err
	}
	if _, err := w.bw.Write(w.rec[:RecordLen+w.eol]); err != nil {
		w.err = err
		return err
	}
	w.lines++
	return nil
}

// detail counts a written 06 record.
func (w *writer) detail(amount int64) {
	w.details++
	w.sum += amount
}

// finish flushes after the total was written and closes the writer.
func (w *writer) finish(c *fieldErrs) error {
	if err := w.emit(c); err != nil {
		return err
	}
	w.state = stateClosed
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}

// closing checks that Close may write the total. done is true when the
// writer was already closed, or failed: Close then only returns the error.
func (w *writer) closing(what string) (c fieldErrs, done bool, err error) {
	if w.err == nil && w.state == stateClosed {
		return c, true, nil
	}
	c, err = w.begin(stateOpen, "Close", "08")
	if err == nil && w.details == 0 {
		err = fmt.Errorf("cfonb: remise without %s: %w", what, ErrEmpty)
		w.err = err
	}
	if err != nil {
		w.bw.Flush() // keep what was written, to show where it stopped
		return c, true, err
	}
	return c, false, nil
}

// Count returns the number of detail records (06) written so far.
func (w *writer) Count() int { return w.details }

// Total returns the sum in cents of the detail records written so far,
// the amount Close writes in the total record.
func (w *writer) Total() int64 { return w.sum }

// Records returns the number of records written so far.
func (w *writer) Records() int { return w.lines }
