package pain001

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/remit-dev/remit/sepa"
)

// Writer streams a pain.001 message: NewWriter writes the group header,
// StartPaymentInfo opens a PmtInf block, WriteTransaction appends one
// CdtTrfTxInf to it, and Close ends the last block and the document.
// Nothing is kept in memory but the current block's header, the running
// sums and the blocks' ids, so a million transfers cost no more memory than
// one.
//
// Every header, block and transaction is checked against the EPC rules
// (CheckGroupHeader, CheckPaymentInfo, CheckTransaction) before it is
// written, and the declared NbOfTxs and CtrlSum of the message and of each
// block are compared with what was written: a block's at the next
// StartPaymentInfo or at Close, the message's at Close, and both as soon as
// the written figures exceed the declared ones. A PmtInfId used twice is
// refused; an EndToEndId used twice is not seen here (that takes memory
// growing with the message): run a Checker over the message first. Errors
// are sticky: after the first one every call returns it, and the output is
// incomplete and must be discarded. Close does not close the underlying
// io.Writer.
//
// Agents: a creditor without BIC gets no CdtrAgt (it is optional in both
// versions). DbtrAgt is mandatory in both schemas; without the debtor's BIC
// it is an empty FinInstnId in pain.001.001.09 (banks refuse the
// NOTPROVIDED placeholder there), and Othr/Id NOTPROVIDED in
// pain.001.001.03, the convention of the 2009-generation guidelines.
//
// The output is UTF-8 XML indented by two spaces, in the layout of the
// pain.008 writer, and deterministic: the same calls give the same bytes.
type Writer struct {
	out *bufio.Writer
	buf []byte // one element group, reused
	h   GroupHeader
	err error

	open   bool // a PmtInf block is open
	closed bool
	ids    map[string]struct{} // PmtInfIds written
	n      int                 // transactions written in the message
	sum    int64

	pi   PaymentInfo // the open block
	pn   int
	psum int64
}

// NewWriter checks h and writes the XML declaration, the Document element
// and the group header to out.
func NewWriter(out io.Writer, h GroupHeader) (*Writer, error) {
	if errs := CheckGroupHeader(h); errs != nil {
		return nil, errors.Join(errs...)
	}
	w := &Writer{out: bufio.NewWriterSize(out, 64<<10), buf: make([]byte, 0, 4096), h: h, ids: map[string]struct{}{}}
	b := w.buf[:0]
	b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\""...)
	b = append(b, h.Version.Namespace()...)
	b = append(b, "\">\n  <CstmrCdtTrfInitn>\n    <GrpHdr>\n"...)
	b = sepa.AppendElement(b, 6, "MsgId", h.MsgID)
	b = append(b, "      <CreDtTm>"...)
	b = sepa.AppendDateTime(b, h.CreatedAt)
	b = append(b, "</CreDtTm>\n      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(h.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = sepa.AppendAmount(b, h.CtrlSum)
	b = append(b, "</CtrlSum>\n"...)
	b = sepa.AppendParty(b, 6, "InitgPty", &h.InitiatingParty, false)
	b = append(b, "    </GrpHdr>\n"...)
	w.flushBuf(b)
	if w.err != nil {
		return nil, w.err
	}
	return w, nil
}

