package cfonb120

import (
	"bufio"
	"fmt"
	"io"
	"sort"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/statement"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// EOL is the record separator, written after every record, the last
	// one included: cfonb.CRLF (the zero value), cfonb.LF or cfonb.None.
	EOL cfonb.EOL
}

// Writer writes statements as CFONB 120 records. Errors are sticky: after
// one, every call returns it.
type Writer struct {
	bw    *bufio.Writer
	eol   string
	lines int // records written
	n     int // statements written
	err   error
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer, opts WriterOptions) *Writer {
	eol := "\r\n"
	switch opts.EOL {
	case cfonb.LF:
		eol = "\n"
	case cfonb.None:
		eol = ""
	}
	return &Writer{bw: bufio.NewWriterSize(w, 64<<10), eol: eol}
}

// Write writes one statement: its ancien solde 01, each entry as a
// movement 04 followed by its complements 05, and a nouveau solde 07 whose
// amount the writer computes from the ancien solde and the movements.
//
// The account is s.Account's Bank, Branch and Number, or those of a French
// IBAN when they are empty. Every amount is written with 2 decimals, or
// with fewer when an amount needs the room (the reader gives cents back
// either way). A detail's fields become the records 05 NPY, CPY, NBE, CBE,
// LCC, LC2, LCS, RCN, RUM and REF, in that order, then come Info as LIB
// and Extra as they are (CFONB120.md §7.1).
//
// Write refuses, writing nothing, a statement whose Closing.Amount is not
// the opening balance plus the movements (statement.ErrUnbalanced), and
// one holding what CFONB 120 cannot carry (ErrNotWritable): an entry that
// is not booked, with several details, a batch, an ISO bank transaction
// code, a bank reference; text longer than its zone, or outside printable
// Latin-1. The problems are *cfonb.FieldError values naming the line the
// record would have had.
func (w *Writer) Write(s *statement.Statement) error {
	if w.err != nil {
		return w.err
	}
	recs, errs := w.records(s)
	line := w.lines
	var bufs [][RecordLen]byte
	for _, r := range recs {
		line++
		b, err := r.MarshalRecord()
		for _, e := range cfonb.Flatten(err) {
			if fe, ok := e.(*cfonb.FieldError); ok {
				fe.Line = line
			}
			errs = append(errs, e)
		}
		bufs = append(bufs, b)
	}
	sort.SliceStable(errs, func(i, j int) bool { return lineOf(errs[i]) < lineOf(errs[j]) })
	if err := joinErrors(errs); err != nil {
		w.err = err
		return err
	}
	for i := range bufs {
		w.bw.Write(bufs[i][:])
		if _, err := w.bw.WriteString(w.eol); err != nil {
			w.err = err
			return err
		}
	}
	w.lines = line
	w.n++
	return nil
}

