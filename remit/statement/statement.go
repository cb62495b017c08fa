package statement

import (
	"errors"
	"fmt"
	"time"
)

// Formats a Statement can be read from.
const (
	CFONB120    = "cfonb120"
	Camt053V02  = "camt.053.001.02"
	Camt053V08  = "camt.053.001.08"
	StatusBook  = "BOOK" // a booked entry: the only status that moves the booked balances
	IssuerCFONB = "CFONB"
)

// Statement is one account's relevé for one period: its opening balance,
// the entries booked during the period and its closing balance.
type Statement struct {
	Format string // CFONB120, Camt053V02 or Camt053V08
	Line   int    // line of the record 01, or of the <Stmt> element

	ID        string    // camt.053 Stmt/Id; "" in CFONB 120, which has no identifier
	MessageID string    // camt.053 GrpHdr/MsgId
	Sequence  string    // camt.053 Stmt/ElctrncSeqNb
	Created   time.Time // camt.053 Stmt/CreDtTm, else GrpHdr/CreDtTm; zero in CFONB 120

	Account  Account
	Currency string // ISO 4217 code of every amount of the statement

	Opening Balance // CFONB 120 ancien solde (01); camt.053 OPBD, else PRCD
	Closing Balance // CFONB 120 nouveau solde (07); camt.053 CLBD
	Entries []Entry // in file order, whatever their status

	// Warnings are inconsistencies that do not make the statement wrong
	// (a batch whose details do not add up, a movement dated outside the
	// period…), each saying where.
	Warnings []string
}

// Account identifies the account a statement is about.
type Account struct {
	// IBAN is camt.053's Acct/Id/IBAN; for CFONB 120, which carries the
	// RIB without its key, the IBAN rebuilt from the RIB (empty when the
	// zones are not a well-formed French RIB).
	IBAN string
	// Other is camt.053's Acct/Id/Othr/Id, for an account without IBAN.
	Other string
	// Bank, Branch and Number are CFONB 120's code banque, code guichet and
	// numéro de compte; empty for camt.053.
	Bank, Branch, Number string
}

// Balance is a booked balance at the end of a day.
type Balance struct {
	Type   string    // camt.053 balance type: OPBD, PRCD or CLBD; "" in CFONB 120
	Date   time.Time // midnight UTC of the balance's date
	Amount int64     // cents; negative when the account is overdrawn (débiteur, DBIT)
}

// Entry is one movement of the account: a CFONB 120 record 04 with its
// records 05, or a camt.053 Ntry.
type Entry struct {
	Line   int    // line of the record 04, or of the <Ntry> element
	Amount int64  // cents: positive for a credit (money in), negative for a debit
	Status string // StatusBook; camt.053 also has PDNG, INFO, FUTR, which do not count

	BookingDate time.Time // CFONB date de comptabilisation; camt.053 BookgDt (zero if absent)
	ValueDate   time.Time // CFONB date de valeur; camt.053 ValDt (zero if absent)

	// Ref is camt.053's NtryRef, or CFONB 120's zone référence (105-120),
	// whose content each bank decides. Neither is unique across
	// statements: do not use it as a key.
	Ref string
	// BankRef is camt.053's AcctSvcrRef, the bank's own reference of the
	// entry; CFONB 120 has none.
	BankRef string
	// Number is CFONB 120's numéro d'écriture (82-88): cheque number,
	// remise number or piece number, often zeros; "" for camt.053.
	Number string
	Code   Code
	// Label is CFONB 120's libellé (49-79), or camt.053's AddtlNtryInf.
	Label string
	// Info holds the LIB complements (libellé complémentaire) of a CFONB
	// 120 movement, in order; empty for camt.053.
	Info []string
	// ReturnReason is CFONB 120's code motif de rejet (41-42) as the file
	// has it; camt.053 gives return reasons per detail (Detail.ReturnReason).
	ReturnReason string
	// Reversal is camt.053's RvslInd.
	Reversal bool
	// Batch is camt.053's NtryDtls/Btch: a batch booking, one entry for a
	// whole remise; zero when absent.
	Batch Batch
	// Details are the underlying transactions: camt.053's TxDtls, or for
	// CFONB 120 one detail made of the records 05 that describe the
	// movement's transaction (names, references, mandate, remittance
	// information), when there are any.
	Details []Detail
	// Extra holds the records 05 of a CFONB 120 movement that no field
	// above takes (MMO, IPY, NPO…, a second NPY), in order.
	Extra []Complement
}

// Code classifies an entry.
type Code struct {
	// Domain, Family and SubFamily are the ISO bank transaction code
	// (BkTxCd/Domn): PMNT, IDDT, ESDD for a SEPA Core collection.
	Domain, Family, SubFamily string
	// Proprietary and Issuer are camt.053's BkTxCd/Prtry; CFONB 120's code
	// opération interbancaire (33-34: A1, B3, 05…) with Issuer "CFONB".
	Proprietary, Issuer string
	// Internal is CFONB 120's code opération interne (8-11), the bank's own.
	Internal string
}

