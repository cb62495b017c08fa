package remit

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit/ident"
)

// A run that cannot take a pointed receivable leaves it pointed, with its
// reasons (receivables.refusal), when the refusal was first reported
// (refused_at) and what to do about it (refusal_todo). The same refusal
// met again by a later run is not new: a nightly job reports it once, and
// lists it every night.

// Todo is what the accountant does about a refused receivable.
type Todo string

// What to do, from the least to the most.
const (
	TodoLater   Todo = "later"   // nothing: a later run takes it
	TodoCorrect Todo = "correct" // correct its data (the ERP's export, import) and the next run takes it
	TodoUnpoint Todo = "unpoint" // it cannot be collected this way: unpoint it and collect it otherwise
)

func (t Todo) rank() int {
	switch t {
	case TodoCorrect:
		return 1
	case TodoUnpoint:
		return 2
	}
	return 0
}

// Advice says what to do about the refused document, in a sentence.
func (t Todo) Advice(document string) string {
	unpoint := "remit unpoint --document " + ShellQuote(document)
	switch t {
	case TodoCorrect:
		return "correct it (in the ERP's export, or the customer's details) and import it again: the next run takes it; " +
			"or leave it out: " + unpoint
	case TodoUnpoint:
		return "it cannot be collected this way: " + unpoint + ", and collect it otherwise; or, if its data is wrong, " +
			"correct it and import it again"
	case TodoLater:
		return "nothing to do: it stays pointed and a later run takes it"
	}
	return ""
}

// ShellQuote quotes a document for a command line when it needs it.
func ShellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:+=@%", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// ReasonCode names why a receivable is refused, for programs and tests;
// the text says it to people.
type ReasonCode string

// Why a run refuses a receivable.
const (
	ReasonCurrency        ReasonCode = "currency"          // not in euros
	ReasonAmount          ReasonCode = "amount"            // outside 0.01 to 999999999.99
	ReasonOverFileMax     ReasonCode = "over-file-max"     // larger than --max-amount: no file can take it
	ReasonNoMandate       ReasonCode = "no-mandate"        // a direct debit without a mandate
	ReasonMandateBlocked  ReasonCode = "mandate-blocked"   // a bank return blocked the mandate
	ReasonMandateStatus   ReasonCode = "mandate-status"    // revoked or expired
	ReasonMandateUnsigned ReasonCode = "mandate-unsigned"  // no signature date
	ReasonMandateExpired  ReasonCode = "mandate-expired"   // 36 months without a collection
	ReasonOneOffUsed      ReasonCode = "one-off-used"      // a one-off mandate collected before
	ReasonOneOffInRun     ReasonCode = "one-off-in-run"    // a one-off mandate collected by another receivable of the run
	ReasonFirstPending    ReasonCode = "first-pending"     // a forced date on or before the mandate's pending first collection
	ReasonNotFrench       ReasonCode = "not-french"        // an account a French-only file cannot carry
	ReasonEPC             ReasonCode = "epc"               // an EPC rule of the debtor, its account or its mandate
	ReasonNoAccount       ReasonCode = "no-account"        // an LCR without the drawee's account
	ReasonAccount         ReasonCode = "account"           // the drawee's account cannot be read
	ReasonOverLCRMax      ReasonCode = "over-lcr-max"      // more than an LCR can carry
	ReasonDuePassed       ReasonCode = "due-passed"        // an LCR whose due date has passed
	ReasonBeforeValueDate ReasonCode = "before-value-date" // due before the escompte's date de valeur
	ReasonIssueAfterDue   ReasonCode = "issue-after-due"   // issued after it falls due
	ReasonName            ReasonCode = "name"              // a name with nothing left in the file's character set
	ReasonSIREN           ReasonCode = "siren"             // a SIREN that is not 9 digits
	ReasonSameReference   ReasonCode = "same-reference"    // an LCR reference another bill of the remise has
	ReasonBank            ReasonCode = "bank"              // its bank cannot take it (no NNE for a national file, no French account for an LCR)
	ReasonChequeNumber    ReasonCode = "cheque-number"     // a cheque without its number, or not 1 to 7 digits
)

// Reason is one reason a run refuses a receivable, and what to do about it.
type Reason struct {
	Code ReasonCode
	Todo Todo
	Text string
}

// Reasons are every reason a receivable is refused, in the order found.
type Reasons []Reason

// Add appends a reason.
func (rs *Reasons) Add(code ReasonCode, todo Todo, format string, args ...any) {
	*rs = append(*rs, Reason{Code: code, Todo: todo, Text: fmt.Sprintf(format, args...)})
}

// Todo is the most a person must do about them: unpoint over correct over later.
func (rs Reasons) Todo() Todo {
	var todo Todo
	for _, r := range rs {
		if todo == "" || r.Todo.rank() > todo.rank() {
			todo = r.Todo
		}
	}
	return todo
}

// Texts are the reasons' texts with the IBANs masked: they are stored
// (remit list shows them) and printed where logs keep them (remit run --json).
func (rs Reasons) Texts() []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = ident.MaskIBANs(r.Text)
	}
	return out
}

// Has reports whether one of the reasons has the code.
func (rs Reasons) Has(code ReasonCode) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

// Refusal is a pointed receivable a run left pointed, with why and what to do.
type Refusal struct {
	Document string   `json:"document"`
	Customer string   `json:"customer"`
	Name     string   `json:"name"`
	Amount   string   `json:"amount"`
	Currency string   `json:"currency"` // EUR, or the currency that made it refused
	Reasons  []string `json:"reasons"`
	Todo     Todo     `json:"todo"`   // later, correct or unpoint
	Advice   string   `json:"advice"` // what to do, in a sentence
	Since    string   `json:"since"`  // when a run first gave this refusal, "YYYY-MM-DD HH:MM:SS"
	New      bool     `json:"new"`    // first given by this run: not reported before
}
