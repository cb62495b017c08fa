package pain008

import (
	"fmt"
	"hash/maphash"
	"math"
	"time"
	"unicode/utf8"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation"
	"github.com/remit-dev/remit/sepa/internal/schema"
)

// verifyPayment is what pain.008 adds to the state of the open PmtInf
// block.
type verifyPayment struct {
	collection      time.Time // ReqdColltnDt, parsed
	creditorIBAN    string    // CdtrAcct/Id/IBAN
	seq, instrument string
	scheme          bool // CdtrSchmeId at PmtInf level
	creditorName    bool
	creditor        string // its CdtrSchmeId
}

// verifyTx is what pain.008 adds to the state of the open DrctDbtTxInf.
type verifyTx struct {
	seq, instrument string
	scheme          bool
	mandateID       bool
	mandate         string // MndtId
	creditor        string // CdtrSchmeId at transaction level
	signature       string
	amendInd        bool
	amendDetails    bool // AmdmntInfDtls is present
	amendEmpty      bool // … and holds nothing
	debtorName      bool
	debtorIBAN      string
	debtorAddress   bool // Dbtr/PstlAdr with some content
}

// verifyRules implements schema.Rules for pain.008: the rules it shares
// with pain.001 (initiation.Rules), and what only a SEPA direct debit must
// be: sequence types and local instruments, creditor identifiers, mandates
// and their amendments, collection dates.
type verifyRules struct {
	initiation.Rules
	seed        maphash.Seed
	firsts      map[uint64]verifyFirst // hash of creditor and mandate → its first (FRST) or one-off (OOFF) collection
	today       time.Time              // VerifyOptions.Today
	created     time.Time              // date of GrpHdr/CreDtTm
	schemeNamed bool                   // the open creditor identifier's Othr has SchmeNm

	instrument     string // first of CORE/B2B seen in the file
	instrumentLine int
	mixNoted       bool

	pmt verifyPayment
	tx  verifyTx
}

// Start is called when a complex element opens.
func (r *verifyRules) Start(c *schema.Cursor) {
	r.Rules.Start(c)
	switch c.Name() {
	case "PmtInf":
		r.StartBlock(c)
		r.pmt = verifyPayment{}
	case "DrctDbtTxInf":
		r.StartTx()
		r.tx = verifyTx{}
	case "PstlAdr":
		parent, grand := c.Ancestor(1), c.Ancestor(2)
		if (parent == "Cdtr" && grand == "PmtInf") || (parent == "Dbtr" && grand == "DrctDbtTxInf") {
			r.StartAddress(parent)
		}
	case "CdtrSchmeId":
		switch c.Ancestor(1) {
		case "PmtInf":
			r.pmt.scheme = true
		case "DrctDbtTx":
			r.tx.scheme = true
		}
	case "AmdmntInfDtls":
		r.tx.amendDetails = true
	case "Othr":
		if creditorIDOthr(c, 0) {
			r.schemeNamed = false
		}
	}
}

// End is called when a complex element closes, before it is popped.
func (r *verifyRules) End(c *schema.Cursor) {
	r.Rules.End(c)
	switch c.Name() {
	case "PstlAdr":
		if r.Adr.Active {
			if a := r.EndAddress(c); a.Party == "Dbtr" && c.HasChildren() {
				r.tx.debtorAddress = true
			}
		}
	case "AmdmntInfDtls":
		r.tx.amendEmpty = !c.HasChildren()
	case "Othr":
		if creditorIDOthr(c, 0) && !r.schemeNamed {
			c.Problem(ProblemRule, "creditor identifier without SchmeNm/Prtry "+creditorSchemeName+": a SEPA creditor identifier is Othr/Id with SchmeNm/Prtry "+creditorSchemeName)
		}
	case "DrctDbtTxInf":
		r.transaction(c)
	case "PmtInf":
		r.payment(c)
	}
}

