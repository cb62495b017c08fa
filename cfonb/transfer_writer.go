package cfonb

import (
	"fmt"
	"io"
)

// TransferWriter writes one virement remise: a header, the transfers (each
// optionally followed by complementary 07 records), and on Close the total
// computed from the transfers it wrote. It copies the header's operation
// and numéro d'émetteur into every record. Errors are sticky, as for the
// LCRWriter.
type TransferWriter struct {
	writer
	op      Operation
	emitter string
	last    string // code of the last record written
}

// NewTransferWriter returns a writer of one virement remise to out.
func NewTransferWriter(out io.Writer, opts WriterOptions) *TransferWriter {
	w := &TransferWriter{}
	w.init(out, opts)
	return w
}

// WriteHeader writes the record 03.
func (w *TransferWriter) WriteHeader(h TransferHeader) error {
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
	w.op, w.emitter, w.last = h.Op(), h.Emitter, "03"
	w.state = stateOpen
	return nil
}

// WriteTransfer writes a record 06, with the header's operation and
// emitter.
func (w *TransferWriter) WriteTransfer(t Transfer) error {
	c, err := w.begin(stateOpen, "WriteTransfer", "06")
	if err != nil {
		return err
	}
	t.Operation, t.Emitter = w.op, w.emitter
	t.check(&c, w.keyRequired)
	w.addAmount(&c, natDetailAmount, t.Amount, MaxAmount)
	if len(c.errs) == 0 {
		t.encode(w.encoder(&c, "06", w.op))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.detail(t.Amount)
	w.last = "06"
	return nil
}

// WriteComplement writes a record 07 after the transfer it completes.
func (w *TransferWriter) WriteComplement(t TransferComplement) error {
	c, err := w.begin(stateOpen, "WriteComplement", "07")
	if err != nil {
		return err
	}
	if w.last == "03" {
		w.err = fmt.Errorf("cfonb: WriteComplement before any WriteTransfer: %w", ErrWriterState)
		return w.err
	}
	t.Operation, t.Emitter = w.op, w.emitter
	t.check(&c, w.keyRequired)
	if len(c.errs) == 0 {
		t.encode(w.encoder(&c, "07", w.op))
	}
	if err := w.emit(&c); err != nil {
		return err
	}
	w.last = "07"
	return nil
}

// Close writes the record 08 with the sum of the transfers, and flushes.
func (w *TransferWriter) Close() error {
	c, done, err := w.closing("transfers")
	if done {
		return err
	}
	t := TransferTotal{Operation: w.op, Emitter: w.emitter, Amount: w.sum}
	t.encode(w.encoder(&c, "08", w.op))
	return w.finish(&c)
}
