package camt053

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/statement"
)

// ErrNotWritable: a statement holds what camt.053 has no element for (a
// CFONB 120 numéro d'écriture, LIB lines, extra complements, internal
// code, entry-level return reason, sequence type); the writer refuses it
// rather than drop it.
var ErrNotWritable = errors.New("cannot be written in camt.053")

// WriterOptions describe the message a Writer writes.
type WriterOptions struct {
	Version string    // statement.Camt053V02 or Camt053V08 (the default)
	MsgID   string    // GrpHdr/MsgId, required
	Created time.Time // GrpHdr/CreDtTm, required; also each Stmt/CreDtTm that has none (.02 needs one)
}

// Writer writes statements as one camt.053 message, in the layout of the
// ISO examples (UTF-8, two-space indents). Errors are sticky.
type Writer struct {
	bw      *bufio.Writer
	opts    WriterOptions
	v08     bool
	started bool
	closed  bool
	n       int
	err     error
	buf     strings.Builder // the statement being written
	depth   int
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer, opts WriterOptions) *Writer {
	if opts.Version == "" {
		opts.Version = statement.Camt053V08
	}
	return &Writer{bw: bufio.NewWriterSize(w, 64<<10), opts: opts, v08: opts.Version == statement.Camt053V08}
}

// Write writes one statement as a Stmt: its opening balance (OPBD, or
// PRCD when Opening.Type says so), its closing balance CLBD, which the
// writer computes from the opening balance and the booked entries, and
// its entries with their batch and transaction details.
//
// Write refuses, writing nothing, a statement whose Closing.Amount is not
// the opening balance plus the booked entries (statement.ErrUnbalanced),
// one that does not fit the schema (a value too long or empty where one is
// required, an IBAN that is not one; ErrValue), and one holding what
// camt.053 cannot carry (ErrNotWritable). A written message is valid
// against the official XSD of its version.
func (w *Writer) Write(s *statement.Statement) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return w.err
	}
	if !w.started {
		if err := w.checkOptions(); err != nil {
			w.err = err
			return err
		}
	}
	c := &checker{}
	w.buf.Reset()
	w.depth = 2
	w.stmt(s, c)
	if err := joinErrors(c.errs); err != nil {
		w.err = fmt.Errorf("camt053: statement %d (%s): %w", w.n+1, s.ID, err)
		return w.err
	}
	if !w.started {
		w.started = true
		w.header()
	}
	if _, err := w.bw.WriteString(w.buf.String()); err != nil {
		w.err = err
		return err
	}
	w.n++
	return nil
}

func (w *Writer) checkOptions() error {
	c := &checker{}
	if w.opts.Version != statement.Camt053V02 && w.opts.Version != statement.Camt053V08 {
		c.fail("Version", fmt.Errorf("%w: %q: want %s or %s", ErrValue, w.opts.Version, statement.Camt053V02, statement.Camt053V08))
	}
	c.text("GrpHdr/MsgId", w.opts.MsgID, 35, true)
	c.date("GrpHdr/CreDtTm", w.opts.Created)
	if w.opts.Created.IsZero() {
		c.fail("GrpHdr/CreDtTm", fmt.Errorf("%w: required", ErrValue))
	}
	if err := joinErrors(c.errs); err != nil {
		return fmt.Errorf("camt053: writer options: %w", err)
	}
	return nil
}

// Close ends the message; it must hold a statement. After an error it
// returns the error, having flushed what was written before it.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		w.bw.Flush()
		return w.err
	}
	if w.n == 0 {
		w.err = fmt.Errorf("camt053: no statement written: %w", ErrMissing)
		return w.err
	}
	w.bw.WriteString("  </BkToCstmrStmt>\n</Document>\n")
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	w.err = errors.New("camt053: Write after Close")
	return nil
}

func (w *Writer) header() {
	fmt.Fprintf(w.bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:%s\">\n  <BkToCstmrStmt>\n", w.opts.Version)
	w.bw.WriteString("    <GrpHdr>\n")
	w.bw.WriteString("      <MsgId>" + escape(w.opts.MsgID) + "</MsgId>\n")
	w.bw.WriteString("      <CreDtTm>" + dateTime(w.opts.Created) + "</CreDtTm>\n")
	w.bw.WriteString("    </GrpHdr>\n")
}

// checker collects what cannot be written, by element path.
type checker struct{ errs []error }

