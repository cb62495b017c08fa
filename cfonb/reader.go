package cfonb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Reader reads the records of a CFONB 160 file one at a time, checking
// each record and the order of the records as it goes. The separator,
// CRLF, LF or none (records back to back), is the one of the first record;
// another one later is an error.
//
// A file holds one or more remises, each a header 03, its details 06 (for
// virements, each optionally followed by 07 records) and a total 08. The
// Reader checks the numbering of LCR records, that the operation and
// numéro d'émetteur of every record are the header's, and that each total
// is the sum of its details.
type Reader struct {
	// Pivot places the one-digit years (JJMMA) of virement and prélèvement
	// dates: a date falls in the ten years from Pivot's year - 5 to
	// Pivot's year + 4. The zero value means today.
	Pivot time.Time

	br      *bufio.Reader
	eol     EOL
	started bool // separator detected
	done    bool
	line    int
	rec     [RecordLen]byte
	long    int // length of a record too long for the buffer
	summary Summary

	// The remise being read.
	open    bool
	op      Operation // 0 when its header could not be read
	emitter string
	start   int    // line of its header
	next    int    // number the next LCR record must carry
	last    string // code of the previous record
	sumOK   bool   // the sum of the details can be compared with the total
	unread  int    // details whose amount could not be read: at least 1 cent each
	unsure  bool   // records of an unknown kind, perhaps details
	guessed int    // line of the first detail of a wrong length whose amount was read at its place
	cur     *RemiseSummary

	warnings []error // of the record Next returned last
}

// Summary describes a file read by a Reader or by Verify.
type Summary struct {
	Kind      Kind      // of the first remise
	Operation Operation // of the first remise
	EOL       EOL       // record separator
	Records   int       // records (lines) read, bad ones included
	Details   int       // detail records (06) of all the remises
	Total     int64     // sum in cents of the details' amounts
	Remises   []RemiseSummary
	// Warnings (filled by Verify only) are what banks accept though a
	// writer must not write it, each a *FieldError: the file is sound.
	Warnings []error
}

// RemiseSummary describes one remise of a file: what its header announced
// and what its details add up to (not what its total record says).
type RemiseSummary struct {
	Line      int // line of the header 03
	Kind      Kind
	Operation Operation
	Details   int   // detail records (06)
	Total     int64 // sum in cents of the details' amounts
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Line returns the line of the last record returned by Next (its rank in a
// file without separators).
func (r *Reader) Line() int { return r.line }

// Warnings returns what is wrong in the record Next returned last but
// banks accept (a date de valeur filled on an encaissement), each a
// *FieldError: the file is still sound.
func (r *Reader) Warnings() []error { return r.warnings }

// Summary returns what was read so far.
func (r *Reader) Summary() Summary {
	s := r.summary
	s.Remises = append([]RemiseSummary(nil), r.summary.Remises...)
	for _, m := range s.Remises {
		s.Details += m.Details
		s.Total += m.Total
	}
	if len(s.Remises) > 0 {
		s.Kind, s.Operation = s.Remises[0].Kind, s.Remises[0].Operation
	}
	s.EOL = r.eol
	return s
}

// Next returns the next record and its problems, io.EOF after the last
// one. When a record has problems Next returns it, as far as it could be
// read, with an error: a *FieldError, or several joined by errors.Join
// (see Flatten); reading can go on. The Record is nil when the record
// could not be typed (wrong length, unknown record or operation code).
// When the file cannot be read further (an I/O error, a record cut short
// in a file without separators), Next returns that error with a nil Record,
// then io.EOF. At the end of the input, an unfinished remise or an empty
// file is reported before io.EOF.
func (r *Reader) Next() (Record, error) {
	r.warnings = nil
	if r.done {
		return nil, io.EOF
	}
	raw, n, errs, fatal := r.readRecord()
	if fatal {
		r.done = true
		return nil, joinErrors(errs)
	}
	if raw == nil && errs == nil {
		r.done = true
		r.line--
		return nil, r.end()
	}
	r.summary.Records++
	if n != RecordLen {
		c := fieldErrs{line: r.line, errs: errs}
		if len(raw) >= 2 && isRecordCode(string(raw[:2])) {
			c.code = string(raw[:2])
		}
		c.failRecord(fmt.Errorf("%w: %d characters, want %d", ErrLength, n, RecordLen))
		r.sequence(&c, nil, nil)
		if c.code == "06" && r.open {
			r.countShort(raw)
		}
		return nil, c.err()
	}
	copy(r.rec[:], raw)
	c := fieldErrs{line: r.line, code: string(r.rec[:2]), errs: errs}
	op, ok := parseOp(&r.rec)
	if !ok {
		c.fail(zOperation, zOperation.str(&r.rec), ErrCode)
	}
	// A detail or total is read as a record of its remise, whatever its
	// own operation code says: a wrong code is then one problem, reported
	// by sequence, and not a cascade of zones read with the wrong layout.
	if r.open && r.op != 0 && c.code != "03" {
		op, ok = r.op, true
	}
	var rec Record
	if ok {
		rec = newRecord(&c, op)
	} else if !isRecordCode(c.code) {
		c.fail(zRecordCode, c.code, ErrCode)
	}
	if rec != nil {
		decodeRecord(rec, &r.rec, &c, r.Pivot)
	}
	r.sequence(&c, rec, &r.rec)
	r.warnings = c.warnings
	return rec, c.err()
}

// countShort counts the amount of a detail of a wrong length (a blank cut
// off the end, one too many), read at its place when the record reaches
// it, so that one such record does not hide a wrong total. sequence has
// counted it as unread.
func (r *Reader) countShort(raw []byte) {
	var z zone
	switch r.op.Kind() {
	case KindLCR:
		z = lcrBillAmount
	case KindDebit, KindTransfer:
		z = natDetailAmount
	default:
		return
	}
	if len(raw) < z.to {
		return
	}
	v := raw[z.from-1 : z.to]
	var amount int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return
		}
		amount = amount*10 + int64(c-'0')
	}
	if amount < 1 || amount > math.MaxInt64-r.cur.Total {
		return
	}
	r.unread--
	r.cur.Total += amount
	if r.guessed == 0 {
		r.guessed = r.line
	}
}

