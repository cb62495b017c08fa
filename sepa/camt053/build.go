package camt053

import (
	"fmt"
	"strconv"
	"time"

	"github.com/remit-dev/remit/remit/statement"
)

// builder assembles one Stmt.
type builder struct {
	st      statement.Statement
	errs    []error
	more    int
	sumOK   bool // every booked entry's amount was read
	acctCcy string
	created time.Time // Stmt/CreDtTm

	bals    []balance
	bal     *balance
	ent     *entry
	summary summary
}

// balance is a Bal being read.
type balance struct {
	line    int
	typ     string // Tp/CdOrPrtry/Cd; "" for a proprietary type
	amount  amount
	ind     string
	date    time.Time
	hasDate bool
}

// amount is an amount as read: cents and currency.
type amount struct {
	set   bool
	cents int64
	ccy   string
	line  int
}

// entry is an Ntry being read.
type entry struct {
	e       statement.Entry
	amount  amount
	ind     string
	total   amount // NtryDtls/Btch/TtlAmt
	totInd  string
	count   string // NtryDtls/Btch/NbOfTxs as read
	tx      *detail
	details []detail
}

// detail is a TxDtls being read.
type detail struct {
	d statement.Detail
	// Its amounts, best first: TxDtls/Amt (.08), AmtDtls/TxAmt, AmtDtls/InstdAmt.
	amounts [3]amount
	ind     string
}

// summary is TxsSummry: what the bank says the entries add up to, as
// written.
type summary struct {
	present          bool
	line             int
	count, sum, net  string
	netInd           string
	cdtCount, cdtSum string
	dbtCount, dbtSum string
}

func newBuilder(version string, line int) *builder {
	return &builder{st: statement.Statement{Format: version, Line: line}, sumOK: true}
}

func (b *builder) problem(err error) {
	if len(b.errs) < MaxProblems {
		b.errs = append(b.errs, err)
	} else {
		b.more++
	}
}