// StartPaymentInfo ends the open PmtInf block, if any, and opens a new one.
func (w *Writer) StartPaymentInfo(pi PaymentInfo) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return w.fail(fmt.Errorf("pain001: StartPaymentInfo after Close: %w", ErrWriterState))
	}
	if w.open {
		if err := w.endPaymentInfo(); err != nil {
			return err
		}
	}
	if errs := CheckPaymentInfo(pi, w.h); errs != nil {
		return w.fail(errors.Join(errs...))
	}
	if _, dup := w.ids[pi.ID]; dup {
		return w.fail(duplicateError("payment info", "payment info id (PmtInfId)", pi.ID, "an earlier block of the message"))
	}
	w.ids[pi.ID] = struct{}{}
	w.open = true
	w.pi, w.pn, w.psum = pi, 0, 0

	b := w.buf[:0]
	b = append(b, "    <PmtInf>\n"...)
	b = sepa.AppendElement(b, 6, "PmtInfId", pi.ID)
	b = append(b, "      <PmtMtd>TRF</PmtMtd>\n"...)
	if pi.BatchBooking != nil {
		b = append(b, "      <BtchBookg>"...)
		b = strconv.AppendBool(b, *pi.BatchBooking)
		b = append(b, "</BtchBookg>\n"...)
	}
	b = append(b, "      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(pi.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = sepa.AppendAmount(b, pi.CtrlSum)
	b = append(b, "</CtrlSum>\n      <PmtTpInf>\n"...)
	if pi.Priority != "" {
		b = sepa.AppendElement(b, 8, "InstrPrty", pi.Priority)
	}
	b = append(b, "        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n"...)
	if pi.CategoryPurpose != "" {
		b = append(b, "        <CtgyPurp><Cd>"...)
		b = sepa.AppendEscaped(b, pi.CategoryPurpose)
		b = append(b, "</Cd></CtgyPurp>\n"...)
	}
	b = append(b, "      </PmtTpInf>\n      <ReqdExctnDt>"...)
	if w.h.Version == V03 {
		b = sepa.AppendDate(b, pi.ExecutionDate)
	} else {
		b = append(b, "<Dt>"...)
		b = sepa.AppendDate(b, pi.ExecutionDate)
		b = append(b, "</Dt>"...)
	}
	b = append(b, "</ReqdExctnDt>\n"...)
	b = sepa.AppendParty(b, 6, "Dbtr", &pi.Debtor, true)
	b = append(b, "      <DbtrAcct><Id><IBAN>"...)
	b = sepa.AppendEscaped(b, pi.DebtorIBAN)
	b = append(b, "</IBAN></Id></DbtrAcct>\n      <DbtrAgt>"...)
	switch {
	case pi.DebtorBIC != "":
		b = w.appendFinInstnID(b, pi.DebtorBIC)
	case w.h.Version == V03:
		b = append(b, "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>"...)
	default:
		b = append(b, "<FinInstnId/>"...)
	}
	b = append(b, "</DbtrAgt>\n"...)
	if !pi.UltimateDebtor.IsZero() {
		b = sepa.AppendParty(b, 6, "UltmtDbtr", &pi.UltimateDebtor, true)
	}
	b = append(b, "      <ChrgBr>SLEV</ChrgBr>\n"...)
	w.flushBuf(b)
	return w.err
}

// WriteTransaction checks tx and appends it to the open PmtInf block.
func (w *Writer) WriteTransaction(tx Transaction) error {
	if w.err != nil {
		return w.err
	}
	if !w.open {
		return w.fail(fmt.Errorf("pain001: WriteTransaction before StartPaymentInfo or after Close: %w", ErrWriterState))
	}
	if errs := checkTransaction(&tx, &w.pi, w.h.Version); len(errs) > 0 {
		return w.fail(errors.Join(errs...))
	}
	w.pn++
	w.psum += tx.Amount
	w.n++
	w.sum += tx.Amount
	if w.pn > w.pi.NbOfTxs || w.psum > w.pi.CtrlSum {
		return w.fail(countError("payment info", w.pi.ID, w.pi.NbOfTxs, w.pi.CtrlSum, w.pn, w.psum, "more than declared"))
	}
	if w.n > w.h.NbOfTxs || w.sum > w.h.CtrlSum {
		return w.fail(countError("group header", w.h.MsgID, w.h.NbOfTxs, w.h.CtrlSum, w.n, w.sum, "more than declared"))
	}

	b := w.buf[:0]
	b = append(b, "      <CdtTrfTxInf>\n"...)
	if tx.InstrID != "" {
		b = append(b, "        <PmtId>\n"...)
		b = sepa.AppendElement(b, 10, "InstrId", tx.InstrID)
		b = sepa.AppendElement(b, 10, "EndToEndId", tx.EndToEndID)
		b = append(b, "        </PmtId>\n"...)
	} else {
		b = append(b, "        <PmtId><EndToEndId>"...)
		b = sepa.AppendEscaped(b, tx.EndToEndID)
		b = append(b, "</EndToEndId></PmtId>\n"...)
	}
	b = append(b, "        <Amt><InstdAmt Ccy=\"EUR\">"...)
	b = sepa.AppendAmount(b, tx.Amount)
	b = append(b, "</InstdAmt></Amt>\n"...)
	if tx.CreditorBIC != "" {
		b = append(b, "        <CdtrAgt>"...)
		b = w.appendFinInstnID(b, tx.CreditorBIC)
		b = append(b, "</CdtrAgt>\n"...)
	}
	b = sepa.AppendParty(b, 8, "Cdtr", &tx.Creditor, true)
	b = append(b, "        <CdtrAcct><Id><IBAN>"...)
	b = sepa.AppendEscaped(b, tx.CreditorIBAN)
	b = append(b, "</IBAN></Id></CdtrAcct>\n"...)
	if !tx.UltimateCreditor.IsZero() {
		b = sepa.AppendParty(b, 8, "UltmtCdtr", &tx.UltimateCreditor, true)
	}
	if tx.Purpose != "" {
		b = append(b, "        <Purp><Cd>"...)
		b = sepa.AppendEscaped(b, tx.Purpose)
		b = append(b, "</Cd></Purp>\n"...)
	}
	switch {
	case tx.CreditorReference != "":
		b = append(b, "        <RmtInf>\n          <Strd>\n            <CdtrRefInf>\n"+
			"              <Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>\n"...)
		b = sepa.AppendElement(b, 14, "Ref", tx.CreditorReference)
		b = append(b, "            </CdtrRefInf>\n          </Strd>\n        </RmtInf>\n"...)
	case tx.RemittanceInfo != "":
		mark := len(b)
		b = append(b, "        <RmtInf>"...)
		if b2 := sepa.AppendTextElement(b, 0, "Ustrd", tx.RemittanceInfo, sepa.MaxRemittance, false); len(b2) > len(b) {
			b = append(b2, "</RmtInf>\n"...)
		} else {
			b = b[:mark] // nothing left after conversion: no RmtInf
		}
	}
	b = append(b, "      </CdtTrfTxInf>\n"...)
	w.flushBuf(b)
	return w.err
}