// readRecord returns the next record without its separator and its
// length, nil at the end of the input; raw is only a prefix of a record
// too long to keep. errs are problems that do not stop the reading (a
// separator other than the file's); fatal ones do.
func (r *Reader) readRecord() (raw []byte, n int, errs []error, fatal bool) {
	raw, errs, fatal = r.readRaw()
	n = len(raw)
	if r.long > 0 {
		n, r.long = r.long, 0
	}
	return raw, n, errs, fatal
}

func (r *Reader) readRaw() (raw []byte, errs []error, fatal bool) {
	if !r.started {
		r.started = true
		if err := r.detect(); err != nil {
			return nil, []error{err}, true
		}
	}
	r.line++
	if r.eol == None {
		n, err := io.ReadFull(r.br, r.rec[:])
		switch {
		case n == 0 && err == io.EOF:
			return nil, nil, false
		case err != nil && err != io.ErrUnexpectedEOF:
			return nil, []error{fmt.Errorf("line %d: %w", r.line, err)}, true
		}
		raw = r.rec[:n]
		if i := bytes.IndexAny(raw, "\r\n"); i >= 0 {
			return nil, []error{&FieldError{Line: r.line, Err: fmt.Errorf("%w: line break at position %d in a file without separators", ErrSeparator, i+1)}}, true
		}
		if n < RecordLen {
			return nil, []error{&FieldError{Line: r.line, Err: fmt.Errorf("%w: %d characters at the end of the file, want %d", ErrLength, n, RecordLen)}}, true
		}
		return raw, nil, false
	}

	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		copy(r.rec[:2], line) // for the record code in the message
		n := len(line)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			n += len(line)
		}
		if err != nil && err != io.EOF {
			return nil, []error{fmt.Errorf("line %d: %w", r.line, err)}, true
		}
		// Too long to keep: report its length only.
		r.long = n - len(lineEnd(line))
		return r.rec[:2], nil, false
	}
	if err != nil && err != io.EOF {
		return nil, []error{fmt.Errorf("line %d: %w", r.line, err)}, true
	}
	if len(line) == 0 {
		return nil, nil, false
	}
	end := lineEnd(line)
	line = line[:len(line)-len(end)]
	switch {
	case end == "": // the last record may go without a separator
	case end != r.eol.bytes():
		errs = append(errs, &FieldError{Line: r.line, Err: fmt.Errorf("%w: %s after this record, %s after the first one", ErrSeparator, eolName(end), strings.ToUpper(r.eol.String()))})
	}
	return line, errs, false
}

