package initiation

import (
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/schema"
)

// AddressCutover is the first settlement date, as written in a file, on
// which the SEPA rulebooks refuse unstructured (AdrLine-only) addresses:
// from then on an address is structured or hybrid, with at least TwnNm and
// Ctry (EPC rulebooks 2025 v1.1, EPC153-22 v2.1); sepa.StrictAddresses
// holds the date.
var AddressCutover = sepa.StructuredAddressesFrom.Format(time.DateOnly)

// Rules are the EPC rules pain.008 and pain.001 check alike on a file
// being read, in the same pass as the schema: the declared NbOfTxs and
// CtrlSum against the transactions, identifiers (no '/' at either end, no
// "//", PmtInfId and EndToEndId unique), the EPC character set, amounts in
// euro of 0.01 to 999999999.99, BICs, service level SEPA, charge bearer
// SLEV, an initiating party that names someone, addresses after the
// cutover, one remittance information. A message's schema.Rules holds one,
// starts it with Init, and calls it from its own Start, End, Value and
// Finish, where the shared rules fall in the order of its own.
type Rules struct {
	m         Message
	seed      maphash.Seed
	endToEnd  map[uint64]int32 // hash of each EndToEndId → line; 64-bit hashes, collisions negligible for 10⁶ ids
	pmtInfIDs map[string]int
	grpNb     Declared
	grpSum    Declared
	grpClosed bool
	count     int
	sum       int64
	sumOK     bool
	initgName bool // InitgPty/Nm seen
	initgID   bool // InitgPty/Id seen

	Block Block   // the open PmtInf
	Tx    Tx      // the open transaction
	Adr   Address // the open PstlAdr of a party the rules check
}

// Declared is a count or sum declared in a header, checked later against
// what the file holds.
type Declared struct {
	set   bool
	value string
	line  int
	path  string
}

// Block is the shared state of the open PmtInf block.
type Block struct {
	nb, sum Declared
	count   int
	total   int64
	sumOK   bool
	noted   map[string]bool // "missing X" problems already reported for this block
	// Date is the block's settlement date (ReqdColltnDt, ReqdExctnDt) when
	// a plain YYYY-MM-DD, which decides the address rule; the message sets it.
	Date         string
	ServiceLevel bool // PmtTpInf/SvcLvl at block level
	Line         int
	Path         string
}

// Tx is the shared state of the open transaction.
type Tx struct {
	amount       int64
	amountOK     bool
	ServiceLevel bool // PmtTpInf/SvcLvl at transaction level
	ustrd, strd  int
}

// Address is the state of an open PstlAdr of a party the rules check.
type Address struct {
	Active        bool
	Party         string // "debtor", "creditor"…: the messages say which
	Town, Country bool
	Lines         int
}

// Init starts the rules of message m for one file.
func (r *Rules) Init(m Message) {
	*r = Rules{m: m, seed: maphash.MakeSeed(), endToEnd: map[uint64]int32{}, pmtInfIDs: map[string]int{}, sumOK: true}
}

// Count returns the transactions read so far and the sum of their
// well-formed amounts.
func (r *Rules) Count() (int, int64) { return r.count, r.sum }

// StartBlock opens a PmtInf block.
func (r *Rules) StartBlock(c *schema.Cursor) {
	r.Block = Block{sumOK: true, Line: c.Line(), Path: c.Path(), noted: map[string]bool{}}
}

// StartTx opens a transaction.
func (r *Rules) StartTx() { r.Tx = Tx{} }

// StartAddress opens the PstlAdr of party.
func (r *Rules) StartAddress(party string) { r.Adr = Address{Active: true, Party: party} }

// Start sees the complex elements both messages treat alike: the Strd of a
// remittance information, the Id of the initiating party.
func (r *Rules) Start(c *schema.Cursor) {
	switch c.Name() {
	case "Strd":
		if c.Ancestor(1) == "RmtInf" {
			r.Tx.strd++
		}
	case "Id":
		if c.Ancestor(1) == "InitgPty" {
			r.initgID = true
		}
	}
}

// End sees the end of the complex elements both messages treat alike: the
// initiating party, and the message element.
func (r *Rules) End(c *schema.Cursor) {
	switch c.Name() {
	case "InitgPty":
		if c.Ancestor(1) == "GrpHdr" && !r.initgName && !r.initgID {
			c.Problem(schema.ProblemRule, "the initiating party is empty: InitgPty needs a name (Nm) or an identification (Id)")
		}
	case r.m.Root:
		r.grpClosed = true
	}
}

// Chars reports a value holding a character outside the EPC basic Latin
// set, and returns false for it; it sees every value, even one the schema
// refuses or out of place.
func (r *Rules) Chars(c *schema.Cursor, value string) bool {
	for i := 0; i < len(value); i++ {
		if b := value[i]; b >= utf8.RuneSelf || !ident.IsEPCBasic(b) {
			ch, _ := utf8.DecodeRuneInString(value[i:])
			c.Problem(schema.ProblemRule, fmt.Sprintf("character %s is not in the EPC basic Latin set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space)", showRune(ch)))
			return false
		}
	}
	return true
}