func (c *checker) fail(path string, err error) {
	c.errs = append(c.errs, fmt.Errorf("%s: %w", path, err))
}

// text checks a text value: at most max characters, none of them a
// control character, no surrounding spaces (the reader trims them); empty
// only when not required.
func (c *checker) text(path, v string, max int, required bool) {
	switch {
	case v == "":
		if required {
			c.fail(path, fmt.Errorf("%w: required", ErrValue))
		}
	case utf8.RuneCountInString(v) > max:
		c.fail(path, fmt.Errorf("%w: %q is longer than %d characters", ErrValue, v, max))
	case strings.TrimSpace(v) != v:
		c.fail(path, fmt.Errorf("%w: %q has surrounding spaces", ErrValue, v))
	case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
	}) >= 0:
		c.fail(path, fmt.Errorf("%w: %q has a character XML cannot carry", ErrValue, v))
	}
}

// amount checks that an amount fits the schema: 18 digits, 2 of them
// decimals.
func (c *checker) amount(path string, cents int64) {
	if cents >= 1e18 || cents <= -1e18 {
		c.fail(path, fmt.Errorf("%w: %s has more than 18 digits", ErrValue, statement.Format(cents)))
	}
}

// date checks that a date has a year of four digits.
func (c *checker) date(path string, t time.Time) {
	if !t.IsZero() && (t.Year() < 1 || t.Year() > 9999) {
		c.fail(path, fmt.Errorf("%w: year %d", ErrValue, t.Year()))
	}
}

func (c *checker) notWritable(path, what string, set bool) {
	if set {
		c.fail(path, fmt.Errorf("%w: %s", ErrNotWritable, what))
	}
}

// Element writing into w.buf, two spaces per level.

func (w *Writer) open(name string) {
	w.indent()
	w.buf.WriteString("<" + name + ">\n")
	w.depth++
}

func (w *Writer) close(name string) {
	w.depth--
	w.indent()
	w.buf.WriteString("</" + name + ">\n")
}

func (w *Writer) leaf(name, value string) {
	if value == "" {
		return
	}
	w.indent()
	w.buf.WriteString("<" + name + ">" + escape(value) + "</" + name + ">\n")
}

func (w *Writer) amount(name string, cents int64, ccy string) {
	w.indent()
	if cents < 0 {
		cents = -cents
	}
	fmt.Fprintf(&w.buf, "<%s Ccy=\"%s\">%d.%02d</%s>\n", name, ccy, cents/100, cents%100, name)
}

func (w *Writer) indent() {
	for i := 0; i < w.depth; i++ {
		w.buf.WriteString("  ")
	}
}

