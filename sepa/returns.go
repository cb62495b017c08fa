package sepa

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/remit-dev/remit/sepa/internal/schema"
)

// ReturnFile is what a bank says back about direct debits: a payment status
// report (pain.002, rejects before settlement) or a debit notification
// (camt.054, returns, refunds and reversals after settlement).
type ReturnFile struct {
	Kind            string    // "pain.002" or "camt.054"
	Version         string    // message name, e.g. "pain.002.001.03"
	MsgID           string    // the bank's GrpHdr/MsgId
	CreatedAt       time.Time // GrpHdr/CreDtTm; times without offset are read as UTC
	OriginalMsgID   string    // pain.002: OrgnlGrpInfAndSts/OrgnlMsgId, the MsgId of our pain.008
	OriginalMsgName string    // pain.002: OrgnlMsgNmId, e.g. "pain.008.001.08"
	GroupStatus     string    // pain.002: GrpSts (RJCT, PART, ACCP…), "" when absent
	Items           []ReturnItem
}

// ReturnItem is one rejected or returned collection, or a whole rejected
// message or payment block.
//
// To apply a file, take the transaction items first (matched on
// EndToEndID, checked against MandateID and Amount), then the PaymentLevel
// items (every other transaction of OriginalPmtInfID) and the GroupLevel
// item (every other transaction of OriginalMsgID): a bank that rejects a
// whole block may or may not list its transactions.
type ReturnItem struct {
	OriginalMsgID    string // our pain.008 MsgId, when the bank says it
	OriginalPmtInfID string // our PmtInfId, when the bank says it
	EndToEndID       string // our EndToEndId; "" when the bank left it out (report it, do not guess)
	MandateID        string
	Amount           int64  // cents; 0 when absent
	Currency         string // of Amount, normally EUR
	Reason           string // ISO 20022 reason code (AC04, MD06…) or the bank's proprietary reason; see ReasonLabel
	AdditionalInfo   string // free text from the bank, lines joined by " / "
	// Date is the rejection date (pain.002: the report's CreDtTm) or the
	// booking date (camt.054: Ntry/BookgDt); zero if absent.
	Date         time.Time
	GroupLevel   bool // pain.002 GrpSts RJCT: every transaction of OriginalMsgID is rejected
	PaymentLevel bool // pain.002 PmtInfSts RJCT: every transaction of OriginalPmtInfID is rejected
	// Credit: a camt.054 credit with return information, a credit
	// transfer of ours (pain.001) the payee's bank returned: the money
	// came back. Otherwise a debit: a collection of ours returned.
	Credit bool
	Line   int // line of the element the item comes from
}

// Errors of ReadReturns, wrapped in a *ReturnsError that says where; test
// them with errors.Is.
var (
	ErrReturnsUnsupported = errors.New("unsupported document")
	ErrReturnsMalformed   = errors.New("malformed XML")
	ErrReturnsValue       = errors.New("invalid value")
)

// ReturnsError is a ReadReturns failure at a place in the file.
type ReturnsError struct {
	Line int
	Path string // element path, e.g. /Document/CstmrPmtStsRpt/GrpHdr/CreDtTm
	Err  error
}

