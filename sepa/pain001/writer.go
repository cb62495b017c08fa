package pain001

import (
	"errors"
	"io"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation"
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
	s   initiation.Writer
	h   GroupHeader
	ids map[string]struct{} // PmtInfIds written
	pi  PaymentInfo         // the open block
}

// initn is pain.001 for the code it shares with pain.008.
var initn = initiation.Message{
	Root: "CstmrCdtTrfInitn", AmountIn: "Amt", Payments: "SEPA credit transfers", Dated: "payments",
	ErrPrefix: "pain001", ErrState: ErrWriterState,
}

// NewWriter checks h and writes the XML declaration, the Document element
// and the group header to out.
func NewWriter(out io.Writer, h GroupHeader) (*Writer, error) {
	if errs := CheckGroupHeader(h); errs != nil {
		return nil, errors.Join(errs...)
	}
	w := &Writer{h: h, ids: map[string]struct{}{}}
	if err := w.s.Start(out, initn, initiation.Header{Namespace: h.Version.Namespace(), MsgID: h.MsgID,
		CreatedAt: h.CreatedAt, NbOfTxs: h.NbOfTxs, CtrlSum: h.CtrlSum, InitiatingParty: &w.h.InitiatingParty}); err != nil {
		return nil, err
	}
	return w, nil
}

// StartPaymentInfo ends the open PmtInf block, if any, and opens a new one.
func (w *Writer) StartPaymentInfo(pi PaymentInfo) error {
	if err := w.s.StartBlock(); err != nil {
		return err
	}
	if errs := CheckPaymentInfo(pi, w.h); errs != nil {
		return w.s.Fail(errors.Join(errs...))
	}
	if _, dup := w.ids[pi.ID]; dup {
		return w.s.Fail(duplicateError("payment info", "payment info id (PmtInfId)", pi.ID, "an earlier block of the message"))
	}
	w.ids[pi.ID] = struct{}{}
	w.pi = pi

	b := w.s.OpenBlock(pi.ID, "TRF", pi.BatchBooking, pi.NbOfTxs, pi.CtrlSum)
	b = append(b, "      <PmtTpInf>\n"...)
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
	b = initiation.AppendAccount(b, 6, "DbtrAcct", pi.DebtorIBAN)
	b = append(b, "      <DbtrAgt>"...)
	switch {
	case pi.DebtorBIC != "":
		b = initiation.AppendFinInstnID(b, pi.DebtorBIC, w.h.Version != V03)
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
	return w.s.Flush(b)
}

// WriteTransaction checks tx and appends it to the open PmtInf block.
func (w *Writer) WriteTransaction(tx Transaction) error {
	if err := w.s.StartTransaction(); err != nil {
		return err
	}
	if errs := checkTransaction(&tx, &w.pi, w.h.Version); len(errs) > 0 {
		return w.s.Fail(errors.Join(errs...))
	}
	if err := w.s.Count(tx.Amount); err != nil {
		return err
	}

	b := w.s.Buf()
	b = append(b, "      <CdtTrfTxInf>\n"...)
	b = initiation.AppendPaymentID(b, tx.InstrID, tx.EndToEndID)
	b = append(b, "        <Amt><InstdAmt Ccy=\"EUR\">"...)
	b = sepa.AppendAmount(b, tx.Amount)
	b = append(b, "</InstdAmt></Amt>\n"...)
	if tx.CreditorBIC != "" {
		b = append(b, "        <CdtrAgt>"...)
		b = initiation.AppendFinInstnID(b, tx.CreditorBIC, w.h.Version != V03)
		b = append(b, "</CdtrAgt>\n"...)
	}
	b = sepa.AppendParty(b, 8, "Cdtr", &tx.Creditor, true)
	b = initiation.AppendAccount(b, 8, "CdtrAcct", tx.CreditorIBAN)
	if !tx.UltimateCreditor.IsZero() {
		b = sepa.AppendParty(b, 8, "UltmtCdtr", &tx.UltimateCreditor, true)
	}
	b = initiation.AppendPurpose(b, tx.Purpose)
	b = initiation.AppendRemittance(b, tx.RemittanceInfo, tx.CreditorReference)
	b = append(b, "      </CdtTrfTxInf>\n"...)
	return w.s.Flush(b)
}

// Close ends the open block and the document, checks the message totals
// and flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error { return w.s.Close() }