func indicator(cents int64) string {
	if cents < 0 {
		return "DBIT"
	}
	return "CRDT"
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func dateTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.999999999Z07:00") }

func (w *Writer) stmt(s *statement.Statement, c *checker) {
	c.text("Stmt/Id", s.ID, 35, true)
	if s.Sequence != "" && (!digits(s.Sequence) || len(strings.TrimLeft(s.Sequence, "0")) > 18) {
		c.fail("Stmt/ElctrncSeqNb", fmt.Errorf("%w: %q is not a number of at most 18 digits", ErrValue, s.Sequence))
	}
	if !isCurrency(s.Currency) {
		c.fail("Stmt/Acct/Ccy", fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrValue, s.Currency))
	}
	switch {
	case s.Account.IBAN != "":
		if !isIBAN(s.Account.IBAN) {
			c.fail("Stmt/Acct/Id/IBAN", fmt.Errorf("%w: %q is not an IBAN", ErrValue, s.Account.IBAN))
		}
		c.notWritable("Stmt/Acct/Id/Othr/Id", "an IBAN and another identification", s.Account.Other != "")
	default:
		c.text("Stmt/Acct/Id/Othr/Id", s.Account.Other, 34, true)
	}
	if s.Opening.Type != "" && s.Opening.Type != "OPBD" && s.Opening.Type != "PRCD" {
		c.fail("Stmt/Bal/Tp", fmt.Errorf("%w: opening balance of type %q: want OPBD or PRCD", ErrValue, s.Opening.Type))
	}
	if s.Closing.Type != "" && s.Closing.Type != "CLBD" {
		c.fail("Stmt/Bal/Tp", fmt.Errorf("%w: closing balance of type %q: want CLBD", ErrValue, s.Closing.Type))
	}
	if s.Opening.Date.IsZero() || s.Closing.Date.IsZero() {
		c.fail("Stmt/Bal/Dt", fmt.Errorf("%w: a balance without its date", ErrValue))
	}
	c.date("Stmt/CreDtTm", s.Created)
	c.date("Stmt/Bal/Dt", s.Opening.Date)
	c.date("Stmt/Bal/Dt", s.Closing.Date)
	c.amount("Stmt/Bal/Amt", s.Opening.Amount)
	c.amount("Stmt/Bal/Amt", s.Closing.Amount)
	sum, err := s.Movements()
	closing, ok := statement.Add(s.Opening.Amount, sum)
	switch {
	case err != nil || !ok:
		c.fail("Stmt/Ntry", statement.ErrOverflow)
	case closing != s.Closing.Amount:
		c.fail("Stmt/Bal", fmt.Errorf("%w: closing balance %s, opening balance %s + booked entries %s = %s",
			statement.ErrUnbalanced, statement.Format(s.Closing.Amount), statement.Format(s.Opening.Amount), statement.Format(sum), statement.Format(closing)))
	}

	w.open("Stmt")
	w.leaf("Id", s.ID)
	w.leaf("ElctrncSeqNb", s.Sequence)
	created := s.Created
	if created.IsZero() && !w.v08 {
		created = w.opts.Created
	}
	if !created.IsZero() {
		w.leaf("CreDtTm", dateTime(created))
	}
	w.open("Acct")
	w.open("Id")
	if s.Account.IBAN != "" {
		w.leaf("IBAN", s.Account.IBAN)
	} else {
		w.open("Othr")
		w.leaf("Id", s.Account.Other)
		w.close("Othr")
	}
	w.close("Id")
	w.leaf("Ccy", s.Currency)
	w.close("Acct")
	opening := s.Opening.Type
	if opening == "" {
		opening = "OPBD"
	}
	w.balance(opening, s.Opening.Amount, s.Currency, s.Opening.Date)
	w.balance("CLBD", closing, s.Currency, s.Closing.Date)
	for i := range s.Entries {
		w.entry(&s.Entries[i], s.Currency, fmt.Sprintf("Stmt/Ntry[%d]", i+1), c)
	}
	w.close("Stmt")
}

func (w *Writer) balance(typ string, cents int64, ccy string, date time.Time) {
	w.open("Bal")
	w.open("Tp")
	w.open("CdOrPrtry")
	w.leaf("Cd", typ)
	w.close("CdOrPrtry")
	w.close("Tp")
	w.amount("Amt", cents, ccy)
	w.leaf("CdtDbtInd", indicator(cents))
	w.open("Dt")
	w.leaf("Dt", date.Format(time.DateOnly))
	w.close("Dt")
	w.close("Bal")
}