// Value checks the simple elements both messages treat alike, of a value
// in its place that passed the schema facets, and reports whether it was
// one of them; the message checks the others.
func (r *Rules) Value(c *schema.Cursor, value string) bool {
	name, parent := c.Name(), c.Ancestor(1)
	switch name {
	case "MsgId":
		if parent == "GrpHdr" {
			r.identifier(c, name, value)
		}
	case "NbOfTxs", "CtrlSum":
		d := Declared{set: true, value: value, line: c.Line(), path: c.Path()}
		switch {
		case parent == "GrpHdr" && name == "NbOfTxs":
			r.grpNb = d
		case parent == "GrpHdr":
			r.grpSum = d
		case parent == "PmtInf" && name == "NbOfTxs":
			r.Block.nb = d
		case parent == "PmtInf":
			r.Block.sum = d
		}
	case "PmtInfId":
		if parent == "PmtInf" {
			r.identifier(c, name, value)
			if line, dup := r.pmtInfIDs[value]; dup {
				c.Problem(schema.ProblemRule, fmt.Sprintf("PmtInfId %q is already used at line %d; it must be unique", value, line))
			} else {
				r.pmtInfIDs[value] = c.Line()
			}
		}
	case "EndToEndId":
		if parent == "PmtId" {
			r.identifier(c, name, value)
			h := maphash.String(r.seed, value)
			if line, dup := r.endToEnd[h]; dup {
				c.Problem(schema.ProblemRule, fmt.Sprintf("EndToEndId %q is already used at line %d; it must be unique in the file", value, line))
			} else {
				r.endToEnd[h] = int32(min(c.Line(), math.MaxInt32))
			}
		}
	case "InstrId":
		r.identifier(c, name, value)
	case "InstdAmt":
		if parent != r.m.AmountIn {
			return false
		}
		r.Tx.amount, r.Tx.amountOK = r.amount(c, value)
	case "Cd", "Prtry":
		if parent != "SvcLvl" {
			return false
		}
		if name != "Cd" || value != "SEPA" {
			c.Problem(schema.ProblemRule, fmt.Sprintf("service level %s %q: %s use Cd SEPA", name, value, r.m.Payments))
		}
		if c.Ancestor(3) == "PmtInf" {
			r.Block.ServiceLevel = true
		} else {
			r.Tx.ServiceLevel = true
		}
	case "BIC", "BICFI", "AnyBIC", "BICOrBEI":
		if err := ident.ValidateBIC(value); err != nil {
			c.Problem(schema.ProblemRule, err.Error())
		}
	case "ChrgBr":
		if value != "SLEV" {
			c.Problem(schema.ProblemRule, fmt.Sprintf("charge bearer %s: %s use SLEV", value, r.m.Payments))
		}
	case "Ustrd":
		if parent == "RmtInf" {
			r.Tx.ustrd++
		}
	case "TwnNm", "Ctry", "AdrLine":
		if r.Adr.Active && parent == "PstlAdr" {
			switch name {
			case "TwnNm":
				r.Adr.Town = true
			case "Ctry":
				r.Adr.Country = true
			default:
				r.Adr.Lines++
			}
		}
	default:
		return false
	}
	return true
}

// NamedInitiatingParty records the initiating party's Nm.
func (r *Rules) NamedInitiatingParty() { r.initgName = true }

// identifier applies the EPC rule for references that travel end to end:
// no '/' at either end, no "//".
func (r *Rules) identifier(c *schema.Cursor, name, value string) {
	if strings.HasPrefix(value, "/") || strings.HasSuffix(value, "/") || strings.Contains(value, "//") {
		c.Problem(schema.ProblemRule, fmt.Sprintf("%s %q must not start or end with '/' nor contain '//'", name, value))
	}
}

func (r *Rules) amount(c *schema.Cursor, value string) (int64, bool) {
	if ccy := c.Attr(); ccy != "" && ccy != "EUR" {
		c.Problem(schema.ProblemRule, fmt.Sprintf("currency %s: %s are in EUR", ccy, r.m.Payments))
	}
	d, ok := schema.ParseDecimal(value)
	if !ok {
		return 0, false
	}
	if d.FracDigits() > 2 {
		c.Problem(schema.ProblemRule, fmt.Sprintf("amount %s has more than 2 decimals", schema.TrimSpace(value)))
		return 0, false
	}
	cents, ok := d.Cents()
	switch {
	case !ok || cents > sepa.MaxAmount:
		c.Problem(schema.ProblemRule, fmt.Sprintf("amount %s is above the SEPA maximum 999999999.99", schema.TrimSpace(value)))
		return 0, false
	case cents < 1:
		c.Problem(schema.ProblemRule, fmt.Sprintf("amount %s is below the SEPA minimum 0.01", schema.TrimSpace(value)))
		return 0, false
	}
	return cents, true
}

