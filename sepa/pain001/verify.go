package pain001

import (
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/schema"
)

// Problem is one thing wrong in a file: line, element path, message, and
// whether it breaks the ISO schema or an EPC rule.
type Problem = schema.Problem

// ProblemKind tells schema problems (the bank rejects the file unread) from
// rule problems (the bank or the scheme rejects it, or transactions, later).
type ProblemKind = schema.Kind

const (
	ProblemSchema = schema.ProblemSchema
	ProblemRule   = schema.ProblemRule
)

// VerifyMaxProblems caps the problems a Report lists.
const VerifyMaxProblems = schema.MaxProblems

// Report is the outcome of Verify: the namespace found, the problems (with
// OK and Count), and what the file holds.
type Report struct {
	schema.Report
	Version      Version // V03 or V09; "" when the namespace is not a pain.001 one
	Transactions int     // CdtTrfTxInf elements
	Total        int64   // sum of the well-formed InstdAmt, in cents
}

// verifyMessage selects the model by namespace.
var verifyMessage = &schema.Message{
	Family: "pain.001",
	Unknown: func(ns string) string {
		if ns == "" {
			return "Document has no namespace; expected " + V09.Namespace() + " or .03"
		}
		msg := fmt.Sprintf("namespace %q is not pain.001.001.03 or pain.001.001.09", ns)
		switch {
		case strings.Contains(ns, "pain.008"):
			msg += " (this is a direct debit file, pain.008)"
		case strings.Contains(ns, "pain.002"), strings.Contains(ns, "camt.054"):
			msg += " (this is a bank return file: read it with remit returns)"
		}
		return msg
	},
}

func init() {
	verifyMessage.Documents = map[string]*schema.Type{
		V03.Namespace(): schemaDocument(V03),
		V09.Namespace(): schemaDocument(V09),
	}
}

// Verify reads a pain.001.001.03 or pain.001.001.09 document (the version
// from its namespace) and checks it against the ISO 20022 schema of its
// version (element order and cardinality, unexpected elements, value
// facets, attributes; the model is Go, the XSD files are not needed) and
// against the EPC rules for SEPA Credit Transfers no schema expresses
// (control sums, IBANs of SEPA countries and check digits, BICs, the EPC
// character set, euro amounts, service level SEPA, charge bearer SLEV, the
// execution date, unique identifiers, names and addresses, one remittance
// information), in one streaming pass: memory holds the element stack and
// a hash per EndToEndId.
//
// Every problem is collected, up to VerifyMaxProblems. Malformed XML stops
// the reading and is reported as a schema problem with its line. The error
// is non-nil only when reading r fails; the partial report comes with it.
//
// Verify judges the file on its own: VerifyWith also compares its execution
// dates with today's.
func Verify(r io.Reader) (*Report, error) { return VerifyWith(r, VerifyOptions{}) }

// VerifyOptions tunes VerifyWith.
type VerifyOptions struct {
	// Today is the date the file is checked on (its location gives the
	// date): an execution date before it is a problem, as a bank does not
	// execute a transfer in the past. The zero value skips that rule.
	Today time.Time
}

// VerifyWith is Verify with options.
func VerifyWith(r io.Reader, o VerifyOptions) (*Report, error) {
	rules := &verifyRules{seed: maphash.MakeSeed(), endToEnd: map[uint64]int32{}, pmtInfIDs: map[string]int{}, sumOK: true}
	if !o.Today.IsZero() {
		rules.today = o.Today.Format(time.DateOnly)
	}
	rep, err := schema.Validate(r, verifyMessage, rules)
	out := &Report{Report: *rep, Transactions: rules.count, Total: rules.sum}
	for _, v := range []Version{V03, V09} {
		if rep.Known && rep.Namespace == v.Namespace() {
			out.Version = v
		}
	}
	if err != nil {
		return out, fmt.Errorf("pain001: %w", err)
	}
	return out, nil
}

// verifyAddressCutover is the first settlement date on which the SEPA
// rulebooks refuse unstructured (AdrLine-only) addresses.
const verifyAddressCutover = "2026-11-15"

// verifyNameMax is the EPC length of names (the schema allows 140).
const verifyNameMax = 70

// verifyDeclared is a count or sum declared in a header, checked later
// against what the file holds.
type verifyDeclared struct {
	set   bool
	value string
	line  int
	path  string
}