// Value is called when a simple element closes; valid says whether the
// value passed the schema facets (the finer rules only look at those).
func (r *verifyRules) Value(c *schema.Cursor, value string, valid bool) {
	epc := r.Chars(c, value)
	if c.Misplaced() || !valid || r.Rules.Value(c, value) {
		return
	}
	name, parent := c.Name(), c.Ancestor(1)
	switch name {
	case "CreDtTm":
		if parent == "GrpHdr" {
			r.created, _ = verifyParseDate(value)
		}
	case "ReqdColltnDt":
		if d, ok := verifyParseDate(value); ok && parent == "PmtInf" {
			r.Block.Date, r.pmt.collection = value[:10], d
			if reason := collectionDateReason(d, r.created, r.today); reason != "" {
				c.Problem(ProblemRule, "collection date "+r.Block.Date+": "+reason)
			}
		}
	case "SeqTp":
		if value == "RPRE" {
			c.Problem(ProblemRule, "sequence type RPRE (re-presented) is not used in SEPA direct debits: use FRST, RCUR, OOFF or FNAL")
		}
		switch c.Ancestor(2) {
		case "PmtInf":
			r.pmt.seq = value
		case "DrctDbtTxInf":
			r.tx.seq = value
		}
	case "Cd", "Prtry":
		switch parent {
		case "LclInstrm":
			r.localInstrument(c, value)
		case "SchmeNm":
			if creditorIDOthr(c, 2) {
				r.schemeNamed = true
				if name != "Prtry" || value != creditorSchemeName {
					c.Problem(ProblemRule, fmt.Sprintf("creditor identifier scheme %s %q: a SEPA creditor identifier has SchmeNm/Prtry %s", name, value, creditorSchemeName))
				}
			}
		}
	case "IBAN":
		// The accounts of a SEPA debit are in the SEPA countries (EPC409-09);
		// the original debtor account of an amendment is only the one left.
		check := ident.ValidateSEPAIBAN
		if c.Ancestor(2) == "OrgnlDbtrAcct" {
			check = ident.ValidateIBAN
		}
		if err := check(value); err != nil {
			c.Problem(ProblemRule, err.Error())
		}
		if parent == "Id" {
			switch {
			case c.Ancestor(2) == "DbtrAcct" && c.Ancestor(3) == "DrctDbtTxInf":
				r.tx.debtorIBAN = value
			case c.Ancestor(2) == "CdtrAcct" && c.Ancestor(3) == "PmtInf":
				r.pmt.creditorIBAN = value
			}
		}
	case "Id":
		switch {
		case parent == "Othr" && c.Ancestor(2) == "PrvtId" && c.Ancestor(3) == "Id" &&
			(c.Ancestor(4) == "CdtrSchmeId" || c.Ancestor(4) == "OrgnlCdtrSchmeId"):
			if err := ident.ValidateICS(value); err != nil {
				c.Problem(ProblemRule, err.Error())
			}
			if c.Ancestor(4) == "CdtrSchmeId" {
				switch c.Ancestor(5) {
				case "PmtInf":
					r.pmt.creditor = value
				case "DrctDbtTx":
					r.tx.creditor = value
				}
			}
		case value == "SMNDA" && parent == "Othr" && c.Ancestor(2) == "FinInstnId" && c.Ancestor(3) == "OrgnlDbtrAgt":
			c.Problem(ProblemRule, "SMNDA in OrgnlDbtrAgt is the pre-2016 usage: a new debtor account is signalled in OrgnlDbtrAcct/Id/Othr/Id")
		}
	case "MndtId", "OrgnlMndtId":
		if name == "MndtId" && parent == "MndtRltdInf" {
			r.tx.mandateID, r.tx.mandate = true, value
		}
		if epc {
			if err := ident.ValidateRUM(value); err != nil {
				c.Problem(ProblemRule, err.Error())
			}
		}
	case "DtOfSgntr":
		if parent == "MndtRltdInf" {
			r.tx.signature = value
		}
	case "AmdmntInd":
		if parent == "MndtRltdInf" {
			t := schema.TrimSpace(value)
			r.tx.amendInd = t == "true" || t == "1"
		}
	case "Nm":
		switch parent {
		case "Cdtr", "Dbtr", "UltmtCdtr", "UltmtDbtr", "InitgPty", "OrgnlCdtrSchmeId":
			if n := utf8.RuneCountInString(value); n > sepa.MaxName {
				c.Problem(ProblemRule, fmt.Sprintf("name of %d characters: the EPC allows %d for %s/Nm", n, sepa.MaxName, parent))
			}
		}
		switch {
		case parent == "Cdtr" && c.Ancestor(2) == "PmtInf":
			r.pmt.creditorName = true
		case parent == "Dbtr" && c.Ancestor(2) == "DrctDbtTxInf":
			r.tx.debtorName = true
		case parent == "InitgPty" && c.Ancestor(2) == "GrpHdr":
			r.NamedInitiatingParty()
		}
	}
}