// Close ends the open block and the document, checks the message totals
// and flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil || w.closed {
		return w.err
	}
	if len(w.ids) == 0 {
		return w.fail(fmt.Errorf("pain001: Close without any payment info block: %w", ErrWriterState))
	}
	if err := w.endPaymentInfo(); err != nil {
		return err
	}
	if w.n != w.h.NbOfTxs || w.sum != w.h.CtrlSum {
		return w.fail(countError("group header", w.h.MsgID, w.h.NbOfTxs, w.h.CtrlSum, w.n, w.sum, "differs"))
	}
	w.flushBuf(append(w.buf[:0], "  </CstmrCdtTrfInitn>\n</Document>\n"...))
	if w.err == nil {
		if err := w.out.Flush(); err != nil {
			w.err = err
		}
	}
	w.closed = true
	return w.err
}

func (w *Writer) endPaymentInfo() error {
	w.open = false
	if w.pn != w.pi.NbOfTxs || w.psum != w.pi.CtrlSum {
		return w.fail(countError("payment info", w.pi.ID, w.pi.NbOfTxs, w.pi.CtrlSum, w.pn, w.psum, "differs"))
	}
	w.flushBuf(append(w.buf[:0], "    </PmtInf>\n"...))
	return w.err
}

func countError(block, ref string, n int, sum int64, gotN int, gotSum int64, what string) error {
	return &sepa.RuleError{Block: block, Ref: ref, Field: "written transactions", Err: sepa.ErrCount,
		Value:  strconv.Itoa(gotN) + " for " + sepa.FormatAmount(gotSum) + " EUR",
		Reason: what + ": NbOfTxs " + strconv.Itoa(n) + ", CtrlSum " + sepa.FormatAmount(sum)}
}

func (w *Writer) fail(err error) error {
	w.err = err
	return err
}

// flushBuf writes b to the buffered output and keeps b's array for reuse.
func (w *Writer) flushBuf(b []byte) {
	if _, err := w.out.Write(b); err != nil && w.err == nil {
		w.err = err
	}
	if cap(b) <= 1<<20 {
		w.buf = b[:0]
	}
}

// appendFinInstnID appends FinInstnId with the BIC: BICFI in .09, BIC in .03.
func (w *Writer) appendFinInstnID(b []byte, bic string) []byte {
	if w.h.Version == V03 {
		b = append(b, "<FinInstnId><BIC>"...)
		b = sepa.AppendEscaped(b, bic)
		return append(b, "</BIC></FinInstnId>"...)
	}
	b = append(b, "<FinInstnId><BICFI>"...)
	b = sepa.AppendEscaped(b, bic)
	return append(b, "</BICFI></FinInstnId>"...)
}
