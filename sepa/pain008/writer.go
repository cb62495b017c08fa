package pain008

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/remit-dev/remit/sepa"
)

// Writer streams a pain.008 message: NewWriter writes the group header,
// StartPaymentInfo opens a PmtInf block, WriteTransaction appends one
// DrctDbtTxInf to it, and Close ends the last block and the document.
// Nothing is kept in memory but the current block's header and running sums,
// so a million transactions cost no more memory than one.
//
// Every header, block and transaction is checked against the EPC rules
// (CheckGroupHeader, CheckPaymentInfo, CheckTransaction) before it is
// written, and the declared NbOfTxs and CtrlSum of the message and of each
// block are compared with what was written: a block's at the next
// StartPaymentInfo or at Close, the message's at Close, and both as soon as
// the written figures exceed the declared ones. Errors are sticky: after the
// first one every call returns it, and the output is incomplete and must be
// discarded. Close does not close the underlying io.Writer.
//
// The output is UTF-8 XML indented by two spaces, in the layout of the EPC
// examples, and deterministic: the same calls give the same bytes.
type Writer struct {
	out *bufio.Writer
	buf []byte // one element group, reused
	h   GroupHeader
	err error

	open   bool // a PmtInf block is open
	closed bool
	blocks int
	scheme string // of the first block: one scheme per message
	n      int    // transactions written in the message
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
	w := &Writer{out: bufio.NewWriterSize(out, 64<<10), buf: make([]byte, 0, 4096), h: h}
	b := w.buf[:0]
	b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\""...)
	b = append(b, h.Version.Namespace()...)
	b = append(b, "\">\n  <CstmrDrctDbtInitn>\n    <GrpHdr>\n"...)
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
// All blocks of a message must have the same scheme (CORE or B2B): the EPC
// does not allow mixing them in one message.
func (w *Writer) StartPaymentInfo(pi PaymentInfo) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return w.fail(fmt.Errorf("sepa: StartPaymentInfo after Close: %w", ErrWriterState))
	}
	if w.open {
		if err := w.endPaymentInfo(); err != nil {
			return err
		}
	}
	if errs := CheckPaymentInfo(pi, w.h); errs != nil {
		return w.fail(errors.Join(errs...))
	}
	if w.blocks > 0 && pi.Scheme != w.scheme {
		return w.fail(&sepa.RuleError{Block: "payment info", Ref: pi.ID, Field: "scheme (LclInstrm)", Value: pi.Scheme,
			Reason: "the message already has " + w.scheme + " blocks; write one file per scheme", Err: sepa.ErrCode})
	}
	w.scheme = pi.Scheme
	w.blocks++
	w.open = true
	w.pi, w.pn, w.psum = pi, 0, 0

	b := w.buf[:0]
	b = append(b, "    <PmtInf>\n"...)
	b = sepa.AppendElement(b, 6, "PmtInfId", pi.ID)
	b = append(b, "      <PmtMtd>DD</PmtMtd>\n"...)
	if pi.BatchBooking != nil {
		b = append(b, "      <BtchBookg>"...)
		b = strconv.AppendBool(b, *pi.BatchBooking)
		b = append(b, "</BtchBookg>\n"...)
	}
	b = append(b, "      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(pi.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = sepa.AppendAmount(b, pi.CtrlSum)
	b = append(b, "</CtrlSum>\n      <PmtTpInf>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n        <LclInstrm><Cd>"...)
	b = append(b, pi.Scheme...)
	b = append(b, "</Cd></LclInstrm>\n        <SeqTp>"...)
	b = append(b, pi.SeqType...)
	b = append(b, "</SeqTp>\n      </PmtTpInf>\n      <ReqdColltnDt>"...)
	b = sepa.AppendDate(b, pi.CollectionDate)
	b = append(b, "</ReqdColltnDt>\n"...)
	b = sepa.AppendParty(b, 6, "Cdtr", &pi.Creditor, true)
	b = append(b, "      <CdtrAcct><Id><IBAN>"...)
	b = sepa.AppendEscaped(b, pi.CreditorIBAN)
	b = append(b, "</IBAN></Id></CdtrAcct>\n      <CdtrAgt>"...)
	b = w.appendAgent(b, pi.CreditorBIC)
	b = append(b, "</CdtrAgt>\n"...)
	if !pi.UltimateCreditor.IsZero() {
		b = sepa.AppendParty(b, 6, "UltmtCdtr", &pi.UltimateCreditor, true)
	}
	b = append(b, "      <ChrgBr>SLEV</ChrgBr>\n      <CdtrSchmeId>\n        <Id>"...)
	b = appendSchemeID(b, pi.CreditorSchemeID)
	b = append(b, "</Id>\n      </CdtrSchmeId>\n"...)
	w.flushBuf(b)
	return w.err
}