// verifyPayment is the state of the open PmtInf block.
type verifyPayment struct {
	nb, sum       verifyDeclared
	count         int
	total         int64
	sumOK         bool
	date          string // ReqdExctnDt, when a plain YYYY-MM-DD
	serviceLevel  bool
	debtorName    bool
	debtorIBAN    string
	debtorAddress bool            // Dbtr/PstlAdr has TwnNm and Ctry
	noted         map[string]bool // block-level problems already reported
	line          int
	path          string
}

// verifyTx is the state of the open CdtTrfTxInf.
type verifyTx struct {
	amount       int64
	amountOK     bool
	serviceLevel bool
	creditor     bool // Cdtr present
	creditorName bool
	creditorAcct bool
	creditorIBAN string
	ustrd, strd  int
}

// verifyAddress is the state of an open party's PstlAdr.
type verifyAddress struct {
	active        bool
	party         string
	town, country bool
	lines         int
}

// verifyRules implements schema.Rules for pain.001: what the ISO schema
// cannot say about a SEPA credit transfer.
type verifyRules struct {
	seed      maphash.Seed
	endToEnd  map[uint64]int32 // hash of each EndToEndId → line; 64-bit hashes, collisions negligible for 10⁶ ids
	pmtInfIDs map[string]int
	created   string // CreDtTm's date
	today     string // VerifyOptions.Today's date, or ""
	initgName bool   // InitgPty/Nm seen
	initgID   bool   // InitgPty/Id seen
	grpNb     verifyDeclared
	grpSum    verifyDeclared
	grpClosed bool
	count     int
	sum       int64
	sumOK     bool

	pmt verifyPayment
	tx  verifyTx
	adr verifyAddress
}

// verifyParty names the parties whose names and addresses the rules check,
// by element and parent.
func verifyParty(name, parent string) string {
	switch {
	case name == "Dbtr" && parent == "PmtInf":
		return "debtor"
	case name == "UltmtDbtr" && (parent == "PmtInf" || parent == "CdtTrfTxInf"):
		return "ultimate debtor"
	case name == "Cdtr" && parent == "CdtTrfTxInf":
		return "creditor"
	case name == "UltmtCdtr" && parent == "CdtTrfTxInf":
		return "ultimate creditor"
	case name == "InitgPty" && parent == "GrpHdr":
		return "initiating party"
	}
	return ""
}

func (r *verifyRules) Start(c *schema.Cursor) {
	switch c.Name() {
	case "PmtInf":
		r.pmt = verifyPayment{sumOK: true, line: c.Line(), path: c.Path(), noted: map[string]bool{}}
	case "CdtTrfTxInf":
		r.tx = verifyTx{}
	case "Cdtr":
		if c.Ancestor(1) == "CdtTrfTxInf" {
			r.tx.creditor = true
		}
	case "CdtrAcct":
		if c.Ancestor(1) == "CdtTrfTxInf" {
			r.tx.creditorAcct = true
		}
	case "PstlAdr":
		if party := verifyParty(c.Ancestor(1), c.Ancestor(2)); party != "" && party != "initiating party" {
			r.adr = verifyAddress{active: true, party: party}
		}
	case "Strd":
		if c.Ancestor(1) == "RmtInf" {
			r.tx.strd++
		}
	case "Id":
		if c.Ancestor(1) == "InitgPty" {
			r.initgID = true
		}
	case "EqvtAmt":
		c.Problem(ProblemRule, "EqvtAmt: a SEPA credit transfer gives its amount as InstdAmt in EUR")
	case "ChqInstr":
		c.Problem(ProblemRule, "ChqInstr: cheque instructions have no place in a SEPA credit transfer")
	case "Othr":
		if c.Ancestor(1) == "Id" && (c.Ancestor(2) == "DbtrAcct" || c.Ancestor(2) == "CdtrAcct") {
			c.Problem(ProblemRule, "a SEPA credit transfer identifies accounts by IBAN, not Othr")
		}
	}
}

func (r *verifyRules) End(c *schema.Cursor) {
	switch c.Name() {
	case "PstlAdr":
		if r.adr.active {
			r.address(c)
			r.adr.active = false
		}
	case "CdtTrfTxInf":
		r.transaction(c)
	case "PmtInf":
		r.payment(c)
	case "CstmrCdtTrfInitn":
		r.grpClosed = true
	case "InitgPty":
		if c.Ancestor(1) == "GrpHdr" && !r.initgName && !r.initgID {
			c.Problem(ProblemRule, "the initiating party is empty: InitgPty needs a name (Nm) or an identification (Id)")
		}
	}
}