func (w *Writer) entry(e *statement.Entry, ccy, path string, c *checker) {
	c.amount(path+"/Amt", e.Amount)
	c.amount(path+"/NtryDtls/Btch/TtlAmt", e.Batch.Total)
	c.date(path+"/BookgDt", e.BookingDate)
	c.date(path+"/ValDt", e.ValueDate)
	c.text(path+"/NtryRef", e.Ref, 35, false)
	c.text(path+"/AcctSvcrRef", e.BankRef, 35, false)
	c.text(path+"/AddtlNtryInf", e.Label, 500, false)
	status := e.Status
	switch {
	case status == "":
		c.fail(path+"/Sts", fmt.Errorf("%w: required", ErrValue))
	case !w.v08 && status != "BOOK" && status != "PDNG" && status != "INFO":
		c.fail(path+"/Sts", fmt.Errorf("%w: status %q: camt.053.001.02 has BOOK, PDNG and INFO", ErrValue, status))
	default:
		c.text(path+"/Sts", status, 35, true)
	}
	if cd := e.Code; cd.Domain != "" || cd.Family != "" || cd.SubFamily != "" {
		c.text(path+"/BkTxCd/Domn/Cd", cd.Domain, 4, true)
		c.text(path+"/BkTxCd/Domn/Fmly/Cd", cd.Family, 4, true)
		c.text(path+"/BkTxCd/Domn/Fmly/SubFmlyCd", cd.SubFamily, 4, true)
	}
	c.text(path+"/BkTxCd/Prtry/Cd", e.Code.Proprietary, 35, e.Code.Issuer != "")
	c.text(path+"/BkTxCd/Prtry/Issr", e.Code.Issuer, 35, false)
	c.notWritable(path, fmt.Sprintf("CFONB numéro d'écriture %q", e.Number), e.Number != "")
	c.notWritable(path, fmt.Sprintf("CFONB code opération interne %q", e.Code.Internal), e.Code.Internal != "")
	c.notWritable(path, fmt.Sprintf("CFONB code motif de rejet %q (camt.053 has return reasons per transaction)", e.ReturnReason), e.ReturnReason != "")
	c.notWritable(path, "CFONB LIB complements", len(e.Info) > 0)
	c.notWritable(path, "CFONB complements", len(e.Extra) > 0)
	c.text(path+"/NtryDtls/Btch/MsgId", e.Batch.MsgID, 35, false)
	c.text(path+"/NtryDtls/Btch/PmtInfId", e.Batch.PmtInfID, 35, false)
	if e.Batch.Count < 0 {
		c.fail(path+"/NtryDtls/Btch/NbOfTxs", fmt.Errorf("%w: %d", ErrValue, e.Batch.Count))
	}

	w.open("Ntry")
	w.leaf("NtryRef", e.Ref)
	w.amount("Amt", e.Amount, ccy)
	w.leaf("CdtDbtInd", indicator(e.Amount))
	if e.Reversal {
		w.leaf("RvslInd", "true")
	}
	if w.v08 {
		w.open("Sts")
		if len(status) <= 4 {
			w.leaf("Cd", status)
		} else {
			w.leaf("Prtry", status)
		}
		w.close("Sts")
	} else {
		w.leaf("Sts", status)
	}
	w.day("BookgDt", e.BookingDate)
	w.day("ValDt", e.ValueDate)
	w.leaf("AcctSvcrRef", e.BankRef)
	w.open("BkTxCd")
	if e.Code.Domain != "" {
		w.open("Domn")
		w.leaf("Cd", e.Code.Domain)
		w.open("Fmly")
		w.leaf("Cd", e.Code.Family)
		w.leaf("SubFmlyCd", e.Code.SubFamily)
		w.close("Fmly")
		w.close("Domn")
	}
	if e.Code.Proprietary != "" {
		w.open("Prtry")
		w.leaf("Cd", e.Code.Proprietary)
		w.leaf("Issr", e.Code.Issuer)
		w.close("Prtry")
	}
	w.close("BkTxCd")
	if e.Batch != (statement.Batch{}) || len(e.Details) > 0 {
		w.open("NtryDtls")
		if b := e.Batch; b != (statement.Batch{}) {
			w.open("Btch")
			w.leaf("MsgId", b.MsgID)
			w.leaf("PmtInfId", b.PmtInfID)
			if b.Count > 0 {
				w.leaf("NbOfTxs", fmt.Sprint(b.Count))
			}
			if b.Total != 0 {
				w.amount("TtlAmt", b.Total, ccy)
				w.leaf("CdtDbtInd", indicator(b.Total))
			}
			w.close("Btch")
		}
		for i := range e.Details {
			w.detail(&e.Details[i], ccy, fmt.Sprintf("%s/NtryDtls/TxDtls[%d]", path, i+1), c)
		}
		w.close("NtryDtls")
	}
	w.leaf("AddtlNtryInf", e.Label)
	w.close("Ntry")
}

func (w *Writer) day(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.open(name)
	w.leaf("Dt", t.Format(time.DateOnly))
	w.close(name)
}