// WriteTransaction checks tx and appends it to the open PmtInf block.
func (w *Writer) WriteTransaction(tx Transaction) error {
	if w.err != nil {
		return w.err
	}
	if !w.open {
		return w.fail(fmt.Errorf("sepa: WriteTransaction before StartPaymentInfo or after Close: %w", ErrWriterState))
	}
	if errs := checkTransaction(&tx, &w.pi, w.h.CreatedAt); len(errs) > 0 {
		return w.fail(errors.Join(errs...))
	}
	w.pn++
	w.psum += tx.Amount
	w.n++
	w.sum += tx.Amount
	if w.pn > w.pi.NbOfTxs || w.psum > w.pi.CtrlSum {
		return w.fail(w.countError("payment info", w.pi.ID, w.pi.NbOfTxs, w.pi.CtrlSum, w.pn, w.psum, "more than declared"))
	}
	if w.n > w.h.NbOfTxs || w.sum > w.h.CtrlSum {
		return w.fail(w.countError("group header", w.h.MsgID, w.h.NbOfTxs, w.h.CtrlSum, w.n, w.sum, "more than declared"))
	}

	b := w.buf[:0]
	b = append(b, "      <DrctDbtTxInf>\n"...)
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
	b = append(b, "        <InstdAmt Ccy=\"EUR\">"...)
	b = sepa.AppendAmount(b, tx.Amount)
	b = append(b, "</InstdAmt>\n        <DrctDbtTx>\n          <MndtRltdInf>\n"...)
	b = sepa.AppendElement(b, 12, "MndtId", tx.MandateID)
	b = append(b, "            <DtOfSgntr>"...)
	b = sepa.AppendDate(b, tx.MandateSigned)
	if a := tx.Amendment; a == nil {
		b = append(b, "</DtOfSgntr>\n            <AmdmntInd>false</AmdmntInd>\n"...)
	} else {
		b = append(b, "</DtOfSgntr>\n            <AmdmntInd>true</AmdmntInd>\n            <AmdmntInfDtls>\n"...)
		if a.OriginalMandateID != "" {
			b = sepa.AppendElement(b, 14, "OrgnlMndtId", a.OriginalMandateID)
		}
		if a.OriginalCreditorSchemeID != "" || a.OriginalCreditorName != "" {
			b = append(b, "              <OrgnlCdtrSchmeId>"...)
			b = sepa.AppendTextElement(b, 0, "Nm", a.OriginalCreditorName, sepa.MaxName, false)
			if a.OriginalCreditorSchemeID != "" {
				b = append(b, "<Id>"...)
				b = appendSchemeID(b, a.OriginalCreditorSchemeID)
				b = append(b, "</Id>"...)
			}
			b = append(b, "</OrgnlCdtrSchmeId>\n"...)
		}
		switch {
		case a.NewDebtorAccount:
			b = append(b, "              <OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>\n"...)
		case a.OriginalDebtorIBAN != "":
			b = append(b, "              <OrgnlDbtrAcct><Id><IBAN>"...)
			b = sepa.AppendEscaped(b, a.OriginalDebtorIBAN)
			b = append(b, "</IBAN></Id></OrgnlDbtrAcct>\n"...)
		}
		b = append(b, "            </AmdmntInfDtls>\n"...)
	}
	b = append(b, "          </MndtRltdInf>\n        </DrctDbtTx>\n        <DbtrAgt>"...)
	b = w.appendAgent(b, tx.DebtorBIC)
	b = append(b, "</DbtrAgt>\n"...)
	b = sepa.AppendParty(b, 8, "Dbtr", &tx.Debtor, true)
	b = append(b, "        <DbtrAcct><Id><IBAN>"...)
	b = sepa.AppendEscaped(b, tx.DebtorIBAN)
	b = append(b, "</IBAN></Id></DbtrAcct>\n"...)
	if !tx.UltimateDebtor.IsZero() {
		b = sepa.AppendParty(b, 8, "UltmtDbtr", &tx.UltimateDebtor, true)
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
	b = append(b, "      </DrctDbtTxInf>\n"...)
	w.flushBuf(b)
	return w.err
}

// Close ends the open block and the document, checks the message totals
// and flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil || w.closed {
		return w.err
	}
	if w.blocks == 0 {
		return w.fail(fmt.Errorf("sepa: Close without any payment info block: %w", ErrWriterState))
	}
	if err := w.endPaymentInfo(); err != nil {
		return err
	}
	if w.n != w.h.NbOfTxs || w.sum != w.h.CtrlSum {
		return w.fail(w.countError("group header", w.h.MsgID, w.h.NbOfTxs, w.h.CtrlSum, w.n, w.sum, "differs"))
	}
	w.flushBuf(append(w.buf[:0], "  </CstmrDrctDbtInitn>\n</Document>\n"...))
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
		return w.fail(w.countError("payment info", w.pi.ID, w.pi.NbOfTxs, w.pi.CtrlSum, w.pn, w.psum, "differs"))
	}
	w.flushBuf(append(w.buf[:0], "    </PmtInf>\n"...))
	return w.err
}

func (w *Writer) countError(block, ref string, n int, sum int64, gotN int, gotSum int64, what string) error {
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

// appendAgent appends FinInstnId with the BIC (BICFI in .08, BIC in .02),
// or Othr/Id NOTPROVIDED when bic is empty.
func (w *Writer) appendAgent(b []byte, bic string) []byte {
	if bic == "" {
		return append(b, "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>"...)
	}
	if w.h.Version == V02 {
		b = append(b, "<FinInstnId><BIC>"...)
		b = sepa.AppendEscaped(b, bic)
		return append(b, "</BIC></FinInstnId>"...)
	}
	b = append(b, "<FinInstnId><BICFI>"...)
	b = sepa.AppendEscaped(b, bic)
	return append(b, "</BICFI></FinInstnId>"...)
}

// appendSchemeID appends the content of a CdtrSchmeId/Id (or
// OrgnlCdtrSchmeId/Id): the ICS as a private identification, scheme SEPA.
func appendSchemeID(b []byte, ics string) []byte {
	b = append(b, "<PrvtId><Othr><Id>"...)
	b = sepa.AppendEscaped(b, ics)
	return append(b, "</Id><SchmeNm><Prtry>"+creditorSchemeName+"</Prtry></SchmeNm></Othr></PrvtId>"...)
}