func (r *verifyRules) Value(c *schema.Cursor, value string, valid bool) {
	if i, ch := verifyBadChar(value); i >= 0 {
		c.Problem(ProblemRule, fmt.Sprintf("character %s is not in the EPC basic Latin set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space)", verifyShowRune(ch)))
	}
	if c.Misplaced() || !valid {
		return
	}
	parent := c.Ancestor(1)
	switch name := c.Name(); name {
	case "MsgId":
		if parent == "GrpHdr" {
			r.identifier(c, "MsgId", value)
		}
	case "CreDtTm":
		if parent == "GrpHdr" && len(value) >= 10 {
			r.created = value[:10]
		}
	case "NbOfTxs", "CtrlSum":
		d := verifyDeclared{set: true, value: value, line: c.Line(), path: c.Path()}
		switch {
		case parent == "GrpHdr" && name == "NbOfTxs":
			r.grpNb = d
		case parent == "GrpHdr":
			r.grpSum = d
		case parent == "PmtInf" && name == "NbOfTxs":
			r.pmt.nb = d
		case parent == "PmtInf":
			r.pmt.sum = d
		}
	case "PmtInfId":
		if parent == "PmtInf" {
			r.identifier(c, "PmtInfId", value)
			if line, dup := r.pmtInfIDs[value]; dup {
				c.Problem(ProblemRule, fmt.Sprintf("PmtInfId %q is already used at line %d; it must be unique", value, line))
			} else {
				r.pmtInfIDs[value] = c.Line()
			}
		}
	case "PmtMtd":
		if value != "TRF" {
			c.Problem(ProblemRule, fmt.Sprintf("payment method %s: a SEPA credit transfer block has PmtMtd TRF", value))
		}
	case "ReqdExctnDt", "Dt", "DtTm":
		if name == "DtTm" && parent == "ReqdExctnDt" {
			c.Problem(ProblemRule, "ReqdExctnDt/DtTm: the EPC guidelines give a SEPA credit transfer's execution date as Dt (a date)")
		}
		if name == "ReqdExctnDt" || parent == "ReqdExctnDt" {
			r.executionDate(c, value)
		}
	case "Cd", "Prtry":
		if parent == "SvcLvl" {
			if name != "Cd" || value != "SEPA" {
				c.Problem(ProblemRule, fmt.Sprintf("service level %s %q: SEPA credit transfers use Cd SEPA", name, value))
			}
			if c.Ancestor(3) == "PmtInf" {
				r.pmt.serviceLevel = true
			} else {
				r.tx.serviceLevel = true
			}
		}
	case "EndToEndId":
		if parent == "PmtId" {
			r.identifier(c, "EndToEndId", value)
			h := maphash.String(r.seed, value)
			if line, dup := r.endToEnd[h]; dup {
				c.Problem(ProblemRule, fmt.Sprintf("EndToEndId %q is already used at line %d; it must be unique in the file", value, line))
			} else {
				r.endToEnd[h] = int32(min(c.Line(), math.MaxInt32))
			}
		}
	case "InstrId":
		r.identifier(c, "InstrId", value)
	case "InstdAmt":
		if parent == "Amt" {
			r.tx.amount, r.tx.amountOK = r.amount(c, value)
		}
	case "IBAN":
		if err := sepaIBAN(value); err != nil {
			c.Problem(ProblemRule, err.Error())
		}
		switch c.Ancestor(2) {
		case "DbtrAcct":
			if c.Ancestor(3) == "PmtInf" {
				r.pmt.debtorIBAN = value
			}
		case "CdtrAcct":
			r.tx.creditorIBAN = value
		}
	case "BIC", "BICFI", "AnyBIC", "BICOrBEI":
		if err := ident.ValidateBIC(value); err != nil {
			c.Problem(ProblemRule, err.Error())
		}
	case "Id":
		if value == "NOTPROVIDED" && parent == "Othr" && c.Ancestor(2) == "FinInstnId" && c.Namespace() == V09.Namespace() {
			c.Problem(ProblemRule, "Othr/Id NOTPROVIDED is not a bank: in pain.001.001.09 leave CdtrAgt out, and DbtrAgt/FinInstnId empty, when the BIC is unknown (banks refuse NOTPROVIDED)")
		}
	case "ChrgBr":
		if value != "SLEV" {
			c.Problem(ProblemRule, fmt.Sprintf("charge bearer %s: SEPA credit transfers use SLEV", value))
		}
	case "Ustrd":
		if parent == "RmtInf" {
			r.tx.ustrd++
		}
	case "Nm":
		party := verifyParty(parent, c.Ancestor(2))
		if party == "" {
			return
		}
		if n := utf8.RuneCountInString(value); n > verifyNameMax {
			c.Problem(ProblemRule, fmt.Sprintf("%s name has %d characters; the EPC allows %d", party, n, verifyNameMax))
		}
		switch party {
		case "debtor":
			r.pmt.debtorName = true
		case "creditor":
			r.tx.creditorName = true
		case "initiating party":
			r.initgName = true
		}
	case "TwnNm", "Ctry", "AdrLine":
		if r.adr.active && parent == "PstlAdr" {
			switch name {
			case "TwnNm":
				r.adr.town = true
			case "Ctry":
				r.adr.country = true
			default:
				r.adr.lines++
			}
		}
	}
}

