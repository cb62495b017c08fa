package pain008

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

// verifyAddressCutover is the first settlement date on which the SEPA
// rulebooks refuse unstructured (AdrLine-only) addresses: from then on an
// address is structured or hybrid, with at least TwnNm and Ctry (EPC
// rulebooks 2025 v1.1, EPC153-22 v2.1).
const verifyAddressCutover = "2026-11-15"

// verifyMaxAmount is the largest SEPA amount, 999 999 999.99 EUR, in cents.
const verifyMaxAmount = 99999999999

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
	nb, sum         verifyDeclared
	count           int
	total           int64
	sumOK           bool
	date            string    // ReqdColltnDt, when a plain YYYY-MM-DD
	collection      time.Time // the same date, parsed
	creditorIBAN    string    // CdtrAcct/Id/IBAN
	seq, instrument string
	serviceLevel    bool
	scheme          bool // CdtrSchmeId at PmtInf level
	creditorName    bool
	creditor        string          // its CdtrSchmeId
	noted           map[string]bool // "missing X" problems already reported for this block
	line            int
	path            string
	active          bool
}

// verifyTx is the state of the open DrctDbtTxInf.
type verifyTx struct {
	active          bool
	amount          int64
	amountOK        bool
	seq, instrument string
	serviceLevel    bool
	scheme          bool
	mandateID       bool
	mandate         string // MndtId
	creditor        string // CdtrSchmeId at transaction level
	signature       string
	amendInd        bool
	amendDetails    bool // AmdmntInfDtls is present
	amendEmpty      bool // … and holds nothing
	ustrd, strd     int
	debtorName      bool
	debtorIBAN      string
	debtorAddress   bool // Dbtr/PstlAdr with some content
}

// verifyAddress is the state of an open Cdtr or Dbtr PstlAdr.
type verifyAddress struct {
	active        bool
	party         string
	town, country bool
	lines         int
}

// verifyRules checks, in the same pass as the schema, what the ISO schema
// cannot say: totals, check digits, EPC character set and code usage,
// addresses, identifier uniqueness.
type verifyRules struct {
	seed      maphash.Seed
	endToEnd  map[uint64]int32       // hash of each EndToEndId → line; 64-bit hashes, collisions negligible for 10⁶ ids
	firsts    map[uint64]verifyFirst // hash of creditor and mandate → its first (FRST) or one-off (OOFF) collection
	pmtInfIDs map[string]int
	grpNb     verifyDeclared
	grpSum    verifyDeclared
	grpClosed bool
	count     int
	sum       int64
	sumOK     bool

	today       time.Time // VerifyOptions.Today
	created     time.Time // date of GrpHdr/CreDtTm
	initgName   bool      // InitgPty/Nm seen
	initgID     bool      // InitgPty/Id seen
	schemeNamed bool      // the open creditor identifier's Othr has SchmeNm

	instrument     string // first of CORE/B2B seen in the file
	instrumentLine int
	mixNoted       bool

	pmt verifyPayment
	tx  verifyTx
	adr verifyAddress
}

func (r *verifyRules) init(o VerifyOptions) {
	r.today = o.Today
	r.seed = maphash.MakeSeed()
	r.endToEnd = make(map[uint64]int32)
	r.firsts = make(map[uint64]verifyFirst)
	r.pmtInfIDs = make(map[string]int)
	r.sumOK = true
}

// ruleStart is called when a complex element opens.
func (v *verifier) ruleStart(f *verifyFrame) {
	if f.misplaced {
		return
	}
	r := &v.rules
	switch f.name {
	case "PmtInf":
		r.pmt = verifyPayment{active: true, sumOK: true, line: f.line, path: v.path(), noted: map[string]bool{}}
	case "DrctDbtTxInf":
		r.tx = verifyTx{active: true}
	case "PstlAdr":
		parent, grand := v.ancestor(1), v.ancestor(2)
		if (parent == "Cdtr" && grand == "PmtInf") || (parent == "Dbtr" && grand == "DrctDbtTxInf") {
			r.adr = verifyAddress{active: true, party: parent}
		}
	case "CdtrSchmeId":
		switch v.ancestor(1) {
		case "PmtInf":
			r.pmt.scheme = true
		case "DrctDbtTx":
			r.tx.scheme = true
		}
	case "AmdmntInfDtls":
		r.tx.amendDetails = true
	case "Othr":
		if v.creditorIDOthr() {
			r.schemeNamed = false
		}
	case "Id":
		if v.ancestor(1) == "InitgPty" {
			r.initgID = true
		}
	case "Strd":
		if v.ancestor(1) == "RmtInf" {
			r.tx.strd++
		}
	}
}