func (b *builder) warn(line int, format string, args ...any) {
	b.st.Warnings = append(b.st.Warnings, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
}

// result returns the statement with its problems.
func (b *builder) result() (*statement.Statement, error) {
	errs := b.errs
	if b.more > 0 {
		errs = append(errs, &moreProblems{n: b.more, line: b.st.Line})
	}
	return &b.st, joinErrors(errs)
}

// start opens the element at rel, the path below Stmt.
func (b *builder) start(rel string, line int) {
	switch rel {
	case "Bal":
		b.bals = append(b.bals, balance{line: line})
		b.bal = &b.bals[len(b.bals)-1]
	case "Ntry":
		b.ent = &entry{e: statement.Entry{Line: line}}
	case "Ntry/NtryDtls/TxDtls":
		if b.ent != nil {
			b.ent.details = append(b.ent.details, detail{d: statement.Detail{Line: line}})
			b.ent.tx = &b.ent.details[len(b.ent.details)-1]
		}
	case "TxsSummry":
		b.summary.present, b.summary.line = true, line
	}
}

// end closes the element at rel; e is the element, s gives its text.
func (b *builder) end(s *scanner, rel string, e elem) error {
	switch rel {
	case "Bal":
		b.bal = nil
		return nil
	case "Ntry":
		b.endEntry(s)
		b.ent = nil
		return nil
	case "Ntry/NtryDtls/TxDtls":
		if b.ent != nil {
			b.ent.tx = nil
		}
		return nil
	}
	// Only leaves are read below; an element with children has no
	// value to read.
	if len(rel) >= 3 && rel[:3] == "Bal" && b.bal != nil {
		return b.balanceField(s, rel[3:], e)
	}
	if len(rel) >= 4 && rel[:4] == "Ntry" && b.ent != nil {
		return b.entryField(s, rel[4:], e)
	}
	return b.statementField(s, rel, e)
}

func (b *builder) statementField(s *scanner, rel string, e elem) error {
	var dst *string
	switch rel {
	case "Id":
		dst = &b.st.ID
	case "ElctrncSeqNb":
		dst = &b.st.Sequence
	case "Acct/Id/IBAN":
		dst = &b.st.Account.IBAN
	case "Acct/Id/Othr/Id":
		dst = &b.st.Account.Other
	case "Acct/Ccy":
		if err := setOnce(s, &b.acctCcy); err != nil {
			return err
		}
		if !isCurrency(b.acctCcy) {
			return s.errorf(ErrValue, "currency %q is not an ISO 4217 code", b.acctCcy)
		}
		if b.st.Currency == "" {
			b.st.Currency = b.acctCcy
		}
		return nil
	case "CreDtTm":
		v, err := s.value()
		if err != nil {
			return err
		}
		t, ok := parseDateTime(v)
		if !ok {
			return s.errorf(ErrValue, "date and time %q is not YYYY-MM-DDThh:mm:ss", v)
		}
		b.created = t
		return nil
	case "TxsSummry/TtlNtries/NbOfNtries":
		dst = &b.summary.count
	case "TxsSummry/TtlNtries/Sum":
		dst = &b.summary.sum
	case "TxsSummry/TtlNtries/TtlNetNtryAmt", "TxsSummry/TtlNtries/TtlNetNtry/Amt":
		dst = &b.summary.net
	case "TxsSummry/TtlNtries/CdtDbtInd", "TxsSummry/TtlNtries/TtlNetNtry/CdtDbtInd":
		dst = &b.summary.netInd
	case "TxsSummry/TtlCdtNtries/NbOfNtries":
		dst = &b.summary.cdtCount
	case "TxsSummry/TtlCdtNtries/Sum":
		dst = &b.summary.cdtSum
	case "TxsSummry/TtlDbtNtries/NbOfNtries":
		dst = &b.summary.dbtCount
	case "TxsSummry/TtlDbtNtries/Sum":
		dst = &b.summary.dbtSum
	default:
		return nil
	}
	return setOnce(s, dst)
}

// setOnce reads the closing element's text into *dst, refusing a second
// value for an element that occurs once.
func setOnce(s *scanner, dst *string) error {
	v, err := s.value()
	if err != nil {
		return err
	}
	if *dst != "" {
		return s.errorf(ErrValue, "%s a second time (%q after %q)", s.top().Name, v, *dst)
	}
	*dst = v
	return nil
}

// readAmount reads an amount element into *a, once.
func readAmount(s *scanner, e elem, a *amount) error {
	v, err := s.value()
	if err != nil {
		return err
	}
	if a.set {
		return s.errorf(ErrValue, "%s a second time", e.Name)
	}
	c, ok := parseCents(v)
	if !ok {
		return s.errorf(ErrValue, "amount %q is not a decimal number of cents, at least 0", v)
	}
	if !isCurrency(e.Ccy) {
		return s.errorf(ErrValue, "amount %s without a currency (Ccy attribute %q)", v, e.Ccy)
	}
	*a = amount{set: true, cents: c, ccy: e.Ccy, line: e.Line}
	return nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// readIndicator reads a CdtDbtInd into *dst, once.
func readIndicator(s *scanner, dst *string) error {
	if err := setOnce(s, dst); err != nil {
		return err
	}
	if *dst != "CRDT" && *dst != "DBIT" {
		v := *dst
		*dst = ""
		return s.errorf(ErrValue, "credit/debit indicator %q: want CRDT or DBIT", v)
	}
	return nil
}

// readDay reads a Dt (xs:date) or DtTm (xs:dateTime) as a day.
func readDay(s *scanner, e elem, dst *time.Time) error {
	v, err := s.value()
	if err != nil {
		return err
	}
	if !dst.IsZero() {
		return s.errorf(ErrValue, "date a second time")
	}
	var t time.Time
	var ok bool
	if e.Name == "DtTm" {
		t, ok = parseDateTime(v)
		t = dayOf(t)
	} else {
		t, ok = parseDate(v)
	}
	if !ok {
		return s.errorf(ErrValue, "date %q is not YYYY-MM-DD", v)
	}
	*dst = t
	return nil
}

func (b *builder) balanceField(s *scanner, rel string, e elem) error {
	bal := b.bal
	switch rel {
	case "/Tp/CdOrPrtry/Cd":
		return setOnce(s, &bal.typ)
	case "/Amt":
		if err := readAmount(s, e, &bal.amount); err != nil {
			return err
		}
		if b.st.Currency == "" {
			b.st.Currency = bal.amount.ccy
		}
		return nil
	case "/CdtDbtInd":
		return readIndicator(s, &bal.ind)
	case "/Dt/Dt", "/Dt/DtTm":
		bal.hasDate = true
		return readDay(s, e, &bal.date)
	}
	return nil
}

func (b *builder) entryField(s *scanner, rel string, e elem) error {
	n := b.ent
	switch rel {
	case "/NtryRef":
		return setOnce(s, &n.e.Ref)
	case "/Amt":
		return readAmount(s, e, &n.amount)
	case "/CdtDbtInd":
		return readIndicator(s, &n.ind)
	case "/RvslInd":
		v, err := s.value()
		if err != nil {
			return err
		}
		switch v {
		case "true", "1":
			n.e.Reversal = true
		case "false", "0":
		default:
			return s.errorf(ErrValue, "reversal indicator %q: want true or false", v)
		}
	case "/Sts", "/Sts/Cd", "/Sts/Prtry":
		if rel == "/Sts" && b.st.Format == statement.Camt053V08 {
			return nil // .08: Sts holds Cd or Prtry
		}
		return setOnce(s, &n.e.Status)
	case "/BookgDt/Dt", "/BookgDt/DtTm":
		return readDay(s, e, &n.e.BookingDate)
	case "/ValDt/Dt", "/ValDt/DtTm":
		return readDay(s, e, &n.e.ValueDate)
	case "/AcctSvcrRef":
		return setOnce(s, &n.e.BankRef)
	case "/BkTxCd/Domn/Cd":
		return setOnce(s, &n.e.Code.Domain)
	case "/BkTxCd/Domn/Fmly/Cd":
		return setOnce(s, &n.e.Code.Family)
	case "/BkTxCd/Domn/Fmly/SubFmlyCd":
		return setOnce(s, &n.e.Code.SubFamily)
	case "/BkTxCd/Prtry/Cd":
		return setOnce(s, &n.e.Code.Proprietary)
	case "/BkTxCd/Prtry/Issr":
		return setOnce(s, &n.e.Code.Issuer)
	case "/AddtlNtryInf":
		return setOnce(s, &n.e.Label)
	case "/NtryDtls/Btch/MsgId":
		return setOnce(s, &n.e.Batch.MsgID)
	case "/NtryDtls/Btch/PmtInfId":
		return setOnce(s, &n.e.Batch.PmtInfID)
	case "/NtryDtls/Btch/NbOfTxs":
		if err := setOnce(s, &n.count); err != nil {
			return err
		}
		c, err := strconv.Atoi(n.count)
		if err != nil || c < 0 || c > 1e9 || !digits(n.count) {
			return s.errorf(ErrValue, "number of transactions %q", n.count)
		}
		n.e.Batch.Count = c
	case "/NtryDtls/Btch/TtlAmt":
		return readAmount(s, e, &n.total)
	case "/NtryDtls/Btch/CdtDbtInd":
		return readIndicator(s, &n.totInd)
	default:
		const tx = "/NtryDtls/TxDtls"
		if len(rel) > len(tx) && rel[:len(tx)] == tx && n.tx != nil {
			return detailField(s, rel[len(tx):], e, n.tx)
		}
	}
	return nil
}

func detailField(s *scanner, rel string, e elem, t *detail) error {
	d := &t.d
	var dst *string
	switch rel {
	case "/Refs/MsgId":
		dst = &d.MsgID
	case "/Refs/PmtInfId":
		dst = &d.PmtInfID
	case "/Refs/InstrId":
		dst = &d.InstrID
	case "/Refs/EndToEndId":
		dst = &d.EndToEndID
	case "/Refs/MndtId":
		dst = &d.MandateID
	case "/Refs/ChqNb":
		dst = &d.ChequeNumber
	case "/Amt":
		return readAmount(s, e, &t.amounts[0])
	case "/AmtDtls/TxAmt/Amt":
		return readAmount(s, e, &t.amounts[1])
	case "/AmtDtls/InstdAmt/Amt":
		return readAmount(s, e, &t.amounts[2])
	case "/CdtDbtInd":
		return readIndicator(s, &t.ind)
	case "/RltdPties/Dbtr/Nm", "/RltdPties/Dbtr/Pty/Nm":
		dst = &d.Debtor.Name
	case "/RltdPties/DbtrAcct/Id/IBAN", "/RltdPties/DbtrAcct/Id/Othr/Id":
		dst = &d.Debtor.Account
	case "/RltdPties/Cdtr/Nm", "/RltdPties/Cdtr/Pty/Nm":
		dst = &d.Creditor.Name
	case "/RltdPties/CdtrAcct/Id/IBAN", "/RltdPties/CdtrAcct/Id/Othr/Id":
		dst = &d.Creditor.Account
	case "/RmtInf/Ustrd":
		v, err := s.value()
		if err != nil {
			return err
		}
		d.Remittance = append(d.Remittance, v)
		return nil
	case "/RmtInf/Strd/CdtrRefInf/Ref":
		dst = &d.CreditorRef
	case "/Purp/Cd", "/Purp/Prtry":
		dst = &d.Purpose
	case "/RtrInf/Rsn/Cd", "/RtrInf/Rsn/Prtry":
		dst = &d.ReturnReason
	default:
		return nil
	}
	return setOnce(s, dst)
}

// endEntry checks the entry and adds it to the statement.
func (b *builder) endEntry(s *scanner) {
	n := b.ent
	e := &n.e
	at := func(kind error, format string, args ...any) {
		b.problem(&Error{Line: e.Line, Path: s.path(), Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)})
	}
	ok := true
	switch {
	case !n.amount.set:
		at(ErrMissing, "entry without an amount (Amt)")
		ok = false
	case !b.currency(n.amount, s):
		ok = false
	}
	if n.ind == "" {
		at(ErrMissing, "entry without its credit/debit indicator (CdtDbtInd)")
		ok = false
	}
	if e.Status == "" {
		at(ErrMissing, "entry without a status (Sts)")
	}
	e.Amount = signed(n.amount.cents, n.ind)
	if !ok && e.Status == statement.StatusBook {
		b.sumOK = false
	}
	if n.total.set && b.currency(n.total, s) {
		ind := n.totInd
		if ind == "" {
			ind = n.ind
		}
		e.Batch.Total = signed(n.total.cents, ind)
		if ok && e.Batch.Total != e.Amount {
			b.warn(e.Line, "batch total %s (Btch/TtlAmt), entry amount %s", statement.Format(e.Batch.Total), statement.Format(e.Amount))
		}
	}
	b.details(n, ok)
	b.st.Entries = append(b.st.Entries, *e)
}

// details gives the entry's transactions their amounts and checks them
// against the batch.
func (b *builder) details(n *entry, entryOK bool) {
	e := &n.e
	all := len(n.details) > 0 // every detail has an amount of its own
	var sum int64
	for i := range n.details {
		t := &n.details[i]
		ind := t.ind
		if ind == "" {
			ind = n.ind
		}
		found := false
		for _, a := range t.amounts {
			if a.set && a.ccy == b.st.Currency {
				t.d.Amount, found = signed(a.cents, ind), true
				break
			}
		}
		switch {
		case found:
			var ok bool
			if sum, ok = statement.Add(sum, t.d.Amount); !ok {
				all = false
			}
		case len(n.details) == 1:
			t.d.Amount = e.Amount
			all = false
		default:
			all = false
		}
		e.Details = append(e.Details, t.d)
	}
	if n.count != "" && len(n.details) > 0 && e.Batch.Count != len(n.details) {
		b.warn(e.Line, "batch of %d transactions (Btch/NbOfTxs), %d transaction details (TxDtls)", e.Batch.Count, len(n.details))
	}
	if all && entryOK && sum != e.Amount {
		b.warn(e.Line, "transaction details add up to %s, entry amount %s", statement.Format(sum), statement.Format(e.Amount))
	}
}

// currency checks that an amount is in the statement's currency, which
// the first amount sets when the account gives none.
func (b *builder) currency(a amount, s *scanner) bool {
	if b.st.Currency == "" {
		b.st.Currency = a.ccy
	}
	if a.ccy != b.st.Currency {
		b.problem(&Error{Line: a.line, Path: s.path(), Err: fmt.Errorf("%w: amount in %s in a statement in %s", ErrCurrency, a.ccy, b.st.Currency)})
		return false
	}
	return true
}

func signed(cents int64, ind string) int64 {
	if ind == "DBIT" {
		return -cents
	}
	return cents
}

// finish checks the statement once its Stmt is closed: account, balances,
// and that the opening balance plus the booked entries is the closing
// balance.
func (b *builder) finish(msgID string, created time.Time) {
	st := &b.st
	path := "/Document/BkToCstmrStmt/Stmt"
	at := func(line int, kind error, format string, args ...any) {
		b.problem(&Error{Line: line, Path: path, Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)})
	}
	st.MessageID = msgID
	st.Created = b.created
	if st.Created.IsZero() {
		st.Created = created
	}
	if st.Account.IBAN == "" && st.Account.Other == "" {
		at(st.Line, ErrMissing, "no account (Acct/Id/IBAN or Acct/Id/Othr/Id)")
	}
	var opening, previous, closing *balance
	for i := range b.bals {
		bal := &b.bals[i]
		var slot **balance
		switch bal.typ {
		case "OPBD":
			slot = &opening
		case "PRCD":
			slot = &previous
		case "CLBD":
			slot = &closing
		default:
			continue // available, interim, forward, proprietary balances: not the booked ones
		}
		if *slot != nil {
			at(bal.line, ErrValue, "a second %s balance (the first at line %d)", bal.typ, (*slot).line)
			b.sumOK = false
			continue
		}
		*slot = bal
		if !b.readBalance(bal, path) {
			b.sumOK = false
		}
	}
	if opening == nil {
		opening = previous
	} else if previous != nil && previous.amount.set && opening.amount.set && signed(previous.amount.cents, previous.ind) != signed(opening.amount.cents, opening.ind) {
		b.warn(previous.line, "previously closed balance (PRCD) %s, opening balance (OPBD) %s",
			statement.Format(signed(previous.amount.cents, previous.ind)), statement.Format(signed(opening.amount.cents, opening.ind)))
	}
	if opening == nil {
		at(st.Line, ErrMissing, "no opening booked balance (Bal of type OPBD or PRCD)")
		b.sumOK = false
	} else {
		st.Opening = statement.Balance{Type: opening.typ, Date: opening.date, Amount: signed(opening.amount.cents, opening.ind)}
	}
	if closing == nil {
		at(st.Line, ErrMissing, "no closing booked balance (Bal of type CLBD)")
		b.sumOK = false
	} else {
		st.Closing = statement.Balance{Type: closing.typ, Date: closing.date, Amount: signed(closing.amount.cents, closing.ind)}
	}
	if b.sumOK {
		if err := st.Check(); err != nil {
			b.problem(&Error{Line: closing.line, Path: path + "/Bal", Err: err})
		}
	}
	b.checkSummary()
}