func (r *verifyRules) localInstrument(c *schema.Cursor, value string) {
	switch {
	case c.Name() == "Prtry":
		c.Problem(ProblemRule, fmt.Sprintf("proprietary local instrument %q: SEPA direct debits use Cd CORE or B2B", value))
	case value == "CORE" || value == "B2B":
		if r.instrument == "" {
			r.instrument, r.instrumentLine = value, c.Line()
		} else if value != r.instrument && !r.mixNoted {
			r.mixNoted = true
			c.Problem(ProblemRule, fmt.Sprintf("the file mixes %s (line %d) and %s: CORE and B2B collections go in separate files", r.instrument, r.instrumentLine, value))
		}
	case value == "COR1":
		c.Problem(ProblemRule, "local instrument COR1 is obsolete (CORE collections have been D-1 since November 2016): use CORE")
	default:
		c.Problem(ProblemRule, fmt.Sprintf("local instrument %q: SEPA direct debits use CORE or B2B", value))
	}
	if c.Ancestor(3) == "PmtInf" {
		r.pmt.instrument = value
	} else {
		r.tx.instrument = value
	}
}

func (r *verifyRules) transaction(c *schema.Cursor) {
	t, p := &r.tx, &r.pmt
	r.CountTx()
	// Payment type and creditor scheme identifier: once per PmtInf block,
	// at the first transaction without them at either level.
	if t.seq == "" && p.seq == "" {
		r.Once(c, "SeqTp", "no sequence type: PmtTpInf/SeqTp (FRST, RCUR, OOFF or FNAL) is required, at PmtInf level")
	}
	if t.instrument == "" && p.instrument == "" {
		r.Once(c, "LclInstrm", "no local instrument: PmtTpInf/LclInstrm/Cd (CORE or B2B) is required, at PmtInf level")
	}
	r.ServiceLevel(c)
	if !t.scheme && !p.scheme {
		r.Once(c, "CdtrSchmeId", "no creditor identifier (CdtrSchmeId), neither in the PmtInf nor in the transaction")
	}
	if !t.mandateID {
		c.Problem(ProblemRule, "no mandate reference: DrctDbtTx/MndtRltdInf/MndtId is required")
	}
	if t.signature == "" {
		c.Problem(ProblemRule, "no mandate signature date: DrctDbtTx/MndtRltdInf/DtOfSgntr is required")
	} else if signed, ok := verifyParseDate(t.signature); ok {
		if reason := signatureDateReason(signed, r.created, p.collection); reason != "" {
			c.Problem(ProblemRule, "mandate signature date (DtOfSgntr) "+t.signature[:10]+": "+reason)
		}
	}
	if t.mandateID {
		r.sequence(c)
	}
	switch {
	case t.amendInd && !t.amendDetails:
		c.Problem(ProblemRule, "AmdmntInd is true but AmdmntInfDtls is missing")
	case t.amendInd && t.amendEmpty:
		c.Problem(ProblemRule, "AmdmntInd is true but the mandate amendment (AmdmntInfDtls) is "+amendmentEmpty)
	}
	if !t.amendInd && t.amendDetails {
		c.Problem(ProblemRule, "AmdmntInfDtls is present but AmdmntInd is not true")
	}
	r.Remittance(c)
	if !t.debtorName {
		c.Problem(ProblemRule, "the debtor has no name: Dbtr/Nm is required")
	}
	if !t.debtorAddress && sepa.NeedsPayerAddress(t.debtorIBAN, p.creditorIBAN) {
		c.Problem(ProblemRule, fmt.Sprintf("the debtor has no address: with a bank in a SEPA country outside the EEA (debtor IBAN %s, creditor IBAN %s) Dbtr/PstlAdr with at least TwnNm and Ctry is required",
			verifyCountryOf(t.debtorIBAN), verifyCountryOf(p.creditorIBAN)))
	}
}