// ruleEnd is called when a complex element closes, before it is popped.
func (v *verifier) ruleEnd(f *verifyFrame) {
	if f.misplaced {
		return
	}
	r := &v.rules
	switch f.name {
	case "PstlAdr":
		if r.adr.active {
			v.ruleAddress()
			if r.adr.party == "Dbtr" && f.pos >= 0 {
				r.tx.debtorAddress = true
			}
			r.adr.active = false
		}
	case "AmdmntInfDtls":
		r.tx.amendEmpty = f.pos < 0
	case "Othr":
		if v.creditorIDOthr() && !r.schemeNamed {
			v.problem(ProblemRule, "creditor identifier without SchmeNm/Prtry "+creditorSchemeName+": a SEPA creditor identifier is Othr/Id with SchmeNm/Prtry "+creditorSchemeName)
		}
	case "InitgPty":
		if v.ancestor(1) == "GrpHdr" && !r.initgName && !r.initgID {
			v.problem(ProblemRule, "the initiating party is empty: InitgPty needs a name (Nm) or an identification (Id)")
		}
	case "DrctDbtTxInf":
		if r.tx.active {
			v.ruleTransaction(f)
			r.tx.active = false
		}
	case "PmtInf":
		if r.pmt.active {
			v.rulePayment()
			r.pmt.active = false
		}
	case "CstmrDrctDbtInitn":
		r.grpClosed = true
	}
}

