package cfonb

import "io"

// LCRWriter writes one LCR remise: a header, the bills, and on Close the
// total. It numbers the records itself and computes the total from the
// bills it wrote. Each record is checked before it is written; the first
// problem stops the writer, and every later call returns it (check the
// bills beforehand with Validate to report them all). Memory stays flat
// whatever the number of bills.
//
// Close flushes the writer's buffer but does not close out.
type LCRWriter struct {
	writer
}

// NewLCRWriter returns a writer of one LCR remise to out.
func NewLCRWriter(out io.Writer, opts WriterOptions) *LCRWriter {
	w := &LCRWriter{}
	w.init(out, opts)
	return w
}

// WriteHeader writes the record 03; h.Seq is set to 1.
func (w *LCRWriter) WriteHeader(h LCRHeader) error {
	c, err := w.begin(stateNew, "WriteHeader", "03")
	if err != nil {
		return err
	}
	h.Seq = 1
	h.check(&c, w.keyRequired)
	if len(c.errs) == 0 {
		h.encode(w.encoder(&c, "03", OpLCR))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.state = stateOpen
	return nil
}

// WriteBill writes a record 06; b.Seq is set to the next record number.
func (w *LCRWriter) WriteBill(b LCRBill) error {
	c, err := w.begin(stateOpen, "WriteBill", "06")
	if err != nil {
		return err
	}
	b.Seq = w.lines + 1
	b.check(&c, w.keyRequired)
	w.addAmount(&c, lcrBillAmount, b.Amount, MaxLCRAmount)
	if len(c.errs) == 0 {
		b.encode(w.encoder(&c, "06", OpLCR))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.detail(b.Amount)
	return nil
}

// Close writes the record 08 with the number of records and the sum of
// the bills, and flushes. A remise without bills is an error.
func (w *LCRWriter) Close() error {
	c, done, err := w.closing("bills")
	if done {
		return err
	}
	t := LCRTotal{Seq: w.lines + 1, Amount: w.sum}
	t.encode(w.encoder(&c, "08", OpLCR))
	return w.finish(&c)
}
