package cfonb120

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/statement"
)

// Reasons of the reader besides those of package cfonb.
var (
	// ErrMissingNewBalance: a statement without its record 07 (a new 01,
	// or the end of the file, came first).
	ErrMissingNewBalance = errors.New("no nouveau solde (record 07)")
)

// MaxProblems is the number of problems kept for one statement (and by
// ReadAll for a file); the others are counted.
const MaxProblems = 1000

// Reader reads the statements of a CFONB 120 file one at a time. A file
// holds one or more statements (relevés), of one or several accounts, each
// an ancien solde 01, movements 04 each followed by its complements 05, and
// a nouveau solde 07.
//
// Every record is checked zone by zone; within a statement the Reader
// checks the order of the records, that every record names the account,
// currency and number of decimals of the 01, and that the ancien solde
// plus the movements is the nouveau solde. Dates are JJMMAA with years
// 2000-2099.
type Reader struct {
	lines   lineReader
	done    bool
	records int
	pending *rawRecord // a 01 read while another statement was open

	cur     *builder
	orphans []error                  // problems of records outside any statement
	closing map[string]lastStatement // per account, the last statement read
}

type lastStatement struct {
	line   int
	amount int64
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{lines: lineReader{br: bufio.NewReaderSize(r, 64<<10)}, closing: map[string]lastStatement{}}
}

// Next returns the next statement and its problems, io.EOF after the last
// one. A statement with problems comes with an error, a *cfonb.FieldError
// or several joined by errors.Join (see cfonb.Flatten), and must not be
// used; reading can go on. Problems outside any statement (a 04 before the
// first 01…) come with a nil statement. When the file cannot be read
// further, Next returns that error, then io.EOF.
func (r *Reader) Next() (*statement.Statement, error) {
	for !r.done {
		raw, err := r.nextRaw()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			r.done = true
			if r.cur != nil {
				st, serr := r.cur.fail(err)
				r.cur = nil
				return st, serr
			}
			return nil, err
		}
		if st, ok, err := r.add(raw); ok {
			return st, err
		}
	}
	switch {
	case r.cur != nil:
		b := r.cur
		r.cur = nil
		return b.fail(&cfonb.FieldError{Line: r.lines.line + 1, Err: fmt.Errorf(
			"%w: end of file in the statement started at line %d", ErrMissingNewBalance, b.st.Line)})
	case len(r.orphans) > 0:
		return nil, r.takeOrphans()
	case r.records == 0:
		r.records = -1
		return nil, fmt.Errorf("cfonb120: empty file: %w", cfonb.ErrEmpty)
	}
	return nil, io.EOF
}

func (r *Reader) nextRaw() (rawRecord, error) {
	if r.pending != nil {
		raw := *r.pending
		r.pending = nil
		return raw, nil
	}
	raw, err := r.lines.next()
	if err == nil {
		r.records++
	}
	return raw, err
}

// add takes one record; ok is true when a statement (or a batch of
// problems) is ready to be returned.
func (r *Reader) add(raw rawRecord) (st *statement.Statement, ok bool, err error) {
	c := fieldErrs{line: raw.line, errs: raw.errs}
	var rec Record
	if raw.rec != nil {
		var perr error
		rec, perr = parseRecord(raw.rec, raw.line)
		c.errs = append(c.errs, cfonb.Flatten(perr)...)
		if len(raw.rec) >= 2 {
			c.code = string(raw.rec[:2])
		}
	}
	if _, opens := rec.(*OldBalance); opens || (rec == nil && c.code == "01") {
		switch {
		case r.cur != nil:
			b := r.cur
			r.cur = nil
			r.pending = &rawRecord{line: raw.line, rec: append([]byte(nil), raw.rec...), errs: raw.errs}
			st, err := b.fail(&cfonb.FieldError{Line: raw.line, Record: "01", Err: fmt.Errorf(
				"%w: a new ancien solde 01 before the nouveau solde 07 of the statement started at line %d", ErrMissingNewBalance, b.st.Line)})
			return st, true, err
		case len(r.orphans) > 0:
			r.pending = &rawRecord{line: raw.line, rec: append([]byte(nil), raw.rec...), errs: raw.errs}
			return nil, true, r.takeOrphans()
		}
		r.cur = newBuilder(raw.line)
	}
	if r.cur == nil {
		if rec != nil {
			c.failRecord(fmt.Errorf("%w: record %s outside a statement: no ancien solde 01 before it", cfonb.ErrOrder, c.code))
		}
		r.orphans = append(r.orphans, c.errs...)
		if len(r.orphans) >= 100 {
			return nil, true, r.takeOrphans()
		}
		return nil, false, nil
	}
	b := r.cur
	b.record(rec, &c)
	if _, closes := rec.(*NewBalance); closes {
		r.cur = nil
		st, err := b.finish(r.closing)
		return st, true, err
	}
	return nil, false, nil
}