// readBalance checks a booked balance; false when it cannot be used.
func (b *builder) readBalance(bal *balance, path string) bool {
	at := func(kind error, format string, args ...any) {
		b.problem(&Error{Line: bal.line, Path: path + "/Bal", Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)})
	}
	ok := true
	if !bal.amount.set {
		at(ErrMissing, "%s balance without an amount (Amt)", bal.typ)
		ok = false
	} else {
		if bal.amount.ccy != b.st.Currency {
			at(ErrCurrency, "%s balance in %s in a statement in %s", bal.typ, bal.amount.ccy, b.st.Currency)
			ok = false
		}
	}
	if bal.ind == "" {
		at(ErrMissing, "%s balance without its credit/debit indicator (CdtDbtInd)", bal.typ)
		ok = false
	}
	if !bal.hasDate {
		at(ErrMissing, "%s balance without a date (Dt)", bal.typ)
	}
	return ok
}

// checkSummary compares TxsSummry with the entries, as warnings: the
// balances are what counts.
func (b *builder) checkSummary() {
	sm := &b.summary
	if !sm.present {
		return
	}
	var count, cdtCount, dbtCount int
	var sum, net, cdt, dbt int64
	for _, e := range b.st.Entries {
		count++
		net += e.Amount
		if e.Amount < 0 {
			dbtCount++
			dbt -= e.Amount
			sum -= e.Amount
		} else {
			cdtCount++
			cdt += e.Amount
			sum += e.Amount
		}
	}
	cmpCount := func(what, v string, n int) {
		if v != "" && v != strconv.Itoa(n) {
			b.warn(sm.line, "TxsSummry: %s %s, the statement's entries give %d", what, v, n)
		}
	}
	cmpSum := func(what, v string, c int64) {
		if v == "" {
			return
		}
		if got, ok := parseCents(v); !ok || got != c {
			b.warn(sm.line, "TxsSummry: %s %s, the statement's entries give %s", what, v, statement.Format(c))
		}
	}
	cmpCount("number of entries", sm.count, count)
	cmpSum("sum of the entries", sm.sum, sum)
	if sm.net != "" {
		abs := net
		if abs < 0 {
			abs = -abs
		}
		cmpSum("net amount of the entries", sm.net, abs)
		if want := map[bool]string{true: "DBIT", false: "CRDT"}[net < 0]; sm.netInd != "" && sm.netInd != want && net != 0 {
			b.warn(sm.line, "TxsSummry: net amount of the entries %s, the statement's entries give %s %s", sm.netInd, want, statement.Format(abs))
		}
	}
	cmpCount("number of credit entries", sm.cdtCount, cdtCount)
	cmpSum("sum of the credit entries", sm.cdtSum, cdt)
	cmpCount("number of debit entries", sm.dbtCount, dbtCount)
	cmpSum("sum of the debit entries", sm.dbtSum, dbt)
}
