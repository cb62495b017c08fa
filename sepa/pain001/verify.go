package pain001

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation"
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
		V03.Namespace(): schemaPain001(V03),
		V09.Namespace(): schemaPain001(V09),
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
	rules := &verifyRules{}
	rules.Init(initn)
	if !o.Today.IsZero() {
		rules.today = o.Today.Format(time.DateOnly)
	}
	rep, err := schema.Validate(r, verifyMessage, rules)
	out := &Report{Report: *rep}
	out.Transactions, out.Total = rules.Count()
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

// verifyPayment is what pain.001 adds to the state of the open PmtInf
// block.
type verifyPayment struct {
	debtorName    bool
	debtorIBAN    string
	debtorAddress bool // Dbtr/PstlAdr has TwnNm and Ctry
}

// verifyTx is what pain.001 adds to the state of the open CdtTrfTxInf.
type verifyTx struct {
	creditor     bool // Cdtr present
	creditorName bool
	creditorAcct bool
	creditorIBAN string
}

// verifyRules implements schema.Rules for pain.001: the rules it shares
// with pain.008 (initiation.Rules), and what only a SEPA credit transfer
// must be.
type verifyRules struct {
	initiation.Rules
	created string // CreDtTm's date
	today   string // VerifyOptions.Today's date, or ""

	pmt verifyPayment
	tx  verifyTx
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
	r.Rules.Start(c)
	switch c.Name() {
	case "PmtInf":
		r.StartBlock(c)
		r.pmt = verifyPayment{}
	case "CdtTrfTxInf":
		r.StartTx()
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
			r.StartAddress(party)
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
	r.Rules.End(c)
	switch c.Name() {
	case "PstlAdr":
		if r.Adr.Active {
			if a := r.EndAddress(c); a.Party == "debtor" && a.Town && a.Country {
				r.pmt.debtorAddress = true
			}
		}
	case "CdtTrfTxInf":
		r.transaction(c)
	case "PmtInf":
		r.payment(c)
	}
}

func (r *verifyRules) Value(c *schema.Cursor, value string, valid bool) {
	r.Chars(c, value)
	if c.Misplaced() || !valid || r.Rules.Value(c, value) {
		return
	}
	parent := c.Ancestor(1)
	switch name := c.Name(); name {
	case "CreDtTm":
		if parent == "GrpHdr" && len(value) >= 10 {
			r.created = value[:10]
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
	case "Id":
		if value == "NOTPROVIDED" && parent == "Othr" && c.Ancestor(2) == "FinInstnId" && c.Namespace() == V09.Namespace() {
			c.Problem(ProblemRule, "Othr/Id NOTPROVIDED is not a bank: in pain.001.001.09 leave CdtrAgt out, and DbtrAgt/FinInstnId empty, when the BIC is unknown (banks refuse NOTPROVIDED)")
		}
	case "Nm":
		party := verifyParty(parent, c.Ancestor(2))
		if party == "" {
			return
		}
		if n := utf8.RuneCountInString(value); n > sepa.MaxName {
			c.Problem(ProblemRule, fmt.Sprintf("%s name has %d characters; the EPC allows %d", party, n, sepa.MaxName))
		}
		switch party {
		case "debtor":
			r.pmt.debtorName = true
		case "creditor":
			r.tx.creditorName = true
		case "initiating party":
			r.NamedInitiatingParty()
		}
	}
}

// executionDate: a TARGET2 business day, not before the creation date nor
// before today (when the caller says which day it is).
func (r *verifyRules) executionDate(c *schema.Cursor, value string) {
	if len(value) < 10 || value[4] != '-' {
		return
	}
	date := value[:10]
	r.Block.Date = date
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

func (r *verifyRules) transaction(c *schema.Cursor) {
	t, p := &r.tx, &r.pmt
	r.CountTx()
	r.ServiceLevel(c)
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
	if !p.debtorAddress && sepa.NeedsPayerAddress(t.creditorIBAN, "") && !sepa.NeedsPayerAddress(p.debtorIBAN, "") {
		c.Problem(ProblemRule, fmt.Sprintf("the creditor's bank is in %s, a SEPA country outside the EEA: the debtor's address (at least TwnNm and Ctry) is required",
			t.creditorIBAN[:2]))
	}
	r.Remittance(c)
}

func (r *verifyRules) payment(c *schema.Cursor) {
	p := &r.pmt
	if !p.debtorName {
		c.ProblemAt(r.Block.Line, r.Block.Path, ProblemRule, "the debtor has no name: Dbtr/Nm is required")
	}
	if !p.debtorAddress && sepa.NeedsPayerAddress(p.debtorIBAN, "") {
		c.ProblemAt(r.Block.Line, r.Block.Path, ProblemRule, fmt.Sprintf("the debtor's bank is in %s, a SEPA country outside the EEA: the debtor's address (at least TwnNm and Ctry) is required",
			p.debtorIBAN[:2]))
	}
	r.BlockTotals(c)
}