// detect decides the file's separator from the first line break, if any
// in the buffer's worth of data: records back to back have none. A first
// break after a whole number of records (320, 480…) is taken for a stray
// one in a file without separators.
func (r *Reader) detect() error {
	peek, err := r.br.Peek(r.br.Size())
	if err != nil && err != io.EOF {
		return fmt.Errorf("line 1: %w", err)
	}
	i := bytes.IndexAny(peek, "\r\n")
	switch {
	case i < 0 || i > RecordLen && i%RecordLen == 0:
		r.eol = None
	case peek[i] == '\n':
		r.eol = LF
	case i+1 < len(peek) && peek[i+1] == '\n':
		r.eol = CRLF
	default:
		return &FieldError{Line: 1, Err: fmt.Errorf("%w: a carriage return alone (CR) is not a record separator", ErrSeparator)}
	}
	return nil
}

func lineEnd(line []byte) string {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return "\r\n"
	case bytes.HasSuffix(line, []byte("\n")):
		return "\n"
	}
	return ""
}

func eolName(s string) string {
	if s == "\r\n" {
		return "CRLF"
	}
	return "LF"
}

// sequence checks the record's place in its remise and keeps the remise's
// count and sum. rec and b are nil when the record could not be read.
func (r *Reader) sequence(c *fieldErrs, rec Record, b *[RecordLen]byte) {
	var op Operation
	opOK := false
	if b != nil {
		op, opOK = parseOp(b)
	}
	code := c.code
	switch code {
	case "03":
		if r.open {
			c.failRecord(fmt.Errorf("%w: header 03 before the total 08 of the remise started at line %d", ErrOrder, r.start))
		}
		r.open, r.op, r.emitter, r.start, r.next, r.sumOK = true, 0, "", r.line, 1, true
		r.unread, r.unsure, r.guessed = 0, false, 0
		if opOK {
			r.op = op
		}
		r.summary.Remises = append(r.summary.Remises, RemiseSummary{Line: r.line, Kind: r.op.Kind(), Operation: r.op})
		r.cur = &r.summary.Remises[len(r.summary.Remises)-1]
	case "06", "07", "08":
		switch {
		case !r.open:
			c.failRecord(fmt.Errorf("%w: record %s before any header 03", ErrOrder, code))
		case code == "07" && r.last != "06" && r.last != "07":
			c.failRecord(fmt.Errorf("%w: record 07 after a record %s, want it after a 06", ErrOrder, r.last))
		case opOK && r.op == 0:
			r.op = op // the header's was unreadable
			r.cur.Kind, r.cur.Operation = op.Kind(), op
		case opOK && op != r.op:
			c.fail(zOperation, op.String(), fmt.Errorf("%w: the remise's operation is %s", ErrMismatch, r.op))
		}
	default:
		if r.open {
			r.next++ // keep the numbering of the records that follow
			r.unsure = true
		}
		return
	}
	r.last = code

	if !r.open {
		return
	}
	if rec == nil && code == "07" && r.op.Kind() != KindTransfer {
		r.unsure = true // a 07 where there is none: perhaps a mistyped detail
	}
	r.checkNumber(c, rec)
	r.checkEmitter(c, rec)
	switch code {
	case "06":
		r.cur.Details++
		amount, ok := detailAmount(rec)
		// An amount that was read counts, even one the checks refuse (zero):
		// the total is still compared.
		switch {
		case !ok || zoneUnread(c.errs, "montant"):
			r.unread++
		case amount > math.MaxInt64-r.cur.Total:
			r.sumOK = false
		default:
			r.cur.Total += amount
		}
	case "08":
		r.checkTotal(c, rec)
		r.open = false
	}
}