func (e *ReturnsError) Error() string {
	var b strings.Builder
	b.WriteString("sepa: returns: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ReturnsError) Unwrap() error { return e.Err }

// returnsNamespaces are the documents ReadReturns understands.
var returnsNamespaces = map[string]struct{ kind, root string }{
	"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03": {"pain.002", "CstmrPmtStsRpt"},
	"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10": {"pain.002", "CstmrPmtStsRpt"},
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02": {"camt.054", "BkToCstmrDbtCdtNtfctn"},
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": {"camt.054", "BkToCstmrDbtCdtNtfctn"},
}

// ReadReturns reads a pain.002.001.03 or .10 status report, or a
// camt.054.001.02 or .08 debit notification, and lists the rejected or
// returned collections it reports. Accepted statuses (ACCP, ACSC, ACTC…)
// and entries that are not debits carrying return information are left
// out. The file is streamed: memory grows with the items, not the file.
//
// Errors are *ReturnsError values naming the line and element, wrapping
// ErrReturnsUnsupported, ErrReturnsMalformed or ErrReturnsValue; a failure
// of r itself is returned wrapped as it is.
func ReadReturns(r io.Reader) (*ReturnFile, error) {
	rd := &returnsReader{file: &ReturnFile{}, dec: schema.NewDecoder(r)}
	if err := rd.run(); err != nil {
		if rerr := rd.dec.ReadErr(); rerr != nil {
			return nil, fmt.Errorf("sepa: reading returns: %w", rerr)
		}
		return nil, err
	}
	return rd.file, nil
}

// returnsElem is an open element: its local name ("" for an element of
// another namespace), line and Ccy attribute.
type returnsElem = schema.Open

// returnsReason is a status or return reason with its free text.
type returnsReason struct {
	reason string
	info   []string
}

func (r *returnsReason) add(field, value string) {
	switch field {
	case "Cd", "Prtry":
		if r.reason == "" {
			r.reason = value
		}
	case "AddtlInf":
		r.info = append(r.info, strings.TrimSpace(value))
	}
}

// returnsAmount is an amount found in the file.
type returnsAmount struct {
	set    bool
	cents  int64
	ccy    string
	source int // preference: lower is better
}

func (a *returnsAmount) offer(cents int64, ccy string, source int) {
	if !a.set || source < a.source {
		*a = returnsAmount{true, cents, ccy, source}
	}
}

// returnsTx is the transaction being read: a TxInfAndSts or a TxDtls.
type returnsTx struct {
	line                 int
	status, dir          string
	returned             bool // camt.054: RtrInf present
	msgID, pmtInfID, e2e string
	mandate              string
	amount               returnsAmount
	reason               returnsReason
}

type returnsReader struct {
	dec   *schema.Decoder
	file  *ReturnFile
	ns    string
	stack []returnsElem
	text  []byte

	group     returnsReason
	groupLine int
	pmt       struct {
		id, status string
		line       int
		reason     returnsReason
		insertAt   int
	}
	entry struct {
		amount  returnsAmount
		dir     string
		date    time.Time
		txCount int
		pending []returnsTx
	}
	tx returnsTx
}

func (rd *returnsReader) line() int { return rd.dec.Line() }

func (rd *returnsReader) path() string { return schema.OpenPath(rd.stack) }

func (rd *returnsReader) errorf(line int, kind error, format string, args ...any) error {
	return &ReturnsError{Line: line, Path: rd.path(), Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}

// at reports whether the open elements end with names (the last one being
// the innermost).
func (rd *returnsReader) at(names ...string) bool {
	if len(names) > len(rd.stack) {
		return false
	}
	off := len(rd.stack) - len(names)
	for i, n := range names {
		if rd.stack[off+i].Name != n {
			return false
		}
	}
	return true
}

// within reports whether an element named name is open.
func (rd *returnsReader) within(name string) bool {
	for i := len(rd.stack) - 1; i >= 0; i-- {
		if rd.stack[i].Name == name {
			return true
		}
	}
	return false
}

func (rd *returnsReader) run() error {
	for {
		tok, err := rd.dec.Token()
		if err == io.EOF {
			if rd.ns == "" {
				return &ReturnsError{Line: 1, Err: fmt.Errorf("%w: no XML element found", ErrReturnsMalformed)}
			}
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return &ReturnsError{Line: se.Line, Path: rd.path(), Err: fmt.Errorf("%w: %s", ErrReturnsMalformed, se.Msg)}
			}
			if errors.Is(err, schema.ErrTooLarge) {
				return &ReturnsError{Line: rd.line(), Path: rd.path(), Err: fmt.Errorf("%w: %w", ErrReturnsMalformed, err)}
			}
			return &ReturnsError{Line: rd.line(), Path: rd.path(), Err: fmt.Errorf("%w: %v", ErrReturnsMalformed, err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := rd.start(t); err != nil {
				return err
			}
		case xml.CharData:
			if len(rd.text)+len(t) <= 1<<16 {
				rd.text = append(rd.text, t...)
			}
		case xml.EndElement:
			if err := rd.end(); err != nil {
				return err
			}
			rd.stack = rd.stack[:len(rd.stack)-1]
		}
	}
}

func (rd *returnsReader) start(t xml.StartElement) error {
	line := rd.line()
	rd.text = rd.text[:0]
	if len(rd.stack) == 0 {
		return rd.startDocument(t, line)
	}
	if schema.TooDeep(len(rd.stack)) {
		return &ReturnsError{Line: line, Err: fmt.Errorf("%w: %w", ErrReturnsMalformed, schema.ErrTooDeep)}
	}
	e := schema.NewOpen(t, rd.ns, line)
	rd.stack = append(rd.stack, e)
	if len(rd.stack) == 2 {
		if want := returnsNamespaces[rd.ns].root; e.Name != want {
			return rd.errorf(line, ErrReturnsUnsupported, "%s has %s where %s is expected", rd.file.Version, t.Name.Local, want)
		}
	}
	switch {
	case rd.at("OrgnlPmtInfAndSts"):
		rd.pmt.id, rd.pmt.status, rd.pmt.line, rd.pmt.reason = "", "", line, returnsReason{}
		rd.pmt.insertAt = len(rd.file.Items)
	case rd.at("OrgnlPmtInfAndSts", "TxInfAndSts"), rd.at("NtryDtls", "TxDtls"):
		rd.tx = returnsTx{line: line}
		rd.entry.txCount++
	case rd.at("Ntfctn", "Ntry"):
		rd.entry.amount, rd.entry.dir, rd.entry.date, rd.entry.txCount, rd.entry.pending = returnsAmount{}, "", time.Time{}, 0, nil
	case rd.at("TxDtls", "RtrInf"):
		rd.tx.returned = true
	}
	return nil
}

func (rd *returnsReader) startDocument(t xml.StartElement, line int) error {
	ns := t.Name.Space
	d, ok := returnsNamespaces[ns]
	if t.Name.Local != "Document" || !ok {
		hint := ""
		if strings.Contains(ns, "pain.008") {
			hint = " (this is a direct debit initiation; check it with remit verify)"
		}
		return &ReturnsError{Line: line, Path: "/" + t.Name.Local, Err: fmt.Errorf(
			"%w: %s; remit reads pain.002.001.03/.10 status reports and camt.054.001.02/.08 notifications%s", ErrReturnsUnsupported, schema.RootName(t.Name.Local, ns), hint)}
	}
	rd.ns = ns
	rd.file.Kind = d.kind
	rd.file.Version = strings.TrimPrefix(ns, "urn:iso:std:iso:20022:tech:xsd:")
	rd.stack = append(rd.stack, returnsElem{Name: "Document", Line: line})
	return nil
}

func (rd *returnsReader) end() error {
	e := rd.stack[len(rd.stack)-1]
	value := strings.TrimSpace(string(rd.text))
	rd.text = rd.text[:0]
	if e.Name == "" {
		return nil
	}
	if len(rd.stack) == 4 && rd.at("GrpHdr", "MsgId") {
		rd.file.MsgID = value
		return nil
	}
	if len(rd.stack) == 4 && rd.at("GrpHdr", "CreDtTm") {
		t, err := rd.dateTime(e, value)
		if err != nil {
			return err
		}
		rd.file.CreatedAt = t
		return nil
	}
	if rd.file.Kind == "pain.002" {
		return rd.endStatusReport(e, value)
	}
	return rd.endNotification(e, value)
}

// endStatusReport handles the end of an element of a pain.002.
func (rd *returnsReader) endStatusReport(e returnsElem, value string) error {
	f := rd.file
	switch {
	case rd.at("OrgnlGrpInfAndSts", "OrgnlMsgId"):
		f.OriginalMsgID = value
	case rd.at("OrgnlGrpInfAndSts", "OrgnlMsgNmId"):
		f.OriginalMsgName = value
	case rd.at("OrgnlGrpInfAndSts", "GrpSts"):
		f.GroupStatus, rd.groupLine = value, e.Line
	case rd.within("StsRsnInf") && rd.reasonField(e.Name):
		switch {
		case rd.within("TxInfAndSts"):
			rd.tx.reason.add(e.Name, value)
		case rd.within("OrgnlPmtInfAndSts"):
			rd.pmt.reason.add(e.Name, value)
		case rd.within("OrgnlGrpInfAndSts"):
			rd.group.add(e.Name, value)
		}
	case rd.at("OrgnlGrpInfAndSts"):
		if f.GroupStatus == "RJCT" {
			f.Items = append(f.Items, ReturnItem{
				OriginalMsgID:  f.OriginalMsgID,
				Reason:         rd.group.reason,
				AdditionalInfo: strings.Join(rd.group.info, " / "),
				Date:           f.CreatedAt,
				GroupLevel:     true,
				Line:           rd.groupLine,
			})
		}
	case rd.at("OrgnlPmtInfAndSts", "OrgnlPmtInfId"):
		rd.pmt.id = value
	case rd.at("OrgnlPmtInfAndSts", "PmtInfSts"):
		rd.pmt.status, rd.pmt.line = value, e.Line
	case rd.at("TxInfAndSts", "OrgnlEndToEndId"):
		rd.tx.e2e = value
	case rd.at("TxInfAndSts", "TxSts"):
		rd.tx.status = value
	case rd.at("OrgnlTxRef", "Amt", "InstdAmt"):
		c, err := rd.amount(e, value)
		if err != nil {
			return err
		}
		rd.tx.amount.offer(c, e.Ccy, 0)
	case e.Name == "MndtId" && rd.within("OrgnlTxRef") && rd.within("MndtRltdInf"):
		rd.tx.mandate = value
	case rd.at("OrgnlPmtInfAndSts", "TxInfAndSts"):
		status := rd.tx.status
		if status == "" {
			status = rd.pmt.status
		}
		if status == "" {
			status = f.GroupStatus
		}
		if status == "RJCT" {
			reason := rd.tx.reason
			if reason.reason == "" {
				reason = rd.pmt.reason
			}
			if reason.reason == "" {
				reason = rd.group
			}
			f.Items = append(f.Items, ReturnItem{
				OriginalMsgID:    f.OriginalMsgID,
				OriginalPmtInfID: rd.pmt.id,
				EndToEndID:       rd.tx.e2e,
				MandateID:        rd.tx.mandate,
				Amount:           rd.tx.amount.cents,
				Currency:         rd.tx.amount.ccy,
				Reason:           reason.reason,
				AdditionalInfo:   strings.Join(reason.info, " / "),
				Date:             f.CreatedAt,
				Line:             rd.tx.line,
			})
		}
	case rd.at("CstmrPmtStsRpt", "OrgnlPmtInfAndSts"):
		if rd.pmt.status == "RJCT" {
			item := ReturnItem{
				OriginalMsgID:    f.OriginalMsgID,
				OriginalPmtInfID: rd.pmt.id,
				Reason:           rd.pmt.reason.reason,
				AdditionalInfo:   strings.Join(rd.pmt.reason.info, " / "),
				Date:             f.CreatedAt,
				PaymentLevel:     true,
				Line:             rd.pmt.line,
			}
			if item.Reason == "" {
				item.Reason, item.AdditionalInfo = rd.group.reason, strings.Join(rd.group.info, " / ")
			}
			at := min(rd.pmt.insertAt, len(f.Items))
			f.Items = append(f.Items[:at], append([]ReturnItem{item}, f.Items[at:]...)...)
		}
	}
	return nil
}

// reasonField reports whether the element just closed is a reason code or
// text of a StsRsnInf (directly under Rsn, or its AddtlInf).
func (rd *returnsReader) reasonField(name string) bool {
	switch name {
	case "Cd", "Prtry":
		return rd.at("StsRsnInf", "Rsn", name)
	case "AddtlInf":
		return rd.at("StsRsnInf", "AddtlInf")
	}
	return false
}

// endNotification handles the end of an element of a camt.054.
func (rd *returnsReader) endNotification(e returnsElem, value string) error {
	f := rd.file
	switch {
	case rd.at("Ntry", "Amt"):
		c, err := rd.amount(e, value)
		if err != nil {
			return err
		}
		rd.entry.amount.offer(c, e.Ccy, 0)
	case rd.at("Ntry", "CdtDbtInd"):
		rd.entry.dir = value
	case rd.at("Ntry", "BookgDt", "Dt"):
		t, err := rd.date(e, value)
		if err != nil {
			return err
		}
		rd.entry.date = t
	case rd.at("Ntry", "BookgDt", "DtTm"):
		t, err := rd.dateTime(e, value)
		if err != nil {
			return err
		}
		rd.entry.date = t
	case rd.at("TxDtls", "Refs", "MsgId"):
		rd.tx.msgID = value
	case rd.at("TxDtls", "Refs", "PmtInfId"):
		rd.tx.pmtInfID = value
	case rd.at("TxDtls", "Refs", "EndToEndId"):
		rd.tx.e2e = value
	case rd.at("TxDtls", "Refs", "MndtId"):
		rd.tx.mandate = value
	case rd.at("TxDtls", "CdtDbtInd"):
		rd.tx.dir = value
	case rd.at("TxDtls", "Amt"), rd.at("TxDtls", "AmtDtls", "InstdAmt", "Amt"), rd.at("TxDtls", "AmtDtls", "TxAmt", "Amt"):
		c, err := rd.amount(e, value)
		if err != nil {
			return err
		}
		// The instructed amount is the one our collection carried; the
		// transaction amount may differ by charges or conversion.
		source := 3
		switch {
		case rd.at("InstdAmt", "Amt"):
			source = 1
		case rd.at("TxDtls", "Amt"):
			source = 2
		}
		rd.tx.amount.offer(c, e.Ccy, source)
	case rd.at("TxDtls", "RtrInf", "Rsn", "Cd"), rd.at("TxDtls", "RtrInf", "Rsn", "Prtry"), rd.at("TxDtls", "RtrInf", "AddtlInf"):
		rd.tx.reason.add(e.Name, value)
	case rd.at("NtryDtls", "TxDtls"):
		if rd.tx.returned {
			rd.entry.pending = append(rd.entry.pending, rd.tx)
		}
	case rd.at("Ntfctn", "Ntry"):
		for _, tx := range rd.entry.pending {
			dir := tx.dir
			if dir == "" {
				dir = rd.entry.dir
			}
			credit := dir == "CRDT"
			if dir != "DBIT" && !credit {
				continue // a returned collection debits the creditor's account, a returned transfer credits the payer's
			}
			amount := tx.amount
			if !amount.set && rd.entry.txCount == 1 {
				amount = rd.entry.amount
			}
			f.Items = append(f.Items, ReturnItem{
				OriginalMsgID:    tx.msgID,
				OriginalPmtInfID: tx.pmtInfID,
				EndToEndID:       tx.e2e,
				MandateID:        tx.mandate,
				Amount:           amount.cents,
				Currency:         amount.ccy,
				Reason:           tx.reason.reason,
				AdditionalInfo:   strings.Join(tx.reason.info, " / "),
				Date:             rd.entry.date,
				Credit:           credit,
				Line:             tx.line,
			})
		}
		rd.entry.pending = nil
	}
	return nil
}

// amount parses a decimal amount into cents.
func (rd *returnsReader) amount(e returnsElem, value string) (int64, error) {
	d, ok := schema.ParseDecimal(value)
	if !ok {
		return 0, rd.errorf(e.Line, ErrReturnsValue, "amount %q is not a decimal number", value)
	}
	c, ok := d.Cents()
	if !ok || c < 0 {
		return 0, rd.errorf(e.Line, ErrReturnsValue, "amount %q is not a positive amount with at most 2 decimals", value)
	}
	return c, nil
}

func (rd *returnsReader) date(e returnsElem, value string) (time.Time, error) {
	y, m, d, ok := schema.ParseDate(value)
	if !ok {
		return time.Time{}, rd.errorf(e.Line, ErrReturnsValue, "date %q is not YYYY-MM-DD", value)
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func (rd *returnsReader) dateTime(e returnsElem, value string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, rd.errorf(e.Line, ErrReturnsValue, "date and time %q is not YYYY-MM-DDThh:mm:ss", value)
}
