package initiation

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/remit-dev/remit/sepa"
)

// Header is what both group headers (GrpHdr) hold besides the version.
type Header struct {
	Namespace       string // of the Document element, which gives the version
	MsgID           string
	CreatedAt       time.Time
	NbOfTxs         int
	CtrlSum         int64
	InitiatingParty *sepa.Party
}

// Writer is the skeleton of the pain.008 and pain.001 writers: the
// buffered output, a scratch buffer reused for each element group, the
// sticky error, and the declared NbOfTxs and CtrlSum of the message and of
// the open PmtInf block, compared with what was written: a block's when the
// next one starts and at Close, the message's at Close, and both as soon as
// the written figures exceed the declared ones. The message's Writer checks
// its rules and appends the bytes of its blocks and transactions:
//
//	if err := w.s.StartBlock(); err != nil { … }     // before the rules of a block
//	b := w.s.OpenBlock(id, "DD", batch, n, sum)        // then its elements
//	return w.s.Flush(b)
//
//	if err := w.s.StartTransaction(); err != nil { … } // before the rules of a transaction
//	if err := w.s.Count(amount); err != nil { … }      // after them
//	b := w.s.Buf()                                     // then its elements
//	return w.s.Flush(b)
type Writer struct {
	out *bufio.Writer
	buf []byte // one element group, reused
	err error
	m   Message

	msgID  string
	declN  int // NbOfTxs and CtrlSum of the group header
	declS  int64
	n      int // transactions written in the message
	sum    int64
	blocks int
	open   bool // a PmtInf block is open
	closed bool

	block  string // the open block's PmtInfId, its declared totals and what it holds
	blockN int
	blockS int64
	pn     int
	psum   int64
}

// Start writes the XML declaration, the Document element and the group
// header of message m to out.
func (w *Writer) Start(out io.Writer, m Message, h Header) error {
	*w = Writer{out: bufio.NewWriterSize(out, 64<<10), buf: make([]byte, 0, 4096), m: m,
		msgID: h.MsgID, declN: h.NbOfTxs, declS: h.CtrlSum}
	b := w.buf[:0]
	b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\""...)
	b = append(b, h.Namespace...)
	b = append(b, "\">\n  <"...)
	b = append(b, m.Root...)
	b = append(b, ">\n    <GrpHdr>\n"...)
	b = sepa.AppendElement(b, 6, "MsgId", h.MsgID)
	b = append(b, "      <CreDtTm>"...)
	b = sepa.AppendDateTime(b, h.CreatedAt)
	b = append(b, "</CreDtTm>\n      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(h.NbOfTxs), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = sepa.AppendAmount(b, h.CtrlSum)
	b = append(b, "</CtrlSum>\n"...)
	b = sepa.AppendParty(b, 6, "InitgPty", h.InitiatingParty, false)
	b = append(b, "    </GrpHdr>\n"...)
	return w.Flush(b)
}

// Err returns the sticky error.
func (w *Writer) Err() error { return w.err }

// Fail makes err the sticky error and returns it.
func (w *Writer) Fail(err error) error {
	w.err = err
	return err
}

// Blocks returns the number of PmtInf blocks opened so far.
func (w *Writer) Blocks() int { return w.blocks }

// Buf returns the scratch buffer, empty, to append one element group to.
func (w *Writer) Buf() []byte { return w.buf[:0] }

// Flush writes b, an element group built on Buf, to the buffered output,
// keeps b's array for reuse, and returns the sticky error.
func (w *Writer) Flush(b []byte) error {
	if _, err := w.out.Write(b); err != nil && w.err == nil {
		w.err = err
	}
	if cap(b) <= 1<<20 {
		w.buf = b[:0]
	}
	return w.err
}

// StartBlock is the start of StartPaymentInfo: it returns the sticky error,
// refuses a block after Close, and ends the open block, if any.
func (w *Writer) StartBlock() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return w.Fail(w.misuse("StartPaymentInfo after Close"))
	}
	if w.open {
		return w.endBlock()
	}
	return nil
}

// OpenBlock opens a PmtInf block whose rules have passed and returns the
// scratch buffer holding its first elements, from PmtInfId to CtrlSum:
// method is the PmtMtd (DD, TRF), batch the optional BtchBookg.
func (w *Writer) OpenBlock(id, method string, batch *bool, n int, sum int64) []byte {
	w.blocks++
	w.open = true
	w.block, w.blockN, w.blockS, w.pn, w.psum = id, n, sum, 0, 0
	b := w.buf[:0]
	b = append(b, "    <PmtInf>\n"...)
	b = sepa.AppendElement(b, 6, "PmtInfId", id)
	b = append(b, "      <PmtMtd>"...)
	b = append(b, method...)
	b = append(b, "</PmtMtd>\n"...)
	if batch != nil {
		b = append(b, "      <BtchBookg>"...)
		b = strconv.AppendBool(b, *batch)
		b = append(b, "</BtchBookg>\n"...)
	}
	b = append(b, "      <NbOfTxs>"...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "</NbOfTxs>\n      <CtrlSum>"...)
	b = sepa.AppendAmount(b, sum)
	return append(b, "</CtrlSum>\n"...)
}

// StartTransaction is the start of WriteTransaction: it returns the sticky
// error, and refuses a transaction outside a block.
func (w *Writer) StartTransaction() error {
	if w.err != nil {
		return w.err
	}
	if !w.open {
		return w.Fail(w.misuse("WriteTransaction before StartPaymentInfo or after Close"))
	}
	return nil
}