// identifier applies the EPC rule for references that travel end to end:
// no '/' at either end, no "//".
func (r *verifyRules) identifier(c *schema.Cursor, name, value string) {
	if strings.HasPrefix(value, "/") || strings.HasSuffix(value, "/") || strings.Contains(value, "//") {
		c.Problem(ProblemRule, fmt.Sprintf("%s %q must not start or end with '/' nor contain '//'", name, value))
	}
}

// executionDate: a TARGET2 business day, not before the creation date nor
// before today (when the caller says which day it is).
func (r *verifyRules) executionDate(c *schema.Cursor, value string) {
	if len(value) < 10 || value[4] != '-' {
		return
	}
	date := value[:10]
	r.pmt.date = date
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return
	}
	switch {
	case !sepa.IsTARGET2BusinessDay(d):
		c.Problem(ProblemRule, fmt.Sprintf("execution date %s is not a TARGET2 business day (next: %s)", date, sepa.NextBusinessDay(d).Format(time.DateOnly)))
	case r.created != "" && date < r.created:
		c.Problem(ProblemRule, fmt.Sprintf("execution date %s is before the file's creation date %s", date, r.created))
	case r.today != "" && date < r.today:
		c.Problem(ProblemRule, fmt.Sprintf("execution date %s is in the past (today is %s): write the file again with a new date", date, r.today))
	}
}

func (r *verifyRules) amount(c *schema.Cursor, value string) (int64, bool) {
	if ccy := c.Attr(); ccy != "" && ccy != "EUR" {
		c.Problem(ProblemRule, fmt.Sprintf("currency %s: SEPA credit transfers are in EUR", ccy))
	}
	d, ok := schema.ParseDecimal(value)
	if !ok {
		return 0, false
	}
	if d.FracDigits() > 2 {
		c.Problem(ProblemRule, fmt.Sprintf("amount %s has more than 2 decimals", schema.TrimSpace(value)))
		return 0, false
	}
	cents, ok := d.Cents()
	switch {
	case !ok || cents > sepa.MaxAmount:
		c.Problem(ProblemRule, fmt.Sprintf("amount %s is above the SEPA maximum 999999999.99", schema.TrimSpace(value)))
		return 0, false
	case cents < 1:
		c.Problem(ProblemRule, fmt.Sprintf("amount %s is below the SEPA minimum 0.01", schema.TrimSpace(value)))
		return 0, false
	}
	return cents, true
}