// ruleValue is called when a simple element closes; valid says whether the
// value passed the schema facets (the finer rules only look at those).
func (v *verifier) ruleValue(f *verifyFrame, value string, valid bool) {
	if i, c := verifyBadChar(value); i >= 0 {
		v.problem(ProblemRule, fmt.Sprintf("character %s is not in the EPC basic Latin set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space)", verifyShowRune(c)))
	}
	if f.misplaced || !valid {
		return
	}
	r := &v.rules
	parent := v.ancestor(1)
	switch f.name {
	case "MsgId":
		if parent == "GrpHdr" {
			v.ruleIdentifier("MsgId", value)
		}
	case "NbOfTxs", "CtrlSum":
		d := verifyDeclared{set: true, value: value, line: f.line, path: v.path()}
		switch {
		case parent == "GrpHdr" && f.name == "NbOfTxs":
			r.grpNb = d
		case parent == "GrpHdr":
			r.grpSum = d
		case parent == "PmtInf" && f.name == "NbOfTxs":
			r.pmt.nb = d
		case parent == "PmtInf":
			r.pmt.sum = d
		}
	case "PmtInfId":
		if parent == "PmtInf" {
			v.ruleIdentifier("PmtInfId", value)
			if line, dup := r.pmtInfIDs[value]; dup {
				v.problem(ProblemRule, fmt.Sprintf("PmtInfId %q is already used at line %d; it must be unique", value, line))
			} else {
				r.pmtInfIDs[value] = f.line
			}
		}
	case "CreDtTm":
		if parent == "GrpHdr" {
			r.created, _ = verifyParseDate(value)
		}
	case "ReqdColltnDt":
		if d, ok := verifyParseDate(value); ok && parent == "PmtInf" {
			r.pmt.date, r.pmt.collection = value[:10], d
			if reason := collectionDateReason(d, r.created, r.today); reason != "" {
				v.problem(ProblemRule, "collection date "+r.pmt.date+": "+reason)
			}
		}
	case "SeqTp":
		if value == "RPRE" {
			v.problem(ProblemRule, "sequence type RPRE (re-presented) is not used in SEPA direct debits: use FRST, RCUR, OOFF or FNAL")
		}
		switch v.ancestor(2) {
		case "PmtInf":
			r.pmt.seq = value
		case "DrctDbtTxInf":
			r.tx.seq = value
		}
	case "Cd", "Prtry":
		switch parent {
		case "LclInstrm":
			v.ruleInstrument(f, value)
		case "SchmeNm":
			if v.creditorIDOthrAt(2) {
				r.schemeNamed = true
				if f.name != "Prtry" || value != creditorSchemeName {
					v.problem(ProblemRule, fmt.Sprintf("creditor identifier scheme %s %q: a SEPA creditor identifier has SchmeNm/Prtry %s", f.name, value, creditorSchemeName))
				}
			}
		case "SvcLvl":
			if f.name != "Cd" || value != "SEPA" {
				v.problem(ProblemRule, fmt.Sprintf("service level %s %q: SEPA direct debits use Cd SEPA", f.name, value))
			}
			if v.ancestor(3) == "PmtInf" {
				r.pmt.serviceLevel = true
			} else {
				r.tx.serviceLevel = true
			}
		}
	case "EndToEndId":
		if parent == "PmtId" {
			v.ruleIdentifier("EndToEndId", value)
			h := maphash.String(r.seed, value)
			if line, dup := r.endToEnd[h]; dup {
				v.problem(ProblemRule, fmt.Sprintf("EndToEndId %q is already used at line %d; it must be unique in the file", value, line))
			} else {
				r.endToEnd[h] = int32(min(f.line, math.MaxInt32))
			}
		}
	case "InstrId":
		v.ruleIdentifier("InstrId", value)
	case "InstdAmt":
		if parent == "DrctDbtTxInf" {
			r.tx.amount, r.tx.amountOK = v.ruleAmount(f, value)
		}
	case "IBAN":
		// The accounts of a SEPA debit are in the SEPA countries (EPC409-09);
		// the original debtor account of an amendment is only the one left.
		check := ident.ValidateSEPAIBAN
		if v.ancestor(2) == "OrgnlDbtrAcct" {
			check = ident.ValidateIBAN
		}
		if err := check(value); err != nil {
			v.problem(ProblemRule, err.Error())
		}
		if parent == "Id" {
			switch {
			case v.ancestor(2) == "DbtrAcct" && v.ancestor(3) == "DrctDbtTxInf":
				r.tx.debtorIBAN = value
			case v.ancestor(2) == "CdtrAcct" && v.ancestor(3) == "PmtInf":
				r.pmt.creditorIBAN = value
			}
		}
	case "BIC", "BICFI", "AnyBIC", "BICOrBEI":
		if err := ident.ValidateBIC(value); err != nil {
			v.problem(ProblemRule, err.Error())
		}
	case "Id":
		switch {
		case parent == "Othr" && v.ancestor(2) == "PrvtId" && v.ancestor(3) == "Id" &&
			(v.ancestor(4) == "CdtrSchmeId" || v.ancestor(4) == "OrgnlCdtrSchmeId"):
			if err := ident.ValidateICS(value); err != nil {
				v.problem(ProblemRule, err.Error())
			}
			if v.ancestor(4) == "CdtrSchmeId" {
				switch v.ancestor(5) {
				case "PmtInf":
					r.pmt.creditor = value
				case "DrctDbtTx":
					r.tx.creditor = value
				}
			}
		case value == "SMNDA" && parent == "Othr" && v.ancestor(2) == "FinInstnId" && v.ancestor(3) == "OrgnlDbtrAgt":
			v.problem(ProblemRule, "SMNDA in OrgnlDbtrAgt is the pre-2016 usage: a new debtor account is signalled in OrgnlDbtrAcct/Id/Othr/Id")
		}
	case "MndtId", "OrgnlMndtId":
		if f.name == "MndtId" && parent == "MndtRltdInf" {
			r.tx.mandateID, r.tx.mandate = true, value
		}
		if i, _ := verifyBadChar(value); i < 0 {
			if err := ident.ValidateRUM(value); err != nil {
				v.problem(ProblemRule, err.Error())
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
	case "ChrgBr":
		if value != "SLEV" {
			v.problem(ProblemRule, fmt.Sprintf("charge bearer %s: SEPA direct debits use SLEV", value))
		}
	case "Ustrd":
		if parent == "RmtInf" {
			r.tx.ustrd++
		}
	case "Nm":
		switch parent {
		case "Cdtr", "Dbtr", "UltmtCdtr", "UltmtDbtr", "InitgPty", "OrgnlCdtrSchmeId":
			if n := utf8.RuneCountInString(value); n > sepa.MaxName {
				v.problem(ProblemRule, fmt.Sprintf("name of %d characters: the EPC allows %d for %s/Nm", n, sepa.MaxName, parent))
			}
		}
		switch {
		case parent == "Cdtr" && v.ancestor(2) == "PmtInf":
			r.pmt.creditorName = true
		case parent == "Dbtr" && v.ancestor(2) == "DrctDbtTxInf":
			r.tx.debtorName = true
		case parent == "InitgPty" && v.ancestor(2) == "GrpHdr":
			r.initgName = true
		}
	case "TwnNm", "Ctry", "AdrLine":
		if r.adr.active && parent == "PstlAdr" {
			switch f.name {
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

// ruleIdentifier applies the EPC rule for references that travel end to
// end: no '/' at either end, no "//".
func (v *verifier) ruleIdentifier(name, value string) {
	if strings.HasPrefix(value, "/") || strings.HasSuffix(value, "/") || strings.Contains(value, "//") {
		v.problem(ProblemRule, fmt.Sprintf("%s %q must not start or end with '/' nor contain '//'", name, value))
	}
}

func (v *verifier) ruleAmount(f *verifyFrame, value string) (int64, bool) {
	if f.ccy != "" && f.ccy != "EUR" {
		v.problem(ProblemRule, fmt.Sprintf("currency %s: SEPA direct debits are in EUR", f.ccy))
	}
	d, ok := schema.ParseDecimal(value)
	if !ok {
		return 0, false
	}
	if d.FracDigits() > 2 {
		v.problem(ProblemRule, fmt.Sprintf("amount %s has more than 2 decimals", schema.TrimSpace(value)))
		return 0, false
	}
	c, ok := d.Cents()
	switch {
	case !ok || c > verifyMaxAmount:
		v.problem(ProblemRule, fmt.Sprintf("amount %s is above the SEPA maximum 999999999.99", schema.TrimSpace(value)))
		return 0, false
	case c < 1:
		v.problem(ProblemRule, fmt.Sprintf("amount %s is below the SEPA minimum 0.01", schema.TrimSpace(value)))
		return 0, false
	}
	return c, true
}

func (v *verifier) ruleInstrument(f *verifyFrame, value string) {
	r := &v.rules
	switch {
	case f.name == "Prtry":
		v.problem(ProblemRule, fmt.Sprintf("proprietary local instrument %q: SEPA direct debits use Cd CORE or B2B", value))
	case value == "CORE" || value == "B2B":
		if r.instrument == "" {
			r.instrument, r.instrumentLine = value, f.line
		} else if value != r.instrument && !r.mixNoted {
			r.mixNoted = true
			v.problem(ProblemRule, fmt.Sprintf("the file mixes %s (line %d) and %s: CORE and B2B collections go in separate files", r.instrument, r.instrumentLine, value))
		}
	case value == "COR1":
		v.problem(ProblemRule, "local instrument COR1 is obsolete (CORE collections have been D-1 since November 2016): use CORE")
	default:
		v.problem(ProblemRule, fmt.Sprintf("local instrument %q: SEPA direct debits use CORE or B2B", value))
	}
	if v.ancestor(3) == "PmtInf" {
		r.pmt.instrument = value
	} else {
		r.tx.instrument = value
	}
}

func (v *verifier) ruleAddress() {
	r := &v.rules
	a := r.adr
	date := r.pmt.date
	if date == "" || date < verifyAddressCutover {
		return
	}
	switch {
	case !a.town && !a.country && a.lines > 0:
		v.problem(ProblemRule, fmt.Sprintf("%s address has only AdrLine: collections from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.party, verifyAddressCutover, date))
	case !a.town || !a.country:
		var missing []string
		if !a.town {
			missing = append(missing, "TwnNm")
		}
		if !a.country {
			missing = append(missing, "Ctry")
		}
		v.problem(ProblemRule, fmt.Sprintf("%s address has no %s: collections from %s (this one %s) need a structured or hybrid address with at least TwnNm and Ctry",
			a.party, strings.Join(missing, " nor "), verifyAddressCutover, date))
	case a.lines > 2:
		v.problem(ProblemRule, fmt.Sprintf("%s address has %d AdrLine: a hybrid address (TwnNm and Ctry structured) has at most 2", a.party, a.lines))
	}
}

func (v *verifier) ruleTransaction(f *verifyFrame) {
	r := &v.rules
	t, p := &r.tx, &r.pmt
	r.count++
	p.count++
	if t.amountOK && r.sum <= math.MaxInt64-t.amount {
		r.sum += t.amount
		p.total += t.amount
	} else {
		r.sumOK, p.sumOK = false, false
	}
	// Payment type and creditor scheme identifier: once per PmtInf block,
	// at the first transaction without them at either level.
	once := func(key, msg string) {
		if !p.noted[key] {
			p.noted[key] = true
			v.problem(ProblemRule, msg)
		}
	}
	if t.seq == "" && p.seq == "" {
		once("SeqTp", "no sequence type: PmtTpInf/SeqTp (FRST, RCUR, OOFF or FNAL) is required, at PmtInf level")
	}
	if t.instrument == "" && p.instrument == "" {
		once("LclInstrm", "no local instrument: PmtTpInf/LclInstrm/Cd (CORE or B2B) is required, at PmtInf level")
	}
	if !t.serviceLevel && !p.serviceLevel {
		once("SvcLvl", "no service level: PmtTpInf/SvcLvl/Cd SEPA is required, at PmtInf level")
	}
	if !t.scheme && !p.scheme {
		once("CdtrSchmeId", "no creditor identifier (CdtrSchmeId), neither in the PmtInf nor in the transaction")
	}
	if !t.mandateID {
		v.problem(ProblemRule, "no mandate reference: DrctDbtTx/MndtRltdInf/MndtId is required")
	}
	if t.signature == "" {
		v.problem(ProblemRule, "no mandate signature date: DrctDbtTx/MndtRltdInf/DtOfSgntr is required")
	} else if signed, ok := verifyParseDate(t.signature); ok {
		if reason := signatureDateReason(signed, r.created, p.collection); reason != "" {
			v.problem(ProblemRule, "mandate signature date (DtOfSgntr) "+t.signature[:10]+": "+reason)
		}
	}
	if t.mandateID {
		v.ruleSequence(t, p, f.line)
	}
	switch {
	case t.amendInd && !t.amendDetails:
		v.problem(ProblemRule, "AmdmntInd is true but AmdmntInfDtls is missing")
	case t.amendInd && t.amendEmpty:
		v.problem(ProblemRule, "AmdmntInd is true but the mandate amendment (AmdmntInfDtls) is "+amendmentEmpty)
	}
	if !t.amendInd && t.amendDetails {
		v.problem(ProblemRule, "AmdmntInfDtls is present but AmdmntInd is not true")
	}
	switch {
	case t.ustrd > 0 && t.strd > 0:
		v.problem(ProblemRule, "RmtInf has both Ustrd and Strd: SEPA allows one or the other")
	case t.ustrd > 1:
		v.problem(ProblemRule, fmt.Sprintf("RmtInf has %d Ustrd: SEPA allows one (140 characters)", t.ustrd))
	case t.strd > 1:
		v.problem(ProblemRule, fmt.Sprintf("RmtInf has %d Strd: SEPA allows one", t.strd))
	}
	if !t.debtorName {
		v.problem(ProblemRule, "the debtor has no name: Dbtr/Nm is required")
	}
	if !t.debtorAddress && sepa.NeedsPayerAddress(t.debtorIBAN, p.creditorIBAN) {
		v.problem(ProblemRule, fmt.Sprintf("the debtor has no address: with a bank in a SEPA country outside the EEA (debtor IBAN %s, creditor IBAN %s) Dbtr/PstlAdr with at least TwnNm and Ctry is required",
			verifyCountryOf(t.debtorIBAN), verifyCountryOf(p.creditorIBAN)))
	}
}

// verifyFirst is a mandate's first or one-off collection in the file.
type verifyFirst struct {
	line int32
	seq  string
	date string
}

// ruleSequence checks a transaction's sequence type against the mandate's
// other collections in the file: one FRST (or OOFF) per mandate, and a
// recurrent collection after its mandate's first one comes on a later
// date. (An RCUR written before its FRST in the file is not compared.)
func (v *verifier) ruleSequence(t *verifyTx, p *verifyPayment, line int) {
	r := &v.rules
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
			v.problem(ProblemRule, fmt.Sprintf("mandate %q already has a %s collection at line %d: a mandate has one first collection (FRST) pending, a one-off mandate (OOFF) one collection",
				t.mandate, first.seq, first.line))
			return
		}
		r.firsts[h] = verifyFirst{line: int32(min(line, math.MaxInt32)), seq: seq, date: p.date}
	case "RCUR", "FNAL":
		switch {
		case seen && first.seq == "OOFF":
			v.problem(ProblemRule, fmt.Sprintf("mandate %q is collected once (OOFF at line %d), not again as %s", t.mandate, first.line, seq))
		case seen && first.date != "" && p.date != "" && p.date <= first.date:
			v.problem(ProblemRule, fmt.Sprintf("mandate %q: %s collection on %s, not after its first collection (FRST at line %d) on %s",
				t.mandate, seq, p.date, first.line, first.date))
		}
	}
}

func (v *verifier) rulePayment() {
	p := &v.rules.pmt
	if !p.creditorName {
		v.problemAt(p.line, p.path, ProblemRule, "the creditor has no name: Cdtr/Nm is required")
	}
	v.ruleTotals(p.nb, p.sum, p.count, p.total, p.sumOK, "this PmtInf")
}

// ruleTotals compares declared NbOfTxs and CtrlSum with what was counted.
func (v *verifier) ruleTotals(nb, sum verifyDeclared, count int, total int64, sumOK bool, where string) {
	if nb.set {
		if n, err := strconv.ParseInt(nb.value, 10, 64); err == nil && n != int64(count) {
			v.problemAt(nb.line, nb.path, ProblemRule, fmt.Sprintf("NbOfTxs is %d but %s has %d transaction%s", n, where, count, verifyPlural(count)))
		}
	}
	if sum.set && sumOK {
		d, _ := schema.ParseDecimal(sum.value)
		c, ok := d.Cents()
		switch {
		case !ok:
			v.problemAt(sum.line, sum.path, ProblemRule, fmt.Sprintf("CtrlSum %s cannot be a sum of euro amounts (more than 2 decimals or too large); %s adds up to %s",
				schema.TrimSpace(sum.value), where, verifyFormatCents(total)))
		case c != total:
			v.problemAt(sum.line, sum.path, ProblemRule, fmt.Sprintf("CtrlSum is %s but the transactions of %s add up to %s",
				verifyFormatCents(c), where, verifyFormatCents(total)))
		}
	}
}

// finish runs the file-level rules and fills the totals.
func (r *verifyRules) finish(v *verifier) {
	v.report.Transactions = r.count
	v.report.Total = r.sum
	if r.grpClosed {
		v.ruleTotals(r.grpNb, r.grpSum, r.count, r.sum, r.sumOK, "the file")
	}
}

// creditorIDOthr reports whether the open element is the Othr of a
// creditor identifier (CdtrSchmeId or OrgnlCdtrSchmeId /Id/PrvtId/Othr).
func (v *verifier) creditorIDOthr() bool { return v.creditorIDOthrAt(0) }

// creditorIDOthrAt is creditorIDOthr for the k-th open element above the top.
func (v *verifier) creditorIDOthrAt(k int) bool {
	if v.ancestor(k) != "Othr" || v.ancestor(k+1) != "PrvtId" || v.ancestor(k+2) != "Id" {
		return false
	}
	s := v.ancestor(k + 3)
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

// verifyFormatCents renders cents as a decimal amount, e.g. 36050 → "360.50".
func verifyFormatCents(c int64) string {
	sign := ""
	u := uint64(c)
	if c < 0 {
		sign, u = "-", uint64(-c)
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
