package cfonb

import (
	"fmt"
	"time"
)

// Record is one 160-character record: *LCRHeader, *LCRBill, *LCRTotal,
// *DebitHeader, *Debit, *DebitTotal, *TransferHeader, *Transfer,
// *TransferComplement or *TransferTotal.
type Record interface {
	// Code returns the code enregistrement, positions 1-2: "03", "06",
	// "07" or "08".
	Code() string
	// Op returns the code opération, positions 3-4.
	Op() Operation
	// MarshalRecord checks the record's content as the writers do (a
	// missing clé RIB excepted) and encodes it.
	MarshalRecord() ([RecordLen]byte, error)
	// Validate reports every problem of the record's content that would
	// stop a writer (a missing clé RIB excepted), each a *FieldError,
	// joined by errors.Join (see Flatten).
	Validate() error

	check(c *fieldErrs, keyRequired bool)
	encode(e encoder)
	decode(d decoder)
}

// marshal checks then encodes r; encoding only runs on content that passed
// the checks, so that one mistake is reported once.
func marshal(r Record, b *[RecordLen]byte, c *fieldErrs, keyRequired bool) {
	r.check(c, keyRequired)
	if len(c.errs) == 0 {
		e := encoder{b: b, fieldErrs: c}
		e.start(r.Code(), r.Op())
		r.encode(e)
	}
}

func validate(r Record) error {
	c := fieldErrs{code: r.Code()}
	r.check(&c, false)
	return c.err()
}

func marshalRecord(r Record) ([RecordLen]byte, error) {
	var b [RecordLen]byte
	c := fieldErrs{code: r.Code()}
	marshal(r, &b, &c, false)
	return b, c.err()
}

// ParseRecord decodes one record (160 bytes, no separator) and checks its
// content. One-digit years (JJMMA) are placed in the ten years around
// today; use a Reader with a Pivot to choose another reference.
func ParseRecord(rec []byte) (Record, error) {
	return parseRecord(rec, time.Time{}, 0)
}

func parseRecord(rec []byte, pivot time.Time, line int) (Record, error) {
	c := fieldErrs{line: line}
	if len(rec) != RecordLen {
		c.failRecord(fmt.Errorf("%w: %d characters, want %d", ErrLength, len(rec), RecordLen))
		return nil, c.err()
	}
	b := (*[RecordLen]byte)(rec)
	c.code = string(rec[0:2])
	op, ok := parseOp(b)
	if !ok {
		c.fail(zOperation, zOperation.str(b), ErrCode)
		if !isRecordCode(c.code) {
			c.fail(zRecordCode, c.code, ErrCode)
		}
		return nil, c.err()
	}
	r := newRecord(&c, op)
	if r == nil {
		return nil, c.err()
	}
	decodeRecord(r, b, &c, pivot)
	return r, c.err()
}

// newRecord returns an empty record of the type that the record code
// c.code and the operation name, or nil after reporting why there is none.
func newRecord(c *fieldErrs, op Operation) Record {
	kind := op.Kind()
	var r Record
	switch c.code {
	case "03":
		switch kind {
		case KindLCR:
			r = &LCRHeader{}
		case KindDebit:
			r = &DebitHeader{Operation: op}
		case KindTransfer:
			r = &TransferHeader{Operation: op}
		}
	case "06":
		switch kind {
		case KindLCR:
			r = &LCRBill{}
		case KindDebit:
			r = &Debit{Operation: op}
		case KindTransfer:
			r = &Transfer{Operation: op}
		}
	case "07":
		if kind != KindTransfer {
			c.failRecord(fmt.Errorf("%w: %s remises have no record 07", ErrCode, kind))
			return nil
		}
		r = &TransferComplement{Operation: op}
	case "08":
		switch kind {
		case KindLCR:
			r = &LCRTotal{}
		case KindDebit:
			r = &DebitTotal{Operation: op}
		case KindTransfer:
			r = &TransferTotal{Operation: op}
		}
	default:
		c.fail(zRecordCode, c.code, ErrCode)
	}
	return r
}

// decodeRecord reads every zone of r, then checks the content if the zones
// were well formed.
func decodeRecord(r Record, b *[RecordLen]byte, c *fieldErrs, pivot time.Time) {
	d := decoder{b: b, fieldErrs: c, pivot: pivot}
	n := len(c.errs)
	r.decode(d)
	m := len(c.errs)
	c.lenient = true
	r.check(c, false)
	for _, w := range c.warnings {
		if fe, ok := w.(*FieldError); ok && fe.From > 0 && fe.To <= RecordLen {
			fe.Value = string(b[fe.From-1 : fe.To])
		}
	}
	// A zone that could not be read is reported once: drop what the
	// content checks say about the zero value left in its place.
	kept := c.errs[:m]
	for _, err := range c.errs[m:] {
		if !sameZone(c.errs[n:m], err) {
			// The checks see decoded values: a reader shows the zone as
			// the file has it.
			if fe, ok := err.(*FieldError); ok && fe.From > 0 && fe.To <= RecordLen {
				fe.Value = string(b[fe.From-1 : fe.To])
			}
			kept = append(kept, err)
		}
	}
	c.errs = kept
}

func sameZone(errs []error, err error) bool {
	fe, ok := err.(*FieldError)
	if !ok || fe.Zone == "" {
		return false
	}
	for _, e := range errs {
		if f, ok := e.(*FieldError); ok && f.Zone == fe.Zone {
			return true
		}
	}
	return false
}

func isRecordCode(s string) bool { return s == "03" || s == "06" || s == "07" || s == "08" }

func parseOp(b *[RecordLen]byte) (Operation, bool) {
	s := zOperation.of(b)
	if !allDigits(string(s)) {
		return 0, false
	}
	op := Operation(get2(s))
	return op, op.Kind() != KindUnknown
}