// Batch is a batch booking: one entry for several transactions.
type Batch struct {
	MsgID    string // GrpHdr/MsgId of the customer's message (our pain.008)
	PmtInfID string // PmtInfId of the customer's payment block: our remittance
	Count    int    // NbOfTxs; 0 when absent
	Total    int64  // TtlAmt in cents, signed by its CdtDbtInd; 0 when absent
}

// Detail is one transaction under an entry.
type Detail struct {
	Line int // line of the <TxDtls> element, or of the first record 05 it comes from

	MsgID        string // Refs/MsgId
	PmtInfID     string // Refs/PmtInfId; CFONB 05 REF (49-83): référence de la remise
	InstrID      string // Refs/InstrId; CFONB 05 REF (84-118): référence de la transaction
	EndToEndID   string // Refs/EndToEndId; CFONB 05 RCN (49-83)
	MandateID    string // Refs/MndtId; CFONB 05 RUM (49-83)
	ChequeNumber string // Refs/ChqNb

	// Amount in cents, signed like Entry.Amount: camt.053 TxDtls/Amt
	// (.08), else AmtDtls/TxAmt, else AmtDtls/InstdAmt, the first in the
	// statement's currency; a lone detail without one takes its entry's.
	// For CFONB 120, the movement's amount.
	Amount int64

	ReturnReason string   // RtrInf/Rsn/Cd or Prtry (AM04, MD06…)
	Remittance   []string // RmtInf/Ustrd lines; CFONB 05 LCC and LC2
	CreditorRef  string   // RmtInf/Strd/CdtrRefInf/Ref; CFONB 05 LCS
	Purpose      string   // Purp/Cd or Prtry; CFONB 05 RCN (84-118): nature du paiement
	SequenceType string   // CFONB 05 RUM (84-87): FRST, RCUR, OOFF, FNAL

	Debtor   Party // RltdPties/Dbtr and DbtrAcct; CFONB 05 NPY and CPY
	Creditor Party // RltdPties/Cdtr and CdtrAcct; CFONB 05 NBE and CBE
}

// Party is a counterparty as a statement names it.
type Party struct {
	Name    string
	Account string // IBAN, or the other identification the file gives
}

// Complement is a CFONB 120 record 05 kept as it is: its qualifiant and
// its 70 characters of information, trailing blanks removed.
type Complement struct {
	Qualifier string
	Text      string
}

// Counterparty returns the other party of a detail: the debtor of a credit,
// the creditor of a debit, or the one the file names when it names only one
// (a returned collection debits the creditor's account and names the
// debtor).
func (d *Detail) Counterparty() Party {
	first, second := d.Debtor, d.Creditor
	if d.Amount < 0 {
		first, second = second, first
	}
	if first != (Party{}) {
		return first
	}
	return second
}

// Booked reports whether the entry counts in the booked balances.
func (e *Entry) Booked() bool { return e.Status == StatusBook }

// ErrUnbalanced is the reason a statement whose balances do not add up is
// refused.
var ErrUnbalanced = errors.New("balances do not add up")

// ErrOverflow is returned when amounts add up beyond what an int64 holds.
var ErrOverflow = errors.New("amounts too large to add up")

// Movements returns the sum of the booked entries, in cents.
func (s *Statement) Movements() (int64, error) {
	var sum int64
	for i := range s.Entries {
		e := &s.Entries[i]
		if !e.Booked() {
			continue
		}
		var ok bool
		if sum, ok = Add(sum, e.Amount); !ok {
			return 0, fmt.Errorf("entry at line %d: %w", e.Line, ErrOverflow)
		}
	}
	return sum, nil
}

// Check verifies that the opening balance plus the booked entries is the
// closing balance; the error wraps ErrUnbalanced and gives the figures.
func (s *Statement) Check() error {
	sum, err := s.Movements()
	if err != nil {
		return err
	}
	want, ok := Add(s.Opening.Amount, sum)
	if !ok {
		return ErrOverflow
	}
	if want != s.Closing.Amount {
		return fmt.Errorf("%w: opening balance %s + movements %s = %s, but the closing balance is %s (difference %s)",
			ErrUnbalanced, Format(s.Opening.Amount), Format(sum), Format(want), Format(s.Closing.Amount), Format(s.Closing.Amount-want))
	}
	return nil
}

// Date returns midnight UTC of a day, the form of every date of a
// Statement.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// Add returns a+b and whether it did not overflow.
func Add(a, b int64) (int64, bool) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, false
	}
	return c, true
}

// Format writes cents as a decimal amount with a point and two decimals:
// 1023456 → "10234.56", -8000 → "-80.00".
func Format(cents int64) string {
	sign := ""
	u := uint64(cents)
	if cents < 0 {
		sign, u = "-", uint64(-(cents+1))+1 // math.MinInt64 too
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