// checkNumber checks the numéro d'enregistrement of LCR records: 1 for the
// header, then +1 for each record. After a wrong number the count goes on
// from it, so that one missing record is reported once.
func (r *Reader) checkNumber(c *fieldErrs, rec Record) {
	var seq int
	var z zone
	switch v := rec.(type) {
	case *LCRHeader:
		seq, z = v.Seq, lcrHeaderSeq
	case *LCRBill:
		seq, z = v.Seq, lcrBillSeq
	case *LCRTotal:
		seq, z = v.Seq, lcrTotalSeq
	default:
		r.next++
		return
	}
	if zoneFailed(c.errs, z.name) {
		r.next++
		return
	}
	if seq != r.next {
		c.fail(z, fmt.Sprintf("%08d", seq), fmt.Errorf("%w: want %08d", ErrNumbering, r.next))
	}
	r.next = seq + 1
}

// checkEmitter checks that the details and total of a virement or
// prélèvement carry the header's numéro d'émetteur.
func (r *Reader) checkEmitter(c *fieldErrs, rec Record) {
	var e string
	switch v := rec.(type) {
	case *DebitHeader:
		r.emitter = v.Emitter
		return
	case *TransferHeader:
		r.emitter = v.Emitter
		return
	case *Debit:
		e = v.Emitter
	case *DebitTotal:
		e = v.Emitter
	case *Transfer:
		e = v.Emitter
	case *TransferComplement:
		e = v.Emitter
	case *TransferTotal:
		e = v.Emitter
	default:
		return
	}
	if e != r.emitter && !zoneFailed(c.errs, natEmitter.name) {
		c.fail(natEmitter, e, fmt.Errorf("%w: want %q", ErrMismatch, r.emitter))
	}
}

// checkTotal compares the total record with the sum of the details read.
func (r *Reader) checkTotal(c *fieldErrs, rec Record) {
	var amount int64
	var z zone
	switch v := rec.(type) {
	case *LCRTotal:
		amount, z = v.Amount, lcrTotalAmount
	case *DebitTotal:
		amount, z = v.Amount, natTotalAmount
	case *TransferTotal:
		amount, z = v.Amount, natTotalAmount
	default:
		return
	}
	if !r.sumOK || zoneFailed(c.errs, z.name) {
		return
	}
	v := make([]byte, z.len())
	putUint(v, uint64(amount))
	switch {
	case r.unread == 0 && !r.unsure && amount != r.cur.Total:
		msg := fmt.Sprintf("their sum is %d", r.cur.Total)
		if r.guessed > 0 {
			msg += fmt.Sprintf(" (with the amount of the record of a wrong length at line %d read at its place)", r.guessed)
		}
		c.fail(z, string(v), fmt.Errorf("%w: %s", ErrTotal, msg))
	case r.unread > 0 && amount < r.cur.Total+int64(r.unread):
		// Every detail is at least 1 cent, even those that could not be read.
		c.fail(z, string(v), fmt.Errorf("%w: the details read add up to %d and %d more could not be read", ErrTotal, r.cur.Total, r.unread))
	}
}

func detailAmount(rec Record) (int64, bool) {
	switch v := rec.(type) {
	case *LCRBill:
		return v.Amount, true
	case *Debit:
		return v.Amount, true
	case *Transfer:
		return v.Amount, true
	}
	return 0, false
}

func zoneFailed(errs []error, name string) bool {
	for _, err := range errs {
		var fe *FieldError
		if errors.As(err, &fe) && fe.Zone == name {
			return true
		}
	}
	return false
}

// zoneUnread says whether zone name could not be read as a number.
func zoneUnread(errs []error, name string) bool {
	for _, err := range errs {
		var fe *FieldError
		if errors.As(err, &fe) && fe.Zone == name && errors.Is(fe.Err, ErrNotNumber) {
			return true
		}
	}
	return false
}

// end reports, at the end of the input, an empty file or an unfinished
// remise.
func (r *Reader) end() error {
	switch {
	case r.summary.Records == 0:
		return fmt.Errorf("cfonb: empty file: %w", ErrEmpty)
	case r.open:
		r.open = false
		return &FieldError{Line: r.line + 1, Err: fmt.Errorf("%w of the remise started at line %d", ErrMissingTotal, r.start)}
	}
	return io.EOF
}
