package accounting

import (
	"fmt"
	"strings"
)

// Kind says which rule wrote an entry line: the entries' kind column.
type Kind string

// The kinds of entry line.
const (
	KindCollection Kind = "collection" // a remittance's collection (Collection)
	KindReturn     Kind = "return"     // a reject or return (Return)
	KindFee        Kind = "fee"        // the bank's fee for it (Return)
	KindReversal   Kind = "reversal"   // a cancelled remittance's écritures reversed (Reversal)
	// The treasury écritures, which belong to no remittance.
	KindSuspense   Kind = "suspense"   // a credit no remittance explains, to the suspense account (Suspense)
	KindAllocation Kind = "allocation" // vidage du compte d'attente (Allocation)
	KindPayment    Kind = "payment"    // a transfer paying receivables (Payment); a supplier payment (Disbursement)
	KindWriteOff   Kind = "writeoff"   // abandon de créance (WriteOff)
)

// A Rule is one kind of entry line as remit knows it: what its lines book,
// and their label template (EcritureLib), read from the setting
// entries.<Setting>, Default when it is empty ("" Setting: the label is
// always Default).
type Rule struct {
	Kind    Kind
	Setting string
	Default string
	Books   string
}

// Rules are the kinds of entry line, one line each.
//
// A new kind of entry is one function and one line here. The function
// makes the kind's Ecriture from a domain value and the Options, labelling
// its lines with o.Label(kind); the line gives the kind, its label's
// setting and default. Nothing else changes: the
// settings file takes the label (entries.<Setting>), the store records any
// Ecriture that Check accepts (store.Tx.RecordEcriture, inside the use
// case's transaction), a cancelled remittance's écritures are
// reversed whatever their kind, and the FEC and CSV exports write them.
// The databases' kind columns accept the kinds listed here (the stores'
// tests compare them): a new kind comes with the migration that adds it.
var Rules = []Rule{
	{KindCollection, "label", DefaultEntryLabel, "a remittance's collection: the counterpart debited, each customer credited"},
	{KindReturn, "return_label", DefaultReturnLabel, "a reject or return: the collection undone"},
	{KindFee, "fee_label", DefaultFeeLabel, "the bank's fee for a reject or return"},
	{KindReversal, "reversal_label", DefaultReversalLabel, "a cancelled remittance's écritures, reversed line by line"},
	{KindSuspense, "", "Attente {label}", "a bank's credit no remittance explains: the bank debited, the suspense account credited"},
	{KindAllocation, "", "Affectation {doc} {name}", "a suspense line allocated: the suspense account debited, each customer credited"},
	// Supplier payments' lines are of kind payment too, labelled by their
	// own settings (Options.SupplierLabel, PaymentLabel, DiscountLabel).
	{KindPayment, "", "Règlement {doc} {name}", "a transfer paying receivables: the bank debited, each customer credited"},
	{KindWriteOff, "", "Abandon de créance {doc}", "a receivable written off: the loss and its VAT debited, the customer credited"},
}

// RuleOf is the rule of kind k.
func RuleOf(k Kind) (Rule, bool) {
	for _, r := range Rules {
		if r.Kind == k {
			return r, true
		}
	}
	return Rule{}, false
}

// Kinds are the kinds of entry line, in the order of Rules.
func Kinds() []Kind {
	ks := make([]Kind, len(Rules))
	for i, r := range Rules {
		ks[i] = r.Kind
	}
	return ks
}

// checkKind refuses a line of a kind no rule writes.
func checkKind(l *Line) error {
	if _, ok := RuleOf(l.Kind); !ok {
		return fmt.Errorf("line %d (%s %s): kind %q: want one of %s", l.Seq, l.Account, l.Piece, l.Kind, kindList())
	}
	return nil
}

func kindList() string {
	var b strings.Builder
	for i, k := range Kinds() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}
