package pain008

import (
	"errors"
	"io"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation"
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
	s      initiation.Writer
	h      GroupHeader
	scheme string      // of the first block: one scheme per message
	pi     PaymentInfo // the open block
}

// initn is pain.008 for the code it shares with pain.001.
var initn = initiation.Message{
	Root: "CstmrDrctDbtInitn", AmountIn: "DrctDbtTxInf", Payments: "SEPA direct debits", Dated: "collections",
	ErrPrefix: "sepa", ErrState: ErrWriterState,
}

// NewWriter checks h and writes the XML declaration, the Document element
// and the group header to out.
func NewWriter(out io.Writer, h GroupHeader) (*Writer, error) {
	if errs := CheckGroupHeader(h); errs != nil {
		return nil, errors.Join(errs...)
	}
	w := &Writer{h: h}
	if err := w.s.Start(out, initn, initiation.Header{Namespace: h.Version.Namespace(), MsgID: h.MsgID,
		CreatedAt: h.CreatedAt, NbOfTxs: h.NbOfTxs, CtrlSum: h.CtrlSum, InitiatingParty: &w.h.InitiatingParty}); err != nil {
		return nil, err
	}
	return w, nil
}

// StartPaymentInfo ends the open PmtInf block, if any, and opens a new one.
// All blocks of a message must have the same scheme (CORE or B2B): the EPC
// does not allow mixing them in one message.
func (w *Writer) StartPaymentInfo(pi PaymentInfo) error {
	if err := w.s.StartBlock(); err != nil {
		return err
	}
	if errs := CheckPaymentInfo(pi, w.h); errs != nil {
		return w.s.Fail(errors.Join(errs...))
	}
	if w.s.Blocks() > 0 && pi.Scheme != w.scheme {
		return w.s.Fail(&sepa.RuleError{Block: "payment info", Ref: pi.ID, Field: "scheme (LclInstrm)", Value: pi.Scheme,
			Reason: "the message already has " + w.scheme + " blocks; write one file per scheme", Err: sepa.ErrCode})
	}
	w.scheme = pi.Scheme
	w.pi = pi

	b := w.s.OpenBlock(pi.ID, "DD", pi.BatchBooking, pi.NbOfTxs, pi.CtrlSum)
	b = append(b, "      <PmtTpInf>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n        <LclInstrm><Cd>"...)
	b = append(b, pi.Scheme...)
	b = append(b, "</Cd></LclInstrm>\n        <SeqTp>"...)
	b = append(b, pi.SeqType...)
	b = append(b, "</SeqTp>\n      </PmtTpInf>\n      <ReqdColltnDt>"...)
	b = sepa.AppendDate(b, pi.CollectionDate)
	b = append(b, "</ReqdColltnDt>\n"...)
	b = sepa.AppendParty(b, 6, "Cdtr", &pi.Creditor, true)
	b = initiation.AppendAccount(b, 6, "CdtrAcct", pi.CreditorIBAN)
	b = append(b, "      <CdtrAgt>"...)
	b = w.appendAgent(b, pi.CreditorBIC)
	b = append(b, "</CdtrAgt>\n"...)
	if !pi.UltimateCreditor.IsZero() {
		b = sepa.AppendParty(b, 6, "UltmtCdtr", &pi.UltimateCreditor, true)
	}
	b = append(b, "      <ChrgBr>SLEV</ChrgBr>\n      <CdtrSchmeId>\n        <Id>"...)
	b = appendSchemeID(b, pi.CreditorSchemeID)
	b = append(b, "</Id>\n      </CdtrSchmeId>\n"...)
	return w.s.Flush(b)
}

// WriteTransaction checks tx and appends it to the open PmtInf block.
func (w *Writer) WriteTransaction(tx Transaction) error {
	if err := w.s.StartTransaction(); err != nil {
		return err
	}
	if errs := checkTransaction(&tx, &w.pi, w.h.CreatedAt); len(errs) > 0 {
		return w.s.Fail(errors.Join(errs...))
	}
	if err := w.s.Count(tx.Amount); err != nil {
		return err
	}

	b := w.s.Buf()
	b = append(b, "      <DrctDbtTxInf>\n"...)
	b = initiation.AppendPaymentID(b, tx.InstrID, tx.EndToEndID)
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
			b = initiation.AppendAccount(b, 14, "OrgnlDbtrAcct", a.OriginalDebtorIBAN)
		}
		b = append(b, "            </AmdmntInfDtls>\n"...)
	}
	b = append(b, "          </MndtRltdInf>\n        </DrctDbtTx>\n        <DbtrAgt>"...)
	b = w.appendAgent(b, tx.DebtorBIC)
	b = append(b, "</DbtrAgt>\n"...)
	b = sepa.AppendParty(b, 8, "Dbtr", &tx.Debtor, true)
	b = initiation.AppendAccount(b, 8, "DbtrAcct", tx.DebtorIBAN)
	if !tx.UltimateDebtor.IsZero() {
		b = sepa.AppendParty(b, 8, "UltmtDbtr", &tx.UltimateDebtor, true)
	}
	b = initiation.AppendPurpose(b, tx.Purpose)
	b = initiation.AppendRemittance(b, tx.RemittanceInfo, tx.CreditorReference)
	b = append(b, "      </DrctDbtTxInf>\n"...)
	return w.s.Flush(b)
}

// Close ends the open block and the document, checks the message totals
// and flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error { return w.s.Close() }

// appendAgent appends FinInstnId with the BIC (BICFI in .08, BIC in .02),
// or Othr/Id NOTPROVIDED when bic is empty.
func (w *Writer) appendAgent(b []byte, bic string) []byte {
	if bic == "" {
		return append(b, "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>"...)
	}
	return initiation.AppendFinInstnID(b, bic, w.h.Version != V02)
}

// appendSchemeID appends the content of a CdtrSchmeId/Id (or
// OrgnlCdtrSchmeId/Id): the ICS as a private identification, scheme SEPA.
func appendSchemeID(b []byte, ics string) []byte {
	b = append(b, "<PrvtId><Othr><Id>"...)
	b = sepa.AppendEscaped(b, ics)
	return append(b, "</Id><SchmeNm><Prtry>"+creditorSchemeName+"</Prtry></SchmeNm></Othr></PrvtId>"...)
}