// Count adds a transaction whose rules have passed to the totals of its
// block and of the message, and fails when they exceed the declared ones.
func (w *Writer) Count(amount int64) error {
	w.pn++
	w.psum += amount
	w.n++
	w.sum += amount
	if w.pn > w.blockN || w.psum > w.blockS {
		return w.Fail(countError("payment info", w.block, w.blockN, w.blockS, w.pn, w.psum, "more than declared"))
	}
	if w.n > w.declN || w.sum > w.declS {
		return w.Fail(countError("group header", w.msgID, w.declN, w.declS, w.n, w.sum, "more than declared"))
	}
	return nil
}

// Close ends the open block and the document, checks the message totals
// and flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil || w.closed {
		return w.err
	}
	if w.blocks == 0 {
		return w.Fail(w.misuse("Close without any payment info block"))
	}
	if err := w.endBlock(); err != nil {
		return err
	}
	if w.n != w.declN || w.sum != w.declS {
		return w.Fail(countError("group header", w.msgID, w.declN, w.declS, w.n, w.sum, "differs"))
	}
	b := append(w.buf[:0], "  </"...)
	b = append(b, w.m.Root...)
	w.Flush(append(b, ">\n</Document>\n"...))
	if w.err == nil {
		if err := w.out.Flush(); err != nil {
			w.err = err
		}
	}
	w.closed = true
	return w.err
}

func (w *Writer) endBlock() error {
	w.open = false
	if w.pn != w.blockN || w.psum != w.blockS {
		return w.Fail(countError("payment info", w.block, w.blockN, w.blockS, w.pn, w.psum, "differs"))
	}
	return w.Flush(append(w.buf[:0], "    </PmtInf>\n"...))
}

func (w *Writer) misuse(what string) error {
	return fmt.Errorf("%s: %s: %w", w.m.ErrPrefix, what, w.m.ErrState)
}

func countError(block, ref string, n int, sum int64, gotN int, gotSum int64, what string) error {
	return &sepa.RuleError{Block: block, Ref: ref, Field: "written transactions", Err: sepa.ErrCount,
		Value:  strconv.Itoa(gotN) + " for " + sepa.FormatAmount(gotSum) + " EUR",
		Reason: what + ": NbOfTxs " + strconv.Itoa(n) + ", CtrlSum " + sepa.FormatAmount(sum)}
}

// AppendPaymentID appends a transaction's PmtId: EndToEndId, after InstrId
// when there is one.
func AppendPaymentID(b []byte, instrID, endToEndID string) []byte {
	if instrID != "" {
		b = append(b, "        <PmtId>\n"...)
		b = sepa.AppendElement(b, 10, "InstrId", instrID)
		b = sepa.AppendElement(b, 10, "EndToEndId", endToEndID)
		return append(b, "        </PmtId>\n"...)
	}
	b = append(b, "        <PmtId><EndToEndId>"...)
	b = sepa.AppendEscaped(b, endToEndID)
	return append(b, "</EndToEndId></PmtId>\n"...)
}

// AppendAccount appends an account (DbtrAcct, CdtrAcct) identified by its
// IBAN, on one line.
func AppendAccount(b []byte, indent int, tag, iban string) []byte {
	b = sepa.AppendOpen(b, indent, tag)
	b = append(b, "<Id><IBAN>"...)
	b = sepa.AppendEscaped(b, iban)
	b = append(b, "</IBAN></Id>"...)
	return sepa.AppendClose(b, 0, tag)
}

// AppendFinInstnID appends a FinInstnId holding a BIC: BICFI in the 2019
// versions, BIC in the 2009 ones.
func AppendFinInstnID(b []byte, bic string, iso2019 bool) []byte {
	if !iso2019 {
		b = append(b, "<FinInstnId><BIC>"...)
		b = sepa.AppendEscaped(b, bic)
		return append(b, "</BIC></FinInstnId>"...)
	}
	b = append(b, "<FinInstnId><BICFI>"...)
	b = sepa.AppendEscaped(b, bic)
	return append(b, "</BICFI></FinInstnId>"...)
}

// AppendPurpose appends a transaction's Purp, when it has a code.
func AppendPurpose(b []byte, code string) []byte {
	if code == "" {
		return b
	}
	b = append(b, "        <Purp><Cd>"...)
	b = sepa.AppendEscaped(b, code)
	return append(b, "</Cd></Purp>\n"...)
}

// AppendRemittance appends a transaction's RmtInf: the creditor reference
// (Strd, ISO 11649) or the free text (Ustrd, in the EPC set), or nothing
// when there is neither, or when the text is left empty by the conversion.
func AppendRemittance(b []byte, text, creditorReference string) []byte {
	switch {
	case creditorReference != "":
		b = append(b, "        <RmtInf>\n          <Strd>\n            <CdtrRefInf>\n"+
			"              <Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>\n"...)
		b = sepa.AppendElement(b, 14, "Ref", creditorReference)
		b = append(b, "            </CdtrRefInf>\n          </Strd>\n        </RmtInf>\n"...)
	case text != "":
		mark := len(b)
		b = append(b, "        <RmtInf>"...)
		if b2 := sepa.AppendTextElement(b, 0, "Ustrd", text, sepa.MaxRemittance, false); len(b2) > len(b) {
			b = append(b2, "</RmtInf>\n"...)
		} else {
			b = b[:mark] // nothing left after conversion: no RmtInf
		}
	}
	return b
}
