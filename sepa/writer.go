package sepa

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
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
	b = appendElement(b, 6, "MsgId", h.MsgID)
	b = append(b, "      <CreDtTm>"...)
	b = appendISODateTime(b, h.CreatedAt)
	b = append(b, "</CreDtTm>\n      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(h.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = appendAmountCents(b, h.CtrlSum)
	b = append(b, "</CtrlSum>\n"...)
	b = appendParty(b, 6, "InitgPty", &h.InitiatingParty, false)
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
		return w.fail(&RuleError{Block: "payment info", Ref: pi.ID, Field: "scheme (LclInstrm)", Value: pi.Scheme,
			Reason: "the message already has " + w.scheme + " blocks; write one file per scheme", Err: ErrCode})
	}
	w.scheme = pi.Scheme
	w.blocks++
	w.open = true
	w.pi, w.pn, w.psum = pi, 0, 0

	b := w.buf[:0]
	b = append(b, "    <PmtInf>\n"...)
	b = appendElement(b, 6, "PmtInfId", pi.ID)
	b = append(b, "      <PmtMtd>DD</PmtMtd>\n"...)
	if pi.BatchBooking != nil {
		b = append(b, "      <BtchBookg>"...)
		b = strconv.AppendBool(b, *pi.BatchBooking)
		b = append(b, "</BtchBookg>\n"...)
	}
	b = append(b, "      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(pi.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = appendAmountCents(b, pi.CtrlSum)
	b = append(b, "</CtrlSum>\n      <PmtTpInf>\n        <SvcLvl><Cd>SEPA</Cd></SvcLvl>\n        <LclInstrm><Cd>"...)
	b = append(b, pi.Scheme...)
	b = append(b, "</Cd></LclInstrm>\n        <SeqTp>"...)
	b = append(b, pi.SeqType...)
	b = append(b, "</SeqTp>\n      </PmtTpInf>\n      <ReqdColltnDt>"...)
	b = appendISODate(b, pi.CollectionDate)
	b = append(b, "</ReqdColltnDt>\n"...)
	b = appendParty(b, 6, "Cdtr", &pi.Creditor, true)
	b = append(b, "      <CdtrAcct><Id><IBAN>"...)
	b = appendEscaped(b, pi.CreditorIBAN)
	b = append(b, "</IBAN></Id></CdtrAcct>\n      <CdtrAgt>"...)
	b = w.appendAgent(b, pi.CreditorBIC)
	b = append(b, "</CdtrAgt>\n"...)
	if !pi.UltimateCreditor.IsZero() {
		b = appendParty(b, 6, "UltmtCdtr", &pi.UltimateCreditor, true)
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
	if errs := checkTransaction(nil, &tx, &w.pi, w.h.CreatedAt); len(errs) > 0 {
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
		b = appendElement(b, 10, "InstrId", tx.InstrID)
		b = appendElement(b, 10, "EndToEndId", tx.EndToEndID)
		b = append(b, "        </PmtId>\n"...)
	} else {
		b = append(b, "        <PmtId><EndToEndId>"...)
		b = appendEscaped(b, tx.EndToEndID)
		b = append(b, "</EndToEndId></PmtId>\n"...)
	}
	b = append(b, "        <InstdAmt Ccy=\"EUR\">"...)
	b = appendAmountCents(b, tx.Amount)
	b = append(b, "</InstdAmt>\n        <DrctDbtTx>\n          <MndtRltdInf>\n"...)
	b = appendElement(b, 12, "MndtId", tx.MandateID)
	b = append(b, "            <DtOfSgntr>"...)
	b = appendISODate(b, tx.MandateSigned)
	if a := tx.Amendment; a == nil {
		b = append(b, "</DtOfSgntr>\n            <AmdmntInd>false</AmdmntInd>\n"...)
	} else {
		b = append(b, "</DtOfSgntr>\n            <AmdmntInd>true</AmdmntInd>\n            <AmdmntInfDtls>\n"...)
		if a.OriginalMandateID != "" {
			b = appendElement(b, 14, "OrgnlMndtId", a.OriginalMandateID)
		}
		if a.OriginalCreditorSchemeID != "" || a.OriginalCreditorName != "" {
			b = append(b, "              <OrgnlCdtrSchmeId>"...)
			b = appendTextElement(b, 0, "Nm", a.OriginalCreditorName, MaxName, false)
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
			b = appendEscaped(b, a.OriginalDebtorIBAN)
			b = append(b, "</IBAN></Id></OrgnlDbtrAcct>\n"...)
		}
		b = append(b, "            </AmdmntInfDtls>\n"...)
	}
	b = append(b, "          </MndtRltdInf>\n        </DrctDbtTx>\n        <DbtrAgt>"...)
	b = w.appendAgent(b, tx.DebtorBIC)
	b = append(b, "</DbtrAgt>\n"...)
	b = appendParty(b, 8, "Dbtr", &tx.Debtor, true)
	b = append(b, "        <DbtrAcct><Id><IBAN>"...)
	b = appendEscaped(b, tx.DebtorIBAN)
	b = append(b, "</IBAN></Id></DbtrAcct>\n"...)
	if !tx.UltimateDebtor.IsZero() {
		b = appendParty(b, 8, "UltmtDbtr", &tx.UltimateDebtor, true)
	}
	if tx.Purpose != "" {
		b = append(b, "        <Purp><Cd>"...)
		b = appendEscaped(b, tx.Purpose)
		b = append(b, "</Cd></Purp>\n"...)
	}
	switch {
	case tx.CreditorReference != "":
		b = append(b, "        <RmtInf>\n          <Strd>\n            <CdtrRefInf>\n"+
			"              <Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>\n"...)
		b = appendElement(b, 14, "Ref", tx.CreditorReference)
		b = append(b, "            </CdtrRefInf>\n          </Strd>\n        </RmtInf>\n"...)
	case tx.RemittanceInfo != "":
		mark := len(b)
		b = append(b, "        <RmtInf>"...)
		if b2 := appendTextElement(b, 0, "Ustrd", tx.RemittanceInfo, MaxRemittance, false); len(b2) > len(b) {
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
	return &RuleError{Block: block, Ref: ref, Field: "written transactions", Err: ErrCount,
		Value:  strconv.Itoa(gotN) + " for " + formatCents(gotSum) + " EUR",
		Reason: what + ": NbOfTxs " + strconv.Itoa(n) + ", CtrlSum " + formatCents(sum)}
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
		b = appendEscaped(b, bic)
		return append(b, "</BIC></FinInstnId>"...)
	}
	b = append(b, "<FinInstnId><BICFI>"...)
	b = appendEscaped(b, bic)
	return append(b, "</BICFI></FinInstnId>"...)
}

// appendSchemeID appends the content of a CdtrSchmeId/Id (or
// OrgnlCdtrSchmeId/Id): the ICS as a private identification, scheme SEPA.
func appendSchemeID(b []byte, ics string) []byte {
	b = append(b, "<PrvtId><Othr><Id>"...)
	b = appendEscaped(b, ics)
	return append(b, "</Id><SchmeNm><Prtry>"+creditorSchemeName+"</Prtry></SchmeNm></Othr></PrvtId>"...)
}

// appendParty appends a party element. A party with only a name is written
// on one line when inline is true; otherwise Nm, PstlAdr and Id each get
// their lines. PstlAdr holds the address elements that are not empty after
// Text, in schema order (the same in PostalAddress6 and PostalAddress24 for
// the elements remit writes); address lines left empty are skipped.
func appendParty(b []byte, indent int, tag string, p *Party, inline bool) []byte {
	a := &p.Address
	hasAddress := a.Country != "" || hasWritableText(a.StreetName) || hasWritableText(a.BuildingNumber) ||
		hasWritableText(a.PostCode) || hasWritableText(a.TownName)
	for _, l := range a.Lines {
		hasAddress = hasAddress || hasWritableText(l)
	}
	if inline && !hasAddress && p.ID.ID == "" {
		b = appendOpen(b, indent, tag)
		b = appendTextElement(b, 0, "Nm", p.Name, MaxName, false)
		return appendClose(b, 0, tag)
	}
	b = appendOpen(b, indent, tag)
	b = append(b, '\n')
	b = appendTextElement(b, indent+2, "Nm", p.Name, MaxName, true)
	if hasAddress {
		b = appendOpen(b, indent+2, "PstlAdr")
		b = append(b, '\n')
		b = appendTextElement(b, indent+4, "StrtNm", a.StreetName, MaxAddressLine, true)
		b = appendTextElement(b, indent+4, "BldgNb", a.BuildingNumber, MaxPostCode, true)
		b = appendTextElement(b, indent+4, "PstCd", a.PostCode, MaxPostCode, true)
		b = appendTextElement(b, indent+4, "TwnNm", a.TownName, MaxTownName, true)
		if a.Country != "" {
			b = appendElement(b, indent+4, "Ctry", a.Country)
		}
		for _, l := range a.Lines {
			b = appendTextElement(b, indent+4, "AdrLine", l, MaxAddressLine, true)
		}
		b = appendClose(b, indent+2, "PstlAdr")
	}
	if id := &p.ID; id.ID != "" {
		kind := "OrgId"
		if id.Private {
			kind = "PrvtId"
		}
		b = append(b, xmlIndent[:indent+2]...)
		b = append(b, "<Id><"...)
		b = append(b, kind...)
		b = append(b, "><Othr><Id>"...)
		b = appendEscaped(b, id.ID)
		b = append(b, "</Id>"...)
		switch {
		case id.SchemeCode != "":
			b = append(b, "<SchmeNm><Cd>"...)
			b = appendEscaped(b, id.SchemeCode)
			b = append(b, "</Cd></SchmeNm>"...)
		case id.SchemeProprietary != "":
			b = append(b, "<SchmeNm><Prtry>"...)
			b = appendEscaped(b, id.SchemeProprietary)
			b = append(b, "</Prtry></SchmeNm>"...)
		}
		if id.Issuer != "" {
			b = append(b, "<Issr>"...)
			b = appendEscaped(b, id.Issuer)
			b = append(b, "</Issr>"...)
		}
		b = append(b, "</Othr></"...)
		b = append(b, kind...)
		b = append(b, "></Id>\n"...)
	}
	return appendClose(b, indent, tag)
}

// xmlIndent holds the spaces the deepest indentation needs.
const xmlIndent = "                    "

// appendOpen appends the indentation and <tag>.
func appendOpen(b []byte, indent int, tag string) []byte {
	b = append(b, xmlIndent[:indent]...)
	b = append(b, '<')
	b = append(b, tag...)
	return append(b, '>')
}

// appendClose appends the indentation, </tag> and a newline.
func appendClose(b []byte, indent int, tag string) []byte {
	b = append(b, xmlIndent[:indent]...)
	b = append(b, "</"...)
	b = append(b, tag...)
	return append(b, ">\n"...)
}

// appendElement appends <tag>value</tag> on its own line, value escaped.
// Identifiers, codes and IBANs go through it: they were validated, never
// transliterated.
func appendElement(b []byte, indent int, tag, value string) []byte {
	b = appendOpen(b, indent, tag)
	b = appendEscaped(b, value)
	return appendClose(b, 0, tag)
}

// appendTextElement appends <tag>Text(s, max)</tag>, followed by a newline
// when newline is true, or nothing when Text leaves nothing.
func appendTextElement(b []byte, indent int, tag, s string, max int, newline bool) []byte {
	mark := len(b)
	b = appendOpen(b, indent, tag)
	open := len(b)
	b = appendEPCText(b, s, max)
	if len(b) == open {
		return b[:mark]
	}
	for _, c := range b[open:] {
		if c == '&' || c == '<' || c == '>' || c == '"' { // defence in depth: Text never leaves them
			b = appendEscaped(b[:open], string(b[open:]))
			break
		}
	}
	if newline {
		return appendClose(b, 0, tag)
	}
	b = append(b, "</"...)
	b = append(b, tag...)
	return append(b, '>')
}

// appendEscaped appends s with the XML specials escaped. After validation or
// Text none of them can occur; this only guards against a future mistake.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// hasWritableText reports whether Text(s, n) is not empty.
func hasWritableText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return len(appendEPCText(nil, s, 1)) > 0
		}
		if epcSubstitute[c] != ' ' {
			return true
		}
	}
	return false
}

// appendAmountCents appends cents as a decimal amount with exactly two
// decimals (1 → 0.01, 12345 → 123.45), by integer arithmetic.
func appendAmountCents(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents // MaxAmount is far from the int64 limit; rules refuse negatives anyway
	}
	b = strconv.AppendInt(b, cents/100, 10)
	r := cents % 100
	return append(b, '.', byte('0'+r/10), byte('0'+r%10))
}

func formatCents(cents int64) string { return string(appendAmountCents(nil, cents)) }

// appendISODate appends t's date as 2006-01-02.
func appendISODate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(m), 2)
	b = append(b, '-')
	return appendDigits(b, d, 2)
}

// appendISODateTime appends t's wall-clock time as 2006-01-02T15:04:05,
// without zone (local time, as the examples and most banks expect).
func appendISODateTime(b []byte, t time.Time) []byte {
	b = appendISODate(b, t)
	h, m, s := t.Clock()
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, m, 2)
	b = append(b, ':')
	return appendDigits(b, s, 2)
}

// appendDigits appends n (0 <= n) zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n >= 10 || width > 1 {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	tmp[i] = byte('0' + n)
	return append(b, tmp[i:]...)
}
