package payables

import (
	"fmt"
	"math"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa"
)

// RemittanceInfo returns the remittance information of the payment of g
// (pain.001 RmtInf/Ustrd; the reference line of a lettre-chèque), already
// in the EPC basic character set and at most 140 characters (sepa.Text),
// so that the writer never refuses it. It lists what the payment settles,
// in the first form that fits:
//
//  1. one document and no discount: the document number;
//  2. each document with its amount, credit notes negative, then the
//     discount taken: "FA-2026-118 1200,00 AV-2026-007 -150,00 ESCOMPTE -21,00";
//  3. the document numbers only: "FA-2026-118 FA-2026-119 AV-2026-007";
//  4. a summary naming the payment's reference, ref, and the count, the
//     detail being on the payment advice (avis de paiement) sent to the
//     supplier: "P-000118 : 14 documents, detail sur l'avis de paiement".
//
// A list is never cut: a supplier's cash application matches documents by
// their numbers, and a list that silently stops would leave the last ones
// open on its side.
func RemittanceInfo(g Group, ref string) string {
	fits := func(s string) (string, bool) {
		t := sepa.Text(s, math.MaxInt)
		return t, len(t) <= sepa.MaxRemittance
	}
	docs := g.Documents()
	if len(docs) == 1 && g.Discount == 0 {
		if t, ok := fits(docs[0]); ok {
			return t
		}
	}
	var detailed []string
	for _, p := range g.Members {
		detailed = append(detailed, p.Document, plainAmount(p.Amount))
	}
	if g.Discount != 0 {
		detailed = append(detailed, "ESCOMPTE", plainAmount(-g.Discount))
	}
	if t, ok := fits(strings.Join(detailed, " ")); ok {
		return t
	}
	if t, ok := fits(strings.Join(docs, " ")); ok && len(docs) > 1 {
		return t
	}
	word := "documents"
	if len(docs) == 1 {
		word = "document"
	}
	return sepa.Text(fmt.Sprintf("%s : %d %s, detail sur l'avis de paiement", ref, len(docs), word), sepa.MaxRemittance)
}

// plainAmount writes cents as "1200,00": French decimals, no grouping.
func plainAmount(cents int64) string {
	return strings.ReplaceAll(remit.FormatAmountFR(cents), " ", "")
}