// records builds the records of s, and the reasons it cannot be written;
// the records' own checks come when they are encoded.
func (w *Writer) records(s *statement.Statement) ([]Record, []error) {
	c := fieldErrs{line: w.lines + 1, code: "01"}
	acct := Account{Bank: s.Account.Bank, Branch: s.Account.Branch, Number: s.Account.Number, Currency: s.Currency}
	if acct.Bank == "" && acct.Branch == "" && acct.Number == "" {
		iban := ident.NormalizeIBAN(s.Account.IBAN)
		if len(iban) < 2 || iban[:2] != "FR" && iban[:2] != "MC" || ident.ValidateIBAN(iban) != nil {
			c.fail(zNumber, s.Account.IBAN, fmt.Errorf("%w: no code banque, guichet and numéro de compte, and no valid French IBAN to take them from", cfonb.ErrRequired))
			return nil, c.errs
		}
		rib := ident.RIBFromIBAN(iban)
		acct.Bank, acct.Branch, acct.Number = rib.Bank, rib.Branch, rib.Account
	}
	// Every entry counts: one that is not booked is refused below (an
	// empty status is taken for BOOK, the only one CFONB 120 has).
	var sum int64
	ok := true
	for i := range s.Entries {
		if sum, ok = statement.Add(sum, s.Entries[i].Amount); !ok {
			break
		}
	}
	closing, ok2 := statement.Add(s.Opening.Amount, sum)
	if !ok || !ok2 {
		c.failRecord(statement.ErrOverflow)
		return nil, c.errs
	}
	acct.Decimals = decimalsFor(s, closing)

	recs := []Record{&OldBalance{Account: acct, Date: s.Opening.Date, Amount: s.Opening.Amount}}
	line := w.lines + 1
	var errs []error
	for i := range s.Entries {
		e := &s.Entries[i]
		line++
		c := fieldErrs{line: line, code: "04"}
		checkWritable(e, &c)
		m := &Movement{
			Account: acct, Internal: e.Code.Internal, OpCode: e.Code.Proprietary,
			Date: e.BookingDate, RejectReason: e.ReturnReason, ValueDate: e.ValueDate,
			Label: e.Label, Number: e.Number, Amount: e.Amount, Reference: e.Ref,
		}
		comps := complementsOf(e, &c)
		errs = append(errs, c.errs...)
		recs = append(recs, m)
		for _, k := range comps {
			line++
			recs = append(recs, &Complement{Account: acct, Internal: m.Internal, OpCode: m.OpCode, Date: m.Date, Qualifier: k.Qualifier, Info: k.Text})
		}
	}
	if closing != s.Closing.Amount {
		c := fieldErrs{line: line + 1, code: "07"}
		c.fail(zNewAmount, statement.Format(s.Closing.Amount), fmt.Errorf("%w: opening balance %s + movements %s = %s",
			statement.ErrUnbalanced, statement.Format(s.Opening.Amount), statement.Format(sum), statement.Format(closing)))
		errs = append(errs, c.errs...)
	}
	return append(recs, &NewBalance{Account: acct, Date: s.Closing.Date, Amount: closing}), errs
}

// checkWritable reports what an entry holds that CFONB 120 cannot carry.
func checkWritable(e *statement.Entry, c *fieldErrs) {
	no := func(what string) { c.failRecord(fmt.Errorf("%w: %s", ErrNotWritable, what)) }
	if e.Status != statement.StatusBook && e.Status != "" {
		no(fmt.Sprintf("status %s (a relevé lists booked entries)", e.Status))
	}
	if e.BankRef != "" {
		no(fmt.Sprintf("bank reference %q", e.BankRef))
	}
	if e.Reversal {
		no("reversal indicator")
	}
	if e.Batch != (statement.Batch{}) {
		no("batch booking")
	}
	if e.Code.Domain != "" || e.Code.Family != "" || e.Code.SubFamily != "" {
		no(fmt.Sprintf("ISO bank transaction code %s/%s/%s", e.Code.Domain, e.Code.Family, e.Code.SubFamily))
	}
	if e.Code.Issuer != "" && e.Code.Issuer != statement.IssuerCFONB {
		no(fmt.Sprintf("proprietary code %q of issuer %q", e.Code.Proprietary, e.Code.Issuer))
	}
}

// decimalsFor returns the number of decimals the statement's amounts are
// written with: 2, or fewer when an amount would not fit 14 digits with 2
// and every amount is a whole number of tenths or units.
func decimalsFor(s *statement.Statement, closing int64) int {
	fits := func(d int) bool {
		ok := func(v int64) bool {
			u, exact := fromCents(v, d)
			return exact && u <= maxUnits && u >= -maxUnits
		}
		if !ok(s.Opening.Amount) || !ok(closing) {
			return false
		}
		for i := range s.Entries {
			if !ok(s.Entries[i].Amount) {
				return false
			}
		}
		return true
	}
	for d := 2; d > 0; d-- {
		if fits(d) {
			return d
		}
	}
	return 0
}

// Close flushes what was written; a file must hold a statement. After an
// error it flushes the statements written before it, to show where it
// stopped, and returns the error.
func (w *Writer) Close() error {
	if w.err != nil {
		w.bw.Flush()
		return w.err
	}
	if w.n == 0 {
		w.err = fmt.Errorf("cfonb120: no statement written: %w", cfonb.ErrEmpty)
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

func lineOf(err error) int {
	if fe, ok := err.(*cfonb.FieldError); ok {
		return fe.Line
	}
	return 0
}