func (r *Reader) takeOrphans() error {
	err := joinErrors(r.orphans)
	r.orphans = nil
	return err
}

// ReadAll reads a whole file and returns the statements without problems
// and every problem found (up to MaxProblems), joined; see cfonb.Flatten.
// A statement with a problem is left out: the problems say which.
func ReadAll(r io.Reader) ([]statement.Statement, error) {
	rd := NewReader(r)
	var out []statement.Statement
	var errs []error
	more := 0
	for {
		st, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			for _, e := range cfonb.Flatten(err) {
				var m *moreProblems
				switch {
				case errors.As(e, &m):
					more += m.n
				case len(errs) < MaxProblems:
					errs = append(errs, e)
				default:
					more++
				}
			}
			continue
		}
		out = append(out, *st)
	}
	if more > 0 {
		errs = append(errs, &moreProblems{n: more})
	}
	return out, joinErrors(errs)
}

// moreProblems counts the problems left out of a list.
type moreProblems struct {
	n    int
	line int // of the statement they belong to; 0 for a file
}

func (e *moreProblems) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("cfonb120: statement at line %d: %d more problems not listed", e.line, e.n)
	}
	return fmt.Sprintf("cfonb120: %d more problems not listed", e.n)
}

// builder assembles one statement.
type builder struct {
	st      statement.Statement
	head    *OldBalance // nil when the 01 could not be read
	errs    []error
	more    int
	sumOK   bool   // every movement's amount was read
	mov     int    // index of the current movement in st.Entries, -1 before the first
	movCode string // its code opération, to compare with its 05s'
	movDate time.Time
}

func newBuilder(line int) *builder {
	return &builder{st: statement.Statement{Format: statement.CFONB120, Line: line}, sumOK: true, mov: -1}
}

func (b *builder) problems(errs []error) {
	for _, err := range errs {
		if len(b.errs) < MaxProblems {
			b.errs = append(b.errs, err)
		} else {
			b.more++
		}
	}
}

func (b *builder) warn(line int, code, format string, args ...any) {
	b.st.Warnings = append(b.st.Warnings, fmt.Sprintf("line %d, record %s: ", line, code)+fmt.Sprintf(format, args...))
}

// record adds one record of the statement, with the problems c already
// holds; rec is nil when the record could not be typed.
func (b *builder) record(rec Record, c *fieldErrs) {
	defer func() { b.problems(c.errs) }()
	if rec == nil {
		b.sumOK = false // whatever it was, the sum cannot be trusted
		return
	}
	switch v := rec.(type) {
	case *OldBalance:
		b.head = v
		b.st.Currency = v.Currency
		b.st.Account = statement.Account{Bank: v.Bank, Branch: v.Branch, Number: v.Number, IBAN: ibanOf(v.Bank, v.Branch, v.Number)}
		b.st.Opening = statement.Balance{Date: v.Date, Amount: v.Amount}
		b.sumOK = !c.failed(zOldAmount) && !c.failed(zDecimals)
	case *Movement:
		b.same(&v.Account, c)
		if c.failed(zMovAmount) || c.failed(zDecimals) {
			b.sumOK = false
		}
		b.st.Entries = append(b.st.Entries, statement.Entry{
			Line: c.line, Amount: v.Amount, Status: statement.StatusBook,
			BookingDate: v.Date, ValueDate: v.ValueDate,
			Ref: v.Reference, Number: v.Number,
			Code:  statement.Code{Proprietary: v.OpCode, Issuer: statement.IssuerCFONB, Internal: v.Internal},
			Label: v.Label, ReturnReason: v.RejectReason,
		})
		b.mov, b.movCode, b.movDate = len(b.st.Entries)-1, v.OpCode, v.Date
		if b.head != nil && !v.Date.IsZero() && !b.head.Date.IsZero() && !v.Date.After(b.head.Date) {
			b.warn(c.line, "04", "booked on %s, not after the ancien solde's date %s", ddmmyyyy(v.Date), ddmmyyyy(b.head.Date))
		}
	case *Complement:
		b.same(&v.Account, c)
		if b.mov < 0 {
			c.failRecord(fmt.Errorf("%w: complement 05 without a movement 04 before it", cfonb.ErrOrder))
			return
		}
		if v.OpCode != "" && v.OpCode != b.movCode {
			b.warn(c.line, "05", "code opération %q, its movement's is %q", v.OpCode, b.movCode)
		}
		if !v.Date.IsZero() && !v.Date.Equal(b.movDate) {
			b.warn(c.line, "05", "dated %s, its movement 04 %s", ddmmyyyy(v.Date), ddmmyyyy(b.movDate))
		}
		addComplement(&b.st.Entries[b.mov], v, c.line)
	case *NewBalance:
		b.same(&v.Account, c)
		b.st.Closing = statement.Balance{Date: v.Date, Amount: v.Amount}
		if b.sumOK && b.head != nil && !c.failed(zNewAmount) && !c.failed(zDecimals) {
			if err := b.st.Check(); err != nil {
				c.fail(zNewAmount, amountZone(v.Amount, v.Decimals), err)
			}
		}
		if b.head != nil && !v.Date.IsZero() && !b.head.Date.IsZero() {
			for i := range b.st.Entries {
				e := &b.st.Entries[i]
				if e.BookingDate.After(v.Date) {
					b.warn(e.Line, "04", "booked on %s, after the nouveau solde's date %s", ddmmyyyy(e.BookingDate), ddmmyyyy(v.Date))
				}
			}
		}
	}
}