func (w *Writer) detail(d *statement.Detail, ccy, path string, c *checker) {
	for _, f := range []struct{ name, v string }{{"MsgId", d.MsgID}, {"PmtInfId", d.PmtInfID}, {"InstrId", d.InstrID},
		{"EndToEndId", d.EndToEndID}, {"MndtId", d.MandateID}, {"ChqNb", d.ChequeNumber}} {
		c.text(path+"/Refs/"+f.name, f.v, 35, false)
	}
	c.amount(path+"/Amt", d.Amount)
	c.text(path+"/RltdPties/Dbtr/Nm", d.Debtor.Name, 140, false)
	c.text(path+"/RltdPties/Cdtr/Nm", d.Creditor.Name, 140, false)
	for _, a := range []struct{ name, v string }{{"DbtrAcct", d.Debtor.Account}, {"CdtrAcct", d.Creditor.Account}} {
		if !isIBAN(a.v) {
			c.text(path+"/RltdPties/"+a.name+"/Id/Othr/Id", a.v, 34, false)
		}
	}
	for i, u := range d.Remittance {
		c.text(fmt.Sprintf("%s/RmtInf/Ustrd[%d]", path, i+1), u, 140, true)
	}
	c.text(path+"/RmtInf/Strd/CdtrRefInf/Ref", d.CreditorRef, 35, false)
	c.text(path+"/Purp", d.Purpose, 35, false)
	c.text(path+"/RtrInf/Rsn", d.ReturnReason, 35, false)
	c.notWritable(path, fmt.Sprintf("sequence type %q", d.SequenceType), d.SequenceType != "")

	w.open("TxDtls")
	if d.MsgID != "" || d.PmtInfID != "" || d.InstrID != "" || d.EndToEndID != "" || d.MandateID != "" || d.ChequeNumber != "" {
		w.open("Refs")
		w.leaf("MsgId", d.MsgID)
		w.leaf("PmtInfId", d.PmtInfID)
		w.leaf("InstrId", d.InstrID)
		w.leaf("EndToEndId", d.EndToEndID)
		w.leaf("MndtId", d.MandateID)
		w.leaf("ChqNb", d.ChequeNumber)
		w.close("Refs")
	}
	if w.v08 {
		w.amount("Amt", d.Amount, ccy)
		w.leaf("CdtDbtInd", indicator(d.Amount))
	} else {
		w.open("AmtDtls")
		w.open("TxAmt")
		w.amount("Amt", d.Amount, ccy)
		w.close("TxAmt")
		w.close("AmtDtls")
	}
	if d.Debtor != (statement.Party{}) || d.Creditor != (statement.Party{}) {
		w.open("RltdPties")
		w.party("Dbtr", d.Debtor)
		w.party("Cdtr", d.Creditor)
		w.close("RltdPties")
	}
	if d.Purpose != "" {
		w.open("Purp")
		w.code(d.Purpose)
		w.close("Purp")
	}
	if len(d.Remittance) > 0 || d.CreditorRef != "" {
		w.open("RmtInf")
		for _, u := range d.Remittance {
			w.leaf("Ustrd", u)
		}
		if d.CreditorRef != "" {
			w.open("Strd")
			w.open("CdtrRefInf")
			w.leaf("Ref", d.CreditorRef)
			w.close("CdtrRefInf")
			w.close("Strd")
		}
		w.close("RmtInf")
	}
	if d.ReturnReason != "" {
		w.open("RtrInf")
		w.open("Rsn")
		w.code(d.ReturnReason)
		w.close("Rsn")
		w.close("RtrInf")
	}
	w.close("TxDtls")
}

// code writes an external code as Cd (up to 4 characters) or Prtry.
func (w *Writer) code(v string) {
	if utf8.RuneCountInString(v) <= 4 {
		w.leaf("Cd", v)
	} else {
		w.leaf("Prtry", v)
	}
}

// party writes a party of a transaction (Dbtr or Cdtr) and its account
// (DbtrAcct or CdtrAcct): the name at Nm (.02) or Pty/Nm (.08).
func (w *Writer) party(role string, p statement.Party) {
	if p.Name != "" {
		w.open(role)
		if w.v08 {
			w.open("Pty")
			w.leaf("Nm", p.Name)
			w.close("Pty")
		} else {
			w.leaf("Nm", p.Name)
		}
		w.close(role)
	}
	if p.Account != "" {
		w.open(role + "Acct")
		w.open("Id")
		if isIBAN(p.Account) {
			w.leaf("IBAN", p.Account)
		} else {
			w.open("Othr")
			w.leaf("Id", p.Account)
			w.close("Othr")
		}
		w.close("Id")
		w.close(role + "Acct")
	}
}

// isIBAN checks the schema's pattern [A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}.
func isIBAN(s string) bool {
	if len(s) < 5 || len(s) > 34 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i < 2 && (c < 'A' || c > 'Z'):
			return false
		case i >= 2 && i < 4 && (c < '0' || c > '9'):
			return false
		case i >= 4 && !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'):
			return false
		}
	}
	return true
}