// EndAddress checks the party's address that closes, and returns what it
// held: from the cutover, a structured or hybrid address (TwnNm and Ctry,
// at most two AdrLine).
func (r *Rules) EndAddress(c *schema.Cursor) Address {
	a := r.Adr
	r.Adr.Active = false
	date := r.Block.Date
	if date == "" || date < AddressCutover {
		return a
	}
	switch {
	case !a.Town && !a.Country && a.Lines > 0:
		c.Problem(schema.ProblemRule, fmt.Sprintf("%s address has only AdrLine: %s from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.Party, r.m.Dated, AddressCutover, date))
	case !a.Town || !a.Country:
		var missing []string
		if !a.Town {
			missing = append(missing, "TwnNm")
		}
		if !a.Country {
			missing = append(missing, "Ctry")
		}
		c.Problem(schema.ProblemRule, fmt.Sprintf("%s address has no %s: %s from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.Party, strings.Join(missing, " nor "), r.m.Dated, AddressCutover, date))
	case a.Lines > 2:
		c.Problem(schema.ProblemRule, fmt.Sprintf("%s address has %d AdrLine: a hybrid address (TwnNm and Ctry structured) has at most 2", a.Party, a.Lines))
	}
	return a
}

// CountTx adds the closing transaction to the totals of its block and of
// the file; an amount that could not be read leaves the sums uncompared.
func (r *Rules) CountTx() {
	t, p := &r.Tx, &r.Block
	r.count++
	p.count++
	if t.amountOK && r.sum <= math.MaxInt64-t.amount {
		r.sum += t.amount
		p.total += t.amount
	} else {
		r.sumOK, p.sumOK = false, false
	}
}

// Once reports msg at the closing transaction, unless a problem of the same
// key was reported in its block already.
func (r *Rules) Once(c *schema.Cursor, key, msg string) {
	if !r.Block.noted[key] {
		r.Block.noted[key] = true
		c.Problem(schema.ProblemRule, msg)
	}
}

// ServiceLevel reports, once per block, a transaction without SvcLvl at
// either level.
func (r *Rules) ServiceLevel(c *schema.Cursor) {
	if !r.Tx.ServiceLevel && !r.Block.ServiceLevel {
		r.Once(c, "SvcLvl", "no service level: PmtTpInf/SvcLvl/Cd SEPA is required, at PmtInf level")
	}
}

// Remittance checks the closing transaction's RmtInf: one Ustrd or one
// Strd.
func (r *Rules) Remittance(c *schema.Cursor) {
	switch t := &r.Tx; {
	case t.ustrd > 0 && t.strd > 0:
		c.Problem(schema.ProblemRule, "RmtInf has both Ustrd and Strd: SEPA allows one or the other")
	case t.ustrd > 1:
		c.Problem(schema.ProblemRule, fmt.Sprintf("RmtInf has %d Ustrd: SEPA allows one (140 characters)", t.ustrd))
	case t.strd > 1:
		c.Problem(schema.ProblemRule, fmt.Sprintf("RmtInf has %d Strd: SEPA allows one", t.strd))
	}
}

// BlockTotals compares the closing block's declared NbOfTxs and CtrlSum
// with its transactions.
func (r *Rules) BlockTotals(c *schema.Cursor) {
	p := &r.Block
	totals(c, p.nb, p.sum, p.count, p.total, p.sumOK, "this PmtInf")
}

// Finish compares the group header's NbOfTxs and CtrlSum with the file's
// transactions, when the message element was read to its end.
func (r *Rules) Finish(c *schema.Cursor) {
	if r.grpClosed {
		totals(c, r.grpNb, r.grpSum, r.count, r.sum, r.sumOK, "the file")
	}
}

// totals compares declared NbOfTxs and CtrlSum with what was counted.
func totals(c *schema.Cursor, nb, sum Declared, count int, total int64, sumOK bool, where string) {
	if nb.set {
		if n, err := strconv.ParseInt(nb.value, 10, 64); err == nil && n != int64(count) {
			c.ProblemAt(nb.line, nb.path, schema.ProblemRule, fmt.Sprintf("NbOfTxs is %d but %s has %d transaction%s", n, where, count, plural(count)))
		}
	}
	if sum.set && sumOK {
		d, _ := schema.ParseDecimal(sum.value)
		cents, ok := d.Cents()
		switch {
		case !ok:
			c.ProblemAt(sum.line, sum.path, schema.ProblemRule, fmt.Sprintf("CtrlSum %s cannot be a sum of euro amounts (more than 2 decimals or too large); %s adds up to %s",
				schema.TrimSpace(sum.value), where, sepa.FormatAmount(total)))
		case cents != total:
			c.ProblemAt(sum.line, sum.path, schema.ProblemRule, fmt.Sprintf("CtrlSum is %s but the transactions of %s add up to %s",
				sepa.FormatAmount(cents), where, sepa.FormatAmount(total)))
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func showRune(c rune) string {
	if c < 0x20 || c == 0x7f || c == utf8.RuneError {
		return fmt.Sprintf("U+%04X", c)
	}
	return fmt.Sprintf("%q (U+%04X)", string(c), c)
}