// verifyFirst is a mandate's first or one-off collection in the file.
type verifyFirst struct {
	line int32
	seq  string
	date string
}

// sequence checks a transaction's sequence type against the mandate's
// other collections in the file: one FRST (or OOFF) per mandate, and a
// recurrent collection after its mandate's first one comes on a later
// date. (An RCUR written before its FRST in the file is not compared.)
func (r *verifyRules) sequence(c *schema.Cursor) {
	t, p, line := &r.tx, &r.pmt, c.Line()
	seq, creditor := t.seq, t.creditor
	if seq == "" {
		seq = p.seq
	}
	if creditor == "" {
		creditor = p.creditor
	}
	h := maphash.String(r.seed, creditor+"\x00"+t.mandate)
	first, seen := r.firsts[h]
	switch seq {
	case "FRST", "OOFF":
		if seen {
			c.Problem(ProblemRule, fmt.Sprintf("mandate %q already has a %s collection at line %d: a mandate has one first collection (FRST) pending, a one-off mandate (OOFF) one collection",
				t.mandate, first.seq, first.line))
			return
		}
		r.firsts[h] = verifyFirst{line: int32(min(line, math.MaxInt32)), seq: seq, date: r.Block.Date}
	case "RCUR", "FNAL":
		switch {
		case seen && first.seq == "OOFF":
			c.Problem(ProblemRule, fmt.Sprintf("mandate %q is collected once (OOFF at line %d), not again as %s", t.mandate, first.line, seq))
		case seen && first.date != "" && r.Block.Date != "" && r.Block.Date <= first.date:
			c.Problem(ProblemRule, fmt.Sprintf("mandate %q: %s collection on %s, not after its first collection (FRST at line %d) on %s",
				t.mandate, seq, r.Block.Date, first.line, first.date))
		}
	}
}

func (r *verifyRules) payment(c *schema.Cursor) {
	if !r.pmt.creditorName {
		c.ProblemAt(r.Block.Line, r.Block.Path, ProblemRule, "the creditor has no name: Cdtr/Nm is required")
	}
	r.BlockTotals(c)
}

// creditorIDOthr reports whether the k-th open element above the one at
// hand is the Othr of a creditor identifier (CdtrSchmeId or
// OrgnlCdtrSchmeId /Id/PrvtId/Othr).
func creditorIDOthr(c *schema.Cursor, k int) bool {
	if c.Ancestor(k) != "Othr" || c.Ancestor(k+1) != "PrvtId" || c.Ancestor(k+2) != "Id" {
		return false
	}
	s := c.Ancestor(k + 3)
	return s == "CdtrSchmeId" || s == "OrgnlCdtrSchmeId"
}

// verifyParseDate reads the date at the start of a schema-valid ISODate or
// ISODateTime ("2026-12-01", "2026-12-01Z", "2026-11-27T10:15:00+01:00"),
// as written: the time and zone are not applied.
func verifyParseDate(value string) (time.Time, bool) {
	if len(value) < 10 {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, value[:10])
	return d, err == nil
}

// verifyCountryOf renders an IBAN's country for a message, e.g. "CH…".
func verifyCountryOf(iban string) string {
	if len(iban) < 2 {
		return "none"
	}
	return iban[:2] + "…"
}
