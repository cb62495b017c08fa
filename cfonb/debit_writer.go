package cfonb

import "io"

// DebitWriter writes one prélèvement remise: a header, the debits, and on
// Close the total computed from the debits it wrote. It copies the
// header's operation and numéro d'émetteur into every record. Errors are
// sticky, as for the LCRWriter.
type DebitWriter struct {
	writer
	op      Operation
	emitter string
}

// NewDebitWriter returns a writer of one prélèvement remise to out.
func NewDebitWriter(out io.Writer, opts WriterOptions) *DebitWriter {
	w := &DebitWriter{}
	w.init(out, opts)
	return w
}

// WriteHeader writes the record 03.
func (w *DebitWriter) WriteHeader(h DebitHeader) error {
	c, err := w.begin(stateNew, "WriteHeader", "03")
	if err != nil {
		return err
	}
	h.check(&c, w.keyRequired)
	if len(c.errs) == 0 {
		h.encode(w.encoder(&c, "03", h.Op()))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.op, w.emitter = h.Op(), h.Emitter
	w.state = stateOpen
	return nil
}

// WriteDebit writes a record 06, with the header's operation and emitter.
func (w *DebitWriter) WriteDebit(d Debit) error {
	c, err := w.begin(stateOpen, "WriteDebit", "06")
	if err != nil {
		return err
	}
	d.Operation, d.Emitter = w.op, w.emitter
	d.check(&c, w.keyRequired)
	w.addAmount(&c, natDetailAmount, d.Amount, MaxAmount)
	if len(c.errs) == 0 {
		d.encode(w.encoder(&c, "06", w.op))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.detail(d.Amount)
	return nil
}

// Close writes the record 08 with the sum of the debits, and flushes.
func (w *DebitWriter) Close() error {
	c, done, err := w.closing("debits")
	if done {
		return err
	}
	t := DebitTotal{Operation: w.op, Emitter: w.emitter, Amount: w.sum}
	t.encode(w.encoder(&c, "08", w.op))
	return w.finish(&c)
}
