package remit

import (
	"strings"

	"github.com/remit-dev/remit/bordereau"
)

// The PDF documents: bordereau de remise, traites, list of unpaid due dates.
// The bordereau package draws them from plain values; this file feeds it
// from the store.

// BordereauParty prints an address the French way: "12 Rue de la Paix" on
// one line (remit keeps the building number apart, as SEPA's BldgNb).
func BordereauParty(name string, a Address) bordereau.Party {
	street := strings.TrimSpace(a.Building + " " + a.Street)
	return bordereau.Party{Name: name, Address: bordereau.Address{Street: street,
		Postcode: a.Postcode, Town: a.Town, Country: a.Country}}
}

// BordereauName is the slip's file name for a remittance.
func BordereauName(ref string) string { return "BORDEREAU." + ref + ".pdf" }

// BordereauDetailName is the file of a summary slip's detail: the
// remittance's items as CSV, named like the slip.
func BordereauDetailName(ref string) string { return "BORDEREAU." + ref + ".csv" }

// FormatBordereauDetail is the format a remittance records its slip's
// detail under: the remittance's slip is a summary when it records one.
const FormatBordereauDetail = "bordereau-csv"

// TraiteSource says which receivables get a traite.
type TraiteSource struct {
	RemittanceID int64  // the items of this remittance, or
	Filter       Filter // these receivables (e.g. pointed LCR ones not yet remitted)
}

// DrawerParty is the creditor as the traite prints it.
func DrawerParty(cr Creditor) bordereau.Party { return BordereauParty(cr.Name, cr.Address) }

// MethodLabel is a payment method as people read it.
func MethodLabel(m string) string {
	switch m {
	case "sdd":
		return "Prélèvement"
	case "lcr":
		return "LCR"
	case "chq":
		return "Chèque"
	case "vir":
		return "Virement"
	case "esp":
		return "Espèces"
	case "cb":
		return "Carte"
	}
	return ""
}

// StatusLabel is a receivable status in French, for printed lists.
func StatusLabel(s string) string {
	switch s {
	case StatusOpen:
		return "Non réglée"
	case StatusPointed:
		return "Pointée"
	case StatusRemitted:
		return "Remise"
	case StatusRejected:
		return "Rejetée"
	case StatusPaid:
		return "Réglée"
	case StatusWrittenOff:
		return "Passée en pertes"
	}
	return s
}

// AdviceName is the file of a payment remittance's avis de paiement.
func AdviceName(ref string) string { return "AVIS." + ref + ".pdf" }

// FormatAdvice is the format a remittance records its avis de paiement
// under: a document for the suppliers, not a bank file.
const FormatAdvice = "avis"