// same checks that a record names the statement's account, currency and
// number of decimals.
func (b *builder) same(a *Account, c *fieldErrs) {
	if b.head == nil {
		return
	}
	h := &b.head.Account
	check := func(z zone, got, want string) {
		if got != want && !c.failed(z) {
			c.fail(z, got, fmt.Errorf("%w: the statement's ancien solde (line %d) has %q", cfonb.ErrMismatch, b.st.Line, want))
		}
	}
	check(zBank, a.Bank, h.Bank)
	check(zBranch, a.Branch, h.Branch)
	check(zCurrency, a.Currency, h.Currency)
	check(zDecimals, itoa(a.Decimals), itoa(h.Decimals))
	check(zNumber, a.Number, h.Number)
}

// finish returns the statement closed by its 07, with its problems.
func (b *builder) finish(last map[string]lastStatement) (*statement.Statement, error) {
	if len(b.errs) > 0 || b.head == nil {
		return b.fail(nil)
	}
	key := b.st.Account.Bank + " " + b.st.Account.Branch + " " + b.st.Account.Number + " " + b.st.Currency
	if prev, ok := last[key]; ok && prev.amount != b.st.Opening.Amount {
		b.warn(b.st.Line, "01", "ancien solde %s, the nouveau solde of the account's previous statement (line %d) was %s",
			statement.Format(b.st.Opening.Amount), prev.line, statement.Format(prev.amount))
	}
	last[key] = lastStatement{line: b.st.Line, amount: b.st.Closing.Amount}
	return &b.st, nil
}

// fail returns the statement with its problems and err, if not nil.
func (b *builder) fail(err error) (*statement.Statement, error) {
	if err != nil {
		b.problems([]error{err})
	}
	if b.more > 0 {
		b.errs = append(b.errs, &moreProblems{n: b.more, line: b.st.Line})
	}
	if len(b.errs) == 0 { // the 01 could not be typed, and said so
		b.errs = append(b.errs, &cfonb.FieldError{Line: b.st.Line, Record: "01", Err: fmt.Errorf("%w: unreadable ancien solde", cfonb.ErrFormat)})
	}
	return &b.st, joinErrors(b.errs)
}

// ibanOf rebuilds the IBAN of a French RIB without its key, or returns ""
// when the zones are not a RIB (CFONB120.md §12).
func ibanOf(bank, branch, number string) string {
	key, err := ident.RIBKey(bank, branch, number)
	if err != nil {
		return ""
	}
	return ident.RIB{Bank: bank, Branch: branch, Account: number, Key: key}.IBAN()
}

// amountZone writes an amount as the zone would hold it, for messages.
func amountZone(cents int64, decimals int) string {
	var b [RecordLen]byte
	c := fieldErrs{}
	encoder{b: &b, fieldErrs: &c}.amount(zAmount, cents, decimals)
	if len(c.errs) > 0 {
		return statement.Format(cents)
	}
	return zAmount.str(&b)
}

func ddmmyyyy(t time.Time) string { return t.Format("02/01/2006") }