func (r *verifyRules) address(c *schema.Cursor) {
	a := r.adr
	if a.party == "debtor" && a.town && a.country {
		r.pmt.debtorAddress = true
	}
	date := r.pmt.date
	if date == "" || date < verifyAddressCutover {
		return
	}
	switch {
	case !a.town && !a.country && a.lines > 0:
		c.Problem(ProblemRule, fmt.Sprintf("%s address has only AdrLine: payments from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.party, verifyAddressCutover, date))
	case !a.town || !a.country:
		var missing []string
		if !a.town {
			missing = append(missing, "TwnNm")
		}
		if !a.country {
			missing = append(missing, "Ctry")
		}
		c.Problem(ProblemRule, fmt.Sprintf("%s address has no %s: payments from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.party, strings.Join(missing, " nor "), verifyAddressCutover, date))
	case a.lines > 2:
		c.Problem(ProblemRule, fmt.Sprintf("%s address has %d AdrLine: a hybrid address (TwnNm and Ctry structured) has at most 2", a.party, a.lines))
	}
}

func (r *verifyRules) transaction(c *schema.Cursor) {
	t, p := &r.tx, &r.pmt
	r.count++
	p.count++
	if t.amountOK && r.sum <= math.MaxInt64-t.amount {
		r.sum += t.amount
		p.total += t.amount
	} else {
		r.sumOK, p.sumOK = false, false // an amount we could not read: the sums cannot be compared
	}
	if !t.serviceLevel && !p.serviceLevel && !p.noted["SvcLvl"] {
		p.noted["SvcLvl"] = true
		c.Problem(ProblemRule, "no service level: PmtTpInf/SvcLvl/Cd SEPA is required, at PmtInf level")
	}
	switch {
	case !t.creditor:
		c.Problem(ProblemRule, "no creditor: a SEPA credit transfer names its creditor (Cdtr/Nm)")
	case !t.creditorName:
		c.Problem(ProblemRule, "the creditor has no name: Cdtr/Nm is required")
	}
	if !t.creditorAcct {
		c.Problem(ProblemRule, "no creditor account: a SEPA credit transfer is paid to an IBAN (CdtrAcct/Id/IBAN)")
	}
	if t.creditorIBAN != "" && t.creditorIBAN == p.debtorIBAN {
		c.Problem(ProblemRule, fmt.Sprintf("creditor account %s is the debtor's account", t.creditorIBAN))
	}
	if !p.debtorAddress && len(t.creditorIBAN) >= 2 && sepa.OutsideEEA(t.creditorIBAN[:2]) &&
		!(len(p.debtorIBAN) >= 2 && sepa.OutsideEEA(p.debtorIBAN[:2])) {
		c.Problem(ProblemRule, fmt.Sprintf("the creditor's bank is in %s, a SEPA country outside the EEA: the debtor's address (at least TwnNm and Ctry) is required",
			t.creditorIBAN[:2]))
	}
	switch {
	case t.ustrd > 0 && t.strd > 0:
		c.Problem(ProblemRule, "RmtInf has both Ustrd and Strd: SEPA allows one or the other")
	case t.ustrd > 1:
		c.Problem(ProblemRule, fmt.Sprintf("RmtInf has %d Ustrd: SEPA allows one (140 characters)", t.ustrd))
	case t.strd > 1:
		c.Problem(ProblemRule, fmt.Sprintf("RmtInf has %d Strd: SEPA allows one", t.strd))
	}
}

func (r *verifyRules) payment(c *schema.Cursor) {
	p := &r.pmt
	if !p.debtorName {
		c.ProblemAt(p.line, p.path, ProblemRule, "the debtor has no name: Dbtr/Nm is required")
	}
	if !p.debtorAddress && len(p.debtorIBAN) >= 2 && sepa.OutsideEEA(p.debtorIBAN[:2]) {
		c.ProblemAt(p.line, p.path, ProblemRule, fmt.Sprintf("the debtor's bank is in %s, a SEPA country outside the EEA: the debtor's address (at least TwnNm and Ctry) is required",
			p.debtorIBAN[:2]))
	}
	r.totals(c, p.nb, p.sum, p.count, p.total, p.sumOK, "this PmtInf")
}

// totals compares declared NbOfTxs and CtrlSum with what was counted.
func (r *verifyRules) totals(c *schema.Cursor, nb, sum verifyDeclared, count int, total int64, sumOK bool, where string) {
	if nb.set {
		if n, err := strconv.ParseInt(nb.value, 10, 64); err == nil && n != int64(count) {
			c.ProblemAt(nb.line, nb.path, ProblemRule, fmt.Sprintf("NbOfTxs is %d but %s has %d transaction%s", n, where, count, plural(count)))
		}
	}
	if sum.set && sumOK {
		d, _ := schema.ParseDecimal(sum.value)
		cents, ok := d.Cents()
		switch {
		case !ok:
			c.ProblemAt(sum.line, sum.path, ProblemRule, fmt.Sprintf("CtrlSum %s cannot be a sum of euro amounts (more than 2 decimals or too large); %s adds up to %s",
				schema.TrimSpace(sum.value), where, sepa.FormatAmount(total)))
		case cents != total:
			c.ProblemAt(sum.line, sum.path, ProblemRule, fmt.Sprintf("CtrlSum is %s but the transactions of %s add up to %s",
				sepa.FormatAmount(cents), where, sepa.FormatAmount(total)))
		}
	}
}

// Finish runs the file-level rules.
func (r *verifyRules) Finish(c *schema.Cursor) {
	if r.grpClosed {
		r.totals(c, r.grpNb, r.grpSum, r.count, r.sum, r.sumOK, "the file")
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// verifyBadChar returns the byte index and the first character of s outside
// the EPC basic Latin set, or -1.
func verifyBadChar(s string) (int, rune) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || !ident.IsEPCBasic(c) {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return i, r
		}
	}
	return -1, 0
}

func verifyShowRune(c rune) string {
	if c < 0x20 || c == 0x7f || c == utf8.RuneError {
		return fmt.Sprintf("U+%04X", c)
	}
	return fmt.Sprintf("%q (U+%04X)", string(c), c)
}
